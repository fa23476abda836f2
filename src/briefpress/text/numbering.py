"""Write the number of a treaty level in a scheme: digits, abjad or Latin letters, roman numerals, words."""

from __future__ import annotations

from typing import Literal, get_args

Scheme = Literal["digits", "abjad", "latin", "roman", "roman-upper", "ordinal-words"]
SCHEMES: tuple[str, ...] = get_args(Scheme)
Gender = Literal["masculine", "feminine"]

# The abjad order Arabic legal texts letter their sub-paragraphs in (أبجد هوز حطي كلمن سعفص قرشت
# ثخذ ضظغ), not the alphabetical order (أ ب ت ث ...). هـ carries a tatweel so it reads as a letter.
ABJAD = ("أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل", "م", "ن", "س", "ع", "ف", "ص",
         "ق", "ر", "ش", "ت", "ث", "خ", "ذ", "ض", "ظ", "غ")
LATIN = "abcdefghijklmnopqrstuvwxyz"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))

# Arabic ordinal adjectives: الأول/الأولى ... العاشر/العاشرة; 11 to 19 take عشر/عشرة; 21 and
# above join the unit (الحادي, not الأول) to the tens with و: الحادية والعشرون.
_UNITS = {
    "masculine": ("الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن",
                  "التاسع", "العاشر"),
    "feminine": ("الأولى", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة", "السابعة",
                 "الثامنة", "التاسعة", "العاشرة"),
}
_COMPOUND_ONE = {"masculine": "الحادي", "feminine": "الحادية"}
_TEEN = {"masculine": "عشر", "feminine": "عشرة"}
_TENS = ("العشرون", "الثلاثون", "الأربعون", "الخمسون", "الستون", "السبعون", "الثمانون",
         "التسعون")
_HUNDRED = "المائة"
# English legal texts name parts and articles by cardinal words: Part One, Article Twenty-One.
_ENGLISH = ("One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
            "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen",
            "Eighteen", "Nineteen")
_ENGLISH_TENS = ("Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety")

LIMITS: dict[str, int] = {"digits": 10**9, "abjad": 3 * len(ABJAD), "latin": 3 * len(LATIN),
                          "roman": 3999, "roman-upper": 3999, "ordinal-words": 100}


def write(number: int, scheme: str, language: str = "ar", gender: str = "masculine") -> str:
    """`number` (1 or more) written in `scheme`; raise ValueError past the scheme's limit.

    Letters run on doubled and then tripled past the last one (`z`, `aa`, `bb`), as legal
    texts letter long lists. Digits are written as ASCII: the edition's localiser gives them
    its own digits, as it does every number in the text.
    """
    if number < 1 or number > LIMITS[scheme]:
        raise ValueError(f"writes numbers from 1 to {LIMITS[scheme]}, not {number}")
    if scheme == "digits":
        return str(number)
    if scheme in ("abjad", "latin"):
        letters = ABJAD if scheme == "abjad" else tuple(LATIN)
        turn, index = divmod(number - 1, len(letters))
        return letters[index] * (turn + 1)
    if scheme in ("roman", "roman-upper"):
        text = _roman(number)
        return text.upper() if scheme == "roman-upper" else text
    return _english_words(number) if language == "en" else _arabic_ordinal(number, gender)


def _roman(number: int) -> str:
    parts = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)


def _arabic_ordinal(number: int, gender: str) -> str:
    units = _UNITS[gender]
    if number == 100:
        return _HUNDRED
    if number <= 10:
        return units[number - 1]
    tens, unit = divmod(number, 10)
    first = _COMPOUND_ONE[gender] if unit == 1 else units[unit - 1] if unit else ""
    if tens == 1:
        return f"{first} {_TEEN[gender]}"
    return f"{first} و{_TENS[tens - 2]}" if first else _TENS[tens - 2]


def _english_words(number: int) -> str:
    if number == 100:
        return "One Hundred"
    if number < 20:
        return _ENGLISH[number - 1]
    tens, unit = divmod(number, 10)
    return _ENGLISH_TENS[tens - 2] + (f"-{_ENGLISH[unit - 1]}" if unit else "")


def fill(pattern: str, number: str, label: str = "") -> str:
    """A marker or citation pattern with `{n}` and `{label}` filled in (no other formatting)."""
    return pattern.replace("{label}", label).replace("{n}", number)
