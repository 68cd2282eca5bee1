"""City benchmark: loading the Kota Solok demo folder and ``sanitasi plan`` end to end.

``python benchmarks/city.py`` prints

* ``load_city (Kota Solok): cold <s> s, warm median <s> s`` -- ``sanitasi.io.city.load_city``
  (read and validate the demo's CSV files into ``PlanInputs``); the cold call also loads the
  package's reference tables and the 91,599 official codes once per process (from the
  reference cache, :mod:`sanitasi.io.refcache`, once they were validated by an earlier run;
  ``SANITASI_NO_CACHE=1``: read and validated);
  warm = the median of 5 more calls in the same process;
* ``sanitasi plan (demo, HTML + XLSX): median <s> s (runs ...)`` -- the whole command
  (``python -m sanitasi.cli plan --out <tmp>``: start-up and imports, loading, the plan,
  programme and instrument chapters, plan.html and plan.xlsx), each run a fresh process,
  wall-clock seconds, median of ``--runs``; the CPU time of each run is printed too (on a
  shared machine the wall clock also counts the time other processes hold the cores).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path


def load_figures(runs: int = 5) -> tuple[float, float, float]:
    """(cold, warm median, warm CPU median) seconds of ``load_city(None)`` in this process."""
    from sanitasi.io.city import load_city

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        load_city(None)
        cold = time.perf_counter() - start
        warm, cpu = [], []
        for _ in range(runs):
            start, c0 = time.perf_counter(), time.process_time()
            load_city(None)
            warm.append(time.perf_counter() - start)
            cpu.append(time.process_time() - c0)
    return cold, statistics.median(warm), statistics.median(cpu)


def plan_figures(runs: int = 5) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of ``runs`` runs of ``sanitasi plan --out`` (fresh
    processes; CPU = user + system time of the child)."""
    times, cpu = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            out = Path(tmp) / str(i)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "sanitasi.cli", "plan", "--out", str(out)],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            assert (out / "plan.html").is_file() and (out / "plan.xlsx").is_file()
    return times, cpu


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    cold, warm, warm_cpu = load_figures(args.runs)
    print(
        f"load_city (Kota Solok): cold {cold:.2f} s, warm median {warm:.2f} s "
        f"(CPU {warm_cpu:.2f} s)"
    )
    times, cpu = plan_figures(args.runs)
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(
        f"sanitasi plan (demo, HTML + XLSX): median {statistics.median(times):.2f} s "
        f"(runs {runs}; CPU median {statistics.median(cpu):.2f} s); load average "
        f"{' / '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
