"""Give each bookmark its heading's text as typed, without the controls that only steer layout."""

from __future__ import annotations

import re

import pikepdf

# Isolates, marks, joiners and break opportunities the localiser adds for Pango (README, "Mixed
# runs"): a viewer shows a bookmark as plain text, where they only make it differ from the heading.
_LAYOUT_CONTROLS = re.compile("[\u200b\u200e\u200f\u061c\u2060\u2066-\u2069]")


def plain_outlines(pdf: pikepdf.Pdf) -> int:
    """Strip layout controls from every bookmark's /Title, in place; return how many changed."""
    outlines = pdf.Root.get("/Outlines")
    stack = [outlines.get("/First")] if isinstance(outlines, pikepdf.Dictionary) else []
    seen: set[tuple[int, int]] = set()
    changed = 0
    while stack:
        item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary) or (item.is_indirect and item.objgen in seen):
            continue
        if item.is_indirect:
            seen.add(item.objgen)
        title = str(item.get("/Title", ""))
        plain = _LAYOUT_CONTROLS.sub("", title)
        if plain != title:
            item.Title = pikepdf.String(plain)
            changed += 1
        stack += [item.get("/Next"), item.get("/First")]
    return changed
