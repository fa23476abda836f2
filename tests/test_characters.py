"""The characters a source may hold: presentation forms are refused, the Arabic symbols that share
their blocks are text like any other."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from briefpress.build import build
from briefpress.check.textlayer import pdfium_text
from briefpress.fonts.registry import load_registry
from briefpress.project import Project
from briefpress.source.characters import check_text
from briefpress.text.forms import PRESENTATION_FORMS, presentation_form

from conftest import PUBLICATION

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
