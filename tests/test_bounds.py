"""Hostile input stays bounded: time, memory, file kinds, permissions, and one sandbox for every read."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefpress.build import validate_project
from briefpress.project import Project
from briefpress.sandbox import Sandbox
from briefpress.source.audiences import load_profiles
from briefpress.source.css import theme_value_problem
from briefpress.source.references import MAX_SVG_NODES, svg_problem
from briefpress.source.yamlsource import parse_yaml

from badinputs import GENERATORS, png_bytes
from conftest import PUBLICATION, ROOT, copy_templates
from test_cli import run


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_alias_bomb_is_refused_in_bounded_memory() -> None:
    """Refused before it is expanded; how long that takes is `make bench`'s to say, not a test's."""
    bomb = "title: x\n" + str(GENERATORS["yaml-alias-bomb"]())
    assert len(bomb.encode()) < 1200
    before = _peak_rss_mib()
    data, _, problems = parse_yaml(bomb, "facts.yaml")
    assert _peak_rss_mib() - before < 50
    assert data is None
    assert [str(problem) for problem in problems] == [
        "facts.yaml: line 4: aliases (*name) are not allowed; write the value out"]


def test_a_merge_key_is_refused_in_words_an_author_can_act_on() -> None:
    """`<<: {audience: [tag]}` would tag an item only through YAML's merge rules, which the
    loader does not apply: it says so at the line, not as a constructor it cannot find."""
    for text in ("a: 1\n<<: {audience: [sanctions-detail]}\n", "a: 1\n<<: [{audience: [x]}]\n"):
        data, _, problems = parse_yaml(text, "facts.yaml")
        assert data is None
        assert [str(problem) for problem in problems] == [
            "facts.yaml: line 2: merge keys (<<) are not allowed; write the keys out"]


def test_yaml_without_aliases_keeps_every_field_line() -> None:
    data, lines, problems = parse_yaml("a:\n  b: [1, 2]\n  c: x\nd:\n  - e: 1\n", "f.yaml")
    assert problems == []
    assert data == {"a": {"b": [1, 2], "c": "x"}, "d": [{"e": 1}]}
    assert lines[("a", "c")] == 3 and lines[("d", 0, "e")] == 5 and lines[("a", "b", 1)] == 2


def test_a_leading_byte_order_mark_is_accepted_in_every_file(scratch_project: Project) -> None:
    files = [*(scratch_project.content_dir / PUBLICATION).iterdir(),
             *scratch_project.templates_dir.rglob("*.css"),
             *scratch_project.templates_dir.rglob("*.j2"),
             *scratch_project.templates_dir.rglob("*.yaml")]
    for path in files:
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    contents, profiles, _ = validate_project(scratch_project, [PUBLICATION])
    assert contents[PUBLICATION].facts.title == "حقائق وأرقام"
    assert profiles["press"].name == "press"


@pytest.mark.parametrize(("value", "reason"), [
    ("#1f3f77", None),
    ("rgb(31, 63, 119)", None),
    ('"Amiri", serif', None),
    ("12.5pt", None),
    ("1.65", None),
    ("expression(alert(1))", "may not call expression(); only rgb, rgba, hsl, hsla are allowed"),
    ("attr(title)", "may not call attr(); only rgb, rgba, hsl, hsla are allowed"),
    ("url(x.png)", "may not hold url()"),
    ('url("x.png")', "may not hold url()"),
    ("rgb(1, 2, 3", "has an unbalanced '('"),
    ("red; } body { display: none", "may not hold ';'"),
    ("red !important", "may not hold '!'"),
    ("red /* x */", "may not hold a comment"),
    ("", "is empty"),
])
def test_theme_values_are_read_with_tinycss2(value: str, reason: str | None) -> None:
    assert theme_value_problem(value) == reason


def test_a_theme_font_family_must_be_shipped(scratch_project: Project) -> None:
    path = scratch_project.templates_dir / "audiences" / "press.yaml"
    text = path.read_text(encoding="utf-8").replace(
        'colour-accent: "#1f3f77"', "font-text: '\"IBM Plex Sans Arabic\"'")
    path.write_text(text, encoding="utf-8")
    line = next(number for number, row in enumerate(text.splitlines(), 1) if "font-text" in row)
    shipped = {"IBM Plex Sans Arabic": {"Regular", "Bold"}, "Amiri": {"Regular", "Bold"}}
    assert load_profiles(scratch_project, shipped)["press"].theme["font-text"] == \
        '"IBM Plex Sans Arabic"'
    with pytest.raises(Exception) as raised:
        load_profiles(scratch_project, {"Amiri": {"Regular", "Bold"}})
    assert str(raised.value.problems[0]) == (  # type: ignore[attr-defined]
        f"templates/audiences/press.yaml: line {line}: theme.font-text: font family "
        "'IBM Plex Sans Arabic' has no Regular or Bold face in fonts/")


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'


def test_svg_use_expansion_is_counted() -> None:
    tree = '<defs><rect id="a0" width="1" height="1"/>'
    for level in range(1, 4):  # 10 ** 3 rectangles drawn: allowed
        tree += f'<g id="a{level}">' + f'<use xlink:href="#a{level - 1}"/>' * 10 + "</g>"
    assert svg_problem(SVG.format(tree + '</defs><use href="#a3"/>').encode()) is None
    tree += '<g id="a4">' + '<use xlink:href="#a3"/>' * 10 + "</g>"  # 10 ** 4 rectangles and more
    assert svg_problem(SVG.format(tree + '</defs><use href="#a4"/>').encode()) == (
        f"an SVG drawing more than {MAX_SVG_NODES:,} elements once every <use> is expanded; "
        "simplify it")


def test_svg_text_in_arabic_is_refused() -> None:
    """An SVG's text is drawn without shaping or bidi: Arabic letters came out unjoined and in
    reverse order, on the page and in every reader's copy (`رشؤم` for `مؤشر`)."""
    label = SVG.format('<text x="9" y="20">مؤشر <tspan>أسعار</tspan> الغذاء ٢٠٢٤</text>')
    assert svg_problem(label.encode()) == (
        "an SVG whose text 'مؤشر أسعار الغذاء ٢٠٢٤' holds right-to-left letters, which an SVG "
        "draws unjoined and in reverse order; draw that text as outlines, or give it in the text")
    numbers = SVG.format('<title>رسم بياني</title><text x="9" y="20">+12% ٢٠٢٤ Q3</text>')
    assert svg_problem(numbers.encode()) is None


