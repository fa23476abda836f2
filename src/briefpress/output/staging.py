"""Write files atomically: to a temporary name, then renamed into place."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class StagedWrites:
    """Files written to temporary names, renamed into place only once every one is ready.

    Used as a context manager: leaving the block with an exception removes the
    temporary files, so the files already in place stay byte-identical.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    def __enter__(self) -> StagedWrites:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.discard()

    def stage(self, path: Path, data: bytes) -> None:
        """Write `data` to a temporary file next to `path`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self._pending.append((Path(temporary), path))
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())

    def commit(self) -> list[Path]:
        """Rename every staged file into place; return the final paths."""
        done = []
        while self._pending:
            temporary, path = self._pending.pop(0)
            os.replace(temporary, path)
            done.append(path)
        return done

    def discard(self) -> None:
        """Remove every staged file not yet renamed."""
        for temporary, _ in self._pending:
            temporary.unlink(missing_ok=True)
        self._pending.clear()
