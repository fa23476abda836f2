"""Turn markdown-it's token stream into a tree of blocks, each with its own audience tags.

Tags fail closed: a tag attaches to the block that follows its line, at any depth
(inside quotes, list items and nested lists); any line that reads as a tag but is not
one a block consumed (`tags.py`), a block that follows a tagged one with no blank line
between, and a box left open are errors, never printed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from markdown_it.rules_block.table import escapedSplit
from markdown_it.token import Token

from ..errors import Problem
from .columns import align_numeric_columns
from .fields import visible
from .model import Block, BlockKind
from .tags import (
    AUDIENCE_ATTRIBUTE,
    TAG_LINE,
    TAG_NAME,
    invisible_characters,
    reads_as_attribute_line,
    reads_as_tag,
    visible_form,
    why_not_a_tag,
)

MAX_DEPTH = 6
MAX_LIST_ITEMS = 500
MAX_ITEMS_IN_BRIEF = 2_000
MAX_TABLE_ROWS = 200
MAX_TABLE_COLUMNS = 12
MAX_TABLE_CELLS = 10_000  # in all the tables of a brief: layout costs about 1.3 ms and 20 KB a cell

BOXES = ("foreword", "note")
BOX_FENCE = re.compile(r"^\s*(?:>\s*)*:::")
BOX_CLOSE = re.compile(r"^\s*(?:>\s*)*:::\s*$")
QUOTE_MARKERS = re.compile(r"^\s*(?:>\s*)*")

_LEAVES: dict[str, BlockKind] = {
    "paragraph_open": "paragraph",
    "table_open": "table",
}
_CONTAINERS: dict[str, BlockKind] = {
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "blockquote_open": "quote",
    "list_item_open": "item",
    **{f"container_{name}_open": "box" for name in BOXES},
}

_REFUSED = {"hr": "a thematic break (---)", "code_block": "an indented code block",
            "fence": "a fenced code block"}
#: The markup of a heading underlined with `===` or `---` (a setext heading).
_SETEXT = {"=", "-"}


def block_end(tokens: list[Token], start: int) -> int:
    """Index just past the block that opens at `start`."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index + 1
    return len(tokens)


def _caption_follows(tokens: list[Token], end: int) -> bool:
    """Whether the block at `end` is a caption: a paragraph that starts with `:`, as in Pandoc."""
    return end + 2 < len(tokens) and tokens[end].type == "paragraph_open" \
        and tokens[end + 1].content.startswith(":")


def _caption_inline(tokens: list[Token], end: int) -> Token:
    """The inline of the caption at `end`, its `:` taken off."""
    inline = tokens[end + 1]
    inline.content = inline.content[1:].lstrip()
    if inline.children and inline.children[0].type == "text":
        inline.children[0].content = inline.children[0].content[1:].lstrip()
    return inline


def _captioned(table: Block, tokens: list[Token], end: int) -> tuple[Block, int]:
    """A table with its caption, and the index past both: the paragraph right after a table that
    starts with `:`."""
    if not _caption_follows(tokens, end):
        return table, end
    opening, closing = Token("caption_open", "caption", 1), Token("caption_close", "caption", -1)
    opening.block = closing.block = True
    captioned = (table.tokens[0], opening, _caption_inline(tokens, end), closing, *table.tokens[1:])
    return Block(table.kind, table.line, table.tags, captioned, table.children), block_end(tokens, end)


def image_alone(inline: Token) -> bool:
    """Whether an inline token holds an image and nothing else to read."""
    children = inline.children or []
    return any(child.type == "image" for child in children) and all(
        child.type in {"image", "softbreak"} or (child.type == "text" and not child.content.strip())
        for child in children)


def caption_end(tokens: list[Token], start: int, end: int) -> int:
    """Past the block at [start, end) and its caption, when it has one: a paragraph right after a
    table, or after a paragraph that is an image alone, that starts with `:`."""
    captioned = tokens[start].type == "table_open" or (
        tokens[start].type == "paragraph_open" and image_alone(tokens[start + 1]))
    return block_end(tokens, end) if captioned and _caption_follows(tokens, end) else end


