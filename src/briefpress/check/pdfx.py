"""Preflight a subset of the PDF/X-4 rules (ISO 15930-7) on a PDF that claims PDF/X; not veraPDF."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree import ElementTree

import pikepdf

BLEED = 3 / 25.4 * 72
"""The bleed the project requires around the trim, in points (3 mm)."""
TOLERANCE = 0.01
RULES = (
    "PDF version 1.6 or lower, not encrypted, with a two-part /ID",
    "GTS_PDFXVersion 'PDF/X-4' in the Info dictionary and in XMP (pdfxid)",
    "/Trapped True or False in Info, the same in XMP",
    "XMP with dc:title, create, modify and metadata dates, DocumentID, InstanceID, VersionID, "
    "RenditionClass",
    "one GTS_PDFX output intent with an embedded ICC printer profile (class prtr) for CMYK, "
    "/N 4, ICC version 4 or lower, and an OutputConditionIdentifier",
    "every page has a TrimBox inside a BleedBox inside the MediaBox, with at least 3 mm bleed",
    "every font is embedded",
    "DeviceRGB (operators, images, shadings, transparency groups) only where a DefaultRGB is defined",
    "no transfer functions in graphics states",
    "no printable annotation inside the BleedBox other than PrinterMark and TrapNet",
)
"""What `pdfx_problems` checks; everything else in ISO 15930-7 goes unchecked."""
NOTICE = (f"PDF/X-4 preflight: {len(RULES)} rules checked, a subset of ISO 15930-7; "
          "not a conformance claim (validate with a full PDF/X checker before print)")
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfxid": "http://www.npes.org/pdfx/ns/id/",
}
XMP_REQUIRED = ("dc:title", "xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate", "xmpMM:DocumentID",
                "xmpMM:InstanceID", "xmpMM:VersionID", "xmpMM:RenditionClass")
RGB_OPERATORS = {"rg", "RG"}


def claims_pdfx(pdf: pikepdf.Pdf) -> bool:
    """Whether the PDF says it is PDF/X, in Info or in XMP."""
    if "/GTS_PDFXVersion" in pdf.docinfo:
        return True
    metadata = pdf.Root.get("/Metadata")
    return metadata is not None and b"GTS_PDFXVersion" in metadata.read_bytes()


def pdfx_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Every broken rule of `RULES`, one line each."""
    return [*_file_problems(pdf), *_metadata_problems(pdf), *_intent_problems(pdf),
            *_page_problems(pdf), *_font_problems(pdf), *_colour_problems(pdf),
            *_transfer_problems(pdf)]


def _file_problems(pdf: pikepdf.Pdf) -> Iterator[str]:
    # The catalog's /Version overrides the header's when it is later.
    version = max(pdf.pdf_version, str(pdf.Root.get("/Version", "/1.0")).lstrip("/"),
                  key=lambda text: tuple(int(part) for part in text.split(".")))
    if tuple(int(part) for part in version.split(".")) > (1, 6):
        yield f"PDF/X-4: PDF version {version} is above 1.6"
    if pdf.is_encrypted:
        yield "PDF/X-4: the file is encrypted"
    identifier = pdf.trailer.get("/ID")
    if not isinstance(identifier, pikepdf.Array) or len(identifier) != 2:
        yield "PDF/X-4: the trailer has no two-part /ID"


def _metadata_problems(pdf: pikepdf.Pdf) -> Iterator[str]:
    version = str(pdf.docinfo.get("/GTS_PDFXVersion", ""))
    if not version.startswith("PDF/X-4"):
        yield f"PDF/X-4: Info GTS_PDFXVersion is {version or 'missing'}, not PDF/X-4"
    trapped = str(pdf.docinfo.get("/Trapped", ""))
    if trapped not in ("/True", "/False"):
        yield f"PDF/X-4: Info /Trapped is {trapped or 'missing'}, not /True or /False"
    metadata = pdf.Root.get("/Metadata")
    if metadata is None:
        yield "PDF/X-4: no XMP metadata stream"
        return
    try:
        xmp = ElementTree.fromstring(metadata.read_bytes())
    except ElementTree.ParseError as error:
        yield f"PDF/X-4: XMP metadata is not well-formed XML ({error})"
        return
    if _xmp_value(xmp, "pdfxid:GTS_PDFXVersion") != "PDF/X-4":
        yield "PDF/X-4: XMP pdfxid:GTS_PDFXVersion is not PDF/X-4"
    if trapped and _xmp_value(xmp, "pdf:Trapped") != trapped.lstrip("/"):
        yield f"PDF/X-4: XMP pdf:Trapped does not match Info /Trapped {trapped}"
    for name in XMP_REQUIRED:
        if not _xmp_value(xmp, name):
            yield f"PDF/X-4: XMP has no {name}"


