"""Give each Arabic word of a PDF the text that pdfium and poppler copy back as it was typed.

WeasyPrint draws a right-to-left line as one run of glyphs in visual order, and each reader
turns it back into logical order with its own simplified bidi. Both get plain words right and
fail on the rest: poppler splits harakat and tanween from their letters, moves a comma or full
stop onto the next word (`الجانب ،تسعى`) and runs a number into the next word (`19يونيو`);
pdfium moves a comma after a number or a tanween before it (`,2024`, `تماما ،ً`), a bracket
beside a number to the wrong side of a space (`1718( 2006)`), and reverses Latin runs
(`/2397RES/S`, `pressure maximum`).

Each reader takes a `/ActualText` in place of glyphs and reorders it its own way, so each gets
its own strings, measured on both readers:

- poppler honours `/ActualText` only on a `/Span`, one per word. It reads a line's words left
  to right, each word's ActualText in place of its glyphs, and for a right-to-left page takes
  the line from the right: a right-to-left section (up to a Latin letter, a digit or a number's
  separator or sign) reversed, then a left-to-right section (up to an Arabic letter) as it is.
  So the line's text as typed is turned into what poppler must read (`poppler_line_string`;
  a right-to-left mark, U+200F, ends a left-to-right section where neutrals follow it) and cut
  at its spaces, a piece to each word (`_poppler_lines`). A line is the text objects of one
  baseline up to a gap wider than 1.5 em. Elsewhere, each Arabic word gets its text reversed
  behind a right-to-left mark (`poppler_text`), on lines with an Arabic letter only.
- pdfium honours `/ActualText` on any marked content, the innermost winning, on a nested
  `/ReadingOrder` mark that poppler ignores; a mark of U+FFFE makes it drop the glyphs under it.
  In a right-to-left document (/ViewerPreferences /Direction /R2L) it reads a whole line as one
  string and reorders it as right to left; its strings hold no mark the author did not type
  (one would break a search for a phrase), so a word's string depends on its neighbours: they
  are worked out for the line (`_pdfium_lines`).

How pdfium reads a page, measured on pdfium's text layer (a different pdfium may differ): it
gathers the text objects, in the order they are drawn, into groups while each one's origin
stays level with the rightmost of the group, sorts each group left to right and reads the
groups one after another (a raised mark, a damma or tanween drawn with a rise, ends a group, so
the cells of a table row come in drawing order); a line ends where the baseline moves. Each
object adds its ActualText, or its glyphs' text; one whose glyphs read right to left (or that
has no strong glyph and Arabic in its ActualText) adds its string's direction class runs in
reverse order, each but the Arabic ones reversed (`pdfium_object_text`). Where two objects are
apart it adds a space, which folds into a space just before it. Then it cuts the line into runs
of its direction classes (digits and separators are weak left to right), takes them from the
right, reverses each right-to-left run (brackets mirrored) and mirrors in place each neutral
one met after it, reversing it only when it starts with a space of its own.

So each word's ActualText goes on one of its text objects (the first holding a letter; the
others get U+FFFE), and the line's text as typed (`_copied_units`: words from right to left,
an isolated Latin run in typed order) is turned into what pdfium must read
(`pdfium_line_string`) and cut at its spaces, a piece to each word in the order pdfium reads
them, each ending in its space. A link broken over two lines (after a slash) is carried whole
by its first part, in both readers. A line whose strings cannot be worked out this way, and a
document read left to right, keep strings worked out word by word (`pdfium_text`,
`_pdfium_strings`, `poppler_text`).

A word's text is read back from the glyphs' ToUnicode entries, with the font's own cmap for
combining marks and for brackets (which WeasyPrint labels with whichever bracket it first drew
the glyph for), so this runs on any PDF WeasyPrint wrote; glyph advances come from the font's
/W array. Spans nest inside WeasyPrint's MCID spans, so the tag structure holds; the pages draw
as before, pixel for pixel in poppler and pdfium.
"""

from __future__ import annotations

