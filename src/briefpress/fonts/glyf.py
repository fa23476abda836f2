"""Read a TrueType glyph table's glyphs as stored, without unpacking them.

fontTools unpacks a glyph's points when the glyph is looked up, and splits the whole table into
glyphs first. A subset that keeps glyph ids holds every id of the shipped font, thousands of
them, and most draw nothing; which ones do is in the first two bytes of each glyph's data, and
whether a subset's glyph is the shipped one is, most often, a comparison of bytes.
"""

from __future__ import annotations

import itertools
import struct
from functools import lru_cache

from fontTools.ttLib import TTFont

# Composite glyph flags (OpenType `glyf`): arguments are words, a scale, an x and y scale, a
# two-by-two transform, more components follow, instructions follow the last component.
_WORDS, _SCALE, _XY_SCALE, _TWO_BY_TWO, _MORE, _INSTRUCTIONS = 0x1, 0x8, 0x40, 0x80, 0x20, 0x100
_ARGS_ARE_OFFSETS = 0x2
# Simple glyph point flags: repeat, and the bits that say where a point is (on the curve, x and
# y short or the same as before), which are all that decide its coordinates.
_REPEAT, _POINT_FLAGS = 0x8, 0x37
_DEPTH = 8  # components nest a level or two; a cycle in a damaged font stops here


def contour_count(glyf: object, name: str) -> int:
    """Glyph `name`'s number of contours: -1 for a composite, 0 when it draws nothing."""
    glyph = glyf.glyphs[name]  # type: ignore[attr-defined]
    data = vars(glyph).get("data")
    if data is None:  # unpacked already, or empty
        return int(glyph.numberOfContours)
    return contours(data)


def contours(data: bytes) -> int:
    """The number of contours of a glyph stored as `data`: -1 for a composite, 0 when empty."""
    return struct.unpack(">h", data[:2])[0] if data else 0  # one byte is a damaged glyph: an error


def outlined_glyphs(font: TTFont) -> list[int]:
    """Ids of the glyphs that have contours or components; every id when the font has no `glyf`."""
    stored = StoredGlyphs.of(font)
    if stored is None:
        return list(range(len(font.getGlyphOrder())))
    return stored.outlined()


class Component:
    """One component of a composite glyph as stored: its flags, its glyph id, and the bytes of
    its placement (arguments, then scale or transform)."""

    __slots__ = ("flags", "gid", "placement")

    def __init__(self, flags: int, gid: int, placement: bytes) -> None:
        self.flags, self.gid, self.placement = flags, gid, placement

    def is_offset(self) -> bool:
        """Whether it is placed by an x, y offset alone, unscaled."""
        return bool(self.flags & _ARGS_ARE_OFFSETS) and not self.flags & (_SCALE | _XY_SCALE | _TWO_BY_TWO)


@lru_cache(maxsize=16_384)
def components(data: bytes) -> tuple[Component, ...]:
    """The components of a composite glyph stored as `data`; struct.error or IndexError when the
    data ends before its last component does. Read once per process for each stored form: every
    subset of a build holds the same bytes for most of its composites."""
    found, at = [], 10
    while True:
        flags, gid = struct.unpack(">HH", data[at:at + 4])
        size = (4 if flags & _WORDS else 2) + (2 if flags & _SCALE else 4 if flags & _XY_SCALE
                                               else 8 if flags & _TWO_BY_TWO else 0)
        placement = data[at + 4:at + 4 + size]
        if len(placement) != size:
            raise IndexError("composite glyph cut short")
        found.append(Component(flags, gid, placement))
        at += 4 + size
        if not flags & _MORE:
            return tuple(found)


def _outline_bytes(data: bytes) -> bytes:
    """What draws a simple glyph stored as `data`: its header and contour ends, one flag per
    point (repeats written out, only the bits that say how its coordinates are stored and
    whether it is on the curve), and its coordinates' bytes; not its instructions or padding.
    A subsetter that drops hinting rewrites the rest. IndexError when the data ends before its
    coordinates do."""
    count = contours(data)
    ends = 10 + 2 * count
    points = struct.unpack(">H", data[ends - 2:ends])[0] + 1 if count else 0
    at = ends + 2 + struct.unpack(">H", data[ends:ends + 2])[0]
    flags = bytearray()
    x_size = y_size = 0
    while len(flags) < points:
        flag = data[at]
        at += 1
        repeat = 1
        if flag & _REPEAT:
            repeat += data[at]
            at += 1
        flags += bytes((flag & _POINT_FLAGS,)) * repeat
        x_size += repeat * (1 if flag & 0x2 else 0 if flag & 0x10 else 2)
        y_size += repeat * (1 if flag & 0x4 else 0 if flag & 0x20 else 2)
    end = at + x_size + y_size
    if end > len(data) or len(flags) != points:
        raise IndexError("simple glyph cut short")
    return data[:ends] + bytes(flags) + data[at:end]


