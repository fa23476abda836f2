"""Keep a run of the other direction whole where inline markup cuts it: `**maximum** pressure`.

WeasyPrint lays out each inline box on its own and places a right-to-left line's boxes from
right to left, so an isolate cannot span two boxes: `<strong>maximum</strong> pressure` would be
drawn `pressure maximum`. A run that markup cuts (emphasis, a link, inline code, a line break)
is wrapped in a `<span dir>` of its own direction instead, whose boxes WeasyPrint places in
that direction; the markup open where the span starts or ends is closed and reopened around it,
so the HTML stays well nested.

In left-to-right text every Arabic run is a span of its own, cut or not, with `lang="ar"`: its
structure element then carries its /Lang for a screen reader, and MuPDF and pdf.js read it as a
piece of its own, in order (measured: README, "Read-aloud"). In right-to-left text an uncut run
stays in its line's text box, because pdf.js loses the spaces at the edges of an inline box
drawn right to left.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from ..text.bidi import LANGUAGE, alone, segments, strip_isolates
from ..text.breaks import unbind
from ..text.localise import Localiser

Localise = Callable[[str], str]

# What a child that is not text stands for in the inline's text: a line break is a space,
# an image a character that neither joins nor belongs to any run.
_STANDS_FOR = {"softbreak": "\n", "hardbreak": "\n", "image": "<"}
_TEXT = frozenset(("text", "code_inline"))


@dataclass(frozen=True)
class _Run:
    start: int
    end: int


def _stands_for(child: Token) -> str:
    """What a child is in the inline's text: its text, a space, a stop, or nothing (markup)."""
    return child.content if child.type in _TEXT else _STANDS_FOR.get(child.type, "")


def _offsets(children: Sequence[Token]) -> list[tuple[int, int]]:
    """Each child's (start, end) in the inline's text; markup tokens are empty."""
    ends = list(itertools.accumulate(len(_stands_for(child)) for child in children))
    return [(end - len(_stands_for(child)), end) for child, end in zip(children, ends, strict=True)]


def cut_runs(children: Sequence[Token], direction: str) -> list[_Run]:
    """The runs of the other direction that a span of their own holds: those more than one child
    holds a part of; in left-to-right text, every Arabic run; in any text, a run that is all
    the inline's letters (a table cell holding `SWIFT`), which has no neighbour to lose a space to."""
    offsets = _offsets(children)
    text_spans = [offsets[index] for index, child in enumerate(children) if child.type in _TEXT]
    runs, position = [], 0
    text = "".join(_stands_for(child) for child in children)
    pieces = segments(text, "rtl" if direction == "rtl" else "ltr")
    for segment in pieces:
        start, position = position, position + len(segment.text)
        if segment.is_run and segment.kind != "isolated" and (
                direction == "ltr" or alone(segment, pieces)
                or not any(low <= start and position <= high for low, high in text_spans)):
            runs.append(_Run(start, position))
    return runs



def localised_children(children: Sequence[Token], localiser: Localise,
                       retarget: Callable[[Token], Token] = lambda token: token) -> list[Token]:
    """Copies of an inline token's children, localised, with each cut run in a `<span dir>`, and
    the language on an element (emphasis, a link, inline code) that holds one run and nothing else."""
    runs = cut_runs(children, localiser.direction) if isinstance(localiser, Localiser) else []
    if not runs or not isinstance(localiser, Localiser):
        result = [_localised(retarget(child), localiser) for child in children]
    else:
        result = list(_Wrapper(localiser, runs).children(children, retarget))
    return _languages_marked(result, localiser.direction) if isinstance(localiser, Localiser) else result


