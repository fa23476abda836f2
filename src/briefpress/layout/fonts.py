"""The shipped fonts: registry, glyph coverage, and a fontconfig that sees nothing else."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from fontTools.ttLib import TTFont, TTLibError

from ..errors import FontError, Problem, RenderError

FONT_SUFFIXES = (".ttf", ".otf")


@dataclass(frozen=True)
class ShippedFont:
    """One font file from `fonts/`."""

    path: Path
    family: str
    style: str
    postscript_name: str
    codepoints: frozenset[int]


@dataclass(frozen=True)
class FontRegistry:
    """Every font a project ships; the only fonts a PDF may embed."""

    fonts: tuple[ShippedFont, ...]

    @property
    def postscript_names(self) -> frozenset[str]:
        return frozenset(font.postscript_name for font in self.fonts)

    @property
    def families(self) -> frozenset[str]:
        return frozenset(font.family for font in self.fonts)

    def covers(self, character: str) -> bool:
        return any(ord(character) in font.codepoints for font in self.fonts)


def _read_font(path: Path, label: str) -> ShippedFont:
    try:
        with path.open("rb") as stream, TTFont(stream, lazy=True) as font:
            names = font["name"]
            family = names.getBestFamilyName()
            style = names.getBestSubFamilyName()
            postscript = names.getDebugName(6)
            codepoints = frozenset(font.getBestCmap() or {})
    except (TTLibError, OSError, KeyError, AssertionError) as error:
        raise FontError(Problem(label, f"not a readable font ({error})")) from error
    if not (family and style and postscript and codepoints):
        raise FontError(Problem(label, "font lacks a family, style, PostScript name or cmap"))
    return ShippedFont(path, family, style, postscript, codepoints)


@cache
def load_registry(fonts_dir: Path) -> FontRegistry:
    """Read every font in `fonts_dir`; a missing folder or a bad file is an error."""
    if not fonts_dir.is_dir():
        raise FontError(Problem("fonts/", "font folder not found"))
    paths = sorted(p for p in fonts_dir.iterdir() if p.suffix.lower() in FONT_SUFFIXES)
    if not paths:
        raise FontError(Problem("fonts/", "no .ttf or .otf font in the font folder"))
    return FontRegistry(tuple(_read_font(path, f"fonts/{path.name}") for path in paths))


REQUIRED_STYLES = ("Regular", "Bold")
_FAMILY_DECLARATION = re.compile(r"(?:font-family|--font-[\w-]*)\s*:\s*([^;}]+)", re.IGNORECASE)
_QUOTED = re.compile(r"""["']([^"']+)["']""")


def family_problems(path: Path, label: str, registry: FontRegistry) -> list[Problem]:
    """Every quoted font family a stylesheet names that fonts/ does not ship in full.

    The templates set text in regular and bold, so each family needs both faces;
    without them Pango would silently substitute or synthesise a face.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    styles: dict[str, set[str]] = {}
    for font in registry.fonts:
        styles.setdefault(font.family, set()).add(font.style)
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for declaration in _FAMILY_DECLARATION.finditer(line):
            for family in _QUOTED.findall(declaration.group(1)):
                missing = [style for style in REQUIRED_STYLES if style not in styles.get(family, set())]
                if missing:
                    problems.append(Problem(label, f"font family '{family}' has no "
                                            f"{' or '.join(missing)} face in fonts/", number))
    return problems


def fontconfig_xml(fonts_dir: Path, cache_dir: Path) -> str:
    """A fontconfig configuration that lists only `fonts_dir`: no system font, no alias."""
    return (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f"  <dir>{escape(str(fonts_dir.resolve()))}</dir>\n"
        f"  <cachedir>{escape(str(cache_dir.resolve()))}</cachedir>\n"
        "</fontconfig>\n"
    )


_isolated_dir: Path | None = None


def isolate_fontconfig(fonts_dir: Path) -> None:
    """Point fontconfig at `fonts_dir` alone; must run before WeasyPrint is imported."""
    global _isolated_dir
    fonts_dir = fonts_dir.resolve()
    if _isolated_dir == fonts_dir:
        return
    if _isolated_dir is not None or "weasyprint" in sys.modules:
        raise RenderError(
            "fontconfig is already initialised for another font folder; "
            "run each project's build in its own process")
    work = Path(tempfile.mkdtemp(prefix="briefpress-fontconfig-"))
    config = work / "fonts.conf"
    config.write_text(fontconfig_xml(fonts_dir, work / "cache"), encoding="utf-8")
    os.environ["FONTCONFIG_FILE"] = str(config)
    os.environ.pop("FONTCONFIG_PATH", None)
    _isolated_dir = fonts_dir
