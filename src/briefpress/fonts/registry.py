"""The shipped fonts: registry, glyph coverage, and a drawing test of every font at load time."""

from __future__ import annotations

import hashlib
import io
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont, TTLibError

from ..errors import FontError, Problem
from ..project import PACKAGE_LABEL
from ..sandbox import Refused, Sandbox
from . import FONT_SUFFIXES


@dataclass(frozen=True)
class ShippedFont:
    """One font file from `fonts/`."""

    path: Path
    family: str
    style: str
    postscript_name: str
    codepoints: frozenset[int]


@dataclass(frozen=True)
class FontRegistry:
    """Every font a project ships; the only fonts a PDF may embed."""

    fonts: tuple[ShippedFont, ...]

    @property
    def postscript_names(self) -> frozenset[str]:
        return frozenset(font.postscript_name for font in self.fonts)

    @property
    def families(self) -> frozenset[str]:
        return frozenset(font.family for font in self.fonts)

    def covers(self, character: str) -> bool:
        return any(ord(character) in font.codepoints for font in self.fonts)


#: Drawn with every font when it is loaded: Arabic letters, Latin letters and both digit sets.
SAMPLE = ("ابتثجحخدذرزسشصضطظعغفقكلمنهوي ء آ أ ؤ إ ئ ة ى "
          "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 ٠١٢٣٤٥٦٧٨٩")


def drawing_problem(font: TTFont) -> str | None:
    """Why `font` cannot draw the sample: a glyph that fails or draws nothing, or None.

    A damaged `glyf` or `CFF` table still has a cmap, so only drawing shows that
    text would come out blank.
    """
    cmap = font.getBestCmap() or {}
    glyphs = font.getGlyphSet()
    drawn = 0
    for character in dict.fromkeys(SAMPLE.replace(" ", "")):
        name = cmap.get(ord(character))
        if name is None:
            continue
        pen = BoundsPen(glyphs)
        try:
            glyphs[name].draw(pen)
        except Exception as error:  # a damaged table fails in many ways
            return f"damaged font: the glyph for {_named(character)} cannot be drawn ({error})"
        if pen.bounds is None or pen.bounds[0] == pen.bounds[2] or pen.bounds[1] == pen.bounds[3]:
            return f"damaged font: the glyph for {_named(character)} draws nothing"
        drawn += 1
    return None if drawn else "the font draws none of the sample's Arabic, Latin or digit characters"


def _named(character: str) -> str:
    return f"'{character}' (U+{ord(character):04X} {unicodedata.name(character, 'unnamed')})"


def _read_font(path: Path, label: str) -> ShippedFont:
    try:
        data = Sandbox((path.parent,)).read(path, "font")
    except Refused as refused:
        raise FontError(Problem(label, refused.reason)) from None
    try:
        family, style, postscript, codepoints, broken = _font_facts(data)
    except (TTLibError, OSError, KeyError, AssertionError) as error:
        raise FontError(Problem(label, f"not a readable font ({error})")) from error
    if not (family and style and postscript and codepoints):
        raise FontError(Problem(label, "font lacks a family, style, PostScript name or cmap"))
    if broken:
        raise FontError(Problem(label, broken))
    return ShippedFont(path, family, style, postscript, codepoints)


_FontFacts = tuple[str | None, str | None, str | None, frozenset[int], str | None]
_FACTS: dict[bytes, _FontFacts] = {}
_FACTS_KEPT = 64  # font files whose facts are kept, by their bytes' digest


def _font_facts(data: bytes) -> _FontFacts:
    """A font file's family, style, PostScript name, characters and drawing problem; read once
    per process for the same bytes, wherever the file is (every project links the same fonts)."""
    key = hashlib.sha256(data).digest()
    if key not in _FACTS:
        with TTFont(io.BytesIO(data), lazy=True) as font:
            names = font["name"]
            codepoints = frozenset(font.getBestCmap() or {})
            facts = (names.getBestFamilyName(), names.getBestSubFamilyName(), names.getDebugName(6),
                     codepoints, drawing_problem(font) if codepoints else None)
        if len(_FACTS) >= _FACTS_KEPT:
            _FACTS.clear()
        _FACTS[key] = facts
    return _FACTS[key]


@cache
def load_registry(fonts_dir: Path, *fallbacks: Path) -> FontRegistry:
    """Read every font in `fonts_dir`, then each font of `fallbacks` (the package's `fonts/`)
    whose file name it does not have; no font folder, no font or a bad file is an error."""
    folders = (fonts_dir, *fallbacks)
    if not any(folder.is_dir() for folder in folders):
        raise FontError(Problem("fonts/", "font folder not found"))
    found: dict[str, tuple[Path, str]] = {}
    for index, folder in enumerate(folders):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in FONT_SUFFIXES:
                found.setdefault(path.name, (path, f"{PACKAGE_LABEL if index else ''}fonts/{path.name}"))
    if not found:
        raise FontError(Problem("fonts/", "no .ttf or .otf font in the font folder"))
    return FontRegistry(tuple(_read_font(*found[name]) for name in sorted(found)))
