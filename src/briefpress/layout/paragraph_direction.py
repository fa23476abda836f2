"""Set a paragraph written wholly in the other direction in that direction: an English quote in
an Arabic brief reads left to right, from the left margin, with its full stop at its end.

WeasyPrint ignores `dir=auto`, so the paragraph's direction is decided here, from its letters:
in a right-to-left document a paragraph with Latin letters and no Arabic one is left to right,
and the other way round. Table cells keep the document's direction, so a column stays aligned.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from markdown_it.token import Token
from markupsafe import Markup

from ..source.model import inline_text
from ..text.bidi import LANGUAGE, Direction

_RIGHT_TO_LEFT = frozenset(("R", "AL"))


def written_direction(text: str, direction: Direction) -> Direction:
    """`direction`, or the other one when every letter of `text` is of the other direction."""
    kinds = {unicodedata.bidirectional(character) for character in text if character.isalpha()}
    if direction == "rtl" and "L" in kinds and not kinds & _RIGHT_TO_LEFT:
        return "ltr"
    if direction == "ltr" and kinds & _RIGHT_TO_LEFT and "L" not in kinds:
        return "rtl"
    return direction


def direction_attribute(value: object, direction: Direction) -> Markup:
    """` dir="rtl" lang="ar"` (or `ltr`, `en`) for an element holding `value` when it is written
    wholly in the other direction, else nothing: a fact-sheet item or an annex clause typed in
    Arabic in an English publication is set right to left, like a paragraph of the brief, and
    tagged with its language."""
    written = written_direction(str(value), direction)
    return Markup(f' dir="{written}" lang="{LANGUAGE[written]}"') if written != direction else Markup("")


def paragraph_directions(tokens: Sequence[Token], direction: Direction
                         ) -> tuple[list[Token], dict[int, Direction]]:
    """`tokens` with `dir` and `lang` on each paragraph (or tight list item) written in the other
    direction, and that direction by the index of the paragraph's inline token."""
    result = list(tokens)
    found: dict[int, Direction] = {}
    for index, token in enumerate(result):
        if token.type != "inline" or index == 0 or result[index - 1].type != "paragraph_open":
            continue
        written = written_direction("".join(inline_text(token)), direction)
        if written == direction:
            continue
        opener = index - 1
        if result[opener].hidden:  # a tight list's paragraph: its item carries the direction
            opener = index - 2
            if opener < 0 or result[opener].type != "list_item_open":
                continue
        result[opener] = result[opener].copy(attrs={**result[opener].attrs, "dir": written,
                                                    "lang": LANGUAGE[written]})
        found[index] = written
    return result, found
