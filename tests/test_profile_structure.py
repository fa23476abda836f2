"""Profiles shape an edition: publications, section order, per-document paper, boxes, declared tags."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any, cast

import pypdfium2
import pytest
from PIL import ImageChops
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from briefpress.build import build, load_all, validate_project
from briefpress.check.textlayer import pdfium_text
from briefpress.cli import main
from briefpress.errors import ContentError
from briefpress.layout.html import render_html
from briefpress.project import Project
from briefpress.source.audiences import Profile, TagDeclarations, select
from briefpress.source.publication import load_publication
from briefpress.source.yamlsource import parse_yaml, validate

from badinputs import png_bytes
from conftest import PUBLICATION

PAPER = {"A4": (595.28, 841.89), "A5": (419.53, 595.28)}


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _html(project: Project, audience: str, document: str = "brief") -> str:
    contents, profiles = load_all(project, [PUBLICATION])
    view = select(contents[PUBLICATION], profiles[audience])
    return render_html(project, view, document, profiles[audience]).html


def _problems(project: Project) -> list[str]:
    with pytest.raises(ContentError) as raised:
        load_all(project, [PUBLICATION])
    return [str(problem) for problem in raised.value.problems]


def _headings(html: str) -> list[tuple[str, str]]:
    """(id, heading) of each section, the heading without the word joiner that holds its last
    two words together (text.breaks.keep_last_words)."""
    return [(key, heading.replace("\u2060", ""))
            for key, heading in re.findall(r'<section id="([^"]+)">\s*<h2>([^<]+)</h2>', html)]


def test_a_profile_orders_and_selects_sections_by_id(scratch_project: Project) -> None:
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    _replace(brief, "## الإجراءات المشتركة", "## الإجراءات المشتركة {#joint-measures}")
    _append(scratch_project.templates_dir / "audiences" / "press.yaml",
            f"sections:\n  {PUBLICATION}: [section-3, joint-measures]\n")
    headings = _headings(_html(scratch_project, "press"))
    assert headings == [("section-1", "المعاهدة الاستراتيجية الشاملة"),
                        ("joint-measures", "الإجراءات المشتركة")]
    assert len(_headings(_html(scratch_project, "general"))) == 6


def test_an_unknown_section_id_in_a_profile_is_an_error(scratch_project: Project) -> None:
    _append(scratch_project.templates_dir / "audiences" / "press.yaml",
            f"sections:\n  {PUBLICATION}: [section-2, forward]\n")
    assert _problems(scratch_project) == [
        f"templates/audiences/press.yaml: line 13: sections.{PUBLICATION}: unknown section 'forward' in "
        f"'{PUBLICATION}'; its sections are: section-1, section-2, section-3, section-4, "
        "section-5, section-6"]


def test_an_empty_section_list_is_an_error(scratch_project: Project) -> None:
    """`sections: {pub: []}` would print a brief with no section."""
    _append(scratch_project.templates_dir / "audiences" / "press.yaml", f"sections:\n  {PUBLICATION}: []\n")
    assert _problems(scratch_project) == [
        f"templates/audiences/press.yaml: line 13: sections.{PUBLICATION}: is empty; give a list of "
        "that publication's section ids, in the order to print them, e.g. [section-3, joint-measures], "
        "or leave the publication out to print all its sections"]


@pytest.mark.parametrize(("listed", "message"), [
    # choosing only sections the profile's tags hide would print a brief with no section
    ("[section-2]", "the audience sees none of these sections (their tags hide them), so its brief "
     "would have no section; it sees: section-1, section-3, section-4, section-5, section-6"),
    # a hidden section among visible ones would be left out without a word
    ("[section-1, section-2]", "section 'section-2' is listed, but the audience's tags hide it (it "
     "is tagged 'sanctions-detail'), so its brief would leave it out; take it off the list, or "
     "change the profile's include or exclude"),
])
def test_listed_sections_the_audience_cannot_see_are_an_error(scratch_project: Project, listed: str,
                                                              message: str) -> None:
    _replace(scratch_project.content_dir / PUBLICATION / "brief.md", "## الإجراءات المشتركة",
             "{audience=sanctions-detail}\n## الإجراءات المشتركة")
    _append(scratch_project.templates_dir / "audiences" / "press.yaml",
            f"sections:\n  {PUBLICATION}: {listed}\n")
    # (The facts quoting that section are reported too; only the profile's problem matters here.)
    assert [problem for problem in _problems(scratch_project) if problem.startswith("templates/")] == [
        f"templates/audiences/press.yaml: line 13: sections.{PUBLICATION}: {message}"]


@pytest.mark.parametrize(("model", "text", "message"), [
    (Profile, "sections: [section-1]", "line 1: sections: must be a mapping: each key a publication "
     "id, each value a list of that publication's section ids, in the order to print them, e.g. "
     "{russia-dprk-partnership: [section-3, joint-measures]}"),
    (Profile, "sections: {my-brief: section-1}", "line 1: sections.my-brief: must be a list of that "
     "publication's section ids, in the order to print them, e.g. [section-3, joint-measures]"),
    (Profile, "sections: {My Brief: [section-1]}", "line 1: sections.My Brief: key 'My Brief' must be "
     "lower-case letters, digits and hyphens, starting with a letter or digit; each key is a "
     "publication id"),
    (Profile, "sections: {my-brief: [Section-1]}", "line 1: sections.my-brief[0]: 'Section-1' must be "
     "lower-case letters, digits and hyphens, starting with a letter or digit"),
    (Profile, "theme: [colour-accent]", "line 1: theme: must be a mapping: each key a custom property "
     "that base.css declares, without '--', each value a colour, length or font name, e.g. "
     '{colour-accent: "#1f3f77"}'),
    (Profile, "labels: ورقة", "line 1: labels: must be a mapping: each key a chrome label (brief, "
     "page, of, contents, ...), each value its wording, e.g. {brief: ورقة تحليلية}"),
    (Profile, "include: [Sanctions]", "line 1: include[0]: 'Sanctions' must be lower-case letters, "
     "digits and hyphens, starting with a letter or digit"),
    (Profile, "documents: []", "line 1: documents: is empty; it must hold at least one item"),
    (TagDeclarations, "tags: [not-parliament]", "line 1: tags: must be a mapping: each key a tag, "
     "each value what the tag marks, e.g. {not-parliament: مواد لا تظهر في إصدار البرلمان}"),
])
def test_profile_messages_show_the_expected_form(model: type, text: str, message: str) -> None:
    base = {"name": "x", "description": "d", "documents": ["brief"]} if model is Profile else {}
    data, lines, problems = parse_yaml(text, "p.yaml")
    assert problems == []
    _, problems = validate(model, {**base, **data}, lines, "p.yaml")
    assert [str(problem) for problem in problems] == [f"p.yaml: {message}"]


RESERVED = ("must be lower-case letters, digits and hyphens, starting with a letter, and not "
            "section-N, note-... or end-note-... (kept for sections without an id and for notes)")


@pytest.mark.parametrize(("heading", "message"), [
    ("## الإجراءات المشتركة {#Joint}", f"section id 'Joint' {RESERVED}"),
    ("## الإجراءات المشتركة {#section-1}", f"section id 'section-1' {RESERVED}"),
    ("## الإجراءات المشتركة {#note-1}", f"section id 'note-1' {RESERVED}"),  # a footnote's id
    ("## الإجراءات المشتركة {#end-note-section-2-1}", f"section id 'end-note-section-2-1' {RESERVED}"),
])
def test_a_malformed_section_id_is_an_error(scratch_project: Project, heading: str, message: str) -> None:
    _replace(scratch_project.content_dir / PUBLICATION / "brief.md", "## الإجراءات المشتركة", heading)
    assert _problems(scratch_project) == [
        f"content/{PUBLICATION}/brief.md: line 13: id: {message}"]


def test_a_profile_limited_to_some_publications_skips_the_others(scratch_project: Project,
                                                                  tmp_path: Path) -> None:
    _append(scratch_project.templates_dir / "audiences" / "press.yaml", "publications: [other]\n")
    (scratch_project.content_dir / "other").mkdir()
    assert _problems(scratch_project) == [
        "templates/audiences/press.yaml: line 12: publications: unknown publication 'other'; known: "
        f"{PUBLICATION}"]


def test_paper_is_chosen_per_document(scratch_project: Project, tmp_path: Path) -> None:
    path = scratch_project.templates_dir / "audiences" / "press.yaml"
    _append(path, "paper: {brief: A4, factsheet: A5}\npublications: [" + PUBLICATION + "]\n")
    out = tmp_path / "out"
    build(scratch_project, out, audiences=["press"])
    for document, paper in (("brief", "A4"), ("factsheet", "A5")):
        reader = PdfReader(str(out / PUBLICATION / "press" / f"{document}.pdf"))
        sizes = {(round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2))
                 for page in reader.pages}
        assert sizes == {PAPER[paper]}


def test_a_foreword_is_its_own_box_outside_the_lead(scratch_project: Project) -> None:
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    _replace(brief, "---\n\n",
             "---\n\n{audience=sanctions-detail}\n::: foreword\nتقديم خاص zqforeword.\n:::\n\n")
    _replace(brief, "## الإجراءات المشتركة\n",
             "## الإجراءات المشتركة\n\n::: note\nملاحظة عامة zqnote.\n:::\n")
    general = _html(scratch_project, "general")
    lead = general[general.index('<div class="lead">'):general.index("</header>")]
    assert "zqforeword" not in lead
    # Latin words reach the HTML wrapped in LRI ... PDI.
    assert re.search(r'<div class="foreword">\s*<p>تقديم خاص \u2060?\u2066zqforeword\u2069.</p>\s*</div>',
                     general)
    assert re.search(r'<div class="note">\s*<p>ملاحظة عامة \u2060?\u2066zqnote\u2069.</p>\s*</div>', general)
    press = _html(scratch_project, "press")
    assert "zqforeword" not in press and "zqnote" in press


def test_an_unknown_box_is_an_error(scratch_project: Project) -> None:
    _append(scratch_project.content_dir / PUBLICATION / "brief.md", "\n::: sidebar\nنص.\n:::\n")
    assert _problems(scratch_project) == [
        f"content/{PUBLICATION}/brief.md: line 67: '::: sidebar' is not a box; write '::: foreword' "
        "or '::: note' on its own line and close it with ':::'",
        f"content/{PUBLICATION}/brief.md: line 69: ':::' is not a box; write '::: foreword' "
        "or '::: note' on its own line and close it with ':::'"]


def test_a_tag_no_profile_includes_is_an_error_unless_declared(scratch_project: Project) -> None:
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    _replace(brief, "## الإجراءات المشتركة",
             "{audience=not-parliament}\nفقرة zqhidden.\n\n## الإجراءات المشتركة")
    _replace(scratch_project.templates_dir / "audiences" / "press.yaml", "exclude: [sanctions-detail]",
             "exclude: [sanctions-detail, not-parliament]")
    assert _problems(scratch_project) == [
        f"content/{PUBLICATION}/brief.md: line 14: audience: audience tag 'not-parliament' is included "
        "by no profile, so it removes this block from every edition; include it in a profile, or "
        "declare it in content/tags.yaml if that is meant"]
    (scratch_project.content_dir / "tags.yaml").write_text(
        "tags:\n  not-parliament: مواد لا تظهر في أي إصدار بعد\n", encoding="utf-8")
    assert "zqhidden" not in _html(scratch_project, "general")


def test_cover_image_is_drawn_with_its_alt_text(scratch_project: Project, tmp_path: Path) -> None:
    folder = scratch_project.templates_dir / "audiences"
    (folder / "cover.png").write_bytes(png_bytes(64))
    _append(folder / "press.yaml", "cover_image: cover.png\ncover_image_alt: صورة الغلاف\n")
    assert '<img class="cover-image" src="audiences/cover.png" alt="صورة الغلاف">' in _html(
        scratch_project, "press")
    out = tmp_path / "out"
    build(scratch_project, out, audiences=["press"], documents=["brief"])
    page = PdfReader(str(out / PUBLICATION / "press" / "brief.pdf")).pages[0]
    resources = cast(DictionaryObject, page["/Resources"])
    images = [name for name, obj in cast(DictionaryObject, resources["/XObject"]).items()
              if obj.get_object()["/Subtype"] == "/Image"]
    assert len(images) == 1


def test_a_cover_image_needs_alt_text(scratch_project: Project) -> None:
    folder = scratch_project.templates_dir / "audiences"
    (folder / "cover.png").write_bytes(png_bytes(64))
    _append(folder / "press.yaml", "cover_image: cover.png\n")
    written = (folder / "press.yaml").read_text(encoding="utf-8").splitlines()
    line = written.index("cover_image: cover.png") + 1
    assert _problems(scratch_project) == [
        f"templates/audiences/press.yaml: line {line}: cover_image_alt: a cover image needs "
        "cover_image_alt, the text a screen reader says for it"]


def _listed_for(project: Project, publication: str) -> dict[str, list[str]]:
    """What `briefpress list` says under each audience about one publication, verb and tag."""
    stdout = io.StringIO()
    assert main(["--project", str(project.root), "list"], stdout, io.StringIO()) == 0
    said: dict[str, list[str]] = {}
    audience = ""
    for line in stdout.getvalue().splitlines():
        if line.startswith("audience "):
            audience = line.removeprefix("audience ").split(":")[0]
            said[audience] = []
        elif line.startswith("  ") and audience and line.endswith(f" in {publication}"):
            said[audience].append(line.split(":")[0].strip())
    return said


def test_list_shows_the_tags_each_audience_gets_and_loses(project: Project) -> None:
    said = _listed_for(project, PUBLICATION)
    assert said["press"] == ["loses sanctions-detail"]
    assert said["general"] == ["gets sanctions-detail"]


def test_a_profile_saved_as_yml_is_an_error_not_a_missing_edition(scratch_project: Project) -> None:
    """Only `*.yaml` files are profiles: an `insiders.yml` would have made no edition, silently."""
    (scratch_project.templates_dir / "audiences" / "insiders.yml").write_text(
        "name: insiders\ndescription: إصدار داخلي\ndocuments: [brief]\ninclude: [sanctions-detail]\n",
        encoding="utf-8")
    assert _problems(scratch_project) == [
        "templates/audiences/insiders.yml: a profile is a .yaml file, and this one is not read; "
        "rename it insiders.yaml"]


def test_an_editors_lock_files_under_templates_are_not_read(scratch_project: Project) -> None:
    """Emacs keeps `.#press.yaml`, a link to nowhere, beside a file with unsaved changes; a
    hidden file is no profile, template or stylesheet, so the project still validates."""
    templates = scratch_project.templates_dir
    for lock in ("audiences/.#press.yaml", "brief/.#brief.html.j2", "brief/.#brief.css"):
        (templates / lock).symlink_to("editor@host.4242:1733472000")
    (templates / "audiences" / ".general.yaml").write_text("name: general\n", encoding="utf-8")
    _, profiles, _ = validate_project(scratch_project, [PUBLICATION])
    assert {"press", "general"} <= set(profiles) and not any(name.startswith(".") for name in profiles)


def test_list_counts_an_item_of_two_tags_where_it_reaches(scratch_project: Project) -> None:
    """An item tagged `sanctions-detail insiders` reaches every audience that includes either tag:
    `list` says such an audience gets it under both tags, never that it loses it."""
    _replace(scratch_project.content_dir / PUBLICATION / "facts.yaml",
             "audience: [sanctions-detail]", "audience: [sanctions-detail, insiders]")
    (scratch_project.templates_dir / "audiences" / "insiders.yaml").write_text(  # the fact and the clause
        "name: insiders\ndescription: إصدار داخلي\ndocuments: [brief, factsheet, annex]\n"
        "include: [insiders]\n", encoding="utf-8")
    said = _listed_for(scratch_project, PUBLICATION)
    assert said["general"] == ["gets insiders", "gets sanctions-detail"]
    assert said["press"] == ["loses insiders", "loses sanctions-detail"]
    assert said["insiders"] == ["gets insiders", "loses sanctions-detail", "gets sanctions-detail"]


def test_list_finds_a_publication_among_others(scratch_project: Project) -> None:
    """Another tagged publication, listed before the shipped one, does not hide its lines."""
    other = scratch_project.content_dir / "aaa-other"
    shutil.copytree(scratch_project.content_dir / PUBLICATION, other)
    _replace(other / "publication.yaml", f"id: {PUBLICATION}", "id: aaa-other")
    for publication in ("aaa-other", PUBLICATION):
        said = _listed_for(scratch_project, publication)
        assert said["press"] == ["loses sanctions-detail"]
        assert said["general"] == ["gets sanctions-detail"]


def _page_images(path: Path) -> list:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return [page.render(scale=100 / 72).to_pil().convert("L") for page in document]
    finally:
        document.close()


def test_a_watermark_is_drawn_on_every_page_and_kept_out_of_the_text_layer(
        scratch_project: Project, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    build(scratch_project, plain, audiences=["press"], documents=["brief"])
    _append(scratch_project.templates_dir / "audiences" / "press.yaml", "watermark: مسودة\n")
    marked = tmp_path / "marked"
    build(scratch_project, marked, audiences=["press"], documents=["brief"])
    before = _page_images(plain / PUBLICATION / "press" / "brief.pdf")
    after = _page_images(marked / PUBLICATION / "press" / "brief.pdf")
    assert len(before) == len(after) > 1
    for old, new in zip(before, after, strict=True):
        changed = ImageChops.difference(old, new).point(lambda value: 255 if value > 8 else 0)
        box = changed.getbbox()
        assert box is not None, "a page without the watermark"
        width, _ = new.size
        # The mark spans the middle of the page (boxes with a background may cover part of it).
        assert box[0] < width / 2 < box[2] and box[2] - box[0] > width / 4
    assert "مسودة" not in pdfium_text(marked / PUBLICATION / "press" / "brief.pdf")


def _outline_titles(path: Path) -> list[str]:
    """Every bookmark title in reading order, nested ones after their parent."""
    def walk(items: list[Any]) -> list[str]:
        found: list[str] = []
        for item in items:
            found += walk(item) if isinstance(item, list) else [str(item.title)]
        return found
    return walk(list(PdfReader(str(path)).outline))


def test_section_order_and_selection_show_in_the_text_layer_and_bookmarks(
        scratch_project: Project, tmp_path: Path) -> None:
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    _replace(brief, "## الإجراءات المشتركة", "## الإجراءات المشتركة {#joint-measures}")
    _append(scratch_project.templates_dir / "audiences" / "press.yaml",
            f"sections:\n  {PUBLICATION}: [section-6, joint-measures, section-3]\n")
    out = tmp_path / "out"
    build(scratch_project, out, audiences=["press"], documents=["brief"])
    path = out / PUBLICATION / "press" / "brief.pdf"
    chosen = ["الموقف الروسي", "الإجراءات المشتركة", "المعاهدة الاستراتيجية الشاملة"]
    left_out = ["الوضع الدولي والتحديات", "العقوبات الدولية والتحديات", "التطورات السياسية والعسكرية"]
    titles = _outline_titles(path)
    assert [title for title in titles if title in chosen + left_out] == chosen
    text = pdfium_text(path)
    # Each chosen heading appears in the contents list and above its section, in the chosen order.
    body = text[text.index(chosen[-1]) + len(chosen[-1]):]
    assert [heading for heading in chosen if heading in body] == chosen
    assert sorted(body.index(heading) for heading in chosen) == [body.index(h) for h in chosen]
    assert [heading for heading in left_out if heading in text] == []


def test_a_heading_inside_a_quote_or_a_list_item_is_no_bookmark(scratch_project: Project,
                                                                tmp_path: Path) -> None:
    """`> ## ...` is part of the quote, not a section: it was a level-2 bookmark between the
    sections, and set the running head's section title as a section heading does."""
    _append(scratch_project.content_dir / PUBLICATION / "brief.md",
            "\n> ## عنوان في تقرير سابق\n>\n> نص مقتبس من التقرير.\n\n"
            "- بند أول\n- ### عنوان داخل بند\n\n  نص البند.\n")
    out = tmp_path / "out"
    build(scratch_project, out, audiences=["general"], documents=["brief"])
    path = out / PUBLICATION / "general" / "brief.pdf"
    assert "عنوان في تقرير سابق" in pdfium_text(path)
    titles = _outline_titles(path)
    assert [title for title in titles if "عنوان" in title] == []
    sections = [section.heading for section in load_publication(scratch_project, PUBLICATION).brief.sections]
    assert [title for title in titles if title in sections] == sections


