"""Make PDFs in worker processes: each imports WeasyPrint once and renders many targets.

With one job, or one target, everything runs in the calling process. Otherwise a pool of
`jobs` processes renders the targets, the longest expected first, and hands each PDF back as
it is finished; the first error stops the pool (its workers are killed) and is raised in the
caller, which has staged nothing into place yet. Workers ignore Ctrl-C: the caller gets it,
and killing the pool is its cleanup.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from .check.embedded import PdfFacts
from .errors import RenderError
from .fonts.identity import identify, read_shipped
from .fonts.registry import FontRegistry
from .layout.html import RenderedHtml
from .layout.pdf import font_configuration, pdf_identifier, render_pdf
from .output.finish import FinishInputs, finish_pdf
from .output.glyphtext import glyph_texts
from .output.pdftext import blank_glyphs
from .project import Project
from .source.audiences import Profile
from .source.model import Content


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class WorkerDied(RenderError):
    """A worker process ended in the middle of the jobs (killed, out of memory): its pool is
    broken, and a pool kept for later (`preview`) must be replaced."""


@dataclass(frozen=True)
class Job:
    """One PDF to make, with everything its render and finishing read."""

    project: Project
    name: str  # <publication>/<audience>/<document>.pdf
    label: str  # <publication>/<audience>/<document>
    identifier: tuple[str, str, str]
    rendered: RenderedHtml
    content: Content
    profile: Profile
    registry: FontRegistry
    last_seconds: float | None = None  # what making it took the last time, when that is known
    finish: FinishInputs | None = None  # the files finishing reads, as its key read them


#: Seconds of layout and finishing per character of HTML, by document, for a job not made
#: before (the shipped publication's editions, one process): a fact sheet is laid out again
#: until it fits its sheet, so a character of it costs more than one of a brief or an annex.
SECONDS_PER_CHARACTER = {"brief": 6.5e-5, "factsheet": 1.0e-4, "annex": 5.5e-5}


def expected_seconds(job: Job) -> float:
    """How long `job` should take: its last time, else an estimate from its HTML."""
    if job.last_seconds is not None:
        return job.last_seconds
    rate = SECONDS_PER_CHARACTER.get(job.identifier[2], max(SECONDS_PER_CHARACTER.values()))
    return len(job.rendered.html) * rate


@dataclass(frozen=True)
class Made:
    """One finished PDF, with what the manifest and the cache keep of its making."""

    name: str
    data: bytes
    facts: PdfFacts
    notes: tuple[str, ...]
    fetched: dict[str, str]  # project files WeasyPrint read, with their sha256
    seconds: float
    peak_kib: int  # the peak resident memory of the process that made it


def verify_fonts(label: str, programs: Sequence[tuple[str, bytes | None]], registry: FontRegistry) -> None:
    """Fail when a PDF embeds a font program whose glyphs are not those of a shipped file."""
    foreign = sorted(name for name, program in programs
                     if program is None or identify(program, registry) is None)
    if foreign:
        raise RenderError(f"{label}: embeds fonts not shipped in fonts/: {', '.join(foreign)}")


def make(job: Job) -> Made:
    """Lay out, finish and check one PDF (`make_pdf` in `build`, as `copies` also makes one)."""
    started = time.perf_counter()
    notes: list[str] = []
    fetched: dict[str, str] = {}
    data = render_pdf(job.project, job.rendered, pdf_identifier(*job.identifier), job.label, notes,
                      fetched, job.registry)
    finished = finish_pdf(job.project, data, job.rendered.pdf_variant, job.content, job.profile,
                          job.registry, job.finish)
    verify_fonts(job.label, finished.read.programs, job.registry)
    return Made(job.name, finished.data, finished.read.facts, tuple(notes), fetched,
                time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _start_worker(temporary: str, parent: int | None, project: Project | None,
                  registry: FontRegistry | None) -> None:
    """A worker leaves Ctrl-C to the caller and dies at once when the pool is ended, or when
    its `parent` dies (`_die_with`); its temporary files go into the pool's folder. With
    `registry`, it reads the shipped fonts as every job's finishing and font check will, while
    the caller is still preparing the jobs."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(parent)
    tempfile.tempdir = temporary
    import weasyprint  # noqa: F401  once per worker, not once per target

    if project is not None and registry is not None:
        try:
            font_configuration(project, registry)
            for font in registry.fonts:
                read_shipped(font.path)
                glyph_texts(font.path)
                blank_glyphs(font.path)
        except Exception:  # a font saved meanwhile: the first job that reads it says what is wrong
            pass


_PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies


def _die_with(parent: int | None) -> None:
    """On Linux, have the kernel kill this worker when the process that forked it dies (the
    caller, `parent`, or a fork server that ends with the caller): a caller killed with SIGKILL
    runs no cleanup, and a worker waiting for its next job would wait for ever, holding the
    caller's output pipes open."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:  # it died before the request was made
        os._exit(1)


class Pool(ProcessPoolExecutor):
    """Worker processes whose temporary files (WeasyPrint's copies of @font-face fonts) are kept
    in a folder of the pool's own, removed when the pool is closed: a worker killed mid-job (an
    error in another job, Ctrl-C, SIGTERM) cannot remove its own."""

    def __init__(self, processes: int, project: Project | None = None,
                 registry: FontRegistry | None = None) -> None:
        self.temporary = tempfile.mkdtemp(prefix="briefpress-workers-")
        context = _context()
        parent = os.getpid() if context.get_start_method() == "fork" else None  # else a fork server
        super().__init__(processes, mp_context=context, initializer=_start_worker,
                         initargs=(self.temporary, parent, project, registry))


def _context() -> Any:
    """Fork when the caller runs one thread (workers start with everything imported), else a
    fork server: forking a process whose other threads may hold locks can deadlock."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


