"""Audience overrides: a folder that mirrors templates/ gives one audience its own look and structure."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from briefpress.build import build
from briefpress.check.geometry import pages
from briefpress.check.textlayer import pdfium_text
from briefpress.errors import RenderError, ResourceError, TemplateError
from briefpress.layout import pdf as layout_pdf
from briefpress.layout.html import render_html
from briefpress.layout.pdf import render_pdf
from briefpress.project import Project
from briefpress.source.audiences import load_profiles, select
from briefpress.source.publication import load_publication

from conftest import PUBLICATION, copy_project


def add_parliament(project: Project) -> Path:
    """The parliament override folder of a project (it ships; tests may edit a copy)."""
    return project.templates_dir / "audiences" / "parliament"


def test_the_parliament_cover_comes_from_its_override_alone(built: Path) -> None:
    parliament = pdfium_text(built / PUBLICATION / "parliament" / "brief.pdf")
    general = pdfium_text(built / PUBLICATION / "general" / "brief.pdf")
    committee = "إحاطة للجنة الشؤون الخارجية في البرلمان"
    assert committee in parliament and committee not in general
    # Replacing the cover keeps the lead and every section: no words of the article are lost.
    for words in ("المتغيرات الدولية المتسارعة", "الإجراءات المشتركة", "الموقف الروسي"):
        assert words in parliament


def test_an_override_stylesheet_extends_the_shared_one(built: Path) -> None:
    read = pages(built / PUBLICATION / "parliament" / "brief.pdf")
    committee = next(line for line in read[0].lines if line.top < 150
                     and {glyph.size for glyph in line.glyphs} == {15.0})
    assert all("Bold" in glyph.font for glyph in committee.glyphs)
    # The shared brief.css still applies: section headings keep its 17 pt.
    headings = [line for page in read for line in page.lines
                if {glyph.size for glyph in line.glyphs} == {17.0}]
    assert len(headings) == 6


def test_an_override_changes_no_other_audience_s_bytes(tmp_path: Path) -> None:
    with_override = copy_project(tmp_path / "with", fixtures=False)
    without = copy_project(tmp_path / "without", fixtures=False)
    shutil.rmtree(add_parliament(without))
    (without.templates_dir / "audiences" / "parliament.yaml").unlink()
    built = {}
    for name, project in (("with", with_override), ("without", without)):
        out = tmp_path / f"out-{name}"
        build(project, out, publications=[PUBLICATION], documents=["brief"])
        built[name] = {path.relative_to(out).as_posix(): path.read_bytes()
                       for path in sorted(out.rglob("*.pdf"))}
    others = sorted(path for path in built["with"] if "/parliament/" not in path)
    assert others == sorted(built["without"]) and others
    assert [path for path in others if built["with"][path] != built["without"][path]] == []


def test_an_override_that_leaves_templates_is_refused(scratch_project: Project, tmp_path: Path) -> None:
    folder = add_parliament(scratch_project)
    outside = tmp_path / "outside.html.j2"
    outside.write_text("{% extends 'common/brief/brief.html.j2' %}", encoding="utf-8")
    target = folder / "brief" / "brief.html.j2"
    target.unlink()
    target.symlink_to(outside)
    with pytest.raises(TemplateError) as raised:
        build(scratch_project, tmp_path / "out", audiences=["parliament"])
    assert [str(problem) for problem in raised.value.problems] == [
        "templates/audiences/parliament/brief/brief.html.j2: a symlink leads outside templates/"]


@pytest.mark.parametrize("saved_as", ["base.CSS", "brief/brief.html.J2"])
def test_an_override_saved_with_an_upper_case_suffix_is_an_error(scratch_project: Project,
                                                                 tmp_path: Path, saved_as: str) -> None:
    """An override saved as `base.CSS` was never read: the edition was built without it, and the
    build said nothing."""
    folder = add_parliament(scratch_project)
    (folder / saved_as).parent.mkdir(parents=True, exist_ok=True)
    (folder / saved_as).write_text("@import url('../../base.css');\n", encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        build(scratch_project, tmp_path / "out", audiences=["parliament"])
    meant = Path(saved_as).with_suffix(Path(saved_as).suffix.lower())
    assert [str(problem) for problem in raised.value.problems] == [
        f"templates/audiences/parliament/{saved_as}: a template or stylesheet is named "
        f"*{meant.suffix}, and this one is not read; rename it {meant.name}"]


@pytest.mark.parametrize(("saved_as", "folder_problem"), [
    ("brief/brif.html.j2", "templates/audiences/parliament/brief/brif.html.j2"),
    ("breif/brief.css", "templates/audiences/parliament/breif/brief.css"),
    ("brief/base.css", "templates/audiences/parliament/brief/base.css"),
])
def test_an_override_that_replaces_nothing_is_an_error(scratch_project: Project, tmp_path: Path,
                                                       saved_as: str, folder_problem: str) -> None:
    """A misspelt override (`brif.html.j2`, a folder `breif/`, a stylesheet where none is read)
    was never read: the edition was built as the shared templates make it, without a word."""
    folder = add_parliament(scratch_project)
    (folder / saved_as).parent.mkdir(parents=True, exist_ok=True)
    (folder / saved_as).write_text("p { color: black; }\n" if saved_as.endswith(".css")
                                   else "{# for the committee #}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        build(scratch_project, tmp_path / "out", audiences=["parliament"])
    [problem] = raised.value.problems
    assert str(problem).startswith(f"{folder_problem}: replaces no template or stylesheet, and no "
                                   "file of templates/audiences/parliament/ reads it, so it changes "
                                   "nothing; an override mirrors templates/ (annex/annex.css, ")
    assert "brief/brief.html.j2" in str(problem) and "audiences" not in str(problem).split("(")[1]


def test_an_override_folder_of_no_audience_is_an_error(scratch_project: Project, tmp_path: Path) -> None:
    misspelt = scratch_project.templates_dir / "audiences" / "parlament"
    shutil.copytree(add_parliament(scratch_project), misspelt)
    with pytest.raises(TemplateError) as raised:
        build(scratch_project, tmp_path / "out", audiences=["press"])
    assert [str(problem) for problem in raised.value.problems] == [
        "templates/audiences/parlament: an override folder of no audience: there is no profile "
        "templates/audiences/parlament.yaml, so nothing here is read; did you mean 'parliament'?"]


def test_a_partial_an_override_includes_is_read(scratch_project: Project, tmp_path: Path) -> None:
    """A file of the override folder that replaces nothing is fine when another file of the folder
    names it: a partial the override includes, a stylesheet its stylesheet imports."""
    folder = add_parliament(scratch_project)
    (folder / "brief" / "band.html.j2").write_text("<p>شريط اللجنة الإضافي</p>\n", encoding="utf-8")
    (folder / "brief" / "extra.css").write_text("p { color: black; }\n", encoding="utf-8")
    template = folder / "brief" / "brief.html.j2"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "{% block cover %}", '{% block cover %}{% include "band.html.j2" %}', 1), encoding="utf-8")
    sheet = folder / "brief" / "brief.css"
    sheet.write_text('@import url("extra.css");\n' + sheet.read_text(encoding="utf-8"), encoding="utf-8")
    build(scratch_project, tmp_path / "out", audiences=["parliament"], documents=["brief"])
    assert "شريط اللجنة الإضافي" in pdfium_text(tmp_path / "out" / PUBLICATION / "parliament" / "brief.pdf")


def test_a_missing_image_an_override_names_is_located_at_its_line(scratch_project: Project,
                                                                 tmp_path: Path) -> None:
    """WeasyPrint meets the image in the HTML, long after the template made it: the error names
    the override's file and line, not only the edition."""
    template = add_parliament(scratch_project) / "brief" / "brief.html.j2"
    lines = template.read_text(encoding="utf-8").splitlines()
    at = lines.index('<div class="committee-band">')
    lines.insert(at + 1, '  <img src="committee-logo.png" alt="شعار اللجنة">')
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ResourceError) as raised:
        build(scratch_project, tmp_path / "out", audiences=["parliament"], documents=["brief"])
    assert [str(problem) for problem in raised.value.problems] == [
        f"templates/audiences/parliament/brief/brief.html.j2: line {at + 2}: refused resource "
        "'file:///briefpress-project/templates/committee-logo.png': file not found "
        f"({PUBLICATION}/parliament/brief)"]


