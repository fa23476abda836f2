"""Build every requested document: load, validate, render HTML, render PDF, write, manifest."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, FontError, InputError, Problem, UsageError, raise_problems
from .fonts.registry import FontRegistry, load_registry
from .layout.html import RenderedHtml, render_html
from .layout.overrides import override_problems
from .layout.stylesheets import declaration_problems, faces, stylesheet_paths, stylesheet_problems
from .output.cache import (
    BuildCache,
    Record,
    build_selection,
    fonts_digest,
    input_stamp,
    load_cache,
    save_cache,
    still_made,
    target_key,
    up_to_date,
)
from .output.copyindex import stale_copies
from .output.finish import FinishInputs, finish_inputs
from .output.manifest import MANIFEST_NAME, Entry, manifest_bytes, manifest_entry, read_manifest
from .output.staging import OutputFolder
from .project import Project
from .source.audiences import (
    DOCUMENTS,
    Profile,
    content_tags,
    load_declared_tags,
    load_profiles,
    profile_paths,
    select,
    unknown_tag_problems,
)
from .source.characters import character_problems
from .source.model import Content
from .source.numbering import NUMBERING_FILE, numbering_problems
from .source.publication import PUBLICATION_FILES, load_publication, misnamed_source_problems, publication_ids
from .source.visibility import (
    anchor_problems,
    empty_edition_problems,
    fact_sheet_problems,
    hidden_citation_problems,
    hidden_heading_problems,
    hidden_quote_problems,
    misspelt_tag_problems,
    note_problems,
    profile_reference_problems,
    reference_problems,
    unreachable_problems,
)
from .source.xrefs import reference_problems as cross_reference_problems
from .workers import Job, Made, close_pool, default_jobs, make, make_all, started_pool
from .workers import verify_fonts as verify_fonts


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
    problems += misnamed_source_problems(project)
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
            problems += found or [*empty_edition_problems(project, content, profiles),
                                  *hidden_quote_problems(project, content, profiles),
                                  *hidden_citation_problems(project, content, profiles),
                                  *hidden_heading_problems(project, content, profiles),
                                  *anchor_problems(project, content, profiles),
                                  *reference_problems(project, content, profiles),
                                  *note_problems(project, content, profiles),
                                  *fact_sheet_problems(project, content, profiles),
                                  *cross_reference_problems(project, content, profiles),
                                  *unreachable_problems(project, content, profiles)]
    if profiles:
        problems += profile_reference_problems(project, publication_ids(project), contents, profiles)
        problems += numbering_problems(project, contents, profiles)
        if not problems:
            used, unread = _used_tags(project, contents)
            problems += misspelt_tag_problems(project, profiles, used, set(declared), unread)
    raise_problems(problems)
    return contents, profiles


def _used_tags(project: Project, contents: dict[str, Content]) -> tuple[set[str], list[str]]:
    """Every tag the project's publications use, those not being built read too, and the
    publications that do not load, whose tags are unknown (their own builds report why)."""
    used: set[str] = set()
    unread: list[str] = []
    for publication_id in publication_ids(project):
        content = contents.get(publication_id)
        if content is None:
            try:
                content = load_publication(project, publication_id)
            except ContentError:
                unread.append(publication_id)
                continue
        used |= {tag for tag, _, _ in content_tags(content)}
    return used, unread


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
        registry = load_registry(*project.font_dirs)
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
    found += [Problem(project.relative(path), f"a template or stylesheet is named *{path.suffix.lower()}, "
                      f"and this one is not read; rename it {path.stem}{path.suffix.lower()}",
                      kind="template") for path in project.misnamed_templates()]
    if profiles:
        found += override_problems(project, profiles)
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
    files += [(project.find(Path("templates", NUMBERING_FILE)), "numbering")]
    files += [(path, "template") for path in project.files("templates", "**/*.j2")]
    files += [(path, "profile") for path in profile_paths(project.audiences_dir)]
    files += [(path, "stylesheet") for path in stylesheet_paths(project)]
    return [(path, project.relative(path), kind) for path, kind in files]


def content_folder_problem(project: Project) -> Problem | None:
    """Why the project's content/ holds no publication at all: missing, not a folder, or a link
    leading nowhere (a synced folder not mounted); None when it is a folder."""
    folder = project.content_dir
    if folder.is_dir():
        return None
    if os.path.islink(folder):
        reason = f"is a link to {os.readlink(folder)}, which leads to no folder"
    elif os.path.lexists(folder):
        reason = "is not a folder"
    else:
        reason = "does not exist"
    return Problem(project.relative(folder), f"{reason}; the publications are read from content/<id>/",
                   kind="content")


def has_document(project: Project, publication: str, document: str) -> bool:
    """Whether a publication makes a document: every one does, but the annex needs annex.yaml."""
    return document != "annex" or os.path.lexists(project.content_dir / publication / "annex.yaml")


def owned_outputs(project: Project, profiles: dict[str, Profile]) -> set[str]:
    """Every PDF path some source still asks for: publication, audience and its documents."""
    return {Target(pid, name, kind).name for pid in publication_ids(project)
            for name, profile in profiles.items() if profile.gets(pid) for kind in profile.documents
            if has_document(project, pid, kind)}


def make_pdf(project: Project, target: Target, rendered: RenderedHtml, content: Content,
             profile: Profile, registry: FontRegistry) -> Made:
    """One document's finished PDF: laid out, finished for its variant, and checked to embed
    only shipped fonts. `build` and `copies` both make their PDFs here; what layout could not
    meet (a last page left near empty) is in its notes."""
    return make(edition_job(project, target, rendered, content, profile, registry))


def edition_job(project: Project, target: Target, rendered: RenderedHtml, content: Content, profile: Profile,
         registry: FontRegistry, last_seconds: float | None = None,
         finish: FinishInputs | None = None) -> Job:
    return Job(project, target.name, target.label,
               (target.publication, target.audience, target.document), rendered, content, profile,
               registry, last_seconds, finish)


def render_key(project: Project, target: Target, rendered: RenderedHtml, content: Content, profile: Profile,
         fonts: str, inputs: FinishInputs | None = None) -> str:
    """What the render and finishing of `target` read, as the cache keys it (output/cache.py);
    `inputs`, when given, are the very bytes its finishing will use (read here otherwise)."""
    if inputs is None:
        inputs = finish_inputs(project, rendered.pdf_variant, content, profile)
    finish: dict[str, object] = {}
    if inputs.icc is not None:
        finish["icc"] = hashlib.sha256(inputs.icc).hexdigest()
    if rendered.pdf_variant == "pdf/a-3u":
        finish["attachments"] = [(item.name, hashlib.sha256(item.data).hexdigest())
                                 for item in inputs.attachments]
        finish["date"] = content.publication.date
    return target_key({
        "target": target.name, "html": rendered.html, "css": rendered.audience_css,
        "stylesheets": [project.relative(path) for path in rendered.stylesheets],
        "base": project.relative(rendered.base_url), "variant": rendered.pdf_variant,
        "profile": profile.model_dump(mode="json"), "fonts": fonts, "finish": finish})


@dataclass(frozen=True)
class Progress:
    """A target done: made in `seconds` by a process that peaked at `peak_kib`, or kept
    unchanged (`seconds` None)."""

    target: Target
    seconds: float | None = None
    peak_kib: int = 0


def _target_of(name: str) -> Target:
    publication, audience, document = name.removesuffix(".pdf").split("/")
    return Target(publication, audience, document)


def build(
    project: Project,
    out_dir: Path,
    publications: Iterable[str] | None = None,
    documents: Iterable[str] | None = None,
    audiences: Iterable[str] | None = None,
    on_written: Callable[[Target, Path], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
    on_note: Callable[[str], None] | None = None,
    jobs: int | None = None,
    force: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
    on_removed: Callable[[str], None] | None = None,
    on_start: Callable[[list[Target]], None] | None = None,
    on_stale_copies: Callable[[str, int], None] | None = None,
) -> list[Target]:
    """Build the selected targets into `out_dir` and commit them with its manifest, as one set.

    The manifest lists the PDFs this build wrote and those of earlier builds that are
    still owned by a source; PDFs an earlier manifest listed and no source owns any more
    are removed (`on_removed`), and so are the numbered copies in an edition's `copies/` of a
    document this build leaves other than they were made from, or removes (`on_stale_copies`:
    the folder and how many copies). Nothing else in `out_dir` is read or touched, but for the
    build record in `out_dir/.briefpress/` (output/cache.py): a PDF whose inputs have not
    changed is kept as it is, unless `force`. `jobs` processes render (default: the cores
    available); the bytes are the same whatever their number.
    """
    refused = project.output_problem(out_dir)
    if refused:
        raise UsageError(Problem(out_dir, refused))
    # The stamp is taken before anything is read: an edit during the build makes the next look again.
    selection = build_selection(publications, documents, audiences)
    stamp = input_stamp(project.root, selection, project.defaults)
    unchanged = None if force else up_to_date(project.root, out_dir, stamp, on_wait, project.locate)
    if unchanged is not None:
        targets = unchanged_targets(unchanged)
        if on_start:
            on_start(targets)
        _report(targets, unchanged.records, out_dir, on_progress, on_written, on_note)
        return targets
    with OutputFolder(out_dir, on_wait) as output, ExitStack() as workers:
        if out_dir.is_dir():
            output.acquire()  # finish or clean up a killed build first
        missing = content_folder_problem(project)
        if missing:
            raise UsageError(missing)
        ids = _choose(publications, publication_ids(project), "publication")
        if not ids:  # a publication.yaml saved as publication.YAML is named, not "none found"
            raise_problems(misnamed_source_problems(project))
            raise UsageError(f"no publication found under {project.relative(project.content_dir)}/")
        kinds = _choose(documents, DOCUMENTS, "document")
        contents, profiles, registry = validate_project(project, ids)
        names = _choose(audiences, sorted(profiles), "audience")

        targets = [Target(pid, name, kind) for pid in ids for name in names for kind in kinds
                   if kind in profiles[name].documents and profiles[name].gets(pid)
                   and (kind != "annex" or contents[pid].annex is not None)]
        # The workers start now, and read the fonts while this process prepares their jobs.
        pool = workers.enter_context(started_pool(min(jobs or default_jobs(), len(targets)),
                                                project, registry))
        views = {(pid, name): select(contents[pid], profiles[name]) for pid in ids for name in names}
        rendered = {target: render_html(project, views[target.publication, target.audience],
                                        target.document, profiles[target.audience])
                    for target in targets}
        output.acquire()
        if on_start:
            on_start(targets)
        previous = read_manifest(out_dir)
        output.remove_temporaries([*previous, MANIFEST_NAME])
        recorded = load_cache(out_dir)
        fonts = fonts_digest(*project.font_dirs)
        # Read once: the key and the finishing see the same bytes, whatever is saved meanwhile.
        finishing = {target: finish_inputs(project, rendered[target].pdf_variant,
                                           contents[target.publication], profiles[target.audience])
                     for target in targets}
        keys = {target: render_key(project, target, rendered[target], contents[target.publication],
                                   profiles[target.audience], fonts, finishing[target]) for target in targets}
        # Everything but WeasyPrint's own reads is read by now. A save since the stamp was taken
        # (while waiting for the lock, say) may be what was read: were it undone, the stamp
        # would call these PDFs unchanged. Such a build records no stamp.
        if stamp is not None and input_stamp(project.root, selection, project.defaults) != stamp:
            stamp = None
        kept = [] if force else [
            target for target in targets
            if still_made(recorded.records.get(target.name), keys[target], project.locate, out_dir,
                          target.name, previous)]
        for target in kept:
            if on_progress:
                on_progress(Progress(target))
        todo = [edition_job(project, target, rendered[target], contents[target.publication],
                            profiles[target.audience], registry,
                            last_seconds(recorded, target.name), finishing[target])
                for target in targets if target not in kept]
        if not todo and pool is not None:
            close_pool(pool, abandon=True)  # nothing to make: not waited for while they read fonts
        by_name = {target.name: target for target in targets}
        written: dict[str, Entry] = {}
        records = {name: record for name, record in recorded.records.items()
                   if name in previous and name not in by_name}  # earlier builds' other PDFs
        for made in make_all(todo, jobs or default_jobs(), pool):
            target = by_name[made.name]
            output.stage(target.name, made.data)
            written[target.name] = manifest_entry(target.name, target.publication, target.audience,
                                                  target.document, made.data, made.facts)
            records[target.name] = Record(keys[target], made.fetched, written[target.name]["sha256"],
                                          written[target.name], list(made.notes), round(made.seconds, 3))
            if on_progress:
                on_progress(Progress(target, made.seconds, made.peak_kib))
        workers.close()  # before the commit: a build killed while committing leaves no worker behind
        for target in kept:
            records[target.name] = recorded.records[target.name]
        owned = owned_outputs(project, profiles)
        carried = {path: entry for path, entry in previous.items()
                   if path not in written and path in owned and (out_dir / path).is_file()}
        removed = sorted(path for path in previous if path not in owned)
        stale = stale_copies(out_dir, {**{target.name: records[target.name].sha256 for target in targets},
                                       **dict.fromkeys(removed)})
        output.stage(MANIFEST_NAME, manifest_bytes({**carried, **written}))
        output.commit([*written, MANIFEST_NAME],
                      [*removed, *(path for paths in stale.values() for path in paths)])
        records = {name: record for name, record in records.items() if name not in removed}
        save_cache(out_dir, BuildCache(stamp, [target.name for target in targets], records))
    for path in removed:
        if on_removed:
            on_removed(path)
    for folder, paths in stale.items():
        if on_stale_copies:
            on_stale_copies(folder, len(paths) - 1)
    _report(targets, records, out_dir, None, on_written, on_note)
    return targets


def last_seconds(recorded: BuildCache, name: str) -> float | None:
    """How long the last build took to make the PDF `name`, when its record says."""
    record = recorded.records.get(name)
    return record.seconds if record is not None else None


def unchanged_targets(unchanged: BuildCache) -> list[Target]:
    """The targets an unchanged build stands for: those the last build made."""
    return [_target_of(name) for name in unchanged.selected]


def _report(targets: list[Target], records: dict[str, Record], out_dir: Path,
            on_progress: Callable[[Progress], None] | None,
            on_written: Callable[[Target, Path], None] | None,
            on_note: Callable[[str], None] | None) -> None:
    """Tell the callers about a committed build: unchanged targets (`on_progress`, for a build
    that made nothing), every PDF in place, and what layout noted about each."""
    for target in targets:
        if on_progress:
            on_progress(Progress(target))
    for target in targets:
        if on_written:
            on_written(target, target.path(out_dir))
    for target in targets:
        for note in records[target.name].notes:
            if on_note:
                on_note(note)
