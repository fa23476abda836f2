"""The `briefpress` command: init, build, check, list, impose and copies."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import signal
import sys
import traceback
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__

if TYPE_CHECKING:
    from .check.preflight import Report
    from .project import Project

# Only the standard library is imported above: `main` installs its signal handlers before
# the heavy imports (pydantic, WeasyPrint), so an early Ctrl-C or SIGTERM ends in one line.
DOCUMENTS = ("brief", "factsheet", "annex")
BINDINGS = ("right", "left")  # briefpress.output.impose.BINDINGS
SHEETS = ("A3", "A4", "letter")  # briefpress.output.impose.SHEETS
# They read or write a project's content.
PROJECT_COMMANDS = ("build", "watch", "preview", "list", "copies", "new", "text")
MARKER = "briefpress.toml"  # briefpress.project.MARKER
BROKEN_PIPE = 141  # the exit code of a command whose reader closed its output, as a shell gives


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises instead of exiting, so `main` owns the exit code."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageProblem(f"{self.prog}: {message}")


class _UsageProblem(Exception):
    pass


def _share(text: str) -> float:
    """A share from 0 to 1, for `--min-recall`: nan, infinities and percentages are refused."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 1:  # also false for nan
        raise argparse.ArgumentTypeError(f"must be a share from 0 to 1, e.g. 0.97; got '{text}'")
    return value


