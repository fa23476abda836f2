"""Cross-references `[[ref:id]]`: find them in the brief, the fact sheet and the annex, and check them.

A reference names a node of the structured annex by its `id`. It is written the same way in
Markdown and in any YAML text; the brief's parser makes it a token of its own (`xref`), and
YAML texts are cut at it when rendered. A reference must name a node that exists, and every
edition that shows the reference must show the node it names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from pydantic import BaseModel

from ..errors import Problem
from ..project import Project
from .articles import targets
from .fields import SLUG_PATTERN
from .model import XREF, Block, Brief, Content, TagChain
from .yamlsource import FieldPath, parse_yaml

REF = re.compile(r"\[\[ref:(?P<id>[^\]\n]*)\]\]")
_OPENING = re.compile(r"\[\[\s*ref\s*:", re.IGNORECASE)
FILE_DOCUMENTS = {"brief.md": "brief", "facts.yaml": "factsheet", "annex.yaml": "annex"}
_NOT_TEXT = frozenset(("audience", "id", "language", "number"))


@dataclass(frozen=True)
class Reference:
    """One `[[ref:id]]` in a source file, with the tags over the text that holds it."""

    target: str
    file: str
    line: int | None
    tags: TagChain


def pieces(text: str) -> list[str | Reference]:
    """`text` cut into plain strings and the references between them."""
    found: list[str | Reference] = []
    position = 0
    for match in REF.finditer(text):
        if match.start() > position:
            found.append(text[position:match.start()])
        found.append(Reference(match["id"], "", None, ()))
        position = match.end()
    if position < len(text):
        found.append(text[position:])
    return found


def resolve(text: str, name: Callable[[str], str]) -> str:
    """`text` with each reference replaced by the name of its target."""
    return REF.sub(lambda match: name(match["id"]), text)


def xref_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule: `[[ref:id]]` becomes an `xref` token whose meta holds the id."""
    source, start = state.src, state.pos
    if not source.startswith("[[ref:", start):
        return False
    match = REF.match(source, start)
    if match is None or not SLUG_PATTERN.match(match["id"]):
        return False  # left as text, where `malformed` finds it
    if not silent:
        token = state.push(XREF, "", 0)
        token.content = match[0]
        token.meta = {"id": match["id"]}
    state.pos = match.end()
    return True


def _malformed(text: str) -> list[str]:
    """The references in `text` that are not `[[ref:id]]` with a valid id."""
    found = [match[0] for match in REF.finditer(text) if not SLUG_PATTERN.match(match["id"])]
    rest = REF.sub("", text)
    found += [rest[match.start():match.start() + 24] for match in _OPENING.finditer(rest)]
    return found


def _malformed_problem(file: str, raw: str, line: int | None, field: str | None = None) -> Problem:
    return Problem(file, f"malformed cross-reference {raw!r}; write [[ref:id]] with the id of a node "
                   "of the structured annex (lower-case letters, digits and hyphens)", line, field)


# --- where references are ------------------------------------------------------------------------

def _brief_references(brief: Brief, label: str) -> tuple[list[Reference], list[Problem]]:
    found: list[Reference] = []
    problems: list[Problem] = []
    groups: list[tuple[tuple[Block, ...], TagChain]] = [((*brief.forewords, *brief.lead), ())]
    groups += [(section.blocks, (section.tags,) if section.tags else ()) for section in brief.sections]
    groups += [(note.blocks, note.chain) for note in brief.notes]
    for blocks, above in groups:
        for block, chain in _tagged(blocks, above):
            for token in block.tokens:
                if token.type != "inline":
                    continue
                for child, line in _children_lines(token):
                    if child.type == XREF:
                        found.append(Reference(child.meta["id"], label, line, chain))
                    elif child.type == "text":
                        problems += [_malformed_problem(label, raw, line)
                                     for raw in _malformed(child.content)]
    return found, problems


def _tagged(blocks: tuple[Block, ...], chain: TagChain) -> Iterator[tuple[Block, TagChain]]:
    for block in blocks:
        own = (*chain, block.tags) if block.tags else chain
        yield block, own
        yield from _tagged(block.children, own)


def _children_lines(token: Token) -> Iterator[tuple[Token, int | None]]:
    line = token.map[0] + 1 if token.map else None
    for child in token.children or []:
        yield child, line
        if child.type in {"softbreak", "hardbreak"} and line is not None:
            line += 1


