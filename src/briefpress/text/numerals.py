"""Numbers in an edition's digits, with the symbols of CLDR's numbering system taken from Babel."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from babel import Locale
from babel.numbers import (
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
    get_plus_sign_symbol,
)

DigitStyle = Literal["latin", "arabic-indic"]
DIGIT_STYLES: tuple[DigitStyle, ...] = ("latin", "arabic-indic")

# A digit style names a CLDR numbering system; its symbols are those of a locale using it.
NUMBERING_SYSTEMS: dict[str, tuple[str, str]] = {"arabic-indic": ("arab", "ar")}

# A sign only where no digit or letter precedes it, so the dash of `2016-2017` or `كوفيد-19` is
# not a minus.
_NUMBER = re.compile(
    r"(?:(?<![0-9\w])(?P<sign>[-+−]))?(?P<integer>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<fraction>[0-9]+))?"
    r"(?:(?P<space>[ \u00a0\u202f])?(?P<percent>[%‰]))?")


@dataclass(frozen=True)
class NumberSymbols:
    """The digits and symbols one numbering system writes numbers with."""

    digits: str
    decimal: str
    group: str
    percent: str
    minus: str
    plus: str
    per_mille: str = "‰"

    def write(self, match: re.Match[str]) -> str:
        """One number matched by `_NUMBER`, in these digits and symbols."""
        table = str.maketrans("0123456789", self.digits)
        sign = {"-": self.minus, "−": self.minus, "+": self.plus}.get(match["sign"] or "", "")
        text = sign + match["integer"].replace(",", self.group).translate(table)
        if match["fraction"] is not None:
            text += self.decimal + match["fraction"].translate(table)
        if match["percent"]:
            text += (match["space"] or "") + (self.percent if match["percent"] == "%" else self.per_mille)
        return text


@functools.cache
def symbols(style: DigitStyle) -> NumberSymbols | None:
    """The symbols of a digit style, or None for Latin digits (numbers stay as typed)."""
    if style == "latin":
        return None
    system, locale = NUMBERING_SYSTEMS[style]
    zero = unicodedata.lookup("ARABIC-INDIC DIGIT ZERO") if system == "arab" else "0"
    return NumberSymbols(
        digits="".join(chr(ord(zero) + value) for value in range(10)),
        decimal=get_decimal_symbol(locale, numbering_system=system),
        group=get_group_symbol(locale, numbering_system=system),
        percent=Locale.parse(locale).number_symbols[system]["percentSign"],
        minus=get_minus_sign_symbol(locale, numbering_system=system),
        plus=get_plus_sign_symbol(locale, numbering_system=system),
        per_mille=Locale.parse(locale).number_symbols[system]["perMille"],
    )


def write_numbers(text: str, style: DigitStyle) -> str:
    """Every number in `text` (a number, a signed number, a percentage, a range) in `style`.

    Only the symbols the author typed change: `1,000` keeps its group separator, `1000`
    gets none, and a dash between two numbers stays a dash.
    """
    table = symbols(style)
    if table is None:
        return text
    return _NUMBER.sub(table.write, text)
