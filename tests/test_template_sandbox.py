"""Templates shape a page and nothing more: no code, no files, bounded time, memory and depth.

Each hostile template is an audience override of the press brief (the place a user's own
template lives). The build must stop with exit 2 and a located message, run nothing, read
nothing outside what a page needs, and write no PDF. The bad-input corpus
(tests/bad_inputs/cases.yaml) pins the first line of every budget case; here are the
properties it cannot see: nothing ran, nothing was opened, and the time budget.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import briefpress.layout.templating as templating
from briefpress.project import Project

from conftest import PUBLICATION
from test_cli import run

OVERRIDE = "templates/audiences/press/brief/brief.html.j2"


def _override(project: Project, body: str) -> Path:
    """Make `body` the press brief's template: an override that extends the shared one."""
    path = project.root / OVERRIDE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{% extends "common/brief/brief.html.j2" %}\n'
                    "{% block lead %}" + body + "{% endblock %}\n", encoding="utf-8")
    return path


def _build_press(project: Project, out: Path) -> tuple[int, str]:
    code, _, err = run("--project", str(project.root), "build", "--publication", PUBLICATION,
                       "--audience", "press", "--doc", "brief", "--out", str(out))
    return code, err


@pytest.mark.parametrize(("body", "first"), [
    # code execution through Jinja's globals, as a plain Environment allows
    ("{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}",
     "access to attribute '__init__' of 'type' object is unsafe."),
    ("{{ joiner.__init__.__globals__.os.system('touch {marker}') }}",
     "access to attribute '__init__' of 'type' object is unsafe."),
    # pydantic's parse_file reads any file; the model is data only
    ("{{ publication.parse_file('/etc/passwd') }}",
     "access to attribute 'parse_file' of 'Publication' object is unsafe."),
    ("{{ profile.model_validate_json('{}') }}",
     "access to attribute 'model_validate_json' of 'Profile' object is unsafe."),
    ("{{ lipsum(10000000) }}", "'lipsum' is undefined"),
], ids=["cycler-globals", "joiner-globals", "parse-file", "model-validate", "lipsum"])
def test_a_template_cannot_run_code_or_read_files(scratch_project: Project, tmp_path: Path,
                                                  body: str, first: str) -> None:
    marker = tmp_path / "ran"
    _override(scratch_project, body.replace("{marker}", str(marker)))
    code, err = _build_press(scratch_project, tmp_path / "out")
    assert (code, err.splitlines()[:1]) == (2, [f"{OVERRIDE}: line 2: {first}"])
    assert not marker.exists()
    assert "root:" not in err
    assert not (tmp_path / "out").exists()


def test_a_template_is_bounded_in_time(scratch_project: Project, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templating, "TIME_BUDGET", 1.0)  # the mechanism, without a 10 s test
    _override(scratch_project, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                               "{% endfor %}")
    code, err = _build_press(scratch_project, tmp_path / "out")
    assert (code, err.splitlines()[:1]) == (
        2, [f"{OVERRIDE}: line 2: template budget: a render took longer than 1 s"])


@pytest.mark.parametrize("name", [f"content/{PUBLICATION}/brief.md", f"content/{PUBLICATION}/facts.yaml",
                                  "templates/audiences/press.yaml", "templates/base.html.j2"])
def test_the_renderer_is_never_served_a_source(scratch_project: Project, name: str) -> None:
    from briefpress.layout.fetcher import RefusedResource, SandboxedFetcher

    fetcher = SandboxedFetcher(scratch_project.sandbox(), project=scratch_project)
    with pytest.raises(RefusedResource) as refused:
        fetcher.fetch((scratch_project.root / name).as_uri())
    assert refused.value.reason == (f"'{Path(name).name}' is not served to pages: only fonts, images, "
                                    "stylesheets and colour profiles are")


def test_a_source_dressed_as_an_image_is_not_served(scratch_project: Project) -> None:
    from briefpress.layout.fetcher import RefusedResource, SandboxedFetcher

    fetcher = SandboxedFetcher(scratch_project.sandbox(), project=scratch_project)
    folder = scratch_project.content_dir / PUBLICATION
    (folder / "linked.png").symlink_to(folder / "brief.md")
    (folder / "copied.png").write_bytes((folder / "brief.md").read_bytes())
    reasons = []
    for name in ("linked.png", "copied.png"):
        with pytest.raises(RefusedResource) as refused:
            fetcher.fetch((folder / name).as_uri())
        reasons.append(refused.value.reason)
    assert reasons == ["'brief.md' is not an image: an image is read only from a file named *.png, "
                       "*.jpg, *.jpeg, *.gif, *.webp, *.svg", "its bytes are not those of an image"]


# --- containment before reading ----------------------------------------------------------------
# Each file is replaced by a symlink to a FIFO outside the project: opening it would block the
# build, so a build that ends proves the sandbox refused the file before opening it.

@pytest.mark.parametrize(("name", "first"), [
    ("templates/audiences/press.yaml", "templates/audiences/press.yaml: a symlink leads outside "
                                       "templates/audiences/"),
    ("templates/base.css", "templates/base.css: a symlink leads outside templates/"),
    ("templates/brief/brief.html.j2", "templates/brief/brief.html.j2: a symlink leads outside templates/"),
    (f"content/{PUBLICATION}/brief.md", f"content/{PUBLICATION}/brief.md: a symlink leads outside "
                                        "content/"),
    (f"content/{PUBLICATION}/facts.yaml", f"content/{PUBLICATION}/facts.yaml: a symlink leads outside "
                                          "content/"),
    ("content/tags.yaml", "content/tags.yaml: a symlink leads outside content/"),
])
def test_a_file_outside_is_refused_before_it_is_opened(scratch_project: Project, tmp_path: Path,
                                                       name: str, first: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    fifo = outside / Path(name).name
    os.mkfifo(fifo)
    path = scratch_project.root / name
    path.unlink(missing_ok=True)
    path.symlink_to(fifo)
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from briefpress.cli import main; sys.exit(main())",
         "--project", str(scratch_project.root), "build", "--publication", PUBLICATION, "--audience",
         "press", "--doc", "brief", "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300, check=False)  # an opened FIFO would never end
    assert done.returncode == 2
    assert first in done.stderr.splitlines()


def test_a_stylesheet_symlinked_to_a_profile_is_not_read_as_css(scratch_project: Project,
                                                                tmp_path: Path) -> None:
    """Inside templates/ but of another kind: a profile is never read as a stylesheet."""
    css = scratch_project.templates_dir / "brief" / "brief.css"
    css.unlink()
    css.symlink_to(scratch_project.templates_dir / "audiences" / "press.yaml")
    code, err = _build_press(scratch_project, tmp_path / "out")
    assert code == 2
    assert ("templates/brief/brief.css: 'press.yaml' is not a stylesheet: a stylesheet is read only "
            "from a file named *.css") in err.splitlines()
    assert "exclude" not in err  # nothing of the profile was read as CSS and echoed