def test_extending_a_shared_template_that_does_not_exist_is_an_error(scratch_project: Project,
                                                                     tmp_path: Path) -> None:
    folder = add_parliament(scratch_project)
    (folder / "brief" / "brief.html.j2").write_text('{% extends "common/brief/nothing.html.j2" %}',
                                                   encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        build(scratch_project, tmp_path / "out", audiences=["parliament"])
    assert str(raised.value.problems[0]) == ("templates/audiences/parliament/brief/brief.html.j2: line 1: "
                                             "template 'common/brief/nothing.html.j2' not found")


@pytest.mark.parametrize("statement", ['{% include "cover.html.j2" %}', '{% import "macros.html.j2" as m %}',
                                       '{% from "brief/macros.html.j2" import cover %}'])
def test_a_template_naming_one_that_does_not_exist_is_an_error_at_its_line(
        scratch_project: Project, tmp_path: Path, statement: str) -> None:
    """The error names the template that names the missing one, and its line: the path of the
    missing one alone, joined to the document's folder, named no file of the project."""
    folder = add_parliament(scratch_project)
    (folder / "brief" / "brief.html.j2").write_text(
        '{% extends "common/brief/brief.html.j2" %}\n{% block back_page %}\n' + statement
        + "\n{% endblock %}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        build(scratch_project, tmp_path / "out", audiences=["parliament"])
    missing = re.search(r'"([^"]+)"', statement)
    assert missing is not None
    assert str(raised.value.problems[0]) == ("templates/audiences/parliament/brief/brief.html.j2: line 3: "
                                             f"template '{missing[1]}' not found")


def test_a_template_edited_while_the_process_runs_is_rendered_as_edited(
        scratch_project: Project) -> None:
    """Compiled templates are kept for the process and shared between audiences (preview and
    watch render again after each save): an edit to a shared template reaches every audience at
    the next render, and an audience's override of it still wins for that audience alone."""
    content = load_publication(scratch_project, PUBLICATION)
    profiles = load_profiles(scratch_project)

    def running_head(audience: str) -> str:
        page = render_html(scratch_project, select(content, profiles[audience]), "brief",
                           profiles[audience]).html
        return re.search(r'class="chrome-running-head">([^<]*)<', page).group(1)  # type: ignore[union-attr]

    before = {audience: running_head(audience) for audience in ("general", "press")}
    template = scratch_project.templates_dir / "brief" / "brief.html.j2"
    text = template.read_text(encoding="utf-8")
    marked = "{% block running_head %}EDITED {{ brief.front.running_head | localise }}{% endblock %}"
    template.write_text(text.replace(
        "{% block running_head %}{{ brief.front.running_head | localise }}{% endblock %}", marked, 1),
        encoding="utf-8")
    assert {audience: running_head(audience) for audience in before} == {
        audience: f"EDITED {head}" for audience, head in before.items()}
    override = scratch_project.templates_dir / "audiences" / "press" / "brief" / "brief.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text(text.replace("{{ brief.front.running_head | localise }}{% endblock %}",
                                     "PRESS{% endblock %}", 1), encoding="utf-8")
    assert (running_head("general"), running_head("press")) == (f"EDITED {before['general']}", "PRESS")


