"""Benchmark the build and the authoring loop; every figure measured in one run, as ratios.

Builds run as `briefpress build` in a fresh process (imports, font setup and rendering
included), on a copy of the project in a temporary folder, so that the ratios compare like
with like on a machine whose load changes from minute to minute:

- cold: a full build with an empty output folder, on one process and on two, against
  WeasyPrint's own render and write of the same documents (the same HTML, stylesheets and
  shipped fonts, laid out once each, in one fresh process: bench/weasyprint_only.py); each of
  the three made ROUNDS times in turn, and the medians compared, with the measured code's
  bytecode compiled first, as an installed package's is;
- two processes against one;
- an unchanged rebuild, and a rebuild after a real edit to one profile, against a full build;
- save to preview: `briefpress preview` serving, the seconds from a save to the page state
  that shows the redrawn page (polled every 20 ms, as the page's event stream would tell it);
- peak resident memory of each worker of a two-process build;
- growth: full builds of 1, 5 and 20 generated publications (copies of the first, one
  audience, three documents each);
- the suite: `pytest -n <cores> --dist loadfile` wall time (BENCH_SUITE=0 skips it);
- numbered copies, as before: seconds per stamped copy against one full render.

Writes build/bench.json. BENCH_CODE=<folder> measures another checkout's code (its src/)
on this project, for before-and-after figures; figures its command line cannot give are null.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("BENCH_CODE", ROOT)).resolve()
ENV = {**os.environ, "PYTHONPATH": str(CODE / "src")}
BRIEFPRESS = [sys.executable, "-m", "briefpress.cli"]
PUBLICATION = "russia-dprk-partnership"
COPIES = 100
COPIES_EDITION = (PUBLICATION, "decision-makers", "brief")
GROWTH = (1, 5, 20)
ROUNDS = 3  # cold builds and WeasyPrint's own render, each made this many times in turn: medians


def project_copy(folder: Path, publications: int = 0) -> Path:
    """The project's content, templates and fonts under `folder`; with `publications`, that many
    copies of the first publication instead of the shipped content."""
    root = folder / "project"
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "fonts", root / "fonts")
    if not publications:
        shutil.copytree(ROOT / "content", root / "content")
        return root
    (root / "content").mkdir(parents=True)
    for path in (ROOT / "content").glob("*.yaml"):
        shutil.copy(path, root / "content" / path.name)
    for number in range(1, publications + 1):
        name = f"generated-{number:02d}"
        shutil.copytree(ROOT / "content" / PUBLICATION, root / "content" / name)
        meta = root / "content" / name / "publication.yaml"
        meta.write_text(meta.read_text(encoding="utf-8").replace(f"id: {PUBLICATION}", f"id: {name}"),
                        encoding="utf-8")
    return root


def supports(option: str) -> bool:
    help_text = subprocess.run([*BRIEFPRESS, "build", "--help"], capture_output=True, text=True,
                               env=ENV, check=True).stdout
    return option in help_text


def timed_build(root: Path, out: Path, *arguments: str) -> float:
    start = time.perf_counter()
    subprocess.run([*BRIEFPRESS, "--project", str(root), "build", "--out", str(out), *arguments],
                   check=True, capture_output=True, env=ENV)
    return time.perf_counter() - start


def compile_code() -> None:
    """Give the measured code its bytecode, as an installed package has it (pip compiles at
    install): a checkout's `src/` otherwise has none where writing bytecode is off
    (PYTHONDONTWRITEBYTECODE), and every process would compile it again, WeasyPrint not."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(CODE / "src")], check=True,
                   capture_output=True)


def weasyprint_only(root: Path, folder: Path) -> float:
    """Seconds of WeasyPrint's own render and write of every document the project builds."""
    folder.mkdir(parents=True, exist_ok=True)
    documents = folder / "documents.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "weasyprint_only.py"), "prepare",
                    str(root), str(documents)], check=True, env=ENV)
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "bench" / "weasyprint_only.py"), "render",
                    str(root), str(documents), str(folder / "plain")], check=True, env=ENV)
    return time.perf_counter() - start


