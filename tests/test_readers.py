"""The reader families and their three measures: exact recall, words recall and word order.

The measures are checked on hand-made texts whose figures are known; the families on a real
plain-WeasyPrint render (`briefpress.check.baseline`) of a short Arabic text, read back by each
real reader: pdfium, poppler (`pdftotext`), MuPDF (PyMuPDF) and pdf.js (`node` and pdfjs-dist).
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from briefpress.check import readers
from briefpress.check.baseline import brief_html, plain_pdf, text_html
from briefpress.check.readers import (
    FAMILIES,
    PDFJS_ENV,
    measure,
    measure_families,
    order,
    read,
    read_all,
    search_words,
    words_recall,
)
from briefpress.check.textlayer import ExtractorMissing
from briefpress.check.unmarked import strip_actual_text
from briefpress.project import Project
from briefpress.source.audiences import load_profiles, select
from briefpress.source.publication import load_publication

from conftest import PUBLICATION, ROOT

LINE = "وقعت روسيا وكوريا الشمالية معاهدة الشراكة في 19 يونيو 2024، في بيونغ يانغ."


def test_a_line_read_backwards_keeps_its_recall_and_loses_its_order() -> None:
    backwards = " ".join(reversed(LINE.split()))
    figures = measure(LINE, backwards)
    assert (figures.exact, figures.words, figures.order) == (1.0, 1.0, 0.0)


def test_the_text_as_typed_scores_full_marks() -> None:
    figures = measure(LINE, "\u202b" + LINE + "\u202c\n")
    assert (figures.exact, figures.words, figures.order) == (1.0, 1.0, 1.0)


def test_order_counts_adjacent_pairs() -> None:
    # a b c d e: pairs ab bc cd de; "a b | d c | e" keeps ab only -> 1/4.
    assert order("a b c d e", "a b\nd c e") == pytest.approx(1 / 4)
    # One word lost in the middle breaks the two pairs around it.
    assert order("a b c d e", "a b d e") == pytest.approx(2 / 4)
    # Pairs are counted within a source line, not across lines.
    assert order("a b\nc d", "a b c d") == 1.0
    assert order("a b\nc d", "c d a b") == 1.0
    # A repeated pair counts as often as the source has it.
    assert order("a b a b", "a b x a") == pytest.approx(1 / 3)


def test_punctuation_moved_costs_exact_but_not_words_or_order() -> None:
    moved = "وقعت روسيا ،وكوريا الشمالية"
    figures = measure("وقعت روسيا، وكوريا الشمالية", moved)
    assert figures.exact == pytest.approx(2 / 4)
    assert (figures.words, figures.order) == (1.0, 1.0)


def test_words_drop_harakat_tatweel_and_punctuation_and_fold_digits() -> None:
    assert search_words("نظراً، تغيّر «الأمـن» في ٢٠٢٤!") == ["نظرا", "تغير", "الأمن", "في", "2024"]
    assert words_recall("تغيّر", "تغير") == 1.0
    # A search finds a word that a reader ran into a number or a run of the other script, or
    # against a punctuation mark (poppler gives a running head «الملحق: نص» as «نص:الملحق»).
    assert search_words("في 19 يونيو 2024 قرار S/RES/2397") == search_words("في 19يونيو 2024قرار S/RES/2397")
    assert search_words("١٩يونيو مادةA/RES/59") == ["19", "يونيو", "مادة", "A", "RES", "59"]
    assert search_words("\u202bنص\u202c:\u202bالملحق\u202c") == ["نص", "الملحق"]
    assert words_recall("قرار جديد", "قرارجديد") == 0.0  # two Arabic words run together are lost
    # A word cut by a space is lost to a search; its letters reversed, too.
    assert words_recall("الأمن الدولي", "الأ من الدولي") == pytest.approx(1 / 2)
    assert words_recall("الأمن", "نمألا") == 0.0


def test_exact_keeps_punctuation_and_bidi_controls_do_not_count() -> None:
    figures = measure("الأمن.", "\u2067الأمن\u2069.")
    assert figures.exact == 1.0
    assert measure("الأمن.", ".الأمن").exact == 0.0


def _contents(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return bytes(pdf.pages[0].obj.Contents.read_bytes())


def _operations(stream: bytes) -> list[str]:
    """A content stream's operations, written one way whatever the spacing."""
    pdf = pikepdf.new()
    return [str(instruction) for instruction in pikepdf.parse_content_stream(pdf.make_stream(stream))]


