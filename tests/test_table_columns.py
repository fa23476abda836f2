"""Numeric table columns are set flush right without `---:`; text columns keep to the start side.

The classifier is tested on strings and on parsed Markdown; the layout on the session build's
PDFs, from glyph positions: the LTR sample and the Arabic fixture each hold a table whose
delimiter row has no colons.
"""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefpress.check.geometry import Line, Page, pages
from briefpress.layout.blocks import blocks_html
from briefpress.source.columns import is_number
from briefpress.source.markdown import parse_brief

from conftest import FIXTURES, TARGETS, Target

# The classifier ----------------------------------------------------------------------------

NUMBERS = ["7", "1,240", "1,234,567.89", "0.35", ".5", "3,5", "-3.5%", "+12", "\u22123.5 %",
           "62.5%", "90 %", "$12", "12 €", "€ 1,000", "-$5", "2018–2020", "2018 – 2020", "10%–20%",
           "1\u202f234", "١٢٣", "١٬٢٤٠", "٣٫٥٪", "٢٠١٨–٢٠٢٠", "۱۲۳", "\u200e-3.5%"]
NOT_NUMBERS = ["S/RES/2397", "A/78/L.1", "2019-01-01", "2018-2020", "+1-212-963-1234", "212 963 1234",
               "1718 (2006)", "Paragraph", "12 apples", "7.5 طن", "تأييد", "1 234", "1.2.3", "12,34,5",
               "2017–", "%12", "12$$", "", "-", "–"]


@pytest.mark.parametrize("text", NUMBERS)
def test_numbers_count_as_numeric(text: str) -> None:
    assert is_number(text)


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_codes_dates_phone_numbers_and_words_do_not(text: str) -> None:
    assert not is_number(text)


class _HeaderAligns(HTMLParser):
    """The text-align of each header cell, as written in its style attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.aligns: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "th":
            self.aligns.append((dict(attrs).get("style") or "").partition(":")[2])


def _html(table: str) -> str:
    brief, problems = parse_brief(f"---\nrunning_head: r\n---\n## h\n\n{table}\n", "brief.md")
    assert not problems and brief is not None
    return str(blocks_html(brief.sections[0].blocks))


def _aligned(table: str) -> list[str]:
    """The text-align of each header cell of a Markdown table, as the brief renders it."""
    parser = _HeaderAligns()
    parser.feed(_html(table))
    return parser.aligns


def test_a_numeric_column_takes_right_alignment_in_every_cell() -> None:
    table = "| a | b |\n|---|---|\n| x | 1,240 |\n| y | 96 |\n"
    assert _aligned(table) == ["", "right"]
    html = _html(table)
    assert '<td style="text-align:right">96</td>' in html and "<td>y</td>" in html


def test_empty_cells_and_lone_dashes_do_not_make_a_column_text() -> None:
    table = ("| a | b | c | d |\n|---|---|---|---|\n| x | - | 1 | **2** |\n| y |  | — | – |\n"
             "| z | 3 | – | 4 |\n")
    assert _aligned(table) == ["", "right", "right", "right"]


@pytest.mark.parametrize("cells", [("1", "two"), ("1", "2019-01-01"), ("-", "–"), ("", ""),
                                   ("[1](https://example.org)", "2"), ("`1`", "2")])
def test_one_cell_that_is_not_a_number_keeps_the_column_at_the_start(cells: tuple[str, str]) -> None:
    table = f"| a | b |\n|---|---|\n| x | {cells[0]} |\n| y | {cells[1]} |\n"
    assert _aligned(table) == ["", ""]


@pytest.mark.parametrize(("delimiter", "align"), [(":---", "left"), (":---:", "center"),
                                                  ("---:", "right")])
def test_the_authors_alignment_wins(delimiter: str, align: str) -> None:
    assert _aligned(f"| a | b |\n|---|{delimiter}|\n| x | 1 |\n| y | 2 |\n") == ["", align]


def test_the_header_row_alone_does_not_count() -> None:
    assert _aligned("| 2018 | 2019 |\n|---|---|\n| a | b |\n") == ["", ""]


def _problems(table: str) -> list[str]:
    _, problems = parse_brief(f"---\nrunning_head: r\n---\n## h\n\n{table}\n", "brief.md")
    return [f"line {problem.line}: {problem.message}" for problem in problems]


@pytest.mark.parametrize(("row", "cells"), [("| y | 2 | 3 |", 3), ("| y |", 1), ("y", 1)])
def test_a_row_of_another_number_of_cells_than_its_header_is_an_error(row: str, cells: int) -> None:
    """Markdown drops the cells past the header's and fills a short row with empty ones: a cell
    typed in the wrong row, or a pipe too many, would reach the page lost or shifted."""
    problems = _problems(f"| a | b |\n|---|---|\n| x | 1 |\n{row}\n")
    assert len(problems) == 1 and problems[0].startswith(f"line 9: a table row of {cells} cell"), problems


@pytest.mark.parametrize("table", [
    "| a | b |\n|---|---|\n| x | 1 |\n| y |  |\n",  # an empty cell, typed
    "a | b\n---|---\nx | 1\n",  # no outer pipes
    "| a | b |\n|---|---|\n| x \\| y | 1 |\n",  # an escaped pipe is text
    "> | a | b |\n> |---|---|\n> | x | 1 |\n",  # in a quote
    "- item\n\n  | a | b |\n  |---|---|\n  | x | 1 |\n",  # in a list item
])
def test_rows_of_the_headers_number_of_cells_pass(table: str) -> None:
    assert _problems(table) == []


# On the page --------------------------------------------------------------------------------

# The fixture tables with no colons in their delimiter row: first header cell -> numeric columns.
TABLES = {"ltr-sample": ("Construct", {1, 2, 3}), "sanctions-watch": ("الموقف", {1})}
TABLE_BRIEFS = [target for target in TARGETS if target.publication in TABLES
                and target.document == "brief"]
CELL_GAP = 0.8  # cells stand at least 5 mm apart (2.5 mm padding each side): 14 pt, over 0.8 em


def _source_rows(publication: str) -> list[list[str]]:
    """The cells' text of the fixture's table, header row first, from its brief.md."""
    path = FIXTURES / "content" / publication / "brief.md"
    brief, problems = parse_brief(path.read_text(encoding="utf-8"), str(path))
    assert brief is not None, problems
    first = TABLES[publication][0]
    for section in brief.sections:
        for block in section.walk():
            if block.kind != "table":
                continue
            rows: list[list[str]] = []
            for index, token in enumerate(block.tokens):
                if token.type == "tr_open":
                    rows.append([])
                elif token.type in {"th_open", "td_open"}:
                    rows[-1].append(block.tokens[index + 1].content.strip())
            if rows[0][0] == first:
                return rows
    raise AssertionError(f"no table headed {first!r} in {path}")


def _digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(char)) for char in text
                   if unicodedata.decimal(char, None) is not None)


def _row_line(read: list[Page], row: list[str], rtl: bool) -> tuple[int, Line]:
    """The one line whose numbers are the row's numbers, in drawing order."""
    wanted = [_digits(cell) for cell in row if _digits(cell)]
    wanted = wanted[::-1] if rtl else wanted
    found = [(page.number, line) for page in read for line in page.lines
             if [_digits(cell.text) for cell in line.segments(CELL_GAP) if _digits(cell.text)] == wanted
             and len(line.segments(CELL_GAP)) == len(row)]
    assert len(found) == 1, f"{row}: {len(found)} lines"
    return found[0]


