"""Read a PDF's text layer as four reader families copy it, and measure recall and word order.

The families, and who reads PDFs with them:

- pdfium: Chrome, Edge (pypdfium2);
- poppler: Evince, Okular, `pdftotext` (plain `pdftotext`, no layout);
- MuPDF: SumatraPDF, mupdf, zathura (PyMuPDF's plain text);
- pdf.js: Firefox (`pdfjs-dist` run by `node`, as Firefox's "select all, copy" builds a page:
  the text items in turn, a newline after each item that ends a line).

Three measures of a source in an extracted text, all after folding Arabic-Indic digits, NFKC
and dropping bidi controls: `exact` recall of whitespace tokens with their punctuation (what a
copy gives), `words` recall with punctuation, symbols, harakat and tatweel dropped and a token
cut where digits meet letters or Arabic letters meet Latin ones (what a search finds: a viewer's
search finds `يونيو` in `19يونيو`, where poppler runs a number into the next word), and
`order`: the share of the source's adjacent word pairs that come back adjacent and in the same
order (a line read backwards keeps its recall and loses its order).
"""

from __future__ import annotations

import collections
import itertools
import json
import os
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .languages import arabic_letter
from .textlayer import (
    ExtractorMissing,
    NotInstalled,
    exact_recall,
    fold_digits,
    normalise,
    pdfium_pages,
)

FAMILIES = ("pdfium", "poppler", "mupdf", "pdfjs")
WHO = {"pdfium": "Chrome, Edge", "poppler": "Evince, Okular, pdftotext",
       "mupdf": "SumatraPDF, mupdf, zathura", "pdfjs": "Firefox"}
