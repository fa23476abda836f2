"""Audience tags fail closed: every block is filtered on its own tags, at any depth, in any container."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from briefpress.build import build, validate_project
from briefpress.check.textlayer import pdfium_text
from briefpress.errors import ContentError
from briefpress.layout.html import render_html
from briefpress.project import Project
from briefpress.source.audiences import load_profiles, select
from briefpress.source.publication import load_publication
from test_bad_inputs import blind_to

from conftest import ROOT, copy_templates, first_blind

PUBLICATION = "tag-depth"
TAG = "sanctions-detail"  # included by `general`, excluded by `press`

# Each canary is a word placed in one container at one depth, tagged so that only
# audiences including TAG may see it; each `keep` word sits beside it untagged.
BRIEF = f"""---
running_head: اختبار الوسوم
---

مقدمة عامة للاختبار keeplead.

{{audience={TAG}}}
فقرة مقيدة في المقدمة canarylead.

{{audience={TAG}}}
::: foreword
تقديم مقيد لجمهور واحد canaryforeword.
:::

## القسم الأول

::: note
ملاحظة عامة keepnote.

{{audience={TAG}}}
فقرة مقيدة داخل ملاحظة canarynotepara.
:::

{{audience={TAG}}}
::: note
ملاحظة مقيدة كلها canarywholenote.
:::

> فقرة عامة في الاقتباس keepquote.
>
> {{audience={TAG}}}
> فقرة مقيدة في الاقتباس canaryquotepara.

> - عنصر عام في قائمة داخل اقتباس keepquoteitem.
> - {{audience={TAG}}}
>   عنصر مقيد في قائمة داخل اقتباس canaryquoteitem.

{{audience={TAG}}}
> اقتباس مقيد كله canarywholequote.

- عنصر أب عام keepparent.
  - {{audience={TAG}}}
    عنصر ابن مقيد canarynestedchild.
  - عنصر ابن عام keepnestedchild.
- {{audience={TAG}}}
  عنصر أب مقيد canarytaggedparent.
  - عنصر ابن بلا وسم تحت أب مقيد canarychildofhidden.

1. بند مرقم عام keepordered.
2. {{audience={TAG}}}
   بند مرقم مقيد canaryordered.

> - مستوى أول keepdeep.
>   > {{audience={TAG}}}
>   > فقرة مقيدة في العمق canarydeep.
>   >
>   > فقرة عامة في العمق keepdeeppara.

{{audience={TAG}}}
### عنوان فرعي مقيد canarysubheading

{{audience={TAG}}}
| عمود canarytable | قيمة |
|---|---|
| صف | 1 |

{{audience={TAG}}}
- قائمة مقيدة كلها canarywholelist.

{{audience={TAG}}}
## قسم مقيد canarysection

فقرة داخل القسم المقيد canarysectionbody.

## القسم الأخير

