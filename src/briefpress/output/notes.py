"""Give each /Note structure element the unique /ID PDF/UA-1 asks of a note (7.9)."""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf


def identify_notes(pdf: pikepdf.Pdf) -> int:
    """Set /ID `note-1`, `note-2`, ... on the /Note elements in reading order; return the count."""
    root = pdf.Root.get("/StructTreeRoot")
    count = 0
    for count, note in enumerate(_notes(root.get("/K") if root is not None else None), start=1):
        note.ID = pikepdf.String(f"note-{count}")
    return count


def _notes(node: pikepdf.Object | None) -> Iterator[pikepdf.Dictionary]:
    if isinstance(node, pikepdf.Array):
        for child in node:
            yield from _notes(child)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        if node.S == "/Note":
            yield node
        yield from _notes(node.get("/K"))
