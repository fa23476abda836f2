"""The same inputs give the same bytes; a failed build leaves the last good PDF untouched."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefpress.build import build
from briefpress.errors import ContentError
from briefpress.project import Project

from badinputs import png_bytes
from conftest import PUBLICATION, ROOT, copy_templates


def test_two_builds_give_identical_bytes(project: Project, built: Path, tmp_path: Path) -> None:
    """A second build of some editions gives the session build's
    bytes and the same manifest entries for them."""
    again = tmp_path / "again"
    audiences = ("general", "print")
    build(project, again, publications=[PUBLICATION], audiences=audiences)
    for audience in audiences:
        for name in ("brief", "factsheet", "annex"):
            first = (built / PUBLICATION / audience / f"{name}.pdf").read_bytes()
            second = (again / PUBLICATION / audience / f"{name}.pdf").read_bytes()
            assert first == second, (audience, name)
    entries = json.loads((again / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    everything = json.loads((built / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    assert len(entries) == 3 * len(audiences)
    assert entries == [entry for entry in everything if entry["path"] in {e["path"] for e in entries}]


def test_failed_build_leaves_last_good_pdfs_untouched(scratch_project: Project,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(scratch_project, out, documents=["annex"])
    good = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    annex = scratch_project.content_dir / PUBLICATION / "annex.yaml"
    annex.write_text(annex.read_text(encoding="utf-8").replace("number: 2", "number: 7"),
                     encoding="utf-8")
    with pytest.raises(ContentError):
        build(scratch_project, out)
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == good
    assert not list(out.rglob("*.tmp"))


def _project_with_pictures(root: Path) -> Project:
    """The project's content and templates with an image in the brief and a PNG logo."""
    root.mkdir(parents=True)
    shutil.copytree(ROOT / "content", root / "content")
    copy_templates(root)
    (root / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    folder = root / "content" / PUBLICATION
    (folder / "chart.png").write_bytes(png_bytes(24))
    brief = folder / "brief.md"
    text = brief.read_text(encoding="utf-8")
    brief.write_text(text.replace("## الموقف الروسي", "![رسم](chart.png)\n\n## الموقف الروسي", 1),
                     encoding="utf-8")
    (root / "templates" / "audiences" / "logo.png").write_bytes(png_bytes(12))
    with (root / "templates" / "audiences" / "general.yaml").open("a", encoding="utf-8") as profile:
        profile.write("logo: logo.png\nlogo_alt: شعار\n")
    return Project(root)


def test_images_give_the_same_bytes_in_any_checkout(tmp_path: Path) -> None:
    outputs = []
    for root in (tmp_path / "one", tmp_path / "two" / "deeper" / "checkout"):
        project = _project_with_pictures(root)
        build(project, root / "out", documents=["brief"], audiences=["general"])
        outputs.append(root / "out")
    first, second = (out / PUBLICATION / "general" / "brief.pdf" for out in outputs)
    assert any(page.images for page in PdfReader(first).pages)
    assert first.read_bytes() == second.read_bytes()
    assert (outputs[0] / "manifest.json").read_bytes() == (outputs[1] / "manifest.json").read_bytes()