class StoredGlyphs:
    """A `glyf` table's glyphs as stored, by glyph id, and their advance widths."""

    def __init__(self, glyphs: list[bytes], advances: list[int]) -> None:
        self.glyphs, self.advances = glyphs, advances
        self._outlines: dict[int, bytes] = {}
        self._same: dict[tuple[int, int, int], bool] = {}
        self._parts: dict[int, tuple[Component, ...]] = {}

    @classmethod
    def of(cls, font: TTFont) -> StoredGlyphs | None:
        """The glyphs of `font`, or None when it has no `glyf` table."""
        if "glyf" not in font:
            return None
        data, locations = font.reader["glyf"], font["loca"].locations
        glyphs = [data[start:end] for start, end in itertools.pairwise(locations)]
        # Advances from the table itself: the glyph names fontTools would key them by are not needed.
        metrics, count = font.reader["hmtx"], font["hhea"].numberOfHMetrics
        advances = list(struct.unpack(f">{2 * count}H", metrics[:4 * count])[::2])  # advance, side bearing
        return cls(glyphs, advances + advances[-1:] * (len(glyphs) - count))

    def outlined(self) -> list[int]:
        """Ids of the glyphs that have contours or components."""
        return [gid for gid, data in enumerate(self.glyphs) if data and contours(data) != 0]

    def composites(self) -> list[int]:
        return [gid for gid, data in enumerate(self.glyphs) if data and contours(data) < 0]

    def parts(self, gid: int) -> tuple[Component, ...]:
        """A composite glyph's components (see `components`), read once."""
        if gid not in self._parts:
            self._parts[gid] = components(self.glyphs[gid])
        return self._parts[gid]

    def outline(self, gid: int) -> bytes:
        """A simple glyph's bytes as drawn (see `_outline_bytes`), read once."""
        if gid not in self._outlines:
            self._outlines[gid] = _outline_bytes(self.glyphs[gid])
        return self._outlines[gid]

    def comparable(self, gid: int, other: StoredGlyphs, other_gid: int) -> bool:
        """Whether glyph `gid` may draw what `other`'s glyph `other_gid` draws: the same advance
        and as many contours (a composite is never a simple glyph). What they draw is the same
        only if this holds, whatever else differs."""
        data, theirs = self.glyphs[gid], other.glyphs[other_gid]
        return self.advances[gid] == other.advances[other_gid] and bool(data) == bool(theirs) \
            and (not data or contours(data) == contours(theirs))

    def same(self, gid: int, other: StoredGlyphs, other_gid: int, depth: int = 0) -> bool:
        """Whether glyph `gid` is stored as `other`'s glyph `other_gid` is, but for hinting
        instructions, padding and the ids its components have: the same points, flags and
        placements, so the same outline. False for anything that cannot be read."""
        key = (id(other), gid, other_gid)
        if key not in self._same:
            self._same[key] = self._stored_alike(gid, other, other_gid, depth)
        return self._same[key]

    def _stored_alike(self, gid: int, other: StoredGlyphs, other_gid: int, depth: int) -> bool:
        if depth > _DEPTH or not (0 <= gid < len(self.glyphs) and 0 <= other_gid < len(other.glyphs)):
            return False
        data, theirs = self.glyphs[gid], other.glyphs[other_gid]
        if not data or not theirs:
            return False
        try:
            count = contours(data)
            if count != contours(theirs):
                return False
            if count >= 0:  # the same bytes draw the same; else the bytes that draw must be
                return data == theirs or self.outline(gid) == other.outline(other_gid)
            mine, their_parts = self.parts(gid), other.parts(other_gid)
        except (struct.error, IndexError):
            return False
        return len(mine) == len(their_parts) and all(
            (a.flags | _INSTRUCTIONS) == (b.flags | _INSTRUCTIONS) and a.placement == b.placement
            and self.same(a.gid, other, b.gid, depth + 1) for a, b in zip(mine, their_parts, strict=True))
