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
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefpress.check.baseline import brief_html, plain_pdf
from briefpress.check.printed import brief_text
from briefpress.check.readers import ARABIC_MARKS, FAMILIES, LABELS, MEASURES, Measures, measure, read_all
from briefpress.check.textlayer import (
    exact_recall,
    fold_digits,
    normalise,
    word_recall,
)
from briefpress.project import Project
from briefpress.source.audiences import load_profiles, select
from briefpress.source.publication import load_publication
from briefpress.text.bidi import segments

from conftest import EDITIONS, PROFILES, PUBLICATION, PUBLICATIONS, ROOT

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
    Below("copy-cases", "*", "pdfium", "order", 11.0,
          "as for field-notes: /Direction /R2L makes pdfium read every line right to left, and this "
          "fixture's English quotes and phrases run over whole lines"),
    Below("copy-cases", "*", "pdfjs", "exact", 2.0,
          "pdf.js reads a line's glyphs in visual order and does not mirror: brackets and quotes "
          "drawn as typed around a Latin run (`(Passage ... gulf)`), and a percentage drawn as typed "
          "(`0.4%`, isolated left to right), come back turned (`Passage ... the(`, `%0.4`), where "
          "plain WeasyPrint draws them the other way round and labels a mirrored bracket with the "
          "one typed"),
    Below("bilingual-brief", "researchers", "pdfium", "order", 0.5,
          "pdfium reverses the words of an Arabic run of several words in a line it reads left to "
          "right; on letter paper the lines break elsewhere than plain WeasyPrint's (a number is "
          "held to the word beside it in an Arabic run), so two runs fall where pdfium turns them "
          "(on A4 it reads 1.4 points better than plain)"),
]

# Figures that meet the targets in every edition: (publication, family) -> the measures
# asserted. Every other figure is printed; the README says what limits it.
TARGET = {"exact": 99.5, "words": 98.0, "order": 97.0}
TARGETS = {
    (PUBLICATION, "pdfium"): ("words", "order"),
    (PUBLICATION, "pdfjs"): ("words", "order"),
    **{("ltr-sample", family): ("words", "order") for family in FAMILIES},
    ("ltr-sample", "pdfium"): ("exact", "words", "order"),
    ("bilingual-brief", "pdfjs"): ("words", "order"),
}


@dataclass(frozen=True)
class Edition:
    """One edition's brief: its text, and the four families' figures for it and for plain WeasyPrint."""

    source: str
    shipped: dict[str, Measures]
    plain: dict[str, Measures]
    direction: str
    texts: dict[str, str]  # each family's text of the shipped brief
    plain_texts: dict[str, str]  # and of plain WeasyPrint's


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
                              for family in FAMILIES},
                             str(PUBLICATIONS[edition[0]]["direction"]),
                             {family: texts[family][shipped[edition]] for family in FAMILIES},
                             {family: texts[family][plains[edition]] for family in FAMILIES})
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


# Runs a family breaks where plain WeasyPrint's PDF of the same text does not: (publication, family,
# a word of the run, why). Each must still be needed (test_every_run_allowance_is_still_needed).
RUNS_BROKEN = [
    ("bilingual-brief", "poppler", "سُجِّل",
     "poppler takes a letter carrying two marks (shadda and kasra) out of its word when both are "
     "drawn on the baseline (`output.rises`, which keeps pdfium and poppler from splitting lines "
     "at raised marks elsewhere); plain WeasyPrint draws them raised, which poppler joins"),
]


def _allowed_broken(publication: str, family: str, run: str) -> bool:
    return any(publication == allowed[0] and family == allowed[1] and allowed[2] in run
               for allowed in RUNS_BROKEN)


def runs_of(source: str, direction: str) -> list[str]:
    """The runs of the other direction in a source text (`text.bidi`), one source line at a time."""
    return [segment.text for line in source.splitlines()
            for segment in segments(line, "rtl" if direction == "rtl" else "ltr") if segment.is_run]


def _pieces(run: str) -> list[str]:
    """A run's pieces of two letters or more (`RES`, `مخطوط`), harakat dropped. Digits are left to
    each family's number handling (MuPDF reverses Arabic-Indic digits in a right-to-left run,
    pdfium takes `G7` apart in a right-to-left line), punctuation and spaces to its bidi."""
    return re.findall(r"[^\W\d_]{2,}", search_form(run))


def search_form(text: str) -> str:
    """`text` with digits folded, NFKC, no bidi controls, harakat or tatweel, spaces single."""
    return " ".join("".join(c for c in normalise(fold_digits(text)) if c not in ARABIC_MARKS).split())


