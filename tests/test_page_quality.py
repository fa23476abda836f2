"""Pages a print designer signs off, read from glyph positions in every document of every edition.

What the product promises is asserted: no page ends on a heading or on a paragraph that
introduces what follows, no title or heading leaves one word alone on its last line, numbered
lists count in the edition's digits, and a last page under a quarter full is either balanced or
reported by the build. The checks themselves (`briefpress.check.pagequality`) are tested on
pages made to break each rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from briefpress.build import build
from briefpress.check import readers
from briefpress.check.geometry import pages
from briefpress.check.pagequality import (
    MIN_LAST_PAGE_FILL,
    body_size,
    cut_identifiers,
    last_page_fill,
    lone_latin_numbers,
    reader_lines,
    single_word_last_lines,
    stranded_lines,
)
from briefpress.fonts.identity import identify
from briefpress.fonts.registry import load_registry
from briefpress.project import Project

from conftest import BUILD_NOTES, PROFILES, PUBLICATION, PUBLICATIONS, ROOT, Target, copy_project
from test_cli import run

ARABIC_INDIC_MARKER = re.compile("^[٠-٩]+\\.$")
LATIN_MARKER = re.compile("^[0-9]+\\.$")


def test_no_page_ends_on_a_heading_or_a_lead_in(built: Path, target: Target) -> None:
    rtl = PUBLICATIONS[target.publication]["direction"] == "rtl"
    assert [str(finding) for finding in stranded_lines(pages(built / target.path), rtl)] == []


def test_no_title_leaves_one_word_alone(built: Path, target: Target) -> None:
    assert [str(finding) for finding in single_word_last_lines(pages(built / target.path))] == []


def test_a_near_empty_last_page_is_balanced_or_reported(built: Path, target: Target) -> None:
    read = pages(built / target.path)
    if len(read) > 1 and last_page_fill(read) < MIN_LAST_PAGE_FILL:
        label = f"{target.publication}/{target.audience}/{target.document}:"
        assert [note for note in BUILD_NOTES if note.startswith(label)], (
            f"last page {last_page_fill(read):.0%} full and not reported")


def test_numbered_lists_count_in_the_edition_s_digits(built: Path, target: Target) -> None:
    """A list number is the rightmost word of its line in an Arabic list, and set in the edition's
    digits (sanctions-watch has a numbered list)."""
    if PUBLICATIONS[target.publication]["direction"] != "rtl":
        return
    wrong = LATIN_MARKER if PROFILES[target.audience].digits == "arabic-indic" else ARABIC_INDIC_MARKER
    markers = []
    for page in pages(built / target.path):
        for line in page.lines:
            rightmost = sorted(line.glyphs, key=lambda glyph: -glyph.x1)
            word = ""
            for glyph in rightmost:
                if glyph.text in {" ", "\u00a0"}:
                    break
                word = glyph.text + word
            markers.append(word)
    assert [marker for marker in markers if wrong.match(marker)] == []


def test_no_identifier_is_cut_at_a_line_end(built: Path, target: Target) -> None:
    """`S/RES/2397`, `YEi.004`, `(CFSP) 2024/632` are held on one line in every document."""
    assert [str(finding) for finding in cut_identifiers(reader_lines(built / target.path))] == []


def test_an_english_document_counts_in_latin_digits_in_every_edition(built: Path, target: Target) -> None:
    """Counters are Arabic context in an Arabic publication alone: an English brief's pages, in
    an Arabic-Indic edition too, are `Page 2 of 3`, never `Page ٢ of ٣` (README, "Numerals")."""
    if PUBLICATIONS[target.publication]["direction"] != "ltr" or target.document != "brief":
        return
    with pypdfium2.PdfDocument(built / target.path) as document:
        footers = [[line for line in page.get_textpage().get_text_range().splitlines()
                    if re.search(r"\bPage\b", line) and " of " in line]
                   for page in document]  # beside a marking, pdfium may read it `2 of 1 Page`
    assert footers and all(footer and all(re.search("[0-9]", line) and not re.search("[٠-٩]", line)
                                          for line in footer) for footer in footers), footers


def test_an_arabic_indic_edition_prints_no_number_in_latin_digits(built: Path, target: Target) -> None:
    """One digit style per edition: outside identifiers and Latin runs, every number, list
    marker, counter, table cell, card and timeline date of a right-to-left document is in the
    edition's digits."""
    rtl = PUBLICATIONS[target.publication]["direction"] == "rtl"
    if not rtl or PROFILES[target.audience].digits != "arabic-indic":
        return
    found = lone_latin_numbers(reader_lines(built / target.path, arabic_only=True))
    assert [str(finding) for finding in found] == []


