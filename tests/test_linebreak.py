"""The spaces that end a text hang at the end of its line (`layout.linebreak`): widening a
paragraph never shortens its first line.

Checked on real WeasyPrint layouts, at widths a few pixels apart, of sentences of the suite's
own in English and in Arabic whose words before a link fit a line only without the space that
ends them: WeasyPrint alone then keeps the first word alone on the first line.
"""

from __future__ import annotations

from functools import cache

import pytest
import weasyprint
from weasyprint.formatting_structure import boxes

from briefpress.layout.linebreak import hanging_end_spaces
from briefpress.layout.pdf import font_configuration
from briefpress.project import Project

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
