"""Page quality read from glyph positions: what a print designer checks before signing off.

Five rules, each a finding with its page: a page that ends on a heading or on a line that
introduces what follows (`:`), a last page under a quarter full, a title or heading whose last
line is a single word, Latin digits standing alone in an Arabic-Indic edition (list markers,
counters), and an identifier cut at a line end (`S/` | `RES/2397`, `YEi.` | `004`).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2

from ..text.bidi import segments
from .geometry import Line, Page

MIN_LAST_PAGE_FILL = 0.25
LATIN_NUMBER = re.compile(r"[0-9]+")
CUT_AT_START = re.compile(r"^[A-Za-z0-9]")
_EDGES = ".,;:!?()[]«»\"'،؛؟"  # punctuation a reader may attach to either end of a word


@dataclass(frozen=True)
class PageFinding:
    """One page-quality problem: its page, the rule it breaks, and what was seen."""

    page: int
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"page {self.page}: {self.rule}: {self.detail}"


def _body(page: Page, size: float) -> list[Line]:
    """The lines between the page's margins: not the running heads and footers."""
    return [line for line in page.lines if 0.06 * page.height < line.top < 0.93 * page.height
            and line.glyphs]


BODY_SHARE = 0.25  # the text's size holds at least this share of the glyphs


def body_size(pages: Iterable[Page]) -> float:
    """The size the text is set in: the largest that holds a quarter of the glyphs. The most
    common size is the notes' in a brief of many long notes, whose text then read as headings;
    headings and figures are larger, and hold far fewer glyphs."""
    sizes = Counter(round(glyph.size, 1) for page in pages for line in page.lines for glyph in line.glyphs)
    total = sum(sizes.values())
    return max((size for size, count in sizes.items() if count >= BODY_SHARE * total),
               default=max(sizes, key=lambda size: sizes[size], default=0.0))


def _logical_end(line: Line, rtl: bool) -> str:
    """The last character of a line in reading order: its leftmost glyph in a right-to-left line."""
    ordered = sorted(line.glyphs, key=lambda glyph: glyph.x0)
    return (ordered[0] if rtl else ordered[-1]).text


def _words(line: Line, gap: float) -> list[str]:
    """A line's words left to right: glyphs split where the gap between them is a word space."""
    words: list[str] = []
    previous = None
    for glyph in sorted(line.glyphs, key=lambda glyph: glyph.x0):
        if previous is None or glyph.x0 - previous.x1 > gap:
            words.append(glyph.text)
        else:
            words[-1] += glyph.text
        previous = glyph
    return words


def stranded_lines(pages: list[Page], rtl: bool) -> list[PageFinding]:
    """A page, not the last, whose body ends on a heading or on a line ending with `:`."""
    size = body_size(pages)
    found = []
    for page in pages[:-1]:
        body = _body(page, size)
        if not body:
            continue
        last = max(body, key=lambda line: line.top)
        if last.size > size * 1.15 and not last.in_font("Amiri"):
            found.append(PageFinding(page.number, "heading at the foot", reading_excerpt(last)))
        elif _logical_end(last, rtl) in {":", "："}:
            found.append(PageFinding(page.number, "lead-in at the foot",
                                     f"'{reading_excerpt(last)}' ends the page; what it introduces "
                                     "is overleaf"))
    return found


def last_page_fill(pages: list[Page]) -> float:
    """How much of the last page's body height its text takes, from 0 to 1."""
    if not pages:
        return 0.0
    page = pages[-1]
    body = _body(page, body_size(pages))
    if not body:
        return 0.0
    top, bottom = 0.06 * page.height, 0.93 * page.height
    reach = max(glyph.bottom for line in body for glyph in line.glyphs)
    return max(0.0, min(1.0, (reach - top) / (bottom - top)))


def single_word_last_lines(pages: list[Page]) -> list[PageFinding]:
    """A title or heading (set larger than the text) wrapped onto a last line of one word."""
    size = body_size(pages)
    found = []
    for page in pages:
        display = sorted((line for line in _body(page, size) if line.size > size * 1.15
                          and "...." not in line.text), key=lambda line: line.top)  # not contents
        for upper, lower in itertools.pairwise(display):
            stacked = abs(upper.size - lower.size) < 0.2 and lower.top - upper.top < upper.size * 2.2
            alone = len(_words(lower, lower.size * 0.2)) == 1 < len(_words(upper, upper.size * 0.2))
            if stacked and alone:
                found.append(PageFinding(page.number, "one word alone on a title's last line",
                                         reading_excerpt(lower)))
    return found