# --- the checks, on text made to break each rule -------------------------------------------------

PAGE_MADE_TO_BREAK_THE_RULES = """<html dir="rtl" lang="ar"><style>
@font-face {{ font-family: Amiri; src: url("{fonts}/Amiri-Regular.ttf"); }}
@font-face {{ font-family: Plex; src: url("{fonts}/IBMPlexSansArabic-Bold.ttf"); }}
@page {{ size: A5; margin: 20mm; }} body {{ font: 11pt Amiri; }} h1 {{ font: 24pt Plex; }}
</style><body>
<h1>ميزانية برنامج المياه<br>الفعلي</h1>
<p>ويعرض الجدول التالي الإنفاق الفعلي على المحاور الثلاثة، بملايين الدولارات:</p>
<p style="break-before: page">يبدأ الجدول في الصفحة التالية.</p>
</body></html>"""


def test_the_page_checks_find_what_they_look_for_and_quote_it_in_reading_order(tmp_path: Path) -> None:
    """A page made to break two rules, rendered by WeasyPrint in the shipped faces: each is found,
    and its message quotes the Arabic as it is read, not as its glyphs are drawn."""
    from weasyprint import HTML

    path = tmp_path / "rules.pdf"
    HTML(string=PAGE_MADE_TO_BREAK_THE_RULES.format(fonts=(ROOT / "fonts").as_uri())).write_pdf(path)
    read = pages(path)
    assert [str(finding) for finding in stranded_lines(read, rtl=True)] == [
        "page 1: lead-in at the foot: 'ويعرض الجدول التالي الإنفاق الفعلي على ا...' ends the page; "
        "what it introduces is overleaf"]
    assert [str(finding) for finding in single_word_last_lines(read)] == [
        "page 1: one word alone on a title's last line: الفعلي"]


NOTE_HEAVY_PAGE = """<html dir="rtl" lang="ar"><style>
@font-face {{ font-family: Amiri; src: url("{fonts}/Amiri-Regular.ttf"); }}
@page {{ size: A5; margin: 20mm; }} body {{ font: 11pt Amiri; }} .note {{ font-size: 8.5pt; }}
</style><body>
<p>تعرض هذه الورقة حال المياه في الحوض، وتحيل إلى مصادرها في الحواشي، ومنها تقرير البنك الدولي
https://www.worldbank.org/en/topic/water/overview</p>
{notes}</body></html>"""


def test_a_page_of_many_notes_is_read_at_its_text_s_size(tmp_path: Path) -> None:
    """The size the text is set in is the largest that holds a quarter of the glyphs, not the most
    common: in a researcher's brief the notes' small type held most glyphs, so each line of the
    text read as a heading (a wrapped URL as "one word alone on a title's last line")."""
    from weasyprint import HTML

    note = '<p class="note">انظر التقرير السنوي للهيئة، الفصل الثالث، وما ورد فيه من أرقام.</p>'
    path = tmp_path / "notes.pdf"
    HTML(string=NOTE_HEAVY_PAGE.format(fonts=(ROOT / "fonts").as_uri(), notes=note * 3)).write_pdf(path)
    read = pages(path)
    sizes = [round(glyph.size, 1) for line in read[0].lines for glyph in line.glyphs]
    assert sizes.count(8.5) > sizes.count(11.0) > len(sizes) / 4  # the notes hold most glyphs
    assert body_size(read) == 11.0
    assert single_word_last_lines(read) == []


