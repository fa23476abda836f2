"""Give each Arabic mark a box of its own in the text layer, inside its letter's.

A font gives a haraka no advance, so WeasyPrint draws it where its letter starts (after
`rises`, as a moved copy), or moves the pen to it and back with numbers of the show string
(`[224 <damma> -224] <yeh>`). Readers build words from where each character starts and ends,
and both forms cost words:

- a character that starts where the one before it started, with no width, reads as the same
  text drawn twice: poppler ends the word there, and copies `ح ّد َد` for `حدَّد`;
- a pen move inside a word reads as a space: pdfium copies `ي ستورد` for `يُستورد`.

So, in a show string, the marks drawn before their letter (one or two; in drawing order a
right-to-left letter comes after its marks) become copies of their glyphs with a box of their
own, and the letter a copy of itself:

- the mark next to the letter starts where the letter started, and is an eighth of an em wide
  (at most half the letter's advance, and at most what leaves the letter an eighth of an em:
  MuPDF took the narrow second lam of «اللَّهُ», a tenth of an em from the first, for one lam
  drawn twice, and copied «ا لَّهُ»);
- the letter starts after it, its outline moved back by that much, with the rest of its
  advance;
- a second mark's eighth of an em lies just before the letter's box.

A ligature that `tounicode` split is drawn as its last letter, then a part that draws nothing
for each other letter; marks drawn over a part's box (Plex's yeh-reh with a shadda on the yeh,
`تغيَّر`) belong to that letter, so they come after the ligature, as the part's cluster: before,
every reader copied them onto the ligature's last letter (`تغيرَّ`).

No pen move is left inside the cluster, every character starts on its own, and each glyph is
drawn where it was (to within the rounding of the offsets to whole font units), so the page
and the next glyph's place do not change. An eighth of an em is well under a word space, so a
reader that does not advance over marks (MuPDF) sees no gap. Show strings under character
spacing (`Tc`), which adds to every glyph's advance, are left as they are, and so are the
clusters of three marks or more: no box of theirs fits between the letter's neighbours.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

import pikepdf

from ..fonts.registry import FontRegistry
from .glyphcopies import CopiedFont, GlyphCopies
from .pdftext import (
    Instruction,
    ParsedContent,
    codes,
    identity_font,
    parsed_contents,
    show_operators,
    shown_strings,
    write_contents,
)
from .tounicode import right_to_left

_SLICE = Fraction(1, 8)  # of an em: a mark's box
_ARABIC = ((0x0600, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_Item = int | Fraction  # a glyph code, or a number of a TJ array


@dataclass(frozen=True)
class _Show:
    """A show operator at `index` of a stream, drawn in `font` with no character spacing."""

    content: ParsedContent
    index: int
    font: CopiedFont


def _shows(content: ParsedContent, copies: GlyphCopies) -> Iterator[_Show]:
    """Each TJ or Tj drawn in an embedded TrueType font of identity codes with no `Tc`."""
    for index, font, spacing in show_operators(content):
        identity = identity_font(font) if font is not None and not spacing \
            and content.operators[index] in ("TJ", "Tj") else None
        if identity is not None:
            yield _Show(content, index, copies.font(identity))


def _items(instruction: Instruction) -> list[_Item]:
    operands = list(instruction.operands)
    if not operands:
        return []
    shown = list(operands[0]) if str(instruction.operator) == "TJ" else [operands[-1]]
    items: list[_Item] = []
    for item in shown:
        if isinstance(item, pikepdf.String):
            items += codes(item)
        else:
            items.append(Fraction(str(item)))
    return items


def _instruction(items: list[_Item]) -> pikepdf.ContentStreamInstruction:
    """A TJ drawing `items`: runs of codes as one string each, numbers in between."""
    array: list[pikepdf.Object] = []
    run = b""
    for item in items:
        if isinstance(item, int):
            run += item.to_bytes(2, "big")
            continue
        if run:
            array.append(pikepdf.String(run))
            run = b""
        array.append(pikepdf.Array([_number(item)])[0])
    if run:
        array.append(pikepdf.String(run))
    return pikepdf.ContentStreamInstruction([pikepdf.Array(array)], pikepdf.Operator("TJ"))


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else round(float(value), 4)


def _is_mark(text: str | None) -> bool:
    return text is not None and len(text) == 1 and unicodedata.category(text) == "Mn" \
        and any(low <= ord(text) <= high for low, high in _ARABIC)


def _is_letter(font: CopiedFont, code: int) -> bool:
    text = font.text(code)
    return text is not None and right_to_left(text) and not _is_mark(text) and font.draws(code)


def _cluster(items: list[_Item], start: int, font: CopiedFont) -> tuple[list[int], int] | None:
    """The marks from `start` on and the letter after them, as item indices; None when they are
    not one or two marks, then a right-to-left letter that draws."""
    marks, index = [], start
    while index < len(items):
        item = items[index]
        if isinstance(item, int):
            if not _is_mark(font.text(item)):
                break
            marks.append(index)
        index += 1
    if not 1 <= len(marks) <= 2 or index == len(items) or not _is_letter(font, int(items[index])):
        return None
    return marks, index


def _over_part(items: list[_Item], pens: list[Fraction], found: tuple[list[int], int],
               font: CopiedFont) -> int | None:
    """When the letter of `found` is a split ligature (`tounicode`: its parts, glyphs that draw
    nothing, right after it) and its marks are drawn over one of its parts' boxes, the index of
    that part; else None. A reader puts a mark after the text of the code drawn after it."""
    marks, letter = found
    per_unit = Fraction(1000, font.units_per_em)
    centres = set()  # of the marks that draw (a part of a ligature of marks draws nothing)
    for index in marks:
        ink = font.ink(int(items[index]))
        if ink is not None:
            centres.add(pens[index] + Fraction(sum(ink), 2) * per_unit)
    if not centres:
        return None
    part = letter + 1
    while part < len(items) and isinstance(items[part], int) and _is_part(font, int(items[part])):
        start = pens[part]
        if all(start <= centre < start + font.width(int(items[part])) for centre in centres):
            return part
        part += 1
    return None


def _is_part(font: CopiedFont, code: int) -> bool:
    """Whether the code draws nothing and stands for a right-to-left letter: a ligature's part."""
    text = font.text(code)
    return text is not None and right_to_left(text) and not _is_mark(text) and not font.draws(code)


