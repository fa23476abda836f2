"""Render an audience's brief blocks to HTML, passing every text run through the edition's localiser."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from markdown_it.token import Token
from markupsafe import Markup

from ..source.markdown import markdown_parser
from ..source.model import Block

Localise = Callable[[str], str]

_RENDERER = markdown_parser()


def _localised(tokens: Iterable[Token], localise: Localise, anchors: dict[str, str]) -> list[Token]:
    """Copies of `tokens` whose text runs are localised and in-document links retargeted."""
    result = []
    for token in tokens:
        if token.type == "inline" and token.children:
            token = token.copy(children=[_localised_child(child, localise, anchors)
                                         for child in token.children])
        result.append(token)
    return result


def _localised_child(child: Token, localise: Localise, anchors: dict[str, str]) -> Token:
    if child.type in {"text", "code_inline"}:
        return child.copy(content=localise(child.content))
    if child.type == "link_open":
        href = str(child.attrs.get("href", ""))
        if href.startswith("#") and href[1:] in anchors:
            return child.copy(attrs={**child.attrs, "href": "#" + anchors[href[1:]]})
    if child.type == "image":
        return child.copy(content=localise(child.content),
                          children=[_localised_child(c, localise, anchors) for c in child.children or []])
    return child


def _block_tokens(block: Block, localise: Localise, anchors: dict[str, str]) -> list[Token]:
    if not block.children:
        return _localised(block.tokens, localise, anchors)
    opening, closing = block.tokens
    inner = [token for child in block.children for token in _block_tokens(child, localise, anchors)]
    return [opening, *inner, closing]


def blocks_html(blocks: Iterable[Block], localise: Localise = str,
                anchors: dict[str, str] | None = None) -> Markup:
    """The HTML of `blocks`, made from their tokens: nothing is parsed or rewritten as text.

    `anchors` maps a section's source anchor (`section-N` in source order) to its
    anchor in this audience's view, so in-document links follow a renumbered section.
    """
    tokens = [token for block in blocks for token in _block_tokens(block, localise, anchors or {})]
    html = _RENDERER.renderer.render(tokens, _RENDERER.options, {})
    return Markup(html)
