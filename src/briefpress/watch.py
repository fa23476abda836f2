"""Watch a project's inputs and act on every save (`briefpress watch` and `preview`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from .project import Project

DEBOUNCE_MS = 50  # changes this close together are one save (an editor writes a file in steps)


def watched_folders(project: Project) -> list[Path]:
    """The folders a build reads: content/, templates/ and fonts/ (those that exist)."""
    return [folder for folder in (project.content_dir, project.templates_dir, project.fonts_dir)
            if folder.is_dir()]


def saves(project: Project, stop: threading.Event | None = None) -> Iterator[set[Path]]:
    """The files changed by each save, as they come, after an empty set once the folders are
    watched (a save from then on is seen); Ctrl-C ends the wait with KeyboardInterrupt."""
    from watchfiles import watch

    started = False
    for changes in watch(*watched_folders(project), debounce=DEBOUNCE_MS, step=20, stop_event=stop,
                         yield_on_timeout=True, rust_timeout=250):
        if changes or not started:
            started = True
            yield {Path(path) for _, path in changes}


def touches_fonts(project: Project, changed: set[Path]) -> bool:
    """Whether a save changed the project's fonts/ (the package's do not change)."""
    fonts = str(project.fonts_dir.resolve())
    return any(str(path.resolve()).startswith(fonts) or project.fonts_dir in path.parents
               for path in changed)


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
