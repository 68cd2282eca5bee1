"""Uncertainty of the needs and their costs (``sanitasi uncertainty``; docs/METHOD.md §15).

:func:`uncertainty_run` draws every uncertain input from a triangular distribution (low,
mode = the value used, high) and reports P10/P50/P90 of the needs and of the costs per
year and sector, seeded and reproducible:

* parameters that change the quantities (households, desludgings, trucks, tonnes...) need
  the engine: it is run for a small Latin-hypercube set of ``runs`` parameter draws
  (:func:`sanitasi.core.plan.compute`, one run each);
* the cost-only inputs -- unit costs with a ``low_idr``/``high_idr`` range, the escalation
  rate and the O&M share -- are drawn ``draws`` times and costed for all draws at once
  (:func:`sanitasi.core.uncertainty.cost_draws`: costs are linear in them given the
  quantities); draw ``d`` takes the quantities of engine run ``d mod runs``.

What is drawn by default: parameters and unit costs of status ``illustrative`` or
``unverified`` with a range, less the choices listed in
``reference/uncertainty_excluded.csv``. ``budget`` (the caps of ``budget.csv``, else the
default from ``fiscal_history.csv``, as ``sanitasi optimise`` reads them): the probability
of reaching each year's trajectory under the budget, per draw by the vectorised
approximation of METHOD.md §15.4 (:func:`sanitasi.core.uncertainty.reach_draws`; the
optimiser itself is too slow to solve per draw).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from importlib.resources.abc import Traversable

import numpy as np
import pandas as pd

from sanitasi.app.errors import AppError
from sanitasi.app.optimise import (
    OPTIMISED_NEEDS,
    SHORTFALL_WARN_PTS,
    build_problem,
    read_caps,
)
from sanitasi.app.plan import plan_report
from sanitasi.app.priority import period_columns
from sanitasi.app.source import CitySource, PlanRequest
from sanitasi.core.costs import OM_ITEM, OM_NEED
from sanitasi.core.model import Parameter, PlanInputs, PlanOptions, PlanResult
from sanitasi.core.optimise import ALL_SECTORS, SECTORS, needs_based_spend
from sanitasi.core.plan import PlanArrays, compute
from sanitasi.core.reads import computation
from sanitasi.core.results import assemble
from sanitasi.core.uncertainty import (
    CostStructure,
    cost_draws,
    lhs_uniform,
    quantiles,
    reach_draws,
    triangular_ppf,
)
from sanitasi.io.uncertainty import excluded_parameters

#: Statuses drawn by default.
DEFAULT_STATUSES: tuple[str, ...] = ("illustrative", "unverified")
DEFAULT_DRAWS = 1000
DEFAULT_RUNS = 10
DEFAULT_SEED = 2024
#: The cost-only parameters (drawn with the unit costs, no engine run; METHOD.md §8.2, §8.5).
ESCALATION = "cost_escalation_rate_per_year"
OM_SHARE = "om_share_of_capex_per_year"
COST_ONLY = (ESCALATION, OM_SHARE)
#: Sector code of the all-sector rows.
TOTAL = "total"

#: Objective of the model whose needs-based cost is the need per cap row (METHOD.md §15.4).
OBJECTIVE = "progress"
#: Indicators whose reach under a budget is estimated (the optimiser's, §18.3) -> sector.
REACH_INDICATORS: dict[str, str] = {
    "pct_layak": "ald",
    "pct_aman": "ald",
    "pct_waste_pengurangan": "persampahan",
    "pct_waste_penanganan": "persampahan",
}


@dataclass(frozen=True)
class ReachBudget:
    """The budget the probability of reaching is computed under (METHOD.md §15.4):
    ``caps`` ``year, source, sector, cap_idr``; ``origin`` its file; ``sources`` and
    ``spend`` (2 sectors, S, T): the needs-based path's cost in the optimiser's model per
    sector, source and year of the SSK period at the reference values
    (:func:`sanitasi.core.optimise.needs_based_spend`)."""

    caps: pd.DataFrame
    origin: str
    sources: tuple[str, ...]
    spend: np.ndarray


@dataclass(frozen=True)
class UncertaintyResult:
    """What :func:`uncertainty_run` returns.

    ``drawn``: ``name, kind (parameter|unit_cost), role (engine|cost), unit, low, mode,
    high, status``; ``costs``: ``kode, sector, year, deterministic_idr, mean_idr, p10_idr,
    p50_idr, p90_idr`` (sectors and ``total``); ``period``: the same summed over the SSK
    period (the quantiles of the per-draw sums); ``needs``: ``kode, sector, need, unit,
    year, deterministic, p10, p50, p90`` over the engine runs; ``reach``: ``kode,
    indicator, year, trajectory_pct, p10_pct, p50_pct, p90_pct, probability`` per year of
    the SSK period (only under a budget: the indicator's value under the budget and the
    share of draws that reach the trajectory); ``budget_from``: where the caps come from;
    ``reach_absent_id``/``_en``: why there is no ``reach`` (no budget, several cities)."""

    draws: int
    runs: int
    seed: int
    period: tuple[int, int]
    city_kodes: tuple[str, ...]
    drawn: pd.DataFrame
    costs: pd.DataFrame
    period_costs: pd.DataFrame
    needs: pd.DataFrame
    reach: pd.DataFrame | None = None
    budget_from: str = ""
    reach_absent_id: str = ""
    reach_absent_en: str = ""


def _finite(v: object) -> float | None:
    if v is None or isinstance(v, str):
        return None
    f = float(v)  # type: ignore[arg-type]
    return f if np.isfinite(f) else None


def drawn_parameters(
    params: Mapping[str, Parameter], statuses: Collection[str], excluded: Collection[str]
) -> list[Parameter]:
    """Numeric parameters with a finite ``low`` and ``high``, of a drawn status, not
    excluded (file order)."""
    out = []
    for p in params.values():
        if p.name in excluded or p.status not in statuses:
            continue
        if _finite(p.value) is None or _finite(p.low) is None or _finite(p.high) is None:
            continue
        out.append(p)
    return out


def drawn_unit_costs(unit_costs: pd.DataFrame, statuses: Collection[str]) -> pd.DataFrame:
    """Unit-cost rows with a finite ``low_idr`` and ``high_idr`` and a drawn status."""
    if "low_idr" not in unit_costs.columns or "high_idr" not in unit_costs.columns:
        return unit_costs.iloc[0:0]
    lo = pd.to_numeric(unit_costs["low_idr"], errors="coerce")
    hi = pd.to_numeric(unit_costs["high_idr"], errors="coerce")
    keep = lo.notna() & hi.notna() & unit_costs["status"].isin(list(statuses))
    return unit_costs[keep.to_numpy(bool)]


def _structure(runs: list[PlanArrays], inputs: PlanInputs) -> tuple[CostStructure, pd.DataFrame]:
    """Align the cost rows (not O&M) of the runs on those of the first (the deterministic
    plan) and attach base cost, price year and O&M group."""
    first = runs[0].costs
    key = ["kode", "sector", "need", "item"]
    rows_long = first[first["need"] != OM_NEED]
    rows = rows_long[key].drop_duplicates().reset_index(drop=True)
    years = np.sort(rows_long["year"].unique())
    qs = []
    for arr in runs:
        c = arr.costs
        c = c[c["need"] != OM_NEED]
        wide = c.pivot_table(
            index=key, columns="year", values="quantity", aggfunc="sum", sort=False
        )
        wide = wide.reindex(pd.MultiIndex.from_frame(rows)).reindex(columns=years)
        qs.append(wide.to_numpy(float))
    uc = inputs.unit_costs.drop_duplicates("item").set_index("item")
    rows["base_cost_idr"] = rows["item"].map(uc["cost_idr"]).astype(float)
    rows["price_year"] = rows["item"].map(uc["price_year"]).astype(float)
    ni = inputs.need_items.drop_duplicates(["need", "item"])
    om_item = (
        ni["om_item"].fillna("").astype(str).str.strip()
        if "om_item" in ni.columns
        else pd.Series("", index=ni.index)
    )
    ni = ni.assign(om_item=om_item.where(om_item != "", OM_ITEM))
    rows = rows.merge(
        ni[["need", "item", "cost_kind", "om_rule", "om_item"]], on=["need", "item"], how="left"
    )
    carries = (rows["cost_kind"] == "capex") & (rows["om_rule"] == "om_share")
    groups = (
        rows.loc[carries, ["kode", "sector", "om_item"]].drop_duplicates().reset_index(drop=True)
    )
    gpos = {tuple(r): i for i, r in enumerate(groups.itertuples(index=False))}
    rows["om_group"] = [
        gpos[(k, s, o)] if c else -1
        for k, s, o, c in zip(rows["kode"], rows["sector"], rows["om_item"], carries, strict=True)
    ]
    return CostStructure(rows, years, np.stack(qs), groups), rows


def _sector_sums(
    cost: np.ndarray,
    om: np.ndarray,
    rows: pd.DataFrame,
    groups: pd.DataFrame,
) -> tuple[pd.DataFrame, np.ndarray]:
    """``(D, KS, T)`` costs per (kode, sector) and the (kode, sector) keys (sorted), plus
    one ``total`` per kode."""
    keys = pd.concat(
        [rows[["kode", "sector"]], groups[["kode", "sector"]]], ignore_index=True
    ).astype(str)
    ks = keys.drop_duplicates().sort_values(["kode", "sector"]).reset_index(drop=True)
    pos = {tuple(r): i for i, r in enumerate(ks.itertuples(index=False))}
    idx = np.array([pos[tuple(r)] for r in keys.itertuples(index=False)], dtype=np.intp)
    both = np.concatenate([cost, om], axis=1)  # (D, R + G, T)
    onehot = np.zeros((len(idx), len(ks)))
    onehot[np.arange(len(idx)), idx] = 1.0
    by = np.einsum("drt,rs->dst", both, onehot)
    kodes = sorted(ks["kode"].unique())
    tot = np.stack([by[:, (ks["kode"] == k).to_numpy(bool), :].sum(axis=1) for k in kodes], 1)
    ks_all = pd.concat([ks, pd.DataFrame({"kode": kodes, "sector": TOTAL})], ignore_index=True)
    return ks_all, np.concatenate([by, tot], axis=1)


def uncertainty_run(
    inputs: PlanInputs,
    options: PlanOptions,
    *,
    draws: int = DEFAULT_DRAWS,
    runs: int = DEFAULT_RUNS,
    seed: int = DEFAULT_SEED,
    statuses: Collection[str] = DEFAULT_STATUSES,
    excluded: Collection[str] | None = None,
    budget: ReachBudget | None = None,
) -> UncertaintyResult:
    """The Monte Carlo of the needs and costs (module docstring; METHOD.md §15).
    ``budget``: for the probability of reaching each year's trajectory (one city). Raises
    ``ValueError`` when ``draws`` or ``runs`` is below 1."""
    if draws < 1 or runs < 1:
        raise ValueError("draws and runs must be at least 1")
    excluded = set(excluded_parameters() if excluded is None else excluded)
    rng = np.random.default_rng(seed)
    P = inputs.parameters
    params = drawn_parameters(P.params, statuses, excluded)
    engine = [p for p in params if p.name not in COST_ONLY]
    cost_params = {p.name: p for p in params if p.name in COST_ONLY}
    items = drawn_unit_costs(inputs.unit_costs, statuses)

    base_arr = compute(inputs, options)
    arrays = [base_arr]
    engine_values = np.zeros((0, len(engine)))
    if engine:
        lo = np.array([float(p.low) for p in engine])  # type: ignore[arg-type]
        hi = np.array([float(p.high) for p in engine])  # type: ignore[arg-type]
        mode = np.array([float(p.value) for p in engine])  # type: ignore[arg-type]
        engine_values = triangular_ppf(lhs_uniform(rng, runs, len(engine)), lo, mode, hi)
        for k in range(runs):
            drawn_set = P.with_overrides(
                {p.name: float(v) for p, v in zip(engine, engine_values[k], strict=True)},
                source="Monte Carlo draw",
            )
            arrays.append(compute(replace(inputs, parameters=drawn_set), options))
    n_runs = len(arrays) - 1 if engine else 0
    structure, rows = _structure(arrays, inputs)

    # cost-only draws: unit-cost multipliers, escalation, O&M share (one LHS of size draws)
    u = lhs_uniform(rng, draws, len(items) + 2)
    item_names = [str(i) for i in items["item"]]
    base_cost = items["cost_idr"].to_numpy(float)
    item_draw = triangular_ppf(
        u[:, : len(items)],
        items["low_idr"].to_numpy(float),
        base_cost,
        items["high_idr"].to_numpy(float),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        item_mult = np.where(base_cost > 0, item_draw / base_cost, 1.0)
    col = {name: j for j, name in enumerate(item_names)}
    row_item = np.array([col.get(str(i), -1) for i in rows["item"]], dtype=np.intp)
    multiplier = np.ones((draws, len(rows)))
    has = row_item >= 0
    multiplier[:, has] = item_mult[:, row_item[has]]

    def cost_param(name: str, j: int) -> np.ndarray:
        value = P.num(name)
        p = cost_params.get(name)
        if p is None:
            return np.full(draws, value)
        return triangular_ppf(u[:, len(items) + j], float(p.low), value, float(p.high))  # type: ignore[arg-type]

    escalation = cost_param(ESCALATION, 0)
    om_share = cost_param(OM_SHARE, 1)
    run_of = (np.arange(draws) % n_runs) + 1 if n_runs else np.zeros(draws, dtype=np.intp)
    cost, om = cost_draws(structure, run_of, multiplier, escalation, om_share)
    ks, by = _sector_sums(cost, om, rows, structure.om_groups)
    # the deterministic plan through the same formulas (run 0, reference values)
    det_cost, det_om = cost_draws(
        structure,
        np.zeros(1, dtype=np.intp),
        np.ones((1, len(rows))),
        np.array([P.num(ESCALATION)]),
        np.array([P.num(OM_SHARE)]),
    )
    _, det = _sector_sums(det_cost, det_om, rows, structure.om_groups)

    years = structure.years
    q = quantiles(by)  # (3, KS, T)
    S, T = len(ks), len(years)
    costs = pd.DataFrame(
        {
            "kode": np.repeat(ks["kode"].to_numpy(), T),
            "sector": np.repeat(ks["sector"].to_numpy(), T),
            "year": np.tile(years.astype(np.int64), S),
            "deterministic_idr": det[0].reshape(-1),
            "mean_idr": by.mean(axis=0).reshape(-1),
            "p10_idr": q[0].reshape(-1),
            "p50_idr": q[1].reshape(-1),
            "p90_idr": q[2].reshape(-1),
        }
    )
    period = options.period
    in_p = (years >= period[0]) & (years <= period[1])
    tot = by[:, :, in_p].sum(axis=2)  # (D, KS)
    qp = quantiles(tot)
    period_costs = pd.DataFrame(
        {
            "kode": ks["kode"].to_numpy(),
            "sector": ks["sector"].to_numpy(),
            "deterministic_idr": det[0][:, in_p].sum(axis=1),
            "mean_idr": tot.mean(axis=0),
            "p10_idr": qp[0],
            "p50_idr": qp[1],
            "p90_idr": qp[2],
        }
    )
    # needs: quantities of the engine runs (the deterministic plan when nothing is drawn)
    qty = structure.quantity[1:] if n_runs else structure.quantity[:1]
    need_rows = rows.drop_duplicates(["kode", "sector", "need"]).index.to_numpy()
    # one quantity per need: its first item's row (the items of a need share the quantity)
    nq = qty[:, need_rows, :]
    nqq = quantiles(nq)
    nd = rows.loc[need_rows, ["kode", "sector", "need"]].reset_index(drop=True)
    unit = inputs.need_items.drop_duplicates("need").set_index("need")["unit"]
    nd["unit"] = nd["need"].map(unit).fillna("")
    N = len(nd)
    needs = pd.DataFrame(
        {
            **{c: np.repeat(nd[c].to_numpy(), T) for c in ("kode", "sector", "need", "unit")},
            "year": np.tile(years.astype(np.int64), N),
            "deterministic": structure.quantity[0][need_rows].reshape(-1),
            "p10": nqq[0].reshape(-1),
            "p50": nqq[1].reshape(-1),
            "p90": nqq[2].reshape(-1),
        }
    )
    drawn_rows = [
        dict(
            name=p.name,
            kind="parameter",
            role="cost" if p.name in COST_ONLY else "engine",
            unit=p.unit,
            low=float(p.low),  # type: ignore[arg-type]
            mode=float(p.value),  # type: ignore[arg-type]
            high=float(p.high),  # type: ignore[arg-type]
            status=p.status,
        )
        for p in params
    ]
    drawn_rows += [
        dict(
            name=str(r["item"]),
            kind="unit_cost",
            role="cost",
            unit=str(r.get("unit", "")),
            low=float(r["low_idr"]),
            mode=float(r["cost_idr"]),
            high=float(r["high_idr"]),
            status=str(r["status"]),
        )
        for _, r in items.iterrows()
    ]
    drawn = pd.DataFrame(
        drawn_rows, columns=["name", "kind", "role", "unit", "low", "mode", "high", "status"]
    )
    reach_df, why_id, why_en = None, "", ""
    if budget is not None:
        if len(base_arr.city_kode) != 1:
            why_id, why_en = (
                AppError("optimise_one_city").message("id"),
                AppError("optimise_one_city").message("en"),
            )
        else:
            reach_df = reach_table(
                assemble(inputs, base_arr), rows, cost, det_cost[0], years, period, budget
            )
    return UncertaintyResult(
        draws=draws,
        runs=n_runs,
        seed=seed,
        period=period,
        city_kodes=tuple(str(k) for k in base_arr.city_kode),
        drawn=drawn,
        costs=costs,
        period_costs=period_costs,
        needs=needs,
        reach=reach_df,
        budget_from=budget.origin if reach_df is not None and budget is not None else "",
        reach_absent_id=why_id,
        reach_absent_en=why_en,
    )


def reach_table(
    plan: PlanResult,
    rows: pd.DataFrame,
    cost: np.ndarray,
    det_cost: np.ndarray,
    years: np.ndarray,
    period: tuple[int, int],
    budget: ReachBudget,
) -> pd.DataFrame:
    """The probability of reaching each year's trajectory under the budget (METHOD.md
    §15.4). Per draw d, sector k and year t the cost factor ``lambda[d,k,t]`` = the draw's
    cost of the needs the optimiser decides (``cost`` (D, R, T) over ``rows``) / their cost
    at the reference values (``det_cost`` (R, T)); each cap row g (source, sector) must fund
    ``sum over the sectors it covers of spend[k, source, t] x lambda[d,k,t]`` against its
    cap (:func:`~sanitasi.core.uncertainty.reach_draws`); trajectory and business as usual
    from the deterministic ``plan``'s headline."""
    kode = str(plan.city_kodes[0])
    in_p = (years >= period[0]) & (years <= period[1])
    yrs = years[in_p].astype(np.int64)
    modelled = rows["need"].isin(list(OPTIMISED_NEEDS)) & (rows["kode"].astype(str) == kode)
    lam = np.ones((cost.shape[0], len(SECTORS), len(yrs)))
    for k, sector in enumerate(SECTORS):
        sel = (modelled & (rows["sector"].astype(str) == sector)).to_numpy(bool)
        drawn = np.nan_to_num(cost[:, sel][:, :, in_p]).sum(axis=1)  # (D, T)
        ref = np.nan_to_num(det_cost[sel][:, in_p]).sum(axis=0)  # (T,)
        lam[:, k, :] = np.where(ref > 0, drawn / np.where(ref > 0, ref, 1.0), 1.0)
    c = budget.caps[budget.caps["year"].astype(int).isin([int(y) for y in yrs])]
    groups = list(dict.fromkeys(zip(c["source"].astype(str), c["sector"].astype(str), strict=True)))
    groups = [g for g in groups if g[0] in budget.sources]
    cap = np.zeros((len(groups), len(yrs)))
    pos = {int(y): j for j, y in enumerate(yrs)}
    gpos = {g: i for i, g in enumerate(groups)}
    for y, src, sec, v in zip(
        c["year"].astype(int),
        c["source"].astype(str),
        c["sector"].astype(str),
        c["cap_idr"].astype(float),
        strict=True,
    ):
        if (src, sec) in gpos:
            cap[gpos[(src, sec)], pos[y]] += v
    cover = np.array(
        [[sec in (ALL_SECTORS, k) for k in SECTORS] for _, sec in groups], dtype=bool
    ).reshape(len(groups), len(SECTORS))
    src_of = np.array([budget.sources.index(src) for src, _ in groups], dtype=np.intp)
    spend = budget.spend[:, src_of, :]  # (K, G, T) reference cost of each row's source
    need = np.einsum("kgt,dkt,gk->dgt", spend, lam, cover.astype(float))
    h = plan["headline"]
    h = h[(h["kode"].astype(str) == kode) & h["indicator"].isin(list(REACH_INDICATORS))]
    inds = [i for i in REACH_INDICATORS if i in set(h["indicator"])]

    def wide(col: str) -> np.ndarray:
        return (
            h.pivot_table(index="indicator", columns="year", values=col)
            .reindex(index=inds, columns=yrs)
            .to_numpy(float)
        )

    traj, bau = wide("trajectory_pct"), wide("bau_pct")
    sector_of = np.array([SECTORS.index(REACH_INDICATORS[i]) for i in inds], dtype=np.intp)
    res = reach_draws(need, cap, cover, traj - bau, sector_of, SHORTFALL_WARN_PTS)
    q = quantiles(traj[None, :, :] - res.shortfall)
    n_t = len(yrs)
    return pd.DataFrame(
        {
            "kode": kode,
            "indicator": np.repeat(inds, n_t),
            "year": np.tile(yrs, len(inds)),
            "trajectory_pct": traj.reshape(-1),
            "p10_pct": q[0].reshape(-1),
            "p50_pct": q[1].reshape(-1),
            "p90_pct": q[2].reshape(-1),
            "probability": res.reached.mean(axis=0).reshape(-1),
        }
    )