import io
import itertools
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
# pdfium mirrors brackets in a right-to-left run but not guillemets; poppler mirrors guillemets
# in a right-to-left section but not brackets. Measured on both text layers.
_PDFIUM_MIRROR = str.maketrans("()[]{}<>", ")(][}{><")
_POPPLER_MIRROR = str.maketrans("«»", "»«")
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
    """Each font resource's ToUnicode table, read once: glyph code to text.

    `raw` is the table as the PDF holds it, which is what pdfium reads a glyph's direction from.
    """

    def __init__(self, fonts: DictionaryObject) -> None:
        self._fonts = fonts
        self._tables: dict[str, tuple[dict[int, str], dict[int, str]] | None] = {}
        self._metrics: dict[str, _Metrics] = {}

    def get(self, name: str) -> dict[int, str] | None:
        tables = self._read(name)
        return tables[0] if tables is not None else None

    def raw(self, name: str) -> dict[int, str]:
        tables = self._read(name)
        return tables[1] if tables is not None else {}

    def metrics(self, name: str) -> _Metrics:
        if name not in self._metrics:
            reference = self._fonts.get(name)
            font = reference.get_object() if reference is not None else None
            self._metrics[name] = _font_metrics(font) if isinstance(font, DictionaryObject) else _Metrics()
        return self._metrics[name]

    def _read(self, name: str) -> tuple[dict[int, str], dict[int, str]] | None:
        if name not in self._tables:
            reference = self._fonts.get(name)
            font = reference.get_object() if reference is not None else None
            tables = None
            cmap = font.get("/ToUnicode") if isinstance(font, DictionaryObject) else None
            stream = cmap.get_object() if cmap is not None else None
            if isinstance(font, DictionaryObject) and isinstance(stream, StreamObject):
                raw = _to_unicode(stream.get_data())
                tables = ({**raw, **_marks(font)}, raw)
            self._tables[name] = tables
        return self._tables[name]


@dataclass
class _Metrics:
    """A font's glyph advances (thousandths of the font size) by code, and for a glyph that does
    not advance (a mark) the width of its outline, which pdfium takes as its width instead."""

    advances: dict[int, float] = field(default_factory=dict)
    default: float = 1000.0
    outlines: dict[int, float] = field(default_factory=dict)

    def advance(self, code: int) -> float:
        return self.advances.get(code, self.default)

    def width(self, code: int) -> float:
        return self.advance(code) or self.outlines.get(code, 0.0)


def _descendant(font: DictionaryObject) -> DictionaryObject | None:
    if font.get("/Subtype") != "/Type0":
        return None
    descendants = font["/DescendantFonts"].get_object()
    descendant = descendants[0].get_object() if isinstance(descendants, ArrayObject) else None
    return descendant if isinstance(descendant, DictionaryObject) else None


def _program(descendant: DictionaryObject) -> StreamObject | None:
    """The embedded TrueType program of a CID font whose codes are glyph ids, as WeasyPrint writes."""
    descriptor = descendant.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else None
    program = descriptor.get("/FontFile2") if isinstance(descriptor, DictionaryObject) else None
    program = program.get_object() if program is not None else None
    if not isinstance(program, StreamObject) or descendant.get("/CIDToGIDMap", "/Identity") != "/Identity":
        return None
    return program


def _font_metrics(font: DictionaryObject) -> _Metrics:
    """A CID font's advances from its /W array, and the outline widths of its marks."""
    descendant = _descendant(font)
    if descendant is None:
        return _Metrics()
    metrics = _Metrics(default=float(descendant.get("/DW", 1000)))
    widths = descendant.get("/W")
    widths = widths.get_object() if widths is not None else None
    entries = list(widths) if isinstance(widths, ArrayObject) else []
    index = 0
    while index + 1 < len(entries):
        first, second = entries[index], entries[index + 1].get_object()
        if isinstance(second, ArrayObject):
            for offset, width in enumerate(second):
                metrics.advances[int(first) + offset] = float(width)
            index += 2
        elif index + 2 < len(entries):
            for code in range(int(first), int(second) + 1):
                metrics.advances[code] = float(entries[index + 2])
            index += 3
        else:
            break
    marks = [code for code, width in metrics.advances.items() if not width]
    program = _program(descendant)
    if marks and program is not None:
        from fontTools.ttLib import TTFont

        with TTFont(io.BytesIO(program.get_data()), lazy=True) as parsed:
            if "glyf" in parsed:
                order, glyf = parsed.getGlyphOrder(), parsed["glyf"]
                for code in marks:
                    if code < len(order):
                        glyph = glyf[order[code]]
                        if getattr(glyph, "numberOfContours", 0):
                            metrics.outlines[code] = float(glyph.xMax - glyph.xMin)
    return metrics


