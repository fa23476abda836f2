"""Shared fixtures: the real project, its PDFs built once per session, no WeasyPrint warnings."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from briefpress.build import build
from briefpress.project import Project

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_3635c8758a17db48.txt"
PUBLICATION = "russia-dprk-partnership"


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The article the first publication is built from."""
    if not SEED.is_file():
        pytest.fail(f"the seed article is missing: {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every document of every publication, built once into a session folder."""
    out = tmp_path_factory.mktemp("build")
    build(project, out)
    return out


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
    """A copy of the project's content and templates; fonts are the shipped folder, linked."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    return Project(root)


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_weasyprint_warnings():
    """Fail any test during which WeasyPrint logs a warning."""
    collector = _WarningCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    yield
    logger.removeHandler(collector)
    if collector.records:
        messages = "\n".join(record.getMessage() for record in collector.records)
        pytest.fail(f"WeasyPrint warned:\n{messages}")
