"""Copies of an embedded subset's glyphs: a glyph's outline moved, with an advance of its own.

A copy is a composite glyph of one component, the shipped glyph, placed at (dx, dy) font
units and not scaled, in an unused glyph id of the subset (one that draws nothing; WeasyPrint's
subsets keep glyph ids). It has the advance asked for, in the program's `hmtx` and in the
font's /W alike, and its glyph's text. A copy of a glyph that draws nothing (a part of a
ligature's text, see `tounicode`) is another unused glyph id with that advance and text, and
such a glyph can be given an advance of its own in place.
`output.rises` draws a raised mark on the baseline with one, `output.marks` gives a mark a box
of its own with them; `fonts.identity` accepts a copy as the shipped glyph it is made of. A
copy of a copy is a copy of the first glyph, its offsets added. Every copy of a font is
written in one save of its program.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont

from ..fonts.glyf import StoredGlyphs
from ..fonts.identity import identify
from ..fonts.program import Composite, with_glyphs
from ..fonts.registry import FontRegistry
from .pdftext import cmap_stream, empty_glyphs, number, read_to_unicode, read_widths, width_array


@dataclass(frozen=True)
class Copy:
    """A glyph moved by (dx, dy) font units, with `advance` font units (None: the glyph's own)."""

    code: int
    dx: int
    dy: int
    advance: int | None = None


@dataclass
class CopiedFont:
    """One embedded TrueType font of identity codes: the codes its content draws, and its copies.

    `used` must hold every code the document draws in it before the first copy is asked for:
    a copy takes a glyph id that no code uses."""

    font: pikepdf.Dictionary
    registry: FontRegistry
    used: set[int] = field(default_factory=set)
    copies: dict[Copy, int] = field(default_factory=dict)  # -> the copy's code
    _of: dict[int, Copy] = field(default_factory=dict)  # a copy's code -> what it copies
    _loaded: bool = False
    _shipped: bool = False
    _widths: dict[int, int | float] = field(default_factory=dict)
    _texts: dict[int, str] = field(default_factory=dict)
    _fractions: dict[int, Fraction] = field(default_factory=dict)  # widths asked for
    _default_width: int | float = 1000
    _program: bytes = b""
    _path: Path | None = None
    _stored: StoredGlyphs | None = None  # the program's glyphs, read at the first copy
    _units_per_em: int = 1000
    _outlined: set[int] = field(default_factory=set)
    _free: list[int] | None = None  # unused glyph ids, taken from the end; listed at the first copy
    _blanks: dict[int, int] = field(default_factory=dict)  # a glyph id that draws nothing -> its advance

    def _load(self) -> None:
        """Read whether the font is a shipped one, and its codes' widths and texts."""
        if self._loaded:
            return
        self._loaded = True
        descendant = self.font.DescendantFonts[0]
        program = descendant.FontDescriptor.FontFile2.read_bytes()
        shipped = identify(program, self.registry)
        if shipped is None:
            return
        self._shipped, self._program, self._path = True, program, shipped.path
        self._widths, self._texts = read_widths(descendant), read_to_unicode(self.font)
        default = descendant.get("/DW")
        self._default_width = 1000 if default is None else number(default)

    def _glyphs(self) -> StoredGlyphs:
        """The program's glyphs and advances, read once (a shipped font's only)."""
        if self._stored is None:
            self._load()
            assert self._shipped, "only a shipped font's glyphs are copied"
            with TTFont(io.BytesIO(self._program), lazy=True) as parsed:
                self._units_per_em = int(parsed["head"].unitsPerEm)
                stored = StoredGlyphs.of(parsed)
            assert stored is not None, "a shipped font has TrueType outlines"
            self._stored, self._outlined = stored, set(stored.outlined())
        return self._stored

    def _take_glyph_id(self) -> int | None:
        """An unused glyph id, in the order `empty_glyphs` gives them."""
        if self._free is None:
            assert self._path is not None, "only a shipped font's glyphs are copied"
            taken = self.used | set(self._widths) | set(self._texts)
            self._free = list(empty_glyphs(self._program, taken, self._path))[::-1]
        return self._free.pop() if self._free else None

    @property
    def shipped(self) -> bool:
        """Whether the program is a subset of a shipped font: only those get copies."""
        self._load()
        return self._shipped

    @property
    def units_per_em(self) -> int:
        self._glyphs()
        return self._units_per_em

    def width(self, code: int) -> Fraction:
        """The code's /W width, in thousandths of the font size."""
        if code not in self._fractions:
            self._load()
            self._fractions[code] = Fraction(str(self._widths.get(code, self._default_width)))
        return self._fractions[code]

    def text(self, code: int) -> str | None:
        self._load()
        return self._texts.get(code)

    @property
    def texts(self) -> Mapping[int, str]:
        """Every code's text, copies' too."""
        self._load()
        return self._texts

    def draws(self, code: int) -> bool:
        """Whether the code's glyph draws something, so that a copy of it can be made."""
        if not self.shipped:
            return False
        self._glyphs()
        return (self._of[code].code if code in self._of else code) in self._outlined

    def ink(self, code: int) -> tuple[int, int] | None:
        """Where the code's outline starts and ends across the line, in font units from its
        origin (a copy's moved with it); None when it draws nothing."""
        if not self.draws(code):
            return None
        base = self._of.get(code)
        glyph, dx = (base.code, base.dx) if base is not None else (code, 0)
        low, high = struct.unpack(">2xh2xh", self._glyphs().glyphs[glyph][:8])
        return low + dx, high + dx

    def copy(self, code: int, dx: int, dy: int, advance: int | None = None) -> int | None:
        """The code of `code`'s glyph moved by (dx, dy) with `advance` (None: unchanged); `code`
        itself when nothing changes; None when the font is not a shipped one or no glyph id is
        left. A glyph that draws nothing is not moved."""
        if not self.shipped:
            return None
        base = self._of.get(code)
        if base is not None:
            code, dx, dy = base.code, base.dx + dx, base.dy + dy
            advance = base.advance if advance is None else advance
        advances = self._glyphs().advances
        if advance is not None and 0 <= code < len(advances) and advance == advances[code]:
            advance = None
        if code not in self._outlined:
            dx = dy = 0
        if (dx, dy, advance) == (0, 0, None):
            return code
        wanted = Copy(code, dx, dy, advance)
        if wanted not in self.copies:
            gid = self._take_glyph_id()
            if gid is None:
                return None
            self.copies[wanted], self._of[gid] = gid, wanted
            if advance is not None:
                self._widths[gid] = pdf_width(advance, self._units_per_em)
            elif code in self._widths:
                self._widths[gid] = self._widths[code]
            if code in self._texts:
                self._texts[gid] = self._texts[code]
        return self.copies[wanted]

    def give_advance(self, code: int, advance: int) -> None:
        """Give a code whose glyph draws nothing (a part of a ligature's text, `tounicode`) an
        advance of its own, in the program's `hmtx` and in /W alike."""
        if self.draws(code):
            raise ValueError(f"glyph {code} draws something: copy it instead")
        self._blanks[code] = advance
        self._widths[code] = pdf_width(advance, self._units_per_em)
        self._fractions.pop(code, None)

    def write(self, pdf: pikepdf.Pdf) -> None:
        """Add every copy to the font program, with its width and text, in one save."""
        if not self.copies and not self._blanks:
            return
        descendant = self.font.DescendantFonts[0]
        descriptor = descendant.FontDescriptor
        stored = self._glyphs()
        composites: dict[int, Composite] = {}
        advances = dict(self._blanks)
        for wanted, gid in self.copies.items():
            advance = stored.advances[wanted.code] if wanted.advance is None else wanted.advance
            if wanted.code in self._outlined:
                composites[gid] = Composite(wanted.code, wanted.dx, wanted.dy, advance)
            else:  # an empty glyph with an advance of its own
                advances[gid] = advance
        program = with_glyphs(self._program, composites, advances)
        descriptor.FontFile2.write(program)
        descriptor.FontFile2.Length1 = len(program)
        descendant.W = width_array(self._widths)
        self.font.ToUnicode = pdf.make_stream(cmap_stream(self._texts))


def pdf_width(advance: int, units_per_em: int) -> int | float:
    """An advance in font units as a /W width, in thousandths of the font size."""
    width = Fraction(advance * 1000, units_per_em)
    return int(width) if width.denominator == 1 else round(float(width), 4)


@dataclass
class GlyphCopies:
    """The copied fonts of one PDF, by the font dictionary's object id."""

    registry: FontRegistry
    fonts: dict[tuple[int, int], CopiedFont] = field(default_factory=dict)

    def font(self, font: pikepdf.Dictionary) -> CopiedFont:
        if font.objgen not in self.fonts:
            self.fonts[font.objgen] = CopiedFont(font, self.registry)
        return self.fonts[font.objgen]

    def write(self, pdf: pikepdf.Pdf) -> None:
        for font in self.fonts.values():
            font.write(pdf)