def _xmp_value(xmp: ElementTree.Element, name: str) -> str:
    """The text of an XMP property, as an element or an attribute, or '' when absent."""
    prefix, local = name.split(":")
    tag = f"{{{NS[prefix]}}}{local}"
    for description in xmp.iter(f"{{{NS['rdf']}}}Description"):
        if tag in description.attrib:
            return description.attrib[tag].strip()
        element = description.find(tag)
        if element is not None:
            return "".join(element.itertext()).strip()
    return ""


def _intent_problems(pdf: pikepdf.Pdf) -> Iterator[str]:
    intents = [intent for intent in pdf.Root.get("/OutputIntents", pikepdf.Array())
               if intent.get("/S") == "/GTS_PDFX"]
    if len(intents) != 1:
        yield f"PDF/X-4: {len(intents)} GTS_PDFX output intents, not one"
        return
    intent = intents[0]
    if not str(intent.get("/OutputConditionIdentifier", "")):
        yield "PDF/X-4: the output intent has no OutputConditionIdentifier"
    profile = intent.get("/DestOutputProfile")
    if not isinstance(profile, pikepdf.Stream):
        yield "PDF/X-4: the output intent embeds no ICC profile (DestOutputProfile)"
        return
    header = profile.read_bytes()[:128]
    if len(header) < 128 or header[36:40] != b"acsp":
        yield "PDF/X-4: the output intent's profile is not an ICC profile"
        return
    if header[12:16] != b"prtr":
        yield f"PDF/X-4: the output profile's class is {header[12:16].decode('latin-1')!r}, not 'prtr'"
    if header[16:20] != b"CMYK" or profile.get("/N") != 4:
        yield f"PDF/X-4: the output profile is for {header[16:20].decode('latin-1').strip()!r}, not CMYK"
    if header[8] > 4:
        yield f"PDF/X-4: the output profile is ICC version {header[8]}, above 4"


def _page_problems(pdf: pikepdf.Pdf) -> Iterator[str]:
    for number, page in enumerate(pdf.pages, start=1):
        media, bleed, trim = (_box(page.obj, name) for name in ("/MediaBox", "/BleedBox", "/TrimBox"))
        if media is None or bleed is None or trim is None:
            missing = [name for name, box in (("MediaBox", media), ("BleedBox", bleed), ("TrimBox", trim))
                       if box is None]
            yield f"PDF/X-4: page {number} has no {', '.join(missing)}"
            continue
        if not (_inside(trim, bleed) and _inside(bleed, media)):
            yield f"PDF/X-4: page {number}: TrimBox must lie inside BleedBox, BleedBox inside MediaBox"
        margins = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
        if min(margins) < BLEED - TOLERANCE:
            yield (f"PDF/X-4: page {number}: bleed of {min(margins) * 25.4 / 72:.2f} mm, "
                   "less than 3 mm")
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            rect = _box(annotation, "/Rect")
            if (annotation.get("/Subtype") not in ("/PrinterMark", "/TrapNet")
                    and int(annotation.get("/F", 0)) & 4 and rect is not None and _overlaps(rect, bleed)):
                yield (f"PDF/X-4: page {number}: a printable {annotation.get('/Subtype')} "
                       "annotation lies inside the BleedBox")


