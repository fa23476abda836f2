"""A WeasyPrint font configuration that sees the shipped font files and nothing else."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import weakref
from collections.abc import Sequence
from functools import cache
from hashlib import md5
from multiprocessing.util import Finalize
from pathlib import Path
from typing import Any

from weasyprint.text.ffi import ffi, fontconfig, pangoft2
from weasyprint.text.fonts import FontConfiguration

from ..errors import FontError, Problem

if not hasattr(fontconfig, "FcConfigCreate"):  # WeasyPrint 70 declares only what it calls
    ffi.cdef("FcConfig * FcConfigCreate (void);")


class ShippedFontConfiguration(FontConfiguration):
    """WeasyPrint's font configuration, its fontconfig replaced by one that lists `files` alone.

    The private configuration reads no configuration file, no system or user font
    folder and no cache, so no other font can be found, however fontconfig is set up
    for the process; nothing is set in the environment. What is written to disk is
    WeasyPrint's copy of each font an @font-face rule names, in a temporary folder
    removed when the process ends (`add_font_face`).
    """

    _folder: Path | None  # WeasyPrint's folder of font copies (`add_font_face`)

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

    def add_font_face(self, rule_descriptors: Any, url_fetcher: Any) -> Any:
        """WeasyPrint's, with the folder it copies fonts into removed when this process ends, and
        the font a rule names read through `url_fetcher` every time.

        WeasyPrint removes the folder when the configuration is collected, and one kept for the
        process is not, so each process that rendered left a folder of font copies behind. The
        removal is multiprocessing's exit finalizer, which runs in a worker of a pool too (Python's
        own exit handlers do not) and only in the process that made the folder. WeasyPrint reads
        a face's font once per configuration and skips a rule it has seen; the fetcher records
        what a parse read, so a rule seen before is read again, and every parse of a stylesheet
        names the same files whatever the process parsed before it."""
        if getattr(self, "_folder", None) is None:
            folder = Path(tempfile.mkdtemp(prefix="briefpress-fonts-"))
            Finalize(self, _remove_folder, args=(weakref.ref(self), folder), exitpriority=0)
            self._folder = folder
        digest = md5(str(rule_descriptors).encode(), usedforsecurity=False).hexdigest()
        if self._folder is not None and (self._folder / digest).exists():  # WeasyPrint's own key
            for kind, url in rule_descriptors["src"]:
                if url is not None and kind == "external":
                    with contextlib.suppress(Exception):  # as WeasyPrint tries the next source
                        url_fetcher(url)
                        break
            return None
        return super().add_font_face(rule_descriptors, url_fetcher)


def _remove_folder(configuration: weakref.ref[ShippedFontConfiguration], folder: Path) -> None:
    """Remove a configuration's font copies; one still alive (at exit) forgets its folder, so
    WeasyPrint's own clean-up, run later as the interpreter ends, has nothing left to do."""
    shutil.rmtree(folder, ignore_errors=True)
    alive = configuration()
    if alive is not None:
        alive._folder = None


@cache
def shipped_font_configuration(files: tuple[Path, ...], labels: tuple[str, ...],
                               stamp: tuple[int, ...]) -> ShippedFontConfiguration:
    """One configuration per set of font files (`stamp` changes when a file changes)."""
    return ShippedFontConfiguration(files, labels)
