"""Read a TrueType glyph table's glyph headers without unpacking the glyphs.

fontTools unpacks a glyph's points when the glyph is looked up. A subset that keeps glyph ids
holds every id of the shipped font, thousands of them, and most draw nothing; which ones do is
in the first two bytes of each glyph's data.
"""

from __future__ import annotations

import struct

from fontTools.ttLib import TTFont


def contour_count(glyf: object, name: str) -> int:
    """Glyph `name`'s number of contours: -1 for a composite, 0 when it draws nothing."""
    glyph = glyf.glyphs[name]  # type: ignore[attr-defined]
    data = vars(glyph).get("data")
    if data is None:  # unpacked already, or empty
        return int(glyph.numberOfContours)
    return struct.unpack(">h", data[:2])[0] if data else 0  # one byte is a damaged glyph: an error


def outlined_glyphs(font: TTFont) -> list[int]:
    """Ids of the glyphs that have contours or components; every id when the font has no `glyf`."""
    order = font.getGlyphOrder()
    if "glyf" not in font:
        return list(range(len(order)))
    glyf = font["glyf"]
    return [gid for gid, name in enumerate(order) if contour_count(glyf, name) != 0]
