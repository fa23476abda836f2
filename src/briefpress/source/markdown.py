"""Turn `brief.md` (front matter and Markdown) into a lead and headed sections."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from linkify_it import LinkifyIt
from linkify_it.main import Match
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import Problem
from ..project import Project
from ..sandbox import Sandbox
from .blocks import (
    BOXES,
    TreeBuilder,
    adjacency_problems,
    block_end,
    caption_end,
    setext_problems,
    token_line,
)
from .citations import citation_rule
from .fields import visible
from .linkrefs import inline_rule, reference_uses
from .model import Block, Brief, BriefFrontMatter, Section, inline_text
from .notes import calls, definitions_rule, read_notes
from .references import MAX_IMAGES, image_problem, link_problem
from .tags import ATTRIBUTE_LINES, ATTRIBUTE_PROBLEMS, attribute_lines_rule, visible_form
from .xrefs import XREF, xref_rule
from .yamlsource import parse_yaml, read_source, typed_texts, validate

MAX_BRIEF_CHARS = 200_000
MAX_PARAGRAPH_CHARS = 20_000
MAX_SECTIONS = 100
# `[@UNCTAD-2024]`, `[@id`, `[see @id, p. 4]`: an @ that starts a word inside brackets (not an
# e-mail address's) reads as a citation.
CITATION_LIKE = re.compile(r"\[[^\]\[\n@]*(?<![\w.])-?@[^\]\n]*\]?")
# `![alt](my map.png)`: what reads as an image or link, left as text by Markdown (a space in the
# path or address), would print as typed and lose the image or link.
UNREAD_REFERENCE = re.compile(r"!?\[(?:[^\]\[\n]|\[(?:[^\]\[\n]|\[[^\]\[\n]*\])*\])*\]\(([^)\n]*)\)")
#: `[text][label]` or `[text][]` left as text: its label names no `[label]: url` definition.
UNREAD_LABELLED = re.compile(r"!?\[([^\[\]\n]+)\]\[([^\[\]\n^@]*)\]")
FOOTNOTE = re.compile(r"\[\^[^\]\n]+\]")
#: `^[text]`: an inline note as other tools write one, which Markdown leaves as text (`\^[` is text).
INLINE_NOTE = re.compile(r"(?<!\\)\^\[[^\]\n]*\]")
HEADING_ID = re.compile(r"\s*\{#([^}\s]*)\}\s*$")
#: An attribute block at the end of a heading's line, `{#id .class}`, `{.class}`, `{#id}`, not
#: escaped (`\{` is text).
HEADING_ATTRIBUTES = re.compile(r"(?<!\\)\{\s*[#.][^{}]*\}\s*$")
SECTION_ID = re.compile(r"^[a-z][a-z0-9-]*$")
AUTOMATIC_ID = re.compile(r"^(?:section-[0-9]+|note-.*|end-note-.*)$")  # ids the layout makes
# A note call, citation or cross-reference: where a bare URL typed right before one ends.
AFTER_A_URL = re.compile(r"\[(?:\^|@|\[ref:)")


class _Linkify(LinkifyIt):
    """linkify-it whose bare URL ends before a note call, citation or cross-reference.

    linkify-it takes brackets into a URL, so `https://example.org/a.[^1]` was one link whose
    address ended `.%5B%5E1%5D` and the call was lost; cut there, the URL's final full stop is
    left out as at the end of any sentence.
    """

    def match_at_start(self, text: str) -> Match | None:
        """The URL at the start of `text`, read up to the first call, citation or reference."""
        cut = AFTER_A_URL.search(text)
        return super().match_at_start(text[:cut.start()] if cut else text)


def markdown_parser() -> MarkdownIt:
    """CommonMark with tables, front matter and `{audience=...}` attribute blocks.

    Raw HTML and every link and image are parsed, whatever their URL, so that
    `parse_brief` can refuse them with a reason instead of leaving them as text.
    Bare URLs and e-mail addresses become links (linkify).
    """
    md = (
        MarkdownIt("commonmark", {"html": True, "typographer": False, "linkify": True})
        .enable(["table", "linkify"])
        .use(front_matter_plugin)
        .use(attrs_block_plugin)
        .use(footnote_plugin, inline=False)
    )
    md.linkify = _Linkify()
    md.core.ruler.before("attr", "tag_lines", attribute_lines_rule)
    md.core.ruler.before("footnote_tail", "note_definitions", definitions_rule)
    md.inline.ruler.before("link", "citation", citation_rule)
    md.core.ruler.at("inline", inline_rule)  # notes the reference definitions each inline uses
    md.inline.ruler.before("link", XREF, xref_rule)  # [[ref:id]]: a cross-reference into the annex
    md.add_render_rule(XREF, _raw_reference)
    for name in BOXES:
        md.use(container_plugin, name)
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # links are checked later
    return md


def _raw_reference(renderer: object, tokens: list[Token], index: int, options: object, env: object) -> str:
    """A reference as typed: what a page shows only where nothing named it (the layout does)."""
    return escapeHtml(tokens[index].content)


def _inline_lines(token: Token) -> list[tuple[Token, int | None]]:
    """Each child of an inline token with the source line it starts on."""
    if token.map is None:
        return [(child, None) for child in token.children or []]
    line = token.map[0] + 1
    located: list[tuple[Token, int | None]] = []
    for child in token.children or []:
        located.append((child, line))
        if child.type in {"softbreak", "hardbreak"}:
            line += 1
    return located


def _take_heading_id(inline: Token, label: str, problems: list[Problem]) -> str | None:
    """Remove a trailing `{#id}` from a section heading and return the id."""
    children = inline.children or []
    match = HEADING_ID.search(children[-1].content) if children and children[-1].type == "text" else None
    if match is None:
        return None
    children[-1].content = children[-1].content[:match.start()].rstrip()
    section_id = match[1]
    if not SECTION_ID.match(section_id) or AUTOMATIC_ID.match(section_id):
        problems.append(Problem(label, f"section id '{section_id}' must be lower-case letters, digits "
                                "and hyphens, starting with a letter, and not section-N, note-... or "
                                "end-note-... (kept for sections without an id and for notes)",
                                token_line(inline), "id"))
    return section_id


def _heading_attribute_problems(tokens: list[Token], label: str, lines: list[str]) -> list[Problem]:
    """Attribute syntax at the end of a heading that is not a section's `{#id}`: Markdown leaves
    it in the heading's words, printed in the heading, the contents and the outline."""
    problems = []
    for token in tokens:
        line = lines[token.map[0]] if token.type == "heading_open" and token.map else ""
        found = HEADING_ATTRIBUTES.search(line)
        if found is None or (token.tag == "h2" and token.level == 0 and HEADING_ID.fullmatch(found[0])):
            continue
        problems.append(Problem(
            label, f"'{found[0].strip()}' at the end of a heading would be printed as typed: only a "
            "section heading takes an id, as '## heading {#id}', and no heading takes a class; "
            "delete it, or type \\{ if the braces are text", token_line(token)))
    return problems