_BRACKETS = frozenset("()[]{}<>«»")


def _marks(font: DictionaryObject) -> dict[int, str]:
    """Combining marks and brackets by glyph code, from the embedded font's own cmap.

    A bracket drawn mirrored in a right-to-left run is the glyph of its mirror, which WeasyPrint
    gives the text of whichever bracket it first drew with it: the font's cmap names the shape
    drawn, so a line's glyph texts left to right read as it looks.

    WeasyPrint gives a glyph the text of the first cluster it drew it in, so a cluster of a
    letter and two marks leaves one mark glyph empty and another holding both (Amiri's shadda
    maps to nothing, its fatha to fatha and shadda), and `غيّرت` reads back as `غيرت`. A
    glyph the font maps from one combining mark is that mark; codes are glyph ids, as
    WeasyPrint writes TrueType fonts (Identity CIDToGIDMap).
    """
    descendant = _descendant(font)
    program = _program(descendant) if descendant is not None else None
    if program is None:
        return {}
    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(program.get_data()), lazy=True) as parsed:
        if "cmap" not in parsed:
            return {}
        order = {name: gid for gid, name in enumerate(parsed.getGlyphOrder())}
        return {order[name]: chr(code) for code, name in parsed.getBestCmap().items()
                if (unicodedata.category(chr(code)) == "Mn" or chr(code) in _BRACKETS) and name in order}


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
    raw: str = ""  # the character pdfium takes the glyph's direction from
    x: float = 0.0  # where it is drawn in text space, and raised by
    rise: float = 0.0
    width: float = 0.0  # pdfium's width of it, in text space


@dataclass
class _Line:
    """One text object (BT … ET): its glyphs, with the operations and TJ breaks between them,
    where it starts on the page, its font size, and the pdfium strings of its words when they
    were worked out for the whole line it is drawn on (`_pdfium_lines`)."""

    items: list[object] = field(default_factory=list)
    matrix: _Matrix | None = None  # text space to the page, from the text matrix and the CTM
    font_size: float = 0.0
    cursor: float = 0.0
    rise: float = 0.0
    pdfium: dict[int, str] | None = None
    fallback: bool = False
    joined: dict[int, str] = field(default_factory=dict)  # a link broken onto the next line, whole
    dropped: set[int] = field(default_factory=set)  # the rest of such a link, carried by the line above
    poppler: dict[int, str] | None = None

    def size_on_page(self) -> float:
        return self.font_size * self.scale()

    def place(self, x: float, y: float) -> tuple[float, float]:
        """A point of text space on the page."""
        a, b, c, d, e, f = self.matrix or _IDENTITY
        return a * x + c * y + e, b * x + d * y + f

    def scale(self) -> float:
        a, b, c, d, _, _ = self.matrix or _IDENTITY
        return abs(a * d - b * c) ** 0.5

    def glyphs(self) -> list[int]:
        return [index for index, item in enumerate(self.items) if isinstance(item, _Glyph)]

    def text(self, index: int) -> str:
        item = self.items[index]
        assert isinstance(item, _Glyph)
        return item.text


_TJ_END = object()


