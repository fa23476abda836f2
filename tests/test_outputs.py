"""The output folder: committed as a set, cleaned after a killed build, locked, owned, readable."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

import briefpress.workers
from briefpress import cli
from briefpress.build import build
from briefpress.project import Project
from briefpress.source.audiences import DOCUMENTS, load_profiles

from conftest import PUBLICATION, copy_project, keep_profiles
from test_cli import run

GENERAL_ANNEX = f"{PUBLICATION}/general/annex.pdf"


def _child(script: str, *args: str) -> subprocess.Popen[str]:
    """Run `script` in a fresh interpreter: `sys.argv[1:]` are `args`."""
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(path: Path, child: subprocess.Popen[str], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if child.poll() is not None:
            pytest.fail(f"the build ended early ({child.returncode}): {child.communicate()[1]}")
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def _manifest(out: Path) -> dict[str, dict]:
    outputs = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    return {entry["path"]: entry for entry in outputs}


def _pdfs(out: Path) -> list[str]:
    return sorted(path.relative_to(out).as_posix() for path in out.glob(f"{PUBLICATION}/*/*.pdf"))


def _consistent(out: Path) -> bool:
    """Whether the manifest lists exactly the PDFs of its publications, each with its bytes' sha256."""
    manifest = _manifest(out)
    publications = {entry["publication"] for entry in manifest.values()}
    in_place = sorted(path.relative_to(out).as_posix() for publication in publications
                      for path in out.glob(f"{publication}/*/*.pdf"))
    return sorted(manifest) == in_place and all(
        hashlib.sha256((out / path).read_bytes()).hexdigest() == entry["sha256"]
        for path, entry in manifest.items())


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of the folder but briefpress's own work folder (lock, staging)."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and path.relative_to(folder).parts[0] != ".briefpress"}


def _retitle(project: Project) -> None:
    """Change the title, so every document of a new build differs."""
    publication = project.content_dir / PUBLICATION / "publication.yaml"
    text = publication.read_text(encoding="utf-8")
    publication.write_text(text.replace("title: التقارب", "title: عن التقارب"), encoding="utf-8")


@pytest.fixture
def scratch(project: Project, tmp_path: Path) -> Project:
    """A copy of the session project, which `built` was built from (a user's own, too)."""
    root = tmp_path / "project"
    shutil.copytree(project.root, root, symlinks=True)
    return Project(root, project.defaults)


