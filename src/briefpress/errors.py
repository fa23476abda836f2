"""The exception tree the CLI maps to exit codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["content", "template", "font", "resource"]


@dataclass(frozen=True)
class Problem:
    """One located problem: `file: line N: field: message`."""

    path: Path | str
    message: str
    line: int | None = None
    field: str | None = None
    kind: Kind = "content"

    def of_kind(self, kind: Kind) -> Problem:
        """The same problem, filed under another kind of input."""
        return Problem(self.path, self.message, self.line, self.field, kind)

    def __str__(self) -> str:
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


class BriefpressError(Exception):
    """Base of every error briefpress reports to a user."""

    exit_code = 1

    def __init__(self, problems: Sequence[Problem | str] | Problem | str) -> None:
        self.problems: list[Problem | str] = (
            [problems] if isinstance(problems, str | Problem) else list(problems))
        super().__init__("\n".join(str(problem) for problem in self.problems))

    def __reduce__(self) -> tuple:
        """Pickle with every problem, as a worker process hands an error back."""
        return type(self), (self.problems,)


class InputError(BriefpressError):
    """Bad input: content, profiles, templates or fonts a user must fix (exit 2)."""

    exit_code = 2


class ContentError(InputError):
    """A publication's files are malformed or inconsistent."""


class TemplateError(InputError):
    """A template is missing or does not compile or render."""


class FontError(InputError):
    """A font is missing, unreadable, or lacks a glyph the content needs."""


class ResourceError(InputError):
    """A document refers to a file outside the project, a network URL, or a missing file."""


class UsageError(InputError):
    """The command line asks for something that does not exist."""


class RenderError(BriefpressError):
    """WeasyPrint failed or warned while making a PDF (exit 1)."""


_ERRORS: dict[str, type[InputError]] = {
    "content": ContentError,
    "template": TemplateError,
    "font": FontError,
    "resource": ResourceError,
}


def raise_problems(problems: Sequence[Problem | str]) -> None:
    """Raise every problem at once, as the error class of the first; do nothing if none."""
    if problems:
        raise _ERRORS[getattr(problems[0], "kind", "content")](problems)
