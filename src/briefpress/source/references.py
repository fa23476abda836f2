"""Decide which files content, profiles and stylesheets may refer to, before anything is rendered."""

from __future__ import annotations

import hashlib
import io
import unicodedata
import warnings
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from ..errors import Problem
from ..sandbox import DATA_URL_CAP, FILE_CAP, Refused, Sandbox, data_url_size, read_regular
from . import css

__all__ = ["DATA_URL_CAP", "data_url_size", "image_problem", "link_problem", "stylesheet_problems"]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
LINK_SCHEMES = ("http", "https", "mailto")
MAX_IMAGE_PIXELS = 16_000_000  # a full A4 page at 300 dpi is 8.7 million
MAX_IMAGES = 50  # image references in one brief, so that layout stays bounded
MAX_SVG_NODES = 10_000  # elements drawn, every <use> expanded
MAX_SVG_BYTES = 2 * 1024 * 1024
RENDERED_MODES = {"1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I"}  # what WeasyPrint can embed
SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"


def image_problem(reference: str, base: Path, roots: tuple[Path, ...] | Sandbox) -> str | None:
    """Why an image (in `brief.md`, or a profile's logo) is refused, or None."""
    sandbox = roots if isinstance(roots, Sandbox) else Sandbox(roots)
    path = base / PurePosixPath(unquote(urlsplit(reference.strip()).path))
    problem = sandbox.reference_problem(reference, base)
    if problem:
        return _not_found(problem, path)
    suffix = path.suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        return f"'{suffix or 'no suffix'}' is not an image type; use {', '.join(IMAGE_SUFFIXES)}"
    try:
        data = read_regular(path.resolve(), MAX_SVG_BYTES if suffix == ".svg" else FILE_CAP)
    except Refused as refused:
        return _not_found(refused.reason, path)
    return _content_problem(hashlib.sha256(data).digest(), suffix, data)


def _not_found(problem: str, path: Path) -> str:
    """A problem, told apart when a file is not found under a name the folder holds in another
    Unicode normal form (NFD, as macOS writes names: «أ» as alef and hamza above)."""
    if problem != "file not found":
        return problem
    wanted = unicodedata.normalize("NFC", path.name)
    try:
        other = any(entry.name != path.name and unicodedata.normalize("NFC", entry.name) == wanted
                    for entry in path.parent.iterdir())
    except OSError:
        other = False
    return problem + ("; the folder holds a file of that name in another Unicode form (letters "
                      "decomposed, as macOS saves names): save it again under the name typed here"
                      if other else "")


_CHECKED: dict[tuple[bytes, str], str | None] = {}
_CHECKED_KEPT = 256  # images whose check is kept, by their bytes' digest


def _content_problem(digest: bytes, suffix: str, data: bytes) -> str | None:
    """Why an image's content is refused; decoded once per process for the same bytes, however
    often and wherever it is shown (a file saved again with its size and time is read again)."""
    key = (digest, suffix)
    if key not in _CHECKED:
        if len(_CHECKED) >= _CHECKED_KEPT:
            _CHECKED.clear()
        _CHECKED[key] = svg_problem(data) if suffix == ".svg" else raster_problem(data)
    return _CHECKED[key]


def raster_problem(data: bytes) -> str | None:
    """Why Pillow (which WeasyPrint uses) would fail on, or spend too much on, a raster image."""
    from PIL import Image, UnidentifiedImageError

    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 24 and data[24] == 16:
        return "a PNG with 16 bits per channel; save it with 8 bits per channel"
    too_big = f"over the limit of {MAX_IMAGE_PIXELS:,} pixels; scale it down"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the cap below is lower
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    return f"{width} x {height} pixels is {too_big}"
                if image.mode not in RENDERED_MODES:
                    return f"image mode {image.mode} cannot be embedded; save it as RGB or greyscale"
                image.verify()
    except Image.DecompressionBombError:
        return f"an image {too_big}"
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError):
        return "not a readable image (the file is damaged or not what its suffix says)"
    return None


