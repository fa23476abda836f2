"""Each glyph code maps to the text its glyph stands for, one right-to-left character per code.

The glyph texts are read from the shipped fonts (`output.glyphtext`); the pass
(`output.tounicode`) is checked on real WeasyPrint renders: pages draw pixel for pixel as
before, in pdfium and in poppler; every code a built PDF draws has text, no code holds two
right-to-left characters, a code whose glyph the font's cmap reaches holds one of its
characters; and the words IBM Plex draws with ligatures read back in all four reader families.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2
import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops

from briefpress.check.baseline import plain_pdf, text_html
from briefpress.check.readers import FAMILIES, read
from briefpress.check.textlayer import normalise
from briefpress.fonts.identity import identify
from briefpress.fonts.registry import load_registry
from briefpress.output.glyphtext import glyph_texts
from briefpress.output.pdftext import blank_glyphs, read_widths, width_array
from briefpress.output.tounicode import map_glyph_text, right_to_left
from briefpress.project import Project

from conftest import ROOT, Target

FONTS = ROOT / "fonts"
REGISTRY = load_registry(FONTS)
# IBM Plex's required ligatures: lam-alef, lam-alef with hamza, beh-reh, lam-yeh, seen-yeh.
PLEX_WORDS = "الأمن الإجراءات نوفمبر الدولي المشتركة الاستراتيجية الروسي الشمالي السياسية"
ENTRY = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


def _glyph(font: str, name: str) -> int:
    with TTFont(str(FONTS / font), lazy=True) as parsed:
        return parsed.getGlyphID(name)


@pytest.mark.parametrize(("font", "glyph", "text"), [
    ("IBMPlexSansArabic-Regular.ttf", "uniFEFB", "لا"),  # lam-alef, from its presentation form
    ("IBMPlexSansArabic-Regular.ttf", "uniFC91", "ير"),  # yeh-reh: a ligature with no cmap entry
    ("IBMPlexSansArabic-Regular.ttf", "uni0651", "\u0651"),  # shadda
    ("Amiri-Regular.ttf", "uni0651", "\u0651"),
    ("Amiri-Regular.ttf", "uni0628.init", "ب"),  # a contextual form stands for its letter
    ("Amiri-Regular.ttf", "parenright", ")"),  # a bracket is the bracket it draws
    # Amiri draws a final ae (Kurdish, Uyghur) and a final heh with yeh above (Persian) with one
    # glyph, the latter adding a hamza: the glyph is the ae, the hamza the rest of the heh.
    ("Amiri-Regular.ttf", "uni06D5.fina", "\u06d5"),
    ("Amiri-Bold.ttf", "uni06D5.fina", "\u06d5"),
    ("Amiri-Regular.ttf", "hamza.above", "\u0654"),
    ("Amiri-Regular.ttf", "uni06C1.fina", "\u06c1"),  # heh goal, not heh goal with hamza
])
def test_a_glyph_stands_for_the_text_the_font_says(font: str, glyph: str, text: str) -> None:
    assert glyph_texts(FONTS / font).text[_glyph(font, glyph)] == text


def _mapped(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        map_glyph_text(pdf, REGISTRY)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def _plex_page(words: str = PLEX_WORDS) -> bytes:
    page = text_html([words], "ar", "rtl").replace(
        "<style>", "<style>p { font-family: 'IBM Plex Sans Arabic'; font-size: 14pt; } ")
    return plain_pdf(Project(ROOT), page, "plex")


def _entries(font: pikepdf.Object) -> dict[int, str]:
    return {int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
            for code, text in ENTRY.findall(font.ToUnicode.read_bytes())}


@pytest.fixture(scope="module")
def plex_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A line of IBM Plex words with ligatures, as WeasyPrint wrote it and after the pass."""
    folder = tmp_path_factory.mktemp("plex")
    raw = _plex_page()
    (folder / "raw.pdf").write_bytes(raw)
    (folder / "mapped.pdf").write_bytes(_mapped(raw))
    return folder / "raw.pdf", folder / "mapped.pdf"


