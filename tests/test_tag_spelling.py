"""However a tag is spelled, it is a tag or an error: never text, and never a tag that hides less.

Each example writes a tag line in some spelling (invisible format characters, entities,
look-alike characters, attribute comments, stray spaces, other attributes) before a canary
block, parses the brief as a build does, and checks that the result fails closed: either the
parser reports a problem, or no edition that excludes the tag sees the canary or the tag text.
`make fuzz` runs 1,000 examples.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from briefpress.source.audiences import Profile, visible_blocks
from briefpress.source.markdown import parse_brief
from briefpress.source.model import Brief

TAG = "sanctions-detail"
TAG_LINE = "{audience=" + TAG + "}"
PRESS = Profile(name="press", description="press", documents=["brief"], exclude=[TAG])
CANARY = "canary"
FORMAT_CHARACTERS = [chr(code) for code in range(0x10000) if unicodedata.category(chr(code)) == "Cf"]
LOOK_ALIKES = {"{": ["\uff5b", "\ufe5b"], "}": ["\uff5d", "\ufe5c"], "=": ["\uff1d", "\ufe66"]}
FRAMES = [
    "{tag}\n" + CANARY + " فقرة.\n\n## قسم\n\nنص عام.\n",  # a paragraph in the lead
    "## قسم\n\n{tag}\n" + CANARY + " فقرة.\n",  # a paragraph in a section
    "{tag}\n## " + CANARY + " قسم\n\nنص " + CANARY + " القسم.\n",  # a whole section
    "## قسم\n\n{tag}\n- " + CANARY + " بند.\n- " + CANARY + " بند.\n",  # a list
    "## قسم\n\n> {tag}\n> " + CANARY + " اقتباس.\n",  # a paragraph in a quote
    "## قسم\n\n{tag}\n::: note\n" + CANARY + " ملاحظة.\n:::\n",  # a note
    "## قسم\n\n- عام\n- {tag}\n  " + CANARY + " بند.\n",  # a list item
]


def _entity(character: str) -> str:
    return {"{": "&#123;", "}": "&#x7D;", "=": "&equals;", "a": "&#97;"}.get(character, character)


@st.composite
def tag_spellings(draw: st.DrawFn) -> str:
    """The tag line with a few of its characters spelled another way, or decorated."""
    characters = list(TAG_LINE)
    for _ in range(draw(st.integers(1, 3))):
        position = draw(st.integers(0, len(characters)))
        kind = draw(st.sampled_from(["format", "entity", "look-alike", "comment", "space", "attribute",
                                     "case", "backslash"]))
        if kind == "format":
            characters.insert(position, draw(st.sampled_from(FORMAT_CHARACTERS)))
        elif kind == "entity" and position < len(characters):
            characters[position] = _entity(characters[position])
        elif kind == "look-alike" and position < len(characters) and characters[position] in LOOK_ALIKES:
            characters[position] = draw(st.sampled_from(LOOK_ALIKES[characters[position]]))
        elif kind == "comment":
            characters = ["{%", *characters[1:-1], "%}"]
        elif kind == "space":
            characters.insert(position, draw(st.sampled_from([" ", "\t", "  "])))
        elif kind == "attribute":
            characters.insert(len(characters) - 1, draw(st.sampled_from([" .wide", " #x", " onclick=y"])))
        elif kind == "case" and position < len(characters):
            characters[position] = characters[position].upper()
        elif kind == "backslash" and position < len(characters):
            characters.insert(position, "\\")
    return "".join(characters)


def _press_text(brief: Brief) -> str:
    """Every word of the brief an edition that excludes the tag prints, headings included."""
    blocks = [*visible_blocks(brief.lead, PRESS)]
    headings = []
    for section in brief.sections:
        if PRESS.shows(section.tags):
            headings.append(section.heading)
            blocks += visible_blocks(section.blocks, PRESS)
    return " ".join([*headings, *(block.text for block in blocks)])


def assert_fails_closed(frame: str, tag_line: str) -> None:
    text = "---\nrunning_head: رأس\n---\n\n" + frame.replace("{tag}", tag_line)
    brief, problems = parse_brief(text, "brief.md")
    if problems:
        assert all(problem.line for problem in problems), problems
        return
    assert brief is not None
    shown = _press_text(brief)
    assert CANARY not in shown, (tag_line, shown)
    assert "audience" not in unicodedata.normalize("NFKC", shown).lower(), (tag_line, shown)


@pytest.mark.fuzz
@given(frame=st.sampled_from(FRAMES), tag_line=tag_spellings())
@example(frame=FRAMES[0], tag_line="{\u200daudience=sanctions-detail}")
@example(frame=FRAMES[0], tag_line="&#123;audience=sanctions-detail}")
@example(frame=FRAMES[1], tag_line="{%audience=sanctions-detail%}")
@example(frame=FRAMES[2], tag_line="{audience=sanctions\u00ad-detail}")
@example(frame=FRAMES[3], tag_line="\\{au dience=sanctions-detail}")
def test_a_tag_in_any_spelling_is_a_tag_or_an_error(frame: str, tag_line: str) -> None:
    assert_fails_closed(frame, tag_line)


@pytest.mark.parametrize("frame", FRAMES)
def test_the_plain_tag_hides_its_block(frame: str) -> None:
    """The frames themselves are sound: with the tag as documented, press loses every canary."""
    text = "---\nrunning_head: رأس\n---\n\n" + frame.replace("{tag}", TAG_LINE)
    brief, problems = parse_brief(text, "brief.md")
    assert problems == [] and brief is not None
    assert CANARY not in _press_text(brief)
    assert CANARY in brief.plain_text()


@pytest.mark.parametrize("ending", ["\r", "\r\n"])
def test_a_tag_holds_with_any_line_ending(ending: str) -> None:
    text = "---\nrunning_head: رأس\n---\n\n" + FRAMES[1].replace("{tag}", TAG_LINE)
    brief, problems = parse_brief(text.replace("\n", ending), "brief.md")
    assert problems == [] and brief is not None
    assert [block.tags for block in brief.blocks()] == [(TAG,)]
