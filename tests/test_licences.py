"""What the project ships may be copied and printed: its MIT licence, and a print profile under zlib."""

from __future__ import annotations

import hashlib
import re
import struct
import tomllib

from briefpress.output.pdfx import CMYK_PROFILE, CONDITION, PROFILE_DESCRIPTION

from conftest import ROOT

PROFILE = ROOT / "templates" / CMYK_PROFILE
PROFILE_SHA256 = "bdbdd0271ea49eb959da1d392c99cb9600d85696488fcf6fd4066dfff188b4a0"
"""fogra39.icc as templates/icc/README.md describes it; replacing the profile changes this line."""
DATA_SHA256 = "e44e6dfa81633588db98b5613a821d4a936d3d9438d2eb983083c3232df393fa"
"""FOGRA39L.ti3 of icc-profiles-free 2.0.1+dfsg-1.1, the data the profile is computed from."""


def _tag(profile: bytes, signature: bytes) -> bytes:
    """The bytes of one tag of an ICC profile."""
    count = struct.unpack(">I", profile[128:132])[0]
    for index in range(count):
        name, offset, size = struct.unpack(">4sII", profile[132 + 12 * index:144 + 12 * index])
        if name == signature:
            return profile[offset:offset + size]
    raise AssertionError(f"no {signature!r} tag")


def _tag_text(tag: bytes) -> str:
    """The ASCII text of a version 2 `desc` or `text` tag."""
    if tag[:4] == b"desc":
        length = struct.unpack(">I", tag[8:12])[0]
        return tag[12:12 + length].rstrip(b"\0").decode("ascii")
    assert tag[:4] == b"text"
    return tag[8:].rstrip(b"\0").decode("ascii")


def test_the_project_is_under_the_mit_licence_it_declares() -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n\nCopyright (c) 2026 The briefpress authors\n")
    assert "Permission is hereby granted, free of charge, to any person" in licence
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert declared["project"]["license"] == "MIT"


def test_the_print_profile_is_the_pinned_fogra39_profile() -> None:
    profile = PROFILE.read_bytes()
    assert hashlib.sha256(profile).hexdigest() == PROFILE_SHA256
    assert (profile[8], profile[12:16], profile[16:20], profile[20:24], profile[36:40]) == (
        2, b"prtr", b"CMYK", b"Lab ", b"acsp")
    assert _tag_text(_tag(profile, b"desc")) == PROFILE_DESCRIPTION
    assert _tag_text(_tag(profile, b"cprt")) == (
        "Made by the briefpress authors from FOGRA39L.ti3 (Kai-Uwe Behrmann, zlib licence)")
    assert "ISO 12647-2:2004/Amd 1" in CONDITION


def test_the_print_profile_states_its_provenance_and_licence() -> None:
    readme = (ROOT / "templates" / "icc" / "README.md").read_text(encoding="utf-8")
    for fact in (PROFILE_SHA256, DATA_SHA256, f"{PROFILE.stat().st_size:,} bytes", PROFILE_DESCRIPTION,
                 "`icc-profiles-free` 2.0.1+dfsg-1.1", "`/usr/share/color/icc/FOGRA39L.ti3`",
                 "`argyll` 2.3.1+repack-1.1+b1", "colprof -v -qm -nc -l330"):
        assert fact in readme, fact
    licence = (ROOT / "templates" / "icc" / "LICENSE-zlib.txt").read_text(encoding="utf-8")
    assert "Copyright:  Kai-Uwe Behrmann" in licence
    assert "2. Altered source versions must be plainly marked as such" in licence


def test_no_agpl_file_or_text_ships_in_templates_or_fonts() -> None:
    """Neither the AGPL's text nor Ghostscript's AGPL profile (its tags name Artifex) is shipped."""
    agpl = re.compile(rb"affero general public license|artifex", re.IGNORECASE)
    files = [path for folder in ("templates", "fonts") for path in sorted((ROOT / folder).rglob("*"))
             if path.is_file()]
    found = [path.relative_to(ROOT).as_posix() for path in files if agpl.search(path.read_bytes())]
    assert found == []
