"""Right-to-left layout read from glyph positions: anchoring, list markers, left-to-right runs."""

from __future__ import annotations

import collections
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from ..text.bidi import segments
from .geometry import Line, Page, is_arabic, is_rtl, visual_text
from .languages import arabic_script
from .pagequality import reading_excerpt
from .textlayer import BIDI_CONTROLS, fold_digits

TOLERANCE = 1.5  # points
BULLETS = frozenset("•◦▪▫■□●○‣⁃–—-*·")
_NUMBER_MARKER = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]+\.$")
MIN_REORDERED = 4  # a shorter run is too likely to find its characters by chance


@dataclass(frozen=True)
class Finding:
    """One layout problem on one page."""

    page: int
    message: str

    def __str__(self) -> str:
        return f"page {self.page}: {self.message}"


_LATIN = re.compile("[A-Za-z]")


def _blocks(page: Page) -> list[list[Line]]:
    """Right-to-left text segments grouped into paragraphs: same size, stacked, overlapping."""
    segments = sorted((segment for line in page.lines for segment in line.segments()
                       if is_rtl(segment)), key=lambda segment: segment.top)
    blocks: list[list[Line]] = []
    for segment in segments:
        for block in reversed(blocks):
            last = block[-1]
            overlap = min(last.x1, segment.x1) - max(last.x0, segment.x0)
            if (abs(last.size - segment.size) < 0.5 and 0 < segment.top - last.top <= 2 * segment.size
                    and overlap > 0.5 * min(last.x1 - last.x0, segment.x1 - segment.x0)):
                block.append(segment)
                break
        else:
            blocks.append([segment])
    return blocks


def _slack(line: Line) -> float:
    """A line whose rightmost glyph is not Arabic may start one space in (WeasyPrint keeps it)."""
    rightmost = max(line.glyphs, key=lambda glyph: glyph.x1)
    return 0.0 if is_arabic(rightmost.text) else 0.4 * line.size


def anchoring_problems(pdf_pages: list[Page], ltr_document: bool = False,
                       blocks: dict[tuple[int, int], str] | None = None) -> tuple[list[Finding], int]:
    """Paragraphs of Arabic lines that start together at the left and end ragged at the right.

    In a document that declares a left-to-right language (`ltr_document`), a paragraph is
    examined only where it is declared right to left: with the structure's block languages
    (`languages.block_languages`), one whose glyphs are in blocks of an Arabic-script language
    (an Arabic span in an English card label, list item or paragraph is set left to right by
    design); without, one with no Latin letter (an English paragraph that holds an Arabic run).
    Returns the findings and how many multi-line paragraphs were examined.
    """
    findings = []
    examined = 0
    for page in pdf_pages:
        for block in _blocks(page):
            if len(block) < 2 or (ltr_document and not _declared_right_to_left(block, page.number, blocks)):
                continue
            examined += 1
            left = min(line.x0 for line in block)
            right = max(line.x1 for line in block)
            ragged = [line for line in block if right - line.x1 > TOLERANCE + _slack(line)]
            if ragged and all(line.x0 - left <= TOLERANCE for line in block):
                findings.append(Finding(page.number, (
                    f"right-to-left paragraph anchored at the left: {len(block)} lines start at "
                    f"x={left:.1f} and {len(ragged)} end short of x={right:.1f} "
                    f"({_excerpt(ragged[0])})")))
    return findings, examined


def _declared_right_to_left(block: list[Line], page: int,
                            blocks: dict[tuple[int, int], str] | None) -> bool:
    """Whether a paragraph of a left-to-right document is meant to be set right to left: its
    glyphs' blocks are in an Arabic-script language; where the structure does not say (an
    untagged PDF, glyphs outside marked content), when it holds no Latin letter."""
    found = (blocks or {}).get
    languages = {language for line in block for glyph in line.glyphs
                 if glyph.mcid is not None and (language := found((page, glyph.mcid))) is not None}
    if not languages:
        return not any(_LATIN.search(line.text) for line in block)
    return all(arabic_script(language) for language in languages)


