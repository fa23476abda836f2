"""Where a line may not break: inside a numeric range, after a number, inside a URL but after '/'."""

from __future__ import annotations

import re

# A word joiner after a space forbids the break there (UAX #14 LB11 before LB18). A no-break
# space would do the same, but pdfium copies it to the wrong side of the number.
WORD_JOINER = "\u2060"

LEFT_TO_RIGHT_MARK = "\u200e"
RIGHT_TO_LEFT_MARK = "\u200f"
ZERO_WIDTH_SPACE = "\u200b"
# Characters after which UAX #14 lets a line break inside a left-to-right run.
_BREAK_AFTER = re.compile(r"([-?!|–—])(?=.)")
_INNER_DOT = re.compile(r"(?<=[^\W_])\.(?=[^\W_])")
_SYMBOL_BREAK = re.compile(r"([/.\- ])(?=.)")
_URL_BREAK = re.compile(r"(?<=/)(?=[^/])")
# WeasyPrint lays out each line's text on its own, so a line that starts inside a URL has
# lost the URL's LRI: a left-to-right mark on both sides of each break point keeps the
# trailing '/' and a leading number left to right. A mark is a combining character for
# line breaking, so the break is the zero-width space between them.
URL_BREAK = LEFT_TO_RIGHT_MARK + ZERO_WIDTH_SPACE + LEFT_TO_RIGHT_MARK
_RANGE_DASH = re.compile(r" ?([–—/]) ?")
_INDIC = "\u0660-\u0669\u06f0-\u06f9"  # Arabic-Indic and Eastern Arabic-Indic digits
_DIGIT = "0-9" + _INDIC
_NUMBER_SPACE = re.compile(rf"(?<=[{_DIGIT}]) (?=\S)|(?<=\S) (?=[+{_DIGIT}])")
_UNIT = re.compile(r"^ (?=[^\W\d_])")
_INDIC_RANGE = re.compile(rf"[{_INDIC}]\u061c? ?[–—/] ?(?=[{_INDIC}])")  # \u061c: `_span_of_years`
_INDIC_UNIT = re.compile(rf"(?<=[{_INDIC}]) (?=[^\W\d_])")
# Two years in Arabic-Indic digits around a slash (`٢٠٢٤/٢٠٢٥`), and no third number.
_INDIC_YEARS = re.compile(rf"(?<![{_INDIC}/])([{_INDIC}]{{4}})/(?=([{_INDIC}]{{4}})(?![{_INDIC}/]))")
ARABIC_LETTER_MARK = "\u061c"
_SPACED_SIGN = re.compile(rf"(?<=[{_DIGIT}]) (?=[%‰٪؉])|(?<=[<>≤≥≠≈±]) (?=[{_DIGIT}])")


# Arabic month names, Levantine and Iraqi then Egyptian, and the ordinals of the two-word ones
# (`كانون الثاني/يناير`), which a slash pairs: `آذار/مارس` is one date word.
_MONTHS = ("كانون|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين|الأول|الثاني|يناير|فبراير|مارس|"
           "أبريل|إبريل|ابريل|مايو|يونيو|يونيه|يوليو|يوليه|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|"
           "ديسمبر")
_MONTH_PAIR = re.compile(rf"(?<!\w)((?:{_MONTHS})/)(?=(?:{_MONTHS})(?!\w))")


def hold_month_pairs(text: str) -> str:
    """`آذار/مارس` never broken after its slash: a month named in two calendars is one word."""
    return _MONTH_PAIR.sub(r"\1" + WORD_JOINER, text)


def bind_range(text: str) -> str:
    """`2016 – 2017` held on one line: a word joiner after the dash and after each space."""
    return _RANGE_DASH.sub(lambda match: match[0].replace(" ", " " + WORD_JOINER).replace(
        match[1], match[1] + WORD_JOINER), text)


def bind_sign(number: str) -> str:
    """`3,5 %` and `≥ 2` held on one line: a word joiner after the space before a percent or
    per-mille sign, and after the space between a comparison sign and its number."""
    return _SPACED_SIGN.sub(" " + WORD_JOINER, number)


def _span_of_years(match: re.Match[str]) -> str:
    """`٢٠٢٤/٢٠٢٥` drawn as a range is, first year on the right: a slash between two Arabic-Indic
    numbers joins them into one number, drawn left to right, unless a letter mark comes first."""
    later = int(match[2]) > int(match[1])
    return match[1] + (ARABIC_LETTER_MARK if later else "") + "/"


