"""Lay out HTML into PDF bytes with WeasyPrint, isolated from system fonts and networks."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pydyf

from ..errors import ContentError, Problem, RenderError, ResourceError, TemplateError
from ..fonts.registry import FontRegistry, load_registry
from ..project import PROJECT_URL_ROOT, Project
from ..text.bidi import strip_isolates
from ..text.breaks import unbind
from .balance import balancing_css
from .html import RenderedHtml
from .linebreak import hanging_end_spaces, isolates_across_lines
from .notepolicy import notes_beside_their_calls
from .notes import NOTE_ELEMENT
from .pagefit import fit_last_page, too_many_pages

if TYPE_CHECKING:  # importing it imports WeasyPrint, which only rendering needs
    from .fontconfig import ShippedFontConfiguration


@contextmanager
def _warnings() -> Iterator[list[logging.LogRecord]]:
    """The warnings WeasyPrint logs in the block (any other handler gets them too)."""
    records: list[logging.LogRecord] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("weasyprint")
    handler = Collector(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


@contextmanager
def _warnings_as_errors(label: str, project: Project) -> Iterator[None]:
    """Collect WeasyPrint's warnings during a render and fail it if there were any."""
    with _warnings() as records:
        yield
    if records:
        raise RenderError([f"{label}: WeasyPrint: {_relative(record.getMessage(), project)}"
                           for record in records])


def _relative(message: str, project: Project) -> str:
    """A message with the project's absolute paths and file URLs made relative to its root."""
    root = project.root.resolve()
    for prefix in (PROJECT_URL_ROOT, root.as_uri() + "/", str(root) + os.sep):
        message = message.replace(prefix, "")
    return message


def _refuse_attachments(root: Any, label: str) -> None:
    """A template may not attach files: WeasyPrint embeds what `rel=attachment` names, and an
    edition's attachments are the build's to add (PDF/A-3u sources), checked against its audience."""
    for element in root.iter():
        if "attachment" in str(element.get("rel", "")).lower().split():
            target = element.get("href", "")
            raise TemplateError(f"{label}: a template attaches a file (<{element.tag} rel=\"attachment\" "
                                f"href=\"{target[:60]}\">); templates may not attach files, a pdf/a-3u "
                                "edition attaches its sources itself")


def _refuse_overflow(document: Any, label: str) -> list[str]:
    """Nothing may be drawn past a page's edge, where it would be lost: text, an image or a
    table too wide or too tall for the page (columns that cannot shrink, a row taller than a
    page) is an error naming what runs over, never a page that silently loses it.

    Return a note for each page where a table's text runs more than 1 mm past the page's text
    area into its margin (eight columns on A5), which the edition prints but a reader sees as a
    table too wide for the paper: what layout could not meet, told, never silent."""
    notes = []
    for number, page in enumerate(document.pages, start=1):
        left = page._page_box.content_box_x()
        right = left + page._page_box.width
        margin = 0.0
        stack: list[tuple[Any, bool]] = [(page._page_box, False)]
        while stack:
            box, in_table = stack.pop()
            in_table = in_table or getattr(box, "element_tag", None) == "table"
            stack.extend((child, in_table) for child in getattr(box, "children", None) or [])
            drawn = getattr(box, "text", None) if hasattr(box, "pango_layout") else None
            if in_table and drawn is not None:
                margin = max(margin, left - box.position_x, box.position_x + box.width - right)
            if drawn is None and getattr(box, "element_tag", None) != "img":
                continue
            over = max(-box.position_x, box.position_x + box.width - page.width,
                       box.position_y + box.height - page.height) * 25.4 / 96  # CSS px to mm
            if over <= 0.2:
                continue
            if in_table:
                what, advice = "a table", "split it into fewer columns or shorter rows"
            else:
                # as typed: without the isolates and joiners layout added, which a search of
                # the source for the quoted words would not find
                what = f"the text '{strip_isolates(unbind(drawn))[:40]}'" if drawn else "an image"
                advice = "shorten it"
            raise ContentError(Problem(label, f"page {number}: {what} runs {over:.0f} mm past the "
                                       f"page's edge, where it would be lost; {advice}"))
        if margin * 25.4 / 96 > 1:
            notes.append(f"page {number}: a table runs {margin * 25.4 / 96:.0f} mm into the margin; "
                         "split it into fewer columns, or print this edition on wider paper")
    return notes


