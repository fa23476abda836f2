"""The `print` edition is PDF/X-4: each rule proven on the built PDFs, and the preflight can fail."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pypdfium2
import pytest

from briefpress.check.pdfx import NOTICE, RULES, claims_pdfx, pdfx_problems
from briefpress.layout.pdf import pdf_identifier
from briefpress.output.pdfx import CMYK_PROFILE, PROFILE_DESCRIPTION
from briefpress.project import Project

from conftest import PUBLICATION
from test_cli import run

DOCUMENTS = ("brief", "factsheet", "annex")
MM = 72 / 25.4
A4 = (595.28, 841.89)
XMP_MM = "{http://ns.adobe.com/xap/1.0/mm/}"


def _print_pdf(built: Path, document: str) -> Path:
    return built / PUBLICATION / "print" / f"{document}.pdf"


def _xmp(pdf: pikepdf.Pdf) -> ElementTree.Element:
    return ElementTree.fromstring(pdf.Root.Metadata.read_bytes())


def _xmp_text(pdf: pikepdf.Pdf, tag: str) -> list[str]:
    return [element.text or "" for element in _xmp(pdf).iter(tag)]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_print_pdf_passes_the_pdfx_preflight(built: Path, document: str) -> None:
    with pikepdf.open(_print_pdf(built, document)) as pdf:
        assert claims_pdfx(pdf)
        assert pdfx_problems(pdf) == []


@pytest.mark.parametrize("document", DOCUMENTS)
def test_output_intent_embeds_the_shipped_cmyk_printer_profile(built: Path, project: Project,
                                                               document: str) -> None:
    with pikepdf.open(_print_pdf(built, document)) as pdf:
        intents = list(pdf.Root.OutputIntents)
        assert [intent.S for intent in intents] == ["/GTS_PDFX"]
        profile = intents[0].DestOutputProfile.read_bytes()
        assert profile == project.find(Path("templates") / CMYK_PROFILE).read_bytes()
        assert (profile[12:16], profile[16:20], profile[36:40]) == (b"prtr", b"CMYK", b"acsp")
        assert intents[0].DestOutputProfile.N == 4
        # The registered printing condition, as the ICC's registry names it.
        assert str(intents[0].OutputConditionIdentifier) == "FOGRA39"
        assert str(intents[0].RegistryName) == "http://www.color.org"
        assert str(intents[0].OutputCondition).startswith("Offset printing, according to ISO 12647-2")
        assert str(intents[0].Info) == PROFILE_DESCRIPTION


@pytest.mark.parametrize("document", DOCUMENTS)
def test_trim_is_a4_with_3_mm_bleed_inside_the_sheet(built: Path, document: str) -> None:
    with pikepdf.open(_print_pdf(built, document)) as pdf:
        for page in pdf.pages:
            trim = [float(value) for value in page.obj.TrimBox]
            bleed = [float(value) for value in page.obj.BleedBox]
            media = [float(value) for value in page.obj.MediaBox]
            assert (round(trim[2] - trim[0], 2), round(trim[3] - trim[1], 2)) == A4
            # Bleed: 3 mm on every side; the sheet: 8 mm, room for the crop marks.
            assert [round(b - t, 2) for b, t in zip(bleed, trim, strict=True)] == [
                round(-3 * MM, 2), round(-3 * MM, 2), round(3 * MM, 2), round(3 * MM, 2)]
            assert [round(m - t, 2) for m, t in zip(media, trim, strict=True)] == [
                round(-8 * MM, 2), round(-8 * MM, 2), round(8 * MM, 2), round(8 * MM, 2)]


def test_crop_marks_are_drawn_outside_the_bleed_and_nothing_else_is(built: Path) -> None:
    """Dark pixels between the BleedBox and the sheet's edge: the eight crop marks, at the corners."""
    scale = 150 / 72
    document = pypdfium2.PdfDocument(str(_print_pdf(built, "brief")))
    try:
        image = document[0].render(scale=scale, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    # MediaBox 8 mm around the trim, BleedBox 3 mm: the outer band is 0 to 5 mm from the edge.
    band = round(4.5 * MM * scale)
    width, height = image.size
    pixels = image.load()

    def dark(x: int, y: int) -> bool:
        return pixels[x, y] < 128

    outer = [(x, y) for y in range(height) for x in range(width)
             if (x < band or x >= width - band or y < band or y >= height - band) and dark(x, y)]
    assert outer, "no crop marks outside the bleed"
    corner = round(9 * MM * scale)  # each mark stays within 9 mm of a corner of the sheet
    for x, y in outer:
        assert min(x, width - 1 - x) < corner and min(y, height - 1 - y) < corner, (x, y)
    # A mark on each of the four corners.
    quadrants = {(x < width / 2, y < height / 2) for x, y in outer}
    assert len(quadrants) == 4


@pytest.mark.parametrize("document", DOCUMENTS)
def test_pdfx_version_and_trapped_in_info_and_xmp(built: Path, document: str) -> None:
    with pikepdf.open(_print_pdf(built, document)) as pdf:
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4"
        assert pdf.docinfo.Trapped == pikepdf.Name("/False")
        assert _xmp_text(pdf, "{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion") == ["PDF/X-4"]
        assert _xmp_text(pdf, "{http://ns.adobe.com/pdf/1.3/}Trapped") == ["False"]
        assert pdf.pdf_version == "1.6"


def test_xmp_identifiers_come_from_the_document_not_chance(built: Path) -> None:
    instances = set()
    for document in DOCUMENTS:
        with pikepdf.open(_print_pdf(built, document)) as pdf:
            identifier = pdf_identifier(PUBLICATION, "print", document)
            assert bytes(pdf.trailer.ID[0]) == identifier
            assert _xmp_text(pdf, f"{XMP_MM}DocumentID") == [f"uuid:{uuid.UUID(bytes=identifier)}"]
            [instance] = _xmp_text(pdf, f"{XMP_MM}InstanceID")
            instances.add(instance)
            assert b"xmp.did:" not in pdf.Root.Metadata.read_bytes()
            assert _xmp_text(pdf, "{http://ns.adobe.com/xap/1.0/}CreateDate") == ["2026-11-29"]
            assert str(pdf.docinfo.CreationDate) == "D:20261129"
    assert len(instances) == len(DOCUMENTS)


def test_print_rebuild_is_byte_identical(project: Project, built: Path, tmp_path: Path) -> None:
    from briefpress.build import build

    build(project, tmp_path, audiences=["print"])
    for document in DOCUMENTS:
        assert (_print_pdf(tmp_path, document).read_bytes()
                == _print_pdf(built, document).read_bytes()), document


def test_check_runs_the_pdfx_subset_and_says_so(built: Path) -> None:
    code, out, err = run("check", str(_print_pdf(built, "factsheet")))
    assert code == 0, err
    assert NOTICE in out and "subset" in NOTICE
    code, out, _ = run("check", str(built / PUBLICATION / "general" / "factsheet.pdf"))
    assert code == 0 and "PDF/X" not in out


# Each rule can fail: break it in a copy of a good print PDF ------------------------------

def _remove_default_rgb(pdf: pikepdf.Pdf) -> None:
    del pdf.pages[0].Resources.ColorSpace["/DefaultRGB"]


def _unembed_a_font(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in obj:
                    del obj[key]
            return


def _monitor_profile(pdf: pikepdf.Pdf) -> None:
    profile = pdf.Root.OutputIntents[0].DestOutputProfile
    data = bytearray(profile.read_bytes())
    data[12:16] = b"mntr"
    profile.write(bytes(data))


def _drop_instance_id(pdf: pikepdf.Pdf) -> None:
    stream = pdf.Root.Metadata
    stream.write(stream.read_bytes().replace(b"xmpMM:InstanceID", b"xmpMM:Other"))


def _printable_link(pdf: pikepdf.Pdf) -> None:
    page = pdf.pages[0]
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, F=4, Rect=[100, 100, 200, 120])]))


