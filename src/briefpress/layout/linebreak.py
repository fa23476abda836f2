"""How WeasyPrint splits a text into lines: end spaces hang, and isolates carry over a break.

Spaces. WeasyPrint (70) lays out the first line of a text box with Pango, whose line width
counts the spaces that end the line. When a text box ends with a space (the text before a link,
an emphasis, any inline box) and its words fit the line only without that space, WeasyPrint
takes the line for one it cannot split where Pango left it, and keeps its first word alone: a
justified paragraph then holds a line of one word (`مجلس`, or `one`), the rest on the next.
CSS has a line's end spaces hang (CSS Text 3, 4.1.2), and WeasyPrint's own overflow
check already lets them (`trailing_whitespace_size`). So, while `hanging_end_spaces` is on, a
text whose words, less its end spaces, fit the width in one line is laid out whole; any
other is split as WeasyPrint splits it.

Isolates. WeasyPrint lays out the rest of a text after a line break as a text of its own, from
the break on, so a run isolated in the other direction (LRI ... PDI) that wraps loses its opening
isolate on its next line: a line that starts in the run with a number or punctuation then takes
the paragraph's direction (`Rome, 2023, https://...` drawn `https://... ,2023` in Arabic text).
While `isolates_across_lines` is on, the rest of a text starts with the isolates still open at the
break, as the whole text had them.
"""

from __future__ import annotations

import re
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


_OPENERS = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
_PDI = "\u2069"
_CONTROLS = re.compile("[\u2066-\u2069\n\u2029]")  # isolates, and what closes them all


def open_isolates(text: str) -> str:
    """The isolate openers still open at the end of `text`, outermost first."""
    opened: list[str] = []
    for match in _CONTROLS.finditer(text):  # every line of a paragraph asks: skip the letters
        character = match.group()
        if character in _OPENERS:
            opened.append(character)
        elif character == _PDI:
            if opened:
                opened.pop()
        else:  # a paragraph separator closes every isolate
            opened.clear()
    return "".join(opened)


@contextmanager
def isolates_across_lines() -> Iterator[None]:
    """Lay out the rest of a text after a break with the isolates open at the break (see the
    module's docstring)."""
    from weasyprint.layout import inline

    split = inline.split_text_box

    def split_text_box(context: Any, box: Any, available_width: float, skip: int | None,
                       is_line_start: bool = True) -> Any:
        if skip:
            encoded = box.text.encode()
            opened = open_isolates(encoded[:skip].decode()).encode()
            if opened:
                rest = box.copy_with_text((opened + encoded[skip:]).decode())
                new_box, resume, preserved = split(context, rest, available_width, 0, is_line_start)
                if resume is None or resume > len(opened):
                    return new_box, (None if resume is None else resume - len(opened) + skip), preserved
        return split(context, box, available_width, skip, is_line_start)

    inline.split_text_box = split_text_box
    try:
        yield
    finally:
        inline.split_text_box = split
