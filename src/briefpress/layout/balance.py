"""Balance wrapped titles: lines of similar length, chosen from Pango's own line breaking.

WeasyPrint has no `text-wrap: balance`. After a first layout, each title, subtitle, heading or
card label that wraps with a short last line, or with a line of one word under a longer one, is
measured again with WeasyPrint's line breaker
(Pango) at narrower widths: the narrowest width that keeps its number of lines gives lines of
even length, and a second layout sets it as the element's `max-inline-size`.
"""

from __future__ import annotations

import itertools
import types
from collections.abc import Iterator
from typing import Any

BALANCED_TAGS = frozenset(("h1", "h2", "h3"))
# An annex heading's title is a block of its own under its designation, in either column.
BALANCED_CLASSES = frozenset(("subtitle", "sheet-title", "figure-label", "committee", "heading-title"))
SHORT_LAST_LINE = 0.7  # a last line under this share of the longest is worth balancing
_NO_HYPHENATION = types.SimpleNamespace(dictionaries={})  # what the line breaker reads of a layout


def balancing_css(document: Any, root: Any) -> str:
    """CSS rules giving each wrapped title of `document` (laid out from the HTML tree `root`) with
    a short last line the narrowest width that keeps its number of lines; empty when none needs it."""
    from weasyprint.formatting_structure import boxes

    rules = []
    parents: dict[Any, Any] = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            if not isinstance(box, boxes.BlockBox) or box.element is None or not _balanced(box):
                continue
            lines = [child for child in box.children if isinstance(child, boxes.LineBox)]
            widths = [_content_width(line) for line in lines]
            if len(lines) < 2 or (widths[-1] >= SHORT_LAST_LINE * max(widths)
                                  and not _lone_word(lines)):
                continue
            texts = [text for line in lines for text in _texts(line)]
            text = " ".join("".join(box.element.itertext()).split())
            width = _narrowest(text, texts[0].style, box.width, len(lines)) if texts else None
            if width is not None and _leaves_a_word_alone(text, texts[0].style, width):
                width = _no_word_alone(text, texts[0].style, width, box.width, len(lines))
            if width is not None:
                parents = parents or {child: parent for parent in root.iter() for child in parent}
                rules.append(f"{_path(box.element, parents)} {{ max-inline-size: {width + 0.5:.2f}px; }}")
    return "\n".join(rules)


def _word_left_alone(lines: list[str]) -> bool:
    """Whether a line holds one word under a line of several: a word left alone before a run
    that cannot break (`بعد القرار` | `S/RES/2664 (2022)` leaves «القرار» on a line of its own)."""
    words = [len(line.split()) for line in lines]
    return any(count == 1 < above for above, count in itertools.pairwise(words))


def _lone_word(lines: list[Any]) -> bool:
    """`_word_left_alone` in a laid-out box's lines."""
    return _word_left_alone(["".join(text.text for text in _texts(line)) for line in lines])


def _balanced(box: Any) -> bool:
    classes = set(str(box.element.get("class", "")).split())
    return box.element_tag in BALANCED_TAGS or bool(classes & BALANCED_CLASSES)


def _texts(box: Any) -> Iterator[Any]:
    from weasyprint.formatting_structure import boxes

    return (child for child in box.descendants() if isinstance(child, boxes.TextBox))


def _content_width(line: Any) -> float:
    texts = list(_texts(line))
    if not texts:
        return 0.0
    return max(t.position_x + t.width for t in texts) - min(t.position_x for t in texts)


def _broken(text: str, style: Any, width: float) -> list[str]:
    """The lines WeasyPrint's line breaker makes of `text` in `width`."""
    from weasyprint.text.line_break import split_first_line

    lines: list[str] = []
    rest = text
    while rest and len(lines) < 50:
        _, _, resume, _, _, _ = split_first_line(rest, style, _NO_HYPHENATION, width, 0, True)
        if resume is None:
            lines.append(rest)
            break
        raw = rest.encode()
        lines.append(raw[:resume].decode())
        rest = raw[resume:].decode()
    return lines


def _lines_at(text: str, style: Any, width: float) -> int:
    """How many lines WeasyPrint's line breaker makes of `text` in `width`."""
    return len(_broken(text, style, width))


def _leaves_a_word_alone(text: str, style: Any, width: float) -> bool:
    return _word_left_alone(_broken(text, style, width))


def _no_word_alone(text: str, style: Any, narrowest: float, widest: float, lines: int) -> float | None:
    """The narrowest width from `narrowest` up, in steps of a point, that keeps `lines` lines and
    leaves no word alone on a line under a longer one; None when none does."""
    width = narrowest
    while width < widest:
        if _lines_at(text, style, width) == lines and not _leaves_a_word_alone(text, style, width):
            return width
        width += 1.0
    return None


def _narrowest(text: str, style: Any, width: float, lines: int) -> float | None:
    """The narrowest width at which `text` still takes `lines` lines, to a tenth of a point."""
    if _lines_at(text, style, width) != lines:
        return None  # the element's text is not what was laid out: leave it as it is
    low, high = width / lines, width
    while high - low > 0.1:
        middle = (low + high) / 2
        if _lines_at(text, style, middle) > lines:
            low = middle
        else:
            high = middle
    return high if high < width - 1 else None


def _path(element: Any, parents: dict[Any, Any]) -> str:
    """A selector for exactly this element: the chain of `:nth-child` steps from the root."""
    steps = []
    while element in parents:
        parent = parents[element]
        steps.append(f"*:nth-child({list(parent).index(element) + 1})")
        element = parent
    return ":root > " + " > ".join(reversed(steps))
