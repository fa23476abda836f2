"""The archive edition's attachments: a publication's source files, only for an edition that sees all."""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf

from ..errors import ContentError, Problem
from ..project import Project
from ..source.audiences import Profile, content_tags
from ..source.model import Content
from ..source.publication import PUBLICATION_FILES

MIME_TYPES = {".yaml": "application/yaml", ".md": "text/markdown"}


@dataclass(frozen=True)
class Attachment:
    """One file embedded in a PDF: its name and exact bytes."""

    name: str
    data: bytes


def source_attachments(project: Project, content: Content, profile: Profile) -> list[Attachment]:
    """The publication's files, refused when the edition hides any of their content.

    A source file holds every tagged block and every section, so it may go only to an edition
    that excludes no tag, includes every tag the publication uses and chooses no sections.
    """
    used = sorted({tag for tag, _, _ in content_tags(content)})
    hidden = [tag for tag in used if not profile.shows((tag,))]
    label = f"templates/audiences/{profile.name}.yaml"
    chosen = content.publication.id in profile.sections
    if profile.exclude or hidden or chosen:
        reason = (f"it excludes {', '.join(profile.exclude)}" if profile.exclude
                  else f"it does not include {', '.join(hidden)}" if hidden
                  else "it chooses the brief's sections")
        raise ContentError(Problem(label, f"a pdf/a-3u edition attaches the source files of "
                                   f"'{content.publication.id}', which hold every tagged block, "
                                   f"but {reason}", field="pdf_variant"))
    folder = project.content_dir / content.publication.id
    names = [name for name in PUBLICATION_FILES if name != "annex.yaml" or content.annex is not None]
    return [Attachment(name, project.read_bytes(folder / name, "source")) for name in names]


def attach(pdf: pikepdf.Pdf, attachments: list[Attachment], date: str) -> None:
    """Embed each file as a /Source associated file of the document (PDF/A-3 /AF), dated `date`."""
    specs = []
    for attachment in attachments:
        suffix = attachment.name[attachment.name.rfind("."):]
        stream = pdf.make_stream(attachment.data)
        stream.Type = pikepdf.Name.EmbeddedFile
        stream.Subtype = pikepdf.Name("/" + MIME_TYPES.get(suffix, "application/octet-stream"))
        stream.Params = pikepdf.Dictionary(Size=len(attachment.data), ModDate=pikepdf.String(date))
        spec = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Filespec,
            F=pikepdf.String(attachment.name),
            UF=pikepdf.String(attachment.name),
            Desc=pikepdf.String(f"source file {attachment.name}"),
            AFRelationship=pikepdf.Name.Source,
            EF=pikepdf.Dictionary(F=stream, UF=stream),
        ))
        specs.append(spec)
    names = pikepdf.Array()
    for attachment, spec in sorted(zip(attachments, specs, strict=True), key=lambda pair: pair[0].name):
        names.extend([pikepdf.String(attachment.name), spec])
    if "/Names" not in pdf.Root:
        pdf.Root.Names = pikepdf.Dictionary()
    pdf.Root.Names.EmbeddedFiles = pdf.make_indirect(pikepdf.Dictionary(Names=names))
    pdf.Root.AF = pikepdf.Array([*pdf.Root.get("/AF", pikepdf.Array()), *specs])
