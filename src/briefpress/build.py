"""Build every requested document: load, validate, render HTML, render PDF, write, manifest."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from .check.pdffacts import font_programs, read_pdf_facts
from .errors import ContentError, FontError, InputError, Problem, RenderError, UsageError, raise_problems
from .fonts.identity import identify
from .fonts.registry import FontRegistry, load_registry
from .layout.html import RenderedHtml, render_html
from .layout.pdf import pdf_identifier, render_pdf
from .layout.stylesheets import declaration_problems, faces, stylesheet_paths, stylesheet_problems
from .output.finish import finish_pdf
from .output.manifest import MANIFEST_NAME, Entry, manifest_bytes, manifest_entry, read_manifest
from .output.staging import OutputFolder
from .project import Project
from .source.audiences import (
    DOCUMENTS,
    Profile,
    load_declared_tags,
    load_profiles,
    select,
    unknown_tag_problems,
)
from .source.characters import character_problems
from .source.model import Content
from .source.numbering import NUMBERING_FILE, numbering_problems
from .source.publication import PUBLICATION_FILES, load_publication, publication_ids
from .source.visibility import (
    anchor_problems,
    hidden_quote_problems,
    note_problems,
    profile_reference_problems,
    reference_problems,
)
from .source.xrefs import reference_problems as cross_reference_problems


@dataclass(frozen=True)
class Target:
    """One PDF to build."""

    publication: str
    audience: str
    document: str

    def path(self, out_dir: Path) -> Path:
        return out_dir / self.name

    @property
    def name(self) -> str:
        """The PDF's path inside the output folder."""
        return f"{self.publication}/{self.audience}/{self.document}.pdf"

    @property
    def label(self) -> str:
        return f"{self.publication}/{self.audience}/{self.document}"


def _choose(requested: Iterable[str] | None, valid: Iterable[str], what: str) -> list[str]:
    valid = list(valid)
    if not requested:
        return valid
    unknown = [name for name in requested if name not in valid]
    if unknown:
        raise UsageError(f"unknown {what} '{unknown[0]}'; valid: {', '.join(valid) or 'none'}")
    return list(dict.fromkeys(requested))


def load_all(project: Project, ids: list[str], faces: dict[str, set[str]] | None = None
             ) -> tuple[dict[str, Content], dict[str, Profile]]:
    """Load and validate every profile and publication; raise once with every problem.

    With `faces`, the font families of audience themes are checked against them.
    """
    problems: list[Problem | str] = []
    contents: dict[str, Content] = {}
    profiles: dict[str, Profile] = {}
    declared: dict[str, str] = {}
    try:
        profiles = load_profiles(project, faces)
    except InputError as error:
        problems += error.problems
    try:
        declared = load_declared_tags(project)
    except ContentError as error:
        problems += error.problems
    for publication_id in ids:
        try:
            contents[publication_id] = load_publication(project, publication_id)
        except ContentError as error:
            problems += error.problems
            continue
        if profiles:
            found = unknown_tag_problems(project, contents[publication_id], profiles, declared)
            content = contents[publication_id]
            problems += found or [*hidden_quote_problems(project, content, profiles),
                                  *anchor_problems(project, content, profiles),
                                  *reference_problems(project, content, profiles),
                                  *note_problems(project, content, profiles),
                                  *cross_reference_problems(project, content, profiles)]
    if profiles:
        problems += profile_reference_problems(project, publication_ids(project), contents, profiles)
        problems += numbering_problems(project, contents, profiles)
    raise_problems(problems)
    return contents, profiles


def validate_project(
    project: Project, ids: list[str]
) -> tuple[dict[str, Content], dict[str, Profile], FontRegistry]:
    """Load every profile and publication and check fonts, characters and stylesheets.

    Raise once with every problem found, before anything is written; the error's
    class is that of the first problem.
    """
    found: list[Problem | str] = []
    registry: FontRegistry | None = None
    try:
        registry = load_registry(project.fonts_dir)
    except FontError as error:
        found += [problem.of_kind("font") if isinstance(problem, Problem) else problem
                  for problem in error.problems]
    contents: dict[str, Content] = {}
    profiles: dict[str, Profile] = {}
    try:
        contents, profiles = load_all(project, ids, faces(registry) if registry else None)
    except InputError as error:
        found += error.problems
    if registry is not None:
        found += character_problems(checked_files(project, ids), registry, project.sandbox())
    css_problems = stylesheet_problems(project, registry)
    found += css_problems
    if registry is not None and not any(getattr(problem, "kind", "") == "font" for problem in found):
        found += declaration_problems(project, {str(problem.path) for problem in css_problems})
    raise_problems(found)
    assert registry is not None
    return contents, profiles, registry


