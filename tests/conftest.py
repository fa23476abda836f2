"""Shared fixtures: every publication and profile found, built once per run; no WeasyPrint warnings.

The session project is a temporary folder holding content/ (the shipped publications and the
fixture publications of tests/fixtures/content/), a copy of templates/ and a link to fonts/.
Tests that take a `target` (publication, audience, document) or an `edition` (publication,
audience) run once for each one found (a profile may choose its publications), so adding a
publication or a profile adds tests; they are marked `invariants`, the others `deep`.

Under pytest-xdist (`make test` runs two workers) the project and its build are made once for the
whole run, by whichever worker needs them first, under a file lock in a folder the workers share.
"""

from __future__ import annotations

import contextlib
import fcntl
import fnmatch
import functools
import hashlib
import json
import logging
import os
import pickle
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, settings

from briefpress.build import build
from briefpress.check import geometry
from briefpress.project import Project, find_project
from briefpress.source.audiences import load_profiles

# Property tests: `make test` runs a few dozen examples, the same ones every run (derandomize: a
# run of the suite passes or fails on the code alone), and reports a failing one as found
# (shrinking a PDF build can take minutes); `make fuzz` runs 1,000 new ones (HYPOTHESIS_PROFILE=fuzz).
settings.register_profile("default", max_examples=30, deadline=None, derandomize=True,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate],
                          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                 HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=1_000, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                 HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = FIXTURES / "seeds"  # <publication>.txt: the article a publication is built from
PUBLICATION = "russia-dprk-partnership"
SEED = SEEDS / f"{PUBLICATION}.txt"
#: A project of the user's own (`briefpress init`), named by BRIEFPRESS_PROJECT: the checks over
#: every target and edition (`-m invariants`) then run over its publications and profiles.
USER_PROJECT = (Path(os.environ["BRIEFPRESS_PROJECT"]).resolve()
                if os.environ.get("BRIEFPRESS_PROJECT") else None)
CONTENT_FOLDERS = ((USER_PROJECT / "content",) if USER_PROJECT
                   else (ROOT / "content", FIXTURES / "content"))


def copy_user_project(root: Path, user: Path) -> Project:
    """A copy of the user's project at `root` (its build folder left out), with the package's
    defaults behind it as `briefpress build` has them."""
    shutil.copytree(user, root, ignore=lambda folder, names: {"build", ".git"} & set(names)
                    if Path(folder) == user else set())
    return find_project(root)


