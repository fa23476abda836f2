"""briefpress as a tool: the wheel carries its defaults, `init` writes a project, the project's files
come first, then the package's, and `check --project` reports on the whole project."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from briefpress import __version__
from briefpress.build import build
from briefpress.check.textlayer import pdfium_text
from briefpress.cli import main
from briefpress.defaults import DATA_FOLDERS, package_data
from briefpress.errors import FontError, Problem, TemplateError
from briefpress.fonts.registry import load_registry
from briefpress.project import MARKER, Project, find_project
from briefpress.scaffold import SAMPLE_ID, init_project

from conftest import CHECKOUT_PROFILES, ROOT

pytestmark = pytest.mark.first  # long, and needs no session build

# What `init` makes from this checkout's default profiles (a user's own audience adds its PDFs).
SAMPLE_PDFS = sum(len(profile.documents) for profile in CHECKOUT_PROFILES.values() if profile.gets(SAMPLE_ID))

SMOKE = ROOT / "tools" / "wheel-smoke"
NOT_EMPTY = ("the folder is not empty; choose an empty or new folder, or pass --force to write over "
             "what is there")
#: A project override of the package's brief template that extends it and adds one paragraph.
OVERRIDE = """\
{% extends "package/brief/brief.html.j2" %}
{% block forewords %}<p class="lead">كلمة فريق التحرير قبل الأقسام</p>{{ super() }}{% endblock %}
"""
OVERRIDE_WORDS = "كلمة فريق التحرير"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def data_files(root: Path) -> dict[str, bytes]:
    """The files of the data folders under `root`, by path, as the wheel's build hook copies them."""
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for folder in DATA_FOLDERS for path in sorted((root / folder).rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts
            and not any(part.startswith(".") for part in path.relative_to(root).parts)}


