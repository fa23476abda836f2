"""`briefpress watch` and `briefpress preview`, run as a user runs them: in a subprocess, with a
bounded wait for each line, and the preview page in headless Chromium (Debian's `chromium` and
`chromium-driver`, driven by Selenium)."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefpress.preview.server import loopback_host
from briefpress.project import Project

from conftest import PUBLICATION, ROOT, SEED_TARGETS, declare_tags, keep_profiles

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
RESULTS = ROOT / "tests" / "results"
WAIT = 120.0  # seconds a step may take on a busy two-core machine


class Running:
    """A briefpress command in a subprocess, its output lines read as they come."""

    def __init__(self, *argv: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "briefpress.cli", *argv],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        start_new_session=True)
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        for name, stream in (("out", self.process.stdout), ("err", self.process.stderr)):
            threading.Thread(target=self._read, args=(name, stream), daemon=True).start()

    def _read(self, name: str, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.put((name, line.rstrip("\n")))

    def expect(self, stream: str, starts: str, wait: float = WAIT) -> str:
        """The next line of `stream` that starts with `starts`; fail after `wait` seconds."""
        deadline = time.monotonic() + wait
        seen = []
        while time.monotonic() < deadline:
            try:
                name, line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            seen.append(f"{name}: {line}")
            if name == stream and line.startswith(starts):
                return line
        pytest.fail(f"no {stream} line starting {starts!r} in {wait:.0f} s; saw:\n" + "\n".join(seen))

    def stop(self) -> int:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return self.process.returncode


@pytest.fixture
def running() -> Iterator[list[Running]]:
    started: list[Running] = []
    yield started
    for command in started:
        command.stop()


def _facts(project: Project) -> Path:
    return project.content_dir / PUBLICATION / "facts.yaml"


def _retitle_facts(project: Project, title: str) -> None:
    facts = _facts(project)
    text = facts.read_text(encoding="utf-8")
    head, rest = text.split("\ntitle: ", 1)
    facts.write_text(f"{head}\ntitle: {title}\n{rest.split(chr(10), 1)[1]}", encoding="utf-8")


BAD_FACTS = "title: حقائق\nfigures: [\n  - value: 1\n"
BAD_FACTS_ERROR = (f"content/{PUBLICATION}/facts.yaml: line 3: invalid YAML: while parsing a flow node, "
                   "expected the node content, but found '-'")


def test_watch_builds_each_save_and_survives_bad_input(
        scratch_project: Project, tmp_path: Path, running: list[Running]) -> None:
    out = tmp_path / "out"
    watch = Running("--project", str(scratch_project.root), "watch", "--jobs", "1",
                    "--audience", "press", "--doc", "factsheet", "--out", str(out))
    running.append(watch)
    watch.expect("out", "built 1 PDF(s) (1 rendered, 0 unchanged)")
    watch.expect("out", "watching content/, templates/, fonts/")
    first = (out / PUBLICATION / "press" / "factsheet.pdf").read_bytes()

    _retitle_facts(scratch_project, "حقائق مختارة")
    watch.expect("out", "built 1 PDF(s) (1 rendered, 0 unchanged)")
    assert (out / PUBLICATION / "press" / "factsheet.pdf").read_bytes() != first

    good = _facts(scratch_project).read_text(encoding="utf-8")
    _facts(scratch_project).write_text(BAD_FACTS, encoding="utf-8")
    assert watch.expect("err", "content/") == BAD_FACTS_ERROR
    assert watch.process.poll() is None  # still watching

    _facts(scratch_project).write_text(good, encoding="utf-8")
    watch.expect("out", "built 1 PDF(s) (0 rendered, 1 unchanged)")
    assert watch.stop() == 130


def test_watch_takes_builds_force_and_quiet(
        scratch_project: Project, tmp_path: Path, running: list[Running]) -> None:
    """`watch` takes `build`'s options: `--force` renders everything in its first build (the
    saves' builds render what changed), `--quiet` prints errors alone."""
    out = tmp_path / "out"
    selection = ("--jobs", "1", "--audience", "press", "--doc", "factsheet", "--out", str(out))
    subprocess.run([sys.executable, "-m", "briefpress.cli", "--project", str(scratch_project.root),
                    "build", "--quiet", *selection], check=True)
    loud = Running("--project", str(scratch_project.root), "watch", "--force", *selection)
    running.append(loud)
    loud.expect("out", "built 1 PDF(s) (1 rendered, 0 unchanged)")
    assert loud.stop() == 130
    quiet = Running("--project", str(scratch_project.root), "watch", "--force", "--quiet", *selection)
    running.append(quiet)
    _facts(scratch_project).write_text(BAD_FACTS, encoding="utf-8")
    seen = [quiet.lines.get(timeout=WAIT)]
    assert seen == [("err", BAD_FACTS_ERROR)]
    assert quiet.stop() == 130