Result = TypeVar("Result")


def open_pool(processes: int, project: Project | None = None, registry: FontRegistry | None = None,
              wait: bool = True) -> Pool:
    """A pool of `processes` workers, for a caller that keeps it across builds (`preview`), or
    that prepares its jobs while the workers read `registry`'s fonts (`build`).

    The workers start now, not at the first job: a caller may start threads afterwards, and
    forking a process whose other threads may hold locks can deadlock. A forking pool forks
    every worker at its first job, here; unless `wait`, the caller goes on while they start.

    A forked worker shares the caller's memory until it writes to it, and a garbage collection
    writes to every object it visits: the caller's objects are left out of the workers'
    collections (`gc.freeze`), so their pages stay shared."""
    gc.freeze()
    try:
        pool = Pool(processes, project, registry)
        try:
            started = pool.submit(os.getpid)  # a forking pool starts every worker on its first job
            if wait:
                started.result()
        except BaseException:
            close_pool(pool, abandon=True)
            raise
    finally:
        gc.unfreeze()  # the caller's own collections go on as before
    return pool


@contextmanager
def started_pool(processes: int, project: Project, registry: FontRegistry) -> Iterator[Pool | None]:
    """A pool of `processes` workers started now, reading `registry`'s fonts while the caller
    prepares their jobs (None for one process); closed when the block ends, its workers killed
    when the block raises."""
    if processes <= 1:
        yield None
        return
    pool = open_pool(processes, project, registry, wait=False)
    try:
        yield pool
    except BaseException:
        close_pool(pool, abandon=True)
        raise
    close_pool(pool)


def close_pool(pool: ProcessPoolExecutor, abandon: bool = False) -> None:
    """Stop a pool's workers and wait for them (again, for a pool already closed). `abandon` (an
    error, Ctrl-C, SIGTERM, nothing to do) kills them first rather than letting them finish what
    they hold.

    An executor, not a `multiprocessing.Pool`: a worker killed while writing its PDF back holds
    the result queue's lock, and `Pool.terminate` then waits on that lock for ever (a build
    that got SIGTERM under load never exited). The executor watches each worker's exit and
    never writes to a queue a dead worker shares."""
    for process in list(multiprocessing.active_children()) if abandon else ():
        if process.pid in _pids(pool):
            process.kill()
    pool.shutdown(wait=True, cancel_futures=True)
    if isinstance(pool, Pool):
        shutil.rmtree(pool.temporary, ignore_errors=True)


def _pids(pool: ProcessPoolExecutor) -> set[int]:
    processes = getattr(pool, "_processes", None) or {}  # None once the pool is shut down
    return set(processes)


def make_all(jobs: Sequence[Job], processes: int, pool: ProcessPoolExecutor | None = None
             ) -> Iterator[Made]:
    """Every job's PDF, each as it is finished (in no fixed order with several processes)."""
    return run_all(jobs, processes, pool, make)


@dataclass(frozen=True)
class _Attempt:
    """What a worker hands back: a job's result, or the error it raised."""

    name: str
    result: Any = None
    error: BaseException | None = None


def _attempt(work: Callable[[Job], Any], job: Job) -> _Attempt:
    try:
        return _Attempt(job.name, result=work(job))
    except Exception as error:
        return _Attempt(job.name, error=error)


def run_all(jobs: Sequence[Job], processes: int, pool: ProcessPoolExecutor | None,
            work: Callable[[Job], Result]) -> Iterator[Result]:
    """`work` done for every job, each result as it is finished; with `pool`, its workers do it
    and it stays open, else `processes` workers are started for these jobs alone.

    A failure is the one a single process would meet: the first job, in the order given, that
    fails. When a worker's job fails, the pool is stopped, and the jobs before it that had not
    finished are done here, in order, until one fails; if none does, the worker's error is raised.
    """
    if pool is None and min(processes, len(jobs)) <= 1:
        for job in jobs:
            yield work(job)
        return
    # The longest first: a long job started last would leave the other workers idle at the end.
    ordered = sorted(jobs, key=lambda job: -expected_seconds(job))
    own = pool is None
    workers = open_pool(min(processes, len(jobs))) if own else pool
    assert workers is not None
    futures: list[Future[_Attempt]] = []
    finished = False
    try:
        futures = [workers.submit(_attempt, work, job) for job in ordered]
        done: set[str] = set()
        for future in as_completed(futures):
            attempt = future.result()
            if attempt.error is not None:
                _stop(workers, futures, own)
                for job in jobs:
                    if job.name == attempt.name:
                        break
                    if job.name not in done:
                        work(job)  # raises, if this earlier job fails too
                raise attempt.error
            done.add(attempt.name)
            yield attempt.result
        finished = True
    except BrokenProcessPool as error:  # not a job's failure: a worker process went
        raise WorkerDied("a worker process died while making the PDFs (killed, or out of memory?); "
                         "nothing was written") from error
    finally:
        if not finished:
            _stop(workers, futures, own)
        elif own:
            close_pool(workers)


def _stop(workers: ProcessPoolExecutor, futures: Sequence[Future[_Attempt]], own: bool) -> None:
    """Drop what is left to do: kill the workers of a pool of this build's own; in a kept pool,
    cancel the jobs not yet started."""
    if own:
        close_pool(workers, abandon=True)
    else:
        for future in futures:
            future.cancel()
