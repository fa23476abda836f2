"""Read Markdown footnotes (`[^id]` and `[^id]: text`) into notes that carry their own audience tags.

markdown-it's footnote plugin parses calls and definitions; `definitions_rule` keeps, before
the plugin moves the definitions to the end of the token stream, where each one was written
and the attribute line (`{audience=...}`) above it. A note is one paragraph, defined at the top
level; it shows in an edition where its own tags do and a visible block calls it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..errors import Problem
from .blocks import TreeBuilder, block_end, token_line
from .model import Brief, Note, Section

DEFINITIONS = "note_definitions"
DUPLICATES = "note_duplicates"
MAX_NOTE_CHARS = 2_000  # a note must fit at the foot of one A5 page with room for its call's line


@dataclass
class _Definition:
    label: str
    line: int
    level: int
    opening: Token = field(repr=False)


def definitions_rule(state: StateCore) -> None:
    """A markdown-it core rule, run before the footnote plugin moves definitions away: note where
    each `[^id]:` was written, at what depth, and the token its attribute line tagged."""
    found: dict[str, _Definition] = state.env.setdefault(DEFINITIONS, {})
    for token in state.tokens:
        if token.type == "footnote_reference_open" and token.map:
            label = token.meta["label"]
            if label not in found:
                found[label] = _Definition(label, token.map[0] + 1, token.level, token)
            else:
                state.env.setdefault(DUPLICATES, []).append((label, token.map[0] + 1, found[label].line))


def calls(tokens: list[Token] | tuple[Token, ...]) -> list[tuple[str, Token]]:
    """(label, call token) for every note call in the inline children of `tokens`."""
    return [(child.meta["label"], child) for token in tokens if token.type == "inline"
            for child in token.children or [] if child.type == "footnote_ref"]


def read_notes(tokens: list[Token], start: int, env: dict, builder: TreeBuilder,
               section_tags: list[tuple[int, tuple[str, ...]]]) -> tuple[list[Note], list[Problem]]:
    """The notes of the footnote block markdown-it put at `start` in `tokens`, and every problem.

    `section_tags` is (first line, tags) of each `##` section: a note defined inside a tagged
    section carries that section's tags too.
    """
    called = {name for name, _ in calls(tokens[:start])}
    label = builder.label
    definitions: dict[str, _Definition] = env.get(DEFINITIONS, {})
    problems: list[Problem] = [
        Problem(label, f"note [^{name}] is defined twice (first on line {first}); give each note "
                "its own label", line) for name, line, first in env.get(DUPLICATES, [])]
    notes: list[Note] = []
    for definition in definitions.values():
        if definition.level > 0:
            problems.append(Problem(label, f"note [^{definition.label}] is defined inside a quote, list "
                                    "or box; define notes at the top level, each on a line of its own",
                                    definition.line))
    index = start
    while index < len(tokens):
        if tokens[index].type != "footnote_open":
            index += 1
            continue
        end = block_end(tokens, index)
        name = tokens[index].meta["label"]
        definition = definitions[name]
        inner = tokens[index + 1:end - 1]
        for token in inner:
            if token.type == "inline":
                token.children = [child for child in token.children or []
                                  if child.type != "footnote_anchor"]
        blocks = builder.blocks(inner)
        if any(block.tags for top in blocks for block in top.walk()):
            problems.append(Problem(label, f"note [^{name}] has an audience tag inside it; tag the note "
                                    f"on the line before [^{name}]:", definition.line, "audience"))
        tags = builder.take_tags(definition.opening)
        over = [tags for start, tags in section_tags if start < definition.line]
        problems += _shape_problems(name, definition.line, blocks, label)
        problems += _unindented_problems(name, inner, builder.lines, label)
        notes.append(Note(name, definition.line, tags, tuple(blocks),
                          section_tags=over[-1] if over else ()))
        index = end
    for name, definition in definitions.items():
        if name not in called and definition.level == 0:
            problems.append(Problem(label, f"note [^{name}] is never called; call it with [^{name}] in "
                                    "the text, or delete it", definition.line))
    return notes, problems


def _shape_problems(name: str, line: int, blocks: list, label: str) -> list[Problem]:
    """A note is one paragraph of at most MAX_NOTE_CHARS characters, and calls no other note."""
    problems = []
    if len(blocks) != 1 or blocks[0].kind != "paragraph":
        problems.append(Problem(label, f"note [^{name}] holds {_described(blocks)}; a note is one "
                                "paragraph (lists, quotes, tables and second paragraphs stay in the text)",
                                line))
        return problems
    inline = blocks[0].tokens[1]
    if len(inline.content) > MAX_NOTE_CHARS:
        problems.append(Problem(label, f"note [^{name}] has {len(inline.content)} characters, over the "
                                f"limit of {MAX_NOTE_CHARS} that fits at the foot of a page; shorten it "
                                "or move part of it into the text", line))
    for called, _ in calls([inline]):
        problems.append(Problem(label, f"note [^{name}] calls note [^{called}]; notes do not call notes",
                                token_line(inline, line)))
    return problems


def _unindented_problems(name: str, inner: list[Token], lines: list[str], label: str) -> list[Problem]:
    """A line right under a definition that is not indented: Markdown takes it into the note (a
    lazy continuation), where an author who wrote it flush with the text meant a paragraph."""
    where = next((token.map for token in inner if token.type == "paragraph_open" and token.map), None)
    if where is None:
        return []
    return [Problem(label, f"this line continues note [^{name}] without being indented, so it "
                    "would be printed in the note; indent it to continue the note, or leave a blank "
                    "line before it to start a paragraph", number + 1)
            for number in range(where[0] + 1, min(where[1], len(lines)))
            if lines[number].strip() and not lines[number][:1].isspace()]


def _described(blocks: list) -> str:
    if not blocks:
        return "no text"
    kinds = sorted({block.kind for block in blocks})
    if len(blocks) == 1:
        return f"a {kinds[0]}"
    return f"{len(blocks)} {kinds[0]}s" if len(kinds) == 1 else f"{len(blocks)} blocks ({', '.join(kinds)})"


class NoteNumbering:
    """Note numbers as an edition gives them, in order of first call: through the document, or
    again from 1 in the lead and in each section (`notes_restart: section`), where a note called
    in two sections is a note of each."""

    def __init__(self, brief: Brief, restart: str = "document") -> None:
        self.shown = {note.label for note in brief.notes}
        self.restart = restart
        self.scope = ""  # the lead and the forewords
        self.numbers: dict[tuple[str, str], int] = {}

    def enter(self, section: Section | None) -> None:
        """The section whose blocks come next (None: the lead and the forewords)."""
        if self.restart == "section":
            self.scope = "" if section is None else section.anchor or section.key

    def number(self, label: str) -> int | None:
        """The number a call of `label` prints; None for a note the edition does not show."""
        if label not in self.shown:
            return None
        count = sum(1 for scope, _ in self.numbers if scope == self.scope)
        return self.numbers.setdefault((self.scope, label), count + 1)

    def notes(self) -> list[tuple[int, str]]:
        """Each note printed, as (its number, its label), in the order the edition lists them."""
        return [(number, label) for (_, label), number in self.numbers.items()]
