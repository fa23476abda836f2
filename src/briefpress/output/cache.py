"""Remember what each PDF was made from, so that a rebuild makes only what changed.

Two checks, both conservative (anything unknown or unreadable means "make it again"):

- The whole project: the digest of every file under content/, templates/ and fonts/, the
  code and the libraries (`code_fingerprint`) and the build's selection. When it is the one
  the last build into the folder recorded, every PDF that build made is still there with its
  bytes and the numbered copies beside them are of those bytes, nothing is loaded, validated or
  rendered (`unchanged_build`).
- Each PDF: the digest of what its render reads (`target_key`: the document's HTML and
  audience CSS, the audience's profile as parsed, fonts, code and libraries, the ICC profile
  or attached sources its variant adds) and of every project file WeasyPrint fetched for it
  (stylesheets, images). A PDF whose key and fetched files are unchanged, and whose file
  still has the bytes recorded, is kept as it is.

The record is `<out>/.briefpress/cache.json`, written under the output folder's lock after a
build commits. It never decides alone: a record whose PDF is missing or changed is ignored.
Only the standard library is imported here, so an unchanged build starts in a blink.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__
from ..fonts import FONT_SUFFIXES
from .copyindex import stale_copies
from .manifest import read_manifest
from .staging import WORK_NAME, OutputFolder, write_atomically

CACHE_NAME = "cache.json"
FORMAT = 1
INPUT_FOLDERS = ("content", "templates", "fonts")
MAX_HASHED = 256 * 1024 * 1024  # a larger input file is not hashed: the build reads it, or refuses it
#: The native libraries WeasyPrint lays out and subsets with: (soname, version function).
LIBRARIES = (("libpango-1.0.so.0", "pango_version_string"), ("libharfbuzz.so.0", "hb_version_string"),
             ("libharfbuzz-subset.so.0", "hb_version_string"), ("libfontconfig.so.1", "FcGetVersion"))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _library_version(soname: str, function: str) -> str | None:
    try:
        call = getattr(ctypes.CDLL(soname), function)
    except (OSError, AttributeError):
        return None
    if function == "FcGetVersion":
        call.restype = ctypes.c_int
        return str(call())
    call.restype = ctypes.c_char_p
    value = call()
    return value.decode("ascii", "replace") if value else None


@cache
def code_fingerprint() -> str:
    """What the code that makes a PDF is: briefpress (its version and its files), Python, every
    installed distribution's version, and the native libraries WeasyPrint calls."""
    package = Path(__file__).resolve().parent.parent
    files = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            files.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    parts = {"briefpress": __version__, "files": files.hexdigest(), "python": sys.version,
             "distributions": installed_distributions(),
             "libraries": [_library_version(name, function) for name, function in LIBRARIES]}
    return _digest(json.dumps(parts, sort_keys=True).encode())


def installed_distributions() -> list[str]:
    """`name==version` of every installed distribution, as `importlib.metadata` names them.

    Only each metadata file's header is read: parsing whole files, long descriptions and all, as
    `Distribution.metadata` does, took most of an unchanged rebuild's time."""
    found = set()
    for dist in metadata.distributions():
        text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
        fields = _header_fields(text.split("\n\n", 1)[0], ("Name", "Version"))
        if fields.get("Name"):
            found.add(f"{fields['Name']}=={fields.get('Version')}")
    return sorted(found)


def _header_fields(header: str, names: tuple[str, ...]) -> dict[str, str]:
    """The first value of each field of `names` in an RFC 822 header (core metadata)."""
    fields: dict[str, str] = {}
    for line in header.splitlines():
        name, colon, value = line.partition(":")
        if colon and name in names and name not in fields:
            fields[name] = value.strip()
    return fields


