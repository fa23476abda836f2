"""Booklet imposition, read back from the page numbers drawn on each half-sheet."""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from pathlib import Path
from typing import cast

import pdfplumber
import pypdfium2
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

from briefpress.build import build
from briefpress.cli import main
from briefpress.project import Project

from conftest import PUBLICATION, ROOT, copy_templates

MM = 72 / 25.4
A5_WIDTH = 148 * MM

# Every sheet side as (left half, right half), front then back, for right-edge binding:
# page 1 is the left half of the outer sheet's front (the spine on its right), page 2 is
# on its back, and each inner spread reads right to left (2 right of 3, 4 right of 5).
RIGHT_EDGE: dict[int, list[tuple[int | None, int | None]]] = {
    1: [(1, None), (None, None)],
    2: [(1, None), (None, 2)],
    3: [(1, None), (3, 2)],
    4: [(1, 4), (3, 2)],
    5: [(1, None), (None, 2), (3, None), (5, 4)],
    8: [(1, 8), (7, 2), (3, 6), (5, 4)],
}
# Left-edge binding is the mirror image: every side's halves swap.
LEFT_EDGE = {count: [(right, left) for left, right in sides] for count, sides in RIGHT_EDGE.items()}

PROFILES = {
    # Arabic-Indic page numbers, PDF/X-4 with bleed and crop marks.
    "booklet-indic": "digits: arabic-indic\npdf_variant: pdf/x-4\n"
                     "publications: [russia-dprk-partnership]\n",
    "booklet-latin": "digits: latin\n",
}


@pytest.fixture(scope="module")
def booklets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Briefs of at least 8 A5 pages: RTL in both digit styles, and the LTR test publication."""
    root = tmp_path_factory.mktemp("booklet") / "project"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "tests" / "fixtures" / "content" / "ltr-sample", root / "content" / "ltr-sample")
    copy_templates(root)
    (root / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    for name, extra in PROFILES.items():
        (root / "templates" / "audiences" / f"{name}.yaml").write_text(
            f"name: {name}\ndescription: booklet test\ndocuments: [brief]\npaper: A5\n"
            f"theme:\n  size-text: 40pt\n{extra}", encoding="utf-8")
    out = root / "out"
    build(Project(root), out, documents=["brief"], audiences=list(PROFILES))
    return {"rtl-indic": out / PUBLICATION / "booklet-indic" / "brief.pdf",
            "rtl-latin": out / PUBLICATION / "booklet-latin" / "brief.pdf",
            "ltr": out / "ltr-sample" / "booklet-latin" / "brief.pdf"}


def first_pages(source: Path, count: int, target: Path) -> Path:
    """The first `count` pages of `source`, with its catalog (language, direction) kept."""
    writer = PdfWriter(clone_from=PdfReader(source))
    while len(writer.pages) > count:
        writer.remove_page(len(writer.pages) - 1)
    writer.write(target)
    return target


def impose(source: Path, target: Path, *options: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--project", str(ROOT), "impose", str(source), "--out", str(target), *options],
                stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def drawn_page_number(chars: list[dict]) -> int | None:
    """The page number in the footer (the lowest line) of one half: `صفحة n من N` gives n."""
    if not chars:
        return None
    lowest = max(char["top"] for char in chars)
    footer = sorted((char for char in chars if char["top"] > lowest - 2), key=lambda char: char["x0"])
    numbers, digits, last_x1 = [], "", None
    for char in footer:
        value = unicodedata.digit(char["text"], None)
        if value is not None and (not digits or char["x0"] - last_x1 < 1):
            digits += str(value)
            last_x1 = char["x1"]
            continue
        if digits:
            numbers.append(int(digits))
        digits, last_x1 = (str(value), char["x1"]) if value is not None else ("", None)
    if digits:
        numbers.append(int(digits))
    assert len(numbers) == 2, f"footer without 'n of N': {''.join(c['text'] for c in footer)!r}"
    return min(numbers)


def sides_read_back(path: Path) -> list[tuple[int | None, int | None]]:
    """Each sheet side's (left, right) page numbers as drawn, None for a blank half."""
    sides = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            spine = page.width / 2
            chars = [char for char in page.chars if char["text"].strip()]
            sides.append((drawn_page_number([c for c in chars if c["x1"] <= spine]),
                          drawn_page_number([c for c in chars if c["x0"] >= spine])))
    return sides