def _rewrite(operations: Sequence[Operation], tables: _FontTables, right_to_left: bool
             ) -> Iterator[Operation]:
    """The page's operations with each text object's words wrapped in ActualText spans.

    The page is read whole first: in a right-to-left document each reader reorders a line made
    of several text objects (a link, a bold word, the cells of a table row) as one string, so
    the strings of its words are worked out together (`_pdfium_lines`, `_poppler_lines`).
    """
    items: list[Operation | _Line] = []
    line: _Line | None = None
    font: _Font | None = None
    size = 0.0
    matrix = _IDENTITY
    saved: list[_Matrix] = []
    for operands, operator in operations:
        if operator == b"Tf" and len(operands) == 2:
            name = str(operands[0])
            table = tables.get(name)
            font = _Font(table, tables.raw(name), tables.metrics(name)) if table is not None else None
            size = float(operands[1])  # type: ignore[arg-type]
        if line is None and operator == b"q":
            saved.append(matrix)
        elif line is None and operator == b"Q" and saved:
            matrix = saved.pop()
        elif line is None and operator == b"cm" and len(operands) == 6:
            matrix = _multiply(_numbers(operands), matrix)
        if operator == b"BT":
            items.append((operands, operator))
            line = _Line(font_size=size)
            items.append(line)
            continue
        if line is not None and operator == b"ET":
            line = None
        elif line is not None and operator == b"TJ" and font is not None:
            array = operands[0]
            assert isinstance(array, ArrayObject)
            _read_tj(line, array, font)
            continue
        elif line is not None:
            if operator == b"Tm" and len(operands) == 6:
                line.matrix, line.cursor = _multiply(_numbers(operands), matrix), 0.0
            elif operator == b"Tf":
                line.font_size = size
            elif operator == b"Ts" and len(operands) == 1:
                line.rise = float(operands[0])  # type: ignore[arg-type]
            line.items.append((operands, operator))
            continue
        items.append((operands, operator))
    if right_to_left:
        _pdfium_lines([item for item in items if isinstance(item, _Line)])
        _poppler_lines([item for item in items if isinstance(item, _Line)])
    for item in items:
        if isinstance(item, _Line):
            yield from _wrap(item, right_to_left)
        else:
            yield item


_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _numbers(operands: list[object]) -> _Matrix:
    a, b, c, d, e, f = (float(value) for value in operands)  # type: ignore[arg-type]
    return a, b, c, d, e, f


