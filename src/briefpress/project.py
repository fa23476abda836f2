"""Where a project's content, templates, fonts and outputs live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from .sandbox import FILE_CAP, Sandbox, decode_text

#: WeasyPrint names a project file by this URL root instead of the checkout's path, so the
#: bytes of a PDF (image names are hashes of URLs) do not depend on where the project lies.
PROJECT_URL_ROOT = "file:///briefpress-project/"


@dataclass(frozen=True)
class Project:
    """The folders of one briefpress project."""

    root: Path

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def fonts_dir(self) -> Path:
        return self.root / "fonts"

    def sandbox(self) -> Sandbox:
        """What a build may read: content, templates and fonts, nothing else, each kind of file
        from its own folders."""
        content, templates, fonts = self.content_dir, self.templates_dir, self.fonts_dir
        return Sandbox((content, templates, fonts), kinds={
            "source": (content,), "image": (content, templates), "font": (fonts,),
            "stylesheet": (templates,), "template": (templates,), "colour profile": (templates,),
            "profile": (templates / "audiences",), "numbering": (templates,)},
            base=Path(os.path.normpath(self.root.absolute())))

    def read_bytes(self, path: Path, kind: str, cap: int = FILE_CAP) -> bytes:
        """A project file's bytes, once the sandbox has checked it as a file of `kind`;
        raise `Refused` otherwise."""
        return self.sandbox().read(path, kind, cap)

    def read_text(self, path: Path, kind: str, cap: int = FILE_CAP) -> str:
        """A project file's UTF-8 text (a leading BOM dropped), read as `read_bytes` reads it."""
        return decode_text(self.read_bytes(path, kind, cap))

    def relative(self, path: Path) -> str:
        """A path as users see it in messages: relative to the project root.

        The path as written is tried first, so a symlink is named where it lies.
        """
        for candidate, root in ((Path(os.path.normpath(path.absolute())),
                                 Path(os.path.normpath(self.root.absolute()))),
                                (path.resolve(), self.root.resolve())):
            try:
                return str(candidate.relative_to(root))
            except ValueError:
                continue
        return str(path)

    def url(self, path: Path) -> str:
        """The checkout-independent URL of a file under the project root (else its file: URL)."""
        relative = Path(self.relative(path))
        if relative.is_absolute():
            return path.resolve().as_uri()
        return PROJECT_URL_ROOT + quote(relative.as_posix())

    def path_of(self, url: str) -> Path | None:
        """The file a project URL names, or None if `url` is not one (not checked for containment)."""
        if not url.startswith(PROJECT_URL_ROOT):
            return None
        relative = PurePosixPath(unquote(urlsplit(url).path)).relative_to(
            PurePosixPath(urlsplit(PROJECT_URL_ROOT).path))
        return self.root.joinpath(*relative.parts)


def find_project(start: Path | None = None) -> Project:
    """The project whose root holds `content/` and `templates/`, searching upwards."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "content").is_dir() and (folder / "templates").is_dir():
            return Project(folder)
    return Project(here)
