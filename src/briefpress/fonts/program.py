"""Add glyphs to a TrueType program by rewriting the few tables they touch, as stored.

fontTools saves a font by compiling every table it has read, and a subset that keeps glyph ids
holds thousands of glyphs, most of them empty: compiling `glyf` and `hmtx` walks each one. A
copy (`output.glyphcopies`) only fills empty glyph ids and sets advances, so here `glyf` and
`loca` are spliced, `hmtx`, `hhea`, `maxp` and `head` patched, and every other table and
glyph is written back byte for byte. The result is what fontTools' own save of the same
glyphs says, table for table (`tests/test_font_program.py` compares the two).
"""

from __future__ import annotations

import io
import itertools
import struct
import sys
from array import array
from collections.abc import Mapping
from dataclasses import dataclass

from fontTools.ttLib.sfnt import SFNTReader, SFNTWriter

from .glyf import components, contours

_ARGS_ARE_OFFSETS, _WORDS = 0x2, 0x1  # composite component flags (OpenType `glyf`)
_SHORT_LOCA_LIMIT = 0x1FFFE  # the last offset a short `loca` (offsets halved, 16 bits) can hold
_DEPTH = 8  # components nest a level or two; a cycle in a damaged font stops here


@dataclass(frozen=True)
class Composite:
    """A glyph of one component, glyph `component` placed at (dx, dy) font units, unscaled."""

    component: int
    dx: int
    dy: int
    advance: int


def with_glyphs(program: bytes, composites: Mapping[int, Composite], advances: Mapping[int, int]) -> bytes:
    """`program` with each composite in its empty glyph id, and each glyph of `advances` given
    that advance (left side bearing as it was); ValueError for a glyph id that is not empty."""
    reader = SFNTReader(io.BytesIO(program))
    tags = reader.keys()
    tables = {tag: reader[tag] for tag in tags}
    head, maxp, hhea = (bytearray(tables[tag]) for tag in ("head", "maxp", "hhea"))
    glyphs = _split_glyf(tables["glyf"], tables["loca"], long=_long_loca(head))
    widths, bearings = _metrics(tables["hmtx"], struct.unpack(">H", hhea[34:36])[0], len(glyphs))
    for gid, advance in advances.items():
        widths[gid] = advance
    for gid, glyph in sorted(composites.items()):
        if glyphs[gid]:
            raise ValueError(f"glyph {gid} is not empty: a copy needs an unused glyph id")
        data, bounds = _composite(glyphs, glyph)
        glyphs[gid], widths[gid], bearings[gid] = data, glyph.advance, bounds[0]
        _widen(head, maxp, bounds, _maxp_values(glyphs, glyph.component))
    tables["glyf"], tables["loca"] = _join_glyf(glyphs, head)
    tables["hmtx"], metrics_count = _join_metrics(widths, bearings)
    hhea[34:36] = struct.pack(">H", metrics_count)
    tables.update(head=bytes(head), maxp=bytes(maxp), hhea=bytes(hhea))
    out = io.BytesIO()
    writer = SFNTWriter(out, len(tables), reader.sfntVersion)
    for tag in sorted(tables):
        writer[tag] = tables[tag]
    writer.close()
    return out.getvalue()


def _long_loca(head: bytes) -> bool:
    return struct.unpack(">h", head[50:52])[0] == 1


def _split_glyf(glyf: bytes, loca: bytes, long: bool) -> list[bytes]:
    offsets = array("I" if long else "H")
    offsets.frombytes(loca)
    if sys.byteorder == "little":
        offsets.byteswap()
    scale = 1 if long else 2
    return [glyf[start * scale:end * scale] for start, end in itertools.pairwise(offsets)]