@pytest.mark.parametrize("family", FAMILIES)
def test_plex_ligatures_read_back_in_every_family(plex_pdf: tuple[Path, Path], family: str) -> None:
    raw, mapped = plex_pdf
    assert normalise(read(family, mapped)).split() == PLEX_WORDS.split()
    # WeasyPrint's own mapping gives the ligatures' letters reversed: `األمن`, `الدويل`
    assert normalise(read(family, raw)).split() != PLEX_WORDS.split()


def test_each_right_to_left_ligature_is_split_one_character_per_code(plex_pdf: tuple[Path, Path]) -> None:
    raw, mapped = plex_pdf
    with pikepdf.open(raw) as before, pikepdf.open(mapped) as after:
        fonts = [(b, a) for (_, b), (_, a) in zip(sorted(before.pages[0].Resources.Font.items()),
                                                  sorted(after.pages[0].Resources.Font.items()),
                                                  strict=True)]
        multi = [text for b, _ in fonts for text in _entries(b).values()
                 if len(text) > 1 and right_to_left(text)]
        assert multi  # the raw page has them: lam-alef, beh-reh ...
        assert [text for _, a in fonts for text in _entries(a).values()
                if len(text) > 1 and right_to_left(text)] == []
        # each program gains the ligatures' copies, and is still the shipped font
        assert all(identify(a.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes(), REGISTRY)
                   for _, a in fonts)


def test_the_code_space_range_is_no_entry(plex_pdf: tuple[Path, Path]) -> None:
    """The CMap's `<0000> <ffff>` code space range is not read as a mapping: .notdef (code 0)
    gets no text, and no code maps to the noncharacter U+FFFF."""
    _, mapped = plex_pdf
    with pikepdf.open(mapped) as pdf:
        for _, font in sorted(pdf.pages[0].Resources.Font.items()):
            entries = {}
            for block in re.findall(rb"beginbfchar(.*?)endbfchar", font.ToUnicode.read_bytes(), re.S):
                entries.update(_entries_of(block))
            assert 0 not in entries, font.BaseFont
            assert "\uffff" not in "".join(entries.values()), font.BaseFont


def _entries_of(data: bytes) -> dict[int, str]:
    return {int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
            for code, text in ENTRY.findall(data)}