LABELS = {"pdfium": "pdfium", "poppler": "poppler", "mupdf": "MuPDF", "pdfjs": "pdf.js"}
MEASURES = ("exact", "words", "order")
# Where `npm ci` puts pdf.js: tools/pdfjs/ of the checkout, unless BRIEFPRESS_PDFJS names the
# folder that holds extract.mjs and its node_modules/.
PDFJS_ENV = "BRIEFPRESS_PDFJS"
_CHECKOUT_PDFJS = Path(__file__).resolve().parents[3] / "tools" / "pdfjs"
_TIMEOUT = 300  # seconds for one extraction
# Harakat, Quranic marks, superscript alef and tatweel: a search ignores them.
ARABIC_MARKS = frozenset(
    [chr(c) for c in range(0x0610, 0x061B)] + [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640"] + [chr(c) for c in range(0x06D6, 0x06EE)])


def poppler_pages(path: Path) -> list[str]:
    """Each page's text as poppler (Evince, Okular) copies it: plain `pdftotext`, no layout."""
    program = shutil.which("pdftotext")
    if program is None:
        raise NotInstalled("poppler: pdftotext is not installed (Debian package poppler-utils)")
    result = subprocess.run([program, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                            check=False, timeout=_TIMEOUT)
    if result.returncode != 0:
        raise ExtractorMissing(f"poppler: pdftotext failed: "
                               f"{result.stderr.decode('utf-8', 'replace').strip()}")
    pages = result.stdout.decode("utf-8", "replace").split("\f")
    return pages[:-1] if pages and pages[-1] == "" else pages


def mupdf_pages(path: Path) -> list[str]:
    """Each page's text as MuPDF (SumatraPDF, mupdf, zathura) copies it: PyMuPDF's plain text."""
    try:
        import pymupdf
    except ImportError as error:
        raise NotInstalled("MuPDF: PyMuPDF is not installed (pip install 'briefpress[readers]', "
                               "or the pip package pymupdf)") from error
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    try:
        with pymupdf.open(str(path)) as document:
            return [page.get_text() for page in document]
    except (RuntimeError, ValueError) as error:  # pymupdf.FileDataError is a RuntimeError
        raise ExtractorMissing(f"MuPDF could not read the PDF: {error}") from error


def pdfjs_folder() -> Path:
    """The folder holding extract.mjs and pdf.js's node_modules/."""
    configured = os.environ.get(PDFJS_ENV)
    return Path(configured) if configured else _CHECKOUT_PDFJS


def pdfjs_pages(path: Path) -> list[str]:
    """Each page's text as pdf.js (Firefox) copies it, run by `node` (tools/pdfjs/extract.mjs)."""
    return pdfjs_pages_of([path])[path]


def pdfjs_pages_of(paths: list[Path]) -> dict[Path, list[str]]:
    """`pdfjs_pages` of several PDFs, read by one `node` process (each start costs a second)."""
    node = shutil.which("node")
    if node is None:
        raise NotInstalled("pdf.js: node is not installed (Debian package nodejs, version 20.16 "
                               "or newer)")
    folder = pdfjs_folder()
    script = folder / "extract.mjs"
    if not os.environ.get(PDFJS_ENV) and not script.is_file():  # an installed wheel: no checkout
        raise NotInstalled(f"pdf.js: an installed briefpress has no pdf.js of its own; set {PDFJS_ENV} "
                           "to a folder holding extract.mjs and node_modules/pdfjs-dist (tools/pdfjs/ "
                           "of a briefpress checkout, after `make readers` there)")
    if not script.is_file() or not (folder / "node_modules" / "pdfjs-dist").is_dir():
        raise NotInstalled(f"pdf.js: pdfjs-dist is not installed in {folder}; run `make readers` "
                               f"(npm ci there), or set {PDFJS_ENV} to a folder that has it")
    if not paths:
        return {}
    result = subprocess.run([node, str(script), *map(str, paths)], capture_output=True, check=False,
                            timeout=_TIMEOUT * len(paths))
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExtractorMissing(f"pdf.js failed: {message[-1] if message else 'no message'}")
    found = json.loads(result.stdout.decode("utf-8"))
    texts = {paths[0]: found} if len(paths) == 1 else {path: found[str(path)] for path in paths}
    return {path: [str(page) for page in pages] for path, pages in texts.items()}


PAGES: dict[str, Callable[[Path], list[str]]] = {
    "pdfium": pdfium_pages, "poppler": poppler_pages, "mupdf": mupdf_pages, "pdfjs": pdfjs_pages}


def read(family: str, path: Path) -> str:
    """The whole text layer of `path` as `family` copies it, pages one after another."""
    return "\n".join(PAGES[family](path))


def read_all(family: str, paths: list[Path]) -> dict[Path, str]:
    """`read` of several PDFs; pdf.js reads them all in one `node` process."""
    if family == "pdfjs":
        return {path: "\n".join(pages) for path, pages in pdfjs_pages_of(paths).items()}
    return {path: read(family, path) for path in paths}


def _search_form(text: str) -> str:
    """`text` without harakat and tatweel, and with a space for each punctuation mark or symbol:
    a search finds «الملحق» in «الميثاق:الملحق», as it finds `RES` in `S/RES/2397`."""
    return "".join(" " if unicodedata.category(c).startswith(("P", "S")) else c
                   for c in text if c not in ARABIC_MARKS)


def _script(char: str) -> str:
    """A digit, a right-to-left letter or another letter: a search finds a word across the change."""
    if char.isdigit():
        return "digit"
    return "right-to-left" if arabic_letter(char) else "other"


def search_words(text: str) -> list[str]:
    """The words of `text` in order, as a search sees them: digits folded, NFKC, no bidi
    controls, harakat or tatweel, and a word cut at a punctuation mark or symbol, and where
    digits meet letters or Arabic letters meet Latin ones (`2024في` is two words a search finds)."""
    found = _search_form(normalise(fold_digits(text))).split()
    return ["".join(run) for word in found for _, run in itertools.groupby(word, _script)]


def _recall(wanted: collections.Counter[Any], found: collections.Counter[Any]) -> float:
    total = sum(wanted.values())
    return sum((wanted & found).values()) / total if total else 1.0


def words_recall(source: str, extracted: str) -> float:
    """Share of the source's words (punctuation and harakat dropped) in the extracted text."""
    return _recall(collections.Counter(search_words(source)),
                   collections.Counter(search_words(extracted)))


def _pairs(words: list[str]) -> collections.Counter[tuple[str, str]]:
    return collections.Counter(itertools.pairwise(words))


def order(source: str, extracted: str) -> float:
    """Share of the source's adjacent word pairs, within each of its lines, that the extracted
    text has adjacent and in the same order (a multiset of pairs, like recall's words)."""
    wanted: collections.Counter[tuple[str, str]] = collections.Counter()
    for line in source.splitlines():
        wanted += _pairs(search_words(line))
    return _recall(wanted, _pairs(search_words(extracted)))


@dataclass(frozen=True)
class Measures:
    """The three figures of one extracted text against its source, as shares (0 to 1)."""

    exact: float
    words: float
    order: float

    def percent(self) -> str:
        return f"{100 * self.exact:.1f} / {100 * self.words:.1f} / {100 * self.order:.1f}"


def measure(source: str, extracted: str) -> Measures:
    """Exact recall, words recall and word order of `source` in `extracted`, digits folded."""
    source, extracted = fold_digits(source), fold_digits(extracted)
    return Measures(exact_recall(source, extracted), words_recall(source, extracted),
                    order(source, extracted))


def measure_families(source: str, path: Path, families: Iterable[str] = FAMILIES
                     ) -> tuple[dict[str, Measures], dict[str, str]]:
    """Each family's measures of `source` in the PDF, and why each family that could not read it failed."""
    measured: dict[str, Measures] = {}
    missing: dict[str, str] = {}
    for family in families:
        try:
            measured[family] = measure(source, read(family, path))
        except (ExtractorMissing, subprocess.TimeoutExpired) as error:
            missing[family] = str(error)
    return measured, missing