def runs_broken(runs: list[str], copied: str) -> list[str]:
    """The runs a reader's text breaks: a piece of letters of the run missing from it, the
    spaces a reader puts at a glyph gap (`ت ُقرأ`) set aside."""
    text = "".join(search_form(copied).split())
    return [run for run in runs if any(piece not in text for piece in _pieces(run))]


@pytest.mark.parametrize("edition_key", BRIEF_EDITIONS, ids="/".join)
def test_every_run_of_the_other_direction_comes_back_whole(editions: dict[tuple[str, str], Edition],
                                                           edition_key: tuple[str, str]) -> None:
    """Each run of the other direction (a Latin phrase, symbol, URL or number in an Arabic brief;
    an Arabic name, quote or date in an English one) comes back from every family with every
    piece of letters it has (`RES` of `S/RES/2397`, `مخطوط`) intact: its glyphs map to its
    characters, and it is drawn on its line (or continued on the next). That is what the PDF
    controls; a run a family breaks in plain WeasyPrint's PDF of the same text too is the family's
    own doing (poppler sets a stacked shadda on a line of its own) and is printed. Whether a family
    gives the run back verbatim, its words and neutrals in the typed order, is its own bidi's
    doing on a line of glyphs in visual order, which nothing in the PDF reaches without
    reader-specific strings (README, "Where the specification stops"): that share is printed,
    not asserted."""
    edition = editions[edition_key]
    runs = runs_of(edition.source, edition.direction)
    report = {family: f"{sum(search_form(run) in search_form(edition.texts[family]) for run in runs)}"
                      f"/{len(runs)} verbatim" for family in FAMILIES}
    print(f"{'/'.join(edition_key)}: runs of the other direction: {report}")
    worse = {family: [run for run in runs if not _allowed_broken(edition_key[0], family, run)]
             for family, runs in _worse_than_plain(edition_key, edition).items()}
    assert {family: runs for family, runs in worse.items() if runs} == {}


def _worse_than_plain(edition_key: tuple[str, str], edition: Edition) -> dict[str, list[str]]:
    """The runs each family breaks in the shipped brief and not in plain WeasyPrint's (printed:
    those it breaks in both)."""
    runs = runs_of(edition.source, edition.direction)
    broken = {family: runs_broken(runs, edition.texts[family]) for family in FAMILIES}
    plain = {family: runs_broken(runs, edition.plain_texts[family]) for family in FAMILIES}
    print(f"{'/'.join(edition_key)}: broken in plain WeasyPrint too: "
          f"{ {family: [run for run in broken[family] if run in plain[family]] for family in FAMILIES} }")
    return {family: [run for run in broken[family] if run not in plain[family]] for family in FAMILIES}


def test_every_run_allowance_is_still_needed(editions: dict[tuple[str, str], Edition]) -> None:
    used = {(publication, family, allowed[2]) for (publication, audience), edition in editions.items()
            for family, runs in _worse_than_plain((publication, audience), edition).items()
            for run in runs for allowed in RUNS_BROKEN
            if _allowed_broken(publication, family, run) and allowed[2] in run}
    assert [allowed for allowed in RUNS_BROKEN if allowed[:3] not in used] == []


def test_a_broken_run_is_found() -> None:
    """The check can fail: a run whose letters come back reversed, or with a piece lost, is broken;
    one whose pieces come back in another order (the readers' bidi) is not."""
    runs = ["S/RES/2397 (2017)", "maximum pressure", "مخطوط ٢١٧"]
    assert runs_broken(runs, "2397/RES/S (2017) pressure maximum ٢١٧ مخطوط") == []
    assert runs_broken(runs, "7932/SER/S pressure maximum مخطوط 217") == ["S/RES/2397 (2017)"]
    assert runs_broken(runs, "S/RES/2397 (2017) erusserp mumixam طوطخم 217") == runs[1:]
    assert runs_broken(runs, "S/RES/2397 (2017) maximum مخطوط 217") == ["maximum pressure"]


def test_recall_drops_when_the_text_layer_is_broken() -> None:
    view = load_publication(Project(ROOT), PUBLICATION)
    source = brief_text(view.brief)
    reversed_words = " ".join(word[::-1] for word in source.split())
    assert exact_recall(source, reversed_words) < 0.2
    assert word_recall(source, "\u202b" + source.replace("\n", " ") + "\u202c") == 1.0

