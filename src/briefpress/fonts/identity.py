"""Tell which shipped font an embedded font program is, by its glyph outlines, not its name."""

from __future__ import annotations

import hashlib
import io
from functools import cache
from pathlib import Path

from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from ..sandbox import Sandbox
from .glyf import StoredGlyphs, components, contour_count
from .registry import FontRegistry, ShippedFont

Signature = tuple[int, tuple]


def _outline(font: TTFont, glyphs: object, name: str, memo: dict[str, tuple | None]) -> tuple | None:
    """What glyph `name` draws, or None when it draws nothing.

    A simple TrueType glyph is its points, contour ends and on-curve flags; a composite
    is the outlines of its components with their placement, so a component the
    subsetter renumbered compares equal to the original.
    """
    if name in memo:
        return memo[name]
    outline: tuple | None
    if "glyf" in font:
        glyf = font["glyf"]
        contours = contour_count(glyf, name)
        if contours < 0:
            outline = tuple((_outline(font, glyphs, component.glyphName, memo),
                             getattr(component, "x", None), getattr(component, "y", None),
                             getattr(component, "firstPt", None), getattr(component, "secondPt", None),
                             str(getattr(component, "transform", None)))
                            for component in glyf[name].components)
        elif contours > 0:
            outline = _simple_outline(glyf, name)
        else:
            outline = None
    else:
        pen = DecomposingRecordingPen(glyphs)
        glyphs[name].draw(pen)  # type: ignore[index]
        outline = tuple(pen.value) or None
    memo[name] = outline
    return outline


_SIMPLE_OUTLINES: dict[bytes, tuple] = {}
_SIMPLE_KEPT = 100_000  # packed glyphs whose outline is kept; a build's subsets share most glyphs


def _simple_outline(glyf: object, name: str) -> tuple:
    """A simple glyph's outline, unpacked once per process for each packed form: every subset of
    a build, and often the shipped file, holds the same bytes for the same glyph."""
    packed = vars(glyf.glyphs[name]).get("data")  # type: ignore[attr-defined]
    if packed is not None and packed in _SIMPLE_OUTLINES:
        return _SIMPLE_OUTLINES[packed]
    coordinates, ends, flags = glyf[name].getCoordinates(glyf)  # type: ignore[index]
    outline = (coordinates.array.tobytes(), tuple(ends), bytes(flag & 1 for flag in flags))
    if packed is not None:
        if len(_SIMPLE_OUTLINES) >= _SIMPLE_KEPT:
            _SIMPLE_OUTLINES.clear()
        _SIMPLE_OUTLINES[packed] = outline
    return outline


def _signature(font: TTFont, glyphs: object, gid: int, memo: dict[str, tuple | None]) -> Signature | None:
    """The advance width and outline of glyph `gid`, or None when it draws nothing."""
    name = font.getGlyphOrder()[gid]
    outline = _outline(font, glyphs, name, memo)
    return None if outline is None else (font["hmtx"][name][0], outline)


@cache
def _source(path: Path) -> tuple[TTFont, dict[str, tuple | None]]:
    font = TTFont(io.BytesIO(Sandbox((path.parent,)).read(path, "font")), lazy=True)
    return font, {}


@cache
def _source_glyphs(path: Path) -> object:
    """The shipped font's glyph set, made when a glyph must be unpacked (a font without `glyf`)."""
    return _source(path)[0].getGlyphSet()


@cache
def _source_signature(path: Path, gid: int) -> Signature | None:
    font, memo = _source(path)
    return _signature(font, _source_glyphs(path), gid, memo)


@cache
def _glyph_count(path: Path) -> int:
    """How many glyphs the shipped font has (its `maxp`: no glyph names are read)."""
    return int(_source(path)[0]["maxp"].numGlyphs)


@cache
def _source_stored(path: Path) -> StoredGlyphs | None:
    return StoredGlyphs.of(_source(path)[0])


def _moved_copies(stored: StoredGlyphs, composites: list[int]) -> dict[int, int]:
    """Glyphs that are another glyph of the same program moved, and that glyph: a composite of
    one component, placed at an offset and not scaled, with an advance of its own (what
    `output.glyphcopies` adds: a raised mark drawn on the baseline, a mark given a box). An
    advance moves the glyphs after it, and draws nothing."""
    moved = {}
    for gid in composites:
        parts = components(stored.glyphs[gid])
        if len(parts) == 1 and parts[0].is_offset() and parts[0].gid < len(stored.advances):
            moved[gid] = parts[0].gid
    return moved


