"""Signs that enclose the number after them, shaped with the features that draw them so."""

from __future__ import annotations

import re

# The prepended concatenation marks (U+0600 to U+0605, the end of ayah U+06DD, U+08E2) span the
# digits typed after them: Amiri sets the digits inside the sign through its contextual
# alternates and kerning, which base.css turns off, so each sign and its number get a span that
# turns them on again (`.enclosing`); otherwise `۝٢٥٥` prints an empty sign beside its number.
# Only text is wrapped, never a tag's attributes, and only in the body (not the title).
_SIGN_AND_NUMBER = re.compile(
    "[\u0600-\u0605\u06dd\u08e2][0-9\u0660-\u0669\u06f0-\u06f9]+(?![^<>]*>)")


def enclose_numbers(body: str) -> str:
    """A page's `body` (its HTML from `<body` on) with each enclosing sign and the number after it
    in a span of class `enclosing`."""
    return _SIGN_AND_NUMBER.sub(lambda match: f'<span class="enclosing">{match.group(0)}</span>', body)
