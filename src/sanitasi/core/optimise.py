"""The funding-constrained plan (``sanitasi optimise``): build, solve, extract
(docs/METHOD.md §18.3). Pure: arrays in, arrays and tables out; the solver is HiGHS
(``highspy``), a library called in memory. Inputs are never mutated.

Model over the SSK period's years ``t`` (T), the city's kelurahan ``a`` (n) and four
interventions ``s`` (streams: households into layak, households into aman, t/day of added
pengurangan, t/day of added penanganan)::

    x[s,a,t] >= 0                       annual additions (no area regresses)
    X[s,a,t] = sum_{tau<=t} x[s,a,tau]  cumulative additions
    X[s,a,T] <= R[s,a,T]                never beyond the needs-based path's end
    sh[s,a,t] >= R[s,a,t] - X[s,a,t],  sh >= 0      shortfall against the needs-based path R
    per_unit[f] x U[f,t] >= driver[f,t] - spare[f,t]   lumpy facilities, U integer cumulative
    spend[g,t] + c[g,t] - c[g,t-1] <= cap[g,t]      per cap row g (source, sector), c = carry

``driver[f,t]`` = sum_s sum_a coef[f,s,a] x sum_tau L_f[t,tau] x[s,a,tau] with ``L_f`` the
cumulative (lower-triangular) matrix for a stock, or the cohort schedule for desludgings
(each enrolment emptied in its year and every ``interval`` years after). Spend of a source
in a year = the direct cost of the additions (``unit_cost x share``), the services
(desludging: ``driver x unit cost x share``) and the facilities added (``u x unit cost x
share``). Objective, lexicographic: (1) the least weighted shortfall ``S = sum w[s,a] x
points[s,t] x sh[s,a,t]`` (indicator point-years; ``w = 1 + priority score`` under
``progress``, 1 under ``cost``), then (2) the least total cost ``C`` keeping (1) at its
optimum. With ``Problem.cost_weight = eps > 0`` (parameter ``optimise_cost_weight``) it is
solved as one mixed-integer model ``min S + eps x C / C_nb`` (``C_nb`` the needs-based cost
of the same model), then two linear models with the integer facilities fixed at that optimum
(the least ``S``, then the least ``C`` keeping it). Bound (docs/METHOD.md §18.3): ``S`` at
most ``eps x C* / C_nb`` above the exact lexicographic optimum ``(S*, C*)``, the cost never
above ``C*`` (to the solver's tolerances). ``eps = 0``: the exact two-stage mixed-integer
solve. Shadow prices are the duals of the cap rows in (1) with the
integer facilities fixed at their optimum: the weighted point-years one more billion rupiah
of the cap buys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import pandas as pd

OBJECTIVES: tuple[str, ...] = ("progress", "cost")
ALL_SECTORS = "all"
#: Tolerance on the optimum of stage (1) when stage (2) keeps it (relative and absolute).
KEEP_TOL = 1e-9
#: Relative MIP gap of HiGHS.
MIP_GAP = 1e-9
#: Absolute MIP gap of HiGHS (weighted point-years): far below the cost term of one
#: facility unit under the default ``cost_weight``.
MIP_ABS_GAP = 1e-10
#: HiGHS options of the least-cost linear model with the facilities fixed: HiGHS's smallest
#: primal feasibility tolerance (Rp 0.1 on a cap row in Rp billion; default Rp 100), so that
#: the least cost does not buy additions with a cap's tolerance.
LP_TIGHT: dict[str, float] = {"primal_feasibility_tolerance": 1e-10}
#: Default of ``Problem.cost_weight`` (weighted point-years per the needs-based cost of the
#: model; 0: the exact two-stage solve): the value of the parameter ``optimise_cost_weight``
#: of reference/parameters.csv, which the app passes.
COST_WEIGHT = 0.0
#: HiGHS options of every solve. The sub-MIP and root heuristics (RINS, RENS, root
#: reduced-cost fixing, feasibility jump) only look for incumbents early; on these small
#: models with few integers (the facilities x years) they took about two thirds of the solve
#: time of the demo (CPU 3.4 s -> 1.1 s per build + solve, same optimum; benchmarks/optimise.py).
#: Branch and bound still proves the optimum to ``MIP_GAP``.
HIGHS_OPTIONS: dict[str, bool | float] = {
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_heuristic_run_feasibility_jump": False,
}
#: Money enters the model in billions of rupiah (well-scaled rows; the duals of the cap rows
#: are then per billion directly).
BILLION = 1e9
#: The solver class without the Python wrapper's callbacks (the wrapper prints a banner on
#: construction, which would land in the terminal report); the wrapper if that moves.
_HIGHS = getattr(getattr(highspy, "_core", None), "_Highs", highspy.Highs)


class OptimiseFailed(Exception):
    """The solver gave no optimal solution (a failure, not an unreachable trajectory)."""


@dataclass(frozen=True)
class Stream:
    """One intervention per area. ``need``: (n, T) cumulative additions of the needs-based
    path; ``unit_cost``: (n, T) Rp per unit added in year t; ``shares``: (n, S) funding
    shares over the problem's sources; ``points``: (T,) indicator points per unit."""

    name: str
    sector: str
    indicator: str
    unit: str
    need: np.ndarray
    unit_cost: np.ndarray
    shares: np.ndarray
    points: np.ndarray


