"""Length, content and metadata of each document."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pypdfium2
from pypdf import PdfReader

from briefpress.check.geometry import pages
from briefpress.check.textlayer import PRESENTATION_FORMS, normalise, pdfium_text
from briefpress.project import Project
from briefpress.source.publication import load_publication

from conftest import PUBLICATION


def test_every_stream_is_compressed_and_objects_are_packed(pdf: Path) -> None:
    """WeasyPrint writes its streams plain and the finishing save compresses them: a stream left
    plain, or objects left out of object streams, would make every PDF larger. Only the XMP
    metadata stays plain, so that tools that do not parse PDF can read it."""
    with pikepdf.open(pdf) as document:
        streams = [item for item in document.objects if isinstance(item, pikepdf.Stream)]
        plain = [(item.objgen, str(item.get("/Type"))) for item in streams if "/Filter" not in item]
        assert plain == [(document.Root.Metadata.objgen, "/Metadata")]
        assert any(item.get("/Type") == "/ObjStm" for item in streams)


def test_every_link_lies_over_its_words(pdf: Path) -> None:
    """A link's rectangle is where its words are drawn, on its page: a right-to-left contents
    entry's link started at its title and ran up to 290 pt past the page's edge, over nothing."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        with pikepdf.open(pdf) as linked:
            for number, page in enumerate(linked.pages):
                left, bottom, right, top = (float(value) for value in page.MediaBox)
                text = document[number].get_textpage()
                boxes = [text.get_charbox(index) for index in range(text.count_chars())
                         if text.get_text_range(index, 1).strip()]
                for annotation in page.get("/Annots", []):
                    if annotation.get("/Subtype") != "/Link":
                        continue
                    x0, y0, x1, y1 = (float(value) for value in annotation.Rect)
                    x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
                    assert left <= x0 and x1 <= right and bottom <= y0 and y1 <= top, (number, x0, x1)
                    under = [box for box in boxes if x0 <= (box[0] + box[2]) / 2 <= x1
                             and y0 <= (box[1] + box[3]) / 2 <= y1]
                    assert under, (number, x0, x1)
                    ink = min(box[0] for box in under), max(box[2] for box in under)
                    assert ink[0] - x0 < 12 and x1 - ink[1] < 12, (number, x0, x1, ink)
    finally:
        document.close()


def test_fact_sheet_is_one_sheet_at_most(factsheet_pdf: Path) -> None:
    assert len(PdfReader(str(factsheet_pdf)).pages) <= 2


def test_annex_holds_all_six_clauses_verbatim_in_order(annex_pdf: Path, project: Project) -> None:
    content = load_publication(project, PUBLICATION)
    layer = normalise(pdfium_text(annex_pdf))
    assert content.annex is not None
    clauses = [normalise(clause.text) for clause in content.annex.schedules[0].clauses]
    assert len(clauses) == 6
    # Compare word sequences: pdfium joins wrapped lines with a line break.
    positions = []
    for clause in clauses:
        assert clause in layer, clause
        positions.append(layer.index(clause))
    assert positions == sorted(positions)


def test_annex_numbers_its_clauses(annex_pdf: Path) -> None:
    layer = normalise(pdfium_text(annex_pdf))
    for number in "123456":
        assert f"البند {number}" in layer


def test_fact_sheet_holds_figures_timeline_and_lists(factsheet_pdf: Path, project: Project) -> None:
    content = load_publication(project, PUBLICATION)
    layer = normalise(pdfium_text(factsheet_pdf))
    for quoted in content.facts.lists:
        for item in quoted.items:
            assert normalise(item) in layer
    tokens = layer.split()
    for event in content.facts.timeline:
        for number in re.findall(r"\d+", event.when):
            assert number in re.findall(r"\d+", layer), event.when
    # A figure's value is a whole token of the card, next to the start of its label.
    for figure in content.facts.figures:
        label = normalise(figure.label).split()[0]
        assert any(token == figure.value and label in tokens[max(i - 3, 0):i + 4]
                   for i, token in enumerate(tokens)), figure.value


def test_content_holds_no_presentation_forms(project: Project) -> None:
    """Every text the build reads from content/ (Markdown and YAML; not an image beside them)."""
    for path in sorted(project.content_dir.rglob("*")):
        if path.is_file() and path.suffix in {".md", ".yaml"}:
            assert not PRESENTATION_FORMS.search(path.read_text(encoding="utf-8")), path


def test_brief_metadata(brief_pdf: Path, project: Project) -> None:
    publication = load_publication(project, PUBLICATION).publication
    reader = PdfReader(str(brief_pdf))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == publication.title
    assert meta.subject == publication.subtitle
    assert meta["/Keywords"] == ", ".join(publication.keywords)
    assert reader.root_object["/Lang"] == "ar"
    assert str(meta["/CreationDate"]).startswith("D:20261129")


def test_brief_bookmarks_follow_the_headings(brief_pdf: Path, project: Project) -> None:
    content = load_publication(project, PUBLICATION)
    reader = PdfReader(str(brief_pdf))

    def titles(outline) -> list[str]:
        found: list[str] = []
        for item in outline:
            found += titles(item) if isinstance(item, list) else [item.title]
        return found

    assert titles(reader.outline) == [content.publication.title] + [
        section.heading for section in content.brief.sections]


def test_brief_contents_list_gives_the_right_page_numbers(brief_pdf: Path) -> None:
    pages_ = pages(brief_pdf)
    # Section headings are set at 17pt in the bold text face (brief.css).
    heading_pages = [page.number for page in pages_ for line in page.lines
                     if line.glyphs[0].size == 17.0 and "Amiri-Bold" in line.glyphs[0].font]
    assert len(heading_pages) == 6
    # Contents entries: lines on page 1 ending with a number at their left end (the leader
    # dots run between title and number).
    contents_numbers = []
    for line in pages_[0].lines:
        if "." * 5 in line.text:
            digits = "".join(g.text for g in line.glyphs[:3] if g.text.isdigit())
            contents_numbers.append(int(digits))
    assert contents_numbers == heading_pages
