"""Render a document's HTML and its audience stylesheet from the content model with Jinja."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from pathlib import Path

import jinja2
from jinja2.exceptions import SecurityError
from markupsafe import Markup
from pydantic import BaseModel

from ..errors import ContentError, Problem, TemplateError
from ..fonts.registry import load_registry
from ..project import Project
from ..sandbox import Refused
from ..source.articles import designation
from ..source.audiences import DOCUMENTS, Profile
from ..source.model import Content, Facts
from ..source.numbering import NUMBERING_FILE, Numbering, edition_numbering, load_numbering
from ..source.xrefs import resolve
from ..text.breaks import hold_name
from ..text.labels import CHROME_LABELS, event_date, long_date
from ..text.localise import Localiser
from .annex import AnnexLayout, LaidOut, default_labels, voice
from .blocks import blocks_html, note_html
from .enclosing import enclose_numbers
from .high_marks import room_for_high_marks
from .notes import Citations, NoteNumbers
from .paragraph_direction import direction_attribute, in_its_direction
from .templating import BoundedSandbox, SharedBytecode, TemplateBudgetError, render_budget, template_line
from .watermark import watermark_url


@dataclass(frozen=True)
class RenderedHtml:
    """A document's HTML and the stylesheets it is laid out with."""

    html: str
    stylesheets: tuple[Path, ...]
    audience_css: str
    base_url: Path
    pdf_variant: str | None
    document: str = "brief"  # the document kind, which sets how its last page is fitted
    audience: str | None = None  # whose override folder the templates came from first


class _Unreadable(Exception):
    """A template the sandbox refuses to read; not a "not found" that a choice of loaders would
    pass over."""

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(filename)
        self.filename = filename
        self.reason = reason


class _ContainedLoader(jinja2.BaseLoader):
    """Loads `.j2` templates from a search path, each checked by the sandbox before it is read:
    its real path must stay in the templates folder."""

    def __init__(self, search_path: list[Path], project: Project) -> None:
        self.search_path = search_path
        self.project = project

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple:
        parts = jinja2.loaders.split_template_path(template)  # refuses '..'
        if not template.endswith(".j2"):
            raise jinja2.TemplateNotFound(template)  # a template is a .j2 file, nothing else
        for index, folder in enumerate(self.search_path):
            path = folder.joinpath(*parts)
            if not os.path.lexists(path):
                continue
            stamp = _stamp(path)  # before reading: an edit made meanwhile is seen next time
            try:
                source = self.project.read_text(path, "template")
            except Refused as refused:
                raise _Unreadable(str(path), refused.reason) from None
            earlier = tuple(earlier.joinpath(*parts) for earlier in self.search_path[:index])
            return source, str(path), partial(self._unchanged, path, stamp, source, earlier)
        raise jinja2.TemplateNotFound(template)

    def _unchanged(self, path: Path, stamp: tuple[int, ...] | None, source: str,
                   earlier: tuple[Path, ...]) -> bool:
        """Whether a compiled template still stands for its file: the file is as it was read, and no
        folder earlier in the search path (an audience override) has gained a file of that name.
        Its text is compared too: a second save within the file system's timestamp granularity,
        as long as the first, leaves the status as it was."""
        if _stamp(path) != stamp or any(os.path.lexists(other) for other in earlier):
            return False
        try:
            return self.project.read_text(path, "template") == source
        except Refused:
            return False


def _stamp(path: Path) -> tuple[int, ...] | None:
    """What changes when a template file is edited, replaced or made a link elsewhere."""
    try:
        link, target = path.lstat(), path.stat()
    except OSError:
        return None
    return link.st_mtime_ns, link.st_ino, target.st_mtime_ns, target.st_ino, target.st_size


SHARED_PREFIX = "common"  # the shared templates, as an audience's override extends them
PACKAGE_PREFIX = "package"  # the package's own templates, as a project's override extends them


def _cascade(document: str, audience: str | None) -> list[Path]:
    """The folders under templates/ a document's templates are looked for in, first first: the
    audience's override of the document kind, the audience's, the document kind's, the shared."""
    relative = [Path(document), Path()]
    if audience is not None:
        relative = [Path("audiences", audience, document), Path("audiences", audience), *relative]
    return relative


def search_path(project: Project, document: str, audience: str | None) -> list[Path]:
    """The template folders of a document, first first: each step of the cascade in the project,
    then in the package's defaults."""
    return [folder / path for path in _cascade(document, audience) for folder in project.templates_dirs]