@dataclass(frozen=True)
class Facility:
    """A city facility driven by the streams' additions. ``coef``: stream name -> (n,)
    driver units per unit added; ``cohort``: the interval (years) of a desludging driver, or
    ``None`` for a cumulative stock. ``per_unit``: driver units one facility unit serves
    (``None``: a service paid per driver unit, no capacity); ``spare``: (T,) driver units the
    existing capacity leaves free; ``unit_cost`` (T,) Rp per facility unit added (per driver
    unit for a service); ``shares`` (S,)."""

    name: str
    sector: str
    unit: str
    coef: Mapping[str, np.ndarray]
    unit_cost: np.ndarray
    shares: np.ndarray
    per_unit: float | None = None
    spare: np.ndarray | None = None
    cohort: int | None = None
    integer: bool = True


@dataclass(frozen=True)
class Problem:
    years: np.ndarray  # (T,)
    areas: np.ndarray  # (n,) kode
    sources: tuple[str, ...]
    streams: tuple[Stream, ...]
    facilities: tuple[Facility, ...]
    caps: pd.DataFrame  # year, source, sector (ald|persampahan|all), cap_idr
    weights: Mapping[str, np.ndarray] = field(default_factory=dict)  # sector -> (n,) >= 1
    objective: str = "progress"
    carry_over: bool = False
    cost_weight: float = COST_WEIGHT  # eps (point-years per needs-based cost); 0 = exact


@dataclass(frozen=True)
class Solution:
    x: dict[str, np.ndarray]  # stream -> (n, T) annual additions
    shortfall: dict[str, np.ndarray]  # stream -> (n, T) units below the needs-based path
    units: dict[str, np.ndarray]  # facility -> (T,) units added (driver units for a service)
    spend: pd.DataFrame  # year, source, sector, cap_idr, spent_idr (per cap row; uncapped too)
    shadow: pd.DataFrame  # year, source, sector, gain_per_billion
    cost: np.ndarray  # (T,) total cost of the optimised plan
    spend_by_source: np.ndarray  # (S, T)
    shortfall_objective: float
    binding: tuple[tuple[int, str, str], ...]  # cap rows that bind (year, source, sector)


# ----------------------------------------------------------------------------- build


def _lag(T: int, cohort: int | None) -> np.ndarray:
    """(T, T) driver matrix: lower-triangular ones (a stock), or the cohort schedule."""
    t, tau = np.indices((T, T))
    if cohort is None:
        return (tau <= t).astype(float)
    return ((tau <= t) & ((t - tau) % max(int(cohort), 1) == 0)).astype(float)


@dataclass
class _Model:
    ncol: int
    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integer: np.ndarray
    rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]]  # (row, col, val) triplets
    row_lower: list[np.ndarray]
    row_upper: list[np.ndarray]
    nrow: int = 0

    def add(
        self, r: np.ndarray, c: np.ndarray, v: np.ndarray, lo: np.ndarray, hi: np.ndarray
    ) -> np.ndarray:
        """Add len(lo) rows; ``r`` are local row numbers. Returns their global numbers."""
        keep = v != 0
        self.rows.append((r[keep] + self.nrow, c[keep], v[keep]))
        self.row_lower.append(lo)
        self.row_upper.append(hi)
        first = self.nrow
        self.nrow += len(lo)
        return np.arange(first, self.nrow)


