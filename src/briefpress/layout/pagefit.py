"""Balance a document's last page: none under a quarter full, where a bounded spacing change fixes it.

A document whose last page holds a few lines is laid out again with tighter spacing (so the
lines move back and the page goes) or looser spacing (so more reaches it), within the ranges
VARIANTS allow, a stylesheet added after the others. The first layout that meets the aim is
kept; when none does, the first is, and the build reports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MIN_FILL = 0.25
#: The only spacing a fit may change, and by how much: leading and the space after a paragraph,
#: tighter first, then looser (base.css sets 1.65 and 0.6em).
VARIANTS = (
    ":root { --leading: 1.58; } p { margin-block-end: 0.5em; }",
    ":root { --leading: 1.52; } p { margin-block-end: 0.4em; }",
    ":root { --leading: 1.75; } p { margin-block-end: 0.75em; }",
)


@dataclass(frozen=True)
class Fit:
    """What a document kind's last page aims at, the spacing variants tried to reach it, and
    the most pages the kind may take (None: no limit)."""

    aim: float
    variants: tuple[str, ...]
    most_pages: int | None = None


#: A fact sheet is one sheet: a second page holds at least a third (README, "Fact sheet"). Its
#: variants also take in the gaps and paddings between its blocks (factsheet.css sets 1.5, 4 mm,
#: 4 mm; 1.45, 3 mm, 3 mm on A5), and override the paper's own values (`:root:root`).
FITS = {
    "factsheet": Fit(1 / 3, (
        ":root:root { --leading: 1.38; --gap: 2.5mm; --pad: 2.5mm; }",
        ":root:root { --leading: 1.3; --gap: 2mm; --pad: 2mm; } p { margin-block-end: 0.3em; }",
        ":root:root { --leading: 1.65; --gap: 5mm; --pad: 5mm; }",
        ":root:root { --leading: 1.8; --gap: 6mm; --pad: 6mm; }",
    ), most_pages=2),
}
DEFAULT_FIT = Fit(MIN_FILL, VARIANTS)


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


def fit_last_page(document: Any, render: Callable[[str], Any], kind: str = "brief"
                  ) -> tuple[Any, str | None]:
    """`document`, or the layout `render` gives with a variant's stylesheet: the first whose last
    page is at least its kind's aim full or that has a page fewer; and a note when none is."""
    fit = FITS.get(kind, DEFAULT_FIT)
    fill = last_page_fill(document)
    if len(document.pages) < 2 or fill >= fit.aim:
        return document, None
    if fit.most_pages is not None and len(document.pages) > fit.most_pages + 1:
        return document, None  # no spacing variant takes a page and more away: too_many_pages says so
    for variant in fit.variants:
        candidate = render(variant)
        if len(candidate.pages) < len(document.pages) or last_page_fill(candidate) >= fit.aim:
            return candidate, None
    return document, (f"the last page is {fill:.0%} full, under the {fit.aim:.0%} aimed at, and no "
                      "spacing within the allowed range changes that; shorten or lengthen the text")


def too_many_pages(document: Any, kind: str) -> str | None:
    """Why `document`, laid out and fitted, takes more pages than its kind may (a fact sheet is
    one sheet: one page, or two), or None."""
    most = FITS.get(kind, DEFAULT_FIT).most_pages
    if most is None or len(document.pages) <= most:
        return None
    return f"it takes {len(document.pages)} pages; a {kind.replace('factsheet', 'fact sheet')} " \
           f"is one sheet, of at most {most} pages"
