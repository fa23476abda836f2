"""Tell which shipped font an embedded font program is, by its glyph outlines, not its name."""

from __future__ import annotations

import hashlib
import io
from functools import cache
from pathlib import Path

from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from ..sandbox import Sandbox
from .glyf import contour_count, outlined_glyphs
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
def _source(path: Path) -> tuple[TTFont, object, dict[str, tuple | None]]:
    font = TTFont(io.BytesIO(Sandbox((path.parent,)).read(path, "font")), lazy=True)
    return font, font.getGlyphSet(), {}


@cache
def _source_signature(path: Path, gid: int) -> Signature | None:
    font, glyphs, memo = _source(path)
    return _signature(font, glyphs, gid, memo)


def _composites(font: TTFont) -> list[str]:
    """The names of the composite glyphs, found from their headers."""
    if "glyf" not in font:
        return []
    glyf = font["glyf"]
    return [name for name in font.getGlyphOrder() if contour_count(glyf, name) < 0]


def _components(font: TTFont, composites: list[str]) -> set[int]:
    """Glyph ids used as components of the composite glyphs `composites`."""
    if not composites:
        return set()
    glyf, order = font["glyf"], font.getGlyphOrder()
    ids = {name: gid for gid, name in enumerate(order)}
    return {ids[component.glyphName] for name in composites for component in glyf[name].components}


def _moved_copies(font: TTFont, composites: list[str]) -> dict[int, int]:
    """Glyphs that are another glyph of the same program moved, and that glyph: a composite of
    one component, placed at an offset and not scaled, with the component's advance (what
    `output.rises` adds to draw a raised mark on the baseline)."""
    if not composites:
        return {}
    glyf, hmtx, order = font["glyf"], font["hmtx"], font.getGlyphOrder()
    ids = {name: gid for gid, name in enumerate(order)}
    moved = {}
    for name in composites:
        glyph = glyf[name]
        if len(glyph.components) == 1:
            component = glyph.components[0]
            if hasattr(component, "x") and not hasattr(component, "transform") \
                    and hmtx[name][0] == hmtx[component.glyphName][0]:
                moved[ids[name]] = ids[component.glyphName]
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


def forget_fonts() -> None:
    """Drop what was read from shipped font files, for a process that outlives an edit to fonts/."""
    _IDENTIFIED.clear()
    _SIMPLE_OUTLINES.clear()
    _source.cache_clear()
    _source_signature.cache_clear()


def match(program: bytes, registry: FontRegistry) -> ShippedFont | None:
    """The shipped font whose glyphs `program` (a subset keeping glyph ids) draws, or None.

    Every glyph the subset draws must have the same outline and advance as the glyph
    with the same id in the shipped file. The subsetter may renumber a glyph used only
    as a component of others; it is then checked through the composites, which are
    compared by their components' outlines. A glyph that is another glyph of the program,
    itself matched, moved and nothing else (a raised mark drawn on the baseline, see
    `output.rises`) is that glyph. A program that draws no glyph is not identified.
    """
    try:
        subset = TTFont(io.BytesIO(program), lazy=True)
        glyphs = subset.getGlyphSet()
        count = len(subset.getGlyphOrder())
        memo: dict[str, tuple | None] = {}
        drawn = {gid: signature for gid in outlined_glyphs(subset)
                 if (signature := _signature(subset, glyphs, gid, memo)) is not None}
        composites = _composites(subset)
        components = _components(subset, composites)
        moved = _moved_copies(subset, composites)
    except Exception:  # a damaged or unknown program is simply not one of ours
        return None
    for font in registry.fonts:
        if count > len(_source(font.path)[0].getGlyphOrder()):
            continue
        try:
            matched = _matched(font.path, drawn, components | set(moved))
        except Exception:  # a glyph of the shipped file that cannot be read matches nothing
            continue
        if matched is None:
            continue
        matched |= {gid for gid, original in moved.items() if original in matched}
        if matched and set(drawn) - matched <= components:
            return font
    return None


def _matched(path: Path, drawn: dict[int, Signature], excused: set[int]) -> set[int] | None:
    """The drawn glyphs that are the shipped file's glyphs of the same ids; None as soon as one
    that no other rule can excuse (a component, a moved copy) is not."""
    matched = set()
    for gid, signature in drawn.items():
        if _source_signature(path, gid) == signature:
            matched.add(gid)
        elif gid not in excused:
            return None
    return matched
