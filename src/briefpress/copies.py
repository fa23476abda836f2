"""Numbered copies for named recipients: check the list, render once, stamp each copy, write the set."""

from __future__ import annotations

import hashlib
import io
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from .build import Target, make_pdf, validate_project
from .errors import ContentError, Problem, UsageError
from .layout.html import render_html
from .layout.stamp import Stamper, StampTooLong
from .output.copies import (
    Box,
    CopySet,
    CopyStamper,
    glyph_boxes,
    remove_old_staging,
)
from .output.copyindex import previous_copies, previous_document
from .output.staging import OutputFolder
from .project import Project
from .source.audiences import DOCUMENTS, select
from .source.publication import publication_ids
from .source.recipients import count_recipients, read_recipients, slug

# Stamp lines laid out per WeasyPrint run: fast, and few enough to keep memory small.
STAMP_BATCH = 50
MM = 72 / 25.4
# Between the page's lowest text (its page number, its marking) and the stamp, and between the
# stamp and the trim's edge.
FOOT_GAP, FOOT_MARGIN = 0.5 * MM, 1 * MM


@dataclass(frozen=True)
class CopiesMade:
    """What one `copies` run wrote, and how long the render and the stamping took."""

    folder: Path
    count: int
    render_seconds: float
    stamp_seconds: float

    @property
    def seconds_per_copy(self) -> float:
        return self.stamp_seconds / self.count

    @property
    def ratio(self) -> float:
        """How many copies are stamped in the time of one full render."""
        return self.render_seconds / self.seconds_per_copy


def copy_file_name(number: int, total: int, name: str) -> str:
    """`007-سارة-الخطيب.pdf`: the number, padded to at least 3 digits, then the name's slug."""
    digits = f"{number:0{max(3, len(str(total)))}d}"
    part = slug(name)
    return f"{digits}-{part}.pdf" if part else f"{digits}.pdf"


def stamp_drop(page_glyphs: list[Box], stamp_glyphs: list[Box]) -> float | None:
    """How far below its place a stamp goes, in points, for its glyphs to stay under every glyph
    of the page above them (a fact sheet's page number sits lower than a brief's); None when it
    would then come too near the trim's edge."""
    if not stamp_glyphs:
        return 0.0
    left, right = min(box[0] for box in stamp_glyphs), max(box[2] for box in stamp_glyphs)
    low, high = min(box[1] for box in stamp_glyphs), max(box[3] for box in stamp_glyphs)
    above = [box[1] for box in page_glyphs if box[0] < right + FOOT_GAP and box[2] > left - FOOT_GAP]
    drop = max(0.0, high - (min(above, default=high + FOOT_GAP) - FOOT_GAP))
    return None if low - drop < FOOT_MARGIN else drop


def publication_for(project: Project, requested: str | None) -> str:
    """The publication asked for, or the only one; a usage error otherwise."""
    ids = publication_ids(project)
    if requested is None:
        if len(ids) == 1:
            return ids[0]
        raise UsageError(f"choose a publication with --publication: {', '.join(ids) or 'none found'}")
    if requested not in ids:
        raise UsageError(f"unknown publication '{requested}'; valid: {', '.join(ids) or 'none'}")
    return requested


def make_copies(project: Project, out_dir: Path, audience: str, document: str, recipients: Path,
                publication: str | None = None,
                on_wait: Callable[[str], None] | None = None) -> CopiesMade:
    """Write `out_dir/<pub>/<audience>/copies/`: one stamped PDF per recipient and copies.json.

    The copies are staged and committed through the output folder, as `build` writes PDFs.
    """
    refused = project.output_problem(out_dir)
    if refused:
        raise UsageError(Problem(out_dir, refused))
    with OutputFolder(out_dir, on_wait) as output:
        if out_dir.is_dir():
            output.acquire()  # finish or clean up a killed run first
        return _make_copies(project, output, audience, document, recipients, publication)


