"""The text parts of a PDF that WeasyPrint wrote: content streams, fonts, codes, widths, ToUnicode."""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont

from ..fonts.glyf import StoredGlyphs, contours

_ENTRY = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_SHOW = {"TJ", "Tj", "'", '"'}
Instruction = pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage


def identity_font(font: pikepdf.Object) -> pikepdf.Dictionary | None:
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


def content_streams(pdf: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Object, pikepdf.Object]]:
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


@dataclass
class ParsedContent:
    """A page's or form XObject's content stream, parsed once for every pass that reads or
    rewrites its text (`tounicode`, `rises`), with each instruction's operator named."""

    owner: pikepdf.Object
    resources: pikepdf.Object
    instructions: list[Instruction]
    operators: list[str] = field(default_factory=list)
    changed: bool = False

    def __post_init__(self) -> None:
        self.operators = _operators(self.instructions)

    def replace(self, instructions: list[Instruction]) -> None:
        """Take `instructions` as the stream's new content."""
        self.instructions, self.operators, self.changed = instructions, _operators(instructions), True


def _operators(instructions: list[Instruction]) -> list[str]:
    return ["" if isinstance(instruction, pikepdf.ContentStreamInlineImage) else str(instruction.operator)
            for instruction in instructions]


def parsed_contents(pdf: pikepdf.Pdf) -> list[ParsedContent]:
    """Every content stream of `content_streams`, parsed."""
    return [ParsedContent(owner, resources, list(pikepdf.parse_content_stream(owner)))
            for owner, resources in content_streams(pdf)]


def write_contents(pdf: pikepdf.Pdf, contents: list[ParsedContent]) -> None:
    """Write back each stream a pass changed."""
    for content in contents:
        if not content.changed:
            continue
        data = pikepdf.unparse_content_stream(content.instructions)
        if isinstance(content.owner, pikepdf.Stream):
            content.owner.write(data)
        else:
            content.owner.Contents = pdf.make_stream(data)
        content.changed = False


def codes(string: pikepdf.Object) -> list[int]:
    """The two-byte codes of a show string."""
    raw = bytes(string)
    return list(struct.unpack(f">{len(raw) // 2}H", raw[:len(raw) // 2 * 2]))


def shown_strings(instruction: Instruction) -> list[pikepdf.Object]:
    """The strings a show operator draws."""
    operands = list(instruction.operands)
    if str(instruction.operator) == "TJ":
        return [item for item in operands[0] if isinstance(item, pikepdf.String)] if operands else []
    return [operands[-1]] if operands and isinstance(operands[-1], pikepdf.String) else []


def show_operators(content: ParsedContent) -> Iterator[tuple[int, pikepdf.Dictionary | None, float]]:
    """Each show operator's index with the font it draws in and the character spacing (`Tc`)
    it draws under (q and Q save and restore both)."""
    fonts = content.resources.get("/Font")
    current: pikepdf.Dictionary | None = None
    spacing = 0.0
    saved: list[tuple[pikepdf.Dictionary | None, float]] = []
    for index, operator in enumerate(content.operators):
        instruction = content.instructions[index]
        if operator == "q":
            saved.append((current, spacing))
        elif operator == "Q" and saved:
            current, spacing = saved.pop()
        elif operator == "Tc" and isinstance(instruction, pikepdf.ContentStreamInstruction) \
                and len(instruction.operands) == 1:
            spacing = float(instruction.operands[0])
        elif operator == "Tf" and isinstance(instruction, pikepdf.ContentStreamInstruction) \
                and instruction.operands:
            font = fonts.get(str(instruction.operands[0])) if isinstance(fonts, pikepdf.Dictionary) else None
            current = font if isinstance(font, pikepdf.Dictionary) else None
        elif operator in _SHOW:
            yield index, current, spacing


def read_widths(descendant: pikepdf.Object) -> dict[int, int | float]:
    widths: dict[int, int | float] = {}
    array = list(descendant.get("/W", pikepdf.Array()))
    index = 0
    while index + 1 < len(array):
        first, second = int(array[index]), array[index + 1]
        if isinstance(second, pikepdf.Array):
            for offset, width in enumerate(second):
                widths[first + offset] = number(width)
            index += 2
        elif index + 2 < len(array):
            for code in range(first, int(second) + 1):
                widths[code] = number(array[index + 2])
            index += 3
        else:
            break
    return widths


def number(value: pikepdf.Object) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def width_array(widths: dict[int, int | float]) -> pikepdf.Array:
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


def read_to_unicode(font: pikepdf.Dictionary) -> dict[int, str]:
    """The font's ToUnicode entries (`bfchar`, as WeasyPrint and `cmap_stream` write them); the
    code space range, `<0000> <ffff>`, is no entry."""
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return {}
    return {int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
            for block in _BFCHAR.findall(stream.read_bytes()) for code, text in _ENTRY.findall(block)}


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


def empty_glyphs(program: bytes, taken: set[int], shipped: Path) -> Iterator[int]:
    """Glyph ids that draw nothing in the embedded program and that no code uses: first those
    that draw nothing in the shipped font either (.null, zero-width spaces), then the rest,
    lowest first."""
    with TTFont(io.BytesIO(program), lazy=True) as font:
        stored = StoredGlyphs.of(font)
    if stored is None:
        return
    empty = [gid for gid in range(1, len(stored.glyphs))
             if gid not in taken and contours(stored.glyphs[gid]) == 0]
    blank = blank_glyphs(shipped)
    yield from sorted(empty, key=lambda gid: (gid not in blank, gid))


@cache
def blank_glyphs(path: Path) -> frozenset[int]:
    """Glyph ids that draw nothing in a shipped font."""
    with TTFont(str(path), lazy=True) as font:
        stored = StoredGlyphs.of(font)
    return frozenset() if stored is None else frozenset(
        gid for gid, data in enumerate(stored.glyphs) if contours(data) == 0)
