"""Copy, search and read-aloud in four reader families, against plain WeasyPrint, in every edition.

Every publication in `content/` and in `tests/fixtures/content/` is built in every audience
profile (the session build of conftest), and each edition's brief is read back by the four reader
families of `briefpress.check.readers`: pdfium (Chrome, Edge), poppler (`pdftotext`; Evince,
Okular), MuPDF (PyMuPDF; SumatraPDF, zathura) and pdf.js (Firefox; one `node` process reads
every PDF). Each gives three figures against the brief's text as that edition sees it: exact
recall of tokens with their punctuation, words recall (what a search finds) and word order.

Two promises are held:

- **Do no harm.** No figure falls below what plain WeasyPrint gives on the same text in the same
  fonts (`briefpress.check.baseline`, built here for each edition), except the few listed in
  `BELOW_PLAIN`, each with its cause and its largest shortfall.
- **Targets.** Words >= 98 %, order >= 97 % and pdfium exact >= 99.5 % wherever the
  specification lets a glyph stream meet them: asserted in `TARGETS`; every other figure is
  printed, and the limit is stated in the README ("What each reader gives back").
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

import pytest
from markdown_it.token import Token

from briefpress.check.baseline import brief_html, plain_pdf
from briefpress.check.readers import FAMILIES, LABELS, MEASURES, Measures, measure, read_all
from briefpress.check.textlayer import (
    exact_recall,
    fold_digits,
    normalise,
    pdfium_text,
    poppler_text,
    word_recall,
)
from briefpress.project import Project
from briefpress.source.audiences import load_profiles, select
from briefpress.source.model import Block, Brief
from briefpress.source.publication import load_publication
from briefpress.text.bidi import segments

from conftest import EDITIONS, PROFILES, PUBLICATION, ROOT

BRIEF_EDITIONS = [edition for edition in EDITIONS if "brief" in PROFILES[edition[1]].documents]


@dataclass(frozen=True)
class Below:
    """Figures allowed under plain WeasyPrint: which, by how many points at most, and why."""

    publication: str
    audience: str  # an fnmatch pattern
    family: str
    measure: str
    points: float
    why: str


BELOW_PLAIN = [
    Below("field-notes", "*", "pdfium", "order", 6.0,
          "the document's predominant reading order is right to left (/ViewerPreferences /Direction "
          "/R2L, as the specification has it for an Arabic document; plain WeasyPrint writes none), "
          "and pdfium then reads every line right to left, the English quotes too"),
    Below("field-notes", "*", "pdfium", "words", 1.0, "as for order: /Direction /R2L"),
    Below("field-notes", "*", "pdfjs", "exact", 1.0,
          "a bracket's glyph maps to the bracket it draws; pdf.js does not mirror brackets in a "
          "right-to-left line, so `(2006)` drawn mirrored comes back `)2006(`; WeasyPrint labels the "
          "glyph with the bracket it first drew it for, which suits pdf.js in this text"),
]

# Figures that meet the targets in every edition: (publication, family) -> the measures
# asserted. Every other figure is printed; the README says what limits it.
TARGET = {"exact": 99.5, "words": 98.0, "order": 97.0}
TARGETS = {
    (PUBLICATION, "pdfium"): ("words", "order"),
    (PUBLICATION, "pdfjs"): ("words", "order"),
    **{("ltr-sample", family): ("words", "order") for family in FAMILIES},
    ("ltr-sample", "pdfium"): ("exact", "words", "order"),
}


def brief_text(brief: Brief) -> str:
    """The brief's text as an edition prints it: lead, then each section's heading and blocks, one
    paragraph, item or table cell a line, so that no run of the other direction crosses from one
    to the next; each note call as its number, after a (narrow no-break) space as the page sets it,
    and the notes the edition shows, each a line after the text, as `N. text`."""
    numbers: dict[str, int] = {}
    shown = {note.label for note in brief.notes}

    def line(token: Token) -> str:
        parts = []
        for child in token.children or []:
            if child.type in {"text", "code_inline"}:
                parts.append(child.content)
            elif child.type in {"softbreak", "hardbreak"}:
                parts.append(" ")
            elif child.type == "footnote_ref" and child.meta["label"] in shown:
                parts.append(" " + str(numbers.setdefault(child.meta["label"], len(numbers) + 1)))
        return " ".join("".join(parts).split())

    def lines(blocks: tuple[Block, ...]) -> list[str]:
        return [line(token) for block in blocks for inner in block.walk()
                for token in inner.tokens if token.type == "inline"]

    parts = lines(brief.lead)
    for section in brief.sections:
        parts.append(section.heading)
        parts += lines(section.blocks)
    notes = {note.label: note for note in brief.notes}
    parts += [f"{number}. {notes[label].text}" for label, number in numbers.items()]
    return "\n".join(parts)


@dataclass(frozen=True)
class Edition:
    """One edition's brief: its text, and the four families' figures for it and for plain WeasyPrint."""

    source: str
    shipped: dict[str, Measures]
    plain: dict[str, Measures]


@pytest.fixture(scope="session")
def editions(project: Project, built: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> dict[tuple[str, str], Edition]:
    """Every edition's brief and its plain-WeasyPrint baseline, read by the four families once."""
    folder = tmp_path_factory.mktemp("plain")
    profiles = load_profiles(project)
    sources: dict[tuple[str, str], str] = {}
    plains: dict[tuple[str, str], Path] = {}
    pages: dict[str, Path] = {}  # a baseline page's HTML -> its PDF: editions that see the same text share it
    for publication, audience in BRIEF_EDITIONS:
        content = load_publication(project, publication)
        view = select(content, profiles[audience])
        sources[(publication, audience)] = brief_text(view.brief)
        page = brief_html(view.brief, content.publication.title, content.publication.language,
                          content.publication.direction)
        if page not in pages:
            pages[page] = folder / f"{publication}-{audience}.pdf"
            pages[page].write_bytes(plain_pdf(project, page, f"{publication}/{audience}"))
        plains[(publication, audience)] = pages[page]
    shipped = {edition: built / edition[0] / edition[1] / "brief.pdf" for edition in BRIEF_EDITIONS}
    paths = sorted(set(shipped.values()) | set(plains.values()))
    texts = {family: read_all(family, paths) for family in FAMILIES}
    return {edition: Edition(sources[edition],
                             {family: measure(sources[edition], texts[family][shipped[edition]])
                              for family in FAMILIES},
                             {family: measure(sources[edition], texts[family][plains[edition]])
                              for family in FAMILIES})
            for edition in BRIEF_EDITIONS}


