"""``sanitasi optimise``: the funding-constrained plan of a city (docs/METHOD.md §18.3).

:func:`optimise_report` runs the plan as ``sanitasi plan`` does (one pipeline), reads the
budget (``--budget F``, else the city's ``budget.csv``, else the default projected from
``fiscal_history.csv``), builds the model from the engine's arrays (:func:`build_problem`),
solves it with HiGHS (:mod:`sanitasi.core.optimise`) and adds the tables: ``optimise_spend``,
``optimise_shortfall``, ``optimise_shadow`` (the issue's English headers), the per-sector
spend, and the optimised plan's quantities and costs per intervention. An unreachable
trajectory is a result (shortfall + warning ``SAN-W025`` naming the binding caps); a solver
failure raises :class:`~sanitasi.core.optimise.OptimiseFailed`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib.resources.abc import Traversable

import numpy as np
import pandas as pd

from sanitasi.app.errors import AppError
from sanitasi.app.plan import plan_report
from sanitasi.app.priority import (
    ALD_NEEDS,
    area_inputs,
    period_columns,
    unit_costs,
    weights,
)
from sanitasi.app.source import CitySource, PlanRequest
from sanitasi.core.budget import project_budget
from sanitasi.core.model import Column, ParameterSet, PlanResult, Table, Warning_
from sanitasi.core.optimise import (
    ALL_SECTORS,
    COST_WEIGHT,
    OBJECTIVES,
    Facility,
    Problem,
    Solution,
    Stream,
    needs_based_cost,
    solve,
)
from sanitasi.core.priority import area_priorities
from sanitasi.core.reads import computation
from sanitasi.io.budget import read_budget, read_fiscal_history
from sanitasi.io.errors import InputErrors, errors_of

#: The needs the model decides (docs/METHOD.md §18.3); the rest of the needs-based plan (TPA,
#: the tipping fee, O&M) is not optimised.
OPTIMISED_NEEDS: tuple[str, ...] = (
    *ALD_NEEDS,
    "l2t2_desludging",
    "iplt_capacity",
    "vacuum_truck",
    "tps3r",
    "bank_sampah",
    "collection_truck",
)
#: Stream -> (sector, indicator, unit).
STREAMS: dict[str, tuple[str, str, str]] = {
    "layak": ("ald", "pct_layak", "households"),
    "aman": ("ald", "pct_aman", "households"),
    "pengurangan": ("persampahan", "pct_waste_pengurangan", "t/day"),
    "penanganan": ("persampahan", "pct_waste_penanganan", "t/day"),
}
#: The facility (need) each stream's additions drive, for the optimised plan's table.
NEED_OF_STREAM = {
    "layak": "into_layak_hh",
    "aman": "into_aman_hh",
    "pengurangan": "added_pengurangan",
    "penanganan": "added_penanganan",
}


#: Shortfall (indicator points) above which a trajectory counts as not reached (warning
#: SAN-W025; the probability of reaching, METHOD.md §15.4): below it is solver noise and
#: rounding (the reports show two decimals).
SHORTFALL_WARN_PTS = 0.005


@dataclass(frozen=True)
class OptimiseReport:
    """The plan result with the optimisation tables, the model and its solution."""

    result: PlanResult
    problem: Problem
    solution: Solution
    budget_from: str  # budget.csv | the --budget file | fiscal_history.csv
    needs_based_cost_idr: float


def _folder(source: CitySource) -> Traversable | None:
    folder = getattr(source, "document_folder", None)
    return folder() if callable(folder) else None


def read_caps(
    source: CitySource, years: np.ndarray, result: PlanResult, budget: Traversable | None
) -> tuple[pd.DataFrame, str]:
    """The caps ``year, source, sector, cap_idr, status`` and where they come from; raises
    :class:`InputErrors` (every problem of the budget files) or :class:`AppError`
    (``optimise_no_budget``) when the city has neither file."""
    return read_caps_with(source, years, result.parameters, budget)


def read_caps_with(
    source: CitySource, years: np.ndarray, parameters: ParameterSet, budget: Traversable | None
) -> tuple[pd.DataFrame, str]:
    """:func:`read_caps` with the run's parameters (the default budget's window and
    growth, docs/METHOD.md §18.1)."""
    folder = _folder(source)
    caps, problems = read_budget(folder, budget)
    origin = str(getattr(budget, "name", "budget.csv")) if budget is not None else "budget.csv"
    hist, hist_problems = read_fiscal_history(folder)
    problems += hist_problems
    if errors_of(problems):
        raise InputErrors(errors_of(problems))
    if caps is None:
        if hist is None:
            raise AppError("optimise_no_budget")
        with computation("budget.default"):
            window = int(parameters.num("budget_history_window_years"))
            growth = parameters.num("budget_growth_rate_per_year")
        caps = project_budget(hist, [int(y) for y in years], window, growth)
        origin = "fiscal_history.csv"
    return caps.reset_index(drop=True), origin


def _shares(result: PlanResult, need: str, sources: tuple[str, ...]) -> np.ndarray:
    """(S,) funding shares of a need's funding item over ``sources``."""
    inputs = result.inputs
    assert inputs is not None
    ni = inputs.need_items[inputs.need_items["need"] == need]
    item = ""
    if len(ni):
        fi = str(ni["funding_item"].iloc[0]) if "funding_item" in ni.columns else ""
        item = fi if fi and fi != "nan" else str(ni["item"].iloc[0])
    fs = inputs.funding_shares[inputs.funding_shares["item"] == item]
    out = np.zeros(len(sources))
    for s, v in zip(fs["source"], fs["share"], strict=True):
        out[sources.index(str(s) if str(s) in sources else "UNASSIGNED")] += float(v)
    if out.sum() <= 0:
        out[sources.index("UNASSIGNED")] = 1.0
    return out / out.sum()


