"""The text an edition prints, document by document, as a reader should get it back.

`brief_text` is the brief's own text (lead, headings, blocks, notes); `chrome_text` is what a
document prints around its content: the cover, the contents list, running heads and page
footers of a brief, the header, figure cards, timeline and lists of a fact sheet, the header
and clauses of an annex. Both give one line per paragraph, item, card or cell, so that no run
of the other direction crosses from one line to the next, and the reader families are
measured against them (`check.readers`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from markdown_it.token import Token

from ..source.audiences import Profile
from ..source.citations import citation_text
from ..source.model import Block, Brief, Content, Note, Source
from ..source.notes import NoteNumbering
from ..source.xrefs import XREF, resolve
from ..text.breaks import WORD_JOINER
from ..text.labels import CHROME_LABELS, event_date, long_date

Names = Callable[[str], str]  # an annex node's id -> its name in the edition (layout.html.reference_names)
Sources = Mapping[str, Source]  # a source's id -> the source (the publication's `sources`)


def printed_name(names: Names | None, target: str) -> str:
    """The name a cross-reference to `target` prints, as a reader gives it back (no joiners);
    a brief with references and no names for them is an error, never text left out."""
    if names is None:
        raise ValueError(f"[[ref:{target}]]: the edition's names of annex nodes are needed")
    return names(target).replace(WORD_JOINER, "")


def printed_citation(sources: Sources | None, source_id: str) -> str:
    """The text a citation `[@source_id]` prints (`citation_text`); a brief with citations and no
    sources for them is an error, never text left out."""
    if sources is None or source_id not in sources:
        raise ValueError(f"[@{source_id}]: the publication's sources are needed")
    return citation_text(sources[source_id])


def printed_line(token: Token, names: Names | None, sources: Sources | None,
                 call: Callable[[str], str] = lambda label: "") -> str:
    """An inline token's text as the page prints it, single-spaced: each cross-reference as the
    name of its node (`names`), each citation as its source's text (`sources`), each note call
    as `call(label)`."""
    parts = []
    for child in token.children or []:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif child.type == XREF:
            parts.append(printed_name(names, child.meta["id"]))
        elif child.type == "citation":
            parts.append(printed_citation(sources, child.meta["id"]))
        elif child.type == "footnote_ref":
            parts.append(call(child.meta["label"]))
    return " ".join("".join(parts).split())


def note_text(note: Note, names: Names | None = None, sources: Sources | None = None) -> str:
    """A note's text as the page prints it (`printed_line` of each of its paragraphs)."""
    return " ".join(printed_line(token, names, sources) for block in note.blocks
                    for inner in block.walk() for token in inner.tokens if token.type == "inline")


def brief_text(brief: Brief, names: Names | None = None, sources: Sources | None = None,
               restart: str = "document", written: Callable[[int], str] = str) -> str:
    """The brief's text as an edition prints it: lead, forewords, then each section's heading and
    blocks, one paragraph, item or table cell a line (`printed_line`), each note call as its
    number after a (narrow no-break) space as the page sets it, and the notes the edition shows,
    each a line after the text, as `N. text`, numbered as the edition's `notes_restart` has it.
    `written` writes a call's or note's number (in the edition's digits, as the page does: the
    number is no part of the run before it)."""
    numbering = NoteNumbering(brief, restart)

    def call(label: str) -> str:
        number = numbering.number(label)
        return "" if number is None else f" {written(number)}"

    def lines(blocks: tuple[Block, ...]) -> list[str]:
        return [printed_line(token, names, sources, call) for block in blocks
                for inner in block.walk() for token in inner.tokens if token.type == "inline"]

    parts = lines(brief.lead) + lines(brief.forewords)  # as the brief prints them
    for section in brief.sections:
        numbering.enter(section)
        parts.append(section.heading)
        parts += lines(section.blocks)
    notes = {note.label: note for note in brief.notes}
    parts += [f"{written(number)}. {note_text(notes[label], names, sources)}"
              for number, label in numbering.notes()]
    return "\n".join(parts)


def note_calls(brief: Brief) -> int:
    """How many note calls the edition prints: each call of each note it shows."""
    shown = {note.label for note in brief.notes}
    return sum(child.type == "footnote_ref" and child.meta["label"] in shown
               for block in brief.blocks() for token in block.tokens
               if token.type == "inline" for child in token.children or [])


def chrome_text(document: str, content: Content, profile: Profile, pages: int,
                names: Names | None = None) -> str:
    """What `document` of an edition (`content` as its audience sees it) prints besides its
    content's text, a line per piece, in reading order: for a fact-sheet card, its value and
    then its label on one line; the running head when there is a second page to carry it; each
    page's footer (`page N of M`) last. A cross-reference prints its node's name (`names`)."""
    publication = content.publication
    labels = {**CHROME_LABELS[publication.language], **profile.labels}
    lines: list[str] = []
    if document == "brief":
        brief = content.brief
        lines += [labels["brief"], publication.title, publication.subtitle or "",
                  long_date(publication.date, publication.language), labels["contents"],
                  *(section.heading for section in brief.sections),
                  brief.front.running_head if pages > 1 else ""]
    elif document == "factsheet":
        facts = content.facts
        lines += [labels["factsheet"], publication.title, facts.title, labels["figures"],
                  *(f"{figure.value} {figure.label}" for figure in facts.figures),
                  labels["timeline"], f"{labels['date']} {labels['event']}",
                  *(f"{event_date(item.when, publication.language)} {item.event}"
                    for item in facts.timeline)]
        for quoted in facts.lists:
            lines += [quoted.title, *quoted.items]
    elif document == "annex" and content.annex is not None:
        annex = content.annex  # a structured annex's articles are its content, not measured here
        lines += [labels["annex"], annex.title, annex.treaty.name,
                  *(f"{fact.label} {fact.value}" for fact in annex.treaty.facts)]
        for schedule in annex.schedules:
            lines.append(schedule.title)
            lines += [f"{labels['clause']} {clause.number} {clause.text}" for clause in schedule.clauses]
        lines.append(f"{annex.title}: {annex.treaty.name}" if pages > 1 else "")
    elif document != "annex":
        raise ValueError(f"unknown document kind {document!r}")
    if profile.marking:
        lines.append(profile.marking)
    lines += [f"{labels['page']} {number} {labels['of']} {pages}" for number in range(1, pages + 1)]
    return "\n".join(resolve(line, lambda target: printed_name(names, target)) for line in lines if line)
