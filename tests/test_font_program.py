"""Glyphs added to a font program as stored (`fonts.program`) are what fontTools' own save of
the same glyphs makes, table for table, on the subsets WeasyPrint embeds."""

from __future__ import annotations

import io
from typing import Any

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

from briefpress.check.baseline import plain_pdf, text_html
from briefpress.fonts.glyf import StoredGlyphs
from briefpress.fonts.program import Composite, _join_glyf, _split_glyf, with_glyphs
from briefpress.project import Project

from conftest import ROOT

TOUCHED = {"glyf", "loca", "hmtx", "hhea", "maxp", "head"}
LINES = {"Amiri": "حدَّدتِ اللجنةُ سقفاً جديداً (Passage 2024) ووثَّقتْ ما يُستورَد، لا إلا",
         "IBM Plex Sans Arabic": "تغيَّرت الأسعارُ بنسبةٍ 5% والأمن، لا إلا (UN)"}


@pytest.fixture(scope="module", params=list(LINES))
def program(request: pytest.FixtureRequest) -> bytes:
    """The subset WeasyPrint embeds for a line in the face."""
    face = request.param
    data = plain_pdf(Project(ROOT), text_html([LINES[face]], "ar", "rtl",
                                              None if face == "Amiri" else face), "program")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for font in pdf.pages[0].Resources.Font.values():
            descendant = font.DescendantFonts[0]
            if face.replace(" ", "") in str(descendant.BaseFont).replace("-", ""):
                return bytes(descendant.FontDescriptor.FontFile2.read_bytes())
    raise AssertionError(f"no {face} subset")


def _edits(program: bytes) -> tuple[dict[int, Composite], dict[int, int]]:
    """Copies of glyphs that draw (the first few, and composites when the subset has any), at
    small and large offsets, into empty ids; and advances for two other empty ids."""
    with TTFont(io.BytesIO(program), lazy=True) as font:
        stored = StoredGlyphs.of(font)
    assert stored is not None
    drawn = stored.outlined()
    parts = drawn[:4] + stored.composites()[:2]
    empty = [gid for gid, data in enumerate(stored.glyphs) if not data and gid][-len(parts) * 2 - 2:]
    composites = {}
    for index, part in enumerate(parts):
        composites[empty[2 * index]] = Composite(part, -37, 12, stored.advances[part] - 40)
        composites[empty[2 * index + 1]] = Composite(part, 900, -400, 125)
    return composites, {empty[-2]: 250, empty[-1]: 0}


def _fonttools_save(program: bytes, composites: dict[int, Composite], advances: dict[int, int]) -> bytes:
    """The same glyphs added with fontTools, every glyph unpacked and `maxp` and every bound
    recounted."""
    with TTFont(io.BytesIO(program), recalcTimestamp=False) as font:
        order, glyf, hmtx = font.getGlyphOrder(), font["glyf"], font["hmtx"]
        for gid, advance in advances.items():
            hmtx[order[gid]] = (advance, hmtx[order[gid]][1])
        for gid, wanted in composites.items():
            component = GlyphComponent()
            component.glyphName, component.x, component.y, component.flags = \
                order[wanted.component], wanted.dx, wanted.dy, 0
            glyph = Glyph()
            glyph.numberOfContours, glyph.components = -1, [component]
            glyph.recalcBounds(glyf)
            glyf[order[gid]] = glyph
            hmtx[order[gid]] = (wanted.advance, glyph.xMin)
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()


def _tables(program: bytes) -> dict[str, Any]:
    """What each touched table says, decompiled, glyph by glyph."""
    with TTFont(io.BytesIO(program)) as font:
        order, glyf = font.getGlyphOrder(), font["glyf"]
        glyphs = {}
        for name in order:
            glyph = glyf[name]
            coordinates, ends, _ = glyph.getCoordinates(glyf)
            glyphs[name] = (glyph.numberOfContours, list(coordinates), list(ends),
                            tuple(getattr(glyph, field, 0) for field in ("xMin", "yMin", "xMax", "yMax")),
                            [(c.glyphName, c.x, c.y) for c in getattr(glyph, "components", [])])
        maxp = {key: value for key, value in vars(font["maxp"]).items() if key.startswith(("max", "num"))}
        head = tuple(getattr(font["head"], field) for field in ("xMin", "yMin", "xMax", "yMax", "unitsPerEm"))
        return {"glyf": glyphs, "hmtx": dict(font["hmtx"].metrics), "maxp": maxp, "head": head,
                "numberOfHMetrics": font["hhea"].numberOfHMetrics}