_IDENTIFIED: dict[tuple[bytes, FontRegistry], ShippedFont | None] = {}
_REMEMBERED = 256  # programs whose answer is kept; a build meets each a few times


def identify(program: bytes, registry: FontRegistry) -> ShippedFont | None:
    """The shipped font whose glyphs `program` draws, or None (`match`), remembered for the
    process: finishing and the font check ask about the same programs."""
    key = (hashlib.sha256(program).digest(), registry)
    if key not in _IDENTIFIED:
        if len(_IDENTIFIED) >= _REMEMBERED:
            _IDENTIFIED.clear()
        _IDENTIFIED[key] = match(program, registry)
    return _IDENTIFIED[key]


def read_shipped(path: Path) -> None:
    """Read what `match` compares a program with in the shipped font at `path`, for a worker to
    do before its first job."""
    _glyph_count(path)
    _source_stored(path)


def forget_fonts() -> None:
    """Drop what was read from shipped font files, for a process that outlives an edit to fonts/."""
    _IDENTIFIED.clear()
    _SIMPLE_OUTLINES.clear()
    _source.cache_clear()
    _source_glyphs.cache_clear()
    _glyph_count.cache_clear()
    _source_signature.cache_clear()
    _source_stored.cache_clear()


def match(program: bytes, registry: FontRegistry) -> ShippedFont | None:
    """The shipped font whose glyphs `program` (a subset keeping glyph ids) draws, or None.

    Every glyph the subset draws must have the same outline and advance as the glyph
    with the same id in the shipped file: stored alike (but for hinting and padding), or
    else unpacked alike. The subsetter may renumber a glyph used only as a component of
    others; it is then checked through the composites, which are compared by their
    components' outlines. A glyph that is another glyph of the program, itself matched,
    moved, with an advance of its own (see `output.glyphcopies`), is that glyph. A program
    that draws no glyph is not identified.
    """
    try:
        subset = TTFont(io.BytesIO(program), lazy=True)
        stored = StoredGlyphs.of(subset)
        count = len(stored.glyphs) if stored is not None else len(subset.getGlyphOrder())
        if stored is None:
            drawn, components_of, moved = list(range(count)), set(), {}
        else:
            drawn = stored.outlined()
            composites = stored.composites()
            components_of = {part.gid for gid in composites for part in components(stored.glyphs[gid])}
            moved = _moved_copies(stored, composites)
    except Exception:  # a damaged or unknown program is simply not one of ours
        return None
    unpacked = _Unpacked(subset)
    for font in registry.fonts:
        if count > _glyph_count(font.path):
            continue
        try:
            matched = _matched(font.path, drawn, stored, unpacked, components_of | set(moved))
        except Exception:  # a glyph that cannot be read matches nothing
            continue
        if matched is None:
            continue
        while added := {gid for gid, original in moved.items() if original in matched} - matched:
            matched |= added  # a copy of a copy is matched once the copy it moves is
        if matched and set(drawn) - matched <= components_of:
            return font
    return None


class _Unpacked:
    """A subset's glyph signatures, unpacked when first asked for."""

    def __init__(self, font: TTFont) -> None:
        self._font, self._glyphs = font, None
        self._memo: dict[str, tuple | None] = {}
        self._signatures: dict[int, Signature | None] = {}

    def signature(self, gid: int) -> Signature | None:
        if gid not in self._signatures:
            if self._glyphs is None:
                self._glyphs = self._font.getGlyphSet()
            self._signatures[gid] = _signature(self._font, self._glyphs, gid, self._memo)
        return self._signatures[gid]


def _matched(path: Path, drawn: list[int], stored: StoredGlyphs | None, unpacked: _Unpacked,
             excused: set[int]) -> set[int] | None:
    """The drawn glyphs that are the shipped file's glyphs of the same ids; None as soon as one
    that no other rule can excuse (a component, a moved copy) is not."""
    source = _source_stored(path) if stored is not None else None
    matched = set()
    for gid in drawn:
        comparable = source is None or stored is None or stored.comparable(gid, source, gid)
        if comparable and source is not None and stored is not None and stored.same(gid, source, gid):
            matched.add(gid)
        elif gid in excused:
            continue  # a component, checked through its composites; a moved copy, through its glyph
        elif comparable and (signature := unpacked.signature(gid)) is not None \
                and _source_signature(path, gid) == signature:
            matched.add(gid)
        else:
            return None
    return matched
