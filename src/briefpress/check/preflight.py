"""Preflight any PDF: page sizes, fonts, text layers, right-to-left layout, recall of a source,
the four reader families and every /ActualText string.

A PDF that claims PDF/X also gets the PDF/X-4 subset of `check.pdfx`.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pypdf import PageObject, PdfReader

from ..errors import InputError, Problem
from ..fonts.identity import identify
from ..fonts.registry import FontRegistry
from ..output.impose import binding_of, declared_binding
from ..text.numerals import DigitStyle
from . import MIN_RECALL
from .direction import anchoring_problems, ltr_run_problems, marker_problems
from .geometry import Page, pages
from .languages import block_languages, read_languages
from .languages import problems as language_problems
from .languages import summary as language_summary
from .pagequality import (
    MIN_LAST_PAGE_FILL,
    PageFinding,
    cut_identifiers,
    last_page_fill,
    lone_latin_numbers,
    reader_lines,
    single_word_last_lines,
    stranded_lines,
)
from .pdfbounds import READ_ERRORS, quiet_readers, read_pdf
from .pdffacts import embedded_fonts, font_programs, type3_fonts
from .pdfx import NOTICE, claims_pdfx, pdfx_problems
from .readers import FAMILIES, LABELS, MEASURES, measure_families, read, words_recall
from .spec import actual_texts
from .spec import problems as actual_text_problems
from .textlayer import (
    PRESENTATION_FORMS,
    ExtractorMissing,
    NotInstalled,
    exact_recall,
    fold_digits,
    pdfium_pages,
    poppler_text,
)


@dataclass(frozen=True)
class Check:
    """One check's verdict: passed (True), failed (False) or not run (None), and why."""

    name: str
    ok: bool | None
    summary: str
    findings: tuple[str, ...] = ()
    figures: dict[str, float] = field(default_factory=dict)
    warning: bool = False  # findings to look at that do not fail the check (page quality)


@dataclass(frozen=True)
class Report:
    """What a preflight found about one PDF."""

    path: Path
    pages: int
    fonts: tuple[str, ...]
    page_size: tuple[float, float]
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok is not False for check in self.checks)

    @property
    def problems(self) -> tuple[str, ...]:
        """One line per failure: a failed check's findings, or its summary when it has none."""
        return tuple(line for check in self.checks if check.ok is False
                     for line in (check.findings or (check.summary,)))

    def as_dict(self) -> dict[str, object]:
        return {"path": str(self.path), "ok": self.ok, "pages": self.pages,
                "page_size": list(self.page_size), "fonts": list(self.fonts),
                "checks": [{"name": check.name, "ok": check.ok, "summary": check.summary,
                            "warning": check.warning, "findings": list(check.findings),
                            "figures": check.figures}
                           for check in self.checks]}


def _open(path: Path) -> PdfReader:
    """A reader of the PDF at `path`, once `check.pdfbounds` has found it within bounds."""
    data = read_pdf(path)
    try:
        with quiet_readers():
            return PdfReader(io.BytesIO(data))
    except READ_ERRORS as error:
        raise InputError(Problem(path, f"not a readable PDF ({error})")) from error


def _shown_size(page: PageObject) -> tuple[float, float]:
    """The size a viewer shows and prints a page at: its CropBox (the MediaBox when it has none)
    cut to its MediaBox, turned by its /Rotate."""
    crop, media = page.cropbox, page.mediabox
    width = max(0.0, min(float(crop.right), float(media.right)) - max(float(crop.left), float(media.left)))
    height = max(0.0, min(float(crop.top), float(media.top)) - max(float(crop.bottom), float(media.bottom)))
    width, height = round(width, 2), round(height, 2)
    return (height, width) if page.rotation % 180 else (width, height)


def _page_sizes(reader: PdfReader) -> tuple[Check, tuple[float, float]]:
    sizes = [_shown_size(page) for page in reader.pages]
    if not sizes:
        return Check("page sizes", False, "has no pages"), (0.0, 0.0)
    distinct = sorted(set(sizes))
    if len(distinct) > 1:
        return Check("page sizes", False, f"mixes page sizes: {distinct}"), distinct[0]
    width, height = distinct[0]
    return Check("page sizes", True, f"{len(sizes)} page(s), all {width} x {height} pt"), distinct[0]


