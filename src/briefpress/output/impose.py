"""Impose a PDF as a saddle-stitched booklet: two pages on each sheet side, in binding order.

Each source page becomes a form XObject whose bounding box keeps its bleed and mark
margins on the outer edges and cuts it at its trim at the spine, so the two pages of a
side meet at the fold. The sheet has the same margins, so the pages' own crop marks
stand at the outer corners of the sheet's trim, and at the spine the halves of their
marks that the cut keeps meet in a fold mark. The output intent (the print profile) and
the PDF/X identification are carried over.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any, Literal, cast

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    RectangleObject,
    StreamObject,
)

from ..check.pdfbounds import MAX_SIDE, READ_ERRORS
from ..errors import InputError, Problem
from .pdfx import renewed_instance

Binding = Literal["left", "right"]
BINDINGS: tuple[Binding, ...] = ("right", "left")
# Sheets in points, landscape: two pages side by side.
SHEETS: dict[str, tuple[float, float]] = {
    "A3": (1190.551, 841.890),
    "A4": (841.890, 595.276),
    "letter": (792.0, 612.0),
}
# Primary language subtags written right to left (BCP 47).
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku", "ps", "sd", "syr",
                           "ug", "ur", "yi"})
INFO_KEYS = ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/CreationDate",
             "/ModDate", "/GTS_PDFXVersion", "/GTS_PDFXConformance", "/Trapped")


@dataclass(frozen=True)
class Imposed:
    """An imposed booklet and how it was made."""

    data: bytes
    pages: int
    sheets: int
    binding: Binding
    reason: str
    pdfx_dropped: bool = False  # a PDF/X source on a --sheet, which leaves no room for its bleed


def booklet_order(pages: int, binding: Binding) -> list[tuple[int | None, int | None]]:
    """Every sheet side's (left, right) page numbers, front then back; None is a blank page.

    The page count is padded to a multiple of 4. For left-edge binding the outer sheet's
    front is (last, 1): page 1 is the right half, the spine on its left. For right-edge
    binding every side is mirrored: page 1 is the left half of the outer sheet's front, the
    spine on its right, and each spread reads right to left (page 2 on the right of 3).
    """
    padded = -(-pages // 4) * 4
    sides: list[tuple[int | None, int | None]] = []
    for sheet in range(padded // 4):
        front = (padded - 2 * sheet, 2 * sheet + 1)
        back = (2 * sheet + 2, padded - 2 * sheet - 1)
        for left, right in (front, back):
            first, second = (left, right) if binding == "left" else (right, left)
            sides.append((first if first <= pages else None, second if second <= pages else None))
    return sides


def declared_binding(reader: PdfReader) -> tuple[Binding, str] | None:
    """The binding a PDF declares, and why: its /ViewerPreferences /Direction, else its /Lang;
    None when it declares neither."""
    root = cast(DictionaryObject, reader.trailer["/Root"])
    preferences = cast(DictionaryObject | None, root.get("/ViewerPreferences"))
    direction = preferences.get("/Direction") if preferences is not None else None
    if direction in ("/R2L", "/L2R"):
        return ("right" if direction == "/R2L" else "left"), f"/ViewerPreferences /Direction {direction}"
    language = root.get("/Lang")
    if language:
        primary = str(language).split("-")[0].lower()
        if primary in RTL_LANGUAGES:
            return "right", f"/Lang {language}"
        return "left", f"/Lang {language}"
    return None


def binding_of(reader: PdfReader, label: str) -> tuple[Binding, str]:
    """The binding a PDF asks for (`declared_binding`), else left."""
    return declared_binding(reader) or ("left", "no /Direction or /Lang: left to right assumed")


Box = tuple[float, float, float, float]


def _box(values: RectangleObject) -> Box:
    return (float(values.left), float(values.bottom), float(values.right), float(values.top))


def _boxes(page: PageObject, number: int, label: str) -> tuple[Box, Box, Box]:
    """The page's trim, bleed and media boxes; trim and bleed cut to the media box, as the PDF
    specification reads them. `check.pdfbounds` has checked that each is a sane rectangle."""
    media = _box(page.mediabox)

    def inside(box: Box, name: str) -> Box:
        cut = (max(box[0], media[0]), max(box[1], media[1]), min(box[2], media[2]), min(box[3], media[3]))
        if cut[2] - cut[0] < 1 or cut[3] - cut[1] < 1:
            raise InputError(Problem(label, f"the {name} lies outside the MediaBox", field=f"page {number}"))
        return cut

    return inside(_box(page.trimbox), "TrimBox"), inside(_box(page.bleedbox), "BleedBox"), media


def _content_bytes(page: DictionaryObject) -> bytes:
    """The page's content streams joined; a missing stream draws nothing, as readers take it."""
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    items = contents if isinstance(contents, ArrayObject) else [contents]
    streams = [item.get_object() if item is not None else None for item in items]
    return b"\n".join(stream.get_data() for stream in streams if isinstance(stream, StreamObject))