def _box(holder: pikepdf.Object, name: str) -> tuple[float, float, float, float] | None:
    """A rectangle of a page or annotation, normalised, or None when absent or malformed."""
    box = holder.get(name)
    if not isinstance(box, pikepdf.Array) or len(box) != 4:
        return None
    x0, y0, x1, y1 = (float(value) for value in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    return (inner[0] >= outer[0] - TOLERANCE and inner[1] >= outer[1] - TOLERANCE
            and inner[2] <= outer[2] + TOLERANCE and inner[3] <= outer[3] + TOLERANCE)


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _font_problems(pdf: pikepdf.Pdf) -> Iterator[str]:
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
            continue
        subtype = obj.get("/Subtype")
        if subtype in ("/Type3", "/Type0"):
            continue  # Type 3 glyphs are in the file; a Type 0 font is checked through its descendant
        descriptor = obj.get("/FontDescriptor")
        if descriptor is None or not any(key in descriptor
                                         for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            yield f"PDF/X-4: font {obj.get('/BaseFont', '?')} is not embedded"


def _transfer_problems(pdf: pikepdf.Pdf) -> Iterator[str]:
    holders = [page.obj for page in pdf.pages] + [
        obj for obj in pdf.objects if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream))]
    for holder in holders:
        resources = holder.get("/Resources")
        states = resources.get("/ExtGState") if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(states, pikepdf.Dictionary):
            continue
        for name, state in states.items():
            for key in ("/TR", "/TR2"):
                if key in state and state[key] != "/Default":
                    yield f"PDF/X-4: graphics state {name} sets a transfer function ({key[1:]})"
                    return


def _colour_problems(pdf: pikepdf.Pdf) -> Iterator[str]:
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, start=1):
        group = page.obj.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and group.get("/CS") == "/DeviceRGB" \
                and not _has_default_rgb(page.obj.get("/Resources")):
            yield f"PDF/X-4: page {number}: DeviceRGB transparency group without DefaultRGB"
        for where, resources, uses_rgb in _painted(page.obj, f"page {number}", seen):
            if uses_rgb and not _has_default_rgb(resources):
                yield f"PDF/X-4: {where} paints DeviceRGB without a DefaultRGB colour space"


def _painted(container: pikepdf.Object, where: str,
             seen: set[tuple[int, int]]) -> Iterator[tuple[str, pikepdf.Object | None, bool]]:
    """(label, resources, uses DeviceRGB) for a page or form and every form it draws."""
    resources = container.get("/Resources")
    uses_rgb = False
    try:
        instructions = pikepdf.parse_content_stream(container)
    except pikepdf.PdfError:
        instructions = []
    for instruction in instructions:
        operator = str(instruction.operator)
        if operator in RGB_OPERATORS or (operator in ("cs", "CS") and instruction.operands
                                         and instruction.operands[0] == "/DeviceRGB"):
            uses_rgb = True
    xobjects = resources.get("/XObject") if resources is not None else None
    for name, xobject in (xobjects.items() if isinstance(xobjects, pikepdf.Dictionary) else []):
        if xobject.get("/ColorSpace") == "/DeviceRGB":
            uses_rgb = True
        if xobject.get("/Subtype") == "/Form":
            key = xobject.objgen
            if key in seen and key != (0, 0):
                continue
            seen.add(key)
            group = xobject.get("/Group")
            if isinstance(group, pikepdf.Dictionary) and group.get("/CS") == "/DeviceRGB":
                yield f"{where}, form {name}", xobject.get("/Resources"), True
            yield from _painted(xobject, f"{where}, form {name}", seen)
    shadings = resources.get("/Shading") if resources is not None else None
    if isinstance(shadings, pikepdf.Dictionary) and any(
            shading.get("/ColorSpace") == "/DeviceRGB" for shading in shadings.values()):
        uses_rgb = True
    yield where, resources, uses_rgb


def _has_default_rgb(resources: pikepdf.Object | None) -> bool:
    spaces = resources.get("/ColorSpace") if resources is not None else None
    default = spaces.get("/DefaultRGB") if spaces is not None else None
    return (isinstance(default, pikepdf.Array) and len(default) == 2
            and default[0] == "/ICCBased" and int(default[1].get("/N", 0)) == 3)

