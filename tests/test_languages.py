"""Read-aloud: the structure tree says which language each piece of text is in (PDF/UA-1 7.2).

Every document of every edition is read back by `briefpress.check.languages` (pdfplumber): the
structure tree's elements with the language each is read in (its /Lang, its ancestors', the
catalog's) and the glyphs of each marked-content sequence. A screen reader switches voice where
/Lang changes, so:

- in a left-to-right (English) publication, every Arabic letter the tree holds is read in
  Arabic: each Arabic run is a span of its own (`lang="ar"`), and each paragraph, item or clause
  written wholly in Arabic carries the language with its direction;
- in a right-to-left (Arabic) publication, every element whose letters are all Latin (an English
  paragraph, quote or list item; a run cut by emphasis or a link, or filling one; a table cell,
  figure or note holding one) is read in English. A Latin run inside an Arabic line shares its
  line's text box: a span of its own would cost pdf.js the spaces around it (README,
  "Read-aloud"), so the share of Latin letters read in English is printed, not asserted.
"""

from __future__ import annotations

from pathlib import Path

from briefpress.check.languages import (
    Languages,
    Piece,
    latin_letter,
    problems,
    read_languages,
    summary,
)

from conftest import ROOT, Target


def _languages(path: Path) -> Languages:
    found = read_languages(path)
    assert found is not None, "untagged"
    return found


def test_the_reader_sees_languages(built: Path) -> None:
    """The reading is not vacuous: the English fixture's brief has Arabic under /Lang ar, and a
    structure tree that reads Arabic in English, or English in Arabic, is a problem."""
    found = _languages(built / "bilingual-brief" / "general" / "brief.pdf")
    assert found.document == "en"
    arabic = [c for piece in found.sequences if piece.language == "ar" for c in piece.text if c.isalpha()]
    assert len(arabic) > 300
    wrong = Languages("en", (), (Piece("en", "مكتبة"),))
    assert problems(wrong) == ["Arabic text read as en: 'مكتبة'"]
    untagged = Languages("ar", (Piece("ar", "Panel of Experts", frozenset(["ar"])),), ())
    assert problems(untagged) == ["Latin text read as ar: 'Panel of Experts'"]
    assert problems(Languages("", (), ()))[0].startswith("the catalog has no /Lang")


def test_every_run_in_the_other_language_is_read_in_its_voice(target: Target, pdf: Path) -> None:
    found = _languages(pdf)
    assert found.document == target.language
    latin = sum(latin_letter(c) for piece in found.sequences for c in piece.text)
    english = sum(latin_letter(c) for piece in found.sequences if piece.language == "en" for c in piece.text)
    print(f"{target}: {summary(found)}; {english} of {latin} Latin letters read in English")
    assert problems(found) == []


def test_a_paragraph_whose_page_break_leaves_a_latin_tail_is_read_whole(tmp_path: Path) -> None:
    """WeasyPrint tags a paragraph or list item that runs onto the next page as one element per
    page. A user's Arabic paragraph ending in a citation (`... ، Country Report No. 24/123`) left
    a page holding its Latin tail alone, and `check` failed the correct PDF with `Latin text read
    as ar`: each is one element now. An untagged English paragraph on a page of its own is still
    a problem."""
    import weasyprint

    from briefpress.layout.pdf import structure_as_written

    face = (ROOT / "fonts" / "Amiri-Regular.ttf").as_uri()
    html = (f"<html lang='ar' dir='rtl'><style>@font-face {{ font-family: A; src: url({face}) }}"
            "@page { size: 90mm 14mm; margin: 0 } body { font: 12pt A; margin: 0 }"
            "p, li { line-height: 14mm; margin: 0; orphans: 1; widows: 1 } ul { margin: 0; padding: 0 }"
            "</style><body>"
            "<p>وقد أشار التقرير إلى ذلك،<br>Country Report No. 24/123</p>"
            "<ul><li>وانظر كذلك،<br>Country Report No. 24/124</li></ul>"
            "<p>Panel of Experts</p></body></html>")
    pdf = tmp_path / "split.pdf"
    with structure_as_written():
        weasyprint.HTML(string=html).write_pdf(pdf, pdf_tags=True)
    found = _languages(pdf)
    assert problems(found) == ["Latin text read as ar: 'Panel of Experts'"]
    assert [piece.text for piece in found.elements if piece.text.endswith("24/123")] == [
        "،كلذ ىلإ ريرقتلا راشأ دقوCountry Report No. 24/123"], "one /P, its pieces in reading order"


def test_the_text_a_figure_draws_is_read_as_its_alt_text(tmp_path: Path) -> None:
    """A screen reader reads a figure's /Alt in place of what it draws (PDF/UA-1 7.3). An SVG
    chart whose labels are Latin (`Water Stress Index`), in an Arabic brief, failed `check` on the
    build's own PDF with `Latin text read as ar`: the labels are the author's drawing, read as the
    alt text."""
    import urllib.parse

    import weasyprint

    from briefpress.layout.pdf import structure_as_written

    face = (ROOT / "fonts" / "Amiri-Regular.ttf").as_uri()
    svg = urllib.parse.quote('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
                             '<text x="5" y="25" font-family="A" font-size="14">Water Stress Index</text>'
                             '</svg>')
    html = (f"<html lang='ar' dir='rtl'><style>@font-face {{ font-family: A; src: url({face}) }}"
            "@page { size: 90mm 40mm; margin: 0 } body { font: 12pt A; margin: 0 }</style><body>"
            f"<p>مخطط المؤشر:</p><p><img src='data:image/svg+xml,{svg}' alt='مخطط مؤشر الإجهاد المائي'></p>"
            "</body></html>")
    pdf = tmp_path / "figure.pdf"
    with structure_as_written():
        weasyprint.HTML(string=html).write_pdf(pdf, pdf_tags=True)
    assert problems(_languages(pdf)) == []
