"""The typed content model every document is rendered from."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

from markdown_it.token import Token
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from ..text.bidi import LANGUAGE
from ..text.labels import iso_dates_exist
from .fields import SLUG_PATTERN, Form, FrontText, Slug, Strict, Tagged, Tags, Text, no_markdown
from .tags import TAG_LINE
from .treaty import Annex, Clause, Schedule, Treaty, TreatyFact

XREF = "xref"  # the token type of a cross-reference `[[ref:id]]` in the brief

__all__ = ["SLUG_PATTERN", "XREF", "Annex", "Block", "Brief", "BriefFrontMatter", "Clause", "Content",
           "Facts", "Figure", "Form", "Note", "Publication", "QuotedList", "ReferenceUse", "Schedule",
           "Section", "Slug", "Source", "Strict", "Tagged", "Tags", "Text", "TimelineEvent", "Treaty",
           "TreatyFact", "inline_text"]


def _web_address(text: str) -> str:
    if not re.fullmatch(r"https?://[^\s/]+\S*", text):
        raise ValueError("must be a web address starting http:// or https://, e.g. "
                         "https://example.org/report")
    return text


WebAddress = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_web_address)]


class Source(Strict):
    """A work the publication cites with `[@id]`: what a sources list and a citation print."""

    id: Slug
    """How the text cites it: [@id]."""
    author: Text | None = None
    """The author, a person or a body, as it should be listed (family name first for a person)."""
    title: Text
    """The work's title."""
    publisher: Text | None = None
    """Who published it, and where."""
    date: Text | None = None
    """When, as it should be printed: 2024, فبراير 2024."""
    symbol: Text | None = None
    """A document symbol, e.g. S/RES/2722 (2024)."""
    url: WebAddress | None = None
    """Where to read it: an http(s) address."""


class Publication(Strict):
    """`publication.yaml`: what the publication is."""

    id: Slug
    """Lower-case letters, digits and hyphens; must equal the folder name."""
    title: FrontText
    """The title on the cover and in the PDF metadata."""
    subtitle: FrontText | None = None
    """An optional line under the title."""
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
    """The language code: ar or en."""
    direction: Literal["rtl", "ltr"]
    """rtl or ltr."""
    date: datetime.date
    """YYYY-MM-DD: the edition's date and the PDF's creation date."""
    keywords: list[FrontText] = Field(default_factory=list)
    """Keywords for the PDF metadata."""
    sources: list[Source] = Field(default_factory=list)
    """Works the brief and the fact sheet cite by id, [@id]."""

    @field_validator("direction")
    @classmethod
    def _direction_is_the_language_s(cls, direction: str, info: ValidationInfo) -> str:
        # An English text laid out right to left (or Arabic left to right) prints scrambled
        # sentences with exit 0: a publication.yaml copied from one of the other language.
        language = info.data.get("language")
        expected = {code: written for written, code in LANGUAGE.items()}.get(language or "")
        if expected is not None and direction != expected:
            raise ValueError(f"'{direction}' does not match language '{language}', which is "
                             f"written {expected}; write direction: {expected}")
        return direction

    @property
    def sources_by_id(self) -> dict[str, Source]:
        """Each source by its id, as a citation `[@id]` names it."""
        return {source.id: source for source in self.sources}


FactText = Annotated[Text, no_markdown("a fact-sheet text")]
"""A text the fact sheet prints that quotes nothing: plain, no Markdown."""


class Cited(Tagged):
    """A fact-sheet item that may name the sources it comes from."""

    cite: list[Slug] = Field(default_factory=list)
    """Ids of sources in publication.yaml; the fact sheet lists the sources its items cite."""


class Figure(Cited):
    """A headline figure on the fact sheet."""

    value: FactText
    """The figure as shown (quote numbers: "10"); it must occur in `source`."""
    label: FactText
    """What the figure counts."""
    source: Text
    """The article's words it comes from, copied exactly from brief.md."""


class TimelineEvent(Cited):
    """A dated event, dates as the article writes them."""

    when: Annotated[FactText, AfterValidator(iso_dates_exist)]
    """The date as the article writes it (quote a bare year: "1961"); an ISO date is a real day."""
    event: FactText
    """What happened."""
    source: Text
    """The article's words it comes from, copied exactly from brief.md."""


class QuotedList(Cited):
    """A list the article states, items verbatim."""

    title: FactText
    """The list's heading."""
    source: Text
    """The article's words that introduce the list, copied exactly."""
    items: list[Text] = Field(min_length=1)
    """The items, each copied exactly from brief.md."""


class Facts(Strict):
    """`facts.yaml`: the fact sheet's data."""

    title: FactText
    """The fact sheet's title."""
    figures: list[Figure] = Field(min_length=1)
    """Headline figures: value, label, source."""
    timeline: list[TimelineEvent] = Field(min_length=1)
    """Dated events in reading order: when, event, source."""
    lists: list[QuotedList] = Field(default_factory=list)
    """Lists the article states: title, source, items."""


class BriefFrontMatter(Strict):
    """The front matter of `brief.md`."""

    running_head: FrontText


BlockKind = Literal["paragraph", "subheading", "heading", "list", "item", "quote", "table", "box"]


