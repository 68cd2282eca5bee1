"""Greenhouse gases of the plan: the GHG chapter of ``sanitasi plan`` (docs/METHOD.md §12.6).

Built from a plan run's arrays (:class:`~sanitasi.core.plan.PlanArrays`), for every city and
year of the plan, under business as usual (BAU) and under the plan:

* **Landfill CH4 of the city's TPA** (docs/METHOD.md §12.2) with the IPCC first-order decay
  (:func:`sanitasi.core.ghg.landfill_methane`). Deposits of the city (t/year): 0 before the
  TPA's opening year; the observed ``waste_landfilled_tpd`` x 365 where given; otherwise the
  base-year tonnage scaled by the city's population (:func:`population_history`); from the
  base year on the plan's ``landfilled_tpd`` x 365 (BAU: ``bau_landfilled_tpd``, the plan:
  ``landfilled_tpd``, which already carry the plan's pengurangan and the TPS3R residue). A
  shared TPA also receives the **other users'** tonnage ``max(tpa_inflow_tpd - landfilled at
  the reference, 0)`` (docs/METHOD.md §7.5), back-cast with the city's population before the
  base year and held constant after it; the **site total** is the FOD of all deposits, the
  **city's part** the FOD of its own (the FOD is linear, so the parts add up to the site
  total). The plan changes only the city's part; the avoided emissions are
  ``BAU - plan`` of the city's part.
* **Wastewater CH4 and N2O** by ladder rung and pathway (docs/METHOD.md §12.3;
  :func:`sanitasi.core.ghg_wastewater.wastewater_emissions`) from the city's households of
  each rung (BAU and plan ladders summed from the kelurahan), SPALD-T households (BAU: the
  base-year share; plan: plus the new connections), persons per household (city population /
  households of the year) and the households emptied on schedule (plan: the L2T2
  ``enrolled_hh``; BAU: the onsite *aman* households).
* **CO2-equivalents**: t CH4 x GWP(CH4) + t N2O x GWP(N2O) of the chosen assessment report.

Everything is pure and vectorised over cities x years (the loops run over the few streams,
sources and the FOD's years); inputs are never mutated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sanitasi.core.ghg import (
    backcast_deposits,
    landfill_methane,
    splice_projection,
)
from sanitasi.core.ghg_wastewater import (
    SOURCE_PATHWAY,
    SOURCES,
    WastewaterFactors,
    WastewaterResult,
    wastewater_emissions,
)
from sanitasi.core.model import RUNGS, Column, PlanResult, Table, Warning_, count_status

DAYS_PER_YEAR = 365.0
#: Sources of the summary, in report order (``total`` is added per year).
SUMMARY_SOURCES: tuple[str, ...] = ("landfill", "septic", "discharge", "treatment")
TOTAL = "total"
#: Summary source of each wastewater source (docs/METHOD.md §12.6).
SOURCE_GROUP: dict[str, str] = {
    "aman_onsite": "septic",
    "layak_sendiri": "septic",
    "layak_bersama": "septic",
    "belum_layak": "septic",
    "babs_tertutup": "discharge",
    "babs_terbuka": "discharge",
    "spald_t": "treatment",
    "iplt": "treatment",
}
#: Tables of the chapter, in report order.
GHG_TABLES: tuple[str, ...] = ("ghg_summary", "ghg_landfill", "ghg_wastewater", "ghg_factors")
#: Warning codes of the chapter (engine range).
W_NO_TPA = "SAN-W020"
W_NO_OPENING = "SAN-W021"
W_NO_CLASS = "SAN-W022"
W_SEVERAL_TPA = "SAN-W023"
W_PLAN_MORE_LANDFILL = "SAN-W024"


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class GhgChapterInputs:
    """Every factor of the chapter, resolved to numbers (built by ``sanitasi.app.ghg`` from
    the reference tables, the city's files and the plan's parameters).

    ``streams`` and per-stream ``doc``, ``docf``, ``k`` (1/year) and ``shares`` (wet-weight
    fraction of landfilled waste); ``f`` (CH4 fraction of landfill gas) and ``delay_months``
    of the FOD; ``tpa``: the city's TPA rows (``id, kode, opening_year, site_class,
    class_given, mcf, ox, status``); ``uncategorised``: (MCF, OX) for a city without a TPA
    row; ``wastewater``: the wastewater factors; ``assessment`` and ``gwp`` (``ch4``, ``n2o``)
    of the CO2e; ``factors``: the rows of the ``ghg_factors`` table (``ghg_group, kode, factor,
    name_id, name_en, value, unit, ipcc_ref, source, status``); ``composition`` ``"city"`` or
    ``"default"`` (which composition ``shares`` is)."""

    streams: tuple[str, ...]
    doc: np.ndarray
    docf: np.ndarray
    k: np.ndarray
    shares: np.ndarray
    f: float
    delay_months: float
    tpa: pd.DataFrame
    uncategorised: tuple[float, float]
    wastewater: WastewaterFactors
    assessment: str
    gwp: Mapping[str, float]
    factors: pd.DataFrame
    composition: str = "default"

    def status_of(self, group: str) -> dict[str, int]:
        """Provenance counts of the factor rows of ``group`` (``landfill``, ``wastewater``,
        ``gwp``)."""
        rows = self.factors[self.factors["ghg_group"] == group]
        return count_status(rows["status"].astype(str))


# --------------------------------------------------------------------------- population


def population_history(observed: np.ndarray, fallback_rate: np.ndarray) -> np.ndarray:
    """A population for every year of ``observed`` ``(C, Y)`` (NaN where not observed; at
    least one value per row): geometric interpolation between observed years and geometric
    extrapolation outside them, at the rate of the two nearest observed years, or at
    ``fallback_rate`` ``(C,)`` (fraction/year) for a row with one observation. Persons."""
    obs = np.asarray(observed, dtype=float)
    if obs.ndim != 2:
        raise ValueError("observed must be shaped (cities, years)")
    n_c, n_y = obs.shape
    has = np.isfinite(obs) & (obs > 0)
    if not has.any(axis=1).all():
        raise ValueError("every city needs one observed population > 0")
    log = np.where(has, np.log(np.where(has, obs, 1.0)), np.nan)
    idx = np.broadcast_to(np.arange(n_y), (n_c, n_y))
    prev = np.maximum.accumulate(np.where(has, idx, -1), axis=1)
    nxt = np.minimum.accumulate(np.where(has, idx, n_y)[:, ::-1], axis=1)[:, ::-1]
    take = lambda a, i: np.take_along_axis(a, np.clip(i, 0, n_y - 1), axis=1)  # noqa: E731
    lp, ln = take(log, prev), take(log, nxt)
    span = np.where(nxt > prev, nxt - prev, 1)
    inner = lp + (idx - prev) / span * (ln - lp)
    first = nxt[:, :1]
    second = take(nxt, first + 1)
    last = prev[:, -1:]
    before_last = take(prev, last - 1)
    fallback = np.log1p(np.asarray(fallback_rate, dtype=float))[:, None]
    rate_first = np.where(
        second < n_y,
        (take(log, second) - take(log, first)) / np.maximum(second - first, 1),
        fallback,
    )
    rate_last = np.where(
        before_last >= 0,
        (take(log, last) - take(log, before_last)) / np.maximum(last - before_last, 1),
        fallback,
    )
    early = take(log, first) - rate_first * (first - idx)
    late = take(log, last) + rate_last * (idx - last)
    out = np.where(prev < 0, early, np.where(nxt >= n_y, late, inner))
    return np.asarray(np.exp(out))


def _city_series(
    obs: pd.DataFrame, indicator: str, cities: np.ndarray, years: np.ndarray, exact: bool
) -> np.ndarray:
    """Observations of ``indicator`` as ``(C, Y)`` (NaN where absent): the city's own rows
    (``exact``) or the sum of every row inside the city (by code prefix)."""
    o = obs[obs["indicator"] == indicator]
    out = np.full((len(cities), len(years)), np.nan)
    if o.empty:
        return out
    kode = o["kode"].astype(str)
    city = kode if exact else kode.str.slice(0, 5)
    frame = pd.DataFrame({"city": city.to_numpy(), "year": o["year"].to_numpy(), "v": o["value"]})
    g = frame.groupby(["city", "year"])["v"].sum()
    ci = pd.Index(cities).get_indexer(g.index.get_level_values(0))
    yi = pd.Index(years).get_indexer(g.index.get_level_values(1))
    keep = (ci >= 0) & (yi >= 0)
    out[ci[keep], yi[keep]] = g.to_numpy(dtype=float)[keep]
    return out


def _city_latest(obs: pd.DataFrame, indicator: str, cities: np.ndarray, base: int) -> np.ndarray:
    """The latest observation in or before ``base`` of ``indicator`` summed per city (NaN when
    none), as the TPA computation of docs/METHOD.md §7.5 reads it."""
    o = obs[(obs["indicator"] == indicator) & (obs["year"] <= base)]
    if o.empty:
        return np.full(len(cities), np.nan)
    o = o.sort_values(["kode", "year"]).groupby("kode", as_index=False).last()
    v = o.groupby(o["kode"].astype(str).str.slice(0, 5))["value"].sum()
    return v.reindex(cities).to_numpy(dtype=float)


# --------------------------------------------------------------------------- landfill


@dataclass(frozen=True)
class TpaOfCity:
    """The TPA of each city ``(C,)``: opening year (NaN unknown), MCF, OX, the status of its
    row, and flags for the warnings (no TPA row, class not given, several rows)."""

    opening_year: np.ndarray
    mcf: np.ndarray
    ox: np.ndarray
    status: tuple[str, ...]
    site_class: tuple[str, ...]
    has_tpa: np.ndarray
    class_given: np.ndarray
    n_rows: np.ndarray


def tpa_of_cities(
    tpa: pd.DataFrame, cities: np.ndarray, uncategorised: tuple[float, float]
) -> TpaOfCity:
    """Each city's TPA from its TPA rows (by code prefix): the earliest opening year, the mean
    MCF and OX of its rows (several rows: a mix of sites, each weighed equally), the least
    sourced status; a city without a TPA row takes ``uncategorised`` (MCF, OX)."""
    if tpa.empty:
        city = pd.Series([], dtype=str)
    else:
        city = tpa["kode"].astype(str).str.slice(0, 5)
    frame = pd.DataFrame(
        {
            "city": city.to_numpy(),
            "opening": pd.to_numeric(
                tpa.get("opening_year", pd.Series(dtype=float)), errors="coerce"
            )
            .astype(float)
            .to_numpy(),
            "mcf": tpa.get("mcf", pd.Series(dtype=float)).astype(float).to_numpy(),
            "ox": tpa.get("ox", pd.Series(dtype=float)).astype(float).to_numpy(),
            "given": tpa.get("class_given", pd.Series(dtype=bool)).astype(bool).to_numpy(),
        }
    )
    g = frame.groupby("city")
    opening = g["opening"].min().reindex(cities).to_numpy(dtype=float)
    mcf = g["mcf"].mean().reindex(cities).to_numpy(dtype=float)
    ox = g["ox"].mean().reindex(cities).to_numpy(dtype=float)
    rows = g.size().reindex(cities).fillna(0).to_numpy(dtype=int)
    given = g["given"].all().reindex(cities).fillna(False).to_numpy(dtype=bool)
    has = rows > 0
    order = {"illustrative": 0, "unverified": 1, "derived": 2, "sourced": 3}
    status, classes = [], []
    for c in cities:  # one label per city (a handful), not per area
        sub = tpa[city.to_numpy() == c] if len(tpa) else tpa
        st = [str(s) for s in sub.get("status", [])]
        status.append(min(st, key=lambda s: order.get(s, 1)) if st else "")
        classes.append(", ".join(dict.fromkeys(str(s) for s in sub.get("site_class", []))))
    return TpaOfCity(
        opening_year=opening,
        mcf=np.where(has, mcf, uncategorised[0]),
        ox=np.where(has, ox, uncategorised[1]),
        status=tuple(status),
        site_class=tuple(classes),
        has_tpa=has,
        class_given=given & has,
        n_rows=rows,
    )


@dataclass(frozen=True)
class LandfillPlan:
    """Landfill CH4 per city and plan year ``(C, T)``: deposits (wet t/year) and CH4 emitted
    (t) of the city's part and of the whole site, under BAU and the plan; ``first_year`` of
    the FOD and ``history_t`` (C,) the city's deposits before the base year."""

    city_deposits: dict[str, np.ndarray]
    site_deposits: dict[str, np.ndarray]
    city_ch4: dict[str, np.ndarray]
    site_ch4: dict[str, np.ndarray]
    first_year: int
    history_t: np.ndarray