def _marks_alone(page: DictionaryObject) -> bytes | None:
    """The opening of `page`'s content that draws its crop marks and nothing else, as WeasyPrint
    opens a page with marks: transforms, then an artifact drawing one form that holds no text.
    None for a page that opens otherwise (no marks, or another tool's PDF)."""
    from pypdf.generic import ContentStream

    data = _content_bytes(page)
    if b"/Artifact" not in data[:400]:
        return None
    stream = DecodedStreamObject()
    stream.set_data(data)
    kept: list[str] = []
    depth = 0
    for operands, operator in ContentStream(stream, None).operations:
        name = operator.decode("latin-1")
        if name == "Do" and kept and kept[-1] == "/Artifact BMC":
            resources = cast(DictionaryObject, page["/Resources"])
            form = cast(DictionaryObject, resources["/XObject"])[operands[0]].get_object()
            if not isinstance(form, StreamObject) or form.get("/Subtype") != "/Form" \
                    or b"BT" in form.get_data():
                return None
            return "\n".join([*kept, f"{operands[0]} Do", "EMC", *["Q"] * depth]).encode("ascii")
        if name == "q":
            depth += 1
        elif name != "cm" and not (name == "BMC" and operands == ["/Artifact"]):
            return None
        kept.append(" ".join([*(str(operand) for operand in operands), name]))
    return None


def _form(writer: PdfWriter, page: DictionaryObject, clip: tuple[float, float, float, float],
          content: bytes | None = None):
    """A form XObject in `writer` drawing `page` (or `content` with its resources), clipped to
    `clip` (in the page's space)."""
    form = DecodedStreamObject()
    form.set_data(_content_bytes(page) if content is None else content)
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(value) for value in clip),
        NameObject("/Resources"): (cast(DictionaryObject, page["/Resources"]).clone(writer)
                                   if "/Resources" in page else DictionaryObject()),
    })
    return writer._add_object(form.flate_encode())


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def impose(data: bytes, label: str, binding: Binding | None = None, sheet: str | None = None) -> Imposed:
    """The booklet imposition of the PDF `data` (`label` names it in errors).

    `data` has passed `check.pdfbounds.read_pdf`; whatever else is wrong with it is an
    `InputError`, and nothing is returned for a page that would make a broken sheet.
    """
    try:
        return _impose(data, label, binding, sheet)
    except READ_ERRORS as error:
        raise InputError(Problem(label, f"not a readable PDF ({error})")) from error