def _sources(result: PlanResult) -> tuple[str, ...]:
    inputs = result.inputs
    assert inputs is not None
    return (*dict.fromkeys(str(s) for s in inputs.funding_shares["source"]), "UNASSIGNED")


def build_problem(
    result: PlanResult,
    caps: pd.DataFrame,
    objective: str,
    carry_over: bool,
    cost_weight: float = COST_WEIGHT,
) -> Problem:
    """The model of docs/METHOD.md §18.3 from the plan's arrays (one city); ``cost_weight``:
    the parameter ``optimise_cost_weight`` (``core.optimise.Problem.cost_weight``)."""
    a = result.arrays
    assert a is not None and result.inputs is not None
    P = result.parameters
    cols = period_columns(result)
    years = a.years[cols]
    T = len(cols)
    sources = _sources(result)
    ann = a.ladder.annual
    H_city = a.pop.households[:, cols].sum(axis=0)
    G_city = a.waste_city["generated_tpd"][0, cols]

    def cum(v: np.ndarray) -> np.ndarray:
        return np.cumsum(v[:, cols], axis=1)

    # ---- wastewater: households into layak (a new SNI tank each) and into aman (the rest
    # of the kelurahan's capital cost, per household into aman)
    uc = unit_costs(result, (*ALD_NEEDS, "l2t2_desludging", "iplt_capacity", "vacuum_truck"))
    q = {k: ann[k][:, cols] for k in ("new_septic_tank", "septic_tank_upgrade")}
    conn = ann["spald_t_connection"][:, cols]
    into_layak = ann["into_layak_hh"][:, cols]
    into_aman = ann["into_aman_hh"][:, cols]
    item_cost = {
        "new_septic_tank": (q["new_septic_tank"] * uc["new_septic_tank"]).sum(axis=1),
        "septic_tank_upgrade": (q["septic_tank_upgrade"] * uc["septic_tank_upgrade"]).sum(axis=1),
        "spald_t_connection": (conn * uc["spald_t_connection"]).sum(axis=1),
        "spald_t_plant": (conn * uc["spald_t_plant"]).sum(axis=1),
    }
    layak_cost = np.minimum(
        (into_layak * uc["new_septic_tank"]).sum(axis=1), item_cost["new_septic_tank"]
    )
    item_cost["new_septic_tank"] = item_cost["new_septic_tank"] - layak_cost
    aman_total = into_aman.sum(axis=1)
    aman_cost = sum(item_cost.values())
    esc = uc["new_septic_tank"] / uc["new_septic_tank"][0]  # escalation index of the period
    with np.errstate(invalid="ignore", divide="ignore"):
        # average cost per household into aman at the period's first-year prices
        aman_unit0 = np.where(
            aman_total > 0,
            aman_cost / np.maximum((into_aman * esc).sum(axis=1), 1e-12),
            0.0,
        )
        mix = (
            np.stack([item_cost[k] for k in item_cost], axis=1)
            / np.where(aman_cost > 0, aman_cost, 1.0)[:, None]
        )
    share_items = np.stack([_shares(result, k, sources) for k in item_cost])  # (4, S)
    aman_shares = mix @ share_items
    no_cost = aman_shares.sum(axis=1) <= 0
    aman_shares[no_cost] = _shares(result, "septic_tank_upgrade", sources)
    n = len(a.tree.leaf_kode)
    tank_shares = np.broadcast_to(_shares(result, "new_septic_tank", sources), (n, len(sources)))
    pts_h = 100.0 / H_city
    pts_w = 100.0 / G_city
    streams = [
        Stream(
            "layak",
            "ald",
            "pct_layak",
            "households",
            cum(ann["into_layak_hh"]),
            np.broadcast_to(uc["new_septic_tank"], (n, T)).copy(),
            tank_shares.copy(),
            pts_h,
        ),
        Stream(
            "aman",
            "ald",
            "pct_aman",
            "households",
            cum(ann["into_aman_hh"]),
            aman_unit0[:, None] * esc[None, :],
            aman_shares,
            pts_h,
        ),
    ]
    # ---- solid waste: added t/day (over BAU), never falling
    w = a.waste

    def added(plan: np.ndarray, bau: np.ndarray) -> np.ndarray:
        return np.maximum.accumulate(np.maximum(plan[:, cols] - bau[:, cols], 0.0), axis=1)

    zeros = np.zeros((n, T))
    streams += [
        Stream(
            "pengurangan",
            "persampahan",
            "pct_waste_pengurangan",
            "t/day",
            added(w.plan_pengurangan, w.bau_pengurangan),
            zeros,
            np.broadcast_to(_shares(result, "tps3r", sources), (n, len(sources))).copy(),
            pts_w,
        ),
        Stream(
            "penanganan",
            "persampahan",
            "pct_waste_penanganan",
            "t/day",
            added(w.plan_penanganan, w.bau_penanganan),
            zeros,
            np.broadcast_to(_shares(result, "collection_truck", sources), (n, len(sources))).copy(),
            pts_w,
        ),
    ]
    # ---- facilities
    interval = max(int(round(P.num("desludging_interval_years"))), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        enrol = np.where(
            aman_total > 0, ann["l2t2_enrolment"][:, cols].sum(axis=1) / aman_total, 0.0
        )
    svc = a.service
    d0 = float(svc.desludgings[0, 0])
    vol_per_day = P.num("volume_per_desludging_m3") / P.num("iplt_receiving_days_per_year")
    iplt_cap = float(svc.iplt_capacity_m3_per_day[0, 0])
    per_truck = float(svc.desludgings_per_truck_year[0])
    trucks0 = float(svc.vacuum_trucks_existing[0, 0])
    wc = a.waste_city
    route = {r: P.num(f"pengurangan_route_share_{r}") for r in ("tps3r", "bank_sampah")}
    tot_route = sum(P.num(f"pengurangan_route_share_{r}") for r in ("tps3r", "bank_sampah"))
    tot_route += P.num("pengurangan_route_share_other")
    tpd_truck = float(a.notes.get("fleet_tpd_per_truck", np.array([np.nan]))[0])
    if not np.isfinite(tpd_truck) or tpd_truck <= 0:
        dens = float(wc["density_kg_per_m3"][0, 0])
        tpd_truck = (
            P.num("collection_truck_body_volume_m3")
            * P.num("collection_truck_max_trips_per_day")
            * P.num("truck_availability")
            * dens
            / 1000.0
            * P.num("collection_days_per_year")
            / 365.0
        )
    existing_tpd = float(wc["collection_trucks_existing"][0, 0]) * tpd_truck
    spare_truck = np.maximum(existing_tpd - wc["bau_penanganan_tpd"][0, cols], 0.0)
    uw = unit_costs(result, ("tps3r", "bank_sampah", "collection_truck"))
    ones = np.ones(n)
    facilities = (
        Facility(
            "l2t2_desludging",
            "ald",
            "desludging",
            {"aman": enrol},
            uc["l2t2_desludging"],
            _shares(result, "l2t2_desludging", sources),
            cohort=interval,
            integer=False,
        ),
        Facility(
            "iplt_capacity",
            "ald",
            "m3/day",
            {"aman": enrol * vol_per_day},
            uc["iplt_capacity"],
            _shares(result, "iplt_capacity", sources),
            per_unit=1.0,
            spare=np.full(T, max(iplt_cap - d0 * vol_per_day, 0.0)),
            cohort=interval,
        ),
        Facility(
            "vacuum_truck",
            "ald",
            "truck",
            {"aman": enrol},
            uc["vacuum_truck"],
            _shares(result, "vacuum_truck", sources),
            per_unit=per_truck,
            spare=np.full(T, max(per_truck * trucks0 - d0, 0.0)),
            cohort=interval,
        ),
        Facility(
            "tps3r",
            "persampahan",
            "unit",
            {"pengurangan": ones * route["tps3r"] / tot_route},
            uw["tps3r"],
            _shares(result, "tps3r", sources),
            per_unit=P.num("tps3r_input_tpd_per_unit") * P.num("tps3r_recovery_fraction"),
            spare=np.zeros(T),
        ),
        Facility(
            "bank_sampah",
            "persampahan",
            "unit",
            {"pengurangan": ones * route["bank_sampah"] / tot_route},
            uw["bank_sampah"],
            _shares(result, "bank_sampah", sources),
            per_unit=P.num("bank_sampah_tpd_per_unit"),
            spare=np.zeros(T),
        ),
        Facility(
            "collection_truck",
            "persampahan",
            "truck",
            {"penanganan": ones},
            uw["collection_truck"],
            _shares(result, "collection_truck", sources),
            per_unit=tpd_truck,
            spare=spare_truck,
        ),
    )
    # priority weights: 1 + score (docs/METHOD.md §18.3)
    acts = result.programme.activities if result.programme is not None else None
    pr = area_priorities(area_inputs(result), weights(result), acts)
    kode = a.tree.leaf_kode.astype(str)
    wts = {}
    for sector in ("ald", "persampahan"):
        s = pr[pr["sector"] == sector].set_index("kode")["score"]
        wts[sector] = 1.0 + s.reindex(kode).fillna(0.0).to_numpy(dtype=float)
    cap = caps[caps["year"].astype(int).isin([int(y) for y in years])]
    return Problem(
        years=years,
        areas=kode,
        sources=sources,
        streams=tuple(streams),
        facilities=facilities,
        caps=cap[["year", "source", "sector", "cap_idr"]].reset_index(drop=True),
        weights=wts,
        objective=objective,
        carry_over=carry_over,
        cost_weight=cost_weight,
    )


# ----------------------------------------------------------------------------- tables


def _c(label_id: str, label_en: str, unit: str = "", kind: str = "float") -> Column:
    return Column(label_id, label_en, unit, kind)


def _spend_table(p: Problem, s: Solution) -> pd.DataFrame:
    """Per year and source: the effective cap (a source with sector rows: their sum, at
    most its both-sector cap) and the spend."""
    df = s.spend
    rows = []
    for key, g in df.groupby(["year", "source"], sort=True):
        year, source = key  # type: ignore[misc]
        both = g[g["sector"] == ALL_SECTORS]["cap_idr"]
        sec = g[g["sector"] != ALL_SECTORS]["cap_idr"]
        caps = [float(v) for v in (both.iloc[0] if len(both) else np.nan,) if not np.isnan(v)]
        if len(sec):
            caps.append(float(sec.sum()))
        cap = min(caps) if caps else np.nan
        # a both-sector row carries the source's whole spend; else the sector rows add up
        rows_all = g[g["sector"] == ALL_SECTORS]["spent_idr"]
        spent = float(rows_all.iloc[0]) if len(rows_all) else float(g["spent_idr"].sum())
        rows.append((int(str(year)), str(source), cap, spent))
    out = pd.DataFrame(rows, columns=["year", "source", "cap_idr", "spent_idr"])
    out["spent_idr"] = np.where(out["spent_idr"].abs() < 0.5, 0.0, out["spent_idr"])  # noise
    return out[(out["spent_idr"] > 0.5) | out["cap_idr"].notna()].reset_index(drop=True)


def _shortfall_table(result: PlanResult, p: Problem, s: Solution) -> pd.DataFrame:
    a = result.arrays
    assert a is not None
    cols = period_columns(result)
    H = p.streams[0].points
    rows = []
    layak = ("aman", "layak_sendiri", "layak_bersama")
    plan_pct = {
        "pct_layak": sum(a.ladder.plan[r][:, cols].sum(axis=0) for r in layak) * H,
        "pct_aman": a.ladder.plan["aman"][:, cols].sum(axis=0) * H,
        "pct_waste_pengurangan": a.waste.plan_pengurangan[:, cols].sum(axis=0)
        * p.streams[2].points,
        "pct_waste_penanganan": a.waste.plan_penanganan[:, cols].sum(axis=0) * p.streams[3].points,
    }
    for st in p.streams:
        short = s.shortfall[st.name].sum(axis=0) * st.points
        traj = plan_pct[st.indicator]
        for t, year in enumerate(p.years):
            gap = float(short[t]) if short[t] > 1e-9 else 0.0
            rows.append((st.indicator, int(year), float(traj[t]), float(traj[t]) - gap, gap))
    return pd.DataFrame(
        rows, columns=["indicator", "year", "trajectory_pct", "optimised_pct", "shortfall_pts"]
    )


def _shadow_table(p: Problem, s: Solution, objective: str) -> pd.DataFrame:
    unit_id = "poin-tahun berbobot prioritas" if objective == "progress" else "poin-tahun indikator"
    unit_en = (
        "priority-weighted indicator point-years"
        if objective == "progress"
        else "indicator point-years"
    )
    g = s.shadow.groupby(["year", "source"], sort=True)["gain_per_billion"].max().reset_index()
    g["unit"] = f"{unit_id} / {unit_en}"
    return g


def _plan_table(p: Problem, s: Solution) -> pd.DataFrame:
    rows = []
    for st in p.streams:
        q = s.x[st.name].sum(axis=0)
        c = (s.x[st.name] * st.unit_cost).sum(axis=0)
        for t, year in enumerate(p.years):
            rows.append((int(year), st.sector, NEED_OF_STREAM[st.name], float(q[t]), st.unit, c[t]))
    for fa in p.facilities:
        u = s.units[fa.name]
        for t, year in enumerate(p.years):
            rows.append(
                (int(year), fa.sector, fa.name, float(u[t]), fa.unit, u[t] * fa.unit_cost[t])
            )
    df = pd.DataFrame(rows, columns=["year", "sector", "need", "quantity", "unit", "cost_idr"])
    for c in ("quantity", "cost_idr"):  # solver noise and -0.0
        df[c] = np.where(df[c].abs() < 1e-6, 0.0, df[c])
    return df.sort_values(["year", "sector"], kind="stable").reset_index(drop=True)


def optimise_tables(
    result: PlanResult, p: Problem, s: Solution, prov: dict[str, int]
) -> dict[str, Table]:
    note = (
        "Dioptimalkan dengan HiGHS (METHOD.md §18.3).",
        "Optimised with HiGHS (METHOD.md §18.3).",
    )
    spend = _spend_table(p, s)
    sector = s.spend[s.spend["cap_idr"].notna()].reset_index(drop=True)
    return {
        "optimise_spend": Table(
            "optimise_spend",
            "Belanja menurut sumber dan tahun",
            "Spend",
            spend,
            {
                "year": _c("Tahun", "Year", kind="year"),
                "source": _c("Sumber dana", "Funding source", kind="text"),
                "cap_idr": _c("Pagu", "Cap (IDR)", "IDR", "idr"),
                "spent_idr": _c("Belanja", "Spent (IDR)", "IDR", "idr"),
            },
            prov,
            *note,
        ),
        "optimise_shortfall": Table(
            "optimise_shortfall",
            "Kekurangan terhadap lintasan",
            "Shortfall",
            _shortfall_table(result, p, s),
            {
                "indicator": _c("Indikator", "Indicator", kind="text"),
                "year": _c("Tahun", "Year", kind="year"),
                "trajectory_pct": _c("Lintasan (%)", "Trajectory (%)", "%", "pct"),
                "optimised_pct": _c("Dioptimalkan (%)", "Optimised (%)", "%", "pct"),
                "shortfall_pts": _c("Kekurangan (poin)", "Shortfall (points)"),
            },
            prov,
            *note,
        ),
        "optimise_shadow": Table(
            "optimise_shadow",
            "Harga bayangan pagu",
            "Shadow prices",
            _shadow_table(p, s, p.objective),
            {
                "year": _c("Tahun", "Year", kind="year"),
                "source": _c("Sumber dana", "Funding source", kind="text"),
                "gain_per_billion": _c(
                    "Tambahan capaian per miliar IDR", "Marginal gain per billion IDR"
                ),
                "unit": _c("Satuan", "Unit", kind="text"),
            },
            prov,
            "Tambahan capaian (poin indikator x tahun) dari satu miliar rupiah lagi pada pagu "
            "sumber dan tahun itu (sektor yang paling membutuhkan).",
            "Extra progress (indicator points x years) one more billion rupiah of the source's "
            "cap in the year buys (in the sector where it buys most).",
        ),
        "optimise_spend_sector": Table(
            "optimise_spend_sector",
            "Belanja per baris pagu (sumber, sektor)",
            "Spend per cap row (source, sector)",
            sector[["year", "source", "sector", "cap_idr", "spent_idr"]],
            {
                "year": _c("Tahun", "Year", kind="year"),
                "source": _c("Sumber dana", "Funding source", kind="text"),
                "sector": _c("Sektor", "Sector", kind="text"),
                "cap_idr": _c("Pagu", "Cap (IDR)", "IDR", "idr"),
                "spent_idr": _c("Belanja", "Spent (IDR)", "IDR", "idr"),
            },
            prov,
            *note,
        ),
        "optimise_plan": Table(
            "optimise_plan",
            "Rencana teroptimasi: kebutuhan dan biaya",
            "Optimised plan: needs and costs",
            _plan_table(p, s),
            {
                "year": _c("Tahun", "Year", kind="year"),
                "sector": _c("Sektor", "Sector", kind="text"),
                "need": _c("Kebutuhan", "Need", kind="text"),
                "quantity": _c("Jumlah", "Quantity", kind="count"),
                "unit": _c("Satuan", "Unit", kind="text"),
                "cost_idr": _c("Biaya", "Cost", "Rp", "idr"),
            },
            prov,
            *note,
        ),
    }


def optimise_report(
    source: CitySource,
    request: PlanRequest | None = None,
    *,
    budget: Traversable | None = None,
    objective: str = "progress",
    result: PlanResult | None = None,
) -> OptimiseReport:
    """Plan, budget, model, solve, tables (see the module docstring). ``result``: the plan
    report of ``source`` and ``request`` when already computed (``sanitasi scenarios``).
    Raises :class:`InputErrors` (bad input, every problem), :class:`AppError` (no budget, an
    unknown objective) or :class:`~sanitasi.core.optimise.OptimiseFailed`."""
    if objective not in OBJECTIVES:
        raise AppError("optimise_objective", value=objective, choices=", ".join(OBJECTIVES))
    if result is None:
        result = plan_report(source, request)  # with the priority tables (app.priority)
    if result.arrays is None or len(result.arrays.city_kode) != 1:
        raise AppError("optimise_one_city")
    years = result.arrays.years[period_columns(result)]
    caps, origin = read_caps(source, years, result, budget)
    with computation("optimise"):
        carry = result.parameters.choice("optimise_carry_over") == "on"
        eps = result.parameters.num("optimise_cost_weight")
    if not eps >= 0 or eps == float("inf"):  # NaN too
        raise AppError("optimise_cost_weight", value=eps)
    with computation("optimise"):  # the engine's rates the model reuses (§18.3)
        problem = build_problem(result, caps, objective, carry, cost_weight=eps)
    solution = solve(problem)
    status = caps.get("status", pd.Series(dtype=str)).astype(str)
    prov: dict[str, int] = {}
    for s_ in status:
        prov[s_] = prov.get(s_, 0) + 1
    tables = optimise_tables(result, problem, solution, prov)
    warns = list(result.warnings)
    short = tables["optimise_shortfall"].df
    if (short["shortfall_pts"] > SHORTFALL_WARN_PTS).any():
        binding = sorted({(int(y), str(src), str(sec)) for y, src, sec in solution.binding})
        worst = short.iloc[int(np.argmax(short["shortfall_pts"].to_numpy()))]
        values = dict(
            shortfall_pts=float(worst["shortfall_pts"]),
            indicator=str(worst["indicator"]),
            year=int(worst["year"]),
            caps=tuple((y, src, "" if sec == ALL_SECTORS else sec) for y, src, sec in binding),
        )
        warns.append(
            Warning_("SAN-W025", values, str(result.arrays.city_kode[0]), int(worst["year"]))
        )
    result = replace(result, tables={**result.tables, **tables}, warnings=tuple(warns))
    return OptimiseReport(result, problem, solution, origin, float(needs_based_cost(problem).sum()))


__all__ = [
    "OPTIMISED_NEEDS",
    "SHORTFALL_WARN_PTS",
    "read_caps_with",
    "OptimiseReport",
    "build_problem",
    "optimise_report",
    "optimise_tables",
    "read_caps",
]
