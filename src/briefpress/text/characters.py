"""Check every character of a publication's files before anything is rendered."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ..errors import ContentError, FontError, Problem
from ..layout.fonts import FontRegistry

PRESENTATION_FORMS = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
BIDI_OVERRIDES = {0x202D: "LEFT-TO-RIGHT OVERRIDE", 0x202E: "RIGHT-TO-LEFT OVERRIDE"}
ALLOWED_CONTROLS = {"\n", "\t", "\r"}
ZERO_WIDTH_OK = {0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0x2066, 0x2067, 0x2068, 0x2069}


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


def _character_problem(character: str, registry: FontRegistry) -> tuple[type, str] | None:
    code = ord(character)
    label = f"U+{code:04X} {_name(character)}"
    if any(start <= code <= end for start, end in PRESENTATION_FORMS):
        return ContentError, (f"Arabic presentation form {label} (pre-shaped text pasted from a "
                              "PDF); paste the logical text instead")
    if code in BIDI_OVERRIDES:
        return ContentError, (f"bidi override control {label}; remove it, the templates set the "
                              "text direction")
    if unicodedata.category(character) == "Cc" and character not in ALLOWED_CONTROLS:
        return ContentError, f"control character {label}; remove it"
    if character.isspace() or code in ZERO_WIDTH_OK:
        return None
    if not registry.covers(character):
        return FontError, (f"no shipped font has a glyph for {character!r} ({label}); "
                           "add a font to fonts/ or change the text")
    return None


def check_text(text: str, label: str, registry: FontRegistry,
               skip_comments: bool = False) -> list[tuple[type, Problem]]:
    """Every character problem in one file's text, with its line."""
    problems: list[tuple[type, Problem]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if skip_comments and line.lstrip().startswith("#"):
            continue
        for character in dict.fromkeys(line):
            found = _character_problem(character, registry)
            if found:
                kind, message = found
                problems.append((kind, Problem(label, message, number)))
    return problems


def character_problems(files: Iterable[tuple[Path, str]],
                       registry: FontRegistry) -> list[tuple[type, Problem]]:
    """Every character problem in the given (path, label) files, with its error class."""
    found: list[tuple[type, Problem]] = []
    for path, label in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # reported by the loader that reads the file
        found += check_text(text, label, registry, skip_comments=path.suffix == ".yaml")
    return found