def _duplicate_id_problems(headed: list, label: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for _, line, _, _, key in headed:
        if key in seen:
            problems.append(Problem(label, f"section id '{key}' is used twice (first on line "
                                    f"{seen[key]})", line, "id"))
        seen.setdefault(key, line)
    return problems


def _heading_text(tokens: list[Token]) -> str:
    """A heading's visible words, single-spaced."""
    return " ".join("".join(text for token in tokens if token.type == "inline"
                            for text in inline_text(token)).split())


#: A line that starts with a number in Arabic-Indic or Persian digits and `.` or `)`: typed as a
#: list number, but CommonMark reads only ASCII digits as one.
_EASTERN_LIST_NUMBER = re.compile(r"^[ \t>]*([\u0660-\u0669\u06f0-\u06f9]{1,3})([.)])(?=[ \t]|$)")


def _eastern_list_number_problems(tokens: list[Token], text: str, label: str) -> list[Problem]:
    """A paragraph line that starts with `٢.` or `٣)`: a list item numbered in Arabic-Indic digits,
    which Markdown leaves as text, so the line joined the item (or paragraph) before it and the
    items after it were numbered one short, with exit 0."""
    lines = text.split("\n")
    problems = []
    for token in tokens:
        if token.type != "paragraph_open" or not token.map:
            continue
        for number in range(*token.map):
            found = _EASTERN_LIST_NUMBER.match(lines[number]) if number < len(lines) else None
            if found:
                digits, mark = found.groups()
                ascii_digits = "".join(str(int(digit)) for digit in digits)
                problems.append(Problem(
                    label, f"'{digits}{mark}' is a list number in Arabic-Indic digits, which "
                    "Markdown does not read as one (the line would join the text before it); "
                    f"type {ascii_digits}{mark}, which each edition prints in its own digits, "
                    f"or {digits}\\{mark} for text", number + 1))
    return problems


#: A paragraph line that reads as a heading once compatibility forms are folded and invisible
#: characters dropped (`##` and a no-break space, a direction mark before the `#`s), or two to six
#: `#`s with no space after them (`##القسم`): Markdown reads either as text.
_UNREAD_HEADING = re.compile(r"^(?:#{1,6}(?:[ \t]|$)|#{2,6}(?=[^\s#]))")


def _unread_heading_problems(tokens: list[Token], label: str) -> list[Problem]:
    """A paragraph line typed as a heading that Markdown leaves as text: tagged, the tag covered
    that line alone, and the blocks meant for its section joined the section before it."""
    problems = []
    for index, token in enumerate(tokens):
        if token.type != "inline" or token.map is None or tokens[index - 1].type != "paragraph_open":
            continue
        for offset, line in enumerate(token.content.split("\n")):
            if _UNREAD_HEADING.match(visible_form(line).lstrip()):
                problems.append(Problem(
                    label, f"'{line.strip()}' reads as a heading, but Markdown reads it as text (a "
                    "heading is '## ' or '### ' at the start of the line, with a plain space after "
                    "the #s); type it so, or start the line with \\# if it is text",
                    token.map[0] + 1 + offset))
    return problems


#: Past the quote markers and plain indentation of a paragraph's first line: its first character.
_FIRST_CHARACTER = re.compile(r"^[ \t>]*(.)")


def _unread_indentation_problems(tokens: list[Token], label: str, lines: list[str]) -> list[Problem]:
    """A paragraph whose first line starts with a space Markdown does not indent with (a no-break
    or thin space): meant to continue a list item or quote, it stood apart from it, untagged."""
    problems = []
    for token in tokens:
        found = _FIRST_CHARACTER.match(lines[token.map[0]]) \
            if token.type == "paragraph_open" and token.map else None
        if found and found[1].isspace():
            problems.append(Problem(
                label, f"this paragraph starts with U+{ord(found[1]):04X} "
                f"{unicodedata.name(found[1], 'SPACE')}, which Markdown does not read as indentation, "
                "so the paragraph stands apart from any list item or quote above it; indent it with "
                "plain spaces, or delete the character", token_line(token)))
    return problems


_LINE_BREAK = re.compile(r"<br\s*/?>", re.I)


def _with_alt_text(token: Token, line: int | None) -> list[tuple[Token, int | None]]:
    """`token` and, for an image, every token of its alt text, on the image's line: what is typed
    there becomes the figure's /Alt."""
    parts = token.children or [] if token.type == "image" else []
    return [(token, line), *(found for part in parts for found in _with_alt_text(part, line))]


def _raw_html_problems(tokens: list[Token], label: str) -> list[Problem]:
    problems = []
    in_cell = False
    for token in tokens:
        in_cell = token.type in {"th_open", "td_open"} or (in_cell and token.type == "inline")
        located = [(token, token.map[0] + 1 if token.map else None), *_inline_lines(token)]
        located = [found for candidate, line in located for found in _with_alt_text(candidate, line)]
        for candidate, line in located:
            if candidate.type in {"html_block", "html_inline"}:
                snippet = candidate.content.strip().splitlines()[0][:40]
                advice = ("a table cell holds one line, and Markdown has no line break in a cell; "
                          "shorten the cell or split it into rows"
                          if in_cell and _LINE_BREAK.fullmatch(snippet) else "write it as Markdown instead")
                problems.append(Problem(label, f"raw HTML is not allowed in Markdown: {snippet!r}; {advice}",
                                        line))
    return problems


def _as_typed(child: Token) -> str:
    """What `child` of an inline token reads back as in the source, for the text it sits in: a
    note call, citation or cross-reference as typed, a line break as one, nothing for markup."""
    if child.type == "footnote_ref":
        return f"[^{child.meta['label']}]"
    if child.type in {"citation", XREF}:
        return child.content
    if child.type in {"softbreak", "hardbreak"}:
        return "\n"
    return child.content if child.type == "text" else ""


def _unread_reference_problems(tokens: list[Token], label: str, lines: list[str]) -> list[Problem]:
    """An image or link Markdown did not read, typed as such (not escaped) in the source.

    Markdown reads no link whose text holds a note call, citation or cross-reference
    (`[words[^1]](https://...)`): its brackets and address would print as typed around the call.
    """
    problems = []
    for token in tokens:
        if token.type != "inline" or token.map is None:
            continue
        printed = "".join(_as_typed(child) for child in token.children or [])
        source = "\n".join(lines[token.map[0]:token.map[1]])
        for match in UNREAD_REFERENCE.finditer(printed):
            if match[0] in source and AFTER_A_URL.search(match[0]):
                problems.append(Problem(
                    label, f"{_quoted(match[0])}: a link's or image's text holds a note call, "
                    "citation or cross-reference, so it is no link and would be printed as typed; "
                    "put the call after the link: [text](address)[^id]",
                    token.map[0] + 1 + printed.count("\n", 0, match.start())))
            elif match[0] in source:
                problems.append(Problem(
                    label, f"{_quoted(match[0])} is no image or link to Markdown and would be "
                    "printed as typed; write a path or address that holds a space as "
                    f"<{match[1].strip()}>, or with %20 for each space",
                    token.map[0] + 1 + printed.count("\n", 0, match.start())))
        for match in UNREAD_LABELLED.finditer(printed):
            if match[0] in source:
                name = match[2] or match[1]
                problems.append(Problem(
                    label, f"{_quoted(match[0])} takes its address from a definition [{name}]: "
                    "that brief.md does not hold, so it would be printed as typed, brackets and "
                    f"all; write [{name}]: and the address on a line of its own after a blank line "
                    "(right under a line of text, it is text of that paragraph), or write the "
                    "link with its address in parentheses",
                    token.map[0] + 1 + printed.count("\n", 0, match.start())))
    return problems


def _footnote_problems(tokens: list[Token], label: str) -> list[Problem]:
    """A note call left as text (`[^1]` with no `[^1]:` definition), and a call in a heading."""
    problems = []
    for token in tokens:
        for child, line in _inline_lines(token):
            cite = CITATION_LIKE.search(child.content) if child.type == "text" else None
            if cite:
                problems.append(Problem(
                    label, f"{_quoted(cite[0])} is not a citation and would be printed as typed; "
                    "cite one source as [@id], its id lower-case letters, digits and hyphens as in "
                    "publication.yaml's sources, and words or a page outside the brackets "
                    "([@id]، ص 4)", line))
            match = FOOTNOTE.search(child.content) if child.type == "text" else None
            if match and any(character.isspace() for character in match[0]):
                problems.append(Problem(
                    label, f"note label {match[0]} holds a space, so it is neither a call nor a "
                    "definition and would be printed as typed; write the label without spaces",
                    line))
            elif match:
                problems.append(Problem(
                    label, f"note {match[0]} is called but never defined; define it on a line of its "
                    f"own: {match[0]}: text", line))
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and not visible(_heading_text(tokens[index + 1:index + 2])):
            problems.append(Problem(label, "a heading with no words (only spaces or invisible "
                                    "characters) would print an empty heading and contents entry; "
                                    "write its words or remove the line", token_line(token)))
        if token.type == "heading_open" and calls(tokens[index + 1:index + 2]):
            problems.append(Problem(label, "a heading calls a note; call it from the text under the "
                                    "heading (a heading is also the outline's and the contents' entry)",
                                    token_line(token)))
    return problems


def _spaced_note_label_problems(env: dict, lines: list[str], label: str) -> list[Problem]:
    """A note definition whose label holds a space (`[^note 2]: text`): Markdown reads it as a
    reference definition, its text as an address, so no note is made and each call is a link."""
    problems = []
    for key, definition in (env.get("references") or {}).items():
        where = definition.get("map") if isinstance(definition, dict) else None
        if not key.startswith("^") or not where:
            continue
        typed = re.match(r"\s*(\[[^\]]*\])", lines[where[0]])
        problems.append(Problem(
            label, f"note label {typed[1] if typed else '[' + key + ']'} holds a space, so Markdown "
            "reads this line as a link's address, not a note, and each call as a link; write the "
            "label without spaces", where[0] + 1))
    return problems


def _inline_note_problems(tokens: list[Token], label: str) -> list[Problem]:
    """An inline note `^[text]`, which would print its caret, brackets and words in the text."""
    return [Problem(label, f"{_quoted(found[0])} is an inline note, which would be printed as typed; "
                    "call a note as [^id] and define it on a line of its own: [^id]: text",
                    token.map[0] + 1 + token.content.count("\n", 0, found.start()))
            for token in tokens if token.type == "inline" and token.map
            for found in INLINE_NOTE.finditer(token.content)]


#: What a section heading (`##`) would lose: its heading, contents entry and outline entry are
#: its plain words, where a `###` heading inside a section is printed with its inline markup.
_LOST_IN_A_SECTION_HEADING = {"citation": "cites a source ([@id])",
                              XREF: "holds a cross-reference ([[ref:id]])",
                              "image": "holds an image"}


def _section_heading_problems(inline: Token, label: str, line: int | None) -> list[Problem]:
    """A citation, cross-reference or image in a `##` heading, which would print nothing."""
    found = {child.type for child in inline.children or [] if child.type in _LOST_IN_A_SECTION_HEADING}
    return [Problem(label, f"a section heading {_LOST_IN_A_SECTION_HEADING[kind]}, which its heading, "
                    "contents entry and outline entry would leave out; put it in the text under "
                    "the heading", line)
            for kind in sorted(found)]


def _alt_text_problems(tokens: list[Token], label: str) -> list[Problem]:
    """A citation, cross-reference or note call in an image's alt text: the figure's /Alt is the
    alt text's plain words, which leave it out (a note called there alone was never numbered)."""
    problems = []
    for token in tokens:
        for child, line in _inline_lines(token):
            parts = [part for part, _ in _with_alt_text(child, line)[1:]]
            kinds = {part.type for part in parts}
            problems += [Problem(label, f"an image's alt text {_LOST_IN_A_SECTION_HEADING[kind]}, which "
                                 "the figure's /Alt would leave out; write its words in the alt text, "
                                 "and the citation or reference in the text or the caption", line)
                         for kind in sorted(kinds & {"citation", XREF})]
            problems += [Problem(label, f"an image's alt text calls a note ([^{part.meta['label']}]), "
                                 "which the figure's /Alt would leave out and the page would not "
                                 "print; call the note from the text or the caption", line)
                         for part in parts if part.type == "footnote_ref"]
    return problems


def _reference_problems(tokens: list[Token], label: str, base: Path,
                        roots: tuple[Path, ...]) -> list[Problem]:
    """Refuse images that leave the project or are missing, and links to local files.

    An accepted image's `src` becomes the file's project URL (absolute `file:` URL
    outside a project), which the sandboxed fetcher serves at render time.
    """
    problems = []
    images = 0
    for token in tokens:
        for child, line in _inline_lines(token):
            if child.type == "image":
                source = str(child.attrs.get("src", ""))
                images += 1
                reason = image_problem(source, base, roots) if images <= MAX_IMAGES else (
                    f"more than {MAX_IMAGES} images in one brief; show fewer")
                if reason:
                    # named as typed: Markdown stores `مخطط.png` percent-encoded
                    problems.append(Problem(label, f"image {_quoted(unquote(source))}: {reason}", line))
                else:
                    written = Path(os.path.normpath(base.absolute() / unquote(urlsplit(source.strip()).path)))
                    child.attrs["src"] = _image_url(written, roots)
            elif child.type == "link_open":
                target = str(child.attrs.get("href", ""))
                reason = link_problem(target)
                if reason:
                    problems.append(Problem(label, f"link {_quoted(unquote(target))}: {reason}", line))
    return problems


def _image_url(path: Path, roots: tuple[Path, ...]) -> str:
    """The URL an image is rendered from: the same in every checkout of the project. `path` is
    the image's path as written, `..` folded and links kept, the path the sandbox checked: the
    fetcher checks the URL's path the same way, and a link's real path (a file of a content/
    that is itself a link to a folder elsewhere) lies outside the folders it may read."""
    project = Project(roots[0].parent) if roots else None
    if project and path.is_relative_to(Path(os.path.normpath(project.root.absolute()))):
        return project.url(path)
    return path.as_uri()


def _quoted(reference: str, limit: int = 60) -> str:
    shown = reference if len(reference) <= limit else reference[:limit] + "..."
    return f"'{shown}'"


def _limit_problems(tokens: list[Token], label: str) -> list[Problem]:
    """Refuse paragraphs, cells and headings too long to lay out in bounded time."""
    problems = []
    for token in tokens:
        if token.type == "inline" and len(token.content) > MAX_PARAGRAPH_CHARS:
            problems.append(Problem(label, f"a paragraph of {len(token.content)} characters is over "
                                    f"the limit of {MAX_PARAGRAPH_CHARS}; split it", token_line(token)))
    return problems


def parse_brief(text: str, label: str, base: Path | None = None,
                roots: tuple[Path, ...] = ()) -> tuple[Brief | None, list[Problem]]:
    """Parse the brief's Markdown; return the model or every problem found.

    Images are relative to `base` (the publication folder) and must stay in `roots`.
    """
    if len(text) > MAX_BRIEF_CHARS:
        return None, [Problem(label, f"{len(text)} characters is over the limit of "
                              f"{MAX_BRIEF_CHARS} for a brief; split the publication")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as markdown-it counts lines
    md = markdown_parser()
    env: dict = {}
    tokens = md.parse(text, env)
    problems = _raw_html_problems(tokens, label) + _footnote_problems(tokens, label)
    problems += _inline_note_problems(tokens, label) + _alt_text_problems(tokens, label)
    problems += _spaced_note_label_problems(env, text.split("\n"), label)
    problems += _eastern_list_number_problems(tokens, text, label)
    problems += setext_problems(tokens, label) + _unread_heading_problems(tokens, label)
    problems += _unread_indentation_problems(tokens, label, text.split("\n"))
    problems += _heading_attribute_problems(tokens, label, text.split("\n"))
    problems += _limit_problems(tokens, label)
    problems += _reference_problems(tokens, label, base or Path.cwd(), roots)
    problems += _unread_reference_problems(tokens, label, text.split("\n"))

    front = None
    if tokens and tokens[0].type == "front_matter":
        # A blank line stands for the opening `---`: every line the YAML names, in a message
        # too ("first on line 2"), is then the file's.
        front_text = "\n" + tokens[0].content
        data, lines, yaml_problems = parse_yaml(front_text, label)
        problems += yaml_problems
        if not yaml_problems:
            front, front_problems = validate(BriefFrontMatter, data, lines, label, typed_texts(front_text))
            problems += front_problems
        tokens = tokens[1:]
    elif tokens and tokens[0].type == "hr" and text.split("\n", 1)[0].rstrip() == "---":
        problems.append(Problem(label, "the front matter opened here is never closed; end it with a "
                                "line holding --- alone, after running_head", 1))
        tokens = tokens[1:]
    else:
        problems.append(Problem(label, "front matter (--- ... ---) with running_head is missing", 1))

    builder = TreeBuilder(label, text.split("\n"))
    lead: list[Block] = []
    headed: list[tuple[str, int, list[Block], tuple[str, ...], str]] = []
    current: list[Block] = lead
    top_level: list[Block] = []  # in source order, a section's heading standing for its tag
    body_end = next((index for index, token in enumerate(tokens) if token.type == "footnote_block_open"),
                    len(tokens))
    index = 0
    while index < body_end:
        token = tokens[index]
        end = block_end(tokens, index)
        if token.type == "heading_open" and token.tag == "h2":
            current = []
            key = _take_heading_id(tokens[index + 1], label, problems) or f"section-{len(headed) + 1}"
            if not visible(_heading_text(tokens[index:end])) and visible(tokens[index + 1].content):
                problems.append(Problem(label, "a heading with only an id and no words would print an "
                                        "empty heading and contents entry; write its words",
                                        token_line(token)))
            problems += _section_heading_problems(tokens[index + 1], label, token_line(token))
            headed.append((_heading_text(tokens[index:end]), token_line(token), current,
                           builder.take_tags(token), key))
            top_level.append(Block("heading", token_line(token), (), tuple(tokens[index:end])))
        else:
            end = caption_end(tokens, index, end)  # a table's or an image's caption (blocks.py)
            found = builder.blocks(tokens[index:end])
            current += found
            top_level += found
        index = end
    notes, note_problems = read_notes(tokens, body_end, env, builder,
                                      [(line, tags) for _, line, _, tags, _ in headed])
    problems += note_problems
    problems += builder.problems
    problems += adjacency_problems(top_level, label, builder.lines)
    problems += builder.stray_tag_problems(tokens, env.get(ATTRIBUTE_LINES, []),
                                           env.get(ATTRIBUTE_PROBLEMS, []))
    problems += builder.stray_fence_problems(tokens)
    problems += builder.item_limit_problems()
    if not headed:
        problems.append(Problem(label, "no sections: start each section with '## heading'"))
    elif len(headed) > MAX_SECTIONS:
        problems.append(Problem(label, f"{len(headed)} sections is over the limit of "
                                f"{MAX_SECTIONS}; split the publication"))
    if problems or front is None:
        return None, problems
    problems += _duplicate_id_problems(headed, label)
    if problems or front is None:
        return None, problems
    sections = tuple(Section(heading=heading, line=line, blocks=tuple(blocks), tags=tags, key=key,
                             named=not key.startswith("section-"))
                     for heading, line, blocks, tags, key in headed)
    forewords = tuple(block for block in lead if _is_foreword(block))
    lead = [block for block in lead if not _is_foreword(block)]
    brief = Brief(front=front, lead=tuple(lead), sections=sections, forewords=forewords,
                  notes=tuple(notes))
    return replace(brief, references=reference_uses(brief, env.get("references", {}))), []


def _is_foreword(block: Block) -> bool:
    """A `::: foreword` box before the first section: set apart from the lead."""
    return block.kind == "box" and block.tokens[0].info.strip() == "foreword"


def load_brief(path: Path, label: str, sandbox: Sandbox) -> tuple[Brief | None, list[Problem]]:
    """Read and parse `brief.md`; its images must be images the sandbox lets content show."""
    text, problems = read_source(path, label, sandbox)
    if text is None:
        return None, problems
    return parse_brief(text, label, path.parent, sandbox.for_kind("image").roots)