def _refuse_too_many_pages(project: Project, document: Any, kind: str, label: str) -> None:
    """A fact sheet that runs past one sheet is an error naming the file it is made from, never
    a fact sheet of many pages (`label` is <publication>/<audience>/<document>)."""
    reason = too_many_pages(document, kind)
    if reason is None:
        return
    source = project.relative(project.content_dir / label.split("/")[0] / "facts.yaml")
    raise ContentError(Problem(label, f"{reason}; cut figures, timeline entries or lists from "
                                      f"{source}, or shorten them"))


@contextmanager
def structure_as_written() -> Iterator[None]:
    """While a PDF is written, tag the element a note is written in as /Note (PDF/UA-1 7.9), give
    the structure element of each HTML element with a `lang` attribute that /Lang (PDF/UA-1
    7.2: a run in another language than the document's, so a screen reader switches voice), and
    make a paragraph, list item, list, article or section that runs onto the next page one
    element (`one_paragraph`).

    WeasyPrint maps HTML elements to structure types in `weasyprint.pdf.tags._get_pdf_tag`, which
    knows no note, and builds one element per box in `_build_box_tree`, which writes no /Lang;
    tests/test_notes.py and tests/test_languages.py read both back, so a WeasyPrint that renames
    either function fails there, not in a reader's hands.
    """
    import weasyprint.pdf as weasyprint_pdf
    from weasyprint.css import AnonymousStyle
    from weasyprint.formatting_structure.boxes import PageBox
    from weasyprint.pdf import tags

    tag, build = tags._get_pdf_tag, tags._build_box_tree
    first_pieces: dict[Any, Any] = {}

    def languages(box: Any, *args: Any) -> Iterator[Any]:
        element = getattr(box, "element", None)
        language = None
        if element is not None and not isinstance(box, PageBox) and box.element_tag not in ("html", "body"):
            language = element.get("lang")  # an element's own, not its ancestors' (they have theirs)
        for structure in build(box, *args):  # its children come through here too
            if language and "Lang" not in structure:
                structure["Lang"] = pydyf.String(language)
            anonymous = isinstance(getattr(box, "style", None), AnonymousStyle)
            if not one_paragraph(box, structure, args[1], first_pieces, anonymous):
                yield structure

    def described(links_and_anchors: Any, *args: Any) -> None:
        links = links_and_anchors[0]
        links[:] = [(kind, target, drawn, box) for kind, target, rectangle, box in links
                    if (drawn := drawn_rectangle(box, rectangle)) is not None]
        add_links(links_and_anchors, *args)
        for _, _, _, box in links_and_anchors[0]:
            annotation = getattr(box, "link_annotation", None)
            if annotation is not None and "Contents" in annotation:
                words = link_description(box)
                if words:
                    annotation["Contents"] = pydyf.String(words)

    tags._get_pdf_tag = lambda name: "Note" if name == NOTE_ELEMENT else tag(name)
    tags._build_box_tree = languages
    add_links, weasyprint_pdf.add_links = weasyprint_pdf.add_links, described
    try:
        yield
    finally:
        tags._get_pdf_tag, tags._build_box_tree = tag, build
        weasyprint_pdf.add_links = add_links


def drawn_rectangle(box: Any, rectangle: tuple[float, float, float, float]
                    ) -> tuple[float, float, float, float] | None:
    """Where a link's text and images are drawn, for its annotation's /Rect, or None for a link
    piece that draws nothing (a link broken across lines left an empty piece, no wider than a
    point, at the end of the line before). WeasyPrint gives an inline box of a right-to-left
    line the place it had before the line was reordered (a contents entry's link started at its
    title and ran up to 290 pt past the page's edge), while what it holds is drawn where it
    belongs. A transformed link (its rectangle not its box's) keeps WeasyPrint's rectangle."""
    from weasyprint.formatting_structure import boxes

    x, y, width, height = box.hit_area()
    if tuple(rectangle) != (x, y, x + width, y + height) or not hasattr(box, "descendants"):
        return rectangle
    areas = [area for child in box.descendants() if child is not box
             and isinstance(child, (boxes.TextBox, boxes.AtomicInlineLevelBox))
             and (area := child.hit_area())[2] > 0]
    if not areas:
        return rectangle if width > 0 else None
    return (min(area[0] for area in areas), min(area[1] for area in areas),
            max(area[0] + area[2] for area in areas), max(area[1] + area[3] for area in areas))


def link_description(box: Any) -> str:
    """A link's words as a reader sees them, for its annotation's /Contents (PDF/UA-1 7.18.5: a
    screen reader announces a link by it): WeasyPrint writes the target there, an id such as
    `section-3`. Empty for a link without letters (a note's number), which keeps its target."""
    element = getattr(box, "element", None)
    if element is None:
        return ""
    words = " ".join(unbind(strip_isolates("".join(element.itertext()))).split())
    return words if any(char.isalpha() for char in words) else ""


