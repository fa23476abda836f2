"""What a PDF holds, as the manifest reports it: its pages, and its embedded fonts named by
their own programs. Read from a PDF the build holds open (`output.facts`) or from a foreign
one (`check.pdffacts`)."""

from __future__ import annotations

import contextlib
import io
import logging
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass

from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont, TTLibError

# The font descriptor's keys for an embedded program (ISO 32000-1, 9.9): a Type 1 program, a
# TrueType program, and a program in the form /Subtype names (bare CFF, or OpenType).
FONT_FILE_KEYS = ("/FontFile", "/FontFile2", "/FontFile3")
_BARE_CFF = frozenset({"/Type1C", "/CIDFontType0C"})
# What fontTools' CFF reader raises on damaged data (found by mutating a valid font set).
_CFF_ERRORS = (AssertionError, struct.error, TypeError, ValueError, IndexError, KeyError, EOFError)
# A Type 1 program names itself in its clear-text part: `/FontName /Name def`.
_TYPE1_NAME = re.compile(rb"/FontName\s*/([!-~]{1,127}?)(?=[\s/\[\]{}()<>%])")


@dataclass(frozen=True)
class EmbeddedFont:
    """A font used by a PDF's pages: the name the PDF gives it, whether its program is embedded,
    and the PostScript name the program gives itself (None when it gives none)."""

    pdf_name: str
    embedded: bool
    postscript_name: str | None
    problem: str | None = None  # what fontTools found damaged in the program, if anything


@dataclass(frozen=True)
class PdfFacts:
    """What a PDF holds, as the manifest reports it."""

    pages: int
    fonts: tuple[EmbeddedFont, ...]

    @property
    def font_names(self) -> tuple[str, ...]:
        return tuple(sorted({font.postscript_name or font.pdf_name for font in self.fonts}))


class _Complaints(logging.Handler):
    """fontTools' warnings about one font program: the first, and how many."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.first: str | None = None
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if self.first is None:
            self.first = record.getMessage()

    @property
    def problem(self) -> str | None:
        if self.first is None:
            return None
        more = f" (and {self.count - 1:,} more problems)" if self.count > 1 else ""
        return f"the embedded font program is damaged: {self.first}{more}"


@contextlib.contextmanager
def _complaints() -> Iterator[_Complaints]:
    """Collect what fontTools logs while it reads a font, instead of printing it line by line.

    A name table that claims 65,535 records would otherwise print two lines per record.
    """
    logger = logging.getLogger("fontTools")
    handler = _Complaints()
    saved = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.level, logger.propagate = saved


def program_name(program: bytes, key: str = "/FontFile2", subtype: str | None = None
                 ) -> tuple[str | None, str | None]:
    """The PostScript name an embedded font program gives itself, if any, and its damage.

    `key` is the descriptor's key the program is under and `subtype` its stream's /Subtype: a
    TrueType or OpenType program is named by its name table (a program without one, as
    Ghostscript embeds, is named by nothing), bare CFF by its font set, Type 1 by its /FontName.
    """
    if key == "/FontFile":
        found = _TYPE1_NAME.search(program[:65536])
        return (found.group(1).decode("ascii") if found else None), None
    with _complaints() as complaints:
        if key == "/FontFile3" and subtype in _BARE_CFF:
            try:
                fonts = CFFFontSet()
                fonts.decompile(io.BytesIO(program), None)
                name: str | None = str(fonts.fontNames[0]) if fonts.fontNames else None
            except _CFF_ERRORS as error:
                return None, _damaged(error)
        else:
            try:
                font = TTFont(io.BytesIO(program), lazy=True)
            except (TTLibError, AssertionError, struct.error) as error:
                return None, _damaged(error)
            try:
                name = font["name"].getDebugName(6)
            except (TTLibError, KeyError, AssertionError):
                name = None
    return name, complaints.problem


def _damaged(error: Exception) -> str:
    return f"the embedded font program is damaged: {str(error) or type(error).__name__}"
