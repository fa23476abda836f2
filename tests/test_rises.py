"""Every glyph on its line's baseline: a glyph WeasyPrint drew under a text rise becomes a moved
copy of itself (`output.rises`), and readers keep it with its word.

Checked on a real WeasyPrint render of IBM Plex words with harakat, which Plex places with
GPOS offsets that WeasyPrint draws under a rise, and on every built PDF.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from briefpress.check.baseline import plain_pdf, text_html
from briefpress.check.readers import FAMILIES, read, search_words
from briefpress.check.textlayer import normalise
from briefpress.fonts.identity import identify
from briefpress.fonts.registry import FontRegistry, load_registry
from briefpress.output.rises import drop_rises
from briefpress.output.tounicode import map_glyph_text
from briefpress.project import Project
from test_visual import changed_share, page_images

from conftest import ROOT, Target

REGISTRY = load_registry(ROOT / "fonts")
# A heading of the mixed-direction fixture: Plex raises the damma, fatha and tanween.
WORDS = "واردات النفط المكرر المُعلَنة مقارنةً بالسقف السنوي"


def _page(words: str = WORDS) -> bytes:
    page = text_html([words], "ar", "rtl").replace(
        "<style>", "<style>p { font-family: 'IBM Plex Sans Arabic'; font-weight: bold; font-size: 14pt; } ")
    return plain_pdf(Project(ROOT), page, "rises")


def finished(data: bytes, *passes: Callable[[pikepdf.Pdf, FontRegistry], None]) -> bytes:
    """`data` with every glyph's own text (`tounicode`), then `passes` run in turn."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        map_glyph_text(pdf, REGISTRY)
        for finish in passes:
            finish(pdf, REGISTRY)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def _rises(data: bytes) -> list[float]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [float(instruction.operands[0]) for page in pdf.pages
                for instruction in pikepdf.parse_content_stream(page)
                if str(instruction.operator) == "Ts" and float(instruction.operands[0])]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("rises")
    raw = _page()
    paths = {"raw": folder / "raw.pdf", "mapped": folder / "mapped.pdf", "moved": folder / "moved.pdf"}
    paths["raw"].write_bytes(raw)
    paths["mapped"].write_bytes(finished(raw))
    paths["moved"].write_bytes(finished(raw, drop_rises))
    return paths


def test_weasyprint_draws_plex_harakat_under_a_rise(pages: dict[str, Path]) -> None:
    assert len(_rises(pages["raw"].read_bytes())) >= 3


def test_no_glyph_is_drawn_under_a_rise(pages: dict[str, Path]) -> None:
    assert _rises(pages["moved"].read_bytes()) == []


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_keeps_the_marks_with_their_words(pages: dict[str, Path], family: str) -> None:
    """Every word comes back, in order (harakat dropped, as a search drops them), and no mark
    stands alone, except in pdf.js, which sets a tanween that ends a word apart with or without
    the rise (`مقارنة ً`; see test_marks: it writes a space on either side of a mark drawn right
    after a space)."""
    text = normalise(read(family, pages["moved"]))
    assert search_words(text) == search_words(WORDS), text
    lone = [token for token in text.split() if not search_words(token)]
    assert lone == (["\u064b"] if family == "pdfjs" else []), text


def test_under_a_rise_pdfium_and_poppler_set_marks_apart(pages: dict[str, Path]) -> None:
    """The test above can fail: with the rises left, pdfium or poppler copy a mark on its own."""
    lone = {family: [token for token in normalise(read(family, pages["mapped"])).split()
                     if not search_words(token)] for family in ("pdfium", "poppler")}
    assert any(lone.values()), lone


def test_the_page_draws_as_before(pages: dict[str, Path]) -> None:
    """At 288 dpi, no pixel differs by more than anti-aliasing from the page with the rises."""
    assert changed_share(*(page_images(pages[stage], scale=4)[0] for stage in ("moved", "raw"))) == 0.0


def test_a_moved_copy_is_the_shipped_glyph_moved(pages: dict[str, Path]) -> None:
    """The font program gains composites of one shipped glyph each, and is still the shipped font."""
    with pikepdf.open(pages["moved"]) as pdf:
        for _, font in sorted(pdf.pages[0].Resources.Font.items()):
            program = font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
            assert identify(program, REGISTRY) is not None
        programs = [font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
                    for _, font in pdf.pages[0].Resources.Font.items()]
    composites = 0
    for program in programs:
        with TTFont(io.BytesIO(program)) as font:
            glyf = font["glyf"]
            composites += sum(1 for name in font.getGlyphOrder()
                              if glyf[name].isComposite() and len(glyf[name].components) == 1)
    assert composites >= 3


def test_a_program_with_moved_copies_still_says_how_large_its_glyphs_are(pages: dict[str, Path]) -> None:
    """`maxp` and `head` cover the moved copies as a full recount would: the program is saved
    without unpacking every glyph to recount them, and widened for each copy instead."""
    with pikepdf.open(pages["moved"]) as pdf:
        programs = [font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
                    for _, font in pdf.pages[0].Resources.Font.items()]
    fields = ("maxCompositePoints", "maxCompositeContours", "maxComponentElements", "maxComponentDepth")
    for program in programs:
        with TTFont(io.BytesIO(program)) as stored, TTFont(io.BytesIO(program)) as recounted:
            recounted["maxp"].recalc(recounted)  # also recounts head's bounds
            for field in fields:
                assert getattr(stored["maxp"], field) >= getattr(recounted["maxp"], field), field
            head, bounds = stored["head"], recounted["head"]
            assert head.xMin <= bounds.xMin and head.yMin <= bounds.yMin
            assert head.xMax >= bounds.xMax and head.yMax >= bounds.yMax


def test_a_glyph_moved_and_scaled_is_not_shipped(pages: dict[str, Path]) -> None:
    """Identity holds for a moved copy only: scaled, the same composite is a foreign glyph."""
    with pikepdf.open(pages["moved"]) as pdf:
        program = next(font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
                       for _, font in pdf.pages[0].Resources.Font.items()
                       if "Plex" in str(font.BaseFont))
    with TTFont(io.BytesIO(program)) as font:
        glyf = font["glyf"]
        name = next(name for name in font.getGlyphOrder()
                    if glyf[name].isComposite() and len(glyf[name].components) == 1)
        glyf[name].components[0].transform = [[1.5, 0], [0, 1.5]]
        out = io.BytesIO()
        font.save(out)
    assert identify(out.getvalue(), REGISTRY) is None


def test_no_built_pdf_draws_under_a_rise(built: Path, target: Target) -> None:
    assert _rises((built / target.path).read_bytes()) == []
