"""Build hook: the wheel carries the default templates, fonts and schemas as `briefpress/_data/`.

The repository keeps them at its top level (`templates/`, `fonts/`, `schemas/`), where `make pdf`
and the tests use them as they are; `build_py` copies each folder, links followed, into the
package it builds, so an installed briefpress can build a project that holds none of them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_FOLDERS = ("templates", "fonts", "schemas")


class BuildWithDefaults(build_py):
    """`build_py`, then the top-level data folders copied into `briefpress/_data/`."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads them from the checkout (briefpress.defaults)
        target = Path(self.build_lib) / "briefpress" / "_data"
        for folder in DATA_FOLDERS:
            shutil.rmtree(target / folder, ignore_errors=True)
            shutil.copytree(Path(folder), target / folder,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


# setuptools works in build/ by default, the folder `make pdf` writes PDFs to: keep them apart.
setup(cmdclass={"build_py": BuildWithDefaults}, options={"build": {"build_base": ".setuptools-build"}})
