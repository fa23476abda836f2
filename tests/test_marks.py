"""Every Arabic mark has a box of its own in the text layer (`output.marks`), and readers keep it
in its word.

Checked on real WeasyPrint renders of sentences dense with harakat, in Amiri (the body face)
and IBM Plex Sans Arabic (the chrome's): a shadda with a vowel on one letter, a damma and a
kasra inside and at the end of words, a tanween fath on an alef before a comma.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from briefpress.check.baseline import plain_pdf, text_html
from briefpress.check.readers import FAMILIES, read, search_words
from briefpress.check.textlayer import normalise
from briefpress.fonts.identity import identify
from briefpress.fonts.registry import load_registry
from briefpress.output.marks import space_marks
from briefpress.output.rises import drop_rises
from briefpress.project import Project
from test_rises import finished
from test_visual import changed_share, page_images

from conftest import ROOT

REGISTRY = load_registry(ROOT / "fonts")
LINES = {
    "Amiri": "حدَّدتِ اللجنةُ سقفاً جديداً، ووثَّقتْ ما يُستورَد من النفطِ المُكرَّر",
    "IBM Plex Sans Arabic": "تغيَّرت الأسعارُ بنسبةٍ كبيرةٍ، وقُدِّرت الكمياتُ المُعلَنة",
}
STAGES = ("raw", "without", "with")  # WeasyPrint's page; finished without `marks`; finished


@pytest.fixture(scope="module", params=list(LINES))
def face(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def pages(face: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("marks")
    family = None if face == "Amiri" else face
    raw = plain_pdf(Project(ROOT), text_html([LINES[face]], "ar", "rtl", family), "marks")
    data = {"raw": raw, "without": finished(raw, drop_rises), "with": finished(raw, drop_rises, space_marks)}
    paths = {stage: folder / f"{stage}.pdf" for stage in STAGES}
    for stage in STAGES:
        paths[stage].write_bytes(data[stage])
    return paths


def _lone_marks(text: str) -> list[str]:
    return [token for token in text.split() if not search_words(token)]


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_gives_every_word_back_whole(pages: dict[str, Path], face: str, family: str) -> None:
    """Every word comes back, in order, none split at a mark (harakat dropped, as a search drops
    them); no mark stands alone, except in pdf.js. A word's last mark is drawn right after the
    space before the word (a right-to-left letter comes after its marks), and pdf.js writes a
    space before the mark for the space glyph, then another before the letter: it does not
    advance over a mark, and measures the letter's distance from the glyph before the space."""
    text = normalise(read(family, pages["with"]))
    assert search_words(text) == search_words(LINES[face]), text
    if family != "pdfjs":
        assert _lone_marks(text) == [], text


def _vocalised(word: str) -> tuple[str, ...]:
    """A word as its letters, each with its marks in a fixed order, punctuation dropped."""
    letters: list[str] = []
    for char in unicodedata.normalize("NFC", word):
        if unicodedata.category(char) == "Mn" and letters:
            letters[-1] = letters[-1][0] + "".join(sorted(letters[-1][1:] + char))
        elif unicodedata.category(char).startswith("L"):
            letters.append(char)
    return tuple(letters)


@pytest.mark.parametrize("family", [family for family in FAMILIES if family != "pdfjs"])
def test_each_mark_comes_back_on_its_letter(pages: dict[str, Path], face: str, family: str) -> None:
    """A mark over the first letter of a ligature (Plex's yeh-reh in `تغيَّرت`) is copied on that
    letter, not on the ligature's last (`تغيرَّت`): every vocalised word comes back as typed. pdf.js
    sets a word's last marks apart (see the test above)."""
    text = normalise(read(family, pages["with"]))
    found = {_vocalised(token) for token in text.split()}
    assert [word for word in LINES[face].split() if _vocalised(word) not in found] == [], text


def test_without_boxes_poppler_splits_words(pages: dict[str, Path], face: str) -> None:
    """The test above can fail: a mark with no width where its letter starts splits the word
    in poppler (and in pdfium where the pen moved to the mark and back)."""
    text = normalise(read("poppler", pages["without"]))
    assert search_words(text) != search_words(LINES[face]), text


def test_each_mark_has_a_box_that_ends_where_the_next_glyph_starts(pages: dict[str, Path]) -> None:
    """A mark's box has a width, at most an eighth of an em, and nothing moves the pen between
    it and the next glyph."""
    with pdfplumber.open(pages["with"]) as pdf:
        chars = pdf.pages[0].chars
    marks = [index for index, char in enumerate(chars) if unicodedata.category(char["text"]) == "Mn"]
    assert len(marks) >= 6
    for index in marks:
        mark, following = chars[index], chars[index + 1]
        assert 0 < mark["x1"] - mark["x0"] <= mark["size"] / 8 + 0.01, mark
        assert abs(following["x0"] - mark["x1"]) < 0.01, (mark, following)


def test_the_page_draws_as_before(pages: dict[str, Path]) -> None:
    """At 288 dpi, no pixel differs by more than anti-aliasing from WeasyPrint's own page."""
    assert changed_share(*(page_images(pages[stage], scale=4)[0] for stage in ("with", "raw"))) == 0.0


def test_the_fonts_are_still_the_shipped_fonts(pages: dict[str, Path]) -> None:
    """A mark's and a letter's copy, with an advance of its own, is the shipped glyph moved."""
    with pikepdf.open(pages["with"]) as pdf:
        for _, font in sorted(pdf.pages[0].Resources.Font.items()):
            assert identify(font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes(), REGISTRY)


ALLAH = "وَلَأَنْ يَهْدِيَ اللَّهُ بِكَ، صَلَّى اللَّهُ عَلَيْهِ وَسَلَّمَ، ﴿ٱللَّهُ لَآ إِلَٰهَ إِلَّا هُوَ﴾"


@pytest.mark.parametrize("family", FAMILIES)
def test_a_letter_beside_its_own_twin_keeps_a_box_of_its_own(tmp_path: Path, family: str) -> None:
    """In «اللَّهُ» Amiri (as the body sets it: no contextual alternates, no kerning) draws the
    second lam narrow, a shadda and a fatha before it: a mark's box that took half its advance
    left it a tenth of an em from the first lam, and MuPDF, taking them for one letter drawn
    twice, copied «ا لَّهُ». A letter keeps at least an eighth of an em, as wide as a mark's box."""
    page = text_html([ALLAH], "ar", "rtl").replace(
        "<style>", "<style>p { font-feature-settings: 'calt' 0; font-kerning: none; } ")
    path = tmp_path / "allah.pdf"
    path.write_bytes(finished(plain_pdf(Project(ROOT), page, "allah"), drop_rises, space_marks))
    words = search_words(normalise(read(family, path)))
    assert words.count("الله") + words.count("ٱلله") == 3
