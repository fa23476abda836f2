"""Map every glyph code of the embedded shipped fonts to the text its glyph stands for.

WeasyPrint gives a glyph the text of the cluster it first drew it in, so a glyph's text depends
on its neighbours: in a cluster of a ligature and a mark one glyph takes both and the other
none (IBM Plex's yeh-reh ligature with a shadda reads `يّر`, the shadda nothing), and a
bracket drawn mirrored in a right-to-left line takes the text of the other bracket. Here each
code gets the text the shipped font says its glyph draws, whatever its context
(`glyphtext`): the cmap's character, the character of the glyph it substitutes for, or its
ligature components.

A glyph standing for several right-to-left characters (a lam-alef, Plex's beh-reh) is then
split: readers take a code's text as one piece of the line in drawing order and reverse it
with the line (`لا` comes back `ال`), so no code may hold more than one such character. The
ligature's code keeps its outline and maps to its last character, and after it, in every show
string, come codes of glyphs that draw nothing (unused glyph ids that are empty in WeasyPrint's
subset, which keeps glyph ids: first those empty in the shipped font too), one per other
character, last to first, the ligature's advance shared among them in whole units, so every
glyph is drawn where it was.

Page content and form XObjects (a numbered copy's stamp) are rewritten alike; the font
programs are not touched.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont

from ..layout.fontidentity import identify
from ..layout.fonts import FontRegistry
from .glyphtext import GlyphTexts, glyph_texts

_ENTRY = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_SHOW = {"TJ", "Tj", "'", '"'}
_ARABIC_BLOCKS = ((0x0600, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_Instruction = pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage


def right_to_left(text: str) -> bool:
    """Whether `text` holds a right-to-left letter or an Arabic mark: text a reader reverses."""
    return any(unicodedata.bidirectional(char) in ("R", "AL")
               or (unicodedata.category(char) == "Mn"
                   and any(low <= ord(char) <= high for low, high in _ARABIC_BLOCKS))
               for char in text)


@dataclass
class _Font:
    """One embedded font: its dictionary, its codes as drawn, and what it becomes."""

    font: pikepdf.Dictionary
    used: set[int] = field(default_factory=set)
    parts: dict[int, list[int]] = field(default_factory=dict)  # a split code: the codes after it


def _identity_font(font: pikepdf.Object) -> pikepdf.Dictionary | None:
    """A Type 0 font whose two-byte codes are glyph ids of an embedded TrueType program."""
    if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") != "/Type0" \
            or font.get("/Encoding") != "/Identity-H":
        return None
    descendants = font.get("/DescendantFonts")
    if not isinstance(descendants, pikepdf.Array) or len(descendants) != 1:
        return None
    descendant = descendants[0]
    if descendant.get("/Subtype") != "/CIDFontType2" \
            or descendant.get("/CIDToGIDMap", pikepdf.Name.Identity) != "/Identity":
        return None
    descriptor = descendant.get("/FontDescriptor")
    if not isinstance(descriptor, pikepdf.Dictionary) or "/FontFile2" not in descriptor:
        return None
    return font


def _streams(pdf: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Object, pikepdf.Object]]:
    """Every page and form XObject reachable from the pages, with its resources, once each."""
    seen: set[tuple[int, int]] = set()

    def forms(resources: pikepdf.Object) -> Iterator[tuple[pikepdf.Object, pikepdf.Object]]:
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(xobjects, pikepdf.Dictionary):
            return
        for _, xobject in sorted(xobjects.items()):
            if not isinstance(xobject, pikepdf.Stream) or xobject.get("/Subtype") != "/Form" \
                    or xobject.objgen in seen:
                continue
            seen.add(xobject.objgen)
            own = xobject.get("/Resources", resources)
            yield xobject, own
            yield from forms(own)

    for page in pdf.pages:
        resources = page.obj.get("/Resources", pikepdf.Dictionary())
        yield page.obj, resources
        yield from forms(resources)


def _codes(string: pikepdf.Object) -> list[int]:
    raw = bytes(string)
    return [int.from_bytes(raw[index:index + 2], "big") for index in range(0, len(raw) - 1, 2)]


def _shown(instruction: _Instruction) -> list[pikepdf.Object]:
    """The strings a show operator draws."""
    operands = list(instruction.operands)
    if str(instruction.operator) == "TJ":
        return [item for item in operands[0] if isinstance(item, pikepdf.String)] if operands else []
    return [operands[-1]] if operands and isinstance(operands[-1], pikepdf.String) else []


def _walk(instructions: list[_Instruction], fonts: pikepdf.Object | None
          ) -> Iterator[tuple[int, pikepdf.Dictionary | None]]:
    """Each show operator's index with the font it draws in (q and Q save and restore it)."""
    current: pikepdf.Dictionary | None = None
    saved: list[pikepdf.Dictionary | None] = []
    for index, instruction in enumerate(instructions):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operator = str(instruction.operator)
        if operator == "q":
            saved.append(current)
        elif operator == "Q" and saved:
            current = saved.pop()
        elif operator == "Tf" and instruction.operands:
            font = fonts.get(str(instruction.operands[0])) if isinstance(fonts, pikepdf.Dictionary) else None
            current = font if isinstance(font, pikepdf.Dictionary) else None
        elif operator in _SHOW:
            yield index, current


