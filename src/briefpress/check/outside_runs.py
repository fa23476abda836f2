"""The three reader measures over a source's text outside its runs of the other direction.

A run of the other direction (`text.bidi.segments`: a Latin phrase, symbol or URL in an Arabic
line, an Arabic name or quote in an English one) is drawn as typed, in its own direction; a
reader family that infers logical order from the drawn glyphs by its own bidi puts such a run's
words or neutrals in an order of its own (README, "What each reader gives back"). The text
around the runs is what the layout alone decides, so that is where a build must read back at
least as well as plain WeasyPrint. This module splits a source's units (tokens, words, adjacent
word pairs) into those that touch a run and those that do not, and measures an extracted text
against the latter.
"""

from __future__ import annotations

import collections
import functools
import itertools
import re
from dataclasses import dataclass

from ..text.bidi import Direction, segments
from .readers import Measures, _pairs, _recall, _search_form
from .textlayer import fold_digits, normalise

_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Units:
    """A source's tokens, words and adjacent word pairs (within a line), as multisets."""

    tokens: collections.Counter[str]
    words: collections.Counter[str]
    pairs: collections.Counter[tuple[str, str]]


def _run_spans(line: str, direction: Direction) -> list[tuple[int, int]]:
    """Where the line's runs of the other direction are, as (start, end) offsets."""
    spans, position = [], 0
    for segment in segments(line, direction):
        if segment.is_run:
            spans.append((position, position + len(segment.text)))
        position += len(segment.text)
    if position != len(line):
        raise ValueError(f"the bidi segments of a line do not cover it: {line[:60]!r}")
    return spans


def _tokens(line: str, direction: Direction) -> list[tuple[str, bool]]:
    """The line's tokens as `check.textlayer.tokens` makes them, each with whether it touches a
    run of the other direction: holds a part of one, or stands right beside one (the token
    whose bracket or quote a family's bidi resolves with the run: `(full-text` after an
    Arabic quote)."""
    spans = _run_spans(line, direction)
    found = []
    for match in _TOKEN.finditer(line):
        holds = any(start < match.end() and match.start() < end for start, end in spans)
        found += [(token, holds) for token in normalise(fold_digits(match.group())).split()]
    return [(token, holds or any(found[index + step][1] for step in (-1, 1)
                                 if 0 <= index + step < len(found)))
            for index, (token, holds) in enumerate(found)]


@functools.lru_cache(maxsize=64)
def split_units(source: str, direction: Direction) -> tuple[Units, Units]:
    """The source's units outside every run, and those that touch one (a pair touches a run
    when either of its words does). Remembered for each source, as each of its measures asks
    again: read them, never change them."""
    outside = Units(collections.Counter(), collections.Counter(), collections.Counter())
    touching = Units(collections.Counter(), collections.Counter(), collections.Counter())
    for line in source.splitlines():
        tokens = _tokens(line, direction)
        words = [(word, touches) for token, touches in tokens for word in _search_form(token).split()]
        for token, touches in tokens:
            (touching if touches else outside).tokens[token] += 1
        for word, touches in words:
            (touching if touches else outside).words[word] += 1
        for (first, first_touches), (second, second_touches) in itertools.pairwise(words):
            (touching if first_touches or second_touches else outside).pairs[(first, second)] += 1
    return outside, touching


def measure_outside_runs(source: str, extracted: str, direction: Direction) -> Measures:
    """Exact recall, words recall and word order of the source's text outside its runs of the
    other direction, in the whole extracted text."""
    outside, _ = split_units(source, direction)
    found = normalise(fold_digits(extracted)).split()
    words = [word for token in found for word in _search_form(token).split()]
    return Measures(_recall(outside.tokens, collections.Counter(found)),
                    _recall(outside.words, collections.Counter(words)),
                    _recall(outside.pairs, _pairs(words)))


def run_shares(source: str, direction: Direction) -> Measures:
    """The share of the source's tokens, words and pairs that touch a run of the other direction:
    the most a reader's own ordering of runs can cost each measure."""
    outside, touching = split_units(source, direction)

    def share(name: str) -> float:
        inside, total = getattr(touching, name).total(), getattr(outside, name).total()
        return inside / (inside + total) if inside + total else 0.0

    return Measures(share("tokens"), share("words"), share("pairs"))


def unit_counts(source: str, direction: Direction) -> dict[str, int]:
    """How many units each measure counts outside the runs: tokens for exact, words, pairs for order."""
    outside, _ = split_units(source, direction)
    return {"exact": outside.tokens.total(), "words": outside.words.total(),
            "order": outside.pairs.total()}