def _fonts(reader: PdfReader, registry: FontRegistry | None) -> tuple[Check, tuple[str, ...]]:
    fonts = embedded_fonts(reader)
    names = tuple(sorted({font.postscript_name or font.pdf_name for font in fonts}))
    damaged = tuple(f"font {font.postscript_name or font.pdf_name}: {font.problem}"
                    for font in fonts if font.problem)
    if damaged:
        return Check("fonts", False, f"{len(damaged)} damaged font program(s)", damaged), names
    missing = sorted(font.pdf_name for font in fonts if not font.embedded)
    if missing:
        return Check("fonts", False, f"fonts without an embedded program: {', '.join(missing)}"), names
    if registry is not None:
        foreign = sorted({name for name, program in font_programs(reader)
                          if program is None or identify(program, registry) is None})
        if foreign:
            return Check("fonts", False, f"embeds fonts not shipped in fonts/: {', '.join(foreign)}"), names
        drawn = type3_fonts(reader)
        if drawn:
            summary = f"draws text in Type 3 fonts, not shipped in fonts/: {', '.join(drawn)}"
            return Check("fonts", False, summary), names
        return Check("fonts", True, f"{len(names)} embedded, all shipped in fonts/"), names
    return Check("fonts", True, f"{len(names)} embedded"), names


def _presentation_forms(path: Path, poppler: str | None, why: str) -> Check:
    found = [f"page {number}: pdfium text layer holds Arabic presentation forms"
             for number, text in enumerate(pdfium_pages(path), start=1)
             if PRESENTATION_FORMS.search(text)]
    if poppler is not None:
        found += [f"page {number}: poppler text layer holds Arabic presentation forms"
                  for number, text in enumerate(poppler.split("\f"), start=1)
                  if PRESENTATION_FORMS.search(text)]
    readers = "pdfium and poppler" if poppler is not None else f"pdfium ({why})"
    if found:
        return Check("presentation forms", False, f"in the {readers} text layer", tuple(found))
    return Check("presentation forms", True, f"none in the {readers} text layers")


def _layout(glyph_pages: list[Page], source: str | None, ltr_document: bool,
            blocks: dict[tuple[int, int], str] | None) -> list[Check]:
    findings, examined = anchoring_problems(glyph_pages, ltr_document, blocks)
    checks = [Check("anchoring", not findings,
                    f"{len(findings)} of {examined} right-to-left paragraphs anchored at the left"
                    if findings else f"{examined} right-to-left paragraph(s), all anchored at the right",
                    tuple(str(finding) for finding in findings))]
    findings, right = marker_problems(glyph_pages, ltr_document)
    checks.append(Check("list markers", not findings,
                        f"{len(findings)} drawn left of right-to-left items ({right} on the right)"
                        if findings else f"{right} on the right of right-to-left items, none on the left",
                        tuple(str(finding) for finding in findings)))
    if source is None:
        checks.append(Check("ltr runs", None, "not checked; give --source with the text the PDF holds"))
    else:
        findings, drawn = ltr_run_problems(glyph_pages, source)
        checks.append(Check("ltr runs", not findings,
                            f"{len(findings)} of the source's left-to-right runs drawn out of order "
                            f"({drawn} drawn left to right)" if findings
                            else f"{drawn} of the source's left-to-right runs found, all drawn left to right"
                            if drawn else "none of the source's left-to-right runs found in the PDF",
                            tuple(str(finding) for finding in findings)))
    return checks


def _declares_left_to_right(reader: PdfReader) -> bool:
    """Whether a PDF declares it reads left to right (its /Lang, as `impose` reads it): its
    paragraphs and lists are then set left to right, and an Arabic run or item in them keeps that."""
    declared = declared_binding(reader)
    return declared is not None and declared[0] == "left"


def _block_languages(path: Path) -> dict[tuple[int, int], str] | None:
    """The structure's block languages (`languages.block_languages`), or None where the
    structure tree cannot be read (the languages check says why)."""
    try:
        return block_languages(path)
    except (pikepdf.PdfError, ValueError, KeyError, TypeError):
        return None


def _right_to_left(reader: PdfReader) -> bool:
    """Whether a PDF says it reads right to left, as `impose` reads it for the binding edge."""
    return binding_of(reader, "")[0] == "right"


ARABIC_INDIC_NUMBER = re.compile("[٠-٩]+")


