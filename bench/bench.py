"""Benchmark the build: median wall times of whole builds and single documents, as ratios.

Each figure is the median of several runs of `briefpress build` in a fresh process (font
setup, imports and rendering included), measured in one run of this script so that the
ratios compare like with like. Then numbered copies: the seconds per stamped copy against
the seconds of the one full render the same `copies` run makes, after a warm-up run so
that neither figure carries import time. Writes build/bench.json.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BRIEFPRESS = [sys.executable, "-m", "briefpress.cli"]
RUNS = 3
COPIES = 100
COPIES_EDITION = ("russia-dprk-partnership", "decision-makers", "brief")

CASES = {
    "all (every audience, every document)": [],
    "general: annex": ["--audience", "general", "--doc", "annex"],
    "general: factsheet": ["--audience", "general", "--doc", "factsheet"],
    "general: brief": ["--audience", "general", "--doc", "brief"],
}


def wall_time(arguments: list[str]) -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([*BRIEFPRESS, "--project", str(ROOT), "build", "--out", out, *arguments],
                       check=True, capture_output=True)
        return time.perf_counter() - start


def copies_figures() -> dict:
    """One `copies` run of COPIES recipients: seconds of its render, per copy, and their ratio."""
    sys.path.insert(0, str(ROOT / "src"))
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
    results = {}
    for name, arguments in CASES.items():
        times = [wall_time(arguments) for _ in range(RUNS)]
        results[name] = {"median_s": round(statistics.median(times), 3),
                         "runs_s": [round(t, 3) for t in times]}
    baseline = results["general: annex"]["median_s"]
    for figures in results.values():
        figures["ratio_to_annex"] = round(figures["median_s"] / baseline, 2)
    copies = copies_figures()
    report = {"runs": RUNS, "python": sys.version.split()[0], "results": results, "copies": copies}
    out = ROOT / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for name, figures in results.items():
        print(f"{name:40} median {figures['median_s']:6.2f} s  "
              f"x{figures['ratio_to_annex']:.2f} of the annex build")
    print(f"copies ({copies['edition']}, {copies['copies']}): one render {copies['render_s']:.2f} s, "
          f"{copies['per_copy_s']:.3f} s per copy: {copies['copies_per_render']:.0f}x faster per copy")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