def test_a_template_saved_twice_within_one_timestamp_is_rendered_as_last_saved(
        scratch_project: Project) -> None:
    """A second save of a template within the file system's timestamp granularity (a second on
    some), as long as the first, leaves its status as it was: the process that compiled the
    first save (watch, preview) must still render the second."""
    content = load_publication(scratch_project, PUBLICATION)
    press = load_profiles(scratch_project)["press"]
    template = scratch_project.templates_dir / "brief" / "brief.html.j2"
    text = template.read_text(encoding="utf-8")
    head = "{% block running_head %}{{ brief.front.running_head | localise }}{% endblock %}"

    def save(word: str) -> str:
        status = template.stat()
        with template.open("r+", encoding="utf-8") as stream:  # in place, as most editors save
            stream.write(text.replace(head, head.replace("{{", f"{word} {{{{", 1), 1))
        os.utime(template, ns=(status.st_atime_ns, status.st_mtime_ns))
        return render_html(scratch_project, select(content, press), "brief", press).html

    assert "FIRST " in save("FIRST")
    assert "LATER " in save("LATER")  # as long as FIRST


def test_an_override_s_blocks_are_checked_again_after_each_edit(scratch_project: Project) -> None:
    """What a template's blocks are is read once per process for each source (every edition
    renders the same few templates): a block misspelt in a saved override is refused at the
    next render in the same process (preview, watch), and accepted again once put right."""
    content = load_publication(scratch_project, PUBLICATION)
    press = load_profiles(scratch_project)["press"]
    override = scratch_project.templates_dir / "audiences" / "press" / "brief" / "brief.html.j2"
    override.parent.mkdir(parents=True)

    def render(block: str) -> str:
        override.write_text('{% extends "common/brief/brief.html.j2" %}\n\n'
                            f"{{% block {block} %}}<p>غلاف</p>{{% endblock %}}\n", encoding="utf-8")
        return render_html(scratch_project, select(content, press), "brief", press).html

    assert "<p>غلاف</p>" in render("cover")
    with pytest.raises(TemplateError, match="line 3: block 'coverr' is no block of the template"):
        render("coverr")
    assert "<p>غلاف</p>" in render("cover")


