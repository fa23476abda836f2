"""Where a URL the sandbox refused is written: the template or stylesheet line that names it.

WeasyPrint fetches an image, a stylesheet's `url()` or an `@import` from the HTML a template
made, so a refused one is known by its resolved URL alone. A template author with several
overrides needs the file and line: each `src`, `href` or `url()` value written in a template or
stylesheet of the document's cascade is resolved as WeasyPrint resolves it, and compared.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urljoin

from ..project import Project
from .html import RenderedHtml, search_path

_TEMPLATE_REFERENCE = re.compile(r"""\b(?:src|href|data|poster)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_STYLESHEET_REFERENCE = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^'")\s]+))\s*\)"""
                                   r"""|@import\s+(?:"([^"]*)"|'([^']*)')""")


def origin(project: Project, rendered: RenderedHtml, url: str) -> tuple[Path, int] | None:
    """The template or stylesheet, and its line, that names `url`, when exactly one line of the
    document's cascade does (a value built by an expression is not followed)."""
    base = project.url(rendered.base_url) + "/"
    found: set[tuple[Path, int]] = set()
    for path in _cascade(project, rendered.document, rendered.audience, ".j2"):
        found |= _naming(path, base, url, _TEMPLATE_REFERENCE, unescape=True)
    sheets = _cascade(project, rendered.document, rendered.audience, ".css")
    for path in dict.fromkeys([*rendered.stylesheets, *sheets]):
        found |= _naming(path, project.lookup_url(path), url, _STYLESHEET_REFERENCE)
    return found.pop() if len(found) == 1 else None


def _cascade(project: Project, document: str, audience: str | None, suffix: str) -> list[Path]:
    """Every file of `suffix` in the document's cascade of template folders, and below them (the
    top of templates/ alone, not its subfolders of other document kinds and audiences)."""
    found: dict[Path, None] = {}
    for folder in search_path(project, document, audience):
        pattern = f"*{suffix}" if folder.name == "templates" else f"**/*{suffix}"
        for path in sorted(folder.glob(pattern)) if folder.is_dir() else ():
            if "audiences" not in path.relative_to(folder).parts:
                found.setdefault(path)
    return list(found)


def _naming(path: Path, base: str, url: str, pattern: re.Pattern[str],
            unescape: bool = False) -> set[tuple[Path, int]]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return set()
    found = set()
    for number, line in enumerate(lines, start=1):
        for match in pattern.finditer(line):
            value = next(group for group in match.groups() if group is not None)
            if "{{" in value or "{%" in value:
                continue
            if urljoin(base, html.unescape(value) if unescape else value) == url:
                found.add((path, number))
    return found
