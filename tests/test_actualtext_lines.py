"""ActualText worked out for a whole line: numbers in brackets, table cells, list numbers, links.

pdfium and poppler each reorder a right-to-left line as one string made of every word on it, so
the strings of a line's words are cut from one string worked out for the line, for each reader
(`pdfium_line_string`, `poppler_line_string`). These tests hold those strings on their own and
the copy of real PDFs: the fixture publication and a small article built here with the cases it
lacks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from briefpress.build import build
from briefpress.check.textlayer import normalise, pdfium_text, poppler_text
from briefpress.output.actualtext import (
    RLM,
    _copied_units,
    pdfium_line_string,
    pdfium_object_text,
    poppler_line_string,
)
from briefpress.source.skeleton import new_publication

from conftest import PUBLICATION, copy_project, weasyprint_warnings_fail

# Cases the fixture lacks: inline code before a year, a bracketed Arabic word, a link long
# enough to break over two lines, a phone number with spaces, bracketed words in the cells of a
# table's body.
MIXED = """
## أرقام بين قوسين

أنشأت اللجنة عملاً بالقرار 1718 (2006) آلية، وفق الوثيقة `S/RES/2397` (2017) والقرار (الأممي) الجديد.

للمزيد انظر {link} أو اتصل على +44 20 7946 0958.

| البند | الكمية (طن) | النسبة |
|---|---|---|
| الفحم | 1,200 | 12.5% |
| الحديد (الخام) | 850 | 3.5% |
"""
LINK = "https://www.example.org/reports/2024/sanctions-implementation-annual-review/annex-b.html"
MIXED = MIXED.replace("{link}", LINK)


@pytest.fixture(scope="module")
def mixed_brief(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The general brief of a new publication whose brief ends with the cases above."""
    root = tmp_path_factory.mktemp("mixed")
    project = copy_project(root / "project", fixtures=False, only=PUBLICATION)
    new_publication(project, "mixed-runs")
    brief = project.content_dir / "mixed-runs" / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8") + MIXED, encoding="utf-8")
    with weasyprint_warnings_fail("the mixed-runs build"):
        build(project, root / "out", ["mixed-runs"], ["brief"], ["general"])
    return root / "out" / "mixed-runs" / "general" / "brief.pdf"


@pytest.mark.parametrize(
    ("copied", "string"),
    [
        # a right-to-left run reversed; brackets and spaces between numbers mirrored in place
        ("بالقرار 1718 (2006) آلية", "ةيلآ( 2006 )1718 رارقلاب"),
        ("السقف (برميل)", "(ليمرب )فقسلا"),
        # Latin letters keep their order, a neutral after them too; digits and separators are
        # weak and keep their order without turning the line left to right
        ("القرار S/RES/2397 (2017) الذي", "يذلا) 2017 (/2397RES/S رارقلا"),
    ],
)
def test_a_line_is_turned_into_what_pdfium_reads(copied: str, string: str) -> None:
    assert pdfium_line_string(copied) == string


def test_an_object_read_right_to_left_takes_its_runs_in_reverse_order() -> None:
    # its runs in reverse order, each but the Arabic ones reversed; the change undoes itself
    assert pdfium_object_text("ةيلآ( ", right_to_left=True) == " (ةيلآ"
    assert pdfium_object_text(pdfium_object_text("(ليمرب) ", True), True) == "(ليمرب) "
    assert pdfium_object_text(")1718 ", right_to_left=False) == ")1718 "


