"""Align a table's numeric columns as `---:` does, on markdown-it's tokens.

A column whose body cells all hold a number (empty cells and a lone dash aside) is set
flush right, so units stand under units. Right, not end: numbers are drawn left to right
in both directions. An alignment the author wrote in the delimiter row always wins.
"""

from __future__ import annotations

import re
import unicodedata

from markdown_it.token import Token

RIGHT = "text-align:right"
PLACEHOLDERS = frozenset({"-", "\u2013", "\u2014", "\u2212"})  # a lone dash: no value
_SIGN = "[+\\-\u2212]"
_GROUP = "[,\u066c\u00a0\u202f\u2009]"  # thousands: comma, Arabic separator, no-break and thin spaces
_DECIMAL = "[.,\u066b]"
_SPACE = "[ \u00a0\u202f\u2009]?"
_PERCENT = "[%\u066a\u2030]"
_AMOUNT = f"(?:(?:\\d{{1,3}}(?:{_GROUP}\\d{{3}})+|\\d+)(?:{_DECIMAL}\\d+)?|{_DECIMAL}\\d+)"
# Every currency symbol (Unicode category Sc), as a class: `re` has no \p{Sc}.
_CURRENCY = "[" + re.escape("".join(chr(code) for code in range(0x20000)
                                    if unicodedata.category(chr(code)) == "Sc")) + "]"
_VALUE = f"{_SIGN}?(?:{_CURRENCY}{_SPACE}{_SIGN}?)?{_AMOUNT}(?:{_SPACE}(?:{_PERCENT}|{_CURRENCY}))?"
_NUMBER = re.compile(f"^{_VALUE}(?:{_SPACE}\u2013{_SPACE}{_VALUE})?$")
_MARKUP = frozenset({"strong_open", "strong_close", "em_open", "em_close", "s_open", "s_close"})
_TEXT = frozenset({"text", "text_special"})


def is_number(text: str) -> bool:
    """Whether a cell's text is one number or a range of two: `1,234.5`, `-3.5%`, `$12`, `2018–2020`."""
    text = "".join(char for char in text if unicodedata.category(char) != "Cf").strip()
    return _NUMBER.match(text) is not None


def cell_text(inline: Token) -> str | None:
    """A cell's plain text, or None when it holds more than text and emphasis (a link, an image, code)."""
    parts = []
    for child in inline.children or []:
        if child.type in _TEXT:
            parts.append(child.content)
        elif child.type not in _MARKUP:
            return None
    return "".join(parts)


def _is_blank(text: str | None) -> bool:
    return text is not None and (not text.strip() or text.strip() in PLACEHOLDERS)


def numeric_columns(rows: list[list[tuple[Token, str | None]]]) -> set[int]:
    """Columns whose body cells (rows after the header) all hold a number, with at least one."""
    found = set()
    body = rows[1:]
    for column in range(len(rows[0]) if rows else 0):
        texts = [row[column][1] for row in body if column < len(row)]
        values = [text for text in texts if not _is_blank(text)]
        if values and all(text is not None and is_number(text) for text in values):
            found.add(column)
    return found


def _rows(tokens: list[Token] | tuple[Token, ...]) -> list[list[tuple[Token, str | None]]]:
    """Each row of a table as (cell opening token, cell text) pairs, the header row first."""
    rows: list[list[tuple[Token, str | None]]] = []
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            rows.append([])
        elif token.type in {"th_open", "td_open"} and rows:
            inline = tokens[index + 1]
            rows[-1].append((token, cell_text(inline) if inline.type == "inline" else None))
    return rows


def align_numeric_columns(tokens: list[Token] | tuple[Token, ...]) -> None:
    """Set `text-align:right` on every cell of each numeric column the author left unaligned."""
    rows = _rows(tokens)
    for column in numeric_columns(rows):
        cells = [row[column][0] for row in rows if column < len(row)]
        if any(cell.attrGet("style") for cell in cells):
            continue  # the author's `:---`, `:---:` or `---:` stands
        for cell in cells:
            cell.attrSet("style", RIGHT)