def test_a_block_tagged_only_for_editions_without_its_document_is_an_error(scratch_project: Project,
                                                                           tmp_path: Path) -> None:
    """A figure tagged for the parliament edition alone, which prints the brief and no fact
    sheet, or a clause tagged for it, which prints no annex, appeared in no edition at all, and
    the build said nothing. The same tag on a brief paragraph is parliament's; declared, the tag
    may hold blocks back from every edition, as any declared tag does."""
    _replace(scratch_project.templates_dir / "audiences" / "parliament.yaml",
             "include: [sanctions-detail]", "include: [sanctions-detail, committee]")
    facts = scratch_project.content_dir / PUBLICATION / "facts.yaml"
    _replace(facts, '  - value: "6"\n', '  - value: "6"\n    audience: [committee]\n')
    annex = scratch_project.content_dir / PUBLICATION / "annex.yaml"
    _replace(annex, "والطاقة.\n", "والطاقة.\n      - number: 7\n"
                    "        text: الدفاع المتبادل في حالة الهجوم العسكري.\n        audience: [committee]\n")
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    _replace(brief, "\n## ", "\n{audience=committee}\nفقرة للجنة البرلمانية وحدها.\n\n## ")
    figure = facts.read_text(encoding="utf-8").splitlines().index('    audience: [committee]') + 1
    clause = annex.read_text(encoding="utf-8").splitlines().index('        audience: [committee]') + 1
    with pytest.raises(ContentError) as raised:
        build(scratch_project, tmp_path / "out", audiences=["general"])

    def expected(file: str, line: int, document: str) -> str:
        return (f"content/{PUBLICATION}/{file}: line {line}: audience: audience tag 'committee' is "
                f"included only by profiles whose editions print no {document} (parliament), so it "
                f"removes this block from every edition of '{PUBLICATION}'; include it in a profile "
                f"that lists `{document}` in its documents, or declare it in content/tags.yaml if "
                "that is meant")
    assert [str(problem) for problem in raised.value.problems] == [
        expected("facts.yaml", figure, "factsheet"), expected("annex.yaml", clause, "annex")]
    (scratch_project.content_dir / "tags.yaml").write_text(
        "tags:\n  committee: مواد اللجنة البرلمانية\n", encoding="utf-8")
    build(scratch_project, tmp_path / "out", audiences=["parliament"])
    parliament = tmp_path / "out" / PUBLICATION / "parliament" / "brief.pdf"
    assert "فقرة للجنة البرلمانية وحدها" in pdfium_text(parliament)


