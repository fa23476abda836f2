"""Room above the lines that hold a mark drawn far over its letter."""

from __future__ import annotations

import re

# Amiri draws these marks (the Qur'anic pause marks U+06D6 to U+06DC, the small high tah and
# zain) by their own outlines, 1.5 to 1.8 em over the baseline, with no positioning to bring them
# down: at the body's leading they stood among the words of the line above, and pdfium, taking
# the two lines for one, copied the paragraph's lines in reverse order. A text holding one is set
# in a span of class `high-marks`, whose leading (base.css) gives every line of it that room.
HIGH_MARKS = "\u0615\u0617\u06d6\u06d7\u06d8\u06d9\u06da\u06db\u06dc"
_TEXT_WITH_A_HIGH_MARK = re.compile(f">([^<>]*[{HIGH_MARKS}][^<>]*)<")


def room_for_high_marks(body: str) -> str:
    """A page's `body` (its HTML from `<body` on) with each text that holds a high mark in a span
    of class `high-marks`."""
    return _TEXT_WITH_A_HIGH_MARK.sub(r'><span class="high-marks">\1</span><', body)
