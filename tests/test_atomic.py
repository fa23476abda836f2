"""A failed build leaves the last good build byte-identical, whatever fails and when."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import briefpress.workers
from briefpress.layout.html import RenderedHtml
from briefpress.project import Project

from conftest import PUBLICATION
from test_cli import run


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def last_good(built: Path, tmp_path: Path) -> Path:
    """A copy of the session's full build: the last good build of this test."""
    out = tmp_path / "out"
    shutil.copytree(built, out)
    return out


def _retitle(project: Project) -> None:
    """Change the title, so every document of a new build would differ."""
    publication = project.content_dir / PUBLICATION / "publication.yaml"
    text = publication.read_text(encoding="utf-8")
    publication.write_text(text.replace("title: التقارب", "title: عن التقارب"), encoding="utf-8")


@pytest.mark.parametrize("failure", [RuntimeError("injected"), MemoryError()])
def test_one_document_failing_mid_build_leaves_every_pdf_untouched(
        scratch_project: Project, last_good: Path, monkeypatch: pytest.MonkeyPatch,
        failure: BaseException) -> None:
    _retitle(scratch_project)
    real = briefpress.workers.render_pdf
    rendered: list[str] = []

    def render_pdf(project: Project, html: RenderedHtml, identifier: bytes, label: str,
                   *rest: object) -> bytes:
        if label.endswith("/factsheet"):
            raise failure
        rendered.append(label)
        return real(project, html, identifier, label, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(briefpress.workers, "render_pdf", render_pdf)
    before = snapshot(last_good)

    code, out, err = run("--project", str(scratch_project.root), "build", "--jobs", "1",
                         "--out", str(last_good))

    # The first target (decision-makers, brief) was made before the failure, and said so.
    assert rendered == [f"{PUBLICATION}/decision-makers/brief"]
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines()] == [f"{PUBLICATION}/decision-makers/brief"]
    assert err.splitlines()[0].startswith(f"briefpress: internal error: {type(failure).__name__}")
    assert "Traceback" not in err
    assert snapshot(last_good) == before
    assert not list(last_good.rglob("*.tmp"))


def test_a_worker_failing_mid_build_leaves_every_pdf_untouched(
        scratch_project: Project, last_good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With two processes the failure is a worker's: the caller stops the pool and commits nothing.
    Of two failing targets, the one reported is the one a single process meets first."""
    _retitle(scratch_project)
    real = briefpress.workers.render_pdf

    def render_pdf(project: Project, html: RenderedHtml, identifier: bytes, label: str,
                   *rest: object) -> bytes:
        if label.endswith(("/general/factsheet", "/print/annex")):
            raise RuntimeError(f"injected in a worker for {label}")
        return real(project, html, identifier, label, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(briefpress.workers, "render_pdf", render_pdf)  # workers fork from here
    before = snapshot(last_good)
    code, out, err = run("--project", str(scratch_project.root), "build", "--jobs", "2",
                         "--out", str(last_good))
    assert code == 1
    assert "built" not in out
    assert err.splitlines()[0] == ("briefpress: internal error: RuntimeError: injected in a worker "
                                   f"for {PUBLICATION}/general/factsheet; run with --debug for the "
                                   "traceback")
    assert snapshot(last_good) == before
    assert not (last_good / ".briefpress" / "staging").exists()


def test_debug_shows_the_traceback(scratch_project: Project, tmp_path: Path) -> None:
    facts = scratch_project.content_dir / PUBLICATION / "facts.yaml"
    facts.write_text("", encoding="utf-8")
    code, _, err = run("--project", str(scratch_project.root), "--debug", "build",
                       "--out", str(tmp_path))
    assert code == 2
    assert err.startswith("Traceback")
    assert err.splitlines()[-1] == (
        f"content/{PUBLICATION}/facts.yaml: line 1: the file is empty; it must hold a mapping")


def test_every_problem_of_every_file_is_reported(scratch_project: Project, tmp_path: Path) -> None:
    folder = scratch_project.content_dir / PUBLICATION
    publication = folder / "publication.yaml"
    publication.write_text(publication.read_text(encoding="utf-8").replace("keywords:", "keyword:"),
                           encoding="utf-8")
    annex = folder / "annex.yaml"
    annex.write_text(annex.read_text(encoding="utf-8").replace("number: 3", "number: three"),
                     encoding="utf-8")
    with (folder / "brief.md").open("a", encoding="utf-8") as brief:
        brief.write("\n<script>x</script>\n\n![صورة](http://example.com/a.png)\n\nنص \u202e\n")
    with (scratch_project.templates_dir / "base.css").open("a", encoding="utf-8") as css:
        css.write('\n@import "https://example.com/x.css";\n')
    import_line = len((scratch_project.templates_dir / "base.css").read_text(encoding="utf-8")
                      .splitlines())

    code, _, err = run("--project", str(scratch_project.root), "build", "--out", str(tmp_path))

    assert code == 2
    assert err.splitlines() == [
        f"content/{PUBLICATION}/publication.yaml: line 10: keyword: unknown key; "
        "did you mean 'keywords'?",
        f"content/{PUBLICATION}/brief.md: line 67: raw HTML is not allowed in Markdown: "
        "'<script>x</script>'; write it as Markdown instead",
        f"content/{PUBLICATION}/brief.md: line 69: image 'http://example.com/a.png': 'http' URLs "
        "are never fetched; save the file in the project and use a relative path",
        f"content/{PUBLICATION}/annex.yaml: line 25: schedules[0].clauses[2].number: "
        "must be a whole number, unquoted, e.g. 3",
        f"content/{PUBLICATION}/annex.yaml: line 41: schedules[1].clauses[2].number: "
        "must be a whole number, unquoted, e.g. 3",
        f"content/{PUBLICATION}/brief.md: line 71: bidi override control U+202E "
        "RIGHT-TO-LEFT OVERRIDE; remove it, the templates set the text direction",
        f"templates/base.css: line {import_line}: url 'https://example.com/x.css': 'https' URLs "
        "are never fetched; save the file in the project and use a relative path",
    ]
    assert not tmp_path.joinpath(PUBLICATION).exists()
