"""Check the template stylesheets before rendering: syntax, references, font families, declarations."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

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
                     for line, message in css.parse_errors(text)]
        problems += reference_problems(rules, path, label, sandbox,
                                       lambda target: project.path_of(project.lookup_url(target)) or target)
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
    from .fetcher import ImportsChecked, RefusedResource

    fetcher = ImportsChecked(project.sandbox(), project=project)
    problems: list[Problem] = []
    for path in stylesheet_paths(project):
        label = project.relative(path)
        text, _ = read_source(path, label, project.sandbox(), "stylesheet")
        if text is None or label in skip:
            continue
        if not _imports(text):
            warnings = _warnings_alone(text)
        else:
            try:
                warnings = _warnings(text, project.lookup_url(path.parent) + "/", fetcher)
            except RefusedResource as refused:  # an @import the sandbox refuses
                problems.append(Problem(label, f"url '{refused.url}': {refused.reason}", kind="resource"))
                continue
        problems += [Problem(label, f"WeasyPrint: {message}", line, kind="template")
                     for line, message in warnings]
    return problems


@lru_cache(maxsize=64)
def _imports(text: str) -> bool:
    return any(getattr(rule, "lower_at_keyword", None) == "import" for rule in css.parse(text))


@lru_cache(maxsize=64)
def _warnings_alone(text: str) -> tuple[tuple[int | None, str], ...]:
    """`_warnings` of a stylesheet that imports nothing, which depend on its text alone (a URL
    it names is fetched when a page is drawn): kept per process, for `watch` and `preview`."""
    return _warnings(text, "file:///", _fetch_nothing)


def _fetch_nothing(url: str, *args: Any, **kwargs: Any) -> Any:
    from .fetcher import RefusedResource

    raise RefusedResource(url, "a stylesheet read alone fetches nothing")


def _warnings(text: str, base_url: str, fetcher: Callable[..., Any]) -> tuple[tuple[int | None, str], ...]:
    """(line, message) of every declaration WeasyPrint ignores in `text`."""
    import weasyprint

    with _captured_warnings() as records:
        weasyprint.CSS(string=text, base_url=base_url, url_fetcher=fetcher)
    found = []
    for record in records:
        message = " ".join(record.getMessage().split())
        message = message if len(message) <= 160 else message[:160] + "..."
        location = _LOCATION.search(message)
        found.append((int(location[1]) if location else None, _LOCATION.sub("", message, count=1)))
    return tuple(found)


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
