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
from briefpress.check.textlayer import normalise, poppler_text
from briefpress.layout.html import render_html
from briefpress.layout.pdf import pdf_identifier, render_pdf
from briefpress.output.actualtext import (
    PDFIUM_TAG,
    POPPLER_TAG,
    RLM,
    add_actual_text,
    logical,
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
    assert all(depth >= 2 for _, _, depth in pdfium)  # inside the poppler span


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
