"""Tell which shipped font an embedded font program is, by its glyph outlines, not its name."""

from __future__ import annotations

import hashlib
import io
from functools import cache
from pathlib import Path

from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from ..sandbox import Sandbox
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
        glyph = glyf[name]
        if glyph.isComposite():
            outline = tuple((_outline(font, glyphs, component.glyphName, memo),
                             getattr(component, "x", None), getattr(component, "y", None),
                             getattr(component, "firstPt", None), getattr(component, "secondPt", None),
                             str(getattr(component, "transform", None)))
                            for component in glyph.components)
        elif glyph.numberOfContours > 0:
            coordinates, ends, flags = glyph.getCoordinates(glyf)
            outline = (coordinates.array.tobytes(), tuple(ends), bytes(flag & 1 for flag in flags))
        else:
            outline = None
    else:
        pen = DecomposingRecordingPen(glyphs)
        glyphs[name].draw(pen)  # type: ignore[index]
        outline = tuple(pen.value) or None
    memo[name] = outline
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


def _outlined(font: TTFont) -> list[int]:
    """Glyph ids that may have an outline: with `glyf`, those with contours or components.

    A subset keeps every glyph id of the shipped font, most of them empty; an empty glyph is
    known as such without unpacking it (fontTools gives it no data and no contours)."""
    order = font.getGlyphOrder()
    if "glyf" not in font:
        return list(range(len(order)))
    glyf = font["glyf"]
    raw = glyf.glyphs
    return [gid for gid, name in enumerate(order)
            if not _known_empty(raw[name]) and glyf[name].numberOfContours != 0]


def _known_empty(glyph: object) -> bool:
    """A glyph fontTools read as empty: no data left to unpack and no contours."""
    state = vars(glyph)
    return "data" not in state and state.get("numberOfContours") == 0


def _components(font: TTFont) -> set[int]:
    """Glyph ids used as components of composite glyphs."""
    if "glyf" not in font:
        return set()
    glyf, order = font["glyf"], font.getGlyphOrder()
    ids = {name: gid for gid, name in enumerate(order)}
    return {ids[component.glyphName] for name in order if glyf[name].isComposite()
            for component in glyf[name].components}


def _moved_copies(font: TTFont) -> dict[int, int]:
    """Glyphs that are another glyph of the same program moved, and that glyph: a composite of
    one component, placed at an offset and not scaled, with the component's advance (what
    `output.rises` adds to draw a raised mark on the baseline)."""
    if "glyf" not in font:
        return {}
    glyf, hmtx, order = font["glyf"], font["hmtx"], font.getGlyphOrder()
    ids = {name: gid for gid, name in enumerate(order)}
    moved = {}
    for gid, name in enumerate(order):
        glyph = glyf[name]
        if glyph.isComposite() and len(glyph.components) == 1:
            component = glyph.components[0]
            if hasattr(component, "x") and not hasattr(component, "transform") \
                    and hmtx[name][0] == hmtx[component.glyphName][0]:
                moved[gid] = ids[component.glyphName]
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
        drawn = {gid: signature for gid in _outlined(subset)
                 if (signature := _signature(subset, glyphs, gid, memo)) is not None}
        components = _components(subset)
        moved = _moved_copies(subset)
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