def _multiply(first: _Matrix, then: _Matrix) -> _Matrix:
    """`first` followed by `then`, as PDF matrices compose (a point times first, then then)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _read_tj(line: _Line, array: ArrayObject, font: _Font) -> None:
    """Split a TJ array into glyphs (two-byte codes, as WeasyPrint writes) and their adjustments,
    each glyph placed where it is drawn (no character or word spacing, as WeasyPrint writes)."""
    size = line.font_size
    for element in array:
        if isinstance(element, (ByteStringObject, TextStringObject)):
            raw = element.original_bytes
            if not raw:
                line.items.append(_Glyph(b"", ""))
            for offset in range(0, len(raw), 2):
                code = raw[offset:offset + 2]
                number = int.from_bytes(code, "big")
                line.items.append(_Glyph(code, font.table.get(number, ""),
                                         raw=(font.raw.get(number) or chr(number))[:1], x=line.cursor,
                                         rise=line.rise, width=font.metrics.width(number) * size / 1000))
                line.cursor += font.metrics.advance(number) * size / 1000
        else:
            line.cursor -= float(element) * size / 1000
            if line.items and isinstance(line.items[-1], _Glyph):
                line.items[-1].adjust += float(element)
            else:
                line.items.append(float(element))
    line.items.append(_TJ_END)


@dataclass
class _Font:
    """A font resource as the rewrite reads it: ToUnicode (with marks), as written, and metrics."""

    table: dict[int, str]
    raw: dict[int, str]
    metrics: _Metrics


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


def _typed(text: str) -> str:
    """A word read back (`logical`) with its brackets as typed: a bracket drawn in a right-to-left
    run is drawn mirrored; one in a Latin run is not."""
    return text if any(unicodedata.bidirectional(char) == "L" for char in text) else text.translate(_MIRROR)


def _arabic(text: str) -> bool:
    return any(_arabic_letter(char) for char in text)


_APPROXIMATELY = "~≈∼"
_HYPHEN_RANGE = re.compile(r"([0-9]+(?:\.[0-9]+)?)-([0-9]+(?:\.[0-9]+)?)")


def _typed_number(visual: str) -> str:
    """A word with no letter as typed, from its glyph texts left to right: drawn in typed order,
    but for a range drawn right to left (`2024–2017`), a full stop or comma after it and a
    tilde before it (`~40%`, drawn `40%~`)."""
    if len(visual) > 1 and visual[-1] in _APPROXIMATELY:
        return visual[-1] + _typed_number(visual[:-1])
    if any(unicodedata.bidirectional(char) == "ON" and 0 < index < len(visual) - 1
           and visual[index - 1].isdigit() and visual[index + 1].isdigit()
           for index, char in enumerate(visual)):
        return logical(list(visual)).translate(_MIRROR)  # `(4)2` is `2(4)`
    typed = _run_text([visual])
    # A hyphen between two numbers is a range, drawn right to left like one with a dash.
    return _HYPHEN_RANGE.sub(r"\2-\1", typed, count=1) if _HYPHEN_RANGE.fullmatch(
        typed.rstrip(_TRAILERS)) else typed


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


def pdfium_line_string(copied: str) -> str:
    """What pdfium must read, in drawing order, to copy a right-to-left line back as `copied`.

    pdfium cuts the line into runs of its direction classes (`_pdfium_class`) and takes them
    from the right: a right-to-left run reversed, brackets mirrored; a left-to-right or weak run
    as it is; a neutral run met after a right-to-left one mirrored in place, one met after a
    left-to-right run as it is. (It reverses a neutral run that starts with a space it added
    from a gap; the spaces of these strings come first, so it adds none that stays.) The string
    is that, undone.
    """
    runs = _class_runs(copied, _pdfium_class)
    parts: list[str] = []
    current = "R"
    for kind, text in runs:
        if kind == "R" or (kind == "N" and current == "R"):
            current = "R"
            parts.append((text[::-1] if kind == "R" else text).translate(_PDFIUM_MIRROR))
        else:
            current = "L" if kind == "L" else current
            parts.append(text)
    return "".join(reversed(parts))


def pdfium_object_text(drawn: str, right_to_left: bool) -> str:
    """The ActualText that puts `drawn` into pdfium's line string for a text object.

    pdfium takes an object's ActualText that reads left to right with each right-to-left run
    read in place (`والـOSCE` is drawn `OSCEـلاو` and goes in with `ـلاو` reversed); one that
    reads right to left goes in with its direction class runs in reverse order, each but the
    right-to-left ones reversed. Either change undoes itself.
    """
    runs = _class_runs(drawn, _pdfium_class)
    if not right_to_left:
        return "".join(text[::-1] if kind == "R" else text for kind, text in runs)
    return "".join(text if kind == "R" else text[::-1] for kind, text in reversed(runs))


def _reads_right_to_left(text: str) -> bool:
    """Whether pdfium takes a text object showing `text` as right to left: it has more
    right-to-left runs than left-to-right ones (`وCIPS`, one of each, reads left to right)."""
    kinds = [kind for kind, _ in _class_runs(text.replace("\0", ""), _pdfium_class)]
    return kinds.count("R") > 0 and kinds.count("R") > kinds.count("L")


@dataclass
class _Piece:
    """A text object pdfium reads: a run of a word's glyphs between TJ breaks, where it is drawn
    on the page (its origin raised by any rise, and its baseline), the widths pdfium gives its
    first and last glyphs, its word, and whether it carries the word's ActualText."""

    line: _Line
    position: int
    x: float
    y: float
    baseline: float
    first: float
    last: float
    carrier: bool
    direction: str


def _pieces(line: _Line) -> Iterator[_Piece]:
    """The text objects pdfium reads from a line once its words are marked: one per TJ run of
    each word; spaces between words draw nothing pdfium keeps."""
    scale = line.scale()
    for position, word in enumerate(_words(line)):
        lead, chunks = _lead(line, word)
        for chunk in lead + chunks:
            glyphs = [item for item in (line.items[index] for index in chunk)
                      if isinstance(item, _Glyph) and item.code]
            if not glyphs or not any(glyph.width for glyph in glyphs):
                continue
            x, y = line.place(glyphs[0].x, glyphs[0].rise)
            yield _Piece(line, position, x, y, line.place(glyphs[0].x, 0.0)[1], glyphs[0].width * scale,
                         glyphs[-1].width * scale, chunk is chunks[0], "".join(glyph.raw for glyph in glyphs))


