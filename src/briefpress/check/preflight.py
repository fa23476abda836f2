"""Preflight an existing PDF: readable, only shipped fonts, no pre-shaped Arabic, one page size."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from ..errors import InputError, Problem
from ..layout.fonts import FontRegistry
from .pdffacts import embedded_fonts

PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


@dataclass(frozen=True)
class Report:
    """What a preflight found: facts to print and problems that fail the check."""

    path: Path
    pages: int
    fonts: tuple[str, ...]
    page_size: tuple[float, float]
    problems: tuple[str, ...]


def preflight(path: Path, registry: FontRegistry) -> Report:
    """Check one PDF; unreadable input is an `InputError`, failed checks are in the report."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # problems are reported below instead
    try:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        pages = reader.pages
        sizes = {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
                 for p in pages}
    except FileNotFoundError as error:
        raise InputError(Problem(path, "file not found")) from error
    except (PdfReadError, ValueError, OSError) as error:
        raise InputError(Problem(path, f"not a readable PDF ({error})")) from error
    problems = []
    fonts = embedded_fonts(reader)
    names = tuple(sorted({font.postscript_name or font.pdf_name for font in fonts}))
    foreign = sorted(set(names) - registry.postscript_names)
    if foreign:
        problems.append(f"embeds fonts not shipped in fonts/: {', '.join(foreign)}")
    if not pages:
        problems.append("has no pages")
    if len(sizes) > 1:
        problems.append(f"mixes page sizes: {sorted(sizes)}")
    for number, page in enumerate(pages, start=1):
        if PRESENTATION_FORMS.search(page.extract_text() or ""):
            problems.append(f"page {number}: text layer holds Arabic presentation forms")
    size = min(sizes) if sizes else (0.0, 0.0)
    return Report(path, len(pages), names, size, tuple(problems))
