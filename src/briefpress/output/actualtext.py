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

Words with no Arabic letter inside a right-to-left line are where pdfium goes wrong on its
own: it takes every line of a right-to-left document (/ViewerPreferences /Direction /R2L) as
right to left, cuts it into runs of its direction classes (digits and separators are weak
left to right), takes the runs in reverse order and reverses each right-to-left or neutral
run met after a right-to-left one. So `S/RES/2397` copies as `/2397RES/S` and `maximum
pressure` as `pressure maximum`. Such a word gets that reordering undone on its typed text
(`pdfium_run_text`); a run of them with a Latin letter is an isolated left-to-right run
drawn in typed order, and its string goes on its leftmost word (see `_pdfium_strings`).
Lines with no Arabic letter (a link, a number wrapped onto a line of its own) get pdfium
spans alone in such a document.

A word's text is read back from the glyphs' ToUnicode entries (and the font's own cmap for
combining marks), so this runs on any PDF WeasyPrint wrote. Spans nest inside WeasyPrint's MCID
spans, so the tag structure holds; poppler's spans go on lines with an Arabic letter only; the pages
draw as before, pixel for pixel in poppler and pdfium.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
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
    preferences = reader.root_object.get("/ViewerPreferences")
    right_to_left = preferences is not None and preferences.get_object().get("/Direction") == "/R2L"
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font")
        if not fonts:
            continue
        content = ContentStream(page.get_contents(), writer)
        content.operations = list(_rewrite(content.operations, _FontTables(fonts), right_to_left))
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


def _rewrite(operations: Sequence[Operation], tables: _FontTables, right_to_left: bool
             ) -> Iterator[Operation]:
    """The page's operations with each text object's words wrapped in ActualText spans."""
    line: _Line | None = None
    table: dict[int, str] | None = None
    for operands, operator in operations:
        if operator == b"Tf":
            table = tables.get(str(operands[0]))
        if operator == b"BT":
            line = _Line()
        elif operator == b"ET" and line is not None:
            yield from _wrap(line, right_to_left)
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
    text = "".join(text if kind == "L" else text[::-1].translate(_MIRROR)
                   for kind, text in _class_runs(word, _bidi_class))
    return text


def _pdfium_class(char: str) -> str:
    """pdfium's direction class of a character: L, W (weak left: digits, separators, marks), R or N."""
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "L"
    if kind in ("AN", "EN", "NSM", "CS", "ES", "ET", "BN"):
        return "W"
    return "R" if kind in ("R", "AL") else "N"


def pdfium_run_text(run: str) -> str:
    """What pdfium must read to copy a left-to-right run back inside a right-to-left line.

    pdfium cuts the line into runs of its direction classes, takes them in reverse order and
    reverses (mirroring brackets) each right-to-left run and each neutral one met while the
    last strong run was right to left. The string is that, undone.
    """
    parts: list[str] = []
    current = "R"
    for kind, text in _class_runs(run, _pdfium_class):
        if kind == "R" or (kind == "N" and current == "R"):
            current = "R"
            parts.append(text[::-1].translate(_MIRROR))
        else:
            current = "L" if kind != "W" else current
            parts.append(text)
    return "".join(reversed(parts))


def _class_runs(text: str, classify: Callable[[str], str]) -> list[list[str]]:
    """`text` cut where the class of its characters changes: [class, characters] pairs."""
    runs: list[list[str]] = []
    for char in text:
        kind = classify(char)
        if runs and runs[-1][0] == kind:
            runs[-1][1] += char
        else:
            runs.append([kind, char])
    return runs


def _run_text(visual: list[str]) -> str:
    """A left-to-right run's typed text from its words' glyph texts, left to right.

    Glyphs of an isolated run are drawn in typed order; brackets just outside it are drawn
    mirrored in mirrored places, which reads the same. A full stop or comma after the run is
    drawn on its left and goes back to its end.
    """
    text = " ".join(visual)
    lead = len(text) - len(text.lstrip(_TRAILERS))
    return text[lead:] + text[:lead][::-1]


_TRAILERS = ".,،:;؛"


@dataclass
class _PdfiumStrings:
    """pdfium strings for a line's words that hold no Arabic letter, by word position, and the
    bracket each Arabic neighbour of a left-to-right run carries for it (see `_pdfium_strings`)."""

    words: dict[int, str] = field(default_factory=dict)
    tails: dict[int, str] = field(default_factory=dict)
    heads: dict[int, str] = field(default_factory=dict)


def _arabic(text: str) -> bool:
    return any(_arabic_letter(char) for char in text)