def _make_copies(project: Project, output: OutputFolder, audience: str, document: str,
                 recipients: Path, publication: str | None) -> CopiesMade:
    pid = publication_for(project, publication)
    contents, profiles, registry = validate_project(project, [pid])
    if audience not in profiles:
        raise UsageError(f"unknown audience '{audience}'; valid: {', '.join(sorted(profiles))}")
    profile = profiles[audience]
    if document not in DOCUMENTS or document not in profile.documents or not profile.gets(pid):
        raise UsageError(f"audience '{audience}' gets no {document} of '{pid}'; it gets: "
                         f"{', '.join(profile.documents) if profile.gets(pid) else 'none'}")
    relative = f"{pid}/{audience}/copies"
    folder = output.root / relative
    earlier = previous_document(folder)
    if earlier not in (None, document):
        raise UsageError(Problem(folder, f"holds the numbered copies of the {earlier}, which copies of "
                                 f"the {document} would replace; move them away, or write these into "
                                 "another folder with --out"))
    label = str(recipients)
    total = count_recipients(recipients, label, registry)

    target = Target(pid, audience, document)
    started = time.perf_counter()
    rendered = render_html(project, select(contents[pid], profile), document, profile)
    data = make_pdf(project, target, rendered, contents[pid], profile, registry).data
    render_seconds = time.perf_counter() - started

    started = time.perf_counter()
    trim = PdfReader(io.BytesIO(data)).pages[0].trimbox
    publication_model = contents[pid].publication
    stamper = Stamper(project, (float(trim.width), float(trim.height)), publication_model.language,
                      publication_model.direction, profile.digits, registry)
    copy_stamper = CopyStamper(data)
    page_glyphs = [box for boxes in glyph_boxes(data) for box in boxes]
    header = {"publication": pid, "audience": audience, "document": document, "count": total,
              "rendered_sha256": hashlib.sha256(data).hexdigest()}
    output.acquire()
    remove_old_staging(folder)
    previous = previous_copies(folder)
    reading = read_recipients(recipients, label, registry)
    number = 0
    # Every stamp is laid out, so that every name whose stamp does not fit is reported at once;
    # once one does not, no more copies are made, and nothing is committed.
    problems: list[Problem] = []
    with CopySet(output, relative, header) as copies:
        while batch := list(itertools.islice(reading, STAMP_BATCH)):
            lines = [stamper.text(number + offset, total, recipient.name)
                     for offset, recipient in enumerate(batch, start=1)]
            number += len(batch)
            try:
                rendered_stamps = stamper.render(lines)
            except StampTooLong as long:
                problems += [Problem(label, f"the stamp for '{batch[index].name}' takes two lines on "
                                     f"this edition's {long.page_width_mm:.0f} mm wide page, where it "
                                     "would cover the footer; shorten the name", batch[index].line, "name")
                             for index in long.indices]
                continue
            stamps = PdfReader(io.BytesIO(rendered_stamps)).pages
            for offset, (recipient, stamp_page, stamp_glyphs) in enumerate(
                    zip(batch, stamps, glyph_boxes(rendered_stamps), strict=True)):
                drop = stamp_drop(page_glyphs, stamp_glyphs)
                if drop is None:
                    problems.append(Problem(label, f"the stamp for '{recipient.name}' does not fit "
                                            "between the page's footer and the trim's edge",
                                            recipient.line, "name"))
                    continue
                if not problems:
                    copy = number - len(batch) + offset + 1
                    copies.add(copy_file_name(copy, total, recipient.name), copy, recipient.fields,
                               copy_stamper.stamp(stamp_page, drop))
        if number != total and not problems:
            # saved again while the document rendered: every stamp says `of {total}`
            problems.append(Problem(label, f"changed while the copies were made: {total} "
                                    f"recipient(s) when checked, {number} when read again; nothing "
                                    "was written, run again once the file is saved"))
        if problems:
            raise ContentError(problems)
        copies.commit(previous)
    return CopiesMade(folder, total, render_seconds, time.perf_counter() - started)
