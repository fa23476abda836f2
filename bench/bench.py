"""Benchmark the build: median wall times of whole builds and single documents, as ratios.

Each figure is the median of several runs of `briefpress build` in a fresh process (font
setup, imports and rendering included), measured in one run of this script so that the
ratios compare like with like. Writes build/bench.json.
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


def main() -> int:
    results = {}
    for name, arguments in CASES.items():
        times = [wall_time(arguments) for _ in range(RUNS)]
        results[name] = {"median_s": round(statistics.median(times), 3),
                         "runs_s": [round(t, 3) for t in times]}
    baseline = results["general: annex"]["median_s"]
    for figures in results.values():
        figures["ratio_to_annex"] = round(figures["median_s"] / baseline, 2)
    report = {"runs": RUNS, "python": sys.version.split()[0], "results": results}
    out = ROOT / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for name, figures in results.items():
        print(f"{name:40} median {figures['median_s']:6.2f} s  "
              f"x{figures['ratio_to_annex']:.2f} of the annex build")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
