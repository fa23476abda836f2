"""Structured annexes: numbering, cross-references, layout, parallel texts and legal bidi.

Unit tests check the schemes and names; the rest read the session's PDFs of the invented
model-treaty (Arabic, with its English text beside it) and of ltr-sample (English, with its
Arabic text beside it), in the general edition (parallel columns, Latin digits) and the legal
edition (the main text alone, Arabic-Indic digits, pages in references).
"""

from __future__ import annotations

import html
import itertools
import re
import shutil
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, cast

import pypdfium2
import pytest
import yaml
from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from briefpress.build import build
from briefpress.check.geometry import Glyph, Line, Page, is_arabic, pages, visual_text
from briefpress.check.languages import read_languages
from briefpress.check.pagequality import single_word_last_lines, stranded_lines
from briefpress.check.readers import read
from briefpress.check.textlayer import BIDI_CONTROLS, fold_digits, pdfium_text
from briefpress.errors import ContentError
from briefpress.layout.html import render_html
from briefpress.project import Project
from briefpress.source.articles import designation, marker, numbered, targets, walk
from briefpress.source.audiences import load_profiles, select, visible_annex
from briefpress.source.model import Facts
from briefpress.source.numbering import edition_numbering, load_numbering
from briefpress.source.publication import load_publication
from briefpress.source.treaty import Annex
from briefpress.source.xrefs import reference_problems
from briefpress.source.yamlsource import FieldPath
from briefpress.text.labels import CHROME_LABELS
from briefpress.text.numbering import ABJAD, write

from conftest import FIXTURES, TARGETS, Target, copy_project

TREATY, LTR = "model-treaty", "ltr-sample"
MARKER_FONT = "IBM-Plex-Sans-Arabic-Bold"
TEXT_SIZE = 12.5  # base.css --size-text: body text and markers
MM = 72 / 25.4
JOINERS = re.compile("[\u2060\u200b\u200e\u200f\u061c]")


# --- schemes and names (no rendering) ---------------------------------------------------------

def test_abjad_letters_follow_the_legal_order() -> None:
    legal = ("أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل", "م", "ن",
             "س", "ع", "ف", "ص", "ق", "ر", "ش", "ت", "ث", "خ", "ذ", "ض", "ظ", "غ")
    assert tuple(write(n, "abjad") for n in range(1, 29)) == legal == ABJAD
    assert write(29, "abjad") == "أأ"  # past غ the letters run on doubled


@pytest.mark.parametrize(("number", "scheme", "language", "gender", "written"), [
    (1, "digits", "ar", "masculine", "1"),
    (3, "latin", "en", "masculine", "c"),
    (27, "latin", "en", "masculine", "aa"),
    (4, "roman", "ar", "masculine", "iv"),
    (1994, "roman", "en", "masculine", "mcmxciv"),
    (2, "roman-upper", "en", "masculine", "II"),
    (1, "ordinal-words", "ar", "feminine", "الأولى"),
    (2, "ordinal-words", "ar", "masculine", "الثاني"),
    (11, "ordinal-words", "ar", "feminine", "الحادية عشرة"),
    (12, "ordinal-words", "ar", "masculine", "الثاني عشر"),
    (20, "ordinal-words", "ar", "feminine", "العشرون"),
    (21, "ordinal-words", "ar", "feminine", "الحادية والعشرون"),
    (38, "ordinal-words", "ar", "feminine", "الثامنة والثلاثون"),
    (100, "ordinal-words", "ar", "masculine", "المائة"),
    (21, "ordinal-words", "en", "masculine", "Twenty-One"),
])
def test_schemes_write_numbers(number: int, scheme: str, language: str, gender: str,
                               written: str) -> None:
    assert write(number, scheme, language, gender) == written


@pytest.mark.parametrize(("scheme", "number"), [("ordinal-words", 101), ("roman", 4000),
                                                ("abjad", 85), ("digits", 0)])
def test_a_scheme_refuses_what_it_cannot_write(scheme: str, number: int) -> None:
    with pytest.raises(ValueError, match="writes numbers from 1 to"):
        write(number, scheme)


@pytest.fixture(scope="module")
def treaty(project: Project):
    return load_publication(project, TREATY)


def _names(project: Project, treaty, language: str, change: dict | None = None,
           second: bool = False) -> dict[str, str]:
    """Every id's designation in `language`, with a profile's numbering change."""
    from briefpress.source.numbering import NumberingChange

    style = edition_numbering(load_numbering(project), NumberingChange.model_validate(change or {}),
                              language)
    labels = CHROME_LABELS[language]
    return {node: designation(located, style, labels, language, second)
            for node, located in targets(treaty.annex).items()}


def test_references_name_the_whole_path_to_their_node(project: Project, treaty) -> None:
    arabic = _names(project, treaty, "ar")
    assert arabic["art-5-2-b"] == "المادة 5، الفقرة 2 (ب)"
    assert arabic["art-5-2"] == "المادة 5، الفقرة 2"
    assert arabic["def-warning"] == "المادة 2 (ج)"  # a definition is lettered like a sub-paragraph
    assert arabic["part-2"] == "الجزء الثاني"
    assert arabic["art-11-bis"] == "المادة 11 مكرراً"  # a label, not a number
    english = _names(project, treaty, "en", second=True)
    assert english["art-5-2-b"] == "Article 5, paragraph 2 (b)"
    assert english["part-2"] == "Part II"
    assert english["art-11-bis"] == "Article 11 bis"  # the label's parallel text
    words = _names(project, treaty, "ar", {"ar": {"article": "ordinal-words"}})
    assert words["art-5-2-b"] == "المادة الخامسة، الفقرة 2 (ب)"
    assert words["art-1"] == "المادة الأولى"


def test_numbers_left_out_follow_the_one_before(treaty) -> None:
    numbers = {located.path: getattr(located.node, "number", None) for located in walk(treaty.annex)}
    assert [numbers[("parts", 0, "articles", 2, "paragraphs", i)] for i in range(4)] == [1, 2, 3, 4]
    assert numbers[("parts", 1, "sections", 1)] == 2  # sections count within their part
    assert numbers[("parts", 1, "sections", 0, "articles", 1)] == 8  # articles across the annex
    assert numbers[("parts", 1, "sections", 1, "articles", 1)] is None  # 11 مكرراً: a label


def test_a_label_given_twice_is_an_error_at_its_line() -> None:
    """Two articles labelled «9 مكرراً» (the second meant «9 مكرراً ثانياً»), though in different
    parts, print one designation for two articles; so would two paragraphs of one article."""
    data = {"title": "ملحق", "treaty": {"name": "معاهدة"}, "parts": [
        {"title": "أول", "articles": [{"number": 9, "text": "نص."}, {"label": "9 مكرراً", "text": "نص."}]},
        {"title": "ثان", "articles": [{"label": "9 مكرراً", "text": "نص."}, {"text": "نص."}]}]}
    lines: dict[FieldPath, int] = {("parts", 0, "articles", 1, "label"): 4,
                                   ("parts", 1, "articles", 0, "label"): 8}
    _, problems = numbered(Annex.model_validate(data), "annex.yaml", lines)
    assert [str(problem) for problem in problems] == [
        "annex.yaml: line 8: parts[1].articles[0].label: article label '9 مكرراً' is also given on "
        "line 4; a label names one article"]
    apart = {"title": "ملحق", "treaty": {"name": "معاهدة"}, "articles": [
        {"paragraphs": [{"label": "1 مكرراً", "text": "نص."}]},
        {"paragraphs": [{"label": "1 مكرراً", "text": "نص."}]}]}
    assert numbered(Annex.model_validate(apart), "annex.yaml", {})[1] == []  # in other articles


def test_a_parallel_label_given_twice_is_an_error() -> None:
    """«5 مكرراً» and «5 مكرراً ثانياً», both given "5 bis" in English, printed two articles
    "Article 5 bis" in the English column, with exit 0."""
    data = {"title": "ملحق", "treaty": {"name": "معاهدة"}, "parallel": {"language": "en"}, "articles": [
        {"label": "5 مكرراً", "text": "نص.", "parallel": {"label": "5 bis", "text": "Text."}},
        {"label": "5 مكرراً ثانياً", "text": "نص.", "parallel": {"label": "5  bis", "text": "Text."}},
        {"label": "5 مكرراً ثالثاً", "text": "نص.", "parallel": {"label": "5 ter", "text": "Text."}}]}
    lines: dict[FieldPath, int] = {("articles", 0, "parallel", "label"): 4,
                                   ("articles", 1, "parallel", "label"): 6}
    _, problems = numbered(Annex.model_validate(data), "annex.yaml", lines)
    assert [str(problem) for problem in problems] == [
        "annex.yaml: line 6: articles[1].parallel.label: article label '5  bis' is also given on "
        "line 4; a label names one article"]


def test_a_label_that_is_another_node_s_number_is_an_error() -> None:
    """A label «6» beside article 6 (in another part), or «١» beside paragraph 1, printed two
    articles «المادة 6» and two paragraphs «1.», with exit 0."""
    data = {"title": "ملحق", "treaty": {"name": "معاهدة"}, "parts": [
        {"title": "أول", "articles": [{"number": 5, "text": "نص."}, {"label": "6", "text": "نص."}]},
        {"title": "ثان", "articles": [{"number": 6, "paragraphs": [
            {"text": "نص."}, {"label": "١", "text": "نص."}, {"label": "1 مكرراً", "text": "نص."}]}]}]}
    lines: dict[FieldPath, int] = {("parts", 0, "articles", 1, "label"): 5,
                                   ("parts", 1, "articles", 0): 8,
                                   ("parts", 1, "articles", 0, "paragraphs", 0): 9,
                                   ("parts", 1, "articles", 0, "paragraphs", 1, "label"): 10}
    _, problems = numbered(Annex.model_validate(data), "annex.yaml", lines)
    assert sorted(str(problem) for problem in problems) == [
        "annex.yaml: line 10: parts[1].articles[0].paragraphs[1].label: paragraph label '1' is the "
        "number of the paragraph on line 9, so both print as one; give it a label of its own, such "
        "as «1 مكرراً» or '1 bis', or a number",
        "annex.yaml: line 5: parts[0].articles[1].label: article label '6' is the number of the "
        "article on line 8, so both print as one; give it a label of its own, such as «6 مكرراً» "
        "or '6 bis', or a number"]