@dataclass(frozen=True)
class _Layout:
    S: int
    n: int
    T: int
    F: int
    x0: int
    sh0: int
    u0: int
    c0: int
    ncol: int
    groups: list[tuple[str, str]]  # cap groups (source, sector)

    def x(self, s: int) -> np.ndarray:
        return self.x0 + s * self.n * self.T + np.arange(self.n * self.T).reshape(self.n, self.T)

    def sh(self, s: int) -> np.ndarray:
        return self.sh0 + s * self.n * self.T + np.arange(self.n * self.T).reshape(self.n, self.T)

    def u(self, f: int) -> np.ndarray:
        return self.u0 + f * self.T + np.arange(self.T)

    def c(self, g: int) -> np.ndarray:
        return self.c0 + g * self.T + np.arange(self.T)


def _layout(p: Problem) -> _Layout:
    S, F, T = len(p.streams), len(p.facilities), len(p.years)
    n = len(p.areas)
    groups = list(dict.fromkeys(zip(p.caps["source"], p.caps["sector"], strict=True)))
    G = len(groups) if p.carry_over else 0
    x0 = 0
    sh0 = S * n * T
    u0 = 2 * S * n * T
    c0 = u0 + F * T
    return _Layout(S, n, T, F, x0, sh0, u0, c0, c0 + G * T, groups)


def _spend_matrix(p: Problem, L: _Layout) -> np.ndarray:
    """(2 sectors, sources, T, ncol) spend coefficients (Rp per unit of each column)."""
    T, n = L.T, L.n
    secs = ("ald", "persampahan")
    out = np.zeros((2, len(p.sources), T, L.ncol))
    tt = np.arange(T)
    for si, st in enumerate(p.streams):
        k = secs.index(st.sector)
        cols = L.x(si)  # (n, T)
        # direct: year t pays x[s,a,t] x unit_cost[a,t] x share[a,j]
        coef = st.unit_cost[:, :, None] * st.shares[:, None, :]  # (n, T, S)
        for j in range(len(p.sources)):
            out[k, j, tt[None, :].repeat(n, 0), cols] += coef[:, :, j]
    for fi, fa in enumerate(p.facilities):
        k = secs.index(fa.sector)
        if fa.per_unit is None:  # a service: cost per driver unit of the year
            lag = _lag(T, fa.cohort)
            for si, st in enumerate(p.streams):
                if st.name not in fa.coef:
                    continue
                cols = L.x(si)
                drv = fa.coef[st.name][:, None, None] * lag[None, :, :]  # (n, t, tau)
                for j in range(len(p.sources)):
                    w = fa.unit_cost[None, :, None] * fa.shares[j]
                    out[k, j][:, cols] += np.transpose(drv * w, (1, 0, 2))  # (t, n, tau)
        else:
            for j in range(len(p.sources)):
                out[k, j, tt, L.u(fi)] += fa.unit_cost * fa.shares[j]
    return out


