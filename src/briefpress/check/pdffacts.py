"""Read a PDF back with pypdf, as a foreign PDF is read: its pages and the fonts embedded in it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import cast

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from .embedded import FONT_FILE_KEYS, EmbeddedFont, PdfFacts, program_name

__all__ = ["EmbeddedFont", "MalformedPdf", "PdfFacts", "embedded_fonts", "font_programs",
           "program_name", "read_pdf_facts"]


class MalformedPdf(ValueError):
    """A PDF whose font resources are not the dictionaries and streams the format requires."""


def _dictionary(value: object, what: str) -> DictionaryObject:
    """`value` resolved, which must be a dictionary."""
    resolved = value.get_object() if hasattr(value, "get_object") else value
    if not isinstance(resolved, DictionaryObject):
        raise MalformedPdf(f"malformed font dictionary: {what} is a {type(resolved).__name__}")
    return resolved


def _resource_dictionaries(reader: PdfReader) -> Iterator[tuple[str, DictionaryObject]]:
    """Every resource dictionary a page draws with: the page's own, then those of the form
    XObjects, tiling patterns and Type 3 fonts it reaches (an imposed sheet, a copy's stamp),
    each once."""
    seen: set[int] = set()
    for number, page in enumerate(reader.pages, start=1):
        stack = [(f"page {number}", page.get("/Resources") or DictionaryObject())]
        while stack:
            where, value = stack.pop()
            resources = _dictionary(value, f"{where} /Resources")
            if id(resources) in seen:
                continue
            seen.add(id(resources))
            yield where, resources
            for key in ("/XObject", "/Pattern"):
                children = resources.get(key)
                children = children.get_object() if children is not None else None
                if not isinstance(children, DictionaryObject):
                    continue
                for name, child in children.items():
                    child = child.get_object()
                    if isinstance(child, DictionaryObject) and "/Resources" in child \
                            and child.get("/Subtype") != "/Image":
                        stack.append((f"{where} {name}", child["/Resources"]))
            fonts = resources.get("/Font")
            fonts = fonts.get_object() if fonts is not None else None
            if isinstance(fonts, DictionaryObject):
                for name, font in fonts.items():
                    font = font.get_object()
                    if isinstance(font, DictionaryObject) and font.get("/Subtype") == "/Type3" \
                            and "/Resources" in font:
                        stack.append((f"{where} font {name}", font["/Resources"]))


def _font_dictionaries(reader: PdfReader) -> list[DictionaryObject]:
    found: dict[int, DictionaryObject] = {}
    for where, resources in _resource_dictionaries(reader):
        fonts = _dictionary(resources.get("/Font") or DictionaryObject(), f"{where} /Font")
        for name, reference in fonts.items():
            font = _dictionary(reference, f"{where} font {name}")
            if font.get("/Subtype") == "/Type3":
                continue  # its glyphs are drawn by the PDF itself
            descendants = font.get("/DescendantFonts") or ArrayObject()
            descendants = descendants.get_object()
            if not isinstance(descendants, ArrayObject):
                raise MalformedPdf(f"malformed font dictionary: {where} font {name} "
                                   "/DescendantFonts is not an array")
            candidates = [font, *(_dictionary(d, f"a descendant of {name}") for d in descendants)]
            described = [candidate for candidate in candidates if "/FontDescriptor" in candidate]
            for candidate in described:
                _dictionary(candidate["/FontDescriptor"], f"the /FontDescriptor of {name}")
                found[id(candidate)] = candidate
            if not described:  # a standard 14 font named without a program: never embedded
                found[id(font)] = font
    return list(found.values())


def type3_fonts(reader: PdfReader) -> tuple[str, ...]:
    """The Type 3 fonts any page draws with, by /Name (else the resource name): their glyphs are
    drawn by the PDF itself, from no font program."""
    names = set()
    for where, resources in _resource_dictionaries(reader):
        fonts = _dictionary(resources.get("/Font") or DictionaryObject(), f"{where} /Font")
        for name, reference in fonts.items():
            font = _dictionary(reference, f"{where} font {name}")
            if font.get("/Subtype") == "/Type3":
                names.add(str(font.get("/Name", name)).lstrip("/"))
    return tuple(sorted(names))


def _program(descriptor: DictionaryObject) -> tuple[str, str | None, bytes] | None:
    """The embedded program a font descriptor holds, if any: its key, its /Subtype, its data."""
    for key in FONT_FILE_KEYS:
        if key in descriptor:
            stream = descriptor[key].get_object()
            if not isinstance(stream, StreamObject):
                raise MalformedPdf(f"malformed font dictionary: {key} is not a stream")
            subtype = stream.get("/Subtype")
            return key, None if subtype is None else str(subtype), stream.get_data()
    return None


def _embedded_font(font: DictionaryObject) -> tuple[EmbeddedFont, bytes | None]:
    """A font dictionary's font, named by its program if embedded, and that program."""
    descriptor = font.get("/FontDescriptor")
    program = _program(cast(DictionaryObject, descriptor.get_object())) if descriptor is not None else None
    base = str(font.get("/BaseFont", "")).lstrip("/")
    if program is None:
        return EmbeddedFont(base, False, None), None
    key, subtype, data = program
    return EmbeddedFont(base, True, *program_name(data, key, subtype)), data


def font_programs(reader: PdfReader) -> tuple[tuple[str, bytes | None], ...]:
    """Every font any page uses: its name (PostScript name if embedded) and its program, if any."""
    programs = []
    for font in _font_dictionaries(reader):
        embedded, data = _embedded_font(font)
        programs.append((embedded.postscript_name or embedded.pdf_name, data))
    return tuple(sorted(programs, key=lambda item: item[0]))


def embedded_fonts(reader: PdfReader) -> tuple[EmbeddedFont, ...]:
    """Every font any page uses, with the PostScript name of its embedded program."""
    fonts = {_embedded_font(font)[0] for font in _font_dictionaries(reader)}
    return tuple(sorted(fonts, key=lambda font: font.pdf_name))


def read_pdf_facts(data: bytes) -> PdfFacts:
    """Pages and embedded fonts of PDF bytes."""
    reader = PdfReader(io.BytesIO(data))
    return PdfFacts(pages=len(reader.pages), fonts=embedded_fonts(reader))