def marker_problems(pdf_pages: list[Page], ltr_document: bool = False) -> tuple[list[Finding], int]:
    """Arabic list items whose marker (a bullet, or `1.`) is drawn on their left.

    In a document that declares a left-to-right language (`ltr_document`), a marker on the left
    is its list's side, which an Arabic item keeps (README, "Mixed runs"): not a finding.
    Returns the findings and how many markers were found on the right.
    """
    findings = []
    right = 0
    for page in pdf_pages:
        for line in page.lines:
            for segment in line.segments():
                if len(segment.glyphs) < 3 or not is_rtl(segment):
                    continue
                glyphs = segment.glyphs
                if glyphs[-1].text in BULLETS:
                    right += 1
                elif ltr_document:
                    continue
                elif glyphs[0].text in BULLETS and glyphs[1].x0 - glyphs[0].x1 > 0.15 * segment.size:
                    findings.append(Finding(page.number, f"list marker '{glyphs[0].text}' drawn left of "
                                                         f"its right-to-left item ({_excerpt(segment)})"))
                else:
                    marker = _left_number(glyphs, segment.size)
                    if marker:
                        findings.append(Finding(page.number, f"list number '{marker}' drawn left of "
                                                             f"its right-to-left item ({_excerpt(segment)})"))
    return findings, right


def _left_number(glyphs: tuple, size: float) -> str | None:
    """`12.` at the left end of a line, followed by a gap and no leader dots."""
    text = ""
    for index, glyph in enumerate(glyphs[:-1]):
        text += glyph.text
        following = glyphs[index + 1]
        if following.x0 - glyph.x1 > 0.2 * size:
            return text if _NUMBER_MARKER.fullmatch(text) and following.text != "." else None
    return None


def _excerpt(line: Line) -> str:
    """A line's first words in reading order, as the page-quality findings quote them: its
    glyphs' text is in drawing order, an Arabic line's letters reversed and its spaces gone."""
    return repr(reading_excerpt(line, 24))


