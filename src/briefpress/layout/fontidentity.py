"""Tell which shipped font an embedded font program is, by its glyph outlines, not its name."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from .fonts import FontRegistry, ShippedFont

Signature = tuple[int, tuple]


def _signature(font: TTFont, glyphs: object, gid: int) -> Signature | None:
    """The advance width and decomposed outline of glyph `gid`, or None when it draws nothing."""
    name = font.getGlyphOrder()[gid]
    pen = DecomposingRecordingPen(glyphs)
    glyphs[name].draw(pen)  # type: ignore[index]
    if not pen.value:
        return None
    return font["hmtx"][name][0], tuple(pen.value)


@cache
def _source(path: Path) -> tuple[TTFont, object]:
    font = TTFont(io.BytesIO(path.read_bytes()), lazy=True)
    return font, font.getGlyphSet()


@cache
def _source_signature(path: Path, gid: int) -> Signature | None:
    font, glyphs = _source(path)
    return _signature(font, glyphs, gid)


def _components(font: TTFont) -> set[int]:
    """Glyph ids used as components of composite glyphs."""
    if "glyf" not in font:
        return set()
    glyf, order = font["glyf"], font.getGlyphOrder()
    ids = {name: gid for gid, name in enumerate(order)}
    return {ids[component.glyphName] for name in order if glyf[name].isComposite()
            for component in glyf[name].components}


def identify(program: bytes, registry: FontRegistry) -> ShippedFont | None:
    """The shipped font whose glyphs `program` (a subset keeping glyph ids) draws, or None.

    Every glyph the subset draws must have the same outline and advance as the glyph
    with the same id in the shipped file. The subsetter may renumber a glyph used only
    as a component of others; it is then checked through the composites, which are
    compared decomposed. A program that draws no glyph is not identified.
    """
    try:
        subset = TTFont(io.BytesIO(program), lazy=True)
        glyphs = subset.getGlyphSet()
        count = len(subset.getGlyphOrder())
        drawn = {gid: signature for gid in range(count)
                 if (signature := _signature(subset, glyphs, gid)) is not None}
        components = _components(subset)
    except Exception:  # a damaged or unknown program is simply not one of ours
        return None
    for font in registry.fonts:
        source, _ = _source(font.path)
        if count > len(source.getGlyphOrder()):
            continue
        matched = {gid for gid, signature in drawn.items()
                   if _source_signature(font.path, gid) == signature}
        if matched and set(drawn) - matched <= components:
            return font
    return None