def _table(edition: Edition) -> str:
    return "\n".join(f"  {LABELS[family]:8} {edition.shipped[family].percent():24} plain "
                     f"{edition.plain[family].percent()}" for family in FAMILIES)


def _allowed(publication: str, audience: str, family: str, name: str) -> Below | None:
    return next((below for below in BELOW_PLAIN if below.publication == publication
                 and fnmatch.fnmatch(audience, below.audience)
                 and fnmatch.fnmatch(family, below.family) and below.measure == name), None)


def _shortfalls(editions: dict[tuple[str, str], Edition]
                ) -> dict[tuple[str, str, str, str], float]:
    """Every figure under plain WeasyPrint's, in points, by edition, family and measure."""
    return {(publication, audience, family, name): round(100 * (plain - shipped), 2)
            for (publication, audience), edition in editions.items() for family in FAMILIES
            for name in MEASURES
            if (shipped := getattr(edition.shipped[family], name))
            < (plain := getattr(edition.plain[family], name))}


@pytest.mark.parametrize("edition_key", BRIEF_EDITIONS, ids="/".join)
def test_no_family_reads_worse_than_plain_weasyprint(editions: dict[tuple[str, str], Edition],
                                                     edition_key: tuple[str, str]) -> None:
    publication, audience = edition_key
    print(f"{publication}/{audience}: exact / words / order (%)\n{_table(editions[edition_key])}")
    worse = {key: points for key, points in _shortfalls({edition_key: editions[edition_key]}).items()
             if (allowed := _allowed(*key)) is None or points > allowed.points}
    assert worse == {}, "under plain WeasyPrint, in points"