def reader_lines(path: Path, arabic_only: bool = False) -> list[list[str]]:
    """Each page's lines as pdfium's text layer gives them, in its reading order.

    With `arabic_only`, the text of every element the PDF's structure tags in a language other
    than Arabic (`/Lang`, its own or inherited) is blanked: a parallel annex's English column
    keeps its own digits, and pdfium joins its paragraph numbers to the Arabic column's. So is
    the text a figure draws (an SVG chart's labels, in a form the figure's marked content
    holds): the author's drawing, which the edition does not typeset."""
    import pypdfium2.raw as pdfium

    document = pypdfium2.PdfDocument(str(path))
    try:
        found = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            other = _other_language_content(page.raw) if arabic_only else set()
            if other:
                held = _held_by_forms(page.raw)
                text = "".join(
                    " " if (drawn := pdfium.FPDFText_GetTextObject(textpage.raw, at))
                    and _content_id(drawn, held) in other
                    else chr(pdfium.FPDFText_GetUnicode(textpage.raw, at))
                    for at in range(textpage.count_chars()))
            found.append(text.replace("\r", "").split("\n"))
        return found
    finally:
        document.close()


def _address(handle: Any) -> int | None:
    """Where a pdfium object handle points: one object reached two ways has one address."""
    import ctypes

    return ctypes.cast(handle, ctypes.c_void_p).value


def _held_by_forms(page: object) -> dict[int | None, int]:
    """Each object drawn inside a form XObject (as WeasyPrint draws an SVG image), by address, to
    the marked-content id that holds it: its own, or the one around the form that draws it."""
    import pypdfium2.raw as pdfium

    held: dict[int | None, int] = {}

    def visit(form: object, outer: int) -> None:
        for at in range(pdfium.FPDFFormObj_CountObjects(form)):
            inner = pdfium.FPDFFormObj_GetObject(form, at)
            own = pdfium.FPDFPageObj_GetMarkedContentID(inner)
            held[_address(inner)] = own if own != -1 else outer
            if pdfium.FPDFPageObj_GetType(inner) == pdfium.FPDF_PAGEOBJ_FORM:
                visit(inner, held[_address(inner)])

    for at in range(pdfium.FPDFPage_CountObjects(page)):
        drawn = pdfium.FPDFPage_GetObject(page, at)
        if pdfium.FPDFPageObj_GetType(drawn) == pdfium.FPDF_PAGEOBJ_FORM:
            visit(drawn, pdfium.FPDFPageObj_GetMarkedContentID(drawn))
    return held


def _content_id(drawn: object, held: dict[int | None, int]) -> int:
    """The marked-content id that holds a text object, through the forms around it."""
    import pypdfium2.raw as pdfium

    own = int(pdfium.FPDFPageObj_GetMarkedContentID(drawn))
    return held.get(_address(drawn), own) if own == -1 else own


def _other_language_content(page: object) -> set[int]:
    """The marked-content ids of a page whose structure element is tagged in a language other
    than Arabic, or is a figure (or inside one); none in an untagged PDF."""
    import ctypes

    import pypdfium2.raw as pdfium

    def language(element: object) -> str:
        size = pdfium.FPDF_StructElement_GetLang(element, None, 0)
        if size <= 2:
            return ""
        buffer = ctypes.create_string_buffer(size)
        pdfium.FPDF_StructElement_GetLang(element, buffer, size)
        return buffer.raw[:size - 2].decode("utf-16-le")

    def figure(element: object) -> bool:
        size = pdfium.FPDF_StructElement_GetType(element, None, 0)
        buffer = ctypes.create_string_buffer(size)
        pdfium.FPDF_StructElement_GetType(element, buffer, size)
        return buffer.raw[:size - 2].decode("utf-16-le") == "Figure"

    def walk(element: object, inherited: str, in_figure: bool) -> Iterable[int]:
        own = language(element) or inherited
        in_figure = in_figure or figure(element)
        if in_figure or (own and own.split("-")[0].lower() != "ar"):
            for at in range(pdfium.FPDF_StructElement_GetMarkedContentIdCount(element)):
                yield pdfium.FPDF_StructElement_GetMarkedContentIdAtIndex(element, at)
        for at in range(pdfium.FPDF_StructElement_CountChildren(element)):
            child = pdfium.FPDF_StructElement_GetChildAtIndex(element, at)
            if child:
                yield from walk(child, own, in_figure)

    tree = pdfium.FPDF_StructTree_GetForPage(page)
    if not tree:
        return set()
    try:
        return {mcid for at in range(pdfium.FPDF_StructTree_CountChildren(tree))
                if (element := pdfium.FPDF_StructTree_GetChildAtIndex(tree, at))
                for mcid in walk(element, "", False)}
    finally:
        pdfium.FPDF_StructTree_Close(tree)


