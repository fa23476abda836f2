"""The field types every content model is built from: text, slugs, tags, strict models."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from .tags import reads_as_tag


def visible(text: str) -> bool:
    """Whether `text` holds a character that is neither a space nor an invisible format character
    (a zero-width space, a direction mark): what prints."""
    return any(not character.isspace() and unicodedata.category(character) != "Cf"
               for character in text)


# A Markdown link (`[words](https://...)`, `[words](#section-2)`): YAML text is printed as typed.
_MARKDOWN_LINK = re.compile(r"\[[^\[\]\n]+\]\((?:https?://|mailto:|#)[^()\s]*\)")

# A note call (`[^id]`) or a citation (`[@id]`) as brief.md writes them: YAML text prints them as typed.
_CALL = re.compile(r"\[\^[^\]\s]+\]|\[@[a-z0-9][a-z0-9-]*\]")


def _no_tag_text(text: str) -> str:
    """Refuse Markdown tag syntax in YAML text, where it would be printed to everyone, a Markdown
    link, which would be printed with its brackets and address, a note call or citation, which
    would be printed as typed and call or cite nothing, and a text of invisible characters only
    (a zero-width space, a direction mark), which would print an empty field."""
    if not visible(text):
        raise ValueError("holds no visible character (only spaces or invisible format "
                         "characters such as U+200B); write the text")
    if reads_as_tag(text):
        raise ValueError("{audience=...} is Markdown syntax, which YAML text prints as typed; "
                         "in facts.yaml or annex.yaml give the entry that holds this text (a "
                         "figure, event, list, clause or node) an `audience: [tag]` list instead; "
                         "publication.yaml, front matter and profiles take no tags")
    if link := _MARKDOWN_LINK.search(text):
        raise ValueError(f"{link.group()} is a Markdown link, which YAML text prints as typed, "
                         "brackets and address; write the words alone")
    if call := _CALL.search(text):
        raise ValueError(f"{call.group()} is a note call or citation, which YAML text prints as "
                         "typed; call notes and cite sources in brief.md (a fact sheet item cites "
                         "its sources with `cite: [id]`)")
    return text


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1),
                 AfterValidator(_no_tag_text)]


_REFERENCE_OPENING = re.compile(r"\[\[\s*ref\s*:", re.IGNORECASE)


def no_reference(printed: str, where: str) -> AfterValidator:
    """Refuse a cross-reference `[[ref:id]]` in a text that is `printed` as typed (a label, a
    title in the PDF's metadata): it would print its brackets and id, not its node's name."""
    def check(text: str) -> str:
        if _REFERENCE_OPENING.search(text):
            raise ValueError(f"{printed}, so it holds no cross-reference; write the reference "
                             f"in {where}")
        return text
    return AfterValidator(check)


# Markdown that YAML text would print as typed: images and emphasis belong to brief.md (a note
# call or a citation is refused in every YAML text, by `_no_tag_text`).
_MARKDOWN = (
    (re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"), "a Markdown image"),
    (re.compile(r"\*\*(?=\S)[^*\n]+(?<=\S)\*\*|__(?=\S)[^_\n]+(?<=\S)__"), "Markdown emphasis"),
    (re.compile(r"(?<![*\w])\*(?=[^\s*])[^*\n]+(?<=[^\s*])\*(?![*\w])"), "Markdown emphasis"),
    # raw HTML, refused in brief.md too: `<br>` for a line break, `<sup>2</sup>`, a comment
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>|<!--"), "an HTML tag"),
)


def no_markdown(printed: str) -> AfterValidator:
    """Refuse Markdown in a YAML text that is printed (`printed` names it, "an annex text"): it
    would print its marks as typed."""
    def check(text: str) -> str:
        for pattern, what in _MARKDOWN:
            if found := pattern.search(text):
                raise ValueError(f"{found[0]} is {what}, which {printed} prints as typed, marks "
                                 "and all; write the words alone (notes and sources go in "
                                 "brief.md)")
        return text
    return AfterValidator(check)


FrontText = Annotated[Text, no_reference("front matter is printed as typed, on the cover, in "
                                         "running heads and in the PDF's metadata",
                                         "the brief's text")]
"""Front matter: the publication's title, subtitle and keywords, the brief's running head."""

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
                      AfterValidator(_no_tag_text)]
"""A text of at most 40 characters, such as a watermark."""
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN.pattern)]
Tags = tuple[Slug, ...]


@dataclass(frozen=True)
class Form:
    """How a mapping field is written: what its keys and values are, for messages that say so."""

    key: str
    """What each key is, e.g. "a publication id"."""
    value: str
    """What each value is, e.g. "a list of its section ids"."""
    example: str
    """The whole mapping, e.g. "{my-brief: [section-1, joint-measures]}"."""
    value_example: str
    """One value, e.g. "[section-1, joint-measures]"."""
    empty: str = ""
    """What to write instead of an empty value."""


@dataclass(frozen=True)
class NeededBy:
    """A field that another one needs, such as a logo's alternative text: an error for it left
    out is located at the line of the field that needs it."""

    field: str


class Strict(BaseModel):
    """A model that refuses unknown keys and never coerces numbers to text."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True,
                              use_attribute_docstrings=True)


def _some_tags(tags: list[str]) -> list[str]:
    """An `audience` list names at least one tag: an empty one would show the item to every
    edition, as no `audience` does, where the author meant to restrict it."""
    if not tags:
        raise ValueError("an empty audience list would show this item to every edition; name "
                         "its tags, or remove audience to show it to all")
    return tags


class Tagged(Strict):
    """An item shown only to audiences that include one of its `audience` tags."""

    audience: Annotated[list[Slug], AfterValidator(_some_tags)] = Field(default_factory=list)
    """Audience tags: the item reaches only profiles that include one of them."""
