"""Lay out HTML into PDF bytes with WeasyPrint, isolated from system fonts and networks."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import RenderError, ResourceError
from .fonts import isolate_fontconfig
from .project import Project
from .render import RenderedHtml


@contextmanager
def _warnings_as_errors(label: str, project: Project) -> Iterator[None]:
    """Collect WeasyPrint's warnings during a render and fail it if there were any."""
    records: list[logging.LogRecord] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("weasyprint")
    handler = Collector(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if records:
        raise RenderError([f"{label}: WeasyPrint: {_relative(record.getMessage(), project)}"
                           for record in records])


def _relative(message: str, project: Project) -> str:
    """A message with the project's absolute paths and file URLs made relative to its root."""
    root = project.root.resolve()
    for prefix in (root.as_uri() + "/", str(root) + os.sep):
        message = message.replace(prefix, "")
    return message


def pdf_identifier(*parts: str) -> bytes:
    """A fixed 16-byte identifier derived from what the PDF is, for reproducible bytes."""
    return hashlib.md5("/".join(parts).encode("utf-8"), usedforsecurity=False).digest()


def render_pdf(project: Project, rendered: RenderedHtml, identifier: bytes, label: str) -> bytes:
    """The PDF bytes of one rendered document."""
    isolate_fontconfig(project.fonts_dir)
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    from .fetcher import RefusedResource, SandboxedFetcher

    fetcher = SandboxedFetcher((project.content_dir, project.templates_dir, project.fonts_dir))
    try:
        with _warnings_as_errors(label, project):
            stylesheets = [weasyprint.CSS(filename=str(path), url_fetcher=fetcher)
                           for path in rendered.stylesheets]
            stylesheets.append(weasyprint.CSS(string=rendered.audience_css,
                                              base_url=str(rendered.base_url) + os.sep,
                                              url_fetcher=fetcher))
            document = weasyprint.HTML(
                string=rendered.html,
                base_url=str(rendered.base_url) + os.sep,
                url_fetcher=fetcher,
            ).render(stylesheets=stylesheets)
            return document.write_pdf(pdf_identifier=identifier, pdf_tags=True,
                                      pdf_variant=rendered.pdf_variant)
    except RefusedResource as error:
        raise ResourceError(f"{label}: refused resource '{error.url}': {error.reason}") from error
    except FatalURLFetchingError as error:
        raise RenderError(f"{label}: {error}") from error


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class StagedWrites:
    """Files written to temporary names, renamed into place only once every one is ready.

    Used as a context manager: leaving the block with an exception removes the
    temporary files, so the files already in place stay byte-identical.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    def __enter__(self) -> StagedWrites:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.discard()

    def stage(self, path: Path, data: bytes) -> None:
        """Write `data` to a temporary file next to `path`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self._pending.append((Path(temporary), path))
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())

    def commit(self) -> list[Path]:
        """Rename every staged file into place; return the final paths."""
        done = []
        while self._pending:
            temporary, path = self._pending.pop(0)
            os.replace(temporary, path)
            done.append(path)
        return done

    def discard(self) -> None:
        """Remove every staged file not yet renamed."""
        for temporary, _ in self._pending:
            temporary.unlink(missing_ok=True)
        self._pending.clear()