def test_a_label_given_twice_in_two_digit_styles_is_an_error() -> None:
    """«5 مكرراً» and «٥ مكرراً» print as one label in an edition's own digits: the legal
    edition (Arabic-Indic) printed two articles «المادة ٥ مكرراً», with exit 0."""
    data = {"title": "ملحق", "treaty": {"name": "معاهدة"}, "articles": [
        {"number": 5, "text": "نص."}, {"label": "5 مكرراً", "text": "نص."},
        {"label": "٥  مكرراً", "text": "نص."}, {"label": "۵ مكرراً ثانياً", "text": "نص."},
        {"label": "5 مكرراً ثانياً", "text": "نص."}]}
    lines: dict[FieldPath, int] = {("articles", index, "label"): 3 + index for index in range(5)}
    _, problems = numbered(Annex.model_validate(data), "annex.yaml", lines)
    assert [str(problem) for problem in problems] == [
        "annex.yaml: line 5: articles[2].label: article label '٥  مكرراً' is also given on line 4; "
        "a label names one article",
        "annex.yaml: line 7: articles[4].label: article label '5 مكرراً ثانياً' is also given on "
        "line 6; a label names one article"]


def test_an_edition_keeps_the_numbers_of_the_source(project: Project) -> None:
    data = {"title": "ملحق", "treaty": {"name": "معاهدة"}, "articles": [{"id": "a", "paragraphs": [
        {"audience": ["sanctions-detail"], "text": "فقرة مقيدة."}, {"text": "فقرة عامة."}]}]}
    annex, problems = numbered(Annex.model_validate(data), "annex.yaml", {})
    assert problems == []
    press = load_profiles(project)["press"]
    view = visible_annex(annex, press)
    assert view is not None
    paragraphs = view.articles[0].paragraphs
    assert [(p.number, p.text) for p in paragraphs] == [(2, "فقرة عامة.")]


def test_a_recital_keeps_its_source_number_where_one_before_it_is_hidden(project: Project) -> None:
    """A reference names a recital by its place in the source's preamble, as it names an
    article: an edition that hides the second recital still calls the third paragraph 3."""
    from briefpress.source.numbering import NumberingChange

    data = {"title": "ملحق", "treaty": {"name": "معاهدة"}, "preamble": {"recitals": [
        {"id": "rec-1", "text": "إذ تشير."},
        {"id": "rec-2", "audience": ["sanctions-detail"], "text": "وإذ تضع."},
        {"id": "rec-3", "text": "وإذ تدرك."}]},
        "articles": [{"id": "a", "paragraphs": [{"text": "فقرة."}]}]}
    annex, problems = numbered(Annex.model_validate(data), "annex.yaml", {})
    assert problems == []
    style = edition_numbering(load_numbering(project), NumberingChange(), "ar")
    for profile in ("general", "press"):  # press hides sanctions-detail
        view = visible_annex(annex, load_profiles(project)[profile])
        assert view is not None and view.preamble is not None
        assert len(view.preamble.recitals) == (3 if profile == "general" else 2)
        assert designation(targets(view)["rec-3"], style, CHROME_LABELS["ar"], "ar", False) \
            == "الديباجة، الفقرة 3"


def test_a_preamble_keeps_its_intro_and_closing_where_its_recitals_are_hidden(tmp_path: Path) -> None:
    """A preamble takes no tags: its intro and closing are for every edition. An edition that hid
    every recital dropped them with the recitals, without a word, and its articles followed the
    title with no «قد اتفقت على ما يلي:»."""
    treaty = {"title": "ملحق", "treaty": {"name": "معاهدة"},
              "preamble": {"intro": "إن الدول الأطراف canaryintro،",
                           "closing": "قد اتفقت على ما يلي canaryclosing:",
                           "recitals": [{"text": "وإذ تدرك canaryrecital،",
                                         "audience": ["sanctions-detail"]}]},
              "articles": [{"title": "الغرض", "text": "نص المادة."}]}
    project = copy_project(tmp_path / "project", fixtures=False, only="russia-dprk-partnership")
    (project.content_dir / "russia-dprk-partnership" / "annex.yaml").write_text(
        yaml.safe_dump(treaty, allow_unicode=True), encoding="utf-8")
    (project.templates_dir / "audiences" / "public-annex.yaml").write_text(
        "name: public-annex\ndescription: اختبار\ndocuments: [annex]\nexclude: [sanctions-detail]\n",
        encoding="utf-8")
    content, profiles = load_publication(project, "russia-dprk-partnership"), load_profiles(project)
    for name, shown in (("public-annex", False), ("general", True)):
        html = render_html(project, select(content, profiles[name]), "annex", profiles[name]).html
        assert ("canaryintro" in html, "canaryrecital" in html, "canaryclosing" in html) \
            == (True, shown, True), name


