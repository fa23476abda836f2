"""A WeasyPrint font configuration that sees the shipped font files and nothing else."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from weasyprint.text.ffi import ffi, fontconfig, pangoft2
from weasyprint.text.fonts import FontConfiguration

from ..errors import FontError, Problem

if not hasattr(fontconfig, "FcConfigCreate"):  # WeasyPrint 70 declares only what it calls
    ffi.cdef("FcConfig * FcConfigCreate (void);")


class ShippedFontConfiguration(FontConfiguration):
    """WeasyPrint's font configuration, its fontconfig replaced by one that lists `files` alone.

    The private configuration reads no configuration file, no system or user font
    folder and no cache, so no other font can be found, however fontconfig is set up
    for the process; nothing is set in the environment and nothing is written to disk.
    """

    def __init__(self, files: Sequence[Path], labels: Sequence[str]) -> None:
        super().__init__()
        config = fontconfig.FcConfigCreate()
        for path, label in zip(files, labels, strict=True):
            if not fontconfig.FcConfigAppFontAddFile(config, str(path).encode()):
                fontconfig.FcConfigDestroy(config)
                raise FontError(Problem(label, "fontconfig cannot read this font"))
        self._config = config
        pangoft2.pango_fc_font_map_set_config(ffi.cast("PangoFcFontMap *", self.font_map), config)
        fontconfig.FcConfigDestroy(config)  # the font map holds its own reference


@cache
def shipped_font_configuration(files: tuple[Path, ...], labels: tuple[str, ...],
                               stamp: tuple[int, ...]) -> ShippedFontConfiguration:
    """One configuration per set of font files (`stamp` changes when a file changes)."""
    return ShippedFontConfiguration(files, labels)
