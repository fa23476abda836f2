"""Right-to-left layout, read back from glyph positions in the real PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpress.check.geometry import Line, Page, pages

MM = 72 / 25.4
A4_WIDTH = 210 * MM
BRIEF_MARGIN = 20 * MM  # base.css: margin-inline: 20mm
SHEET_MARGIN = 16 * MM  # factsheet.css: margin-inline: 16mm
TOLERANCE = 1.5  # points


@pytest.fixture(scope="module")
def brief_pages(brief_pdf: Path) -> list[Page]:
    return pages(brief_pdf)


@pytest.fixture(scope="module")
def annex_pages(annex_pdf: Path) -> list[Page]:
    return pages(annex_pdf)


@pytest.fixture(scope="module")
def factsheet_pages(factsheet_pdf: Path) -> list[Page]:
    return pages(factsheet_pdf)


def body_lines(page: Page) -> list[Line]:
    """Lines set wholly in the text face (Amiri), outside the page margins."""
    return [line for line in page.lines
            if all("Amiri" in glyph.font for glyph in line.glyphs)
            and BRIEF_MARGIN < line.top < page.height - BRIEF_MARGIN]


def test_body_lines_are_anchored_at_the_right_edge(brief_pages: list[Page]) -> None:
    right_edge = A4_WIDTH - BRIEF_MARGIN  # 595.28 - 56.69 = 538.58 pt
    lines = [line for page in brief_pages for line in body_lines(page)]
    assert len(lines) > 40
    # Paragraph lines end at the right edge; list lines end one indent further in.
    paragraph_lines = [line for line in lines if "–" not in line.text]
    at_edge = [line for line in paragraph_lines if abs(line.x1 - right_edge) < TOLERANCE]
    assert len(at_edge) == len(paragraph_lines), [
        (round(line.x1, 1), line.text[:20]) for line in paragraph_lines
        if abs(line.x1 - right_edge) >= TOLERANCE]
    # Ragged on the left: short last lines of paragraphs start well inside the left edge.
    assert any(line.x0 > BRIEF_MARGIN + 100 for line in paragraph_lines)


def _marker_lines(pages_: list[Page]) -> list[Line]:
    return [line for page in pages_ for line in page.lines
            if any(glyph.text == "–" for glyph in line.glyphs)]


def test_list_markers_sit_right_of_their_items(brief_pages: list[Page]) -> None:
    lines = _marker_lines(brief_pages)
    assert len(lines) == 15  # the seed's three dash lists: 6 + 6 + 3 items, one line each
    for line in lines:
        marker = next(glyph for glyph in line.glyphs if glyph.text == "–")
        text = [glyph for glyph in line.glyphs if glyph is not marker]
        assert marker.x0 >= max(glyph.x1 for glyph in text) - 0.01, line.text


def test_clause_numbers_sit_right_of_clause_text(annex_pages: list[Page]) -> None:
    clause_lines = [line for page in annex_pages for line in page.lines
                    if "IBM-Plex-Sans-Arabic-Bold" in {g.font for g in line.glyphs}
                    and any("Amiri" in g.font for g in line.glyphs)]
    assert len(clause_lines) == 12  # two schedules of six clauses
    for line in clause_lines:
        number = line.in_font("IBM-Plex-Sans-Arabic-Bold")
        text = line.in_font("Amiri")
        assert min(g.x0 for g in number) > max(g.x1 for g in text), line.text


def test_timeline_date_column_is_on_the_right(factsheet_pages: list[Page]) -> None:
    first = factsheet_pages[0]
    rows = [line for line in first.lines if ("1961" in line.text or "2024" in line.text)
            and line.size < 20]  # figure cards show years too, at 26pt
    assert rows, "no timeline row found"
    for line in rows:
        date = line.in_font("IBM-Plex-Sans-Arabic-Bold")
        event = line.in_font("Amiri")
        assert date and event
        assert min(g.x0 for g in date) > max(g.x1 for g in event), line.text


def test_earliest_date_is_the_first_timeline_row(factsheet_pages: list[Page]) -> None:
    first = factsheet_pages[0]
    tops = {year: min(line.top for line in first.lines if year in line.text and line.size < 20
                      and line.in_font("IBM-Plex-Sans-Arabic-Bold"))
            for year in ("1961", "2006", "2018", "2019", "2021", "2024")}
    assert list(tops) == sorted(tops, key=lambda year: tops[year])


def test_first_figure_card_is_on_the_right(factsheet_pages: list[Page]) -> None:
    first = factsheet_pages[0]
    big = [line for line in first.lines  # figure values are set at 26pt (factsheet.css)
           if line.glyphs and line.glyphs[0].size >= 25 and line.text.strip().isdigit()]
    values = sorted((g for line in big for g in line.glyphs), key=lambda g: g.x0)
    # facts.yaml order is 10, 6, 6, 6: the 10 must be rightmost.
    assert "".join(g.text for g in values[-2:]) == "10"


def test_every_brief_page_after_the_first_has_its_number(brief_pages: list[Page]) -> None:
    total = len(brief_pages)
    assert total >= 2
    for page in brief_pages[1:]:
        footer = [line for line in page.lines if line.top > page.height - 22 * MM]
        text = " ".join(line.text for line in footer)
        assert str(page.number) in text and str(total) in text, (page.number, text)


def test_running_head_starts_on_the_right(brief_pages: list[Page]) -> None:
    for page in brief_pages[1:]:
        head = [line for line in page.lines if line.top < 24 * MM]
        assert head, f"page {page.number} has no running head"
        rightmost = max(head, key=lambda line: line.x1)
        assert abs(rightmost.x1 - (A4_WIDTH - BRIEF_MARGIN)) < TOLERANCE


# A list item written wholly in the other direction, in each publication direction, in the
# brief (a tight list) and the fact sheet: (publication, document, the item's first words, the
# side of the item its list's markers are on).
OTHER_DIRECTION_ITEMS = [("copy-cases", "brief", "Repair crews report", "right"),
                         ("copy-cases", "factsheet", "Repair crews report", "right"),
                         ("bilingual-brief", "brief", "Is every leaf", "left"),
                         ("bilingual-brief", "brief", "هل الصورة واضحة", "left")]


@pytest.mark.parametrize(("publication", "document", "words", "side"), OTHER_DIRECTION_ITEMS)
def test_an_item_in_the_other_direction_keeps_its_list_s_marker_side(
        built: Path, publication: str, document: str, words: str, side: str) -> None:
    """Its marker stays on its list's side, beside its text: an English item of an Arabic list
    is not set from the left margin with its marker on the left, apart from its siblings."""
    first = words.split()[0]
    for page in pages(built / publication / "general" / f"{document}.pdf"):
        for line in page.lines:
            markers = [glyph for glyph in line.glyphs if glyph.text in "–•"]
            if not markers or not (first in line.text or first[::-1] in line.text):
                continue
            marker = markers[0]
            text = [glyph for glyph in line.glyphs if glyph is not marker and glyph.text.strip()]
            gap = (marker.x0 - max(glyph.x1 for glyph in text) if side == "right"
                   else min(glyph.x0 for glyph in text) - marker.x1)
            assert 0 < gap < 3 * marker.size, f"marker {gap:.1f} pt from its text: {line.text}"
            return
    raise AssertionError(f"{words!r} not found with a marker in {publication}")


def test_a_heading_written_in_the_other_direction_is_set_in_it(tmp_path: Path) -> None:
    """An Arabic section heading in an English brief, and an Arabic heading inside a section,
    are set right to left from the right margin, as an Arabic paragraph of that brief is; an
    English heading beside them stays at the left."""
    from briefpress.build import build

    from conftest import copy_project

    project = copy_project(tmp_path / "project", only="ltr-sample")
    brief = project.content_dir / "ltr-sample" / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8") + (
        "\n## الأمن المائي في المنطقة\n\nThe section's text is written in English.\n"
        "\n### ملاحظة قصيرة\n\nSo is the text under its Arabic subheading.\n"), encoding="utf-8")
    build(project, tmp_path / "out", publications=["ltr-sample"], documents=["brief"],
          audiences=["general"])
    lines = [line for page in pages(tmp_path / "out" / "ltr-sample" / "general" / "brief.pdf")
             for line in page.lines if BRIEF_MARGIN < line.top < page.height - BRIEF_MARGIN]
    for heading in ("المائي", "قصيرة"):
        found = [line for line in lines if heading in line.text or heading[::-1] in line.text]
        assert found, heading
        assert abs(found[-1].x1 - (A4_WIDTH - BRIEF_MARGIN)) < TOLERANCE, (heading, found[-1].x1)
        assert found[-1].x0 > A4_WIDTH / 2, (heading, found[-1].x0)
    english = next(line for line in lines if line.text.replace(" ", "") == "Closingnote")
    assert abs(english.x0 - BRIEF_MARGIN) < TOLERANCE
