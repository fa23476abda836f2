"""Find the package's defaults: the templates, fonts and schemas every project falls back on."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

DATA_FOLDERS = ("templates", "fonts", "schemas")  # setup.py copies them into the wheel
_PACKAGE = Path(__file__).resolve().parent


@cache
def package_data() -> Path | None:
    """The folder holding the package's `templates/`, `fonts/` and `schemas/`, or None.

    An installed wheel carries them as `briefpress/_data/`; an editable install from a checkout
    reads them where the repository keeps them, at its top level.
    """
    for folder in (_PACKAGE / "_data", _PACKAGE.parent.parent):
        if all((folder / name).is_dir() for name in DATA_FOLDERS):
            return Path(os.path.normpath(folder))
    return None