def _walk(root: Path, folder: str) -> Iterable[tuple[str, str]] | None:
    """(path, digest) of every entry under `root`, links named with their targets; None when one
    cannot be hashed (not a regular file or a folder, unreadable, or too large)."""
    found: list[tuple[str, str]] = []
    if not os.path.lexists(root):
        return [(folder, "missing")]
    for here, folders, files in os.walk(root):
        folders.sort()
        for name in [*folders, *sorted(files)]:
            path = Path(here) / name
            entry = _entry(path, f"{folder}/{path.relative_to(root).as_posix()}")
            if entry is None:
                return None
            found.append(entry)
    return found


def _entry(path: Path, relative: str) -> tuple[str, str] | None:
    """(path, digest) of a file or folder, a link named with its target; None when it cannot be
    hashed (not a regular file or a folder, unreadable, or too large)."""
    try:
        status = path.lstat()
        link = os.readlink(path) if stat.S_ISLNK(status.st_mode) else ""
        status = path.stat() if link else status
    except OSError:
        return None
    if stat.S_ISDIR(status.st_mode):
        return relative, f"folder {link}"
    if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_HASHED:
        return None
    try:
        return relative, f"{link} {_digest(path.read_bytes())}"
    except OSError:
        return None


def _font_files(root: Path, folder: str) -> Iterable[tuple[str, str]] | None:
    """(path, digest) of each file in `root` the font registry reads (a `.ttf` or `.otf` at its
    top level): a licence, a note or a subfolder beside them changes no PDF."""
    if not os.path.lexists(root):
        return [(folder, "missing")]
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return None
    found = []
    for name in names:
        if Path(name).suffix.lower() not in FONT_SUFFIXES:
            continue
        entry = _entry(root / name, f"{folder}/{name}")
        if entry is None:
            return None
        found.append(entry)
    return found


def input_stamp(root: Path, selection: object, defaults: Path | None = None) -> str | None:
    """The digest of everything a build of `selection` reads, or None when it cannot be told;
    `defaults` is the package's data folder a project falls back on."""
    entries: list[tuple[str, str]] = []
    layers = [(root, "")] + ([(defaults, "package:")] if defaults is not None else [])
    for layer, prefix in layers:
        for folder in INPUT_FOLDERS if layer == root else ("templates", "fonts"):
            walked = _walk(layer / folder, prefix + folder)
            if walked is None:
                return None
            entries += walked
    parts = {"format": FORMAT, "code": code_fingerprint(), "selection": selection, "inputs": entries}
    return _digest(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode())


def fonts_digest(fonts_dir: Path, *fallbacks: Path) -> str:
    """The digest of the font folders' fonts, or a fresh value when one cannot be read."""
    walked = [_font_files(folder, f"fonts{index or ''}")
              for index, folder in enumerate((fonts_dir, *fallbacks))]
    if any(part is None for part in walked):
        return os.urandom(16).hex()
    return _digest(json.dumps(walked if fallbacks else walked[0]).encode())


def target_key(parts: dict[str, Any]) -> str:
    """One PDF's key: the digest of what its render and finishing read (see the module)."""
    return _digest(json.dumps({"format": FORMAT, "code": code_fingerprint(), **parts},
                              sort_keys=True, ensure_ascii=False, default=str).encode())


@dataclass
class Record:
    """How one PDF in the folder was made: its key, the files fetched for it, its bytes' sha256,
    its manifest entry, what layout reported about it and how long making it took (the next
    build starts its longest jobs first)."""

    key: str
    fetched: dict[str, str]
    sha256: str
    entry: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    seconds: float | None = None


@dataclass
class BuildCache:
    """The folder's record: the last build's input stamp and selection, and a record per PDF."""

    stamp: str | None = None
    selected: list[str] = field(default_factory=list)  # what that build's selection made
    records: dict[str, Record] = field(default_factory=dict)


def _path(out_dir: Path) -> Path:
    return out_dir / WORK_NAME / CACHE_NAME


