"""The typed content model every document is rendered from."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Tags = tuple[Slug, ...]


class Strict(BaseModel):
    """A model that refuses unknown keys and never coerces numbers to text."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Tagged(Strict):
    """An item shown only to audiences that include one of its `audience` tags."""

    audience: list[Slug] = Field(default_factory=list)


class Publication(Strict):
    """`publication.yaml`: what the publication is."""

    id: Slug
    title: Text
    subtitle: Text | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
    direction: Literal["rtl", "ltr"]
    date: datetime.date
    keywords: list[Text] = Field(default_factory=list)


class Figure(Tagged):
    """A headline figure on the fact sheet."""

    value: Text
    label: Text
    source: Text


class TimelineEvent(Tagged):
    """A dated event, dates as the article writes them."""

    when: Text
    event: Text
    source: Text


class QuotedList(Tagged):
    """A list the article states, items verbatim."""

    title: Text
    source: Text
    items: list[Text] = Field(min_length=1)


class Facts(Strict):
    """`facts.yaml`: the fact sheet's data."""

    title: Text
    figures: list[Figure] = Field(min_length=1)
    timeline: list[TimelineEvent] = Field(min_length=1)
    lists: list[QuotedList] = Field(default_factory=list)


class TreatyFact(Tagged):
    """A fact in the annex header."""

    label: Text
    value: Text
    source: Text


class Treaty(Strict):
    """The instrument the annex reproduces."""

    name: Text
    facts: list[TreatyFact] = Field(default_factory=list)


class Clause(Tagged):
    """One numbered clause, text verbatim."""

    number: Annotated[int, Field(ge=1)]
    text: Text


class Schedule(Tagged):
    """A numbered list of clauses."""

    title: Text
    source: Text
    clauses: list[Clause] = Field(min_length=1)

    @model_validator(mode="after")
    def _numbers_run_from_one(self) -> Schedule:
        numbers = [clause.number for clause in self.clauses]
        expected = list(range(1, len(numbers) + 1))
        if numbers != expected:
            raise ValueError(f"clause numbers must run 1 to {len(numbers)} in order, got {numbers}")
        return self


class Annex(Strict):
    """`annex.yaml`: the clause annex."""

    title: Text
    treaty: Treaty
    schedules: list[Schedule] = Field(min_length=1)


class BriefFrontMatter(Strict):
    """The front matter of `brief.md`."""

    running_head: Text


BlockKind = Literal["paragraph", "list", "subheading", "quote", "table"]


class ListItem(BaseModel):
    """One item of a list in the brief."""

    model_config = ConfigDict(frozen=True)

    html: str
    text: str
    line: int
    tags: tuple[str, ...] = ()


class Block(BaseModel):
    """A rendered block of the brief: its HTML, its plain text, its source line.

    A list keeps its items apart (`items`, `html` empty) so an audience can drop one.
    """

    model_config = ConfigDict(frozen=True)

    kind: BlockKind
    html: str
    text: str
    line: int
    tags: tuple[str, ...] = ()
    items: tuple[ListItem, ...] = ()
    ordered: bool = False


class Section(BaseModel):
    """A headed section of the brief."""

    model_config = ConfigDict(frozen=True)

    anchor: str
    heading: str
    line: int
    blocks: tuple[Block, ...]
    tags: tuple[str, ...] = ()


class Brief(BaseModel):
    """`brief.md`: the article, as a lead and headed sections."""

    model_config = ConfigDict(frozen=True)

    front: BriefFrontMatter
    lead: tuple[Block, ...]
    sections: tuple[Section, ...]

    def plain_text(self) -> str:
        """All of the brief's text, blocks separated by newlines."""
        parts = [block.text for block in self.lead]
        for section in self.sections:
            parts.append(section.heading)
            parts.extend(block.text for block in section.blocks)
        return "\n".join(parts)


class Content(BaseModel):
    """One publication, loaded and validated."""

    model_config = ConfigDict(frozen=True)

    publication: Publication
    brief: Brief
    facts: Facts
    annex: Annex