def test_watch_builds_a_save_made_during_its_first_build(
        scratch_project: Project, tmp_path: Path, running: list[Running]) -> None:
    """A save while the first build runs is built once watching starts: the folders are watched
    before that build, so its PDF is not left holding the text before the save."""
    out = tmp_path / "out"
    watch = Running("--project", str(scratch_project.root), "watch", "--jobs", "1",
                    "--audience", "press", "--doc", "factsheet", "--out", str(out))
    running.append(watch)
    watch.expect("out", f"{PUBLICATION}/press/factsheet: ")  # rendered, not yet committed
    _retitle_facts(scratch_project, "حقائق مختارة")
    watch.expect("out", "built 1 PDF(s) (1 rendered, 0 unchanged)")
    watch.expect("out", "watching content/, templates/, fonts/")
    watch.expect("out", "built 1 PDF(s) (1 rendered, 0 unchanged)")
    assert watch.stop() == 130


def _widened(source: Path, target: Path) -> None:
    """A copy of a font whose space is 300 units wider: the same file name, other line breaks."""
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    space = font.getBestCmap()[0x20]
    advance, bearing = font["hmtx"][space]
    font["hmtx"][space] = (advance + 300, bearing)
    font.save(target)


def test_watch_sees_a_font_folder_made_after_it_started(tmp_path: Path, running: list[Running]) -> None:
    """A project made by `init` has no fonts/; one made while watching (a font replacing the
    package's) is watched from then on, and the build uses the new font, as a forced build does,
    where watch had kept the fonts it read at its start."""
    from briefpress.build import build
    from briefpress.scaffold import SAMPLE_ID, init_project

    init_project(tmp_path / "briefs", ROOT)
    project = Project(tmp_path / "briefs", ROOT)
    out, forced = tmp_path / "out", tmp_path / "forced"
    watch = Running("--project", str(project.root), "watch", "--jobs", "1",
                    "--audience", "press", "--doc", "brief", "--out", str(out))
    running.append(watch)
    watch.expect("out", "watching content/, templates/ (Ctrl-C stops)")
    (project.root / "fonts.new").mkdir()
    _widened(ROOT / "fonts" / "Amiri-Regular.ttf", project.root / "fonts.new" / "Amiri-Regular.ttf")
    (project.root / "fonts.new").rename(project.fonts_dir)
    watch.expect("out", "built 1 PDF(s) (1 rendered, 0 unchanged)")
    build(project, forced, audiences=["press"], documents=["brief"], jobs=1, force=True)
    name = Path(SAMPLE_ID, "press", "brief.pdf")
    assert (out / name).read_bytes() == (forced / name).read_bytes()


def test_watch_ends_on_sigterm_as_a_build_does(scratch_project: Project, tmp_path: Path,
                                               running: list[Running]) -> None:
    """SIGTERM while waiting for a save ends `watch` with 143 and 'terminated', as it ends a
    build, although the file watcher turns the signal into a plain KeyboardInterrupt."""
    watch = Running("--project", str(scratch_project.root), "watch", "--jobs", "2",
                    "--audience", "press", "--doc", "factsheet", "--out", str(tmp_path / "out"))
    running.append(watch)
    watch.expect("out", "watching content/, templates/, fonts/")
    os.killpg(watch.process.pid, signal.SIGTERM)
    assert watch.expect("err", "briefpress: ") == "briefpress: terminated"
    assert watch.process.wait(timeout=30) == 143


@pytest.mark.parametrize(("header", "served"), [
    ("127.0.0.1:8765", True), ("localhost:8765", True), ("localhost", True), ("LocalHost:8765", True),
    ("preview.example:8765", False), ("localhost:80@preview.example", False),
    ("127.0.0.1:8765, preview.example", False), ("localhost:", False), ("", False), (None, False)])
