"""The archive edition: PDF/A-3u with the publication's source files attached, only when none leaks."""

from __future__ import annotations

import gc
import warnings
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

from briefpress.build import build
from briefpress.errors import ContentError
from briefpress.project import Project
from briefpress.source.publication import PUBLICATION_FILES

from conftest import PUBLICATION

ARCHIVE = """name: archive
description: إصدار الأرشيف
documents: [factsheet]
include: [sanctions-detail]
pdf_variant: pdf/a-3u
"""


def _build(project: Project, out: Path) -> None:
    """Build the archive edition; WeasyPrint 70 leaves its sRGB profile open for PDF/A (unclosed file)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="unclosed file.*sRGB2014.icc", category=ResourceWarning)
        try:
            build(project, out, publications=[PUBLICATION], audiences=["archive"])
        finally:
            gc.collect()


_REFUSED = ("templates/audiences/archive.yaml: pdf_variant: a pdf/a-3u edition attaches the source "
            f"files of '{PUBLICATION}', which hold every tagged block, ")


def _refusal(project: Project, out: Path) -> str:
    """The first problem of an archive build that must be refused, which writes nothing."""
    with pytest.raises(ContentError) as raised:
        _build(project, out)
    assert not (out / PUBLICATION / "archive").exists()
    return str(raised.value.problems[0])


def _archive(project: Project, extra: str = "") -> None:
    (project.templates_dir / "audiences" / "archive.yaml").write_text(ARCHIVE + extra, encoding="utf-8")


def test_sources_come_back_out_byte_identical(scratch_project: Project, tmp_path: Path) -> None:
    _archive(scratch_project)
    _build(scratch_project, tmp_path / "one")
    path = tmp_path / "one" / PUBLICATION / "archive" / "factsheet.pdf"
    attachments = PdfReader(str(path)).attachments
    assert sorted(attachments) == sorted(PUBLICATION_FILES)
    for name in PUBLICATION_FILES:
        assert attachments[name] == [(scratch_project.content_dir / PUBLICATION / name).read_bytes()]
    with pikepdf.open(path) as pdf:
        assert len(pdf.Root.AF) == len(PUBLICATION_FILES)
        assert {str(spec.AFRelationship) for spec in pdf.Root.AF} == {"/Source"}
        assert b'pdfaid:part="3"' in pdf.Root.Metadata.read_bytes()
        assert [intent.S for intent in pdf.Root.OutputIntents] == ["/GTS_PDFA1"]
    _build(scratch_project, tmp_path / "two")
    assert (tmp_path / "two" / PUBLICATION / "archive" / "factsheet.pdf").read_bytes() == path.read_bytes()


@pytest.mark.parametrize(("extra", "reason"), [
    ("exclude: [sanctions-detail]\n", "but it excludes sanctions-detail"),
    ("", "but it does not include sanctions-detail"),
    (f"include: [sanctions-detail]\nsections:\n  {PUBLICATION}: [section-1]\n",
     "but it chooses the brief's sections"),
])
def test_an_edition_that_hides_content_gets_no_sources(scratch_project: Project, tmp_path: Path,
                                                        extra: str, reason: str) -> None:
    text = ARCHIVE.replace("include: [sanctions-detail]\n", "") + extra
    (scratch_project.templates_dir / "audiences" / "archive.yaml").write_text(text, encoding="utf-8")
    assert _refusal(scratch_project, tmp_path / "out") == _REFUSED + reason


def test_a_tag_on_a_note_alone_keeps_the_sources_back(scratch_project: Project, tmp_path: Path) -> None:
    """A note's tags are the content's too: when an edition hides a note, its brief.md is not
    attached, even if nothing else carries the note's tag."""
    audiences = scratch_project.templates_dir / "audiences"
    general = audiences / "general.yaml"
    general.write_text(general.read_text(encoding="utf-8").replace(
        "include: [sanctions-detail]", "include: [sanctions-detail, staff-notes]"), encoding="utf-8")
    _archive(scratch_project)
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    brief.write_text(brief.read_text(encoding="utf-8") + "\nنص عام[^staff].\n\n{audience=staff-notes}\n"
                     "[^staff]: ملاحظة للعاملين وحدهم.\n", encoding="utf-8")
    assert _refusal(scratch_project, tmp_path / "out") == _REFUSED + "but it does not include staff-notes"


def test_a_cmyk_image_is_given_a_default_cmyk(scratch_project: Project, tmp_path: Path) -> None:
    """PDF/A allows DeviceCMYK under an sRGB output intent only where a DefaultCMYK maps it to a
    profile: a CMYK JPEG as the cover image made the archive brief's PDF/A-3u claim false."""
    audiences = scratch_project.templates_dir / "audiences"
    Image.new("CMYK", (40, 20), (0, 200, 200, 0)).save(audiences / "cover.jpg")
    (audiences / "archive.yaml").write_text(ARCHIVE.replace("[factsheet]", "[brief]") + (
        "cover_image: cover.jpg\ncover_image_alt: صورة الغلاف\n"), encoding="utf-8")
    _build(scratch_project, tmp_path / "out")
    with pikepdf.open(tmp_path / "out" / PUBLICATION / "archive" / "brief.pdf") as pdf:
        drawing = [obj for obj in pdf.objects if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream))
                   and "/Resources" in obj and any(
                       image.get("/ColorSpace") == pikepdf.Name.DeviceCMYK
                       for image in obj.Resources.get("/XObject", {}).values())]
        assert drawing
        for obj in drawing:
            default = obj.Resources.ColorSpace.DefaultCMYK
            assert default[0] == pikepdf.Name.ICCBased and default[1].N == 4
