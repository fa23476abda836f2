"""The same inputs give the same bytes; a failed build leaves the last good PDF untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpress.build import build
from briefpress.errors import ContentError
from briefpress.project import Project

from conftest import PUBLICATION


def test_two_builds_give_identical_bytes(project: Project, built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build(project, again)
    for audience in ("general", "print"):
        for name in ("brief", "factsheet", "annex"):
            first = (built / PUBLICATION / audience / f"{name}.pdf").read_bytes()
            second = (again / PUBLICATION / audience / f"{name}.pdf").read_bytes()
            assert first == second, (audience, name)
    assert (built / "manifest.json").read_bytes() == (again / "manifest.json").read_bytes()


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