def landfill_plan(
    years: Sequence[int],
    base_year: int,
    opening_year: np.ndarray,
    population: np.ndarray,
    observed_t: np.ndarray,
    landfilled_tpd: Mapping[str, np.ndarray],
    others_tpd: np.ndarray,
    shares: np.ndarray,
    doc: np.ndarray,
    docf: np.ndarray,
    k: np.ndarray,
    mcf: np.ndarray,
    ox: np.ndarray,
    *,
    f: float,
    delay_months: float,
) -> LandfillPlan:
    """Landfill CH4 of the city's part and of the whole site, BAU and plan (module docstring;
    docs/METHOD.md §12.2, §12.6).

    ``years`` consecutive from the first deposit year to the horizon (Y); ``opening_year``
    (C,) (NaN: no deposit before ``base_year``); ``population`` ``(C, Y)`` persons (used up to
    the base year); ``observed_t`` ``(C, Y)`` wet t/year landfilled where observed (NaN
    elsewhere); ``landfilled_tpd`` ``{"bau", "plan"} -> (C, Y)`` t/day (used from the base
    year); ``others_tpd`` (C,) the other users' t/day at the reference. Stream factors (S,),
    ``mcf`` and ``ox`` (C,). Returns arrays over the years from ``base_year``."""
    yrs = np.asarray(list(years), dtype=int)
    ylist = [int(y) for y in yrs]
    opening = np.where(np.isnan(opening_year), float(base_year), opening_year)
    b = int(np.flatnonzero(yrs == base_year)[0])
    base_t = landfilled_tpd["bau"][:, b] * DAYS_PER_YEAR
    hist = backcast_deposits(ylist, opening, base_year, population, base_t, observed_t)
    others = np.asarray(others_tpd, dtype=float)
    hist_o = backcast_deposits(ylist, opening, base_year, population, others * DAYS_PER_YEAR)
    dep_o = splice_projection(hist_o, ylist, base_year, np.repeat(others[:, None], yrs.size, 1))

    def emitted(dep: np.ndarray) -> np.ndarray:
        return landfill_methane(
            dep, shares, doc, docf, k, mcf, ox=ox, f=f, delay_months=delay_months
        ).emitted

    ch4_o = emitted(dep_o)
    city_dep, city_ch4, site_dep, site_ch4 = {}, {}, {}, {}
    for scen in ("bau", "plan"):  # the two scenarios
        dep = splice_projection(hist, ylist, base_year, landfilled_tpd[scen])
        ch4 = emitted(dep)
        city_dep[scen], city_ch4[scen] = dep[:, b:], ch4[:, b:]
        site_dep[scen], site_ch4[scen] = (dep + dep_o)[:, b:], (ch4 + ch4_o)[:, b:]
    return LandfillPlan(
        city_deposits=city_dep,
        site_deposits=site_dep,
        city_ch4=city_ch4,
        site_ch4=site_ch4,
        first_year=int(yrs[0]),
        history_t=hist[:, :b].sum(axis=1),
    )