def _transfer_function(pdf: pikepdf.Pdf) -> None:
    states = pdf.pages[0].Resources.ExtGState
    states[next(iter(states.keys()))].TR = pikepdf.Name.Identity


BREAKS: dict[str, tuple[Callable[[pikepdf.Pdf], None], str]] = {
    "PDF 1.7": (lambda pdf: pdf.Root.__setattr__("Version", pikepdf.Name("/1.7")), "PDF version 1.7"),
    "no output intent": (lambda pdf: pdf.Root.__delattr__("OutputIntents"),
                         "0 GTS_PDFX output intents, not one"),
    "monitor profile": (_monitor_profile, "class is 'mntr', not 'prtr'"),
    "no Info version": (lambda pdf: pdf.docinfo.__delitem__("/GTS_PDFXVersion"),
                        "Info GTS_PDFXVersion is missing"),
    "trapped unknown": (lambda pdf: pdf.docinfo.__setitem__("/Trapped", pikepdf.Name.Unknown),
                        "Info /Trapped is /Unknown"),
    "no InstanceID": (_drop_instance_id, "XMP has no xmpMM:InstanceID"),
    "no bleed": (lambda pdf: pdf.pages[0].obj.__setattr__("BleedBox", pdf.pages[0].obj.TrimBox),
                 "page 1: bleed of 0.00 mm, less than 3 mm"),
    "no trim box": (lambda pdf: pdf.pages[0].obj.__delattr__("TrimBox"), "page 1 has no TrimBox"),
    "font not embedded": (_unembed_a_font, "is not embedded"),
    "RGB without DefaultRGB": (_remove_default_rgb, "page 1 paints DeviceRGB without a DefaultRGB"),
    "transfer function": (_transfer_function, "sets a transfer function (TR)"),
    "printable annotation": (_printable_link, "printable /Link annotation lies inside the BleedBox"),
}


@pytest.mark.parametrize("name", list(BREAKS))
def test_preflight_finds_each_broken_rule(built: Path, name: str) -> None:
    breaks, expected = BREAKS[name]
    with pikepdf.open(_print_pdf(built, "brief")) as pdf:
        breaks(pdf)
        out = io.BytesIO()
        pdf.save(out)
    with pikepdf.open(io.BytesIO(out.getvalue())) as broken:
        problems = pdfx_problems(broken)
    assert any(expected in problem for problem in problems), problems


def test_every_rule_has_a_breaking_case() -> None:
    assert len(BREAKS) >= len(RULES)


def test_weasyprint_alone_does_not_pass(project: Project, tmp_path: Path) -> None:
    """Without the finishing step, WeasyPrint's pdf/x-4 output fails the preflight."""
    from briefpress.build import validate_project
    from briefpress.layout.html import render_html
    from briefpress.layout.pdf import render_pdf
    from briefpress.source.audiences import select

    contents, profiles, _ = validate_project(project, [PUBLICATION])
    rendered = render_html(project, select(contents[PUBLICATION], profiles["print"]), "annex",
                           profiles["print"])
    data = render_pdf(project, rendered, pdf_identifier(PUBLICATION, "print", "annex"), "annex")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        problems = pdfx_problems(pdf)
    assert any("output intents" in problem for problem in problems)
    assert any("DefaultRGB" in problem for problem in problems)
