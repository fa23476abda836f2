"""Draw every glyph on its line's baseline: a raised mark becomes a moved copy of its glyph.

WeasyPrint draws a glyph that the font positions above or below the others (a tanween or a
shadda placed on its letter by GPOS) in a show string of its own under a text rise (`Ts`),
shifted sideways by a number before it: `r Ts [-x <mark>] TJ 0 Ts`. Readers take the rise for a
new baseline and the shift for a gap: pdfium ends the line there (a word on a line, its
tanween on the next) or copies the mark as a word of its own, poppler sets it apart
(`غي ّرت`). Here each such glyph is drawn instead as a glyph of its own that is its outline
moved by the offset and the rise: a composite of one component, the glyph itself, at (dx, dy)
font units, in an unused glyph id of the embedded subset (one that draws nothing), with the
glyph's advance, width and text. It joins the show strings around it, with no rise and the
sideways shift after it instead of before, so every glyph of the line is in one string on one
baseline and the next glyph is where it was. The page draws as before to within the rounding of
the offsets to whole font units (a thousandth of a point at text sizes).

`fonts.identity` accepts such a glyph as the shipped glyph it is made of.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pikepdf

from ..fonts.registry import FontRegistry
from .glyphcopies import CopiedFont, GlyphCopies
from .pdftext import Instruction, ParsedContent, codes, identity_font, parsed_contents, write_contents

_READ = {"q", "Q", "Tf", "TJ", "Tj", "Ts"}  # the operators `_find` follows


@dataclass(frozen=True)
class _Raise:
    """`r Ts [shift <glyph>] TJ 0 Ts` at `index` (the first Ts), and the copy it needs."""

    index: int
    font: CopiedFont
    shift: Decimal  # the TJ number before the glyph, 0 when none
    dx: int
    dy: int


def _operator(instruction: Instruction) -> str:
    return "" if isinstance(instruction, pikepdf.ContentStreamInlineImage) else str(instruction.operator)


def _operands(instruction: Instruction) -> list[pikepdf.Object]:
    return [] if isinstance(instruction, pikepdf.ContentStreamInlineImage) else list(instruction.operands)


def _items(instruction: Instruction) -> list[pikepdf.Object]:
    """What a TJ or Tj shows, as TJ array items."""
    operands = _operands(instruction)
    if not operands:
        return []
    return list(operands[0]) if _operator(instruction) == "TJ" else [operands[-1]]


def _strings(instruction: Instruction) -> list[pikepdf.Object]:
    return [item for item in _items(instruction) if isinstance(item, pikepdf.String)]


def _show(items: list[pikepdf.Object]) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction([pikepdf.Array(items)], pikepdf.Operator("TJ"))


def _decimal(value: pikepdf.Object) -> Decimal:
    return Decimal(str(value))


def _number(value: Decimal) -> pikepdf.Object:
    return pikepdf.Array([value])[0]


def _raised(content: ParsedContent, index: int) -> Decimal | None:
    """The sideways shift of `r Ts [shift <glyphs>] TJ 0 Ts` at `index`, or None for any other
    use of a rise."""
    follows = content.instructions[index + 1:index + 3]
    if content.operators[index + 1:index + 3] not in (["TJ", "Ts"], ["Tj", "Ts"]) \
            or [float(value) for value in _operands(follows[1])] != [0.0]:
        return None
    items = _items(follows[0])
    shift = Decimal(0)
    if items and not isinstance(items[0], pikepdf.String):
        shift, items = _decimal(items[0]), items[1:]
    return shift if items and all(isinstance(item, pikepdf.String) for item in items) else None


def _find(content: ParsedContent, fonts: dict[tuple[int, int], CopiedFont | None],
          copies: GlyphCopies) -> list[_Raise]:
    """Every raised glyph of a stream drawn in an embedded TrueType font, at rise 0 before;
    `fonts` keeps each font met, None for one that is not such a font."""
    found: list[_Raise] = []
    resources = content.resources
    names = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
    current: CopiedFont | None = None
    size, rise = 0.0, 0.0
    saved: list[tuple[CopiedFont | None, float, float]] = []
    for index, operator in enumerate(content.operators):
        if operator not in _READ:
            continue
        instruction = content.instructions[index]
        operands = _operands(instruction)
        if operator == "q":
            saved.append((current, size, rise))
        elif operator == "Q" and saved:
            current, size, rise = saved.pop()
        elif operator == "Tf" and len(operands) == 2:
            named = names.get(str(operands[0])) if isinstance(names, pikepdf.Dictionary) else None
            size, current = float(operands[1]), None
            if named is not None:
                if named.objgen not in fonts:
                    font = identity_font(named)
                    fonts[named.objgen] = None if font is None else copies.font(font)
                current = fonts[named.objgen]
        elif operator in ("TJ", "Tj") and current is not None:
            current.used.update(code for string in _strings(instruction) for code in codes(string))
        elif operator == "Ts" and len(operands) == 1:
            value = float(operands[0])
            shift = _raised(content, index) if value and not rise else None
            if shift is not None and current is not None and size:
                em = current.units_per_em
                found.append(_Raise(index, current, shift, round(-float(shift) * em / 1000),
                                    round(value * em / size)))
            rise = value
    return found


def _moved_items(instruction: Instruction, raised: _Raise) -> list[pikepdf.Object] | None:
    """The raised show string with each glyph that draws something replaced by its moved copy,
    then the sideways shift; None when a copy cannot be made (a font not shipped, no glyph id
    left)."""
    font = raised.font
    if not font.shipped:
        return None
    out = b""
    for string in _strings(instruction):
        for code in codes(string):
            if font.draws(code):
                moved = font.copy(code, raised.dx, raised.dy)
                if moved is None:
                    return None
                code = moved
            out += code.to_bytes(2, "big")
    return [pikepdf.String(out)] + ([_number(raised.shift)] if raised.shift else [])


def _join(items: list[pikepdf.Object], following: list[pikepdf.Object]) -> list[pikepdf.Object]:
    """Two TJ arrays as one; a number ending the first and one starting the second (after
    WeasyPrint's empty string) add up."""
    if items and following and not isinstance(items[-1], pikepdf.String):
        rest = following[1:] if isinstance(following[0], pikepdf.String) and not bytes(following[0]) \
            else following
        if rest and not isinstance(rest[0], pikepdf.String):
            total = _decimal(items[-1]) + _decimal(rest[0])
            return items[:-1] + ([_number(total)] if total else []) + rest[1:]
    return items + following


def _rewrite(content: ParsedContent, raises: list[_Raise]) -> list[Instruction] | None:
    """The stream with each raised glyph moved onto the baseline inside the show strings around
    it; None when nothing moved."""
    instructions, operators = content.instructions, content.operators
    moved = {raised.index: items for raised in raises
             if (items := _moved_items(instructions[raised.index + 1], raised)) is not None}
    if not moved:
        return None
    out: list[Instruction] = []
    joinable = False  # whether out[-1] is a TJ drawn right before the instruction at `index`
    index = 0
    while index < len(instructions):
        if index not in moved:
            out.append(instructions[index])
            joinable = operators[index] == "TJ"
            index += 1
            continue
        items = moved[index]
        if joinable:
            items = _join(_items(out.pop()), items)
        index += 3
        if index < len(instructions) and operators[index] == "TJ":
            items = _join(items, _items(instructions[index]))
            index += 1
        out.append(_show(items))
        joinable = True
    return out


def drop_rises(pdf: pikepdf.Pdf, registry: FontRegistry, contents: list[ParsedContent] | None = None,
               copies: GlyphCopies | None = None) -> None:
    """Draw each glyph WeasyPrint raised or lowered with a text rise on the baseline, as a moved
    copy of itself (see the module's docstring). Run after `tounicode`, whose glyph texts the
    copies take. With `contents` (`parsed_contents`), the streams are changed there and the
    caller writes them back; without, here. With `copies`, the copies are made there and the
    caller writes them into the fonts; without, here."""
    parsed = parsed_contents(pdf) if contents is None else contents
    made = GlyphCopies(registry) if copies is None else copies
    fonts: dict[tuple[int, int], CopiedFont | None] = {}
    found = [_find(content, fonts, made) for content in parsed]  # every code used, before any copy
    for content, raises in zip(parsed, found, strict=True):
        rewritten = _rewrite(content, raises) if raises else None
        if rewritten is not None:
            content.replace(rewritten)
    if copies is None:
        made.write(pdf)
    if contents is None:
        write_contents(pdf, parsed)