def lone_latin_numbers(lines: list[list[str]]) -> list[PageFinding]:
    """In an Arabic-Indic edition, a number in Latin digits outside every left-to-right run.

    `lines` holds, per page, its right-to-left lines in reading order (a text layer's); the
    build's own run finder sets identifiers, codes, Latin phrases and their digits aside, so what
    is left is a list marker, a counter or a number that missed the edition's digits.
    """
    found = []
    for number, page in enumerate(lines, start=1):
        for line in page:
            tokens = line.split()
            for at, token in enumerate(tokens):
                if not LATIN_NUMBER.search(token) or _in_a_run(token.strip(_EDGES), line):
                    continue
                if _beside_identifier(tokens, at):
                    continue
                for digits in LATIN_NUMBER.findall(token):
                    found.append(PageFinding(number, "Latin digits in an Arabic-Indic edition",
                                             f"'{digits}' in '{line[:40]}'"))
    return found


def _in_a_run(token: str, line: str) -> bool:
    """Whether the build's own run finder puts `token` in a left-to-right run of `line`."""
    return any(segment.is_run and token in segment.text for segment in segments(line, "rtl"))


def _beside_identifier(tokens: list[str], at: int) -> bool:
    """Whether `tokens[at]` is, or stands beside, a piece of an identifier a reader took apart.

    A reader's own bidi moves a run's pieces around a right-to-left line (`2024/632 (CFSP (`,
    `0958 7946 20 +44`, `(2017) /2397RES/S`): digits joined to or next to Latin letters, a slash,
    a plus sign or other Latin digits are such a piece, not a lone number of the Arabic text."""
    if re.search(r"[A-Za-z/+@]", tokens[at]):
        return True
    return any(re.search(r"[A-Za-z/+@0-9]", other) for other in (*tokens[max(0, at - 1):at],
                                                                  *tokens[at + 1:at + 2]))


def cut_identifiers(lines: list[list[str]]) -> list[PageFinding]:
    """An identifier cut at a line end, from a reader's lines: `S/` | `RES/2397`, `YEi.` | `004`,
    `(CFSP)` | `2024/632`. `lines` holds, per page, its lines in reading order (a text layer's)."""
    found = []
    for number, page in enumerate(lines, start=1):
        for this, following in itertools.pairwise(page):
            words, after = this.split(), following.split()
            if words and after and _cuts(words[-1], after[0]):
                found.append(PageFinding(number, "identifier cut at a line end",
                                         f"'{words[-1]}' | '{after[0]}'"))
    return found


# A line end that is a piece of a URL, whose lines may break after a slash (`https://` |
# `example.org/drought/`, `example.org/` | `drought/`), as the build lets them.
URL_PIECE = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|[a-z0-9-]+(?:\.[a-z0-9-]+)+/)")


# A word that ends a sentence, capitalised or not: no identifier (`Jizan.`, `Council.`).
_WORD_AT_SENTENCE_END = re.compile(r"[\"'(«]?[A-Z]?[a-z]+[)\"'»]?\.")
# An identifier that ends in a digit or a bracket, then a full stop, is whole and ends a sentence
# (`S/2021/606.`, `(2017).`): a note's number on the next line (`3.`) does not continue it.
_WHOLE_AT_SENTENCE_END = re.compile(r"[0-9)]\.$")


def _cuts(end: str, start: str) -> bool:
    """Whether a line ending in `end` and the next starting with `start` cut one identifier."""
    if end.endswith("/") and CUT_AT_START.match(start):
        return not URL_PIECE.match(end)  # S/ | RES/2397
    if end.endswith(".") and start[:1].isdigit() and re.search(r"[A-Za-z]", end) \
            and re.search(r"[A-Z0-9]", end[:-1]) and not _WORD_AT_SENTENCE_END.fullmatch(end) \
            and not _WHOLE_AT_SENTENCE_END.search(end):
        return True  # YEi. | 004, S/PV. | 9999; not `Jizan.` | `1.` (a note after a sentence)
    return bool(re.fullmatch(r"\([A-Z]{2,}\)", end)) and start[:1].isdigit()  # (CFSP) | 2024/632


_ARABIC = re.compile("[\u0600-\u06ff]")
_LEFT_TO_RIGHT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 .,/:%()\-]*[A-Za-z0-9)])?")


def reading_excerpt(line: Line, limit: int = 40) -> str:
    """A line's first words in reading order, for a message: a right-to-left line's glyphs read
    from the right, its left-to-right runs as drawn."""
    text = " ".join(_words(line, line.size * 0.2))
    if _ARABIC.search(text):
        text = _LEFT_TO_RIGHT.sub(lambda run: run[0][::-1], text[::-1])
    return text if len(text) <= limit else text[:limit] + "..."
