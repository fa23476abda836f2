"""Draw a ZWNJ with a blank glyph of its own, so that a copy keeps it (`fonts.standin`).

A ZWNJ is part of a Persian, Urdu or Kurdish word's spelling («می‌خواهم», «خانه‌ها»): it keeps
two letters apart that would join. HarfBuzz uses it while shaping, then hides it as it hides
every default-ignorable character: Pango gives it the empty glyph, which WeasyPrint draws as
no glyph at all, and every reader copies and searches «میخواهم», another spelling. While
`joiners_drawn` is on (as a PDF is written), each hidden ZWNJ is drawn with its font's
stand-in glyph instead, which draws nothing and moves nothing; finishing gives that glyph's
code the ZWNJ as its text (`output.glyphtext`). Only in a right-to-left run of a right-to-left
line, outside a run isolated in a paragraph of the other direction: in an English line, pdfium
took the blank glyph for a break between two right-to-left pieces and copied them swapped
(`های‌نیروی`). Not beside a mark (`سه‌ٔ`), which the marks pass would move. A ZWJ stays hidden: it
is rare in running text, and a font has one blank stand-in only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from ..fonts.standin import STAND_IN, ZWNJ
from .linebreak import open_isolates

ZWNJ_BYTES = ZWNJ.encode()
_HARFBUZZ = ("libharfbuzz.so.0", "libharfbuzz-0", "harfbuzz", "libharfbuzz.0.dylib", "libharfbuzz-0.dll")


@cache
def _harfbuzz() -> tuple[Any, Any]:
    """The HarfBuzz calls this module needs, which WeasyPrint's own bindings do not declare."""
    import cffi

    ffi = cffi.FFI()
    ffi.cdef("""
        typedef struct { int32_t x_bearing, y_bearing, width, height; } hb_glyph_extents_t;
        int hb_font_get_glyph_from_name (void *font, const char *name, int len, uint32_t *glyph);
        int32_t hb_font_get_glyph_h_advance (void *font, uint32_t glyph);
        int hb_font_get_glyph_extents (void *font, uint32_t glyph, hb_glyph_extents_t *extents);
    """)
    for name in _HARFBUZZ:
        try:
            return ffi, ffi.dlopen(name)
        except OSError:
            continue
    raise OSError("HarfBuzz, which WeasyPrint draws text with, cannot be loaded")


def _true_type(hb_font: Any) -> bool:
    """Whether the font has TrueType outlines, the only ones finishing reads (`output.tounicode`)."""
    from weasyprint.text.ffi import harfbuzz

    table = harfbuzz.hb_face_reference_table(harfbuzz.hb_font_get_face(hb_font),
                                             harfbuzz.hb_tag_from_string(b"glyf", -1))
    try:
        return bool(harfbuzz.hb_blob_get_length(table))
    finally:
        harfbuzz.hb_blob_destroy(table)


def _stand_in(pango_font: Any) -> int | None:
    """The glyph of `pango_font` named `.null` when it draws nothing and has no advance, in a
    font with TrueType outlines."""
    from weasyprint.text.ffi import ffi as weasyprint_ffi
    from weasyprint.text.ffi import pango

    ffi, harfbuzz = _harfbuzz()
    hb_font = pango.pango_font_get_hb_font(pango_font)
    if not _true_type(hb_font):
        return None
    font = ffi.cast("void *", int(weasyprint_ffi.cast("uintptr_t", hb_font)))
    glyph, extents = ffi.new("uint32_t *"), ffi.new("hb_glyph_extents_t *")
    found = harfbuzz.hb_font_get_glyph_from_name(font, STAND_IN.encode(), -1, glyph)
    blank = found and harfbuzz.hb_font_get_glyph_h_advance(font, glyph[0]) == 0 \
        and harfbuzz.hb_font_get_glyph_extents(font, glyph[0], extents) \
        and extents.width == 0 and extents.height == 0
    return glyph[0] if blank else None


def draw_joiners(line: Any, text: str) -> None:
    """Give each hidden ZWNJ of the Pango `line` (laid out from `text`) its font's stand-in, where
    the line and the ZWNJ's run are right to left, and its cluster holds no mark."""
    from weasyprint.text.ffi import ffi, pango

    if line.resolved_dir != pango.PANGO_DIRECTION_RTL:
        return
    encoded = text.encode()
    run = line.runs
    while run != ffi.NULL:
        item = run.data
        run = run.next
        if item.item.analysis.level % 2 == 0:
            continue
        glyphs = item.glyphs
        starts = [glyphs.log_clusters[index] for index in range(glyphs.num_glyphs)]
        drawn: dict[int, int] = {}  # a cluster's start -> the ZWNJs of it drawn so far
        for index, start in enumerate(starts):
            info = glyphs.glyphs[index]
            if info.glyph != pango.PANGO_GLYPH_EMPTY:
                continue
            end = min((later for later in starts if later > start), default=item.item.length)
            offset = item.item.offset
            cluster = encoded[offset + start:offset + end]
            joiner = cluster.find(ZWNJ_BYTES)
            if joiner < 0 or cluster.count(ZWNJ_BYTES) <= drawn.get(start, 0) \
                    or _beside_a_mark(encoded, offset + start + joiner) \
                    or _set_apart(encoded[:offset + start + joiner].decode(errors="ignore")):
                continue
            if (glyph := _stand_in(item.item.analysis.font)) is not None:
                info.glyph = glyph
                drawn[start] = drawn.get(start, 0) + 1


def _set_apart(before: str) -> bool:
    """Whether text ending with `before` is inside a right-to-left run isolated in a paragraph of
    the other direction (RLI, or FSI, ... PDI: a Persian name in an English line), which pdfium
    reads as a left-to-right line: it took the stand-in for a break between two right-to-left
    pieces and copied them swapped (`های‌نیروی`)."""
    return open_isolates(before)[-1:] in ("\u2067", "\u2068")


def _beside_a_mark(encoded: bytes, at: int) -> bool:
    """Whether the ZWNJ at byte `at` of `encoded` has a mark just before or after it (`بهِ‌ا`,
    `سه‌ٔ`): finishing gives a mark a box beside the glyph drawn next to it, which the stand-in
    would be (the hamza moved), and pdfium copied the mark on the other side of the ZWNJ."""
    before = encoded[max(0, at - 4):at].decode(errors="ignore")[-1:]
    after = encoded[at + len(ZWNJ_BYTES):at + len(ZWNJ_BYTES) + 4].decode(errors="ignore")[:1]
    return any(unicodedata.category(character) == "Mn" for character in before + after)


@contextmanager
def joiners_drawn() -> Iterator[None]:
    """Draw each hidden ZWNJ with its font's stand-in (see the module's docstring)."""
    from weasyprint.text.line_break import Layout

    get_first_line = Layout.get_first_line

    def first_line(self: Any) -> Any:
        line, index = get_first_line(self)
        if ZWNJ in self.text:
            draw_joiners(line, self.text)
        return line, index

    Layout.get_first_line = first_line
    try:
        yield
    finally:
        Layout.get_first_line = get_first_line
