"""The clause annex: flat schedules, or a treaty's own structure of parts, articles and paragraphs."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, model_validator

from .fields import Slug, Strict, Tagged, Text, no_markdown, no_reference

Plain = Annotated[Text, no_markdown("an annex text")]
"""A text the annex prints: plain, no Markdown."""
Label = Annotated[Plain, no_reference("a label is printed as typed, in place of a number",
                                     "the node's title or text")]
"""A label printed in place of a number, e.g. "38 مكرراً"."""


class TreatyFact(Tagged):
    """A fact in the annex header."""

    label: Plain
    """What the fact is (signed, in force, ...)."""
    value: Plain
    """The fact as shown."""
    source: Text
    """The article's words it comes from, copied exactly from brief.md."""


class Treaty(Strict):
    """The instrument the annex reproduces: where its text comes from."""

    name: Plain
    """The instrument's name."""
    date: Plain | None = None
    """Its date as the instrument writes it, e.g. "16/12/1966" (quote it)."""
    symbol: Plain | None = None
    """Its document symbol, e.g. A/RES/49/59."""
    facts: list[TreatyFact] = Field(default_factory=list)
    """Header facts: label, value, source."""


class Clause(Tagged):
    """One numbered clause, text verbatim."""

    number: Annotated[int, Field(ge=1)]
    """1, 2, 3 ... in order."""
    text: Text
    """The clause, copied exactly from brief.md."""


class Schedule(Tagged):
    """A numbered list of clauses."""

    title: Plain
    """The schedule's heading."""
    source: Text
    """The article's words that introduce it, copied exactly."""
    clauses: list[Clause] = Field(min_length=1)
    """Numbered clauses: number, text."""

    @model_validator(mode="after")
    def _numbers_run_from_one(self) -> Schedule:
        numbers = [clause.number for clause in self.clauses]
        expected = list(range(1, len(numbers) + 1))
        if numbers != expected:
            raise ValueError(f"clause numbers must run 1 to {len(numbers)} in order, got {numbers}")
        return self


# --- the structured annex -------------------------------------------------------------------

TEXT_FIELDS = ("label", "title", "text", "intro", "closing", "omitted", "term", "meaning")
BODIES = ("paragraphs", "subparagraphs", "definitions")
# A marker typed at the start of a text the annex numbers itself: «(أ)», «(هـ)», «(ii)», «(3)», «2.».
TYPED_MARKER = re.compile(
    r"^\s*(\((?:[0-9٠-٩]{1,3}|[\u0621-\u064a]\u0640?[\u0621-\u064a]?|[a-z]{1,4})\)|[0-9٠-٩]{1,3}[.)])\s")


class Parallel(Strict):
    """A node's texts in the annex's second language (`parallel.language`), field for field."""

    label: Label | None = None
    """The label in the second language, e.g. "11 bis"."""
    title: Plain | None = None
    """The title in the second language."""
    text: Plain | None = None
    """The text in the second language."""
    intro: Plain | None = None
    """The introductory sentence in the second language."""
    closing: Plain | None = None
    """The closing sentence in the second language."""
    omitted: Plain | None = None
    """The omission marker in the second language, e.g. "[Deleted]"."""
    term: Plain | None = None
    """The defined term in the second language."""
    meaning: Plain | None = None
    """Its meaning in the second language."""


def parallel_mismatch(node: Strict, parallel: Parallel | None) -> str | None:
    """Why `parallel` does not give the same texts as `node`, or None."""
    if parallel is None:
        return None
    own = [name for name in TEXT_FIELDS if getattr(node, name, None) is not None]
    given = [name for name in TEXT_FIELDS if getattr(parallel, name) is not None]
    if own == given:
        return None
    extra = [name for name in given if name not in own]
    missing = [name for name in own if name not in given]
    found = [f"it lacks {', '.join(missing)}"] if missing else []
    for name in extra:
        shared = " (a number is the same in both texts)" if name == "label" and \
            getattr(node, "number", None) is not None else ""
        found.append(f"its {name} has no counterpart in the node{shared}")
    return f"parallel must give the same texts as its node ({', '.join(own)}): {'; '.join(found)}"