def test_a_publication_without_an_annex_builds_without_one(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", fixtures=False, only="russia-dprk-partnership")
    (project.content_dir / "russia-dprk-partnership" / "annex.yaml").unlink()
    out = tmp_path / "out"
    targets_built = build(project, out, audiences=["legal", "general"], documents=["annex", "factsheet"])
    assert [(t.audience, t.document) for t in targets_built] == [("general", "factsheet")]
    assert not list(out.rglob("annex.pdf"))


# --- reading the PDFs back --------------------------------------------------------------------

# Each edition measured: publication, audience, whether the texts stand side by side.
EDITIONS = [(TREATY, "general", True), (TREATY, "legal", False), (LTR, "general", True),
            (LTR, "legal", False)]
ARABIC_MARKERS = ["أ", "ب", "ج", "1", "2", "أ", "ب", "i", "ii", "ج", "3", "4", "1", "2", "3", "أ",
                  "ب", "1", "2"]
ENGLISH_MARKERS = ["a", "b", "c", "1", "2", "a", "b", "i", "ii", "c", "3", "4", "1", "2", "3", "a",
                   "b", "1", "2"]
MARKERS = {TREATY: (ARABIC_MARKERS, ENGLISH_MARKERS),
           LTR: (["a", "b", "1", "2", "a", "b", "i", "ii", "3"],
                 ["أ", "ب", "1", "2", "أ", "ب", "i", "ii", "3"])}
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _annex(built: Path, publication: str, audience: str) -> Path:
    return built / publication / audience / "annex.pdf"


def _columns(page: Page, line: Line, parallel: bool) -> dict[str, list[Glyph]]:
    """A line's glyphs by column: the right and left halves of a parallel page, or all of it."""
    if not parallel:
        return {"all": list(line.glyphs)}
    middle = page.width / 2
    return {"right": [g for g in line.glyphs if g.x0 >= middle],
            "left": [g for g in line.glyphs if g.x1 <= middle]}


def _direction(publication: str, column: str) -> str:
    """The direction a column is written in: the main text's on its start side, the other's."""
    main = "rtl" if publication == TREATY else "ltr"
    if column == "all":
        return main
    main_side = "right" if main == "rtl" else "left"
    return main if column == main_side else ("ltr" if main == "rtl" else "rtl")


def _marker_glyphs(glyphs: list[Glyph]) -> list[Glyph]:
    """A line's marker: its glyphs in the marker face, with the bold figures set inside them (an
    Arabic-Indic edition draws its digits in the figures face, audience.css.j2)."""
    marker = [g for g in glyphs if MARKER_FONT in g.font and g.size == TEXT_SIZE]
    if not marker:
        return []
    figures = [g for g in glyphs if g.size == TEXT_SIZE and "Bold" in g.font and g.text.isdigit()
               and MARKER_FONT not in g.font]
    grown = True
    while grown:  # take in each figure that touches the marker, then those touching it
        left, right = min(g.x0 for g in marker), max(g.x1 for g in marker)
        touching = [g for g in figures if g not in marker and left - 1 <= g.x1 and g.x0 <= right + 1]
        marker += touching
        grown = bool(touching)
    return marker


def _markers(pdf: Path, publication: str, parallel: bool) -> dict[str, list[tuple[int, float, str, bool]]]:
    """Per column, every marker in reading order: page, top, its letters and digits, and whether
    it stands on the start side of the text on its line."""
    found: dict[str, list[tuple[int, float, str, bool]]] = {}
    for page in pages(pdf):
        for line in page.lines:
            for column, glyphs in _columns(page, line, parallel).items():
                marker = _marker_glyphs(glyphs)
                text = [g for g in glyphs if "Amiri" in g.font and g not in marker]
                if not marker:
                    continue
                assert text, f"page {page.number}: marker {visual_text(Line(tuple(marker)))} without text"
                letters = "".join(c for g in sorted(marker, key=lambda g: g.x0) for c in g.text
                                  if c.isalnum())
                if _direction(publication, column) == "rtl":
                    start = min(g.x0 for g in marker) > max(g.x1 for g in text)
                else:
                    start = max(g.x1 for g in marker) < min(g.x0 for g in text)
                found.setdefault(column, []).append((page.number, line.top, letters, start))
    return found


@pytest.mark.parametrize(("publication", "audience", "parallel"), EDITIONS, ids=str)
def test_markers_stand_on_the_start_side_in_each_scheme(built: Path, publication: str, audience: str,
                                                        parallel: bool) -> None:
    """Every paragraph number and sub-paragraph letter is on its text's first line, on the start
    side of it, in the scheme and digits of its language: abjad in Arabic, Latin letters in
    English, roman numerals below them, Arabic-Indic digits in the legal edition's Arabic."""
    found = _markers(_annex(built, publication, audience), publication, parallel)
    main, second = MARKERS[publication]
    if audience == "legal" and publication == TREATY:
        main = [marker.translate(INDIC) for marker in main]
    main_side = "all" if not parallel else ("right" if publication == TREATY else "left")
    expected = {main_side: main}
    if parallel:
        expected["left" if main_side == "right" else "right"] = second
    assert {column: [letters for _, _, letters, _ in markers] for column, markers in found.items()} \
        == expected
    misplaced = [(page, letters) for markers in found.values() for page, _, letters, start in markers
                 if not start]
    assert misplaced == []


@pytest.mark.parametrize(("publication", "audience"), [(TREATY, "general"), (LTR, "general")])
def test_parallel_columns_meet_at_the_top_of_every_row(built: Path, publication: str,
                                                       audience: str) -> None:
    """Arabic on the right, English on the left; each numbered entry starts on the same line in
    both, and after every page break both columns start at the same height."""
    pdf = _annex(built, publication, audience)
    found = _markers(pdf, publication, parallel=True)
    assert [(page, round(top)) for page, top, _, _ in found["right"]] == \
        [(page, round(top)) for page, top, _, _ in found["left"]]
    arabic = "right"
    for page in pages(pdf):
        header = [line for line in page.lines if any(MARKER_FONT in g.font and g.size < 10
                                                      for g in line.glyphs)]
        assert header, f"page {page.number}: no column header"
        below = header[-1].top + 5
        firsts = []
        for column in ("right", "left"):
            lines = [line for line in page.lines if line.top > below
                     and any("Amiri" in g.font for g in _columns(page, line, True)[column])]
            firsts.append(min(line.top for line in lines))
            letters = [c for line in lines for g in _columns(page, line, True)[column]
                       for c in g.text if c.isalpha()]
            arabic_share = sum(1 for c in letters if unicodedata.bidirectional(c) == "AL") / len(letters)
            assert (arabic_share > 0.9) == (column == arabic), (page.number, column)
        assert abs(firsts[0] - firsts[1]) < 1, f"page {page.number}: columns start at {firsts}"
        # A bold line (a heading, a defined term, the preamble's words) has its counterpart.
        for line in page.lines:
            bold = {column: any("Amiri-Bold" in g.font for g in glyphs)
                    for column, glyphs in _columns(page, line, True).items()}
            if line.top > below and any(bold.values()):
                assert all(bold.values()), f"page {page.number}: {visual_text(line)[:30]}"


def test_a_long_paragraph_breaks_across_pages_in_both_columns(built: Path) -> None:
    """Article 7, paragraph 3 runs over a page break: both columns continue at the top of the
    next page (the check above), and neither column ends the page early."""
    pdf = _annex(built, TREATY, "general")
    reader_pages = pages(pdf)
    texts = [fold_digits(pdfium_text_page) for pdfium_text_page in _pdfium_pages(pdf)]
    split = [number for number, text in enumerate(texts, start=1)
             if "سلاسل البيانات" in text and "الخبرة المكتسبة" not in text]
    assert split, "the long paragraph does not break across pages"
    page = reader_pages[split[0] - 1]
    bottoms = [max(line.top for line in page.lines if line.top < page.height - 30 * MM
                   and any("Amiri" in g.font for g in _columns(page, line, True)[column]))
               for column in ("right", "left")]
    assert abs(bottoms[0] - bottoms[1]) < 40, bottoms  # both columns fill the page


def _pdfium_pages(pdf: Path) -> list[str]:
    from briefpress.check.textlayer import pdfium_pages

    return pdfium_pages(pdf)


def _outline(reader: PdfReader) -> list:
    def walk_(items: list) -> list:
        result: list = []
        for item in items:
            if isinstance(item, list):
                result.append(walk_(item))
            else:
                result.append(JOINERS.sub("", fold_digits(item.title)))
        return result
    return walk_(reader.outline)


@pytest.mark.parametrize("audience", ["general", "legal"])
def test_the_outline_follows_parts_sections_and_articles(built: Path, audience: str) -> None:
    reader = PdfReader(str(_annex(built, TREATY, audience)))
    assert _outline(reader) == ["الملحق: نص الاتفاقية", [
        "الجزء الأول: أحكام عامة", ["المادة 1: الغرض", "المادة 2: المصطلحات المستخدمة",
                                    "المادة 5: الالتزامات العامة"],
        "الجزء الثاني: التعاون والإنذار", [
            "الفرع 1: تبادل البيانات", ["المادة 7: إتاحة البيانات", "المادة 8: الإنذار المبكر"],
            "الفرع 2: تسوية المنازعات", ["المادة 11: المشاورات", "المادة 11 مكرراً: التوفيق"]]]]


def _id(item: Any) -> int:
    """The object number of a page, or of the page an outline entry or destination names."""
    reference: Any = item.indirect_reference if isinstance(item, PageObject) else item.page
    return int(reference.idnum)


def _bookmarks(reader: PdfReader) -> list[tuple[str, int, float]]:
    """Every outline entry: its title, page index and top (PDF coordinates, from the bottom)."""
    index = {_id(page): number for number, page in enumerate(reader.pages)}
    found = []

    def walk_(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk_(item)
            else:
                found.append((JOINERS.sub("", fold_digits(item.title)), index[_id(item)],
                              float(item.top)))
    walk_(reader.outline)
    return found


def _kept_with_what_follows(pdf: Path, publication: str, parallel: bool) -> None:
    """Each heading has text under it on its page, and no page's column ends with the sentence
    that introduces a list (which ends with a colon): it stays with its first entry."""
    reader = PdfReader(str(pdf))
    page_list = pages(pdf)
    for title, index, top in _bookmarks(reader)[1:]:
        page = page_list[index]
        heading_top = page.height - top
        after = [line for line in page.lines if line.top > heading_top + 2.5 * TEXT_SIZE
                 and line.top < page.height - 22 * MM and any("Amiri" in g.font for g in line.glyphs)]
        assert after, f"'{title}' is the last thing on page {index + 1}"
    for page in page_list:
        for column in ("right", "left") if parallel else ("all",):
            body = [(line.top, _columns(page, line, parallel)[column]) for line in page.lines
                    if line.top < page.height - 22 * MM]
            body = [(top, glyphs) for top, glyphs in body if any("Amiri" in g.font for g in glyphs)]
            if not body:
                continue
            last = sorted(max(body, key=lambda item: item[0])[1], key=lambda g: g.x0)
            end = last[0] if _direction(publication, column) == "rtl" else last[-1]
            assert end.text != ":", f"page {page.number} ends with an introduction ({column})"


@pytest.mark.parametrize(("audience", "parallel"), [("general", True), ("legal", False)])
def test_headings_and_introductions_are_never_last_on_a_page(built: Path, audience: str,
                                                             parallel: bool) -> None:
    _kept_with_what_follows(_annex(built, TREATY, audience), TREATY, parallel)


def _many_articles(count: int) -> dict:
    """Articles of one to five short sub-paragraphs after an introduction, so that page breaks
    fall everywhere: after headings, introductions and entries."""
    arabic = "تلتزم كل دولة طرف بأن تتخذ ما يلزم من تدابير لرصد المؤشرات وتبادل نتائجها"
    english = "Each State Party shall take the measures needed to monitor and share the indicators"
    articles = [{"title": f"مادة رقم {n}", "intro": "تتولى كل دولة طرف ما يلي:",
                 "parallel": {"title": f"Article number {n}", "intro": "Each State Party shall:"},
                 "subparagraphs": [{"text": arabic + "؛", "parallel": {"text": english + ";"}}
                                   for _ in range(1 + n % 5)]} for n in range(1, count + 1)]
    # In a section of a part, so article headings are H4, which no base rule keeps with its text.
    return {"title": "ملحق", "treaty": {"name": "معاهدة"}, "parallel": {"language": "en"},
            "parts": [{"title": "جزء", "parallel": {"title": "Part"}, "sections": [
                {"title": "فرع", "parallel": {"title": "Section"}, "articles": articles}]}]}


@pytest.mark.parametrize("audience", ["general", "legal"])
def test_headings_and_introductions_stay_with_what_follows(tmp_path: Path, audience: str) -> None:
    project = copy_project(tmp_path / "project", fixtures=False)
    folder = project.content_dir / "russia-dprk-partnership"
    (folder / "annex.yaml").write_text(yaml.safe_dump(_many_articles(24), allow_unicode=True),
                                       encoding="utf-8")
    out = tmp_path / "out"
    build(project, out, documents=["annex"], audiences=[audience])
    pdf = out / "russia-dprk-partnership" / audience / "annex.pdf"
    assert len(pages(pdf)) >= 4
    _kept_with_what_follows(pdf, TREATY, audience == "general")


def test_the_preamble_s_closing_stays_with_the_first_article(tmp_path: Path) -> None:
    """«قد اتفقت على ما يلي:» introduces the articles: nine recitals bring it to the foot of the
    first page, where it was left while the first part moved overleaf."""
    recital = ("وإذ تدرك أن التعاون المنتظم بين الدول المتجاورة شرط لازم لنجاح الإنذار المبكر، وأن "
               "تبادل البيانات يقتضي ثقة متبادلة،")
    treaty = {"title": "ملحق", "treaty": {"name": "معاهدة"},
              "preamble": {"intro": "إن الدول الأطراف،", "closing": "قد اتفقت على ما يلي:",
                           "recitals": [{"text": recital} for _ in range(9)]},
              "parts": [{"title": "أحكام عامة", "articles": [{"title": "الغرض", "text": recital * 2}]}]}
    project = copy_project(tmp_path / "project", fixtures=False)
    (project.content_dir / "russia-dprk-partnership" / "annex.yaml").write_text(
        yaml.safe_dump(treaty, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    build(project, out, documents=["annex"], audiences=["legal"])
    read = pages(out / "russia-dprk-partnership" / "legal" / "annex.pdf")
    assert len(read) == 2 and [str(finding) for finding in stranded_lines(read, rtl=True)] == []


@pytest.mark.parametrize("audience", ["general", "legal"])
def test_a_part_s_designation_is_set_smaller_than_its_title(built: Path, audience: str) -> None:
    """«الجزء الثاني» over its title reads as a label, so a title of one word under it is not a
    title that left a word alone (the page-quality check looks for those)."""
    found = 0
    for page in pages(built / "model-treaty" / audience / "annex.pdf"):
        for line, below in zip(page.lines, page.lines[1:], strict=False):
            if "ءزجلا" in line.text and len(line.text) < 25:  # الجزء, in visual order; no reference
                assert line.size < below.size - 1, (page.number, line.text, below.text)
                found += 1
    assert found >= 2


def test_a_wrapped_part_title_leaves_no_word_alone_in_either_column(tmp_path: Path) -> None:
    """A part's title is balanced like any heading, in the main column and beside it: the English
    title «Settlement of disputes and final provisions» left «provisions» alone on its last line."""
    project = copy_project(tmp_path / "project", fixtures=False)
    treaty = _many_articles(2)
    treaty["parts"][0]["title"] = "تسوية المنازعات والأحكام الختامية"
    treaty["parts"][0]["parallel"]["title"] = "Settlement of disputes and final provisions"
    (project.content_dir / "russia-dprk-partnership" / "annex.yaml").write_text(
        yaml.safe_dump(treaty, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    build(project, out, documents=["annex"], audiences=["general"])
    read = pages(out / "russia-dprk-partnership" / "general" / "annex.pdf")
    assert [str(finding) for finding in single_word_last_lines(read)] == []
    english = [[g for g in line.glyphs if g.text.isascii() and g.text.strip()]
               for line in read[0].lines]
    words = ("PartI", "Settlement", "provisions")  # its glyphs, without spaces
    heading = [glyphs for glyphs in english if any(word in "".join(g.text for g in glyphs)
                                                   for word in words)]
    centres = [(min(g.x0 for g in glyphs) + max(g.x1 for g in glyphs)) / 2 for glyphs in heading]
    assert len(centres) == 3 and max(centres) - min(centres) < 2  # «Part I» and its title, centred


@pytest.mark.parametrize(("audience", "parallel"), [("general", True), ("legal", False)])
def test_running_heads_name_the_article_at_the_top_of_the_page(built: Path, audience: str,
                                                                parallel: bool) -> None:
    pdf = _annex(built, TREATY, audience)
    reader = PdfReader(str(pdf))
    headings = [(title.split(":")[0], index, top) for title, index, top in _bookmarks(reader)[1:]]
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        for index, page in enumerate(pages(pdf)):
            body = [line for line in page.lines if 24 * MM < line.top < page.height - 22 * MM
                    and any("Amiri" in g.font for g in line.glyphs)]
            first = page.height - min(line.top for line in body)
            # The heading the page's first line belongs to: an article the page continues or
            # starts with; after a part or section heading, or before any, the next article.
            above = [number for number, (_, at, top) in enumerate(headings)
                     if at < index or (at == index and top + 1 >= first)]
            start = above[-1] if above else 0
            expected = next(name for name, _, _ in headings[start:] if name.startswith("المادة"))
            width, height = page.width, page.height
            head = document[index].get_textpage().get_text_bounded(0, height - 24 * MM, width / 2, height)
            assert JOINERS.sub("", fold_digits(head)).strip() == expected, (index + 1, head)
    finally:
        document.close()


def _kinds(reader: PdfReader) -> Counter[str]:
    root = cast(DictionaryObject, reader.root_object["/StructTreeRoot"].get_object())
    kinds: Counter[str] = Counter()
    todo = [root]
    while todo:
        element = todo.pop()
        kids = element.get("/K")
        if kids is None:
            continue
        kids = kids.get_object()
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            kid = kid.get_object()
            if isinstance(kid, DictionaryObject) and "/S" in kid:
                kinds[str(kid["/S"])] += 1
                todo.append(kid)
    return kinds


@pytest.mark.parametrize(("audience", "parallel"), [("general", True), ("legal", False)])
def test_articles_and_paragraphs_are_structure_elements(built: Path, audience: str,
                                                        parallel: bool) -> None:
    """A screen reader moves by heading (parts H2; sections, and articles of a part without
    sections, H3; articles of a section H4) and by entry: list items, or table rows whose
    columns have headers."""
    kinds = _kinds(PdfReader(str(_annex(built, TREATY, audience))))
    assert (kinds["/H1"], kinds["/H2"], kinds["/H3"], kinds["/H4"]) == (1, 2, 5, 4)
    if parallel:
        assert kinds["/TH"] >= 2 and kinds["/TR"] >= 40
    else:
        assert kinds["/Art"] >= 7 and kinds["/L"] >= 5 and kinds["/LI"] >= 19


def test_an_article_that_runs_onto_the_next_page_is_one_element(tmp_path: Path) -> None:
    """WeasyPrint tags a block once per page it is on. A user's long articles came out as 21
    /Art elements for 16 articles, each continuation an article without a heading, and each
    part and paragraph list cut at every page break: a part, an article and a list are one
    element now, their entries in reading order."""
    import weasyprint

    from briefpress.layout.pdf import structure_as_written

    items = "".join(f"<li>الفقرة {n}</li>" for n in range(1, 7))
    html = ("<html lang='ar' dir='rtl'><style>@page { size: 90mm 30mm; margin: 0 }"
            "body { margin: 0 } h3, li { line-height: 9mm; margin: 0 } ol { margin: 0 }</style>"
            f"<body><section><article><h3>المادة 1</h3><ol>{items}</ol></article></section>"
            "</body></html>")
    pdf = tmp_path / "article.pdf"
    with structure_as_written():
        weasyprint.HTML(string=html).write_pdf(pdf, pdf_tags=True)
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 2
    kinds = _kinds(reader)
    assert (kinds["/Sect"], kinds["/Art"], kinds["/L"], kinds["/LI"]) == (1, 1, 1, 6)
    found = read_languages(pdf)
    assert found is not None
    entries = " ".join(f".{n}{n} ةرقفلا" for n in range(1, 7))  # glyphs in drawing order
    assert f"1 ةداملا {entries}" in [piece.text for piece in found.elements], "one /Art, in order"


# A paragraph number or sub-paragraph letter on a line of its own, as a reader copies it.
MARKER_ALONE = re.compile(r"^\s*(?:[()][^\s()]{1,4}[()]|\.?[0-9٠-٩]{1,3}\.?)\s*$")


@pytest.mark.parametrize("family", ["pdfium", "pdfjs"])
def test_a_marker_is_copied_beside_its_text(tmp_path: Path, family: str) -> None:
    """pdfium and pdf.js copy in drawing order, and WeasyPrint drew a page's floated markers
    before the text of its blocks: a legal officer copying an article from Chrome or Firefox got
    every «.١» and «(أ)» of the page at its top, and the article's paragraphs without them."""
    project = copy_project(tmp_path / "project", only=TREATY)
    build(project, tmp_path / "out", publications=[TREATY], audiences=["legal"], documents=["annex"])
    text = read(family, tmp_path / "out" / TREATY / "legal" / "annex.pdf")
    lines = [line for line in text.splitlines() if line.strip()]
    assert [line for line in lines if MARKER_ALONE.match(BIDI_CONTROLS.sub("", line))] == []
    assert any("تشغيل شبكة من محطات الرصد" in line and "أ" in line.split("تشغيل")[0] for line in lines)


def _links(pdf: Path) -> list[tuple[int, str, int, str]]:
    """Every internal link: its page, the node it names, that node's page and its text."""
    reader = PdfReader(str(pdf))
    index = {_id(page): number for number, page in enumerate(reader.pages)}
    destinations = {name: index[_id(dest)] for name, dest in reader.named_destinations.items()}
    document = pypdfium2.PdfDocument(str(pdf))
    found = []
    try:
        for number, page in enumerate(reader.pages):
            text_page = document[number].get_textpage()
            for annotation in page.get("/Annots", []) or []:
                annotation = annotation.get_object()
                if "/Dest" not in annotation:
                    continue
                x0, y0, x1, y1 = (float(value) for value in annotation["/Rect"])
                text = text_page.get_text_bounded(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
                name = str(annotation["/Dest"])
                found.append((number, name, destinations[name], JOINERS.sub("", fold_digits(text))))
    finally:
        document.close()
    return found


def test_references_in_the_annex_link_to_their_node_and_give_its_page(built: Path) -> None:
    links = _links(_annex(built, TREATY, "legal"))
    assert {name for _, name, _, _ in links} == {"n-art-5-2-b", "n-def-station", "n-def-warning",
                                                "n-part-2", "n-art-11"}
    reader = PdfReader(str(_annex(built, TREATY, "legal")))
    heads = {title.split(":")[0]: index for title, index, _ in _bookmarks(reader)}
    for _, name, page, _ in links:
        if name == "n-part-2":
            assert page == heads["الجزء الثاني"]
        if name == "n-art-11":
            assert page == heads["المادة 11"]
    pages_given = [(name, int(match[1]), page + 1) for _, name, page, text in links
                   for match in re.finditer(r"ص\s*([0-9]+)", text)]
    assert pages_given and all(given == actual for _, given, actual in pages_given), pages_given
    named = " ".join(text for _, name, _, text in links if name == "n-art-5-2-b")
    assert _as_named("المادة 5، الفقرة 2 (ب)") in _as_named(named)


def test_a_reference_s_page_is_never_broken_from_its_label(tmp_path: Path) -> None:
    """«(ص» ended a line and «١٢)؛» began the next in a user's legal annex: the page a reference
    gives keeps its label, as «المادة» keeps its number."""
    words = ["تحيل هذه المادة إلى"] + [f"{'ب' * (1 + n % 9)} [[ref:a1]]؛" for n in range(40)]
    treaty = {"title": "ملحق", "treaty": {"name": "معاهدة"}, "articles": [
        {"number": 1, "id": "a1", "title": "الغرض", "text": "نص المادة الأولى."},
        {"title": "الإحالات", "text": " ".join(words) + " غيرها."}]}
    project = copy_project(tmp_path / "project", fixtures=False)
    (project.content_dir / "russia-dprk-partnership" / "annex.yaml").write_text(
        yaml.safe_dump(treaty, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    build(project, out, documents=["annex"], audiences=["legal"])
    lines = [" ".join(JOINERS.sub("", BIDI_CONTROLS.sub("", line)).split())
             for line in pdfium_text(out / "russia-dprk-partnership" / "legal" / "annex.pdf").splitlines()]
    assert sum(line.count("ص ١") for line in lines) == 40
    assert [line for line in lines if line.endswith(("(ص", "ص")) or line.startswith("١)")] == []


def _layer(pdf: Path) -> str:
    return " ".join(JOINERS.sub("", fold_digits(BIDI_CONTROLS.sub("", pdfium_text(pdf)))).split())


@pytest.mark.parametrize("audience", ["general", "press", "decision-makers"])
def test_the_brief_and_fact_sheet_name_the_nodes_they_refer_to(built: Path, audience: str) -> None:
    brief = _layer(built / TREATY / audience / "brief.pdf")
    for name in ("تحدد المادة 2 معاني", "الوارد في المادة 2 (ج)", "تلزم المادة 5، الفقرة 2 كل",
                 "وتفصل المادة 5، الفقرة 2 (ب) ما", "يعالج الجزء الثاني", "وتتيح المادة 11 مكرراً",
                 "وتحدد المادة 8 متى"):  # the last in a note
        assert _as_named(name) in _as_named(brief), name
    assert "[[ref" not in brief
    facts = _layer(built / TREATY / audience / "factsheet.pdf")
    assert "الجزء الأول والجزء الثاني" in facts
    # «(المادة 1)»: pdfium turns or moves the brackets of a line's last words (the text layer's).
    assert re.search(r"[()] ?المادة [()]?1[()]?", facts), facts


def test_a_fact_quotes_a_reference_as_the_brief_writes_it(tmp_path: Path) -> None:
    """A fact quoting a brief sentence that holds a cross-reference was refused, written as in
    brief.md or as printed, while the sentence's words joined over the reference, which no
    edition prints, passed: a quote holds the reference as brief.md writes it."""
    project = copy_project(tmp_path / "project", only=TREATY)
    path = project.content_dir / TREATY / "facts.yaml"
    facts = yaml.safe_load(path.read_text(encoding="utf-8"))
    facts["lists"][0].update(source="وتحدد [[ref:art-2]] معاني المصطلحات المستخدمة",
                             items=["تحدد [[ref:art-2]] معاني المصطلحات"])
    path.write_text(yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert load_publication(project, TREATY).facts.lists[0].items == ["تحدد [[ref:art-2]] معاني المصطلحات"]
    facts["lists"][0].update(source="وتحدد معاني المصطلحات المستخدمة", items=["تحدد المادة 2 معاني"])
    path.write_text(yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_publication(project, TREATY)
    assert [str(problem).split(": ")[2] for problem in caught.value.problems] == [
        "lists[0].source", "lists[0].items[0]"]


def _strip_marks(text: str) -> str:
    return "".join(c for c in text if not unicodedata.combining(c))


def _as_named(text: str) -> str:
    """Text as the reference-name checks compare it: without harakat or commas, one space apart.
    pdfium moves the comma after «المادة 5» to the number's other side and copies «تُلزم» as
    «ت ُلزم» and «تفصّل» as «تفصّ ل»; how readers copy is measured in tests/test_textlayer.py,
    here only names count."""
    def beside_mark(i: int) -> bool:
        return any(0 <= j < len(text) and unicodedata.combining(text[j]) for j in (i - 1, i + 1))
    unmarked = "".join(c for i, c in enumerate(text) if not unicodedata.combining(c)
                       and not (c == " " and beside_mark(i)))
    return " ".join(re.sub("[،,]", " ", unmarked).split())


def test_references_survive_filtering_and_section_reordering(tmp_path: Path) -> None:
    """An edition that reorders the brief's sections and hides tagged text names every node as
    the general edition does."""
    project = copy_project(tmp_path / "project")
    profile = project.templates_dir / "audiences" / "press.yaml"
    profile.write_text(profile.read_text(encoding="utf-8")
                       + "sections:\n  model-treaty: [section-3, section-1, section-2]\n", encoding="utf-8")
    out = tmp_path / "out"
    build(project, out, publications=[TREATY], documents=["brief"], audiences=["press", "general"])
    press, general = (_layer(out / TREATY / name / "brief.pdf") for name in ("press", "general"))
    for name in ("المادة 2 (ج)", "المادة 5، الفقرة 2 (ب)", "الجزء الثاني", "المادة 11 مكرراً"):
        assert _as_named(name) in _as_named(press) and _as_named(name) in _as_named(general)
    assert press.index("يعالج الجزء الثاني") < press.index("تحدد المادة 2")  # reordered


def test_an_edition_can_number_articles_in_words_and_set_both_texts_in_their_own_digits(
        tmp_path: Path) -> None:
    """A profile's numbering names articles «المادة الأولى» in headings and references; in an
    Arabic-Indic edition with parallel texts the Arabic column takes Arabic-Indic digits and the
    English column keeps its own."""
    project = copy_project(tmp_path / "project")
    profile = project.templates_dir / "audiences" / "legal.yaml"
    text = profile.read_text(encoding="utf-8").replace("parallel: false", "parallel: true")
    profile.write_text(text + "numbering:\n  ar: {article: ordinal-words}\n", encoding="utf-8")
    out = tmp_path / "out"
    build(project, out, publications=[TREATY], audiences=["legal"])
    pdf = out / TREATY / "legal" / "annex.pdf"
    layer = _strip_marks(" ".join(JOINERS.sub("", BIDI_CONTROLS.sub("", pdfium_text(pdf))).split()))
    for name in ("المادة الأولى", "المادة الخامسة", "المادة الحادية عشرة", "المادة الخامسة، الفقرة ٢ (ب)"):
        assert _strip_marks(name) in layer, name
    middle = pages(pdf)[0].width / 2
    digits: dict[str, set[str]] = {"right": set(), "left": set()}
    for page in pages(pdf):
        for line in page.lines:
            for glyph in line.glyphs:
                if glyph.text.isdigit() and "Amiri" in glyph.font and line.top > 24 * MM:
                    digits["right" if glyph.x0 >= middle else "left"].add(glyph.text)
    assert digits["right"] and digits["right"] <= set("٠١٢٣٤٥٦٧٨٩") | set("0123456789")
    assert set("٠١٢٣٤٥٦٧٨٩") & digits["right"]
    assert digits["left"] <= set("0123456789")



def test_the_arabic_column_of_an_english_annex_gives_pages_in_its_own_digits(tmp_path: Path) -> None:
    """In an Arabic-Indic edition of an English annex with the Arabic beside it, a reference's
    page in the Arabic column is «(ص ١)», as every other number of that column; the English
    column keeps "(p. 1)". The Arabic column printed «(ص 1)», the publication's Latin counters."""
    project = copy_project(tmp_path / "project", only=LTR)
    profile = project.templates_dir / "audiences" / "legal.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("parallel: false", "parallel: true"),
                       encoding="utf-8")
    build(project, tmp_path / "out", publications=[LTR], audiences=["legal"], documents=["annex"])
    pdf = tmp_path / "out" / LTR / "legal" / "annex.pdf"
    middle = pages(pdf)[0].width / 2
    columns: dict[str, list[str]] = {"right": [], "left": []}
    for page in pages(pdf):
        for line in page.lines:
            for side, glyphs in (("right", [g for g in line.glyphs if g.x0 >= middle]),
                                 ("left", [g for g in line.glyphs if g.x1 < middle])):
                text = "".join(glyph.text for glyph in glyphs)
                if ("ص" if side == "right" else "p.") in text and ")" in text:
                    columns[side].append(text)
    # A line's glyphs, left to right: «(ص ١)» is drawn `(١ص)`.
    given = [found for text in columns["right"] for found in re.findall(r"\(([0-9٠-٩]+)ص\)", text)]
    assert given and not any(re.search("[0-9]", page) for page in given), columns["right"]
    assert columns["left"] and all(re.search(r"\(p\.[0-9]+\)", text) for text in columns["left"])


# --- legal bidi: symbols, dates and references drawn and copied as typed ------------------------

SYMBOLS = ("49/59", "A/RES/49/59", "S/RES/2397 (2017)", "16/12/1966", "2 (ب)", "2 (b)")
LEGAL_TARGETS = [target for target in TARGETS if (target.publication, target.document) in
                 ((TREATY, "annex"), (TREATY, "brief"), (LTR, "annex"))]


def _typed(project: Project, target: Target) -> Counter[str]:
    """How often each symbol is in the text the edition's HTML carries (what was typed)."""
    content = load_publication(project, target.publication)
    profile = load_profiles(project)[target.audience]
    rendered = render_html(project, select(content, profile), target.document, profile).html
    body = html.unescape(re.sub(r"<[^>]+>", " ", rendered.split("<body", 1)[1]))
    text = _plain(body)
    return Counter({symbol: text.count(symbol) for symbol in SYMBOLS if text.count(symbol)})


def _plain(text: str) -> str:
    text = fold_digits(JOINERS.sub("", BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", text))))
    return " ".join(text.split())


@pytest.mark.parametrize("edition_target", LEGAL_TARGETS, ids=str)
def test_legal_symbols_are_drawn_as_typed(built: Path, edition_target: Target,
                                          project: Project) -> None:
    """`A/RES/49/59`, `S/RES/2397 (2017)`, `16/12/1966` and `49/59` read left to right on their
    line, and «2 (ب)» has its number on the right of its letter, as an Arabic reader meets it."""
    typed = _typed(project, edition_target)
    assert typed, "the fixture should hold legal symbols"
    lines = [visual_text(line) for page in pages(built / edition_target.path) for line in page.lines]
    # A bracket glyph's text is whichever bracket the font subset drew first, so brackets are
    # compared as brackets, whichever way each is labelled; their drawing order is the test.
    joined = re.sub("[()]", "|", "\n".join(lines))
    for symbol in ("A/RES/49/59", "S/RES/2397|2017|", "16/12/1966", "49/59"):
        wanted = typed.get(symbol.replace("|2017|", " (2017)"), 0)
        assert joined.count(symbol) >= wanted, (symbol, joined.count(symbol), wanted)
    arabic = len(re.findall(r"\|ب\|2", joined))
    assert arabic >= typed.get("2 (ب)", 0), (arabic, typed.get("2 (ب)", 0))


def copy_recall(project: Project, built: Path, target: Target, family: str) -> tuple[float, dict]:
    """Share of the legal symbols an edition carries that a reader family copies back as typed."""
    typed = _typed(project, target)
    copied = _plain(read(family, built / target.path))
    found = {symbol: min(copied.count(symbol), count) for symbol, count in typed.items()}
    return sum(found.values()) / sum(typed.values()), {s: f"{found[s]}/{typed[s]}" for s in typed}


def _assert_copied(project: Project, built: Path, target: Target, family: str) -> None:
    recall, detail = copy_recall(project, built, target, family)
    print(f"{target} {family}: {100 * recall:.0f} % {detail}")
    assert recall == 1.0, detail


@pytest.mark.parametrize("edition_target", LEGAL_TARGETS, ids=str)
def test_legal_symbols_copy_as_typed_in_pdfium(built: Path, edition_target: Target,
                                              project: Project) -> None:
    _assert_copied(project, built, edition_target, "pdfium")


@pytest.mark.parametrize("edition_target", LEGAL_TARGETS, ids=str)
def test_legal_symbols_copy_as_typed_in_poppler(built: Path, edition_target: Target,
                                              project: Project) -> None:
    _assert_copied(project, built, edition_target, "poppler")


@pytest.mark.parametrize("edition_target", LEGAL_TARGETS, ids=str)
def test_legal_symbols_copy_as_typed_in_mupdf(built: Path, edition_target: Target,
                                              project: Project) -> None:
    _assert_copied(project, built, edition_target, "mupdf")


@pytest.mark.parametrize("edition_target", LEGAL_TARGETS, ids=str)
def test_legal_symbols_copy_as_typed_in_pdfjs(built: Path, edition_target: Target,
                                              project: Project) -> None:
    _assert_copied(project, built, edition_target, "pdfjs")


# --- breaks in a long article -------------------------------------------------------------------

def _long_article(entries: int) -> dict:
    arabic = ("تلتزم كل دولة طرف بأن تتخذ ما يلزم من تدابير لرصد المؤشرات وتبادل نتائجها مع سائر "
              "الدول الأطراف في المواعيد المحددة")
    english = ("Each State Party shall take the measures needed to monitor the indicators and to "
               "share the results with the other States Parties on the dates set")
    entries_ = [{"text": arabic + "، وفقاً لخطتها" * (n % 3) + "؛",
                 "parallel": {"text": english + ", under its plan" * (n % 3) + ";"}}
                for n in range(entries)]
    return {"title": "ملحق", "treaty": {"name": "معاهدة"}, "parallel": {"language": "en"},
            "articles": [{"number": 1, "title": "مادة طويلة", "intro": "تتولى كل دولة طرف ما يلي:",
                          "parallel": {"title": "A long article", "intro": "Each State Party shall:"},
                          "subparagraphs": entries_}]}


@pytest.mark.parametrize("audience", ["general", "legal"])
def test_a_long_article_breaks_between_its_entries(tmp_path: Path, audience: str) -> None:
    """Forty sub-paragraphs of two or three lines: every page after the first starts with a
    lettered entry, never with the last line of one, in both columns."""
    project = copy_project(tmp_path / "project", fixtures=False)
    folder = project.content_dir / "russia-dprk-partnership"
    (folder / "annex.yaml").write_text(yaml.safe_dump(_long_article(40), allow_unicode=True),
                                       encoding="utf-8")
    out = tmp_path / "out"
    build(project, out, documents=["annex"], audiences=[audience])
    pdf = out / "russia-dprk-partnership" / audience / "annex.pdf"
    parallel = audience == "general"
    page_list = pages(pdf)
    assert len(page_list) >= 3
    for page in page_list[1:]:
        columns = ("right", "left") if parallel else ("all",)
        for column in columns:
            body = [(line.top, _columns(page, line, parallel)[column]) for line in page.lines
                    if 24 * MM < line.top < page.height - 22 * MM]
            body = [(top, glyphs) for top, glyphs in body if any("Amiri" in g.font for g in glyphs)]
            first = min(body, key=lambda item: item[0])[1]
            assert any(MARKER_FONT in g.font for g in first), f"page {page.number} ({column})"


@pytest.mark.parametrize("publication", ["model-treaty", "ltr-sample"])
def test_the_article_in_the_running_head_is_never_broken_from_its_number(tmp_path: Path,
                                                                           publication: str) -> None:
    """A long annex title and treaty name wrap in the running head; the article beside them
    stays on one line (`Article` | `2` was a user's English annex)."""
    project = copy_project(tmp_path / "project", fixtures=True)
    path = project.content_dir / publication / "annex.yaml"
    treaty = yaml.safe_load(path.read_text(encoding="utf-8"))
    rtl = publication == "model-treaty"
    long = ("الملحق: البروتوكول الإقليمي لتصريف المياه المالحة من محطات التحلية في البحر الأحمر وخليج عدن"
            if rtl else "Annex to the Regional Protocol on Brine Discharges from Desalination Plants in "
            "the Red Sea and the Gulf of Aden")
    treaty["title"], treaty["treaty"]["name"] = long, long
    path.write_text(yaml.safe_dump(treaty, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    build(project, out, publications=[publication], documents=["annex"], audiences=["general"])
    label = "ةداملا" if rtl else "Article"  # المادة, in visual order
    heads = [[line.text for line in page.lines if line.top < 24 * MM]
             for page in pages(out / publication / "general" / "annex.pdf")]
    assert all(len(head) >= 2 for head in heads)  # the running head wraps
    labelled = [text for head in heads for text in head if label in text]
    assert labelled and all(re.search("[0-9٠-٩]", text) for text in labelled), heads


def test_the_annex_header_s_names_keep_their_last_two_words_together(project: Project) -> None:
    """The treaty's name in both texts, like every title, never leaves one word alone on its last
    line (`... Drought` | `River` was a user's parallel annex): a word joiner after the last space."""
    general = load_profiles(project)["general"]
    html = render_html(project, select(load_publication(project, "model-treaty"), general), "annex",
                       general).html
    names = re.findall(r'<p class="treaty-name[^"]*"[^>]*>(.*?)</p>', html, re.S)
    assert len(names) == 2, names
    assert all("\u2060" in re.sub("<[^>]+>", "", name).rstrip()[-20:] for name in names), names


LONG_TREATY_NAME = ("مشروع الاتفاق الإقليمي لحفظ الموارد السمكية المشتركة في الخليج وإدارتها وتنميتها "
                    "المستدامة بين الدول الساحلية الأعضاء في الهيئة الإقليمية لمصايد الأسماك")


def test_the_article_in_the_running_head_keeps_clear_of_a_long_running_head(tmp_path: Path) -> None:
    """The article named in the running head is never set against the annex's name beside it
    (`...وإدارتهاالمادة الثانية` on Letter paper, with articles named in words): they stay 6 mm
    apart, the name wrapping instead. Names of 9 to 20 words are tried; WeasyPrint alone sets
    some of them against the article."""
    import pdfplumber

    project = copy_project(tmp_path / "project", fixtures=False)
    words = LONG_TREATY_NAME.split()
    names = {f"{TREATY}-{count}": " ".join(words[:count]) for count in range(9, len(words) + 1)}
    for publication, name in names.items():
        folder = project.content_dir / publication
        shutil.copytree(FIXTURES / "content" / TREATY, folder)
        meta = folder / "publication.yaml"
        meta.write_text(meta.read_text(encoding="utf-8").replace(f"id: {TREATY}", f"id: {publication}"),
                        encoding="utf-8")
        annex = folder / "annex.yaml"
        annex.write_text(annex.read_text(encoding="utf-8").replace(
            "  name: الاتفاقية النموذجية للإنذار المبكر بالجفاف", f"  name: {name}"), encoding="utf-8")
    profile = project.templates_dir / "audiences" / "legal.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "paper: letter\n"
                       "numbering:\n  ar: {article: ordinal-words}\n", encoding="utf-8")
    build(project, tmp_path / "out", publications=list(names), audiences=["legal"])
    gaps = {}
    for publication in names:
        with pdfplumber.open(tmp_path / "out" / publication / "legal" / "annex.pdf") as pdf:
            for number, page in enumerate(pdf.pages[1:], start=2):
                head = [char for char in page.chars if char["top"] < 25 * MM and char["text"].strip()]
                last = max(char["bottom"] for char in head)
                line = sorted((char for char in head if last - char["bottom"] < 3), key=lambda c: c["x0"])
                gap = max(right["x0"] - left["x1"] for left, right in itertools.pairwise(line)) / MM
                gaps[f"{publication} p{number}"] = round(gap, 1)
    assert gaps and min(gaps.values()) >= 5.9, gaps


def test_a_broken_publication_yaml_does_not_make_the_annex_s_parallel_language_an_error(
        tmp_path: Path) -> None:
    """A mistake in publication.yaml is reported alone: the annex of an English publication,
    whose parallel text is Arabic, was also reported as giving 'the publication's own language'
    (the language was taken to be Arabic when publication.yaml did not load)."""
    project = copy_project(tmp_path / "project", only="ltr-sample")
    meta = project.content_dir / "ltr-sample" / "publication.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("date: 2026-01-15", "date: 15/01/2026"),
                    encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_publication(project, "ltr-sample")
    messages = [str(problem) for problem in raised.value.problems]
    assert any("publication.yaml" in message and "date" in message for message in messages), messages
    assert not any("annex.yaml" in message for message in messages), messages


def test_the_parallel_title_is_printed_under_the_annex_title(project: Project, built: Path) -> None:
    """`parallel.title` is the annex title in the second language (README, "Parallel texts")."""
    annex = load_publication(project, TREATY).annex
    assert annex is not None and annex.parallel is not None and annex.parallel.title
    assert annex.parallel.title in " ".join(pdfium_text(_annex(built, TREATY, "general")).split())


def test_a_parallel_annex_needs_the_parallel_text_of_every_article(tmp_path: Path) -> None:
    """With a parallel language, an article without its parallel text is an error at its line:
    its row in the second column was left blank, with exit 0."""
    project = copy_project(tmp_path / "project", only=TREATY)
    path = project.content_dir / TREATY / "annex.yaml"
    source = path.read_text(encoding="utf-8")
    parallel = ("        parallel:\n          title: Purpose\n          text: The purpose of this "
                "Convention is to strengthen cooperation between the States Parties in monitoring "
                "drought and giving early warning of it.\n")
    assert parallel in source
    path.write_text(source.replace(parallel, "", 1), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_publication(project, TREATY)
    assert [str(problem) for problem in raised.value.problems] == [
        f"content/{TREATY}/annex.yaml: line 31: parts[0].articles[0]: the annex has a parallel text "
        "in 'en', so this article needs one: add parallel with the same texts"]


def test_a_parallel_text_that_differs_from_its_node_names_what_differs(tmp_path: Path) -> None:
    """A parallel giving a label where its article has a number, and lacking the title: the
    message names each field; it listed both sides' fields and left the reader to compare them."""
    project = copy_project(tmp_path / "project", only=TREATY)
    path = project.content_dir / TREATY / "annex.yaml"
    source = path.read_text(encoding="utf-8")
    article = "          - label: 11 مكرراً\n"
    parallel = "            parallel: {label: 11 bis, title: Conciliation}\n"
    assert article in source and parallel in source
    path.write_text(source.replace(article, "          - number: 12\n").replace(
        parallel, "            parallel: {label: 11 bis}\n"), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_publication(project, TREATY)
    assert [str(problem) for problem in raised.value.problems] == [
        f"content/{TREATY}/annex.yaml: line 128: parts[1].sections[1].articles[1]: parallel must give "
        "the same texts as its node (title): it lacks title; its label has no counterpart in the node "
        "(a number is the same in both texts)"]


def test_an_edition_without_the_annex_names_its_nodes_whatever_their_texts_refer_to(
        tmp_path: Path) -> None:
    """The press edition builds no annex and hides what is tagged sanctions-detail. Its brief
    names article 11 bis, whose paragraph refers to article 11, tagged so: the brief named it,
    but laying out the whole annex for that name stopped on the hidden article (an internal
    KeyError). The brief needs the names alone."""
    project = copy_project(tmp_path / "project", only=TREATY)
    path = project.content_dir / TREATY / "annex.yaml"
    source = path.read_text(encoding="utf-8")
    article = "          - number: 11\n            id: art-11\n"
    assert article in source
    path.write_text(source.replace(article, article + "            audience: [sanctions-detail]\n"),
                    encoding="utf-8")
    press = load_profiles(project)["press"]
    assert "annex" not in press.documents and not press.shows(("sanctions-detail",))
    rendered = render_html(project, select(load_publication(project, TREATY), press), "brief", press)
    assert "المادة 11 مكرراً" in html.unescape(re.sub(r"<[^>]+>|[\u2066-\u2069\u200f\u2060]", "",
                                                     rendered.html))
    # An edition that prints the annex is told, at each line, in the order of the lines.
    profile = project.templates_dir / "audiences" / "press.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "documents: [brief, factsheet]", "documents: [brief, factsheet, annex]"), encoding="utf-8")
    problems = reference_problems(project, load_publication(project, TREATY), load_profiles(project))
    assert [(problem.line, problem.message) for problem in problems] == [
        (line, "[[ref:art-11]] names a node that audience 'press' cannot see; give this text its "
               "target's audience tags (sanctions-detail)") for line in (134, 135)]


def test_an_arabic_clause_of_an_english_annex_reads_right_to_left(tmp_path: Path) -> None:
    """A paragraph of a structured English annex typed wholly in Arabic is one right-to-left
    span, its full stop inside it (at its end, on the left), in the main text and in the
    parallel column alike; it was an Arabic run in a left-to-right paragraph, its full stop
    drawn on the right, before its first word."""
    project = copy_project(tmp_path / "project", only="ltr-sample")
    annex = project.content_dir / "ltr-sample" / "annex.yaml"
    arabic = "تتخذ كل دولة طرف التدابير التشريعية والإدارية اللازمة لتنفيذ هذه الاتفاقية."
    text = annex.read_text(encoding="utf-8")
    english = ("          - text: Each State Party shall take the legislative and administrative "
               "measures necessary to implement this Convention.\n")
    assert english in text
    annex.write_text(text.replace(english, f"          - text: {arabic}\n"), encoding="utf-8")
    profiles = load_profiles(project)
    for name in ("general", "legal"):
        profile = profiles[name]
        html = render_html(project, select(load_publication(project, "ltr-sample"), profile),
                           "annex", profile).html
        spans = re.findall(r'<span dir="rtl" lang="ar">((?:(?!</span>).)*?اللازمة.*?)</span>', html,
                           re.S)
        assert spans, (name, re.findall(r".{200}اللازمة.{200}", html, re.S))
        assert all(re.sub("<[^>]+>|[\u2066-\u2069\u200e\u200f]", "", span).endswith(".")
                   for span in spans), spans
    # On the page (one column, one line): the clause's full stop is drawn on its left.
    build(project, tmp_path / "out", publications=["ltr-sample"], audiences=["legal"],
          documents=["annex"])
    lines = [line for page in pages(tmp_path / "out" / "ltr-sample" / "legal" / "annex.pdf")
             for line in page.lines if any(is_arabic(glyph.text) for glyph in line.glyphs)]
    assert len(lines) == 1, [line.text for line in lines]
    letters = [glyph for glyph in lines[0].glyphs if is_arabic(glyph.text)]
    stops = [glyph for glyph in lines[0].glyphs if glyph.text == "." and "Amiri" in glyph.font]
    assert stops and max(stop.x1 for stop in stops) <= min(letter.x0 for letter in letters) + 0.5


@pytest.mark.parametrize("text", ["(أ) عدد أفراد الأسرة؛", "(هـ) نص؛", "1. تكفل كل دولة طرف.",
                                  "(ii) text;", "٢. نص."])
def test_a_marker_typed_before_a_paragraph_s_text_is_an_error(text: str) -> None:
    """«(أ) عدد أفراد الأسرة» was printed after the annex's own «(أ)», and «1. تكفل» after its
    «1.»: a marker is the annex's to print, or a label's."""
    paragraph = {"intro": "يراعى ما يلي:", "subparagraphs": [{"text": text}]}
    for data in (paragraph, {"text": text}):
        annex = {"title": "ملحق", "treaty": {"name": "معاهدة"}, "articles": [{"paragraphs": [data]}]}
        with pytest.raises(ValueError, match=r"text starts with the marker .*which the annex prints"):
            Annex.model_validate(annex)
    assert Annex.model_validate({"title": "ملحق", "treaty": {"name": "معاهدة"}, "articles": [
        {"paragraphs": [{"text": "(وفقاً للمادة 2) تتخذ الدول التدابير.", "label": "(أ)"},
                        {"text": "2024. نص."}]}]})


@pytest.mark.parametrize("label", ["5 مكرراً [[ref:art-1]]", "[[ref:art-1]] bis", "[[ ref:Art 1]]"])
def test_a_label_holds_no_cross_reference(label: str) -> None:
    """A label is printed as typed in its heading and the outline: «المادة 5 مكرراً [[ref:art-1]]»
    was printed with its brackets and id, in either language, and the build exited 0."""
    for node, parallel in (({"label": label}, {"label": "5 bis"}),
                           ({"label": "5 مكرراً"}, {"label": label})):
        data = {"title": "ملحق", "treaty": {"name": "معاهدة"}, "parallel": {"language": "en"},
                "articles": [{"number": 1, "id": "art-1", "text": "نص.", "parallel": {"text": "Text."}},
                             {**node, "text": "نص.", "parallel": {**parallel, "text": "Text."}}]}
        with pytest.raises(ValueError, match=r"label\n.*a label is printed as typed, in place of a "
                                             r"number, so it holds no cross-reference"):
            Annex.model_validate(data)


def test_a_reference_in_the_annex_title_is_named_in_the_running_head_and_the_pdf_title(
        tmp_path: Path) -> None:
    """The annex title and the treaty's name print a reference as its node's name in the header;
    the running head and the PDF's title printed `[[ref:art-5]]` as typed."""
    project = copy_project(tmp_path / "project", only=TREATY)
    path = project.content_dir / TREATY / "annex.yaml"
    source = path.read_text(encoding="utf-8")
    title = 'title: "الملحق: نص الاتفاقية"\n'
    assert title in source
    path.write_text(source.replace(title, 'title: "الملحق: نص [[ref:art-5]]"\n'), encoding="utf-8")
    general = load_profiles(project)["general"]
    html = render_html(project, select(load_publication(project, TREATY), general), "annex",
                       general).html
    head = re.search(r"<title>(.*?)</title>", html, re.S)
    running = re.search(r'<span class="chrome-running-head">(.*?)</span>\s*</', html, re.S)
    assert head and running
    assert "ref:" not in head[1] and "ref:" not in running[1]
    assert "المادة 5" in head[1]
    assert "المادة 5" in re.sub("<[^>]+>|[\u2060\u2066-\u2069\u200e\u200f]", "", running[1])


@pytest.mark.parametrize(("file", "key"), [("publication.yaml", "title"),
                                         ("publication.yaml", "subtitle"),
                                         ("brief.md", "running_head")])
def test_a_reference_in_front_matter_is_an_error_at_its_line(tmp_path: Path, file: str,
                                                             key: str) -> None:
    """The publication's title and subtitle and the brief's running head are printed as typed, on
    the cover, in running heads and in the PDF's metadata: `[[ref:art-5]]` there printed its
    brackets and id, and no check read it (a reference to no node passed too)."""
    project = copy_project(tmp_path / "project", only=TREATY)
    path = project.content_dir / TREATY / file
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(lines, 1) if text.startswith(f"{key}: "))
    lines[line - 1] += " [[ref:art-5]]"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_publication(project, TREATY)
    assert [str(problem) for problem in raised.value.problems] == [
        f"content/{TREATY}/{file}: line {line}: {key}: front matter is printed as typed, on the "
        "cover, in running heads and in the PDF's metadata, so it holds no cross-reference; write "
        "the reference in the brief's text"]


_AS_TYPED = ", which an annex text prints as typed"
_CALLED = " is a note call or citation, which YAML text prints as typed"


@pytest.mark.parametrize(("text", "found"), [
    ("تتخذ **كل دولة طرف** التدابير.", "**كل دولة طرف** is Markdown emphasis" + _AS_TYPED),
    ("تتخذ كل دولة طرف التدابير.[^n1]", "[^n1]" + _CALLED),
    ("تتخذ كل دولة طرف التدابير [@unep-2020].", "[@unep-2020]" + _CALLED),
    ("انظر الخريطة ![خريطة الحوض](map.png) أدناه.",
     "![خريطة الحوض](map.png) is a Markdown image" + _AS_TYPED),
    ("Each State Party *shall* act.", "*shall* is Markdown emphasis" + _AS_TYPED)])
def test_markdown_in_an_annex_text_is_an_error(text: str, found: str) -> None:
    """An annex's texts are plain (README, "What the schema cannot express"): emphasis, a note
    call, a citation or an image there was printed as typed, `**` and `[^n1]` on the page, with
    exit 0. It is an error at its field, in the main text and in the parallel one."""
    for node, parallel in (({"text": text}, {"text": "Text."}), ({"text": "نص."}, {"text": text})):
        data = {"title": "ملحق", "treaty": {"name": "معاهدة"}, "parallel": {"language": "en"},
                "articles": [{**node, "parallel": parallel}]}
        with pytest.raises(ValueError, match=re.escape(found)):
            Annex.model_validate(data)
    plain = ("المادة 5* والفقرة 2 * 3 [حُذفت] «تعريف»", "[...] as amended in 2 * 3 places")
    Annex.model_validate({"title": "ملحق", "treaty": {"name": "معاهدة"}, "parallel": {"language": "en"},
                          "articles": [{"text": plain[0], "parallel": {"text": plain[1]}}]})


def test_a_reference_in_a_treaty_fact_is_its_node_s_name(tmp_path: Path) -> None:
    """A header fact's label and value print a reference as the annex's other texts do: the
    label «المواد وفق [[ref:art-2]]» was printed with its brackets and id, with exit 0."""
    project = copy_project(tmp_path / "project", only=TREATY)
    path = project.content_dir / TREATY / "annex.yaml"
    source = path.read_text(encoding="utf-8")
    symbol = "  symbol: A/RES/49/59\n"
    assert symbol in source
    path.write_text(source.replace(symbol, symbol + (
        '  facts:\n    - {label: "المواد بعد [[ref:art-2]]", value: "7", '
        "source: ويرد نصها الكامل في الملحق، الذي يضم 7 مواد موزعة على جزأين}\n"), 1),
        encoding="utf-8")
    general = load_profiles(project)["general"]
    html = render_html(project, select(load_publication(project, TREATY), general), "annex",
                       general).html
    facts = re.search(r'<dl class="treaty-facts">(.*?)</dl>', html, re.S)
    assert facts and "ref:" not in facts[1]
    assert re.search(r'<dt>المواد بعد<a class="xref" href="#n-art-2"> المادة \u20602</a></dt>', facts[1])


def test_markdown_in_the_annex_header_or_a_fact_sheet_text_is_an_error() -> None:
    """The annex title, the treaty's name and facts, a schedule's title and the fact sheet's
    own texts printed `*اتفاق*` and `**مهلة**` with their asterisks, with exit 0."""
    header = {"title": "ملحق", "treaty": {"name": "معاهدة"}, "articles": [{"text": "نص."}]}
    for change in ({"title": "نص *الاتفاق*"}, {"treaty": {"name": "اتفاق **الحوض**"}},
                   {"treaty": {"name": "معاهدة", "facts": [
                       {"label": "الموقعون *الأصليون*", "value": "2", "source": "وقعت دولتان"}]}}):
        with pytest.raises(ValueError, match=r"which an annex text prints as typed"):
            Annex.model_validate({**header, **change})
    with pytest.raises(ValueError, match=r"which an annex text prints as typed"):
        Annex.model_validate({"title": "ملحق", "treaty": {"name": "معاهدة"}, "schedules": [
            {"title": "بنود **المذكرة**", "source": "نص", "clauses": [{"number": 1, "text": "نص"}]}]})
    facts = {"title": "حقائق", "figures": [{"value": "30", "label": "يوماً", "source": "30 يوماً"}],
             "timeline": [{"when": "2024", "event": "التوقيع", "source": "في 2024"}]}
    changes: list[dict[str, Any]] = [
        {"title": "حقائق *الاتفاق*"},
        {"figures": [{"value": "30", "label": "يوماً **مهلة**", "source": "30 يوماً"}]},
        {"timeline": [{"when": "2024", "event": "التوقيع ![صورة](map.png)", "source": "في 2024"}]}]
    for change in changes:
        with pytest.raises(ValueError, match=r"which a fact-sheet text prints as typed"):
            Facts.model_validate({**facts, **change})
    Facts.model_validate(facts)


@pytest.mark.parametrize("tag", ["<br>", "<sup>2</sup>", "<b>مهلة</b>", '<span class="x">',
                                 "<!-- ملاحظة -->"])
def test_an_html_tag_in_a_fact_sheet_or_annex_text_is_an_error(tag: str) -> None:
    """A figure label with `<br>` to break it, or `<b>...</b>`, printed its tags as typed, angle
    brackets and all, with exit 0; brief.md refuses raw HTML at its line."""
    facts = {"title": "حقائق", "figures": [{"value": "30", "label": "يوماً", "source": "30 يوماً"}],
             "timeline": [{"when": "2024", "event": "التوقيع", "source": "في 2024"}]}
    with pytest.raises(ValueError, match=r"is an HTML tag, which a fact-sheet text prints as typed"):
        Facts.model_validate({**facts, "figures": [
            {"value": "30", "label": f"يوماً {tag} للرد", "source": "30 يوماً"}]})
    with pytest.raises(ValueError, match=r"is an HTML tag, which an annex text prints as typed"):
        Annex.model_validate({"title": f"ملحق {tag}", "treaty": {"name": "معاهدة"},
                              "articles": [{"text": "نص."}]})
    for text in ("x < 5 > y", "2 <3", "<http://example.org>", "«نص»"):
        Facts.model_validate({**facts, "title": text})


def test_a_label_typed_with_its_marker_s_brackets_prints_them_once(project: Project) -> None:
    """A sub-paragraph labelled «(أ مكرراً)» was printed «((أ مكرراً))» and cited «المادة 1،
    الفقرة 1 ((أ مكرراً))»; a paragraph labelled «1 مكرراً.» was printed «1 مكرراً..»."""
    from briefpress.source.numbering import NumberingChange

    data = {"title": "ملحق", "treaty": {"name": "معاهدة"}, "articles": [{"number": 1, "paragraphs": [
        {"intro": "تتولى ما يلي:", "subparagraphs": [
            {"text": "نص؛"}, {"id": "bis", "label": "(أ مكرراً)", "text": "نص؛"},
            {"id": "plain", "label": "أ ثالثاً", "text": "نص."}]},
        {"id": "para", "label": "1 مكرراً.", "text": "نص."}]}]}
    annex, problems = numbered(Annex.model_validate(data), "annex.yaml", {})
    assert problems == []
    style = edition_numbering(load_numbering(project), NumberingChange.model_validate({}), "ar")
    labels = CHROME_LABELS["ar"]
    nodes = targets(annex)
    assert marker(nodes["bis"], style, labels, "ar") == "(أ مكرراً)"
    assert marker(nodes["plain"], style, labels, "ar") == "(أ ثالثاً)"
    assert marker(nodes["para"], style, labels, "ar") == "1 مكرراً."
    assert designation(nodes["bis"], style, labels, "ar") == "المادة 1، الفقرة 1 (أ مكرراً)"
