"""Raw-numpy baseline of the national plan: the same arithmetic, no pandas, no labels.

``benchmarks/national.py`` times the engine (``sanitasi.core.results.run_plan``: validated
inputs -> every labelled result table) and, in the same process, this baseline on arrays of
the same size (83,762 desa x 21 years). The ratio engine / baseline says what the engine's
bookkeeping costs on top of the arithmetic it cannot avoid.

What :func:`raw_plan` does (timed), all on float64 numpy arrays of leaves x years:

1. **projection**: ``P(t) = P0 (1 + r)^(t - b)`` per desa and ``H = P / pph``
   (``sanitasi.core.population.grow``);
2. **paths**: the six headline indicators: each city's curve, linear from its base-year
   share through the national target points and held after the last, and every desa's path
   by proportional gap closure run by run (docs/METHOD.md §4.5), vectorised over all desa;
   penanganan capped by pengurangan and managed = their sum;
3. **stock-flow**: BAU ladder (``sanitasi.core.wastewater.bau_ladder``), the required
   stocks and flows (``stock_flow``, docs/METHOD.md §6), generated waste and the waste
   balance (``sanitasi.core.waste.generation`` and ``waste_areas``, §7). These engine
   kernels are plain numpy; the baseline calls them so the arithmetic is the same;
4. **roll-ups**: every leaf array the long result tables hold (population 2, ladder 2 x 7,
   waste 2 x 3, needs 6: 28 arrays) summed to kecamatan, kab/kota, province and nation
   (``np.add.reduceat``, each level from the one below) into the flat value columns of the
   tables, their percentage columns (ratios of sums), and the headline's city sums (BAU
   numerators, denominators, the sum of area shortfalls) of the six indicators.

What it leaves out (the engine's overhead that the ratio measures): reading observations
out of the long input table, target sets and binding sets, the codes, names and levels
of every row (categoricals), the city-level service, fleet and TPA tables, costs and
funding (13 needs x 514 cities: little arithmetic), provenance counts and warnings.

:func:`raw_inputs` (not timed) takes the base-year numbers from the engine's own first two
stages on the same :class:`~sanitasi.core.model.PlanInputs`, so both start from the same
values; it supports the benchmark's settings (geometric growth, constant BAU, every city on
the same national target points) and says so when they do not hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sanitasi.core import plan as plan_mod
from sanitasi.core import population as pop_mod
from sanitasi.core import targets as tg
from sanitasi.core import waste as waste_mod
from sanitasi.core import wastewater as ww
from sanitasi.core.model import INDICATORS, RUNGS, PlanInputs, PlanOptions
from sanitasi.core.plan import HEADLINE
from sanitasi.core.tree import LEVEL_PREFIX, chain_starts, ratio_pct


@dataclass(frozen=True)
class RawInputs:
    """Base-year arrays and parameters of the raw baseline (all numpy)."""

    years: np.ndarray  # (T,)
    base_year: int
    pop0: np.ndarray  # (n,) persons
    pph: np.ndarray  # (n,) persons per household
    rate: np.ndarray  # (n,) growth rate, fraction/year
    share: dict[str, np.ndarray]  # rung and waste shares (n,)
    share_spald: np.ndarray  # (n,)
    urban: np.ndarray  # (n,) bool
    in_zone: np.ndarray  # (n,) bool
    rate_kg: np.ndarray  # (n,) kg/person/day
    city_inv: np.ndarray  # (n,) city of each desa
    leaf_share: dict[str, np.ndarray]  # headline indicator -> (n,) fraction
    city_share: dict[str, np.ndarray]  # headline indicator -> (C,) fraction
    points: dict[str, tg.Points]  # headline indicator -> national points (every city)
    starts: list[np.ndarray]  # reduceat starts: kecamatan from desa, city from kecamatan, ...
    city_starts: np.ndarray  # reduceat starts: city from desa
    params: dict[str, Any]


def raw_inputs(inputs: PlanInputs, options: PlanOptions) -> RawInputs:
    """The base-year numbers of the engine's ``_context`` and ``_baseline`` stages."""
    if options.growth_method != "geometric" or options.bau_mode != "constant":
        raise ValueError("the raw baseline covers geometric growth and the constant BAU")
    ctx = plan_mod._context(inputs, options)
    base = plan_mod._baseline(inputs, ctx)
    traj = plan_mod._trajectories(inputs, ctx, base)
    points = {}
    for ind in HEADLINE:
        keys = {p.key() for p in traj.points[ind]}
        if len(keys) != 1:
            raise ValueError(f"{ind}: the raw baseline needs every city on the same points")
        points[ind] = traj.points[ind][0]
    t = ctx.tree
    kec, city = t.levels["kecamatan"].codes, t.levels["kabkota"].codes
    starts = [t.levels["kecamatan"].starts, chain_starts(kec, LEVEL_PREFIX["kabkota"])]
    if len(city) > 1:
        starts.append(chain_starts(city, LEVEL_PREFIX["provinsi"]))
        starts.append(np.array([0], dtype=np.intp))
    P = ctx.P
    return RawInputs(
        years=ctx.years,
        base_year=ctx.b,
        pop0=base.pop.population[:, 0].copy(),
        pph=base.pop.pph,
        rate=base.pop.growth_rate,
        share=base.share,
        share_spald=base.share_spald,
        urban=base.urban,
        in_zone=base.zone != "",
        rate_kg=base.rate_kg,
        city_inv=ctx.cities.inverse,
        leaf_share=base.leaf_share,
        city_share=base.city_share,
        points=points,
        starts=starts,
        city_starts=ctx.cities.starts,
        params={
            "new_households_ladder": P.choice("new_households_ladder"),
            "spald_t_share": P.num("spald_t_share_of_aman_additions_in_zone"),
            "ready_share": P.num("l2t2_ready_share_of_existing_tanks"),
            "waste_growth": P.num("waste_generation_growth_per_year"),
            "recovery": P.num("tps3r_recovery_fraction"),
            "routes": {r: P.num(f"pengurangan_route_share_{r}") for r in waste_mod.ROUTES},
        },
    )


