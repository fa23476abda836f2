"""Parallel and incremental builds: `--jobs` changes no byte, and a rebuild makes exactly the PDFs
whose inputs changed, removes those no source asks for, and keeps every byte of the rest."""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

import briefpress.build
from briefpress.build import Progress, build
from briefpress.output.cache import load_cache
from briefpress.project import Project
from briefpress.workers import Job, run_all

from conftest import PUBLICATION, SEED_TARGETS, copy_project
from test_atomic import snapshot
from test_cli import run


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    """The first publication built with two processes: a project and its output folder."""
    root = tmp_path_factory.mktemp("incremental")
    project = copy_project(root / "project", fixtures=False, only=PUBLICATION)
    out = root / "out"
    build(project, out, jobs=2)
    return project, out


@pytest.fixture
def again(first: tuple[Project, Path], tmp_path: Path) -> tuple[Project, Path]:
    """A copy of the module's project and of its output folder (build record included)."""
    project, out = first
    copy = copy_project(tmp_path / "project", fixtures=False, only=PUBLICATION)
    shutil.rmtree(copy.templates_dir)
    shutil.copytree(project.templates_dir, copy.templates_dir)
    shutil.copytree(out, tmp_path / "out")
    return copy, tmp_path / "out"


# The first publication's targets under the project's profiles (a user's audience adds its own).
SEED = SEED_TARGETS
ALL = len(SEED)
PRESS = {str(target) for target in SEED if target.audience == "press"}


def of_kind(document: str) -> set[str]:
    return {str(target) for target in SEED if target.document == document}


def rebuild(project: Project, out: Path, **options: object) -> tuple[set[str], set[str]]:
    """Build again; the labels of the targets rendered, and of those kept unchanged."""
    done: list[Progress] = []
    build(project, out, on_progress=done.append, **options)  # type: ignore[arg-type]
    return ({p.target.label for p in done if p.seconds is not None},
            {p.target.label for p in done if p.seconds is None})


def pdfs(out: Path) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(out).items() if not name.startswith(".briefpress/")}


def labels(*pairs: str) -> set[str]:
    return {f"{PUBLICATION}/{pair}" for pair in pairs}


def test_two_jobs_give_the_bytes_of_one(first: tuple[Project, Path], tmp_path: Path) -> None:
    project, out = first
    build(project, tmp_path / "one", jobs=1)
    assert pdfs(tmp_path / "one") == pdfs(out)
    assert len([name for name in pdfs(out) if name.endswith(".pdf")]) == ALL


def test_two_jobs_leave_the_caller_s_garbage_collection_as_it_was(first: tuple[Project, Path]) -> None:
    """The pool is forked with the caller's objects out of the workers' collections; the caller
    collects its own garbage again afterwards (a preview keeps its pool for hours)."""
    assert (gc.isenabled(), gc.get_freeze_count()) == (True, 0)