def svg_problem(data: bytes) -> str | None:
    """Why an SVG is refused: unsafe XML, a reference outside the file, too many nodes, or text
    that it would draw wrong."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        return "an SVG with a DTD or entities; remove the <!DOCTYPE>"
    except ParseError as error:
        return f"not a readable SVG ({error})"
    if root.tag != f"{SVG_NAMESPACE}svg":
        return "not an SVG: its root element must be <svg> in the SVG namespace"
    for element in root.iter():
        for name, value in element.attrib.items():
            if name.rpartition("}")[2] == "href" and not value.strip().startswith("#"):
                return (f"an SVG reference '{value[:60]}' leaves the file; only '#id' references "
                        "inside the SVG are allowed")
            outside = _outside_references(value, stylesheet=False)
            if outside:
                return f"an SVG url({outside[0][:60]}) leaves the file; only url(#id) is allowed"
        if element.tag == f"{SVG_NAMESPACE}style" and _outside_references(element.text or "", True):
            return "an SVG <style> refers to another file; only url(#id) is allowed"
    try:
        nodes = _drawn_nodes(root)
    except RecursionError:
        return "an SVG nested too deeply; simplify it"
    if nodes > MAX_SVG_NODES:
        return (f"an SVG drawing more than {MAX_SVG_NODES:,} elements once every <use> is "
                "expanded; simplify it")
    return _right_to_left_text_problem(root)


def _right_to_left_text_problem(root: Element) -> str | None:
    """An SVG's text is drawn without shaping or bidi (WeasyPrint lays out no SVG text with
    Pango): Arabic or Hebrew letters would be printed, and copied, unjoined and reversed."""
    for element in root.iter(f"{SVG_NAMESPACE}text"):
        text = " ".join("".join(element.itertext()).split())
        if any(unicodedata.bidirectional(char) in ("R", "AL") for char in text):
            return (f"an SVG whose text '{text[:60]}' holds right-to-left letters, which an SVG "
                    "draws unjoined and in reverse order; draw that text as outlines, or give it "
                    "in the text")
    return None


def _outside_references(text: str, stylesheet: bool) -> list[str]:
    """The URLs a CSS value or stylesheet inside an SVG refers to, other than `#id`."""
    lowered = text.lower()
    if "url(" not in lowered and "src(" not in lowered and "@import" not in lowered:
        return []
    nodes = css.parse(text) if stylesheet else css.parse_value(text)
    return [url for _, url in css.references(nodes) if not url.strip().startswith("#")]


def _drawn_nodes(root: Element) -> int:
    """How many elements a renderer draws, every <use> expanded; stops counting past the cap."""
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    counts: dict[int, int] = {}
    active: set[int] = set()

    def count(element: Element) -> int:
        key = id(element)
        if key in counts:
            return counts[key]
        if key in active:
            return MAX_SVG_NODES + 1  # a <use> cycle never ends
        active.add(key)
        total = 1
        for child in element:
            total += count(child)
            if total > MAX_SVG_NODES:
                break
        if element.tag == f"{SVG_NAMESPACE}use":
            target = next((value for name, value in element.attrib.items()
                           if name.rpartition("}")[2] == "href"), "")
            if target.startswith("#") and target[1:] in by_id:
                total += count(by_id[target[1:]])
        active.discard(key)
        counts[key] = min(total, MAX_SVG_NODES + 1)
        return counts[key]

    return count(root)


def link_problem(reference: str) -> str | None:
    """Why a Markdown link is refused: only web, mail and in-document links are kept."""
    text = reference.strip()
    if text.startswith("#") and len(text) > 1:
        return None
    scheme = urlsplit(text).scheme.lower()
    if scheme in LINK_SCHEMES and not text.lower().startswith(f"{scheme}:///"):
        return None
    return "links may point to http(s) or mailto addresses or to '#anchors' only"


def stylesheet_problems(rules: list, path: Path, label: str, sandbox: Sandbox,
                        layered: Callable[[Path], Path] | None = None) -> list[Problem]:
    """Every refused `url(...)`, `src(...)` or `@import` in a parsed stylesheet, with its line.

    `layered` gives the file a page reads for a path (a project's `templates/brief/brief.css`
    that it does not have is the package's): a reference is checked where it is read."""
    problems = []
    for line, reference in css.references(rules):
        reason = sandbox.reference_problem(reference, path.parent, allow_data=True)
        parts = urlsplit(reference.strip())
        if parts.scheme or parts.path.startswith(("/", "\\")) or not parts.path:
            target = None  # a URL, an absolute path or no path: refused above, or data: allowed
        else:
            target = path.parent / PurePosixPath(unquote(parts.path))
            read = layered(target) if layered is not None else target
            if read != target and reason is not None:
                reason = sandbox.path_problem(read.absolute())  # the layer's file, not the project's
            target = read
        if reason is None and target is not None:
            reason = sandbox.url_problem(target.absolute().as_uri())  # only what a page needs
        if reason:
            problems.append(Problem(label, f"url '{_short(reference)}': {reason}", line,
                                    kind="resource"))
    return problems


def _short(reference: str, limit: int = 60) -> str:
    return reference if len(reference) <= limit else reference[:limit] + "..."