class Node(Tagged):
    """What every node of a structured annex may carry besides its text."""

    id: Slug | None = None
    """A name for cross-references: [[ref:id]] in any annex, brief or fact-sheet text."""
    parallel: Parallel | None = None
    """The same texts in the second language, e.g. {title: ..., text: ...}."""
    quotes_brief: bool = False
    """true: this node's texts come from brief.md and must quote it word for word (as
    schedules do), and reach only the audiences that see the words they quote."""

    @model_validator(mode="after")
    def _parallel_matches(self) -> Node:
        problem = parallel_mismatch(self, self.parallel)
        if problem:
            raise ValueError(problem)
        return self


class Numbered(Node):
    """A node with a number: given, or one more than the node before it."""

    number: Annotated[int, Field(ge=1)] | None = None
    """Its real number (any increasing integers: 38, 39, 44); left out, the one before plus one."""
    label: Label | None = None
    """A label printed in place of a number, e.g. "38 مكرراً"; it does not count."""

    @model_validator(mode="after")
    def _number_or_label(self) -> Numbered:
        if self.number is not None and self.label is not None:
            raise ValueError("give a number or a label, not both")
        return self


class Body(Numbered):
    """A node that holds text: its own, or an introduction, a list of nodes and a closing."""

    text: Plain | None = None
    """The node's whole text, when it has no list below it."""
    intro: Plain | None = None
    """The sentence that introduces its list, e.g. "... على ما يلي:"."""
    closing: Plain | None = None
    """The sentence after its list."""
    omitted: Plain | None = None
    """An omission marker printed in place of a text left out, e.g. "…" or "[حُذفت]"."""

    @model_validator(mode="after")
    def _one_body(self) -> Body:
        lists = [name for name in BODIES if getattr(self, name, None)]
        held = [name for name in ("text", "omitted") if getattr(self, name) is not None] + lists
        if len(held) != 1:
            fields = type(self).model_fields
            allowed = ", ".join(name for name in ("text", *BODIES, "omitted") if name in fields)
            raise ValueError(f"holds one of {allowed}; this one holds {', '.join(held) or 'none'}")
        if (self.intro or self.closing) and not lists:
            raise ValueError("intro and closing go with a list (sub-paragraphs, paragraphs or "
                             "definitions), not with text")
        return self


class Marked(Body):
    """A node the annex prints with its marker: a paragraph's «1.», a sub-paragraph's «(أ)»."""

    @model_validator(mode="after")
    def _no_typed_marker(self) -> Marked:
        """A text that starts with a marker would print it twice («(أ) (أ) عدد أفراد الأسرة»)."""
        for name in ("text", "intro"):
            match = TYPED_MARKER.match(getattr(self, name) or "")
            if match:
                raise ValueError(f"{name} starts with the marker {match[1]!r}, which the annex "
                                 "prints itself; leave it out, or give a marker of your own as label")
        return self


class Definition(Numbered):
    """A defined term and its meaning, lettered like a sub-paragraph."""

    term: Plain
    """The term, printed as typed and set apart, e.g. «المجرى المائي»."""
    meaning: Plain
    """What it means, e.g. "يعني ...؛"."""


class Subparagraph(Marked):
    """A lettered sub-paragraph: (أ), (ب) ...; its own sub-paragraphs are the next level down."""

    subparagraphs: list[Subparagraph] = Field(default_factory=list)
    """The level below: (i), (ii) ... (at most two levels below a paragraph)."""


class Paragraph(Marked):
    """A numbered paragraph of an article."""

    subparagraphs: list[Subparagraph] = Field(default_factory=list)
    """Lettered sub-paragraphs, after `intro`."""
    definitions: list[Definition] = Field(default_factory=list)
    """Defined terms, after `intro`."""


class Article(Body):
    """An article: its real number and optional title, then its text or its paragraphs."""

    title: Plain | None = None
    """The article's heading, e.g. حق المرور العابر."""
    paragraphs: list[Paragraph] = Field(default_factory=list)
    """Numbered paragraphs."""
    subparagraphs: list[Subparagraph] = Field(default_factory=list)
    """Lettered sub-paragraphs directly below the article, after `intro`."""
    definitions: list[Definition] = Field(default_factory=list)
    """Defined terms, after `intro`."""


