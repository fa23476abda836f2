"""Render a brief's text as plain WeasyPrint does: the baseline no reader family may fall below.

The baseline has the brief's blocks as markdown renders them (paragraphs, headings, lists,
quotes, tables, emphasis and links), then the notes the text calls, each a paragraph `N. text`
with its call a superscript number after a narrow space (as a build sets it), in a minimal page
of the publication's language and direction on the edition's paper, in the edition's digits,
set in the faces a build sets them in (Amiri for the text and the section headings, IBM Plex
Sans Arabic for the title), with WeasyPrint's default font features, by the same private
fontconfig as a build. It has none of the project's text-layer work: no isolate controls, word
joiners or letter marks, no spans around runs of the other direction, no ActualText and no
chrome (cover, running heads, contents).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import get_args

from markdown_it.token import Token

from ..layout.pdf import font_configuration, pdf_identifier
from ..project import Project
from ..source.audiences import Paper
from ..source.markdown import markdown_parser
from ..source.model import Block, Brief
from ..source.notes import NoteNumbering
from ..source.xrefs import XREF
from ..text.bidi import NUMBER_KINDS, segments
from ..text.numerals import DigitStyle, write_numbers
from .printed import Names, Sources, note_text, printed_citation, printed_name

PAPERS = get_args(Paper)
STYLE = """
@page { size: %(paper)s; margin: 24mm 20mm 22mm; }
html { font-family: "Amiri"; font-size: 12.5pt; line-height: 1.65; }
h1, h2, h3 { line-height: 1.35; }
h1 { font-family: "IBM Plex Sans Arabic"; }
h1 { font-size: 20pt; }
h2 { font-size: 14pt; }
h3 { font-size: 12.5pt; }
table { border-collapse: collapse; }
td, th { border: 0.5pt solid #888; padding: 2pt 4pt; }
"""


def edition_digits(text: str, direction: str, digits: DigitStyle) -> str:
    """`text` with the numbers an edition writes in its digits so written (in right-to-left text
    those outside any run of the other direction, in left-to-right text those inside an Arabic
    run), and nothing else changed: no isolates, joiners or marks."""
    if digits == "latin":
        return text
    pieces = segments(text, "rtl" if direction == "rtl" else "ltr")
    return "".join(write_numbers(piece.text, digits)
                   if (direction == "rtl" and piece.kind in NUMBER_KINDS)
                   or (direction != "rtl" and piece.kind == "arabic") else piece.text
                   for piece in pieces)


class _Renderer:
    """A brief's blocks as markdown renders them, with its note calls superscript numbers in order
    of first call (as `check.printed.brief_text` numbers them: `NoteNumbering`) and its numbers
    in the edition's digits."""

    def __init__(self, brief: Brief, direction: str, digits: DigitStyle, names: Names | None,
                 sources: Sources | None, restart: str = "document") -> None:
        self.parser = markdown_parser()
        self.names, self.sources = names, sources
        self.numbering = NoteNumbering(brief, restart)
        self.direction, self.digits = direction, digits

    def text(self, text: str) -> str:
        return edition_digits(text, self.direction, self.digits)

    def _child(self, child: Token) -> Token | None:
        if child.type == "image":
            return None
        if child.type == XREF:
            return Token("text", "", 0, content=self.text(printed_name(self.names, child.meta["id"])))
        if child.type == "citation":
            return Token("text", "", 0, content=self.text(printed_citation(self.sources, child.meta["id"])))
        if child.type == "footnote_ref":
            number = self.numbering.number(child.meta["label"])
            if number is None:
                return None
            return Token("html_inline", "", 0,
                         content=f"\u202f<sup>{html.escape(self.text(str(number)))}</sup>")
        child = child.copy(attrs={key: value for key, value in child.attrs.items() if key == "href"})
        if child.type in {"text", "code_inline"}:
            child.content = self.text(child.content)
        return child

    def _renderable(self, tokens: Iterable[Token]) -> list[Token]:
        """Tokens without images (the baseline draws text only) and without authoring attributes."""
        kept = []
        for token in tokens:
            token = token.copy(attrs={})
            if token.children:
                token.children = [found for child in token.children
                                  if (found := self._child(child)) is not None]
            kept.append(token)
        return kept

    def render(self, tokens: Iterable[Token]) -> str:
        return str(self.parser.renderer.render(self._renderable(tokens), self.parser.options, {}))

    def block(self, block: Block) -> str:
        if not block.children:
            return self.render(block.tokens)
        opening = self.render(block.tokens[:1])
        inner = "".join(self.block(child) for child in block.children)
        return opening + inner + self.render(block.tokens[1:])


def brief_html(brief: Brief, title: str, language: str, direction: str,
               digits: DigitStyle = "latin", paper: str = "A4", names: Names | None = None,
               sources: Sources | None = None, restart: str = "document") -> str:
    """The brief's text as a minimal HTML page: title, lead, each section's heading and blocks,
    each cross-reference the name of its node (`names`), each citation its source's text
    (`sources`), then the notes the text calls, each a paragraph `N. text`, in the edition's
    digits, on the edition's paper (its lines then break about where the edition's do)."""
    renderer = _Renderer(brief, direction, digits, names, sources, restart)
    parts = [f"<h1>{html.escape(renderer.text(title))}</h1>"]
    parts += [renderer.block(block) for block in (*brief.lead, *brief.forewords)]  # as the brief prints them
    for section in brief.sections:
        renderer.numbering.enter(section)
        parts.append(f"<h2>{html.escape(renderer.text(section.heading))}</h2>")
        parts += [renderer.block(block) for block in section.blocks]
    notes = {note.label: note for note in brief.notes}
    parts += [f"<p>{html.escape(renderer.text(f'{number}. {note_text(notes[label], names, sources)}'))}</p>"
              for number, label in renderer.numbering.notes()]
    return _page(parts, title, language, direction, paper)


def text_html(lines: Sequence[str], language: str, direction: str, family: str | None = None,
              digits: DigitStyle = "latin") -> str:
    """Plain text as a minimal HTML page, one paragraph a non-empty line, its numbers in the
    edition's `digits` (`edition_digits`); in `family` when given (a build's chrome is set in
    "IBM Plex Sans Arabic"), else the page's Amiri."""
    style = f' style="font-family: &quot;{html.escape(family)}&quot;"' if family else ""
    return _page([f"<p{style}>{html.escape(edition_digits(line, direction, digits))}</p>"
                  for line in lines if line.strip()], "", language, direction)


def _page(parts: list[str], title: str, language: str, direction: str, paper: str = "A4") -> str:
    if paper not in PAPERS:
        raise ValueError(f"no paper size '{paper}' for the baseline; known: {', '.join(PAPERS)}")
    return (f'<!DOCTYPE html><html lang="{html.escape(language)}" dir="{html.escape(direction)}">'
            f"<head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{STYLE % {'paper': paper}}</style></head><body>{''.join(parts)}</body></html>")


def plain_pdf(project: Project, page: str, name: str = "baseline") -> bytes:
    """`page` (HTML from `brief_html` or `text_html`) laid out by WeasyPrint in the shipped fonts,
    with nothing added or post-processed; tagged like a build (`pdf_tags`)."""
    import weasyprint

    fonts = font_configuration(project)
    document = weasyprint.HTML(string=page).render(font_config=fonts)
    data = document.write_pdf(pdf_identifier=pdf_identifier("baseline", name), pdf_tags=True)
    assert isinstance(data, bytes)
    return data
