"""Finish a rendered PDF in one open and one save: glyph text, header scopes, note ids, PDF/X-4 or
archive, the facts the manifest and the font check read, deterministic bytes."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf

from ..errors import ResourceError
from ..fonts.registry import FontRegistry
from ..project import Project
from ..sandbox import Refused
from ..source.audiences import Profile
from ..source.model import Content
from .artifacts import mark_margin_artifacts
from .attachments import Attachment, attach, source_attachments
from .facts import OpenFacts, open_pdf_facts
from .glyphcopies import GlyphCopies
from .marks import space_marks
from .notes import identify_notes
from .outline import plain_outline
from .pdftext import parsed_contents, write_contents
from .pdfx import CMYK_PROFILE, default_cmyk, finish_pdfx
from .rises import drop_rises
from .tables import scope_table_headers
from .tounicode import map_glyph_text


@dataclass(frozen=True)
class Finished:
    """A finished PDF's bytes, and its pages and fonts as read while it was open."""

    data: bytes
    read: OpenFacts


@dataclass(frozen=True)
class FinishInputs:
    """The files finishing reads beside the PDF: the printer profile (PDF/X-4's output intent,
    PDF/A-3u's DefaultCMYK), the PDF/A-3u sources. Read once, so the build record keys a PDF
    by the bytes it was finished with."""

    icc: bytes | None = None
    attachments: tuple[Attachment, ...] = ()


def finish_inputs(project: Project, variant: str | None, content: Content, profile: Profile) -> FinishInputs:
    """What finishing a PDF of `variant` reads, read now."""
    return FinishInputs(cmyk_profile(project) if variant in ("pdf/x-4", "pdf/a-3u") else None,
                        tuple(source_attachments(project, content, profile)) if variant == "pdf/a-3u" else ())


def finish_pdf(project: Project, data: bytes, variant: str | None, content: Content,
               profile: Profile, registry: FontRegistry, inputs: FinishInputs | None = None) -> Finished:
    """The final bytes of one document of `content` for `profile`; the same input gives the same bytes.

    Every glyph code of the shipped fonts gets its glyph's own text (`tounicode`), every
    glyph is drawn on its line's baseline (`rises`), and every Arabic mark has a box of its
    own (`marks`). The PDF is parsed once and written once:
    its facts (pages, embedded fonts and their programs) are read from the finished objects
    just before they are saved, which changes no object."""
    if inputs is None:
        inputs = finish_inputs(project, variant, content, profile)
    attachments = list(inputs.attachments)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        contents = parsed_contents(pdf)
        copies = GlyphCopies(registry)
        map_glyph_text(pdf, registry, contents, copies)
        drop_rises(pdf, registry, contents, copies)
        space_marks(pdf, registry, contents, copies)
        copies.write(pdf)
        mark_margin_artifacts(pdf, contents)
        write_contents(pdf, contents)
        scope_table_headers(pdf)
        identify_notes(pdf)
        plain_outline(pdf)
        if variant == "pdf/x-4":
            assert inputs.icc is not None
            finish_pdfx(pdf, data, inputs.icc)
        if variant == "pdf/a-3u":
            assert inputs.icc is not None
            default_cmyk(pdf, inputs.icc)
        if attachments:
            attach(pdf, attachments, f"D:{content.publication.date:%Y%m%d}000000Z")
        read = open_pdf_facts(pdf)
        out = io.BytesIO()
        # WeasyPrint writes its streams uncompressed (layout/pdf.py): each is compressed here,
        # once, and the objects packed into object streams (the XMP metadata stays plain).
        pdf.save(out, deterministic_id=True, compress_streams=True, fix_metadata_version=False,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return Finished(out.getvalue(), read)


def cmyk_profile(project: Project) -> bytes:
    """The printing condition's ICC profile, shipped in templates/icc/."""
    path = project.find(f"templates/{CMYK_PROFILE.as_posix()}")
    try:
        return project.read_bytes(path, "colour profile")
    except Refused as refused:
        raise ResourceError(f"{project.relative(path)}: the PDF/X-4 printer profile cannot be "
                            f"read: {refused.reason}") from None
