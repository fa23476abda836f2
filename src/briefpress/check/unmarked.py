"""Strip a PDF's /ActualText, to measure what readers make of its glyphs alone."""

from __future__ import annotations

import io

import pikepdf

ACTUAL_TEXT = pikepdf.Name.ActualText


def _strip_stream(stream: pikepdf.Object, unwrap: bool) -> int:
    """Drop /ActualText from every BDC of a content stream. With `unwrap`, a mark that carried
    nothing else goes with its EMC, as if never written; otherwise a BDC left with no property
    becomes a BMC with the same tag, so marked content nests as before. Returns how many."""
    rewritten: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
    count = 0
    dropped: list[bool] = []  # for each open mark, whether its BDC was dropped
    for instruction in pikepdf.parse_content_stream(stream):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            rewritten.append(instruction)
            continue
        name, operands = str(instruction.operator), instruction.operands
        if name == "EMC" and dropped:
            if not dropped.pop():
                rewritten.append(instruction)
            continue
        carries = name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
            and ACTUAL_TEXT in operands[1]
        drop = carries and unwrap and len(operands[1]) == 1
        if name in ("BDC", "BMC"):
            dropped.append(drop)
        if not carries:
            rewritten.append(instruction)
            continue
        count += 1
        if drop:
            continue
        properties = pikepdf.Dictionary({key: value for key, value in operands[1].items()
                                         if key != "/ActualText"})
        rewritten.append(pikepdf.ContentStreamInstruction([operands[0], properties], pikepdf.Operator("BDC"))
                         if len(properties) else
                         pikepdf.ContentStreamInstruction([operands[0]], pikepdf.Operator("BMC")))
    if count:
        stream.write(pikepdf.unparse_content_stream(rewritten))
    return count


def strip_actual_text(data: bytes, unwrap: bool = True) -> tuple[bytes, int]:
    """The PDF without any /ActualText, in page content, form XObjects or the structure tree,
    and how many were removed. `unwrap` removes the marks that carried one as well."""
    count = 0
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.contents_coalesce()
            count += _strip_stream(page.obj.Contents, unwrap)
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form":
                count += _strip_stream(obj, unwrap)
            elif isinstance(obj, pikepdf.Dictionary) and ACTUAL_TEXT in obj \
                    and obj.get("/Type") in (None, "/StructElem"):
                del obj[ACTUAL_TEXT]
                count += 1
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue(), count
