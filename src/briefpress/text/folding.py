"""Text as its words read: what two spellings that print alike have in common."""

from __future__ import annotations

import unicodedata

TATWEEL = "\u0640"
ZERO_WIDTH_JOINER = "\u200d"
HAMZA = "\u0621"  # the one Arabic letter that joins neither side
# Letters of a Persian or Urdu keyboard drawn as an Arabic letter: Farsi yeh as yeh where it
# joins the letter after it (`سید` is `سيد` on the page) and as alef maksura where it ends a
# word (`علی` is `على`); keheh as kaf where it joins the letter after it (`کريم`, `كريم`).
_JOINED = {"\u06cc": "\u064a", "\u06a9": "\u0643"}
_UNJOINED = {"\u06cc": "\u0649"}


def _joins_next(text: str, index: int) -> bool:
    """Whether the letter at `index` joins the one after it (harakat and other marks passed)."""
    for character in text[index + 1:]:
        if unicodedata.category(character) == "Mn":
            continue
        return character in (TATWEEL, ZERO_WIDTH_JOINER) or (
            character != HAMZA and unicodedata.name(character, "").startswith("ARABIC LETTER"))
    return False


def _drawn_as(text: str) -> str:
    """`text` with each keyboard variant of a letter as the Arabic letter drawn in its place."""
    if not any(character in _JOINED for character in text):
        return text
    return "".join(
        (_JOINED if _joins_next(text, index) else _UNJOINED).get(character, character)
        if character in _JOINED else character for index, character in enumerate(text))


def as_read(text: str) -> str:
    """`text` composed (NFC), without harakat and other marks, tatweel or invisible format
    characters (ZWJ, ZWNJ, direction marks), with a Persian or Urdu keyboard's yeh and kaf as
    the Arabic letter they are drawn as, and case folded: spellings that print alike (a
    recipient's name, a heading copied into front matter) compare equal. Spaces are kept."""
    kept = "".join(character for character in _drawn_as(unicodedata.normalize("NFC", text))
                   if character != TATWEEL and unicodedata.category(character) not in {"Mn", "Cf"})
    return kept.casefold()
