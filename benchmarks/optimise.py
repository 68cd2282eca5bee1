"""Optimiser benchmark: ``sanitasi optimise`` on the Kota Solok demo (goal: the optimisation
of the demo <= 5 s; docs/METHOD.md §18.3).

``python benchmarks/optimise.py [--runs N]`` prints

* ``plan (demo): <s> s`` -- the plan report the model is built from (once);
* ``build + solve (demo, progress|cost): median <s> s, CPU <s> s`` -- building the model
  from the plan's arrays and the two-stage HiGHS solve with the dual pass, in this process,
  median of ``--runs``;
* the model's size (columns, integer columns, rows) and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from sanitasi.app.optimise import build_problem, read_caps
    from sanitasi.app.plan import plan_report
    from sanitasi.app.priority import period_columns
    from sanitasi.app.source import FolderSource
    from sanitasi.core.optimise import _layout, solve

    source = FolderSource(None)
    start = time.perf_counter()
    result = plan_report(source)
    print(f"plan (demo): {time.perf_counter() - start:.2f} s")
    assert result.arrays is not None
    years = result.arrays.years[period_columns(result)]
    caps, origin = read_caps(source, years, result, None)
    for objective in ("progress", "cost"):
        wall, cpu = [], []
        for _ in range(args.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            problem = build_problem(result, caps, objective, carry_over=False)
            solve(problem)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        print(
            f"build + solve (demo, {objective}, budget from {origin}): median "
            f"{statistics.median(wall):.3f} s, CPU {statistics.median(cpu):.3f} s "
            f"(runs {args.runs})"
        )
    lay = _layout(problem)
    n_int = sum(lay.T for f in problem.facilities if f.per_unit is not None)
    print(f"model: {lay.ncol} columns ({n_int} integer), {len(problem.areas)} kelurahan")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