def hold_arabic_indic(text: str) -> str:
    """Numbers typed in Arabic-Indic digits in Arabic text, held as `bind_range` and `bind_unit`
    hold the numbers runs are found for (`٢٠١٦ – ٢٠١٧`, `١٫٥ مليار`): such digits need no
    isolate, so they stay inside the Arabic text's segment. A span of years (`٢٠٢٤/٢٠٢٥`) reads
    right to left, as one typed in Latin digits does (README, "Numerals", rule 6)."""
    text = _INDIC_YEARS.sub(_span_of_years, text)
    return _INDIC_UNIT.sub(" " + WORD_JOINER, _INDIC_RANGE.sub(lambda match: bind_range(match[0]), text))


def bind_unit(following: str) -> str:
    """The text after a number, held to it when a word follows one space (`7.5 طن`)."""
    return _UNIT.sub(" " + WORD_JOINER, following, count=1) if following.startswith(" ") else following


def hold_together(run: str) -> str:
    """A left-to-right run with no break after its hyphens, dashes and question marks, nor at a
    dot inside a word (`YEi.004`, `U.S.`)."""
    return _INNER_DOT.sub("." + WORD_JOINER, _BREAK_AFTER.sub(r"\1" + WORD_JOINER, run))


def hold_numbers(run: str) -> str:
    """A run with no break at a space next to a digit: a phone number (`+971 4 555 0188`), a
    number and its unit (`8,400 km`) or a date (`15 مارس 2024`) stays on one line, where
    a line laid out without the run's isolate would draw its pieces in the other order."""
    return _NUMBER_SPACE.sub(" " + WORD_JOINER, run)


def hold_symbol(symbol: str) -> str:
    """A document symbol held on one line: a word joiner after each slash, dot, hyphen and space."""
    return _SYMBOL_BREAK.sub(r"\1" + WORD_JOINER, symbol)


def url_breaks(url: str) -> str:
    """A URL that may break only after '/', and keeps its order on every line it spans."""
    return _URL_BREAK.sub(URL_BREAK, _BREAK_AFTER.sub(r"\1" + WORD_JOINER, url))


def end_mark(run: str, mark: str = LEFT_TO_RIGHT_MARK) -> str:
    """A mark of the run's direction for a run that ends in punctuation (`annexes/`, `(2017)`,
    `(ليلى حداد)`): left to right by default, `RIGHT_TO_LEFT_MARK` for an Arabic run.

    On a line that starts inside the run, the isolate is gone and the PDI has nothing to
    close, so a final '/' or ')' would take the paragraph's direction without it.
    """
    return "" if run[-1:].isalnum() else mark


def unbind(text: str) -> str:
    """`text` without the joiners and URL breaks added here: for metadata, which is not laid out."""
    text = text.replace(URL_BREAK, "").replace(WORD_JOINER, "")
    for mark in (LEFT_TO_RIGHT_MARK, RIGHT_TO_LEFT_MARK):
        text = text.replace(mark + "\u2069", "\u2069")  # an end mark
    return text


_CONTROLS = re.compile("[\u200b-\u200f\u2060-\u2069\u061c]")
LAST_WORDS_LIMIT = 28  # characters the last two words of a line may hold and still be kept together


def keep_last_words(text: str) -> str:
    """`text` whose last two words stay on one line, so no line is left holding one word alone.

    The break at the last space is forbidden (a word joiner after it), when the two words are
    short enough to move together: a long pair would only push a wide gap onto the line before.
    """
    at = text.rstrip().rfind(" ")
    if at <= 0 or text[at + 1:at + 2] == WORD_JOINER:
        return text
    before = text[:at].rstrip().rsplit(" ", 1)[-1]
    pair = _CONTROLS.sub("", before + " " + text[at + 1:]).strip()
    if not before or len(pair) > LAST_WORDS_LIMIT:
        return text
    return text[:at + 1] + WORD_JOINER + text[at + 1:]


def hold_name(name: str, separator: str) -> str:
    """A cross-reference's name that breaks only after its separators: «المادة 5، الفقرة 2 (ب)»
    never leaves «المادة» at the end of a line and «5» at the start of the next."""
    return separator.join(part.replace(" ", " " + WORD_JOINER) for part in name.split(separator))
