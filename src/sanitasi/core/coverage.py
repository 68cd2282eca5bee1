"""Programme coverage: programme outputs applied through their effects to business as usual.

docs/METHOD.md §9 (and §7.5 for the TPA). Pure:
numpy/pandas only; every quantity is a leaf areas x years array (n, T) or a cities x years
array (C, T); the only Python loops run over activities and their effect terms.

**Outputs.** ``outputs`` is long ``city_kode, code, year, output``: annual outputs in the
activity's output unit (planned, realised or forecast). Only years after the base year and up
to the horizon act (the base year is the observed baseline). The *cumulative* output
``O_a(t) = sum_{b < y <= t} output_a(y)`` acts in year t: households moved in 2025 stay moved
afterwards, and the BAU stocks of year t are the base of year t.

**Effects** (``data/kota_solok/README.md``; :func:`sanitasi.core.programme.parse_effects`):
one unit of output moves ``per_unit`` households (``hh:FROM->TO:N``) or t/day
(``tpd:FROM->TO:X``), or adds ``per_unit`` capacity (``cap:KIND:X``). The amount requested by
one term in year t is ``R(t) = per_unit x O_a(t)`` (households, t/day or capacity units).

**Order and spread.** Activities located at a kelurahan/desa act first, then those at a
kecamatan, then those at the city (kab/kota), each group in code order; the terms of one
activity in the order written. Each term takes from the stock on FROM *as left by the
previous ones* in the same year::

    E(t)      = sum over the location's leaves i of S_i(t)     eligible stock (hh or t/day)
    applied   = min(R(t), E(t))                                capped
    moved_i   = applied x S_i(t) / E(t)                        spread by eligible stock
    excess    = R(t) - applied                                 >= 0, never applied
    S_i(FROM) -= moved_i ;  S_i(TO) += moved_i

so an activity at a kelurahan acts there, and one at a kecamatan or the city is spread over
its kelurahan in proportion to each one's eligible stock that year. No stock goes below zero
and rungs keep summing to households (waste terms to generated t/day). A cumulative excess
that grows in a year is a warning ``SAN-W201`` naming the activity, the place (the kelurahan,
or the kecamatan/city the activity is spread over) and the year.

**Stocks under the programme.** Ladder: ``hh_<rung>(t) = BAU_<rung>(t) + in - out``
(households). Waste (t/day): ``pengurangan = BAU pengurangan``, ``penanganan = BAU
penanganan``, ``unmanaged = generated - pengurangan - penanganan`` (BAU), then the moves.
Service: ``aman@l2t2`` outputs are new L2T2 enrolments and ``aman@spald_t`` outputs are
SPALD-T connections: enrolled stock ``E(t) = max(BAU aman - BAU SPALD-T, 0) + L2T2 moves``
(the engine's base-year rule, docs/METHOD.md §6.3), SPALD-T stock = BAU SPALD-T +
connections. ``cap:`` terms accumulate per city and year:
``added_k(t) = sum_a per_unit x O_a(t)`` (m3/day of IPLT, trucks, m3 of landfill cell).

Moves out of ``aman`` (no SSK activity does that) leave the service stocks unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sanitasi.core import waste as waste_mod
from sanitasi.core.model import INDICATORS, RUNGS, PlanInputs, Warning_
from sanitasi.core.plan import HEADLINE, PlanArrays, _by_city, _latest
from sanitasi.core.programme import CAP_KINDS, Effect, ProgrammeInputs, parse_effects
from sanitasi.core.tree import ratio_pct

#: Warning codes of this module (stable).
W_OVERPLAN = "SAN-W201"
W_NO_PLACE = "SAN-W202"
W_UNKNOWN_ACTIVITY = "SAN-W203"
W_OUTSIDE_YEARS = "SAN-W204"

#: Unit of each capacity kind.
CAP_UNITS: dict[str, str] = {
    "iplt_m3_per_day": "m3/day",
    "truk_tinja": "trucks",
    "truk_sampah": "trucks",
    "tpa_m3": "m3",
}
_UNIT = {"hh": "households", "tpd": "t/day"}
_LEVEL_RANK = {3: 0, 2: 1, 1: 2, 0: 3}  # dots in the location kode -> apply order

INDICATOR_COLUMNS = [
    "kode",
    "nama",
    "tingkat",
    "indicator",
    "year",
    "unit",
    "bau_pct",
    "plan_pct",
    "trajectory_pct",
    "gap_pts",
    "closed_pts",
    "gap_closed_share",
    "bau_short_units",
    "short_units",
]
CAPACITY_COLUMNS = ["kode", "year", "kind", "unit", "added", "needed", "shortfall"]
TPA_COLUMNS = [
    "kode",
    "year",
    "landfilled_tpd",
    "cells_added_m3",
    "cells_added_t",
    "capacity_t",
    "consumed_t",
    "remaining_t",
    "full_year",
    "full_year_without_cells",
    "full_year_needs_based",
]
FUNDING_COLUMNS = [
    "kode",
    "year",
    "sector",
    "source",
    "programme_cost_idr",
    "needs_cost_idr",
    "difference_idr",
]
FUNDING_SHORT_COLUMNS = [
    "kode",
    "year",
    "sector",
    "programme_cost_idr",
    "needs_cost_idr",
    "short_idr",
]
EFFECT_COLUMNS = [
    "city_kode",
    "code",
    "term",
    "kind",
    "source",
    "target",
    "unit",
    "location_kode",
    "kode",
    "year",
    "output",
    "output_cum",
    "eligible",
    "moved_cum",
    "moved_new",
    "output_applied_cum",
    "excess_cum",
]


@dataclass(frozen=True)
class Coverage:
    """What a programme's outputs do to BAU, against the trajectory and the needs.

    Tables (long DataFrames):

    ``indicators``
        ``kode, nama, tingkat`` (kelurahan/desa, kecamatan, kabkota), ``indicator``
        (:data:`sanitasi.core.plan.HEADLINE`), ``year, unit`` (households | t/day),
        ``bau_pct``, ``plan_pct`` (under the programme), ``trajectory_pct`` (0-100),
        ``gap_pts`` = s x (trajectory - BAU), ``closed_pts`` = s x (plan - BAU) (s = -1 for
        ``pct_babs_terbuka``, else +1; percentage points), ``gap_closed_share`` =
        100 x closed / gap where gap > 0, NaN otherwise (%, > 100 = beyond the trajectory,
        < 0 = below BAU), ``bau_short_units`` / ``short_units`` = sum over the area's
        kelurahan of max(0, s x (trajectory x den - numerator)) under BAU / the programme
        (households or t/day). Aggregated percentages are ratios of sums; the city's
        trajectory is the engine's city path (as in the ``headline`` table), a kecamatan's
        is the ratio of the sums of its kelurahan paths x denominators.
    ``capacity``
        ``kode`` (city), ``year, kind`` (``iplt_m3_per_day, truk_tinja, truk_sampah,
        tpa_m3``), ``unit``, ``added`` (cumulative, by the programme), ``needed``
        (cumulative, needs-based engine: IPLT capacity to add, vacuum trucks to add,
        collection trucks to add, cumulative new landfill volume), ``shortfall`` =
        max(0, needed - added).
    ``tpa``
        ``kode, year``, ``landfilled_tpd`` (programme flows), ``cells_added_m3``,
        ``cells_added_t`` (cumulative), ``capacity_t`` (reference capacity + cells),
        ``consumed_t`` (cumulative, all users), ``remaining_t``, ``full_year`` (with the
        programme's flows and cells), ``full_year_without_cells`` (programme flows only),
        ``full_year_needs_based`` (the engine's) - the three repeat on every row of a city.
    ``funding``
        ``kode, year, sector, source, programme_cost_idr`` (planned cost of the activities
        with that funding source), ``needs_cost_idr`` (the needs-based *indikasi
        pendanaan*), ``difference_idr`` = programme - needs (rupiah, nominal).
    ``funding_short``
        ``kode, year, sector, programme_cost_idr, needs_cost_idr, short_idr`` =
        max(0, needs - programme) per sector and year (sources summed).
    ``activity_effects``
        one row per activity term x year x kelurahan of its location (``cap`` terms: one
        row at the location): ``city_kode, code, term, kind, source, target, unit,
        location_kode, kode, year, output`` (the activity's output that year),
        ``output_cum``, ``eligible`` (stock on FROM at the kelurahan before the term),
        ``moved_cum`` (households or t/day moved there, cumulative; capacity for ``cap``),
        ``moved_new`` (its change in the year; negative where the spread shifts to other
        kelurahan as their eligible stocks change), ``output_applied_cum`` (= moved_cum /
        per_unit, output units), ``excess_cum`` (cumulative amount not applied, shared over
        the kelurahan by eligible stock; equally when none is eligible).
    ``stocks``
        ``kode, nama, tingkat, year``, ``households``, ``hh_<rung>``, ``enrolled_hh``,
        ``spald_t_hh``, ``l2t2_enrolments_cum``, ``spald_t_connections_cum``,
        ``generated_tpd, pengurangan_tpd, penanganan_tpd, unmanaged_tpd`` under the
        programme, at kelurahan, kecamatan and city level.

    Arrays: ``ladder`` (rung -> (n, T) households), ``waste`` (term -> (n, T) t/day),
    ``enrolled``, ``spald_t`` ((n, T) households), ``capacity_added`` (kind -> (C, T)).
    """

    indicators: pd.DataFrame
    capacity: pd.DataFrame
    tpa: pd.DataFrame
    funding: pd.DataFrame
    funding_short: pd.DataFrame
    activity_effects: pd.DataFrame
    stocks: pd.DataFrame
    warnings: tuple[Warning_, ...]
    ladder: Mapping[str, np.ndarray]
    waste: Mapping[str, np.ndarray]
    enrolled: np.ndarray
    spald_t: np.ndarray
    capacity_added: Mapping[str, np.ndarray]


# ----------------------------------------------------------------------------- helpers


def planned_outputs(prog: ProgrammeInputs) -> pd.DataFrame:
    """The programme's planned outputs as ``city_kode, code, year, output`` (annual)."""
    p = prog.planned
    return pd.DataFrame(
        {
            "city_kode": p["city_kode"].astype(str).to_numpy(),
            "code": p["code"].astype(str).to_numpy(),
            "year": p["year"].astype(np.int64).to_numpy(),
            "output": p["planned_output"].astype(float).to_numpy(),
        }
    )


def _clean(x: np.ndarray) -> np.ndarray:
    """Round float noise (|x| < 1e-9) and negative zero to 0."""
    return np.where(np.abs(x) < 1e-9, 0.0, x) + 0.0


def _leaf_slice(leaf_kode: np.ndarray, loc: str) -> slice:
    """Leaves (sorted codes) at or under ``loc``: a leaf itself, or every leaf whose code
    starts with ``loc + '.'`` (contiguous, since '/' follows '.')."""
    lo = int(np.searchsorted(leaf_kode, loc))
    if lo < len(leaf_kode) and leaf_kode[lo] == loc:
        return slice(lo, lo + 1)
    lo = int(np.searchsorted(leaf_kode, loc + "."))
    hi = int(np.searchsorted(leaf_kode, loc + "/"))
    return slice(lo, hi)


def _levels(a: PlanArrays) -> list[tuple[str, np.ndarray, Any]]:
    """(level, codes, summing function) for leaves, kecamatan and kab/kota."""
    t = a.tree
    kec, city = t.levels["kecamatan"], t.levels["kabkota"]
    return [
        ("leaf", t.leaf_kode, None),
        ("kecamatan", kec.codes, kec.sum),
        ("kabkota", city.codes, city.sum),
    ]


def _long(inputs: PlanInputs, a: PlanArrays, cols: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Leaf (n, T) arrays summed to kecamatan and city (counts are summed), as one long
    frame kode, nama, tingkat, year, columns (leaves first)."""
    parts = [
        (codes, {k: v if fn is None else fn(v) for k, v in cols.items()})
        for _lvl, codes, fn in _levels(a)
    ]
    return _frame(inputs, a, parts)


def _frame(
    inputs: PlanInputs,
    a: PlanArrays,
    parts: Sequence[tuple[np.ndarray, Mapping[str, np.ndarray]]],
) -> pd.DataFrame:
    """Long frame from (codes, {column: (g, T) array}) parts, with names and levels."""
    T = len(a.years)
    codes = np.concatenate([np.asarray(c, dtype=str) for c, _ in parts])
    reg = inputs.regions.drop_duplicates("kode")
    reg = reg.set_index(reg["kode"].astype(str))
    nama = reg["nama"].reindex(codes).fillna("").astype(str).to_numpy(dtype=object)
    ting = reg["tingkat"].reindex(codes).fillna("").astype(str).to_numpy(dtype=object)
    data: dict[str, Any] = {
        "kode": np.repeat(codes.astype(object), T),
        "nama": np.repeat(nama, T),
        "tingkat": np.repeat(ting, T),
        "year": np.tile(np.asarray(a.years, dtype=np.int64), len(codes)),
    }
    keys = list(parts[0][1]) if parts else []
    for k in keys:
        data[k] = np.concatenate([np.asarray(p[k], dtype=float).reshape(-1) for _c, p in parts])
    return pd.DataFrame(data)


# ----------------------------------------------------------------------------- outputs


def _cumulative(
    outputs: pd.DataFrame, acts: pd.DataFrame, years: np.ndarray, base_year: int
) -> tuple[np.ndarray, np.ndarray, list[Warning_]]:
    """Annual and cumulative outputs per activity row of ``acts`` (A, T), outputs units.

    ``O_a(t) = sum_{b < y <= t} output_a(y)``; outputs in or before the base year or after
    the horizon are left out (warning ``SAN-W204``), outputs of unknown activities too
    (``SAN-W203``)."""
    warns: list[Warning_] = []
    A, T = len(acts), len(years)
    annual = np.zeros((A, T))
    if outputs.empty or A == 0:
        return annual, annual.copy(), warns
    o = pd.DataFrame(
        {
            "city_kode": outputs["city_kode"].astype(str).to_numpy(),
            "code": outputs["code"].astype(str).to_numpy(),
            "year": outputs["year"].astype(np.int64).to_numpy(),
            "output": outputs["output"].astype(float).fillna(0.0).to_numpy(),
        }
    )
    key = pd.MultiIndex.from_arrays([acts["city_kode"].astype(str), acts["code"].astype(str)])
    row = key.get_indexer(pd.MultiIndex.from_arrays([o["city_kode"], o["code"]]))
    for ck, code in o.loc[row < 0, ["city_kode", "code"]].drop_duplicates().itertuples(index=False):
        warns.append(Warning_(W_UNKNOWN_ACTIVITY, {"activity": str(code)}, str(ck)))
    col = o["year"].to_numpy() - int(years[0])
    inside = (row >= 0) & (col >= 1) & (col < T)
    out = (row >= 0) & ~inside & (o["output"].to_numpy() != 0)
    for (ck, code), g in o[out].groupby(["city_kode", "code"]):
        values = dict(
            activity=str(code),
            years=tuple(int(y) for y in sorted(g["year"].unique())),
            first_year=base_year + 1,
            last_year=int(years[-1]),
        )
        warns.append(Warning_(W_OUTSIDE_YEARS, values, str(ck)))
    np.add.at(annual, (row[inside], col[inside]), o["output"].to_numpy()[inside])
    return annual, np.cumsum(annual, axis=1), warns


# ----------------------------------------------------------------------------- apply


@dataclass
class _State:
    ladder: dict[str, np.ndarray]
    waste: dict[str, np.ndarray]
    l2t2: np.ndarray
    spald: np.ndarray
    cap: dict[str, np.ndarray]


def _move(
    stocks: dict[str, np.ndarray], eff: Effect, sl: slice, requested: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Apply one hh/tpd term over the leaves ``sl`` (vectorised over leaves x years).

    ``requested`` (T,) = per_unit x cumulative output. Returns (eligible (m, T) before the
    term, moved (m, T), area excess (T,), area eligible (T,))."""
    S = stocks[eff.source][sl].copy()
    E = S.sum(axis=0)
    applied = np.minimum(requested, E)
    frac = np.zeros_like(E)
    np.divide(applied, E, out=frac, where=E > 0)
    moved = S * frac[None, :]
    stocks[eff.source][sl] = np.maximum(S - moved, 0.0)
    stocks[eff.target][sl] = stocks[eff.target][sl] + moved
    return S, moved, np.maximum(requested - applied, 0.0), E


def _excess_shares(S: np.ndarray, E: np.ndarray) -> np.ndarray:
    """Share of the area's excess given to each leaf: its eligible share, equal when the
    area has nothing eligible (m, T)."""
    m = S.shape[0]
    sh = np.full_like(S, 1.0 / max(m, 1))
    np.divide(S, E[None, :], out=sh, where=E[None, :] > 0)
    return sh


def _overplan_warning(
    code: str,
    place: str,
    nama: str,
    eff: Effect,
    year: int,
    requested: float,
    eligible: float,
    excess: float,
) -> Warning_:
    values = dict(
        activity=code,
        area=place,
        area_name=nama,
        year=year,
        requested=float(requested),
        unit=_UNIT[eff.kind],
        from_rung=eff.source,
        to_rung=eff.target,
        eligible=float(eligible),
        excess=float(excess),
    )
    return Warning_(W_OVERPLAN, values, place, year)


def apply_outputs(
    inputs: PlanInputs, arrays: PlanArrays, prog: ProgrammeInputs, outputs: pd.DataFrame
) -> Coverage:
    """Apply annual ``outputs`` (``city_kode, code, year, output``) of the programme's
    activities to BAU and compare with the trajectory, the capacity needs and the funding
    indication (module docstring and :class:`Coverage`; docs/METHOD.md §9). Inputs are never mutated.

    Warnings: ``SAN-W201`` over-plan (activity, place, year, requested, eligible, excess),
    ``SAN-W202`` a location with no kelurahan/desa in the run (its moves are skipped, its
    ``cap:`` terms still count for the city), ``SAN-W203`` outputs of an activity that is
    not in the matrix, ``SAN-W204`` outputs outside (base year, horizon]. Activities of
    cities outside the run are ignored."""
    a = arrays
    b = a.options.base_year
    years = np.asarray(a.years)
    T = len(years)
    leaf = np.asarray(a.tree.leaf_kode, dtype=str)
    city_idx = pd.Index(np.asarray(a.city_kode, dtype=str))
    reg = inputs.regions.drop_duplicates("kode")
    names = dict(zip(reg["kode"].astype(str), reg["nama"].astype(str), strict=True))

    acts = prog.activities.copy()
    acts["city_kode"] = acts["city_kode"].astype(str)
    acts["code"] = acts["code"].astype(str)
    loc = acts["location_kode"].fillna("").astype(str).str.strip()
    acts["location_kode"] = loc.where(loc != "", acts["city_kode"])
    acts = acts.reset_index(drop=True)
    annual, cum, warns = _cumulative(outputs, acts, years, b)
    rank = acts["location_kode"].str.count(r"\.").map(_LEVEL_RANK).fillna(3).astype(int)
    order = np.lexsort((acts["code"].to_numpy(), acts["city_kode"].to_numpy(), rank.to_numpy()))

    H, G = a.pop.households, a.waste.generated
    st = _State(
        ladder={r: a.ladder.bau[r].astype(float).copy() for r in RUNGS},
        waste={
            "pengurangan": a.waste.bau_pengurangan.astype(float).copy(),
            "penanganan": a.waste.bau_penanganan.astype(float).copy(),
            "unmanaged": np.maximum(G - a.waste.bau_pengurangan - a.waste.bau_penanganan, 0.0),
        },
        l2t2=np.zeros_like(H, dtype=float),
        spald=np.zeros_like(H, dtype=float),
        cap={k: np.zeros((len(city_idx), T)) for k in CAP_KINDS},
    )
    rows: list[pd.DataFrame] = []
    for i in order:
        r = acts.iloc[int(i)]
        ck, code, place = str(r["city_kode"]), str(r["code"]), str(r["location_kode"])
        ci = city_idx.get_indexer([ck])[0]
        if ci < 0:
            continue  # another city's activity: not part of this run
        effects = parse_effects(str(r["effect"]))
        sl = _leaf_slice(leaf, place)
        if sl.stop <= sl.start and any(e.kind != "cap" for e in effects):
            values = dict(activity=code, area=place, area_name=names.get(place, ""))
            warns.append(Warning_(W_NO_PLACE, values, place))
            effects = tuple(e for e in effects if e.kind == "cap")
        for eff in effects:
            req = eff.per_unit * np.maximum(cum[i], 0.0)
            if eff.kind == "cap":
                st.cap[eff.target][ci] += req
                rows.append(
                    _effect_rows(
                        ck,
                        code,
                        eff,
                        place,
                        np.array([place]),
                        years,
                        annual[i],
                        cum[i],
                        np.full((1, T), np.nan),
                        req[None, :],
                        np.zeros((1, T)),
                    )
                )
                continue
            stocks = st.ladder if eff.kind == "hh" else st.waste
            S, moved, excess, E = _move(stocks, eff, sl, req)
            if eff.kind == "hh" and eff.target == "aman":
                svc = st.l2t2 if eff.service == "l2t2" else st.spald
                svc[sl] += moved
            rows.append(
                _effect_rows(
                    ck,
                    code,
                    eff,
                    place,
                    leaf[sl],
                    years,
                    annual[i],
                    cum[i],
                    S,
                    moved,
                    excess[None, :] * _excess_shares(S, E),
                )
            )
            tol = 1e-6 * np.maximum(1.0, req)
            grew = excess > tol
            grew[1:] &= excess[1:] - excess[:-1] > tol[1:]
            for j in np.nonzero(grew)[0]:
                warns.append(
                    _overplan_warning(
                        code,
                        place,
                        names.get(place, ""),
                        eff,
                        int(years[j]),
                        float(req[j]),
                        float(E[j]),
                        float(excess[j]),
                    )
                )

    enrolled = np.maximum(a.ladder.bau["aman"] - a.ladder.bau_spald_t, 0.0) + st.l2t2
    spald_t = a.ladder.bau_spald_t + st.spald
    eff_df = (
        pd.concat(rows, ignore_index=True)
        if rows
        else pd.DataFrame({c: pd.Series(dtype=float) for c in EFFECT_COLUMNS})
    )
    stocks_df = _long(
        inputs,
        a,
        {
            "households": H,
            **{f"hh_{r}": st.ladder[r] for r in RUNGS},
            "enrolled_hh": enrolled,
            "spald_t_hh": spald_t,
            "l2t2_enrolments_cum": st.l2t2,
            "spald_t_connections_cum": st.spald,
            "generated_tpd": G,
            "pengurangan_tpd": st.waste["pengurangan"],
            "penanganan_tpd": st.waste["penanganan"],
            "unmanaged_tpd": st.waste["unmanaged"],
        },
    )
    return Coverage(
        indicators=indicator_table(inputs, a, st.ladder, st.waste),
        capacity=capacity_table(a, st.cap),
        tpa=tpa_table(inputs, a, st.waste["penanganan"], st.cap["tpa_m3"]),
        funding=funding_table(a, prog),
        funding_short=funding_short_table(a, prog),
        activity_effects=eff_df[EFFECT_COLUMNS],
        stocks=stocks_df,
        warnings=tuple(warns),
        ladder=st.ladder,
        waste=st.waste,
        enrolled=enrolled,
        spald_t=spald_t,
        capacity_added=st.cap,
    )


def _effect_rows(
    ck: str,
    code: str,
    eff: Effect,
    place: str,
    kodes: np.ndarray,
    years: np.ndarray,
    annual: np.ndarray,
    cum: np.ndarray,
    eligible: np.ndarray,
    moved: np.ndarray,
    excess: np.ndarray,
) -> pd.DataFrame:
    """Long rows (kelurahan x years after the base year) of one applied term."""
    m = len(kodes)
    keep = np.arange(len(years)) >= 1
    Tk = int(keep.sum())
    new = np.zeros_like(moved)
    new[:, 1:] = np.diff(moved, axis=1)
    unit = CAP_UNITS[eff.target] if eff.kind == "cap" else _UNIT[eff.kind]
    return pd.DataFrame(
        {
            "city_kode": ck,
            "code": code,
            "term": str(eff),
            "kind": eff.kind,
            "source": eff.source,
            "target": f"{eff.target}@{eff.service}" if eff.service else eff.target,
            "unit": unit,
            "location_kode": place,
            "kode": np.repeat(np.asarray(kodes, dtype=object), Tk),
            "year": np.tile(np.asarray(years, dtype=np.int64)[keep], m),
            "output": np.tile(annual[keep], m),
            "output_cum": np.tile(cum[keep], m),
            "eligible": eligible[:, keep].reshape(-1),
            "moved_cum": _clean(moved[:, keep]).reshape(-1),
            "moved_new": _clean(new[:, keep]).reshape(-1),
            "output_applied_cum": _clean(moved[:, keep] / eff.per_unit).reshape(-1),
            "excess_cum": _clean(excess[:, keep]).reshape(-1),
        }
    )


# ----------------------------------------------------------------------------- indicators


def _numerators(
    ladder: Mapping[str, np.ndarray], pen: np.ndarray, red: np.ndarray
) -> dict[str, np.ndarray]:
    """Numerator of each headline indicator (households or t/day), leaves x years."""
    return {
        "pct_layak": ladder["aman"] + ladder["layak_sendiri"] + ladder["layak_bersama"],
        "pct_aman": ladder["aman"],
        "pct_babs_terbuka": ladder["babs_terbuka"],
        "pct_waste_pengurangan": red,
        "pct_waste_penanganan": pen,
        "pct_waste_managed": red + pen,
    }


def indicator_table(
    inputs: PlanInputs,
    a: PlanArrays,
    ladder: Mapping[str, np.ndarray],
    waste: Mapping[str, np.ndarray],
) -> pd.DataFrame:
    """Headline indicators under BAU, the programme and the trajectory at kelurahan,
    kecamatan and city level (columns in :class:`Coverage`).

    ``pct = 100 x sum(numerator) / sum(denominator)`` (households for the ladder, generated
    t/day for waste; Jakstranas basis); ``gap_closed_share = 100 x s(plan - BAU) /
    s(trajectory - BAU)`` where ``s(trajectory - BAU) > 0`` (s = -1 for
    ``pct_babs_terbuka``); ``short_units = sum_i max(0, s(path_i x den_i - num_i))``.
    docs/METHOD.md §5 and §9."""
    bau = _numerators(a.ladder.bau, a.waste.bau_penanganan, a.waste.bau_pengurangan)
    plan = _numerators(ladder, waste["penanganan"], waste["pengurangan"])
    frames = []
    for ind in HEADLINE:
        den = a.pop.households if INDICATORS[ind]["basis"] == "households" else a.waste.generated
        unit = "households" if INDICATORS[ind]["basis"] == "households" else "t/day"
        s = -1.0 if INDICATORS[ind]["lower_is_better"] else 1.0
        path = a.leaf_paths[ind]
        has = ~np.isnan(path)
        tnum = np.where(has, path * den, 0.0)
        tden = np.where(has, den, 0.0)
        bshort = np.where(has, np.maximum(s * (tnum - bau[ind]), 0.0), 0.0)
        pshort = np.where(has, np.maximum(s * (tnum - plan[ind]), 0.0), 0.0)
        parts = []
        for lvl, codes, fn in _levels(a):

            def agg(x: np.ndarray, fn: Any = fn) -> np.ndarray:
                return x if fn is None else fn(x)

            n_has = agg(has.astype(float))
            d = agg(den)
            traj = (
                a.city_paths[ind] * 100.0 if lvl == "kabkota" else ratio_pct(agg(tnum), agg(tden))
            )
            traj = np.where(n_has > 0, traj, np.nan)
            b_pct, p_pct = ratio_pct(agg(bau[ind]), d), ratio_pct(agg(plan[ind]), d)
            gap = _clean(s * (traj - b_pct))
            closed = _clean(s * (p_pct - b_pct))
            share = np.full_like(gap, np.nan)
            np.divide(100.0 * closed, gap, out=share, where=gap > 1e-9)
            parts.append(
                (
                    codes,
                    dict(
                        bau_pct=b_pct,
                        plan_pct=p_pct,
                        trajectory_pct=traj,
                        gap_pts=gap,
                        closed_pts=closed,
                        gap_closed_share=share,
                        bau_short_units=np.where(n_has > 0, _clean(agg(bshort)), np.nan),
                        short_units=np.where(n_has > 0, _clean(agg(pshort)), np.nan),
                    ),
                )
            )
        df = _frame(inputs, a, parts)
        df.insert(3, "indicator", ind)
        df.insert(5, "unit", unit)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)[INDICATOR_COLUMNS]


# ----------------------------------------------------------------------------- capacity


def capacity_table(a: PlanArrays, added: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Programme capacity (cumulative ``cap:`` effects) against the needs-based capacity to
    add, per city, year and kind; ``shortfall = max(0, needed - added)``.

    Needed (cumulative): IPLT m3/day = ``service.iplt_capacity_to_add_m3_per_day``;
    vacuum trucks = ``service.vacuum_trucks_to_add``; collection trucks =
    ``waste_city['collection_trucks_to_add']``; landfill m3 = the running sum of
    ``tpa.landfill_volume_m3`` (new cell volume for the city's tonnage once the TPA is
    full). docs/METHOD.md §6 and §7."""
    needed = {
        "iplt_m3_per_day": a.service.iplt_capacity_to_add_m3_per_day,
        "truk_tinja": a.service.vacuum_trucks_to_add,
        "truk_sampah": a.waste_city["collection_trucks_to_add"],
        "tpa_m3": np.cumsum(a.tpa.landfill_volume_m3, axis=1),
    }
    C, T = len(a.city_kode), len(a.years)
    frames = []
    for k in CAP_KINDS:
        add, need = np.asarray(added[k], dtype=float), np.asarray(needed[k], dtype=float)
        frames.append(
            pd.DataFrame(
                {
                    "kode": np.repeat(np.asarray(a.city_kode, dtype=object), T),
                    "year": np.tile(np.asarray(a.years, dtype=np.int64), C),
                    "kind": k,
                    "unit": CAP_UNITS[k],
                    "added": add.reshape(-1),
                    "needed": need.reshape(-1),
                    "shortfall": _clean(np.maximum(need - add, 0.0)).reshape(-1),
                }
            )
        )
    return pd.concat(frames, ignore_index=True).sort_values(
        ["kode", "kind", "year"], kind="stable", ignore_index=True
    )[CAPACITY_COLUMNS]


def cells_tonnes(m3: np.ndarray, density_kg_m3: float, cover_fraction: float) -> np.ndarray:
    """Landfill cell volume -> tonnes of waste it holds, the inverse of the engine's
    ``volume = tonnes x 1000 / landfill_compacted_density_kg_per_m3 x (1 + cover)``:
    ``tonnes = m3 x density / 1000 / (1 + landfill_cover_soil_fraction)``
    (docs/METHOD.md §7.5)."""
    return np.asarray(m3, dtype=float) * density_kg_m3 / 1000.0 / (1.0 + cover_fraction)


def tpa_table(
    inputs: PlanInputs, a: PlanArrays, penanganan: np.ndarray, cells_m3: np.ndarray
) -> pd.DataFrame:
    """The TPA under the programme: its flows and its landfill cells.

    Landfilled t/day = the city's landfilled share of penanganan (engine notes) x the
    programme's penanganan. Remaining capacity at the reference year ``L x I0 x 365`` t and
    the yearly consumption ``365 x (landfilled + I0 - landfilled at the reference)`` follow
    :func:`sanitasi.core.waste.tpa_full`; the cells add ``cells_tonnes(m3)`` from the year
    they are built: full in the first year ``consumed(t) > capacity + cells(t)``, computed
    by :func:`~sanitasi.core.waste.tpa_full` with each year's new cell tonnage taken off that
    year's consumption (the same inequality)."""
    P = inputs.parameters.reader("programme.coverage")
    b = a.options.base_year
    obs = inputs.observations
    cities = a.tree.city()
    ck = np.asarray(a.city_kode, dtype=str)
    dens = P.num("landfill_compacted_density_kg_per_m3")
    cover = P.num("landfill_cover_soil_fraction")
    share = np.asarray(a.notes["landfilled_share"], dtype=float)
    landfilled = share[:, None] * cities.sum(penanganan)
    life = _latest(obs, "tpa_remaining_life_years", b)
    inflow = _latest(obs, "tpa_inflow_tpd", b)
    lf = _latest(obs, "waste_landfilled_tpd", b)
    life_v = _by_city(ck, life["kode"], life["value"], "max")
    ref_y = _by_city(ck, life["kode"], life["year"].astype(float), "max")
    inflow_v = _by_city(ck, inflow["kode"], inflow["value"])
    lf_obs = _by_city(ck, lf["kode"], lf["value"])
    lf_ref = np.where(np.isnan(lf_obs), a.waste_city["landfilled_tpd"][:, 0], lf_obs)
    cells_t = cells_tonnes(cells_m3, dens, cover)
    new_t = np.diff(cells_t, axis=1, prepend=0.0)
    args = (ref_y, lf_ref, dens, cover)
    no_cells = waste_mod.tpa_full(a.years, landfilled, life_v, inflow_v, *args)
    with_cells = waste_mod.tpa_full(a.years, landfilled - new_t / 365.0, life_v, inflow_v, *args)
    cap = no_cells.capacity_t[:, None] + cells_t
    C, T = len(ck), len(a.years)

    def rep(x: np.ndarray) -> np.ndarray:
        return np.repeat(np.asarray(x, dtype=float), T)

    return pd.DataFrame(
        {
            "kode": np.repeat(ck.astype(object), T),
            "year": np.tile(np.asarray(a.years, dtype=np.int64), C),
            "landfilled_tpd": landfilled.reshape(-1),
            "cells_added_m3": np.asarray(cells_m3, dtype=float).reshape(-1),
            "cells_added_t": cells_t.reshape(-1),
            "capacity_t": cap.reshape(-1),
            "consumed_t": no_cells.consumed_t.reshape(-1),
            "remaining_t": np.maximum(cap - no_cells.consumed_t, 0.0).reshape(-1),
            "full_year": rep(with_cells.full_year),
            "full_year_without_cells": rep(no_cells.full_year),
            "full_year_needs_based": rep(a.tpa.full_year),
        }
    )[TPA_COLUMNS]


# ----------------------------------------------------------------------------- funding


def _programme_costs(a: PlanArrays, prog: ProgrammeInputs) -> pd.DataFrame:
    """Planned cost per city, year, sector and funding source (rupiah, as budgeted)."""
    p = prog.planned[["city_kode", "code", "year", "planned_cost_idr"]].astype(
        {"city_kode": str, "code": str}
    )
    acts = prog.activities[["city_kode", "code", "sector", "funding_source"]].astype(
        {"city_kode": str, "code": str}
    )
    m = p.merge(acts, on=["city_kode", "code"], how="inner")
    m = m[m["city_kode"].isin(list(np.asarray(a.city_kode, dtype=str)))]
    out = m.groupby(["city_kode", "year", "sector", "funding_source"], as_index=False)[
        "planned_cost_idr"
    ].sum()
    return pd.DataFrame(
        {
            "kode": out["city_kode"].astype(str),
            "year": out["year"].astype(np.int64),
            "sector": out["sector"].astype(str),
            "source": out["funding_source"].astype(str),
            "programme_cost_idr": out["planned_cost_idr"].astype(float).fillna(0.0),
        }
    )


def _funding_years(a: PlanArrays, prog_costs: pd.DataFrame) -> list[int]:
    """Years compared: the plan period and every programme year, within the run."""
    p0, p1 = a.options.period
    ys = set(range(p0, p1 + 1)) | set(prog_costs["year"].astype(int))
    return sorted(y for y in ys if a.options.base_year < y <= a.options.horizon)


def funding_table(a: PlanArrays, prog: ProgrammeInputs) -> pd.DataFrame:
    """Programme planned cost vs the needs-based funding indication per city, year, sector
    and funding source: ``difference_idr = programme_cost_idr - needs_cost_idr`` (nominal
    rupiah; docs/METHOD.md §8). Years: the plan period and every
    programme year."""
    pc = _programme_costs(a, prog)
    years = _funding_years(a, pc)
    nf = a.funding.rename(columns={"cost_idr": "needs_cost_idr"})
    nf = nf.assign(kode=nf["kode"].astype(str), year=nf["year"].astype(np.int64))
    keys = ["kode", "year", "sector", "source"]
    m = pc.merge(nf[[*keys, "needs_cost_idr"]], on=keys, how="outer")
    m = m[m["year"].isin(years)]
    m = m.fillna({"programme_cost_idr": 0.0, "needs_cost_idr": 0.0})
    m["difference_idr"] = m["programme_cost_idr"] - m["needs_cost_idr"]
    return m.sort_values(keys, ignore_index=True)[FUNDING_COLUMNS]


def funding_short_table(a: PlanArrays, prog: ProgrammeInputs) -> pd.DataFrame:
    """Rupiah the programme leaves short per city, sector and year:
    ``short_idr = max(0, needs-based cost - programme cost)``, sources summed (a source may
    stand in for another; activities without a priced need, such as campaigns, still count
    as programme money)."""
    f = funding_table(a, prog)
    g = f.groupby(["kode", "year", "sector"], as_index=False)[
        ["programme_cost_idr", "needs_cost_idr"]
    ].sum()
    g["short_idr"] = np.maximum(g["needs_cost_idr"] - g["programme_cost_idr"], 0.0)
    return pd.DataFrame(g)[FUNDING_SHORT_COLUMNS]