def test_an_unchanged_rebuild_loads_and_renders_nothing(
        again: tuple[Project, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    project, out = again
    before = snapshot(out)

    def refuse(*args: object) -> None:
        raise AssertionError("an unchanged build validated the project")

    monkeypatch.setattr(briefpress.build, "validate_project", refuse)
    code, text, err = run("--project", str(project.root), "build", "--out", str(out))
    assert (code, err) == (0, "")
    lines = text.splitlines()
    assert lines[-1] == f"built {ALL} PDF(s) (0 rendered, {ALL} unchanged); manifest: {out / 'manifest.json'}"
    assert f"{PUBLICATION}/general/brief: unchanged" in lines
    assert snapshot(out) == before


# What an unchanged rebuild has no use for: the renderer, and every PDF reader and writer.
HEAVY = ("weasyprint", "pikepdf", "pypdf", "pdfplumber", "pypdfium2", "fontTools")


def test_an_unchanged_rebuild_imports_no_renderer_and_no_pdf_library(
        again: tuple[Project, Path]) -> None:
    """A save that changed nothing costs the editor the build record's reading alone."""
    project, out = again
    probe = ("import sys; from briefpress.cli import main; "
             "code = main(['--project', sys.argv[1], 'build', '--quiet', '--out', sys.argv[2]]); "
             f"print(code, *sorted({{name.split('.')[0] for name in sys.modules}} & set({HEAVY!r})))")
    result = subprocess.run([sys.executable, "-c", probe, str(project.root), str(out)],
                            capture_output=True, text=True, check=True)
    assert (result.stdout.split(), result.stderr) == (["0"], "")


def test_a_build_reads_its_own_pdfs_with_pikepdf_alone(again: tuple[Project, Path], tmp_path: Path) -> None:
    """pypdf reads foreign PDFs (`check`, `copies`, `impose`); a build finishes and checks the
    PDFs it makes in the one pikepdf pass that writes them."""
    project, _ = again
    probe = ("import sys; from briefpress.cli import main; "
             "code = main(['--project', sys.argv[1], 'build', '--quiet', '--doc', 'annex', "
             "'--audience', 'general', '--out', sys.argv[2]]); "
             "print(code, 'pypdf' in sys.modules, 'pikepdf' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe, str(project.root), str(tmp_path / "out")],
                            capture_output=True, text=True, check=True)
    assert (result.stdout.split(), result.stderr) == (["0", "False", "True"], "")
    assert list((tmp_path / "out").rglob("annex.pdf"))


def test_a_comment_in_a_profile_renders_nothing(again: tuple[Project, Path]) -> None:
    project, out = again
    profile = project.templates_dir / "audiences" / "press.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "# a note for editors\n", encoding="utf-8")
    before = pdfs(out)
    made, kept = rebuild(project, out)
    assert (made, len(kept)) == (set(), ALL)
    assert pdfs(out) == before


def test_a_file_beside_the_fonts_that_is_no_font_renders_nothing(again: tuple[Project, Path]) -> None:
    """The registry reads the .ttf and .otf files at the top of fonts/; a licence, a note or a
    folder put beside them changes no PDF, so it renders none again."""
    project, out = again
    fonts = project.root / "fonts"
    shipped = fonts.resolve()
    fonts.unlink()
    shutil.copytree(shipped, fonts)
    (fonts / "NOTES.txt").write_text("الخطوط المعتمدة للإصدارات\n", encoding="utf-8")
    (fonts / "old").mkdir()
    (fonts / "old" / "Amiri-Regular.ttf").write_bytes(b"not read: a font in a subfolder")
    before = pdfs(out)
    made, kept = rebuild(project, out)
    assert (made, len(kept)) == (set(), ALL)
    assert pdfs(out) == before


def test_a_profile_edit_renders_that_audience_alone_and_as_a_full_build_would(
        again: tuple[Project, Path], tmp_path: Path) -> None:
    project, out = again
    profile = project.templates_dir / "audiences" / "press.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace('"#1f3f77"', '"#7a1f1f"'),
                       encoding="utf-8")
    before = pdfs(out)
    made, kept = rebuild(project, out)
    assert made == PRESS == labels("press/brief", "press/factsheet")
    assert len(kept) == ALL - len(PRESS)
    after = pdfs(out)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {f"{PUBLICATION}/press/brief.pdf", f"{PUBLICATION}/press/factsheet.pdf",
                       "manifest.json"}
    build(project, tmp_path / "fresh", jobs=1)  # the byte-identical guarantee holds with the cache
    assert pdfs(tmp_path / "fresh") == after


def test_a_facts_edit_renders_the_fact_sheets_alone(again: tuple[Project, Path]) -> None:
    project, out = again
    facts = project.content_dir / PUBLICATION / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("title: حقائق وأرقام", "title: حقائق"),
                     encoding="utf-8")
    made, _ = rebuild(project, out)
    assert made == of_kind("factsheet")