def _header_line(page: Page, first_row: Line, columns: int) -> Line:
    """The bold line of `columns` cells nearest above the first body row."""
    above = [line for line in page.lines if line.top < first_row.top
             and all("Bold" in glyph.font for glyph in line.glyphs)
             and len(line.segments(CELL_GAP)) == columns]
    assert above, "no header row above the table"
    return max(above, key=lambda line: line.top)


def _columns(target: Target, built: Path) -> list[list[tuple[float, float]]]:
    """(x0, x1) of each column's cells, header first, in source column order."""
    rows = _source_rows(target.publication)
    rtl = target.direction == "rtl"
    read = pages(built / target.path)
    found = [_row_line(read, row, rtl) for row in rows[1:]]
    page = read[found[0][0] - 1]
    lines = [_header_line(page, found[0][1], len(rows[0]))] + [line for _, line in found]
    columns: list[list[tuple[float, float]]] = [[] for _ in rows[0]]
    for line in lines:
        cells = line.segments(CELL_GAP)
        for index, cell in enumerate(cells[::-1] if rtl else cells):
            columns[index].append((cell.x0, cell.x1))
    return columns


def _spread(values: list[float]) -> float:
    return max(values) - min(values)


@pytest.mark.parametrize("table_target", TABLE_BRIEFS, ids=str)
def test_numeric_columns_end_on_one_right_edge_in_both_directions(built: Path, table_target: Target) -> None:
    columns = _columns(table_target, built)
    numeric = TABLES[table_target.publication][1]
    for index in sorted(numeric):
        lefts, rights = [x0 for x0, _ in columns[index]], [x1 for _, x1 in columns[index]]
        print(f"{table_target} column {index}: right edges spread {_spread(rights):.2f} pt, "
              f"left edges {_spread(lefts):.2f} pt")
        # Units under units: every cell, the header's too, ends on the column's right edge ...
        assert _spread(rights) < 0.5, (index, columns[index])
        # ... though the cells differ in width, so a left or centred column would fail.
        assert _spread(lefts) > 3, (index, columns[index])


@pytest.mark.parametrize("table_target", TABLE_BRIEFS, ids=str)
def test_text_columns_stay_on_the_start_side(built: Path, table_target: Target) -> None:
    columns = _columns(table_target, built)
    rtl = table_target.direction == "rtl"
    text = [index for index in range(len(columns)) if index not in TABLES[table_target.publication][1]]
    assert text
    for index in text:
        starts = [x1 if rtl else x0 for x0, x1 in columns[index]]
        ends = [x0 if rtl else x1 for x0, x1 in columns[index]]
        print(f"{table_target} column {index}: start edges spread {_spread(starts):.2f} pt, "
              f"end edges {_spread(ends):.2f} pt")
        assert _spread(starts) < 0.5, (index, columns[index])
        assert _spread(ends) > 3, (index, columns[index])
    # The first column, a text column, stands on the start side: right in RTL, left in LTR.
    others = [edge for column in columns[1:] for edge in column]
    if rtl:
        assert min(x0 for x0, _ in columns[0]) > max(x1 for _, x1 in others)
    else:
        assert max(x1 for _, x1 in columns[0]) < min(x0 for x0, _ in others)


def test_a_cells_words_may_wrap_so_its_column_can_narrow() -> None:
    """A cell's last two words are not held together as a paragraph's are: a two-word header
    («سنة التشغيل») held on one line kept a five-column table on A5 wider than the page, and
    the build refused a correct table."""
    html = _html("قبل الجدول كلمتان أخيرتان\n\n| المشروع | سنة التشغيل |\n|---|---|\n"
                 "| مصر – السعودية | مصر والسعودية |\n")
    cells = html[html.index("<table"):]
    assert "\u2060" not in cells
    assert "كلمتان \u2060أخيرتان" in html[:html.index("<table")]