def _page_quality(path: Path, glyph_pages: list[Page], rtl: bool, digits: DigitStyle | None = None) -> Check:
    """Page-quality warnings: stranded lines, an empty last page, lone words in titles, mixed
    digits, cut identifiers. They are a designer's review, not a failure of the PDF. `digits` is
    the edition's digit style where it is known (`check --project`)."""
    lines = reader_lines(path)
    found = [*stranded_lines(glyph_pages, rtl), *single_word_last_lines(glyph_pages),
             *cut_identifiers(lines)]
    # Where the profile is not known, an Arabic-Indic edition is one whose numbers in Arabic text
    # are mostly Arabic-Indic: a Latin-digit edition prints numbers as typed, and an author may
    # type a few so (or most, in a brief that quotes verses and Hijri dates).
    # Text tagged in another language (a parallel annex's English column) keeps its own digits.
    arabic = reader_lines(path, arabic_only=True) if rtl else lines
    lone = lone_latin_numbers(arabic)
    arabic_indic = sum(len(ARABIC_INDIC_NUMBER.findall(line)) for page in arabic for line in page)
    if rtl and (digits == "arabic-indic" if digits else arabic_indic > len(lone)):
        found += lone
    fill = last_page_fill(glyph_pages)
    if len(glyph_pages) > 1 and fill < MIN_LAST_PAGE_FILL:
        found.append(PageFinding(len(glyph_pages), "last page nearly empty", f"{fill:.0%} full"))
    summary = (f"{len(found)} to look at" if found else "nothing to flag") + f"; last page {fill:.0%} full"
    return Check("page quality", True, summary, tuple(str(finding) for finding in found),
                 {"last_page_fill": round(fill, 3)}, warning=bool(found))


def _share(value: float, exact: bool = False) -> str:
    """A share as a percentage: to one decimal, rounded down, so a figure under the minimum never
    reads as the minimum (96.97 % is 96.9 %, not 97.0 %); `exact`, with the decimals it has."""
    if exact:
        return f"{round(value * 100, 4):g}%"
    return f"{math.floor(round(value * 1000, 6)) / 10:.1f}%"


def _recall(path: Path, source: str, poppler: str | None, why: str, minimum: float) -> Check:
    """Exact and words recall per reader, digits folded on both sides (editions convert them).
    Words are a search's, as the readers check counts them: punctuation, symbols, harakat and
    tatweel dropped (README, "Recall is reported twice per reader")."""
    source = fold_digits(source)
    poppler = None if poppler is None else fold_digits(poppler)
    pdfium = fold_digits("\n".join(pdfium_pages(path)))
    figures = {"pdfium exact": exact_recall(source, pdfium), "pdfium words": words_recall(source, pdfium)}
    if poppler is not None:
        figures |= {"poppler exact": exact_recall(source, poppler),
                    "poppler words": words_recall(source, poppler)}
    summary = "; ".join(f"{name} {_share(value)}" for name, value in figures.items())
    low = [f"{name} recall {_share(value)} is under {_share(minimum, exact=True)}"
           for name, value in figures.items() if name.endswith("words") and value < minimum]
    if poppler is None:
        low.append(why)
    return Check("recall", not low, summary, tuple(low), {k: round(v, 4) for k, v in figures.items()})


def _readers(path: Path, source: str | None, installed_only: bool = False) -> Check:
    """The four reader families: each must read the PDF; with a source, each one's exact recall,
    words recall and word order. A family that cannot run fails the check and says why, but
    with `installed_only` a family not installed here is a warning, not a failure."""
    if source is None:
        missing: dict[str, str] = {}
        absent: dict[str, str] = {}
        lengths: dict[str, int] = {}
        for family in FAMILIES:
            try:
                lengths[family] = len(read(family, path).split())
            except NotInstalled as error:
                (absent if installed_only else missing)[family] = str(error)
            except ExtractorMissing as error:
                missing[family] = str(error)
        summary = "; ".join(f"{LABELS[family]} {count} words" for family, count in lengths.items())
        summary += "; give --source to measure recall and order" if lengths else ""
        if absent:
            summary += f"; not installed here, not checked: {', '.join(LABELS[name] for name in absent)}"
        return Check("readers", not missing, summary or "no reader could run",
                     (*missing.values(), *absent.values()), warning=bool(absent) and not missing)
    measured, missing = measure_families(source, path)
    summary = "; ".join(f"{LABELS[family]} {value.percent()}" for family, value in measured.items())
    summary = f"exact / words / order (%): {summary}" if measured else "no reader could run"
    figures = {f"{family} {name}": round(getattr(value, name), 4)
               for family, value in measured.items() for name in MEASURES}
    return Check("readers", not missing, summary,
                 tuple(missing.values()), figures)


