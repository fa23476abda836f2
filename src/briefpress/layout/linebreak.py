"""Let the spaces that end a text hang at the end of its line, when WeasyPrint splits the text.

WeasyPrint (70) lays out the first line of a text box with Pango, whose line width counts the
spaces that end the line. When a text box ends with a space (the text before a link, an
emphasis, any inline box) and its words fit the line only without that space, WeasyPrint
takes the line for one it cannot split where Pango left it, and keeps its first word alone:
a justified paragraph then holds a line of one word (`مجلس`, or `one`), the rest on the
next. CSS has a line's end spaces hang (CSS Text 3, 4.1.2), and WeasyPrint's own overflow
check already lets them (`trailing_whitespace_size`). So, while `hanging_end_spaces` is on, a
text whose words, less its end spaces, fit the width in one line is laid out whole; any
other is split as WeasyPrint splits it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_COLLAPSING = ("normal", "nowrap", "pre-line")  # white-space values whose end spaces hang


@contextmanager
def hanging_end_spaces() -> Iterator[None]:
    """Lay out inline text with its end spaces hanging (see the module's docstring)."""
    from weasyprint.layout import inline

    split = inline.split_first_line

    def split_first_line(text: str, style: Any, context: Any, max_width: float | None,
                         justification_spacing: float, is_line_start: bool = True,
                         minimum: bool = False) -> Any:
        first = split(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        resume_index = first[2]
        if resume_index is None or minimum or max_width is None or not text.endswith(" ") \
                or style["white_space"] not in _COLLAPSING:
            return first
        words = split(text.rstrip(" "), style, context, max_width, justification_spacing,
                      is_line_start, minimum)
        if words[2] is not None or words[3] > max_width:
            return first
        return split(text, style, context, None, justification_spacing, is_line_start, minimum)

    inline.split_first_line = split_first_line
    try:
        yield
    finally:
        inline.split_first_line = split