#: The per-document filters of the render under way: the environments are shared, their
#: filters look here (a render sets it for its own duration).
_FILTERS: ContextVar[dict[str, Callable[..., object]]] = ContextVar("briefpress_filters")
FILTER_NAMES = ("localise", "plain", "long_date", "event_date", "annex_text", "named", "written",
                "in_its_direction")


def _filter(name: str) -> Callable[..., object]:
    def apply(*args: object, **kwargs: object) -> object:
        return _FILTERS.get()[name](*args, **kwargs)

    apply.__name__ = name
    return apply


_COMPILED = SharedBytecode()  # every environment below is made with the same options
_PACKAGE = Path(__file__).resolve().parents[1]  # briefpress's own code, src/briefpress


@lru_cache(maxsize=64)
def _environment(project: Project, document: str, audience: str | None) -> jinja2.Environment:
    """One compiled environment per project, document kind and audience, kept for the process:
    each template is compiled once and again only when its file changes (`_unchanged`)."""
    shared = _ContainedLoader(list(project.templates_dirs), project)
    package = _ContainedLoader([project.templates_dirs[-1]], project)  # a checkout's are the package's
    env = BoundedSandbox(
        loader=jinja2.ChoiceLoader([
            jinja2.PrefixLoader({SHARED_PREFIX: shared, PACKAGE_PREFIX: package}),
            _ContainedLoader(search_path(project, document, audience), project)]),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "html.j2"], default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        cache_size=-1,
        bytecode_cache=_COMPILED,
    )
    for name in FILTER_NAMES:
        env.filters[name] = _filter(name)
    return env


def environment(project: Project, document: str, audience: str | None = None) -> jinja2.Environment:
    """Jinja's sandbox (templating.py) with strict undefined and autoescape; audience overrides,
    document templates, base.

    An audience's override folder mirrors templates/; an override may extend the shared
    template it replaces as `common/<path>` (`{% extends "common/brief/brief.html.j2" %}`).
    Templates pass every text from the model through `localise` (what the page prints) or
    `plain` (metadata), so isolation and numerals act on strings before they are escaped;
    `written` gives an element holding a text written wholly in the other direction its `dir`;
    `in_its_direction` prints a list item's text, and one written so as a span of its own
    direction, so the item keeps its list's; the filters are those of the render under way
    (`_FILTERS`).
    """
    return _environment(project, document, audience)


def _document_filters(localiser: Localiser, annex_text: Callable[..., object],
                      name: Callable[[str], str]) -> dict[str, Callable[..., object]]:
    return {"localise": partial(localiser.html, last_words=True),  # titles, labels, ...
            "plain": localiser.plain, "long_date": long_date, "event_date": event_date,
            # a text with each [[ref:id]] replaced by its node's name, for what cannot be a link
            # (the annex title in the running head and the PDF's title)
            "annex_text": annex_text, "named": partial(_named_text, name=name),
            "written": partial(direction_attribute, direction=localiser.direction),
            "in_its_direction": partial(in_its_direction, localiser=localiser)}


def stylesheet_names(document: str) -> tuple[str, str]:
    """The stylesheets of a document kind, as paths under templates/ (and an override folder)."""
    return "base.css", f"{document}/{document}.css"


def stylesheets(project: Project, document: str, audience: str | None = None) -> tuple[Path, ...]:
    """The CSS cascade of a document: base, then the document kind; an audience's override
    of either replaces it."""
    paths = tuple(_first(project, [*([Path("audiences", audience, name)] if audience else []), Path(name)])
                  for name in stylesheet_names(document))
    sandbox = project.sandbox()
    for path in paths:
        problem = sandbox.file_problem(path, "stylesheet")
        if problem == "file not found":
            raise TemplateError(Problem(project.relative(path), "stylesheet not found"))
        if problem:
            raise TemplateError(Problem(project.relative(path), problem))
    return paths


def _first(project: Project, cascade: list[Path]) -> Path:
    """The first file of a cascade of paths under templates/, each tried in the project, then
    in the package's defaults; the last step's project path when none exists."""
    for path in cascade:
        for folder in project.templates_dirs:
            if (folder / path).exists():
                return folder / path
    return project.templates_dir / cascade[-1]


