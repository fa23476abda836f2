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

import io
from dataclasses import dataclass, field
from decimal import Decimal

import pikepdf
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

from ..fonts.glyf import outlined_glyphs
from ..fonts.identity import identify
from ..fonts.registry import FontRegistry
from .pdftext import (
    Instruction,
    ParsedContent,
    cmap_stream,
    codes,
    empty_glyphs,
    identity_font,
    parsed_contents,
    read_to_unicode,
    read_widths,
    width_array,
    write_contents,
)

_Moved = tuple[int, int, int]  # a glyph code and its offset (dx, dy) in font units
_READ = {"q", "Q", "Tf", "TJ", "Tj", "Ts"}  # the operators `_find` follows


@dataclass
class _Font:
    """One embedded font: the codes it draws and the moved copies its raised glyphs need."""

    font: pikepdf.Dictionary
    units_per_em: int
    used: set[int] = field(default_factory=set)
    wanted: set[_Moved] = field(default_factory=set)
    moved: dict[_Moved, int] = field(default_factory=dict)  # -> the copy's code
    outlined: set[int] = field(default_factory=set)  # codes whose glyph draws something


@dataclass(frozen=True)
class _Raise:
    """`r Ts [shift <glyph>] TJ 0 Ts` at `index` (the first Ts), and the copy it needs."""

    index: int
    font: _Font
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


def _units_per_em(font: pikepdf.Dictionary) -> int:
    program = font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
    with TTFont(io.BytesIO(program), lazy=True) as parsed:
        return int(parsed["head"].unitsPerEm)


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


def _find(content: ParsedContent, fonts: dict[tuple[int, int], _Font | None]) -> list[_Raise]:
    """Every raised glyph of a stream drawn in an embedded TrueType font, at rise 0 before;
    `fonts` keeps each font met, None for one that is not such a font."""
    found: list[_Raise] = []
    resources = content.resources
    names = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
    current: _Font | None = None
    size, rise = 0.0, 0.0
    saved: list[tuple[_Font | None, float, float]] = []
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
                    fonts[named.objgen] = None if font is None else _Font(font, _units_per_em(font))
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


def _outlined(program: bytes) -> set[int]:
    with TTFont(io.BytesIO(program), lazy=True) as parsed:
        return set(outlined_glyphs(parsed))


def _move_glyphs(pdf: pikepdf.Pdf, entry: _Font, registry: FontRegistry) -> None:
    """Add a moved copy of each raised glyph to the font program, with its width and text."""
    descendant = entry.font.DescendantFonts[0]
    descriptor = descendant.FontDescriptor
    program = descriptor.FontFile2.read_bytes()
    shipped = identify(program, registry)
    if shipped is None:
        return
    widths = read_widths(descendant)
    texts = read_to_unicode(entry.font)
    free = empty_glyphs(program, entry.used | set(widths) | set(texts), shipped.path)
    entry.outlined = _outlined(program)
    # Reproducible bytes; every other glyph kept as stored, not unpacked to recount the bounds.
    with TTFont(io.BytesIO(program), recalcTimestamp=False, recalcBBoxes=False) as parsed:
        order, glyf, hmtx = parsed.getGlyphOrder(), parsed["glyf"], parsed["hmtx"]
        for code, dx, dy in sorted(entry.wanted):
            gid = next(free, None) if code in entry.outlined else None
            if gid is None:
                continue
            component = GlyphComponent()
            component.glyphName, component.x, component.y, component.flags = order[code], dx, dy, 0
            glyph = Glyph()
            glyph.numberOfContours, glyph.components = -1, [component]
            glyph.recalcBounds(glyf)
            _widen_limits(parsed, glyph, glyf)
            glyf[order[gid]] = glyph
            hmtx[order[gid]] = (hmtx[order[code]][0], glyph.xMin)
            entry.moved[(code, dx, dy)] = gid
            if code in widths:
                widths[gid] = widths[code]
            if code in texts:
                texts[gid] = texts[code]
        if not entry.moved:
            return
        out = io.BytesIO()
        parsed.save(out)
    descriptor.FontFile2.write(out.getvalue())
    descriptor.FontFile2.Length1 = len(out.getvalue())
    descendant.W = width_array(widths)
    entry.font.ToUnicode = pdf.make_stream(cmap_stream(texts))


def _widen_limits(font: TTFont, glyph: Glyph, glyf: object) -> None:
    """Widen what `maxp` and `head` say of all glyphs (composite sizes, the font's bounds) to
    a new composite, as recounting every glyph on saving would."""
    points, contours, depth = glyph.getCompositeMaxpValues(glyf)
    maxp, head = font["maxp"], font["head"]
    maxp.maxCompositePoints = max(maxp.maxCompositePoints, points)
    maxp.maxCompositeContours = max(maxp.maxCompositeContours, contours)
    maxp.maxComponentElements = max(maxp.maxComponentElements, len(glyph.components))
    maxp.maxComponentDepth = max(maxp.maxComponentDepth, depth)
    head.xMin, head.yMin = min(head.xMin, glyph.xMin), min(head.yMin, glyph.yMin)
    head.xMax, head.yMax = max(head.xMax, glyph.xMax), max(head.yMax, glyph.yMax)


def _moved_items(instruction: Instruction, raised: _Raise) -> list[pikepdf.Object] | None:
    """The raised show string with each glyph that draws something replaced by its moved copy,
    then the sideways shift; None when a copy is missing."""
    font = raised.font
    out = b""
    for string in _strings(instruction):
        for code in codes(string):
            if code in font.outlined:
                if (code, raised.dx, raised.dy) not in font.moved:
                    return None
                code = font.moved[(code, raised.dx, raised.dy)]
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


def drop_rises(pdf: pikepdf.Pdf, registry: FontRegistry, contents: list[ParsedContent] | None = None) -> None:
    """Draw each glyph WeasyPrint raised or lowered with a text rise on the baseline, as a moved
    copy of itself (see the module's docstring). Run after `tounicode`, whose glyph texts the
    copies take. With `contents` (`parsed_contents`), the streams are changed there and the
    caller writes them back; without, here."""
    own = contents is None
    parsed = parsed_contents(pdf) if contents is None else contents
    fonts: dict[tuple[int, int], _Font | None] = {}
    found = []
    for content in parsed:
        raises = _find(content, fonts)
        for raised in raises:
            raised.font.wanted.update((code, raised.dx, raised.dy)
                                      for string in _strings(content.instructions[raised.index + 1])
                                      for code in codes(string))
        found.append(raises)
    for entry in fonts.values():
        if entry is not None and entry.wanted:
            _move_glyphs(pdf, entry, registry)
    for content, raises in zip(parsed, found, strict=True):
        rewritten = _rewrite(content, raises) if raises else None
        if rewritten is not None:
            content.replace(rewritten)
    if own:
        write_contents(pdf, parsed)
