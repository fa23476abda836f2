"""Keep a run of the other direction whole where inline markup cuts it: `**maximum** pressure`.

WeasyPrint lays out each inline box on its own and places a right-to-left line's boxes from
right to left, so an isolate cannot span two boxes: `<strong>maximum</strong> pressure` would be
drawn `pressure maximum`. A run that markup cuts (emphasis, a link, inline code, a line break)
is wrapped in a `<span dir>` of its own direction instead, whose boxes WeasyPrint places in
that direction; the markup open where the span starts or ends is closed and reopened around it,
so the HTML stays well nested.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from ..text.bidi import segments
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
    """The runs of the other direction that more than one child holds a part of."""
    offsets = _offsets(children)
    text_spans = [offsets[index] for index, child in enumerate(children) if child.type in _TEXT]
    runs, position = [], 0
    text = "".join(_stands_for(child) for child in children)
    for segment in segments(text, "rtl" if direction == "rtl" else "ltr"):
        start, position = position, position + len(segment.text)
        if segment.is_run and segment.kind != "isolated" and not any(
                low <= start and position <= high for low, high in text_spans):
            runs.append(_Run(start, position))
    return runs


def localised_children(children: Sequence[Token], localiser: Localise,
                       retarget: Callable[[Token], Token] = lambda token: token) -> list[Token]:
    """Copies of an inline token's children, localised, with each cut run in a `<span dir>`."""
    runs = cut_runs(children, localiser.direction) if isinstance(localiser, Localiser) else []
    if not runs or not isinstance(localiser, Localiser):
        return [_localised(retarget(child), localiser) for child in children]
    return list(_Wrapper(localiser, runs).children(children, retarget))


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
                yield Token("span_open", "span", 1, attrs={"dir": self._run_direction})
                self._inside_run = True
            else:
                yield Token("span_close", "span", -1)
                self._inside_run = False
            yield from (token.copy() for token in self._open)