def _spaced(items: list[_Item], font: CopiedFont) -> list[_Item] | None:
    """`items` with each cluster of marks and their letter laid out as the module's docstring
    says; None when no cluster changed."""
    pens = []  # where each item starts, in thousandths of the font size
    pen = Fraction(0)
    for item in items:
        pens.append(pen)
        pen += font.width(item) if isinstance(item, int) else -item
    per_unit = Fraction(1000, font.units_per_em)  # thousandths of the font size per font unit
    out: list[_Item] = []
    changed = False
    index = 0
    while index < len(items):
        item = items[index]
        if not isinstance(item, int) or not _is_mark(font.text(item)):
            out.append(item)
            index += 1
            continue
        found = _cluster(items, index, font)
        part = _over_part(items, pens, found, font) if found else None
        if found and part is not None:  # the ligature first, then the marks over its part
            found = (found[0], part)
        laid = _lay_out(items, pens, found, font, per_unit) if found else None
        if found is None or laid is None:  # the whole run of marks stays as drawn
            while index < len(items) and (not isinstance(items[index], int)
                                          or _is_mark(font.text(int(items[index])))):
                out.append(items[index])
                index += 1
            continue
        lead = 0
        while out and not isinstance(out[-1], int):  # the numbers that moved the pen to the marks
            out.pop()
            lead += 1
        first_pen, drawn = laid
        pen = pens[index - lead]
        if part is not None:
            ligature = range(found[0][-1] + 1, part)
            if pen != pens[ligature[0]]:
                out.append(pen - pens[ligature[0]])
            out += [items[item] for item in ligature]
            pen = pens[part]
        move = pen - first_pen
        out += ([move] if move else []) + drawn
        index = found[1] + 1
        changed = True
    return out if changed else None


def _lay_out(items: list[_Item], pens: list[Fraction], found: tuple[list[int], int], font: CopiedFont,
             per_unit: Fraction) -> tuple[Fraction, list[_Item]] | None:
    """Where the cluster's first glyph now starts, and its codes; None when a copy cannot be made."""
    marks, letter = found
    code, start = int(items[letter]), pens[letter]
    advance = font.width(code) / per_unit  # in font units
    em_slice = int(_SLICE * font.units_per_em)
    slice_ = min(em_slice, int(advance // 2), int(advance) - em_slice)
    if advance.denominator != 1 or slice_ <= 0:
        return None
    boxes = [(start, slice_)]  # (where it starts, its advance in font units), next to the letter first
    if len(marks) == 2:
        before = int(_SLICE * font.units_per_em)
        boxes.insert(0, (start - before * per_unit, before))
    drawn: list[_Item] = []
    for index, (pen, width) in zip(marks, boxes, strict=True):
        moved = font.copy(int(items[index]), round((pens[index] - pen) / per_unit), 0, width)
        if moved is None:
            return None
        drawn.append(moved)
    moved = font.copy(code, -slice_, 0, int(advance) - slice_)
    if moved is None:
        return None
    return boxes[0][0], [*drawn, moved]


def space_marks(pdf: pikepdf.Pdf, registry: FontRegistry, contents: list[ParsedContent] | None = None,
                copies: GlyphCopies | None = None) -> None:
    """Give each Arabic mark drawn before its letter a box of its own (see the module's
    docstring). Run after `tounicode`, whose glyph texts tell marks and letters, and after
    `rises`. With `contents`, the streams are changed there and the caller writes them back;
    with `copies`, the copies are made there and the caller writes them into the fonts."""
    parsed = parsed_contents(pdf) if contents is None else contents
    made = GlyphCopies(registry) if copies is None else copies
    shows = [(show, [code for string in shown_strings(show.content.instructions[show.index])
                     for code in codes(string)])
             for content in parsed for show in _shows(content, made)]
    for show, drawn in shows:  # every code used, before any copy
        show.font.used.update(drawn)
    marks: dict[int, frozenset[int]] = {}  # by font: the codes of Arabic marks
    for show, drawn in shows:
        font = show.font
        if id(font) not in marks:
            marks[id(font)] = frozenset(code for code, text in font.texts.items() if _is_mark(text)) \
                if font.shipped else frozenset()
        if marks[id(font)].isdisjoint(drawn):
            continue
        spaced = _spaced(_items(show.content.instructions[show.index]), font)
        if spaced is not None:
            show.content.instructions[show.index] = _instruction(spaced)
            show.content.changed = True
    if copies is None:
        made.write(pdf)
    if contents is None:
        write_contents(pdf, parsed)
