"""Read real PDFs back for tests: text layers and glyph geometry."""

from __future__ import annotations

import collections
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def pdfium_text(path: Path) -> str:
    """The whole text layer as pdfium (Chromium's reader) extracts it."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def pdfium_pages(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def normalise(text: str) -> str:
    """NFKC, bidi controls dropped, whitespace folded."""
    return " ".join(BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", text)).split())


def words(text: str) -> collections.Counter[str]:
    return collections.Counter(normalise(text).split())


def word_recall(source: str, extracted: str) -> float:
    """Share of the source's words (as a multiset) found in the extracted text."""
    wanted = words(source)
    found = wanted & words(extracted)
    return sum(found.values()) / sum(wanted.values())


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    font: str
    size: float


@dataclass(frozen=True)
class Line:
    """Glyphs sharing a baseline, ordered left to right."""

    glyphs: tuple[Glyph, ...]

    @property
    def x0(self) -> float:
        return min(glyph.x0 for glyph in self.glyphs)

    @property
    def x1(self) -> float:
        return max(glyph.x1 for glyph in self.glyphs)

    @property
    def top(self) -> float:
        return min(glyph.top for glyph in self.glyphs)

    @property
    def text(self) -> str:
        return "".join(glyph.text for glyph in self.glyphs)

    def in_font(self, fragment: str) -> list[Glyph]:
        return [glyph for glyph in self.glyphs if fragment in glyph.font]


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]


def _font_name(name: str) -> str:
    return name.split("+", 1)[-1]


def _group_by_baseline(glyphs: list[tuple[float, Glyph]], tolerance: float) -> list[Line]:
    """Lines of glyphs whose baselines lie within `tolerance` points of each other."""
    lines: list[list[tuple[float, Glyph]]] = []
    for baseline, glyph in sorted(glyphs, key=lambda item: item[0]):
        if lines and baseline - lines[-1][0][0] <= tolerance:
            lines[-1].append((baseline, glyph))
        else:
            lines.append([(baseline, glyph)])
    return [Line(tuple(sorted((g for _, g in line), key=lambda g: g.x0))) for line in lines]


def pages(path: Path, tolerance: float = 3.0) -> list[Page]:
    """Every page's glyphs grouped into lines by baseline."""
    result = []
    with pdfplumber.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            height = float(page.height)
            glyphs = []
            for char in page.chars:
                if not char["text"].strip():
                    continue
                glyph = Glyph(char["text"], char["x0"], char["x1"], char["top"], char["bottom"],
                              _font_name(char["fontname"]), round(char["size"], 1))
                glyphs.append((height - char["matrix"][5], glyph))
            lines = tuple(_group_by_baseline(glyphs, tolerance))
            result.append(Page(number, float(page.width), height, lines))
    return result
