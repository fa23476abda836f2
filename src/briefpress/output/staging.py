"""The output folder: locked while a build writes it, staged, and committed as one set.

`build` and `copies` both write through it. A run writes every file into
`<out>/.briefpress/staging/`, then writes a commit record (`commit.json`, one rename:
the commit point) naming the files to move into place and the stale outputs to remove,
then carries it out and deletes the record. A run killed before the commit point
leaves the folder as it was; one killed after it is finished by the next run into the
folder, before that run does anything else. Either way every file ends up from the
same run.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path, PurePosixPath

from ..errors import Problem, UsageError

WORK_NAME = ".briefpress"
LOCK_NAME = "lock"
STAGING_NAME = "staging"
COMMIT_NAME = "commit.json"


def safe_relative(name: str) -> PurePosixPath | None:
    """`name` as a path inside the output folder, or None if it could leave it."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(part in {"", ".", ".."} for part in path.parts):
        return None
    if path.parts[0] == WORK_NAME:
        return None
    return path


def write_file(path: Path, data: bytes, sync: bool = True) -> None:
    """Write `data` to a new file at `path`, with the permissions the umask allows.

    With `sync`, the file is on disk when this returns; a caller writing many files may
    sync them all at once instead.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
        stream.flush()
        if sync:
            os.fsync(stream.fileno())


def file_target_problem(path: Path) -> str | None:
    """Why `path` cannot be replaced by a file the user asked for, or None.

    Only a regular file (or nothing) is replaced: renaming over a folder fails, and renaming
    over a device or a FIFO would replace it.
    """
    if path.is_dir():
        return "is a folder; give the path of the file to write"
    if path.exists() and not path.is_file():
        return "is not a regular file (a FIFO, device or socket); give the path of a file to write"
    return None


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary name in the same folder and a rename."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        write_file(temporary, data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while the commit runs; they take effect right after it."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class OutputFolder:
    """A build's output folder: locked, cleaned of a killed build's leftovers, committed as a set."""

    def __init__(self, root: Path, on_wait: Callable[[str], None] | None = None) -> None:
        self.root = root
        self.work = root / WORK_NAME
        self.staging = self.work / STAGING_NAME
        self._on_wait = on_wait
        self._lock: int | None = None

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.close()

    def acquire(self) -> None:
        """Create and lock the folder (waiting for another build), then finish or drop leftovers."""
        if self._lock is not None:
            return
        try:
            self.work.mkdir(parents=True, exist_ok=True)
            self._lock = os.open(self.work / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as error:
            raise UsageError(Problem(self.root, f"cannot write the output folder "
                                     f"({error.strerror or error})")) from error
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if self._on_wait:
                self._on_wait(f"waiting for another build into {self.root}")
            fcntl.flock(self._lock, fcntl.LOCK_EX)
        self.recover()

    def close(self) -> None:
        """Drop what was staged and not committed, and unlock.

        A commit that failed half-way keeps its record and staged files for the next build.
        """
        if self._lock is None:
            return
        if not (self.work / COMMIT_NAME).exists():
            shutil.rmtree(self.staging, ignore_errors=True)
        os.close(self._lock)
        self._lock = None

    def recover(self) -> None:
        """Finish a commit a killed build began; remove what a killed build staged."""
        record = self.work / COMMIT_NAME
        if record.is_file():
            try:
                plan = json.loads(record.read_text(encoding="utf-8"))
                self._carry_out(plan["moves"], plan["removals"])
            except (ValueError, KeyError, TypeError) as error:
                raise UsageError(Problem(record, f"unreadable commit record ({error}); remove the "
                                         f"folder {self.work} and build again")) from error
        shutil.rmtree(self.staging, ignore_errors=True)
        (self.work / f".{COMMIT_NAME}.tmp").unlink(missing_ok=True)

    def remove_temporaries(self, names: Sequence[str]) -> None:
        """Remove `.<name>.*.tmp` files an older, killed build left next to the outputs `names`."""
        for name in names:
            relative = safe_relative(name)
            if relative is None:
                continue
            final = self.root.joinpath(*relative.parts)
            if final.parent.is_dir():
                for stray in final.parent.glob(f".{final.name}.*.tmp"):
                    stray.unlink(missing_ok=True)

    def staged_path(self, name: str) -> Path:
        """Where the staged copy of `name`, a path relative to the folder, is written."""
        assert self._lock is not None, "acquire the output folder before staging"
        relative = safe_relative(name)
        assert relative is not None, name
        path = self.staging.joinpath(*relative.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def stage(self, name: str, data: bytes, sync: bool = True) -> None:
        """Write `data` to the staged copy of `name`, a path relative to the folder."""
        write_file(self.staged_path(name), data, sync)

    def commit(self, moves: Sequence[str], removals: Sequence[str]) -> None:
        """Move every staged file in `moves` into place and remove `removals`, as one set."""
        assert self._lock is not None, "acquire the output folder before committing"
        plan = {"moves": list(moves), "removals": list(removals)}
        with _signals_held():
            write_atomically(self.work / COMMIT_NAME, json.dumps(plan, indent=1).encode("utf-8"))
            self._carry_out(plan["moves"], plan["removals"])

    def _carry_out(self, moves: Sequence[str], removals: Sequence[str]) -> None:
        """Apply a commit record; each step may already be done, so it can run again."""
        for name in moves:
            relative = safe_relative(name)
            if relative is None:
                continue
            staged, final = self.staging.joinpath(*relative.parts), self.root.joinpath(*relative.parts)
            if staged.is_file():
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, final)
        for name in removals:
            relative = safe_relative(name)
            if relative is None:
                continue
            final = self.root.joinpath(*relative.parts)
            final.unlink(missing_ok=True)
            _remove_empty_parents(final.parent, self.root)
        _sync_folder(self.root)
        (self.work / COMMIT_NAME).unlink(missing_ok=True)
        _sync_folder(self.work)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    """Remove `folder` and its parents up to `root` while they are empty."""
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
