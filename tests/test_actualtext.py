"""ActualText on each Arabic word: the strings each reader needs, and a PDF that stays well formed.

The recall it buys is measured in `test_textlayer.py`; these tests hold the pieces: the word read
back from its glyphs, the two reader strings, the marks nested inside WeasyPrint's MCID spans, and
reproducible bytes.
"""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from PIL import Image
from pypdf.generic import ContentStream, DictionaryObject

from briefpress.build import load_all
from briefpress.check.textlayer import normalise, pdfium_text, poppler_text
from briefpress.layout.html import render_html
from briefpress.layout.pdf import pdf_identifier, render_pdf
from briefpress.output.actualtext import (
    PDFIUM_SKIP,
    PDFIUM_TAG,
    POPPLER_TAG,
    RLM,
    _pdfium_strings,
    add_actual_text,
    logical,
    pdfium_run_text,
)
from briefpress.output.actualtext import pdfium_text as pdfium_string
from briefpress.output.actualtext import poppler_text as poppler_string
from briefpress.project import Project
from briefpress.source.audiences import select

from conftest import PUBLICATION


@pytest.mark.parametrize(
    ("visual", "typed"),
    [
        (["،", "ب", "ن", "ا", "ج", "ل", "ا"], "الجانب،"),  # Arabic comma drawn left of the word
        (["ً", "ا", "ر", "ط", "خ"], "خطراً"),  # tanween on the alef
        (["ال", "ق"], "قال"),  # a lam-alef ligature holds two letters in typed order
        (["2", "0", "1", "6", "-", "2", "0", "1", "7"], "2016-2017"),
        (["٢", "٠", "١", "٧", "-", "٢", "٠", "١", "٦"], "٢٠١٦-٢٠١٧"),  # drawn right to left
        (["7", "", ".", "5"], "7.5"),  # a zero-width glyph inside a number
    ],
)
def test_a_word_is_read_back_from_its_glyphs(visual: list[str], typed: str) -> None:
    assert logical(visual) == typed


def test_each_reader_gets_its_own_string() -> None:
    # poppler lays the string out left to right and reverses right-to-left runs
    assert poppler_string("الجانب،") == RLM + "،بناجلا"
    # pdfium reverses each bidi class run in place and keeps their order; brackets are mirrored
    assert pdfium_string("(برميل)") == ")" + "ليمرب" + "("
    assert pdfium_string("حدَّد") == "دح" + "َّ"[::-1] + "د"
    assert poppler_string("pressure") == RLM + "pressure"
    assert poppler_string("—") is None  # nothing to order: left alone


@pytest.mark.parametrize(
    ("typed", "string"),
    [
        ("S/RES/2397", "/2397RES/S"),  # what pdfium copied from the typed text: its own inverse
        ("https://www.un.org/securitycouncil/", "/securitycouncil/org.un.www://https"),
        ("maximum pressure", "pressure maximum"),
        ("2018–2019", "2019–2018"),  # a dash is neutral: the digits around it swap
        ("+1-212-963-1234.", "+1-212-963-1234."),  # digits and separators are one weak run
        ("(2017", "2017)"),  # a neutral before any Latin letter reads right to left: mirrored
    ],
)
def test_pdfium_gets_a_left_to_right_run_reordered_back(typed: str, string: str) -> None:
    assert pdfium_run_text(typed) == string


def test_a_latin_run_carries_one_string_and_hands_its_brackets_to_its_neighbours() -> None:
    # `القرار S/RES/2397 (2017) الذي`: words left to right, as drawn and as read back
    run = _pdfium_strings(["الذي", "S/RES/2397", ")2017(", "القرار"],
                          ["يذلا", "S/RES/2397", "(2017)", "رارقلا"])
    assert run.words == {1: "2017 (/2397RES/S", 2: PDFIUM_SKIP}
    assert run.tails == {0: ")"}  # the closing bracket goes before the Arabic word on the left
    # `الخبراء (Panel of Experts) ما`: the opening bracket goes (mirrored) after the word on the right
    run = _pdfium_strings(["ما", "Panel(", "of", ")Experts", "الخبراء"],
                          ["ام", "(Panel", "of", "Experts)", "ءاربخلا"])
    assert run.words == {1: "Experts of Panel ", 2: PDFIUM_SKIP, 3: PDFIUM_SKIP}
    assert (run.tails, run.heads) == ({0: ")"}, {4: ")"})


def test_numbers_are_read_as_typed() -> None:
    numbers = _pdfium_strings(["الفترة", "2018–2019", "تاريخ", "2023-10-27.", "بنسبة", "10%"],
                              ["ةرتفلا", "2019–2018", "خيرات", ".2023-10-27", "ةبسنب", "10%"])
    assert numbers.words == {1: "2019–2018", 3: "2023-10-27.", 5: "10%"}
    # Arabic-Indic digits drawn as typed copy right on their own and are left alone
    assert _pdfium_strings(["بنسبة", "١٠٪"], ["ةبسنب", "١٠٪"]).words == {}