def _build(p: Problem, L: _Layout, spend: np.ndarray, weighted: bool) -> tuple[_Model, dict]:
    n, T = L.n, L.T
    cost = np.zeros(L.ncol)
    lower = np.zeros(L.ncol)
    upper = np.full(L.ncol, np.inf)
    integer = np.zeros(L.ncol, dtype=bool)
    m = _Model(L.ncol, cost, lower, upper, integer, [], [], [])
    rows: dict[str, np.ndarray] = {}
    tri_t, tri_tau = np.nonzero(np.tril(np.ones((T, T))))
    for si, st in enumerate(p.streams):
        xs, shs = L.x(si), L.sh(si)
        need = np.maximum(np.asarray(st.need, dtype=float), 0.0)
        need_end = need[:, -1]
        # (1) never beyond the end of the needs-based path
        r = np.repeat(np.arange(n), T)
        m.add(r, xs.reshape(-1), np.ones(n * T), np.full(n, -np.inf), need_end)
        # (2) shortfall: sh[a,t] + sum_{tau<=t} x[a,tau] >= need[a,t]
        a_idx = np.repeat(np.arange(n), len(tri_t))
        rr = a_idx * T + np.tile(tri_t, n)
        cc = xs[a_idx, np.tile(tri_tau, n)]
        r2 = np.concatenate([rr, np.arange(n * T)])
        c2 = np.concatenate([cc, shs.reshape(-1)])
        m.add(r2, c2, np.ones(len(r2)), need.reshape(-1), np.full(n * T, np.inf))
        w = p.weights.get(st.sector, np.ones(n)) if weighted else np.ones(n)
        cost[shs] = w[:, None] * np.asarray(st.points, dtype=float)[None, :]
    # (3) facilities
    for fi, fa in enumerate(p.facilities):
        if fa.per_unit is None:
            continue
        us = L.u(fi)
        integer[us] = fa.integer
        lag = _lag(T, fa.cohort)
        rr_l, cc_l, vv_l = [], [], []
        t_i, tau_i = np.nonzero(np.tril(np.ones((T, T))))
        rr_l.append(t_i)
        cc_l.append(us[tau_i])
        vv_l.append(np.full(len(t_i), float(fa.per_unit)))
        for si, st in enumerate(p.streams):
            if st.name not in fa.coef:
                continue
            xs = L.x(si)
            drv = fa.coef[st.name][:, None, None] * lag[None, :, :]  # (n, t, tau)
            a_i, t2, tau2 = np.nonzero(drv)
            rr_l.append(t2)
            cc_l.append(xs[a_i, tau2])
            vv_l.append(-drv[a_i, t2, tau2])
        spare = np.zeros(T) if fa.spare is None else np.asarray(fa.spare, dtype=float)
        m.add(
            np.concatenate(rr_l),
            np.concatenate(cc_l),
            np.concatenate(vv_l),
            -spare,
            np.full(T, np.inf),
        )
    # (4) caps
    caps = p.caps
    yi = {int(y): i for i, y in enumerate(p.years)}
    src = {s: j for j, s in enumerate(p.sources)}
    cap_rows = []
    for g, (source, sector) in enumerate(L.groups):
        if source not in src:
            continue
        sel = caps[(caps["source"] == source) & (caps["sector"] == sector)]
        cap = np.zeros(T)
        for y, v in zip(sel["year"].astype(int), sel["cap_idr"].astype(float), strict=True):
            if y in yi:
                cap[yi[y]] = v
        ks = [0, 1] if sector == ALL_SECTORS else [("ald", "persampahan").index(sector)]
        coef = spend[ks, src[source]].sum(axis=0) / BILLION  # (T, ncol), Rp billion
        t_i, c_i = np.nonzero(coef)
        r_g: list[np.ndarray] = [t_i]
        c_g: list[np.ndarray] = [c_i]
        v_g: list[np.ndarray] = [coef[t_i, c_i]]
        if p.carry_over:
            cs = L.c(g)
            r_g += [np.arange(T), np.arange(1, T)]
            c_g += [cs, cs[:-1]]
            v_g += [np.ones(T), -np.ones(T - 1)]
        glob = m.add(
            np.concatenate(r_g),
            np.concatenate(c_g),
            np.concatenate(v_g),
            np.full(T, -np.inf),
            cap / BILLION,
        )
        cap_rows.append((g, source, sector, glob, cap))
    rows["caps"] = cap_rows  # type: ignore[assignment]
    return m, rows


# ----------------------------------------------------------------------------- solve


def _solve(
    m: _Model,
    cost: np.ndarray,
    extra: list | None = None,
    start: np.ndarray | None = None,
    options: Mapping[str, float] | None = None,
) -> tuple[Any, np.ndarray]:
    trip = list(m.rows)
    lo = list(m.row_lower)
    hi = list(m.row_upper)
    nrow = m.nrow
    for r, c, v, rl, ru in extra or []:
        trip.append((r + nrow, c, v))
        lo.append(rl)
        hi.append(ru)
        nrow += len(rl)
    r = np.concatenate([t[0] for t in trip]).astype(np.int64)
    c = np.concatenate([t[1] for t in trip]).astype(np.int64)
    v = np.concatenate([t[2] for t in trip]).astype(float)
    order = np.lexsort((r, c))
    r, c, v = r[order], c[order], v[order]
    colstart = np.searchsorted(c, np.arange(m.ncol + 1)).astype(np.int32)
    lp = highspy.HighsLp()
    lp.num_col_ = m.ncol
    lp.num_row_ = nrow
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = m.lower
    lp.col_upper_ = m.upper
    lp.row_lower_ = np.concatenate(lo) if lo else np.zeros(0)
    lp.row_upper_ = np.concatenate(hi) if hi else np.zeros(0)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = colstart
    lp.a_matrix_.index_ = r.astype(np.int32)
    lp.a_matrix_.value_ = v
    if m.integer.any():
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
            for i in m.integer
        ]
    h = _HIGHS()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", MIP_GAP)
    h.setOptionValue("mip_abs_gap", MIP_ABS_GAP)
    for key, value in {**HIGHS_OPTIONS, **(options or {})}.items():
        h.setOptionValue(key, value)
    h.passModel(lp)
    if start is not None:  # a feasible start (stage 1's optimum): the MIP starts from it
        sol = highspy.HighsSolution()
        sol.col_value = list(start)
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise OptimiseFailed(h.modelStatusToString(status))
    return h, np.asarray(h.getSolution().col_value, dtype=float)