def _impose(data: bytes, label: str, binding: Binding | None, sheet: str | None) -> Imposed:
    reader = PdfReader(io.BytesIO(data))
    pages = list(reader.pages)
    if not pages:
        raise InputError(Problem(label, "the PDF has no pages"))
    if sheet is not None and sheet not in SHEETS:
        raise InputError(Problem(label, f"unknown sheet '{sheet}'; choose one of {', '.join(SHEETS)}",
                                 field="--sheet"))
    reason = "--binding"
    if binding is None:
        binding, reason = binding_of(reader, label)

    boxes = [_boxes(page, number, label) for number, page in enumerate(pages, start=1)]
    trim, bleed, media = boxes[0]
    width, height = trim[2] - trim[0], trim[3] - trim[1]
    if any(abs(other[2] - other[0] - width) > 0.5 or abs(other[3] - other[1] - height) > 0.5
           for other, _, _ in boxes):
        raise InputError(Problem(label, "pages differ in size; a booklet needs one page size"))
    if any(int(page.get("/Rotate", 0)) % 360 for page in pages):
        raise InputError(Problem(label, "rotated pages cannot be imposed"))
    bleed_margin = max(0.0, trim[0] - bleed[0])
    outer_margin = max(bleed_margin, trim[0] - media[0])

    if sheet is None:
        scale = 1.0
        sheet_width, sheet_height = 2 * width + 2 * outer_margin, height + 2 * outer_margin
        if max(sheet_width, sheet_height) > MAX_SIDE:
            raise InputError(Problem(label, f"two pages side by side make a sheet of {sheet_width:,.0f} x "
                                     f"{sheet_height:,.0f} pt, over the {MAX_SIDE:,.0f} pt a PDF page may "
                                     "measure; print on a sheet with --sheet"))
    else:
        sheet_width, sheet_height = SHEETS[sheet]
        scale = min(1.0, sheet_width / (2 * width), sheet_height / height)
    sheet_trim = ((sheet_width - 2 * width * scale) / 2, (sheet_height - height * scale) / 2)
    sheet_trim_box = (sheet_trim[0], sheet_trim[1], sheet_width - sheet_trim[0],
                      sheet_height - sheet_trim[1])
    gap = bleed_margin * scale
    sheet_bleed_box = (max(0.0, sheet_trim_box[0] - gap), max(0.0, sheet_trim_box[1] - gap),
                       min(sheet_width, sheet_trim_box[2] + gap), min(sheet_height, sheet_trim_box[3] + gap))

    writer = PdfWriter()
    # The sheet draws the source's pages as they are: it needs their PDF version (PDF/X-4 is
    # 1.6, soft masks and transparency groups 1.4), not pypdf's default of 1.3.
    writer.pdf_header = max(writer.pdf_header, reader.pdf_header)
    forms: dict[tuple[int, str], object] = {}
    # A blank page gets page 1's crop marks alone (marks need a bleed to stand in).
    blank_marks = _marks_alone(pages[0]) if bleed_margin > 0 else None
    for left, right in booklet_order(len(pages), binding):
        content = []
        for slot, number in (("left", left), ("right", right)):
            marks = blank_marks if number is None else None
            if number is None and marks is None:
                continue
            page = pages[(number or 1) - 1]
            page_trim, _, page_media = boxes[(number or 1) - 1]
            page_margin = min(outer_margin, page_trim[0] - page_media[0])
            clip = ((page_trim[0] - page_margin if slot == "left" else page_trim[0]),
                    page_trim[1] - page_margin,
                    (page_trim[2] if slot == "left" else page_trim[2] + page_margin),
                    page_trim[3] + page_margin)
            name = f"/P{number}" if number else f"/M{slot}"
            if (number or 0, slot) not in forms:
                forms[number or 0, slot] = _form(writer, page, clip, marks)
            origin_x = sheet_trim[0] + (0 if slot == "left" else width * scale)
            matrix = (scale, 0, 0, scale, origin_x - scale * page_trim[0],
                      sheet_trim[1] - scale * page_trim[1])
            content.append((name, forms[number or 0, slot], matrix))
        _add_side(writer, sheet_width, sheet_height, sheet_trim_box, sheet_bleed_box, content)

    print_ready = sheet is None  # a chosen sheet clips the bleed: the sheet is no PDF/X file
    writer._ID = _identifiers(reader, data, binding, sheet)
    _carry_over(reader, writer, print_ready, bytes(writer._ID[1]))
    output = io.BytesIO()
    writer.write(output)
    claimed = "/GTS_PDFXVersion" in (reader.metadata or {})
    return Imposed(output.getvalue(), len(pages), -(-len(pages) // 4), binding, reason,
                   pdfx_dropped=claimed and not print_ready)


def _identifiers(reader: PdfReader, data: bytes, binding: Binding, sheet: str | None) -> ArrayObject:
    """The trailer /ID: the source's first part (the same document), then one for this imposition."""
    source_id = reader.trailer.get("/ID")
    first = (bytes(cast(ArrayObject, source_id)[0].original_bytes) if source_id
             else hashlib.md5(data, usedforsecurity=False).digest())
    second = hashlib.md5(first + f"/booklet/{binding}/{sheet}".encode(), usedforsecurity=False).digest()
    return ArrayObject([ByteStringObject(first), ByteStringObject(second)])


def _add_side(writer: PdfWriter, width: float, height: float, trim: tuple[float, ...],
              bleed: tuple[float, ...], content: list) -> None:
    """One sheet side: its boxes and its two page forms."""
    side = writer.add_blank_page(width, height)
    side[NameObject("/TrimBox")] = RectangleObject(trim)
    side[NameObject("/BleedBox")] = RectangleObject(bleed)
    xobjects = DictionaryObject({NameObject(name): reference for name, reference, _ in content})
    side[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
    drawing = "".join(f"q {' '.join(_number(v) for v in matrix)} cm {name} Do Q\n"
                      for name, _, matrix in content)
    stream = DecodedStreamObject()
    stream.set_data(drawing.encode("ascii"))
    side[NameObject("/Contents")] = writer._add_object(stream.flate_encode())


def _carry_over(reader: PdfReader, writer: PdfWriter, print_ready: bool, instance: bytes) -> None:
    """The language, reading direction, output intents, PDF/X keys and print metadata; the PDF/X
    claim (Info and XMP) only when the sheet is `print_ready`, its pages' bleed kept; never a
    PDF/UA or PDF/A claim. The XMP names the sheet as an instance of its own (`instance`, the
    second part of its /ID) of the same document."""
    source, target = cast(DictionaryObject, reader.trailer["/Root"]), writer._root_object
    for key in ("/Lang", "/OutputIntents"):
        if key in source:
            target[NameObject(key)] = source.raw_get(key).clone(writer)
    preferences = cast(DictionaryObject | None, source.get("/ViewerPreferences"))
    if preferences is not None and "/Direction" in preferences:
        target[NameObject("/ViewerPreferences")] = DictionaryObject(
            {NameObject("/Direction"): preferences["/Direction"]})
    metadata = cast(StreamObject | None, source.get("/Metadata"))
    claims = (b"pdfuaid", b"pdfaid") if print_ready else (b"pdfuaid", b"pdfaid", b"GTS_PDFXVersion")
    if metadata is not None and not any(claim in metadata.get_data() for claim in claims):
        # PDF/X identifies itself in XMP too; a PDF/UA claim would be false once the structure
        # tree is gone, a PDF/A one once the sources attached to the edition are, so only XMP
        # without either is kept.
        packet = DecodedStreamObject()
        packet.set_data(renewed_instance(metadata.get_data(), instance.hex()))
        packet.update({NameObject("/Type"): NameObject("/Metadata"),
                       NameObject("/Subtype"): NameObject("/XML")})
        target[NameObject("/Metadata")] = writer._add_object(packet)
    info: dict[str, Any] = dict(reader.metadata or {})
    keys = INFO_KEYS if print_ready else tuple(key for key in INFO_KEYS if not key.startswith("/GTS_PDFX"))
    writer.add_metadata({key: info[key] for key in keys if key in info}
                        | {"/Producer": info.get("/Producer", "briefpress")})
