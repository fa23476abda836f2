"""The glyph a ZWNJ is drawn with: `.null`, which draws nothing and does not move the pen.

HarfBuzz hides a ZWNJ once it has kept two letters apart, and WeasyPrint draws a hidden
character as no glyph, so nothing on the page holds it (`layout.joiners`). Drawn with a
glyph whose text is the ZWNJ, a reader copies and finds the word as it is spelt. The shipped
fonts' own ZWNJ glyphs cannot be that glyph: Amiri's shows a mark (for editors that show
invisible characters), and IBM Plex Sans Arabic has none. Both have a blank `.null` of no
advance, which no character's shaping draws; a font without one keeps the ZWNJ hidden.
"""

from __future__ import annotations

from fontTools.ttLib import TTFont

ZWNJ = "\u200c"
STAND_IN = ".null"


def stand_in(font: TTFont) -> int | None:
    """The id of `font`'s blank, advance-less `.null`, or None when it has none."""
    if STAND_IN not in font.getGlyphOrder():
        return None
    blank = font["glyf"][STAND_IN].numberOfContours == 0 if "glyf" in font else False
    return font.getGlyphID(STAND_IN) if blank and font["hmtx"][STAND_IN][0] == 0 else None