def test_a_line_is_cut_into_the_units_it_is_drawn_in() -> None:
    # glyph texts left to right and text read back, for `(آلية) S/RES/2397 (2017).`: an isolated
    # run in typed order, its full stop drawn on its left; a bracket in Arabic drawn mirrored
    words = [(".S/RES/2397", "S/RES/2397."), ("(2017)", ")2017("), ("(ةيلآ)", ")آلية(")]
    assert _copied_units(words) == [("S/RES/2397 (2017).", [0, 1]), ("(آلية)", [2])]
    # a year drawn left of a Latin run is not part of it
    assert [text for text, _ in _copied_units([("(2017)", ")2017("), ("S/RES/2397", "S/RES/2397")])] == [
        "(2017)", "S/RES/2397"]
    # numbers one after another are drawn right to left, each its own unit, unless a sign drawn
    # left of its digits shows them drawn left to right together in one text object
    numbers = [(".+44", "+44."), ("20", "20"), ("7946", "7946"), ("0958", "0958")]
    assert _copied_units(numbers, ["box"] * 4) == [("+44 20 7946 0958.", [0, 1, 2, 3])]
    apart = [text for text, _ in _copied_units(numbers, ["a", "b", "c", "d"])]
    assert apart == ["+44.", "20", "7946", "0958"]
    assert [text for text, _ in _copied_units([("(2006)", ")2006("), ("1718", "1718")], ["box"] * 2)] == [
        "(2006)", "1718"]
    # an amount drawn left of a Latin run in the same text object opens the run
    amount = [("$3.5", "$3.5"), ("billion", "billion")]
    assert [text for text, _ in _copied_units(amount, ["box"] * 2)] == ["$3.5 billion"]
    assert [text for text, _ in _copied_units([("2019", "2019"), ("NATO", "NATO")], ["box"] * 2)] == [
        "2019", "NATO"]


def test_pdfium_copies_numbers_in_brackets_and_table_cells(built: Path) -> None:
    """The fixture: a number then a year in brackets, and header cells with a bracketed word."""
    copied = normalise(pdfium_text(built / "sanctions-watch" / "general" / "brief.pdf"))
    for typed in ("بالقرار 1718 (2006) آلية", "السقف (برميل)", "المُعلَن (برميل)",
                  "الموقع https://www.un.org/securitycouncil/ دون"):
        assert typed in copied


def test_pdfium_copies_code_brackets_and_body_cells(mixed_brief: Path) -> None:
    copied = normalise(pdfium_text(mixed_brief))
    for typed in ("بالقرار 1718 (2006) آلية،", "الوثيقة S/RES/2397 (2017) والقرار (الأممي) الجديد.",
                  "الكمية (طن)", "الحديد (الخام)", "على +44 20 7946 0958."):
        assert typed in copied


def test_poppler_copies_code_brackets_phone_numbers_and_body_cells(mixed_brief: Path) -> None:
    copied = normalise(poppler_text(mixed_brief))
    for typed in ("بالقرار 1718 (2006) آلية،", "الوثيقة S/RES/2397 (2017) والقرار (الأممي) الجديد.",
                  "الكمية (طن)", "الحديد (الخام)", "على +44 20 7946 0958."):
        assert typed in copied


@pytest.mark.parametrize("reader", [pdfium_text, poppler_text])
def test_a_link_broken_over_two_lines_copies_whole(mixed_brief: Path, reader: Callable[[Path], str]) -> None:
    copied = normalise(reader(mixed_brief)).split()
    assert LINK in copied
    assert "annex-b.html" not in copied


@pytest.mark.parametrize(
    ("copied", "string"),
    [
        # from the right: an Arabic section reversed, then a section of digits and Latin as it
        # is; a right-to-left mark ends it where a bracket or a sign follows
        ("بالقرار 1718 (2006) آلية", "ةيلآ )" + RLM + "1718 (2006 رارقلاب"),
        ("بنسبة -3.5% خلال", "لالخ " + RLM + "-3.5% ةبسنب"),
        ("قبل عام 2017.", "2017. ماع لبق"),
        ("1. تقديم الطلب", "بلطلا ميدقت " + RLM + "1."),
    ],
)
def test_a_line_is_turned_into_what_poppler_reads(copied: str, string: str) -> None:
    assert poppler_line_string(copied) == string


def test_poppler_copies_numbers_signs_lists_and_links(built: Path) -> None:
    """The fixture: what poppler ran together or turned round word by word."""
    copied = normalise(poppler_text(built / "sanctions-watch" / "general" / "brief.pdf"))
    for typed in ("بالقرار 1718 (2006) آلية", "القرار S/RES/2397 (2017) الذي", "بنسبة -3.5% خلال",
                  "نحو 10% فقط", "1. تقديم الطلب", "2. مراجعة الأمانة", "https://press.un.org/en/ أو",
                  "sc-1718-committee@un.org أو", "الهاتف +1-212-963-1234.", "(Panel of Experts) ما",
                  "السقف (برميل)", "2017.", "2023-10-27."):
        assert typed in copied
