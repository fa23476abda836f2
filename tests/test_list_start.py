"""A numbered list may start at another number than 1, as CommonMark allows (`5.`, `6.`)."""

from __future__ import annotations

import io

import pypdfium2
import weasyprint

from briefpress.layout.blocks import blocks_html
from briefpress.source.markdown import parse_brief

BRIEF = "---\nrunning_head: r\n---\n## قسم\n\nقبل القائمة.\n\n5. الخطوة الخامسة.\n6. الخطوة السادسة.\n"


def test_a_list_starting_at_five_is_accepted_and_counts_from_five() -> None:
    brief, problems = parse_brief(BRIEF, "brief.md")
    assert not problems, [str(problem) for problem in problems]
    assert brief is not None
    html = str(blocks_html(brief.sections[0].blocks))
    assert "counter-reset: list-item 4" in html
    pdf = weasyprint.HTML(string=f'<html lang="ar" dir="rtl"><body>{html}</body></html>').write_pdf()
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    text = document[0].get_textpage().get_text_range()
    assert "5" in text and "6" in text and "1." not in text and "2." not in text


def test_a_list_starting_at_one_carries_no_counter() -> None:
    brief, problems = parse_brief(BRIEF.replace("5.", "1.").replace("6.", "2."), "brief.md")
    assert not problems and brief is not None
    assert "counter-reset" not in str(blocks_html(brief.sections[0].blocks))


def test_a_start_written_as_an_attribute_line_is_still_refused() -> None:
    _, problems = parse_brief(BRIEF.replace("5. الخطوة الخامسة.", "{start=5}\n1. الخطوة الخامسة."),
                              "brief.md")
    assert [problem.message for problem in problems] == [
        "unsupported attribute start; only {audience=tag} is allowed on a block"]