@pytest.mark.parametrize("parent", ['"common/brief/" ~ "brief.html.j2"', "name",
                                    '("common/brief/brief.html.j2" if true else "none.html.j2")'])
def test_an_override_extending_a_template_named_by_an_expression_is_an_error(
        scratch_project: Project, parent: str) -> None:
    """Which blocks such an override may replace is not known before it renders: a misspelt
    block in it (`coverr`) was dropped without a word; the extends is an error at its line."""
    content = load_publication(scratch_project, PUBLICATION)
    press = load_profiles(scratch_project)["press"]
    override = scratch_project.templates_dir / "audiences" / "press" / "brief" / "brief.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text('{% set name = "common/brief/brief.html.j2" %}\n'
                        f"{{% extends {parent} %}}\n{{% block coverr %}}<p>غلاف</p>{{% endblock %}}\n",
                        encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        render_html(scratch_project, select(content, press), "brief", press)
    assert str(raised.value.problems[0]).startswith(
        "templates/audiences/press/brief/brief.html.j2: line 2: extends a template chosen as it renders")


def test_an_override_with_two_extends_is_an_error_at_the_second(scratch_project: Project) -> None:
    """Only the extends met as it renders applies: a correct override extending the brief in its
    `else` branch was refused as if it extended the first one, `cover` called no block of it."""
    content = load_publication(scratch_project, PUBLICATION)
    press = load_profiles(scratch_project)["press"]
    override = scratch_project.templates_dir / "audiences" / "press" / "brief" / "brief.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text('{% if false %}{% extends "common/base.html.j2" %}\n'
                        '{% else %}{% extends "common/brief/brief.html.j2" %}{% endif %}\n'
                        "{% block cover %}<p>غلاف</p>{% endblock %}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        render_html(scratch_project, select(content, press), "brief", press)
    assert str(raised.value.problems[0]).startswith(
        "templates/audiences/press/brief/brief.html.j2: line 2: extends a template chosen as it renders")


def _laid_out(project: Project, audience: str) -> tuple[bytes, dict[str, str]]:
    """The audience's brief as WeasyPrint writes it, and the files its render read."""
    profile = load_profiles(project)[audience]
    rendered = render_html(project, select(load_publication(project, PUBLICATION), profile), "brief",
                           profile)
    fetched: dict[str, str] = {}
    return render_pdf(project, rendered, bytes(16), f"{audience}/brief", None, fetched), fetched


def test_a_stylesheet_edited_while_the_process_runs_is_laid_out_as_edited(
        scratch_project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsed stylesheets are kept for the process (a build's documents, and preview's saves, share
    them): an edit to a stylesheet, or to one it imports, is laid out at the next render exactly
    as a process that never parsed it lays it out, and the render names the file's new bytes."""
    shared = scratch_project.templates_dir / "brief" / "brief.css"
    before = {audience: _laid_out(scratch_project, audience) for audience in ("general", "parliament")}
    assert "templates/brief/brief.css" in before["parliament"][1]  # imported by parliament's own
    assert _laid_out(scratch_project, "general") == before["general"]  # kept: same bytes, same files
    shared.write_text(shared.read_text(encoding="utf-8") + "\nh2 { letter-spacing: 0.5pt; }\n",
                      encoding="utf-8")
    edited = {audience: _laid_out(scratch_project, audience) for audience in before}
    monkeypatch.setattr(layout_pdf, "_PARSED", {})
    fresh = {audience: _laid_out(scratch_project, audience) for audience in before}
    for audience in before:
        assert edited[audience][0] != before[audience][0], audience
        assert edited[audience] == fresh[audience], audience
        assert edited[audience][1]["templates/brief/brief.css"] \
            != before[audience][1]["templates/brief/brief.css"]


@pytest.mark.weasyprint_warns
def test_a_stylesheet_whose_parse_warned_fails_every_render(scratch_project: Project) -> None:
    """A parse WeasyPrint warned about is never kept: a second render of the same bad stylesheet
    in the same process fails as the first did, and the mended one renders."""
    shared = scratch_project.templates_dir / "brief" / "brief.css"
    good = shared.read_text(encoding="utf-8")
    shared.write_text(good + "\nh2 { colour: red; }\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RenderError, match="colour"):
            _laid_out(scratch_project, "general")
    shared.write_text(good, encoding="utf-8")
    assert _laid_out(scratch_project, "general")[0].startswith(b"%PDF")