def test_a_rebuild_hands_each_job_its_last_making_time(again: tuple[Project, Path],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The build record keeps how long each PDF took; the next build's jobs carry it, so that
    a pool starts the longest first (next test)."""
    project, out = again
    recorded = load_cache(out).records
    assert len(recorded) == ALL and all((record.seconds or 0) > 0 for record in recorded.values())
    carried: dict[str, float | None] = {}
    make_all = briefpress.build.make_all

    def spy(jobs: list[Job], processes: int, pool: Any = None) -> Any:
        carried.update({job.name: job.last_seconds for job in jobs})
        return make_all(jobs, processes, pool)

    monkeypatch.setattr(briefpress.build, "make_all", spy)
    facts = project.content_dir / PUBLICATION / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("title: حقائق وأرقام", "title: حقائق"),
                     encoding="utf-8")
    made, _ = rebuild(project, out)
    assert {name.removesuffix(".pdf") for name in carried} == made == of_kind("factsheet")
    assert carried == {name: recorded[name].seconds for name in carried}


def _job(name: str, document: str, characters: int, last_seconds: float | None = None) -> Job:
    rendered = cast(Any, SimpleNamespace(html="x" * characters))
    nothing = cast(Any, None)
    return Job(nothing, name, name, ("publication", "audience", document), rendered, nothing, nothing,
               nothing, last_seconds)


def test_a_pool_starts_the_longest_expected_jobs_first() -> None:
    """A job's time is its last one when the record has it, else its HTML's length at its
    document's rate: a fact sheet, laid out again to fit its sheet, before a longer brief."""
    jobs = [_job("annex", "annex", 4000), _job("brief", "brief", 6000),
            _job("factsheet", "factsheet", 4200), _job("slow annex", "annex", 100, last_seconds=9.0)]
    started: list[str] = []
    with ThreadPoolExecutor(1) as pool:  # one thread: jobs start in the order they are handed in
        list(run_all(jobs, 2, cast(Any, pool), lambda job: started.append(job.name)))
    assert started == ["slow annex", "factsheet", "brief", "annex"]


def test_a_stylesheet_edit_renders_the_documents_that_read_it(again: tuple[Project, Path]) -> None:
    """Stylesheets reach WeasyPrint through its fetcher, which records each file it serves."""
    project, out = again
    css = project.templates_dir / "annex" / "annex.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* unchanged rules, new bytes */\n",
                   encoding="utf-8")
    made, _ = rebuild(project, out)
    assert made == of_kind("annex")


def test_force_renders_everything_and_a_changed_pdf_is_made_again(again: tuple[Project, Path]) -> None:
    project, out = again
    before = pdfs(out)
    brief = out / PUBLICATION / "general" / "brief.pdf"
    brief.write_bytes(brief.read_bytes() + b"%")
    made, kept = rebuild(project, out)
    assert made == labels("general/brief")
    assert pdfs(out) == before
    made, kept = rebuild(project, out, force=True)
    assert (len(made), kept) == (ALL, set())
    assert pdfs(out) == before


def test_a_removed_audience_loses_its_pdfs_and_the_build_says_so(again: tuple[Project, Path]) -> None:
    project, out = again
    (project.templates_dir / "audiences" / "press.yaml").unlink()
    code, text, err = run("--project", str(project.root), "build", "--out", str(out))
    assert (code, err) == (0, "")
    lines = text.splitlines()
    assert [line for line in lines if line.startswith("removed ")] == [
        f"removed {PUBLICATION}/press/brief.pdf: no source asks for it any more",
        f"removed {PUBLICATION}/press/factsheet.pdf: no source asks for it any more"]
    left = ALL - len(PRESS)
    assert lines[-1].startswith(f"built {left} PDF(s) (0 rendered, {left} unchanged)")
    assert not (out / PUBLICATION / "press").exists()


def test_quiet_prints_nothing_and_jobs_is_checked(again: tuple[Project, Path]) -> None:
    project, out = again
    assert run("--project", str(project.root), "build", "--quiet", "--out", str(out)) == (0, "", "")
    code, text, err = run("--project", str(project.root), "build", "--jobs", "0", "--out", str(out))
    assert (code, text) == (2, "")
    assert err.splitlines()[0] == ("briefpress build: argument --jobs/-j: must be a whole number "
                                   "from 1 to 256; got '0'")