@pytest.mark.parametrize("count", sorted(RIGHT_EDGE))
@pytest.mark.parametrize("source", ["rtl-indic", "rtl-latin", "ltr"])
def test_pages_sit_on_the_half_sheets_the_binding_puts_them(
        booklets: dict[str, Path], source: str, count: int, tmp_path: Path) -> None:
    subset = first_pages(booklets[source], count, tmp_path / "source.pdf")
    code, out, err = impose(subset, tmp_path / "booklet.pdf")
    assert (code, err) == (0, "")
    binding = "left" if source == "ltr" else "right"
    assert f"{binding}-edge binding" in out
    expected = LEFT_EDGE[count] if source == "ltr" else RIGHT_EDGE[count]
    assert sides_read_back(tmp_path / "booklet.pdf") == expected


def test_the_binding_option_overrides_the_document(booklets: dict[str, Path], tmp_path: Path) -> None:
    subset = first_pages(booklets["rtl-latin"], 4, tmp_path / "source.pdf")
    code, out, _ = impose(subset, tmp_path / "booklet.pdf", "--binding", "left")
    assert code == 0 and "left-edge binding (--binding)" in out
    assert sides_read_back(tmp_path / "booklet.pdf") == LEFT_EDGE[4]


def test_viewer_preferences_direction_comes_before_the_language(booklets: dict[str, Path],
                                                               tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(first_pages(booklets["ltr"], 4, tmp_path / "en.pdf")))
    writer._root_object[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/Direction"): NameObject("/R2L")})
    writer.write(tmp_path / "r2l.pdf")
    code, out, _ = impose(tmp_path / "r2l.pdf", tmp_path / "booklet.pdf")
    assert code == 0 and "right-edge binding (/ViewerPreferences /Direction /R2L)" in out
    assert sides_read_back(tmp_path / "booklet.pdf") == RIGHT_EDGE[4]


def test_crop_marks_boxes_and_output_intent_carry_over(booklets: dict[str, Path], tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(first_pages(booklets["rtl-indic"], 4, tmp_path / "x.pdf")))
    profile = DecodedStreamObject()
    profile.set_data(b"not a real ICC profile, only bytes to carry over")
    profile[NameObject("/N")] = NameObject("/4")
    intent = DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"), NameObject("/S"): NameObject("/GTS_PDFX"),
        NameObject("/OutputConditionIdentifier"): TextStringObject("FOGRA39"),
        NameObject("/DestOutputProfile"): writer._add_object(profile)})
    writer._root_object[NameObject("/OutputIntents")] = ArrayObject([intent])
    writer.add_metadata({"/GTS_PDFXVersion": "PDF/X-4"})
    writer.write(tmp_path / "intent.pdf")

    code, _, _ = impose(tmp_path / "intent.pdf", tmp_path / "booklet.pdf")
    assert code == 0
    reader = PdfReader(tmp_path / "booklet.pdf")
    intents = cast(ArrayObject, cast(DictionaryObject, reader.trailer["/Root"])["/OutputIntents"])
    assert intents[0]["/DestOutputProfile"].get_data() == profile.get_data()
    assert reader.metadata is not None and reader.metadata["/GTS_PDFXVersion"] == "PDF/X-4"
    source = PdfReader(tmp_path / "intent.pdf").pages[0]
    bleed = float(source.trimbox.left - source.bleedbox.left)
    outer = float(source.trimbox.left - source.mediabox.left)
    assert bleed == pytest.approx(3 * MM, abs=0.01)
    for sheet in reader.pages:
        trim, bleed_box, media = sheet.trimbox, sheet.bleedbox, sheet.mediabox
        assert float(trim.width) == pytest.approx(2 * float(source.trimbox.width), abs=0.01)
        assert float(trim.left - bleed_box.left) == pytest.approx(bleed, abs=0.01)
        assert float(trim.left - media.left) == pytest.approx(outer, abs=0.01)
    # The pages' own marks, on the sheet: those of the left page left of the spine, those
    # of the right page right of it (a mark on the spine is kept). Coordinates from the
    # media box's top-left corner: pdfplumber's minus its page's bbox origin.
    width = float(source.trimbox.width)
    with pdfplumber.open(tmp_path / "intent.pdf") as pdf:
        page = pdf.pages[0]
        x_origin, top_origin = page.bbox[0], page.bbox[1]
        page_marks = [(line["x0"] - x_origin, line["x1"] - x_origin, line["top"] - top_origin,
                       line["bottom"] - top_origin) for line in page.lines]
    page_marks = [(x0, x1, top, bottom) for x0, x1, top, bottom in page_marks
                  if x1 <= outer + 0.01 or x0 >= outer + width - 0.01
                  or bottom <= outer + 0.01 or top >= float(source.mediabox.height) - outer - 0.01]
    assert len(page_marks) == 8
    expected = {(round(x0), round(x1), round(top), round(bottom))
                for x0, x1, top, bottom in page_marks if x1 <= outer + width + 0.01}
    expected |= {(round(x0 + width), round(x1 + width), round(top), round(bottom))
                 for x0, x1, top, bottom in page_marks if x0 >= outer - 0.01}
    with pdfplumber.open(tmp_path / "booklet.pdf") as pdf:
        assert pdf.pages[0].bbox[:2] == (0, 0)
        drawn = {(round(line["x0"]), round(line["x1"]), round(line["top"]), round(line["bottom"]))
                 for line in pdf.pages[0].lines}
    # Two at each of the four outer corners, and the two pages' marks on the spine, which
    # fall on each other as a fold mark above and below.
    assert len(expected) == 10 and expected <= drawn
    # The marks cut off at the spine are not drawn: the left page's top-right mark would
    # run from the spine into the right page's margin.
    trim, spine = reader.pages[0].trimbox, outer + width
    image = pypdfium2.PdfDocument(str(tmp_path / "booklet.pdf"))[0].render(scale=4).to_pil().convert("L")
    row = round((float(reader.pages[0].mediabox.top) - float(trim.top)) * 4)
    beyond = [image.getpixel((x, y)) for x in range(round((spine + 2) * 4), round((spine + outer) * 4))
              for y in range(row - 2, row + 3)]
    assert min(beyond) > 200
    corner = [image.getpixel((x, y)) for x in range(0, round(outer / 2 * 4)) for y in range(row - 2, row + 3)]
    assert min(corner) < 100


