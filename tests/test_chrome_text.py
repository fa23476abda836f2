"""What each document prints around its content, read back in four reader families.

A brief's cover, contents, running heads and footers, a fact sheet's header, figure cards,
timeline and lists, an annex's header and clauses (`briefpress.check.printed.chrome_text`) go
through the same text path as the content (the localiser, the ToUnicode and baseline passes):
every document of every edition is read by pdfium, poppler, MuPDF and pdf.js and measured
against those lines, beside the same lines set as plain paragraphs by plain WeasyPrint in the
chrome's face, in the edition's digits. Asserted: a search finds the chrome's words at least as
well as in plain WeasyPrint's, in every family, but where `BELOW_PLAIN` says why not; every
other figure is printed (README, "Copy, search and read-aloud").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from briefpress.build import build
from briefpress.check.baseline import plain_pdf, text_html
from briefpress.check.geometry import Line, pages
from briefpress.check.printed import chrome_text
from briefpress.check.readers import FAMILIES, LABELS, Measures, measure, read_all
from briefpress.layout.html import reference_names
from briefpress.project import Project
from briefpress.source.audiences import Profile, load_profiles, select
from briefpress.source.publication import load_publication

from conftest import TARGETS, Target, copy_project

CHROME_FACE = "IBM Plex Sans Arabic"
MM = 72 / 25.4
LATIN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
# (cause, family, why): a family whose words recall of the chrome may stay under plain WeasyPrint's
# in a document that has that cause (`_causes`). Causes are what a document is or what its
# profile asks for, never a publication's or an audience's name.
BELOW_PLAIN: list[tuple[str, str, str]] = []


def _causes(target: Target, profile: Profile) -> set[str]:
    """The causes of `BELOW_PLAIN` a document has."""
    return {target.document} & {"annex"}


@dataclass(frozen=True)
class Chrome:
    """One document's chrome: its text and each family's measures of it, shipped and plain."""

    source: str
    shipped: dict[str, Measures]
    plain: dict[str, Measures]
    causes: frozenset[str]


def plain_page(text: str, target: Target, profile: Profile) -> str:
    """The chrome's lines as plain paragraphs in the chrome's face, in the edition's digits."""
    return text_html(text.splitlines(), target.language, target.direction, CHROME_FACE, profile.digits)


