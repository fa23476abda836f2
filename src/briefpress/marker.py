"""The project marker `briefpress.toml`: which briefpress made a project, from which defaults."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem
from .project import MARKER, PACKAGE_LABEL, Project

HEADER = """\
# Made by `briefpress init`. briefpress finds the project by this file; files under templates/
# and fonts/ are looked for here first, then in the package's defaults.
# [defaults] holds the sha256 of each package default when the project was made:
# `briefpress check --project .` names each file of templates/ that overrides a default
# changed since then.
"""


@dataclass(frozen=True)
class Marker:
    """What `briefpress.toml` says: the version that made the project and the defaults' digests."""

    version: str
    defaults: dict[str, str] = field(default_factory=dict)


def default_digests(defaults: Path) -> dict[str, str]:
    """The sha256 of every file under the package's `templates/`, by path (`templates/...`)."""
    folder = defaults / "templates"
    return {path.relative_to(defaults).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def marker_text(version: str, digests: dict[str, str]) -> str:
    """The marker's TOML: the version, then one quoted key per default file."""
    lines = [HEADER, f'briefpress = "{version}"', "", "[defaults]"]
    lines += [f'"{name}" = "{digest}"' for name, digest in sorted(digests.items())]
    return "\n".join(lines) + "\n"


def read_marker(project: Project) -> Marker:
    """The project's marker; a missing or malformed one is an `InputError` naming the file."""
    path = project.root / MARKER
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(Problem(MARKER, f"cannot be read ({error.strerror or error})")) from None
    except UnicodeDecodeError as error:
        raise InputError(Problem(MARKER, f"not UTF-8 text (byte {error.start})")) from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = re.search(r" \(at line (\d+), column (\d+)\)$", message)
        if where is None:
            raise InputError(Problem(MARKER, f"not valid TOML: {message}")) from None
        raise InputError(Problem(MARKER, f"not valid TOML: {message[:where.start()]} (column {where[2]})",
                                 int(where[1]))) from None
    version = raw.get("briefpress")
    defaults = raw.get("defaults", {})
    if not isinstance(version, str):
        raise InputError(Problem(MARKER, "a version string is required", field="briefpress"))
    if not isinstance(defaults, dict) or not all(isinstance(value, str) for value in defaults.values()):
        raise InputError(Problem(MARKER, "a table of file names and sha256 digests is required",
                                 field="defaults"))
    return Marker(version, dict(defaults))


@dataclass(frozen=True)
class ChangedDefault:
    """A project file that overrides a package default changed since the project was made."""

    override: str  # the project's file, `templates/...`
    reason: str

    def __str__(self) -> str:
        return f"{self.override}: {self.reason}"


def changed_defaults(project: Project) -> list[ChangedDefault]:
    """Each file under the project's templates/ that shadows a package default whose bytes are
    not those recorded in the marker (a default added since counts as changed)."""
    if project.defaults is None or not (project.root / MARKER).is_file():
        return []
    marker = read_marker(project)
    current = default_digests(project.defaults)
    found = []
    for path in sorted(project.templates_dir.rglob("*")):
        name = path.relative_to(project.root).as_posix()
        if not path.is_file() or name not in current or current[name] == marker.defaults.get(name):
            continue
        how = "added" if name not in marker.defaults else "changed"
        found.append(ChangedDefault(name, f"overrides the package default {PACKAGE_LABEL}{name}, "
                                          f"{how} since briefpress {marker.version} made this project"))
    return found