# --------------------------------------------------------------------------- wastewater


@dataclass(frozen=True)
class WastewaterPlan:
    """Wastewater emissions per city and year ``(C, T)`` by source, BAU and plan, with the
    persons of each household source."""

    result: dict[str, WastewaterResult]
    persons: dict[str, dict[str, np.ndarray]]


def wastewater_plan(
    households: Mapping[str, Mapping[str, np.ndarray]],
    spald_t: Mapping[str, np.ndarray],
    persons_per_hh: np.ndarray,
    emptied: Mapping[str, np.ndarray | None],
    factors: WastewaterFactors,
) -> WastewaterPlan:
    """:func:`~sanitasi.core.ghg_wastewater.wastewater_emissions` of each scenario
    (``households[scen]``: rung -> ``(C, T)``; ``spald_t[scen]`` capped at the aman
    households; ``emptied[scen]``: households emptied on schedule, ``None`` = the onsite
    aman households). Tonnes per year."""
    out: dict[str, WastewaterResult] = {}
    persons: dict[str, dict[str, np.ndarray]] = {}
    for scen, hh in households.items():  # bau, plan
        spald = np.minimum(np.asarray(spald_t[scen], dtype=float), hh["aman"])
        out[scen] = wastewater_emissions(hh, spald, persons_per_hh, factors, emptied.get(scen))
        groups = {"aman_onsite": np.maximum(hh["aman"] - spald, 0.0), "spald_t": spald}
        groups.update({r: np.asarray(hh[r], dtype=float) for r in RUNGS if r != "aman"})
        persons[scen] = {s: groups[s] * persons_per_hh for s in SOURCE_PATHWAY}
    return WastewaterPlan(out, persons)