def worker_memory(root: Path, out: Path) -> dict:
    """Peak resident memory (MiB) of each process that made a PDF in a two-process build."""
    probe = ("import json, sys; from pathlib import Path; from briefpress.build import build; "
             "from briefpress.project import Project; peaks = {}; "
             "build(Project(Path(sys.argv[1])), Path(sys.argv[2]), jobs=2, force=True, "
             "on_progress=lambda p: peaks.__setitem__(p.target.label, p.peak_kib)); "
             "print(json.dumps(peaks))")
    result = subprocess.run([sys.executable, "-c", probe, str(root), str(out)], capture_output=True,
                            text=True, env=ENV, check=True)
    peaks = sorted(set(json.loads(result.stdout).values()))
    return {"max_mib": round(max(peaks) / 1024, 1), "peaks_mib": [round(peak / 1024, 1) for peak in peaks]}


def preview_latency(folder: Path) -> dict | None:
    """Seconds from a save to the preview state showing the redrawn page, for two kinds of save."""
    root = project_copy(folder / "preview")
    preview = subprocess.Popen([*BRIEFPRESS, "--project", str(root), "preview", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        assert preview.stdout is not None
        url = ""
        for line in preview.stdout:
            if line.startswith("serving "):
                url = line.split()[1]
            if line.startswith("watching for saves"):
                break
        if not url:
            return None

        def page(audience: str, document: str) -> str:
            with urllib.request.urlopen(url + "state", timeout=30) as response:
                state = json.loads(response.read())
            for edition in state["editions"]:
                if edition["audience"] == audience:
                    for shown in edition["documents"]:
                        if shown["document"] == document and shown["pages"]:
                            return " ".join(shown["pages"])
            return ""

        def save_and_wait(path: Path, old: str, new: str, audience: str, document: str) -> float:
            before = page(audience, document)
            path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
            start = time.perf_counter()
            while page(audience, document) == before:
                if time.perf_counter() - start > 120:
                    raise TimeoutError(f"{audience}/{document} not redrawn")
                time.sleep(0.02)
            return time.perf_counter() - start

        profile = root / "templates" / "audiences" / "press.yaml"
        facts = root / "content" / PUBLICATION / "facts.yaml"
        brief = root / "content" / PUBLICATION / "brief.md"
        results = {"profile_edit_s": save_and_wait(profile, '"#1f3f77"', '"#7a1f1f"', "press", "factsheet")}
        time.sleep(2)
        results["facts_edit_s"] = save_and_wait(facts, "title: حقائق وأرقام", "title: حقائق", "press",
                                                "factsheet")
        time.sleep(2)
        text = brief.read_text(encoding="utf-8")
        first_line = next(line for line in text.splitlines() if line.startswith("running_head:"))
        results["brief_running_head_edit_s"] = save_and_wait(brief, first_line, first_line + " الجديد",
                                                      "general", "brief")
        return {name: round(value, 2) for name, value in results.items()}
    finally:
        preview.terminate()
        preview.communicate(timeout=30)


def growth(folder: Path, jobs: bool) -> dict:
    """Full builds of generated publications, one audience (three documents each)."""
    figures = {}
    for count in GROWTH:
        root = project_copy(folder / f"growth-{count}", publications=count)
        seconds = timed_build(root, folder / f"growth-{count}" / "out", "--audience", "general")
        figures[str(count)] = {"pdfs": 3 * count, "seconds": round(seconds, 2),
                               "per_pdf_s": round(seconds / (3 * count), 3)}
    return figures


def suite_seconds() -> float | None:
    if os.environ.get("BENCH_SUITE", "1") == "0":
        return None
    workers = str(os.cpu_count() or 2)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", workers, "--dist", "loadfile",
                             "-p", "no:cacheprovider"], cwd=CODE, env=ENV, capture_output=True,
                            text=True)
    seconds = time.perf_counter() - start
    (ROOT / "build" / "bench-suite.log").write_text(result.stdout[-20000:] + result.stderr[-5000:],
                                                    encoding="utf-8")
    return round(seconds, 1)


