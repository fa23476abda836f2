"""Balance a document's last page: none under a quarter full, where a bounded spacing change fixes it.

A document whose last page holds a few lines is laid out again with tighter spacing (so the
lines move back and the page goes) or looser spacing (so more reaches it), within the ranges
VARIANTS allow, a stylesheet added after the others. The first layout that meets the aim is
kept; when none does, the first is, and the build reports it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MIN_FILL = 0.25
#: The only spacing a fit may change, and by how much: leading and the space after a paragraph,
#: tighter first, then looser (base.css sets 1.65 and 0.6em).
VARIANTS = (
    ":root { --leading: 1.58; } p { margin-block-end: 0.5em; }",
    ":root { --leading: 1.52; } p { margin-block-end: 0.4em; }",
    ":root { --leading: 1.75; } p { margin-block-end: 0.75em; }",
)


def last_page_fill(document: Any) -> float:
    """How much of its page's content height the last page's text takes, from 0 to 1."""
    from weasyprint.formatting_structure import boxes

    page = document.pages[-1]._page_box
    flow = [child for child in page.children if not isinstance(child, boxes.MarginBox)]
    bottoms = [box.position_y + box.height for child in flow for box in child.descendants()
               if isinstance(box, boxes.TextBox | boxes.ReplacedBox)]
    if not bottoms or page.height <= 0:
        return 0.0
    return max(0.0, min(1.0, (max(bottoms) - page.content_box_y()) / page.height))


def fit_last_page(document: Any, render: Callable[[str], Any]) -> tuple[Any, str | None]:
    """`document`, or the layout `render` gives with a variant's stylesheet: the first whose last
    page is at least MIN_FILL full or that has a page fewer; and a note when none is."""
    fill = last_page_fill(document)
    if len(document.pages) < 2 or fill >= MIN_FILL:
        return document, None
    for variant in VARIANTS:
        candidate = render(variant)
        if len(candidate.pages) < len(document.pages) or last_page_fill(candidate) >= MIN_FILL:
            return candidate, None
    return document, (f"the last page is {fill:.0%} full, under the {MIN_FILL:.0%} aimed at, and no "
                      "spacing within the allowed range changes that; shorten or lengthen the text")