def _jobs(text: str) -> int:
    """A number of processes for `--jobs`: 1 to 256."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 256:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 256; got '{text}'")
    return value


def _port(text: str) -> int:
    """A TCP port for `--port`: 0 (any free one) to 65535."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"must be a port from 0 to 65535; got '{text}'")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    from .check import MIN_RECALL

    parser = _Parser(prog="briefpress", description=__doc__)
    parser.add_argument("--version", action="version", version=f"briefpress {__version__}")
    parser.add_argument("--project", type=Path, default=None,
                        help="project folder (default: found from the current folder upwards)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    init_command = commands.add_parser(
        "init", help="write a new project: a sample publication, the audience profiles, schemas",
        description="Write a new project into DIR: briefpress.toml (the marker), content/ with a "
                    "sample publication, templates/audiences/ with the default profiles, schemas/, "
                    "a .gitignore and a README. Templates, stylesheets and fonts the project does not "
                    "hold come from the installed briefpress.")
    init_command.add_argument("dir", type=Path, metavar="DIR")
    init_command.add_argument("--force", action="store_true", help="write into a folder that is not empty")

    build_command = commands.add_parser("build", help="build PDFs into the output folder")
    _selection_options(build_command)
    build_command.add_argument("--force", action="store_true",
                               help="render every PDF, even those whose inputs have not changed")
    build_command.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")

    watch_command = commands.add_parser("watch", help="build, then build again what each save "
                                        "changes, until Ctrl-C")
    _selection_options(watch_command)
    watch_command.add_argument("--force", action="store_true",
                               help="render every PDF in the first build; each save's build "
                                    "renders what it changed")
    watch_command.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")

    preview_command = commands.add_parser(
        "preview", help="show every edition of a publication side by side in a browser, redrawn "
                        "on each save, until Ctrl-C")
    preview_command.add_argument("--publication", metavar="ID",
                                 help="publication (default: the only one)")
    preview_command.add_argument("--port", type=_port, default=8765, metavar="PORT",
                                 help="port on 127.0.0.1 (default 8765; 0: any free port)")
    preview_command.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                                 help="draw in N processes (default: the cores available)")

    check_command = commands.add_parser(
        "check", help="preflight any PDF, or a whole project: page sizes, fonts, text layers, "
                      "right-to-left layout",
        description="Read PDFs back and check page sizes, embedded fonts, Arabic presentation forms "
                    "in the pdfium and poppler text layers, right anchoring of right-to-left "
                    "paragraphs and the side of their list markers; with --source, that the "
                    "source's left-to-right runs are drawn left to right and how much of it each "
                    "reader gives back. Exit 1 when a check fails. Without PDFs, build the project "
                    "(--project, or the one found from here) into build/ and check every PDF; "
                    "also name each override of a package default changed since the project was "
                    "made.")
    check_command.add_argument("pdfs", nargs="*", type=Path, metavar="PDF",
                               help="PDFs to check (none: build the project and check every PDF)")
    check_command.add_argument("--source", type=Path, metavar="FILE",
                               help="UTF-8 text the PDF should hold: checks left-to-right runs and "
                                    "text-layer recall")
    check_command.add_argument("--min-recall", type=_share, default=MIN_RECALL, metavar="SHARE",
                               help="share of the source's words each reader must give back, "
                                    f"from 0 to 1 (default {MIN_RECALL})")
    check_command.add_argument("--any-font", action="store_true",
                               help="accept any embedded font, not only those in the project's fonts/")
    check_command.add_argument("--json", action="store_true", help="print one JSON report")

    commands.add_parser("list", help="list publications, audiences (with the tags each gets "
                        "and loses) and documents")

    text_command = commands.add_parser(
        "text", help="print the text an edition's brief prints, one paragraph a line: the --source "
                     "for `check` of that brief")
    text_command.add_argument("--audience", required=True, metavar="NAME")
    text_command.add_argument("--publication", metavar="ID",
                              help="publication (default: the only one)")

    schema_command = commands.add_parser("schema", help="write the JSON Schemas of the YAML files")
    schema_command.add_argument("--out", type=Path, default=None,
                                help="folder (default: schemas/ in the project)")

    new_command = commands.add_parser("new", help="write a skeleton publication or audience")
    new_command.add_argument("kind", choices=("publication", "audience"))
    new_command.add_argument("name", metavar="NAME")

    impose_command = commands.add_parser("impose", help="impose a PDF as a saddle-stitched booklet")
    impose_command.add_argument("pdf", type=Path, metavar="PDF")
    impose_command.add_argument("--out", type=Path, required=True, help="the imposed PDF to write")
    impose_command.add_argument("--binding", choices=BINDINGS,
                                help="binding edge (default: from the PDF's /ViewerPreferences "
                                     "/Direction, else its /Lang, else left)")
    impose_command.add_argument("--sheet", choices=SHEETS,
                                help="print on this sheet, pages scaled down only if two do not fit "
                                     "(default: a sheet of two pages with their bleed and marks)")

    copies_command = commands.add_parser("copies", help="numbered copies of one document, one per "
                                         "recipient, each stamped with its number and recipient")
    copies_command.add_argument("--audience", required=True, metavar="NAME")
    copies_command.add_argument("--doc", required=True, choices=DOCUMENTS, metavar="KIND",
                                help=f"document: {', '.join(DOCUMENTS)}")
    copies_command.add_argument("--recipients", required=True, type=Path, metavar="CSV",
                                help="UTF-8 CSV with a 'name' column and any other columns")
    copies_command.add_argument("--publication", metavar="ID",
                                help="publication (default: the only one)")
    copies_command.add_argument("--out", type=Path, default=None,
                                help="output folder (default: build/ in the project)")
    for command in commands.choices.values():  # `briefpress build --project DIR` as well
        command.add_argument("--project", type=Path, default=argparse.SUPPRESS,
                             help="project folder (default: found from the current folder upwards)")
    return parser


