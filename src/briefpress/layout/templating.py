"""A Jinja environment that lets templates shape a page and nothing more.

Templates, audience overrides included, render in Jinja's immutable sandbox: no
attribute that starts with `_`, no method that changes a list or a dict, and on the
content model only its data (no pydantic method, such as `parse_file`, that reads a
file). Each render is bounded: recursion (Python's own limit, reported), loop size
(Jinja's `range` cap), string and sequence sizes (checked before `*`, `+` and `**`
compute), total time and memory.
Going over a bound is a `TemplateBudgetError` located at the template line that did.
"""

from __future__ import annotations

import dataclasses
import datetime
import resource
import signal
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markdown_it.token import Token
from pydantic import BaseModel

MAX_SIZE = 1_000_000  # characters or items a single value in a template may hold
MAX_POWER_BITS = 4_096  # bits of an integer `a ** b` may produce
TIME_BUDGET = 10.0  # seconds one render may take
MEMORY_BUDGET = 512 * 1024 * 1024  # bytes of address space one render may add
GLOBALS_REMOVED = ("lipsum",)  # a lorem-ipsum generator whose size is the template's to choose
TOKEN_FIELDS = frozenset({"type", "tag", "nesting", "content", "info", "markup", "children", "level",
                          "block", "hidden"})
SAFE_METHODS: dict[type, frozenset[str]] = {
    dict: frozenset({"items", "keys", "values", "get"}),
    datetime.date: frozenset({"isoformat", "year", "month", "day"}),
}


class TemplateBudgetError(Exception):
    """A render went over one of its bounds; `where` is (template file, line) when known."""

    def __init__(self, message: str, where: tuple[str, int] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where


class SharedBytecode(BytecodeCache):
    """Compiled template code kept for the process and shared by every environment made alike:
    each audience and document kind has an environment of its own, and most of them render the
    same template files. Jinja keys the code by template name and file and checks it against
    the source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with the content model reduced to data and sizes bounded."""

    intercepted_binops = frozenset({"*", "+", "**"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in GLOBALS_REMOVED:
            self.globals.pop(name, None)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, BaseModel):
            return attr in type(obj).model_fields
        if isinstance(obj, Token):
            return attr in TOKEN_FIELDS
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return attr in {field.name for field in dataclasses.fields(obj)} or not callable(value)
        for kind, methods in SAFE_METHODS.items():
            if isinstance(obj, kind) and callable(value):
                return attr in methods
        return True

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, str | list | tuple) and isinstance(count, int) \
                        and len(sequence) * count > MAX_SIZE:
                    raise TemplateBudgetError(f"a value of {len(sequence) * count:,} characters or "
                                              f"items is over the limit of {MAX_SIZE:,}")
        elif operator == "+" and isinstance(left, str | list | tuple) \
                and isinstance(right, str | list | tuple) and len(left) + len(right) > MAX_SIZE:
            raise TemplateBudgetError(f"a value of {len(left) + len(right):,} characters or items is "
                                      f"over the limit of {MAX_SIZE:,}")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) \
                and right > 0 and abs(left) > 1 and right * abs(left).bit_length() > MAX_POWER_BITS:
            raise TemplateBudgetError(f"{left} ** {right} is over the limit of {MAX_POWER_BITS:,} bits")
        return super().call_binop(context, operator, left, right)


@contextmanager
def render_budget(*templates_dirs: Path) -> Iterator[None]:
    """Bound the time, memory and nesting of the renders in the block.

    Errors from the renders come out as `TemplateBudgetError` located at the template
    line that ran when a bound was met. Time is bounded where a signal can interrupt the
    render (the main thread); memory where the platform reports address space (Linux).
    """
    timer = threading.current_thread() is threading.main_thread()
    previous_handler = signal.getsignal(signal.SIGALRM) if timer else None
    previous_timer = (0.0, 0.0)
    previous_limit = resource.getrlimit(resource.RLIMIT_AS)
    started = time.monotonic()

    def out_of_time(signum: int, frame: object) -> None:
        raise TemplateBudgetError(f"a render took longer than {TIME_BUDGET:g} s")

    try:
        if timer:
            signal.signal(signal.SIGALRM, out_of_time)
            previous_timer = signal.setitimer(signal.ITIMER_REAL, TIME_BUDGET)
        _limit_memory(previous_limit)
        yield
    except TemplateBudgetError as error:
        raise TemplateBudgetError(error.message, error.where or template_line(error, *templates_dirs)) \
            from None
    except RecursionError as error:
        raise TemplateBudgetError("templates call each other or themselves too deeply (a macro that "
                                  "never stops calling itself?)", template_line(error, *templates_dirs)) \
            from None
    except MemoryError as error:
        raise TemplateBudgetError(f"a render needed more than {MEMORY_BUDGET // 2**20} MiB",
                                  template_line(error, *templates_dirs)) from None
    except OverflowError as error:
        raise TemplateBudgetError(str(error), template_line(error, *templates_dirs)) from None
    finally:
        if timer:  # put back whatever timer and handler the caller had
            remaining = previous_timer[0] - (time.monotonic() - started) if previous_timer[0] else 0.0
            signal.setitimer(signal.ITIMER_REAL, max(remaining, 0.001) if previous_timer[0] else 0.0,
                             previous_timer[1])
            signal.signal(signal.SIGALRM, previous_handler)
        resource.setrlimit(resource.RLIMIT_AS, previous_limit)


def _limit_memory(limit: tuple[int, int]) -> None:
    """Let the process's address space grow by at most the memory budget, where Linux says its size."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        return
    soft, hard = limit
    wanted = size + MEMORY_BUDGET
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft == resource.RLIM_INFINITY or wanted < soft:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def template_line(error: BaseException, *templates_dirs: Path) -> tuple[str, int] | None:
    """The innermost template file and line in an error's traceback (Jinja rewrites frames to them)."""
    roots = tuple(str(folder.resolve()) for folder in templates_dirs)
    found = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.startswith(roots) and frame.lineno:
            found = (frame.filename, frame.lineno)
    return found