def _pdfium_lines(lines: list[_Line]) -> None:
    """Give the words of each line pdfium reads as one their pdfium strings, worked out together.

    pdfium gathers a page's text objects, in the order they are drawn, into groups while each
    one's origin stays level with the rightmost of the group (within half the wider of their
    glyphs), sorts each group left to right and reads the groups one after another; a raised
    mark ends a group. A line ends where the baseline moves. Each word's ActualText goes on one
    of its objects (the first holding a letter); its others get U+FFFE, which pdfium drops.
    """
    order: list[_Piece] = []
    group: list[_Piece] = []
    for piece in (piece for line in lines if line.matrix is not None for piece in _pieces(line)):
        if group and abs(piece.y - group[-1].y) > max(group[-1].last, piece.first) / 2:
            order += group
            group = []
        index = len(group)
        while index and piece.x < group[index - 1].x:
            index -= 1
        group.insert(index, piece)
    order += group
    read: list[list[_Piece]] = []
    for piece in order:
        if read and abs(piece.baseline - read[-1][-1].baseline) <= piece.line.size_on_page() / 2:
            read[-1].append(piece)
        else:
            read.append([piece])
    found: list[_ReadLine | None] = []
    for pieces in read:
        carriers = [piece for piece in pieces if piece.carrier]
        words = {(id(piece.line), piece.position) for piece in pieces}
        line = _ReadLine.of(carriers) if len(words) == len(carriers) else None
        if line is None:
            _fall_back(pieces)
        found.append(line)
    for first, second in itertools.pairwise(found):
        if first is not None and second is not None:
            first.join(second)
    for line in found:
        if line is not None and not line.assign():
            _fall_back(line.carriers)


def _fall_back(pieces: list[_Piece]) -> None:
    """Leave the text objects of these words to the strings each gets on its own."""
    for piece in pieces:
        piece.line.pdfium = None
        piece.line.fallback = True


@dataclass
class _ReadLine:
    """A line as pdfium reads it: the objects carrying its words' ActualText in the order pdfium
    reads them, and the line's text as typed in the units it is drawn in from left to right,
    each with the carriers of its words (`_copied_units`)."""

    carriers: list[_Piece]
    units: list[tuple[str, list[_Piece]]]

    @classmethod
    def of(cls, carriers: list[_Piece]) -> _ReadLine | None:
        placed = sorted(carriers, key=lambda piece: piece.x)
        words = [_word_text(piece.line, piece.position) for piece in placed]
        if not all(text for _, text in words):
            return None
        units = [(text, [placed[index] for index in indexes])
                 for text, indexes in _copied_units(words, [id(piece.line) for piece in placed])]
        return cls(carriers, units)

    def join(self, following: _ReadLine) -> None:
        """Carry a link broken over two lines whole on this line: a Latin run that ends the line
        with a slash (a link breaks only after one) takes the Latin word the next line starts
        with, whose object pdfium then drops."""
        if not self.units or not following.units:
            return
        (end, end_words), (start, start_words) = self.units[0], following.units[-1]
        latin = all(any(unicodedata.bidirectional(char) == "L" for char in text) for text in (end, start))
        if " " in end or " " in start or not end.endswith("/") or len(start_words) != 1 or not latin:
            return
        self.units[0] = (end + start, end_words)
        following.units.pop()
        following.carriers = [piece for piece in following.carriers if piece is not start_words[0]]
        start_words[0].line.dropped.add(start_words[0].position)
        end_words[0].line.joined[end_words[0].position] = end + start

    def assign(self) -> bool:
        """Set the pdfium strings of the line's words: its text turned into what pdfium must read
        (`pdfium_line_string`), cut at its spaces, a piece to each word in the order pdfium reads
        them, each put as its object's direction needs (`pdfium_object_text`).

        Each piece but the last ends in its space. pdfium adds a space of its own where two
        objects are apart, which folds into the one before it; it would reverse a neutral run
        starting with a space of its own, and a space there when the gap is closed (kerning)
        keeps the words apart. An object reads right to left when its glyphs do, or, holding no
        strong glyph (digits and brackets), when its ActualText has Arabic and no Latin letter.
        """
        copied = " ".join(text for text, _ in reversed(self.units))
        pieces = pdfium_line_string(copied).split(" ")
        if len(pieces) != len(self.carriers) or not all(pieces):
            return False
        for index, (carrier, piece) in enumerate(zip(self.carriers, pieces, strict=True)):
            kinds = {kind for kind, _ in _class_runs(piece, _pdfium_class)}
            right_to_left = _reads_right_to_left(carrier.direction) or ("R" in kinds and "L" not in kinds)
            if index + 1 < len(self.carriers):
                piece += " "
            if carrier.line.pdfium is None and not carrier.line.fallback:
                carrier.line.pdfium = {}
            if carrier.line.pdfium is not None:
                carrier.line.pdfium[carrier.position] = pdfium_object_text(piece, right_to_left)
        return True


