"""Outline (bookmark) titles as metadata: the heading's text without the controls layout adds.

WeasyPrint takes a bookmark's title from the heading as laid out, with the isolates, word
joiners and URL breaks that keep its lines right; a reader's bookmarks panel shows and
searches plain text, so each title is written as `Localiser.plain` writes metadata.
"""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf

from ..text.bidi import strip_isolates
from ..text.breaks import unbind


def plain_outline(pdf: pikepdf.Pdf) -> int:
    """Rewrite every outline title without layout controls; return how many changed."""
    outlines = pdf.Root.get("/Outlines")
    changed = 0
    for item in _items(outlines.get("/First") if outlines is not None else None):
        title = str(item.get("/Title", ""))
        plain = strip_isolates(unbind(title))
        if plain != title:
            item.Title = pikepdf.String(plain)
            changed += 1
    return changed


def _items(item: pikepdf.Object | None) -> Iterator[pikepdf.Dictionary]:
    while isinstance(item, pikepdf.Dictionary):
        yield item
        yield from _items(item.get("/First"))
        item = item.get("/Next")
