"""First-order-decay benchmark: ``python benchmarks/ghg_fod.py``.

The IPCC FOD model (``sanitasi.core.ghg.fod``) over every kab/kota (514) x 100 years x 8
streams, on seeded synthetic deposits (generation not timed), against a pure-Python baseline
of the same work (the Waste Model's row-by-row recursion, one city and stream at a time)
timed in the same run; both results are compared. Last line:
``ghg fod: <median s> s for 514 x 100 years x 8 streams (baseline <s> s, x<speed-up>)``.
Goal: under 1 s.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np

from sanitasi.core.ghg import fod

CITIES, YEARS, SEED = 514, 100, 20250101
# food, garden, paper, wood, textiles, nappies, sludge, inert: DOC, DOCf, k (tropical wet)
DOC = [0.15, 0.20, 0.40, 0.43, 0.24, 0.24, 0.05, 0.0]
DOCF = [0.7, 0.7, 0.5, 0.1, 0.5, 0.5, 0.5, 0.0]
K = [0.40, 0.17, 0.07, 0.035, 0.07, 0.07, 0.40, 0.0]
F = 0.5


def synthetic(cities: int, years: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Deposits ``(cities, 8, years)`` t/year (growing 2 %/year from 5,000-200,000 t, split by a
    random composition) and a per-city, per-year MCF between 0.4 and 1."""
    rng = np.random.default_rng(seed)
    base = rng.uniform(5e3, 2e5, cities)
    growth = 1.02 ** np.arange(years)
    comp = rng.dirichlet(np.ones(len(DOC)), cities)
    tonnes = base[:, None, None] * comp[:, :, None] * growth[None, None, :]
    mcf = rng.uniform(0.4, 1.0, (cities, 1, years))
    return tonnes, mcf


def baseline(tonnes: np.ndarray, mcf: np.ndarray, delay: float = 6.0) -> list[list[list[float]]]:
    """The same FOD in pure Python: the spreadsheet's recursion cell by cell."""
    t_list, m_list = tonnes.tolist(), mcf.tolist()
    out = []
    for city, m_city in zip(t_list, m_list, strict=True):
        rows = []
        for s, w_row in enumerate(city):
            exp1 = math.exp(-K[s])
            exp2 = math.exp(-K[s] * (6.0 - delay) / 12.0)
            h, q = 0.0, []
            for w, m in zip(w_row, m_city[0], strict=True):
                d = w * DOC[s] * DOCF[s] * m
                q.append((d * (1 - exp2) + h * (1 - exp1)) * F * 16 / 12)
                h = d * exp2 + h * exp1
            rows.append(q)
        out.append(rows)
    return out


def main(cities: int, years: int, seed: int, repeat: int) -> float:
    tonnes, mcf = synthetic(cities, years, seed)
    times = []
    res = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = fod(tonnes, DOC, DOCF, mcf, K, f=F)
        times.append(time.perf_counter() - t0)
    assert res is not None
    t0 = time.perf_counter()
    ref = baseline(tonnes, mcf)
    t_base = time.perf_counter() - t0
    diff = float(np.max(np.abs(res.ch4_generated - np.array(ref))))
    median = statistics.median(times)
    total = float(res.ch4_generated[:, :, -1].sum())
    print(f"data: {cities} kab/kota x {len(DOC)} streams x {years} years = {tonnes.size:,} cells")
    print("engine runs: " + ", ".join(f"{t:.4f} s" for t in times))
    print(f"pure-Python baseline: {t_base:.3f} s; largest difference {diff:.2e} t CH4")
    print(f"CH4 generated in the last year, all cities: {total:,.0f} t")
    print(
        f"ghg fod: {median:.4f} s for {cities} x {years} years x {len(DOC)} streams "
        f"(baseline {t_base:.3f} s, x{t_base / median:.0f})"
    )
    return median


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cities", type=int, default=CITIES)
    ap.add_argument("--years", type=int, default=YEARS)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    main(args.cities, args.years, args.seed, args.repeat)
