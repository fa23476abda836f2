"""Set a paragraph or heading written wholly in the other direction in that direction: an English quote in
an Arabic brief reads left to right, from the left margin, with its full stop at its end. A
tight list item written so stays in its list's direction, its text one span of its own.

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
from ..text.localise import Localiser

_RIGHT_TO_LEFT = frozenset(("R", "AL"))
_OPENERS = frozenset(("paragraph_open", "heading_open"))  # what holds an inline set in its own direction


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


def in_its_direction(value: object, localiser: Localiser) -> Markup:
    """A list item's text as the edition prints it; one written wholly in the other direction
    as a span of that direction and language (localised in it), so that its item keeps its
    list's direction, as a tight list item of the brief does (`item_span`)."""
    written = written_direction(str(value), localiser.direction)
    if written == localiser.direction:
        return localiser.html(value, last_words=True)
    text = Localiser(written, localiser.digits).html(value, last_words=True)
    return Markup(f'<span dir="{written}" lang="{LANGUAGE[written]}">') + text + Markup("</span>")


def paragraph_directions(tokens: Sequence[Token], direction: Direction
                         ) -> tuple[list[Token], dict[int, Direction], set[int]]:
    """`tokens` with `dir` and `lang` on each paragraph or heading written in the other direction; that
    direction by the index of the paragraph's inline token; and the indexes of the inlines of
    tight list items written in it, whose text is set in it as one span (`item_span`).

    A tight list item keeps its list's direction: its marker stays on the list's side and its
    indent with it, beside its siblings and its parent item, and its text, an isolate in its
    own direction, starts beside the marker and keeps its full stop at its end."""
    result = list(tokens)
    found: dict[int, Direction] = {}
    items: set[int] = set()
    for index, token in enumerate(result):
        if token.type != "inline" or index == 0 or result[index - 1].type not in _OPENERS:
            continue
        written = written_direction("".join(inline_text(token)), direction)
        if written == direction:
            continue
        opener = index - 1
        found[index] = written
        if result[opener].hidden:  # a tight list's paragraph: no element of its own
            items.add(index)
            continue
        result[opener] = result[opener].copy(attrs={**result[opener].attrs, "dir": written,
                                                    "lang": LANGUAGE[written]})
    return result, found, items


def item_span(children: list[Token], written: Direction) -> list[Token]:
    """A tight list item's text, written in the other direction, as one span of it."""
    return [Token("span_open", "span", 1, attrs={"dir": written, "lang": LANGUAGE[written]}),
            *children, Token("span_close", "span", -1)]
