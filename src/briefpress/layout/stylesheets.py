"""Check the template stylesheets before rendering: syntax, references, font families, declarations."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import Problem
from ..fonts.registry import FontRegistry
from ..project import Project
from ..source import css
from ..source.references import stylesheet_problems as reference_problems
from ..source.yamlsource import read_source

_LOCATION = re.compile(r" at (\d+):(\d+)")


def faces(registry: FontRegistry) -> dict[str, set[str]]:
    """The styles fonts/ ships for each family."""
    found: dict[str, set[str]] = {}
    for font in registry.fonts:
        found.setdefault(font.family, set()).add(font.style)
    return found


def stylesheet_paths(project: Project) -> list[Path]:
    return project.files("templates", "**/*.css")


def stylesheet_problems(project: Project, registry: FontRegistry | None) -> list[Problem]:
    """Every problem of every template stylesheet, each with its file and line."""
    problems: list[Problem] = []
    sandbox = project.sandbox()
    for path in stylesheet_paths(project):
        label = project.relative(path)
        text, unreadable = read_source(path, label, sandbox, "stylesheet")
        if text is None:
            problems += [problem.of_kind("template") for problem in unreadable]
            continue
        rules = css.parse(text)
        problems += [Problem(label, f"CSS syntax error: {message}", line, kind="template")
                     for line, message in css.parse_errors(text, rules)]
        problems += reference_problems(rules, path, label, sandbox)
        if registry is not None:
            shipped = faces(registry)
            for line, family in css.font_declarations(rules):
                reason = css.family_problem(family, shipped)
                if reason:
                    problems.append(Problem(label, reason, line, kind="font"))
    return problems


def declaration_problems(project: Project, skip: set[str] | frozenset[str] = frozenset()) -> list[Problem]:
    """Every declaration WeasyPrint would ignore in a template stylesheet, with its line.

    WeasyPrint only warns about an unknown property or an invalid value, and the
    render would then fail; reading each stylesheet here names the line instead.
    Stylesheets labelled in `skip` already have a problem and are not read again.
    """
    import weasyprint

    from .fetcher import RefusedResource, SandboxedFetcher

    fetcher = SandboxedFetcher(project.sandbox(), project=project)
    problems: list[Problem] = []
    for path in stylesheet_paths(project):
        label = project.relative(path)
        text, _ = read_source(path, label, project.sandbox(), "stylesheet")
        if text is None or label in skip:
            continue
        with _captured_warnings() as records:
            try:
                weasyprint.CSS(string=text, base_url=project.url(path.parent) + "/", url_fetcher=fetcher)
            except RefusedResource as refused:  # an @import the sandbox refuses
                problems.append(Problem(label, f"url '{refused.url}': {refused.reason}", kind="resource"))
                continue
        for record in records:
            message = " ".join(record.getMessage().split())
            message = message if len(message) <= 160 else message[:160] + "..."
            found = _LOCATION.search(message)
            problems.append(Problem(label, f"WeasyPrint: {_LOCATION.sub('', message, count=1)}",
                                    int(found[1]) if found else None, kind="template"))
    return problems


@contextmanager
def _captured_warnings() -> Iterator[list[logging.LogRecord]]:
    """WeasyPrint's warnings while the block runs, kept from every other handler."""
    records: list[logging.LogRecord] = []

    def capture(record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            records.append(record)
        return False

    logger = logging.getLogger("weasyprint")
    logger.addFilter(capture)
    try:
        yield records
    finally:
        logger.removeFilter(capture)
