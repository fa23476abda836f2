"""The characters a source may hold: presentation forms are refused, the Arabic symbols that share
their blocks are text like any other."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2
import pytest
from fontTools.ttLib import TTFont
from PIL import ImageChops

from briefpress.build import build
from briefpress.check.readers import read
from briefpress.check.textlayer import pdfium_text
from briefpress.fonts.registry import load_registry
from briefpress.layout import joiners
from briefpress.layout.high_marks import HIGH_MARKS
from briefpress.project import Project
from briefpress.source.characters import check_text, file_problems
from briefpress.text.forms import PRESENTATION_FORMS, presentation_form

from conftest import PUBLICATION, ROOT, copy_project

QURANIC = "واستشهد بالآية ﴿وَجَعَلْنَا مِنَ الْمَاءِ كُلَّ شَيْءٍ حَيٍّ﴾ في مقدمته."


@pytest.mark.parametrize(("character", "shaped"), [
    ("\ufefb", True),  # ﻻ lam-alef, isolated form
    ("\ufe91", True),  # ﺑ beh, initial form
    ("\ufdf2", True),  # ﷲ the ligature of Allah, isolated form
    ("\ufd3e", False),  # ﴾ ornate parenthesis: a Qur'anic quotation's
    ("\ufd3f", False),  # ﴿
    ("\ufdfd", False),  # ﷽ the basmala, a symbol of its own
    ("\u0628", False),  # ب the letter itself
    ("\ufeff", False),  # the byte order mark (refused on its own, as one)
])
def test_a_presentation_form_is_a_letter_shaped_for_one_position(character: str, shaped: bool) -> None:
    assert presentation_form(character) is shaped
    assert bool(PRESENTATION_FORMS.search(character)) is shaped


def test_a_quranic_quotation_is_text_and_a_shaped_letter_is_refused(project: Project) -> None:
    registry = load_registry(*project.font_dirs)
    assert check_text(QURANIC, "brief.md", registry) == []
    [problem] = check_text("ﻻ بد", "brief.md", registry)
    assert "Arabic presentation form U+FEFB" in str(problem)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_refused_character_is_named_on_its_line_whatever_ends_the_lines(
        project: Project, newline: str) -> None:
    """A brief saved with old Mac line ends (CR alone) named a refused character on line 1, where
    the whole file was one line to the check, as well as on its own line."""
    registry = load_registry(*project.font_dirs)
    text = newline.join(["---", "running_head: رأس", "---", "", "## قسم", "", "ﻻ بد", ""])
    assert [problem.line for problem in file_problems(text, ".md", "brief.md", registry)] == [7]


def test_a_refused_form_is_told_the_words_to_write(project: Project) -> None:
    """The error for a presentation form names the text to write instead: the letters of a
    shaped letter or ligature, and the words of an honorific set as one sign (ﷺ), which an editor
    types on purpose and which readers copy and search as that sign, not as its words."""
    registry = load_registry(*project.font_dirs)
    [letters] = check_text("ﻻ بد", "brief.md", registry)
    assert str(letters).endswith("(pre-shaped text pasted from a PDF); write «لا» instead")
    [phrase] = check_text("النبي ﷺ", "brief.md", registry)
    assert "U+FDFA ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM" in str(phrase)
    assert str(phrase).endswith("(a phrase set as one sign, which readers copy and search as that "
                                "sign, not as its words); write «صلى الله عليه وسلم» instead")


def test_the_ornate_parentheses_reach_the_text_layer(built: Path) -> None:
    """copy-cases quotes a verse between ﴿ and ﴾: pdfium copies both, and no presentation form."""
    text = pdfium_text(built / "copy-cases" / "general" / "brief.pdf")
    assert "\ufd3f" in text and "\ufd3e" in text
    assert not PRESENTATION_FORMS.search(text)


def test_a_word_joiner_typed_in_the_source_is_text(project: Project) -> None:
    """A word joiner (U+2060), pasted to hold two words on one line, is invisible like ZWJ: the
    build writes it itself between a number and its unit, so no font needs a glyph for it."""
    registry = load_registry(*project.font_dirs)
    assert check_text("العام ٢٠٢٤\u2060–\u2060٢٠٢٥ مليار\u2060دولار", "brief.md", registry) == []


@pytest.mark.parametrize("audience", ["general", "decision-makers"])
def test_an_end_of_ayah_sign_encloses_its_number(scratch_project: Project, tmp_path: Path,
                                                  audience: str) -> None:
    """`۝٢٥٥` prints the number inside the sign, as Amiri draws it with its contextual
    alternates and kerning, which the body text has off: without them it printed an empty sign
    beside its number, in either digit style."""
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8") + "\nوختمت الآية بعلامتها ۝٢٥٥ في المصحف.\n",
                     encoding="utf-8")
    build(scratch_project, tmp_path / "out", publications=[PUBLICATION], audiences=[audience],
          documents=["brief"])
    with pdfplumber.open(tmp_path / "out" / PUBLICATION / audience / "brief.pdf") as pdf:
        chars = [char for page in pdf.pages for char in page.chars]
    [sign] = [char for char in chars if char["text"] == "\u06dd"]
    digits = [char for char in chars if char["text"] in "٢٥" and abs(char["top"] - sign["top"]) < 1
              and sign["x0"] - 30 < char["x0"] < sign["x1"] + 30]
    assert len(digits) == 3
    assert all(sign["x0"] <= char["x0"] and char["x1"] <= sign["x1"] for char in digits)


VERSE = ("﴿ٱللَّهُ لَآ إِلَٰهَ إِلَّا هُوَ ٱلۡحَيُّ ٱلۡقَيُّومُۚ لَا تَأۡخُذُهُۥ سِنَةࣱ وَلَا نَوۡمࣱۚ لَّهُۥ مَا فِي "
         "ٱلسَّمَٰوَٰتِ وَمَا فِي ٱلۡأَرۡضِۗ﴾")


def test_a_pause_mark_stays_under_the_line_above(scratch_project: Project, tmp_path: Path) -> None:
    """Amiri draws the Qur'anic pause marks 1.5 to 1.8 em over the baseline: at the body's leading
    they stood among the words of the line above, and pdfium copied the paragraph's lines in
    reverse order. Each line holding one is now at least 1.8 em under the line above."""
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    paragraph = f"ومنه قوله تعالى: {VERSE} [البقرة: ٢٥٥]، ثم قال: {VERSE} ختاماً للفقرة."
    brief.write_text(brief.read_text(encoding="utf-8") + f"\n{paragraph}\n", encoding="utf-8")
    build(scratch_project, tmp_path / "out", publications=[PUBLICATION], audiences=["general"],
          documents=["brief"])
    path = tmp_path / "out" / PUBLICATION / "general" / "brief.pdf"
    with pdfplumber.open(path) as pdf:
        page = next(page for page in pdf.pages if any(char["text"] == "\u06da" for char in page.chars))
        chars = [char for char in page.chars if char["size"] > 9]
    baselines = sorted({round(char["matrix"][5], 1) for char in chars}, reverse=True)
    marked = {round(char["matrix"][5], 1) for char in chars if char["text"] in "\u06da\u06d7"}
    size = max(char["size"] for char in chars if char["text"] == "\u06da")
    assert len(marked) >= 2  # the verse wraps
    for baseline in marked:
        above = baselines[baselines.index(baseline) - 1]
        assert above - baseline >= 1.8 * size
    text = pdfium_text(path)
    assert text.index("ومنه قوله تعالى") < text.index("ختاماً للفقرة")


@pytest.mark.parametrize("font", ["Amiri-Regular.ttf", "Amiri-Bold.ttf"])
def test_the_high_marks_are_those_amiri_draws_over_1_4_em(font: str) -> None:
    """`HIGH_MARKS` holds every Arabic mark whose outline reaches 1.4 em over the baseline."""
    with TTFont(str(ROOT / "fonts" / font)) as parsed:
        glyphs, em = parsed["glyf"], parsed["head"].unitsPerEm
        high = set()
        for code, name in parsed.getBestCmap().items():
            glyph = glyphs[name]
            if 0x0600 <= code <= 0x08FF and unicodedata.category(chr(code)) == "Mn" \
                    and glyph.numberOfContours:
                glyph.recalcBounds(glyphs)
                if glyph.yMax > 1.4 * em:
                    high.add(chr(code))
    assert high == set(HIGH_MARKS)


PERSIAN = "«ما می\u200cخواهیم خانه\u200cها را بسازیم»"


def test_a_zwnj_is_copied_where_it_is_typed(scratch_project: Project, tmp_path: Path) -> None:
    """A ZWNJ keeps two letters of a Persian word apart (`می‌خواهیم`). HarfBuzz hides it once it
    has, and WeasyPrint drew no glyph for it: every reader copied `میخواهیم`, another spelling.
    It is now drawn with a glyph that draws nothing and moves nothing, whose text is the ZWNJ, in
    the body's font and the headings' alike. pdf.js drops every format character it copies."""
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8")
                     + f"\n## نیروی\u200cهای مسلح\n\nوقال الوزير: {PERSIAN} في كلمته.\n", encoding="utf-8")
    build(scratch_project, tmp_path / "out", publications=[PUBLICATION], audiences=["general"],
          documents=["brief"])
    path = tmp_path / "out" / PUBLICATION / "general" / "brief.pdf"
    for family in ("pdfium", "poppler", "mupdf"):
        text = read(family, path)
        for word in ("می\u200cخواهیم", "خانه\u200cها", "نیروی\u200cهای"):
            assert word in text, (family, word)
    with pdfplumber.open(path) as pdf:
        joiners = [char for page in pdf.pages for char in page.chars if char["text"] == "\u200c"]
    assert all(char["x1"] == char["x0"] for char in joiners)
    assert {char["fontname"].split("+")[1].split("-")[0] for char in joiners} == {"Amiri", "IBM"}


def _last_page(path: Path) -> Any:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return document[len(document) - 1].render(scale=100 / 72).to_pil().convert("L")
    finally:
        document.close()


def test_a_zwnj_s_glyph_changes_no_pixel_and_no_english_line(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The page is drawn as it is with the ZWNJ hidden, pixel for pixel, a ZWNJ beside a mark
    included (the marks pass moved `سه‌ٔ`'s hamza by 50 pixels at 100 dpi), and an English line
    keeps its Persian word in order (pdfium took the blank glyph for a break between two pieces
    and copied `های‌نیروی`): in a left-to-right line the ZWNJ stays hidden."""
    pages = {}
    for name, publication, paragraph in (
            ("arabic", PUBLICATION, f"وقال: {PERSIAN} و«سه\u200cٔ» و«بهِ\u200cا» في كلمته."),
            ("english", "ltr-sample", "The ministry said that نیروی\u200cهای مسلح were ready.")):
        project = copy_project(tmp_path / name, only=publication)
        brief = project.content_dir / publication / "brief.md"
        brief.write_text(brief.read_text(encoding="utf-8") + f"\n{paragraph}\n", encoding="utf-8")
        build(project, tmp_path / name / "out", documents=["brief"], audiences=["general"])
        pages[name] = tmp_path / name / "out" / publication / "general" / "brief.pdf"
    drawn = {name: _last_page(path) for name, path in pages.items()}
    assert "می\u200cخواهیم" in read("pdfium", pages["arabic"])
    assert "نیرویهای" in read("pdfium", pages["english"])  # pdfium turns the run's word order
    monkeypatch.setattr(joiners, "draw_joiners", lambda line, text: None)
    for name, path in pages.items():
        build(Project(tmp_path / name), tmp_path / name / "hidden", documents=["brief"],
              audiences=["general"])
        hidden = _last_page(tmp_path / name / "hidden" / path.relative_to(tmp_path / name / "out"))
        assert ImageChops.difference(drawn[name], hidden).getbbox() is None, name