def test_the_preview_answers_a_loopback_host_header_alone(header: str | None, served: bool) -> None:
    """Only a Host header naming 127.0.0.1 or localhost, with at most a port, is answered; the
    name before the last colon of a malformed header is not taken for the host."""
    assert loopback_host(header) is served


def _state(url: str) -> dict:
    with urllib.request.urlopen(url + "state", timeout=30) as response:
        return json.loads(response.read())


def _wait(condition: object, what: str, wait: float = WAIT) -> float:
    """Seconds until `condition()` holds; fail after `wait`."""
    started = time.monotonic()
    while time.monotonic() - started < wait:
        if condition():  # type: ignore[operator]
            return time.monotonic() - started
        time.sleep(0.05)
    pytest.fail(f"{what}: not within {wait:.0f} s")


def _browser(profile: Path) -> object:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run",
                     f"--user-data-dir={profile}", "--window-size=2200,1400"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@pytest.mark.browser
@pytest.mark.skipif(not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)),
                    reason="needs Debian's chromium and chromium-driver (make test installs them)")
def test_the_preview_page_shows_every_edition_and_follows_saves(
        scratch_project: Project, tmp_path: Path, running: list[Running]) -> None:
    preview = Running("--project", str(scratch_project.root), "preview", "--port", "0")
    running.append(preview)
    url = preview.expect("out", "serving http://127.0.0.1:").split()[1]
    seed = SEED_TARGETS
    preview.expect("out", f"drew {len(seed)} document(s)")
    preview.expect("out", "watching for saves")
    state = _state(url)
    editions = {edition["audience"]: edition for edition in state["editions"]}
    assert sorted(editions) == sorted({target.audience for target in seed})
    # press prints no annex: the annex's tagged clause is neither got nor lost there
    assert editions["press"]["left_out"] == ["sanctions-detail: 1 tagged item(s) (facts.yaml)"]

    request = urllib.request.Request(url, headers={"Host": f"preview.example:{url.rsplit(':', 1)[1]}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403

    browser = _browser(tmp_path / "chromium")
    try:
        browser.get(url)  # type: ignore[attr-defined]
        pages = sum(len(document["pages"]) for edition in state["editions"]
                    for document in edition["documents"])

        def images() -> list[tuple[str, bool]]:
            return browser.execute_script(  # type: ignore[attr-defined]
                "return Array.from(document.images).map(i => [i.getAttribute('src'), "
                "i.complete && i.naturalWidth > 0])")

        _wait(lambda: len(images()) == pages and all(loaded for _, loaded in images()),
              "every page image shown")
        text = browser.find_element("tag name", "body").text  # type: ignore[attr-defined]
        assert "leaves out sanctions-detail: 1 tagged item(s) (facts.yaml)" in text
        before = dict(images())
        factsheet = next(src for src in before if src.startswith("/page/press/factsheet/1.png"))
        brief = next(src for src in before if src.startswith("/page/general/brief/1.png"))

        _retitle_facts(scratch_project, "حقائق مختارة")
        seconds = _wait(lambda: factsheet not in dict(images()), "the press fact sheet redrawn")
        _wait(lambda: all(loaded for _, loaded in images()), "the new page images loaded")
        after = dict(images())
        assert brief in after  # a page the save did not change is not reloaded
        print(f"save to updated page: {seconds:.2f} s")

        _facts(scratch_project).write_text(BAD_FACTS, encoding="utf-8")
        error = browser.find_element("id", "error")  # type: ignore[attr-defined]
        _wait(lambda: error.is_displayed() and error.text, "the error shown on the page")
        assert error.text.splitlines()[0] == BAD_FACTS_ERROR
        assert len(images()) == pages  # the last good pages stay
        status = browser.find_element("id", "status")  # type: ignore[attr-defined]
        _wait(lambda: status.text != "drawing", "the drawing over")
        assert status.text == "not redrawn: the pages are those of the last good save"  # not "up to date"
        RESULTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(RESULTS / "preview-error.png"))  # type: ignore[attr-defined]

        _retitle_facts_from(scratch_project)
        _wait(lambda: not error.is_displayed(), "the error gone once the input is fixed")
        browser.save_screenshot(str(RESULTS / "preview.png"))  # type: ignore[attr-defined]
    finally:
        browser.quit()  # type: ignore[attr-defined]
    assert preview.stop() == 130


def _retitle_facts_from(project: Project) -> None:
    """Put back the shipped facts.yaml, retitled as the test retitled it."""
    shutil.copy(ROOT / "content" / PUBLICATION / "facts.yaml", _facts(project))
    _retitle_facts(project, "حقائق مختارة")


def test_a_drawing_that_read_a_package_default_is_not_drawn_again_for_nothing(tmp_path: Path) -> None:
    """A project made by `init` reads base.css and the fonts from the package's defaults; the
    fetcher records them as `package:...`. An unchanged default must count as unchanged, or every
    save redraws every edition."""
    from briefpress.output.cache import file_sha256
    from briefpress.preview.editions import _same_files

    project = Project(tmp_path, defaults=ROOT)
    label = "package:templates/base.css"
    digest = file_sha256(ROOT / "templates" / "base.css")
    assert digest is not None
    assert _same_files(project, {label: digest})
    assert not _same_files(project, {label: "0" * 64})


KUFI = Path("/usr/share/fonts/truetype/noto")


@pytest.mark.skipif(not (KUFI / "NotoKufiArabic-Regular.ttf").is_file(),
                    reason="needs Debian's fonts-noto-core (make test installs it)")
def test_a_font_added_while_previewing_reaches_the_workers_kept_warm(tmp_path: Path) -> None:
    """`preview` keeps its worker processes between saves; a font added to fonts/ (then named by a
    profile) must be laid out with in those workers as in a preview started afresh."""
    from briefpress.preview.editions import Editions
    from briefpress.watch import forget_fonts
    from briefpress.workers import close_pool, open_pool

    from conftest import copy_project

    project = copy_project(tmp_path / "project", fixtures=False, only=PUBLICATION)
    (project.root / "fonts").unlink()
    shutil.copytree(ROOT / "fonts", project.root / "fonts")
    keep_profiles(project.templates_dir, "press", "researchers")  # researchers includes what press leaves out
    pool = open_pool(2)
    try:
        live = Editions(project, PUBLICATION, pool, 2)
        assert live.refresh(), live.state.error
        for name in ("NotoKufiArabic-Regular.ttf", "NotoKufiArabic-Bold.ttf"):
            shutil.copy(KUFI / name, project.fonts_dir / name)
        forget_fonts()  # as preview does after a save under fonts/
        press = project.templates_dir / "audiences" / "press.yaml"
        press.write_text(press.read_text(encoding="utf-8").replace(
            "theme:\n", "theme:\n  font-text: '\"Noto Kufi Arabic\"'\n"), encoding="utf-8")
        assert live.refresh(), live.state.error
        fresh = Editions(project, PUBLICATION)
        fresh.refresh()
        assert live.state.drawn[("press", "brief")].pages == fresh.state.drawn[("press", "brief")].pages
    finally:
        close_pool(pool, abandon=True)


def test_a_font_put_back_with_its_old_time_and_size_is_read_again(tmp_path: Path) -> None:
    """`watch --jobs 1` and the preview's workers keep a font configuration per state of the font
    files. A font cut short, then put back from a backup with its old time and size (`cp -a`), is
    another file: the configuration kept for that time and size mapped the file it replaced, now
    cut short, and the next render died of a bus error (`watch` ended without a word)."""
    from briefpress.layout.pdf import font_configuration

    root = tmp_path / "project"
    shutil.copytree(ROOT / "fonts", root / "fonts")
    project = Project(root)
    font = project.fonts_dir / "Amiri-Regular.ttf"
    backup = tmp_path / "Amiri-Regular.ttf"
    shutil.copy2(font, backup)
    kept = font_configuration(project)
    font.write_bytes(backup.read_bytes()[:5000])  # cut short where it lies, as `head -c` writes it
    font.unlink()
    shutil.copy2(backup, font)  # put back as `cp -a` does: the old time and size
    before, now = backup.stat(), font.stat()
    assert (now.st_mtime_ns, now.st_size) == (before.st_mtime_ns, before.st_size)
    assert font_configuration(project) is not kept


def test_an_edition_that_could_not_be_drawn_again_keeps_the_list_of_its_pages(tmp_path: Path) -> None:
    """A save that tagged a block away from an edition and broke its drawing (an override writing
    an image that is not there) kept the edition's last pages, which hold the block, under a
    list saying the edition leaves it out. The list is the one of the pages shown, until they
    are drawn again."""
    from briefpress.preview.editions import Editions

    from conftest import copy_project

    project = copy_project(tmp_path / "project", fixtures=False, only=PUBLICATION)
    keep_profiles(project.templates_dir, "general")
    profile = project.templates_dir / "audiences" / "general.yaml"
    profile.write_text("name: general\ndescription: الإصدار العام\ndocuments: [brief]\n"
                       "include: [sanctions-detail]\n", encoding="utf-8")
    (project.templates_dir / "audiences" / "staff.yaml").write_text(  # still sees the block
        "name: staff\ndescription: نسخة الموظفين\ndocuments: [brief]\ninclude: [sanctions-detail]\n",
        encoding="utf-8")
    brief = project.content_dir / PUBLICATION / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8") + "\n{audience=sanctions-detail}\n"
                     "فقرة لا يراها إلا من يرى تفاصيل العقوبات.\n", encoding="utf-8")
    live = Editions(project, PUBLICATION)
    assert live.refresh(), live.state.error
    assert live.state.left_out["general"] == []
    profile.write_text(profile.read_text(encoding="utf-8").replace("include:", "exclude:"), encoding="utf-8")
    override = project.templates_dir / "audiences" / "general" / "brief" / "brief.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "common/brief/brief.html.j2" %}\n'
                        '{% block lead %}<img src="missing.png" alt="-">{{ super() }}{% endblock %}\n',
                        encoding="utf-8")
    assert live.refresh() == []
    assert "missing.png" in (live.state.error or "")
    assert live.state.left_out["general"] == []
    override.unlink()
    assert live.refresh() == [f"{PUBLICATION}/general/brief"]
    assert live.state.left_out["general"][0].startswith("sanctions-detail: ")


