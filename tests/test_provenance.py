"""Facts and clauses come from the seed article only."""

from __future__ import annotations

import re

import pytest

from briefpress.build import build
from briefpress.errors import ContentError
from briefpress.project import Project
from briefpress.source.publication import load_publication, normalise, states

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


@pytest.mark.parametrize(("quote", "article"), [
    ("عملية أستانا began", "\u2067عملية أستانا\u2069 began"),
    ("(السيد بدر البوسعيدي), has", "(السيد بدر البوسعيدي\u200f), has"),
    ("\u200fالبوسعيدي\u061c", "البوسعيدي"),
])
def test_invisible_direction_marks_are_not_words_of_a_quote(quote: str, article: str) -> None:
    """Isolates an author typed (left as typed) or a mark copied from a word processor, in the
    article or in the quote, made the words on the page 'not found in brief.md'."""
    assert normalise(quote) in normalise(article)


def _stated(number: str, text: str) -> bool:
    """The number as a whole number of the text, not a part of a longer one (6 is not in 1961)."""
    return re.search(rf"(?<![0-9]){re.escape(number)}(?![0-9])", text) is not None


def test_every_number_on_the_fact_sheet_is_stated_in_the_seed(content, seed_text: str) -> None:
    """Figures written as digits are numbers the article gives, in digits or in words."""
    for figure in content.facts.figures:
        assert states(figure.source, figure.value), figure
        assert normalise(figure.source) in normalise(seed_text)
    for event in content.facts.timeline:
        for number in re.findall(r"\d+", event.when):
            assert _stated(number, seed_text), event.when


def test_stated_numbers_are_whole_numbers() -> None:
    assert not _stated("6", "في عام 1961")
    assert _stated("6", "6 تجارب") and _stated("1961", "في عام 1961.")
    assert states("رداً على إجراء كوريا الشمالية ست تجارب نووية", "6")
    assert not states("في عام 1961", "6")
    assert not states("أي نحو 90 % فقط", "99%")
    assert states("أي نحو 90 % فقط", "90%") and states("بلغت ٧٦٫٥٪ من", "76.5%")
    assert not states("بلغت 76.5% من", "6.5%") and not states("بلغت 76.5% من", "76")


def test_a_signed_number_does_not_state_its_unsigned_value() -> None:
    """A fall of -12% printed as a card reading 12% passed: the sign is part of the figure. A
    hyphen after a number is a range's (`2016-2017` states 2017)."""
    assert not states("بلغ -12% في بعض الأحواض", "12%") and not states("بلغ −3.5 نقطة", "3.5")
    assert states("بلغ -12% في بعض الأحواض", "-12%") and states("في الفترة 2016-2017", "2017")
    assert states("بين 30% و45% من الكلفة", "45%")


def test_a_range_states_its_value_whatever_dash_either_types() -> None:
    """`10–15%` typed with an en dash was refused against its source's `10-15%`, though a minus
    and a hyphen were already one sign."""
    assert states("ارتفعت بنسبة 10-15% خلال العام", "10–15%")
    assert states("ارتفعت بنسبة 10 – 15% خلال العام", "10-15%")
    assert states("بين ١٠–١٥٪ خلال العام", "10—15%")
    assert not states("ارتفعت بنسبة 10-15% خلال العام", "5%") and not states("من 110-15 نقطة", "10-15")


def test_a_minus_sign_states_a_hyphen_minus() -> None:
    """A figure typed with the minus sign U+2212 (`−6.1%`, as a spreadsheet copies it) was refused
    against an article that types the hyphen-minus (`-6.1%`), and the other way round: both are
    the number's sign, as an Arabic-Indic digit is the digit it stands for."""
    assert states("بنسبة -6.1% في السنة", "−6.1%") and states("بنسبة −6.1% في السنة", "-6.1%")
    assert not states("بنسبة −6.1% في السنة", "6.1%")


def test_figure_not_stated_by_its_source_is_an_error(scratch_project: Project, tmp_path) -> None:
    facts = scratch_project.content_dir / PUBLICATION / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace('value: "10"', 'value: "99%"'),
                     encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out")
    assert [str(problem) for problem in raised.value.problems] == [
        f"content/{PUBLICATION}/facts.yaml: line 6: figures[0].value: value '99%' is not stated in "
        "its source quote; quote the words that give this figure"]


@pytest.mark.parametrize(("when", "why"), [
    ("2024-02-31", "'2024-02-31' is not a date (day is out of range for month)"),
    ("2019-01-01 – 2019-13-01", "'2019-13-01' is not a date (month must be in 1..12)"),
    ("31/02/2024", "'31/02/2024' is not a date, read day/month or month/day"),
    ("قبل ٣٠/٠٢/٢٠٢٣", "'٣٠/٠٢/٢٠٢٣' is not a date, read day/month or month/day"),
    ("31 نيسان 2024", "'31 نيسان 2024' is not a date"),
    ("29 فبراير 2023", "'29 فبراير 2023' is not a date")])
def test_a_timeline_date_no_calendar_has_is_an_error(scratch_project: Project, tmp_path,
                                                     when: str, why: str) -> None:
    """A timeline writes each ISO date as a long date; one that is no day (`2024-02-31`) was
    printed as typed among the long dates, with exit 0, and so was a date written with slashes
    that is no day read either way round (`31/02/2024`) and a day past its month's end (`31
    نيسان 2024`)."""
    facts = scratch_project.content_dir / PUBLICATION / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace('when: "1961"', f'when: "{when}"'),
                     encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out")
    assert [str(problem) for problem in raised.value.problems] == [
        f"content/{PUBLICATION}/facts.yaml: line 19: timeline[0].when: {why}; write the day it "
        f"means{', year-month-day' if '-' in when else ''}"]


def test_annex_header_facts_match_the_seed(content) -> None:
    values = {fact.label: fact.value for fact in content.annex.treaty.facts}
    assert values["التوقيع"] == "19 يونيو 2024 في بيونغ يانغ"
    assert values["دخول حيز التنفيذ"] == "4 ديسمبر"