def _selection_options(command: argparse.ArgumentParser) -> None:
    """What `build` and `watch` make, where, and in how many processes."""
    command.add_argument("--publication", action="append", metavar="ID",
                         help="publication to build (repeatable; default: all)")
    command.add_argument("--doc", action="append", choices=DOCUMENTS, metavar="KIND",
                         help=f"document to build: {', '.join(DOCUMENTS)} (repeatable; default: all)")
    command.add_argument("--audience", action="append", metavar="NAME",
                         help="audience to build (repeatable; default: all)")
    command.add_argument("--out", type=Path, default=None,
                         help="output folder (default: build/ in the project)")
    command.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                         help="render in N processes (default: the cores available)")


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: clean up on the way out."""


_received: set[int] = set()  # the signals a command got: a library that catches the exception
# (watchfiles, in watch and preview) raises a plain KeyboardInterrupt of its own instead


def _terminate(signum: int, frame: object) -> None:
    _received.add(signum)
    raise Terminated


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """Turn Ctrl-C and SIGTERM into exceptions for the duration of a command."""
    try:
        previous = {signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler),
                    signal.SIGTERM: signal.signal(signal.SIGTERM, _terminate)}
    except ValueError:  # not the main thread: signals go elsewhere
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv: list[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the command line; return the exit code."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    _received.clear()
    try:
        with _interruptible():
            return _run(argv, stdout, stderr)
    except KeyboardInterrupt as interrupt:
        if isinstance(interrupt, Terminated) or signal.SIGTERM in _received:
            print("briefpress: terminated", file=stderr)
            return 143
        print("briefpress: interrupted", file=stderr)
        return 130


def _run(argv: list[str] | None, stdout: TextIO, stderr: TextIO) -> int:
    try:
        args = _parser().parse_args(argv)
    except _UsageProblem as problem:
        print(problem, file=stderr)
        return 2
    from .errors import BriefpressError
    from .project import find_project

    project = find_project(args.project)
    try:
        if args.command == "init":
            return _init(args, stdout)
        if not project.exists and (args.command in PROJECT_COMMANDS
                                   or (args.command == "check" and not args.pdfs)):
            from .errors import UsageError

            raise UsageError(f"{project.root}: no briefpress project here or above (no {MARKER} "
                             "and no content/ folder); make one with `briefpress init DIR`, or "
                             "name one with --project DIR")
        if args.command == "build":
            return _build(project, args, stdout, stderr)
        if args.command == "watch":
            return _watch(project, args, stdout, stderr)
        if args.command == "preview":
            return _preview(project, args, stdout, stderr)
        if args.command == "list":
            _list(project, stdout)
            return 0
        if args.command == "schema":
            from .source.schema import SCHEMA_DIR, write_schemas

            for path in write_schemas(args.out or project.root / SCHEMA_DIR):
                print(f"wrote {path}", file=stdout)
            return 0
        if args.command == "new":
            from .source.skeleton import new_audience, new_publication

            make = new_publication if args.kind == "publication" else new_audience
            for path in make(project, args.name):
                print(f"wrote {project.relative(path)}", file=stdout)
            return 0
        if args.command == "check":
            return _check(project, args, stdout, stderr)
        if args.command == "text":
            from .printedtext import printed_brief

            print(printed_brief(project, args.audience, args.publication), file=stdout)
            return 0
        if args.command == "copies":
            from .copies import make_copies
            from .output.copyindex import COPIES_JSON

            made = make_copies(project, args.out or project.root / "build", args.audience, args.doc,
                               args.recipients, args.publication,
                               on_wait=lambda message: print(message, file=stderr, flush=True))
            print(f"wrote {made.count} copies and {COPIES_JSON} into {made.folder}; one render "
                  f"{made.render_seconds:.2f} s, {made.seconds_per_copy:.3f} s per copy "
                  f"({made.ratio:.0f}x)", file=stdout)
            return 0
        if args.command == "impose":
            _impose(args.pdf, args.out, args.binding, args.sheet, stdout)
            return 0
        raise AssertionError(f"unhandled command {args.command}")
    except BriefpressError as error:
        if args.debug:
            traceback.print_exc(file=stderr)
        for found in error.problems:
            print(str(found), file=stderr)
        return error.exit_code
    except BrokenPipeError:
        # Whoever read the output stopped (`briefpress text | head -1`): stop too, quietly.
        if stdout is sys.stdout:
            _discard_stdout()
        return BROKEN_PIPE
    except Exception as error:
        if args.debug:
            traceback.print_exc(file=stderr)
        print(f"briefpress: internal error: {type(error).__name__}: {error}"
              + ("" if args.debug else "; run with --debug for the traceback"), file=stderr)
        return 1


def _discard_stdout() -> None:
    """Send what is left of the standard output nowhere, so that flushing it at exit does not
    fail again on the closed pipe."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _init(args: argparse.Namespace, stdout: TextIO) -> int:
    """`init`: write a new project, then say what to type next."""
    from .defaults import package_data
    from .scaffold import init_project

    written = init_project(args.dir, package_data(), args.force)
    for path in written:
        print(f"wrote {path}", file=stdout)
    print(f"next: cd {args.dir} && briefpress build   (or: briefpress preview)", file=stdout)
    return 0