@pytest.fixture(scope="module")
def plain_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plain-WeasyPrint render of LINE, repeated over a few lines."""
    path = tmp_path_factory.mktemp("readers") / "plain.pdf"
    path.write_bytes(plain_pdf(Project(ROOT), text_html([LINE] * 3, "ar", "rtl")))
    return path


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_reads_a_plain_page(plain_page: Path, family: str) -> None:
    """Each real reader gives the words back; the figures are the family's, not a fake's."""
    text = read(family, plain_page)
    assert words_recall("\n".join([LINE] * 3), text) > 0.5, text


def test_pdfjs_reads_many_pdfs_in_one_run(plain_page: Path, tmp_path: Path) -> None:
    """One `node` process for many PDFs gives each PDF's own text."""
    other = tmp_path / "other.pdf"
    other.write_bytes(plain_pdf(Project(ROOT), text_html(["نص آخر تماما"], "ar", "rtl")))
    texts = read_all("pdfjs", [plain_page, other])
    assert texts == {plain_page: read("pdfjs", plain_page), other: read("pdfjs", other)}
    assert texts[plain_page] != texts[other]


def test_families_disagree_so_none_is_faked(plain_page: Path) -> None:
    texts = {family: read(family, plain_page) for family in FAMILIES}
    assert len(set(texts.values())) == len(FAMILIES), texts


def test_pdfjs_missing_is_said_not_skipped(plain_page: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PDFJS_ENV, str(tmp_path))
    with pytest.raises(ExtractorMissing, match=r"pdf\.js: pdfjs-dist is not installed in .*make readers"):
        read("pdfjs", plain_page)
    measured, missing = measure_families(LINE, plain_page)
    assert set(measured) == {"pdfium", "poppler", "mupdf"}
    assert "make readers" in missing["pdfjs"]


def test_pdfjs_missing_from_an_installed_package_says_how_to_get_it(
        plain_page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed wheel has no tools/pdfjs: the message named a folder beside site-packages
    that never exists and said to run `make readers`, which needs a checkout."""
    monkeypatch.delenv(PDFJS_ENV, raising=False)
    monkeypatch.setattr(readers, "_CHECKOUT_PDFJS", tmp_path / "lib" / "tools" / "pdfjs")
    with pytest.raises(ExtractorMissing) as raised:
        read("pdfjs", plain_page)
    assert str(raised.value) == (
        f"pdf.js: an installed briefpress has no pdf.js of its own; set {PDFJS_ENV} to a folder "
        "holding extract.mjs and node_modules/pdfjs-dist (tools/pdfjs/ of a briefpress checkout, "
        "after `make readers` there)")


def test_node_missing_is_said(plain_page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ExtractorMissing, match=r"pdf\.js: node is not installed"):
        read("pdfjs", plain_page)


def test_the_baseline_has_none_of_the_text_layer_work(tmp_path: Path) -> None:
    """The plain render of the seed brief holds no ActualText, isolate, joiner or letter mark."""
    project = Project(ROOT)
    content = load_publication(project, PUBLICATION)
    view = select(content, load_profiles(project)["general"])
    page = brief_html(view.brief, content.publication.title, "ar", "rtl")
    assert not any(c in page for c in "\u2066\u2067\u2068\u2069\u2060\u061c\u200e\u200f")
    assert "<span" not in page
    data = plain_pdf(project, page)
    assert b"ActualText" not in _contents(data)
    assert strip_actual_text(data)[1] == 0
    path = tmp_path / "plain.pdf"
    path.write_bytes(data)
    assert "الشراكة" in read("pdfium", path)


def test_strip_actual_text_removes_marks_and_keeps_glyphs() -> None:
    content = (b"/P <</MCID 0>> BDC /Span <</ActualText (x)>> BDC BT /F1 12 Tf (a) Tj ET EMC "
               b"/Span <</ActualText (y) /Lang (ar)>> BDC BT (b) Tj ET EMC EMC")
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.Contents = pdf.make_stream(content)
    out = io.BytesIO()
    pdf.save(out)
    for unwrap, expected in ((True, b"/P <</MCID 0>> BDC BT /F1 12 Tf (a) Tj ET "
                              b"/Span <</Lang (ar)>> BDC BT (b) Tj ET EMC EMC"),
                             (False, b"/P <</MCID 0>> BDC /Span BMC BT /F1 12 Tf (a) Tj ET EMC "
                              b"/Span <</Lang (ar)>> BDC BT (b) Tj ET EMC EMC")):
        data, count = strip_actual_text(out.getvalue(), unwrap)
        stream = _contents(data)
        assert count == 2
        assert _operations(stream) == _operations(expected)