class Section(Numbered):
    """A section of a part, with its articles."""

    title: Plain | None = None
    """The section's heading."""
    articles: list[Article] = Field(default_factory=list)
    """Its articles."""
    omitted: Plain | None = None
    """An omission marker in place of the section's articles."""

    @model_validator(mode="after")
    def _articles_or_omitted(self) -> Section:
        if bool(self.articles) == (self.omitted is not None):
            raise ValueError("holds articles or omitted, one of them")
        return self


class Part(Numbered):
    """A part of the treaty: sections or articles."""

    title: Plain | None = None
    """The part's heading."""
    sections: list[Section] = Field(default_factory=list)
    """Its sections, each with articles."""
    articles: list[Article] = Field(default_factory=list)
    """Its articles, when it has no sections."""
    omitted: Plain | None = None
    """An omission marker in place of the part's contents."""

    @model_validator(mode="after")
    def _one_kind(self) -> Part:
        held = [name for name in ("sections", "articles") if getattr(self, name)]
        held += ["omitted"] if self.omitted is not None else []
        if len(held) != 1:
            raise ValueError(f"holds one of sections, articles, omitted; this one holds "
                             f"{', '.join(held) or 'none'}")
        return self


class Recital(Node):
    """One recital of the preamble («إذ تشير ...», «وإذ تدرك ...»)."""

    text: Plain
    """The recital."""
    _position: int = PrivateAttr(default=0)
    # Its place in the source's preamble, from 1: a reference cites it by this in every edition,
    # even one that hides a recital before it (0 until `articles.numbered` sets it).


class Preamble(Strict):
    """The preamble: who agrees, the recitals, and the words that lead to the articles."""

    intro: Plain | None = None
    """E.g. "إن الدول الأطراف في هذه الاتفاقية،"."""
    recitals: list[Recital] = Field(min_length=1)
    """The recitals, in order."""
    closing: Plain | None = None
    """E.g. "قد اتفقت على ما يلي:"."""
    parallel: Parallel | None = None
    """intro and closing in the second language."""

    @model_validator(mode="after")
    def _parallel_matches(self) -> Preamble:
        problem = parallel_mismatch(self, self.parallel)
        if problem:
            raise ValueError(problem)
        return self


class ParallelText(Strict):
    """The annex's second language: each node's `parallel` holds its texts in it."""

    language: Literal["ar", "en"]
    """ar or en; not the publication's own language."""
    title: Plain | None = None
    """The annex title in the second language."""
    name: Plain | None = None
    """The instrument's name in the second language."""
    side_by_side: bool = True
    """true: set the two texts side by side (a profile's `parallel` may say otherwise)."""


class Annex(Strict):
    """`annex.yaml`: the clause annex, as flat schedules or as a treaty's structure."""

    title: Plain
    """The annex's title."""
    treaty: Treaty
    """The instrument: name, date, symbol and header facts."""
    schedules: list[Schedule] = Field(default_factory=list)
    """Flat schedules of clauses quoted from brief.md: title, source, clauses."""
    preamble: Preamble | None = None
    """The treaty's preamble."""
    parts: list[Part] = Field(default_factory=list)
    """The treaty's parts, when it has them."""
    articles: list[Article] = Field(default_factory=list)
    """The treaty's articles, when it has no parts."""
    parallel: ParallelText | None = None
    """The second language of the nodes' `parallel` texts."""

    @model_validator(mode="after")
    def _flat_or_structured(self) -> Annex:
        held = [name for name in ("schedules", "parts", "articles") if getattr(self, name)]
        if len(held) != 1:
            raise ValueError(f"holds one of schedules (a flat annex), parts or articles; this one "
                             f"holds {', '.join(held) or 'none'}")
        if self.schedules and (self.preamble is not None or self.parallel is not None):
            raise ValueError("preamble and parallel belong to a structured annex (parts or articles)")
        return self

    @property
    def structured(self) -> bool:
        """Whether the annex is a treaty's structure rather than flat schedules."""
        return not self.schedules
