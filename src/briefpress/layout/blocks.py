"""Render an audience's brief blocks to HTML, passing every text run through the edition's localiser."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial

from markdown_it.token import Token
from markupsafe import Markup

from ..source.markdown import markdown_parser
from ..source.model import Block, Note, inline_text
from ..source.xrefs import XREF
from ..text.bidi import LANGUAGE, Direction
from ..text.breaks import keep_last_words
from ..text.localise import Localiser
from .inline_runs import Localise, localised_children
from .notes import Citations, NoteNumbers
from .paragraph_direction import item_span, paragraph_directions, written_direction

_RENDERER = markdown_parser()


def _localised(tokens: Sequence[Token], localise: Localise, anchors: dict[str, str]) -> list[Token]:
    """Copies of `tokens` whose text runs are localised and in-document links retargeted.

    A paragraph written wholly in the other direction is set in it and localised as such.
    """
    directions: dict[int, Direction] = {}
    items: set[int] = set()
    if isinstance(localise, Localiser):
        tokens, directions, items = paragraph_directions(tokens, localise.direction)
    result = []
    for index, token in enumerate(tokens):
        if token.type == "inline" and token.children:
            local = (Localiser(directions[index], localise.digits)
                     if index in directions and isinstance(localise, Localiser) else localise)
            children = localised_children(token.children, local, partial(_retargeted, anchors=anchors))
            if index == 0 or tokens[index - 1].type not in _CELLS:
                children = _last_words_kept(children)
            token = token.copy(children=item_span(children, directions[index]) if index in items
                               else children)
        result.append(token)
    return result


_CELLS = frozenset(("th_open", "td_open"))  # a cell's words wrap freely, so its column may narrow


_PASSED_OVER = frozenset(("em_close", "strong_close", "link_close", "footnote_ref"))


def _last_words_kept(children: list[Token]) -> list[Token]:
    """An inline's children with its last two words held on one line (`text.breaks.keep_last_words`).

    A note call after the last word is passed over: it is held to its word already."""
    for index in range(len(children) - 1, -1, -1):
        if children[index].type == "text":
            children[index] = children[index].copy(content=keep_last_words(children[index].content))
            break
        if children[index].type not in _PASSED_OVER:
            break  # an image, a break or code ends the inline: nothing to hold
    return children


def _retargeted(child: Token, anchors: dict[str, str]) -> Token:
    """A link to a section, pointed at that section's anchor in this audience's view."""
    if child.type == "link_open":
        href = str(child.attrs.get("href", ""))
        if href.startswith("#") and href[1:] in anchors:
            return child.copy(attrs={**child.attrs, "href": "#" + anchors[href[1:]]})
    return child


_INTRODUCED = frozenset(("bullet_list_open", "ordered_list_open", "blockquote_open", "table_open"))


def _lead_ins(tokens: list[Token]) -> list[Token]:
    """`tokens` with class `lead-in` on each paragraph that introduces the block after it (it ends
    with a colon, and a list, quote, table or figure follows), so a page never parts them."""
    result = list(tokens)
    for index, token in enumerate(tokens[:-3]):
        if token.type != "paragraph_open" or tokens[index + 2].type != "paragraph_close":
            continue
        following = tokens[index + 3]
        figure = following.type == "paragraph_open" and any(
            child.type == "image" for child in tokens[index + 4].children or [])
        if "".join(inline_text(tokens[index + 1])).rstrip().endswith((":", "：")) and (
                following.type in _INTRODUCED or figure):
            classes = " ".join(filter(None, (str(token.attrs.get("class", "")), "lead-in")))
            result[index] = token.copy(attrs={**token.attrs, "class": classes})
    return result


def _block_tokens(block: Block) -> list[Token]:
    if not block.children:
        return list(block.tokens)
    opening, closing = block.tokens
    return [opening, *(token for child in block.children for token in _block_tokens(child)), closing]


def _as_text(tokens: list[Token], kind: str, text_of: Callable[[str], str]) -> list[Token]:
    """Copies of `tokens` whose inline children of `kind` (a cross-reference, a citation) are the
    text `text_of` gives for their id, each joined to the text around it, so a run of the other
    direction is found across it (`[@id]، ص 112` in English text is one Arabic run)."""
    result = []
    for token in tokens:
        if token.type == "inline" and any(child.type == kind for child in token.children or ()):
            children: list[Token] = []
            for child in token.children or ():
                if child.type == kind:
                    child = Token("text", "", 0, content=text_of(child.meta["id"]))
                if child.type == "text" and children and children[-1].type == "text":
                    children[-1] = children[-1].copy(content=children[-1].content + child.content)
                else:
                    children.append(child)
            token = token.copy(children=children)
        result.append(token)
    return result


def note_html(note: Note, localise: Localise = str, anchors: dict[str, str] | None = None,
              citations: Citations | None = None,
              references: Callable[[str], str] | None = None) -> str:
    """A note's paragraph as inline HTML, localised; in a span of its own direction and language
    when it is written in the other one (a note that only cites an English source included)."""
    tokens = list(_block_tokens(note.blocks[0]))
    if references is not None:
        tokens = _as_text(tokens, XREF, references)
    if citations is not None:
        tokens = _as_text(tokens, "citation", citations.text)
    tokens = _localised(tokens, localise, anchors or {})
    opening, inline = tokens[0], tokens[1]
    inner = _RENDERER.renderer.render(inline.children or [], _RENDERER.options, {})
    direction = opening.attrs.get("dir")
    if not direction and isinstance(localise, Localiser):  # a note that only cites, in the other direction
        written = written_direction(Markup(inner).striptags(), localise.direction)
        direction = written if written != localise.direction else None
    return f'<span dir="{direction}" lang="{LANGUAGE[str(direction)]}">{inner}</span>' if direction else inner


def _note_call(renderer: object, tokens: Sequence[Token], index: int, options: object, env: dict) -> str:
    notes: NoteNumbers | None = env.get("notes")
    return notes.call(tokens[index].meta["label"]) if notes else ""


def _citation(renderer: object, tokens: Sequence[Token], index: int, options: object, env: dict) -> str:
    """A citation still a token had no sources to print it from; with them, it is text already
    (`_as_text`)."""
    return ""


_RENDERER.add_render_rule("footnote_ref", _note_call)
_RENDERER.add_render_rule("citation", _citation)


def blocks_html(blocks: Iterable[Block], localise: Localise = str, anchors: dict[str, str] | None = None,
                notes: NoteNumbers | None = None, citations: Citations | None = None,
                references: Callable[[str], str] | None = None) -> Markup:
    """The HTML of `blocks`, made from their tokens: nothing is parsed or rewritten as text.

    `anchors` maps a section's source anchor (`section-N` in source order) to its
    anchor in this audience's view, so in-document links follow a renumbered section;
    `references` names the annex node a cross-reference points to («المادة 39، الفقرة 1 (ب)»).
    """
    blocks = list(blocks)
    if notes is not None:
        notes.enter(blocks)
    tokens = _lead_ins([token for block in blocks for token in _block_tokens(block)])
    if references is not None:
        tokens = _as_text(tokens, XREF, references)
    if citations is not None:
        tokens = _as_text(tokens, "citation", citations.text)
    tokens = _localised(tokens, localise, anchors or {})
    html = _RENDERER.renderer.render(tokens, _RENDERER.options, {"notes": notes})
    return Markup(html)
