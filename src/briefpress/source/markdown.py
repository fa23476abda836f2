"""Turn `brief.md` (front matter and Markdown) into a lead and headed sections."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import Problem
from .model import Block, BlockKind, Brief, BriefFrontMatter, ListItem, Section
from .references import image_problem, link_problem
from .yamlsource import parse_yaml, read_source, validate

MAX_BRIEF_CHARS = 200_000
MAX_PARAGRAPH_CHARS = 20_000
MAX_LIST_ITEMS = 500
MAX_TABLE_ROWS = 200

_BLOCK_KINDS: dict[str, BlockKind] = {
    "paragraph_open": "paragraph",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "blockquote_open": "quote",
    "table_open": "table",
}


def markdown_parser() -> MarkdownIt:
    """CommonMark with tables, front matter and `{audience=...}` attribute blocks.

    Raw HTML and every link and image are parsed, whatever their URL, so that
    `parse_brief` can refuse them with a reason instead of leaving them as text.
    """
    md = (
        MarkdownIt("commonmark", {"html": True, "typographer": False})
        .enable("table")
        .use(front_matter_plugin)
        .use(attrs_block_plugin)
    )
    md.validateLink = lambda url: True
    return md


def _inline_lines(token: Token) -> list[tuple[Token, int | None]]:
    """Each child of an inline token with the source line it starts on."""
    if token.map is None:
        return [(child, None) for child in token.children or []]
    line = token.map[0] + 1
    located = []
    for child in token.children or []:
        located.append((child, line))
        if child.type in {"softbreak", "hardbreak"}:
            line += 1
    return located


AUDIENCE_ATTRIBUTE = "audience"


def _take_tags(token: Token, label: str, problems: list[Problem]) -> tuple[str, ...]:
    """Remove a block's attributes, returning its audience tags; other attributes are errors."""
    attrs = dict(token.attrs)
    token.attrs = {}
    if token.type in {"th_open", "td_open"} and str(attrs.get("style", "")).startswith("text-align:"):
        token.attrs = {"style": attrs.pop("style")}  # a column's alignment, from `---:`
    tags = tuple(str(attrs.pop(AUDIENCE_ATTRIBUTE, "")).split())
    if attrs:
        line = token.map[0] if token.map else None
        names = ", ".join(sorted(attrs))
        problems.append(Problem(label, f"unsupported attribute {names}; only "
                                "{audience=tag} is allowed on a block", line))
    return tags


def _plain_text(tokens: list[Token]) -> str:
    """The text a reader sees in a run of tokens, blocks separated by newlines."""
    pieces: list[str] = []
    for token in tokens:
        if token.type == "inline":
            pieces.append(_inline_text(token.children or []))
        elif token.type in {"paragraph_close", "list_item_close", "th_close", "td_close"}:
            pieces.append("\n")
    return " ".join(" ".join(piece.split()) for piece in "".join(pieces).split("\n") if piece.strip())


def _inline_text(children: list[Token]) -> str:
    text = []
    for child in children:
        if child.type in {"text", "code_inline"}:
            text.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            text.append(" ")
    return "".join(text)


def _raw_html_problems(tokens: list[Token], label: str) -> list[Problem]:
    problems = []
    for token in tokens:
        located = [(token, token.map[0] + 1 if token.map else None), *_inline_lines(token)]
        for candidate, line in located:
            if candidate.type in {"html_block", "html_inline"}:
                snippet = candidate.content.strip().splitlines()[0][:40]
                problems.append(Problem(
                    label, f"raw HTML is not allowed in Markdown: {snippet!r}; "
                    "write it as Markdown instead", line))
    return problems


def _reference_problems(tokens: list[Token], label: str, base: Path,
                        roots: tuple[Path, ...]) -> list[Problem]:
    """Refuse images that leave the project or are missing, and links to local files.

    An accepted image's `src` becomes the file's absolute `file:` URL, which the
    sandboxed fetcher serves at render time.
    """
    problems = []
    for token in tokens:
        for child, line in _inline_lines(token):
            if child.type == "image":
                source = str(child.attrs.get("src", ""))
                reason = image_problem(source, base, roots)
                if reason:
                    problems.append(Problem(label, f"image {_quoted(source)}: {reason}", line))
                else:
                    resolved = (base / Path(unquote(urlsplit(source.strip()).path))).resolve()
                    child.attrs["src"] = resolved.as_uri()
            elif child.type == "link_open":
                target = str(child.attrs.get("href", ""))
                reason = link_problem(target)
                if reason:
                    problems.append(Problem(label, f"link {_quoted(target)}: {reason}", line))
    return problems


def _quoted(reference: str, limit: int = 60) -> str:
    shown = reference if len(reference) <= limit else reference[:limit] + "..."
    return f"'{shown}'"


def _limit_problems(tokens: list[Token], label: str) -> list[Problem]:
    """Refuse blocks too big to lay out in bounded time."""
    problems = []
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else None
        if token.type == "inline" and len(token.content) > MAX_PARAGRAPH_CHARS:
            problems.append(Problem(label, f"a paragraph of {len(token.content)} characters is over "
                                    f"the limit of {MAX_PARAGRAPH_CHARS}; split it", line))
        elif token.type in {"bullet_list_open", "ordered_list_open"} and token.level == 0:
            block = tokens[index:_block_end(tokens, index)]
            items = sum(1 for item in block if item.type == "list_item_open")
            if items > MAX_LIST_ITEMS:
                problems.append(Problem(label, f"a list of {items} items is over the limit of "
                                        f"{MAX_LIST_ITEMS}; split it", line))
        elif token.type == "table_open":
            block = tokens[index:_block_end(tokens, index)]
            rows = sum(1 for item in block if item.type == "tr_open") - 1
            if rows > MAX_TABLE_ROWS:
                problems.append(Problem(label, f"a table of {rows} rows is over the limit of "
                                        f"{MAX_TABLE_ROWS}; split it", line))
    return problems