def raw_paths(
    leaf_share: np.ndarray,
    city_share: np.ndarray,
    city_inv: np.ndarray,
    points: tg.Points,
    years: np.ndarray,
    base_year: int,
    lower: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Desa (n, T) and city (C, T) paths, every city heading to the same ``points``.

    City curve ``R(t)``: linear from the city's base share to the first point, through the
    points, held after the last. For each run ending at an anchor ``(t_e, V)``, from ``t_s``:
    ``f(t) = clip((R(t) - R(t_s)) / (V - R(t_s)), 0, 1)`` made non-decreasing (the share of
    the run's time when the city has no gap), and ``x(t) = x(t_s) + f(t) max(V - x(t_s), 0)``
    for the city and each of its desa (mirrored when lower is better); flat after the last
    anchor. Fractions."""
    yrs = np.asarray(years, dtype=float)
    n, C, T = len(leaf_share), len(city_share), len(yrs)
    area = np.empty((n, T))
    city = np.empty((C, T))
    if len(points.years) == 0:
        area.fill(np.nan)
        city.fill(np.nan)
        return area, city
    sign = -1.0 if lower else 1.0
    pv = points.values / 100.0
    curve = np.interp(yrs, points.years.astype(float), pv)
    t1 = float(points.years[0])
    s = city_share[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        before = s + (pv[0] - s) * (yrs[None, :] - base_year) / (t1 - base_year)
    raw = np.where(yrs[None, :] < t1, before, curve[None, :])
    a_prev = leaf_share.astype(float)
    c_prev = city_share.astype(float)
    area[:, 0], city[:, 0] = a_prev, c_prev
    t_s, j_s = float(base_year), 0
    for i in np.nonzero(points.anchor)[0]:
        t_e, v = float(points.years[i]), float(pv[i])
        c0 = j_s + 1
        c1 = int(np.searchsorted(yrs, t_e, side="right"))
        if t_e <= t_s or c1 <= c0:
            continue
        r_s = raw[:, j_s]
        gap_c = sign * (v - r_s)
        with np.errstate(invalid="ignore", divide="ignore"):
            f_city = sign * (raw[:, c0:c1] - r_s[:, None]) / gap_c[:, None]
        f_time = (yrs[c0:c1] - t_s) / (t_e - t_s)
        f = np.where((gap_c > 1e-12)[:, None], f_city, f_time[None, :])
        f = np.maximum.accumulate(np.clip(np.nan_to_num(f, nan=0.0), 0.0, 1.0), axis=1)
        city[:, c0:c1] = c_prev[:, None] + sign * f * np.maximum(sign * (v - c_prev), 0.0)[:, None]
        a_gap = np.maximum(sign * (v - a_prev), 0.0)
        area[:, c0:c1] = a_prev[:, None] + sign * f[city_inv] * a_gap[:, None]
        t_s, j_s = t_e, c1 - 1
        a_prev, c_prev = area[:, j_s], city[:, j_s]
        if yrs[j_s] < t_e:
            break
    area[:, j_s + 1 :] = a_prev[:, None]
    city[:, j_s + 1 :] = c_prev[:, None]
    area[np.isnan(leaf_share)] = np.nan
    city[np.isnan(city_share)] = np.nan
    return area, city


def rollup(leaf: np.ndarray, starts: list[np.ndarray], out: np.ndarray) -> None:
    """Leaf rows then each level's sums (each from the level below) into ``out``."""
    n = len(leaf)
    out[:n] = leaf
    prev, off = out[:n], n
    for st in starts:
        block = out[off : off + len(st)]
        np.add.reduceat(prev, st, axis=0, out=block)
        prev, off = block, off + len(st)


def raw_plan(r: RawInputs) -> dict[str, np.ndarray]:
    """Projection, paths, stock-flow, waste balance and roll-ups (module docstring);
    returns the arrays (leaf arrays and the flat table columns)."""
    b, years, p = r.base_year, r.years, r.params
    T = len(years)
    # 1. projection
    pop = pop_mod.grow(r.pop0, r.rate, years, b, "geometric")
    H = pop / r.pph[:, None]
    G = waste_mod.generation(pop, r.rate_kg, p["waste_growth"], years, b)
    # 2. paths
    leaf: dict[str, np.ndarray] = {}
    cityp: dict[str, np.ndarray] = {}
    for ind in HEADLINE:
        leaf[ind], cityp[ind] = raw_paths(
            r.leaf_share[ind],
            r.city_share[ind],
            r.city_inv,
            r.points[ind],
            years,
            b,
            tg.lower_is_better(ind),
        )
    pe, pa, pm = "pct_waste_pengurangan", "pct_waste_penanganan", "pct_waste_managed"
    leaf[pa] = np.where(np.isnan(leaf[pe]), leaf[pa], np.minimum(leaf[pa], 1.0 - leaf[pe]))
    cityp[pa] = np.where(np.isnan(cityp[pe]), cityp[pa], np.minimum(cityp[pa], 1.0 - cityp[pe]))
    both = ~np.isnan(cityp[pe][:, :1]) & ~np.isnan(cityp[pa][:, :1])
    leaf[pm] = np.where(both[r.city_inv], leaf[pe] + leaf[pa], leaf[pm])
    cityp[pm] = np.where(both, cityp[pe] + cityp[pa], cityp[pm])
    # 3. stock-flow and the waste balance
    bau = ww.bau_ladder(H, r.share, p["new_households_ladder"])
    lad = ww.stock_flow(
        H,
        bau,
        r.share_spald[:, None] * H,
        leaf["pct_layak"],
        leaf["pct_aman"],
        leaf["pct_babs_terbuka"],
        r.urban,
        r.in_zone,
        p["spald_t_share"],
        p["ready_share"],
    )
    wa = waste_mod.waste_areas(
        G,
        r.share["waste_pengurangan"],
        r.share["waste_penanganan"],
        leaf[pe],
        leaf[pa],
        p["recovery"],
        p["routes"],
    )
    # 4. roll-ups into the flat columns of the long tables
    g = len(pop) + sum(len(s) for s in r.starts)
    out: dict[str, np.ndarray] = {}

    def column(name: str, per_scenario: list[np.ndarray]) -> np.ndarray:
        col = np.empty((len(per_scenario) * g, T))
        for i, v in enumerate(per_scenario):
            rollup(v, r.starts, col[i * g : (i + 1) * g])
        out[name] = col.reshape(-1)
        return out[name]

    column("population", [pop])
    column("households", [H])
    for rung in RUNGS:
        column(f"ladder_hh_{rung}", [lad.bau[rung], lad.plan[rung]])
    hh = column("ladder_households", [H, H])
    lay = out["ladder_hh_aman"] + out["ladder_hh_layak_sendiri"] + out["ladder_hh_layak_bersama"]
    out["ladder_pct_layak"] = ratio_pct(lay, hh)
    out["ladder_pct_aman"] = ratio_pct(out["ladder_hh_aman"], hh)
    out["ladder_pct_babs_terbuka"] = ratio_pct(out["ladder_hh_babs_terbuka"], hh)
    gen = column("waste_generated", [G, G])
    wp = column("waste_pengurangan", [wa.bau_pengurangan, wa.plan_pengurangan])
    wh = column("waste_penanganan", [wa.bau_penanganan, wa.plan_penanganan])
    out["waste_unmanaged"] = np.maximum(gen - wp - wh, 0.0)
    out["waste_pct_pengurangan"] = ratio_pct(wp, gen)
    out["waste_pct_penanganan"] = ratio_pct(wh, gen)
    out["waste_pct_managed"] = ratio_pct(wp + wh, gen)
    for k, v in lad.annual.items():
        column(f"needs_{k}", [v])

    # headline: city sums of numerators, denominators and area shortfalls
    def to_city(x: np.ndarray) -> np.ndarray:
        return np.add.reduceat(x, r.city_starts, axis=0)

    L = lad.bau
    num = {
        "pct_layak": L["aman"] + L["layak_sendiri"] + L["layak_bersama"],
        "pct_aman": L["aman"],
        "pct_babs_terbuka": L["babs_terbuka"],
        pe: wa.bau_pengurangan,
        pa: wa.bau_penanganan,
        pm: wa.bau_pengurangan + wa.bau_penanganan,
    }
    den_city = {"households": to_city(H), "generated": to_city(G)}
    for ind in HEADLINE:
        hh_based = INDICATORS[ind]["basis"] == "households"
        den_leaf, key = (H, "households") if hh_based else (G, "generated")
        sign = -1.0 if tg.lower_is_better(ind) else 1.0
        out[f"headline_bau_{ind}"] = ratio_pct(to_city(num[ind]), den_city[key])
        short = np.maximum(sign * (leaf[ind] * den_leaf - num[ind]), 0.0)
        out[f"headline_shortfall_{ind}"] = to_city(short)
    out["leaf_population"], out["leaf_households"] = pop, H
    for rung in RUNGS:
        out[f"leaf_plan_{rung}"] = lad.plan[rung]
    for k, v in lad.annual.items():
        out[f"leaf_annual_{k}"] = v
    out["leaf_plan_penanganan"] = wa.plan_penanganan
    for ind in HEADLINE:
        out[f"leaf_path_{ind}"] = leaf[ind]
        out[f"city_path_{ind}"] = cityp[ind]
    return out
