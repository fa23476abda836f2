"""What a PDF holds, as the manifest reports it: its pages, and its embedded fonts named by
their own programs. Read from a PDF the build holds open (`output.facts`) or from a foreign
one (`check.pdffacts`)."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from fontTools.ttLib import TTFont, TTLibError


@dataclass(frozen=True)
class EmbeddedFont:
    """A font program inside a PDF, named as its own name table names it."""

    pdf_name: str
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


def program_name(program: bytes) -> tuple[str | None, str | None]:
    """The PostScript name a font program's name table gives, if any, and its damage."""
    with _complaints() as complaints:
        try:
            name = TTFont(io.BytesIO(program), lazy=True)["name"].getDebugName(6)
        except (TTLibError, KeyError, AssertionError):
            name = None
    return name, complaints.problem
