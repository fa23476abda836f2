"""Show a build's progress: a live table on a terminal, a line per target elsewhere, or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from .build import Progress, Target


class PlainProgress:
    """One line per target as it is done, then the removals and a summary line."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.made = 0
        self.kept = 0

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def _print(self, line: str) -> None:
        if self.stream is not None:
            print(line, file=self.stream, flush=True)

    def start(self, targets: list[Target]) -> None:
        return None

    def progress(self, done: Progress) -> None:
        if done.seconds is None:
            self.kept += 1
            self._print(f"{done.target.label}: unchanged")
        else:
            self.made += 1
            self._print(f"{done.target.label}: {done.seconds:.2f} s")

    def unchanged(self, names: list[str]) -> None:
        for name in names:
            self.kept += 1
            self._print(f"{name.removesuffix('.pdf')}: unchanged")

    def removed(self, path: str) -> None:
        self._print(f"removed {path}: no source asks for it any more")

    def stale_copies(self, folder: str, count: int) -> None:
        self._print(f"removed {folder}/: its {count} numbered copies were made from another version "
                    "of their document; make them again with `briefpress copies`")

    def finished(self, count: int, manifest: Path) -> None:
        self._print(f"built {count} PDF(s) ({self.made} rendered, {self.kept} unchanged); "
                    f"manifest: {manifest}")


class LiveProgress(PlainProgress):
    """A table with one line per target, redrawn as each is done (rich), on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        from rich.console import Console

        self.console = Console(file=stream)
        self.rows: dict[str, str] = {}
        self.live: Any = None

    def __enter__(self) -> LiveProgress:
        from rich.live import Live

        # Redrawn on each update, with no refresh thread: the worker pool forks after this.
        self.live = Live(self._table(), console=self.console, auto_refresh=False, transient=False)
        self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.update(self._table(), refresh=True)
            self.live.stop()
            self.live = None

    def _table(self) -> Any:
        from rich.table import Table

        table = Table(show_header=False, box=None, pad_edge=False)
        table.add_column("target")
        table.add_column("time", justify="right")
        for label, status in self.rows.items():
            table.add_row(label, status)
        return table

    def _update(self) -> None:
        if self.live is not None:
            self.live.update(self._table(), refresh=True)

    def start(self, targets: list[Target]) -> None:
        self.rows = {target.label: "[dim]waiting[/dim]" for target in targets}
        self._update()

    def progress(self, done: Progress) -> None:
        if done.seconds is None:
            self.kept += 1
            self.rows[done.target.label] = "[dim]unchanged[/dim]"
        else:
            self.made += 1
            self.rows[done.target.label] = f"{done.seconds:.2f} s"
        self._update()

    def removed(self, path: str) -> None:
        self.rows[path] = "[yellow]removed[/yellow]"
        self._update()

    def stale_copies(self, folder: str, count: int) -> None:
        self.rows[f"{folder}/"] = f"[yellow]removed {count} stale numbered copies[/yellow]"
        self._update()

    def finished(self, count: int, manifest: Path) -> None:
        self.console.print(f"built {count} PDF(s) ({self.made} rendered, {self.kept} unchanged); "
                           f"manifest: {manifest}", highlight=False)


def progress_for(stream: TextIO, quiet: bool) -> PlainProgress:
    """The display for `stream`: live on a terminal, plain lines elsewhere, none when quiet."""
    if quiet:
        return PlainProgress(None)
    if stream.isatty():
        return LiveProgress(stream)
    return PlainProgress(stream)
