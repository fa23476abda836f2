"""Bound a PDF a user gives to `check` or `impose` before any reader works through it.

The file must be a regular file of at most `PDF_CAP` bytes, unencrypted, with at most
`MAX_PAGES` pages, each page box `MIN_SIDE` to `MAX_SIDE` points on a side (the PDF
specification's limits), every stream decoding to at most `STREAM_CAP` bytes and all of
them to `DECODED_CAP`, and the content the pages draw, counted as the readers parse it
(a form XObject once per `Do`), at most `CONTENT_CAP` bytes. Streams are measured with
capped decoders (`check.filters`), so a small file that inflates to gigabytes is refused
in a fraction of a second, in bounded memory, before pypdf, pdfplumber, pdfium, poppler
or qpdf decode anything.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import re
import warnings
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from ..errors import InputError, Problem
from ..sandbox import Refused, read_regular
from .filters import Parameters, TooLarge, decode

MIB = 1024 * 1024
PDF_CAP = 256 * MIB  # bytes of the file
MAX_PAGES = 1_000
MIN_SIDE, MAX_SIDE = 3.0, 14_400.0  # points: ISO 32000-1, annex C
STREAM_CAP = 64 * MIB  # one stream, decoded; a 16-megapixel CMYK image is 64 MB
DECODED_CAP = 256 * MIB  # every stream together, decoded
CONTENT_CAP = 8 * MIB  # page content parsed by the readers, forms counted per use
MAX_OBJECTS = 100_000
MAX_FORM_DEPTH = 12
BOXES = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")
INHERITED = ("/MediaBox", "/CropBox", "/Resources", "/Rotate")  # from the page tree to each page
READER_LOGGERS = ("pypdf", "pdfminer", "fontTools")
# `/Name Do`: a form or image drawn; the name's own characters may be #-escaped.
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![^\s/\[\]()<>{}%])")
_OBJECT_HEADER = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj")
_STARTXREF = re.compile(rb"startxref\s+(\d{1,12})")
_XREF_SECTION = re.compile(rb"\s*(?:xref|\d+\s+\d+\s+obj)")
READ_ERRORS = (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError,
               OSError, zlib.error)


class OutOfBounds(Exception):
    """The reason a PDF is refused, located by page where it has one."""


@contextlib.contextmanager
def quiet_readers() -> Iterator[None]:
    """Silence what pypdf, pdfminer and fontTools log about a damaged file: briefpress reports it."""
    loggers = [logging.getLogger(name) for name in READER_LOGGERS]
    levels = [logger.level for logger in loggers]
    try:
        for logger in loggers:
            logger.setLevel(logging.CRITICAL + 1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def read_pdf(path: Path) -> bytes:
    """The bytes of the PDF at `path`, once they are within every bound; `InputError` otherwise."""
    try:
        data = read_regular(path, PDF_CAP)
    except Refused as refused:
        raise InputError(Problem(path, refused.reason)) from refused
    with quiet_readers():
        try:
            _check(data)
        except OutOfBounds as problem:
            raise InputError(Problem(path, str(problem))) from problem
        except READ_ERRORS as error:
            raise InputError(Problem(path, f"not a readable PDF ({error})")) from error
    return data


def _check(data: bytes) -> None:
    if b"%PDF-" not in data[:1024]:
        raise OutOfBounds("not a PDF: no %PDF- header in its first 1,024 bytes")
    _check_startxref(data)
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise OutOfBounds("the PDF is encrypted; decrypt it first (qpdf --decrypt in.pdf out.pdf)")
    sizes, uses = _streams(reader, data)
    pages = _page_tree(reader)
    drawn, forms = 0, dict[int, int]()
    for number, page in enumerate(pages, start=1):
        _check_boxes(page, number)
        drawn += _drawn(_contents(page), page.get("/Resources"), sizes, uses, forms, (), number)
        if drawn > CONTENT_CAP:
            raise OutOfBounds(f"page {number}: the pages so far draw {drawn:,} bytes of content, over "
                              f"the limit of {CONTENT_CAP // MIB} MiB that check and impose read")


def _check_startxref(data: bytes) -> None:
    """The file's last startxref points at a cross-reference section: an `xref` table or an
    `N G obj` cross-reference stream (counted from byte 0 or, as readers allow, from the header)."""
    found = _STARTXREF.findall(data, max(0, data.rfind(b"startxref")))
    if not found:
        raise OutOfBounds("not a readable PDF (no startxref: the file is cut short or damaged); "
                          "repair the file (qpdf in.pdf out.pdf)")
    offset = int(found[-1])
    if not any(_XREF_SECTION.match(data, start + offset) for start in {0, data.find(b"%PDF-")}):
        raise OutOfBounds(f"startxref points at byte {offset}, where no cross-reference section is; "
                          "repair the file (qpdf in.pdf out.pdf)")


def _resolved(value: object) -> object:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _filters(stream: StreamObject) -> list[tuple[str, Parameters]]:
    names = _resolved(stream.get("/Filter"))
    parameters = _resolved(stream.get("/DecodeParms"))
    if names is None:
        return []
    if not isinstance(names, ArrayObject):
        names, parameters = ArrayObject([names]), ArrayObject([parameters])
    if not isinstance(parameters, ArrayObject):
        parameters = ArrayObject([parameters] * len(names))
    chain: list[tuple[str, Parameters]] = []
    for index, name in enumerate(names):
        given = _resolved(parameters[index]) if index < len(parameters) else None
        chain.append((str(_resolved(name)), given if isinstance(given, DictionaryObject) else {}))
    return chain


def _streams(reader: PdfReader, data: bytes) -> tuple[dict[int, int], dict[int, Counter[bytes]]]:
    """Every stream's decoded size, and the names each one draws with `Do`, by object number.

    Only objects outside object streams are read here (a stream cannot be inside one),
    so the object streams themselves are measured before anything in them is parsed.
    """
    entries = [(number, generation, offset) for generation, table in reader.xref.items()
               for number, offset in table.items()]
    if len(entries) > MAX_OBJECTS:
        raise OutOfBounds(f"{len(entries):,} objects, over the limit of {MAX_OBJECTS:,}")
    sizes: dict[int, int] = {}
    uses: dict[int, Counter[bytes]] = {}
    total = 0
    for number, generation, offset in entries:
        header = _OBJECT_HEADER.match(data, offset) if isinstance(offset, int) else None
        if header is None or (int(header[1]), int(header[2])) != (number, generation):
            raise OutOfBounds(f"the cross-reference table puts object {number} at byte {offset}, "
                              "where it is not; repair the file (qpdf in.pdf out.pdf)")
        stream = reader.get_object(IndirectObject(number, generation, reader))
        if not isinstance(stream, StreamObject):
            continue
        try:
            decoded = decode(stream._data, _filters(stream), STREAM_CAP)
        except TooLarge as error:
            raise OutOfBounds(f"object {number}: a stream that decodes to more than "
                              f"{STREAM_CAP // MIB} MiB, the limit for one stream") from error
        total += len(decoded)
        if total > DECODED_CAP:
            raise OutOfBounds(f"object {number}: the streams so far decode to {total:,} bytes, over "
                              f"the limit of {DECODED_CAP // MIB} MiB for a PDF")
        sizes[number] = len(decoded)
        drawn = Counter(_DO.findall(decoded))
        if drawn:
            uses[number] = drawn
    return sizes, uses


def _page_tree(reader: PdfReader) -> list[DictionaryObject]:
    """The pages, in order, walked with a bound on their number and no object visited twice."""
    catalog = _resolved(reader.trailer.get("/Root"))
    if not isinstance(catalog, DictionaryObject):
        raise OutOfBounds("not a readable PDF (no document catalog)")
    root = catalog.raw_get("/Pages") if "/Pages" in catalog else None
    pages: list[DictionaryObject] = []
    seen: set[int] = set()
    stack: list[tuple[object, dict[str, object]]] = [(root, {})]
    while stack:
        reference, inherited = stack.pop()
        if isinstance(reference, IndirectObject):
            if reference.idnum in seen:
                raise OutOfBounds(f"the page tree reaches object {reference.idnum} twice")
            seen.add(reference.idnum)
        node = _resolved(reference)
        if not isinstance(node, DictionaryObject):
            raise OutOfBounds("not a readable PDF (a page tree node is not a dictionary)")
        if len(seen) > 2 * MAX_PAGES + 1:
            raise OutOfBounds(f"over {MAX_PAGES:,} pages; check and impose read at most {MAX_PAGES:,}")
        found, kind = _resolved(node.get("/Kids")), node.get("/Type")
        kids = found if isinstance(found, ArrayObject) else None
        if kind not in (None, "/Pages", "/Page") or (kind == "/Pages" and kids is None) or \
                (kind == "/Page" and kids is not None):
            raise OutOfBounds(f"not a readable PDF (a page tree node of /Type {kind} "
                              f"{'without' if kids is None else 'with'} /Kids)")
        if kids is not None:
            here = inherited | {key: node.raw_get(key) for key in INHERITED if key in node}
            stack.extend((kid, here) for kid in reversed(kids))
            continue
        pages.append(DictionaryObject({**inherited, **{key: node.raw_get(key) for key in node}}))
        if len(pages) > MAX_PAGES:
            raise OutOfBounds(f"over {MAX_PAGES:,} pages; check and impose read at most {MAX_PAGES:,}")
    if not pages:
        raise OutOfBounds("the PDF has no pages")
    return pages


def _number(value: object) -> float | None:
    try:
        number = float(_resolved(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _check_boxes(page: DictionaryObject, number: int) -> None:
    """Each page box: four numbers, lower-left corner first, 3 to 14,400 points on each side;
    a rotation by quarter turns, in the default unit."""
    unit = _number(page.get("/UserUnit", 1))
    if unit != 1:
        raise OutOfBounds(f"page {number}: /UserUnit {page.get('/UserUnit')} scales the page; "
                          "only the default unit, 1/72 inch, is read")
    rotate = _number(page.get("/Rotate", 0))
    if rotate is None or rotate % 90:
        raise OutOfBounds(f"page {number}: /Rotate {page.get('/Rotate')} is not a multiple of 90")
    if "/MediaBox" not in page:
        raise OutOfBounds(f"page {number}: no MediaBox")
    for name in BOXES:
        if name not in page:
            continue
        box = _resolved(page[name])
        corners = [_number(value) for value in box] if isinstance(box, ArrayObject) else []
        if len(corners) != 4 or None in corners:
            raise OutOfBounds(f"page {number}: {name[1:]} is not four numbers")
        x0, y0, x1, y1 = (float(value) for value in corners)  # type: ignore[arg-type]
        width, height = x1 - x0, y1 - y0
        if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
            raise OutOfBounds(
                f"page {number}: {name[1:]} [{x0:g} {y0:g} {x1:g} {y1:g}] is {width:g} x {height:g} pt; "
                f"a page is {MIN_SIDE:g} to {MAX_SIDE:,g} pt on each side, lower-left corner first "
                "(the PDF specification's limits)")


def _contents(page: DictionaryObject) -> list[int]:
    """The object numbers of a page's content streams."""
    contents = page.raw_get("/Contents") if "/Contents" in page else None
    if isinstance(contents, IndirectObject) and isinstance(contents.get_object(), ArrayObject):
        contents = contents.get_object()
    items = contents if isinstance(contents, ArrayObject) else [contents]
    return [item.idnum for item in items if isinstance(item, IndirectObject)]


