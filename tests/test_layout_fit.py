"""Tables, fit on every paper size and reading direction, read back from real PDFs.

Every publication found in content/ and tests/fixtures/content/ (the LTR sample among them) is
built for every shipped profile; the fixtures, whose fit on every paper the suite promises, also
for one scratch profile per paper size (A4, A5 and letter, whatever the shipped profiles use)
that the general profile, which it copies, does not print on: that one would lay out every page
as general does. A user's publication is laid out on the papers its profiles choose only (a
fact sheet written for A4 may not fit A5, and no edition prints it there). Two briefs are added on general
and the scratch profiles: the fixture with sections generated so that headings, lists and
tables meet page breaks, and the LTR sample with a numeric table; and on general, a brief with
more sections than a page of contents holds.
"""

from __future__ import annotations

import collections
import itertools
import re
import shutil
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pytest
import yaml
from pypdf import PdfReader

from briefpress.build import build
from briefpress.check.geometry import Line, Page, pages
from briefpress.check.pagequality import body_size
from briefpress.layout.blocks import blocks_html
from briefpress.layout.html import render_html
from briefpress.layout.pagefit import FITS
from briefpress.project import Project
from briefpress.source.audiences import load_profiles, select
from briefpress.source.markdown import parse_brief
from briefpress.source.model import Content
from briefpress.source.publication import load_publication

from badinputs import png_bytes
from conftest import PUBLICATION, ROOT, copy_project, copy_templates

MM = 72 / 25.4
PAPERS = ("A4", "A5", "letter")
FIXTURES = ROOT / "tests" / "fixtures"
# Page margins (block start, block end, inline) from base.css and factsheet.css.
MARGINS = {"brief": (24, 22, 20), "annex": (24, 22, 20), "factsheet": (14, 16, 16)}
NEAR_EMPTY = 1 / 3  # a second fact-sheet page must be filled at least this far
STRESS = "layout-stress"  # the fixture with sections generated to land on page breaks
LTR_TABLE = "ltr-table"  # the LTR sample with a numeric table
LONG_CONTENTS = "long-contents"  # a brief whose contents list runs over a page


def _sources() -> dict[str, Path]:
    """Every publication folder the suite builds, by id."""
    found = {}
    for base in (ROOT / "content", FIXTURES / "content"):
        for folder in sorted(base.iterdir()):
            if (folder / "publication.yaml").is_file():
                found[folder.name] = folder
    return found


def _stress_brief(text: str) -> str:
    """The brief with sections and subsections whose headings fall at every height of a page.

    Each subheading is followed by a paragraph, a list or a table, so some of them meet
    the bottom of a page whatever the paper size; a last section holds a 60-row table.
    """
    word = "كلمة"
    parts = [text.rstrip(), ""]
    for number in range(1, 11):
        parts += [f"## {word} {number}", "", " ".join([word] * (13 * (number % 7) + 4)) + ".", ""]
        for sub in range(1, 4):
            parts += [f"### {word} {number}-{sub}", ""]
            kind = (number + sub) % 3
            if kind == 0:
                parts += [f"- {word} {item}." for item in range(1, 4)] + [""]
            elif kind == 1:
                parts += ["| A | B | C |", "|---|---:|---:|"]
                parts += [f"| {number}{sub}{row} | {row * 1234:,} | {row * 7.5:.1f}% |"
                          for row in range(1, 4)]
                parts += ["", f": {word} {number}-{sub}", ""]
            else:
                parts += [" ".join([word] * (5 * sub + number)) + ".", ""]
    parts += ["## " + word, "", "| A | B | C |", "|---|---:|---:|"]
    parts += [f"| {2000 + row} | {row * 1234:,} | {row * 7.5:.1f}% |" for row in range(1, 61)]
    return "\n".join(parts) + "\n"


def _long_contents_brief(text: str) -> str:
    """The brief with 36 short sections added: 40 entries, more than a page of contents holds."""
    parts = [text.rstrip(), ""]
    for number in range(1, 37):
        parts += [f"## مذكرة المتابعة رقم {number}", "",
                  "تتابع هذه المذكرة ما ورد في التقرير السابق، وتعرض ما استجد منذ صدوره.", ""]
    return "\n".join(parts)