def test_svg_use_bomb_is_refused() -> None:
    """Refused by counting what its <use> elements would draw, never by drawing it (the test
    above: the count stops at the limit)."""
    assert svg_problem(str(GENERATORS["svg-use-bomb"]()).encode())


def test_sandbox_reads_regular_files_inside_its_roots_only(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "ok.png").write_bytes(png_bytes())
    os.mkfifo(root / "fifo.png")
    (root / "loop.png").symlink_to(root / "loop.png")
    (root / "zero.png").symlink_to("/dev/zero")
    (root / "folder.png").mkdir()
    sandbox = Sandbox((root,))
    assert sandbox.path_problem(root / "ok.png") is None
    assert sandbox.url_problem((root / "ok.png").as_uri()) is None
    not_regular = "is not a regular file (a FIFO, device or socket); only regular files are read"
    assert sandbox.path_problem(root / "fifo.png") == not_regular
    assert sandbox.url_problem((root / "fifo.png").as_uri()) == not_regular
    assert sandbox.path_problem(root / "loop.png") == "a symlink loop"
    assert sandbox.url_problem((root / "loop.png").as_uri()) == "a symlink loop"
    assert sandbox.path_problem(root / "zero.png") == "a symlink leads outside root/"
    assert sandbox.path_problem(root / "folder.png") == "is a folder, not a file"
    assert sandbox.path_problem(root / ".." / "x.png") == "'..' leads outside root/"


