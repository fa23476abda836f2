"""One containment rule: which files and URLs a build may read."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, unquote_to_bytes, urlsplit

DATA_URL_CAP = 64 * 1024  # bytes; a stylesheet's data: URL may hold a small icon, no more
FILE_CAP = 16 * 1024 * 1024  # bytes; no project file (image, font, stylesheet) is larger
NETWORK_SCHEMES = ("http", "https", "ftp", "ftps", "sftp", "ws", "wss", "gopher")


class Refused(Exception):
    """A file or URL the sandbox will not read; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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


def _resolve(path: Path) -> Path | None:
    """The real path, or None for a symlink loop."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return None


class Sandbox:
    """The folders a build may read from; every check of a path or URL goes through here."""

    def __init__(self, roots: tuple[Path, ...] | list[Path], data_cap: int = DATA_URL_CAP) -> None:
        self.roots = tuple(Path(os.path.normpath(root.absolute())) for root in roots)
        self.real_roots = tuple(_resolve(root) or root for root in self.roots)
        self.data_cap = data_cap
        names = [f"{root.name}/" for root in self.roots]
        self.where = (names[0] if len(names) == 1 else
                      f"the project's {', '.join(names[:-1])} and {names[-1]} folders")

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
        """Why a URL that reached the renderer may not be fetched, or None."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return self.data_problem(url)
        if scheme != "file":
            return (f"'{scheme or 'relative'}' URLs are never fetched; put the file under "
                    "content/ or templates/")
        if parts.netloc not in {"", "localhost"}:
            return "file: URLs on another host are never fetched"
        resolved = _resolve(Path(unquote(parts.path)))
        if resolved is None:
            return "a symlink loop"
        if not self._inside(resolved, self.real_roots):
            return f"outside {self.where}"
        return regular_file_problem(resolved)

    def read_url(self, url: str) -> bytes:
        """The bytes of a `file:` URL the sandbox allows; raise `Refused` otherwise."""
        problem = self.url_problem(url)
        if problem:
            raise Refused(problem)
        return read_regular(Path(unquote(urlsplit(url).path)).resolve())