def test_a_worker_that_died_is_replaced_and_the_next_save_drawn(tmp_path: Path) -> None:
    """`preview` keeps its workers for hours; one that died meanwhile (killed, out of memory) broke
    the pool for good: every later save was an internal error on the terminal, and the page kept
    its old images under "drawing", with no error. The next save is drawn by new workers."""
    from briefpress.preview.editions import Editions
    from briefpress.workers import open_pool

    from conftest import copy_project

    project = copy_project(tmp_path / "project", fixtures=False, only=PUBLICATION)
    keep_profiles(project.templates_dir, "press", "legal")  # legal includes what press leaves out
    # legal prints no fact sheet: its tag holds facts back from every edition, so it is declared.
    declare_tags(project.content_dir, {"sanctions-detail": "تفاصيل العقوبات"})
    pool = open_pool(2)
    live = Editions(project, PUBLICATION, pool, 2)
    try:
        assert live.refresh(), live.state.error
        for pid in list(pool._processes):
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        _retitle_facts(project, "حقائق مختارة")
        assert live.refresh() == [f"{PUBLICATION}/press/factsheet"]
        assert (live.state.error, live.state.busy) == (None, False)
    finally:
        live.close()


@pytest.mark.browser
@pytest.mark.skipif(not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)),
                    reason="needs Debian's chromium and chromium-driver (make test installs them)")