# The installed command's environment: no PYTHONPATH into a checkout (`make bench` sets one).
OUTSIDE = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tools/wheel-smoke run once: the wheel built, installed into a fresh venv outside the
    checkout, a project made, built and checked there; its folder. The venv borrows the
    dependencies this Python has installed (CI's own run of the script installs them too)."""
    work = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([str(SMOKE), str(work)], capture_output=True, text=True, check=False,
                            timeout=900, env={**OUTSIDE, "PYTHONDONTWRITEBYTECODE": "1",
                                              "PYTHON": sys.executable,
                                              "WHEEL_SMOKE_DEPENDENCIES": "borrowed"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (work / "smoke.txt").write_text(result.stdout, encoding="utf-8")
    return work


def briefpress(work: Path, *argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The installed command, run outside the checkout."""
    return subprocess.run([str(work / "venv" / "bin" / "briefpress"), *argv], capture_output=True,
                          text=True, check=False, timeout=600, cwd=cwd or work, env=OUTSIDE)


def installed_data(work: Path) -> Path:
    found = subprocess.run([str(work / "venv" / "bin" / "python"), "-c",
                            "from briefpress.defaults import package_data; print(package_data())"],
                           capture_output=True, text=True, check=True, cwd=work, env=OUTSIDE)
    return Path(found.stdout.strip())


def fresh_copy(work: Path, name: str) -> Path:
    """A copy of the project init made in the venv's folder, without its build."""
    project = work / name
    shutil.copytree(work / "project", project, ignore=shutil.ignore_patterns("build"))
    return project


# --- the wheel, installed outside any checkout ------------------------------------------------

def test_the_wheel_carries_every_template_font_licence_and_schema(installed: Path) -> None:
    wheel, = (installed / "dist").glob("briefpress-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        carried = {name.removeprefix("briefpress/_data/"): archive.read(name)
                   for name in archive.namelist() if name.startswith("briefpress/_data/")}
    assert carried == data_files(ROOT)
    for needed in ("templates/base.css", "templates/audiences/general.yaml", "templates/icc/fogra39.icc",
                   "templates/icc/LICENSE-zlib.txt", "fonts/Amiri-Regular.ttf", "fonts/OFL-Amiri.txt",
                   "schemas/profile.schema.json"):
        assert needed in carried


def test_the_installed_command_makes_builds_and_checks_a_project_outside_the_checkout(
        installed: Path) -> None:
    smoke = (installed / "smoke.txt").read_text(encoding="utf-8")
    assert f"briefpress {__version__}\n" in smoke
    assert "PDF(s) embed only the package's fonts" in smoke and smoke.endswith("wheel-smoke: ok\n")
    data = installed_data(installed)
    assert data.is_relative_to(installed / "venv") and not data.is_relative_to(ROOT)
    pdfs = sorted((installed / "project" / "build").rglob("*.pdf"))
    assert len(pdfs) == SAMPLE_PDFS
    assert f"checked {SAMPLE_PDFS} PDF(s): 0 failed; 0 override(s) of a changed default" in smoke
    # The package's defaults are read, never written: they are still the checkout's bytes.
    assert data_files(data) == data_files(ROOT)


def test_a_project_s_pdfs_do_not_depend_on_where_briefpress_is_installed(installed: Path,
                                                                        tmp_path: Path) -> None:
    project = find_project(installed / "project")
    assert project.defaults == package_data() == ROOT  # this checkout's, not the venv's
    build(project, tmp_path / "out")
    here = {path.relative_to(tmp_path / "out").as_posix(): path.read_bytes()
            for path in sorted((tmp_path / "out").rglob("*.pdf"))}
    there = {path.relative_to(project.root / "build").as_posix(): path.read_bytes()
             for path in sorted((project.root / "build").rglob("*.pdf"))}
    assert len(here) == SAMPLE_PDFS and here == there


def test_a_project_override_shadows_the_package_default(installed: Path) -> None:
    project = fresh_copy(installed, "override")
    (project / "templates" / "brief").mkdir()
    (project / "templates" / "brief" / "brief.html.j2").write_text(OVERRIDE, encoding="utf-8")
    result = briefpress(installed, "build", "--quiet", cwd=project / "content")  # found from below
    assert result.returncode == 0, result.stderr
    general = project / "build" / SAMPLE_ID / "general"
    assert OVERRIDE_WORDS in pdfium_text(general / "brief.pdf")
    assert "الأنابيب القديمة" in pdfium_text(general / "brief.pdf")  # the package's template still runs
    assert OVERRIDE_WORDS not in pdfium_text(general / "factsheet.pdf")
    checked = briefpress(installed, "check", "--project", str(project))
    assert checked.returncode == 0, checked.stdout[-2000:]
    assert "0 override(s) of a changed default" in checked.stdout  # the default it shadows is as it was


def test_a_project_made_by_an_older_version_builds_and_names_the_defaults_changed_since(
        installed: Path) -> None:
    project = fresh_copy(installed, "older")
    (project / "templates" / "brief").mkdir()
    (project / "templates" / "brief" / "brief.html.j2").write_text(OVERRIDE, encoding="utf-8")
    marker = project / MARKER
    text = marker.read_text(encoding="utf-8").replace(f'briefpress = "{__version__}"', 'briefpress = "0.0.9"')
    older = "0" * 64
    for changed in ("templates/brief/brief.html.j2", "templates/audiences/press.yaml"):
        text, count = re.subn(rf'^"{re.escape(changed)}" = "[0-9a-f]{{64}}"$', f'"{changed}" = "{older}"',
                              text, flags=re.MULTILINE)
        assert count == 1
    text = re.sub(r'^"templates/base.css" = .*\n', "", text, flags=re.MULTILINE)  # added since 0.0.9
    marker.write_text(text, encoding="utf-8")
    (project / "templates" / "base.css").write_text(
        (installed_data(installed) / "templates" / "base.css").read_text(encoding="utf-8"), encoding="utf-8")
    checked = briefpress(installed, "check", "--project", str(project))
    assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr[-2000:]
    warned = [line for line in checked.stdout.splitlines() if line.startswith("warn ")]
    assert warned == [
        "warn templates/audiences/press.yaml: overrides the package default "
        "package:templates/audiences/press.yaml, changed since briefpress 0.0.9 made this project",
        "warn templates/base.css: overrides the package default package:templates/base.css, "
        "added since briefpress 0.0.9 made this project",
        "warn templates/brief/brief.html.j2: overrides the package default "
        "package:templates/brief/brief.html.j2, changed since briefpress 0.0.9 made this project"]
    assert len(list((project / "build").rglob("*.pdf"))) == SAMPLE_PDFS
    assert OVERRIDE_WORDS in pdfium_text(project / "build" / SAMPLE_ID / "general" / "brief.pdf")


def test_an_override_stylesheet_imports_the_shared_one_the_package_holds(tmp_path: Path) -> None:
    """README's pattern, `@import url("../../../brief/brief.css")` in an audience's override,
    in a project made by init, which holds no brief.css of its own: the import reads the
    package's, as the page does (validation called it a file not found)."""
    root = tmp_path / "briefs"
    assert run("init", str(root))[0] == 0
    override = root / "templates" / "audiences" / "general" / "brief" / "brief.css"
    override.parent.mkdir()
    override.write_text('@import url("../../../brief/brief.css");\nh1 { color: #ff0000; }\n',
                        encoding="utf-8")
    code, _, err = run("build", "--project", str(root), "--audience", "general", "--doc", "brief")
    assert (code, err) == (0, "")
    with pdfplumber.open(root / "build" / SAMPLE_ID / "general" / "brief.pdf") as pdf:
        title = {round(char["size"], 1) for char in pdf.pages[0].chars
                 if tuple(char["non_stroking_color"] or ()) == (1, 0, 0)}
    assert title == {26.0}  # red, as the override says, at the shared brief.css's title size


# --- init ---------------------------------------------------------------------------------

def test_init_writes_a_project_whose_yaml_names_schemas_that_resolve(tmp_path: Path) -> None:
    code, _, err = run("init", str(tmp_path / "briefs"))
    assert (code, err) == (0, "")
    root = tmp_path / "briefs"
    marker = (root / MARKER).read_text(encoding="utf-8")
    assert f'briefpress = "{__version__}"' in marker
    base = (ROOT / "templates" / "base.css").read_bytes()
    assert f'"templates/base.css" = "{hashlib.sha256(base).hexdigest()}"' in marker
    assert (root / ".gitignore").read_text(encoding="utf-8") == "/build/\n"
    assert sorted(path.name for path in (root / "templates" / "audiences").glob("*.yaml")) == \
        sorted(f"{name}.yaml" for name, profile in CHECKOUT_PROFILES.items() if profile.gets(SAMPLE_ID))
    assert [path.name for path in (root / "templates" / "audiences" / "general").iterdir()] == ["README.md"]
    yamls = sorted(root.rglob("*.yaml"))
    assert len(yamls) == 3 + sum(profile.gets(SAMPLE_ID) for profile in CHECKOUT_PROFILES.values())
    for path in yamls:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = path.parent / first.split("$schema=", 1)[1]
        assert schema.resolve().is_relative_to(root.resolve()) and "title" in json.loads(schema.read_text())
    assert find_project(root / "content") == Project(root, package_data())


def test_init_refuses_a_folder_that_is_not_empty_unless_forced(tmp_path: Path) -> None:
    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, out, err = run("init", str(folder))
    assert (code, out, err.splitlines()[0]) == (2, "", f"{folder}: {NOT_EMPTY}")
    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt"]
    code, out, err = run("init", str(folder), "--force")
    assert (code, err) == (0, "")
    assert (folder / MARKER).is_file() and (folder / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_the_suite_runs_its_invariants_over_a_project_made_by_init(tmp_path: Path) -> None:
    """`BRIEFPRESS_PROJECT=DIR pytest -m invariants`, as the README tells a user, collects the
    checks over the publications and profiles of DIR, not over this checkout's content."""
    root = tmp_path / "briefs"
    assert run("init", str(root))[0] == 0
    assert run("new", "publication", "my-brief", "--project", str(root))[0] == 0
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                             "--collect-only", "-m", "invariants", "tests/test_documents.py"],
                            cwd=ROOT, env={**os.environ, "BRIEFPRESS_PROJECT": str(root)},
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    collected = {line.split("[", 1)[1].rstrip("]") for line in result.stdout.splitlines()
                 if line.startswith("tests/test_documents.py::") and "[" in line}
    assert "my-brief/general/brief" in collected and f"{SAMPLE_ID}/general/brief" in collected
    assert not any(name.startswith("russia-dprk-partnership/") for name in collected)


# --- one resolution order, one sandbox -------------------------------------------------------

@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the package's defaults that a test may break."""
    folder = tmp_path / "package"
    for name in DATA_FOLDERS:
        shutil.copytree(ROOT / name, folder / name)
    (folder / "secret.png").write_bytes((ROOT / "docs" / "images" / "preview.png").read_bytes())
    return folder


def test_a_project_file_comes_before_the_package_s_and_messages_name_which(tmp_path: Path,
                                                                           package: Path) -> None:
    init_project(tmp_path / "briefs", package)
    project = Project(tmp_path / "briefs", package)
    broken = package / "templates" / "brief" / "brief.html.j2"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("{% block body %}", "{% block body %}{% if %}", 1), encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        build(project, tmp_path / "out", documents=["brief"], audiences=["general"], jobs=1)
    first = raised.value.problems[0]
    assert isinstance(first, Problem)
    assert (str(first.path), first.line) == ("package:templates/brief/brief.html.j2", 6)
    # The project's own copy shadows the broken default, file by file; a fault in it is the project's.
    override = project.templates_dir / "brief" / "brief.html.j2"
    override.parent.mkdir()
    override.write_text(good, encoding="utf-8")
    build(project, tmp_path / "out", documents=["brief"], audiences=["general"], jobs=1)
    assert "الأنابيب القديمة" in pdfium_text(tmp_path / "out" / SAMPLE_ID / "general" / "brief.pdf")
    override.write_text(good.replace("{% block body %}", "{% block body %}{% if %}", 1), encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        build(project, tmp_path / "out", documents=["brief"], audiences=["general"], jobs=1)
    assert str(raised.value.problems[0]).startswith("templates/brief/brief.html.j2: line 6: ")


def test_init_leaves_out_a_default_profile_limited_to_other_publications(tmp_path: Path,
                                                                        package: Path) -> None:
    """A wheel built from a project carries that project's profiles; one limited to its own
    publications (`publications: [...]`) would name publications a new project lacks, and its
    first build would refuse them. init writes the profiles that apply to the sample."""
    audiences = package / "templates" / "audiences"
    (audiences / "council.yaml").write_text(
        "name: council\ndescription: إصدار المجلس\ndocuments: [brief]\npublications: [gulf-fisheries]\n",
        encoding="utf-8")
    (audiences / "sample-readers.yaml").write_text(
        f"name: sample-readers\ndescription: قراء العينة\ndocuments: [brief]\npublications: [{SAMPLE_ID}]\n",
        encoding="utf-8")
    init_project(tmp_path / "briefs", package)
    written = sorted(path.name for path in (tmp_path / "briefs" / "templates" / "audiences").glob("*.yaml"))
    defaults = [f"{name}.yaml" for name, profile in CHECKOUT_PROFILES.items() if profile.gets(SAMPLE_ID)]
    assert written == sorted(["sample-readers.yaml", *defaults])
    project = Project(tmp_path / "briefs", package)
    build(project, tmp_path / "out", documents=["brief"], audiences=["sample-readers"], jobs=1)
    assert (tmp_path / "out" / SAMPLE_ID / "sample-readers" / "brief.pdf").exists()


def test_a_project_font_joins_the_package_s_and_a_broken_one_is_named_by_its_layer(tmp_path: Path,
                                                                                  package: Path) -> None:
    init_project(tmp_path / "briefs", package)
    project = Project(tmp_path / "briefs", package)
    (project.root / "fonts").mkdir()
    shutil.copy(package / "fonts" / "Amiri-Bold.ttf", project.root / "fonts" / "Amiri-Bold.ttf")
    registry = load_registry(*project.font_dirs)
    assert {font.path.parent for font in registry.fonts} == {project.root / "fonts", package / "fonts"}
    assert [font.path for font in registry.fonts if font.path.name == "Amiri-Bold.ttf"] == \
        [project.root / "fonts" / "Amiri-Bold.ttf"]
    (package / "fonts" / "Amiri-Regular.ttf").write_bytes(b"\0\1\0\0 not a font")
    load_registry.cache_clear()  # fonts are read once per process, as after an edit in `watch`
    with pytest.raises(FontError) as raised:
        load_registry(*project.font_dirs)
    assert str(raised.value.problems[0]).startswith("package:fonts/Amiri-Regular.ttf: ")
    (project.root / "fonts" / "Amiri-Bold.ttf").write_bytes(b"\0\1\0\0 not a font")
    load_registry.cache_clear()
    with pytest.raises(FontError) as raised:
        load_registry(*project.font_dirs)
    assert str(raised.value.problems[0]).startswith("fonts/Amiri-Bold.ttf: ")


def test_the_sandbox_admits_the_package_s_templates_and_fonts_and_nothing_else(tmp_path: Path,
                                                                               package: Path) -> None:
    init_project(tmp_path / "briefs", package)
    sandbox = Project(tmp_path / "briefs", package).sandbox()
    assert sandbox.file_problem(package / "templates" / "base.css", "stylesheet") is None
    assert sandbox.file_problem(package / "fonts" / "Amiri-Regular.ttf", "font") is None
    assert sandbox.url_problem((package / "templates" / "icc" / "fogra39.icc").as_uri()) is None
    assert sandbox.path_problem(package / "secret.png") == (
        "'..' leads outside the project's content/, templates/, package:templates/, fonts/ and "
        "package:fonts/ folders")
    assert sandbox.url_problem((package / "secret.png").as_uri()) is not None
    assert sandbox.file_problem(package / "schemas" / "profile.schema.json", "stylesheet") is not None
    # A folder without the marker holds all it builds with, as this repository does.
    assert find_project(ROOT).defaults is None
    assert Project(ROOT).sandbox().path_problem(package / "templates" / "base.css") is not None


# --- check --project ---------------------------------------------------------------------------

def test_check_project_fails_on_a_product_level_failure(tmp_path: Path) -> None:
    root = tmp_path / "briefs"
    assert run("init", str(root))[0] == 0
    stylesheet = root / "templates" / "brief" / "brief.css"
    stylesheet.parent.mkdir()
    stylesheet.write_text((ROOT / "templates" / "brief" / "brief.css").read_text(encoding="utf-8")
                          + "\nmain ul { direction: ltr; text-align: left; }\n", encoding="utf-8")
    code, out, err = run("check", "--project", str(root))
    assert code == 1
    assert f"{root}/build/{SAMPLE_ID}/general/brief.pdf: page 1: list marker '–' drawn left of its " \
           "right-to-left item" in err
    assert "  FAIL list markers: 3 drawn left of right-to-left items (0 on the right)" in out
    assert re.search(rf"checked {SAMPLE_PDFS} PDF\(s\): [1-9]\d* failed", out)
    # Without the override, a project made by init passes (the wheel fixture checks one).