def _figure_caption(image: Block, tokens: list[Token], end: int) -> Block | None:
    """The caption of a paragraph that is an image alone, as a table's (`_captioned`). It takes
    the image's tags, and its page: the image keeps with it."""
    alone = image.kind == "paragraph" and len(image.tokens) == 3 and image_alone(image.tokens[1])
    if not (alone and _caption_follows(tokens, end)):
        return None
    return Block("paragraph", token_line(tokens[end]), image.tags,
                 (tokens[end], _caption_inline(tokens, end), tokens[end + 2]))


def token_line(token: Token, default: int = 0) -> int:
    """The 1-based source line a block token starts on."""
    return token.map[0] + 1 if token.map else default


@dataclass
class TreeBuilder:
    """Builds blocks from tokens, collecting every problem with its line."""

    label: str
    lines: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    consumed_tag_lines: set[int] = field(default_factory=set)
    items_seen: int = 0
    cells_seen: int = 0

    def take_tags(self, token: Token) -> tuple[str, ...]:
        """Remove a block token's attributes and return its audience tags.

        Any other attribute is an error; so is an empty or malformed tag.
        """
        attrs = dict(token.attrs)
        token.attrs = {}
        if token.type in {"th_open", "td_open"} and str(attrs.get("style", "")).startswith("text-align:"):
            token.attrs = {"style": attrs.pop("style")}  # a column's alignment, from `---:`
        start = attrs.get("start")
        if token.type == "ordered_list_open" and isinstance(start, int):
            # A numbered list that starts at another number than 1 (`5.`): markdown-it's `start`
            # (an int; an attribute line's `{start=5}` is a string, refused below), which
            # WeasyPrint does not read; its counter starts one before it instead.
            del attrs["start"]
            token.attrs = {"style": f"counter-reset: list-item {start - 1}"}
        attrs.update(token.meta.pop("insecure_attrs", None) or {})  # `on...` names, set aside
        tag_line: int | None = token.meta.get(TAG_LINE) or token_line(token) - 1 or None
        if not attrs:
            return ()
        if tag_line is not None:
            self.consumed_tag_lines.add(tag_line)
        tags = tuple(str(attrs.pop(AUDIENCE_ATTRIBUTE, "")).split())
        if attrs:
            names = ", ".join(sorted(attrs))
            hidden = invisible_characters(names)
            if hidden or any(visible_form(name).lower() == AUDIENCE_ATTRIBUTE for name in attrs):
                message = why_not_a_tag("{" + names + "=}")
            else:
                message = f"unsupported attribute {names}; only {{audience=tag}} is allowed on a block"
            self.problems.append(Problem(self.label, message, tag_line))
            return tags or ("",)
        if not tags:
            self.problems.append(Problem(self.label, "empty audience tag; write {audience=tag} "
                                         "with one or more tags", tag_line, "audience"))
            return ("",)  # an unknown tag hides the block from everyone while the error stands
        for tag in tags:
            if invisible_characters(tag):
                self.problems.append(Problem(self.label, why_not_a_tag(tag), tag_line, "audience"))
            elif not TAG_NAME.match(tag):
                self.problems.append(Problem(
                    self.label, f"malformed audience tag {tag!r}; tags are lower-case letters, "
                    "digits and hyphens", tag_line, "audience"))
        return tags

    def blocks(self, tokens: list[Token], depth: int = 0) -> list[Block]:
        """The blocks of a token range at one level of nesting."""
        found: list[Block] = []
        index = 0
        while index < len(tokens):
            end = block_end(tokens, index)
            block = self.block(tokens[index:end], depth)
            if block is not None and block.kind == "table":
                caption = end
                block, end = _captioned(block, tokens, end)
                if end != caption:
                    self._caption_problems(tokens, caption, "table")
            figure_caption = _figure_caption(block, tokens, end) if block is not None else None
            if block is not None:
                found.append(block)
            if block is not None and figure_caption is not None:
                self._caption_problems(tokens, end, "image")
                block.tokens[0].attrs = {"class": "figure"}  # kept on the caption's page
                tokens[end].attrs = {"class": "figure-caption"}
                found.append(figure_caption)
                end = block_end(tokens, end)
            index = end
        return found

    def _caption_problems(self, tokens: list[Token], at: int, what: str) -> None:
        """A caption (at `tokens[at]`) takes its table's or image's tags, and has words."""
        if self.take_tags(tokens[at]):
            self.problems.append(Problem(
                self.label, f"a caption takes its {what}'s audience tags; tag the {what}, not its "
                "caption", tokens[at].meta.get(TAG_LINE) or token_line(tokens[at]), "audience"))
        if not visible(tokens[at + 1].content):
            article = "an" if what[0] in "aeiou" else "a"
            self.problems.append(Problem(
                self.label, f"{article} {what} caption with no words (a ':' alone) would print an "
                "empty caption; write its words or remove the line", token_line(tokens[at])))

    def block(self, tokens: list[Token], depth: int) -> Block | None:
        """One block (a leaf or a container with its children)."""
        opening = tokens[0]
        line = token_line(opening)
        if opening.type in _REFUSED:
            self.problems.append(Problem(self.label, f"{_REFUSED[opening.type]} is not supported "
                                         "in a brief", line))
            return None
        if depth > MAX_DEPTH:
            self.problems.append(Problem(self.label, f"blocks nested more than {MAX_DEPTH} deep; "
                                         "flatten the quote or list", line))
            return None
        if opening.type == "heading_open":
            kind: BlockKind = "subheading" if opening.tag == "h3" and depth == 0 else "heading"
            if depth == 0 and opening.tag != "h3" and opening.markup not in _SETEXT:
                self.problems.append(Problem(self.label, f"heading level {opening.tag[1]} is not "
                                             "used: write '## ' for a section and '### ' for a "
                                             "subheading", line))
            return Block(kind, line, self.take_tags(opening), tuple(tokens))
        if opening.type in _LEAVES:
            tags = self.take_tags(opening)
            if opening.type == "table_open":
                self._check_table(tokens, line)
                align_numeric_columns(tokens)
            return Block(_LEAVES[opening.type], line, tags, tuple(tokens))
        if opening.type in _CONTAINERS:
            return self._container(tokens, depth, line)
        return None  # front matter and raw HTML are reported elsewhere

    def _container(self, tokens: list[Token], depth: int, line: int) -> Block:
        opening, closing = tokens[0], tokens[-1]
        kind = _CONTAINERS[opening.type]
        tags = self.take_tags(opening)
        if kind == "box":
            self._check_box(opening, line)
        children = self.blocks(tokens[1:-1], depth + (kind != "item"))
        if kind == "item":
            self.items_seen += 1
            if children and children[0].tags:
                # `- {audience=x}` tags the item: its first block's tags belong to it.
                first = children[0]
                tags = (*tags, *first.tags)
                children[0] = Block(first.kind, first.line, (), first.tokens, first.children)
        self.problems += adjacency_problems(children, self.label, self.lines)
        if kind == "list" and len(children) > MAX_LIST_ITEMS:
            self.problems.append(Problem(self.label, f"a list of {len(children)} items is over "
                                         f"the limit of {MAX_LIST_ITEMS}; split it", line))
        return Block(kind, line, tags, (opening, closing), tuple(children))

    def _check_box(self, opening: Token, line: int) -> None:
        """A box line names the box and nothing else, and the box is closed by `:::`."""
        name = opening.info.strip()
        if name not in BOXES:
            self.problems.append(Problem(
                self.label, f"'::: {name}': a box line holds only the box's name; write "
                f"'::: {name.split()[0]}' on its own line and put the words inside the box", line))
        closing_line = opening.map[1] if opening.map else len(self.lines)
        if closing_line >= len(self.lines) or not BOX_CLOSE.match(self.lines[closing_line]):
            self.problems.append(Problem(
                self.label, f"'::: {name}' is never closed, so it would take in everything after "
                "it; close the box with ':::' on its own line", line))

    def _check_table(self, tokens: list[Token], line: int) -> None:
        rows = sum(1 for token in tokens if token.type == "tr_open") - 1
        columns = max((_cells(tokens, index) for index, token in enumerate(tokens)
                       if token.type == "tr_open"), default=0)
        if rows > MAX_TABLE_ROWS:
            self.problems.append(Problem(self.label, f"a table of {rows} rows is over the limit of "
                                         f"{MAX_TABLE_ROWS}; split it", line))
        if columns > MAX_TABLE_COLUMNS:
            self.problems.append(Problem(self.label, f"a table of {columns} columns is over the "
                                         f"limit of {MAX_TABLE_COLUMNS}; split it", line))
        self.problems += self._row_problems(tokens)
        before = self.cells_seen
        self.cells_seen += sum(1 for token in tokens if token.type in {"th_open", "td_open"})
        if before <= MAX_TABLE_CELLS < self.cells_seen:
            self.problems.append(Problem(self.label, f"the tables up to this one hold {self.cells_seen:,} "
                                         f"cells, over the limit of {MAX_TABLE_CELLS:,} for a brief; "
                                         "split the publication", line))

    def _row_problems(self, tokens: list[Token]) -> list[Problem]:
        """Each body row typed with more or fewer cells than its header: Markdown would drop the
        cells past the header's, or fill the row with empty ones, without a word. A tag line read
        into a table is left to the tag check, which names it."""
        rows = [token.map[0] for token in tokens if token.type == "tr_open" and token.map]
        header = _typed_cells(self.lines[rows[0]]) if rows else 0
        problems = []
        for row in rows[1:]:
            line = self.lines[row]
            if reads_as_tag(line) or reads_as_attribute_line(line):
                continue  # a tag line inside a table: reported as a misplaced tag
            typed = _typed_cells(line)
            if typed != header:
                hint = ("Markdown would drop the cells past the header's" if typed > header
                        else "Markdown would fill the row with empty cells")
                problems.append(Problem(
                    self.label, f"a table row of {typed} cell(s) under a header of {header}: {hint}; "
                    "give every row the header's number of cells (an empty cell is '|  |', a pipe "
                    "inside a cell '\\|')", row + 1))
        return problems

    def stray_tag_problems(self, tokens: list[Token], attribute_lines: list[int],
                           attribute_problems: list[tuple[int, str]]) -> list[Problem]:
        """Every line that reads as an audience tag or an attribute line but tags no block, a tag
        spread over lines, and every attribute line that tags nothing, each with its line."""
        problems = [Problem(self.label, message, line, "audience") for line, message in attribute_problems]
        read = set(attribute_lines)
        for number, source_line in enumerate(self.lines, start=1):
            if number not in read and (reads_as_tag(source_line) or reads_as_attribute_line(source_line)):
                problems.append(Problem(self.label, why_not_a_tag(source_line), number, "audience"))
        reported = {problem.line for problem in problems}
        for token in tokens:
            if token.type == "inline" and token.map and reads_as_tag(token.content) \
                    and not reported.intersection(range(token.map[0] + 1, token.map[1] + 1)):
                problems.append(Problem(self.label, why_not_a_tag(token.content), token_line(token),
                                        "audience"))
        return problems

    def stray_fence_problems(self, tokens: list[Token]) -> list[Problem]:
        """Every `:::` line left as text: an unknown box name or an unclosed box."""
        problems = []
        for token in tokens:
            if token.type != "inline":
                continue
            for offset, source_line in enumerate(token.content.split("\n")):
                if BOX_FENCE.match(source_line):
                    problems.append(Problem(
                        self.label, f"'{source_line.strip()}' is not a box; write '::: foreword' or "
                        "'::: note' on its own line and close it with ':::'",
                        token_line(token) + offset))
        return problems

    def item_limit_problems(self) -> list[Problem]:
        if self.items_seen > MAX_ITEMS_IN_BRIEF:
            return [Problem(self.label, f"{self.items_seen} list items in all is over the limit of "
                            f"{MAX_ITEMS_IN_BRIEF}; split the publication")]
        return []


