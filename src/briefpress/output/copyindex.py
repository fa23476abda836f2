"""The index of a folder of numbered copies (`copies.json`): what the last run wrote there, of
which document and from which render. Read by `copies` and by `build`, which imports no pypdf."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from .staging import safe_relative

COPIES_JSON = "copies.json"


def previous_copies(folder: Path) -> list[str]:
    """The copy files the `copies.json` in `folder` lists: what the last run wrote there.

    Only those are replaced or removed; a file no run listed is left alone.
    """
    return _listed(_index(folder))


def _listed(index: dict) -> list[str]:
    try:
        names = [str(entry["file"]) for entry in index["copies"]]
    except (KeyError, TypeError):
        return []
    return [name for name in names if safe_relative(name) is not None and "/" not in name]


def previous_document(folder: Path) -> str | None:
    """The document whose copies the `copies.json` in `folder` lists (None without a readable one)."""
    document = _index(folder).get("document")
    return document if isinstance(document, str) else None


def _index(folder: Path) -> dict:
    try:
        index = json.loads((folder / COPIES_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return index if isinstance(index, dict) else {}


def stale_copies(out_dir: Path, current: Mapping[str, str | None]) -> dict[str, list[str]]:
    """The numbered copies in an edition's `copies/` folder under `out_dir` that are not of its
    document as a build leaves it: `current` maps a PDF's path (`pub/audience/brief.pdf`) to its
    sha256, or to None when no source asks for it any more. By the folder, the paths (relative
    to `out_dir`) of each stale set's copies and its `copies.json`."""
    stale: dict[str, list[str]] = {}
    for path, sha256 in current.items():
        edition, _, name = path.rpartition("/")
        folder = f"{edition}/copies"
        index = _index(out_dir / folder)
        if index.get("document") != name.removesuffix(".pdf") or (
                sha256 is not None and index.get("rendered_sha256") == sha256):
            continue
        stale[folder] = [f"{folder}/{file}" for file in (*_listed(index), COPIES_JSON)]
    return stale