def test_a_fact_quoting_text_an_edition_hides_is_no_error_where_it_gets_no_fact_sheet(
        scratch_project: Project) -> None:
    """A brief-only edition prints no fact-sheet item, so an untagged fact quoting a paragraph it
    hides reaches it nowhere: the build named it all the same ("quotes brief.md text that
    audience 'parliament' cannot see"). The editions that get the fact sheet still must see it."""
    audiences = scratch_project.templates_dir / "audiences"
    for name in ("parliament", "press"):
        text = (audiences / f"{name}.yaml").read_text(encoding="utf-8")
        for old in ("include: [sanctions-detail]\n", "exclude: [sanctions-detail]\n"):
            text = text.replace(old, "")
        (audiences / f"{name}.yaml").write_text(text, encoding="utf-8")
    _replace(audiences / "press.yaml", "documents: [brief, factsheet]", "documents: [brief]")
    facts = scratch_project.content_dir / PUBLICATION / "facts.yaml"
    _replace(facts, "    audience: [sanctions-detail]\n", "")
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    text = brief.read_text(encoding="utf-8")
    quoted = "وقد أشار فريق خبراء لجنة 1718"
    start = text.rindex("\n\n", 0, text.index(quoted)) + 2
    listed = text.index("\n\n- ", start) + 2  # the list the paragraph leads in to: tagged with it
    brief.write_text(text[:start] + "{audience=sanctions-detail}\n" + text[start:listed]
                     + "{audience=sanctions-detail}\n" + text[listed:], encoding="utf-8")
    _, profiles = load_all(scratch_project, [PUBLICATION])
    assert not profiles["parliament"].shows(("sanctions-detail",))
    _replace(audiences / "press.yaml", "documents: [brief]", "documents: [brief, factsheet]")
    problems = _problems(scratch_project)
    # At the item's own line: timeline[4] quotes the same words, on an earlier line.
    line = facts.read_text(encoding="utf-8").splitlines().index(f"    source: {quoted} الخاصة بكوريا "
                                                                "الشمالية في تقريره إلى مجلس الأمن في "
                                                                "مارس 2019 إلى المشكلات التالية") + 1
    assert f"content/{PUBLICATION}/facts.yaml: line {line}: lists[1].source: quotes brief.md text " \
           "that audience 'press' cannot see; give this item the audience tags of the text it " \
           "quotes" in problems, problems
    assert not any("parliament" in problem for problem in problems)
