"""One containment rule: which files and URLs a build may read, and as what.

Every project file is read through a `Sandbox`, for one kind of file (a font, an image, a
stylesheet, a colour profile, a template, a profile, a content source): its path must
stay inside the folders that kind may lie in, symlinks followed, before it is opened; its
name, written and resolved, must carry that kind's suffix; its first bytes must be what
that kind's files start with. WeasyPrint's fetcher is served fonts, images, stylesheets
and colour profiles only, never a content source, a profile or a template.
"""

from __future__ import annotations

import base64
import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, unquote_to_bytes, urlsplit

DATA_URL_CAP = 64 * 1024  # bytes; a stylesheet's data: URL may hold a small icon, no more
FILE_CAP = 16 * 1024 * 1024  # bytes; no project file (image, font, stylesheet) is larger
NETWORK_SCHEMES = ("http", "https", "ftp", "ftps", "sftp", "ws", "wss", "gopher")


def _is_font(data: bytes) -> bool:
    return data[:4] in (b"\0\1\0\0", b"OTTO", b"true", b"ttcf", b"wOFF", b"wOF2")


def _any_bytes(data: bytes) -> bool:
    return True  # a text file: decoding it as UTF-8 names the first bad byte


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return "\0" not in text


def _is_image(data: bytes) -> bool:
    rasters = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
    if data.startswith(rasters) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return True
    return _is_text(data) and "<svg" in data[:65536].decode("utf-8", "ignore")


def _is_colour_profile(data: bytes) -> bool:
    return len(data) >= 128 and data[36:40] == b"acsp"


@dataclass(frozen=True)
class FileKind:
    """One kind of file a build reads: what messages call it, its suffixes, and how it starts."""

    noun: str
    suffixes: tuple[str, ...]
    starts_right: Callable[[bytes], bool]