def test_a5_pages_go_on_a4_sheets_unscaled_and_a4_pages_are_scaled(booklets: dict[str, Path],
                                                                   brief_pdf: Path, tmp_path: Path) -> None:
    subset = first_pages(booklets["rtl-latin"], 4, tmp_path / "a5.pdf")
    assert impose(subset, tmp_path / "a5-on-a4.pdf", "--sheet", "A4")[0] == 0
    sheet = PdfReader(tmp_path / "a5-on-a4.pdf").pages[0]
    assert float(sheet.mediabox.width) == pytest.approx(297 * MM, abs=0.1)
    assert float(sheet.mediabox.height) == pytest.approx(210 * MM, abs=0.1)
    assert float(sheet.trimbox.width) == pytest.approx(2 * A5_WIDTH, abs=0.1)
    assert sides_read_back(tmp_path / "a5-on-a4.pdf") == RIGHT_EDGE[4]

    a4 = first_pages(brief_pdf, 3, tmp_path / "a4.pdf")
    assert impose(a4, tmp_path / "a4-on-a4.pdf", "--sheet", "A4")[0] == 0
    sheet = PdfReader(tmp_path / "a4-on-a4.pdf").pages[0]
    assert float(sheet.trimbox.width) == pytest.approx(297 * MM, abs=0.1)  # scaled by 1/sqrt(2)
    assert float(sheet.trimbox.height) == pytest.approx(210 * MM, abs=0.1)
    assert sides_read_back(tmp_path / "a4-on-a4.pdf") == RIGHT_EDGE[3]


