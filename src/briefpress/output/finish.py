"""Finish a rendered PDF: glyph text, header scopes, note ids, plain bookmarks, PDF/X-4 or archive."""

from __future__ import annotations

import io

import pikepdf

from ..errors import ResourceError
from ..fonts.registry import FontRegistry
from ..project import Project
from ..sandbox import Refused
from ..source.audiences import Profile
from ..source.model import Content
from .attachments import attach, source_attachments
from .notes import identify_notes
from .outlines import plain_outlines
from .pdfx import CMYK_PROFILE, finish_pdfx
from .rises import drop_rises
from .tables import scope_table_headers
from .tounicode import map_glyph_text


def finish_pdf(project: Project, data: bytes, variant: str | None, content: Content,
               profile: Profile, registry: FontRegistry) -> bytes:
    """The final bytes of one document of `content` for `profile`; the same input gives the same bytes.

    Every glyph code of the shipped fonts gets its glyph's own text (`tounicode`), and every
    glyph is drawn on its line's baseline (`rises`)."""
    attachments = source_attachments(project, content, profile) if variant == "pdf/a-3u" else []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        map_glyph_text(pdf, registry)
        drop_rises(pdf, registry)
        scope_table_headers(pdf)
        identify_notes(pdf)
        plain_outlines(pdf)
        if variant == "pdf/x-4":
            finish_pdfx(pdf, data, cmyk_profile(project))
        if attachments:
            attach(pdf, attachments, f"D:{content.publication.date:%Y%m%d}000000Z")
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True, fix_metadata_version=False,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


def cmyk_profile(project: Project) -> bytes:
    """The printing condition's ICC profile, shipped in templates/icc/."""
    path = project.templates_dir / CMYK_PROFILE
    try:
        return project.read_bytes(path, "colour profile")
    except Refused as refused:
        raise ResourceError(f"{project.relative(path)}: the PDF/X-4 printer profile cannot be "
                            f"read: {refused.reason}") from None