TITLE_BEFORE_A_SYMBOL = """<html dir="rtl" lang="ar"><style>
@font-face {{ font-family: Plex; src: url("{fonts}/IBMPlexSansArabic-Bold.ttf"); }}
@page {{ size: A5; margin: 20mm; }} body {{ font: 11pt Plex; }}
h1 {{ font: 26pt/1.2 Plex; inline-size: 250pt; margin: 0; }}
</style><body><h1>{title}</h1><p>{text}</p></body></html>"""


def test_a_title_ending_in_a_symbol_leaves_no_word_alone_before_it(tmp_path: Path) -> None:
    """A document symbol cannot break, so it takes a line of its own; the word before it was left
    alone on the line above (`بعد القرار` | `S/RES/2664 (2022)`). Balancing chooses a width that
    keeps the number of lines and leaves no word alone."""
    from weasyprint import HTML

    from briefpress.layout.balance import balancing_css
    from briefpress.text.localise import Localiser

    title = Localiser("rtl", "arabic-indic").html(
        "ممرات المساعدات: الاستثناءات الإنسانية بعد القرار S/RES/2664 (2022)", last_words=True)
    html = HTML(string=TITLE_BEFORE_A_SYMBOL.format(fonts=(ROOT / "fonts").as_uri(), title=title,
                                                    text="نص الورقة بعد العنوان. " * 40))
    first = html.render()
    first.write_pdf(tmp_path / "first.pdf")
    assert single_word_last_lines(pages(tmp_path / "first.pdf"))  # the case: a word alone
    from weasyprint import CSS

    balanced = html.render(stylesheets=[CSS(string=balancing_css(first, html.etree_element))])
    balanced.write_pdf(tmp_path / "balanced.pdf")
    read = pages(tmp_path / "balanced.pdf")
    assert single_word_last_lines(read) == []
    assert len([line for line in read[0].lines if line.size > 20]) == 4  # as many lines as before


def test_a_cut_identifier_is_found() -> None:
    lines = [["في القرار S/", "RES/2397 (2017)", "وفق الفقرة YEi.", "004 من الملحق", "اللائحة (CFSP)",
              "2024/632 الصادرة", "ثم تحدث عن السياسة.", "2024 كان عاماً",
              # a URL's lines break after a slash, as the build lets them: no cut
              "على الموقع https://", "example.org/", "drought/ دون مقابل", "انظر www.un.org/",
              "securitycouncil/ ثم", "الوثيقة A/HRC/", "55/L.1 الصادرة",
              # a sentence that ends with a word, then a note: no cut
              "the port of Jizan.", "1. Al-Harbi, N. (2023)",
              # a sentence (a sources entry) that ends with a whole symbol or a year, then a note
              "from the Permanent Representative, S/2021/606.", "3. The Roseires Dam",
              "resolution S/RES/2397 (2017).", "4. As above."]]
    found = [finding.detail for finding in cut_identifiers(lines)]
    assert found == ["'S/' | 'RES/2397'", "'YEi.' | '004'", "'(CFSP)' | '2024/632'",
                     "'A/HRC/' | '55/L.1'"]


def test_lone_latin_numbers_are_found_outside_runs() -> None:
    lines = [["1. البند الأول", "القرار S/RES/2397 (2017) يذكر ١٢ بنداً", "اتصل على +44 20 7946 0958",
              # pieces of identifiers a reader's bidi moved around the line: not lone numbers
              "وربط القرار 2024/632 (CFSP (جزءاً", "اتصل على 0958 7946 20 +44 في",
              "بالإجماع في ،2017-12-22 وت", "في عام 2024 وقعت"]]
    assert [finding.detail.split("'")[1] for finding in lone_latin_numbers(lines)] == ["1", "2024"]


