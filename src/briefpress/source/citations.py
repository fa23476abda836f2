"""Citations: `[@id]` in a brief's text names a source of `publication.yaml` by its id.

A markdown-it inline rule turns `[@id]` into a `citation` token, so the citation is part of
the parsed text: it is filtered with its block, and a source is printed, in a citation or
in a sources list, only where an edition shows text that cites it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .model import Block, Brief, Source

CITATION = re.compile(r"\[@([a-z0-9][a-z0-9-]*)\]")
_ARABIC = re.compile("[\u0600-\u06ff]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})


def citation_rule(state: StateInline, silent: bool) -> bool:
    """A markdown-it inline rule: `[@id]` is a citation token, whose meta holds the id."""
    match = CITATION.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"id": match[1]}
        token.content = match[0]
    state.pos = match.end()
    return True


def cited(tokens: Iterable[Token]) -> Iterator[str]:
    """The source ids `tokens` cite, in order, at any depth of their inline children."""
    for token in tokens:
        for child in token.children or []:
            if child.type == "citation":
                yield child.meta["id"]


def block_citations(blocks: Iterable[Block]) -> Iterator[tuple[str, int]]:
    """(source id, line) of every citation in `blocks` (their own tokens, not their children's)."""
    for block in blocks:
        yield from ((source, block.line) for source in cited(block.tokens))


def citation_text(source: Source, *, entry: bool = False) -> str:
    """A source as a citation prints it: author، title، publisher، date، symbol، URL. The text
    around a citation punctuates it; an `entry` of a sources list ends with a full stop (unless
    its last part already ends a sentence)."""
    parts = [source.author, source.title, source.publisher, source.date, source.symbol, source.url]
    arabic = bool(_ARABIC.search(source.title))
    text = ("، " if arabic else ", ").join(part for part in parts if part)
    return text + "." if entry and not text.endswith((".", "!", "?", "؟")) else text


def bibliographic_order(sources: Iterable[Source]) -> list[Source]:
    """Sources as an Arabic bibliography lists them: works in Arabic script first, then the others,
    each alphabetically by author (or title), the article `ال` and hamza forms set aside."""
    def key(source: Source) -> tuple[int, str]:
        name = source.author or source.title
        arabic = bool(_ARABIC.match(name.strip()))
        folded = "".join(character for character in unicodedata.normalize("NFKD", name)
                         if not unicodedata.combining(character)).translate(_FOLD).casefold()
        folded = " ".join(word.removeprefix("ال") if arabic else word for word in folded.split())
        return (0 if arabic else 1, folded)

    return sorted(sources, key=key)


def brief_citations(brief: Brief) -> set[str]:
    """The source ids a brief's blocks and notes cite."""
    blocks = [*brief.blocks(), *(block for note in brief.notes for block in note.blocks)]
    return {source for source, _ in block_citations(blocks)}
