"""Audience overrides: a folder that mirrors templates/ gives one audience its own look and structure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefpress.build import build
from briefpress.check.geometry import pages
from briefpress.check.textlayer import pdfium_text
from briefpress.errors import TemplateError
from briefpress.project import Project

from conftest import PUBLICATION

PARLIAMENT = """\
name: parliament
description: إحاطة للجنة الشؤون الخارجية
documents: [brief]
include: [sanctions-detail]
"""

COVER = """\
{% extends "shared/brief/brief.html.j2" %}
{% block cover %}
<div class="parliament-cover">
  <p class="parliament-kind">إحاطة برلمانية zqcover</p>
  <h1>{{ publication.title | localise }}</h1>
</div>
{% endblock %}
{% block contents %}{% endblock %}
"""

STYLE = """\
@import url("../../../brief/brief.css");

.parliament-cover {
  border-block-start: 6mm solid #2a4d69;
  padding-block: 10mm;
  margin-block-end: 8mm;
}

.parliament-kind {
  font-family: var(--font-display);
  font-size: 20pt;
}
"""


def add_parliament(project: Project) -> Path:
    folder = project.templates_dir / "audiences"
    (folder / "parliament.yaml").write_text(PARLIAMENT, encoding="utf-8")
    (folder / "parliament" / "brief").mkdir(parents=True)
    (folder / "parliament" / "brief" / "brief.html.j2").write_text(COVER, encoding="utf-8")
    (folder / "parliament" / "brief" / "brief.css").write_text(STYLE, encoding="utf-8")
    return folder / "parliament"


@pytest.fixture(scope="module")
def parliament_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from conftest import ROOT

    root = tmp_path_factory.mktemp("overrides") / "project"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    project = Project(root)
    add_parliament(project)
    out = root / "build"
    build(project, out, publications=[PUBLICATION], audiences=["parliament", "press"],
          documents=["brief"])
    return out


def test_an_override_replaces_one_block_for_its_audience_only(parliament_build: Path) -> None:
    parliament = pdfium_text(parliament_build / PUBLICATION / "parliament" / "brief.pdf")
    press = pdfium_text(parliament_build / PUBLICATION / "press" / "brief.pdf")
    assert "zqcover" in parliament and "zqcover" not in press
    # The contents block is emptied for parliament alone; the sections stay.
    assert "المحتويات" not in parliament and "المحتويات" in press
    assert "الإجراءات المشتركة" in parliament
    # Replacing the cover keeps the lead: no words of the article are lost.
    assert "المتغيرات الدولية المتسارعة" in parliament


def test_an_override_stylesheet_extends_the_shared_one(parliament_build: Path) -> None:
    first = pages(parliament_build / PUBLICATION / "parliament" / "brief.pdf")[0]
    kind = next(line for line in first.lines if "zqcover" in line.text)
    sizes = {glyph.size for glyph in kind.glyphs}
    assert sizes == {20.0}
    # The shared brief.css still applies: section headings keep its 17 pt.
    headings = [line for page in pages(parliament_build / PUBLICATION / "parliament" / "brief.pdf")
                for line in page.lines if {glyph.size for glyph in line.glyphs} == {17.0}]
    assert len(headings) == 6


def test_an_override_that_leaves_templates_is_refused(scratch_project: Project, tmp_path: Path) -> None:
    folder = add_parliament(scratch_project)
    outside = tmp_path / "outside.html.j2"
    outside.write_text("{% extends 'shared/brief/brief.html.j2' %}", encoding="utf-8")
    target = folder / "brief" / "brief.html.j2"
    target.unlink()
    target.symlink_to(outside)
    with pytest.raises(TemplateError) as raised:
        build(scratch_project, tmp_path / "out", audiences=["parliament"])
    assert [str(problem) for problem in raised.value.problems] == [
        "templates/audiences/parliament/brief/brief.html.j2: a symlink leads outside templates/"]


def test_extending_a_shared_template_that_does_not_exist_is_an_error(scratch_project: Project,
                                                                     tmp_path: Path) -> None:
    folder = add_parliament(scratch_project)
    (folder / "brief" / "brief.html.j2").write_text('{% extends "shared/brief/nothing.html.j2" %}',
                                                   encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        build(scratch_project, tmp_path / "out", audiences=["parliament"])
    assert re.search(r"shared/brief/nothing.html.j2: template not found$",
                     str(raised.value.problems[0]))