def test_a_parallel_text_s_own_numbers_are_not_lone_latin_numbers(tmp_path: Path) -> None:
    """Side by side, pdfium reads an annex's two columns as one line. The English column is
    tagged in English (/Lang), so its Latin paragraph numbers are its own; the Arabic column's
    text and numbers are still read. pdfium read a page's markers, drawn before its text, as
    lines of their own (`1. .١`); each is read with its text now, the English one in its run."""
    project = copy_project(tmp_path / "project", only="model-treaty")
    (project.templates_dir / "audiences" / "indic-parallel.yaml").write_text(
        "name: indic-parallel\ndescription: النص الموازي بالأرقام الهندية\ndocuments: [annex]\n"
        "digits: arabic-indic\nparallel: true\n", encoding="utf-8")
    build(project, tmp_path / "out", audiences=["indic-parallel"])
    path = tmp_path / "out" / "model-treaty" / "indic-parallel" / "annex.pdf"

    assert lone_latin_numbers(reader_lines(path)) == []
    arabic = reader_lines(path, arabic_only=True)
    assert lone_latin_numbers(arabic) == []
    text = "\n".join(line for page in arabic for line in page)
    assert ".١" in text and "المادة ٢" in text and "Article" not in text
    _, out, _ = run("check", str(path))
    assert "Latin digits" not in out


FIGURE_WITH_ITS_OWN_DIGITS = """<html dir="rtl" lang="ar"><head><title>رسم</title><style>
@font-face {{ font-family: Amiri; src: url("{fonts}/Amiri-Regular.ttf"); }}
body {{ font: 11pt Amiri; }}</style></head><body>
<p>تراجعت الأسعار بنسبة ٢٪ في عام 2024 وحده.</p>
<img alt="رسم بياني" src="data:image/svg+xml,{svg}">
</body></html>"""
CHART = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">'
         '<text x="10" y="30" font-family="Amiri" font-size="14">−2%</text></svg>')


def test_a_figure_s_own_digits_are_not_lone_latin_numbers(tmp_path: Path) -> None:
    """An SVG chart's labels are the author's drawing, tagged as the figure's (its /Alt), not
    numbers the edition typesets: the suite failed a user's Arabic-Indic edition on a chart's
    `−2%`. A number of the text beside it is still found."""
    from urllib.parse import quote

    from weasyprint import HTML

    path = tmp_path / "figure.pdf"
    HTML(string=FIGURE_WITH_ITS_OWN_DIGITS.format(fonts=(ROOT / "fonts").as_uri(),
                                                  svg=quote(CHART))).write_pdf(path, pdf_variant="pdf/ua-1")
    assert "−2%" in "\n".join(line for page in reader_lines(path) for line in page)
    arabic = reader_lines(path, arabic_only=True)
    assert [finding.detail.split("'")[1] for finding in lone_latin_numbers(arabic)] == ["2024"]


# --- a decimal mark no reader mistakes -------------------------------------------------------

DECIMAL, THOUSANDS = "\u066b", "\u066c"


def _marks_apart(path: Path) -> bool:
    """Whether a face tells ٫ from ٬ by shape: their outlines stand at least a fifth of an em apart
    in height (Amiri: the decimal mark low like a comma, the thousands mark high)."""
    font = TTFont(path)
    cmap, glyphs, em = font.getBestCmap(), font.getGlyphSet(), font["head"].unitsPerEm
    centres = []
    for character in (DECIMAL, THOUSANDS):
        pen = BoundsPen(glyphs)
        glyphs[cmap[ord(character)]].draw(pen)
        assert pen.bounds is not None
        centres.append((pen.bounds[1] + pen.bounds[3]) / 2)
    return abs(centres[0] - centres[1]) >= em / 5


def test_the_marks_are_measured_apart_in_amiri_and_not_in_plex() -> None:
    registry = load_registry(ROOT / "fonts")
    apart = {font.path.name: _marks_apart(font.path) for font in registry.fonts
             if ord(DECIMAL) in font.codepoints}
    assert apart == {"Amiri-Bold.ttf": True, "Amiri-Regular.ttf": True,
                     "IBMPlexSansArabic-Bold.ttf": False, "IBMPlexSansArabic-Regular.ttf": False}


def test_every_face_that_draws_the_marks_tells_them_apart(built: Path, target: Target) -> None:
    """In every edition: a Latin-digit one prints a number typed in Arabic-Indic digits as typed
    (copy-cases' fact sheet has a card `١٢٬٥٠٠`)."""
    registry = load_registry(ROOT / "fonts")
    faces = {}
    with pikepdf.open(built / target.path) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                faces[str(font.BaseFont).split("+")[-1]] = identify(descriptor.FontFile2.read_bytes(),
                                                                     registry)
    drawn = {glyph.font for page in pages(built / target.path) for line in page.lines
             for glyph in line.glyphs if glyph.text in (DECIMAL, THOUSANDS)}
    for name in drawn:
        shipped = faces[name]
        assert shipped is not None and _marks_apart(shipped.path), name