def test_pdfium_copies_left_to_right_runs_as_typed(built: Path) -> None:
    """The mixed-direction fixture: Latin runs, symbols, links and dates come back as typed."""
    copied = normalise(pdfium_text(built / "sanctions-watch" / "general" / "brief.pdf"))
    for typed in ("القرار S/RES/2397 (2017) الذي", "سياسة maximum pressure لم",
                  "الخبراء (Panel of Experts) ما", "https://press.un.org/en/", "الهاتف +1-212-963-1234.",
                  "A/RES/78/1", "2023-10-27.",
                  "الفترة 2018–2019 بنحو"):
        assert typed in copied


def _marks(pdf: Path) -> list[tuple[str, str | None, int]]:
    """Every marked-content opening of the first page: tag, ActualText, depth."""
    reader = pypdf.PdfReader(str(pdf))
    found, depth = [], 0
    for operands, operator in ContentStream(reader.pages[0].get_contents(), reader).operations:
        if operator in (b"BDC", b"BMC"):
            properties = operands[1] if len(operands) > 1 else None
            text = properties.get("/ActualText") if isinstance(properties, DictionaryObject) else None
            found.append((str(operands[0]), text, depth))
            depth += 1
        elif operator == b"EMC":
            depth -= 1
            assert depth >= 0
    assert depth == 0
    return found


def test_spans_nest_inside_the_tagged_content(brief_pdf: Path) -> None:
    marks = _marks(brief_pdf)
    poppler = [mark for mark in marks if mark[0] == POPPLER_TAG and mark[1] is not None]
    pdfium = [mark for mark in marks if mark[0] == PDFIUM_TAG]
    assert len(poppler) > 100 and len(pdfium) >= len(poppler)
    assert all(depth >= 1 for _, _, depth in poppler)  # inside an MCID span
    assert all(depth >= 1 for _, _, depth in pdfium)  # inside an MCID span
    # inside the poppler span, but on a line with no Arabic letter (a number or a link alone)
    assert sum(depth >= 2 for _, _, depth in pdfium) >= len(poppler)


def test_the_rewrite_is_reproducible_and_keeps_the_document(brief_pdf: Path, tmp_path: Path) -> None:
    data = brief_pdf.read_bytes()
    again = tmp_path / "again.pdf"
    again.write_bytes(add_actual_text(data))
    assert add_actual_text(data) == again.read_bytes()
    before, after = pypdf.PdfReader(brief_pdf), pypdf.PdfReader(again)
    assert after.trailer["/ID"] == before.trailer["/ID"]
    assert after.pdf_header == before.pdf_header
    assert after.metadata == before.metadata
    assert set(after.root_object) == set(before.root_object)


def _without_spans(pdf: Path, out: Path) -> Path:
    """The PDF with its ActualText marks taken out, the glyphs they held left in place."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(pdf))
    for page in writer.pages:
        content = ContentStream(page.get_contents(), writer)
        kept, dropped = [], []
        for operands, operator in content.operations:
            if operator in (b"BDC", b"BMC"):
                dropped.append(str(operands[0]) in (POPPLER_TAG, PDFIUM_TAG) and len(operands) > 1
                               and isinstance(operands[1], DictionaryObject)
                               and "/ActualText" in operands[1])
                if dropped[-1]:
                    continue
            elif operator == b"EMC" and dropped.pop():
                continue
            kept.append((operands, operator))
        content.operations = kept
        page.replace_contents(content)
    writer.write(out)
    return out


def test_without_the_spans_poppler_loses_words(brief_pdf: Path, seed_text: str, tmp_path: Path) -> None:
    """The lever is real: stripped of its spans, the same PDF copies worse in poppler."""
    stripped = _without_spans(brief_pdf, tmp_path / "stripped.pdf")
    wanted = normalise(seed_text).split()
    with_spans = set(normalise(poppler_text(brief_pdf)).split())
    without = set(normalise(poppler_text(stripped)).split())
    assert sum(word in without for word in wanted) < 0.95 * sum(word in with_spans for word in wanted)
    assert not any(mark[1] for mark in _marks(stripped) if mark[0] in (POPPLER_TAG, PDFIUM_TAG))


def test_pages_draw_as_before(project: Project) -> None:
    """pdfium renders the rewritten page as before: split TJ arrays keep every offset.

    A handful of anti-aliased pixels may change; a word moved by a lost adjustment changed
    3,582 pixels of this page at this scale."""
    import pypdfium2
    from PIL import ImageChops

    contents, profiles = load_all(project, [PUBLICATION])
    view = select(contents[PUBLICATION], profiles["general"])
    raw = render_pdf(project, render_html(project, view, "factsheet", profiles["general"]),
                     pdf_identifier("test"), "factsheet")

    def first_page(data: bytes) -> Image.Image:
        document = pypdfium2.PdfDocument(data)
        try:
            return document[0].render(scale=2).to_pil().convert("L")
        finally:
            document.close()

    histogram = ImageChops.difference(first_page(raw), first_page(add_actual_text(raw))).histogram()
    assert sum(histogram[32:]) < 100
