"""How a text splits into lines (`layout.linebreak`): widening a paragraph never shortens its
first line, and a line that starts inside a run of the other direction reads in the run's order.

Checked on real WeasyPrint layouts, at widths a few pixels apart, of sentences of the suite's
own in English and in Arabic whose words before a link fit a line only without the space that
ends them: WeasyPrint alone then keeps the first word alone on the first line.
"""

from __future__ import annotations

import io
from functools import cache

import pdfplumber
import pytest
import weasyprint
from weasyprint.formatting_structure import boxes

from briefpress.layout.linebreak import hanging_end_spaces, isolates_across_lines
from briefpress.layout.pdf import font_configuration
from briefpress.project import Project
from briefpress.text.bidi import isolate

from conftest import ROOT

SENTENCES = {
    "ltr": ("en", "one two three four five six <a href='#a'>link</a> seven"),
    "rtl": ("ar", "قرر المجلس تمديد الولاية سنة أخرى <a href='#a'>الموقع</a> دون تعديل"),
}
WIDTHS = range(150, 262, 4)  # in CSS pixels


def _first_line_words(direction: str, width: int) -> int:
    language, sentence = SENTENCES[direction]
    page = (f'<html lang="{language}" dir="{direction}"><head><style>@page {{ size: 1000px 400px }}'
            f"p {{ font-family: Amiri; font-size: 18px; width: {width}px; margin: 0 }}</style></head>"
            f"<body><p>{sentence}</p></body></html>")
    document = weasyprint.HTML(string=page).render(font_config=_fonts())
    line = next(box for box in document.pages[0]._page_box.descendants() if isinstance(box, boxes.LineBox))
    return len("".join(box.text for box in line.descendants() if isinstance(box, boxes.TextBox)).split())


@cache
def _fonts() -> object:
    return font_configuration(Project(ROOT))


def _counts(direction: str, hanging: bool) -> list[int]:
    if not hanging:
        return [_first_line_words(direction, width) for width in WIDTHS]
    with hanging_end_spaces():
        return [_first_line_words(direction, width) for width in WIDTHS]


@pytest.mark.parametrize("direction", SENTENCES)
def test_widening_a_paragraph_never_shortens_its_first_line(direction: str) -> None:
    counts = _counts(direction, hanging=True)
    assert counts == sorted(counts), dict(zip(WIDTHS, counts, strict=True))
    assert counts[0] < counts[-1]  # the widths cross a line break


@pytest.mark.parametrize("direction", SENTENCES)
def test_weasyprint_alone_shortens_it_at_some_widths(direction: str) -> None:
    """The test above can fail: WeasyPrint 70 keeps one word on the first line where the words
    before the link fit only without their end space. When a WeasyPrint release no longer
    does, this fails, and `layout.linebreak` can go."""
    counts = _counts(direction, hanging=False)
    assert counts != sorted(counts), dict(zip(WIDTHS, counts, strict=True))


# --- a note call at a line's end ---------------------------------------------------------------

def _note_call() -> str:
    """A note's call as a brief writes it (endnotes: the call alone, no note beside it)."""
    from briefpress.layout.notes import NoteNumbers
    from briefpress.source.markdown import parse_brief

    brief, problems = parse_brief("---\nrunning_head: ر\n---\n\n## قسم\n\nنص[^a].\n\n[^a]: ملاحظة.\n",
                                  "brief.md")
    assert brief is not None and problems == []
    return NoteNumbers(brief, "endnotes", "document", "latin", lambda note: "", str).call("a")


CALLED = "قرر المجلس تمديد الولاية سنة أخرى{call} دون تعديل"


def _call_counts(call: str) -> list[int]:
    counts = []
    for width in WIDTHS:
        page = (f'<html lang="ar" dir="rtl"><head><style>@page {{ size: 1000px 400px }}'
                f"p {{ font-family: Amiri; font-size: 18px; width: {width}px; margin: 0 }}"
                ".note-call { vertical-align: super; font-size: 60% }</style></head>"
                f"<body><p>{CALLED.format(call=call)}</p></body></html>")
        document = weasyprint.HTML(string=page).render(font_config=_fonts())
        line = next(box for box in document.pages[0]._page_box.descendants()
                    if isinstance(box, boxes.LineBox))
        counts.append(len("".join(box.text for box in line.descendants()
                                  if isinstance(box, boxes.TextBox)).split()))
    return counts


def test_a_note_call_at_a_line_s_end_never_leaves_one_word_on_the_line() -> None:
    """The call after its narrow no-break space (a word joiner between them) goes to the next
    line with its word; the words before stay on the first line, whatever the width."""
    with hanging_end_spaces():
        counts = _call_counts(_note_call())
    assert counts == sorted(counts), dict(zip(WIDTHS, counts, strict=True))
    assert counts[0] < counts[-1]


def test_weasyprint_alone_leaves_one_word_before_a_call_after_a_narrow_space() -> None:
    """The test above can fail: with the narrow no-break space alone before the call's link,
    WeasyPrint 70 keeps only the first word on the line where the call does not fit."""
    with hanging_end_spaces():
        counts = _call_counts(_note_call().replace("\u2060", ""))
    assert counts != sorted(counts) and 1 in counts, dict(zip(WIDTHS, counts, strict=True))


# --- a run that wraps keeps its isolate ------------------------------------------------------

# A citation in an Arabic sentence: a left-to-right run whose words include a year, isolated
# as the localiser isolates it. At some widths a line breaks inside the run before the year.
CITATION = ("وتشمل البيانات FAO, AQUASTAT database, Rome, 2023, https://www.fao.org/aquastat/ "
            "وتشمل الاستخدامات")
CITATION_WIDTHS = range(200, 420, 6)  # in CSS pixels


def _year_after_url(width: int) -> bool | None:
    """Whether a line holding both the year and the URL draws the year right of the URL (in
    the paragraph's order, not the run's); None if no line holds both."""
    page = ('<html lang="ar" dir="rtl"><head><style>@page { size: 1000px 600px; margin: 10px }'
            f"p {{ font-family: Amiri; font-size: 18px; width: {width}px; margin: 0 }}</style></head>"
            f"<body><p>{isolate(CITATION, 'rtl')}</p></body></html>")
    pdf = weasyprint.HTML(string=page).write_pdf(font_config=_fonts())
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        lines: dict[int, list[dict]] = {}
        for char in document.pages[0].chars:
            lines.setdefault(round(char["top"]), []).append(char)
    for chars in lines.values():
        text = "".join(char["text"] for char in sorted(chars, key=lambda char: char["x0"]))
        if "2023" in text and "https" in text:
            return text.index("2023") > text.index("https")
    return None


def _years_after_urls(patched: bool) -> list[bool | None]:
    if not patched:
        return [_year_after_url(width) for width in CITATION_WIDTHS]
    with isolates_across_lines():
        return [_year_after_url(width) for width in CITATION_WIDTHS]


def test_a_line_that_starts_inside_a_run_reads_in_the_run_s_order() -> None:
    found = _years_after_urls(patched=True)
    assert True not in found, dict(zip(CITATION_WIDTHS, found, strict=True))
    assert False in found  # some widths put the year and the URL on one line


def test_weasyprint_alone_draws_that_line_in_the_paragraph_s_order() -> None:
    """The test above can fail: without the isolate carried over a break, the year that starts
    a line is drawn right of the URL after it (`https://... ,2023`)."""
    found = _years_after_urls(patched=False)
    assert True in found, dict(zip(CITATION_WIDTHS, found, strict=True))