def _block_end(tokens: list[Token], start: int) -> int:
    """Index just past the block that opens at `start`."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index + 1
    return len(tokens)


def parse_brief(text: str, label: str, base: Path | None = None,
                roots: tuple[Path, ...] = ()) -> tuple[Brief | None, list[Problem]]:
    """Parse the brief's Markdown; return the model or every problem found.

    Images are relative to `base` (the publication folder) and must stay in `roots`.
    """
    if len(text) > MAX_BRIEF_CHARS:
        return None, [Problem(label, f"{len(text)} characters is over the limit of "
                              f"{MAX_BRIEF_CHARS} for a brief; split the publication")]
    md = markdown_parser()
    env: dict = {}
    tokens = md.parse(text, env)
    problems = _raw_html_problems(tokens, label)
    problems += _limit_problems(tokens, label)
    problems += _reference_problems(tokens, label, base or Path.cwd(), roots)

    front = None
    if tokens and tokens[0].type == "front_matter":
        data, lines, yaml_problems = parse_yaml(tokens[0].content, label)
        problems += [_shift(problem, 1) for problem in yaml_problems]
        if not yaml_problems:
            front, front_problems = validate(BriefFrontMatter, data, lines, label)
            problems += [_shift(problem, 1) for problem in front_problems]
        tokens = tokens[1:]
    else:
        problems.append(Problem(label, "front matter (--- ... ---) with running_head is missing", 1))

    lead: list[Block] = []
    headed: list[tuple[str, int, list[Block], tuple[str, ...]]] = []
    current: list[Block] = lead
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = _block_end(tokens, index)
        line = token.map[0] + 1 if token.map else 0
        if token.type == "heading_open" and token.tag == "h2":
            heading = _plain_text(tokens[index:end])
            current = []
            headed.append((heading, line, current, _take_tags(token, label, problems)))
        elif token.type == "heading_open" and token.tag == "h3":
            current.append(_block("subheading", md, tokens[index:end], env, line, label, problems))
        elif token.type in {"bullet_list_open", "ordered_list_open"}:
            current.append(_list_block(md, tokens[index:end], env, line, label, problems))
        elif token.type == "heading_open":
            problems.append(Problem(label, f"heading level {token.tag[1]} is not used: write "
                                    "'## ' for a section and '### ' for a subheading", line))
        elif token.type in _BLOCK_KINDS:
            current.append(_block(_BLOCK_KINDS[token.type], md, tokens[index:end], env, line,
                                  label, problems))
        elif token.type in {"hr", "code_block", "fence"}:
            problems.append(Problem(label, f"{token.type.replace('_', ' ')} is not supported "
                                    "in a brief", line))
        index = end
    if not headed:
        problems.append(Problem(label, "no sections: start each section with '## heading'"))
    if problems or front is None:
        return None, problems
    sections = tuple(
        Section(anchor=f"section-{number}", heading=heading, line=line, blocks=tuple(blocks),
                tags=tags)
        for number, (heading, line, blocks, tags) in enumerate(headed, start=1)
    )
    return Brief(front=front, lead=tuple(lead), sections=sections), []


def _block(kind: BlockKind, md: MarkdownIt, tokens: list[Token], env: dict, line: int,
           label: str, problems: list[Problem]) -> Block:
    tags = _take_tags(tokens[0], label, problems)
    for token in tokens[1:]:
        if token.attrs:
            _take_tags(token, label, problems)
    html = md.renderer.render(tokens, md.options, env)
    return Block(kind=kind, html=html, text=_plain_text(tokens), line=line, tags=tags)


def _list_block(md: MarkdownIt, tokens: list[Token], env: dict, line: int,
                label: str, problems: list[Problem]) -> Block:
    """A list with its items kept apart; an item's first paragraph carries its tags."""
    list_tags = _take_tags(tokens[0], label, problems)
    items = []
    index = 1
    while index < len(tokens) - 1:
        end = _block_end(tokens, index)
        inner = tokens[index + 1:end - 1]
        tags: tuple[str, ...] = ()
        for token in inner:
            if token.attrs:
                tags += _take_tags(token, label, problems)
        item_line = tokens[index].map[0] + 1 if tokens[index].map else line
        items.append(ListItem(html=md.renderer.render(inner, md.options, env).strip(),
                              text=_plain_text(inner), line=item_line, tags=tags))
        index = end
    return Block(kind="list", html="", text=_plain_text(tokens), line=line, tags=list_tags,
                 items=tuple(items), ordered=tokens[0].type == "ordered_list_open")


def _shift(problem: Problem, offset: int) -> Problem:
    """Move a front-matter problem to its line in the whole file."""
    if problem.line is None:
        return problem
    return Problem(problem.path, problem.message, problem.line + offset, problem.field)


def load_brief(path: Path, label: str,
               roots: tuple[Path, ...] = ()) -> tuple[Brief | None, list[Problem]]:
    """Read and parse `brief.md`; its images must lie in `roots`."""
    text, problems = read_source(path, label)
    if text is None:
        return None, problems
    return parse_brief(text, label, path.parent, roots)
