"""Render a document's HTML from the content model with Jinja."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from .errors import Problem, TemplateError
from .labels import CHROME_LABELS, long_date, to_digits
from .model import Content
from .project import Project

DOCUMENTS = ("brief", "factsheet", "annex")


@dataclass(frozen=True)
class RenderedHtml:
    """A document's HTML and the stylesheets it is laid out with."""

    html: str
    stylesheets: tuple[Path, ...]
    base_url: Path


class _OutsideTemplates(jinja2.TemplateNotFound):
    """A template whose real path leaves the templates folder."""


class _ContainedLoader(jinja2.FileSystemLoader):
    """A file loader that refuses templates whose real path leaves the templates folder."""

    def __init__(self, search_path: list[Path], root: Path) -> None:
        super().__init__([str(path) for path in search_path])
        self.root = root.resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple:
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.root):
            raise _OutsideTemplates(template)
        return source, filename, uptodate


def environment(project: Project, document: str) -> jinja2.Environment:
    """Jinja with strict undefined and autoescape; document templates before the base."""
    search_path = [project.templates_dir / document, project.templates_dir]
    env = jinja2.Environment(
        loader=_ContainedLoader(search_path, project.templates_dir),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["digits"] = to_digits
    env.filters["long_date"] = long_date
    return env


def stylesheets(project: Project, document: str) -> tuple[Path, ...]:
    """The CSS cascade of a document: base, then the document kind."""
    paths = (project.templates_dir / "base.css",
             project.templates_dir / document / f"{document}.css")
    for path in paths:
        if not path.is_file():
            raise TemplateError(Problem(project.relative(path), "stylesheet not found"))
        if not path.resolve().is_relative_to(project.templates_dir.resolve()):
            raise TemplateError(Problem(project.relative(path),
                                        "a symlink leads outside templates/"))
    return paths


def render_html(project: Project, content: Content, document: str) -> RenderedHtml:
    """The HTML of one document of one publication."""
    if document not in DOCUMENTS:
        raise TemplateError(f"unknown document kind '{document}'; choose one of "
                            f"{', '.join(DOCUMENTS)}")
    name = f"{document}.html.j2"
    language = content.publication.language
    if language not in CHROME_LABELS:
        raise TemplateError(Problem("publication.yaml", f"no chrome labels for language "
                                    f"'{language}'; known: {', '.join(CHROME_LABELS)}",
                                    field="language"))
    env = environment(project, document)
    try:
        template = env.get_template(name)
        html = template.render(
            document=document,
            publication=content.publication,
            brief=content.brief,
            facts=content.facts,
            annex=content.annex,
            labels=CHROME_LABELS[language],
            language=language,
            digit_style="latin",
        )
    except jinja2.TemplateNotFound as error:
        reason = ("a symlink leads outside templates/" if isinstance(error, _OutsideTemplates)
                  else "template not found")
        raise TemplateError(Problem(f"templates/{document}/{error.name}", reason)) from error
    except jinja2.TemplateSyntaxError as error:
        where = project.relative(Path(error.filename)) if error.filename else error.name
        raise TemplateError(Problem(where, error.message or "syntax error", error.lineno)) from error
    except jinja2.UndefinedError as error:
        raise TemplateError(Problem(f"templates/{document}/{name}", error.message or "undefined")) from error
    return RenderedHtml(html, stylesheets(project, document), project.templates_dir)
