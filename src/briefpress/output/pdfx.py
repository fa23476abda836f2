"""Complete WeasyPrint's PDF/X-4: output intent, BleedBox, RGB defaults, Info and XMP identifiers."""

from __future__ import annotations

import hashlib
import re
import uuid
from importlib.resources import files
from pathlib import Path
from xml.etree import ElementTree

import pikepdf

BLEED = 3 / 25.4 * 72
"""The bleed around the trim, in points (3 mm)."""
PDFX_VERSION = "PDF/X-4"
CMYK_PROFILE = Path("icc") / "fogra39.icc"
"""The printing condition's profile, relative to templates/ (see templates/icc/README.md)."""
CONDITION_IDENTIFIER = "FOGRA39"
"""The printing condition's name in the ICC's registry of characterisation data."""
REGISTRY = "http://www.color.org"
CONDITION = ("Offset printing, according to ISO 12647-2:2004/Amd 1, OFCOM, paper type 1 or 2 = "
             "coated art, 115 g/m2, tone value increase curves A (CMY) and B (K)")
"""The condition as FOGRA39's characterisation data state it (PRINT_CONDITIONS in FOGRA39L.ti3)."""
PROFILE_DESCRIPTION = "FOGRA39 coated offset (from FOGRA39L.ti3, ArgyllCMS colprof), TAC 330%"
"""The embedded profile's own description (its `desc` tag), given as the intent's Info."""
RANDOM_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfxid": "http://www.npes.org/pdfx/ns/id/",
    "pdfx": "http://ns.adobe.com/pdfx/1.3/",
}
"""The XMP namespaces WeasyPrint writes, with the prefixes it gives them."""


def srgb_profile() -> bytes:
    """The ICC's sRGB profile that WeasyPrint ships for PDF/A, used here for DefaultRGB."""
    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


def finish_pdfx(pdf: pikepdf.Pdf, data: bytes, cmyk_profile: bytes) -> None:
    """Turn WeasyPrint's `pdf/x-4` output (`data`, opened as `pdf`) into a PDF/X-4 file."""
    _output_intent(pdf, cmyk_profile)
    _default_rgb(pdf)
    for page in pdf.pages:
        _bleed_box(page)
    pdf.docinfo[pikepdf.Name.GTS_PDFXVersion] = pikepdf.String(PDFX_VERSION)
    pdf.docinfo[pikepdf.Name.Trapped] = pikepdf.Name("/False")
    _identifiers(pdf, data)


def _output_intent(pdf: pikepdf.Pdf, cmyk_profile: bytes) -> None:
    """One GTS_PDFX output intent whose embedded CMYK printer profile is the printing condition."""
    profile = pdf.make_stream(cmyk_profile)
    profile.N = 4
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=pikepdf.String(CONDITION_IDENTIFIER),
        OutputCondition=pikepdf.String(CONDITION),
        Info=pikepdf.String(PROFILE_DESCRIPTION),
        RegistryName=pikepdf.String(REGISTRY),
        DestOutputProfile=profile,
    ))])


def _default_rgb(pdf: pikepdf.Pdf) -> None:
    """Map WeasyPrint's DeviceRGB to sRGB in every resource dictionary, as PDF/X-4 requires."""
    srgb = pdf.make_stream(srgb_profile())
    srgb.N = 3
    default = pikepdf.Array([pikepdf.Name.ICCBased, srgb])
    for obj in pdf.objects:
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) or "/Resources" not in obj:
            continue
        resources = obj.Resources
        if "/ColorSpace" not in resources:
            resources.ColorSpace = pikepdf.Dictionary()
        resources.ColorSpace.DefaultRGB = default