def _render(env: jinja2.Environment, project: Project, name: str, context: dict,
            filters: dict[str, Callable[..., object]]) -> str:
    document = context["document"]
    fallback = f"templates/{document}/{name}"
    token = _FILTERS.set(filters)
    try:
        with render_budget(*project.templates_dirs):
            template = env.get_template(name)
            _refuse_unknown_blocks(project, env, template)
            return template.render(context)
    except _Unreadable as error:
        raise TemplateError(Problem(project.relative(Path(error.filename)), error.reason)) from error
    except TemplateBudgetError as error:
        file, line = error.where or (fallback, None)
        raise TemplateError(Problem(project.relative(Path(file)), f"template budget: {error.message}",
                                    line)) from None
    except jinja2.TemplateNotFound as error:
        found = template_line(error, *project.templates_dirs)  # an include, import or extends
        if found is not None:
            raise TemplateError(Problem(project.relative(Path(found[0])),
                                        f"template '{error.name}' not found", found[1])) from error
        raise TemplateError(Problem(f"templates/{document}/{error.name}",
                                    "template not found")) from error
    except jinja2.TemplateSyntaxError as error:
        where = (project.relative(Path(error.filename)) if error.filename
                 else error.name or f"templates/{document}")
        raise TemplateError(Problem(where, error.message or "syntax error", error.lineno)) from error
    except (jinja2.UndefinedError, SecurityError) as error:
        file, line = template_line(error, *project.templates_dirs) or (fallback, None)
        raise TemplateError(Problem(project.relative(Path(file)), error.message or "undefined",
                                    line)) from error
    except (ArithmeticError, LookupError, TypeError, ValueError) as error:
        # `{{ 1/0 }}`, `{{ "%d" | format("x") }}`: a template's own mistake, raised in its code or
        # in Jinja's, is bad input at that line; raised in briefpress's own code, it is a defect
        found = template_line(error, *project.templates_dirs)
        if found is None or _raised_in_briefpress(error):
            raise
        raise TemplateError(Problem(project.relative(Path(found[0])),
                                    f"{type(error).__name__}: {error}", found[1])) from error
    finally:
        _FILTERS.reset(token)


@dataclass(frozen=True)
class _BlockOutline:
    """What a template's source says of its blocks: the template it extends, when a constant
    names it, and its blocks not nested in another, with their lines."""

    extends: str | None
    outer: tuple[tuple[str, int], ...]
    chosen_as_rendered: int | None = None  # the line of an extends naming its parent by an
    #: expression, or of a second extends: which one applies is known only as it renders


_OUTLINES: dict[tuple[object, str], _BlockOutline] = {}
_OUTLINES_KEPT = 256  # template sources whose outline is kept; a project has a few dozen


def _outline(env: jinja2.Environment, name: str) -> _BlockOutline:
    """A template's block outline, its source read through the environment's (sandboxed) loader
    at every render, and parsed once per process for each source: every edition renders the
    same few templates, and parsing them was most of an edition's HTML time."""
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    key = (env.lexer, source)  # environments made alike share one lexer (Jinja's own cache)
    if key not in _OUTLINES:
        tree = env.parse(source)
        extends = next(iter(tree.find_all(jinja2.nodes.Extends)), None)
        parent = str(extends.template.value) if extends is not None \
            and isinstance(extends.template, jinja2.nodes.Const) else None
        blocks = list(tree.find_all(jinja2.nodes.Block))
        nested = {inner.name for block in blocks for inner in block.find_all(jinja2.nodes.Block)}
        if len(_OUTLINES) >= _OUTLINES_KEPT:
            _OUTLINES.clear()
        parents = list(tree.find_all(jinja2.nodes.Extends))
        dynamic = next((node.lineno for index, node in enumerate(parents)
                        if index or not isinstance(node.template, jinja2.nodes.Const)), None)
        _OUTLINES[key] = _BlockOutline(parent, tuple((block.name, block.lineno) for block in blocks
                                                     if block.name not in nested), dynamic)
    return _OUTLINES[key]


def _ancestor_blocks(env: jinja2.Environment, name: str) -> set[str] | None:
    """Every block the templates `name` extends define, or None when it extends none, or one
    that does not exist (rendering reports that at the line of the `extends`)."""
    parent = _outline(env, name).extends
    if parent is None:
        return None
    try:
        blocks = set(env.get_template(parent).blocks)
    except jinja2.TemplateNotFound:
        return None
    return blocks | (_ancestor_blocks(env, parent) or set())


