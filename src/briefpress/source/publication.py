"""Read and validate a publication: its YAML, its brief, and where every quote comes from."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import ContentError, Problem
from ..project import Project
from .markdown import load_brief
from .model import Annex, Content, Facts, Publication
from .yamlsource import load_yaml_model

PUBLICATION_FILES = ("publication.yaml", "brief.md", "facts.yaml", "annex.yaml")


def normalise(text: str) -> str:
    """Text compared for provenance: NFC, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def publication_ids(project: Project) -> list[str]:
    """Every publication folder under `content/`, sorted."""
    if not project.content_dir.is_dir():
        return []
    return sorted(path.parent.name for path in project.content_dir.glob("*/publication.yaml"))


def load_publication(project: Project, publication_id: str) -> Content:
    """Load one publication, raising `ContentError` with every problem found."""
    folder = project.content_dir / publication_id
    label = project.relative
    problems: list[Problem] = []

    publication, found = load_yaml_model(
        Publication, folder / "publication.yaml", label(folder / "publication.yaml"))
    problems += found
    brief, found = load_brief(folder / "brief.md", label(folder / "brief.md"),
                              (project.content_dir, project.templates_dir))
    problems += found
    facts, found = load_yaml_model(Facts, folder / "facts.yaml", label(folder / "facts.yaml"))
    problems += found
    annex, found = load_yaml_model(Annex, folder / "annex.yaml", label(folder / "annex.yaml"))
    problems += found

    if publication is not None and publication.id != publication_id:
        problems.append(Problem(label(folder / "publication.yaml"),
                                f"id '{publication.id}' must match its folder name "
                                f"'{publication_id}'", field="id"))
    if brief is not None:
        article = normalise(brief.plain_text())
        if facts is not None:
            problems += _unquoted(facts, article, label(folder / "facts.yaml"), folder / "facts.yaml")
        if annex is not None:
            problems += _unquoted(annex, article, label(folder / "annex.yaml"), folder / "annex.yaml")
    if problems:
        raise ContentError(problems)
    assert publication and brief and facts and annex
    return Content(publication=publication, brief=brief, facts=facts, annex=annex)


Quote = tuple[str, str, tuple[list[str], ...]]


def quotes(document: Facts | Annex) -> list[Quote]:
    """(field, text, tag lists) for every text that must be quoted verbatim from the article.

    The tag lists are those of the item and of every item it belongs to: the quote
    reaches an audience only when each of them lets it through.
    """
    if isinstance(document, Facts):
        found: list[Quote] = [(f"figures[{i}].source", item.source, (item.audience,))
                              for i, item in enumerate(document.figures)]
        found += [(f"timeline[{i}].source", item.source, (item.audience,))
                  for i, item in enumerate(document.timeline)]
        for i, quoted in enumerate(document.lists):
            found.append((f"lists[{i}].source", quoted.source, (quoted.audience,)))
            found += [(f"lists[{i}].items[{j}]", item, (quoted.audience,))
                      for j, item in enumerate(quoted.items)]
        return found
    found = [(f"treaty.facts[{i}].source", fact.source, (fact.audience,))
             for i, fact in enumerate(document.treaty.facts)]
    for i, schedule in enumerate(document.schedules):
        found.append((f"schedules[{i}].source", schedule.source, (schedule.audience,)))
        found += [(f"schedules[{i}].clauses[{j}].text", clause.text,
                   (schedule.audience, clause.audience))
                  for j, clause in enumerate(schedule.clauses)]
    return found


def _unquoted(document: Facts | Annex, article: str, label: str, path: Path) -> list[Problem]:
    lines = path.read_text(encoding="utf-8").splitlines()
    problems = []
    for field, quote, _ in quotes(document):
        if normalise(quote) not in article:
            problems.append(Problem(
                label, "quote not found in brief.md; copy the article's words exactly",
                line_of(lines, quote), field))
    return problems


def line_of(lines: list[str], text: str) -> int | None:
    """The first line that holds the start of `text`."""
    head = re.escape(text.strip()[:30])
    for number, line in enumerate(lines, start=1):
        if re.search(head, line):
            return number
    return None