@pytest.fixture(scope="session")
def chromes(project: Project, built: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> dict[str, Chrome]:
    """Every document's chrome, shipped and plain, read by the four families once."""
    folder = tmp_path_factory.mktemp("plain-chrome")
    profiles = load_profiles(project)
    sources: dict[str, str] = {}
    shipped: dict[str, Path] = {}
    plains: dict[str, Path] = {}
    pages: dict[str, Path] = {}
    for target in TARGETS:
        content = load_publication(project, target.publication)
        view = select(content, profiles[target.audience])
        path = built / target.path
        text = chrome_text(target.document, view, profiles[target.audience], len(PdfReader(path).pages),
                           reference_names(project, content, profiles[target.audience]))
        page = plain_page(text, target, profiles[target.audience])
        if page not in pages:
            pages[page] = folder / f"{len(pages)}.pdf"
            pages[page].write_bytes(plain_pdf(project, page, f"chrome/{target}"))
        sources[str(target)], shipped[str(target)], plains[str(target)] = text, path, pages[page]
    paths = sorted(set(shipped.values()) | set(plains.values()))
    texts = {family: read_all(family, paths) for family in FAMILIES}
    causes = {str(target): frozenset(_causes(target, profiles[target.audience])) for target in TARGETS}
    return {key: Chrome(source, {family: measure(source, texts[family][shipped[key]]) for family in FAMILIES},
                        {family: measure(source, texts[family][plains[key]]) for family in FAMILIES},
                        causes[key])
            for key, source in sources.items()}


def _allowed(chrome: Chrome, family: str) -> bool:
    return any(cause in chrome.causes and family == allowed for cause, allowed, _ in BELOW_PLAIN)


def test_a_search_finds_the_chrome_as_in_plain_weasyprint(chromes: dict[str, Chrome], target: Target) -> None:
    chrome = chromes[str(target)]
    print(f"{target}: chrome, exact / words / order (%)\n" + "\n".join(
        f"  {LABELS[family]:8} {chrome.shipped[family].percent():24} plain {chrome.plain[family].percent()}"
        for family in FAMILIES))
    under = {family: round(100 * (chrome.plain[family].words - chrome.shipped[family].words), 1)
             for family in FAMILIES if chrome.shipped[family].words < chrome.plain[family].words}
    assert {family: points for family, points in under.items() if not _allowed(chrome, family)} == {}


def test_every_chrome_allowance_is_still_needed(chromes: dict[str, Chrome]) -> None:
    used = {(cause, family) for chrome in chromes.values() for cause, family, _ in BELOW_PLAIN
            if cause in chrome.causes and chrome.shipped[family].words < chrome.plain[family].words}
    assert [allowance[:2] for allowance in BELOW_PLAIN if allowance[:2] not in used] == []


def test_the_plain_chrome_prints_the_edition_s_digits(project: Project) -> None:
    """The plain page a document's chrome is measured against prints what the edition prints:
    «صفحة ١١ من ١٦» in an Arabic-Indic edition. Set in Latin digits, it read back in MuPDF as
    typed, while MuPDF copies every Arabic-Indic number in Arabic text turned (`٦١`), plain
    WeasyPrint's too: a correct 16-page A5 brief failed for its page numbers alone."""
    profiles = load_profiles(project)
    line = "صفحة 11 من 16"
    indic = next(target for target in TARGETS if target.direction == "rtl"
                 and profiles[target.audience].digits == "arabic-indic")
    latin = next(target for target in TARGETS if target.direction == "rtl"
                 and profiles[target.audience].digits == "latin")
    assert "صفحة ١١ من ١٦" in plain_page(line, indic, profiles[indic.audience])
    assert line in plain_page(line, latin, profiles[latin.audience])


def test_the_chrome_is_measured(chromes: dict[str, Chrome]) -> None:
    """Every document is measured, and the chrome of the first publication's fact sheet holds its
    cards, each value then its label, as pdfium reads them back."""
    assert set(chromes) == {str(target) for target in TARGETS}
    factsheet = chromes["russia-dprk-partnership/general/factsheet"]
    assert factsheet.shipped["pdfium"].order > 0.95


def test_a_briefs_running_head_names_the_section_at_the_top_of_its_page(tmp_path: Path) -> None:
    """The section named in a page's running head is the one the page starts in: the one it
    continues, or the one whose heading opens it. A section starting lower down the page is named
    from its next page on (a page of the seed's brief continued «العقوبات الدولية والتحديات» under
    a head naming «التطورات السياسية والعسكرية», the section that starts half-way down it)."""
    publication = "russia-dprk-partnership"
    project = copy_project(tmp_path / "project", only=publication)
    build(project, tmp_path / "out", publications=[publication], documents=["brief"],
          audiences=["general"])
    current, checked = "", 0
    for page in pages(tmp_path / "out" / publication / "general" / "brief.pdf"):
        head = [line for line in page.lines if line.top < 20 * MM]
        body = [line for line in page.lines if 20 * MM < line.top < page.height - 20 * MM]
        headings = [_squeezed(line.text) for line in body if _is_section_heading(line)]
        if body and _is_section_heading(body[0]):
            current = headings[0]
        if page.number > 1 and current and head:
            assert current in _squeezed(head[0].text), (page.number, current, head[0].text)
            checked += 1
        if headings:
            current = headings[-1]
    assert checked >= 2


def _is_section_heading(line: Line) -> bool:
    """A line of a `##` heading: brief.css sets them at 17 pt."""
    return all(abs(glyph.size - 17) < 0.5 for glyph in line.glyphs if glyph.text.strip())


def _squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("audience", ["general", "decision-makers"])
def test_a_contents_entry_whose_heading_ends_in_a_number_copies_its_number_and_page(
        tmp_path: Path, audience: str) -> None:
    """A heading that ends in a number («الموقف الروسي 2024») keeps that number, and its page
    keeps its own, when pdfium copies the contents list. Dots running straight from the heading's
    number to the page number read as one number to its bidi, which copied the entry with the
    two numbers swapped (`الموقف الروسي 3....2024`)."""
    publication = "russia-dprk-partnership"
    project = copy_project(tmp_path / "project", only=publication)
    source = project.root / "content" / publication / "brief.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("## الموقف الروسي\n", "## الموقف الروسي 2024\n"), encoding="utf-8")
    build(project, tmp_path / "out", publications=[publication], documents=["brief"],
          audiences=[audience])
    pdf = pdfium.PdfDocument(tmp_path / "out" / publication / audience / "brief.pdf")
    texts = [page.get_textpage().get_text_range().translate(LATIN_DIGITS) for page in pdf]
    heading_page = next(number for number, text in enumerate(texts, start=1)
                        if number > 1 and "الموقف الروسي 2024\r\n" in text)
    entries = [line for line in texts[0].splitlines() if "....." in line]
    entry = next(line for line in entries if "الموقف الروسي" in line)
    words = entry.replace(".", " ").split()
    assert words[-2:] == ["2024", str(heading_page)], entry