def test_imposing_twice_gives_the_same_bytes(booklets: dict[str, Path], tmp_path: Path) -> None:
    impose(booklets["rtl-indic"], tmp_path / "one.pdf")
    impose(booklets["rtl-indic"], tmp_path / "two.pdf")
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()


def test_a_file_that_is_not_a_pdf_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "notes.pdf").write_text("hello", encoding="utf-8")
    code, _, err = impose(tmp_path / "notes.pdf", tmp_path / "booklet.pdf")
    assert (code, err) == (
        2, f"{tmp_path / 'notes.pdf'}: not a PDF: no %PDF- header in its first 1,024 bytes\n")
    assert not (tmp_path / "booklet.pdf").exists()


def test_the_booklet_never_replaces_the_pdf_it_imposes(built: Path, tmp_path: Path) -> None:
    """`impose X.pdf --out X.pdf` wrote the booklet over the edition it was made from; the same
    file named another way (a link) is refused too, and the PDF is left as it was."""
    edition = tmp_path / "brief.pdf"
    shutil.copy(built / PUBLICATION / "print" / "brief.pdf", edition)
    (tmp_path / "link.pdf").symlink_to(edition)
    before = edition.read_bytes()
    for target in (edition, tmp_path / "link.pdf"):
        code, _, err = impose(edition, target)
        assert (code, err) == (2, f"{target}: --out: is the PDF to impose; write the booklet to "
                                  "another file\n")
    assert edition.read_bytes() == before


def test_the_command_line_offers_the_bindings_and_sheets_impose_knows() -> None:
    from briefpress import cli
    from briefpress.output import impose as imposition

    assert cli.BINDINGS == imposition.BINDINGS
    assert tuple(imposition.SHEETS) == cli.SHEETS


def test_the_imposed_print_edition_passes_the_pdfx_preflight(built: Path, tmp_path: Path) -> None:
    code, out, _ = impose(built / PUBLICATION / "print" / "brief.pdf", tmp_path / "booklet.pdf")
    assert code == 0 and "right-edge binding (/Lang ar)" in out
    report = io.StringIO()
    assert main(["--project", str(ROOT), "check", str(tmp_path / "booklet.pdf")], stdout=report,
                stderr=io.StringIO()) == 0
    assert "  ok   pdf/x-4:" in report.getvalue()


def _xmp_identifiers(path: Path) -> dict[str, str]:
    xmp = PdfReader(path).xmp_metadata
    assert xmp is not None
    return dict(re.findall(r"<xmpMM:(DocumentID|InstanceID)>([^<]+)<", xmp.stream.get_data().decode()))


def test_the_imposed_sheet_is_a_new_instance_of_the_edition(built: Path, tmp_path: Path) -> None:
    """The booklet keeps the print edition's XMP DocumentID (the same document) and has an
    InstanceID of its own, the same each time it is made: it kept the edition's, so a print
    workflow that files by instance took the sheet and the edition for one file."""
    edition = built / PUBLICATION / "print" / "brief.pdf"
    for name in ("booklet.pdf", "again.pdf"):
        assert impose(edition, tmp_path / name)[0] == 0
    source, booklet = _xmp_identifiers(edition), _xmp_identifiers(tmp_path / "booklet.pdf")
    assert set(source) == set(booklet) == {"DocumentID", "InstanceID"}
    assert booklet["DocumentID"] == source["DocumentID"]
    assert booklet["InstanceID"] != source["InstanceID"]
    assert _xmp_identifiers(tmp_path / "again.pdf") == booklet