def _pdfium_images(data: bytes) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(data)
    try:
        return [page.render(scale=3).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def _poppler_images(data: bytes, folder: Path) -> list[Image.Image]:
    program = shutil.which("pdftoppm")
    assert program is not None, "pdftoppm (poppler-utils) is needed"
    (folder / "in.pdf").write_bytes(data)
    subprocess.run([program, "-r", "200", "-png", str(folder / "in.pdf"), str(folder / "page")], check=True)
    return [Image.open(path).convert("RGB") for path in sorted(folder.glob("page*.png"))]


def _identical(before: list[Image.Image], after: list[Image.Image]) -> bool:
    return len(before) == len(after) and all(
        ImageChops.difference(b, a).getbbox() is None for b, a in zip(before, after, strict=True))


@pytest.mark.parametrize("document", ["russia-dprk-partnership/general/factsheet",
                                      "sanctions-watch/general/brief"])
def test_pages_draw_pixel_for_pixel_as_before(project: Project, document: str, tmp_path: Path) -> None:
    """The pass changes text and the split ligatures' advances, never where a glyph is drawn."""
    from briefpress.build import load_all
    from briefpress.layout.html import render_html
    from briefpress.layout.pdf import pdf_identifier, render_pdf
    from briefpress.source.audiences import select

    publication, audience, kind = document.split("/")
    contents, profiles = load_all(project, [publication])
    view = select(contents[publication], profiles[audience])
    raw = render_pdf(project, render_html(project, view, kind, profiles[audience]),
                     pdf_identifier("test"), document)
    mapped = _mapped(raw)
    assert mapped != raw
    assert _identical(_pdfium_images(raw), _pdfium_images(mapped))
    (tmp_path / "raw").mkdir()
    (tmp_path / "mapped").mkdir()
    assert _identical(_poppler_images(raw, tmp_path / "raw"), _poppler_images(mapped, tmp_path / "mapped"))


def test_a_moved_glyph_fails_the_pixel_comparison(plex_pdf: tuple[Path, Path]) -> None:
    """The comparison can fail: one glyph 1/1000 em to the side changes the page."""
    raw, _ = plex_pdf
    with pikepdf.open(raw) as pdf:
        stream = pdf.pages[0].Contents.read_bytes()
        pdf.pages[0].Contents = pdf.make_stream(stream.replace(b"[<", b"[-1 <", 1))
        out = io.BytesIO()
        pdf.save(out)
    assert not _identical(_pdfium_images(raw.read_bytes()), _pdfium_images(out.getvalue()))


def _drawn_codes(pdf: pikepdf.Pdf) -> dict[tuple[int, int], tuple[pikepdf.Object, set[int]]]:
    """Every font a page or a form draws with, and the codes it draws."""
    found: dict[tuple[int, int], tuple[pikepdf.Object, set[int]]] = {}
    owners: list[tuple[pikepdf.Object, pikepdf.Object]] = [(page.obj, page.obj.Resources)
                                                          for page in pdf.pages]
    owners += [(xobject, xobject.Resources) for page in pdf.pages
               for _, xobject in page.obj.Resources.get("/XObject", {}).items()
               if xobject.get("/Subtype") == "/Form"]
    for owner, resources in owners:
        fonts: pikepdf.Object = resources.get("/Font", pikepdf.Dictionary())
        font = None
        for instruction in pikepdf.parse_content_stream(owner):
            operator = str(instruction.operator)
            if operator == "Tf":
                font = fonts[str(instruction.operands[0])]
            elif operator in ("TJ", "Tj") and font is not None:
                items = instruction.operands[0] if operator == "TJ" else [instruction.operands[0]]
                raw = b"".join(bytes(item) for item in items if isinstance(item, pikepdf.String))
                found.setdefault(font.objgen, (font, set()))[1].update(
                    int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2))
    return found


def _shape(glyph: Any, ids: dict[str, int]) -> list[tuple[int, int, int]] | None:
    """A composite glyph's components by glyph id and offset."""
    return [(ids[c.glyphName], c.x, c.y) for c in glyph.components] if glyph.isComposite() else None


class _ShippedFacts:
    """What the drawn-code test reads of a shipped font file, read once per file for the run's
    135 PDFs: its glyph order, the characters that reach each glyph, each glyph's components."""

    def __init__(self, path: Path) -> None:
        self._font = TTFont(str(path))
        self.order = self._font.getGlyphOrder()
        self._ids = {name: gid for gid, name in enumerate(self.order)}
        self.reached: dict[str, set[str]] = {}
        for code, name in self._font.getBestCmap().items():  # a presentation form as it folds,
            # and a character NFKC would change (`³`) as it is
            self.reached.setdefault(name, set()).update({chr(code), unicodedata.normalize("NFKC", chr(code))})
        self._shapes: dict[int, list[tuple[int, int, int]] | None] = {}

    def shape(self, gid: int) -> list[tuple[int, int, int]] | None:
        if gid not in self._shapes:
            self._shapes[gid] = _shape(self._font["glyf"][self.order[gid]], self._ids)
        return self._shapes[gid]


@functools.cache
def _shipped_facts(path: Path) -> _ShippedFacts:
    return _ShippedFacts(path)


