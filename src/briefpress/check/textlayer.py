"""Read a PDF's text layer as pdfium and poppler copy it, and measure its recall of a source."""

from __future__ import annotations

import collections
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

from ..text.forms import PRESENTATION_FORMS as PRESENTATION_FORMS

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PUNCTUATION_CATEGORIES = ("P", "S")
# Arabic-Indic digits and CLDR `arab` symbols folded to what the author typed.
_DIGIT_FOLD = str.maketrans("٠١٢٣٤٥٦٧٨٩٫٬٪", "0123456789.,%")


class ExtractorMissing(RuntimeError):
    """A text extractor is not installed, or failed on this PDF."""


class NotInstalled(ExtractorMissing):
    """A text extractor is not installed here (the PDF was not tried)."""


def pdfium_pages(path: Path) -> list[str]:
    """Each page's text layer as pdfium (Chrome's and Edge's reader) copies it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def pdfium_text(path: Path) -> str:
    """The whole text layer as pdfium (Chrome's and Edge's reader) copies it."""
    return "\n".join(pdfium_pages(path))


def poppler_text(path: Path) -> str:
    """The whole text layer as poppler (Evince, Okular) copies it: plain `pdftotext`, no layout.

    Pages are separated by form feeds.
    """
    program = shutil.which("pdftotext")
    if program is None:
        raise ExtractorMissing("pdftotext is not installed (Debian package poppler-utils)")
    result = subprocess.run([program, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                            check=False, timeout=120)
    if result.returncode != 0:
        raise ExtractorMissing(f"pdftotext failed: {result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout.decode("utf-8", "replace")


def fold_digits(text: str) -> str:
    """Arabic-Indic digits and their separators as Latin ones, to compare across digit styles."""
    return text.translate(_DIGIT_FOLD)


def normalise(text: str) -> str:
    """NFKC, bidi controls dropped, whitespace folded."""
    return " ".join(BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", text)).split())


def _strip_punctuation(token: str) -> str:
    return "".join(c for c in token if not unicodedata.category(c).startswith(PUNCTUATION_CATEGORIES))


def tokens(text: str) -> collections.Counter[str]:
    """Whitespace-split tokens with their punctuation: what a copy gives."""
    return collections.Counter(normalise(text).split())


def words(text: str) -> collections.Counter[str]:
    """Tokens with punctuation and symbols dropped: what a search finds."""
    found = (_strip_punctuation(token) for token in normalise(text).split())
    return collections.Counter(word for word in found if word)


def _recall(wanted: collections.Counter[str], found: collections.Counter[str]) -> float:
    total = sum(wanted.values())
    return sum((wanted & found).values()) / total if total else 1.0


def exact_recall(source: str, extracted: str) -> float:
    """Share of the source's tokens, punctuation included, found in the extracted text (multiset)."""
    return _recall(tokens(source), tokens(extracted))


def word_recall(source: str, extracted: str) -> float:
    """Share of the source's words, punctuation dropped, found in the extracted text (multiset)."""
    return _recall(words(source), words(extracted))


def missing_tokens(source: str, extracted: str) -> list[str]:
    """The source's tokens the extracted text lacks, each as often as it is missing."""
    return sorted((tokens(source) - tokens(extracted)).elements())