# The blocks a reader reads as one piece, by HTML element: their structure types (a list item's
# /LI and the /LBody of its text, which WeasyPrint makes for an anonymous box; a section, an
# article and a list, which an annex's part, article and paragraphs are; a table).
ONE_PIECE = {"p": ("/P",), "li": ("/LI", "/LBody"), "section": ("/Sect",), "article": ("/Art",),
             "ol": ("/L",), "ul": ("/L",), "table": ("/Table",)}


def one_paragraph(box: Any, structure: Any, pdf: Any, first_pieces: dict[Any, Any],
                  anonymous: bool = False) -> bool:
    """Whether `structure` is the piece of a block of ONE_PIECE that WeasyPrint tagged again
    on a later page, now moved into the element of its first page: its children go there, in
    reading order. WeasyPrint makes one element per page of a block, and a page holding a
    paragraph's Latin tail alone (`... ، Country Report No. 24/123`) was an element of Latin
    text read in Arabic; an annex article was two /Art elements, the second with no heading.
    A paragraph's anonymous boxes (around a floated marker) tag /P inside its /P on the same
    page: they stay where they are. A table's later pieces open with the header row repeated on
    their page, a /THead of its own: it joins the table as a /TBody (a table has one /THead)."""
    element = getattr(box, "element", None)
    kind = str(structure["S"])
    if element is None or kind not in ONE_PIECE.get(getattr(box, "element_tag", None) or "", ()) \
            or (anonymous and kind == "/P"):
        return False
    first = first_pieces.setdefault((element, kind), structure)
    if first is structure or first["Pg"] == structure["Pg"]:
        return False
    for kid in structure["K"]:
        child = pdf.objects[int(kid.split()[0])] if isinstance(kid, bytes) else None
        if child is not None and child.get("Type") == "/StructElem":  # a span, a link; not an OBJR
            child["P"] = first.reference
            if kind == "/Table" and child.get("S") == "/THead":
                child["S"] = "/TBody"
    first["K"].extend(structure["K"])
    return True


def pdf_identifier(*parts: str) -> bytes:
    """A fixed 16-byte identifier derived from what the PDF is, for reproducible bytes."""
    return hashlib.md5("/".join(parts).encode("utf-8"), usedforsecurity=False).digest()


def font_configuration(project: Project, registry: FontRegistry | None = None) -> ShippedFontConfiguration:
    """WeasyPrint's font configuration for the project: its shipped fonts and nothing else;
    those of `registry` when given (the fonts the caller validated against, read afresh after a
    save to fonts/, where a worker kept warm by `preview` remembers the fonts it first read)."""
    from .fontconfig import shipped_font_configuration

    fonts = (registry or load_registry(*project.font_dirs)).fonts
    # Which file each path names, and its state: fontconfig maps the files it is given, so a
    # configuration stands for those very files as they were. A backup put back with its old time
    # and size (`cp -a`) is another file: the old configuration still maps the one it replaced,
    # which may since hold other bytes or have been cut short (a bus error in the next render).
    stamp: list[int] = []
    for font in fonts:
        status = font.path.stat()
        stamp += [status.st_dev, status.st_ino, status.st_ctime_ns, status.st_mtime_ns, status.st_size]
    return shipped_font_configuration(tuple(font.path.resolve() for font in fonts),
                                      tuple(project.relative(font.path) for font in fonts),
                                      tuple(stamp))


@dataclass(frozen=True)
class _Parsed:
    """A stylesheet as WeasyPrint parsed it, and every project file the parsing read (the
    stylesheet, what it imports, the fonts its rules name), with its sha256."""

    css: Any
    read: dict[str, str]


_PARSED: dict[tuple[Any, ...], _Parsed] = {}
_PARSED_KEPT = 64  # stylesheets kept parsed per process