def checked_files(project: Project, ids: list[str]) -> list[tuple[Path, str, str]]:
    """Every file whose characters reach a PDF, with the kind of file the sandbox reads it as:
    content files, templates, profiles and stylesheets."""
    files = [(project.content_dir / pid / name, "source") for pid in ids for name in PUBLICATION_FILES
             if name != "annex.yaml" or os.path.lexists(project.content_dir / pid / name)]
    files += [(project.templates_dir / NUMBERING_FILE, "numbering")]
    files += [(path, "template") for path in sorted(project.templates_dir.rglob("*.j2"))]
    files += [(path, "profile") for path in sorted(project.templates_dir.glob("audiences/*.yaml"))]
    files += [(path, "stylesheet") for path in stylesheet_paths(project)]
    return [(path, project.relative(path), kind) for path, kind in files]


def verify_fonts(label: str, data: bytes, registry: FontRegistry) -> None:
    """Fail when a PDF embeds a font program whose glyphs are not those of a shipped file."""
    foreign = sorted(name for name, program in font_programs(PdfReader(io.BytesIO(data)))
                     if program is None or identify(program, registry) is None)
    if foreign:
        raise RenderError(f"{label}: embeds fonts not shipped in fonts/: {', '.join(foreign)}")


def has_document(project: Project, publication: str, document: str) -> bool:
    """Whether a publication makes a document: every one does, but the annex needs annex.yaml."""
    return document != "annex" or os.path.lexists(project.content_dir / publication / "annex.yaml")


def owned_outputs(project: Project, profiles: dict[str, Profile]) -> set[str]:
    """Every PDF path some source still asks for: publication, audience and its documents."""
    return {Target(pid, name, kind).name for pid in publication_ids(project)
            for name, profile in profiles.items() if profile.gets(pid) for kind in profile.documents
            if has_document(project, pid, kind)}


def make_pdf(project: Project, target: Target, rendered: RenderedHtml, content: Content,
             profile: Profile, registry: FontRegistry, notes: list[str] | None = None) -> bytes:
    """One document's finished PDF: laid out, finished for its variant, and checked to embed
    only shipped fonts. `build` and `copies` both make their PDFs here; what layout could not
    meet (a last page left near empty) is added to `notes`."""
    data = render_pdf(project, rendered,
                      pdf_identifier(target.publication, target.audience, target.document), target.label,
                      notes)
    data = finish_pdf(project, data, rendered.pdf_variant, content, profile, registry)
    verify_fonts(target.label, data, registry)
    return data


def build(
    project: Project,
    out_dir: Path,
    publications: Iterable[str] | None = None,
    documents: Iterable[str] | None = None,
    audiences: Iterable[str] | None = None,
    on_written: Callable[[Target, Path], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> list[Target]:
    """Build the selected targets into `out_dir` and commit them with its manifest, as one set.

    The manifest lists the PDFs this build wrote and those of earlier builds that are
    still owned by a source; PDFs an earlier manifest listed and no source owns any more
    are removed. Nothing else in `out_dir` is read or touched.
    """
    ids = _choose(publications, publication_ids(project), "publication")
    if not ids:
        raise UsageError(f"no publication found under {project.relative(project.content_dir)}/")
    kinds = _choose(documents, DOCUMENTS, "document")

    with OutputFolder(out_dir, on_wait) as output:
        if out_dir.is_dir():
            output.acquire()  # finish or clean up a killed build first
        contents, profiles, registry = validate_project(project, ids)
        names = _choose(audiences, sorted(profiles), "audience")

        targets = [Target(pid, name, kind) for pid in ids for name in names for kind in kinds
                   if kind in profiles[name].documents and profiles[name].gets(pid)
                   and (kind != "annex" or contents[pid].annex is not None)]
        views = {(pid, name): select(contents[pid], profiles[name]) for pid in ids for name in names}
        rendered = {target: render_html(project, views[target.publication, target.audience],
                                        target.document, profiles[target.audience])
                    for target in targets}
        output.acquire()
        previous = read_manifest(out_dir)
        output.remove_temporaries([*previous, MANIFEST_NAME])
        written: dict[str, Entry] = {}
        notes: list[str] = []
        for target in targets:
            data = make_pdf(project, target, rendered[target], contents[target.publication],
                            profiles[target.audience], registry, notes)
            output.stage(target.name, data)
            written[target.name] = manifest_entry(target.name, target.publication, target.audience,
                                                  target.document, data, read_pdf_facts(data))
        owned = owned_outputs(project, profiles)
        kept = {path: entry for path, entry in previous.items()
                if path not in written and path in owned and (out_dir / path).is_file()}
        removed = sorted(path for path in previous if path not in owned)
        output.stage(MANIFEST_NAME, manifest_bytes({**kept, **written}))
        output.commit([*written, MANIFEST_NAME], removed)
    for target in targets:
        if on_written:
            on_written(target, target.path(out_dir))
    for note in notes:
        if on_note:
            on_note(note)
    return targets
