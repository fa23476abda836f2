"""Glyph lines of any PDF, read with pdfplumber: where each glyph is drawn, left to right."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pdfplumber

from .textlayer import fold_digits


@dataclass(frozen=True)
class Glyph:
    """One drawn glyph: the text it stands for, its box in points (top-down), font and size, and
    the marked-content id it is drawn in (None outside one)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    font: str
    size: float
    mcid: int | None = None


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
    def size(self) -> float:
        return max(glyph.size for glyph in self.glyphs)

    @property
    def text(self) -> str:
        """The glyphs' text in visual order, left to right."""
        return "".join(glyph.text for glyph in self.glyphs)

    def in_font(self, fragment: str) -> list[Glyph]:
        return [glyph for glyph in self.glyphs if fragment in glyph.font]

    def segments(self, gap: float = 1.5) -> list[Line]:
        """The line cut where glyphs stand more than `gap` times the font size apart (columns, cells)."""
        parts: list[list[Glyph]] = [[self.glyphs[0]]]
        for glyph in self.glyphs[1:]:
            previous = parts[-1][-1]
            if glyph.x0 - previous.x1 > gap * max(glyph.size, previous.size):
                parts.append([glyph])
            else:
                parts[-1].append(glyph)
        return [Line(tuple(part)) for part in parts]


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
    return list(_pages(Path(path).resolve(), path.stat().st_mtime_ns, tolerance))


@lru_cache(maxsize=64)
def _pages(path: Path, mtime: int, tolerance: float) -> tuple[Page, ...]:
    result = []
    with pdfplumber.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            height = float(page.height)
            glyphs = []
            for char in page.chars:
                if not char["text"].strip():
                    continue
                mcid = char.get("mcid")
                glyph = Glyph(char["text"], char["x0"], char["x1"], char["top"], char["bottom"],
                              _font_name(char["fontname"]), round(char["size"], 1),
                              None if mcid is None else int(mcid))
                glyphs.append((height - char["matrix"][5], glyph))
            lines = tuple(_group_by_baseline(glyphs, tolerance))
            result.append(Page(number, float(page.width), height, lines))
    return tuple(result)


def is_arabic(char: str) -> bool:
    """An Arabic letter (any Arabic block, presentation forms included)."""
    return bool(char) and unicodedata.bidirectional(char[0]) == "AL" and char[0].isalpha()


def is_rtl(line: Line) -> bool:
    """A line whose letters are mostly Arabic."""
    letters = [c for glyph in line.glyphs for c in glyph.text if c.isalpha()]
    arabic = sum(1 for c in letters if is_arabic(c))
    return arabic > 0 and arabic * 2 > len(letters)


def visual_text(line: Line) -> str:
    """The line's glyphs left to right, without spaces, digits folded to ASCII, NFKC."""
    return fold_digits(unicodedata.normalize("NFKC", "".join(line.text.split())))
