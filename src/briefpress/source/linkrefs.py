"""Scope a reference definition to the tagged block that holds it.

CommonMark makes every `[label]: url` definition global: one written inside a tagged
quote would lend its URL to a public `[text][label]`. The parser notes which labels
each inline looks up; `reference_uses` pairs each use with the tags over its
definition, so an edition that would show the link but hide the definition is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .model import Block, Brief, ReferenceUse, TagChain

USED_REFERENCES = "references_used"

class _RecordingReferences(dict[str, Any]):
    """The parser's table of definitions, noting the labels the inline being parsed finds."""

    user: Token | None = None

    def get(self, key: str, default: Any = None) -> Any:
        found = super().get(key, default)
        if found is not None and self.user is not None:
            self.user.meta.setdefault(USED_REFERENCES, []).append(key)
        return found


def inline_rule(state: StateCore) -> None:
    """markdown-it's core `inline` rule, noting on each inline token the definitions it uses."""
    references = _RecordingReferences(state.env.get("references") or {})
    state.env["references"] = references
    for token in state.tokens:
        if token.type == "inline":
            references.user = token
            if token.children is None:
                token.children = []
            state.md.inline.parse(token.content, state.md, state.env, token.children)
    references.user = None


def _tagged_blocks(blocks: tuple[Block, ...], chain: TagChain) -> Iterator[tuple[Block, TagChain]]:
    """Every block at every depth with the tags over it: its own and its ancestors'."""
    for block in blocks:
        own = (*chain, block.tags) if block.tags else chain
        yield block, own
        yield from _tagged_blocks(block.children, own)


def reference_uses(brief: Brief, definitions: dict[str, Any]) -> tuple[ReferenceUse, ...]:
    """Each use of a reference definition in the brief, with the tags over the use and the definition."""
    regions: list[tuple[int, int, TagChain]] = []  # (first line, last line, tags), outermost first
    uses: list[tuple[str, int, TagChain]] = []
    groups: list[tuple[tuple[Block, ...], TagChain]] = [((*brief.forewords, *brief.lead), ())]
    for number, section in enumerate(brief.sections):
        following = brief.sections[number + 1:]
        chain: TagChain = (section.tags,) if section.tags else ()
        regions.append((section.line, following[0].line - 1 if following else 10**9, chain))
        groups.append((section.blocks, chain))
    groups += [(note.blocks, note.chain) for note in brief.notes]
    for blocks, above in groups:
        for block, tags in _tagged_blocks(blocks, above):
            regions.append((*block.span, tags))
            for token in block.tokens:
                for label in token.meta.get(USED_REFERENCES, ()):
                    uses.append((label, block.line, tags))
    found = []
    for label, line, tags in uses:
        start = definitions[label]["map"][0] + 1
        # the innermost region holding the definition: regions nest, and inner ones come later
        holding = [region for first, last, region in regions if first <= start <= last]
        found.append(ReferenceUse(label, line, tags, start, holding[-1] if holding else ()))
    return tuple(found)
