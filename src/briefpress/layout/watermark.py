"""Draw a watermark word as SVG outlines: behind the text on every page, never in the text layer.

WeasyPrint draws SVG text glyph by glyph with no shaping, so the word is shaped
here (arabic-reshaper), put in visual order (python-bidi) and turned into glyph
outlines from a shipped font: the page shows the word, and no reader copies it.
"""

from __future__ import annotations

import math
from pathlib import Path
from urllib.parse import quote

import arabic_reshaper
from bidi.algorithm import get_display
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.ttLib import TTFont

from ..errors import FontError, Problem
from ..fonts.registry import FontRegistry

ANGLE = -35  # degrees, rising from the start of the line
OPACITY = 0.08


def watermark_font(registry: FontRegistry, text: str) -> Path:
    """The first shipped Bold face that has a glyph for every shaped character of `text`."""
    shaped = get_display(arabic_reshaper.reshape(text))
    for font in registry.fonts:
        if font.style == "Bold" and all(ord(c) in font.codepoints or c.isspace() for c in shaped):
            return font.path
    raise FontError(Problem("fonts/", f"no shipped Bold face draws the watermark {text!r}"))


def watermark_svg(text: str, font_path: Path, colour: str = "#000000") -> str:
    """An SVG of `text` as filled outlines, rotated, at low opacity."""
    shaped = get_display(arabic_reshaper.reshape(text))
    with TTFont(font_path) as font:
        cmap = font.getBestCmap()
        glyphs = font.getGlyphSet()
        metrics = font["hmtx"]
        em = font["head"].unitsPerEm
        paths, x = [], 0
        for character in shaped:
            name = cmap.get(ord(character))
            if name is None:
                x += em // 3
                continue
            pen = SVGPathPen(glyphs)
            glyphs[name].draw(pen)
            if pen.getCommands():
                paths.append(f'<path transform="translate({x} 0)" d="{pen.getCommands()}"/>')
            x += metrics[name][0]
    width, height = x, em
    turn = math.radians(ANGLE)
    box_width = width * abs(math.cos(turn)) + height * abs(math.sin(turn))
    box_height = width * abs(math.sin(turn)) + height * abs(math.cos(turn))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-box_width / 2:.0f} {-box_height / 2:.0f} '
        f'{box_width:.0f} {box_height:.0f}" width="{box_width:.0f}" height="{box_height:.0f}">'
        f'<g fill="{colour}" fill-opacity="{OPACITY}" transform="rotate({ANGLE}) '
        f'scale(1 -1) translate({-width / 2:.0f} {-height * 0.3:.0f})">{"".join(paths)}</g></svg>'
    )


def watermark_url(text: str, registry: FontRegistry) -> str:
    """A `data:` URL of the watermark's SVG, for a page background."""
    svg = watermark_svg(text, watermark_font(registry, text))
    return "data:image/svg+xml;charset=utf-8," + quote(svg, safe="")