def copy_project(root: Path, fixtures: bool = True, only: str | None = None) -> Project:
    """A project at `root`: content (and fixture content), templates copied, fonts linked.

    With `only`, content/ holds that one publication, shipped or fixture (and the project's
    declared tags), so a test that pins messages about it is not changed by the other
    publications a user adds.
    """
    root.mkdir(parents=True)
    if only is None:
        shutil.copytree(ROOT / "content", root / "content")
        if fixtures:
            shutil.copytree(FIXTURES / "content", root / "content", dirs_exist_ok=True)
    else:
        shipped = ROOT / "content" / only
        shutil.copytree(shipped if shipped.is_dir() else FIXTURES / "content" / only,
                        root / "content" / only)
        for path in (ROOT / "content").glob("*.yaml"):
            shutil.copy(path, root / "content" / path.name)
    copy_templates(root)
    (root / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    return Project(root)


def copy_templates(root: Path) -> None:
    """The project's templates copied into the project at `root`, whose content is in place. A
    profile of the project's own limited to some publications (`publications: [...]`) keeps those
    the copy holds, and its `sections` those of the publications the copy holds: a copy with fewer
    publications would name ones it lacks, which builds refuse."""
    shutil.copytree(ROOT / "templates", root / "templates")
    held = {folder.name for folder in (root / "content").iterdir() if folder.is_dir()}
    for path in sorted((root / "templates" / "audiences").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        named, sections = data.get("publications"), data.get("sections")
        if isinstance(named, list) and not set(named) <= held:
            data["publications"] = [publication for publication in named if publication in held]
        if isinstance(sections, dict) and not set(sections) <= held:
            data["sections"] = {key: value for key, value in sections.items() if key in held}
            if not data["sections"]:
                del data["sections"]
        if data.get("publications") != named or data.get("sections") != sections:
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def keep_profiles(templates: Path, *names: str) -> None:
    """Remove every audience profile under `templates` but `names`, with its override folder (an
    override folder of no audience is an error)."""
    for profile in (templates / "audiences").glob("*.yaml"):
        if profile.stem not in names:
            profile.unlink()
            shutil.rmtree(profile.with_suffix(""), ignore_errors=True)


def declare_tags(content: Path, tags: dict[str, str]) -> None:
    """Declare `tags` (name: description) in `content/tags.yaml`, beside those it declares."""
    path = content / "tags.yaml"
    data = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None) or {}
    data["tags"] = {**(data.get("tags") or {}), **tags}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@dataclass(frozen=True)
class Target:
    """One PDF the session builds."""

    publication: str
    audience: str
    document: str
    direction: str
    language: str

    @property
    def path(self) -> str:
        return f"{self.publication}/{self.audience}/{self.document}.pdf"

    def __str__(self) -> str:
        return f"{self.publication}/{self.audience}/{self.document}"


def _publications() -> dict[str, dict]:
    """Every publication's publication.yaml, shipped and fixture, by id (with `has_annex`)."""
    found = {}
    for folder in CONTENT_FOLDERS:
        for path in sorted(folder.glob("*/publication.yaml")):
            meta = yaml.safe_load(path.read_text(encoding="utf-8"))
            found[path.parent.name] = {**meta, "has_annex": (path.parent / "annex.yaml").exists()}
    return dict(sorted(found.items()))


PUBLICATIONS = _publications()
# The publications whose content the suite knows: the first publication and the fixtures.
# A user's own publication gets every check too, but may hold no multi-line paragraph.
KNOWN_CONTENT = {PUBLICATION} | {path.parent.name for path in FIXTURES.glob("content/*/publication.yaml")}
PROFILES = load_profiles(find_project(USER_PROJECT) if USER_PROJECT else Project(ROOT))
#: The profiles of this checkout, which a test's own copy of it (`copy_project`) and a project
#: `init` makes build with: a user's project (BRIEFPRESS_PROJECT) may have others.
CHECKOUT_PROFILES = load_profiles(Project(ROOT))
#: How a message about a copy of the checkout lists the tags its profiles know (include or exclude).
KNOWN_TAGS = ", ".join(sorted({tag for profile in CHECKOUT_PROFILES.values()
                               for tag in (*profile.include, *profile.exclude)}))
#: The seed's targets in a copy of the checkout (`copy_project`), whatever project is checked.
SEED_TARGETS = [Target(PUBLICATION, audience, document, "rtl", "ar")
                for audience, profile in CHECKOUT_PROFILES.items() if profile.gets(PUBLICATION)
                for document in profile.documents]
TARGETS = [Target(publication, audience, document, str(meta["direction"]), str(meta["language"]))
           for publication, meta in PUBLICATIONS.items()
           for audience, profile in PROFILES.items() if profile.gets(publication)
           for document in profile.documents if document != "annex" or meta["has_annex"]]
EDITIONS = sorted({(target.publication, target.audience) for target in TARGETS})
def blind_to(tag: str, document: str | None = None) -> str:
    """How a message names the audiences a tag hides the seed's content from in a copy of the
    checkout: those whose editions hold the seed (and, given a `document`, build it)."""
    names = [f"'{name}'" for name, profile in sorted(CHECKOUT_PROFILES.items()) if not profile.shows((tag,))
             and profile.gets(PUBLICATION) and (document is None or document in profile.documents)]
    return f"audience {names[0]}" if len(names) == 1 else f"audiences {', '.join(names)}"


def first_blind(tag: str) -> str:
    """The first audience, by name, whose editions of the seed a copy of the checkout hides `tag` from."""
    return next(name for name, profile in sorted(CHECKOUT_PROFILES.items())
                if not profile.shows((tag,)) and profile.gets(PUBLICATION))


SEEDED = sorted(path.stem for path in SEEDS.glob("*.txt") if path.stem in PUBLICATIONS)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise over what the project holds: targets, editions and seeded publications."""
    if "target" in metafunc.fixturenames:
        metafunc.parametrize("target", TARGETS, ids=str)
    if "rtl_target" in metafunc.fixturenames:
        metafunc.parametrize("rtl_target", [t for t in TARGETS if t.direction == "rtl"], ids=str)
    if "brief_target" in metafunc.fixturenames:
        metafunc.parametrize("brief_target", [t for t in TARGETS if t.document == "brief"], ids=str)
    if "ua_target" in metafunc.fixturenames:
        metafunc.parametrize("ua_target", [t for t in TARGETS if PROFILES[t.audience].variant_for(
            t.document) == "pdf/ua-1"], ids=str)
    if "edition" in metafunc.fixturenames:
        metafunc.parametrize("edition", EDITIONS, ids="/".join)
    if "arabic_edition" in metafunc.fixturenames:
        metafunc.parametrize("arabic_edition", [edition for edition in EDITIONS
                                                if PUBLICATIONS[edition[0]]["language"] == "ar"],
                             ids="/".join)
    if "seeded" in metafunc.fixturenames:
        metafunc.parametrize("seeded", SEEDED)


# What the fixture publications show that is not fixed yet: (test name, target pattern) -> reason.
# Each is a strict xfail: the fix that makes one pass fails the suite until its line goes.
_LTR_DOCUMENT = "an Arabic column in a left-to-right document gets no strings for its right-to-left runs"
_MUPDF = ("MuPDF copies a document symbol or a slashed date in Arabic text from the right "
          "('/49/59RES/A'), and «2 (ب)» with its brackets apart")
_PDFJS = "pdf.js copies «2 (ب)» and 'S/RES/2397 (2017)' in Arabic text with their brackets turned"
_PDFIUM = ("pdfium runs its own bidi over a line's glyphs in drawing order and copies a document "
           "symbol in Arabic text from the right ('/49/59RES/A', '(2017) /2397RES/S')")
_POPPLER = ("poppler copies 'S/RES/2397 (2017)' in Arabic text with its closing bracket moved before "
            "it, and works out a parallel annex's lines across both columns")
_PARALLEL_LTR = "ltr-sample/[gpr]*/annex"  # the editions that set its Arabic text beside the English
KNOWN_FAILURES: dict[tuple[str, str], str] = {
    # Legal symbols copied as typed (tests/test_annex.py): what main's text layer gives today.
    ("test_legal_symbols_copy_as_typed_in_pdfium", _PARALLEL_LTR): _LTR_DOCUMENT,
    ("test_legal_symbols_copy_as_typed_in_pdfium", "model-treaty/*"): _PDFIUM,
    ("test_legal_symbols_copy_as_typed_in_poppler", _PARALLEL_LTR): _LTR_DOCUMENT,
    ("test_legal_symbols_copy_as_typed_in_poppler", "model-treaty/*"): _POPPLER,
    ("test_legal_symbols_copy_as_typed_in_mupdf", "model-treaty/*"): _MUPDF,
    ("test_legal_symbols_copy_as_typed_in_mupdf", _PARALLEL_LTR): _MUPDF,
    ("test_legal_symbols_copy_as_typed_in_pdfjs", "model-treaty/*"): _PDFJS,
    ("test_legal_symbols_copy_as_typed_in_pdfjs", _PARALLEL_LTR): _PDFJS,
}


#: The fixtures a test over every target or edition of the project's content takes.
INVARIANT_FIXTURES = frozenset({"target", "rtl_target", "brief_target", "ua_target", "edition",
                                "arabic_edition", "seeded"})


def _content_of(item: pytest.Item) -> str | None:
    """What part of the content a test runs over: a target's or an edition's path, or a
    publication's name; None for a test that is not parametrised over the content."""
    callspec = getattr(item, "callspec", None)
    for value in (callspec.params.values() if callspec else ()):
        if isinstance(value, tuple) and all(isinstance(part, str) for part in value):
            return "/".join(value)  # an edition, (publication, audience)
        if isinstance(value, Target) or (isinstance(value, str) and value in PUBLICATIONS):
            return str(value)
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # In each file, the tests over one edition run one after another, so the PDFs they read back
    # are parsed once per file (check.geometry keeps the last few), not once per test function.
    # Files are dealt out to xdist's workers in this order (`--no-loadscope-reorder`): those marked
    # `first`, then the others by their number of tests, the most first. A long file dealt last
    # keeps one worker busy after the other has finished.
    first: dict[object, int] = {}
    sizes = Counter(item.path for item in items)
    order: dict[int, tuple[int, int, int, str, int]] = {}
    for index, item in enumerate(items):
        over_content = INVARIANT_FIXTURES & set(getattr(item, "fixturenames", ()))
        item.add_marker(pytest.mark.invariants if over_content else pytest.mark.deep)
        value = _content_of(item)
        # A user's own audience (BRIEFPRESS_PROJECT) is matched whatever its name, and may or may
        # not show what a checkout's edition of the same publication shows (its paper, say).
        own = value is not None and value.count("/") >= 1 and value.split("/")[1] not in CHECKOUT_PROFILES
        for (test, pattern), reason in KNOWN_FAILURES.items():
            if own:
                pattern = "/".join(part if index != 1 else "*"
                                   for index, part in enumerate(pattern.split("/")))
            if value is not None and getattr(item, "originalname", "") == test \
                    and fnmatch.fnmatch(value, pattern):
                item.add_marker(pytest.mark.xfail(reason=reason, strict=not own))
        edition = "" if value is None else "/".join(value.split("/")[:2])
        early = 0 if item.get_closest_marker("first") else 1
        order[id(item)] = (early, -sizes[item.path], first.setdefault(item.path, index), edition, index)
    items.sort(key=lambda item: order[id(item)])


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def weasyprint_warnings_fail(what: str, name: str = "weasyprint") -> Iterator[None]:
    """Fail `what` (a test or a shared build) if WeasyPrint logs a warning during it."""
    collector = _WarningCollector()
    logger = logging.getLogger(name)
    logger.addHandler(collector)
    try:
        yield
    finally:
        logger.removeHandler(collector)
    if collector.records:
        messages = "\n".join(record.getMessage() for record in collector.records)
        pytest.fail(f"WeasyPrint warned during {what}:\n{messages}")


@pytest.fixture(autouse=True)
def no_weasyprint_warnings(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail any test during which WeasyPrint logs a warning, but one marked `weasyprint_warns`."""
    if request.node.get_closest_marker("weasyprint_warns"):
        yield
        return
    with weasyprint_warnings_fail(request.node.nodeid):
        yield


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every xdist worker of this run shares (this session's own without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "session"


@contextlib.contextmanager
def run_once(folder: Path, name: str) -> Iterator[bool]:
    """Hold the run-wide lock `name`; yield whether the work it guards is still to be done
    (the block must then do it, and it is marked done when the block ends without error)."""
    folder.mkdir(parents=True, exist_ok=True)
    done = folder / f"{name}.done"
    with (folder / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        todo = not done.exists()
        yield todo
        if todo:
            done.touch()


@pytest.fixture(scope="session", autouse=True)
def shared_page_readings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep what check.geometry reads from each PDF in the run's shared folder, by the PDF's
    digest: a dozen test files read the same 135 PDFs back, on both workers, and pdfplumber takes
    12.6 s to read them all once. The reading is the same function's; only its result is kept."""
    folder = shared_folder(tmp_path_factory) / "page-readings"
    folder.mkdir(parents=True, exist_ok=True)
    read = geometry._pages

    @functools.lru_cache(maxsize=64)
    def kept(path: Path, mtime: int, tolerance: float) -> tuple[geometry.Page, ...]:
        file = folder / f"{hashlib.sha256(path.read_bytes()).hexdigest()}-{tolerance}.pickle"
        with contextlib.suppress(FileNotFoundError):
            return pickle.loads(file.read_bytes())
        pages = read(path, mtime, tolerance)
        partial = file.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(pickle.dumps(pages, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(file)
        return pages

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(geometry, "_pages", kept)
        yield


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The session project: shipped and fixture publications, every profile."""
    shared = shared_folder(tmp_path_factory)
    with run_once(shared, "project") as todo:
        if todo:
            shutil.rmtree(shared / "project", ignore_errors=True)
            if USER_PROJECT:
                copy_user_project(shared / "project", USER_PROJECT)
            else:
                copy_project(shared / "project")
    return find_project(shared / "project") if USER_PROJECT else Project(shared / "project")


@pytest.fixture(scope="session")
def built(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every document of every publication for every audience, built once per run (with every
    core); the notes the build reported (what layout could not meet) are in BUILD_NOTES."""
    shared = shared_folder(tmp_path_factory)
    out, notes = shared / "build", shared / "build-notes.json"
    with run_once(shared, "build") as todo:
        if todo:
            found: list[str] = []
            with weasyprint_warnings_fail("the session build"):
                build(project, out, on_note=found.append)
            notes.write_text(json.dumps(found), encoding="utf-8")
    BUILD_NOTES[:] = json.loads(notes.read_text(encoding="utf-8"))
    return out


BUILD_NOTES: list[str] = []


@pytest.fixture
def pdf(built: Path, target: Target) -> Path:
    """The built PDF of the test's target."""
    return built / target.path


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The article the first publication is built from."""
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def brief_pdf(built: Path) -> Path:
    return built / PUBLICATION / "general" / "brief.pdf"


@pytest.fixture(scope="session")
def factsheet_pdf(built: Path) -> Path:
    return built / PUBLICATION / "general" / "factsheet.pdf"


@pytest.fixture(scope="session")
def annex_pdf(built: Path) -> Path:
    return built / PUBLICATION / "general" / "annex.pdf"


@pytest.fixture
def scratch_project(tmp_path: Path) -> Project:
    """The first publication with the project's templates; fonts are the shipped folder, linked."""
    return copy_project(tmp_path / "project", fixtures=False, only=PUBLICATION)