def ltr_runs(source: str) -> list[str]:
    """The left-to-right runs of a source text, found as the build finds them (`text.bidi`):
    Latin words and phrases, URLs, e-mail addresses, handles, document symbols, phone numbers,
    amounts, measures, codes and ISO dates.

    Runs are returned without spaces and with digits folded to ASCII, as `visual_text` gives
    lines. Numbers, signed numbers and ranges follow the text's direction and are left out.
    """
    text = fold_digits(BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", source)))
    runs = ("".join(segment.text.split()) for paragraph in text.splitlines()
            for segment in segments(paragraph, "rtl") if segment.is_run)
    return [run for run in runs if len(run) >= 3]


# A note call's number after a run's closing punctuation: in a source, `S/RES/2397 (2017). 9`
# is one run (the number after a left-to-right run goes with it, as bidi resolves it), but the
# page draws the call as a box of its own, beside the Arabic sentence's full stop.
_NOTE_CALL_AT_END = re.compile(r"[.,;:!?\u060c\u061b]+[0-9]{1,3}$")


def _without_note_call(run: str) -> str:
    """The run without a note call's number (and the punctuation before it) at its end."""
    return _NOTE_CALL_AT_END.sub("", run)


def _has_window(text: str, run: str) -> bool:
    """Whether some stretch of `text` as long as `run` holds the same characters in any order."""
    wanted = collections.Counter(run)
    if not set(wanted) <= set(text):
        return False
    size = len(run)
    window = collections.Counter(text[:size])
    for start in range(len(text) - size + 1):
        if start:
            window[text[start - 1]] -= 1
            window[text[start + size - 1]] += 1
        if not wanted - window:
            return True
    return False


def ltr_run_problems(pdf_pages: list[Page], source: str) -> tuple[list[Finding], int]:
    """Runs of the source drawn out of order: their characters are on a line, not left to right.

    A run may wrap: its start at one end of a line and its rest at the other end of the next.
    A run whose characters are nowhere together, on a line or across two, is taken as absent. Returns the
    findings and how many runs were found drawn left to right.
    """
    findings = []
    drawn = 0
    lines = [(page.number, visual_text(segment)) for page in pdf_pages for line in page.lines
             for segment in line.segments()]
    index = _LineIndex([(number, text) for number, text in lines if text])
    for run in dict.fromkeys(ltr_runs(source)):
        if index.holds(run) or index.holds(_without_note_call(run)):
            drawn += 1
            continue
        if len(run) < MIN_REORDERED:
            continue  # `1/2` has its characters together in `2021/03/15` without being there
        for number, text in index.windows(run):
            if _has_window(text, run):
                findings.append(Finding(number, f"left-to-right run {run!r} is not drawn left to right "
                                                f"(the line reads {_around(text, run)!r})"))
                break
    return findings, drawn


class _LineIndex:
    """The PDF's lines, indexed so that looking up one run costs little however many there are.

    A source holds thousands of runs and a long PDF thousands of lines: each run is found
    with one substring search, and only the lines that hold all its characters are read.
    """

    def __init__(self, lines: list[tuple[int, str]]) -> None:
        self.lines = lines
        self.text = "\n".join(text for _, text in lines)
        self.holding: dict[str, set[int]] = collections.defaultdict(set)
        self.ends: dict[tuple[str, str], list[int]] = collections.defaultdict(list)
        for index, (_, text) in enumerate(lines):
            for char in set(text):
                self.holding[char].add(index)
            if index + 1 < len(lines):
                self.ends[text[0], lines[index + 1][1][-1]].append(index)
        self._seams: dict[int, str] = {}

    def holds(self, run: str) -> bool:
        """Whether the run is drawn left to right on a line, or wraps onto the next line."""
        return run in self.text or self._wraps(run)

    def _wraps(self, run: str) -> bool:
        """The run's start at the end of a line and its rest at the start of the next, or its
        start at the start of a line and its rest at the end of the next."""
        size = len(run) - 1
        if size not in self._seams:
            self._seams[size] = "\n".join(first[-size:] + second[:size] for (_, first), (_, second)
                                          in itertools.pairwise(self.lines))
        if run in self._seams[size]:
            return True
        for index in self.ends.get((run[0], run[-1]), ()):
            first, second = self.lines[index][1], self.lines[index + 1][1]
            if any(first.startswith(run[:cut]) and second.endswith(run[cut:]) for cut in range(1, len(run))):
                return True
        return False

    def windows(self, run: str) -> Iterator[tuple[int, str]]:
        """Each line, then each two lines joined both ways, that hold every character of the run."""
        chars = sorted(set(run), key=lambda char: len(self.holding.get(char, ())))
        rare = self.holding.get(chars[0], set())
        for index in sorted(rare):
            if all(index in self.holding[char] for char in chars):
                yield self.lines[index]
        pairs = [index for index in sorted({near for index in rare for near in (index - 1, index)})
                 if 0 <= index < len(self.lines) - 1
                 and all(index in self.holding[char] or index + 1 in self.holding[char] for char in chars)]
        for index in pairs:
            yield self.lines[index][0], self.lines[index][1] + self.lines[index + 1][1]
        for index in pairs:
            yield self.lines[index][0], self.lines[index + 1][1] + self.lines[index][1]


def _around(text: str, run: str) -> str:
    """The stretch of a line that holds the run's characters, for the message."""
    wanted = collections.Counter(run)
    size = len(run)
    for start in range(len(text) - size + 1):
        if not wanted - collections.Counter(text[start:start + size]):
            return text[start:start + size]
    return text[:size]