def _name(raw: bytes) -> str:
    """A name as written in a content stream, `#xx` escapes decoded."""
    return "/" + re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), raw).decode("latin-1")


def _drawn(streams: list[int], resources: object, sizes: dict[int, int], uses: dict[int, Counter[bytes]],
           forms: dict[int, int], stack: tuple[int, ...], page: int) -> int:
    """Bytes of content the readers parse for `streams`: their own, and each form's per `Do`.

    `forms` remembers what each form draws, so each is measured once.
    """
    total = sum(sizes.get(number, 0) for number in streams)
    drawn: Counter[bytes] = Counter()
    for number in streams:
        drawn.update(uses.get(number, {}))
    resources = _resolved(resources)
    xobjects = _resolved(resources.get("/XObject")) if isinstance(resources, DictionaryObject) else None
    if not drawn or not isinstance(xobjects, DictionaryObject):
        return total
    for raw, count in drawn.items():
        name = _name(raw)
        reference = xobjects.raw_get(name) if name in xobjects else None
        form = _resolved(reference)
        if not (isinstance(reference, IndirectObject) and isinstance(form, StreamObject)
                and form.get("/Subtype") == "/Form"):
            continue
        if reference.idnum in stack or len(stack) >= MAX_FORM_DEPTH:
            raise OutOfBounds(f"page {page}: form XObject {reference.idnum} draws itself, or forms "
                              f"are nested more than {MAX_FORM_DEPTH} deep")
        if reference.idnum not in forms:
            forms[reference.idnum] = _drawn([reference.idnum], form.get("/Resources", resources), sizes,
                                            uses, forms, (*stack, reference.idnum), page)
        total += count * forms[reference.idnum]
        if total > CONTENT_CAP:
            break
    return total
