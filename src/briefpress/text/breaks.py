"""Where a line may not break: inside a numeric range, after a number, inside a URL but after '/'."""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
NO_BREAK_SPACE = "\u00a0"
JOINERS = frozenset((WORD_JOINER,))

# Characters after which UAX #14 lets a line break inside a URL; '/' is left breakable.
_URL_BREAK_AFTER = re.compile(r"([-?!|–—])(?=.)")
_RANGE_DASH = re.compile(r" ?([–—]) ?")
_UNIT = re.compile(r" (?=[^\W\d_])")


def bind_range(text: str) -> str:
    """`2016 – 2017` held on one line: no-break spaces around the dash, a word joiner after it."""
    return _RANGE_DASH.sub(lambda match: match[0].replace(" ", NO_BREAK_SPACE) + WORD_JOINER, text)


def bind_unit(following: str) -> str:
    """The text after a number, its first space made no-break when a word follows it (`7.5 طن`)."""
    return _UNIT.sub(NO_BREAK_SPACE, following, count=1) if following.startswith(" ") else following


def url_breaks(url: str) -> str:
    """A URL that may break only after '/': a word joiner after every other break opportunity."""
    return _URL_BREAK_AFTER.sub(r"\1" + WORD_JOINER, url)


def unbind(text: str) -> str:
    """`text` without word joiners and with plain spaces: for metadata, which is not laid out."""
    return "".join(c for c in text if c not in JOINERS).replace(NO_BREAK_SPACE, " ")
