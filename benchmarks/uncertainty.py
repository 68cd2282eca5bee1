"""Uncertainty benchmark: the Monte Carlo of the Kota Solok demo (docs/METHOD.md §15).

``python benchmarks/uncertainty.py [--draws 1000] [--runs 10] [--repeat 3]`` prints

* ``load (demo plan inputs): <s> s`` -- reading and validating the demo folder once;
* ``uncertainty_run (demo, <draws> draws, <runs> engine runs): median <s> s, CPU <s> s`` --
  :func:`sanitasi.app.uncertainty.uncertainty_run` on the loaded inputs (the deterministic
  plan, ``runs`` engine runs for the quantity parameters and the vectorised costs of every
  draw), median wall-clock seconds of ``--repeat`` calls and their median CPU seconds (on a
  shared machine the wall clock also counts the time other processes hold the cores);
* ``vectorised cost draws alone: <s> s`` -- CPU seconds of ``draws`` draws minus one draw
  (one engine run each): the share of the vectorised draws themselves;
* ``with the budget: plan report + model <s> s; uncertainty_run with P(reach): median <s> s,
  CPU <s> s`` -- the probability of reaching each target year under the demo's
  ``budget.csv`` (METHOD.md §15.4): the plan report and the optimiser's model built once
  (:func:`sanitasi.app.uncertainty.reach_budget`), then the Monte Carlo with the per-draw
  approximation;
* the goal: the demo's 1,000 draws in 10 s or less (issue 13).
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from sanitasi.app import FolderSource, PlanRequest
    from sanitasi.app.plan import plan_report
    from sanitasi.app.uncertainty import reach_budget, uncertainty_run

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        inputs, options = FolderSource(None).plan_inputs(PlanRequest())
        print(f"load (demo plan inputs): {time.perf_counter() - start:.2f} s")
        wall, cpu = [], []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            res = uncertainty_run(inputs, options, draws=args.draws, runs=args.runs, seed=2024)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        ones, bases = [], []
        for _ in range(args.repeat):
            c0 = time.process_time()
            uncertainty_run(inputs, options, draws=args.draws, runs=1, seed=2024)
            ones.append(time.process_time() - c0)
            c0 = time.process_time()
            uncertainty_run(inputs, options, draws=1, runs=1, seed=2024)
            bases.append(time.process_time() - c0)
        one, base = statistics.median(ones), statistics.median(bases)
        t0 = time.perf_counter()
        src = FolderSource(None)
        plan = plan_report(src)
        rb = reach_budget(src, plan)
        prep = time.perf_counter() - t0
        rwall, rcpu = [], []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            rres = uncertainty_run(
                plan.inputs, plan.options, draws=args.draws, runs=args.runs, seed=2024, budget=rb
            )
            rwall.append(time.perf_counter() - t0)
            rcpu.append(time.process_time() - c0)
    med = statistics.median(wall)
    print(
        f"uncertainty_run (demo, {args.draws} draws, {args.runs} engine runs): "
        f"median {med:.2f} s, CPU {statistics.median(cpu):.2f} s "
        f"(runs {', '.join(f'{w:.2f}' for w in wall)})"
    )
    print(f"vectorised cost draws alone ({args.draws} draws - 1 draw, CPU): {one - base:.3f} s")
    tot = res.period_costs.set_index("sector").loc["total"]
    print(
        f"SSK period total (IDR billion): deterministic {tot['deterministic_idr'] / 1e9:.2f}, "
        f"P10 {tot['p10_idr'] / 1e9:.2f}, P50 {tot['p50_idr'] / 1e9:.2f}, "
        f"P90 {tot['p90_idr'] / 1e9:.2f}"
    )
    rmed = statistics.median(rwall)
    print(
        f"with the budget ({rb.origin}): plan report + model {prep:.2f} s; uncertainty_run "
        f"with P(reach): median {rmed:.2f} s, CPU {statistics.median(rcpu):.2f} s"
    )
    assert rres.reach is not None
    end = rres.reach[rres.reach["year"] == rres.period[1]]
    print(
        "P(reach) at the end of the period: "
        + ", ".join(
            f"{i} {p:.0%}" for i, p in zip(end["indicator"], end["probability"], strict=True)
        )
    )
    print(f"goal: <= 10 s for 1,000 draws: {'met' if max(med, rmed) <= 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
