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
glyph is drawn where it was. The font program says the same widths as /W (PDF/A's 6.2.11.5):
the ligature is drawn as a copy of its glyph with its advance less its parts', and each part's
empty glyph has its share as its advance (`glyphcopies`).

Page content and form XObjects (a numbered copy's stamp) are rewritten alike.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field

import pikepdf
from fontTools.ttLib import TTFont

from ..fonts.glyf import StoredGlyphs
from ..fonts.identity import identify
from ..fonts.registry import FontRegistry
from .glyphcopies import GlyphCopies, pdf_width
from .glyphtext import GlyphTexts, glyph_texts
from .pdftext import (
    ParsedContent,
    cmap_stream,
    codes,
    empty_glyphs,
    identity_font,
    parsed_contents,
    read_to_unicode,
    read_widths,
    show_operators,
    shown_strings,
    width_array,
    write_contents,
)

_ARABIC_BLOCKS = ((0x0600, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


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
    drawn_as: dict[int, int] = field(default_factory=dict)  # a split code: the code drawn for it


def _text(code: int, texts: GlyphTexts, old: dict[int, str]) -> str | None:
    """The code's text: its glyph's own; where the cmap gives the glyph several characters (a
    space and a no-break space), the one WeasyPrint chose, when it is one of them."""
    if old.get(code) in texts.characters.get(code, ()):
        return old[code]
    return texts.text.get(code) or None


def _map_font(pdf: pikepdf.Pdf, entry: _Font, registry: FontRegistry, copies: GlyphCopies) -> None:
    """Write the font's new ToUnicode (and /W, when a code is split); note the split codes.

    A split ligature is drawn as a copy of its glyph whose advance is the ligature's own less
    its parts' (`glyphcopies`), and each part's glyph, which draws nothing, gets its share as
    its advance: the font program says what /W says of every glyph drawn."""
    descendant = entry.font.DescendantFonts[0]
    program = descendant.FontDescriptor.FontFile2.read_bytes()
    shipped = identify(program, registry)
    if shipped is None:
        return
    texts = glyph_texts(shipped.path)
    old = read_to_unicode(entry.font)
    widths = read_widths(descendant)
    entries = {code: text for code in sorted(entry.used) if (text := _text(code, texts, old)) is not None}
    split = {code: text for code, text in entries.items() if len(text) > 1 and right_to_left(text)}
    advances: dict[int, tuple[int, int]] = {}  # a split code: its advance less its parts', a part's
    if split:
        with TTFont(io.BytesIO(program), lazy=True) as parsed:
            stored, units_per_em = StoredGlyphs.of(parsed), int(parsed["head"].unitsPerEm)
        free = empty_glyphs(program, entry.used | set(widths) | set(old), shipped.path)
        for code, text in split.items():
            parts = [next(free, None) for _ in text[:-1]]
            if None in parts or stored is None or code >= len(stored.advances):
                break
            share = stored.advances[code] // len(text)
            advances[code] = (stored.advances[code] - share * len(parts), share)
            entries[code] = text[-1]
            entry.parts[code] = []
            for part, char in zip(parts, reversed(text[:-1]), strict=True):
                assert part is not None
                widths[part] = pdf_width(share, units_per_em)
                entries[part] = char
                entry.parts[code].append(part)
        descendant.W = width_array(widths)
    entry.font.ToUnicode = pdf.make_stream(cmap_stream(entries))
    if not advances:
        return
    font = copies.font(entry.font)  # reads the ToUnicode and /W just written
    font.used.update(entry.used)
    for code, (advance, share) in advances.items():
        drawn = font.copy(code, 0, 0, advance)
        if drawn is None:
            raise RuntimeError(f"{entry.font.get('/BaseFont')}: no glyph id left for a ligature's copy")
        entry.drawn_as[code] = drawn
        for part in entry.parts[code]:
            font.give_advance(part, share)


def _split_strings(instruction: pikepdf.ContentStreamInstruction, parts: dict[int, list[int]],
                   drawn_as: dict[int, int]) -> pikepdf.ContentStreamInstruction:
    """The show operator with each split code drawn as its copy, followed by its parts' codes."""

    def spread(string: pikepdf.Object) -> pikepdf.Object:
        if not isinstance(string, pikepdf.String):
            return string
        drawn = codes(string)
        if not any(code in parts for code in drawn):
            return string
        out = b"".join(drawn_as.get(code, code).to_bytes(2, "big")
                       + b"".join(part.to_bytes(2, "big") for part in parts.get(code, ()))
                       for code in drawn)
        return pikepdf.String(out)

    operands = list(instruction.operands)
    if str(instruction.operator) == "TJ":
        operands[0] = pikepdf.Array([spread(item) for item in operands[0]])
    else:
        operands[-1] = spread(operands[-1])
    return pikepdf.ContentStreamInstruction(operands, instruction.operator)


def map_glyph_text(pdf: pikepdf.Pdf, registry: FontRegistry,
                   contents: list[ParsedContent] | None = None, copies: GlyphCopies | None = None) -> None:
    """Give every code of every embedded shipped font its glyph's own text, one right-to-left
    character per code (see the module's docstring). With `contents` (`parsed_contents`), the
    streams are changed there and the caller writes them back; without, here. With `copies`,
    the copies are made there and the caller writes them into the fonts; without, here."""
    own = contents is None
    parsed = parsed_contents(pdf) if contents is None else contents
    made = GlyphCopies(registry) if copies is None else copies
    fonts: dict[tuple[int, int], _Font] = {}
    identities: dict[tuple[int, int], bool] = {}
    shows: list[list[tuple[int, _Font]]] = []
    for content in parsed:
        found = []
        for index, font, _ in show_operators(content):
            if font is None:
                continue
            if font.objgen not in identities:
                identities[font.objgen] = identity_font(font) is not None
            if not identities[font.objgen]:
                continue
            entry = fonts.setdefault(font.objgen, _Font(font))
            for string in shown_strings(content.instructions[index]):
                entry.used.update(codes(string))
            found.append((index, entry))
        shows.append(found)
    for entry in fonts.values():
        _map_font(pdf, entry, registry, made)
    for content, found in zip(parsed, shows, strict=True):
        for index, entry in found:
            instruction = content.instructions[index]
            if entry.parts and isinstance(instruction, pikepdf.ContentStreamInstruction) \
                    and any(code in entry.parts for string in shown_strings(instruction)
                            for code in codes(string)):
                content.instructions[index] = _split_strings(instruction, entry.parts, entry.drawn_as)
                content.changed = True
    if copies is None:
        made.write(pdf)
    if own:
        write_contents(pdf, parsed)