FILE_KINDS: dict[str, FileKind] = {
    "font": FileKind("a font", (".ttf", ".otf"), _is_font),
    "image": FileKind("an image", (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"), _is_image),
    "stylesheet": FileKind("a stylesheet", (".css",), _any_bytes),
    "colour profile": FileKind("a colour profile", (".icc", ".icm"), _is_colour_profile),
    "template": FileKind("a template", (".j2",), _any_bytes),
    "profile": FileKind("an audience profile", (".yaml",), _any_bytes),
    "numbering": FileKind("a numbering file", (".yaml",), _any_bytes),
    "source": FileKind("a content source", (".md", ".yaml"), _any_bytes),
}
#: What WeasyPrint's fetcher may be served: what a page needs, and no source it is made from.
RENDERER_KINDS = ("font", "image", "stylesheet", "colour profile")


class Refused(Exception):
    """A file or URL the sandbox will not read; `reason` says why, `line` where when known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def data_url_size(url: str) -> int:
    """The decoded size in bytes of a `data:` URL's payload."""
    header, _, payload = url.partition(",")
    if header.lower().endswith(";base64"):
        try:
            return len(base64.b64decode(unquote(payload), validate=False))
        except ValueError:
            return len(payload)
    return len(unquote_to_bytes(payload))


def regular_file_problem(path: Path, cap: int = FILE_CAP) -> str | None:
    """Why `path` cannot be read as a regular file of at most `cap` bytes, or None.

    A FIFO would block the build, a device such as /dev/zero never ends: only
    regular files are read.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return "file not found"
    except RuntimeError:
        return "a symlink loop"
    except OSError as error:
        if error.errno == 40:  # ELOOP
            return "a symlink loop"
        return f"cannot be read ({error.strerror or error})"
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a FIFO, device or socket); only regular files are read"
    if info.st_size > cap:
        return f"{info.st_size} bytes is over the limit of {cap} bytes"
    return None


def read_regular(path: Path, cap: int = FILE_CAP) -> bytes:
    """The bytes of a regular file of at most `cap` bytes; raise `Refused` otherwise."""
    problem = regular_file_problem(path, cap)
    if problem:
        raise Refused(problem)
    try:
        with path.open("rb") as stream:
            data = stream.read(cap + 1)
    except PermissionError as error:
        raise Refused("cannot be read (permission denied)") from error
    except OSError as error:
        raise Refused(f"cannot be read ({error.strerror or error})") from error
    if len(data) > cap:
        raise Refused(f"over the limit of {cap} bytes")
    return data


def _utf16_without_mark(data: bytes) -> bool:
    """Whether `data` is UTF-16 saved without a byte order mark: ASCII and Arabic text so saved is
    valid UTF-8 too, letters among NULs. Such bytes are NULs in a good part (every space and
    line end has one) and read as UTF-16 text with spaces or line ends and no control character."""
    if data.count(0) * 32 < len(data) or len(data) % 2:
        return False
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if (" " in text or "\n" in text) and not any(ord(c) < 32 and c not in "\t\n\r" for c in text):
            return True
    return False


def decode_text(data: bytes) -> str:
    """UTF-8 text, a leading byte order mark dropped; raise `Refused` naming the first bad byte
    by its line and column (a UTF-16 file, as Windows saves "Unicode" text, by its encoding)."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
        if _utf16_without_mark(data):
            raise Refused("UTF-16 text without a byte order mark, not UTF-8; save the file as UTF-8", 1)
        return text
    except UnicodeDecodeError as error:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise Refused("UTF-16 text, not UTF-8; save the file as UTF-8", 1) from None
        start = data.rfind(b"\n", 0, error.start) + 1
        raise Refused(f"not UTF-8: byte 0x{data[error.start]:02X} at column {error.start - start + 1}; "
                      "save the file as UTF-8", data.count(b"\n", 0, error.start) + 1) from None


def _resolve(path: Path) -> Path | None:
    """The real path, or None for a symlink loop."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return None


class Sandbox:
    """The folders a build may read from; every check of a path or URL goes through here.

    `kinds` maps a kind of file to the folders it may lie in (the project's layout); a kind
    it does not name may lie in any of `roots`.
    """

    def __init__(self, roots: tuple[Path, ...] | list[Path], data_cap: int = DATA_URL_CAP,
                 kinds: Mapping[str, tuple[Path, ...]] | None = None, base: Path | None = None) -> None:
        self.roots = tuple(Path(os.path.normpath(root.absolute())) for root in roots)
        self.real_roots = tuple(_resolve(root) or root for root in self.roots)
        self.data_cap = data_cap
        self.kinds = dict(kinds or {})
        self.base = base
        self.where = _where(self.roots, base)

    def for_kind(self, kind: str) -> Sandbox:
        """The sandbox narrowed to the folders one kind of file may lie in."""
        if kind not in self.kinds:
            return self
        return Sandbox(self.kinds[kind], self.data_cap, base=self.base)

    def file_problem(self, path: Path, kind: str) -> str | None:
        """Why `path` may not be read as a file of `kind`, or None; nothing is opened."""
        expected = FILE_KINDS[kind]
        narrowed = self.for_kind(kind)
        outside = narrowed.path_problem(path, check_file=False)
        if outside:
            return outside
        resolved = _resolve(Path(os.path.normpath(path.absolute()))) or path
        for name in (path, resolved):
            if name.suffix.lower() not in expected.suffixes:
                return (f"'{name.name}' is not {expected.noun}: {expected.noun} is read only from a "
                        f"file named *{', *'.join(expected.suffixes)}")
        return regular_file_problem(resolved)

    def read(self, path: Path, kind: str, cap: int = FILE_CAP) -> bytes:
        """The bytes of a file of `kind`, checked before it is opened; raise `Refused` otherwise."""
        problem = self.file_problem(path, kind)
        if problem:
            raise Refused(problem)
        data = read_regular(path.resolve(), cap)
        if not FILE_KINDS[kind].starts_right(data):
            raise Refused(f"its bytes are not those of {FILE_KINDS[kind].noun}")
        return data

    def _inside(self, path: Path, roots: tuple[Path, ...]) -> bool:
        return any(path == root or path.is_relative_to(root) for root in roots)

    def path_problem(self, path: Path, check_file: bool = True) -> str | None:
        """Why an absolute path may not be read, or None: it must stay inside, symlinks followed."""
        lexical = Path(os.path.normpath(path.absolute()))
        if not self._inside(lexical, self.roots):
            return f"'..' leads outside {self.where}"
        resolved = _resolve(lexical)
        if resolved is None:
            return "a symlink loop"
        if not self._inside(resolved, self.real_roots):
            return f"a symlink leads outside {self.where}"
        return regular_file_problem(resolved) if check_file else None

    def reference_problem(self, reference: str, base: Path, allow_data: bool = False) -> str | None:
        """Why a reference written in a source file is refused, or None when it may be read.

        `base` is the folder relative paths start from. `data:` URLs are refused
        unless `allow_data`, and then only up to the data cap.
        """
        text = reference.strip()
        if not text:
            return "empty reference"
        parts = urlsplit(text)
        scheme = parts.scheme.lower()
        if scheme == "data":
            if not allow_data:
                return ("data: URLs are not allowed; save the file next to the text and refer to "
                        "it by name")
            return self.data_problem(text)
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
        return self.path_problem(base.absolute() / PurePosixPath(path))

    def data_problem(self, url: str) -> str | None:
        """Why a `data:` URL is too big, or None."""
        size = data_url_size(url)
        if size > self.data_cap:
            return f"data: URL of {size} bytes is over the {self.data_cap}-byte cap"
        return None

    def url_problem(self, url: str) -> str | None:
        """Why a URL that reached the renderer may not be fetched, or None.

        Only what a page needs is served: fonts, images, stylesheets and colour profiles.
        """
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return self.data_problem(url)
        if scheme != "file":
            return (f"'{scheme or 'relative'}' URLs are never fetched; put the file under "
                    "content/ or templates/")
        if parts.netloc not in {"", "localhost"}:
            return "file: URLs on another host are never fetched"
        path = Path(unquote(parts.path))
        resolved = _resolve(path)
        if resolved is None:
            return "a symlink loop"
        if not self._inside(resolved, self.real_roots):
            return f"outside {self.where}"
        kind = _renderer_kind(path)
        if kind is None:
            return (f"'{path.name}' is not served to pages: only fonts, images, stylesheets and "
                    "colour profiles are")
        return self.file_problem(path, kind)

    def read_url(self, url: str) -> bytes:
        """The bytes of a `file:` URL the sandbox allows; raise `Refused` otherwise."""
        problem = self.url_problem(url)
        if problem:
            raise Refused(problem)
        path = Path(unquote(urlsplit(url).path))
        return self.read(path, _renderer_kind(path) or "")


def _renderer_kind(path: Path) -> str | None:
    """The kind of file the renderer may be served under this name, or None."""
    return next((kind for kind in RENDERER_KINDS if path.suffix.lower() in FILE_KINDS[kind].suffixes),
                None)


def _where(roots: tuple[Path, ...], base: Path | None) -> str:
    """The folders as messages name them: relative to `base` (the project), else by name."""
    names = list(dict.fromkeys(
        f"{root.relative_to(base).as_posix() if base and root.is_relative_to(base) else root.name}/"
        if base is None or root.is_relative_to(base) else f"package:{root.name}/" for root in roots))
    if len(names) == 1:
        return names[0]
    return f"the project's {', '.join(names[:-1])} and {names[-1]} folders"
