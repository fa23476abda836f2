"""Draw every edition of one publication as page images, again for what a save changed."""

from __future__ import annotations

import hashlib
import io
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..build import Target, edition_job, render_key, validate_project
from ..copies import publication_for
from ..errors import BriefpressError
from ..fonts.registry import load_registry
from ..layout.html import render_html
from ..layout.pdf import pdf_identifier, render_pdf
from ..output.cache import file_sha256, fonts_digest
from ..project import Project
from ..source.audiences import printed_items, select
from ..workers import Job, WorkerDied, close_pool, open_pool, run_all

SCALE = 96 / 72  # page images at 96 dpi


@dataclass(frozen=True)
class Sketch:
    """One document's pages as PNG images, laid out exactly as `build` lays it out (the finishing
    passes change no pixel, so the preview leaves them out)."""

    name: str
    pages: tuple[bytes, ...]
    fetched: dict[str, str]
    seconds: float


def sketch(job: Job) -> Sketch:
    """Lay out one document and draw its pages (in a worker of the preview's pool)."""
    import pypdfium2

    started = time.perf_counter()
    fetched: dict[str, str] = {}
    data = render_pdf(job.project, job.rendered, pdf_identifier(*job.identifier), job.label, None,
                      fetched, job.registry)
    document = pypdfium2.PdfDocument(data)
    pages = []
    try:
        for page in document:
            image = page.render(scale=SCALE).to_pil()
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=False)
            pages.append(out.getvalue())
    finally:
        document.close()
    return Sketch(job.name, tuple(pages), fetched, time.perf_counter() - started)


@dataclass
class Drawn:
    """A document as the page shows it: its images, and what they were drawn from."""

    key: str
    fetched: dict[str, str]
    pages: tuple[bytes, ...]
    seconds: float

    def digest(self, number: int) -> str:
        """A page image's version, so that the page reloads the images that changed alone."""
        return hashlib.sha256(self.pages[number - 1]).hexdigest()[:16]


@dataclass
class State:
    """What the page shows: the editions, what each leaves out, the error of the last save."""

    publication: str = ""
    version: int = 0
    error: str | None = None
    busy: bool = False
    editions: dict[str, list[str]] = field(default_factory=dict)  # audience -> its documents
    left_out: dict[str, list[str]] = field(default_factory=dict)  # audience -> tagged blocks
    drawn: dict[tuple[str, str], Drawn] = field(default_factory=dict)