def _refuse_unknown_blocks(project: Project, env: jinja2.Environment, template: jinja2.Template) -> None:
    """A block an override defines at its top level must be one of the template it extends:
    Jinja drops any other without a word (`{% block coverr %}` printed nothing, and said nothing).
    A block nested in another is printed with it, and may be new. A template naming the one it
    extends by an expression, or with several extends, cannot be checked so, and is refused."""
    assert template.name is not None
    dynamic = _outline(env, template.name).chosen_as_rendered
    if dynamic is not None:  # which blocks it may replace is known only once it has rendered
        raise TemplateError(Problem(project.relative(Path(template.filename or template.name)),
                                    "extends a template chosen as it renders (named by an expression, "
                                    "or one of several extends), whose blocks cannot be checked; "
                                    "extend one template named as a string, e.g. {% extends "
                                    "\"common/brief/brief.html.j2\" %}", dynamic))
    known = _ancestor_blocks(env, template.name)
    if known is None:
        return
    unknown = [(block, line) for block, line in _outline(env, template.name).outer if block not in known]
    if unknown:
        raise TemplateError(Problem(project.relative(Path(template.filename or template.name)),
                                    f"block '{unknown[0][0]}' is no block of the template it "
                                    "extends, so it would print nothing; its blocks are: "
                                    f"{', '.join(sorted(known))}", unknown[0][1]))


def _refuse_missing_sections(project: Project, env: jinja2.Environment, content: Content,
                             html: str) -> None:
    """A brief prints every section its edition shows: an override that leaves out or empties a
    block of the shared template (`{% block body %}{% endblock %}`) would print a brief without
    them, and no other check would see it."""
    missing = [section for section in content.brief.sections if f'id="{section.anchor}"' not in html]
    if missing:
        used = env.get_template("brief.html.j2").filename or "templates/brief/brief.html.j2"
        names = ", ".join(f"'{section.heading}' (#{section.anchor})" for section in missing[:3])
        raise TemplateError(Problem(project.relative(Path(used)), f"the brief leaves out {len(missing)} "
                                    f"of the sections its edition shows: {names}; a template that "
                                    "overrides the sections prints each in <section id=\"{{ "
                                    "section.anchor }}\">"))


def _raised_in_briefpress(error: BaseException) -> bool:
    """Whether the innermost frame of `error`'s traceback is briefpress's own code."""
    trace = error.__traceback__
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    return trace is not None and Path(trace.tb_frame.f_code.co_filename).is_relative_to(_PACKAGE)


def _fact_citations(content: Content) -> set[str]:
    """The sources the fact sheet's items, as this edition sees them, cite."""
    facts = content.facts
    return {source for item in (*facts.figures, *facts.timeline, *facts.lists) for source in item.cite}


def render_html(project: Project, content: Content, document: str,
                profile: Profile) -> RenderedHtml:
    """The HTML and audience CSS of one document of one publication for one audience."""
    if document not in DOCUMENTS:
        raise TemplateError(f"unknown document kind '{document}'; choose one of "
                            f"{', '.join(DOCUMENTS)}")
    language = content.publication.language
    rtl = content.publication.direction == "rtl"
    localiser = Localiser(content.publication.direction, profile.digits)
    env = environment(project, document, profile.name)
    labels = _labels(content, profile)
    anchors = {section.key: section.anchor for section in content.brief.sections}
    citations = Citations(content.publication.sources_by_id, localiser)
    # Counters (pages, contents, list items, notes) are Arabic context in an Arabic publication
    # alone: an English one counts in Latin digits in every edition (README, "Numerals", rule 2).
    counters = profile.digits if content.publication.direction == "rtl" else "latin"
    annex = _annex_layout(project, content, profile, labels)
    name = _reference_names(annex)
    notes = NoteNumbers(content.brief, profile.notes, profile.notes_restart, counters,
                        partial(note_html, localise=localiser, anchors=anchors, citations=citations,
                                references=name),
                        partial(localiser.html, last_words=True))
    filters = _document_filters(localiser, annex.main_text if annex
                                else partial(localiser.html, last_words=True), name)
    context = {
        "document": document,
        "publication": content.publication,
        "brief": content.brief,
        "profile": profile,
        "labels": labels,
        "language": language,
        "digit_style": counters,
        "paper": profile.paper_for(document),
        "watermark_url": (watermark_url(profile.watermark, load_registry(*project.font_dirs))
                          if profile.watermark else None),
        "pdf_variant": profile.variant_for(document),
        "render_blocks": partial(blocks_html, localise=localiser, anchors=anchors, notes=notes,
                                 citations=citations, references=name),
        "render_endnotes": partial(notes.endnotes_html, labels["notes"]),
        "render_sources": partial(citations.sources_html, labels["sources"], profile.sources_list),
        "fact_sources": citations.entries_html(sorted(_fact_citations(content))),
        "start": "right" if rtl else "left",
        "end": "left" if rtl else "right",
    }
    # The fact sheet's items and the annex's text are in their own document's template alone, so
    # an edition that does not get that document prints none of them, in any template of its own
    # (source.visibility checks what each item quotes only for the editions that print it).
    if document == "factsheet":
        context["facts"] = _named_facts(content.facts, name)
    if document == "annex":
        context["annex"] = content.annex
        context["annex_layout"] = annex.laid_out if annex else None
    html = _render(env, project, f"{document}.html.j2", context, filters)
    head, start, body = html.partition("<body")  # the title in <head> is text, not drawn spans
    html = head + start + room_for_high_marks(enclose_numbers(body))
    if document == "brief":
        _refuse_missing_sections(project, env, content, html)
    css = _render(env, project, "audience.css.j2", context, filters)
    chosen = profile.variant_for(document)
    variant = None if chosen == "none" else chosen
    return RenderedHtml(html, stylesheets(project, document, profile.name), css,
                        project.templates_dir, variant, document, profile.name)