def _languages_marked(tokens: list[Token], direction: str) -> list[Token]:
    """`tokens` with `lang` on each element whose text is one run of the other direction alone
    (`**Marine Repair Unit**`, `[Panel of Experts](...)`, `` `S/RES/1718` ``): it is an inline box
    of its own already, so its structure element takes the run's language at no cost."""
    run = "ltr" if direction == "rtl" else "rtl"

    def alone_run(localised: str) -> bool:
        pieces = segments(strip_isolates(unbind(localised)), "rtl" if direction == "rtl" else "ltr")
        return any(piece.is_run and piece.kind != "isolated" and alone(piece, pieces) for piece in pieces)

    def holds_one_run(index: int) -> bool:
        token = result[index]
        if token.type == "code_inline":
            return alone_run(token.content)
        return (token.nesting == 1 and token.type != "span_open" and index + 2 < len(result)
                and result[index + 1].type == "text" and result[index + 2].nesting == -1
                and alone_run(result[index + 1].content))

    result = list(tokens)
    inside_span = 0  # a run's span carries the language already
    for index, token in enumerate(result):
        inside_span += {"span_open": 1, "span_close": -1}.get(token.type, 0)
        if not inside_span and holds_one_run(index):
            result[index] = token.copy(attrs={**token.attrs, "lang": LANGUAGE[run]})
    return result


def _localised(child: Token, localise: Localise) -> Token:
    if child.type in _TEXT:
        return child.copy(content=localise(child.content))
    if child.type == "image":
        return child.copy(content=localise(child.content),
                          children=[_localised(c, localise) for c in child.children or []])
    return child


class _Wrapper:
    """Walks an inline's children, cutting text at run edges and opening and closing spans."""

    def __init__(self, localiser: Localiser, runs: list[_Run]) -> None:
        self._outside = localiser
        # A left-to-right run keeps Latin digits; an Arabic run takes the edition's.
        self._inside = Localiser(localiser.direction,
                                 "latin" if localiser.direction == "rtl" else localiser.digits)
        self._run_direction = "ltr" if localiser.direction == "rtl" else "rtl"
        self._edges = sorted({edge for run in runs for edge in (run.start, run.end)})
        self._starts = {run.start for run in runs}
        self._open: list[Token] = []
        self._inside_run = False

    def children(self, children: Sequence[Token], retarget: Callable[[Token], Token]) -> Iterator[Token]:
        for child, (start, end) in zip(children, _offsets(children), strict=True):
            child = retarget(child)
            if child.nesting == -1:
                yield from self._edges_before(start, inclusive=False)
                self._open.pop()
                yield child
                continue
            yield from self._edges_before(start, inclusive=True)
            if child.nesting == 1:
                self._open.append(child)
                yield child
            elif child.type in _TEXT:
                yield from self._text(child, start, end)
            else:
                yield _localised(child, self._localise)
        yield from self._edges_before(float("inf"), inclusive=True)

    def _localise(self, text: str) -> str:
        return (self._inside if self._inside_run else self._outside)(text)

    def _text(self, child: Token, start: int, end: int) -> Iterator[Token]:
        position = start
        for edge in [edge for edge in self._edges if start < edge < end]:
            yield child.copy(content=self._localise(child.content[position - start:edge - start]))
            position = edge
            yield from self._edges_before(edge, inclusive=True)
        yield child.copy(content=self._localise(child.content[position - start:]))

    def _edges_before(self, position: float, inclusive: bool) -> Iterator[Token]:
        """Spans opened or closed at every run edge up to `position`, markup reopened inside."""
        while self._edges and (self._edges[0] < position or (inclusive and self._edges[0] == position)):
            edge = self._edges.pop(0)
            yield from (Token(token.type.replace("_open", "_close"), token.tag, -1)
                        for token in reversed(self._open))
            if edge in self._starts and not self._inside_run:
                yield Token("span_open", "span", 1, attrs={"dir": self._run_direction,
                                                           "lang": LANGUAGE[self._run_direction]})
                self._inside_run = True
            else:
                yield Token("span_close", "span", -1)
                self._inside_run = False
            yield from (token.copy() for token in self._open)
