"""National optimiser benchmark: ``sanitasi optimise`` for every kab/kota of the synthetic
national baseline (``sanitasi.bench.synthetic_national``; issue 13 item 6).

``python benchmarks/optimise_national.py [--fraction 0.6] [--every K] [--limit N]
[--horizon 2030]`` (``--every K``: every K-th kab/kota in kode order, a spread sample, each
printed with its model size and times)

For each of the 514 kab/kota, one after another in this process: its slice of the synthetic
baseline (its regions, observations and facilities), the plan (``run_plan``), the model
(``app.optimise.build_problem``, objective ``progress``), a **synthetic budget** and the
two-stage HiGHS solve (``core.optimise.solve``). The synthetic budget (documented rule,
docs/METHOD.md §18.3): per year of the SSK period and funding source (all sources of
``funding_shares.csv``, both sectors together), ``cap = fraction x`` the needs-based path's
cost of that source and year in the same model (``core.optimise.needs_based_spend``);
``--fraction`` defaults to 0.6, so every city falls short somewhere and the caps bind.

Printed: data generation, then per 50 cities a progress line, then ``total <s> s, per city
median <s> s (p90 <s> s, max <s> s), peak memory <MB> MB (RSS of the process) and the
largest Python allocation peak of one city <MB> MB (tracemalloc is off: it would slow the
solve; the RSS bound is what matters)``, the number of cities whose caps bind, the model
sizes. Memory stays bounded: each city's plan, model and solution are dropped before the
next.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import warnings
from dataclasses import replace

import numpy as np
import pandas as pd


def city_inputs(inputs, city: str):  # type: ignore[no-untyped-def]
    """The slice of the national inputs of one kab/kota (its province row kept)."""
    reg = inputs.regions
    k = reg["kode"].astype(str)
    keep = (k == city) | k.str.startswith(city + ".") | (k == city.split(".")[0])
    obs = inputs.observations
    ok = obs["kode"].astype(str)
    fac = inputs.facilities
    return replace(
        inputs,
        regions=reg[keep.to_numpy()].reset_index(drop=True),
        observations=obs[((ok == city) | ok.str.startswith(city + ".")).to_numpy()].reset_index(
            drop=True
        ),
        facilities=fac[(fac["kode"].astype(str) == city).to_numpy()].reset_index(drop=True),
    )


def synthetic_caps(problem, fraction: float) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """``fraction`` x the needs-based cost per source and year (both sectors)."""
    from sanitasi.core.optimise import ALL_SECTORS, needs_based_spend

    spend = needs_based_spend(problem).sum(axis=0)  # (S, T)
    rows = [
        (int(y), src, ALL_SECTORS, fraction * float(spend[j, t]))
        for j, src in enumerate(problem.sources)
        if src != "UNASSIGNED"
        for t, y in enumerate(problem.years)
    ]
    return pd.DataFrame(rows, columns=["year", "source", "sector", "cap_idr"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fraction", type=float, default=0.6)
    ap.add_argument("--limit", type=int, default=0, help="only the first N kab/kota (0: all)")
    ap.add_argument(
        "--every", type=int, default=1, help="every K-th kab/kota in kode order (a spread sample)"
    )
    ap.add_argument("--horizon", type=int, default=2030)
    ap.add_argument("--seed", type=int, default=20250101)
    args = ap.parse_args()

    from sanitasi.app.optimise import build_problem
    from sanitasi.bench import BASE_YEAR, synthetic_national
    from sanitasi.core.model import PlanOptions
    from sanitasi.core.optimise import _layout, solve
    from sanitasi.core.results import run_plan

    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    inputs = synthetic_national(args.seed)
    reg = inputs.regions
    cities = sorted(reg.loc[reg["tingkat"] == "kabkota", "kode"].astype(str))
    cities = cities[:: max(args.every, 1)]
    if args.limit:
        cities = cities[: args.limit]
    print(f"data generation: {time.perf_counter() - t0:.1f} s; {len(cities)} kab/kota", flush=True)
    options = PlanOptions(base_year=BASE_YEAR, horizon=args.horizon)
    secs, solve_secs, cols, binding, short = [], [], [], 0, []
    start = time.perf_counter()
    for i, city in enumerate(cities, 1):
        c0 = time.perf_counter()
        result = run_plan(city_inputs(inputs, city), options)
        empty = pd.DataFrame(columns=["year", "source", "sector", "cap_idr"])
        problem = build_problem(result, empty, "progress", carry_over=False)
        problem = replace(problem, caps=synthetic_caps(problem, args.fraction))
        s0 = time.perf_counter()
        sol = solve(problem)
        solve_secs.append(time.perf_counter() - s0)
        secs.append(time.perf_counter() - c0)
        cols.append(_layout(problem).ncol)
        binding += bool(sol.binding)
        short.append(sol.shortfall_objective)
        del result, problem, sol
        if args.every > 1 or i % 50 == 0:
            print(
                f"  {i} kab/kota ({city}, {cols[-1]} columns: {secs[-1]:.1f} s, solve "
                f"{solve_secs[-1]:.1f} s): {time.perf_counter() - start:.0f} s, "
                f"RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
                flush=True,
            )
    total = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"optimise national: {len(cities)} kab/kota in {total:.1f} s; per city median "
        f"{statistics.median(secs):.2f} s (p90 {np.quantile(secs, 0.9):.2f} s, max "
        f"{max(secs):.2f} s; solve alone median {statistics.median(solve_secs):.2f} s); "
        f"peak memory {peak:.0f} MB (process RSS)"
    )
    print(
        f"model columns per city: median {int(statistics.median(cols))}, max {max(cols)}; "
        f"cities with a binding cap: {binding}/{len(cities)} (budget = {args.fraction:g} x the "
        f"needs-based cost per source and year)"
    )


if __name__ == "__main__":
    main()