@pytest.fixture
def last_good(built: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    return out


PAUSE_AFTER_THIRD_RENAME = """
    import os, sys, time
    from pathlib import Path
    real, renamed = os.replace, []

    def replace(source, target):
        real(source, target)
        renamed.append(target)
        if len(renamed) == 3:
            Path(sys.argv[1]).write_text("paused")
            time.sleep(600)

    os.replace = replace
    from briefpress.cli import main
    sys.exit(main(sys.argv[2:]))
"""


def test_kill_during_commit_is_finished_by_the_next_build(scratch: Project,
                                                          last_good: Path, tmp_path: Path) -> None:
    """A kill -9 between two renames of the commit; the next start completes the whole set."""
    _retitle(scratch)
    before = snapshot(last_good)
    paused = tmp_path / "paused"
    child = _child(PAUSE_AFTER_THIRD_RENAME, str(paused), "--project", str(scratch.root),
                   "build", "--publication", PUBLICATION, "--out", str(last_good))
    try:
        _wait_for(paused, child)
    finally:
        child.kill()
        child.communicate()
    assert child.returncode == -signal.SIGKILL
    assert not _consistent(last_good)  # killed half-way: some PDFs new, some old

    code, _, err = run("--project", str(scratch.root), "build", "--publication", PUBLICATION,
                       "--doc", "annex", "--audience", "general", "--out", str(last_good))

    assert (code, err) == (0, "")
    assert _consistent(last_good)
    assert len(_pdfs(last_good)) == len([path for path in before if path.endswith(".pdf")
                                         and path.startswith(f"{PUBLICATION}/")])
    after = snapshot(last_good)
    assert [path for path in _pdfs(last_good) if after[path] == before[path]] == []
    assert not (last_good / ".briefpress" / "staging").exists()


PAUSE_AT_SECOND_RENDER = """
    import sys, time
    from pathlib import Path
    import briefpress.workers
    real, calls = briefpress.workers.render_pdf, []

    def render_pdf(*args):
        calls.append(args)
        if len(calls) == 2:  # the first PDF is staged
            Path(sys.argv[1]).write_text("staged")
            time.sleep(600)
        return real(*args)

    briefpress.workers.render_pdf = render_pdf
    from briefpress.cli import main
    sys.exit(main(sys.argv[2:]))
"""


def test_leftovers_of_a_killed_build_are_removed_at_the_next_start(
        scratch: Project, last_good: Path, tmp_path: Path) -> None:
    _retitle(scratch)
    before = snapshot(last_good)
    staged = tmp_path / "staged"
    child = _child(PAUSE_AT_SECOND_RENDER, str(staged), "--project", str(scratch.root),
                   "build", "--jobs", "1", "--publication", PUBLICATION, "--out", str(last_good))
    try:
        _wait_for(staged, child)
    finally:
        child.kill()
        child.communicate()
    assert snapshot(last_good) == before  # nothing committed
    assert list((last_good / ".briefpress" / "staging").rglob("*.pdf"))
    legacy = last_good / PUBLICATION / "general" / ".brief.pdf.k2x9q1.tmp"
    legacy.write_bytes(b"what an older version left when killed mid-write")
    before[legacy.relative_to(last_good).as_posix()] = legacy.read_bytes()

    code, _, err = run("--project", str(scratch.root), "build", "--publication", PUBLICATION,
                       "--doc", "annex", "--audience", "general", "--out", str(last_good))

    assert (code, err) == (0, "")
    assert not list(last_good.rglob("*.tmp"))
    assert not (last_good / ".briefpress" / "staging").exists()
    assert _consistent(last_good)
    after = snapshot(last_good)
    assert sorted(path for path in before if after.get(path) != before[path]) == [
        "manifest.json", legacy.relative_to(last_good).as_posix(), GENERAL_ANNEX]


PAUSE_IN_A_WORKER = """
    import os, sys, time
    from pathlib import Path
    import briefpress.workers
    parent = os.getpid()

    def render_pdf(*args):
        if os.getpid() != parent:  # a worker forked from the build
            Path(sys.argv[1]).write_text(str(os.getpid()))
            time.sleep(600)

    briefpress.workers.render_pdf = render_pdf
    from briefpress.cli import main
    sys.exit(main(sys.argv[2:]))
"""


def test_a_build_killed_with_sigkill_leaves_no_worker_behind(scratch: Project, tmp_path: Path) -> None:
    """A build killed with -9 cleans nothing up: its workers must die with it, not wait for a
    next job for ever, holding the pipes of whoever started the build."""
    paused = tmp_path / "paused"
    child = _child(PAUSE_IN_A_WORKER, str(paused), "--project", str(scratch.root), "build",
                   "--jobs", "2", "--publication", PUBLICATION, "--out", str(tmp_path / "out"))
    try:
        _wait_for(paused, child)
    finally:
        child.kill()
    worker = int(paused.read_text())
    child.communicate(timeout=60)  # returns once no process holds the build's output pipes
    deadline = time.monotonic() + 30
    while _alive(worker):
        assert time.monotonic() < deadline, f"worker {worker} outlived its build"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie waiting for its parent to read its exit does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


TERMINATE_AFTER_FIRST_RENDER = """
    import os, signal, sys
    import briefpress.workers
    real = briefpress.workers.render_pdf
    parent = os.getpid()

    def render_pdf(*args):  # in the build's process, or in a worker forked from it
        data = real(*args)
        os.kill(parent, signal.SIGTERM)
        return data

    briefpress.workers.render_pdf = render_pdf
    from briefpress.cli import main
    sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_cleans_up_and_exits_143(scratch: Project, last_good: Path, jobs: str) -> None:
    _retitle(scratch)
    before = snapshot(last_good)
    child = _child(TERMINATE_AFTER_FIRST_RENDER, "--project", str(scratch.root),
                   "build", "--jobs", jobs, "--publication", PUBLICATION, "--out", str(last_good))
    out, err = child.communicate(timeout=300)
    assert (child.returncode, out, err) == (143, "", "briefpress: terminated\n")
    assert snapshot(last_good) == before
    assert not (last_good / ".briefpress" / "staging").exists()


def _font_copying_audience(project: Project) -> str:
    """An audience of several documents whose stylesheet names a font in an @font-face rule
    (Amiri's figures, for its Arabic-Indic digits), which WeasyPrint copies to a temporary folder."""
    return next(name for name, profile in sorted(load_profiles(project).items())
                if profile.digits == "arabic-indic" and len(profile.documents) > 1
                and profile.gets(PUBLICATION))  # a user's profile may be limited to other publications


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_leaves_nothing_in_the_temporary_folder(tmp_path: Path, jobs: str) -> None:
    """Every process that rendered, the pool's workers too, removes WeasyPrint's copies of the
    fonts @font-face rules name when it ends."""
    project = copy_project(tmp_path / "project", fixtures=False, only=PUBLICATION)
    audience = _font_copying_audience(project)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = subprocess.run([sys.executable, "-m", "briefpress.cli", "--project", str(project.root),
                             "build", "--jobs", jobs, "--audience", audience, "--quiet",
                             "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "TMPDIR": str(temporary)})
    assert (result.returncode, result.stderr) == (0, "")
    assert len(list((tmp_path / "out").glob(f"{PUBLICATION}/{audience}/*.pdf"))) > 1
    assert sorted(path.name for path in temporary.iterdir()) == []


def test_a_build_whose_worker_fails_leaves_nothing_in_the_temporary_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's job fails after its render has copied fonts; the pool is stopped, its workers
    killed, and the folder of the pool's temporary files goes with them."""
    project = copy_project(tmp_path / "project", fixtures=False, only=PUBLICATION)
    audience = _font_copying_audience(project)
    documents = load_profiles(project)[audience].documents
    first = f"{PUBLICATION}/{audience}/{next(kind for kind in DOCUMENTS if kind in documents)}"
    real = briefpress.workers.render_pdf

    def render_pdf(project: Project, rendered: object, identifier: bytes, label: str,
                   *rest: object) -> bytes:
        data = real(project, rendered, identifier, label, *rest)  # type: ignore[arg-type]
        if label == first:  # the first job: no job before it for the caller to make again
            raise RuntimeError("injected after a render in a worker")
        return data

    monkeypatch.setattr(briefpress.workers, "render_pdf", render_pdf)  # workers fork from here
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    code, out, err = run("--project", str(project.root), "build", "--jobs", "2", "--audience",
                         audience, "--out", str(tmp_path / "out"))
    assert code == 1
    # The other worker may finish a job before the failure is known: the build says so, one line
    # each, and never that it built anything.
    assert all(re.fullmatch(rf"{PUBLICATION}/{audience}/\w+: [0-9.]+ s", line)
               for line in out.splitlines()), out
    assert "injected after a render in a worker" in err
    assert sorted(path.name for path in temporary.iterdir()) == []


def test_a_build_whose_worker_dies_says_so_and_writes_nothing(
        scratch: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed mid-build (the out-of-memory killer, say) was reported as an internal
    error of briefpress's, with a traceback to ask for."""
    out = tmp_path / "out"
    build(scratch, out, audiences=["legal"])
    before = {path: path.read_bytes() for path in out.rglob("*.pdf")}
    (scratch.templates_dir / "base.css").write_text(  # a project of its own may hold the package's
        scratch.find(Path("templates", "base.css")).read_text(encoding="utf-8") + "\n/* saved */\n",
        encoding="utf-8")

    def render_pdf(*args: object) -> bytes:
        os.kill(os.getpid(), signal.SIGKILL)  # in a worker: it dies, as killed from outside
        raise AssertionError("not reached")

    monkeypatch.setattr(briefpress.workers, "render_pdf", render_pdf)  # workers fork from here
    code, _, err = run("--project", str(scratch.root), "build", "--jobs", "2", "--out", str(out))
    assert (code, err) == (1, "a worker process died while making the PDFs (killed, or out of "
                              "memory?); nothing was written\n")
    assert {path: path.read_bytes() for path in out.rglob("*.pdf")} == before


INTERRUPT_DURING_IMPORTS = """
    import os, signal, sys
    from briefpress.cli import main

    class InterruptOnImport:
        def find_spec(self, name, path=None, target=None):
            if name == "pydantic":
                os.kill(os.getpid(), signal.SIGINT)
            return None

    sys.meta_path.insert(0, InterruptOnImport())
    sys.exit(main(sys.argv[1:]))
"""


def test_ctrl_c_during_the_heavy_imports_prints_one_line(project: Project) -> None:
    child = _child(INTERRUPT_DURING_IMPORTS, "--project", str(project.root), "list")
    out, err = child.communicate(timeout=120)
    assert (child.returncode, out, err) == (130, "", "briefpress: interrupted\n")


def test_the_command_line_imports_nothing_heavy_before_main() -> None:
    probe = ("import sys, briefpress.cli; print(sorted({m.split('.')[0] for m in sys.modules} & "
             "{'pydantic', 'weasyprint', 'jinja2', 'fontTools', 'pypdf', 'yaml'}))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout == "[]\n"
    assert cli.DOCUMENTS == DOCUMENTS


def test_a_second_build_waits_for_the_first(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / ".briefpress").mkdir(parents=True)
    with (out / ".briefpress" / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a build in progress
        child = subprocess.Popen(
            [sys.executable, "-m", "briefpress.cli", "--project", str(project.root), "build",
             "--doc", "annex", "--audience", "general", "--out", str(out)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stderr is not None
        assert child.stderr.readline() == f"waiting for another build into {out}\n"
        time.sleep(0.5)
        assert child.poll() is None
        assert not (out / PUBLICATION).exists()
        fcntl.flock(lock, fcntl.LOCK_UN)
    _, err = child.communicate(timeout=300)
    assert (child.returncode, err) == (0, "")
    assert _pdfs(out) == [GENERAL_ANNEX]


def test_manifest_lists_what_builds_wrote_and_removes_what_no_source_owns(
        scratch_project: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    root = scratch_project.root
    # Keep two profiles, general and researchers, so the test follows no shipped list.
    keep_profiles(root / "templates", "general", "researchers")
    code, _, err = run("--project", str(root), "build", "--doc", "annex", "--out", str(out))
    assert (code, err) == (0, "")
    assert _pdfs(out) == [GENERAL_ANNEX, f"{PUBLICATION}/researchers/annex.pdf"]
    # Files briefpress did not write: a broken PDF, a foreign PDF, and a manifest entry
    # that points outside the folder.
    (out / "notes" / "draft").mkdir(parents=True)
    (out / "notes" / "draft" / "broken.pdf").write_bytes(b"%PDF-1.7 broken")
    shutil.copy(out / GENERAL_ANNEX, out / "notes" / "copy.pdf")
    victim = tmp_path / "victim.pdf"
    victim.write_bytes(b"not ours")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"].append({**manifest["outputs"][0], "path": "../victim.pdf"})
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (root / "templates" / "audiences" / "researchers.yaml").unlink()  # a removed audience

    code, _, err = run("--project", str(root), "build", "--doc", "factsheet",
                       "--audience", "general", "--out", str(out))

    assert (code, err) == (0, "")
    assert sorted(_manifest(out)) == [GENERAL_ANNEX, f"{PUBLICATION}/general/factsheet.pdf"]
    assert _consistent(out)
    assert not (out / PUBLICATION / "researchers").exists()
    assert (out / "notes" / "draft" / "broken.pdf").read_bytes() == b"%PDF-1.7 broken"
    assert (out / "notes" / "copy.pdf").is_file()
    assert victim.read_bytes() == b"not ours"


def test_outputs_honour_the_umask(project: Project, tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        build(project, tmp_path, documents=["annex"], audiences=["general"])
    finally:
        os.umask(previous)
    for path in (tmp_path / GENERAL_ANNEX, tmp_path / "manifest.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path


def test_out_pointing_at_a_file_is_bad_usage(project: Project, tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    code, out, err = run("--project", str(project.root), "build", "--doc", "annex",
                         "--audience", "general", "--out", str(target))
    assert (code, out) == (2, "")
    assert err.startswith(f"{target}: cannot write the output folder (")
    assert target.read_text(encoding="utf-8") == "x"


def test_a_build_never_writes_into_the_package_s_templates_or_fonts(tmp_path: Path) -> None:
    """The package's templates/ and fonts/ are every project's defaults: `--out` inside them is
    refused (exit 2, the folder named) before anything is written, by build and copies alike."""
    from briefpress.copies import make_copies
    from briefpress.defaults import DATA_FOLDERS
    from briefpress.errors import UsageError
    from briefpress.scaffold import SAMPLE_ID, init_project

    from conftest import ROOT

    package = tmp_path / "package"
    for name in DATA_FOLDERS:
        shutil.copytree(ROOT / name, package / name)
    init_project(tmp_path / "briefs", package)
    project = Project(tmp_path / "briefs", package)
    before = sorted(path.relative_to(package) for path in package.rglob("*"))
    for out in (package / "templates", package / "fonts" / "out"):
        with pytest.raises(UsageError, match="inside the package's"):
            build(project, out, documents=["brief"], audiences=["general"], jobs=1)
    recipients = tmp_path / "recipients.csv"
    recipients.write_text("name\nسارة الخطيب\n", encoding="utf-8")
    with pytest.raises(UsageError, match="inside the package's templates/"):
        make_copies(project, package / "templates" / "copies", "general", "brief", recipients, SAMPLE_ID)
    assert sorted(path.relative_to(package) for path in package.rglob("*")) == before


def test_a_build_never_writes_into_what_the_project_s_builds_read(tmp_path: Path) -> None:
    """`--out` inside the project's content/, templates/ or fonts/ is refused before anything is
    written: each build would read the last one's PDFs as an edit, and `watch` would never rest."""
    from briefpress.errors import UsageError
    from briefpress.scaffold import init_project

    from conftest import ROOT

    init_project(tmp_path / "briefs", ROOT)
    project = Project(tmp_path / "briefs", ROOT)
    for folder, out in (("content", project.content_dir / "pdfs"), ("templates", project.templates_dir)):
        with pytest.raises(UsageError, match=f"inside the project's {folder}/"):
            build(project, out, documents=["brief"], audiences=["general"], jobs=1)
    watch = subprocess.run([sys.executable, "-m", "briefpress.cli", "--project", str(project.root), "watch",
                            "--out", str(project.content_dir / "pdfs")], capture_output=True, text=True,
                           timeout=120)
    assert watch.returncode == 2
    assert "is inside the project's content/, which every build reads" in watch.stderr
    assert not (project.content_dir / "pdfs").exists()
