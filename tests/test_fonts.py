"""Only the shipped fonts can reach a PDF, even with other Arabic fonts on the system."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefpress.build import build
from briefpress.check.pdffacts import embedded_fonts
from briefpress.errors import FontError
from briefpress.layout.fonts import load_registry
from briefpress.project import Project

DOCUMENTS = ("brief", "factsheet", "annex")


def _system_fonts() -> str:
    """What the machine's own fontconfig lists, ignoring briefpress's isolation."""
    env = {"PATH": "/usr/bin:/bin"}
    return subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True,
                          env=env, check=True).stdout


def test_the_system_has_other_arabic_fonts() -> None:
    """Precondition of the isolation test: the machine offers fonts we must not use."""
    assert "Noto Sans Arabic" in _system_fonts(), "install fonts-noto-core (make test does)"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_only_shipped_fonts_are_embedded(built: Path, project: Project, document: str) -> None:
    shipped = load_registry(project.fonts_dir).postscript_names
    for path in sorted(built.glob(f"*/*/{document}.pdf")):
        fonts = embedded_fonts(PdfReader(io.BytesIO(path.read_bytes())))
        assert fonts, f"{path} embeds no font"
        names = {font.postscript_name for font in fonts}
        assert names <= shipped, f"{path} embeds {names - shipped}"


def test_brief_uses_text_and_display_faces(brief_pdf: Path) -> None:
    names = {font.postscript_name for font in embedded_fonts(PdfReader(str(brief_pdf)))}
    assert {"Amiri-Regular", "IBMPlexSansArabic-Bold"} <= names


def test_latin_italic_stays_in_shipped_fonts(scratch_project: Project, tmp_path: Path) -> None:
    """DESIGN measured `UNSC` in italics pulling Noto Sans Italic from the system."""
    brief = scratch_project.content_dir / "russia-dprk-partnership" / "brief.md"
    text = brief.read_text(encoding="utf-8")
    brief.write_text(text.replace("## الموقف الروسي", "## الموقف الروسي\n\n*UNSC* and **UN**",
                                  1), encoding="utf-8")
    build(scratch_project, tmp_path / "out", documents=["brief"])
    pdf = PdfReader(str(tmp_path / "out/russia-dprk-partnership/general/brief.pdf"))
    names = {font.postscript_name for font in embedded_fonts(pdf)}
    shipped = load_registry(scratch_project.fonts_dir).postscript_names
    assert names <= shipped


def test_character_without_glyph_is_an_error(scratch_project: Project, tmp_path: Path) -> None:
    brief = scratch_project.content_dir / "russia-dprk-partnership" / "brief.md"
    lines = brief.read_text(encoding="utf-8").splitlines()
    lines[4] += " ☃"
    brief.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(FontError) as raised:
        build(scratch_project, tmp_path / "out")
    assert str(raised.value.problems[0]) == (
        "content/russia-dprk-partnership/brief.md: line 5: no shipped font has a glyph for "
        "'☃' (U+2603 SNOWMAN); add a font to fonts/ or change the text"
    )
    assert not (tmp_path / "out").exists()
