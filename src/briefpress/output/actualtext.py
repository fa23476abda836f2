"""Give each Arabic word of a PDF the text that pdfium and poppler copy back as it was typed.

WeasyPrint draws a right-to-left line as one run of glyphs in visual order, and each reader
turns it back into logical order with its own simplified bidi. Both get plain words right and
fail on the rest: poppler splits harakat and tanween from their letters, moves a comma or full
stop onto the next word (`الجانب ،تسعى`) and runs a number into the next word (`19يونيو`);
pdfium moves a comma after a number or a tanween before it (`,2024`, `تماما ،ً`).

Each reader takes a `/ActualText` over a word as if it were glyphs in visual order, and each
reorders it its own way, so each gets its own string, measured on both readers:

- poppler honours `/ActualText` only on a `/Span`. It lays the string left to right over the
  word and reverses right-to-left runs, so it gets the word reversed, behind a right-to-left
  mark (U+200F) that keeps a trailing comma or number from taking the space after it.
- pdfium honours `/ActualText` on any marked content, the innermost winning. It reverses each
  bidi class run of the string in place and keeps their order, so it gets the word's runs each
  reversed (brackets mirrored), on a nested `/ReadingOrder` mark that poppler ignores. Its copy
  holds no mark that was not typed (U+200F around each word would keep a bracket from joining
  its neighbour's runs, but would also break a search for a phrase). pdfium takes the
  direction of the laid-out string from the first text object in the span; a word whose first
  object holds only a mark (a tanween drawn with a rise) has that object skipped by pdfium (an
  ActualText of U+FFFE, which pdfium drops) and its text starts at the next one.

A word's text is read back from the glyphs' ToUnicode entries (and the font's own cmap for
combining marks), so this runs on any PDF WeasyPrint wrote. Spans nest inside WeasyPrint's MCID
spans, so the tag structure holds; lines with no Arabic letter are left as they are; the pages
draw as before, pixel for pixel in poppler and pdfium.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

RLM = "\u200f"
_NUMBER_JOINERS = frozenset(".,:/-%+")
PDFIUM_SKIP = "\ufffe"
POPPLER_TAG = NameObject("/Span")
PDFIUM_TAG = NameObject("/ReadingOrder")
ACTUAL_TEXT = NameObject("/ActualText")
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")
_CHAR = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_RANGE = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
Operation = tuple[list[object], bytes]


def add_actual_text(data: bytes) -> bytes:
    """The PDF with every word of its right-to-left lines given text both readers copy right."""
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header  # keep WeasyPrint's version (1.6 for PDF/X-4)
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font")
        if not fonts:
            continue
        content = ContentStream(page.get_contents(), writer)
        content.operations = list(_rewrite(content.operations, _FontTables(fonts)))
        page.replace_contents(content)
        page.compress_content_streams()
    writer._info = reader.trailer.get("/Info", writer._info)  # keep WeasyPrint's Info as is
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class _FontTables:
    """Each font resource's ToUnicode table, read once: glyph code to text."""

    def __init__(self, fonts: DictionaryObject) -> None:
        self._fonts = fonts
        self._tables: dict[str, dict[int, str] | None] = {}

    def get(self, name: str) -> dict[int, str] | None:
        if name not in self._tables:
            reference = self._fonts.get(name)
            font = reference.get_object() if reference is not None else None
            table = None
            cmap = font.get("/ToUnicode") if isinstance(font, DictionaryObject) else None
            stream = cmap.get_object() if cmap is not None else None
            if isinstance(font, DictionaryObject) and isinstance(stream, StreamObject):
                table = _to_unicode(stream.get_data())
                table.update(_marks(font))
            self._tables[name] = table
        return self._tables[name]


