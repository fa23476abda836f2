"""The build manifest: every PDF with its sha256, pages, bytes and fonts, from what builds wrote."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .staging import safe_relative

if TYPE_CHECKING:  # reading a manifest needs no PDF reader
    from ..check.embedded import PdfFacts

MANIFEST_NAME = "manifest.json"
ENTRY_KEYS = ("path", "publication", "audience", "document", "sha256", "pages", "bytes", "fonts")

Entry = dict[str, Any]


def manifest_entry(path: str, publication: str, audience: str, document: str,
                   data: bytes, facts: PdfFacts) -> Entry:
    """The manifest's line for one PDF this build made."""
    return {
        "path": path,
        "publication": publication,
        "audience": audience,
        "document": document,
        "sha256": hashlib.sha256(data).hexdigest(),
        "pages": facts.pages,
        "bytes": len(data),
        "fonts": list(facts.font_names),
    }


def read_manifest(out_dir: Path) -> dict[str, Entry]:
    """The entries of the manifest a previous build left, by path; none if it is missing or damaged.

    An entry whose path is not `<publication>/<audience>/<document>.pdf`, as briefpress
    writes it, is ignored: the manifest never makes a build touch another file.
    """
    try:
        manifest = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        outputs = manifest["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    entries: dict[str, Entry] = {}
    for entry in outputs if isinstance(outputs, list) else []:
        if not isinstance(entry, dict) or set(entry) != set(ENTRY_KEYS):
            continue
        path = entry["path"]
        relative = safe_relative(path) if isinstance(path, str) else None
        expected = f"{entry['publication']}/{entry['audience']}/{entry['document']}.pdf"
        if relative is not None and len(relative.parts) == 3 and str(relative) == expected == path:
            entries[path] = entry
    return entries


def manifest_bytes(entries: dict[str, Entry]) -> bytes:
    """The manifest file listing `entries`, sorted by path."""
    manifest = {"outputs": [entries[path] for path in sorted(entries)]}
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