class Editions:
    """Every edition of one publication, drawn, and redrawn in part when its inputs change."""

    def __init__(self, project: Project, publication: str | None, pool: Any = None,
                 processes: int = 1) -> None:
        self.project = project
        self.requested = publication
        self.pool = pool
        self.processes = processes
        self.state = State()
        self.changed = threading.Condition()

    def _bump(self, **changes: Any) -> None:
        with self.changed:
            for name, value in changes.items():
                setattr(self.state, name, value)
            self.state.version += 1
            self.changed.notify_all()

    def refresh(self) -> list[str]:
        """Draw again what changed; return the labels drawn. A bad input becomes the page's error,
        and so does a failure of briefpress's own (raised again for the terminal)."""
        self._bump(busy=True)
        try:
            try:
                drawn = self._refresh()
            except WorkerDied:  # killed, or out of memory: draw with new workers
                self._renew_pool()
                drawn = self._refresh()
        except BriefpressError as error:
            self._bump(error="\n".join(str(problem) for problem in error.problems), busy=False)
            return []
        except Exception as error:
            self._bump(error=f"briefpress: internal error: {type(error).__name__}: {error}", busy=False)
            raise
        self._bump(busy=False)
        return drawn

    def _renew_pool(self) -> None:
        """Replace a pool that a dead worker broke by a new one of as many processes."""
        if self.pool is not None:
            close_pool(self.pool, abandon=True)
            self.pool = open_pool(self.processes)

    def close(self) -> None:
        """Stop the workers, for good."""
        if self.pool is not None:
            close_pool(self.pool, abandon=True)

    def _refresh(self) -> list[str]:
        project = self.project
        pid = publication_for(project, self.requested)
        contents, profiles, registry = validate_project(project, [pid])
        content = contents[pid]
        editions = {name: [kind for kind in profile.documents
                           if kind != "annex" or content.annex is not None]
                    for name, profile in sorted(profiles.items()) if profile.gets(pid)}
        left_out = {name: _left_out(content, profiles[name]) for name in editions}
        targets = [Target(pid, name, kind) for name, kinds in editions.items() for kind in kinds]
        fonts = fonts_digest(*project.font_dirs)
        jobs, keys = [], {}
        for target in targets:
            profile = profiles[target.audience]
            rendered = render_html(project, select(content, profile), target.document, profile)
            keys[target.name] = render_key(project, target, rendered, content, profile, fonts)
            shown = self.state.drawn.get((target.audience, target.document))
            if shown is None or shown.key != keys[target.name] or not _same_files(project, shown.fetched):
                jobs.append(edition_job(project, target, rendered, content, profile, registry,
                                        shown.seconds if shown is not None else None))
        # An edition lists what it leaves out as its pages show it: the new list once every page
        # to draw again is drawn, the list of the pages kept until then (a failed drawing keeps
        # pages that may hold a block the new list says is left out).
        undrawn = Counter(job.identifier[1] for job in jobs)
        listed = {name: self.state.left_out[name] if undrawn[name] and name in self.state.left_out
                  else found for name, found in left_out.items()}
        self._bump(publication=pid, error=None, editions=editions, left_out=listed)
        with self.changed:
            wanted = {(target.audience, target.document) for target in targets}
            self.state.drawn = {place: shown for place, shown in self.state.drawn.items() if place in wanted}
        drawn = []
        for made in run_all(jobs, self.processes, self.pool, sketch):
            _, audience, document = made.name.removesuffix(".pdf").split("/")
            undrawn[audience] -= 1
            with self.changed:
                self.state.drawn[(audience, document)] = Drawn(keys[made.name], made.fetched, made.pages,
                                                                made.seconds)
                if not undrawn[audience]:
                    self.state.left_out = {**self.state.left_out, audience: left_out[audience]}
            self._bump()
            drawn.append(made.name.removesuffix(".pdf"))
        return drawn

    def as_json(self) -> dict[str, Any]:
        """The page's view of the state (`/state`)."""
        with self.changed:
            state = self.state
            return {
                "publication": state.publication, "version": state.version, "error": state.error,
                "busy": state.busy,
                "editions": [{
                    "audience": audience,
                    "left_out": state.left_out.get(audience, []),
                    "documents": [{
                        "document": document,
                        "seconds": round(shown.seconds, 2) if shown else None,
                        "pages": [f"/page/{audience}/{document}/{number}.png?v={shown.digest(number)}"
                                  for number in range(1, len(shown.pages) + 1)] if shown else [],
                    } for document in documents for shown in [state.drawn.get((audience, document))]],
                } for audience, documents in state.editions.items()],
            }

    def page(self, audience: str, document: str, number: int) -> bytes | None:
        """A page image, or None when there is no such page."""
        with self.changed:
            shown = self.state.drawn.get((audience, document))
            if shown is None or not 1 <= number <= len(shown.pages):
                return None
            return shown.pages[number - 1]

    def forget_fonts(self) -> None:
        """After an edit to fonts/: read the font folder again here (a worker lays out with the
        fonts of the registry each job carries)."""
        load_registry.cache_clear()


def _same_files(project: Project, fetched: dict[str, str]) -> bool:
    """Whether every file a drawing fetched still has its bytes; a label names a project file, or
    (`package:...`) one of the package's defaults, as `Project.locate` reads it."""
    return all(file_sha256(project.locate(name)) == digest for name, digest in fetched.items())


def _left_out(content: Any, profile: Any) -> list[str]:
    """The tagged blocks an edition leaves out, as `briefpress list` counts them, with where."""
    lost: dict[str, list[str]] = {}
    counts: Counter[str] = Counter()
    for tags, file, line, shown in printed_items(content, profile):
        if shown:
            continue  # its tags, and those of what holds it, let it through
        for tag in tags:
            counts[tag] += 1
            lost.setdefault(tag, []).append(f"{file} line {line}" if line else file)
    return [f"{tag}: {counts[tag]} tagged item(s) ({', '.join(dict.fromkeys(lost[tag]))})"
            for tag in sorted(counts)]
