"""Split text into runs of the other direction, numbers and plain text; isolate the runs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Direction = Literal["rtl", "ltr"]

# The language a run, paragraph or item written in a direction is tagged with (/Lang, `lang`):
# Arabic right to left, English left to right (a Latin run in an Arabic text is taken as English).
LANGUAGE: dict[str, str] = {"rtl": "ar", "ltr": "en"}

LRI = "\u2066"  # LEFT-TO-RIGHT ISOLATE
RLI = "\u2067"  # RIGHT-TO-LEFT ISOLATE
FSI = "\u2068"  # FIRST STRONG ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
ISOLATES = frozenset((LRI, RLI, FSI, PDI))

# Kinds of segment. Runs are drawn in the other direction; numbers stay in the text's.
LTR_KINDS = ("url", "email", "handle", "symbol", "date", "phone", "money", "measure", "code", "latin")
NUMBER_KINDS = ("range", "signed", "number")
# A document symbol or a phone number in left-to-right text is of the text's own direction: not a
# run to isolate, but held on one line all the same (`A/RES/49/59`, never `A/` | `RES/49/59`;
# `+962 6 555 0147`, never `+962 6` | `555 0147`).
HELD = "held"
# A URL in left-to-right text: of the text's direction too, and breaking only after a slash.
HELD_URL = "held url"

# Latin letters, with Latin-1's and Latin Extended's accented ones; not the signs × and ÷ among them.
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
# Combining accents, part of the Latin letter they follow (`Cafe\u0301`, typed decomposed).
_LATIN_MARK = "\u0300-\u036f"
_ARABIC_LETTER = "\u0621-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff"
_ARABIC_MARK = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
# Invisible characters of a word's spelling, part of the word when a letter or mark follows: the
# ZWNJ of Persian, Urdu and Kurdish (`می‌خواهیم`, `Auf‌lage`), the ZWJ, the soft hyphen. Cutting a
# run there drew its two pieces in the wrong order (`خواهیم می` in English text, `lageAuf`).
_IN_WORD = "\u00ad\u200c\u200d"
# A number: grouped by commas with a decimal point (`1,250.5`), or with a decimal point or comma
# (`3.5`, `3,5` as North African authors write it), never cut at its comma.
_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:[.,][0-9]+)?"
# A percent or per-mille sign right after its number, or after one space (`3,5 %`, as French
# typography sets it and North African and Lebanese authors type it).
_PERCENT = r"(?:[\ \u00a0\u202f]?[%‰])"
_ARABIC_DIGIT = "\u0660-\u0669\u06f0-\u06f9"
# A clock time (`09:05`, `14:30:15`): a range's end, never cut at its colon (`09:00-17:00`).
_TIME = r"(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?"
# A comparison or tolerance before a number (`≥ 2`, `< 5%`, `± 5%`, `≤ 30 °C`): part of the
# number's run, so that in a Latin-digit edition (and in a measure's run, in every edition) its
# sign is drawn as typed, never mirrored, and every reader but pdfium copies the sign typed (a
# mirrored `≥` is drawn with the glyph of `≤`, whose text three reader families copy: README).
# Before a number with a unit or currency (`≥ 2 GW`) it is left to the bidi algorithm.
_COMPARISON = r"[<>≤≥≠≈±]\ ?"
# Superscript and subscript digits and signs, part of the word they follow (`km²`, `m³`, `CO₂`).
_SCRIPTS = "\u00b2\u00b3\u00b9\u2070-\u207f\u2080-\u208e"

# An angle's minutes and seconds after its degrees (`33°30′15″N`), part of its measure.
_MINUTES = "(?:[0-9]{1,2}(?:[.,][0-9]+)?′(?:[0-9]{1,2}(?:[.,][0-9]+)?″)?)?"

# Atoms of left-to-right text held on one line (or, a URL, broken only after a slash).
_HELD_KINDS = ("symbol", "phone", "email", "url")

# One alternative per kind, tried at each position in this order.
_ATOM = re.compile(rf"""
    (?P<url>(?:https?://|ftp://|www\.)[^\s<>"'«»\u0600-\u06ff]+)
  | (?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)
  | (?P<symbol>\b[A-Z]{{1,4}}(?:/[A-Za-z0-9.-]*[A-Za-z0-9])+(?:\ ?\([0-9]{{4}}\))?
       | \([A-Z][A-Za-z]{{1,9}}(?:,\ [A-Z][A-Za-z]{{1,9}})*\)\ [0-9]{{2,4}}/[0-9]{{1,5}}(?![0-9/]))
  | (?P<date>(?<![0-9])[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}(?:T[0-9]{{2}}:[0-9]{{2}}(?::[0-9]{{2}})?Z?)?
       (?![0-9]))
  | (?P<phone>(?<![0-9A-Za-z+])(?:\+|00(?=[1-9]))[0-9]{{1,4}}
       (?:[-. ]?\([0-9]{{1,5}}\)|[-. ][0-9]{{1,5}}){{2,6}}(?![0-9])
       | (?<![0-9A-Za-z-])[0-9]{{2,5}}(?:-[0-9]{{2,5}}){{2,4}}(?![0-9A-Za-z-]))
  | (?P<handle>(?<![A-Za-z0-9_.@])@[A-Za-z0-9_]{{1,30}}(?![A-Za-z0-9_@]))
  | (?P<money>[$€£¥]\ ?(?:{_NUMBER})|(?:{_NUMBER})\ ?[$€£¥](?![0-9])
       | (?<=[{_LATIN}])[$€£¥] | [$€£¥](?=/?[{_LATIN}]))
  | (?P<measure>(?<![0-9A-Za-z.,])(?:[-+−±]|{_COMPARISON})?(?:{_NUMBER})
       (?:\ ?[–—]\ ?[-−]?(?:{_NUMBER})|-(?:{_NUMBER}))?\ ?°{_MINUTES}[CFNSEW]?)
  | (?P<latin>(?:[{_LATIN}]\.){{2,}}
       | (?:[{_LATIN}]|[0-9]+(?:\.[0-9]+)*[{_LATIN}])
         (?:[{_LATIN}{_LATIN_MARK}0-9{_SCRIPTS}]|[-'’_.&{_IN_WORD}](?=[{_LATIN}0-9]))*)
  | (?P<range>(?<![0-9A-Za-z.,])(?<![0-9]:)(?:{_TIME}|{_NUMBER})(?:\ ?[–—]\ ?|-)
       (?:{_TIME}|{_NUMBER}){_PERCENT}?(?![0-9A-Za-z]|[.:][0-9])
       | (?<![0-9A-Za-z.,/])(?:1[5-9]|2[0-9])[0-9]{{2}}/(?:1[5-9]|2[0-9])[0-9]{{2}}(?![0-9A-Za-z/]|\.[0-9]))
  | (?P<signed>(?<![0-9A-Za-z.,%)\]{_ARABIC_LETTER}])
       (?:[-+−±](?:{_NUMBER}){_PERCENT}?
        | {_COMPARISON}(?:{_NUMBER}){_PERCENT}?(?![0-9]|[.,][0-9]|\ ?[{_LATIN}$€£¥°]))
       | (?:{_NUMBER}){_PERCENT})
  | (?P<number>{_NUMBER})
  | (?P<arabic_number>[{_ARABIC_DIGIT}]+(?:[٫٬.,/:\-][{_ARABIC_DIGIT}]+)*[٪%]?)
  | (?P<arabic>[{_ARABIC_LETTER}]
       (?:[{_ARABIC_LETTER}{_ARABIC_MARK}]|[{_IN_WORD}]+(?=[{_ARABIC_LETTER}{_ARABIC_MARK}]))*)
""", re.VERBOSE)

# What may lie between two pieces of one run: spaces and light punctuation, no quotes or brackets
# (a multiplication sign too: `H100 × 8`); in an Arabic run, its own comma, semicolon and
# question mark too. A zero width space or a word joiner, which only allow or forbid a line
# break there (pasted names carry them), is a space of the run: two runs were drawn in the
# wrong order (`John\u200bSmith` as `SmithJohn` in Arabic text).
_BREAK_CONTROLS = "\u200b\u2060"
_JOINER = {"rtl": re.compile(rf"[\s{_BREAK_CONTROLS},.:;&+×/\-–—]{{0,3}}"),
           "ltr": re.compile(rf"[\s{_BREAK_CONTROLS},.:;،؛؟&+/\-–—]{{0,3}}")}
# The Arabic question mark, semicolon and full stop right after an Arabic run in left-to-right
# text end it: the bidi algorithm takes them for right-to-left letters, so outside the run they
# were drawn on its right, before its first word for an Arabic reader (`؟هل انتهت`).
_ARABIC_STOPS = re.compile("[؟؛۔]+")
# Quotes and brackets that enclose a whole left-to-right run in right-to-left text are part of it:
# they are drawn as typed, not mirrored, so the glyph's text is the character typed for every
# reader, and a run wrapped over two lines keeps its opening mark before its first word and its
# closing mark after its last. Around an Arabic run in left-to-right text they stay the text's own
# (drawn as typed there already; inside the run they would be mirrored: measured, README).
_ENCLOSING = {"(": ")", "[": "]", "«": "»", "»": "«", '"': '"', "“": "”", "‘": "’", "'": "'", "‹": "›"}
# A number is part of the run after it when that run is its unit (`8,400 km`) or a month
# (`15 March 2024` in Arabic text, `15 مارس 2024` in English).
_UNIT_WORDS = (
    "km m cm mm nm µm kg g mg t kt Mt Gt l L ml mL ha W kW MW GW TW Wh kWh MWh GWh TWh Hz kHz MHz GHz "
    "V kV A mA Pa kPa MPa bar s ms h min bps kbps Mbps Gbps Tbps B kB KB MB GB TB PB bpd mph kph ft "
    "mi lb oz kn nmi dB ppm ppb K VA kVA MVA GVA kvar Mvar MVAr Wp kWp MWp GWp kJ MJ GJ TJ PJ EJ "
    "toe ktoe Mtoe bcm tcm Btu MMBtu mmBtu "
    # amounts: scale words and currency codes (`1.2 bn USD`, `2.4 EUR`)
    "bn mn tn USD EUR GBP JPY CNY CHF SAR AED QAR KWD BHD OMR JOD EGP IQD LBP SYP TRY IRR ILS")
_MONTH_WORDS = (
    "January February March April May June July August September October November December Jan "
    "Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec يناير فبراير مارس أبريل إبريل ابريل مايو يونيو "
    "يونيه يوليو يوليه أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر كانون شباط آذار نيسان أيار "
    "حزيران تموز آب أيلول تشرين محرم صفر ربيع جمادى رجب شعبان رمضان شوال")
_NUMBER_JOIN = re.compile(r"/| ?× ?")  # between numbers of one quantity: `400/220 kV`, `2 × 400 kV`
_SCRIPTED = re.compile(f"[{_SCRIPTS}]+$")  # a unit's superscript (`km²`)
_UNITS, _MONTHS = frozenset(_UNIT_WORDS.split()), frozenset(_MONTH_WORDS.split())
# Latin abbreviations whose full stop belongs to them (`et al.`, `art. 94`), not to the sentence.
_ABBREVIATION_WORDS = (
    "al etc art arts no nos vol vols pp p para paras ch chap ed eds fig figs cf vs v viz inc ltd "
    "co corp jr sr dr mr mrs ms st approx dept est ibid op cit sec ser rev")
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
# A bracketed or quoted group right after a piece of a left-to-right run in right-to-left text
# (after light punctuation, if any), holding no Arabic and no other brackets or quotes, continues
# the run (`Facility (GEF)`, `5(2)(b)`, `et al. (2021)`, `Share (%)`, `et al., "Title", UNEP`), as
# the bidi algorithm would keep it with the run if the run were not isolated.
_INSIDE_GROUP = r"[^()\[\]{}«»\"“”‘’\n\u0600-\u08ff]{1,80}"
# In left-to-right text, a bracketed group after a piece of an Arabic run, holding Arabic and no
# Latin letter, continues it (`المادة 5 (ب)`, `مكتب حماس [السياسي]`): cut there, the page drew the
# two side by side, read by an Arabic reader bracket first (`(ب) المادة 5`).
_ARABIC_INSIDE = rf"(?=[^()\[\]\n]*[{_ARABIC_LETTER}])[^()\[\]{{}}«»\"“”‘’\n{_LATIN}]{{1,80}}"
_BRACKET_GROUP = {
    "rtl": re.compile(rf"[\s,.:;]{{0,3}}(?:\({_INSIDE_GROUP}\)|\[{_INSIDE_GROUP}\]|\"{_INSIDE_GROUP}\""
                      rf"|“{_INSIDE_GROUP}”|«{_INSIDE_GROUP}»)"),
    "ltr": re.compile(rf"[\s،؛]{{0,3}}(?:\({_ARABIC_INSIDE}\)|\[{_ARABIC_INSIDE}\])")}
# Sentence punctuation between a run and a closing quote ends the quoted sentence, not the
# paragraph's: `"We will not comply."` keeps its full stop inside the run.
_PUNCTUATION_IN_QUOTES = re.compile(r"[.!?,;:…؟،؛]+(?=[\"”’'»])")
_URL_TRAILING = ".,;:!?'\")]}،؛؟"
_EXISTING = re.compile("[\u2066-\u2068][^\u2066-\u2069]*\u2069")


@dataclass(frozen=True)
class Segment:
    """A piece of text: a run of the other direction, a number, plain text or given isolates.

    `kind` is one of LTR_KINDS joined by '+' for a left-to-right run ('latin+symbol'),
    'arabic' for a right-to-left run, one of NUMBER_KINDS, 'held' (a document symbol, phone
    number or e-mail address in left-to-right text), 'held url', 'text', or 'isolated'.
    """

    kind: str
    text: str

    @property
    def is_run(self) -> bool:
        return self.kind not in ("isolated", "text", HELD, HELD_URL) and self.kind not in NUMBER_KINDS

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
        elif kind == "latin" and any(c in "0123456789" for c in text[start:end]):
            kind = "code"
        if kind == "latin" and text[end:end + 1] == "." and _abbreviation(text, start, end):
            end += 1
        elif kind == "range" and "/" in match.group() and not _years(match.group()):
            slash = text.index("/", start)  # `2025/2024`: two numbers, as typed
            atoms += [_Atom("number", start, slash), _Atom("number", slash + 1, end)]
            continue
        atoms.append(_Atom(kind, start, end))
    return atoms


def _years(pair: str) -> bool:
    """Whether `2024/2025` is a span of years (a fiscal or academic year): the second is later."""
    first, second = pair.split("/")
    return int(second) > int(first)


def _abbreviation(text: str, start: int, end: int) -> bool:
    """Whether the Latin word text[start:end], followed by a full stop, is an abbreviation whose
    full stop is its own: a known one or an initial, followed by a space, a bracket or the end."""
    after = text[end + 1:end + 2]
    word = text[start:end]
    known = word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())  # an initial
    return known and (not after or after.isspace() or after in "()[],;")


def _trim_url(url: str) -> str:
    """A URL without the sentence punctuation that follows it; a ')' stays if it closes one."""
    while url and url[-1] in _URL_TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _strong(kind: str, direction: Direction) -> bool:
    """Whether an atom starts a run of the other direction in text of `direction`: in
    left-to-right text, Arabic words and numbers in Arabic-Indic digits."""
    return kind in ("arabic", "arabic_number") if direction == "ltr" else kind in LTR_KINDS


def _quantity(text: str, number: _Atom, atom: _Atom, direction: Direction) -> bool:
    """Whether `number`, one space before `atom`, belongs to the run `atom` starts: the run is
    its unit or its month. In right-to-left text a range does too (`3–5 GW`, `5–7 March`)."""
    kinds = ("number", "range") if direction == "rtl" else ("number",)
    if number.kind not in kinds or text[number.end:atom.start] != " ":
        return False
    word = text[atom.start:atom.end]
    unit = word.split("/")[0]  # `MW/rack`, read as a document symbol, is a unit per rack
    return word in _MONTHS or (direction == "rtl" and _SCRIPTED.sub("", unit) in _UNITS)


def _times(text: str, atoms: list[_Atom], index: int) -> bool:
    """Whether atoms[index] is a Latin `x` standing for a multiplication sign between two numbers
    (`2 x 400 kV`): the run it starts takes the number before it, or the page drew `x 400 kV 2`."""
    if text[atoms[index].start:atoms[index].end] not in ("x", "X") or index + 1 == len(atoms):
        return False
    before, after = atoms[index - 1], atoms[index + 1]
    return (before.kind == "number" and after.kind == "number"
            and text[before.end:atoms[index].start] in ("", " ")
            and text[atoms[index].end:after.start] in ("", " "))


def _slashed(text: str, atoms: list[_Atom], index: int) -> int:
    """The first of the numbers joined by slashes or multiplication signs that end with
    atoms[index] (`400/220 kV`, `2×400 kV`: the unit's run takes them all, or the page drew
    `220 kV/400`)."""
    while (index and atoms[index - 1].kind == "number"
           and _NUMBER_JOIN.fullmatch(text[atoms[index - 1].end:atoms[index].start])):
        index -= 1
    return index


def _enclosed(text: str, start: int, end: int, position: int) -> tuple[int, int]:
    """The run [start, end) widened to the quotes or brackets around it, if both are there."""
    if start > position and end < len(text) and _ENCLOSING.get(text[start - 1]) == text[end]:
        return start - 1, end + 1
    return start, end


def _runs(text: str, atoms: list[_Atom], direction: Direction) -> list[Segment]:
    """Group atoms into runs: strong atoms, and the numbers after them, joined by light gaps; a
    number before its unit or month; the quotes or brackets around a whole run."""
    segments: list[Segment] = []
    position = 0
    index = 0
    joiner = _JOINER[direction]
    while index < len(atoms):
        atom = atoms[index]
        if not _strong(atom.kind, direction):
            if atom.kind in NUMBER_KINDS or (atom.kind in _HELD_KINDS and direction == "ltr"):
                _plain(segments, text[position:atom.start])
                kind = HELD_URL if atom.kind == "url" else HELD if atom.kind in _HELD_KINDS else atom.kind
                segments.append(Segment(kind, text[atom.start:atom.end]))
                position = atom.end
            index += 1
            continue
        start = atom.start
        if index and position == atoms[index - 1].end and (_quantity(text, atoms[index - 1], atom, direction)
                                                           or _times(text, atoms, index)):
            start = atoms[_slashed(text, atoms, index - 1)].start
            while segments and position > start - 1:  # the number, and the text before it, again
                position -= len(segments.pop().text)
        kinds = [atom.kind]
        end = atom.end
        following = index + 1
        while True:
            group = _BRACKET_GROUP[direction].match(text, end)
            inside = None if group is None else _atoms_within(atoms, following, end, group.end())
            if group is not None and inside is not None:
                kinds += [atoms[i].kind for i in inside]
                end = group.end()
                following = inside[-1] + 1 if inside else following
                continue
            if following == len(atoms):
                break
            candidate = atoms[following]
            if not joiner.fullmatch(text[end:candidate.start]):
                break
            if not (_strong(candidate.kind, direction) or candidate.kind in NUMBER_KINDS):
                break
            kinds.append(candidate.kind)
            end = candidate.end
            following += 1
        stops = _ARABIC_STOPS.match(text, end) if direction == "ltr" else None
        end = stops.end() if stops else end
        closing = _PUNCTUATION_IN_QUOTES.match(text, end)
        end = closing.end() if closing else end
        if direction == "rtl":
            start, end = _enclosed(text, start, end, position)
        _plain(segments, text[position:start])
        kind = "arabic" if direction == "ltr" else "+".join(dict.fromkeys(
            k for k in kinds if k in LTR_KINDS))
        segments.append(Segment(kind, text[start:end]))
        position = end
        index = following
    _plain(segments, text[position:])
    return segments


def _atoms_within(atoms: list[_Atom], first: int, start: int, end: int) -> list[int] | None:
    """The indices of the atoms from `first` on that lie in [start, end); None if one straddles it."""
    inside = []
    for index in range(first, len(atoms)):
        atom = atoms[index]
        if atom.start >= end:
            break
        if atom.start < start or atom.end > end:
            return None
        inside.append(index)
    return inside


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


def alone(run: Segment, pieces: Sequence[Segment]) -> bool:
    """Whether `run` holds every letter of the text `pieces` make up (a table cell, a figure)."""
    return not any(character.isalpha() for piece in pieces if piece is not run for character in piece.text)


def isolate(text: str, direction: Direction) -> str:
    """`text` with each run of the other direction wrapped in LRI/RLI ... PDI."""
    opening = LRI if direction == "rtl" else RLI
    return "".join(opening + segment.text + PDI if segment.is_run else segment.text
                   for segment in segments(text, direction))


def strip_isolates(text: str) -> str:
    """`text` without isolate controls."""
    return "".join(character for character in text if character not in ISOLATES)