def solve(p: Problem) -> Solution:
    """Build, solve (two stages, see the module docstring) and extract. Raises
    :class:`OptimiseFailed` when HiGHS reports anything but an optimum."""
    if p.objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}, not {p.objective!r}")
    L = _layout(p)
    spend = _spend_matrix(p, L)
    m, rows = _build(p, L, spend, weighted=p.objective == "progress")
    total_cost = spend.sum(axis=(0, 1, 2)) / BILLION  # Rp billion per unit of each column
    stage1 = m.cost.copy()
    eps = float(p.cost_weight)
    if eps < 0 or not np.isfinite(eps):
        raise ValueError(f"cost_weight must be finite and >= 0, not {eps!r}")
    nz = np.flatnonzero(stage1)

    def keep(best: float) -> tuple[np.ndarray, ...]:  # S <= best (the keep row)
        return (
            np.zeros(len(nz), dtype=np.int64),
            nz,
            stage1[nz],
            np.array([-np.inf]),
            np.array([best * (1 + KEEP_TOL) + KEEP_TOL]),
        )

    if eps > 0:
        # (1)+(2) in one mixed-integer model (cost scaled by the needs-based cost of the
        # model), then, the facilities fixed (linear models): the least cost keeping its S,
        # and the least S for the duals (the shadow prices)
        c_nb = float(needs_based_cost(p).sum()) / BILLION
        scale = c_nb if c_nb > 0 else 1.0  # no needs: Rp 1 billion
        _h1, x1 = _solve(m, stage1 + (eps / scale) * total_cost)
        fixed = _fix_integers(m, x1)
        try:
            _h2, x2 = _solve(fixed, total_cost, [keep(float(stage1 @ x1))], options=LP_TIGHT)
        except OptimiseFailed:  # the keep row below the solver's tolerances: x1 stands
            x2 = x1
        h3, _x3 = _solve(fixed, stage1)
    else:
        # stage 1: least S; stage 2: least cost keeping it (both mixed-integer); duals: stage
        # 1 as a linear model with the facilities fixed at the stage-2 units
        _h1, x1 = _solve(m, stage1)
        _h2, x2 = _solve(m, total_cost, [keep(float(stage1 @ x1))], start=x1)
        h3, _x3 = _solve(_fix_integers(m, x2), stage1)
    duals = np.asarray(h3.getSolution().row_dual, dtype=np.float64)
    return _extract(p, L, spend, rows, x2, duals, float(stage1 @ x2))


def _fix_integers(m: _Model, x: np.ndarray) -> _Model:
    """``m`` as a linear model: its integer columns fixed at ``x`` (rounded)."""
    return _Model(
        m.ncol,
        m.cost,
        np.where(m.integer, np.round(x), m.lower),
        np.where(m.integer, np.round(x), m.upper),
        np.zeros(m.ncol, dtype=bool),
        m.rows,
        m.row_lower,
        m.row_upper,
        m.nrow,
    )


# ----------------------------------------------------------------------------- extract


