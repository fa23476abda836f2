"""Number an edition's notes as its pages call them; write each call, note and citation as HTML.

Notes are numbered while the document is rendered, in the order the template renders the
blocks that call them, which is reading order: an edition numbers only the notes it shows,
so it has no gaps. As footnotes, a note's first call holds the note itself (`float:
footnote`, laid out at the foot of the calling page) and later calls link to it; as
endnotes, every call links to the list `endnotes_html` writes after the last section.
Numbers are in the edition's digits. Every call is a link to its note, which the PDF's
structure tree holds as a /Note element (PDF/UA-1 7.9), so a screen reader can follow it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..source.citations import bibliographic_order, citation_text
from ..source.model import Block, Brief, Note, Section, Source
from ..source.notes import NoteNumbering
from ..text.bidi import LANGUAGE
from ..text.breaks import WORD_JOINER
from ..text.localise import Localiser
from ..text.numerals import DigitStyle, write_numbers
from .paragraph_direction import written_direction

RenderNote = Callable[[Note], str]  # a note's text as inline HTML, localised
#: The element a note is written in: phrasing content to the HTML parser, so a footnote stays
#: inside the paragraph that calls it, and tagged /Note in the PDF (layout/pdf.py).
NOTE_ELEMENT = "note-text"


@dataclass
class NoteNumbers:
    """The notes an edition shows, numbered as the document calls them."""

    brief: Brief
    style: str  # "footnotes" or "endnotes"
    restart: str  # "document" or "section"
    digits: DigitStyle
    render: RenderNote
    title: Callable[[str], str]  # a section's heading as HTML, localised
    _numbering: NoteNumbering = field(init=False)
    _notes: dict[str, Note] = field(default_factory=dict)
    _sections: dict[int, Section] = field(default_factory=dict)  # a section's blocks: the section
    _headings: dict[str, str] = field(default_factory=dict)
    _called: list[tuple[str, int, str, Note]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._numbering = NoteNumbering(self.brief, self.restart)
        self._notes = {note.label: note for note in self.brief.notes}
        for section in self.brief.sections:
            self._headings[section.anchor or section.key] = section.heading
            for block in section.blocks:
                self._sections[id(block)] = section

    def enter(self, blocks: list[Block]) -> None:
        """The blocks about to be rendered: in a section, numbering may restart there."""
        if blocks:
            self._numbering.enter(self._sections.get(id(blocks[0])))

    def call(self, label: str) -> str:
        """The HTML of one call of note `label`: empty when the edition does not show the note."""
        note = self._notes.get(label)
        if note is None:
            return ""
        key = (self._numbering.scope, label)
        first = key not in self._numbering.numbers
        number = self._numbering.number(label)
        assert number is not None  # every note of the brief is shown
        if first:
            self._called.append((key[0], number, self._anchor(key), note))
        shown = self._number(number)
        anchor = self._anchor(key)
        target = anchor if self.style == "footnotes" else f"end-{anchor}"
        # A word joiner after the narrow no-break space: a text ending in that space, followed by
        # the call's link, made WeasyPrint (70) break its line at the first word when the call
        # did not fit the line's end, leaving one word alone on the line.
        call = f'\u202f{WORD_JOINER}<a class="note-call" href="#{target}" role="doc-noteref">{shown}</a>'
        if first and self.style == "footnotes":
            note_html = self._numbered(shown, note)
            return f'{call}<{NOTE_ELEMENT} class="footnote" id="{anchor}">{note_html}</{NOTE_ELEMENT}>'
        return call

    def endnotes_html(self, heading: str) -> Markup:
        """The list of every note the document called, for endnotes; empty for footnotes. Numbered
        again in each section (`notes_restart: section`), the notes of each section follow its
        heading, so a reader can tell which «١.» a call means."""
        if self.style != "endnotes" or not self._called:
            return Markup("")
        items = []
        scope = ""
        for called_in, number, anchor, note in self._called:
            if self.restart == "section" and called_in != scope and called_in in self._headings:
                items.append(f'<h3 class="endnotes-section">{self.title(self._headings[called_in])}</h3>')
            scope = called_in
            items.append(f'<{NOTE_ELEMENT} class="endnote" id="end-{anchor}">'
                         f'{self._numbered(self._number(number), note)}</{NOTE_ELEMENT}>')
        return Markup(f'<section class="endnotes"><h2>{escape(heading)}</h2>{"".join(items)}</section>')

    def _numbered(self, shown: str, note: Note) -> str:
        """A note's text after its number and a space, in one run of text, as a plain paragraph
        sets it. A number in a box of its own (a ::footnote-marker, a span) is a text item of
        its own to pdf.js, which joins it to the note's first word (`.7ارتفعت`); with a
        no-break space after it, pdfium joins the two instead (cited-brief, pdfium words 99.0
        -> 94.4 %)."""
        return f"{shown}. {self.render(note)}"

    def _number(self, number: int) -> Markup:
        return escape(write_numbers(str(number), self.digits))

    def _anchor(self, key: tuple[str, str]) -> str:
        """An id made of the section's id and the note's number in the edition: never its label,
        which may hold any character, nor its place in the source, which counts the calls of text
        the edition hides (a note first called there came before the notes it follows)."""
        scope, _ = key
        number = self._numbering.numbers[key]
        return f"note-{scope}-{number}" if scope else f"note-{number}"


@dataclass
class Citations:
    """The sources an edition's rendered text cites, in the order it cites them."""

    sources: dict[str, Source]
    localise: Localiser
    cited: list[str] = field(default_factory=list)

    def text(self, source_id: str) -> str:
        """One citation's text, which the text around it is localised with; the source is cited."""
        if source_id not in self.cited:
            self.cited.append(source_id)
        return citation_text(self.sources[source_id])


    def sources_html(self, heading: str, wanted: bool) -> Markup:
        """The list of every source the document cited, in bibliographic order; empty unless `wanted`."""
        if not wanted or not self.cited:
            return Markup("")
        return Markup(f'<section class="sources"><h2>{escape(heading)}</h2>'
                      f"{self.entries_html(self.cited)}</section>")

    def entries_html(self, source_ids: Iterable[str]) -> Markup:
        """One paragraph per source, in bibliographic order, each in the direction it is written in."""
        sources = bibliographic_order(self.sources[key] for key in dict.fromkeys(source_ids))
        return Markup("".join(self._entry(source) for source in sources))

    def _entry(self, source: Source) -> str:
        """One entry of the sources list, set in the direction its words are written in (its
        author, title, publisher and date: a symbol or URL, always Latin, does not make an
        Arabic work left to right), each run of the other language in a span of its own."""
        text = citation_text(source, entry=True)
        words = " ".join(part for part in (source.author, source.title, source.publisher,
                                           source.date) if part)
        written = written_direction(words, self.localise.direction)
        if written == self.localise.direction:
            return f'<p class="source">{self.localise.html(text)}</p>'
        return (f'<p class="source" dir="{written}" lang="{LANGUAGE[written]}">'
                f'{Localiser(written, self.localise.digits).html(text)}</p>')