def default_cmyk(pdf: pikepdf.Pdf, cmyk_profile: bytes) -> None:
    """Map DeviceCMYK to the printing condition's profile in every resource dictionary, when an
    image (a CMYK JPEG) is in DeviceCMYK: PDF/A allows it under its sRGB output intent only so."""
    if not any(isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image
               and obj.get("/ColorSpace") == pikepdf.Name.DeviceCMYK for obj in pdf.objects):
        return
    profile = pdf.make_stream(cmyk_profile)
    profile.N = 4
    default = pikepdf.Array([pikepdf.Name.ICCBased, profile])
    for obj in pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) and "/Resources" in obj:
            if "/ColorSpace" not in obj.Resources:
                obj.Resources.ColorSpace = pikepdf.Dictionary()
            obj.Resources.ColorSpace.DefaultCMYK = default


def _bleed_box(page: pikepdf.Page) -> None:
    """A BleedBox 3 mm outside the TrimBox, within the MediaBox."""
    left, bottom, right, top = (float(value) for value in page.obj.TrimBox)
    media = [float(value) for value in page.obj.MediaBox]
    page.obj.BleedBox = pikepdf.Array([
        round(max(media[0], left - BLEED), 4), round(max(media[1], bottom - BLEED), 4),
        round(min(media[2], right + BLEED), 4), round(min(media[3], top + BLEED), 4)])


def _identifiers(pdf: pikepdf.Pdf, data: bytes) -> None:
    """XMP DocumentID from the PDF's fixed /ID, InstanceID from its content, not at random."""
    document_id = uuid.UUID(bytes=bytes(pdf.trailer.ID[0])[:16].ljust(16, b"\0"))
    # WeasyPrint's random DocumentID, and the second /ID it hashes from it, are left out.
    unstable = bytes(pdf.trailer.ID[1])
    content = hashlib.sha256(RANDOM_DOCUMENT_ID.sub(b"", data).replace(unstable, b"")).digest()
    instance_id = uuid.UUID(bytes=content[:16])
    xmp = ElementTree.fromstring(pdf.Root.Metadata.read_bytes())
    rdf = xmp if xmp.tag == f"{{{NS['rdf']}}}RDF" else xmp.find("rdf:RDF", NS)
    if rdf is None:
        raise ValueError("XMP packet without rdf:RDF")
    for description in rdf.findall("rdf:Description", NS):
        for name in ("DocumentID", "InstanceID"):
            for element in description.findall(f"xmpMM:{name}", NS):
                description.remove(element)
    description = ElementTree.SubElement(rdf, f"{{{NS['rdf']}}}Description",
                                         {f"{{{NS['rdf']}}}about": ""})
    ElementTree.SubElement(description, f"{{{NS['xmpMM']}}}DocumentID").text = f"uuid:{document_id}"
    ElementTree.SubElement(description, f"{{{NS['xmpMM']}}}InstanceID").text = f"uuid:{instance_id}"
    metadata = pdf.make_stream(_packet(xmp))
    metadata.Type = pikepdf.Name.Metadata
    metadata.Subtype = pikepdf.Name.XML
    pdf.Root.Metadata = metadata


def renewed_instance(packet: bytes, rendition: str) -> bytes:
    """The XMP packet of a rendition made from the one `packet` describes (an imposed sheet): its
    DocumentID kept, its InstanceID one of its own, derived from the old one and `rendition`, so
    the same each time it is made. A packet without an InstanceID, or one that is no XML, is
    returned as it is."""
    def renewed(old: str | None) -> str:
        return f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{old}#{rendition}')}"

    try:
        xmp = ElementTree.fromstring(packet)
    except ElementTree.ParseError:
        return packet
    attribute = f"{{{NS['xmpMM']}}}InstanceID"
    elements = xmp.findall(".//xmpMM:InstanceID", NS)
    attributes = [description for description in xmp.iter() if attribute in description.attrib]
    for element in elements:
        element.text = renewed(element.text)
    for description in attributes:
        description.set(attribute, renewed(description.get(attribute)))
    return _packet(xmp) if elements or attributes else packet


def _packet(xmp: ElementTree.Element) -> bytes:
    for prefix, uri in NS.items():
        ElementTree.register_namespace(prefix, uri)
    return (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            + ElementTree.tostring(xmp, encoding="utf-8", xml_declaration=False)
            + b'\n<?xpacket end="r"?>')