def _build(project: Project, args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """`build`: an unchanged build is told from the inputs' digest before anything heavy is
    imported; otherwise the pipeline runs, with progress on `stdout`."""
    from .output.cache import build_selection, input_stamp, up_to_date
    from .progress import progress_for

    out_dir = args.out or project.root / "build"
    show = progress_for(stdout, args.quiet)
    on_wait = None if args.quiet else (lambda message: print(message, file=stderr, flush=True))
    on_note = None if args.quiet else (lambda note: print(f"note: {note}", file=stderr))
    refused = project.output_problem(out_dir)
    if refused:
        from .errors import Problem, UsageError

        raise UsageError(Problem(out_dir, refused))
    stamp = input_stamp(project.root, build_selection(args.publication, args.doc, args.audience),
                        project.defaults)
    unchanged = None if args.force else up_to_date(project.root, out_dir, stamp, on_wait,
                                                        project.locate)
    if unchanged is not None:
        show.unchanged(unchanged.selected)
        for name in unchanged.selected:
            for note in unchanged.records[name].notes:
                if on_note:
                    on_note(note)
        show.finished(len(unchanged.selected), out_dir / "manifest.json")
        return 0
    from .build import build

    notes: list[str] = []
    with show:
        targets = build(project, out_dir, args.publication, args.doc, args.audience,
                        on_wait=on_wait, on_note=notes.append, jobs=args.jobs, force=args.force,
                        on_start=show.start, on_progress=show.progress, on_removed=show.removed,
                        on_stale_copies=show.stale_copies)
    for note in notes:
        if on_note:
            on_note(note)
    show.finished(len(targets), out_dir / "manifest.json")
    return 0


def _problems(error: BaseException, stderr: TextIO) -> None:
    """Print a failed build's problems, located, and keep going."""
    from .errors import BriefpressError

    if isinstance(error, BriefpressError):
        for found in error.problems:
            print(str(found), file=stderr, flush=True)
    else:
        print(f"briefpress: internal error: {type(error).__name__}: {error}", file=stderr, flush=True)


def _watch(project: Project, args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """`watch`: a build now, then one after each save; a failed build is reported, not fatal."""
    from .build import build
    from .progress import PlainProgress
    from .watch import fonts_state, forget_fonts, saves, watched_folders

    out_dir = args.out or project.root / "build"
    refused = project.output_problem(out_dir)
    if refused:  # every build would fail alike: say so once, and do not watch
        from .errors import Problem, UsageError

        raise UsageError(Problem(out_dir, refused))
    fonts = fonts_state(project)
    said = None if args.quiet else stdout  # `--quiet`: errors alone, on stderr
    on_wait = None if args.quiet else (lambda message: print(message, file=stderr, flush=True))

    def once(force: bool) -> None:
        nonlocal fonts
        now = fonts_state(project)  # the fonts this process read may be older than fonts/
        if now != fonts:
            forget_fonts()
        fonts = now
        show = PlainProgress(said)
        notes: list[str] = []
        try:
            targets = build(project, out_dir, args.publication, args.doc, args.audience,
                            on_wait=on_wait, on_note=notes.append, jobs=args.jobs, force=force,
                            on_progress=show.progress, on_removed=show.removed,
                            on_stale_copies=show.stale_copies)
        except Exception as error:  # bad input, or a render that failed: say so, keep watching
            _problems(error, stderr)
            return
        for note in notes if said else []:
            print(f"note: {note}", file=stderr, flush=True)
        show.finished(len(targets), out_dir / "manifest.json")

    for changed in saves(project):  # the first build once the folders are watched: a save during it is seen
        once(args.force and not changed)
        if not changed and said:
            folders = ", ".join(f"{project.relative(folder)}/" for folder in watched_folders(project))
            print(f"watching {folders} (Ctrl-C stops)", file=said, flush=True)
    return 0


def _preview(project: Project, args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """`preview`: serve every edition on 127.0.0.1 and draw again what each save changes."""
    import threading

    from .preview.editions import Editions
    from .preview.server import PreviewServer
    from .watch import fonts_state, forget_fonts, saves
    from .workers import default_jobs, open_pool

    processes = args.jobs or default_jobs()
    pool = open_pool(processes) if processes > 1 else None  # forked before any thread starts
    editions = Editions(project, args.publication, pool, processes)
    try:
        try:
            server = PreviewServer(editions, args.port)
        except OSError as error:
            from .errors import Problem, UsageError

            raise UsageError(Problem(f"127.0.0.1:{args.port}", f"cannot serve the preview "
                                     f"({error.strerror or error})", field="--port")) from error
        threading.Thread(target=server.serve_forever, name="preview server", daemon=True).start()
        print(f"serving {server.url} (Ctrl-C stops)", file=stdout, flush=True)
        try:
            fonts = fonts_state(project)
            for changed in saves(project):  # the first drawing once the folders are watched
                now = fonts_state(project)  # the fonts this process read may be older than fonts/
                if now != fonts:
                    forget_fonts()
                fonts = now
                _draw(editions, stdout, stderr)
                if not changed:
                    print("watching for saves", file=stdout, flush=True)
        finally:
            server.stop()
    finally:
        editions.close()  # its pool: the one opened here, or the one that replaced it
    return 0


def _draw(editions: object, stdout: TextIO, stderr: TextIO) -> None:
    import time

    from .preview.editions import Editions

    assert isinstance(editions, Editions)
    started = time.perf_counter()
    try:
        drawn = editions.refresh()
    except Exception as error:  # a render that failed: on the terminal, and keep serving
        _problems(error, stderr)
        return
    if editions.state.error:
        print(editions.state.error, file=stderr, flush=True)
        return
    print(f"drew {len(drawn)} document(s) in {time.perf_counter() - started:.2f} s"
          + (f": {', '.join(sorted(drawn))}" if drawn else ""), file=stdout, flush=True)


def _list(project: Project, stdout: TextIO) -> None:
    """Publications, audiences with the tagged blocks each gets and loses, and documents."""
    from .build import load_all, publication_ids
    from .source.audiences import printed_items

    ids = publication_ids(project)
    for publication in ids:
        print(f"publication {publication}", file=stdout)
    contents, profiles = load_all(project, ids)
    for name, profile in profiles.items():
        print(f"audience {name}: {', '.join(profile.documents)}", file=stdout)
        for publication, content in contents.items():
            if not profile.gets(publication):
                print(f"  skips {publication}", file=stdout)
                continue
            # An item is got, or lost, under each of its own tags.
            counted = Counter((tag, shown) for tags, _, _, shown in printed_items(content, profile)
                              for tag in tags)
            for (tag, shown), count in sorted(counted.items()):
                verb = "gets" if shown else "loses"
                print(f"  {verb} {tag}: {count} tagged item(s) in {publication}", file=stdout)
    for document in DOCUMENTS:
        print(f"document {document}", file=stdout)


def _impose(source: Path, out: Path, binding: str | None, sheet: str | None, stdout: TextIO) -> None:
    from .check.pdfbounds import quiet_readers, read_pdf
    from .errors import Problem, UsageError
    from .output.impose import impose
    from .output.staging import file_target_problem, write_atomically

    problem = file_target_problem(out)
    if problem:
        raise UsageError(Problem(out, problem, field="--out"))
    if out.exists() and source.exists() and out.samefile(source):
        raise UsageError(Problem(out, "is the PDF to impose; write the booklet to another file",
                                 field="--out"))
    data = read_pdf(source)
    with quiet_readers():
        imposed = impose(data, str(source), binding, sheet)  # type: ignore[arg-type]
    try:
        write_atomically(out, imposed.data)
    except OSError as error:
        raise UsageError(Problem(out, f"cannot write the booklet ({error.strerror or error})",
                                 field="--out")) from error
    print(f"wrote {out}: {imposed.pages} page(s) on {imposed.sheets} sheet(s), "
          f"{imposed.binding}-edge binding ({imposed.reason})", file=stdout)
    if imposed.pdfx_dropped:
        print(f"{out}: not PDF/X: on a --sheet the pages lose their bleed, so the PDF/X-4 claim is "
              "dropped; impose without --sheet for the print shop", file=stdout)


def _check(project: Project, args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .check.preflight import preflight
    from .errors import InputError, Problem
    from .fonts.registry import load_registry
    from .sandbox import Refused, decode_text, read_regular
    from .source.yamlsource import MAX_SOURCE_BYTES

    if not args.pdfs:
        return _check_project(project, args, stdout, stderr)
    registry = None if args.any_font else load_registry(*project.font_dirs)
    source = None
    if args.source is not None:  # the user's own file, outside the project: bounded, not sandboxed
        try:
            source = decode_text(read_regular(args.source, MAX_SOURCE_BYTES))
        except Refused as refused:
            raise InputError(Problem(args.source, f"cannot read the source text: {refused.reason}",
                                     refused.line)) from None
        if not any(character.isalnum() for character in source):  # every recall of nothing is 100 %
            raise InputError(Problem(args.source, "the source text holds no word to measure the "
                                     "PDF's text against"))
    reports = [preflight(path, registry, source, args.min_recall) for path in args.pdfs]
    if args.json:
        print(json.dumps([report.as_dict() for report in reports], ensure_ascii=False, indent=2),
              file=stdout)
    else:
        for report in reports:
            _print_report(report, stdout, stderr)
    return 0 if all(report.ok for report in reports) else 1


def _check_project(project: Project, args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """`check` without PDFs: build the project, check every PDF, name changed defaults."""
    from .projectcheck import check_project

    found = check_project(project, project.root / "build",
                          on_wait=lambda message: print(message, file=stderr, flush=True))
    if args.json:
        print(json.dumps({"ok": found.ok, "pdfs": [report.as_dict() for report in found.reports],
                          "changed_defaults": [str(changed) for changed in found.changed]},
                         ensure_ascii=False, indent=2), file=stdout)
    else:
        for report in found.reports:
            _print_report(report, stdout, stderr)
        for changed in found.changed:
            print(f"warn {changed}", file=stdout)
        failed = sum(not report.ok for report in found.reports)
        print(f"checked {len(found.reports)} PDF(s): {failed} failed; {len(found.changed)} "
              "override(s) of a changed default", file=stdout)
    return 0 if found.ok else 1


def _print_report(report: Report, stdout: TextIO, stderr: TextIO) -> None:
    """The facts and each check on stdout; each failure again on stderr, after the PDF's path."""
    width, height = report.page_size
    print(f"{report.path}: {report.pages} page(s), {width} x {height} pt, fonts: "
          f"{', '.join(report.fonts) or 'none'}", file=stdout)
    for check in report.checks:
        status = "warn" if check.warning else {True: "ok", False: "FAIL", None: "skip"}[check.ok]
        print(f"  {status:<5}{check.name}: {check.summary}", file=stdout)
        for finding in check.findings[:10]:
            print(f"         {finding}", file=stdout)
        if len(check.findings) > 10:
            print(f"         ... and {len(check.findings) - 10} more", file=stdout)
    for problem in report.problems:
        print(f"{report.path}: {problem}", file=stderr)


if __name__ == "__main__":
    sys.exit(main())
