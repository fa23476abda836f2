"""One function for every text that reaches a document: bidi isolation, numerals, line breaks."""

from __future__ import annotations

from markupsafe import Markup, escape

from .bidi import HELD, HELD_URL, LANGUAGE, LRI, PDI, RLI, Direction, Segment, alone, segments, strip_isolates
from .breaks import (
    ARABIC_LETTER_MARK,
    RIGHT_TO_LEFT_MARK,
    WORD_JOINER,
    bind_range,
    bind_sign,
    bind_unit,
    end_mark,
    hold_arabic_indic,
    hold_month_pairs,
    hold_numbers,
    hold_symbol,
    hold_together,
    keep_last_words,
    unbind,
    url_breaks,
)
from .numerals import DigitStyle, write_numbers


def _last_words_kept(texts: list[str]) -> list[str]:
    """`texts`, which make up one text, with its last two words held together (`keep_last_words`):
    the word joiner goes into the piece that holds the space it follows."""
    whole = "".join(texts)
    kept = keep_last_words(whole)
    if kept == whole:
        return texts
    at = next(index for index, (a, b) in enumerate(zip(whole, kept, strict=False)) if a != b)
    result, start = [], 0
    for text in texts:
        end = start + len(text)
        result.append(text[:at - start] + WORD_JOINER + text[at - start:] if start < at <= end else text)
        start = end
    return result


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

    def html(self, value: object, last_words: bool = False) -> Markup:
        """`value` as HTML: escaped, and each run of the other language in a span of its own
        direction and language (`<span dir="rtl" lang="ar">`), so that it is a structure element
        with its /Lang (see README, "Read-aloud"): in left-to-right text every Arabic run; in
        right-to-left text a run that holds every letter of `value` (a figure `8,400 km`), but
        no run beside Arabic words, whose line would lose the spaces around it in pdf.js. With
        `last_words`, the last two words are held on one line (`keep_last_words`)."""
        pieces = segments(str(value), self.direction)
        texts = [self._piece(pieces, index) for index in range(len(pieces))]
        if last_words:
            texts = _last_words_kept(texts)
        parts = [escape(text) for text in texts]
        run = "rtl" if self.direction == "ltr" else "ltr"
        spanned = [piece.is_run and piece.kind != "isolated"
                   and (self.direction == "ltr" or alone(piece, pieces)) for piece in pieces]
        return Markup("").join(Markup(f'<span dir="{run}" lang="{LANGUAGE[run]}">{part}</span>')
                               if span else part for span, part in zip(spanned, parts, strict=True))

    def plain(self, value: object) -> str:
        """`value` for metadata: the edition's digits, no isolates or joiners (see README)."""
        return strip_isolates(unbind(self(value)))

    def _piece(self, pieces: list[Segment], index: int) -> str:
        segment = pieces[index]
        text = segment.text
        if index and pieces[index - 1].kind in {"range", "signed", "number"} and segment.kind == "text":
            text = bind_unit(text)
        if segment.kind == "arabic":
            text = hold_month_pairs(hold_numbers(write_numbers(text, self.digits)))  # `١٥ مارس ٢٠٢٤`
            return RLI + text + end_mark(text, RIGHT_TO_LEFT_MARK) + PDI
        if segment.kind == HELD:
            return hold_symbol(text)
        if segment.kind == HELD_URL:
            return url_breaks(text)
        if segment.is_run:
            if "url" in segment.kinds:
                text = url_breaks(text)
            elif segment.kinds == ("symbol",):
                text = hold_symbol(text)  # `S/RES/2397 (2017)`, never `S/` | `PV.9999`
            else:  # `2019-01-01 – 2019-08-31`, `sc-1718-x`, `+971 4 555 0188`, `8,400 km`
                text = hold_numbers(hold_together(bind_range(text)))
            return LRI + text + end_mark(text) + PDI
        if segment.kind in {"range", "signed", "number"}:
            return self._number(segment)
        return hold_month_pairs(hold_arabic_indic(text)) if self.direction == "rtl" else text

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
        if segment.kind == "range" and self.direction == "rtl" and "/" in text:
            # Between two numbers of one kind a slash joins them into one number, drawn left to
            # right (`2024/2025`); a letter mark before it draws a span of years as a dash range
            # is drawn: first year on the right.
            text = text.replace("/", ARABIC_LETTER_MARK + "/")
        return bind_sign(bind_range(text) if segment.kind == "range" else text)