def test_added_glyphs_are_what_fonttools_saves(program: bytes) -> None:
    composites, advances = _edits(program)
    assert composites and advances
    ours, theirs = with_glyphs(program, composites, advances), _fonttools_save(program, composites, advances)
    mine, reference, before = _tables(ours), _tables(theirs), _tables(program)
    for table in ("glyf", "hmtx", "numberOfHMetrics"):
        assert mine[table] == reference[table], table
    # `maxp` and the font's bounds hold every glyph, as a recount says, and are widened no more
    # than the new glyphs need: a subset keeps its font's (larger) figures.
    for key, value in reference["maxp"].items():
        assert value <= mine["maxp"][key] <= max(value, before["maxp"][key]), key
    (x_min, y_min, x_max, y_max, units), recounted = mine["head"], reference["head"]
    assert x_min <= recounted[0] and y_min <= recounted[1] and x_max >= recounted[2] \
        and y_max >= recounted[3] and units == recounted[4]
    with TTFont(io.BytesIO(program)) as before, TTFont(io.BytesIO(ours)) as after:
        assert sorted(before.keys()) == sorted(after.keys())
        for tag in set(before.reader.keys()) - TOUCHED:
            assert before.reader[tag] == after.reader[tag], tag


def test_untouched_glyphs_keep_their_bytes(program: bytes) -> None:
    composites, advances = _edits(program)
    with TTFont(io.BytesIO(program), lazy=True) as before:
        old = StoredGlyphs.of(before)
    with TTFont(io.BytesIO(with_glyphs(program, composites, advances)), lazy=True) as after:
        new = StoredGlyphs.of(after)
    assert old is not None and new is not None
    assert [data for gid, data in enumerate(new.glyphs) if gid not in composites] == \
        [data for gid, data in enumerate(old.glyphs) if gid not in composites]


def test_a_glyph_id_in_use_or_a_component_that_draws_nothing_is_refused(program: bytes) -> None:
    composites, _ = _edits(program)
    taken = next(iter(composites.values())).component
    with pytest.raises(ValueError, match=f"glyph {taken} is not empty"):
        with_glyphs(program, {taken: Composite(taken, 0, 0, 100)}, {})
    empty = next(iter(composites))
    with pytest.raises(ValueError, match="draws nothing"):
        with_glyphs(program, {empty: Composite(0, 0, 0, 100)} if not _draws(program, 0)
                    else {empty: Composite(list(composites)[1], 0, 0, 100)}, {})


def _draws(program: bytes, gid: int) -> bool:
    with TTFont(io.BytesIO(program), lazy=True) as font:
        stored = StoredGlyphs.of(font)
    return stored is not None and gid in stored.outlined()


def test_a_glyph_table_too_long_for_short_offsets_gets_long_ones() -> None:
    head = bytearray(54)  # indexToLocFormat 0: short offsets
    glyphs = [b"\x00\x01" * 30_000, b"", b"\x00\x01" * 40_000, b"\x00\x02"]
    glyf, loca = _join_glyf(glyphs, head)
    assert head[50:52] == b"\x00\x01"
    assert _split_glyf(glyf, loca, long=True) == glyphs
    small = bytearray(54)
    glyf, loca = _join_glyf([b"", b"\x00\x01" * 10], small)
    assert small[50:52] == b"\x00\x00" and len(loca) == 3 * 2
    assert _split_glyf(glyf, loca, long=False) == [b"", b"\x00\x01" * 10]


def test_maxp_and_bounds_are_widened_to_the_new_glyphs(program: bytes) -> None:
    """On a program whose `maxp` composite figures and bounds say nothing yet, the new glyphs'
    own figures, as fontTools counts them, are what the patched tables hold."""
    with TTFont(io.BytesIO(program), recalcBBoxes=False, recalcTimestamp=False) as font:
        for field in ("maxCompositePoints", "maxCompositeContours", "maxComponentElements",
                      "maxComponentDepth"):
            setattr(font["maxp"], field, 0)
        font["head"].xMin = font["head"].yMin = font["head"].xMax = font["head"].yMax = 0
        out = io.BytesIO()
        font.save(out)
    blank = out.getvalue()
    composites, advances = _edits(blank)
    assert any(_composite_part(blank, wanted.component) for wanted in composites.values())
    with TTFont(io.BytesIO(with_glyphs(blank, composites, advances))) as font:
        order, glyf = font.getGlyphOrder(), font["glyf"]
        values = [glyf[order[gid]].getCompositeMaxpValues(glyf) for gid in composites]
        maxp, head = font["maxp"], font["head"]
        assert (maxp.maxCompositePoints, maxp.maxCompositeContours, maxp.maxComponentElements,
                maxp.maxComponentDepth) == (max(v.nPoints for v in values), max(v.nContours for v in values),
                                            1, max(v.maxComponentDepth for v in values))
        bounds = [glyf[order[gid]] for gid in composites]
        assert (head.xMin, head.yMin, head.xMax, head.yMax) == (
            min(0, *(g.xMin for g in bounds)), min(0, *(g.yMin for g in bounds)),
            max(0, *(g.xMax for g in bounds)), max(0, *(g.yMax for g in bounds)))


def _composite_part(program: bytes, gid: int) -> bool:
    with TTFont(io.BytesIO(program), lazy=True) as font:
        stored = StoredGlyphs.of(font)
    return stored is not None and gid in stored.composites()
