"""Decide which files content and stylesheets may refer to, before anything is rendered."""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from ..errors import Problem

DATA_URL_CAP = 64 * 1024  # bytes; a stylesheet's data: URL may hold a small icon, no more
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
LINK_SCHEMES = ("http", "https", "mailto")
NETWORK_SCHEMES = ("http", "https", "ftp", "ftps", "sftp", "ws", "wss", "gopher")


def inside(path: Path, roots: tuple[Path, ...]) -> bool:
    """Whether `path` lies in one of `roots` (both taken as given, not resolved)."""
    return any(path == root or path.is_relative_to(root) for root in roots)


def data_url_size(url: str) -> int:
    """The decoded size in bytes of a `data:` URL's payload."""
    header, _, payload = url.partition(",")
    if header.lower().endswith(";base64"):
        try:
            return len(base64.b64decode(unquote(payload), validate=False))
        except ValueError:
            return len(payload)
    return len(unquote_to_bytes(payload))


def reference_problem(reference: str, base: Path, roots: tuple[Path, ...],
                      data_cap: int | None = None) -> str | None:
    """Why a reference to a local file is refused, or None when it may be fetched.

    `base` is the folder relative paths start from; `roots` are the folders the
    file must stay in, both as written and with symlinks followed. `data:` URLs are refused
    unless `data_cap` allows their size.
    """
    text = reference.strip()
    if not text:
        return "empty reference"
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme == "data":
        if data_cap is None:
            return "data: URLs are not allowed; save the file next to the text and refer to it by name"
        size = data_url_size(text)
        if size > data_cap:
            return f"data: URL of {size} bytes is over the {data_cap}-byte cap"
        return None
    if scheme in NETWORK_SCHEMES or text.startswith("//"):
        return (f"'{scheme or '//'}' URLs are never fetched; save the file in the project "
                "and use a relative path")
    if scheme == "file":
        return "file: URLs are not allowed; use a path relative to the file that refers to it"
    if scheme:
        return f"'{scheme}:' URLs are not allowed; use a relative path"
    path = unquote(parts.path)
    if not path:
        return "no file path"
    if path.startswith("/") or path.startswith("\\"):
        return "absolute paths are not allowed; use a path relative to the file that refers to it"
    target = base.absolute() / PurePosixPath(path)
    lexical_roots = tuple(Path(os.path.normpath(root.absolute())) for root in roots)
    if not inside(Path(os.path.normpath(target)), lexical_roots):
        return "'..' leads outside the project's content/ and templates/ folders"
    resolved = target.resolve()
    if not inside(resolved, tuple(root.resolve() for root in roots)):
        return "a symlink leads outside the project's content/ and templates/ folders"
    if not resolved.is_file():
        return "file not found"
    return None


def image_problem(reference: str, base: Path, roots: tuple[Path, ...]) -> str | None:
    """Why an image in `brief.md` is refused, or None."""
    problem = reference_problem(reference, base, roots)
    if problem:
        return problem
    path = PurePosixPath(unquote(urlsplit(reference.strip()).path))
    suffix = path.suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        return f"'{suffix or 'no suffix'}' is not an image type; use {', '.join(IMAGE_SUFFIXES)}"
    if suffix != ".svg" and not _readable_raster(base / path):
        return "not a readable image (the file is damaged or not what its suffix says)"
    return None


def _readable_raster(path: Path) -> bool:
    """Whether Pillow (which WeasyPrint uses for raster images) can read the file."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        return False
    return True


def link_problem(reference: str) -> str | None:
    """Why a Markdown link is refused: only web, mail and in-document links are kept."""
    text = reference.strip()
    if text.startswith("#") and len(text) > 1:
        return None
    scheme = urlsplit(text).scheme.lower()
    if scheme in LINK_SCHEMES and not text.lower().startswith(f"{scheme}:///"):
        return None
    return "links may point to http(s) or mailto addresses or to '#anchors' only"


_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def stylesheet_problems(path: Path, label: str, roots: tuple[Path, ...]) -> list[Problem]:
    """Every refused `url(...)` or `@import` in a stylesheet, with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # reported where the stylesheet is loaded
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern in (_CSS_URL, _CSS_IMPORT):
            for match in pattern.finditer(line):
                reference = next(group for group in match.groups() if group is not None)
                reason = reference_problem(reference, path.parent, roots, DATA_URL_CAP)
                if reason:
                    problems.append(Problem(label, f"url '{_short(reference)}': {reason}", number))
    return problems


def _short(reference: str, limit: int = 60) -> str:
    return reference if len(reference) <= limit else reference[:limit] + "..."
