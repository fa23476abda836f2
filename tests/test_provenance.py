"""Facts and clauses come from the seed article only."""

from __future__ import annotations

import re

import pytest

from briefpress.project import Project
from briefpress.source.publication import load_publication, normalise

from conftest import PUBLICATION


@pytest.fixture(scope="module")
def content(project: Project):
    return load_publication(project, PUBLICATION)


def _quotes(content) -> list[tuple[str, str]]:
    facts, annex = content.facts, content.annex
    quotes = [("figure", f.source) for f in facts.figures]
    quotes += [("timeline", t.source) for t in facts.timeline]
    for quoted in facts.lists:
        quotes.append(("list", quoted.source))
        quotes += [("list item", item) for item in quoted.items]
    quotes += [("treaty fact", f.source) for f in annex.treaty.facts]
    for schedule in annex.schedules:
        quotes.append(("schedule", schedule.source))
        quotes += [("clause", clause.text) for clause in schedule.clauses]
    return quotes


def test_every_source_quote_is_in_the_seed(content, seed_text: str) -> None:
    seed = normalise(seed_text)
    missing = [(kind, quote) for kind, quote in _quotes(content) if normalise(quote) not in seed]
    assert missing == []


def test_there_are_quotes_to_check(content) -> None:
    # 4 figures, 8 timeline events, 2 lists of 6, 3 treaty facts, 2 schedules of 6.
    assert len(_quotes(content)) == 4 + 8 + 2 * 7 + 3 + 2 * 7


def test_every_number_on_the_fact_sheet_is_stated_in_the_seed(content, seed_text: str) -> None:
    """Figures written as digits must be numbers the article gives, in digits or words."""
    spelled = {"10": "عشرة", "6": "ست"}
    for figure in content.facts.figures:
        assert figure.value in seed_text or spelled[figure.value] in figure.source
    for event in content.facts.timeline:
        for number in re.findall(r"\d+", event.when):
            assert number in seed_text


def test_annex_header_facts_match_the_seed(content) -> None:
    values = {fact.label: fact.value for fact in content.annex.treaty.facts}
    assert values["التوقيع"] == "19 يونيو 2024 في بيونغ يانغ"
    assert values["دخول حيز التنفيذ"] == "4 ديسمبر"