# --------------------------------------------------------------------------- tables


def _col(label_id: str, label_en: str, unit: str = "", kind: str = "float") -> Column:
    return Column(label_id, label_en, unit, kind)


T = "ton / t"
TCO2E = "t CO2e"
COLUMNS: dict[str, Column] = {
    "kode": _col("Kode", "Code", "", "text"),
    "year": _col("Tahun", "Year", "", "year"),
    "scenario": _col("Skenario", "Scenario", "", "text"),
    "city_deposits_t": _col("Timbunan kota", "City's deposits", T),
    "city_ch4_t": _col("CH4 bagian kota", "CH4, city's part", "t CH4"),
    "city_co2e_t": _col("CO2e bagian kota", "CO2e, city's part", TCO2E),
    "site_deposits_t": _col("Timbunan TPA (semua pengguna)", "Site deposits (all users)", T),
    "site_ch4_t": _col("CH4 TPA (semua pengguna)", "Site CH4 (all users)", "t CH4"),
    "site_co2e_t": _col("CO2e TPA (semua pengguna)", "Site CO2e (all users)", TCO2E),
    "avoided_co2e_t": _col("Dihindari (BAU - rencana)", "Avoided (BAU - plan)", TCO2E),
    "ghg_source": _col("Sumber emisi", "Emission source", "", "text"),
    "ww_source": _col("Sumber (anak tangga)", "Source (ladder rung)", "", "text"),
    "pathway": _col("Jalur", "Pathway", "", "text"),
    "persons": _col("Jiwa", "Persons", "jiwa / persons", "count"),
    "ch4_t": _col("CH4", "CH4", "t CH4"),
    "n2o_t": _col("N2O", "N2O", "t N2O"),
    "co2e_t": _col("CO2e", "CO2e", TCO2E),
    "bau_co2e_t": _col("BAU", "BAU", TCO2E),
    "plan_co2e_t": _col("Rencana", "Plan", TCO2E),
    "gwp": _col("GWP", "GWP", "", "text"),
    "ghg_group": _col("Kelompok", "Group", "", "text"),
    "factor": _col("Faktor", "Factor", "", "text"),
    "name_id": _col("Nama", "Name (Indonesian)", "", "text"),
    "name_en": _col("Nama (Inggris)", "Name", "", "text"),
    "value": _col("Nilai", "Value", "", "float"),
    "unit": _col("Satuan", "Unit", "", "text"),
    "ipcc_ref": _col("Rujukan IPCC", "IPCC reference", "", "text"),
    "src": _col("Sumber", "Source", "", "text"),
    "status": _col("Status", "Status", "", "text"),
}


