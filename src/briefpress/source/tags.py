"""Find audience tags as the Markdown parser reads them, and refuse whatever only looks like one.

A tag is an attribute line, `{audience=tag}`, that markdown-it's attribute plugin
hands to the block below it. Every other spelling fails closed: any line that reads
as a tag once invisible format characters (Unicode category Cf) are dropped and
entities decoded, and any attribute line that tags no block, is an error with its line.
"""

from __future__ import annotations

import html
import re
import unicodedata

from markdown_it.rules_core import StateCore

AUDIENCE_ATTRIBUTE = "audience"
TAG_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: `{`, then anything but a brace, then `audience`: what an author means as a tag.
_READS_AS_TAG = re.compile(r"\{[^{}]*?audience", re.IGNORECASE)
_BLOCK_MARKERS = re.compile(r"^(?:\s*>)*\s*(?:(?:[-*+]|[0-9]{1,9}[.)])\s+)?")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
#: Set on a block's opening token: the source line (1-based) of the attribute line that tags it.
TAG_LINE = "tag_line"
_AUDIENCE_KEY = re.compile(r"(?<![\w-])audience\s*=")
#: Kept in the parser's env: every attribute line it read, and what is wrong with each.
ATTRIBUTE_LINES = "attribute_lines"
ATTRIBUTE_PROBLEMS = "attribute_problems"


def invisible_characters(text: str) -> list[str]:
    """The invisible format characters (category Cf) in `text`, each named once, in order."""
    found = dict.fromkeys(character for character in text if unicodedata.category(character) == "Cf")
    return [f"U+{ord(character):04X} {unicodedata.name(character, 'unnamed format character')}"
            for character in found]


def visible_form(text: str) -> str:
    """`text` as a reader of the source sees it: compatibility forms folded, entities decoded,
    invisible format characters dropped."""
    folded = unicodedata.normalize("NFKC", text)
    for _ in range(2):  # `&amp;#123;` decodes twice before it reads as a brace
        folded = "".join(character for character in html.unescape(folded)
                         if unicodedata.category(character) != "Cf")
    return folded


def reads_as_tag(text: str) -> bool:
    """Whether `text`, as a reader sees it, holds an attribute block naming `audience`.

    Backslashes and spaces are dropped first: `a\\udience` prints as typed, and `au dience`
    is a slip; each still reads as the word.
    """
    return bool(_READS_AS_TAG.search(re.sub(r"[\\\s]", "", visible_form(text))))


def reads_as_attribute_line(line: str) -> bool:
    """Whether a source line, past quote and list markers, is `{...}` and nothing else, as a
    reader sees it; a line that starts with an escaped brace (`\\{`) is text."""
    body = _BLOCK_MARKERS.sub("", line, count=1)
    seen = visible_form(body).strip()
    return not body.startswith("\\") and len(seen) >= 2 and seen[0] == "{" and seen[-1] == "}"


def why_not_a_tag(line: str) -> str:
    """Why a line that reads as an audience tag is not one, in words an author can act on."""
    hidden = invisible_characters(line)
    if hidden:
        return (f"an audience tag with invisible format characters ({', '.join(hidden)}); delete "
                "them, so the line reads {audience=tag} and nothing else")
    look_alikes = [character for character in dict.fromkeys(line)
                   if unicodedata.normalize("NFKC", character) in "{}="
                   and character not in "{}="]
    if look_alikes:
        named = ", ".join(f"U+{ord(character):04X} {unicodedata.name(character, '')}"
                          for character in look_alikes)
        return (f"an audience tag written with look-alike characters ({named}); type "
                "{audience=tag} with plain braces, alone on its line")
    if _ENTITY.search(line) and not _READS_AS_TAG.search(line):
        return ("an audience tag written with HTML entities; type {audience=tag} with plain "
                "characters, alone on its line")
    if "%" in line:
        return ("'{%...%}' is a comment in attribute syntax, not an audience tag; write "
                "{audience=tag} alone on the line before the block it tags")
    if not reads_as_tag(line):
        return ("a line in braces that is not an attribute line; write an audience tag as "
                "{audience=tag}, or start the line with \\{ if the braces are text")
    return ("misplaced or malformed audience tag; write {audience=tag} alone on the line before "
            "the block it tags, after a blank line")


def attribute_lines_rule(state: StateCore) -> None:
    """A markdown-it core rule, run before the attribute plugin merges attribute lines away.

    It records every attribute line, marks the block each one tags with `TAG_LINE`, and
    files a problem for a line that tags nothing: one that sets no attribute (`{}`,
    `{%comment%}`), one stacked on another, one with no block after it.
    """
    lines: list[int] = state.env.setdefault(ATTRIBUTE_LINES, [])
    problems: list[tuple[int, str]] = state.env.setdefault(ATTRIBUTE_PROBLEMS, [])
    tokens = state.tokens
    source_lines: list[str] = []
    for index, token in enumerate(tokens):
        if token.type != "attrs_block" or token.map is None:
            continue
        line = token.map[0] + 1
        lines.append(line)
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        source_lines = source_lines or state.src.split("\n")
        source = source_lines[token.map[0]].strip()
        if not token.attrs:
            comment = ": '{%...%}' is a comment in attribute syntax" if "%" in source else ""
            problems.append((line, f"'{_short(source)}' sets no attribute{comment}; an audience tag "
                                   "is {audience=tag} alone on the line before the block it tags"))
        elif following is not None and following.type == "attrs_block":
            problems.append((line, "two attribute lines in a row; write the tags on one line, "
                                   "{audience=tag1 tag2}, right before the block"))
        elif following is None or following.nesting < 0:
            problems.append((line, "an attribute line with no block after it; put {audience=tag} "
                                   "on the line right before the block it tags"))
        elif following.map is not None and following.map[0] != token.map[1]:
            problems.append((line, "an attribute line must be right before the block it tags (a "
                                   "blank line or a reference definition [label]: url stands between "
                                   "them); put {audience=tag} on the line right before the block"))
        elif len(_AUDIENCE_KEY.findall(source)) > 1:
            problems.append((line, "'audience' is given twice on one attribute line; write the tags "
                                   "once, {audience=\"tag1 tag2\"}"))
        else:
            following.meta[TAG_LINE] = line


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
