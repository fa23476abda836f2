"""Only the shipped fonts can reach a PDF, even with other Arabic fonts on the system."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from briefpress.build import build, verify_fonts
from briefpress.check.pdffacts import embedded_fonts, font_programs
from briefpress.errors import FontError, RenderError
from briefpress.fonts.identity import identify
from briefpress.fonts.registry import load_registry
from briefpress.project import Project

from conftest import PUBLICATION, ROOT, copy_templates
from test_cli import run

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
    shipped = load_registry(*project.font_dirs).postscript_names
    for path in sorted(built.glob(f"*/*/{document}.pdf")):
        fonts = embedded_fonts(PdfReader(io.BytesIO(path.read_bytes())))
        assert fonts, f"{path} embeds no font"
        names = {font.postscript_name for font in fonts}
        assert names <= shipped, f"{path} embeds {names - shipped}"


def test_brief_uses_text_and_display_faces(brief_pdf: Path) -> None:
    names = {font.postscript_name for font in embedded_fonts(PdfReader(str(brief_pdf)))}
    assert {"Amiri-Regular", "IBMPlexSansArabic-Bold"} <= names


def _shipped_programs(pdf: Path, project: Project) -> dict[str, str]:
    """Each embedded font program and the shipped file its outlines match (or 'FOREIGN')."""
    registry = load_registry(*project.font_dirs)
    found = {}
    for name, program in font_programs(PdfReader(str(pdf))):
        font = identify(program, registry) if program else None
        found[name] = font.path.name if font else "FOREIGN"
    return found


def test_italic_and_latin_words_stay_in_shipped_fonts(scratch_project: Project, tmp_path: Path) -> None:
    """DESIGN measured `UNSC` in italics pulling Noto Sans Italic from the system."""
    brief = scratch_project.content_dir / PUBLICATION / "brief.md"
    text = brief.read_text(encoding="utf-8")
    brief.write_text(text.replace("## الموقف الروسي", "## الموقف الروسي\n\n*UNSC* and **UN** "
                                  "Security Council, *مجلس الأمن*\n", 1), encoding="utf-8")
    build(scratch_project, tmp_path / "out", documents=["brief"], audiences=["general"])
    found = _shipped_programs(tmp_path / "out" / PUBLICATION / "general" / "brief.pdf",
                              scratch_project)
    assert set(found.values()) == {"Amiri-Regular.ttf", "Amiri-Bold.ttf",
                                   "IBMPlexSansArabic-Regular.ttf", "IBMPlexSansArabic-Bold.ttf"}


AFTER_IMPORTING_WEASYPRINT = """
    import os, sys
    from pathlib import Path
    import weasyprint
    from briefpress.build import build
    from briefpress.project import Project

    defaults = Path(sys.argv[3]) if len(sys.argv) > 3 else None  # a user's project: the package's
    build(Project(Path(sys.argv[1]), defaults), Path(sys.argv[2]), documents=["annex"],
          audiences=["general"])
    print(os.environ.get("FONTCONFIG_FILE", "unset"), os.environ.get("FONTCONFIG_PATH", "unset"))
"""


def test_build_after_importing_weasyprint(project: Project, tmp_path: Path) -> None:
    """No process-wide setting: WeasyPrint may come first; nothing is set or left behind."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(AFTER_IMPORTING_WEASYPRINT), str(project.root),
         str(out), *([str(project.defaults)] if project.defaults else [])], capture_output=True,
        text=True, env=_environment(TMPDIR=str(temporary)))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "unset unset\n"
    assert list(temporary.iterdir()) == []
    found = _shipped_programs(out / PUBLICATION / "general" / "annex.pdf", project)
    assert "FOREIGN" not in found.values()


def _environment(**extra: str) -> dict[str, str]:
    return {**{key: value for key, value in os.environ.items() if not key.startswith("FONTCONFIG")},
            **extra}


def _moved_amiri(target: Path) -> None:
    """Amiri Regular with every outline moved 7 units: same names, another font program."""
    font = TTFont(ROOT / "fonts" / "Amiri-Regular.ttf")
    glyf = font["glyf"]
    for name in font.getGlyphOrder():
        if glyf[name].numberOfContours > 0:
            glyf[name].coordinates.translate((7, 0))
    font.save(target)


def test_a_font_with_a_shipped_name_but_other_outlines_is_refused(
        project: Project, tmp_path: Path) -> None:
    """Like a system copy of Amiri: the PostScript name matches, the glyphs do not."""
    impostor = tmp_path / "impostor"
    impostor.mkdir()
    shutil.copytree(ROOT / "content", impostor / "content")
    copy_templates(impostor)
    shutil.copytree(ROOT / "fonts", impostor / "fonts")
    _moved_amiri(impostor / "fonts" / "Amiri-Regular.ttf")
    subprocess.run([sys.executable, "-m", "briefpress.cli", "--project", str(impostor), "build",
                    "--doc", "annex", "--audience", "general", "--out", str(tmp_path / "out")],
                   check=True, capture_output=True)
    pdf = tmp_path / "out" / PUBLICATION / "general" / "annex.pdf"
    assert "Amiri-Regular" in {font.postscript_name for font in embedded_fonts(PdfReader(str(pdf)))}

    code, _, err = run("--project", str(project.root), "check", str(pdf))
    assert (code, err) == (1, f"{pdf}: embeds fonts not shipped in fonts/: Amiri-Regular\n")
    with pytest.raises(RenderError) as raised:
        verify_fonts("annex", font_programs(PdfReader(str(pdf))), load_registry(*project.font_dirs))
    assert str(raised.value) == "annex: embeds fonts not shipped in fonts/: Amiri-Regular"


def _damage_glyf(path: Path) -> None:
    """Zero the `glyf` table in place: the cmap and names stay, every outline is gone."""
    data = bytearray(path.read_bytes())
    with TTFont(path, lazy=True) as font:
        entry = font.reader.tables["glyf"]
        start, length = entry.offset, entry.length
    data[start:start + length] = bytes(length)
    path.write_bytes(bytes(data))


def test_a_font_with_a_damaged_glyf_table_is_refused_at_load(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(ROOT / "content", root / "content")
    copy_templates(root)
    shutil.copytree(ROOT / "fonts", root / "fonts")
    _damage_glyf(root / "fonts" / "Amiri-Regular.ttf")
    code, out, err = run("--project", str(root), "build", "--out", str(tmp_path / "out"))
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == ("fonts/Amiri-Regular.ttf: damaged font: the glyph for 'ا' "
                                   "(U+0627 ARABIC LETTER ALEF) draws nothing")
    assert not (tmp_path / "out").exists()


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