def test_every_drawn_code_has_its_glyphs_text(built: Path, target: Target) -> None:
    """In a built PDF, each code a page draws maps to text (pdfium makes up a character for a
    code without one), no code holds two right-to-left characters, and a code whose glyph draws
    something and that the font's cmap reaches maps to one of the characters that reach it.
    (A code that draws nothing stands for a character of the ligature before it; a moved copy
    of a glyph, `output.rises`, is held to the glyph it moves.)"""
    with pikepdf.open(built / target.path) as pdf:
        for font, codes in _drawn_codes(pdf).values():
            entries = _entries(font)
            shipped = identify(font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes(), REGISTRY)
            assert shipped is not None
            facts = _shipped_facts(shipped.path)  # the subset keeps glyph ids
            order, reached = facts.order, facts.reached
            shipped_shapes = {c: facts.shape(c) for c in codes}
            blank = blank_glyphs(shipped.path)
            assert sorted(codes - set(entries)) == [], font.BaseFont
            assert [entries[c] for c in codes if len(entries[c]) > 1 and right_to_left(entries[c])] == []
            program = font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
            with TTFont(io.BytesIO(program), lazy=True) as subset:
                glyf, ids = subset["glyf"], {name: gid for gid, name in enumerate(subset.getGlyphOrder())}
                glyphs = {c: glyf[subset.getGlyphOrder()[c]] for c in codes}
                # a moved copy (`output.rises`): one component, where the shipped glyph is another
                drawing = {c: ids[glyph.components[0].glyphName]
                           if glyph.isComposite() and len(glyph.components) == 1
                           and _shape(glyph, ids) != shipped_shapes[c] else c
                           for c, glyph in glyphs.items() if glyph.numberOfContours}
            assert all(c in drawing or c not in blank or len(entries[c]) == 1 or entries[c] == " "
                       for c in codes)
            wrong = {order[g]: entries[c] for c, g in drawing.items()
                     if order[g] in reached and not any(entries[c] in (t, t[-1:]) for t in reached[order[g]])}
            assert wrong == {}, font.BaseFont


def _width_mismatches(pdf: pikepdf.Pdf) -> list[tuple[str, int, float, float]]:
    """Each code drawn whose /W width differs by more than a unit from the advance its font
    program gives its glyph (PDF/A-2 and -3, 6.2.11.5: the two must be consistent)."""
    found = []
    for font, codes in _drawn_codes(pdf).values():
        descendant = font.DescendantFonts[0]
        widths, default = read_widths(descendant), float(descendant.get("/DW", 1000))
        with TTFont(io.BytesIO(descendant.FontDescriptor.FontFile2.read_bytes()), lazy=True) as program:
            order, metrics = program.getGlyphOrder(), program["hmtx"]
            per_unit = 1000 / program["head"].unitsPerEm
            for code in sorted(codes):
                advance = metrics[order[code]][0] * per_unit
                if abs(float(widths.get(code, default)) - advance) > 1:
                    found.append((str(font.BaseFont), code, float(widths.get(code, default)), advance))
    return found


def test_every_drawn_glyph_is_as_wide_as_its_program_says(built: Path, target: Target) -> None:
    """A split ligature's code is drawn as a copy with its own advance, and each part's empty
    glyph gets its share as its advance, so /W and the program agree on every glyph drawn."""
    with pikepdf.open(built / target.path) as pdf:
        assert _width_mismatches(pdf) == []


def test_a_width_the_program_does_not_give_is_found(brief_pdf: Path) -> None:
    """The test above can fail: a drawn code's /W changed without its program."""
    with pikepdf.open(brief_pdf) as pdf:
        font, codes = next(iter(_drawn_codes(pdf).values()))
        descendant = font.DescendantFonts[0]
        widths = read_widths(descendant)
        code = max(codes)
        widths[code] = float(widths.get(code, 1000)) + 50
        descendant.W = width_array(widths)
        assert [found[1] for found in _width_mismatches(pdf)] == [code]


def test_a_form_xobject_is_mapped_like_a_page() -> None:
    """A page drawn as a form XObject (as a copy's stamp is) gets the same text."""
    with pikepdf.open(io.BytesIO(_plex_page())) as pdf:
        page = pdf.pages[0].obj
        form = pdf.make_stream(page.Contents.read_bytes(), Type=pikepdf.Name.XObject,
                               Subtype=pikepdf.Name.Form, BBox=page.MediaBox, Resources=page.Resources)
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Page=form))
        page.Contents = pdf.make_stream(b"q /Page Do Q")
        map_glyph_text(pdf, REGISTRY)
        out = io.BytesIO()
        pdf.save(out)
    document = pypdfium2.PdfDocument(out.getvalue())
    try:
        assert document[0].get_textpage().get_text_range().split() == PLEX_WORDS.split()
    finally:
        document.close()