فقرة عامة أخيرة keeplast، وللرجوع إلى [القسم الأول](#section-1).
"""

FACTS = {
    "title": "حقائق الاختبار",
    "figures": [{"value": "keepordered", "label": "عدد", "source": "بند مرقم عام keepordered"}],
    "timeline": [{"when": "2026", "event": "حدث", "source": "فقرة عامة أخيرة keeplast"}],
    "lists": [{"title": "قائمة", "source": "عنصر أب عام keepparent", "audience": [TAG],
               "items": ["عنصر ابن مقيد canarynestedchild."]}],
}
ANNEX = {
    "title": "ملحق الاختبار",
    "treaty": {"name": "اختبار", "facts": []},
    "schedules": [{"title": "جدول", "source": "مقدمة عامة للاختبار keeplead",
                   "clauses": [{"number": 1, "text": "عنصر عام في قائمة داخل اقتباس keepquoteitem."}]}],
}
PUBLICATION_YAML = {"id": PUBLICATION, "title": "اختبار الوسوم في كل عمق", "language": "ar",
                    "direction": "rtl", "date": "2026-11-29", "keywords": ["اختبار"]}

CANARIES = sorted(set(re.findall(r"canary[a-z]+", BRIEF)))


KEEPS = sorted(set(re.findall(r"keep[a-z]+", BRIEF)))


# An override for `press` that lays the sections out its own way: filtering happens on the
# model, so no template can bring a removed block back.
PRESS_OVERRIDE = """\
{% extends "common/brief/brief.html.j2" %}
{% block sections %}
<main class="sections press-sections">
  {% for section in brief.sections %}
  <section id="{{ section.anchor }}"><h2>{{ section.heading | localise }}</h2>
  {{ render_blocks(section.blocks) }}</section>
  {% endfor %}
</main>
{% endblock %}
"""


def write_publication(root: Path, brief: str = BRIEF, facts: dict = FACTS) -> Path:
    """A project at `root` holding only the tag-depth publication and the shipped templates,
    with an override folder for `press`."""
    (root / "content" / PUBLICATION).mkdir(parents=True)
    copy_templates(root)
    override = root / "templates" / "audiences" / "press" / "brief"
    override.mkdir(parents=True)
    (override / "brief.html.j2").write_text(PRESS_OVERRIDE, encoding="utf-8")
    (root / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    folder = root / "content" / PUBLICATION
    (folder / "brief.md").write_text(brief, encoding="utf-8")
    for name, data in (("publication.yaml", PUBLICATION_YAML), ("facts.yaml", facts),
                       ("annex.yaml", ANNEX)):
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (folder / name).write_text(text.replace("'2026-11-29'", "2026-11-29"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def tag_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tags") / "project"
    write_publication(root)
    out = root / "build"
    build(Project(root), out, audiences=["press", "general"], documents=["brief", "factsheet"])
    return out


def _everything(path: Path) -> str:
    """Text layer, bookmarks and metadata of a PDF."""
    reader = PdfReader(str(path))
    titles: list[str] = []
    stack: list = list(reader.outline)
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack += item
        else:
            titles.append(item.title)
    metadata = " ".join(str(value) for value in (reader.metadata or {}).values())
    return "\n".join([pdfium_text(path), *titles, metadata])


def test_the_brief_holds_a_canary_in_every_container() -> None:
    assert len(CANARIES) == 17 and len(KEEPS) == 10


@pytest.mark.parametrize("document", ["brief", "factsheet"])
def test_no_canary_reaches_an_audience_that_excludes_its_tag(tag_build: Path, document: str) -> None:
    text = _everything(tag_build / PUBLICATION / "press" / f"{document}.pdf")
    assert [word for word in CANARIES if word in text] == []


def test_untagged_neighbours_of_every_canary_stay(tag_build: Path) -> None:
    text = _everything(tag_build / PUBLICATION / "press" / "brief.pdf")
    assert [word for word in KEEPS if word not in text] == []


def test_every_canary_reaches_an_audience_that_includes_its_tag(tag_build: Path) -> None:
    text = _everything(tag_build / PUBLICATION / "general" / "brief.pdf")
    assert [word for word in CANARIES + KEEPS if word not in text] == []


def test_section_anchors_are_numbered_among_the_sections_an_audience_sees(tmp_path: Path) -> None:
    root = tmp_path / "project"
    write_publication(root)
    project = Project(root)
    content = load_publication(project, PUBLICATION)
    profiles = load_profiles(project)
    ids = {}
    for name in ("press", "general"):
        html = render_html(project, select(content, profiles[name]), "brief", profiles[name]).html
        ids[name] = re.findall(r'<section id="([^"]+)"', html)
        assert ("press-sections" in html) == (name == "press")  # the override is in use
    assert ids == {"press": ["section-1", "section-2"],
                   "general": ["section-1", "section-2", "section-3"]}


def _problems(tmp_path: Path, brief: str = BRIEF, facts: dict = FACTS) -> list[str]:
    root = tmp_path / "project"
    write_publication(root, brief, facts)
    with pytest.raises(ContentError) as caught:
        build(Project(root), root / "build")
    return [str(problem) for problem in caught.value.problems]


def test_a_fact_quoting_tagged_text_must_carry_the_tag(tmp_path: Path) -> None:
    facts = {**FACTS, "figures": [{"value": "canaryquotepara", "label": "عدد",
                                   "source": "فقرة مقيدة في الاقتباس canaryquotepara"}]}
    assert _problems(tmp_path, facts=facts) == [
        "content/tag-depth/facts.yaml: line 5: figures[0].source: quotes brief.md text that "
        f"{blind_to(TAG)} cannot see; give this item the audience tags of the text it quotes"]



def test_a_fact_citing_a_source_only_tagged_text_cites_must_carry_the_tag(tmp_path: Path) -> None:
    """A source the brief cites only in tagged text is as restricted as that text: an untagged
    fact citing it would print it in every edition's fact sheet sources list."""
    root = tmp_path / "project"
    brief = BRIEF.replace("canarysectionbody.", "canarysectionbody [@cable].")
    figure = {"value": "keepordered", "label": "عدد", "source": "بند مرقم عام keepordered",
              "cite": ["cable"]}
    folder = write_publication(root, brief, {**FACTS, "figures": [figure]})
    source = {"id": "cable", "title": "برقية canarysource"}
    publication = yaml.safe_dump({**PUBLICATION_YAML, "sources": [source]}, allow_unicode=True,
                                 sort_keys=False)
    (folder / "publication.yaml").write_text(publication.replace("'2026-11-29'", "2026-11-29"),
                                             encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build(Project(root), root / "build")
    assert [str(problem) for problem in caught.value.problems] == [
        "content/tag-depth/facts.yaml: line 7: figures[0].cite: source 'cable' is cited in brief.md "
        f"only by text that {blind_to(TAG, 'factsheet')} cannot see; give this item the audience "
        "tags of that text"]

def test_a_template_never_reaches_a_source_only_hidden_text_cites(tmp_path: Path) -> None:
    """`publication.sources` is in every template's context: a source the brief cites only in
    text an edition hides is as restricted as that text, and a template listing the sources
    printed it in that edition (a sources list leaves it out)."""
    root = tmp_path / "project"
    brief = BRIEF.replace("canarysectionbody.", "canarysectionbody [@cable].")
    folder = write_publication(root, brief)
    sources = [{"id": "cable", "title": "برقية canarysource"}, {"id": "spare", "title": "مرجع keepsource"}]
    publication = yaml.safe_dump({**PUBLICATION_YAML, "sources": sources}, allow_unicode=True,
                                 sort_keys=False)
    (folder / "publication.yaml").write_text(publication.replace("'2026-11-29'", "2026-11-29"),
                                             encoding="utf-8")
    override = root / "templates" / "audiences" / "press" / "brief" / "brief.html.j2"
    override.write_text(PRESS_OVERRIDE.replace(
        "{% endblock %}\n", "{% endblock %}\n{% block back_page %}{% for source in publication.sources %}"
        "<p>{{ source.title | localise }}</p>{% endfor %}{{ render_blocks }}{% endblock %}\n", 1),
        encoding="utf-8")
    project = Project(root)
    content = load_publication(project, PUBLICATION)
    profiles = load_profiles(project)
    html = {name: render_html(project, select(content, profiles[name]), "brief", profiles[name]).html
            for name in ("press", "general")}
    assert "canarysource" not in html["press"] and "keepsource" in html["press"]
    assert "canarysource" in html["general"]


def _with_running_head(folder: Path, written: str) -> None:
    (folder / "brief.md").write_text(BRIEF.replace("running_head: اختبار الوسوم", f"running_head: {written}"),
                                     encoding="utf-8")


def _build_problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        build(Project(root), root / "build")
    return [str(problem) for problem in caught.value.problems]


def _repeats(file: str, line: int, field: str, heading: str, blind: str | None = None) -> str:
    """The error for front matter at `file`'s `line` repeating `heading`, which `blind` (by
    default the audiences the profiles hide the tag from) cannot see."""
    return (f"content/tag-depth/{file}: line {line}: {field}: repeats the heading «{heading}», which "
            f"{blind or blind_to(TAG)} cannot see (its tags hide it), and front matter is printed in "
            "every edition; word it apart from the heading")


@pytest.mark.parametrize(("file", "field", "line"), [
    ("brief.md", "running_head", 2), ("publication.yaml", "subtitle", 3)])
def test_front_matter_repeating_a_tagged_heading_is_an_error(tmp_path: Path, file: str, field: str,
                                                             line: int) -> None:
    """Front matter has no tags: a restricted heading copied into it would be on every edition."""
    root = tmp_path / "project"
    folder = write_publication(root)
    heading = "عنوان فرعي مقيد canarysubheading"
    if file == "brief.md":
        _with_running_head(folder, heading)
    else:
        data = yaml.safe_dump({"id": PUBLICATION, "title": PUBLICATION_YAML["title"], field: heading,
                               **{k: v for k, v in PUBLICATION_YAML.items() if k not in ("id", "title")}},
                              allow_unicode=True, sort_keys=False)
        (folder / file).write_text(data.replace("'2026-11-29'", "2026-11-29"), encoding="utf-8")
    assert _build_problems(root) == [_repeats(file, line, field, heading)]


@pytest.mark.parametrize("written", ["عنوانٌ فرعي مقيّد canarysubheading", "عنـوان فرعي مقيد canarysubheading",
                                     "عنوان\u200c فرعي مقيد CanarySubheading"],
                         ids=["harakat", "tatweel", "joiner-and-case"])
def test_front_matter_repeating_a_tagged_heading_with_other_marks_is_an_error(tmp_path: Path,
                                                                             written: str) -> None:
    """A heading copied with a haraka, a tatweel, an invisible joiner or another case prints the
    same words: it is as much a leak as the heading typed alike."""
    root = tmp_path / "project"
    _with_running_head(write_publication(root), written)
    assert _build_problems(root) == [
        _repeats("brief.md", 2, "running_head", "عنوان فرعي مقيد canarysubheading")]


@pytest.mark.parametrize(("field", "line"), [("title", 1), ("treaty.name", 3)])
def test_an_annex_header_repeating_a_tagged_heading_is_an_error(tmp_path: Path, field: str,
                                                                line: int) -> None:
    """The annex's title and its instrument's name have no tags and head the annex of every
    edition that prints it: a restricted heading copied there is printed where it may not be.
    An edition that prints no annex (press) is not named."""
    root = tmp_path / "project"
    folder = write_publication(root)
    (root / "templates" / "audiences" / "public.yaml").write_text(
        f"name: public\ndescription: إصدار عام\ndocuments: [brief, annex]\nexclude: [{TAG}]\n",
        encoding="utf-8")
    heading = "عنوان فرعي مقيد canarysubheading"
    header = {"title": heading} if field == "title" else {"treaty": {"name": heading, "facts": []}}
    (folder / "annex.yaml").write_text(yaml.safe_dump({**ANNEX, **header}, allow_unicode=True,
                                                      sort_keys=False), encoding="utf-8")
    assert _build_problems(root) == [_repeats("annex.yaml", line, field, heading, "audience 'public'")]


TAGGED_SCHEDULE = {"title": "جدول مقيد canaryschedule", "source": "فقرة داخل القسم المقيد",
                   "audience": [TAG],
                   "clauses": [{"number": 1, "text": "فقرة داخل القسم المقيد canarysectionbody."}]}
TAGGED_ARTICLE = {"title": "ملحق الاختبار", "treaty": {"name": "اختبار"}, "articles": [
    {"number": 1, "title": "مادة عامة", "text": "نص عام."},
    {"number": 2, "title": "مادة مقيدة canaryarticle", "audience": [TAG], "text": "نص مقيد."}]}


@pytest.mark.parametrize(("annex", "heading"), [
    ({**ANNEX, "schedules": [*ANNEX["schedules"], TAGGED_SCHEDULE]}, "جدول مقيد canaryschedule"),
    (TAGGED_ARTICLE, "مادة مقيدة canaryarticle")], ids=["schedule", "article"])
def test_front_matter_repeating_a_tagged_annex_heading_is_an_error(tmp_path: Path, annex: dict,
                                                                   heading: str) -> None:
    """An annex's schedule or article heading an edition cannot see is as restricted as a brief's
    heading: the running head would print it on every page of that edition's brief."""
    root = tmp_path / "project"
    folder = write_publication(root)
    (folder / "annex.yaml").write_text(yaml.safe_dump(annex, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    _with_running_head(folder, heading)
    assert _build_problems(root) == [_repeats("brief.md", 2, "running_head", heading)]


PARALLEL_HEADER = {"language": "en", "title": "Test annex", "name": "Test"}
PARALLEL_ARTICLE: dict[str, object] = {
    "title": "ملحق الاختبار", "treaty": {"name": "اختبار"}, "parallel": PARALLEL_HEADER, "articles": [
    {"number": 1, "title": "مادة عامة", "text": "نص عام.",
     "parallel": {"title": "Public article", "text": "Public text."}},
    {"number": 2, "title": "مادة مقيدة", "audience": [TAG], "text": "نص مقيد.",
     "parallel": {"title": "Restricted canaryenglish", "text": "Restricted text."}}]}


@pytest.mark.parametrize(("field", "line"), [("parallel.title", 6), ("parallel.name", 7)])
def test_a_parallel_annex_header_repeating_a_tagged_parallel_heading_is_an_error(
        tmp_path: Path, field: str, line: int) -> None:
    """The annex's title and the instrument's name in the parallel text's language head the annex
    as the Arabic ones do: an English article title an edition cannot see, copied there, was
    printed in that edition's annex, where the Arabic one was refused."""
    root = tmp_path / "project"
    folder = write_publication(root)
    (root / "templates" / "audiences" / "public.yaml").write_text(
        f"name: public\ndescription: إصدار عام\ndocuments: [brief, annex]\nexclude: [{TAG}]\n",
        encoding="utf-8")
    key = field.split(".")[1]
    annex = {**PARALLEL_ARTICLE, "parallel": {**PARALLEL_HEADER, key: "Annex: Restricted canaryenglish"}}
    (folder / "annex.yaml").write_text(yaml.safe_dump(annex, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    assert _build_problems(root) == [_repeats("annex.yaml", line, field, "Restricted canaryenglish",
                                              "audience 'public'")]


def test_a_fact_sheet_title_repeating_a_tagged_list_title_is_an_error(tmp_path: Path) -> None:
    """A fact sheet's list title is a heading and a bookmark of the sheet, hidden with its list:
    the sheet's title, printed in every edition that prints the sheet, printed it there."""
    heading = "قائمة مقيدة canarylisttitle"
    facts = {**FACTS, "title": f"حقائق: {heading}",
             "lists": [{"title": heading, "source": "عنصر أب عام keepparent", "audience": [TAG],
                        "items": ["عنصر ابن مقيد canarynestedchild."]}]}
    assert _problems(tmp_path, BRIEF, facts) == [_repeats("facts.yaml", 1, "title", heading)]


def test_front_matter_may_repeat_a_heading_every_edition_sees(tmp_path: Path) -> None:
    root = tmp_path / "project"
    folder = write_publication(root)
    _with_running_head(folder, "القسم الأخير")
    validate_project(Project(root), [PUBLICATION])  # raises on a problem


TWO_PARAGRAPHS = BRIEF + "\nفقرة أولى تنتهي\nعند هذا الحد.\n\nفقرة ثانية تبدأ هنا.\n"


@pytest.mark.parametrize("quote", ["عند هذا الحد. فقرة ثانية تبدأ", "القسم الأخير فقرة عامة أخيرة keeplast",
                                   "بند مرقم عام keepordered. بند مرقم مقيد"])
def test_a_quote_runs_within_one_paragraph_heading_or_item(tmp_path: Path, quote: str) -> None:
    """A quote stitched from the end of one block and the start of the next is no quote of the
    article: each paragraph, heading, list item and cell is read on its own."""
    facts = {**FACTS, "timeline": [{"when": "2026", "event": "حدث", "source": quote}]}
    assert _problems(tmp_path, TWO_PARAGRAPHS, facts) == [
        "content/tag-depth/facts.yaml: line 9: timeline[0].source: quote not found in brief.md; "
        "copy the article's words exactly"]


def test_a_quote_may_run_across_the_lines_of_one_paragraph(tmp_path: Path) -> None:
    facts = {**FACTS, "timeline": [{"when": "2026", "event": "حدث", "source": "فقرة أولى تنتهي عند هذا"}]}
    write_publication(tmp_path / "project", TWO_PARAGRAPHS, facts)
    assert load_publication(Project(tmp_path / "project"), PUBLICATION).facts.timeline[0].event == "حدث"


def test_a_link_to_a_section_an_audience_loses_is_an_error(tmp_path: Path) -> None:
    brief = BRIEF.replace("(#section-1)", "(#section-2)")
    assert _problems(tmp_path, brief) == [
        "content/tag-depth/brief.md: line 77: link '#section-2' points to a section the audience "
        f"'{first_blind(TAG)}' does not see; tag the link's block as that section is tagged"]


def test_a_link_to_no_section_is_an_error(tmp_path: Path) -> None:
    brief = BRIEF.replace("(#section-1)", "(#section-9)")
    assert _problems(tmp_path, brief) == [
        "content/tag-depth/brief.md: line 77: link '#section-9' names no section; sections are "
        "#section-1, #section-2, #section-3"]


def test_a_link_follows_its_section_when_sections_are_renumbered(tmp_path: Path) -> None:
    root = tmp_path / "project"
    write_publication(root, BRIEF.replace("(#section-1)", "(#section-3)"))
    project = Project(root)
    content = load_publication(project, PUBLICATION)
    hrefs = {}
    for name, profile in load_profiles(project).items():
        html = render_html(project, select(content, profile), "brief", profile).html
        hrefs[name] = re.findall(r'<p>[^<]*keeplast[^<]*<a href="([^"]+)"', html)
    # Source section 3 is the second section `press` sees and the third `general` sees.
    assert hrefs["press"] == ["#section-2"]
    assert hrefs["general"] == ["#section-3"]


def _with_profiles(root: Path, brief: str, profiles: dict[str, str]) -> Project:
    """The tag-depth project with `brief` and more profiles (name -> YAML)."""
    write_publication(root, brief)
    for name, text in profiles.items():
        (root / "templates" / "audiences" / f"{name}.yaml").write_text(
            f"name: {name}\ndescription: اختبار\ndocuments: [brief]\n{text}", encoding="utf-8")
    return Project(root)


def test_a_note_in_a_tagged_section_shows_only_where_the_section_and_the_note_both_do(
        tmp_path: Path) -> None:
    """A note defined in a tagged section carries both tag groups: an edition that sees the note's
    own tag and not the section's does not see the note (the two were once one group, so either
    tag let it through)."""
    brief = BRIEF.replace("فقرة داخل القسم المقيد canarysectionbody.",
                          "فقرة داخل القسم المقيد canarysectionbody.\n\n{audience=staff-notes}\n"
                          "[^inner]: ملاحظة canaryinnernote.").replace("keepnote.", "keepnote[^inner].")
    project = _with_profiles(tmp_path / "project", brief, {
        "staff": "include: [staff-notes]\n", "staff-all": f"include: [staff-notes, {TAG}]\n"})
    content, profiles = load_publication(project, PUBLICATION), load_profiles(project)
    shown = {name: [note.label for note in select(content, profiles[name]).brief.notes]
             for name in ("staff", "staff-all", "general", "press")}
    assert shown == {"staff": [], "staff-all": ["inner"], "general": [], "press": []}
    html = render_html(project, select(content, profiles["staff"]), "brief", profiles["staff"]).html
    assert "canaryinnernote" not in html and "keepnote" in html


def test_a_tagged_note_hidden_by_its_section_alone_is_an_error(tmp_path: Path) -> None:
    """A note tagged for staff, written in a section staff does not see and called from text
    staff does see: staff's edition printed that text without the note or its call, exit 0."""
    brief = BRIEF.replace("فقرة داخل القسم المقيد canarysectionbody.",
                          "فقرة داخل القسم المقيد canarysectionbody.\n\n{audience=staff-notes}\n"
                          "[^inner]: ملاحظة canaryinnernote.").replace("keepnote.", "keepnote[^inner].")
    project = _with_profiles(tmp_path / "project", brief, {
        "staff": "include: [staff-notes]\n", "staff-all": f"include: [staff-notes, {TAG}]\n"})
    with pytest.raises(ContentError) as raised:
        build(project, tmp_path / "out", documents=["brief"])
    lines = brief.splitlines()
    note = next(number for number, text in enumerate(lines, 1) if text.startswith("[^inner]:"))
    section = next(number for number, text in enumerate(lines, 1) if text.startswith("## قسم مقيد"))
    assert [str(problem) for problem in raised.value.problems] == [
        f"content/{PUBLICATION}/brief.md: line {note}: audience: note [^inner] is written inside the "
        f"tagged section «قسم مقيد canarysection» (line {section}), so it takes that section's "
        "tags, but text outside the section that audience 'staff' sees calls it: their editions "
        "would print that text without the note or its call; move the note out of the tagged "
        "section, whose tags the note's own do not undo"]


def test_an_untagged_note_written_in_a_tagged_section_and_called_from_outside_it_is_an_error(
        tmp_path: Path) -> None:
    """Notes are often written at the end of the file, which is inside the last section: an
    untagged note there takes that section's tags, and where the section is tagged, the editions
    it hides dropped the note and its call from the text outside it that they print, exit 0."""
    brief = BRIEF.replace("فقرة داخل القسم المقيد canarysectionbody.",
                          "فقرة داخل القسم المقيد canarysectionbody.\n\n"
                          "[^lost]: ملاحظة عامة canarylostnote.").replace("keepnote.", "keepnote[^lost].")
    lines = brief.splitlines()
    note = next(number for number, text in enumerate(lines, 1) if text.startswith("[^lost]:"))
    section = next(number for number, text in enumerate(lines, 1) if text.startswith("## قسم مقيد"))
    blind = blind_to(TAG, "brief")
    assert _problems(tmp_path, brief) == [
        f"content/tag-depth/brief.md: line {note}: audience: note [^lost] is written inside the "
        f"tagged section «قسم مقيد canarysection» (line {section}), so it takes that section's tags, "
        f"but text outside the section that {blind} {'see' if ',' in blind else 'sees'} calls it: "
        "their editions would print that text without the note or its call; move the note out of "
        "the tagged section, or tag it if those editions are meant to lose it"]


def test_note_ids_name_the_sections_an_edition_sees(tmp_path: Path) -> None:
    """With notes numbered per section, a note's id is made of its section's anchor in the
    edition, so no id shows that a section was removed before it."""
    brief = BRIEF.replace("فقرة عامة أخيرة keeplast،", "فقرة عامة أخيرة keeplast[^last]،") + (
        "\n[^last]: ملاحظة في القسم الأخير.\n")
    project = _with_profiles(tmp_path / "project", brief, {
        "restart": "notes_restart: section\n", "restart-all": f"notes_restart: section\ninclude: [{TAG}]\n"})
    content, profiles = load_publication(project, PUBLICATION), load_profiles(project)
    ids = {}
    for name in ("restart", "restart-all"):
        html = render_html(project, select(content, profiles[name]), "brief", profiles[name]).html
        sections = re.findall(r'<section id="(section-[0-9]+)"', html)
        ids[name] = (sections[-1], sorted(set(re.findall(r'id="(note-section-[0-9]+)-[0-9]+"', html))))
    assert ids == {"restart": ("section-2", ["note-section-2"]),
                   "restart-all": ("section-3", ["note-section-3"])}
