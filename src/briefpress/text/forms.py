"""Arabic presentation forms: letters shaped for one position, which a PDF's text layer may hold
and which no author types (`ﻻ` for `لا`, `ﺑ` for `ب`)."""

from __future__ import annotations

import re
import unicodedata

_BLOCKS = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFC))  # U+FEFF, the byte order mark, is no form
_SHAPED = ("<initial>", "<medial>", "<final>", "<isolated>")


def presentation_form(character: str) -> bool:
    """Whether `character` is a letter or ligature shaped for one position: its decomposition
    is tagged initial, medial, final or isolated. The blocks also hold characters of their own,
    with no letters to decompose to, which authors type: the ornate parentheses of a Qur'anic
    quotation (`﴿ ﴾`), the basmala and the honorific ligatures."""
    code = ord(character)
    return any(start <= code <= end for start, end in _BLOCKS) \
        and unicodedata.decomposition(character).startswith(_SHAPED)


#: Every presentation form, as a pattern to search a text layer with.
PRESENTATION_FORMS = re.compile("[" + "".join(
    re.escape(chr(code)) for start, end in _BLOCKS for code in range(start, end + 1)
    if presentation_form(chr(code))) + "]")