def load_cache(out_dir: Path) -> BuildCache:
    """The folder's record; an empty one when it is missing, damaged or of another format."""
    try:
        raw = json.loads(_path(out_dir).read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT:
            return BuildCache()
        records = {name: Record(**record) for name, record in raw["records"].items()}
        return BuildCache(raw.get("stamp"), list(raw["selected"]), records)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return BuildCache()


def save_cache(out_dir: Path, built: BuildCache) -> None:
    """Write the folder's record (call it with the folder locked, after the commit)."""
    raw = {"format": FORMAT, "stamp": built.stamp, "selected": built.selected,
           "records": {name: vars(record) for name, record in sorted(built.records.items())}}
    write_atomically(_path(out_dir), json.dumps(raw, ensure_ascii=False, indent=1).encode("utf-8"))


def file_sha256(path: Path) -> str | None:
    """The sha256 of a regular file's bytes, or None."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        return _digest(path.read_bytes())
    except OSError:
        return None


def still_made(record: Record | None, key: str, locate: Callable[[str], Path], out_dir: Path, name: str,
               manifest: dict[str, dict[str, Any]]) -> bool:
    """Whether the PDF `name` in the folder is what a render with `key` would make now."""
    if record is None or record.key != key:
        return False
    if manifest.get(name, {}).get("sha256") != record.sha256 or record.entry.get("sha256") != record.sha256:
        return False
    for fetched, digest in record.fetched.items():
        path = locate(fetched)
        if file_sha256(path) != digest:
            return False
    return file_sha256(out_dir / name) == record.sha256


def unchanged_build(root: Path, out_dir: Path, stamp: str | None,
                    manifest: dict[str, dict[str, Any]],
                    locate: Callable[[str], Path] | None = None) -> BuildCache | None:
    """The record of the last build when this one, with input stamp `stamp`, would make exactly
    what it made, every PDF is still in the folder as it was and no edition's numbered copies
    are of another version of their document; else None.

    The stamp was taken before the last build read anything: a file its renders read (a
    stylesheet, an image) may have been edited while it ran and restored since, so the stamp
    matches while a PDF holds the edit. Each record's fetched files are checked too (`locate`
    names a label's file; by default the label under `root`). Copies made since from an edit
    that was then undone carry what the edition no longer does: the build that removes them
    is not one that does nothing."""
    if stamp is None:
        return None
    built = load_cache(out_dir)
    if built.stamp != stamp or not built.selected:
        return None
    find = locate or (lambda label: root / label)
    read: dict[str, str | None] = {}  # the PDFs share their stylesheets and fonts: each read once
    for name in built.selected:
        record = built.records.get(name)
        if record is None or manifest.get(name) != record.entry \
                or file_sha256(out_dir / name) != record.sha256:
            return None
        for fetched, digest in record.fetched.items():
            if fetched not in read:
                read[fetched] = file_sha256(find(fetched))
            if read[fetched] != digest:
                return None
    if stale_copies(out_dir, {name: built.records[name].sha256 for name in built.selected}):
        return None
    return built


def build_selection(publications: Iterable[str] | None, documents: Iterable[str] | None,
                    audiences: Iterable[str] | None) -> dict[str, list[str]]:
    """A build's request as the cache compares it: the inputs decide the rest."""
    return {"publications": sorted(set(publications or ())), "documents": sorted(set(documents or ())),
            "audiences": sorted(set(audiences or ()))}


def up_to_date(root: Path, out_dir: Path, stamp: str | None,
               on_wait: Callable[[str], None] | None = None,
               locate: Callable[[str], Path] | None = None) -> BuildCache | None:
    """`unchanged_build`, read with the output folder locked (a killed build's commit finished
    first); None when the folder does not exist yet."""
    if stamp is None or not out_dir.is_dir():
        return None
    with OutputFolder(out_dir, on_wait) as output:
        output.acquire()
        return unchanged_build(root, out_dir, stamp, read_manifest(out_dir), locate)
