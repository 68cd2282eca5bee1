"""National benchmark: a synthetic, seeded baseline for every desa/kelurahan of Indonesia.

Every one of the 83,762 official desa/kelurahan (Kepmendagri 300.2.2-2138/2025) gets a
population such that each kab/kota total equals its real 2025 population, households,
a sanitation ladder, SPALD-T connections, and each kab/kota a waste balance, a population
history, an IPLT and trucks. The synthetic values are **illustrative** (seeded random);
only the codes and the kab/kota totals are real. The plan runs projection -> trajectories
-> gap -> needs -> costs for every year to the horizon and rolls everything up to
kecamatan, kab/kota, province and nation.

Printed figures: data generation and validation (separately), then the computation from
validated in-memory inputs to all results and roll-ups; last line
``national plan: <median> s (cold <first run> s), <peak MB> MB[, raw baseline <s> s, ratio
<r>], <desa> desa x <years> years`` (the raw baseline: ``benchmarks/raw_baseline.py``).
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console

from sanitasi.core.model import RUNGS, PlanInputs, PlanOptions
from sanitasi.core.results import run_plan
from sanitasi.io.reference import load_penduduk, load_reference, load_wilayah
from sanitasi.runtime import tune_allocator

BASE_YEAR = 2025
SYNTHETIC_STATUS = "illustrative"


def synthetic_national(seed: int = 20250101) -> PlanInputs:
    """Seeded synthetic national baseline (see module docstring)."""
    rng = np.random.default_rng(seed)
    ref = load_reference()
    wil = load_wilayah()
    pend = load_penduduk()
    wil = wil.sort_values("kode").reset_index(drop=True)
    kode = wil["kode"].astype(str)
    tingkat = wil["tingkat"].astype(str)
    parent = kode.str.rsplit(".", n=1).str[0].where(kode.str.contains(r"\."), "")
    leaf_mask = tingkat.isin(["desa", "kelurahan"]).to_numpy()
    leaf = wil[leaf_mask].reset_index(drop=True)
    lk = leaf["kode"].astype(str)
    n = len(leaf)
    urban = (leaf["tingkat"] == "kelurahan").to_numpy()
    zone = np.where(urban & (rng.random(n) < 0.15), "Z1", "")
    regions = pd.DataFrame(
        {
            "kode": kode,
            "nama": wil["nama"],
            "tingkat": tingkat,
            "parent_kode": parent,
            "urban": np.where(leaf_mask, False, True),
            "spald_t_zone": "",
            "area_km2": np.nan,
        }
    )
    regions.loc[leaf_mask, "urban"] = urban
    regions.loc[leaf_mask, "spald_t_zone"] = zone

    # Population: split each kab/kota's real 2025 total over its desa (seeded weights).
    city = lk.str.slice(0, 5).to_numpy()
    totals = pend.set_index("kode")["total"]
    city_total = pd.Series(city).map(totals).to_numpy(dtype=float)
    w = rng.gamma(2.0, 1.0, n)
    wsum = pd.Series(w).groupby(city).transform("sum").to_numpy()
    pop = city_total * w / wsum
    pph = rng.uniform(3.4, 4.4, n)
    hh = pop / pph
    means = np.array([0.08, 0.62, 0.07, 0.10, 0.07, 0.06])
    shares = rng.dirichlet(means * 40, n)
    rungs = shares * hh[:, None]
    spald = rungs[:, 0] * np.where(zone != "", rng.uniform(0.1, 0.4, n), 0.0)

    ind = ["population", "households", *[f"hh_{r}" for r in RUNGS], "hh_spald_t"]
    vals = np.column_stack([pop, hh, rungs, spald])
    obs_leaf = pd.DataFrame(
        {
            "kode": np.repeat(lk.to_numpy(), len(ind)),
            "year": BASE_YEAR,
            "indicator": np.tile(ind, n),
            "value": vals.reshape(-1),
            "status": SYNTHETIC_STATUS,
        }
    )
    cities = np.unique(city)
    cpop = pd.Series(city_total, index=city).groupby(level=0).first().reindex(cities).to_numpy()
    growth = rng.uniform(0.004, 0.02, len(cities))
    gen = cpop * rng.uniform(0.55, 0.8, len(cities)) / 1000.0
    peng = gen * rng.uniform(0.05, 0.25, len(cities))
    pen = gen * rng.uniform(0.4, 0.7, len(cities))
    city_rows = []
    for indicator, year, v in (
        ("population", BASE_YEAR - 5, cpop / (1 + growth) ** 5),
        ("population", BASE_YEAR, cpop),
        ("waste_generated_tpd", BASE_YEAR, gen),
        ("waste_pengurangan_tpd", BASE_YEAR, peng),
        ("waste_penanganan_tpd", BASE_YEAR, pen),
    ):
        city_rows.append(
            pd.DataFrame(
                {
                    "kode": cities,
                    "year": year,
                    "indicator": indicator,
                    "value": v,
                    "status": SYNTHETIC_STATUS,
                }
            )
        )
    observations = pd.concat([obs_leaf, *city_rows], ignore_index=True)
    has_iplt = rng.random(len(cities)) < 0.4
    fac = pd.concat(
        [
            pd.DataFrame(
                {
                    "id": [f"IPLT-{c}" for c in cities[has_iplt]],
                    "type": "IPLT",
                    "kode": cities[has_iplt],
                    "capacity": rng.uniform(10, 60, int(has_iplt.sum())),
                    "capacity_unit": "m3/day",
                }
            ),
            pd.DataFrame(
                {
                    "id": [f"TT-{c}" for c in cities],
                    "type": "truk_tinja",
                    "kode": cities,
                    "capacity": 4.0,
                    "capacity_unit": "m3 tank",
                }
            ),
            pd.DataFrame(
                {
                    "id": [f"TS-{c}" for c in cities],
                    "type": "truk_sampah",
                    "kode": cities,
                    "capacity": 8.0,
                    "capacity_unit": "m3 body",
                }
            ),
        ],
        ignore_index=True,
    ).assign(status=SYNTHETIC_STATUS)
    return PlanInputs(
        regions=regions,
        observations=observations,
        targets=ref.targets,
        facilities=fac,
        unit_costs=ref.unit_costs,
        need_items=ref.need_items,
        funding_shares=ref.funding_shares,
        parameters=ref.parameters,
        sources={"observations": "synthetic (seeded)"},
    )


def validate_national(inputs: PlanInputs) -> int:
    """Vectorised checks of the synthetic baseline (rungs sum to households, no negatives).

    Returns the number of rows checked; raises ValueError on a violation."""
    o = inputs.observations
    w = o[o["year"] == BASE_YEAR].set_index(["kode", "indicator"])["value"].unstack()
    rungs = w[[f"hh_{r}" for r in RUNGS]].dropna()
    diff = (rungs.sum(axis=1) - w.loc[rungs.index, "households"]).abs()
    if (diff > 0.5).any():
        raise ValueError(f"rungs do not sum to households in {(diff > 0.5).sum()} areas")
    if (o["value"] < 0).any() or o["value"].isna().any():
        raise ValueError("negative or missing values in the synthetic baseline")
    return len(o)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


#: A raw baseline: ``prepare(inputs, options)`` (not timed) returns the argument of
#: ``run(prepared)`` (timed); see ``benchmarks/raw_baseline.py``.
RawBaseline = tuple[Callable[[PlanInputs, PlanOptions], Any], Callable[[Any], object]]


def _timed(fn: Callable[[], object], runs: int, cpu: list[float] | None = None) -> list[float]:
    """Wall-clock seconds of ``runs`` calls of ``fn`` (each result dropped before the next);
    their CPU seconds (this process) are appended to ``cpu``."""
    times = []
    for _ in range(runs):
        start, c0 = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - c0)
        del result
    return times


def national(
    horizon: int = 2045,
    seed: int = 20250101,
    console: Console | None = None,
    repeat: int = 4,
    raw: RawBaseline | None = None,
) -> dict[str, float]:
    """Run the benchmark and print its figures; returns them.

    The plan runs ``repeat + 1`` times on the same validated inputs (a shared 2-core machine
    is noisy): the first run is the *cold* one (the process touches its arrays' memory for
    the first time), the median of all runs is the reported figure. With ``raw`` the raw
    baseline runs as many times after the plan, in the same process; the ratio is the
    plan's median over the baseline's. Peak memory is the process maximum resident set size
    (inputs, results and Python included) at the end of the plan runs, before the baseline.
    """
    con = console or Console()
    tuned = tune_allocator()
    t0 = time.perf_counter()
    inputs = synthetic_national(seed)
    t1 = time.perf_counter()
    rows = validate_national(inputs)
    t2 = time.perf_counter()
    options = PlanOptions(base_year=BASE_YEAR, horizon=horizon)
    runs = max(1, repeat + 1)
    cpu: list[float] = []
    times = _timed(lambda: run_plan(inputs, options), runs - 1, cpu) if runs > 1 else []
    start, c0 = time.perf_counter(), time.process_time()
    result = run_plan(inputs, options)
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - c0)
    peak = _peak_mb()
    a = result.arrays
    assert a is not None
    n, T = a.tree.n, len(a.years)
    total_pop = float(a.pop.population[:, 0].sum())
    ladder_rows = len(result["ladder"])
    cost = float(result["costs"]["cost_idr"].sum())
    del result, a
    con.print(
        f"data generation: {t1 - t0:.2f} s ({n:,} desa, {rows:,} observation rows)", soft_wrap=True
    )
    con.print(f"validation: {t2 - t1:.2f} s", soft_wrap=True)
    con.print(
        f"allocator tuning (glibc mallopt): {'on' if tuned else 'unavailable'}", soft_wrap=True
    )
    con.print(
        f"population {BASE_YEAR}: {total_pop:,.0f} (official total 284,973,643)", soft_wrap=True
    )
    con.print(
        f"result rows: ladder {ladder_rows:,}; costs to {horizon}: Rp {cost / 1e12:,.1f} trillion",
        soft_wrap=True,
    )
    secs = float(np.median(times))
    con.print(
        "plan runs: " + ", ".join(f"{t:.2f} s" for t in times) + " (first = cold)", soft_wrap=True
    )
    con.print(
        "plan CPU (this process): " + ", ".join(f"{t:.2f} s" for t in cpu) + f"; load average "
        f"{' / '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores",
        soft_wrap=True,
    )
    out = {
        "seconds": secs,
        "cold_s": times[0],
        "peak_mb": peak,
        "desa": n,
        "years": T,
        "generation_s": t1 - t0,
        "validation_s": t2 - t1,
        "cpu_s": float(np.median(cpu)),
    }
    line = f"national plan: {secs:.2f} s (cold {times[0]:.2f} s), {peak:.0f} MB"
    if raw is not None:
        prepare, run = raw
        prepared = prepare(inputs, options)
        raw_cpu: list[float] = []
        raw_times = _timed(lambda: run(prepared), runs, raw_cpu)
        raw_s = float(np.median(raw_times))
        con.print(
            "raw baseline runs: "
            + ", ".join(f"{t:.2f} s" for t in raw_times)
            + "; CPU "
            + ", ".join(f"{t:.2f} s" for t in raw_cpu),
            soft_wrap=True,
        )
        out |= {"raw_s": raw_s, "ratio": secs / raw_s, "raw_cpu_s": float(np.median(raw_cpu))}
        line += f", raw baseline {raw_s:.2f} s, ratio {secs / raw_s:.2f}"
    con.print(f"{line}, {n} desa x {T} years", soft_wrap=True)
    return out


__all__ = ["national", "replace", "synthetic_national", "validate_national"]
