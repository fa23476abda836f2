"""An embedded font is a shipped one when every glyph it draws is: told from the glyphs' stored
bytes where the subsetter kept them (but for hinting, padding and how it writes repeated
flags), from their unpacked outlines where it did not; one unit moved in one glyph is another
font either way."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from briefpress.fonts import identity
from briefpress.fonts.glyf import StoredGlyphs
from briefpress.fonts.registry import load_registry

from conftest import ROOT

REGISTRY = load_registry(ROOT / "fonts")


def _stored(source: Path | bytes) -> StoredGlyphs:
    """A font file's or program's glyphs as stored."""
    with TTFont(io.BytesIO(source) if isinstance(source, bytes) else source, lazy=True) as font:
        stored = StoredGlyphs.of(font)
    assert stored is not None
    return stored


def _programs(pdf: Path) -> list[bytes]:
    """Every embedded TrueType program of a PDF."""
    with pikepdf.open(pdf) as document:
        return sorted({bytes(font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes())
                       for page in document.pages
                       for font in page.Resources.get("/Font", {}).values()
                       if "/DescendantFonts" in font})


def _layout(data: bytes) -> tuple[int, int, int, list[int], bool]:
    """A simple glyph read here without the package's code: where its flags start and end,
    where its coordinates end, its flags one per point, and whether it writes a flag repeated."""
    count = struct.unpack(">h", data[:2])[0]
    ends = 10 + 2 * count
    points = struct.unpack(">H", data[ends - 2:ends])[0] + 1
    start = at = ends + 2 + struct.unpack(">H", data[ends:ends + 2])[0]
    flags: list[int] = []
    repeated = False
    while len(flags) < points:
        flag, at = data[at], at + 1
        repeat = 1
        if flag & 0x8:
            repeat, at, repeated = 1 + data[at], at + 1, True
        flags += [flag & ~0x8] * repeat
    size = sum((1 if flag & 0x2 else 0 if flag & 0x10 else 2) + (1 if flag & 0x4 else 0 if flag & 0x20 else 2)
               for flag in flags)
    return start, at, at + size, flags, repeated


def _rewritten(data: bytes) -> bytes:
    """A simple glyph as a subsetter that drops hinting may write it: no instructions, a flag
    byte for every point, padding after it."""
    count = struct.unpack(">h", data[:2])[0]
    _, flags_end, end, flags, _ = _layout(data)
    return data[:10 + 2 * count] + b"\0\0" + bytes(flags) + data[flags_end:end] + b"\0\0\0"


def _shipped_glyph(path: Path) -> tuple[StoredGlyphs, int]:
    """A shipped font's glyphs, and a simple glyph of it with repeated flags, and instructions
    when the font has them (IBM Plex is hinted, Amiri is not)."""
    stored = _stored(path)
    found: list[tuple[bool, int]] = []
    for gid, data in enumerate(stored.glyphs):
        if data and struct.unpack(">h", data[:2])[0] > 0:
            start, _, _, _, repeated = _layout(data)
            if repeated:
                found.append((start > 12 + 2 * struct.unpack(">h", data[:2])[0], gid))
    assert found, f"{path.name}: no glyph with repeated flags"
    return stored, max(found)[1]


@pytest.mark.parametrize("font", ["IBMPlexSansArabic-Regular.ttf", "Amiri-Regular.ttf"])
def test_a_glyph_written_without_hinting_or_repeats_is_the_same_and_one_unit_moved_is_not(font: str) -> None:
    shipped, gid = _shipped_glyph(ROOT / "fonts" / font)
    rewritten = _rewritten(shipped.glyphs[gid])
    assert rewritten != shipped.glyphs[gid]
    glyphs = list(shipped.glyphs)
    glyphs[gid] = rewritten
    assert StoredGlyphs(glyphs, shipped.advances).same(gid, shipped, gid)

    _, _, end, _, _ = _layout(rewritten)
    moved = bytearray(rewritten)
    moved[end - 1] ^= 0x01  # the last coordinate, one unit off
    glyphs[gid] = bytes(moved)
    assert not StoredGlyphs(glyphs, shipped.advances).same(gid, shipped, gid)
    glyphs[gid] = rewritten[:end - 1]  # cut short: unreadable, so not the same, and no error
    assert not StoredGlyphs(glyphs, shipped.advances).same(gid, shipped, gid)
    advances = list(shipped.advances)
    advances[gid] += 1
    glyphs[gid] = rewritten
    assert not StoredGlyphs(glyphs, advances).comparable(gid, shipped, gid)


def test_every_subset_of_the_brief_is_told_by_its_stored_glyphs(brief_pdf: Path) -> None:
    """Each embedded program of the first publication's brief is its shipped font, and most of
    its glyphs are told by their bytes alone: the subsetter keeps them."""
    for program in _programs(brief_pdf):
        font = identity.match(program, REGISTRY)
        assert font is not None
        subset, shipped = _stored(program), _stored(font.path)
        drawn = subset.outlined()
        alike = [gid for gid in drawn if subset.same(gid, shipped, gid)]
        assert len(alike) >= len(drawn) / 2, (font.path.name, len(alike), len(drawn))


def test_one_unit_moved_in_one_glyph_of_a_subset_is_another_font(brief_pdf: Path) -> None:
    """The subset's bytes patched in place, one coordinate byte of one glyph the shipped file
    stores alike: no longer identified, though every other byte is the subsetter's."""
    for program in _programs(brief_pdf):
        shipped_font = identity.match(program, REGISTRY)
        assert shipped_font is not None
        subset, shipped = _stored(program), _stored(shipped_font.path)
        gid = next(gid for gid in subset.outlined()
                   if struct.unpack(">h", subset.glyphs[gid][:2])[0] > 0 and subset.same(gid, shipped, gid))
        _, _, end, _, _ = _layout(subset.glyphs[gid])
        with TTFont(io.BytesIO(program), lazy=True) as font:
            at = font.reader.tables["glyf"].offset + font["loca"].locations[gid] + end - 1
        patched = bytearray(program)
        patched[at] ^= 0x01
        assert identity.match(bytes(patched), REGISTRY) is None, (shipped_font.path.name, gid)