def test_arabic_indic_digits_are_drawn_in_the_face_of_their_words(project: Project, tmp_path: Path) -> None:
    """Drawn in Amiri inside IBM Plex text, the digits of a timeline date were a text item of their
    own, and pdf.js, which joins a line's items in drawing order, copied `منذ ٢٠٠٦` as `٢٠٠٦ منذ`
    and `يونيو ٢٠١٨` as `٢٠١٨ يونيو`: only the two marks Plex draws alike come from Amiri."""
    build(project, tmp_path, publications=[PUBLICATION], documents=["factsheet"],
          audiences=["decision-makers"])
    text = readers.read("pdfjs", tmp_path / PUBLICATION / "decision-makers" / "factsheet.pdf")
    assert "منذ ٢٠٠٦" in text and "يونيو ٢٠١٨" in text


def list_heading_tops(path: Path) -> list[list[float]]:
    """Per page, the top of each heading narrower than the sheet's section headings, read as the
    box WeasyPrint fills for its rule: the headings of lists side by side."""
    pages = []
    with pdfplumber.open(path) as document:
        for page in document.pages:
            boxes: dict[object, list[dict]] = {}
            for rect in page.rects:
                if rect["height"] < 40:
                    boxes.setdefault(tuple(rect["non_stroking_color"] or ()), []).append(rect)
            tops: set[float] = set()
            for rects in boxes.values():
                widest = max(rect["width"] for rect in rects)
                if widest > page.width / 2:
                    tops |= {round(rect["top"], 1) for rect in rects if rect["width"] < widest / 2 + 20}
            pages.append(sorted(tops))
    return pages


def test_lists_side_by_side_start_at_one_height(built: Path, target: Target) -> None:
    """A fact sheet's lists share a row, and their headings start at one height (the seed's two)."""
    if target.document != "factsheet":
        return
    for tops in list_heading_tops(built / target.path):
        assert not tops or max(tops) - min(tops) <= 0.5, tops


def test_figure_cards_in_a_row_share_one_width(built: Path, target: Target) -> None:
    """The fact sheet's cards, read as their filled backgrounds: one width for every card of a row."""
    if target.document != "factsheet":
        return
    with pdfplumber.open(built / target.path) as document:
        page = document.pages[0]
        cards = [rect for rect in page.rects if rect["height"] > 20 and _light(rect["non_stroking_color"])]
    rows: dict[int, set[float]] = {}
    for card in cards:
        rows.setdefault(round(card["top"] / 5), set()).add(round(card["width"], 1))
    assert cards and all(max(widths) - min(widths) <= 0.5 for widths in rows.values()), rows


def test_a_wrapped_title_has_lines_of_similar_length(built: Path, target: Target) -> None:
    """The cover title (the first display line of page 1 and the lines stacked under it in its
    size), when it wraps, is balanced: its last line at least 60 % of its longest, as balancing
    from Pango's line breaking gives (layout/balance.py). A fact sheet's figures may be set larger
    than its title (on A5), so the title is found by place, not by size alone."""
    read = pages(built / target.path)
    lines = sorted((line for line in read[0].lines if line.glyphs), key=lambda line: line.top)
    display = [line for line in lines if line.size >= 1.5 * body_size(read)]
    title = display[:1]
    for line in display[1:]:
        if abs(line.size - title[-1].size) > 0.2 or line.top - title[-1].top > 2.2 * line.size:
            break
        title.append(line)
    widths = [line.x1 - line.x0 for line in title]
    if len(widths) > 1:
        assert widths[-1] >= 0.6 * max(widths), [round(width) for width in widths]


def _light(colour: object) -> bool:
    """A card's background: a light fill (the accent's soft tint), not the dark cover band."""
    values = colour if isinstance(colour, tuple | list) else ()
    return len(values) == 3 and sum(float(value) for value in values) / 3 > 0.7