def copies_figures() -> dict:
    """One `copies` run of COPIES recipients: seconds of its render, per copy, and their ratio."""
    sys.path.insert(0, str(CODE / "src"))
    from briefpress.copies import make_copies
    from briefpress.project import Project

    publication, audience, document = COPIES_EDITION
    with tempfile.TemporaryDirectory() as folder:
        recipients = Path(folder) / "recipients.csv"
        recipients.write_text("name,email\n" + "".join(f"مستلم رقم {number},r{number}@example.org\n"
                                                          for number in range(COPIES)), encoding="utf-8")
        warm_up = Path(folder) / "one.csv"
        warm_up.write_text("name\nمستلم\n", encoding="utf-8")
        out = Path(folder) / "out"
        make_copies(Project(ROOT), out, audience, document, warm_up, publication)
        made = make_copies(Project(ROOT), out, audience, document, recipients, publication)
    return {"edition": "/".join(COPIES_EDITION), "copies": made.count,
            "render_s": round(made.render_seconds, 3),
            "per_copy_s": round(made.seconds_per_copy, 4),
            "copies_per_render": round(made.ratio, 1)}


def main() -> int:
    parallel = supports("--jobs")
    one = ["--jobs", "1"] if parallel else []
    two = ["--jobs", "2"] if parallel else []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        root = project_copy(folder)
        compile_code()
        rounds = [(weasyprint_only(root, folder / f"plain-{number}"),
                   timed_build(root, folder / f"cold-1-{number}", *one),
                   timed_build(root, folder / f"cold-2-{number}", *two) if parallel else None)
                  for number in range(ROUNDS)]
        plain = statistics.median(seconds for seconds, _, _ in rounds)
        cold_one = statistics.median(seconds for _, seconds, _ in rounds)
        cold_two = statistics.median(seconds for _, _, seconds in rounds if seconds) if parallel else None
        built = folder / (f"cold-2-{ROUNDS - 1}" if parallel else f"cold-1-{ROUNDS - 1}")
        full = cold_two or cold_one
        unchanged = timed_build(root, built, *two)
        profile = root / "templates" / "audiences" / "press.yaml"
        profile.write_text(profile.read_text(encoding="utf-8").replace('"#1f3f77"', '"#7a1f1f"'),
                           encoding="utf-8")
        edited = timed_build(root, built, *two)
        memory = worker_memory(root, folder / "memory") if parallel else None
        latency = preview_latency(folder) if parallel else None
        grown = growth(folder, parallel)
    suite = suite_seconds()
    copies = copies_figures()
    report = {
        "python": sys.version.split()[0], "cores": os.cpu_count(), "code": str(CODE),
        "seconds": {"weasyprint_only": round(plain, 2), "cold_jobs_1": round(cold_one, 2),
                    "cold_jobs_2": round(cold_two, 2) if cold_two else None,
                    "unchanged_rebuild": round(unchanged, 2), "one_profile_edit": round(edited, 2),
                    "make_test": suite},
        "ratios": {
            "cold_jobs_1_to_weasyprint": round(cold_one / plain, 2),
            "cold_jobs_2_to_weasyprint": round(cold_two / plain, 2) if cold_two else None,
            "jobs_2_speedup": round(cold_one / cold_two, 2) if cold_two else None,
            "unchanged_to_full": round(unchanged / full, 3),
            "one_profile_edit_to_full": round(edited / full, 3),
        },
        "save_to_preview_s": latency,
        "worker_peak_memory": memory,
        "growth_general_edition": grown,
        "copies": copies,
    }
    out = ROOT / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