KIND_WORDS: dict[BlockKind, str] = {
    "paragraph": "paragraph", "subheading": "subheading", "heading": "heading", "list": "list",
    "item": "list item", "quote": "quote", "table": "table", "box": "box"}


def setext_problems(tokens: list[Token], label: str) -> list[Problem]:
    """A heading underlined with `---` or `===`, at any depth, as an error at its underline.

    A line of dashes right under a paragraph makes the paragraph a `##` heading: in a tagged
    section it started an untagged section, which took every block after it to the editions the
    tag hides them from.
    """
    return [Problem(label, "a line of dashes or equals signs under text makes that text a heading, "
                    "which Markdown reads as a section of its own; write '## ' before a section "
                    "heading or '### ' before a subheading, and delete the underline", token.map[1])
            for token in tokens
            if token.type == "heading_open" and token.markup in _SETEXT and token.map]


def adjacency_problems(siblings: list[Block], label: str, lines: list[str]) -> list[Problem]:
    """A block that starts on the line right after a tagged sibling, with no blank line between,
    or that stands under a tagged subheading.

    CommonMark makes it a block of its own, which the tag does not cover, while an author
    reads the two as one tagged unit. A new list item is a boundary anyone can see.
    """
    problems = []
    for previous, block in itertools.pairwise(siblings):
        if _reads_as_a_caption(block) and _tagged_within(previous):
            problems.append(Problem(
                label, "this paragraph starts with ':', as a caption does, right after a "
                f"{KIND_WORDS[previous.kind]} that holds tagged text (line {previous.line}); a "
                "caption is one only right under its table or under a paragraph that is an image "
                "alone, so this one would print as an untagged paragraph, with its ':', in the "
                "editions that tag hides the text from; put it right under its table or image, or "
                "start it with \\: if the colon is text", block.line, "audience"))
        if not previous.tags or block.tags or block.kind == "item":
            continue
        before = block.span[0] - 1  # the line above the block, 1-based
        if 0 < before <= len(lines) and lines[before - 1].strip(" \t>"):
            word = KIND_WORDS[block.kind]
            problems.append(Problem(
                label, f"this {word} starts right after the tagged {KIND_WORDS[previous.kind]} "
                f"(line {previous.line}), with no blank line between, so the tag does not cover it; "
                f"put a blank line between them, and tag the {word} too if it is restricted",
                block.line, "audience"))
        elif block.kind == "list" and _leads_in(previous):
            problems.append(Problem(
                label, f"this list follows the tagged paragraph on line {previous.line}, which ends "
                "with ':' to introduce it, but a tag covers its one block: the list would print, "
                "without its lead-in, in the editions that tag hides the paragraph from; tag the "
                "list too if it is restricted, and if it is for every edition, end the paragraph "
                "without a colon", block.line, "audience"))
    reported = {problem.line for problem in problems}
    subheading: Block | None = None  # the subheading the blocks stand under, if it is tagged
    for block in siblings:
        if block.kind in {"heading", "subheading"}:
            subheading = block if block.kind == "subheading" and block.tags else None
        elif subheading is not None and not block.tags and block.line not in reported:
            word = KIND_WORDS[block.kind]
            problems.append(Problem(
                label, f"this {word} is under the tagged subheading on line {subheading.line}, but "
                "a tag covers its one block, so the subheading's tag does not cover it: it would "
                "print, without its subheading, in the editions that tag hides the subheading "
                f"from; tag the {word} too if it is restricted, and if it is for every edition, "
                "put it before the subheading or under a subheading of its own",
                block.line, "audience"))
    return problems