def _yaml_strings(value: object, path: FieldPath,
                  chain: TagChain) -> Iterator[tuple[FieldPath, str, TagChain]]:
    """Every text of a loaded YAML model with its field path and the tags over it."""
    if isinstance(value, str):
        yield path, value, chain
    elif isinstance(value, BaseModel):
        tags = getattr(value, "audience", None)
        inner = (*chain, tuple(tags)) if tags else chain
        for name in type(value).model_fields:
            if name not in _NOT_TEXT:
                yield from _yaml_strings(getattr(value, name), (*path, name), inner)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _yaml_strings(item, (*path, index), chain)


def _yaml_references(document: BaseModel, label: str, text: str) -> tuple[list[Reference], list[Problem]]:
    _, lines, _ = parse_yaml(text, label)
    source_lines = text.splitlines()
    found: list[Reference] = []
    problems: list[Problem] = []
    for path, value, chain in _yaml_strings(document, (), ()):
        if "[[" not in value:
            continue
        start = lines.get(path)
        for match in REF.finditer(value):
            if SLUG_PATTERN.match(match["id"]):
                found.append(Reference(match["id"], label, _line(source_lines, start, match[0]), chain))
        problems += [_malformed_problem(label, raw, _line(source_lines, start, raw), _field(path))
                     for raw in _malformed(value)]
    return found, problems


def _line(lines: list[str], start: int | None, raw: str) -> int | None:
    """The first line from `start` on that holds `raw` (a folded scalar may run on)."""
    if start is None:
        return None
    head = raw[:12]
    for number in range(start, len(lines) + 1):
        if head in lines[number - 1]:
            return number
    return start


def _field(path: FieldPath) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else (f".{part}" if index else str(part))
                   for index, part in enumerate(path))


def references(project: Project, content: Content) -> tuple[list[Reference], list[Problem]]:
    """Every reference in a publication's brief, facts and annex, and every malformed one."""
    folder = project.content_dir / content.publication.id
    found, problems = _brief_references(content.brief, project.relative(folder / "brief.md"))
    documents: list[tuple[str, BaseModel | None]] = [("facts.yaml", content.facts),
                                                     ("annex.yaml", content.annex)]
    for name, document in documents:
        if document is None:
            continue
        path = folder / name
        more, wrong = _yaml_references(document, project.relative(path), project.read_text(path, "source"))
        found += sorted(more, key=lambda reference: reference.line or 0)  # a node's own text first
        problems += wrong
    return found, problems


def reference_problems(project: Project, content: Content, profiles: dict) -> list[Problem]:
    """Malformed references, references to no node, and references an edition would show while
    hiding the node they name."""
    from .audiences import visible_annex

    found, problems = references(project, content)
    known = targets(content.annex)
    # An edition also drops an untagged node whose list loses every entry to its tags, so what
    # it sees is read from its own annex, not from the tags over the node alone.
    seen = {name: set(targets(visible_annex(content.annex, profile)))
            for name, profile in profiles.items() if found and profile.gets(content.publication.id)}
    for reference in found:
        target = known.get(reference.target)
        if target is None:
            problems.append(Problem(reference.file, _unknown(reference.target, known, content),
                                    reference.line, "ref"))
            continue
        document = FILE_DOCUMENTS[reference.file.rsplit("/", 1)[-1]]
        blind = [name for name, profile in sorted(profiles.items())
                 if profile.gets(content.publication.id) and document in profile.documents
                 and all(profile.shows(tags) for tags in reference.tags)
                 and reference.target not in seen[name]]
        if blind:
            quoted = ", ".join(f"'{name}'" for name in blind)
            who = f"audience {quoted}" if len(blind) == 1 else f"audiences {quoted}"
            hidden = sorted({tag for tags in target.tags for tag in tags})
            by_its_tags = not all(profiles[blind[0]].shows(tags) for tags in target.tags)
            why = (f"give this text its target's audience tags ({', '.join(hidden)})" if by_its_tags
                   else "its tags let it through, but every entry of its list is hidden, so the "
                   "edition leaves it out; tag this text as those entries are, or leave one of "
                   "them untagged")
            problems.append(Problem(reference.file, f"[[ref:{reference.target}]] names a node that {who} "
                                    f"cannot see; {why}", reference.line, "ref"))
    return problems


def _unknown(target: str, known: dict, content: Content) -> str:
    if content.annex is None:
        return f"[[ref:{target}]] names no node: the publication has no annex.yaml"
    if not known:
        return (f"[[ref:{target}]] names no node: references name nodes of a structured annex "
                "(parts or articles) by their id")
    listed = ", ".join(sorted(known)[:12]) + (", ..." if len(known) > 12 else "")
    return f"[[ref:{target}]] names no node of annex.yaml; its ids are: {listed}"
