"""Check a whole project: build every edition, preflight each PDF, name overrides of changed defaults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .check.preflight import Report, preflight
from .fonts.registry import load_registry
from .marker import ChangedDefault, changed_defaults
from .project import Project
from .source.audiences import load_profiles


@dataclass(frozen=True)
class ProjectReport:
    """Every PDF's preflight report, and the overrides whose package default has changed."""

    reports: tuple[Report, ...]
    changed: tuple[ChangedDefault, ...]

    @property
    def ok(self) -> bool:
        """No product-level failure: every check of every PDF passed or only warns."""
        return all(report.ok for report in self.reports)


def check_project(project: Project, out_dir: Path, on_wait: Callable[[str], None] | None = None,
                  jobs: int | None = None) -> ProjectReport:
    """Build every publication and edition into `out_dir` (what is up to date is kept), then run
    `briefpress check`'s checks on each PDF, fonts limited to the project's and the package's."""
    from .build import build

    changed = changed_defaults(project)  # a bad marker fails before anything is built
    targets = build(project, out_dir, on_wait=on_wait, jobs=jobs)
    registry = load_registry(*project.font_dirs)
    profiles = load_profiles(project)  # each edition's digits: what its numbers must be in
    reports = tuple(preflight(target.path(out_dir), registry, installed_readers_only=True,
                              digits=profiles[target.audience].digits)
                    for target in sorted(targets, key=lambda target: target.name))
    return ProjectReport(reports, tuple(changed))
