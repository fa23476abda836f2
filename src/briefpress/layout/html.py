"""Render a document's HTML and its audience stylesheet from the content model with Jinja."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

import jinja2

from ..errors import Problem, TemplateError
from ..project import Project
from ..sandbox import Sandbox
from ..source.audiences import DOCUMENTS, Profile
from ..source.model import Content
from ..text.labels import CHROME_LABELS, long_date
from ..text.localise import Localiser
from .blocks import blocks_html
from .fonts import load_registry
from .watermark import watermark_url


@dataclass(frozen=True)
class RenderedHtml:
    """A document's HTML and the stylesheets it is laid out with."""

    html: str
    stylesheets: tuple[Path, ...]
    audience_css: str
    base_url: Path
    pdf_variant: str | None


class _OutsideTemplates(Exception):
    """A template whose real path leaves the templates folder; not a "not found" that a
    choice of loaders would pass over."""

    def __init__(self, filename: str) -> None:
        super().__init__(filename)
        self.filename = filename


class _ContainedLoader(jinja2.FileSystemLoader):
    """A file loader that refuses templates whose real path leaves the templates folder."""

    def __init__(self, search_path: list[Path], root: Path) -> None:
        super().__init__([str(path) for path in search_path])
        self.sandbox = Sandbox((root,))

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple:
        source, filename, uptodate = super().get_source(environment, template)
        if self.sandbox.path_problem(Path(filename)):
            raise _OutsideTemplates(filename)
        return source.removeprefix("\ufeff"), filename, uptodate


SHARED_PREFIX = "common"  # the shared templates, as an override extends them


def overrides_dir(project: Project, audience: str) -> Path:
    """The folder whose files replace templates of the same path for one audience."""
    return project.templates_dir / "audiences" / audience


def environment(project: Project, document: str, localiser: Localiser,
                audience: str | None = None) -> jinja2.Environment:
    """Jinja with strict undefined and autoescape; audience overrides, document templates, base.

    An audience's override folder mirrors templates/; an override may extend the shared
    template it replaces as `common/<path>` (`{% extends "common/brief/brief.html.j2" %}`).
    Templates pass every text from the model through `localise` (what the page prints) or
    `plain` (metadata), so isolation and numerals act on strings before they are escaped.
    """
    search_path = [project.templates_dir / document, project.templates_dir]
    if audience is not None:
        overrides = overrides_dir(project, audience)
        search_path = [overrides / document, overrides, *search_path]
    shared = _ContainedLoader([project.templates_dir], project.templates_dir)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            jinja2.PrefixLoader({SHARED_PREFIX: shared}),
            _ContainedLoader(search_path, project.templates_dir)]),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "html.j2"], default=False),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["localise"] = localiser
    env.filters["plain"] = localiser.plain
    env.filters["long_date"] = long_date
    return env


def stylesheets(project: Project, document: str, audience: str | None = None) -> tuple[Path, ...]:
    """The CSS cascade of a document: base, then the document kind; an audience's override
    of either replaces it."""
    relative = (Path("base.css"), Path(document) / f"{document}.css")
    overrides = overrides_dir(project, audience) if audience else None
    paths = tuple(overrides / path if overrides and (overrides / path).exists()
                  else project.templates_dir / path for path in relative)
    sandbox = Sandbox((project.templates_dir,))
    for path in paths:
        problem = sandbox.path_problem(path)
        if problem == "file not found":
            raise TemplateError(Problem(project.relative(path), "stylesheet not found"))
        if problem:
            raise TemplateError(Problem(project.relative(path), problem))
    return paths


def _render(env: jinja2.Environment, project: Project, name: str, context: dict) -> str:
    document = context["document"]
    try:
        return env.get_template(name).render(context)
    except _OutsideTemplates as error:
        raise TemplateError(Problem(project.relative(Path(error.filename)),
                                    "a symlink leads outside templates/")) from error
    except jinja2.TemplateNotFound as error:
        raise TemplateError(Problem(f"templates/{document}/{error.name}",
                                    "template not found")) from error
    except jinja2.TemplateSyntaxError as error:
        where = (project.relative(Path(error.filename)) if error.filename
                 else error.name or f"templates/{document}")
        raise TemplateError(Problem(where, error.message or "syntax error", error.lineno)) from error
    except jinja2.UndefinedError as error:
        raise TemplateError(Problem(f"templates/{document}/{name}",
                                    error.message or "undefined")) from error


def render_html(project: Project, content: Content, document: str,
                profile: Profile) -> RenderedHtml:
    """The HTML and audience CSS of one document of one publication for one audience."""
    if document not in DOCUMENTS:
        raise TemplateError(f"unknown document kind '{document}'; choose one of "
                            f"{', '.join(DOCUMENTS)}")
    language = content.publication.language
    if language not in CHROME_LABELS:
        raise TemplateError(Problem(f"content/{content.publication.id}/publication.yaml",
                                    f"no chrome labels for language '{language}'; known: "
                                    f"{', '.join(CHROME_LABELS)}", field="language"))
    rtl = content.publication.direction == "rtl"
    localiser = Localiser(content.publication.direction, profile.digits)
    env = environment(project, document, localiser, profile.name)
    context = {
        "document": document,
        "publication": content.publication,
        "brief": content.brief,
        "facts": content.facts,
        "annex": content.annex,
        "profile": profile,
        "labels": {**CHROME_LABELS[language], **profile.labels},
        "language": language,
        "digit_style": profile.digits,
        "paper": profile.paper_for(document),
        "watermark_url": (watermark_url(profile.watermark, load_registry(project.fonts_dir))
                          if profile.watermark else None),
        "pdf_variant": profile.variant_for(document),
        "render_blocks": partial(blocks_html, localise=localiser, anchors={
            section.key: section.anchor for section in content.brief.sections}),
        "start": "right" if rtl else "left",
        "end": "left" if rtl else "right",
    }
    html = _render(env, project, f"{document}.html.j2", context)
    css = _render(env, project, "audience.css.j2", context)
    chosen = profile.variant_for(document)
    variant = None if chosen == "none" else chosen
    return RenderedHtml(html, stylesheets(project, document, profile.name), css,
                        project.templates_dir, variant)