def _table(
    name: str, tid: str, ten: str, df: pd.DataFrame, prov: Mapping[str, int], nid: str, nen: str
) -> Table:
    cols = {c: COLUMNS.get(c, Column(c, c)) for c in df.columns}
    return Table(name, tid, ten, df.reset_index(drop=True), cols, dict(prov), nid, nen)


def _sum_prov(*groups: Mapping[str, int]) -> dict[str, int]:
    out = count_status([])
    for g in groups:
        for k, v in g.items():
            out[k if k in out else "unverified"] += int(v)
    return out


def _long(cities: np.ndarray, years: np.ndarray, **cols: np.ndarray | str) -> pd.DataFrame:
    """A long frame ``kode, year, ...`` from ``(C, T)`` arrays (scalars repeat)."""
    n_c, n_y = len(cities), len(years)
    data: dict[str, object] = {
        "kode": np.repeat(cities, n_y),
        "year": np.tile(years, n_c),
    }
    for name, v in cols.items():
        data[name] = v if isinstance(v, str) else np.broadcast_to(v, (n_c, n_y)).ravel()
    return pd.DataFrame(data)


def _co2e(ch4: np.ndarray, n2o: np.ndarray | float, gwp: Mapping[str, float]) -> np.ndarray:
    return np.asarray(ch4) * float(gwp["ch4"]) + np.asarray(n2o) * float(gwp["n2o"])