def _extract(
    p: Problem,
    L: _Layout,
    spend: np.ndarray,
    rows: dict,
    x: np.ndarray,
    duals: np.ndarray,
    shortfall_obj: float,
) -> Solution:
    xs = {st.name: np.maximum(x[L.x(i)], 0.0) for i, st in enumerate(p.streams)}
    shs = {st.name: np.maximum(x[L.sh(i)], 0.0) for i, st in enumerate(p.streams)}
    units: dict[str, np.ndarray] = {}
    for fi, fa in enumerate(p.facilities):
        if fa.per_unit is None:
            lag = _lag(L.T, fa.cohort)
            drv = np.zeros(L.T)
            for st in p.streams:
                if st.name in fa.coef:
                    drv += lag @ (fa.coef[st.name] @ xs[st.name])
            units[fa.name] = drv
        else:
            units[fa.name] = np.round(x[L.u(fi)], 9)
    by_source = spend.sum(axis=0) @ x  # (S, T)
    by_sector = spend @ x  # (2, S, T)
    recs, shadow, binding = [], [], []
    capped = set()
    for _g, source, sector, glob, cap in rows["caps"]:
        j = p.sources.index(source)
        spent = (
            by_sector[:, j].sum(axis=0)
            if sector == ALL_SECTORS
            else by_sector[("ald", "persampahan").index(sector), j]
        )
        capped.add(source)
        for t, year in enumerate(p.years):
            recs.append((int(year), source, sector, float(cap[t]), float(spent[t])))
            gain = -duals[glob[t]]  # the row is in Rp billion
            gain = 0.0 if abs(gain) < 1e-9 else gain
            shadow.append((int(year), source, sector, gain))
            if gain > 1e-9:
                binding.append((int(year), source, sector))
    for j, source in enumerate(p.sources):
        if source in capped:
            continue
        for t, year in enumerate(p.years):
            recs.append((int(year), source, ALL_SECTORS, np.nan, float(by_source[j, t])))
    spend_df = pd.DataFrame(recs, columns=["year", "source", "sector", "cap_idr", "spent_idr"])
    shadow_df = pd.DataFrame(shadow, columns=["year", "source", "sector", "gain_per_billion"])
    return Solution(
        x=xs,
        shortfall=shs,
        units=units,
        spend=spend_df.sort_values(["year", "source", "sector"], kind="stable").reset_index(
            drop=True
        ),
        shadow=shadow_df.sort_values(["year", "source", "sector"], kind="stable").reset_index(
            drop=True
        ),
        cost=by_source.sum(axis=0),
        spend_by_source=by_source,
        shortfall_objective=shortfall_obj,
        binding=tuple(binding),
    )


#: Sector order of the spend arrays.
SECTORS: tuple[str, ...] = ("ald", "persampahan")


def _needs_parts(p: Problem) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """The needs-based path's costs in the model: (sector index, (m, T) cost in Rp, (m, S)
    funding shares) per stream (m = areas) and facility (m = 1). x = the yearly increase of
    the need (never negative); a facility: the fewest whole units that serve it (a service:
    its driver units)."""
    T = len(p.years)
    parts = []
    xs = {}
    for st in p.streams:
        need = np.maximum(np.asarray(st.need, dtype=float), 0.0)
        xs[st.name] = np.maximum(np.diff(need, axis=1, prepend=0.0), 0.0)
        parts.append(
            (SECTORS.index(st.sector), xs[st.name] * st.unit_cost, np.asarray(st.shares, float))
        )
    for fa in p.facilities:
        lag = _lag(T, fa.cohort)
        drv = np.zeros(T)
        for st in p.streams:
            if st.name in fa.coef:
                drv += lag @ (fa.coef[st.name] @ xs[st.name])
        if fa.per_unit is None:
            cost = drv * fa.unit_cost
        else:
            spare = np.zeros(T) if fa.spare is None else fa.spare
            need_u = np.maximum(drv - spare, 0.0) / fa.per_unit
            cum = np.maximum.accumulate(np.ceil(need_u - 1e-9) if fa.integer else need_u)
            cost = np.diff(cum, prepend=0.0) * fa.unit_cost
        parts.append(
            (SECTORS.index(fa.sector), cost[None, :], np.asarray(fa.shares, float)[None, :])
        )
    return parts


def needs_based_spend(p: Problem) -> np.ndarray:
    """(2 sectors, S sources, T) cost of the needs-based path in the same model (Rp), split
    over the sources by each item's funding shares; sectors in :data:`SECTORS` order."""
    out = np.zeros((len(SECTORS), len(p.sources), len(p.years)))
    for k, cost, shares in _needs_parts(p):
        out[k] += np.einsum("at,as->st", cost, shares)
    return out


def needs_based_cost(p: Problem) -> np.ndarray:
    """(T,) cost of the needs-based path in the same model (Rp; :func:`_needs_parts`)."""
    total = np.zeros(len(p.years))
    for _k, cost, _shares in _needs_parts(p):
        total += cost.sum(axis=0)
    return total


def needs_based_cost_by_sector(p: Problem) -> dict[str, np.ndarray]:
    """Sector -> (T,) cost of the needs-based path in the same model (Rp)."""
    out = {s: np.zeros(len(p.years)) for s in SECTORS}
    for k, cost, _shares in _needs_parts(p):
        out[SECTORS[k]] += cost.sum(axis=0)
    return out


__all__ = [
    "ALL_SECTORS",
    "COST_WEIGHT",
    "OBJECTIVES",
    "Facility",
    "OptimiseFailed",
    "SECTORS",
    "Problem",
    "Solution",
    "Stream",
    "needs_based_cost",
    "needs_based_cost_by_sector",
    "needs_based_spend",
    "solve",
]
