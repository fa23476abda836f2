"""Audience override folders that change nothing: a folder named for no audience, a template or
stylesheet that replaces no file of `templates/` and that no file of its folder reads.

A build reads an override only where its path mirrors a shared file (`layout.html`'s cascade and
`stylesheets`), so a misspelt folder or file name (`audiences/parlament/`, `brief/brif.html.j2`,
`breif/brief.css`) would leave the edition as the shared templates make it, without a word.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from ..errors import Problem
from ..project import Project, hidden
from ..sandbox import Refused
from ..source.audiences import DOCUMENTS
from .html import stylesheet_names

AUDIENCES = PurePosixPath("audiences")


def override_problems(project: Project, audiences: Iterable[str]) -> list[Problem]:
    """One problem for each override folder of the project's own `templates/audiences/` named
    for none of `audiences`, and for each template or stylesheet in one that is never read."""
    base = project.templates_dir / AUDIENCES
    if not base.is_dir():
        return []
    known = sorted(audiences)
    problems = []
    folders = sorted(path for path in base.iterdir() if path.is_dir() and not path.name.startswith("."))
    for folder in folders:
        if folder.name not in known:
            close = difflib.get_close_matches(folder.name, known, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else f"; the audiences: {', '.join(known)}"
            problems.append(Problem(project.relative(folder), f"an override folder of no audience: "
                                    f"there is no profile {project.relative(base / folder.name)}.yaml, "
                                    f"so nothing here is read{hint}", kind="template"))
            continue
        problems += _unread_files(project, folder)
    return problems


def _unread_files(project: Project, folder: Path) -> list[Problem]:
    files = [path for path in sorted(folder.rglob("*"))
             if path.is_file() and path.suffix in (".css", ".j2")
             and not hidden(PurePosixPath(path.relative_to(folder).as_posix()))]
    named = {name for path in files for name in _named(folder, path, _text(project, path))}
    problems = []
    for path in files:
        relative = PurePosixPath(path.relative_to(folder).as_posix())
        if _replaces(project, relative) or relative in named:
            continue
        problems.append(Problem(project.relative(path), "replaces no template or stylesheet, and no "
                                f"file of {project.relative(folder)}/ reads it, so it changes nothing; "
                                f"an override mirrors templates/ ({', '.join(_replaceable(project))})",
                                kind="template"))
    return problems


_TEMPLATE_NAME = re.compile(r"""{%-?\s*(?:include|import|from|extends)\s+['"]([^'"]+)['"]""")
_STYLESHEET_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


def _named(folder: Path, path: Path, text: str) -> set[PurePosixPath]:
    """The paths in the override `folder` that a template's include, import or extends, or a
    stylesheet's `@import` or `url()`, in `path` can read: a template name is looked for in the
    folder of each document kind and in the folder itself, a stylesheet's URL beside it."""
    if path.suffix == ".j2":
        names = [PurePosixPath(name) for name in _TEMPLATE_NAME.findall(text)]
        return {*names, *(PurePosixPath(document) / name for name in names for document in DOCUMENTS)}
    found = set()
    for url in _STYLESHEET_URL.findall(text):
        target = Path(os.path.normpath(path.parent / url))
        if target.is_relative_to(folder):
            found.add(PurePosixPath(target.relative_to(folder).as_posix()))
    return found


def _text(project: Project, path: Path) -> str:
    """A file's text, or nothing when the sandbox refuses it (the templates' and stylesheets' own
    checks name it)."""
    try:
        return project.read_text(path, "stylesheet" if path.suffix == ".css" else "template")
    except (Refused, UnicodeDecodeError):
        return ""


def _replaces(project: Project, relative: PurePosixPath) -> bool:
    """Whether a file at `relative` in an override folder is one a build reads in place of a
    shared file: a stylesheet exactly where the shared one lies; a template wherever the
    cascade of a document kind looks for one of that name (its own folder, or the folder above)."""
    if relative.suffix == ".css":
        return str(relative) in _stylesheets()
    parts = relative.parts
    names = [relative]
    if len(parts) > 1 and parts[0] in DOCUMENTS:
        names.append(PurePosixPath(*parts[1:]))
    else:
        names += [PurePosixPath(document, *parts) for document in DOCUMENTS]
    return any((templates / name).is_file() for templates in project.templates_dirs for name in names
               if name.parts[0] != AUDIENCES.name)


def _stylesheets() -> set[str]:
    return {name for document in DOCUMENTS for name in stylesheet_names(document)}


def _replaceable(project: Project) -> list[str]:
    """The shared templates and stylesheets an override folder can mirror."""
    found = {PurePosixPath(path.relative_to(templates).as_posix()) for templates in project.templates_dirs
             if templates.is_dir() for path in templates.rglob("*")
             if path.is_file() and path.suffix in (".css", ".j2")}
    return sorted(str(path) for path in found
                  if path.parts[0] != AUDIENCES.name and not hidden(path)
                  and (path.suffix == ".j2" or str(path) in _stylesheets()))