def ghg_chapter(
    result: PlanResult, inputs: GhgChapterInputs
) -> tuple[dict[str, Table], list[Warning_]]:
    """The GHG chapter of a plan result (docs/METHOD.md §12.6): the tables ``ghg_summary``
    (t CO2e per city, year and source landfill / septic / discharge / treatment and total,
    BAU, plan, avoided), ``ghg_landfill`` (deposits, CH4 and CO2e of the city's part and of
    the whole site per scenario, avoided), ``ghg_wastewater`` (CH4, N2O, CO2e per source and
    pathway) and ``ghg_factors`` (every factor with its IPCC reference and status), and the
    warnings ``SAN-W020``-``SAN-W024``. ``result`` must come from ``run_plan`` (arrays and
    inputs)."""
    a, plan_inputs = result.arrays, result.inputs
    if a is None or plan_inputs is None:
        raise ValueError("the GHG chapter needs a result of run_plan (inputs and arrays)")
    cities = np.asarray(a.city_kode).astype(str)
    years = np.asarray(a.years, dtype=int)
    base, horizon = int(years[0]), int(years[-1])
    level = a.tree.city()
    obs = plan_inputs.observations
    gwp = inputs.gwp

    # --- landfill
    tpa = tpa_of_cities(inputs.tpa, cities, inputs.uncategorised)
    known = tpa.opening_year[np.isfinite(tpa.opening_year)]
    first = int(min(known.min(), base)) if known.size else base
    hist_years = np.arange(first, horizon + 1)
    nb = base - first  # years before the base year
    pop_plan = level.sum(a.pop.population)
    obs_pop = _city_series(obs, "population", cities, hist_years, exact=True)
    obs_pop[:, nb:] = np.nan
    obs_pop[:, nb] = pop_plan[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = (
            pop_plan[:, 1] / pop_plan[:, 0] - 1.0
            if pop_plan.shape[1] > 1
            else np.zeros(len(cities))
        )
    population = population_history(obs_pop[:, : nb + 1], np.nan_to_num(rate))
    population = np.concatenate([population, pop_plan[:, 1:]], axis=1)
    observed = _city_series(obs, "waste_landfilled_tpd", cities, hist_years, exact=False)
    observed = observed * DAYS_PER_YEAR
    observed[:, nb:] = np.nan
    pad = np.zeros((len(cities), nb))
    tpd = {
        "bau": np.concatenate([pad, a.waste_city["bau_landfilled_tpd"]], axis=1),
        "plan": np.concatenate([pad, a.waste_city["landfilled_tpd"]], axis=1),
    }
    inflow = _city_latest(obs, "tpa_inflow_tpd", cities, base)
    lf_obs = _city_latest(obs, "waste_landfilled_tpd", cities, base)
    lf_ref = np.where(np.isnan(lf_obs), a.waste_city["landfilled_tpd"][:, 0], lf_obs)
    others = np.where(np.isnan(inflow), 0.0, np.maximum(inflow - lf_ref, 0.0))
    lf = landfill_plan(
        [int(y) for y in hist_years],
        base,
        tpa.opening_year,
        population,
        observed,
        tpd,
        others,
        inputs.shares,
        inputs.doc,
        inputs.docf,
        inputs.k,
        tpa.mcf,
        tpa.ox,
        f=inputs.f,
        delay_months=inputs.delay_months,
    )

    # --- wastewater (city sums of the kelurahan arrays)
    lad = a.ladder
    hh = {
        "bau": {r: level.sum(lad.bau[r]) for r in RUNGS},
        "plan": {r: level.sum(lad.plan[r]) for r in RUNGS},
    }
    spald_bau = level.sum(lad.bau_spald_t)
    conn = lad.cumulative.get("spald_t_connection", np.zeros_like(lad.bau_spald_t))
    spald = {"bau": spald_bau, "plan": spald_bau + level.sum(conn)}
    households = level.sum(a.pop.households)
    pph = np.divide(pop_plan, households, out=np.zeros_like(pop_plan), where=households > 0)
    ww = wastewater_plan(
        hh, spald, pph, {"bau": None, "plan": a.service.enrolled_hh}, inputs.wastewater
    )

    # --- tables
    prov_lf = _sum_prov(
        result.tables["needs_waste"].provenance if "needs_waste" in result.tables else {},
        inputs.status_of("landfill"),
        inputs.status_of("gwp"),
        count_status([s for s in tpa.status if s]),
    )
    prov_ww = _sum_prov(
        result.tables["ladder"].provenance if "ladder" in result.tables else {},
        inputs.status_of("wastewater"),
        inputs.status_of("gwp"),
    )
    landfill = _landfill_frame(cities, years, lf, gwp)
    wastewater = _wastewater_frame(cities, years, ww, gwp)
    summary = _summary_frame(cities, years, lf, ww, gwp).assign(gwp=inputs.assessment)
    a_label = inputs.assessment
    tables = {
        "ghg_summary": _table(
            "ghg_summary",
            f"Emisi gas rumah kaca per sumber: BAU dan rencana (t CO2e, GWP {a_label})",
            f"Greenhouse gas emissions by source: BAU and plan (t CO2e, GWP {a_label})",
            summary,
            _sum_prov(prov_lf, prov_ww),
            "TPA: bagian kota (timbunan kota sendiri); septik: tangki septik dan cubluk; "
            "pembuangan: buangan langsung ke badan air dan BABS terbuka; pengolahan: IPAL "
            "SPALD-T dan IPLT. Dihindari = BAU - rencana; negatif berarti rencana "
            "menambah emisi. Metode: docs/METHOD.md §12.",
            "Landfill: the city's part (its own deposits); septic: septic tanks and pits; "
            "discharge: direct discharge to water and open defecation; treatment: SPALD-T "
            "plants and the IPLT. Avoided = BAU - plan; negative means the plan adds "
            "emissions. Method: docs/METHOD.md §12.",
        ),
        "ghg_landfill": _table(
            "ghg_landfill",
            f"Metana TPA: BAU dan rencana (GWP {a_label})",
            f"Landfill methane of the TPA: BAU and plan (GWP {a_label})",
            landfill,
            prov_lf,
            _landfill_note(lf, tpa, inputs, "id"),
            _landfill_note(lf, tpa, inputs, "en"),
        ),
        "ghg_wastewater": _table(
            "ghg_wastewater",
            f"CH4 dan N2O air limbah domestik per jalur (GWP {a_label})",
            f"Domestic wastewater CH4 and N2O by pathway (GWP {a_label})",
            wastewater,
            prov_ww,
            "Rumah tangga tiap anak tangga sanitasi (BAU dan rencana) x jiwa per rumah tangga; "
            "lumpur tinja yang disedot (L2T2) diolah di IPLT. IPCC 2019 Refinement Vol. 5 "
            "Bab 6, Tier 1 (docs/METHOD.md §12.3).",
            "Households of each ladder rung (BAU and plan) x persons per household; the "
            "sludge of emptied tanks (L2T2) is treated at the IPLT. IPCC 2019 Refinement "
            "Vol. 5 Ch. 6, Tier 1 (docs/METHOD.md §12.3).",
        ),
        "ghg_factors": _table(
            "ghg_factors",
            "Faktor emisi dan parameter GRK",
            "Greenhouse gas factors and parameters",
            inputs.factors.rename(columns={"source": "src"}),
            count_status(inputs.factors["status"].astype(str)),
            "Setiap faktor dengan rujukan IPCC (volume, bab, tabel) dan statusnya.",
            "Every factor with its IPCC reference (volume, chapter, table) and status.",
        ),
    }
    return tables, _warnings(cities, years, result, lf, tpa)


def _landfill_frame(
    cities: np.ndarray, years: np.ndarray, lf: LandfillPlan, gwp: Mapping[str, float]
) -> pd.DataFrame:
    avoided = _co2e(lf.city_ch4["bau"] - lf.city_ch4["plan"], 0.0, gwp)
    frames = []
    for scen in ("bau", "plan"):  # the two scenarios
        frames.append(
            _long(
                cities,
                years,
                scenario=scen,
                city_deposits_t=lf.city_deposits[scen],
                city_ch4_t=lf.city_ch4[scen],
                city_co2e_t=_co2e(lf.city_ch4[scen], 0.0, gwp),
                site_deposits_t=lf.site_deposits[scen],
                site_ch4_t=lf.site_ch4[scen],
                site_co2e_t=_co2e(lf.site_ch4[scen], 0.0, gwp),
                avoided_co2e_t=avoided if scen == "plan" else np.full(avoided.shape, np.nan),
            )
        )
    out = pd.concat(frames, ignore_index=True)
    order = {"bau": 0, "plan": 1}
    out = out.assign(_o=out["scenario"].map(order)).sort_values(["kode", "year", "_o"])
    return out.drop(columns="_o").reset_index(drop=True)


def _wastewater_frame(
    cities: np.ndarray, years: np.ndarray, ww: WastewaterPlan, gwp: Mapping[str, float]
) -> pd.DataFrame:
    frames = []
    s_order = {s: i for i, s in enumerate(SOURCES)}
    for scen, res in ww.result.items():  # bau, plan
        for source in SOURCES:  # eight fixed sources
            persons = ww.persons[scen].get(source)
            frames.append(
                _long(
                    cities,
                    years,
                    scenario=scen,
                    ww_source=source,
                    pathway=SOURCE_PATHWAY.get(source, "iplt"),
                    persons=persons if persons is not None else np.full((1, 1), np.nan),
                    ch4_t=res.ch4[source],
                    n2o_t=res.n2o[source],
                    co2e_t=_co2e(res.ch4[source], res.n2o[source], gwp),
                )
            )
    out = pd.concat(frames, ignore_index=True)
    out["_s"] = out["scenario"].map({"bau": 0, "plan": 1})
    out["_o"] = out["ww_source"].map(s_order)
    out = out.sort_values(["kode", "year", "_s", "_o"], kind="stable")
    return out.drop(columns=["_s", "_o"]).reset_index(drop=True)


def summary_arrays(
    lf: LandfillPlan, ww: WastewaterPlan, gwp: Mapping[str, float]
) -> dict[str, dict[str, np.ndarray]]:
    """t CO2e per summary source -> scenario -> ``(C, T)`` (``total`` included)."""
    out: dict[str, dict[str, np.ndarray]] = {}
    for scen in ("bau", "plan"):  # the two scenarios
        res = ww.result[scen]
        by = {"landfill": _co2e(lf.city_ch4[scen], 0.0, gwp)}
        for group in SUMMARY_SOURCES[1:]:  # septic, discharge, treatment
            members = [s for s in SOURCES if SOURCE_GROUP[s] == group]
            by[group] = np.sum([_co2e(res.ch4[s], res.n2o[s], gwp) for s in members], axis=0)
        by[TOTAL] = np.sum([by[g] for g in SUMMARY_SOURCES], axis=0)
        for g, v in by.items():
            out.setdefault(g, {})[scen] = v
    return out


def _summary_frame(
    cities: np.ndarray,
    years: np.ndarray,
    lf: LandfillPlan,
    ww: WastewaterPlan,
    gwp: Mapping[str, float],
) -> pd.DataFrame:
    arrays = summary_arrays(lf, ww, gwp)
    frames = [
        _long(
            cities,
            years,
            ghg_source=g,
            bau_co2e_t=arrays[g]["bau"],
            plan_co2e_t=arrays[g]["plan"],
            avoided_co2e_t=arrays[g]["bau"] - arrays[g]["plan"],
        )
        for g in (*SUMMARY_SOURCES, TOTAL)
    ]
    out = pd.concat(frames, ignore_index=True)
    out["_o"] = out["ghg_source"].map({g: i for i, g in enumerate((*SUMMARY_SOURCES, TOTAL))})
    out = out.sort_values(["kode", "year", "_o"], kind="stable")
    return out.drop(columns="_o").reset_index(drop=True)


def _fmt(v: float, lang: str) -> str:
    text = f"{v:,.0f}"
    return text.replace(",", ".") if lang == "id" else text


def _landfill_note(lf: LandfillPlan, tpa: TpaOfCity, inputs: GhgChapterInputs, lang: str) -> str:
    comp_id = (
        "komposisi kota (waste_composition.csv)"
        if inputs.composition == "city"
        else "komposisi bawaan IPCC 2006 Asia Tenggara (Tabel 2.3)"
    )
    comp_en = (
        "the city's composition (waste_composition.csv)"
        if inputs.composition == "city"
        else "the IPCC 2006 default composition for South-Eastern Asia (Table 2.3)"
    )
    hist = _fmt(float(lf.history_t.sum()), lang)
    classes = "; ".join(c for c in tpa.site_class if c) or "uncategorised"
    if lang == "id":
        return (
            f"Peluruhan orde pertama IPCC dari timbunan sejak {lf.first_year} ({hist} t "
            "sebelum tahun dasar, dihitung mundur dari tonase tahun dasar menurut penduduk "
            f"kecuali tahun yang teramati); kelas lokasi {classes}; {comp_id}. Bagian kota = "
            "timbunan kota sendiri; TPA = semua pengguna (pengguna lain tetap pada aliran masuk "
            "acuan). Rencana hanya mengubah bagian kota: dihindari = BAU - rencana. "
            "docs/METHOD.md §12.2."
        )
    return (
        f"IPCC first-order decay of the deposits since {lf.first_year} ({hist} t before the "
        "base year, back-cast from the base-year tonnage by population except observed "
        f"years); site class {classes}; {comp_en}. City's part = the city's own deposits; "
        "site = all users (the other users held at their reference inflow). The plan changes "
        "only the city's part: avoided = BAU - plan. docs/METHOD.md §12.2."
    )


def _warnings(
    cities: np.ndarray, years: np.ndarray, result: PlanResult, lf: LandfillPlan, tpa: TpaOfCity
) -> list[Warning_]:
    out: list[Warning_] = []
    landfills = lf.city_deposits["bau"].sum(axis=1) + lf.city_deposits["plan"].sum(axis=1) > 0
    _, end = result.options.period
    e = int(np.flatnonzero(years == min(end, int(years[-1])))[0])
    for i, c in enumerate(cities):  # one check per city
        if not landfills[i]:
            continue
        if not tpa.has_tpa[i]:
            out.append(Warning_(W_NO_TPA, kode=str(c)))
            continue
        if np.isnan(tpa.opening_year[i]):
            out.append(Warning_(W_NO_OPENING, kode=str(c)))
        if not tpa.class_given[i]:
            out.append(Warning_(W_NO_CLASS, kode=str(c)))
        if tpa.n_rows[i] > 1:
            out.append(Warning_(W_SEVERAL_TPA, {"n": int(tpa.n_rows[i])}, kode=str(c)))
        bau, plan = lf.city_ch4["bau"][i, e], lf.city_ch4["plan"][i, e]
        if plan > bau + 1e-9:
            more = lf.city_deposits["plan"][i, e] - lf.city_deposits["bau"][i, e]
            values = {"year": int(years[e]), "more_t": float(more)}
            out.append(Warning_(W_PLAN_MORE_LANDFILL, values, str(c), int(years[e])))
    return out


__all__ = [
    "GHG_TABLES",
    "SOURCE_GROUP",
    "SUMMARY_SOURCES",
    "GhgChapterInputs",
    "LandfillPlan",
    "TpaOfCity",
    "WastewaterPlan",
    "ghg_chapter",
    "landfill_plan",
    "population_history",
    "summary_arrays",
    "tpa_of_cities",
    "wastewater_plan",
]
