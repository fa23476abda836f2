"""Text as its words read: what two spellings that print alike have in common."""

from __future__ import annotations

import unicodedata

TATWEEL = "\u0640"


def as_read(text: str) -> str:
    """`text` composed (NFC), without harakat and other marks, tatweel or invisible format
    characters (ZWJ, ZWNJ, direction marks), and case folded: spellings that print alike (a
    recipient's name, a heading copied into front matter) compare equal. Spaces are kept."""
    kept = "".join(character for character in unicodedata.normalize("NFC", text)
                   if character != TATWEEL and unicodedata.category(character) not in {"Mn", "Cf"})
    return kept.casefold()
