"""Read a finished PDF's facts while it is still open: pages, embedded fonts and their programs."""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf

from ..check.embedded import FONT_FILE_KEYS, EmbeddedFont, PdfFacts, program_name


@dataclass(frozen=True)
class OpenFacts:
    """What the manifest and the font check need of a PDF the build made."""

    facts: PdfFacts
    programs: tuple[tuple[str, bytes | None], ...]  # every font a page uses: name, program


def _font_dictionaries(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every font dictionary, or descendant font, with a descriptor that a page's resources name
    (as `check.pdffacts` finds them in a foreign PDF)."""
    found: dict[tuple[int, int] | int, pikepdf.Dictionary] = {}
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(fonts, pikepdf.Dictionary):
            continue
        for _, font in fonts.items():
            if not isinstance(font, pikepdf.Dictionary):
                continue
            descendants = font.get("/DescendantFonts")
            candidates = [font, *(d for d in descendants if isinstance(d, pikepdf.Dictionary))] \
                if isinstance(descendants, pikepdf.Array) else [font]
            for candidate in candidates:
                if isinstance(candidate.get("/FontDescriptor"), pikepdf.Dictionary):
                    key = candidate.objgen if candidate.is_indirect else id(candidate)
                    found.setdefault(key, candidate)
    return list(found.values())


def open_pdf_facts(pdf: pikepdf.Pdf) -> OpenFacts:
    """Pages and embedded fonts of an open PDF, with each font's program for the font check."""
    fonts: set[EmbeddedFont] = set()
    programs: list[tuple[str, bytes | None]] = []
    for font in _font_dictionaries(pdf):
        descriptor = font.FontDescriptor
        key = next((key for key in FONT_FILE_KEYS
                    if isinstance(descriptor.get(key), pikepdf.Stream)), None)
        base = str(font.get("/BaseFont", "")).lstrip("/")
        if key is None:
            fonts.add(EmbeddedFont(base, False, None))
            programs.append((base, None))
            continue
        stream = descriptor[key]
        program = stream.read_bytes()
        subtype = stream.get("/Subtype")
        name, problem = program_name(program, key, None if subtype is None else str(subtype))
        fonts.add(EmbeddedFont(base, True, name, problem))
        programs.append((name or base, program))
    return OpenFacts(PdfFacts(pages=len(pdf.pages),
                              fonts=tuple(sorted(fonts, key=lambda font: font.pdf_name))),
                     tuple(sorted(programs, key=lambda item: item[0])))