@dataclass(frozen=True)
class Block:
    """A block of the brief at any depth, with its own audience tags.

    A leaf (paragraph, heading, table) keeps its markdown-it tokens; a container
    (list, item, quote) keeps its opening and closing tokens and its child blocks,
    so an audience filter can drop any block at any depth before HTML is made.
    """

    kind: BlockKind
    line: int
    tags: tuple[str, ...]
    tokens: tuple[Token, ...] = ()
    children: tuple[Block, ...] = ()

    @property
    def text(self) -> str:
        """The words a reader sees in this block, single-spaced."""
        if self.children:
            return " ".join(child.text for child in self.children)
        return " ".join(" ".join("".join(inline_text(token)).split())
                        for token in self.tokens if token.type == "inline")

    @property
    def span(self) -> tuple[int, int]:
        """The block's first and last source lines (1-based), its tag line included."""
        opening = self.tokens[0]
        first = opening.meta.get(TAG_LINE) or self.line
        last = max((token.map[1] for token in self.tokens if token.map), default=self.line)
        return first, last

    def walk(self) -> Iterator[Block]:
        """This block and every block inside it, in reading order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def inline_texts(self, references: bool = False) -> Iterator[str]:
        """The text of each inline in this block, at any depth, single-spaced; with
        `references`, each cross-reference as written (`[[ref:id]]`).

        One text per paragraph, heading, list item's paragraph or table cell: a reader never
        sees one run on into the next, so no run of words crosses from one to another.
        """
        for token in self.tokens:
            if token.type == "inline":
                yield " ".join("".join(inline_text(token, references)).split())
        for child in self.children:
            yield from child.inline_texts(references)


def inline_text(token: Token, references: bool = False) -> Iterator[str]:
    """The visible text of an inline token's children; with `references`, each cross-reference
    as written, which prints its node's name."""
    for child in token.children or []:
        if child.type in {"text", "code_inline"} or (references and child.type == XREF):
            yield child.content
        elif child.type in {"softbreak", "hardbreak"}:
            yield " "


@dataclass(frozen=True)
class Section:
    """A headed section of the brief.

    `key` is its id: `## Heading {#id}`, or `section-N` in source order (`named` is
    false then). In-document links and profiles name sections by key. `anchor` is set
    when an audience's view is made: the id, or `section-N` numbered among the
    sections that audience sees, so no anchor shows that a section was removed.
    """

    heading: str
    line: int
    blocks: tuple[Block, ...]
    key: str
    tags: tuple[str, ...] = ()
    anchor: str = ""
    named: bool = False

    def walk(self) -> Iterator[Block]:
        for block in self.blocks:
            yield from block.walk()


TagChain = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Note:
    """A footnote, `[^label]: text`: one paragraph, with its own audience tags.

    An edition shows it where its tags allow and a block that edition shows calls it.
    """

    label: str
    line: int
    tags: tuple[str, ...]
    blocks: tuple[Block, ...]
    section_tags: tuple[str, ...] = ()
    """The tags of the `##` section the note is defined in: a second level, both must show."""

    @property
    def chain(self) -> TagChain:
        """The tag groups over the note, its section's then its own: an edition shows it when it
        shows every group."""
        return tuple(tags for tags in (self.section_tags, self.tags) if tags)

    @property
    def text(self) -> str:
        return " ".join(block.text for block in self.blocks)


@dataclass(frozen=True)
class ReferenceUse:
    """A link or image that takes its URL from a `[label]: url` definition, and the tags over each.

    `tags` are the tag groups over the link (its block's and its ancestors'); an edition shows
    it when it shows every group. The same holds for the definition and `definition_tags`.
    """

    label: str
    line: int
    tags: TagChain
    definition_line: int
    definition_tags: TagChain


@dataclass(frozen=True)
class Brief:
    """`brief.md`: the article, as a lead and headed sections."""

    front: BriefFrontMatter
    lead: tuple[Block, ...]
    sections: tuple[Section, ...]
    forewords: tuple[Block, ...] = ()
    references: tuple[ReferenceUse, ...] = ()
    notes: tuple[Note, ...] = ()

    def blocks(self) -> Iterator[Block]:
        """Every block at every depth, in reading order."""
        for block in (*self.forewords, *self.lead):
            yield from block.walk()
        for section in self.sections:
            yield from section.walk()

    def inline_texts(self, references: bool = False) -> Iterator[str]:
        """The text of each inline (`Block.inline_texts`) and each section heading, in reading order."""
        for block in (*self.forewords, *self.lead):
            yield from block.inline_texts(references)
        for section in self.sections:
            yield section.heading
            for block in section.blocks:
                yield from block.inline_texts(references)

    def plain_text(self) -> str:
        """All of the brief's text, blocks separated by newlines."""
        parts = [block.text for block in (*self.forewords, *self.lead)]
        for section in self.sections:
            parts.append(section.heading)
            parts.extend(block.text for block in section.blocks)
        parts.extend(note.text for note in self.notes)
        return "\n".join(parts)


class Content(BaseModel):
    """One publication, loaded and validated."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    publication: Publication
    brief: Brief
    facts: Facts
    annex: Annex | None = None
    """None when the publication has no annex.yaml: its editions get no annex."""