def _widths(descendant: pikepdf.Object) -> dict[int, int | float]:
    widths: dict[int, int | float] = {}
    array = list(descendant.get("/W", pikepdf.Array()))
    index = 0
    while index + 1 < len(array):
        first, second = int(array[index]), array[index + 1]
        if isinstance(second, pikepdf.Array):
            for offset, width in enumerate(second):
                widths[first + offset] = _number(width)
            index += 2
        elif index + 2 < len(array):
            for code in range(first, int(second) + 1):
                widths[code] = _number(array[index + 2])
            index += 3
        else:
            break
    return widths


def _number(value: pikepdf.Object) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def _width_array(widths: dict[int, int | float]) -> pikepdf.Array:
    """A /W array: runs of consecutive codes, each with its widths."""
    array: list[object] = []
    run: list[int | float] = []
    start = previous = -2
    for code in sorted(widths):
        if code != previous + 1 and run:
            array += [start, pikepdf.Array(run)]
            run = []
        if not run:
            start = code
        run.append(widths[code])
        previous = code
    if run:
        array += [start, pikepdf.Array(run)]
    return pikepdf.Array(array)


def _old_entries(font: pikepdf.Dictionary) -> dict[int, str]:
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return {}
    return {int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
            for code, text in _ENTRY.findall(stream.read_bytes())}


