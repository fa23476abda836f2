"""A note stays on the page of its call, even where WeasyPrint would move it to keep orphans.

The brief sets `footnote-policy: line`: a line whose note does not fit goes to the next page with
its note. WeasyPrint (70) has one more way out when a later line overflows the page: if breaking
before that line would leave fewer lines of its paragraph than `orphans` (or `widows`) allow, it
moves the page's notes, last first, to the next page until the line fits, and their calls stay
where they are (a user's brief: a call at the end of a paragraph on page 1, its note at the foot of
page 2, moved to make room for the second line of the next paragraph). While
`notes_beside_their_calls` is on, that way out is closed: the line breaks as it would on a page
with no notes, which moves its paragraph to the next page when orphans ask it to, and every note
stays with its call.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_HELD = "_briefpress_held_notes"


@contextmanager
def notes_beside_their_calls() -> Iterator[None]:
    """Lay out with notes never moved away from their calls (see the module's docstring)."""
    from weasyprint.layout import LayoutContext, block

    report = LayoutContext.report_footnote
    break_line = block._break_line
    linebox_layout = block._linebox_layout

    def report_footnote(self: Any, footnote: Any) -> Any:
        caller = sys._getframe(1)
        if caller.f_code.co_name == "_linebox_layout" and "could_break_before" in caller.f_locals:
            # The overflow branch, moving a note for orphans' sake: hand the page's notes to
            # `_break_line` instead, so that the loop ends and the line breaks without them.
            setattr(self, _HELD, list(self.current_page_footnotes))
            self.current_page_footnotes.clear()
            return None
        return report(self, footnote)

    def _break_line(context: Any, *args: Any) -> Any:
        _restore(context)
        return break_line(context, *args)

    def _linebox_layout(context: Any, *args: Any) -> Any:
        try:
            return linebox_layout(context, *args)
        finally:
            _restore(context)  # never a note lost, whichever way the branch ends

    LayoutContext.report_footnote = report_footnote
    block._break_line = _break_line
    block._linebox_layout = _linebox_layout
    try:
        yield
    finally:
        LayoutContext.report_footnote = report
        block._break_line = break_line
        block._linebox_layout = linebox_layout


def _restore(context: Any) -> None:
    """Give the page back the notes `report_footnote` held, before anything else reads them."""
    held = getattr(context, _HELD, None)
    if held is not None:
        context.current_page_footnotes[:0] = held
        setattr(context, _HELD, None)
