"""One function for every text that reaches a document: bidi isolation, numerals, line breaks."""

from __future__ import annotations

from .bidi import HELD, LRI, PDI, RLI, Direction, Segment, segments, strip_isolates
from .breaks import (
    bind_range,
    bind_unit,
    end_mark,
    hold_symbol,
    hold_together,
    unbind,
    url_breaks,
)
from .numerals import DigitStyle, write_numbers

ARABIC_LETTER_MARK = "\u061c"


class Localiser:
    """Text as an edition prints it: runs of the other direction isolated, numbers in its digits.

    In right-to-left text every left-to-right run (Latin words and phrases, URLs, e-mail
    addresses, document symbols, phone numbers, codes, ISO dates) is wrapped in LRI ... PDI
    and keeps its Latin digits; numbers outside those runs are in Arabic context and take
    the edition's digits. In left-to-right text, Arabic runs are wrapped in RLI ... PDI and
    their numbers take the edition's digits.
    """

    def __init__(self, direction: Direction, digits: DigitStyle) -> None:
        self.direction: Direction = direction
        self.digits: DigitStyle = digits

    def __call__(self, value: object) -> str:
        """`value` as body text, titles and labels print it."""
        pieces = segments(str(value), self.direction)
        return "".join(self._piece(pieces, index) for index in range(len(pieces)))

    def plain(self, value: object) -> str:
        """`value` for metadata: the edition's digits, no isolates or joiners (see README)."""
        return strip_isolates(unbind(self(value)))

    def _piece(self, pieces: list[Segment], index: int) -> str:
        segment = pieces[index]
        text = segment.text
        if index and pieces[index - 1].kind in {"range", "signed", "number"} and segment.kind == "text":
            text = bind_unit(text)
        if segment.kind == "arabic":
            return RLI + write_numbers(text, self.digits) + PDI
        if segment.kind == HELD:
            return hold_symbol(text)
        if segment.is_run:
            if "url" in segment.kinds:
                text = url_breaks(text)
            elif segment.kinds == ("symbol",):
                text = hold_symbol(text)  # `S/RES/2397 (2017)`, never `S/` | `PV.9999`
            else:
                text = hold_together(bind_range(text))  # `2019-01-01 – 2019-08-31`, `sc-1718-x`
            return LRI + text + end_mark(text) + PDI
        if segment.kind in {"range", "signed", "number"}:
            return self._number(segment)
        return text

    def _number(self, segment: Segment) -> str:
        """A number outside any run: in the edition's digits in right-to-left text."""
        text = segment.text
        if self.direction == "rtl" and self.digits != "latin":
            text = write_numbers(text, self.digits)
        elif self.direction == "rtl" and segment.kind == "signed":
            text = LRI + text + PDI  # `-3.5%` would otherwise be drawn `%3.5-`
        if segment.kind == "range" and self.direction == "rtl" and "-" in text:
            # Pango reads European digits after an Arabic letter as Arabic ones, and a hyphen
            # between those is neutral: `12-15` is drawn `15-12` mid-line but `12-15` at the
            # start of a line. An Arabic letter mark before it draws it as a dash range always is.
            text = ARABIC_LETTER_MARK + text
        return bind_range(text) if segment.kind == "range" else text