def _world_readable_copy(tmp_path: Path) -> Path:
    """A copy of the project outside pytest's private folders, for a child of another identity."""
    root = Path(shutil.copytree(ROOT / "content", Path(os.environ.get("TMPDIR", "/tmp"))
                                / f"briefpress-{os.getpid()}-{tmp_path.name}" / "content"))
    root = root.parent
    copy_templates(root)
    (root / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    for folder in (root, *root.rglob("*")):
        if folder.is_dir() and not folder.is_symlink():
            folder.chmod(0o755)
    return root


def _unprivileged(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`command` run with no capability, so that file permissions apply even when the suite is root.

    The child keeps the identity that owns the checkout (root, for a clone in a private folder such
    as /root), so it reaches the interpreter, the virtual environment and the source wherever they
    are; but without CAP_DAC_OVERRIDE and its kin the kernel checks every mode bit, as for anyone.
    """
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: no way to drop the permission to read "
                    "every file, so unreadable files cannot be made")
    owner = ROOT.stat()
    done = subprocess.run(["setpriv", f"--reuid={owner.st_uid}", f"--regid={owner.st_gid}", "--clear-groups",
                           "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", *command],
                          capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})
    if done.returncode != 0 and done.stderr.startswith("setpriv:"):
        pytest.skip(f"setpriv cannot drop this process's capabilities: {done.stderr.strip()}")
    return done


def _run_unprivileged(*argv: str) -> tuple[int, str]:
    """The CLI run by `_unprivileged`."""
    done = _unprivileged([sys.executable, "-m", "briefpress", *argv])
    return done.returncode, done.stderr


@pytest.fixture
def readable_project(tmp_path: Path):
    root = _world_readable_copy(tmp_path)
    yield Project(root)
    shutil.rmtree(root)


@pytest.mark.skipif(os.geteuid() != 0, reason="the suite runs the CLI in its own process when not root")
def test_the_unprivileged_child_reads_a_checkout_in_a_private_folder(tmp_path: Path) -> None:
    """A clone in a folder only its owner may enter (/root, mode 0700) is still importable by the child."""
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    private.chmod(0o700)
    shutil.copytree(ROOT / "src" / "briefpress", private / "briefpress",
                    ignore=shutil.ignore_patterns("__pycache__"))
    done = _unprivileged([sys.executable, "-c", "import briefpress; print(briefpress.__file__)"],
                         env={"PYTHONPATH": str(private)})
    assert (done.returncode, done.stdout) == (0, f"{private / 'briefpress' / '__init__.py'}\n")
    # Yet it holds no privilege over files: a file its owner may not read stays unread.
    secret = private / "secret.txt"
    secret.write_text("x", encoding="utf-8")
    secret.chmod(0)
    refused = _unprivileged([sys.executable, "-c", f"open({str(secret)!r})"])
    assert refused.returncode == 1 and "PermissionError" in refused.stderr


def test_an_unreadable_file_is_a_located_error(readable_project: Project, tmp_path: Path) -> None:
    facts = readable_project.content_dir / PUBLICATION / "facts.yaml"
    facts.chmod(0)
    out = readable_project.root / "out"
    out.mkdir()
    out.chmod(0o777)
    if os.geteuid() == 0:
        code, err = _run_unprivileged("--project", str(readable_project.root), "build", "--out", str(out))
    else:
        code, _, err = run("--project", str(readable_project.root), "build",
                           "--out", str(tmp_path / "out"))
    assert (code, err.splitlines()[:1]) == (
        2, [f"content/{PUBLICATION}/facts.yaml: cannot be read (permission denied)"])


def test_a_read_only_output_folder_is_refused(readable_project: Project, tmp_path: Path) -> None:
    out = readable_project.root / "out"
    out.mkdir(mode=0o555)
    out.chmod(0o555)
    if os.geteuid() == 0:
        code, err = _run_unprivileged("--project", str(readable_project.root), "build", "--out", str(out))
    else:
        code, _, err = run("--project", str(readable_project.root), "build", "--out", str(out))
    assert (code, err.splitlines()[:1]) == (2, [f"{out}: cannot write the output folder (Permission denied)"])
    assert list(out.iterdir()) == []
