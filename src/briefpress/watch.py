"""Watch a project's inputs and act on every save (`briefpress watch` and `preview`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

from .project import Project

DEBOUNCE_MS = 50  # changes this close together are one save (an editor writes a file in steps)
POLL_S = 0.25  # how often a project with none of the folders is looked at again


def watched_folders(project: Project) -> list[Path]:
    """The folders a build reads: content/, templates/ and fonts/ (those that exist)."""
    return [folder for folder in (project.content_dir, project.templates_dir, project.fonts_dir)
            if folder.is_dir()]


def _folders_now(project: Project) -> dict[Path, int]:
    """Each folder a build reads that exists, with its inode: one made (or made again) since the
    watch began is not watched yet."""
    found: dict[Path, int] = {}
    for folder in watched_folders(project):
        try:
            found[folder] = folder.stat().st_ino
        except OSError:
            continue
    return found


def saves(project: Project, stop: threading.Event | None = None) -> Iterator[set[Path]]:
    """The files changed by each save, as they come, after an empty set once the folders are
    watched (a save from then on is seen); Ctrl-C ends the wait with KeyboardInterrupt.

    A folder that appears (fonts/ added to a project that had none) or is made again is
    watched from then on, and counts as a save of that folder."""
    from watchfiles import watch

    started = False
    pending: set[Path] = set()  # folders that appeared or went, told once watched again
    while stop is None or not stop.is_set():
        folders = _folders_now(project)
        if not folders:
            if not started or pending:
                started, told, pending = True, pending, set()
                yield told
            time.sleep(POLL_S)
            continue
        for changes in watch(*folders, debounce=DEBOUNCE_MS, step=20, stop_event=stop,
                             yield_on_timeout=True, rust_timeout=250):
            changed, pending = pending | {Path(path) for _, path in changes}, set()
            if changed or not started:
                started = True
                yield changed
            now = _folders_now(project)
            if now != folders:
                pending = {folder for folder in {*now, *folders} if now.get(folder) != folders.get(folder)}
                break


def fonts_state(project: Project) -> str:
    """The digest of every font a build of `project` reads (its fonts/ and the package's): when it
    is not the one the fonts in this process were read with, they are to be forgotten, whether
    or not a save under fonts/ was seen."""
    from .output.cache import fonts_digest

    return fonts_digest(*project.font_dirs)


def forget_fonts() -> None:
    """Drop every font read and remembered in this process, after an edit to fonts/."""
    from .fonts.identity import forget_fonts as forget_identities
    from .fonts.registry import load_registry
    from .output.glyphtext import glyph_texts
    from .output.pdftext import blank_glyphs

    load_registry.cache_clear()
    forget_identities()
    glyph_texts.cache_clear()
    blank_glyphs.cache_clear()