def _ltr_table_brief(text: str) -> str:
    rows = [f"| {2000 + row} | {row * 1234:,} | {row * 2.5:.1f}% |" for row in range(1, 6)]
    return text.rstrip() + "\n\n## A table\n\n| Year | Count | Share |\n|---|---:|---:|\n" + \
        "\n".join(rows) + "\n\n: Counts by year\n"


def _fixtures() -> list[str]:
    """The fixture publications, and those the fit build adds from them."""
    return [*sorted(folder.name for folder in (FIXTURES / "content").iterdir()
                    if (folder / "publication.yaml").is_file()), STRESS, LTR_TABLE]


def _paper_profiles(audiences: Path) -> dict[str, dict]:
    """General's profile on each paper size it does not print on already, for the fixtures."""
    general = yaml.safe_load((audiences / "general.yaml").read_text(encoding="utf-8"))
    own = general.get("paper", "A4")
    return {f"paper-{paper.lower()}": {**general, "name": f"paper-{paper.lower()}", "paper": paper,
                                       "publications": _fixtures()}
            for paper in PAPERS if paper != own}


SIZED = ["general", *_paper_profiles(ROOT / "templates" / "audiences")]  # the added briefs' editions


@dataclass(frozen=True)
class Built:
    project: Project
    out: Path
    notes: tuple[str, ...] = ()  # what the builds reported (a last page they could not fill)


