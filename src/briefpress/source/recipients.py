"""Read a recipients CSV as a stream: a `name` column, optional columns, every problem located."""

from __future__ import annotations

import codecs
import csv
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, Problem, UsageError
from ..fonts.registry import FontRegistry
from ..sandbox import regular_file_problem
from ..text.folding import TATWEEL, as_read
from .characters import check_text

NAME = "name"
MAX_NAME = 80  # characters: a longer name no longer fits the stamp line
MAX_FILE_BYTES = 16 * 1024 * 1024  # 10,000 recipients with a few columns each take about 1 MB
SLUG_LENGTH = 40
# Embeddings and isolates: the stamp isolates the name itself, and one left open or closed
# too soon turns the rest of the line (`Smith John`).
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u2066\u2067\u2068\u2069")
PRINTED = ("L", "N", "P", "S")  # categories of characters that leave a mark on the page
# A comma first; a tab (a `.tsv`) or a semicolon (Excel's CSV where the list separator is `;`,
# as in many Arabic and European locales) when that is what gives the header its `name` column.
SEPARATORS = (",", "\t", ";")


@dataclass(frozen=True)
class Recipient:
    """One row of the recipients file."""

    line: int
    name: str
    fields: dict[str, str]


_LONE_CR = re.compile(rb"\r(?!\n)")


def _lines(stream: Iterable[bytes]) -> Iterator[bytes]:
    """The file's lines, each ended by LF, CRLF or a CR alone, as Excel for Mac's "CSV
    (Macintosh)" ends them (a CR alone is given back as LF)."""
    for raw in stream:
        *ended, last = _LONE_CR.split(raw)
        yield from (line + b"\n" for line in ended)
        if last:
            yield last


def _decoded(stream: Iterable[bytes], label: str) -> Iterator[str]:
    """The file's lines as text; a line that is not UTF-8 stops the reading with its number."""
    for number, raw in enumerate(_lines(stream), start=1):
        if number == 1 and raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Excel's "Unicode Text" (and plain "CSV" is the Windows code page): name the way out
            raise ContentError(Problem(label, "UTF-16 text, not UTF-8; save the file as UTF-8 "
                                              "(in Excel: CSV UTF-8)", 1))
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ContentError(Problem(
                label, f"not UTF-8: byte 0x{raw[error.start]:02X} at column {error.start + 1}; "
                       "save the file as UTF-8", number)) from error


def _separator(header: str) -> str:
    """The separator that gives the header line a `name` column, a comma when none does."""
    for separator in SEPARATORS:
        cells = next(csv.reader([header], delimiter=separator), [])
        if NAME in (cell.strip() for cell in cells):
            return separator
    return ","


def _key(name: str) -> str:
    """A name as compared for duplicates: spaces folded, and read as its words (`as_read`), so
    twins that print alike are one recipient."""
    return " ".join(as_read(name).split())


def _scan(path: Path, label: str, registry: FontRegistry) -> Iterator[Recipient | Problem]:
    """Every recipient and every problem, in file order, reading one line at a time."""
    refused = regular_file_problem(path, MAX_FILE_BYTES)
    if refused:
        raise UsageError(f"{label}: {refused}")
    try:
        stream = path.open("rb")
    except OSError as error:
        raise UsageError(f"{label}: cannot read: {error.strerror}") from error
    with stream:
        lines = _decoded(stream, label)
        first = next(lines, "")
        reader = csv.reader(itertools.chain([first] if first else [], lines),
                            delimiter=_separator(first), strict=True)
        try:
            header = [cell.strip() for cell in next(reader)]
        except StopIteration:
            yield Problem(label, "empty file; the first line names the columns, one of them 'name'",
                          1, NAME)
            return
        except csv.Error as error:
            yield Problem(label, f"malformed CSV: {error}", 1)
            return
        blank = [index + 1 for index, cell in enumerate(header) if not cell]
        repeated = sorted({cell for cell in header if cell and header.count(cell) > 1})
        if blank:
            yield Problem(label, f"column {blank[0]} has no name", 1)
        if repeated:
            yield Problem(label, "named twice in the header", 1, repeated[0])
        if NAME not in header:
            yield Problem(label, f"missing column; the header has: {', '.join(header)}", 1, NAME)
        if blank or repeated or NAME not in header:
            return
        seen: dict[str, tuple[int, str]] = {}
        line = reader.line_num
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                yield Problem(label, f"malformed CSV: {error}", line + 1)
                return
            start, line = line + 1, reader.line_num
            if not any(row):
                continue  # a blank line, or a row Excel once used and saves as `,,`
            if len(row) != len(header):
                yield Problem(label, f"{len(row)} field(s) where the header has {len(header)}", start)
                continue
            fields = dict(zip(header, row, strict=True))
            name = " ".join(fields[NAME].split())
            problem = _name_problem(name, fields[NAME], seen, label, start, registry)
            if problem:
                yield problem
                continue
            seen[_key(name)] = (start, name)
            yield Recipient(start, name, {**fields, NAME: name})


