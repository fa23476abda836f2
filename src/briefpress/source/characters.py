"""Check every character that can reach a PDF, as parsed, before anything is rendered."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import tinycss2
import yaml

from ..errors import Kind, Problem
from ..fonts.registry import FontRegistry
from ..sandbox import Sandbox
from ..text.forms import presentation_form
from . import css
from .markdown import markdown_parser
from .yamlsource import compose, read_source, scalars

BYTE_ORDER_MARK = 0xFEFF
BIDI_OVERRIDES = {0x202D: "LEFT-TO-RIGHT OVERRIDE", 0x202E: "RIGHT-TO-LEFT OVERRIDE"}
BIDI_EMBEDDINGS = {0x202A: "LEFT-TO-RIGHT EMBEDDING", 0x202B: "RIGHT-TO-LEFT EMBEDDING",
                   0x202C: "POP DIRECTIONAL FORMATTING"}
ISOLATE_OPENERS, ISOLATE_CLOSER = "\u2066\u2067\u2068", "\u2069"
ALLOWED_CONTROLS = {"\n", "\t", "\r"}
# A line ends as editors end it: LF, CRLF (Windows) or CR alone (old Mac), as markdown-it and YAML count.
LINE_END = re.compile(r"\r\n?|\n")
# Invisible controls no font needs a glyph for; the word joiner is the one the build writes itself.
ZERO_WIDTH_OK = {0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069}


C0_NAMES = (
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY",
    "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION",
    "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE",
    "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR",
    "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL",
    "END OF MEDIUM", "SUBSTITUTE", "ESCAPE", "INFORMATION SEPARATOR FOUR",
    "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO", "INFORMATION SEPARATOR ONE",
)


def _name(character: str) -> str:
    code = ord(character)
    if code < len(C0_NAMES):
        return C0_NAMES[code]
    if code == 0x7F:
        return "DELETE"
    return unicodedata.name(character, "unnamed character")


def _character_problem(character: str, registry: FontRegistry) -> tuple[Kind, str] | None:
    code = ord(character)
    if code == BYTE_ORDER_MARK:
        return "content", (f"{_label(character)} (a byte order mark) inside the text; remove it, "
                           "only a file's first character may be one")
    if presentation_form(character):
        words = unicodedata.normalize("NFKC", character)
        why = ("a phrase set as one sign, which readers copy and search as that sign, not as its "
               "words" if " " in words else "pre-shaped text pasted from a PDF")
        return "content", f"Arabic presentation form {_label(character)} ({why}); write «{words}» instead"
    if code in BIDI_OVERRIDES:
        return "content", (f"bidi override control {_label(character)}; remove it, the templates "
                           "set the text direction")
    if code in BIDI_EMBEDDINGS:  # one left open moves the punctuation of the rest of its paragraph
        return "content", (f"bidi embedding control {_label(character)}; remove it, the build "
                           "isolates runs of the other direction itself")
    if unicodedata.category(character) == "Cc" and character not in ALLOWED_CONTROLS:
        return "content", f"control character {_label(character)}; remove it"
    if unicodedata.category(character) in {"Zl", "Zp"}:  # U+2028, U+2029: pasted from Word or a web page
        return "content", (f"{_label(character)} (a line or paragraph break pasted as a character); "
                           "end the line instead, with a blank line between paragraphs")
    if character.isspace() or code in ZERO_WIDTH_OK:
        return None
    if not registry.covers(character):
        return "font", (f"no shipped font has a glyph for {character!r} ({_label(character)}); "
                        "add a font to fonts/ or change the text")
    return None


def _label(character: str) -> str:
    return f"U+{ord(character):04X} {_name(character)}"


@lru_cache(maxsize=8)
def _verdicts(registry: FontRegistry) -> dict[str, tuple[Kind, str] | None]:
    """Each character's problem with `registry`, as found so far (a build checks the same few
    hundred characters in every file)."""
    return {}


def check_text(text: str, label: str, registry: FontRegistry, line: int = 1) -> list[Problem]:
    """Every character problem in a text that starts on `line`; each line end (LF, CRLF or CR)
    moves one line on."""
    verdicts = _verdicts(registry)
    problems: list[Problem] = []
    for number, part in enumerate(LINE_END.split(text), start=line):
        for character in dict.fromkeys(part):
            if character not in verdicts:
                verdicts[character] = _character_problem(character, registry)
            found = verdicts[character]
            if found:
                kind, message = found
                problems.append(Problem(label, message, number, kind=kind))
    return problems


def isolate_problem(text: str) -> str | None:
    """Why the isolate controls of one paragraph or field do not pair up, or None: one left
    open (a paste leaves them) sets the rest of its paragraph in its direction, and a full stop
    after it moves to the middle of the line."""
    depth = 0
    for character in text:
        if character in ISOLATE_OPENERS:
            depth += 1
        elif character == ISOLATE_CLOSER:
            if depth == 0:
                return f"{_label(character)} closes no isolate"
            depth -= 1
    if depth:
        opener = next(character for character in text if character in ISOLATE_OPENERS)
        return f"an isolate control ({_label(opener)}) is never closed"
    return None


def _isolate_pieces(text: str, suffix: str) -> Iterator[tuple[str, int]]:
    """(paragraph or field, line) whose isolate controls must pair up."""
    if suffix == ".yaml":
        yield from _yaml_texts(text)
    elif suffix == ".md":
        for token in markdown_parser().parse(text):
            if token.type == "inline" or token.type == "front_matter":
                line = token.map[0] + 1 if token.map else 1
                yield from (_yaml_texts(token.content, line) if token.type == "front_matter"
                            else [(token.content, line)])


def _yaml_texts(text: str, offset: int = 0) -> Iterator[tuple[str, int]]:
    """(string, line of its field) for every scalar of a YAML document, escapes decoded."""
    try:
        node, _ = compose(text)
    except yaml.YAMLError:
        return  # reported by the loader
    for scalar in scalars(node):
        yield scalar.value, scalar.start_mark.line + 1 + offset


def _markdown_texts(text: str) -> Iterator[tuple[str, int]]:
    """(decoded text, line) for every piece of text Markdown makes, entities decoded."""
    for token in markdown_parser().parse(text):
        line = token.map[0] + 1 if token.map else 1
        if token.type == "front_matter":
            yield from _yaml_texts(token.content, line)
            continue
        for child in token.children or []:
            yield child.content, line
            for value in child.attrs.values():
                yield str(value), line
            if child.type in {"softbreak", "hardbreak"}:
                line += 1


def _css_texts(text: str) -> Iterator[tuple[str, int]]:
    """(string, line) for every quoted string of a stylesheet, escapes decoded."""
    for node in css.walk(css.parse(text)):
        if isinstance(node, tinycss2.ast.StringToken):
            yield node.value, node.source_line


@lru_cache(maxsize=256)
def _pieces(text: str, suffix: str) -> tuple[tuple[str, int], ...]:
    """(text, line) of every piece a reader of a file of this kind sees, as parsed; kept per
    process by the text itself, so a rebuild (`watch`, `preview`) parses only what changed."""
    if suffix == ".yaml":
        return tuple(_yaml_texts(text))
    if suffix == ".css":
        return tuple(_css_texts(text))
    if suffix == ".md":
        return ((text, 1), *_markdown_texts(text))
    return ((text, 1),)


def file_problems(text: str, suffix: str, label: str, registry: FontRegistry) -> list[Problem]:
    """Every character problem of one file's text, checked as the reader will see it.

    YAML strings and Markdown text are checked after escapes and entities are
    decoded, so `"\\u202E"` or `&#x202E;` is caught like the character itself.
    """
    found: dict[Problem, None] = {}
    for piece, line in _pieces(text, suffix):
        found.update(dict.fromkeys(check_text(piece, label, registry, line)))
    if ISOLATE_CLOSER in text or any(opener in text for opener in ISOLATE_OPENERS):
        for piece, line in _isolate_pieces(text, suffix):
            reason = isolate_problem(piece)
            if reason:
                found[Problem(label, f"{reason} in this paragraph; remove the invisible direction "
                                     "controls, the build isolates runs itself", line)] = None
    return sorted(found, key=lambda problem: problem.line or 0)


def character_problems(files: Iterable[tuple[Path, str, str]], registry: FontRegistry,
                       sandbox: Sandbox) -> list[Problem]:
    """Every character problem in the given (path, label, kind) files, each read through the sandbox.

    A template the sandbox refuses is reported here, the first place that reads every
    template; a refused source, profile or stylesheet is reported by the loader that reads it.
    """
    found: list[Problem] = []
    for path, label, kind in files:
        text, refused = read_source(path, label, sandbox, kind)
        if text is not None:
            found += file_problems(text, path.suffix, label, registry)
        elif kind == "template":
            found += [problem.of_kind("template") for problem in refused]
    return found