def reach_budget(
    source: CitySource, plan: PlanResult, budget: Traversable | None = None
) -> ReachBudget:
    """The city's caps (:func:`~sanitasi.app.optimise.read_caps`) and the needs-based cost
    of the optimiser's model built from ``plan`` (a plan report of one city). Raises
    :class:`AppError` (no budget, several cities) or
    :class:`~sanitasi.io.errors.InputErrors` (bad budget files)."""
    if plan.arrays is None or len(plan.arrays.city_kode) != 1:
        raise AppError("optimise_one_city")
    years = plan.arrays.years[period_columns(plan)]
    caps, origin = read_caps(source, years, plan, budget)
    with computation("optimise"):
        problem = build_problem(plan, caps, OBJECTIVE, carry_over=False)
    return ReachBudget(caps, origin, problem.sources, needs_based_spend(problem))


def uncertainty_report(
    source: CitySource,
    request: PlanRequest | None = None,
    *,
    budget: Traversable | None = None,
    **kw: object,
) -> UncertaintyResult:
    """:func:`uncertainty_run` on the source's plan inputs under the city's budget
    (``budget``: a budget file instead of ``budget.csv``; without ``budget.csv`` the default
    from ``fiscal_history.csv``; with neither, no probability of reaching and the result
    says why). Raises :class:`~sanitasi.io.errors.InputErrors` with every problem of the
    plan and budget files."""
    plan = plan_report(source, request or PlanRequest())
    assert plan.inputs is not None
    try:
        rb = reach_budget(source, plan, budget)
    except AppError as e:
        res = uncertainty_run(plan.inputs, plan.options, **kw)  # type: ignore[arg-type]
        return replace(res, reach_absent_id=e.message("id"), reach_absent_en=e.message("en"))
    return uncertainty_run(plan.inputs, plan.options, budget=rb, **kw)  # type: ignore[arg-type]


__all__ = [
    "COST_ONLY",
    "DEFAULT_DRAWS",
    "DEFAULT_RUNS",
    "DEFAULT_SEED",
    "DEFAULT_STATUSES",
    "REACH_INDICATORS",
    "TOTAL",
    "UncertaintyResult",
    "drawn_parameters",
    "drawn_unit_costs",
    "ReachBudget",
    "reach_budget",
    "reach_table",
    "uncertainty_report",
    "uncertainty_run",
]
