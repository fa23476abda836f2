"""Lay out one copy's stamp line («نسخة رقم ٧ من ٥٠ — أعدت لـ …») as a one-page PDF."""

from __future__ import annotations

import html
import io

import pikepdf

from ..fonts.registry import FontRegistry
from ..output.glyphcopies import GlyphCopies
from ..output.marks import space_marks
from ..output.pdftext import parsed_contents, write_contents
from ..output.rises import drop_rises
from ..output.tounicode import map_glyph_text
from ..project import Project
from ..text.bidi import Direction
from ..text.localise import Localiser
from ..text.numerals import DigitStyle
from .joiners import joiners_drawn
from .pdf import _warnings_as_errors, font_configuration

STAMP_WORDING = {
    "ar": "نسخة رقم {number} من {total} — أعدت لـ {name}",
    "en": "Copy {number} of {total}, prepared for {name}",
}

# Below the page number, inside the trim: Amiri (the face that copies back best) in small
# print, centred, at the foot of every page.
STAMP_CSS = """
@page {{ size: {width}pt {height}pt; margin: 0; }}
html {{ font-family: "Amiri"; font-size: 7.5pt; line-height: 1.2; color: #3c4450;
        font-feature-settings: "calt" 0; }}
body {{ margin: 0; }}
section {{ break-after: page; }}
p {{ position: absolute; inset-inline: 20mm; inset-block-end: 4mm; margin: 0; text-align: center; }}
"""


class StampTooLong(ValueError):
    """Stamp lines that wrap (their indices in the run): on the page they would climb over the
    footer and marking above them."""

    def __init__(self, indices: list[int], page_width_mm: float) -> None:
        super().__init__(f"stamps {indices} take more than one line")
        self.indices, self.page_width_mm = indices, page_width_mm


class Stamper:
    """Stamps for one edition: page size, language, direction and digits fixed, fonts loaded once."""

    def __init__(self, project: Project, size: tuple[float, float], language: str,
                 direction: Direction, digits: DigitStyle, registry: FontRegistry) -> None:
        import weasyprint

        self._weasyprint = weasyprint
        self._project = project
        self._registry = registry
        self._fonts = font_configuration(project)
        self._css = weasyprint.CSS(string=STAMP_CSS.format(width=size[0], height=size[1]),
                                   font_config=self._fonts)
        self._language, self._direction = language, direction
        self._localise = Localiser(direction, digits)
        self._wording = STAMP_WORDING[language]

    def text(self, number: int, total: int, name: str) -> str:
        """The stamp line as the page prints it: the edition's digits, other-direction runs isolated."""
        return self._localise(self._wording.format(number=number, total=total, name=name))

    def plain(self, number: int, total: int, name: str) -> str:
        """The stamp line without layout controls: what a reader should copy."""
        return self._localise.plain(self._wording.format(number=number, total=total, name=name))

    def render(self, lines: list[str]) -> bytes:
        """A PDF of one page per stamp line (from `text`), laid out in one WeasyPrint run.

        One run for many lines costs a fifth of the time per line of one run per line; the
        lines of a run share one font subset. Each glyph code gets its glyph's own text and
        each glyph is drawn on the baseline, as in a build (`output.tounicode`, `output.rises`).
        """
        pages = "".join(f"<section><p>{html.escape(line)}</p></section>" for line in lines)
        page = (f'<!DOCTYPE html><html lang="{self._language}" dir="{self._direction}">'
                f'<head><meta charset="utf-8"></head><body>{pages}</body></html>')
        with _warnings_as_errors(f"stamps of {len(lines)} copies", self._project):
            document = self._weasyprint.HTML(string=page).render(stylesheets=[self._css],
                                                                 font_config=self._fonts)
            wrapped = [index for index, laid_out in enumerate(document.pages)
                       if _line_count(laid_out._page_box) > 1]
            if wrapped:
                raise StampTooLong(wrapped, document.pages[0].width * 25.4 / 96)
            with joiners_drawn():
                data = document.write_pdf(pdf_identifier=b"briefpress-stamp")
        with pikepdf.open(io.BytesIO(data)) as pdf:
            contents = parsed_contents(pdf)
            copies = GlyphCopies(self._registry)
            map_glyph_text(pdf, self._registry, contents, copies)
            drop_rises(pdf, self._registry, contents, copies)
            space_marks(pdf, self._registry, contents, copies)
            copies.write(pdf)
            write_contents(pdf, contents)
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _line_count(box: object) -> int:
    """How many lines of text a laid-out box holds."""
    from weasyprint.formatting_structure.boxes import LineBox

    if isinstance(box, LineBox):
        return 1
    return sum(_line_count(child) for child in getattr(box, "children", None) or [])