def _name_problem(name: str, raw: str, seen: dict[str, tuple[int, str]], label: str, line: int,
                  registry: FontRegistry) -> Problem | None:
    if not name:
        return Problem(label, "empty; every recipient needs a name", line, NAME)
    if "\n" in raw or "\r" in raw:
        return Problem(label, "spans several lines; a name is one line", line, NAME)
    if len(name) > MAX_NAME:
        return Problem(label, f"{len(name)} characters; at most {MAX_NAME} fit the stamp line",
                       line, NAME)
    for problem in check_text(name, label, registry, line):
        return Problem(label, problem.message, line, NAME)
    controls = sorted({character for character in name if character in DIRECTION_CONTROLS})
    if controls:
        return Problem(label, f"holds {_described(controls[0])}; the stamp sets the name's direction "
                              "itself, remove it", line, NAME)
    if not any(unicodedata.category(character).startswith(PRINTED) for character in name):
        invisible = ", ".join(_described(character) for character in dict.fromkeys(name))
        return Problem(label, f"prints nothing: only {invisible}; write the recipient's name",
                       line, NAME)
    if _key(name) in seen:
        other_line, other = seen[_key(name)]
        spelled = "" if other == name else (f" as '{other}' (case, tashkeel, tatweel, invisible "
                                            "characters and letters drawn alike are not told apart)")
        return Problem(label, f"'{name}' is also on line {other_line}{spelled}; each recipient "
                              "gets one copy", line, NAME)
    return None


def _described(character: str) -> str:
    return f"U+{ord(character):04X} {unicodedata.name(character, 'unnamed character')}"


def count_recipients(path: Path, label: str, registry: FontRegistry) -> int:
    """Check the whole file, one line at a time; return the number of recipients.

    Raise once with every problem; a line that is not UTF-8 ends the check there.
    """
    problems: list[Problem | str] = []
    count = 0
    try:
        for item in _scan(path, label, registry):
            if isinstance(item, Problem):
                problems.append(item)
            else:
                count += 1
    except ContentError as error:
        problems += error.problems
    if problems:
        raise ContentError(problems)
    if not count:
        raise ContentError(Problem(label, "no recipients; add a line per recipient under the header",
                                   2, NAME))
    return count


def read_recipients(path: Path, label: str, registry: FontRegistry) -> Iterator[Recipient]:
    """The recipients of a checked file, one at a time."""
    for item in _scan(path, label, registry):
        if isinstance(item, Problem):
            raise ContentError(item)
        yield item


def slug(name: str) -> str:
    """A file-name part from a name: its letters and digits in any script, hyphens between words.

    Latin letters are lower-cased; Arabic letters are kept as they are, without tashkeel or
    tatweel, so no transliteration decides how a name is spelled. Empty when nothing is left.
    """
    kept = []
    for character in unicodedata.normalize("NFC", name):
        if character == TATWEEL:
            continue
        for lowered in character.lower():  # «İ» lower-cases to «i» and a combining dot above
            category = unicodedata.category(lowered)
            if not category.startswith("M"):
                kept.append(lowered if category[0] in "LN" else "-")
    text = re.sub("-+", "-", "".join(kept)).strip("-")
    return text[:SLUG_LENGTH].rstrip("-")