def _languages(path: Path) -> Check:
    """The languages the structure tree declares (PDF/UA-1 7.2): a document language, and each
    run of another script read in a voice of its own. Not run on an untagged PDF."""
    try:
        found = read_languages(path)
    except (pikepdf.PdfError, ValueError, KeyError, TypeError) as error:
        return Check("languages", False, f"the structure tree could not be read: {error}")
    if found is None:
        return Check("languages", None, "not checked: the PDF is untagged (no structure tree)")
    findings = language_problems(found)
    return Check("languages", not findings, language_summary(found), tuple(findings))


def _actual_text(path: Path, source: str | None) -> Check:
    """Every /ActualText string, in content streams and the structure tree: none may hold a
    noncharacter; with a source, each must be logical text of it."""
    try:
        with pikepdf.open(path) as pdf:
            found = actual_texts(pdf)
    except pikepdf.PdfError as error:
        return Check("actualtext", False, f"could not be read by pikepdf: {error}")
    content = sum(item.where == "content" for item in found)
    summary = f"{content} in content streams, {len(found) - content} in the structure tree"
    findings = actual_text_problems(found, source)
    if source is None and found:
        summary += "; give --source to check they are logical text of it"
    return Check("actualtext", not findings, summary, tuple(findings))


def _pdfx(path: Path) -> list[Check]:
    """The PDF/X-4 subset, for a PDF that claims PDF/X; nothing otherwise."""
    try:
        with pikepdf.open(path) as pdf:
            if not claims_pdfx(pdf):
                return []
            problems = pdfx_problems(pdf)
    except pikepdf.PdfError as error:
        return [Check("pdf/x-4", False, f"could not be read by pikepdf: {error}")]
    return [Check("pdf/x-4", not problems, NOTICE, tuple(problems))]


def preflight(path: Path, registry: FontRegistry | None, source: str | None = None,
              min_recall: float = MIN_RECALL, installed_readers_only: bool = False,
              digits: DigitStyle | None = None) -> Report:
    """Check one PDF; unreadable input is an `InputError`, failed checks are in the report.

    `registry` limits fonts to the shipped ones (None: any embedded font); `source` is the text
    the PDF should hold, for the left-to-right run and recall checks; with
    `installed_readers_only`, a reader family not installed here is a warning; `digits`, the
    digit style of the edition the PDF is, when known.
    """
    reader = _open(path)
    with quiet_readers():
        return _preflight(path, reader, registry, source, min_recall, installed_readers_only, digits)


def _preflight(path: Path, reader: PdfReader, registry: FontRegistry | None, source: str | None,
               min_recall: float, installed_readers_only: bool = False,
               digits: DigitStyle | None = None) -> Report:
    try:
        size_check, size = _page_sizes(reader)
        font_check, names = _fonts(reader, registry)
    except READ_ERRORS as error:  # a damaged page tree or font dictionary
        raise InputError(Problem(path, f"not a readable PDF ({error})")) from error
    checks = [size_check, font_check]
    poppler: str | None = None
    why = ""
    try:
        poppler = poppler_text(path)
    except ExtractorMissing as error:
        why = str(error)
    checks.append(_presentation_forms(path, poppler, why))
    try:
        glyph_pages = pages(path)
    except Exception as error:  # pdfminer's own exceptions: any failure to read glyphs fails the checks
        checks.append(Check("anchoring", False, f"glyph positions could not be read: {error}"))
    else:
        ltr_document = _declares_left_to_right(reader)
        checks += _layout(glyph_pages, source, ltr_document, _block_languages(path) if ltr_document else None)
        checks.append(_page_quality(path, glyph_pages, _right_to_left(reader), digits))
    if source is not None:
        checks.append(_recall(path, source, poppler, why, min_recall))
    checks.append(_readers(path, source, installed_readers_only))
    checks.append(_actual_text(path, source))
    checks.append(_languages(path))
    checks += _pdfx(path)
    return Report(path, len(reader.pages), names, size, tuple(checks))
