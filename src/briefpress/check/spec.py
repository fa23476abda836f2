"""Read every /ActualText string of a PDF back, and check it is logical text of its source.

An /ActualText string replaces, for text extraction, what the marked content (or structure
element) it sits on draws; the PDF specification makes it Unicode text in logical order. A
string in visual order (the typed text reversed), or holding a noncharacter such as U+FFFE
(which one reader drops), is written for a reader, not by the specification.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from .textlayer import fold_digits, normalise

ACTUAL_TEXT = pikepdf.Name("/ActualText")


@dataclass(frozen=True)
class ActualText:
    """One /ActualText string and where it is: `content` (a page's or form's marked content) or
    `structure` (a structure element)."""

    where: str
    page: int | None
    text: str


def _content(stream: pikepdf.Object) -> Iterator[str]:
    for instruction in pikepdf.parse_content_stream(stream):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage) or str(instruction.operator) != "BDC":
            continue
        properties = instruction.operands[1] if len(instruction.operands) > 1 else None
        if isinstance(properties, pikepdf.Dictionary) and ACTUAL_TEXT in properties:
            yield str(properties[ACTUAL_TEXT])


def _resources_forms(resources: pikepdf.Object | None, seen: set[tuple[int, int]]
                     ) -> Iterator[pikepdf.Stream]:
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    if not isinstance(xobjects, pikepdf.Dictionary):
        return
    for _, xobject in sorted(xobjects.items()):
        if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form" \
                and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            yield xobject
            yield from _resources_forms(xobject.get("/Resources"), seen)


def actual_texts(pdf: pikepdf.Pdf) -> list[ActualText]:
    """Every /ActualText of the pages' content, their form XObjects and the structure tree."""
    found: list[ActualText] = []
    seen: set[tuple[int, int]] = set()
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    for number, page in enumerate(pdf.pages, start=1):
        found += [ActualText("content", number, text) for text in _content(page.obj)]
        for form in _resources_forms(page.obj.get("/Resources"), seen):
            found += [ActualText("content", number, text) for text in _content(form)]
    tree = pdf.Root.get("/StructTreeRoot")
    stack = [tree] if tree is not None else []
    visited: set[tuple[int, int]] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack += list(node)
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in visited:
                continue
            visited.add(node.objgen)
        if ACTUAL_TEXT in node:
            on = node.get("/Pg")
            found.append(ActualText("structure", pages.get(on.objgen) if on is not None else None,
                                    str(node[ACTUAL_TEXT])))
        kids = node.get("/K")
        if kids is not None and node.get("/Type") != "/MCR":
            stack.append(kids)
    return found


def comparable(text: str) -> str:
    """Text as the check compares it: digits folded, NFKC, no bidi controls, spaces folded."""
    return normalise(fold_digits(text))


def _noncharacter(char: str) -> bool:
    """A noncharacter (U+FFFE, U+FDD0 ...), an unassigned code point or a private-use one."""
    code = ord(char)
    return unicodedata.category(char) in ("Cn", "Co") or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def problems(found: list[ActualText], source: str | None) -> list[str]:
    """Why each string is not logical text: a noncharacter in it, or, given the text the PDF
    should hold (its source and the chrome it prints), not a piece of that text."""
    wanted = comparable(source) if source is not None else None
    out = []
    for item in found:
        place = f"page {item.page}: " if item.page else ""
        label = f"{place}/ActualText {item.text!r} ({item.where})"
        odd = [f"U+{ord(c):04X}" for c in item.text if _noncharacter(c)]
        if odd:
            out.append(f"{label}: holds {', '.join(odd)}, which is no character")
            continue
        text = comparable(item.text)
        if wanted is None or not text or text in wanted:
            continue
        reversed_text = comparable(item.text[::-1])
        why = "the source's text in visual order, not logical" if reversed_text and reversed_text in wanted \
            else "not text of the source"
        out.append(f"{label}: {why}")
    return out


def read_actual_texts(path: Path) -> list[ActualText]:
    with pikepdf.open(path) as pdf:
        return actual_texts(pdf)
