"""The build manifest: every PDF with its sha256, pages, bytes and fonts."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..check.pdffacts import read_pdf_facts
from .staging import write_atomically

MANIFEST_NAME = "manifest.json"


def manifest_entries(out_dir: Path) -> list[dict]:
    """One entry for every PDF under `out_dir`, sorted by path."""
    entries = []
    for path in sorted(out_dir.glob("*/*/*.pdf")):
        data = path.read_bytes()
        facts = read_pdf_facts(data)
        publication, audience = path.parent.parent.name, path.parent.name
        entries.append({
            "path": path.relative_to(out_dir).as_posix(),
            "publication": publication,
            "audience": audience,
            "document": path.stem,
            "sha256": hashlib.sha256(data).hexdigest(),
            "pages": facts.pages,
            "bytes": len(data),
            "fonts": list(facts.font_names),
        })
    return entries


def write_manifest(out_dir: Path) -> Path:
    """Write `manifest.json` listing every built PDF."""
    manifest = {"outputs": manifest_entries(out_dir)}
    path = out_dir / MANIFEST_NAME
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    write_atomically(path, text.encode("utf-8"))
    return path
