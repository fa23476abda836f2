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

WeasyPrint also finds that a page's note area overflows itself when its last note's bottom is
past the area's bottom, sums of the same lengths in another order that differ in the last bit
(1296.0472440944884 against 1296.0472440944883): the line calling that note went to the next
page with it, though it fit, and left up to half the page empty. An area overflows here only
when its last note ends past its bottom by more than a hundredth of a pixel.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_HELD = "_briefpress_held_notes"
_ROUNDING = 0.01  # px: far less than any line, far more than the last bit of a page's lengths


@contextmanager
def notes_beside_their_calls() -> Iterator[None]:
    """Lay out with notes never moved away from their calls (see the module's docstring)."""
    from weasyprint.layout import LayoutContext, block

    report = LayoutContext.report_footnote
    update_area = LayoutContext._update_footnote_area
    break_line = block._break_line
    linebox_layout = block._linebox_layout

    def _update_footnote_area(self: Any) -> Any:
        overflow = update_area(self)
        return overflow and _overflows(self)

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
    LayoutContext._update_footnote_area = _update_footnote_area
    block._break_line = _break_line
    block._linebox_layout = _linebox_layout
    try:
        yield
    finally:
        LayoutContext.report_footnote = report
        LayoutContext._update_footnote_area = update_area
        block._break_line = break_line
        block._linebox_layout = linebox_layout


def _restore(context: Any) -> None:
    """Give the page back the notes `report_footnote` held, before anything else reads them."""
    held = getattr(context, _HELD, None)
    if held is not None:
        context.current_page_footnotes[:0] = held
        setattr(context, _HELD, None)


def _overflows(context: Any) -> bool:
    """Whether the page's note area, laid out as WeasyPrint lays it out to measure it, ends before
    its last note does by more than rounding."""
    from weasyprint.formatting_structure import build
    from weasyprint.layout.block import block_level_layout

    area = build.create_anonymous_boxes(context.current_footnote_area.deepcopy())
    area = block_level_layout(context, area, -float("inf"), None, context.current_footnote_area.page)[0]
    last = area.children[-1]
    last_bottom = last.position_y + last.margin_height() - last.margin_bottom
    area_bottom = area.position_y + area.margin_height() - area.margin_bottom
    return bool(last_bottom > area_bottom + _ROUNDING)