def _typed_number(visual: str) -> str:
    """A word with no letter as typed, from its glyph texts left to right: drawn in typed order,
    but for a range drawn right to left (`2024–2017`) and a full stop or comma after it."""
    if any(unicodedata.bidirectional(char) == "ON" and 0 < index < len(visual) - 1
           and visual[index - 1].isdigit() and visual[index + 1].isdigit()
           for index, char in enumerate(visual)):
        return logical(list(visual))
    return _run_text([visual])


def _pdfium_strings(texts: list[str], visual: list[str]) -> _PdfiumStrings:
    """pdfium strings for the words of a line that hold no Arabic letter, by word.

    pdfium's reordering is undone on what was typed (`pdfium_run_text`). A run of such words
    with a Latin letter is an isolated left-to-right run, drawn in typed order: the run's
    string goes on its leftmost word and U+FFFE on the others, so pdfium keeps the run's word
    order. pdfium adds a space from the gap on each side of the run, and a bracket at that end
    would join it and take its direction, so a bracket there moves to the Arabic word beside
    it: a leading one (mirrored) after that word's text, in place of its space, with the space
    after the run's string; a trailing one before that word's text.
    """
    found = _PdfiumStrings()
    index = 0
    while index < len(texts):
        end = index
        while end < len(texts) and poppler_text(texts[end]) is not None and not _arabic(texts[end]):
            end += 1
        if not any(unicodedata.bidirectional(char) == "L" for word in texts[index:end] for char in word):
            for position in range(index, end):  # Arabic-Indic digits copy right as they are
                typed = _typed_number(visual[position])
                if typed != visual[position] or not any(unicodedata.bidirectional(char) == "AN"
                                                        for char in typed):
                    found.words[position] = pdfium_run_text(typed)
            index = max(end, index + 1)
            continue
        run = _run_text(visual[index:end])
        neutral = "".join(char for char in run if _pdfium_class(char) == "N")
        if index and _arabic(texts[index - 1]) and run.rstrip(neutral) != run:
            found.tails[index - 1] = run[len(run.rstrip(neutral)):]
            run = run.rstrip(neutral)
        space = ""
        if end < len(texts) and _arabic(texts[end]) and run.lstrip(neutral) != run:
            found.heads[end] = run[:len(run) - len(run.lstrip(neutral))].translate(_MIRROR)
            run, space = run.lstrip(neutral), " "
        found.words[index] = pdfium_run_text(run) + space
        found.words.update({position: PDFIUM_SKIP for position in range(index + 1, end)})
        index = end
    return found


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


def _wrap(line: _Line, right_to_left: bool) -> Iterator[Operation]:
    """The text object's operations, each word in a poppler span holding a pdfium span.

    A line with no Arabic letter keeps its glyphs' text for poppler; in a document whose pages
    read right to left pdfium reorders it all the same, so its words get pdfium spans alone.
    """
    before: dict[int, list[Operation]] = {}
    after: dict[int, list[Operation]] = {}
    words = _words(line)
    arabic = any(_arabic_letter(char) for index in line.glyphs() for char in line.text(index))
    if not arabic and not right_to_left:
        yield from _emit(line, before, after)
        return
    texts = [logical([line.text(index) for index in word]) for word in words]
    strings = _pdfium_strings(texts, ["".join(line.text(index) for index in word) for word in words])
    for position, word in enumerate(words):
        text = texts[position]
        copied = poppler_text(text)
        if copied is None:
            continue
        chunks = _chunks(line, word)
        lead: list[list[int]] = []
        while len(chunks) > 1 and not any(_arabic_letter(c) or _left_to_right(c) for i in chunks[0]
                                          for c in line.text(i)):
            lead.append(chunks.pop(0))
        if arabic:
            before.setdefault(word[0], []).append(_mark(POPPLER_TAG, copied))
        for chunk in lead:
            before.setdefault(chunk[0], []).append(_mark(PDFIUM_TAG, PDFIUM_SKIP))
            after.setdefault(chunk[-1], []).append(_END)
        copied_by_pdfium = strings.words.get(position) or pdfium_text(text)
        if position in strings.heads:
            copied_by_pdfium += strings.heads[position]
        elif position and _arabic(text):
            # pdfium finds a word break from the gap, and Amiri's kerning or a tanween's
            # offset can close it; a space of its own (runs of spaces fold) keeps the break.
            copied_by_pdfium += " "
        copied_by_pdfium = strings.tails.get(position, "") + copied_by_pdfium
        before.setdefault(chunks[0][0], []).append(_mark(PDFIUM_TAG, copied_by_pdfium))
        after.setdefault(word[-1], []).extend([_END, _END] if arabic else [_END])
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