def _leads_in(block: Block) -> bool:
    """A paragraph whose text ends with a colon, as a lead-in to the list after it does."""
    return (block.kind == "paragraph" and not block.tokens[0].hidden
            and block.tokens[1].content.rstrip().endswith((":", "\uff1a")))


def _reads_as_a_caption(block: Block) -> bool:
    """An untagged paragraph that starts with `:`, as a caption does, but captions nothing: a
    caption is taken into its table or set apart from `:` as its image's."""
    return (block.kind == "paragraph" and not block.tags and not block.tokens[0].hidden
            and block.tokens[1].content.startswith(":"))


def _tagged_within(block: Block) -> bool:
    """Whether the block, or any block inside it, carries audience tags."""
    return bool(block.tags) or any(_tagged_within(child) for child in block.children)


def _typed_cells(line: str) -> int:
    """The cells of a table row as typed, counted as markdown-it splits them."""
    cells = escapedSplit(QUOTE_MARKERS.sub("", line).strip())
    return len(cells) - (cells[0] == "") - (len(cells) > 1 and cells[-1] == "")


def _cells(tokens: list[Token], row_start: int) -> int:
    count = 0
    for token in tokens[row_start + 1:]:
        if token.type == "tr_close":
            break
        count += token.type in {"th_open", "td_open"}
    return count
