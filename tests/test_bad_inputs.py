"""The bad-input corpus: exit code, exact first message line, last good build untouched."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from briefpress.project import Project

from badinputs import apply_case, load_cases, malformed_pdf, png_bytes
from conftest import PUBLICATION, ROOT, blind_to
from test_cli import run

CASES = load_cases()


@pytest.fixture(scope="session")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The annex of the real project, built once: the 'last good build' every case starts from."""
    out = tmp_path_factory.mktemp("good")
    code, _, err = run("--project", str(ROOT), "build", "--doc", "annex", "--out", str(out))
    assert (code, err) == (0, "")
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 30
    assert len({case["id"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_bad_input(case: dict[str, Any], scratch_project: Project, good_build: Path,
                   tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png_bytes())
    out = tmp_path / "out"
    shutil.copytree(good_build, out)
    before = snapshot(out)
    apply_case(case, scratch_project.root, outside)
    argv = ["--project", str(scratch_project.root), "build", "--out", str(out)]
    if case.get("out") == "file":
        (tmp_path / "out.pdf").write_bytes(b"%PDF-1.7\n")
        argv[-1] = str(tmp_path / "out.pdf")
    if "check" in case:
        pdf = tmp_path / "checked.pdf"
        pdf.write_bytes(malformed_pdf((good_build / PUBLICATION / "general" / "annex.pdf").read_bytes(),
                                      case["check"]))
        argv = ["--project", str(scratch_project.root), "check", str(pdf)]

    code, stdout, stderr = run(*argv)

    lines = stderr.splitlines()
    first = case["first"].replace("{tmp}", str(tmp_path)).replace(
        "{cannot-see:sanctions-detail}", blind_to("sanctions-detail"))
    assert (code, lines[:1]) == (case["code"], [first])
    assert "Traceback" not in stderr
    assert stdout == "" or "check" in case
    assert snapshot(out) == before