def test_the_print_edition_on_a_chosen_sheet_claims_no_pdfx(built: Path, tmp_path: Path) -> None:
    """On a --sheet the pages lose their bleed, so the sheet is no PDF/X file: it carried the
    edition's PDF/X-4 claim and failed briefpress's own preflight. Without --sheet the claim and
    the edition's PDF version stay (pypdf wrote %PDF-1.3 under a file using 1.6's features)."""
    edition = built / PUBLICATION / "print" / "brief.pdf"
    code, out, _ = impose(edition, tmp_path / "booklet.pdf")
    assert code == 0 and "not PDF/X" not in out
    assert PdfReader(tmp_path / "booklet.pdf").pdf_header == PdfReader(edition).pdf_header == "%PDF-1.6"
    code, out, _ = impose(edition, tmp_path / "sheet.pdf", "--sheet", "A4")
    assert code == 0 and "not PDF/X: on a --sheet the pages lose their bleed" in out
    reader = PdfReader(tmp_path / "sheet.pdf")
    assert "/GTS_PDFXVersion" not in (reader.metadata or {})
    assert reader.xmp_metadata is None or b"GTS_PDFXVersion" not in reader.xmp_metadata.stream.get_data()
    report = io.StringIO()
    assert main(["--project", str(ROOT), "check", str(tmp_path / "sheet.pdf")], stdout=report,
                stderr=io.StringIO()) == 0
    assert "pdf/x-4" not in report.getvalue()


ARCHIVE_XMP = """<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>3</pdfaid:part><pdfaid:conformance>U</pdfaid:conformance></rdf:Description>
</rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""


def test_the_booklet_of_an_archive_edition_claims_no_pdfa(tmp_path: Path) -> None:
    """An archive edition's XMP says PDF/A-3u; its booklet leaves the attached sources and the
    structure tree behind, and claimed PDF/A-3u all the same. Its XMP is now left out, as a
    PDF/UA claim's is, and the rest of what an edition says of itself carries over."""
    import pikepdf
    import weasyprint

    edition = tmp_path / "archive.pdf"
    weasyprint.HTML(string="<html lang='ar'><title>ملحق</title><p>أ</p><p style='break-before: page'>ب"
                    ).write_pdf(edition)
    with pikepdf.open(edition, allow_overwriting_input=True) as pdf:
        pdf.Root.Metadata = pdf.make_stream(ARCHIVE_XMP.encode(), Type=pikepdf.Name.Metadata,
                                            Subtype=pikepdf.Name.XML)
        pdf.save(edition)
    code, _, _ = impose(edition, tmp_path / "booklet.pdf")
    assert code == 0
    with pikepdf.open(edition) as source, pikepdf.open(tmp_path / "booklet.pdf") as booklet:
        assert b"pdfaid" in source.Root.Metadata.read_bytes()
        assert "/Metadata" not in booklet.Root or b"pdfaid" not in booklet.Root.Metadata.read_bytes()
        assert booklet.docinfo.Title == source.docinfo.Title and booklet.Root.Lang == "ar"


def test_a_blank_half_of_a_sheet_keeps_its_crop_marks_and_no_text(built: Path, tmp_path: Path) -> None:
    """The three-page print brief's first sheet has a blank padding page on one half: its outer
    corners had no crop marks, as each page's marks are drawn with it. They are now the marks of
    page 1 alone, drawn on the blank half, with none of page 1's text."""
    assert impose(built / PUBLICATION / "print" / "brief.pdf", tmp_path / "booklet.pdf")[0] == 0
    trim = PdfReader(tmp_path / "booklet.pdf").pages[0].trimbox
    with pdfplumber.open(tmp_path / "booklet.pdf") as pdf:
        sheet = pdf.pages[0]
        left, right = float(trim.left), float(trim.right)
        top, bottom = sheet.height - float(trim.top), sheet.height - float(trim.bottom)
        lines = [line for line in sheet.lines
                 if not (left < line["x0"] < right and top < line["top"] < bottom)]  # outside the trim
        for x, y in ((left, top), (right, top), (left, bottom), (right, bottom)):
            vertical = [line for line in lines if line["x0"] == line["x1"] and abs(line["x0"] - x) < 0.5]
            horizontal = [line for line in lines
                          if line["top"] == line["bottom"] and abs(line["top"] - y) < 0.5]
            assert vertical and horizontal, (x, y)
        middle = sheet.width / 2
        sides = {word["x0"] < middle for word in sheet.extract_words()}
        assert len(sides) == 1  # page 1's words, on its half alone