def test_every_allowance_under_plain_is_still_needed(editions: dict[tuple[str, str], Edition]) -> None:
    """An allowance that no edition uses any more must go: the list holds only what is true."""
    used = {below for key in _shortfalls(editions) if (below := _allowed(*key)) is not None}
    assert [below for below in BELOW_PLAIN if below not in used] == []


@pytest.mark.parametrize("edition_key", BRIEF_EDITIONS, ids="/".join)
def test_targets_where_the_specification_lets_them_be_met(editions: dict[tuple[str, str], Edition],
                                                          edition_key: tuple[str, str]) -> None:
    publication, _ = edition_key
    edition = editions[edition_key]
    missed = {(family, name): round(100 * getattr(edition.shipped[family], name), 1)
              for family in FAMILIES for name in MEASURES
              if 100 * getattr(edition.shipped[family], name) < TARGET[name]}
    print(f"{'/'.join(edition_key)}: under the targets {TARGET}: {missed}")
    asserted = {(family, name) for (pub, family), names in TARGETS.items() if pub == publication
                for name in names}
    assert {key: value for key, value in missed.items() if key in asserted} == {}


def test_the_measures_can_fail(editions: dict[tuple[str, str], Edition]) -> None:
    """The figures are the readers': the seed's text against its words reversed scores low."""
    source = editions[(PUBLICATION, "general")].source
    reversed_words = " ".join(word[::-1] for word in source.split())
    figures = measure(source, reversed_words)
    assert figures.exact < 0.2 and figures.words < 0.2
    backwards = "\n".join(" ".join(reversed(line.split())) for line in source.splitlines())
    assert measure(source, backwards).order < 0.1


def test_every_publication_is_measured(editions: dict[tuple[str, str], Edition]) -> None:
    assert {publication for publication, _ in editions} == {publication for publication, _ in EDITIONS}
    assert len({publication for publication, _ in editions}) >= 2


# Fixtures whose left-to-right runs pdfium or poppler reorder: `S/RES/2397` comes back
# `2397/RES/S`, `maximum pressure` as `pressure maximum`: each reader's own bidi, run on a
# line's glyphs in drawing order, misplaces the neutrals between letters and digits.
RUNS_REORDERED = ("sanctions-watch", "field-notes", "cited-brief", "model-treaty")


def _publications() -> list[str]:
    return sorted({publication for publication, _ in BRIEF_EDITIONS})


@pytest.mark.parametrize("profile", sorted({audience for _, audience in BRIEF_EDITIONS}))
@pytest.mark.parametrize("publication", [
    pytest.param(publication, marks=pytest.mark.xfail(
        strict=True, reason="pdfium and poppler reorder left-to-right runs in right-to-left lines"))
    if publication in RUNS_REORDERED else publication for publication in _publications()])
def test_every_run_of_the_other_direction_is_copied_verbatim(project: Project, built: Path,
                                                             publication: str, profile: str) -> None:
    """Each left-to-right run (an Arabic one in a left-to-right brief) comes back whole and in
    order from pdfium and poppler."""
    if (publication, profile) not in BRIEF_EDITIONS:
        pytest.skip("this profile has no brief of this publication")
    content = load_publication(project, publication)
    view = select(content, load_profiles(project)[profile])
    runs = [normalise(fold_digits(segment.text)) for line in brief_text(view.brief).splitlines()
            for segment in segments(line, content.publication.direction) if segment.is_run]
    pdf = built / publication / profile / "brief.pdf"
    for reader in (pdfium_text, poppler_text):
        copied = normalise(fold_digits(reader(pdf)))
        assert [run for run in runs if run not in copied] == [], reader.__name__


def test_recall_drops_when_the_text_layer_is_broken() -> None:
    view = load_publication(Project(ROOT), PUBLICATION)
    source = brief_text(view.brief)
    reversed_words = " ".join(word[::-1] for word in source.split())
    assert exact_recall(source, reversed_words) < 0.2
    assert word_recall(source, "\u202b" + source.replace("\n", " ") + "\u202c") == 1.0