def _marks(font: DictionaryObject) -> dict[int, str]:
    """Combining marks by glyph code, from the embedded font's own cmap.

    WeasyPrint gives a glyph the text of the first cluster it drew it in, so a cluster of a
    letter and two marks leaves one mark glyph empty and another holding both (Amiri's shadda
    maps to nothing, its fatha to fatha and shadda), and `غيّرت` reads back as `غيرت`. A
    glyph the font maps from one combining mark is that mark; codes are glyph ids, as
    WeasyPrint writes TrueType fonts (Identity CIDToGIDMap).
    """
    if font.get("/Subtype") != "/Type0":
        return {}
    descendants = font["/DescendantFonts"].get_object()
    descendant = descendants[0].get_object() if isinstance(descendants, ArrayObject) else None
    if not isinstance(descendant, DictionaryObject):
        return {}
    descriptor = descendant.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else None
    program = descriptor.get("/FontFile2") if isinstance(descriptor, DictionaryObject) else None
    program = program.get_object() if program is not None else None
    if not isinstance(program, StreamObject) or descendant.get("/CIDToGIDMap", "/Identity") != "/Identity":
        return {}
    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(program.get_data()), lazy=True) as parsed:
        if "cmap" not in parsed:
            return {}
        order = {name: gid for gid, name in enumerate(parsed.getGlyphOrder())}
        return {order[name]: chr(code) for code, name in parsed.getBestCmap().items()
                if unicodedata.category(chr(code)) == "Mn" and name in order}


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """A ToUnicode CMap's bfchar and bfrange entries as a table."""
    text = cmap.decode("latin-1")
    table: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for source, target in _CHAR.findall(block):
            table[int(source, 16)] = bytes.fromhex(target).decode("utf-16-be") if target else ""
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, target in _RANGE.findall(block):
            first = int(target, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[code] = chr(first + offset)
    return table


@dataclass
class _Glyph:
    code: bytes
    text: str
    adjust: float = 0.0


@dataclass
class _Line:
    """One text object (BT … ET): its glyphs, with the operations and TJ breaks between them."""

    items: list[object] = field(default_factory=list)

    def glyphs(self) -> list[int]:
        return [index for index, item in enumerate(self.items) if isinstance(item, _Glyph)]

    def text(self, index: int) -> str:
        item = self.items[index]
        assert isinstance(item, _Glyph)
        return item.text


_TJ_END = object()


def _rewrite(operations: Sequence[Operation], tables: _FontTables) -> Iterator[Operation]:
    """The page's operations with each text object's words wrapped in ActualText spans."""
    line: _Line | None = None
    table: dict[int, str] | None = None
    for operands, operator in operations:
        if operator == b"Tf":
            table = tables.get(str(operands[0]))
        if operator == b"BT":
            line = _Line()
        elif operator == b"ET" and line is not None:
            yield from _wrap(line)
            line = None
        elif line is not None and operator == b"TJ" and table is not None:
            array = operands[0]
            assert isinstance(array, ArrayObject)
            _read_tj(line, array, table)
            continue
        elif line is not None and operator not in (b"BT", b"ET"):
            line.items.append((operands, operator))
            continue
        yield operands, operator


def _read_tj(line: _Line, array: ArrayObject, table: dict[int, str]) -> None:
    """Split a TJ array into glyphs (two-byte codes, as WeasyPrint writes) and their adjustments."""
    for element in array:
        if isinstance(element, (ByteStringObject, TextStringObject)):
            raw = element.original_bytes
            if not raw:
                line.items.append(_Glyph(b"", ""))
            for offset in range(0, len(raw), 2):
                code = raw[offset:offset + 2]
                line.items.append(_Glyph(code, table.get(int.from_bytes(code, "big"), "")))
        elif line.items and isinstance(line.items[-1], _Glyph):
            line.items[-1].adjust += float(element)
        else:
            line.items.append(float(element))
    line.items.append(_TJ_END)


def _arabic_letter(char: str) -> bool:
    return unicodedata.bidirectional(char) == "AL" and unicodedata.category(char).startswith("L")


def _left_to_right(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("L", "EN", "AN")


def _words(line: _Line) -> list[list[int]]:
    """Runs of glyph indexes between space glyphs, in drawing (visual) order.

    A space stays outside every span: pdfium drops a text object that shows only a space and
    finds the word break from the gap. A positioning shift (an empty glyph with an adjustment)
    before a word's first glyph stays outside too, or pdfium measures the gap from it and
    misses the break after a word that ends in a tanween.
    """
    words: list[list[int]] = []
    current: list[int] = []
    for index in line.glyphs():
        glyph = line.items[index]
        assert isinstance(glyph, _Glyph)
        if not current and not glyph.code:
            continue
        if glyph.text and glyph.text.isspace():
            if current:
                words.append(current)
            current = []
        else:
            current.append(index)
    if current:
        words.append(current)
    return words


def _left_to_right_run(visual: Sequence[str], index: int) -> bool:
    """Whether the glyph at `index` belongs to a left-to-right run: Latin, a digit, or a separator
    between two digits of the same kind (`3.5`, `2018-2019`, `٣٫٥`; not `٢٠١٦-٢٠١٧`, which an
    Arabic-Indic range is drawn right to left)."""
    text = visual[index]
    if any(_left_to_right(char) for char in text):
        return True
    if not 0 < index < len(visual) - 1 or len(text) != 1:
        return False
    kinds = {unicodedata.bidirectional(char) for side in (visual[index - 1], visual[index + 1])
             for char in side}
    separator = unicodedata.bidirectional(text)
    if kinds <= {"EN", "L"}:
        return separator in ("ES", "CS", "ET", "ON") and text in _NUMBER_JOINERS
    return kinds == {"AN"} and separator == "CS"


def logical(visual: Sequence[str]) -> str:
    """A word as the readers need it, from its glyphs' texts in visual order.

    Glyphs are read right to left; a run of left-to-right glyphs keeps its order. For an Arabic
    word that is the typed order. For a word with digits or Latin it is what pdfium and poppler
    read back as typed: both take a neutral at the run's right end (`%` in `10%`) as coming
    first, as the simple bidi each applies to a line puts it back after the run.
    """
    visual = [text for text in visual if text]  # zero-width controls and positioning shifts
    out: list[str] = []
    index = len(visual) - 1
    while index >= 0:
        if not _left_to_right_run(visual, index):
            out.append(visual[index])
            index -= 1
            continue
        start = index
        while start > 0 and _left_to_right_run(visual, start - 1):
            start -= 1
        out.extend(visual[start:index + 1])
        index = start - 1
    return "".join(out)


def poppler_text(word: str) -> str | None:
    """What poppler must read to copy `word` back: reversed behind an RLM, or None to leave it."""
    arabic = any(_arabic_letter(char) for char in word)
    latin = any(_left_to_right(char) for char in word)
    if arabic and not latin:
        return RLM + word[::-1]
    if latin and not arabic:
        return RLM + word
    return None


def _bidi_class(char: str) -> str:
    if _arabic_letter(char):
        return "R"
    return "L" if _left_to_right(char) else "N"


def pdfium_text(word: str) -> str:
    """What pdfium must read to copy `word` back: each bidi class run reversed, brackets mirrored."""
    runs: list[list[str]] = []
    for char in word:
        kind = _bidi_class(char)
        if runs and runs[-1][0] == kind:
            runs[-1][1] += char
        else:
            runs.append([kind, char])
    text = "".join(text if kind == "L" else text[::-1].translate(_MIRROR) for kind, text in runs)
    return text


def _mark(tag: NameObject, text: str) -> Operation:
    return [tag, DictionaryObject({ACTUAL_TEXT: TextStringObject(text)})], b"BDC"


_END: Operation = ([], b"EMC")


def _chunks(line: _Line, word: list[int]) -> list[list[int]]:
    """A word's glyphs grouped by the text object (TJ) that shows them."""
    chunks: list[list[int]] = [[word[0]]]
    for index in word[1:]:
        between = line.items[chunks[-1][-1] + 1:index]
        if any(item is _TJ_END or isinstance(item, tuple) for item in between):
            chunks.append([])
        chunks[-1].append(index)
    return chunks


def _wrap(line: _Line) -> Iterator[Operation]:
    """The text object's operations, each word in a poppler span holding a pdfium span."""
    before: dict[int, list[Operation]] = {}
    after: dict[int, list[Operation]] = {}
    words = _words(line)
    if any(_arabic_letter(char) for index in line.glyphs() for char in line.text(index)):
        for position, word in enumerate(words):
            text = logical([line.text(index) for index in word])
            copied = poppler_text(text)
            if copied is None:
                continue
            chunks = _chunks(line, word)
            lead: list[list[int]] = []
            while len(chunks) > 1 and not any(_arabic_letter(c) or _left_to_right(c) for i in chunks[0]
                                              for c in line.text(i)):
                lead.append(chunks.pop(0))
            before.setdefault(word[0], []).append(_mark(POPPLER_TAG, copied))
            for chunk in lead:
                before.setdefault(chunk[0], []).append(_mark(PDFIUM_TAG, PDFIUM_SKIP))
                after.setdefault(chunk[-1], []).append(_END)
            copied_by_pdfium = pdfium_text(text)
            if position and any(_arabic_letter(char) for char in text):
                # pdfium finds a word break from the gap, and Amiri's kerning or a tanween's
                # offset can close it; a space of its own (runs of spaces fold) keeps the break.
                copied_by_pdfium += " "
            before.setdefault(chunks[0][0], []).append(_mark(PDFIUM_TAG, copied_by_pdfium))
            after.setdefault(word[-1], []).extend([_END, _END])
    yield from _emit(line, before, after)


def _emit(line: _Line, before: dict[int, list[Operation]], after: dict[int, list[Operation]]
          ) -> Iterator[Operation]:
    """Write the text object back: glyphs as TJ arrays, broken where a mark opens or closes.

    Where a mark breaks an array, an adjustment at the end of the first part gets a TJ of its
    own: pdfium drops an adjustment that ends an array holding glyphs, and the words after it
    would shift (WeasyPrint writes a mark's offset as an empty string and an adjustment).
    """
    pending = ArrayObject()

    def flush(carry: bool = False) -> Iterator[Operation]:
        nonlocal pending
        moved = pending.pop() if carry and pending and isinstance(pending[-1], FloatObject) else None
        if pending:
            yield [pending], b"TJ"
        if moved is not None:
            yield [ArrayObject([moved])], b"TJ"
        pending = ArrayObject()

    for index, item in enumerate(line.items):
        if isinstance(item, tuple):
            yield from flush()
            yield item
        elif item is _TJ_END:
            yield from flush()
        elif isinstance(item, float):
            pending.append(FloatObject(item))
        else:
            assert isinstance(item, _Glyph)
            if index in before:
                yield from flush(carry=True)
                yield from before[index]
            pending.append(ByteStringObject(item.code))
            if item.adjust:
                pending.append(FloatObject(item.adjust))
            if index in after:
                yield from flush(carry=True)
                yield from after[index]
    yield from flush()