def parsed_stylesheet(project: Project, fonts: ShippedFontConfiguration, fetched: dict[str, str] | None,
                      url: str | None = None, string: str | None = None, base_url: str | None = None
                      ) -> Any:
    """The stylesheet at `url`, or `string` at `base_url`, parsed for `fonts`; each file the
    parsing read is added to `fetched`.

    Parsed once per process (a build's documents and the preview's saves share the project's
    stylesheets) and parsed again when a file it read no longer has the bytes it had; reading
    goes through the project's sandbox either way. A parse during which WeasyPrint warned is not
    kept: the warning fails the render that asked for it, and would fail the next. A WeasyPrint
    stylesheet is read, never changed, by the documents it lays out."""
    import weasyprint

    from .fetcher import SandboxedFetcher

    key = (fonts, url, string, base_url)
    kept = _PARSED.get(key)
    if kept is None or not _still_read(project, kept.read):
        read: dict[str, str] = {}
        fetcher = SandboxedFetcher(project.sandbox(), project=project, fetched=read)
        with _warnings() as warned:
            css = weasyprint.CSS(url=url, string=string, base_url=base_url, url_fetcher=fetcher,
                                 font_config=fonts)
        kept = _Parsed(css, read)
        if not warned:  # a parse that warned fails its render, and is made again the next time
            if len(_PARSED) >= _PARSED_KEPT:
                _PARSED.clear()
            _PARSED[key] = kept
    if fetched is not None:
        fetched.update(kept.read)
    return kept.css


def _still_read(project: Project, read: dict[str, str]) -> bool:
    """Whether the sandbox serves every file of `read` with the bytes it had."""
    from .fetcher import RefusedResource, SandboxedFetcher

    now: dict[str, str] = {}
    fetcher = SandboxedFetcher(project.sandbox(), project=project, fetched=now)
    try:
        for name in read:
            fetcher.fetch(project.label_url(name))
    except RefusedResource:
        return False
    return now == read


def render_pdf(project: Project, rendered: RenderedHtml, identifier: bytes, label: str,
               notes: list[str] | None = None, fetched: dict[str, str] | None = None,
               registry: FontRegistry | None = None) -> bytes:
    """The PDF bytes of one rendered document: its wrapped titles balanced (`balance`), then its
    last page (`pagefit`), the spaces that end a text hanging at the end of its line
    (`linebreak`); what could not be balanced is added to `notes`, and every project file
    WeasyPrint read (stylesheets, images) to `fetched`, with its sha256.

    The streams are left uncompressed: the finishing save (`output/finish.py`) compresses each
    once, where WeasyPrint's compression would be undone for every stream finishing rewrites."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    from .fetcher import RefusedResource, SandboxedFetcher
    from .joiners import joiners_drawn
    from .origins import origin

    fonts = font_configuration(project, registry)
    fetcher = SandboxedFetcher(project.sandbox(), project=project, fetched=fetched)
    base_url = project.url(rendered.base_url) + "/"
    try:
        with _warnings_as_errors(label, project), hanging_end_spaces(), \
                isolates_across_lines(), notes_beside_their_calls():
            stylesheets = [parsed_stylesheet(project, fonts, fetched, url=project.lookup_url(path))
                           for path in rendered.stylesheets]
            stylesheets.append(parsed_stylesheet(project, fonts, fetched, string=rendered.audience_css,
                                                 base_url=base_url))
            html = weasyprint.HTML(
                string=rendered.html,
                base_url=base_url,
                url_fetcher=fetcher,
            )
            _refuse_attachments(html.etree_element, label)
            def laid_out(*extras: str) -> Any:
                added = [weasyprint.CSS(string=extra, font_config=fonts) for extra in extras if extra]
                return html.render(stylesheets=[*stylesheets, *added], font_config=fonts)

            document = laid_out()
            balance = balancing_css(document, html.etree_element)
            if balance:
                document = laid_out(balance)
            document, note = fit_last_page(document, lambda variant: laid_out(balance, variant),
                                           rendered.document)
            margin_notes = _refuse_overflow(document, label)
            _refuse_too_many_pages(project, document, rendered.document, label)
            if notes is not None:
                notes += [f"{label}: {found}" for found in ([note] if note else [])
                          + margin_notes]
            # No /ViewerPreferences /Direction: pdfium (Chrome, Edge) reads every line of a
            # document marked /R2L right to left, an English quote or list item too (README,
            # "What each reader family gives back"); impose finds the binding from /Lang.
            with structure_as_written(), joiners_drawn():
                return document.write_pdf(pdf_identifier=identifier, pdf_tags=True,
                                          pdf_variant=rendered.pdf_variant, uncompressed_pdf=True)
    except RefusedResource as error:
        message = f"refused resource '{error.url}': {error.reason}"
        written = origin(project, rendered, error.url)
        if written is not None:
            raise ResourceError(Problem(project.relative(written[0]), f"{message} ({label})", written[1],
                                        kind="resource")) from error
        raise ResourceError(f"{label}: {message}") from error
    except FatalURLFetchingError as error:
        raise RenderError(f"{label}: {error}") from error
