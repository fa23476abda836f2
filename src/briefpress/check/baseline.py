"""Render a brief's text as plain WeasyPrint does: the baseline no reader family may fall below.

The baseline has the brief's blocks as markdown renders them (paragraphs, headings, lists,
quotes, tables, emphasis and links), in a minimal page of the publication's language and
direction, set in the faces a build sets them in (Amiri for the text and the section headings,
IBM Plex Sans Arabic for the title), with WeasyPrint's default font features, by the same
private fontconfig as a build. It has none of the project's text-layer work: no isolate
controls, word joiners or letter marks, no spans around runs of the other direction, no
ActualText and no chrome (cover, running heads, contents).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from markdown_it.token import Token

from ..layout.pdf import font_configuration, pdf_identifier
from ..project import Project
from ..source.markdown import markdown_parser
from ..source.model import Block, Brief

STYLE = """
@page { size: A4; margin: 24mm 20mm 22mm; }
html { font-family: "Amiri"; font-size: 12.5pt; line-height: 1.65; }
h1, h2, h3 { line-height: 1.35; }
h1 { font-family: "IBM Plex Sans Arabic"; }
h1 { font-size: 20pt; }
h2 { font-size: 14pt; }
h3 { font-size: 12.5pt; }
table { border-collapse: collapse; }
td, th { border: 0.5pt solid #888; padding: 2pt 4pt; }
"""


def _renderable(tokens: Iterable[Token]) -> list[Token]:
    """Tokens without images (the baseline draws text only) and without authoring attributes."""
    kept = []
    for token in tokens:
        token = token.copy(attrs={})
        if token.children:
            token.children = [child.copy(attrs={key: value for key, value in child.attrs.items()
                                                if key == "href"})
                              for child in token.children if child.type != "image"]
        kept.append(token)
    return kept


def _block_html(block: Block) -> str:
    parser = markdown_parser()
    render = parser.renderer.render
    if not block.children:
        return str(render(_renderable(block.tokens), parser.options, {}))
    opening, closing = _renderable(block.tokens[:1]), _renderable(block.tokens[1:])
    inner = "".join(_block_html(child) for child in block.children)
    return str(render(opening, parser.options, {})) + inner + str(render(closing, parser.options, {}))


def brief_html(brief: Brief, title: str, language: str, direction: str) -> str:
    """The brief's text as a minimal HTML page: title, lead, each section's heading and blocks."""
    parts = [f"<h1>{html.escape(title)}</h1>"]
    parts += [_block_html(block) for block in (*brief.forewords, *brief.lead)]
    for section in brief.sections:
        parts.append(f"<h2>{html.escape(section.heading)}</h2>")
        parts += [_block_html(block) for block in section.blocks]
    return _page(parts, title, language, direction)


def text_html(lines: Sequence[str], language: str, direction: str, family: str | None = None) -> str:
    """Plain text as a minimal HTML page, one paragraph a non-empty line; in `family` when given
    (a build's chrome is set in "IBM Plex Sans Arabic"), else the page's Amiri."""
    style = f' style="font-family: &quot;{html.escape(family)}&quot;"' if family else ""
    return _page([f"<p{style}>{html.escape(line)}</p>" for line in lines if line.strip()], "",
                 language, direction)


def _page(parts: list[str], title: str, language: str, direction: str) -> str:
    return (f'<!DOCTYPE html><html lang="{html.escape(language)}" dir="{html.escape(direction)}">'
            f"<head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>")


def plain_pdf(project: Project, page: str, name: str = "baseline") -> bytes:
    """`page` (HTML from `brief_html` or `text_html`) laid out by WeasyPrint in the shipped fonts,
    with nothing added or post-processed; tagged like a build (`pdf_tags`)."""
    import weasyprint

    fonts = font_configuration(project)
    document = weasyprint.HTML(string=page).render(font_config=fonts)
    data = document.write_pdf(pdf_identifier=pdf_identifier("baseline", name), pdf_tags=True)
    assert isinstance(data, bytes)
    return data