@pytest.fixture(scope="session")
def fit_build(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The fixture publications for every profile and the paper-size profiles; what the session
    build already made is kept from it (its build record comes along), not made again."""
    root = tmp_path_factory.mktemp("fit") / "project"
    (root / "content").mkdir(parents=True)
    for name, folder in _sources().items():
        shutil.copytree(folder, root / "content" / name)
    for name, make, base in ((STRESS, _stress_brief, "sanctions-watch"),
                             (LTR_TABLE, _ltr_table_brief, "ltr-sample"),
                             (LONG_CONTENTS, _long_contents_brief, "sanctions-watch")):
        target = root / "content" / name
        shutil.copytree(root / "content" / base, target)
        meta = target / "publication.yaml"
        meta.write_text(meta.read_text(encoding="utf-8").replace(f"id: {base}", f"id: {name}"),
                        encoding="utf-8")
        brief = target / "brief.md"
        text = brief.read_text(encoding="utf-8")
        brief.write_text(make(text), encoding="utf-8")
    copy_templates(root)
    for name, data in _paper_profiles(root / "templates" / "audiences").items():
        (root / "templates" / "audiences" / f"{name}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (root / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    project = Project(root)
    shutil.copytree(built, root / "out")
    notes: list[str] = []
    build(project, root / "out", publications=list(_sources()), on_note=notes.append)
    build(project, root / "out", publications=[STRESS, LTR_TABLE], documents=["brief"],
          audiences=SIZED, on_note=notes.append)
    build(project, root / "out", publications=[LONG_CONTENTS], documents=["brief"], audiences=["general"],
          on_note=notes.append)
    return Built(project, root / "out", tuple(notes))


def _targets() -> list[tuple[str, str, str]]:
    """(publication, audience, document) for every PDF the fit build writes."""
    profiles = load_profiles(Project(ROOT))
    documents = {name: profile.documents for name, profile in profiles.items()}
    documents.update({name: profiles["general"].documents for name in
                      _paper_profiles(ROOT / "templates" / "audiences")})
    sources = _sources()
    fixtures = _fixtures()
    found: list[tuple[str, str, str]] = [
        (pub, audience, doc) for pub in sources for audience in sorted(documents)
             if (profiles[audience].gets(pub) if audience in profiles else pub in fixtures)
             for doc in documents[audience]
             if doc != "annex" or (sources[pub] / "annex.yaml").exists()]  # an annex needs its source
    return found + [(pub, audience, "brief") for pub in (STRESS, LTR_TABLE) for audience in SIZED] \
        + [(LONG_CONTENTS, "general", "brief")]


TARGETS = _targets()


def _ids(targets: list[tuple[str, str, str]]) -> list[str]:
    return ["/".join(target) for target in targets]


def _only(document: str) -> list[tuple[str, str, str]]:
    return [target for target in TARGETS if target[2] == document]


def _view(built: Built, publication: str, audience: str) -> Content:
    return select(load_publication(built.project, publication),
                  load_profiles(built.project)[audience])


def _pdf(built: Built, target: tuple[str, str, str]) -> Path:
    publication, audience, document = target
    return built.out / publication / audience / f"{document}.pdf"


def _body_bottom(page: Page, document: str) -> float:
    return page.height - MARGINS[document][1] * MM


def _body_lines(page: Page, document: str) -> list[Line]:
    """Lines inside the page area: running heads, page numbers and markings left out."""
    top, bottom = MARGINS[document][0] * MM, _body_bottom(page, document)
    return [line for line in page.lines if top - 2 < line.top < bottom]


# Reading direction ----------------------------------------------------------------------

@pytest.mark.parametrize("fit_target", TARGETS, ids=_ids(TARGETS))
def test_no_document_gives_viewers_a_text_direction(fit_build: Built, fit_target: tuple[str, str, str]
                                                    ) -> None:
    """pdfium reads every line of a PDF whose /ViewerPreferences /Direction is /R2L right to left,
    an English line too (test_textlayer); the binding `impose` needs comes from /Lang."""
    root = PdfReader(str(_pdf(fit_build, fit_target))).root_object
    assert "/Direction" not in root.get("/ViewerPreferences", {})


# Fact sheet -------------------------------------------------------------------------------

@pytest.mark.parametrize("fit_target", _only("factsheet"), ids=_ids(_only("factsheet")))
def test_fact_sheet_is_one_sheet_with_no_near_empty_page(fit_build: Built,
                                                         fit_target: tuple[str, str, str]) -> None:
    sheet = pages(_pdf(fit_build, fit_target))
    assert len(sheet) <= 2, f"{len(sheet)} pages"
    if len(sheet) == 2:
        last = sheet[-1]
        top, bottom = MARGINS["factsheet"][0] * MM, _body_bottom(last, "factsheet")
        lowest = max(glyph.bottom for line in _body_lines(last, "factsheet")
                     for glyph in line.glyphs)
        fill = (lowest - top) / (bottom - top)
        print(f"{'/'.join(fit_target)}: second page filled {fill:.0%}")
        noted = any(note.startswith(f"{'/'.join(fit_target)}: the last page") for note in fit_build.notes)
        assert fill >= NEAR_EMPTY or noted, f"second page filled {fill:.0%}, and the build did not say so"


@pytest.mark.parametrize("fit_target", _only("factsheet"), ids=_ids(_only("factsheet")))
def test_figure_values_keep_to_one_line_inside_the_measure(fit_build: Built,
                                                           fit_target: tuple[str, str, str]) -> None:
    first = pages(_pdf(fit_build, fit_target))[0]
    # Figure values are the largest type inside the cards (factsheet.css: --size-figure, a step
    # smaller for long values); a card is a light filled rectangle.
    with pdfplumber.open(_pdf(fit_build, fit_target)) as document:
        cards = [(rect["top"], rect["bottom"]) for rect in document.pages[0].rects
                 if rect["height"] > 20 and len(rect["non_stroking_color"] or ()) == 3
                 and sum(rect["non_stroking_color"]) / 3 > 0.7]
    size = max(glyph.size for line in first.lines for glyph in line.glyphs
               if any(top - 1 <= glyph.top and glyph.bottom <= bottom + 1 for top, bottom in cards))
    values = [[glyph for glyph in line.glyphs if glyph.size == size] for line in first.lines]
    values = [line for line in values if line]
    # A row of cards is one baseline; a gap wider than a word space separates two cards.
    count = 0
    for glyphs in values:
        count += 1 + sum(1 for left, right in itertools.pairwise(glyphs) if right.x0 - left.x1 > size)
        edge = MARGINS["factsheet"][2] * MM
        assert edge - 1 < glyphs[0].x0 and glyphs[-1].x1 < first.width - edge + 1
    figures = _view(fit_build, fit_target[0], fit_target[1]).facts.figures
    assert count == len(figures), f"{count} value runs for {len(figures)} figures"


# Brief: contents and headings --------------------------------------------------------------

@pytest.mark.parametrize("fit_target", _only("brief"), ids=_ids(_only("brief")))
def test_contents_list_stays_on_one_page(fit_build: Built, fit_target: tuple[str, str, str]) -> None:
    """A contents list is never split where one page would hold it: a list longer than a page
    starts a page of its own, its title the first line there, and runs on to the next pages."""
    read = pages(_pdf(fit_build, fit_target))
    found = [(page.number, line) for page in read
             for line in page.lines if "." * 5 in line.text]  # entries end in dot leaders
    sections = _view(fit_build, fit_target[0], fit_target[1]).brief.sections
    assert len(found) >= len(sections)
    numbers = sorted({number for number, _ in found})
    assert len(numbers) > 1 or fit_target[0] != LONG_CONTENTS, "the fixture's list fits a page"
    if len(numbers) > 1:
        assert numbers == list(range(numbers[0], numbers[-1] + 1))
        first = min(line.top for number, line in found if number == numbers[0])
        above = [line.text for line in _body_lines(read[numbers[0] - 1], "brief") if line.top < first - 1]
        assert len(above) == 1, f"page {numbers[0]}: the list starts below {above}"


@pytest.mark.parametrize("fit_target", TARGETS, ids=_ids(TARGETS))
def test_no_heading_is_last_on_its_page(fit_build: Built, fit_target: tuple[str, str, str]) -> None:
    document = fit_target[2]
    read = pages(_pdf(fit_build, fit_target))
    size = body_size(read)

    def heading(line: Line) -> bool:
        return all("Bold" in glyph.font and glyph.size > size for glyph in line.glyphs)

    headings = 0
    for page in read:
        lines = sorted(_body_lines(page, document), key=lambda line: line.top)
        for index, line in enumerate(lines):
            if heading(line):
                headings += 1
                after = [other for other in lines[index + 1:] if not heading(other)]
                assert after, f"page {page.number}: heading {line.text!r} ends the page"
    assert headings


# Tables -------------------------------------------------------------------------------------

class _Cells(HTMLParser):
    """Rows of (text, align) from a rendered Markdown table."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, str]]] = []
        self.cell: list[str] | None = None
        self.align = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"}:
            self.cell, self.align = [], dict(attrs).get("style", "").partition(":")[2]

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self.cell is not None:
            self.rows[-1].append(("".join(self.cell).strip(), self.align))
            self.cell = None


def _tables(view: Content) -> list[list[list[tuple[str, str]]]]:
    tables = []
    for section in view.brief.sections:
        for block in section.walk():
            if block.kind == "table":
                cells = _Cells()
                cells.feed(blocks_html((block,)))
                tables.append(cells.rows)
    return tables


def _digits(text: str) -> str:
    """The digits of a text as ASCII, whatever digit style the edition prints."""
    return "".join(str(unicodedata.decimal(char)) for char in text if unicodedata.decimal(char, None)
                   is not None)


def _numeric(text: str) -> bool:
    """A cell that holds one number (digits with separators, a sign or a percent)."""
    return bool(_digits(text)) and " " not in text and not any(c.isalpha() for c in text)


CELL_GAP = 0.8  # table cells stand at least 5 mm (2.5 mm padding each side) apart: over 0.8 em
BRIEFS_WITH_TABLES = [target for target in _only("brief")
                      if target[0] in {"sanctions-watch", STRESS, LTR_TABLE}]


def _row_lines(read: list[Page], rows: list[list[tuple[str, str]]]) -> list[tuple[int, Line, list]]:
    """(page, line, cells) for each body row: the line cut into as many cells as the row fills,
    whose cells hold the row's numbers and no other."""
    found = []
    for row in rows[1:]:
        filled = [text for text, _ in row if text]
        wanted = sorted(_digits(text) for text in filled if _digits(text))
        numbers = [(index, _digits(text), align) for index, (text, align) in enumerate(row)
                   if _numeric(text)]
        for page in read:
            for line in page.lines:
                cells = line.segments(CELL_GAP)
                if len(cells) != len(filled) or \
                        sorted(_digits(cell.text) for cell in cells if _digits(cell.text)) != wanted:
                    continue
                spans = [[(cell.x0, cell.x1) for cell in cells if _digits(cell.text) == digits]
                         for _, digits, _ in numbers]
                if numbers and all(len(span) == 1 for span in spans):
                    found.append((page.number, line, [(index, align, span[0]) for (index, _, align), span
                                                      in zip(numbers, spans, strict=True)]))
    return found


@pytest.mark.parametrize("fit_target", BRIEFS_WITH_TABLES, ids=_ids(BRIEFS_WITH_TABLES))
def test_table_columns_follow_the_direction_and_numbers_align(
        fit_build: Built, fit_target: tuple[str, str, str]) -> None:
    view = _view(fit_build, fit_target[0], fit_target[1])
    rtl = view.publication.direction == "rtl"
    read = pages(_pdf(fit_build, fit_target))
    for rows in _tables(view):
        found = _row_lines(read, rows)
        assert len(found) == len(rows) - 1, f"{len(found)} of {len(rows) - 1} rows found"
        column_edges: dict[int, set[float]] = collections.defaultdict(set)
        for _, _, cells in found:
            starts = [span[0] for _, _, span in cells]
            # The first column stands on the start side: right in RTL, left in LTR.
            assert starts == sorted(starts, reverse=rtl), cells
            for index, align, span in cells:
                if align == "right":
                    column_edges[index].add(span[1])
        # Right-aligned numeric columns end on one edge, so units sit under units.
        assert column_edges
        assert all(max(edges) - min(edges) < 0.5 for edges in column_edges.values()), column_edges


@pytest.mark.parametrize("fit_target", BRIEFS_WITH_TABLES, ids=_ids(BRIEFS_WITH_TABLES))
def test_tables_span_the_measure_and_repeat_their_header(
        fit_build: Built, fit_target: tuple[str, str, str]) -> None:
    view = _view(fit_build, fit_target[0], fit_target[1])
    path = _pdf(fit_build, fit_target)
    read = pages(path)
    with pdfplumber.open(str(path)) as pdf:
        rules = {number: [rule for rule in page.lines if rule["top"] == rule["bottom"]]
                 for number, page in enumerate(pdf.pages, start=1)}
    # A print edition's sheet is larger than its page: measure from the trim box.
    trim = PdfReader(str(path)).pages[0].trimbox
    start, end = float(trim.left), float(trim.right)
    edge = MARGINS["brief"][2] * MM
    for rows in _tables(view):
        by_page: dict[int, list[Line]] = collections.defaultdict(list)
        for number, line, _ in _row_lines(read, rows):
            by_page[number].append(line)
        for number, lines in by_page.items():
            page = read[number - 1]
            # At least two rows on each side of a page break.
            assert len(lines) >= min(2, len(rows) - 1), (number, len(lines))
            first_row = min(line.top for line in lines)
            # The header row (bold, smaller than the cells) stands above the rows on every page.
            header = [line for line in page.lines if line.top < first_row
                      and all("Bold" in glyph.font for glyph in line.glyphs)
                      and first_row - line.top < 40]
            assert header, f"page {number}: no header row above the table's rows"
            # Rules run from the start edge to the end edge of the text block.
            spans = [rule for rule in rules[number]
                     if header[-1].top - 10 < rule["top"] < max(line.top for line in lines) + 30]
            assert spans
            assert min(rule["x0"] for rule in spans) == pytest.approx(start + edge, abs=1)
            assert max(rule["x1"] for rule in spans) == pytest.approx(end - edge, abs=1)


def _figures_html(count: int) -> str:
    """The figures section of the seed's general fact sheet, as factsheet.html.j2 writes it for
    `count` figures."""
    project = Project(ROOT)
    content = load_publication(project, PUBLICATION)
    figure = content.facts.figures[0]
    facts = content.facts.model_copy(update={"figures": [figure] * count})
    profile = load_profiles(project)["general"]
    html = render_html(project, select(content.model_copy(update={"facts": facts}), profile),
                       "factsheet", profile).html
    found = re.search(r'<section class="figures">.*?</section>', html, re.S)
    assert found is not None
    return found[0]


def _cards_per_row(count: int, paper: str, variant: str, tmp_path: Path) -> list[int]:
    """How many figure cards each row of a fact sheet's figures holds, written by the shipped
    template and laid out by the shipped stylesheets on `paper` with a fitting variant's spacing
    (`layout/pagefit.py`)."""
    import weasyprint

    html = (f'<html lang="ar" dir="rtl" class="paper-{paper.lower()}"><body>'
            f'{_figures_html(count)}</body></html>')
    sheets = [weasyprint.CSS(filename=str(ROOT / "templates" / name))
              for name in ("base.css", "factsheet/factsheet.css")]
    sheets += [weasyprint.CSS(string=f"@page {{ size: {paper} }} {variant}")]
    document = weasyprint.HTML(string=html, base_url=str(ROOT / "templates") + "/").render(
        stylesheets=sheets)
    tops = collections.Counter(round(box.position_y) for page in document.pages
                               for box in page._page_box.descendants()
                               if box.element is not None and box.element_tag == "div"
                               and "figure" in (box.element.get("class") or "").split())
    return [tops[top] for top in sorted(tops)]


@pytest.mark.parametrize("paper", ["A4", "letter"])
@pytest.mark.parametrize("variant", ["", *FITS["factsheet"].variants])
def test_figure_cards_make_rows_of_three_or_four_on_every_paper(paper: str, variant: str,
                                                                 tmp_path: Path) -> None:
    """Five cards or more make rows of three or four, as even as they come (README, "Paper
    sizes"), whatever spacing the sheet is fitted with: on US Letter with the tightest spacing,
    sixteen cards made three rows of five and a last card alone across the measure; ten made
    rows of four, four and two, and thirteen a last card alone across the measure."""
    counts = (5, 7, 9, 10, 11, 12, 13, 16, 17)
    rows = {count: _cards_per_row(count, paper, variant, tmp_path) for count in counts}
    assert rows == {5: [3, 2], 7: [4, 3], 9: [3, 3, 3], 10: [4, 3, 3], 11: [4, 4, 3],
                    12: [4, 4, 4], 13: [4, 3, 3, 3], 16: [4, 4, 4, 4], 17: [4, 4, 3, 3, 3]}


def test_figure_cards_make_two_a_row_on_a5(tmp_path: Path) -> None:
    assert _cards_per_row(10, "A5", "", tmp_path) == [2, 2, 2, 2, 2]


def test_a_colon_paragraph_after_a_table_is_its_caption() -> None:
    text = ("---\nrunning_head: r\n---\n## h\n\n| a | b |\n|---|---:|\n| 1 | 2 |\n\n"
            ": the *caption*\n\n: a paragraph, not a caption\n")
    brief, problems = parse_brief(text, "brief.md")
    assert not problems and brief is not None
    table, paragraph = brief.sections[0].blocks
    html = blocks_html((table,))
    assert html.startswith("<table>\n<caption>the <em>caption</em></caption>\n<thead>")
    assert '<td style="text-align:right">2</td>' in html
    assert table.text.startswith("the caption")
    assert paragraph.kind == "paragraph" and paragraph.text == ": a paragraph, not a caption"


@pytest.mark.parametrize("caption", [":", ":   ", ":\u200b"])
def test_a_caption_with_no_words_is_an_error(caption: str) -> None:
    """A `:` alone after a table printed an empty caption, and tagged an empty /Caption."""
    text = f"---\nrunning_head: r\n---\n## h\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n{caption}\n"
    _, problems = parse_brief(text, "brief.md")
    assert [str(problem) for problem in problems] == [
        "brief.md: line 10: a table caption with no words (a ':' alone) would print an empty "
        "caption; write its words or remove the line"]


def _parsed_with_image(text: str, folder: Path) -> tuple:
    (folder / "a.png").write_bytes(png_bytes())
    return parse_brief(text, "brief.md", folder, (folder,))


def test_a_colon_paragraph_after_an_image_alone_is_its_caption(tmp_path: Path) -> None:
    text = ("---\nrunning_head: r\n---\n## h\n\n![صورة](a.png)\n\n: تعليق *الصورة*\n\n"
            "نص ![صورة](a.png)\n\n: فقرة، لا تعليق\n")
    brief, problems = _parsed_with_image(text, tmp_path)
    assert not problems and brief is not None
    image, caption, inline, paragraph = brief.sections[0].blocks
    html = blocks_html((image, caption))
    assert html.startswith('<p class="figure"><img src="') and 'alt="صورة"' in html
    assert '<p class="figure-caption">تعليق <em>الصورة</em></p>' in html
    assert paragraph.text == ": فقرة، لا تعليق" and 'class' not in blocks_html((inline, paragraph))


def test_an_image_caption_takes_the_image_s_tags_and_has_words(tmp_path: Path) -> None:
    text = ("---\nrunning_head: r\n---\n## h\n\n{audience=x}\n![صورة](a.png)\n\n: تعليق\n\n"
            "![صورة](a.png)\n\n{audience=x}\n: تعليق\n\n![صورة](a.png)\n\n:\n")
    brief, problems = _parsed_with_image(text, tmp_path)
    assert [str(problem) for problem in problems] == [
        "brief.md: line 13: audience: a caption takes its image's audience tags; tag the image, "
        "not its caption",
        "brief.md: line 18: an image caption with no words (a ':' alone) would print an empty "
        "caption; write its words or remove the line"]
    brief, problems = _parsed_with_image(text.split("\n\n![")[0] + "\n", tmp_path)
    assert not problems and brief is not None and brief.sections[0].blocks[1].tags == ("x",)


def test_no_image_is_parted_from_its_caption(tmp_path: Path) -> None:
    """Images with captions after text of every length, so that some meet a page's foot: each
    caption is on its image's page, under it. Without the rule, an image ended a page and its
    caption began the next."""
    from PIL import Image

    project = copy_project(tmp_path / "project", fixtures=False, only=PUBLICATION)
    folder = project.content_dir / PUBLICATION
    Image.new("RGB", (400, 300), (11, 93, 107)).save(folder / "chart.png")
    parts = ["", "## الصور", ""]
    for number in range(1, 19):
        parts += [" ".join(["كلمة"] * (37 * number % 160 + 10)) + ".", "",
                  f"![رسم {number}](chart.png)", "", f": تعليق رقم {number} على الرسم", ""]
    brief = folder / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8") + "\n".join(parts), encoding="utf-8")
    out = tmp_path / "out"
    build(project, out, audiences=["general"], documents=["brief"])
    path = out / PUBLICATION / "general" / "brief.pdf"
    read = pages(path)
    found: list[tuple[int, float, str]] = []  # (page, top, what), in reading order
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            found += [(number, image["top"], "image") for image in page.images if image["width"] > 100]
            found += [(number, line.top, "caption") for line in read[number - 1].lines
                      if "الرسم"[::-1] in line.text]  # drawn right to left
    found.sort()
    kinds = [kind for _, _, kind in found]
    assert kinds == ["image", "caption"] * 18, [line.text for page in read for line in page.lines]
    assert all(image[0] == caption[0] for image, caption in zip(found[::2], found[1::2], strict=True))


def test_a_table_running_into_the_margin_is_reported(tmp_path: Path) -> None:
    """Eight numeric columns on A5 ran 13 mm into the margin, without a word: the build notes it."""
    project = copy_project(tmp_path / "project", fixtures=False, only=PUBLICATION)
    profile = project.templates_dir / "audiences" / "press.yaml"
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    profile.write_text(yaml.safe_dump({**data, "paper": "A5"}, allow_unicode=True), encoding="utf-8")
    header = "| " + " | ".join(f"المؤشر {n}" for n in range(1, 9)) + " |\n|" + "---:|" * 8 + "\n"
    rows = "".join("| " + " | ".join(f"{row * 1234 + n:,}" for n in range(8)) + " |\n"
                   for row in range(1, 4))
    brief = project.content_dir / PUBLICATION / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8") + "\n## جدول عريض\n\n" + header + rows,
                     encoding="utf-8")
    notes: list[str] = []
    build(project, tmp_path / "out", audiences=["press", "general"], documents=["brief"],
          on_note=notes.append)
    margin = [note for note in notes if "into the margin" in note]
    assert len(margin) == 1 and margin[0].startswith(f"{PUBLICATION}/press/brief: page "), notes