def test_a_stylesheet_edited_and_restored_during_a_build_is_not_kept(
        again: tuple[Project, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The input stamp is taken before a build reads anything: a stylesheet edited while the
    PDFs are rendered, and restored before the next build, leaves the stamp as it was, but the
    PDFs hold the edit. The next build must make them again, not call them unchanged."""
    project, out = again
    css = project.templates_dir / "annex" / "annex.css"
    restored = css.read_text(encoding="utf-8") + "\n/* a saved edit */\n"
    css.write_text(restored, encoding="utf-8")
    real = briefpress.build.make_all

    def during(jobs: Any, processes: int, pool: Any = None) -> Any:
        css.write_text(restored + "\nbody { background: #fcc; }\n", encoding="utf-8")  # a save ...
        try:
            yield from real(jobs, 1)
        finally:
            css.write_text(restored, encoding="utf-8")  # ... undone before the next build

    monkeypatch.setattr(briefpress.build, "make_all", during)
    made, _ = rebuild(project, out, jobs=1)
    assert made == of_kind("annex")
    monkeypatch.setattr(briefpress.build, "make_all", real)
    made, _ = rebuild(project, out, jobs=1)
    assert made == of_kind("annex")
    forced = out.parent / "forced"
    build(project, forced, jobs=1)
    assert {name: data for name, data in pdfs(out).items() if name.endswith(".pdf")} == \
        {name: data for name, data in pdfs(forced).items() if name.endswith(".pdf")}


def test_a_source_saved_after_the_stamp_and_undone_later_is_made_again(
        again: tuple[Project, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A build takes its input stamp, then (after waiting for the output folder's lock, say)
    reads the sources. A save in between is what the PDFs hold; undone before the next build,
    it leaves the sources as the stamp names them, and that build called the PDFs unchanged."""
    project, out = again
    brief = project.content_dir / PUBLICATION / "brief.md"
    saved = brief.read_text(encoding="utf-8") + "\nفقرة أولى.\n"
    brief.write_text(saved, encoding="utf-8")  # the save that starts the build
    real_validate, real_make = briefpress.build.validate_project, briefpress.build.make_all

    def reading(*args: Any) -> Any:
        brief.write_text(saved + "\nفقرة ثانية.\n", encoding="utf-8")  # a save ...
        return real_validate(*args)

    def during(jobs: Any, processes: int, pool: Any = None) -> Any:
        try:
            yield from real_make(jobs, 1)
        finally:
            brief.write_text(saved, encoding="utf-8")  # ... undone before the next build

    monkeypatch.setattr(briefpress.build, "validate_project", reading)
    monkeypatch.setattr(briefpress.build, "make_all", during)
    made, _ = rebuild(project, out, jobs=1)
    assert made == of_kind("brief")
    monkeypatch.setattr(briefpress.build, "validate_project", real_validate)
    monkeypatch.setattr(briefpress.build, "make_all", real_make)
    made, _ = rebuild(project, out, jobs=1)
    assert made == of_kind("brief")


def test_a_printer_profile_saved_during_a_build_is_not_half_used(
        again: tuple[Project, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The build record keys a print PDF by the ICC profile's digest: the key and the finishing
    must read the same bytes. Read twice, a save between the two (undone before the next build)
    left PDFs finished with bytes their key does not name, kept as unchanged for ever."""
    project, out = again
    icc = project.templates_dir / "icc" / "fogra39.icc"
    original = icc.read_bytes()
    edited = bytearray(original)
    edited[29] ^= 1  # a byte of the profile's creation date
    profile = project.audiences_dir / "print.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "marking: مسودة\n", encoding="utf-8")
    real = briefpress.build.make_all

    def during(jobs: Any, processes: int, pool: Any = None) -> Any:
        icc.write_bytes(bytes(edited))  # a save while the PDFs are made ...
        try:
            yield from real(jobs, 1)
        finally:
            icc.write_bytes(original)  # ... undone before the next build

    monkeypatch.setattr(briefpress.build, "make_all", during)
    rebuild(project, out, jobs=1, audiences=["print"])
    monkeypatch.setattr(briefpress.build, "make_all", real)
    forced = out.parent / "forced"
    build(project, forced, jobs=1, audiences=["print"])
    printed = {name: data for name, data in pdfs(forced).items() if name.endswith(".pdf")}
    assert len(printed) == len({target for target in SEED if target.audience == "print"})
    rebuild(project, out, jobs=1, audiences=["print"])
    assert {name: pdfs(out)[name] for name in printed} == printed


def test_a_project_file_added_in_front_of_an_imported_default_renders_what_imports_it(
        tmp_path: Path) -> None:
    """A project stylesheet that @imports `../../../brief/brief.css` reads the package's file while
    the project has none; once the project adds its own, that is what the import reads, so the
    PDFs that import it are made again, as a forced build makes them."""
    from briefpress.scaffold import SAMPLE_ID, init_project

    from conftest import ROOT

    init_project(tmp_path / "briefs", ROOT)
    project = Project(tmp_path / "briefs", ROOT)
    override = project.templates_dir / "audiences" / "parliament" / "brief" / "brief.css"
    override.parent.mkdir(parents=True)
    shutil.copy(ROOT / "templates" / "audiences" / "parliament" / "brief" / "brief.css", override)
    out, forced = tmp_path / "out", tmp_path / "forced"
    build(project, out, audiences=["parliament"], jobs=1)
    _shared_brief_stylesheet_of_its_own(project)
    made, _ = rebuild(project, out, audiences=["parliament"], jobs=1)
    assert made == {f"{SAMPLE_ID}/parliament/brief"}
    build(project, forced, audiences=["parliament"], jobs=1, force=True)
    assert pdfs(out) == pdfs(forced)


def _shared_brief_stylesheet_of_its_own(project: Project) -> None:
    """Give a project its own `templates/brief/brief.css`: the package's, with larger headings."""
    from conftest import ROOT

    shared = project.templates_dir / "brief" / "brief.css"
    shared.parent.mkdir()
    shared.write_text((ROOT / "templates" / "brief" / "brief.css").read_text(encoding="utf-8")
                      + "\n.sections h2 { font-size: 30pt; }\n", encoding="utf-8")


def test_a_default_override_imports_the_project_s_own_shared_stylesheet(tmp_path: Path) -> None:
    """The package's parliament override `@import`s `../../../brief/brief.css`; in a project that
    has its own `templates/brief/brief.css`, that is the file the import reads, as every other
    stylesheet path is looked for in the project first, so the parliament brief changes with it."""
    from briefpress.scaffold import SAMPLE_ID, init_project

    from conftest import ROOT

    init_project(tmp_path / "briefs", ROOT)
    project = Project(tmp_path / "briefs", ROOT)
    out, forced = tmp_path / "out", tmp_path / "forced"
    build(project, out, audiences=["parliament"], jobs=1)
    before = pdfs(out)
    _shared_brief_stylesheet_of_its_own(project)
    made, _ = rebuild(project, out, audiences=["parliament"], jobs=1)
    assert made == {f"{SAMPLE_ID}/parliament/brief"}
    assert pdfs(out) != before
    build(project, forced, audiences=["parliament"], jobs=1, force=True)
    assert pdfs(out) == pdfs(forced)


def test_the_code_fingerprint_names_every_installed_distribution_as_importlib_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build record's code fingerprint reads only each metadata file's header: it must name
    every distribution as `importlib.metadata`'s full parse does, and change with a version but
    not with a long description that happens to hold a `Version:` line."""
    from importlib import metadata

    from briefpress.output import cache

    def full_parse() -> list[str]:
        return sorted({f"{dist.metadata['Name']}=={dist.version}"
                       for dist in metadata.distributions() if dist.metadata["Name"]})

    site = tmp_path / "site"
    info = site / "briefpress_probe-1.0.dist-info"
    info.mkdir(parents=True)
    description = "A probe.\n\nVersion: 9.9\nName: other\n"
    header = "Metadata-Version: 2.1\nName: briefpress-probe\nVersion: 1.0\n\n"
    (info / "METADATA").write_text(header + description, encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    listed = cache.installed_distributions()
    assert listed == full_parse() and "briefpress-probe==1.0" in listed
    cache.code_fingerprint.cache_clear()
    before = cache.code_fingerprint()
    (info / "METADATA").write_text(f"{header}{description}More text.\n", encoding="utf-8")
    cache.code_fingerprint.cache_clear()
    assert cache.code_fingerprint() == before
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: briefpress-probe\nVersion: 1.1\n\n",
                                   encoding="utf-8")
    cache.code_fingerprint.cache_clear()
    assert cache.code_fingerprint() != before and "briefpress-probe==1.1" in cache.installed_distributions()
    cache.code_fingerprint.cache_clear()
