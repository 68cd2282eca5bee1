"""National optimiser benchmark: ``sanitasi optimise`` for every kab/kota of the synthetic
national baseline (``sanitasi.bench.synthetic_national``; issue 13 item 6).

``python benchmarks/optimise_national.py [--fraction 0.6] [--every K] [--limit N]
[--horizon 2030] [--workers 2] [--cost-weight 1e-4]`` (``--every K``: every K-th kab/kota in
kode order, a spread sample; ``--verbose``: one line per city with its model size and times)

For each of the 514 kab/kota: its slice of the synthetic baseline (its regions, observations
and facilities), the plan (``run_plan``), the model (``app.optimise.build_problem``,
objective ``progress``), a **synthetic budget** and the HiGHS solve (``core.optimise.solve``).
The synthetic budget (documented rule, docs/METHOD.md §18.3): per year of the SSK period and
funding source (all sources of ``funding_shares.csv``, both sectors together), ``cap =
fraction x`` the needs-based path's cost of that source and year in the same model
(``core.optimise.needs_based_spend``); ``--fraction`` defaults to 0.6, so every city falls
short somewhere and the caps bind.

``--cost-weight eps`` is the model's ``cost_weight`` (parameter ``optimise_cost_weight``,
docs/METHOD.md §18.3): ``eps > 0`` solves the lexicographic objective as one mixed-integer
model ``min S + eps x C / C_nb`` and two linear models (the default here, 1e-4: the shortfall
at most 1e-4 x C*/C_nb weighted point-years above the exact optimum); ``0`` the exact
two-stage mixed-integer solve (minutes per large kabupaten).

``--workers W`` (default 2, the machine's cores): a pool of W processes (fork; the national
inputs generated once before it), the cities handed out largest first (most desa), HiGHS on
one thread per process (``threads = 1``). Each city's plan, model and solution are dropped
before the next, so memory stays bounded.

Printed: data generation, a progress line per 50 cities, then the total wall time, the CPU
seconds per city (median, p90, max; plan + model + solve, in its worker) and their sum, the
peak memory (the largest RSS of one worker, and of the parent), the machine's load average
before and after, the model sizes and the number of cities whose caps bind.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import statistics
import time
import warnings
from dataclasses import replace
from typing import Any

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


#: The state a forked worker inherits (set in ``main`` before the pool starts).
_STATE: dict[str, Any] = {}


def _worker_init() -> None:
    from sanitasi.core import optimise

    optimise.HIGHS_OPTIONS["threads"] = 1  # one HiGHS thread per process (W processes)


def run_city(city: str) -> tuple[str, float, float, float, int, int, bool, float, float]:
    """Plan, model, synthetic budget, solve of one city in this process: (city, CPU s,
    solve CPU s, wall s, desa, columns, a cap binds, weighted shortfall, RSS MB)."""
    from sanitasi.app.optimise import build_problem
    from sanitasi.core.optimise import _layout, solve
    from sanitasi.core.results import run_plan

    inputs, options, args = _STATE["inputs"], _STATE["options"], _STATE["args"]
    w0, c0 = time.perf_counter(), time.process_time()
    result = run_plan(city_inputs(inputs, city), options)
    empty = pd.DataFrame(columns=["year", "source", "sector", "cap_idr"])
    problem = build_problem(result, empty, "progress", carry_over=False)
    problem = replace(
        problem, caps=synthetic_caps(problem, args.fraction), cost_weight=args.cost_weight
    )
    s0 = time.process_time()
    sol = solve(problem)
    c1 = time.process_time()
    out = (
        city,
        c1 - c0,
        c1 - s0,
        time.perf_counter() - w0,
        len(problem.areas),
        _layout(problem).ncol,
        bool(sol.binding),
        float(sol.shortfall_objective),
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    del result, problem, sol
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fraction", type=float, default=0.6)
    ap.add_argument("--limit", type=int, default=0, help="only the first N kab/kota (0: all)")
    ap.add_argument(
        "--every", type=int, default=1, help="every K-th kab/kota in kode order (a spread sample)"
    )
    ap.add_argument("--horizon", type=int, default=2030)
    ap.add_argument("--seed", type=int, default=20250101)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cost-weight", type=float, default=1e-4)
    ap.add_argument("--verbose", action="store_true", help="one line per city")
    args = ap.parse_args()

    from sanitasi.bench import BASE_YEAR, synthetic_national
    from sanitasi.core.model import PlanOptions

    warnings.simplefilter("ignore")
    load0 = os.getloadavg()
    t0 = time.perf_counter()
    inputs = synthetic_national(args.seed)
    reg = inputs.regions
    kode = reg["kode"].astype(str)
    cities = sorted(kode[reg["tingkat"] == "kabkota"])
    cities = cities[:: max(args.every, 1)]
    if args.limit:
        cities = cities[: args.limit]
    leaves = kode[kode.str.count(r"\.") == 3].str.rsplit(".", n=2).str[0].value_counts()
    cities.sort(key=lambda c: -int(leaves.get(c, 0)))  # largest first: the pool balances
    print(f"data generation: {time.perf_counter() - t0:.1f} s; {len(cities)} kab/kota", flush=True)
    _STATE.update(
        inputs=inputs, options=PlanOptions(base_year=BASE_YEAR, horizon=args.horizon), args=args
    )
    rows = []
    start = time.perf_counter()
    with mp.get_context("fork").Pool(max(args.workers, 1), initializer=_worker_init) as pool:
        for i, row in enumerate(pool.imap_unordered(run_city, cities), 1):
            rows.append(row)
            if args.verbose:
                print(
                    f"  {row[0]}: {row[4]} desa, {row[5]} columns, CPU {row[1]:.1f} s (solve "
                    f"{row[2]:.1f} s), wall {row[3]:.1f} s, RSS {row[8]:.0f} MB",
                    flush=True,
                )
            if i % 50 == 0:
                print(f"  {i} kab/kota: {time.perf_counter() - start:.0f} s", flush=True)
    total = time.perf_counter() - start
    cpu = [r[1] for r in rows]
    solve_cpu = [r[2] for r in rows]
    cols = [r[5] for r in rows]
    biggest = max(rows, key=lambda r: r[1])
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"optimise national: {len(rows)} kab/kota in {total:.1f} s wall ({args.workers} "
        f"workers, cost_weight {args.cost_weight:g}); CPU per city median "
        f"{statistics.median(cpu):.2f} s, p90 {np.quantile(cpu, 0.9):.2f} s, max "
        f"{max(cpu):.2f} s ({biggest[0]}, {biggest[4]} desa); solve alone median "
        f"{statistics.median(solve_cpu):.2f} s; CPU sum {sum(cpu):.0f} s"
    )
    print(
        f"peak memory: {max(r[8] for r in rows):.0f} MB (largest worker RSS), parent "
        f"{parent:.0f} MB; load average {load0[0]:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    print(
        f"model columns per city: median {int(statistics.median(cols))}, max {max(cols)}; "
        f"cities with a binding cap: {sum(r[6] for r in rows)}/{len(rows)} (budget = "
        f"{args.fraction:g} x the needs-based cost per source and year)"
    )


if __name__ == "__main__":
    main()
