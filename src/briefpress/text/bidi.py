"""Split text into runs of the other direction, numbers and plain text; isolate the runs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Direction = Literal["rtl", "ltr"]

LRI = "\u2066"  # LEFT-TO-RIGHT ISOLATE
RLI = "\u2067"  # RIGHT-TO-LEFT ISOLATE
FSI = "\u2068"  # FIRST STRONG ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
ISOLATES = frozenset((LRI, RLI, FSI, PDI))

# Kinds of segment. Runs are drawn in the other direction; numbers stay in the text's.
LTR_KINDS = ("url", "email", "handle", "symbol", "date", "phone", "money", "measure", "code", "latin")
NUMBER_KINDS = ("range", "signed", "number")
# A document symbol in left-to-right text is of the text's own direction: not a run to isolate,
# but held on one line all the same (`A/RES/49/59`, never `A/` | `RES/49/59`).
HELD = "held"

_LATIN = "A-Za-z\u00c0-\u024f"
_ARABIC_LETTER = "\u0621-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff"
_ARABIC_MARK = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"

# One alternative per kind, tried at each position in this order.
_ATOM = re.compile(rf"""
    (?P<url>(?:https?://|ftp://|www\.)[^\s<>"'«»\u0600-\u06ff]+)
  | (?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)
  | (?P<symbol>\b[A-Z]{{1,4}}(?:/[A-Za-z0-9.-]*[A-Za-z0-9])+(?:\ ?\([0-9]{{4}}\))?)
  | (?P<date>(?<![0-9])[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}(?:T[0-9]{{2}}:[0-9]{{2}}(?::[0-9]{{2}})?Z?)?
       (?![0-9]))
  | (?P<phone>(?<![0-9A-Za-z+])\+[0-9]{{1,4}}(?:[-. ]?\([0-9]{{1,5}}\)|[-. ][0-9]{{1,5}}){{2,6}}(?![0-9])
       | (?<![0-9A-Za-z-])[0-9]{{2,5}}(?:-[0-9]{{2,5}}){{2,4}}(?![0-9A-Za-z-]))
  | (?P<handle>(?<![A-Za-z0-9_.@])@[A-Za-z0-9_]{{1,30}}(?![A-Za-z0-9_@]))
  | (?P<money>[$€£¥](?:{_NUMBER})|(?:{_NUMBER})\ ?[$€£¥](?![0-9]))
  | (?P<measure>(?<![0-9A-Za-z.,])[-+−]?(?:{_NUMBER})\ ?°[CF]?)
  | (?P<latin>(?:[{_LATIN}]\.){{2,}}
       | (?:[{_LATIN}]|[0-9]+[{_LATIN}])(?:[{_LATIN}0-9]|[-'’_.&](?=[{_LATIN}0-9]))*)
  | (?P<range>(?<![0-9A-Za-z.,])(?:{_NUMBER})(?:\ ?[–—]\ ?|-)(?:{_NUMBER})(?![0-9A-Za-z]|\.[0-9]))
  | (?P<signed>(?<![0-9A-Za-z.,%)\]])[-+−](?:{_NUMBER})%?|(?:{_NUMBER})%)
  | (?P<number>{_NUMBER})
  | (?P<arabic>[{_ARABIC_LETTER}][{_ARABIC_LETTER}{_ARABIC_MARK}]*)
""", re.VERBOSE)

# What may lie between two pieces of one run: spaces and light punctuation, no quotes or brackets.
_JOINER = re.compile(r"[\s,.:;&+/\-–—]{0,3}")
# Sentence punctuation between a run and a closing quote ends the quoted sentence, not the
# paragraph's: `"We will not comply."` keeps its full stop inside the run.
_PUNCTUATION_IN_QUOTES = re.compile(r"[.!?,;:…؟،؛]+(?=[\"”’'»])")
_URL_TRAILING = ".,;:!?'\")]}،؛؟"
_EXISTING = re.compile("[\u2066-\u2068][^\u2066-\u2069]*\u2069")


@dataclass(frozen=True)
class Segment:
    """A piece of text: a run of the other direction, a number, plain text or given isolates.

    `kind` is one of LTR_KINDS joined by '+' for a left-to-right run ('latin+symbol'),
    'arabic' for a right-to-left run, one of NUMBER_KINDS, 'held' (a document symbol in
    left-to-right text), 'text', or 'isolated'.
    """

    kind: str
    text: str

    @property
    def is_run(self) -> bool:
        return self.kind not in ("isolated", "text", HELD) and self.kind not in NUMBER_KINDS

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self.kind.split("+"))


@dataclass(frozen=True)
class _Atom:
    kind: str
    start: int
    end: int


def _atoms(text: str) -> list[_Atom]:
    """Every recognised piece of `text`, left to right, without overlaps."""
    atoms = []
    for match in _ATOM.finditer(text):
        kind = match.lastgroup or "text"
        start, end = match.span()
        if kind == "url":
            end = start + len(_trim_url(match.group()))
        elif kind == "symbol" and text[end - 1] == ".":
            end -= 1
        elif kind == "latin" and any(c.isdigit() for c in text[start:end]):
            kind = "code"
        atoms.append(_Atom(kind, start, end))
    return atoms


def _trim_url(url: str) -> str:
    """A URL without the sentence punctuation that follows it; a ')' stays if it closes one."""
    while url and url[-1] in _URL_TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _strong(kind: str, direction: Direction) -> bool:
    """Whether an atom starts a run of the other direction in text of `direction`."""
    return kind == "arabic" if direction == "ltr" else kind in LTR_KINDS


def _runs(text: str, atoms: list[_Atom], direction: Direction) -> list[Segment]:
    """Group atoms into runs: strong atoms, and the numbers after them, joined by light gaps."""
    segments: list[Segment] = []
    position = 0
    index = 0
    while index < len(atoms):
        atom = atoms[index]
        if not _strong(atom.kind, direction):
            if atom.kind in NUMBER_KINDS or (atom.kind == "symbol" and direction == "ltr"):
                _plain(segments, text[position:atom.start])
                kind = HELD if atom.kind == "symbol" else atom.kind
                segments.append(Segment(kind, text[atom.start:atom.end]))
                position = atom.end
            index += 1
            continue
        kinds = [atom.kind]
        end = atom.end
        following = index + 1
        while following < len(atoms):
            candidate = atoms[following]
            if not _JOINER.fullmatch(text[end:candidate.start]):
                break
            if not (_strong(candidate.kind, direction) or candidate.kind in NUMBER_KINDS):
                break
            kinds.append(candidate.kind)
            end = candidate.end
            following += 1
        closing = _PUNCTUATION_IN_QUOTES.match(text, end)
        end = closing.end() if closing else end
        _plain(segments, text[position:atom.start])
        kind = "arabic" if direction == "ltr" else "+".join(dict.fromkeys(
            k for k in kinds if k in LTR_KINDS))
        segments.append(Segment(kind, text[atom.start:end]))
        position = end
        index = following
    _plain(segments, text[position:])
    return segments


def _plain(segments: list[Segment], text: str) -> None:
    if text:
        segments.append(Segment("text", text))


def segments(text: str, direction: Direction) -> list[Segment]:
    """`text` cut into runs of the other direction, numbers and plain text, in order.

    Spans the author already wrapped in isolates come back whole as 'isolated'.
    """
    result: list[Segment] = []
    position = 0
    for match in _EXISTING.finditer(text):
        chunk = text[position:match.start()]
        result += _runs(chunk, _atoms(chunk), direction)
        result.append(Segment("isolated", match.group()))
        position = match.end()
    chunk = text[position:]
    result += _runs(chunk, _atoms(chunk), direction)
    return result


def isolate(text: str, direction: Direction) -> str:
    """`text` with each run of the other direction wrapped in LRI/RLI ... PDI."""
    opening = LRI if direction == "rtl" else RLI
    return "".join(opening + segment.text + PDI if segment.is_run else segment.text
                   for segment in segments(text, direction))


def strip_isolates(text: str) -> str:
    """`text` without isolate controls."""
    return "".join(character for character in text if character not in ISOLATES)