def poppler_line_string(copied: str) -> str:
    """What poppler must read, left to right, to copy a right-to-left line back as `copied`.

    poppler reads a line's text left to right and, for a right-to-left page, takes it from the
    right: a right-to-left section (up to a Latin letter or a digit or a number's separator,
    `_poppler_left`) reversed, then a left-to-right one (up to a right-to-left letter) as it is.
    A left-to-right section so ends on a letter or digit: neutrals typed after it, before a
    right-to-left word or the line's end, get a right-to-left mark (U+200F) before them so that
    they start the next right-to-left section. The string is that, undone.
    """
    sections: list[tuple[str, str]] = []
    index = 0
    while index < len(copied):
        start = index
        while start < len(copied) and not _poppler_left(copied[start]):
            start += 1
        end = start
        while end < len(copied) and not _poppler_right(copied[end]):
            end += 1
        last = end
        while last > start and not _poppler_left(copied[last - 1]):
            last -= 1
        if last < end:
            copied = copied[:last] + RLM + copied[last:]
        sections.append((copied[index:start], copied[start:last]))
        index = last
    return "".join(left + right[::-1].translate(_POPPLER_MIRROR) for right, left in reversed(sections))


def _poppler_left(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("L", "EN", "AN", "CS", "ES", "ET")


def _poppler_right(char: str) -> bool:
    return char == RLM or unicodedata.bidirectional(char) in ("R", "AL")


def _poppler_lines(lines: list[_Line]) -> None:
    """Give the words of each line poppler reads as one, holding an Arabic letter, their poppler
    strings, worked out together: the line's text as typed (`_copied_units`), turned into what
    poppler must read (`poppler_line_string`) and cut at its spaces, a piece to each word left
    to right. poppler reads the text objects of one baseline as a line until a gap wider than
    1.5 em (a table's next cell). A link broken over two lines is carried whole by its first part
    (`_ReadLine.join`)."""
    rows: dict[float, list[_Line]] = {}
    for line in lines:
        if line.matrix is not None and _words(line):
            baseline = round(line.place(0.0, 0.0)[1], 1)
            rows.setdefault(baseline, []).append(line)
    for row in rows.values():
        row.sort(key=lambda line: line.place(0.0, 0.0)[0])
        segment: list[_Line] = []
        for line in row:
            if segment and line.place(0.0, 0.0)[0] - segment[-1].place(segment[-1].cursor, 0.0)[0] > (
                    1.5 * line.size_on_page()):
                _poppler_segment(segment)
                segment = []
            segment.append(line)
        _poppler_segment(segment)


def _poppler_segment(segment: list[_Line]) -> None:
    words = [(line, position) for line in segment for position in range(len(_words(line)))]
    texts = [_word_text(line, position) for line, position in words]
    if not all(text for _, text in texts):
        return
    units = []
    for text, indexes in _copied_units(texts, [id(line) for line, _ in words]):
        line, position = words[indexes[0]]
        if len(indexes) == 1 and position in line.dropped:
            continue
        units.append(line.joined.get(position, text) if len(indexes) == 1 else text)
    kept = [(line, position) for line, position in words if position not in line.dropped]
    pieces = poppler_line_string(" ".join(reversed(units))).split(" ")
    if len(pieces) != len(kept) or not all(pieces):
        return
    for line in segment:
        line.poppler = {position: "" for position in line.dropped}
    for (line, position), piece in zip(kept, pieces, strict=True):
        assert line.poppler is not None
        line.poppler[position] = piece


def _signed(visual: str) -> bool:
    """Whether a number's glyphs show a sign drawn left of its digits, as only a left-to-right
    run draws it (a right-to-left line draws `+44` as `44+`)."""
    text = visual.lstrip(_TRAILERS)
    return len(text) > 1 and unicodedata.bidirectional(text[0]) == "ES" and text[1].isdigit()


def _priced(visual: str) -> bool:
    """Whether a number's glyphs hold a currency sign (`$3.5`, `€20`)."""
    return any(unicodedata.category(char) == "Sc" for char in visual)


def _word_text(line: _Line, position: int) -> tuple[str, str]:
    """A word's glyph texts left to right, and its text read back (`logical`)."""
    word = _words(line)[position]
    return "".join(line.text(index) for index in word), logical([line.text(index) for index in word])


def _copied_units(words: list[tuple[str, str]], boxes: Sequence[object] = ()) -> list[tuple[str, list[int]]]:
    """A line's text as typed, in the units it is drawn in from left to right, from each word's
    glyph texts and text read back, with the indexes of the words of each: a word, or a run of
    words with a Latin letter drawn left to right (an isolated run). A number left of such a run
    is drawn before it, right to left, and stays a unit of its own, as numbers one after another
    do, unless one of them, in the same text object (`boxes`: one key per word), shows a sign
    drawn left of its digits (`+44 20 7946 0958`); a number in Arabic-Indic digits reads back as
    typed."""
    boxes = list(boxes) or [None] * len(words)
    units: list[tuple[str, list[int]]] = []
    index = 0
    while index < len(words):
        end = index
        while end < len(words) and not _arabic(words[end][1]) and poppler_text(words[end][1]) is not None:
            end += 1
        if end == index:
            units.append((words[index][1].translate(_MIRROR), [index]))
            index += 1
            continue
        start = index
        while start < end and not any(unicodedata.bidirectional(char) == "L" for char in words[start][1]):
            start += 1
        if (start == end and end - index > 1 and len(set(boxes[index:end])) == 1
                and any(_signed(visual) for visual, _ in words[index:end])):
            start = index  # numbers drawn left to right together in one box: an isolated run
        while index < start < end and _priced(words[start - 1][0]) and boxes[start - 1] == boxes[start]:
            start -= 1  # an amount left of a Latin run in its box opens it: `$3.5 billion`
        for position in range(index, start):
            visual, text = words[position]
            arabic_indic = any(unicodedata.bidirectional(char) == "AN" for char in text)
            units.append((text.translate(_MIRROR) if arabic_indic else _typed_number(visual), [position]))
        if start < end:
            units.append((_run_text([visual for visual, _ in words[start:end]]), list(range(start, end))))
        index = end
    return units


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


def _lead(line: _Line, word: list[int]) -> tuple[list[list[int]], list[list[int]]]:
    """A word's leading text objects that hold only marks, and the rest, by text object."""
    chunks = _chunks(line, word)
    lead: list[list[int]] = []
    while len(chunks) > 1 and not any(_arabic_letter(c) or _left_to_right(c) for i in chunks[0]
                                      for c in line.text(i)):
        lead.append(chunks.pop(0))
    return lead, chunks


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
        copied = poppler_text(_typed(text))
        if position in line.joined:
            copied = poppler_text(line.joined[position])
        if position in line.dropped:
            copied = ""
        if line.poppler is not None:
            copied = line.poppler.get(position)
        if copied is None and line.pdfium is None and position not in line.dropped:
            continue
        lead, chunks = _lead(line, word)
        spanned = (arabic or line.poppler is not None or position in line.joined or position in line.dropped
                   ) and copied is not None
        if spanned:
            assert copied is not None
            before.setdefault(word[0], []).append(_mark(POPPLER_TAG, copied))
        if line.pdfium is not None or position in line.dropped:
            for chunk in lead + chunks:
                text_of_chunk = PDFIUM_SKIP
                if chunk is chunks[0] and line.pdfium is not None and position not in line.dropped:
                    text_of_chunk = line.pdfium.get(position, PDFIUM_SKIP)
                before.setdefault(chunk[0], []).append(_mark(PDFIUM_TAG, text_of_chunk))
                after.setdefault(chunk[-1], []).append(_END)
            if spanned:
                after.setdefault(word[-1], []).append(_END)
            continue
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
        after.setdefault(word[-1], []).extend([_END, _END] if spanned else [_END])
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