def _labels(content: Content, profile: Profile) -> dict[str, str]:
    """The chrome's labels in the publication's language, with the profile's own over them."""
    language = content.publication.language
    if language not in CHROME_LABELS:
        raise TemplateError(Problem(f"content/{content.publication.id}/publication.yaml",
                                    f"no chrome labels for language '{language}'; known: "
                                    f"{', '.join(CHROME_LABELS)}", field="language"))
    return {**CHROME_LABELS[language], **profile.labels}


def reference_names(project: Project, content: Content, profile: Profile) -> Callable[[str], str]:
    """How an edition's brief and fact sheet name each annex node a `[[ref:id]]` names."""
    return _reference_names(_annex_layout(project, content, profile, _labels(content, profile)))


class _Annex:
    """A structured annex as one edition sees it: how its main language names a node, and its
    layout, made only for the annex itself. The brief and the fact sheet need the names alone,
    and the texts of an edition that does not print the annex may refer to nodes it hides."""

    def __init__(self, layout: AnnexLayout) -> None:
        self.layout = layout

    @cached_property
    def laid_out(self) -> LaidOut:
        return self.layout.lay_out()

    def main_text(self, value: object) -> Markup:
        """A header text of the annex, localised, its references made links, its last two words
        held on one line."""
        return self.layout.main.text(str(value), self.layout.names, self.layout.page_label,
                                     last_words=True) or Markup("")

    def name(self, target: str) -> str:
        """A node's full designation in the main language, for the brief and the fact sheet."""
        main = self.layout.main
        return hold_name(designation(self.layout.names[target], main.numbering, main.labels,
                                     main.language), main.numbering.separator)


def _numbering(project: Project) -> Numbering | None:
    """templates/numbering.yaml, or None in a project that has none (and no structured annex)."""
    if not os.path.lexists(project.find(Path("templates", NUMBERING_FILE))):
        return None
    try:
        return load_numbering(project)
    except ContentError as error:
        raise TemplateError(error.problems) from None


def _annex_layout(project: Project, content: Content, profile: Profile,
                  labels: dict[str, str]) -> _Annex | None:
    """The edition's layout of a structured annex, or None for a flat one or none."""
    annex = content.annex
    if annex is None or not annex.structured:
        return None
    numbering = _numbering(project)
    if numbering is None:
        raise TemplateError(Problem(f"templates/{NUMBERING_FILE}", "file not found; a structured "
                                    "annex is numbered as it says"))
    language = content.publication.language
    main = voice(language, edition_numbering(numbering, profile.numbering, language), labels,
                 profile.digits)
    second = None
    parallel = annex.parallel
    shown = profile.parallel if profile.parallel is not None else bool(parallel and parallel.side_by_side)
    if parallel is not None and shown:
        second = voice(parallel.language, edition_numbering(numbering, profile.numbering,
                                                            parallel.language),
                       default_labels(parallel.language), profile.digits, second=True)
    return _Annex(AnnexLayout(annex, main, second, profile.reference_pages))


def _reference_names(annex: _Annex | None) -> Callable[[str], str]:
    """How the brief and the fact sheet name a node they refer to: its designation, as text."""
    if annex is None:
        return lambda target: f"[[ref:{target}]]"  # validation refuses a reference with no annex
    return annex.name


def _named_text(value: object, name: Callable[[str], str]) -> str:
    """A text with every reference replaced by the name of its target."""
    text = str(value)
    return resolve(text, name) if "[[ref:" in text else text


def _named_facts(facts: Facts, name: Callable[[str], str]) -> Facts:
    """The fact sheet's texts with every reference replaced by the name of its target."""
    def named(value: object) -> object:
        if isinstance(value, str):
            return _named_text(value, name)
        if isinstance(value, list):
            return [named(item) for item in value]
        if isinstance(value, BaseModel):
            return value.model_copy(update={key: named(getattr(value, key))
                                            for key in type(value).model_fields})
        return value
    result = named(facts)
    assert isinstance(result, Facts)
    return result