def test_a_document_an_edition_no_longer_makes_leaves_the_page(
        scratch_project: Project, tmp_path: Path, running: list[Running]) -> None:
    """A profile that drops a document: the page shows that edition without it, not its last
    page images."""
    preview = Running("--project", str(scratch_project.root), "preview", "--port", "0")
    running.append(preview)
    url = preview.expect("out", "serving http://127.0.0.1:").split()[1]
    preview.expect("out", "watching for saves")
    browser = _browser(tmp_path / "chromium")
    try:
        browser.get(url)  # type: ignore[attr-defined]

        def headings() -> list[str]:
            return browser.execute_script(  # type: ignore[attr-defined]
                "return Array.from(document.querySelectorAll('#edition-press .document'))"
                ".map(part => part.id)")

        _wait(lambda: headings() == ["doc-press-brief", "doc-press-factsheet"], "the press edition shown")
        press = scratch_project.templates_dir / "audiences" / "press.yaml"
        press.write_text(press.read_text(encoding="utf-8").replace(
            "documents: [brief, factsheet]", "documents: [brief]"), encoding="utf-8")
        preview.expect("out", "drew ")
        version = _state(url)["version"]
        _wait(lambda: int(browser.execute_script(  # type: ignore[attr-defined]
            "return document.body.dataset.version || 0")) >= version, "the page refreshed")
        assert headings() == ["doc-press-brief"]
    finally:
        browser.quit()  # type: ignore[attr-defined]