def _join_glyf(glyphs: list[bytes], head: bytearray) -> tuple[bytes, bytes]:
    """The `glyf` and `loca` of `glyphs`; `loca` is made long when a short one cannot hold it."""
    ends = list(itertools.accumulate((len(data) for data in glyphs), initial=0))
    long = _long_loca(head) or ends[-1] > _SHORT_LOCA_LIMIT or any(end % 2 for end in ends)
    head[50:52] = struct.pack(">h", 1 if long else 0)
    offsets = array("I" if long else "H", ends if long else (end // 2 for end in ends))
    if sys.byteorder == "little":
        offsets.byteswap()
    return b"".join(glyphs), offsets.tobytes()


def _metrics(hmtx: bytes, count: int, glyphs: int) -> tuple[list[int], list[int]]:
    """Every glyph's advance and left side bearing (the last advance repeats past `count`)."""
    pairs = struct.unpack(f">{2 * count}h", hmtx[:4 * count])
    widths = [width & 0xFFFF for width in pairs[::2]]
    bearings = list(pairs[1::2]) + list(struct.unpack(f">{glyphs - count}h",
                                                      hmtx[4 * count:4 * count + 2 * (glyphs - count)]))
    return widths + widths[-1:] * (glyphs - count), bearings


def _join_metrics(widths: list[int], bearings: list[int]) -> tuple[bytes, int]:
    """`hmtx` with its trailing run of equal advances written once, as fontTools writes it, and
    the number of advances it holds."""
    count = len(widths)
    while count > 1 and widths[count - 2] == widths[-1]:
        count -= 1
    pairs = [value for pair in zip(widths[:count], bearings[:count], strict=True) for value in pair]
    return (struct.pack(">" + "Hh" * count, *pairs)
            + struct.pack(f">{len(bearings) - count}h", *bearings[count:])), count


def _composite(glyphs: list[bytes], glyph: Composite) -> tuple[bytes, tuple[int, int, int, int]]:
    """A composite glyph's bytes, padded to four, and its bounds: its component's, moved."""
    part = glyphs[glyph.component]
    if not part or contours(part) == 0:
        raise ValueError(f"glyph {glyph.component} draws nothing: it cannot be a component")
    x_min, y_min, x_max, y_max = struct.unpack(">4h", part[2:10])
    bounds = (x_min + glyph.dx, y_min + glyph.dy, x_max + glyph.dx, y_max + glyph.dy)
    small = -128 <= glyph.dx <= 127 and -128 <= glyph.dy <= 127
    flags = _ARGS_ARE_OFFSETS | (0 if small else _WORDS)
    placement = struct.pack(">bb" if small else ">hh", glyph.dx, glyph.dy)
    data = struct.pack(">h4hHH", -1, *bounds, flags, glyph.component) + placement
    return data + bytes(-len(data) % 4), bounds


def _maxp_values(glyphs: list[bytes], gid: int, depth: int = 0) -> tuple[int, int, int]:
    """(points, contours, component depth) of glyph `gid`, as `maxp` counts a composite's."""
    data = glyphs[gid]
    count = contours(data)
    if count >= 0:
        points = struct.unpack(">H", data[8 + 2 * count:10 + 2 * count])[0] + 1 if count else 0
        return points, count, 0
    if depth > _DEPTH:
        raise ValueError(f"glyph {gid}: components nested more than {_DEPTH} deep")
    parts = [_maxp_values(glyphs, part.gid, depth + 1) for part in components(data)]
    return sum(p[0] for p in parts), sum(p[1] for p in parts), 1 + max(p[2] for p in parts)


def _widen(head: bytearray, maxp: bytearray, bounds: tuple[int, int, int, int],
           component: tuple[int, int, int]) -> None:
    """Widen what `head` and `maxp` say of all glyphs to a new composite of one component."""
    x_min, y_min, x_max, y_max = struct.unpack(">4h", head[36:44])
    head[36:44] = struct.pack(">4h", min(x_min, bounds[0]), min(y_min, bounds[1]),
                              max(x_max, bounds[2]), max(y_max, bounds[3]))
    if struct.unpack(">I", maxp[:4])[0] < 0x10000:  # version 0.5: glyph count alone
        return
    points, contours_, depth = component
    for offset, value in ((10, points), (12, contours_), (28, 1), (30, depth + 1)):
        was = struct.unpack(">H", maxp[offset:offset + 2])[0]
        maxp[offset:offset + 2] = struct.pack(">H", max(was, value))