def cmap_stream(entries: dict[int, str]) -> bytes:
    """A ToUnicode CMap of two-byte codes, one bfchar entry each."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(entries.items())
    for start in range(0, len(items), 100):
        chunk = items[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar".encode())
        lines += [f"<{code:04x}> <{text.encode('utf-16-be').hex()}>".encode() for code, text in chunk]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines) + b"\n"


def _text(code: int, texts: GlyphTexts, old: dict[int, str]) -> str | None:
    """The code's text: its glyph's own; where the cmap gives the glyph several characters (a
    space and a no-break space), the one WeasyPrint chose, when it is one of them."""
    if old.get(code) in texts.characters.get(code, ()):
        return old[code]
    return texts.text.get(code) or None


def _empty_glyphs(program: bytes, taken: set[int], shipped: Path) -> Iterator[int]:
    """Glyph ids that draw nothing in the embedded program and that no code uses: first those
    that draw nothing in the shipped font either (.null, zero-width spaces), then the rest,
    lowest first."""
    with TTFont(io.BytesIO(program), lazy=True) as font:
        if "glyf" not in font:
            return
        order, glyf = font.getGlyphOrder(), font["glyf"]
        empty = [gid for gid in range(1, len(order))
                 if gid not in taken and glyf[order[gid]].numberOfContours == 0]
    blank = blank_glyphs(shipped)
    yield from sorted(empty, key=lambda gid: (gid not in blank, gid))


@cache
def blank_glyphs(path: Path) -> frozenset[int]:
    """Glyph ids that draw nothing in a shipped font."""
    with TTFont(str(path), lazy=True) as font:
        glyf = font.get("glyf")
        return frozenset(gid for gid, name in enumerate(font.getGlyphOrder())
                         if glyf is not None and glyf[name].numberOfContours == 0)


def _map_font(pdf: pikepdf.Pdf, entry: _Font, registry: FontRegistry) -> None:
    """Write the font's new ToUnicode (and /W, when a code is split); note the split codes."""
    descendant = entry.font.DescendantFonts[0]
    program = descendant.FontDescriptor.FontFile2.read_bytes()
    shipped = identify(program, registry)
    if shipped is None:
        return
    texts = glyph_texts(shipped.path)
    old = _old_entries(entry.font)
    widths = _widths(descendant)
    entries = {code: text for code in sorted(entry.used) if (text := _text(code, texts, old)) is not None}
    split = {code: text for code, text in entries.items() if len(text) > 1 and right_to_left(text)}
    if split:
        free = _empty_glyphs(program, entry.used | set(widths) | set(old), shipped.path)
        default_width = descendant.get("/DW")
        default = 1000 if default_width is None else _number(default_width)
        for code, text in split.items():
            parts = [next(free, None) for _ in text[:-1]]
            if None in parts:
                break
            width = widths.get(code, default)
            share = int(width // len(text)) if isinstance(width, int) else width / len(text)
            widths[code] = width - share * len(parts)
            entries[code] = text[-1]
            entry.parts[code] = []
            for part, char in zip(parts, reversed(text[:-1]), strict=True):
                assert part is not None
                widths[part] = share
                entries[part] = char
                entry.parts[code].append(part)
        descendant.W = _width_array(widths)
    entry.font.ToUnicode = pdf.make_stream(cmap_stream(entries))


def _split_strings(instruction: pikepdf.ContentStreamInstruction, parts: dict[int, list[int]]
                   ) -> pikepdf.ContentStreamInstruction:
    """The show operator with each split code followed by its parts' codes."""

    def spread(string: pikepdf.Object) -> pikepdf.Object:
        if not isinstance(string, pikepdf.String):
            return string
        codes = _codes(string)
        if not any(code in parts for code in codes):
            return string
        out = b"".join(code.to_bytes(2, "big") + b"".join(part.to_bytes(2, "big")
                                                          for part in parts.get(code, ()))
                       for code in codes)
        return pikepdf.String(out)

    operands = list(instruction.operands)
    if str(instruction.operator) == "TJ":
        operands[0] = pikepdf.Array([spread(item) for item in operands[0]])
    else:
        operands[-1] = spread(operands[-1])
    return pikepdf.ContentStreamInstruction(operands, instruction.operator)


def map_glyph_text(pdf: pikepdf.Pdf, registry: FontRegistry) -> None:
    """Give every code of every embedded shipped font its glyph's own text, one right-to-left
    character per code (see the module's docstring)."""
    parsed = []
    fonts: dict[tuple[int, int], _Font] = {}
    for owner, resources in _streams(pdf):
        instructions = list(pikepdf.parse_content_stream(owner))
        shows = []
        for index, font in _walk(instructions, resources.get("/Font")):
            if font is None or _identity_font(font) is None:
                continue
            entry = fonts.setdefault(font.objgen, _Font(font))
            for string in _shown(instructions[index]):
                entry.used.update(_codes(string))
            shows.append((index, entry))
        parsed.append((owner, instructions, shows))
    for entry in fonts.values():
        _map_font(pdf, entry, registry)
    for owner, instructions, shows in parsed:
        changed = False
        for index, entry in shows:
            instruction = instructions[index]
            if entry.parts and isinstance(instruction, pikepdf.ContentStreamInstruction) \
                    and any(code in entry.parts for string in _shown(instruction) for code in _codes(string)):
                instructions[index] = _split_strings(instruction, entry.parts)
                changed = True
        if changed:
            data = pikepdf.unparse_content_stream(instructions)
            if isinstance(owner, pikepdf.Stream):
                owner.write(data)
            else:
                owner.Contents = pdf.make_stream(data)
