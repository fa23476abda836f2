"""Render an audience's brief blocks to HTML, passing every text run through the edition's localiser."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial

from markdown_it.token import Token
from markupsafe import Markup

from ..source.markdown import markdown_parser
from ..source.model import Block
from ..source.xrefs import XREF
from ..text.bidi import Direction
from ..text.localise import Localiser
from .inline_runs import Localise, localised_children
from .paragraph_direction import paragraph_directions

_RENDERER = markdown_parser()


def _localised(tokens: Sequence[Token], localise: Localise, anchors: dict[str, str]) -> list[Token]:
    """Copies of `tokens` whose text runs are localised and in-document links retargeted.

    A paragraph written wholly in the other direction is set in it and localised as such.
    """
    directions: dict[int, Direction] = {}
    if isinstance(localise, Localiser):
        tokens, directions = paragraph_directions(tokens, localise.direction)
    result = []
    for index, token in enumerate(tokens):
        if token.type == "inline" and token.children:
            local = (Localiser(directions[index], localise.digits)
                     if index in directions and isinstance(localise, Localiser) else localise)
            token = token.copy(children=localised_children(token.children, local,
                                                           partial(_retargeted, anchors=anchors)))
        result.append(token)
    return result


def _retargeted(child: Token, anchors: dict[str, str]) -> Token:
    """A link to a section, pointed at that section's anchor in this audience's view."""
    if child.type == "link_open":
        href = str(child.attrs.get("href", ""))
        if href.startswith("#") and href[1:] in anchors:
            return child.copy(attrs={**child.attrs, "href": "#" + anchors[href[1:]]})
    return child


def _block_tokens(block: Block) -> list[Token]:
    if not block.children:
        return list(block.tokens)
    opening, closing = block.tokens
    return [opening, *(token for child in block.children for token in _block_tokens(child)), closing]


def _named(tokens: list[Token], name: Callable[[str], str]) -> list[Token]:
    """Copies of `tokens` whose cross-references are the names of their targets, each joined to
    the text around it, so a run of the other direction is found across it."""
    result = []
    for token in tokens:
        if token.type == "inline" and any(child.type == XREF for child in token.children or ()):
            children: list[Token] = []
            for child in token.children or ():
                if child.type == XREF:
                    child = Token("text", "", 0, content=name(child.meta["id"]))
                if child.type == "text" and children and children[-1].type == "text":
                    children[-1] = children[-1].copy(content=children[-1].content + child.content)
                else:
                    children.append(child)
            token = token.copy(children=children)
        result.append(token)
    return result


def blocks_html(blocks: Iterable[Block], localise: Localise = str,
                anchors: dict[str, str] | None = None,
                references: Callable[[str], str] | None = None) -> Markup:
    """The HTML of `blocks`, made from their tokens: nothing is parsed or rewritten as text.

    `anchors` maps a section's source anchor (`section-N` in source order) to its
    anchor in this audience's view, so in-document links follow a renumbered section;
    `references` names the annex node a cross-reference points to («المادة 39، الفقرة 1 (ب)»).
    """
    tokens = [token for block in blocks for token in _block_tokens(block)]
    if references is not None:
        tokens = _named(tokens, references)
    tokens = _localised(tokens, localise, anchors or {})
    html = _RENDERER.renderer.render(tokens, _RENDERER.options, {})
    return Markup(html)
