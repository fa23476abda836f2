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
#: ... and a file of the package's defaults by this one, wherever briefpress is installed.
PACKAGE_URL_ROOT = "file:///briefpress-package/"
#: Messages name a file of the package's defaults with this prefix, a project file without one.
PACKAGE_LABEL = "package:"
#: The file that marks a project folder made by `briefpress init`.
MARKER = "briefpress.toml"


TEMPLATE_SUFFIXES = (".css", ".j2")  # the files under templates/ a build reads, but profiles


def hidden(path: PurePosixPath | Path) -> bool:
    """Whether a path below a folder names a hidden file or folder (`.#press.yaml`, the lock an
    editor keeps beside a file with unsaved changes): never a template, stylesheet or profile."""
    return any(part.startswith(".") for part in path.parts)


@dataclass(frozen=True)
class Project:
    """The folders of one briefpress project, and the package's defaults it falls back on.

    A file under `templates/` or `fonts/` is looked for in the project first, then in
    `defaults` (the package's data folder), path by path. A project without `defaults` (a
    checkout of this repository, a test's copy of it) holds every file it builds with.
    """

    root: Path
    defaults: Path | None = None

    @property
    def exists(self) -> bool:
        """Whether the root is a project: marked by `briefpress.toml`, or holding `content/`."""
        return (self.root / MARKER).is_file() or self.content_dir.is_dir()

    @property
    def layers(self) -> tuple[Path, ...]:
        """The folders files are looked for in, the project's first."""
        return (self.root,) if self.defaults is None else (self.root, self.defaults)

    def find(self, relative: str | Path) -> Path:
        """The first layer's file at `relative` (e.g. `templates/base.css`); the project's path
        when no layer has it, so messages name the file the project could add."""
        for layer in self.layers:
            path = layer / relative
            if os.path.lexists(path):
                return path
        return self.root / relative

    def files(self, folder: str, pattern: str) -> list[Path]:
        """Every file matching `pattern` (a glob, `**` allowed) under `folder` of any layer, one per
        path below `folder`: the project's where it has one, else the package's; hidden ones left out."""
        found: dict[PurePosixPath, Path] = {}
        for layer in self.layers:
            base = layer / folder
            for path in sorted(base.glob(pattern)):
                relative = PurePosixPath(path.relative_to(base).as_posix())
                if not hidden(relative):
                    found.setdefault(relative, path)
        return [found[key] for key in sorted(found)]

    def misnamed_templates(self) -> list[Path]:
        """Files under the project's `templates/` named as a template or stylesheet but for the
        case of their suffix (`base.CSS`, `brief.html.J2`): never read, an override so named
        would change nothing, without a word."""
        return [path for path in sorted((self.root / "templates").rglob("*"))
                if path.suffix.lower() in TEMPLATE_SUFFIXES and path.suffix not in TEMPLATE_SUFFIXES
                and not hidden(path.relative_to(self.root))]

    @property
    def templates_dirs(self) -> tuple[Path, ...]:
        """`templates/` of each layer, the project's first."""
        return tuple(layer / "templates" for layer in self.layers)

    @property
    def font_dirs(self) -> tuple[Path, ...]:
        """`fonts/` of each layer, the project's first."""
        return tuple(layer / "fonts" for layer in self.layers)

    @property
    def audiences_dir(self) -> Path:
        """The folder of audience profiles: the project's, when it has one, else the package's.

        The folder is taken whole, so a project decides which editions exist.
        """
        own = self.templates_dir / "audiences"
        if self.defaults is None or os.path.lexists(own):
            return own
        return self.defaults / "templates" / "audiences"

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
        from its own folders; of the package's defaults, its templates and fonts."""
        content, templates, fonts = self.content_dir, self.templates_dirs, self.font_dirs
        return Sandbox((content, *templates, *fonts), kinds={
            "source": (content,), "image": (content, *templates), "font": fonts,
            "stylesheet": templates, "template": templates, "colour profile": templates,
            "profile": tuple(folder / "audiences" for folder in templates), "numbering": templates},
            base=Path(os.path.normpath(self.root.absolute())))

    def read_bytes(self, path: Path, kind: str, cap: int = FILE_CAP) -> bytes:
        """A project file's bytes, once the sandbox has checked it as a file of `kind`;
        raise `Refused` otherwise."""
        return self.sandbox().read(path, kind, cap)

    def read_text(self, path: Path, kind: str, cap: int = FILE_CAP) -> str:
        """A project file's UTF-8 text (a leading BOM dropped), read as `read_bytes` reads it."""
        return decode_text(self.read_bytes(path, kind, cap))

    def _within(self, path: Path) -> tuple[int, str] | None:
        """(layer index, path relative to it) of a path under a layer, else None.

        The path as written is tried first, so a symlink is named where it lies.
        """
        for resolved in (False, True):
            candidate = path.resolve() if resolved else Path(os.path.normpath(path.absolute()))
            for index, layer in enumerate(self.layers):
                root = layer.resolve() if resolved else Path(os.path.normpath(layer.absolute()))
                try:
                    return index, str(candidate.relative_to(root))
                except ValueError:
                    continue
        return None

    def relative(self, path: Path) -> str:
        """A path as users see it in messages: relative to the project root, or, for a file of
        the package's defaults, relative to them after `package:`."""
        within = self._within(path)
        if within is None:
            return str(path)
        index, relative = within
        return relative if index == 0 else PACKAGE_LABEL + relative

    def locate(self, label: str) -> Path:
        """The file a label of `relative` (or of `fetched_label`) names (an absolute path stays
        as it is). A project label under templates/ or fonts/ is looked up layer by layer, as
        `find` does: a project file added in front of the package's is the file it names now."""
        if label.startswith(PACKAGE_LABEL) and self.defaults is not None:
            return self.defaults / label.removeprefix(PACKAGE_LABEL)
        path = Path(label)
        if path.is_absolute():
            return path
        if path.parts[:1] in (("templates",), ("fonts",)):
            return self.find(path)
        return self.root / label

    def label_url(self, label: str) -> str:
        """The URL that reads again the file a label of `fetched_label` names."""
        if label.startswith(PACKAGE_LABEL) or Path(label).is_absolute():
            return self.url(self.locate(label))
        return self.url(self.root / label)

    def fetched_label(self, url: str, served: Path) -> str:
        """The label a file read at `url` (served from `served`) is recorded under: for a
        project URL, the path the URL names in the project, even when the package's file was
        served because the project has none (`locate` looks it up again, layer by layer, so a
        project file added there later is seen as a change); else `served`'s label."""
        if url.startswith(PROJECT_URL_ROOT):
            relative = PurePosixPath(unquote(urlsplit(url).path)).relative_to(
                PurePosixPath(urlsplit(PROJECT_URL_ROOT).path))
            return self.relative(self.root.joinpath(*relative.parts))
        return self.relative(served)

    def output_problem(self, out_dir: Path) -> str | None:
        """Why a build or `copies` may not write into `out_dir`, or None: the package's templates/
        and fonts/ are read by every project and written by none; the project's content/,
        templates/ and fonts/ are what its builds read, so a build writing there would find its
        own PDFs a change to build again (and `watch` would build without end)."""
        target = Path(os.path.realpath(out_dir))
        for folder in ("content", "templates", "fonts"):
            own = Path(os.path.realpath(self.root / folder))
            if target == own or own in target.parents:
                return (f"is inside the project's {folder}/, which every build reads; "
                        "choose an output folder outside it")
        if self.defaults is None:
            return None
        for folder in ("templates", "fonts"):
            shared = Path(os.path.realpath(self.defaults / folder))
            if target == shared or shared in target.parents:
                return (f"is inside the package's {folder}/ ({shared}), which every project reads; "
                        "choose an output folder outside it")
        return None

    def url(self, path: Path) -> str:
        """The checkout-independent URL of a file under the project root or the package's
        defaults (else its file: URL)."""
        within = self._within(path)
        if within is None:
            return path.resolve().as_uri()
        index, relative = within
        return (PROJECT_URL_ROOT, PACKAGE_URL_ROOT)[index] + quote(PurePosixPath(Path(relative)).as_posix())

    def lookup_url(self, path: Path) -> str:
        """The URL a stylesheet (or its folder) is read at, so that what its relative URLs name is
        looked up layer by layer as `find` does: a package default is read at the project's path,
        and its `@import url("../../../brief/brief.css")` reads the project's file when there is one."""
        within = self._within(path)
        if within is None or within[0] == 0:
            return self.url(path)
        return PROJECT_URL_ROOT + quote(PurePosixPath(Path(within[1])).as_posix())

    def path_of(self, url: str) -> Path | None:
        """The file a project or package URL names, or None if `url` is neither (not checked
        for containment). A project URL under templates/ or fonts/ that names no project file
        names the package's file of that path, as `find` does."""
        for root, layer in zip((PROJECT_URL_ROOT, PACKAGE_URL_ROOT), self.layers, strict=False):
            if url.startswith(root):
                relative = PurePosixPath(unquote(urlsplit(url).path)).relative_to(
                    PurePosixPath(urlsplit(root).path))
                if layer == self.root and relative.parts[:1] in (("templates",), ("fonts",)):
                    return self.find(Path(*relative.parts))
                return layer.joinpath(*relative.parts)
        return None


def find_project(start: Path | None = None) -> Project:
    """The project, searching upwards: a folder marked by `briefpress.toml` (it falls back on the
    package's defaults), or one holding `content/` and `templates/` (it holds all it needs)."""
    from .defaults import package_data

    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return Project(folder, _other(package_data(), folder))
        if (folder / "content").is_dir() and (folder / "templates").is_dir():
            return Project(folder)
    # No project: `check` and `impose` still read a PDF anywhere, against the package's fonts.
    return Project(here, _other(package_data(), here))


def _other(defaults: Path | None, root: Path) -> Path | None:
    """The package's defaults, unless they are the project itself (a marked checkout)."""
    if defaults is None or defaults.resolve() == root.resolve():
        return None
    return defaults
