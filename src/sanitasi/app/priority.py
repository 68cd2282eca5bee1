"""The plan's priority tables (docs/METHOD.md §18.2): kelurahan x sector and the
programme's activities ranked by :mod:`sanitasi.core.priority`, added to a plan result.

Pure (no file): the inputs are the plan result's arrays, its risk-area table (when the city
has the instrument) and its programme.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from sanitasi.core.model import Column, PlanResult, Table
from sanitasi.core.priority import activity_priorities, area_priorities
from sanitasi.core.reads import computation

WEIGHT_PARAMETERS: dict[str, str] = {
    "risk": "priority_weight_risk",
    "gap": "priority_weight_gap",
    "cost": "priority_weight_cost",
    "readiness": "priority_weight_readiness",
}
#: Items of the wastewater capital cost of a kelurahan (need -> unit-cost need of the cost
#: table; the plant is costed per connection).
ALD_NEEDS: tuple[str, ...] = (
    "new_septic_tank",
    "septic_tank_upgrade",
    "spald_t_connection",
    "spald_t_plant",
)


def weights(result: PlanResult) -> dict[str, float]:
    """The priority weights (reference parameters, with the run's overrides)."""
    with computation("priority"):
        return {k: result.parameters.num(v) for k, v in WEIGHT_PARAMETERS.items()}


def period_columns(result: PlanResult) -> np.ndarray:
    """Column indices of the SSK period's years in the engine's arrays."""
    a = result.arrays
    assert a is not None
    first, last = result.options.period
    return np.flatnonzero((a.years >= first) & (a.years <= last))


def unit_costs(result: PlanResult, needs: tuple[str, ...]) -> dict[str, np.ndarray]:
    """need -> (T_period,) escalated unit cost of the city (first city) per period year."""
    a = result.arrays
    assert a is not None
    cols = period_columns(result)
    yrs = a.years[cols]
    c = a.costs
    c = c[c["kode"].astype(str) == str(a.city_kode[0])]
    out = {}
    for need in needs:
        rows = c[c["need"] == need].groupby("year")["unit_cost_idr"].first()
        out[need] = rows.reindex(yrs).to_numpy(dtype=float)
    return out


def area_inputs(result: PlanResult) -> pd.DataFrame:
    """``city_kode, kode, sector, risk_class, gap, gap_unit, cost_idr`` per kelurahan and
    sector over the SSK period (docs/METHOD.md §18.2)."""
    a = result.arrays
    assert a is not None
    cols = period_columns(result)
    kode = a.tree.leaf_kode.astype(str)
    city = np.asarray(a.city_kode, dtype=str)[a.tree.city().inverse]
    ann = a.ladder.annual
    gap_ald = (ann["into_layak_hh"][:, cols] + ann["into_aman_hh"][:, cols]).sum(axis=1)
    uc = unit_costs(result, ALD_NEEDS)
    plant_q = ann["spald_t_connection"][:, cols]
    cost_ald = (
        ann["new_septic_tank"][:, cols] * uc["new_septic_tank"]
        + ann["septic_tank_upgrade"][:, cols] * uc["septic_tank_upgrade"]
        + plant_q * (uc["spald_t_connection"] + uc["spald_t_plant"])
    ).sum(axis=1)
    w = a.waste
    end = cols[-1]
    added_p = np.maximum(w.plan_pengurangan[:, end] - w.bau_pengurangan[:, end], 0.0)
    added_h = np.maximum(w.plan_penanganan[:, end] - w.bau_penanganan[:, end], 0.0)
    gap_w = added_p + added_h
    # waste facilities are city-wide: their period cost spread over the added t/day
    c = a.costs
    first, last = result.options.period
    sel = c["year"].between(first, last) & c["need"].isin(["tps3r", "bank_sampah"])
    sel |= c["year"].between(first, last) & c["need"].eq("collection_truck")
    city_cost = float(c.loc[sel, "cost_idr"].sum())
    total_gap = float(gap_w.sum())
    cost_w = gap_w * (city_cost / total_gap) if total_gap > 0 else np.zeros_like(gap_w)
    risk = {}
    if "risk_scores" in result.tables:
        rs = result.tables["risk_scores"].df
        risk = {
            (str(k), str(s)): float(v)
            for k, s, v in zip(rs["kode"], rs["subsector"], rs["final_class"], strict=True)
        }
    frames = []
    for sector, gap, cost, unit in (
        ("ald", gap_ald, cost_ald, "households"),
        ("persampahan", gap_w, cost_w, "t/day"),
    ):
        frames.append(
            pd.DataFrame(
                {
                    "city_kode": city,
                    "kode": kode,
                    "sector": sector,
                    "risk_class": [risk.get((k, sector), np.nan) for k in kode],
                    "gap": gap,
                    "gap_unit": unit,
                    "cost_idr": cost,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _c(label_id: str, label_en: str, unit: str = "", kind: str = "float") -> Column:
    return Column(label_id, label_en, unit, kind)


AREA_COLUMNS = {
    "city_kode": _c("Kab/kota", "City", kind="text"),
    "kode": _c("Kode", "Code", kind="text"),
    "sector": _c("Sektor", "Sector", kind="text"),
    "rank": _c("Peringkat", "Rank", kind="int"),
    "score": _c("Skor prioritas", "Priority score", "0-1"),
    "risk_class": _c("Kelas risiko", "Risk class", "1-4"),
    "gap": _c("Kesenjangan", "Gap"),
    "gap_unit": _c("Satuan", "Unit", kind="text"),
    "cost_idr": _c("Biaya kebutuhan", "Needs-based cost", "Rp", "idr"),
    "cost_per_unit_idr": _c("Biaya per satuan", "Cost per unit closed", "Rp", "idr"),
    "readiness": _c("Kesiapan", "Readiness", "0-1"),
}
ACTIVITY_COLUMNS = {
    "city_kode": _c("Kab/kota", "City", kind="text"),
    "code": _c("Kegiatan", "Activity", kind="text"),
    "sector": _c("Sektor", "Sector", kind="text"),
    "location_kode": _c("Lokasi", "Location", kind="text"),
    "rank": _c("Peringkat", "Rank", kind="int"),
    "score": _c("Skor prioritas", "Priority score", "0-1"),
    "risk_class": _c("Kelas risiko (rata-rata)", "Risk class (mean)", "1-4"),
    "planned_output": _c("Output rencana", "Planned output"),
    "planned_cost_idr": _c("Biaya rencana", "Planned cost", "Rp", "idr"),
    "cost_per_unit_idr": _c("Biaya per output", "Cost per output", "Rp", "idr"),
    "readiness": _c("Kesiapan", "Readiness", "0-1"),
}


def priority_chapter(result: PlanResult) -> PlanResult:
    """The plan result with ``priority_areas`` (and ``priority_programme`` when the city
    has a programme) added; unchanged without the engine's arrays."""
    if result.arrays is None or len(result.arrays.city_kode) != 1:
        return result
    w = weights(result)
    acts = result.programme.activities if result.programme is not None else None
    areas = area_priorities(area_inputs(result), w, acts)
    order = ["city_kode", "sector", "rank", "kode", "score", "risk_class", "gap", "gap_unit"]
    order += ["cost_idr", "cost_per_unit_idr", "readiness"]
    note_w = ", ".join(f"{k} {v:g}" for k, v in w.items())
    tables = {
        "priority_areas": Table(
            "priority_areas",
            "Prioritas kelurahan per sektor",
            "Priority of the kelurahan by sector",
            areas[order],
            AREA_COLUMNS,
            {"derived": len(areas)},
            "Skor = bobot x (kelas risiko, kesenjangan, biaya per satuan, kesiapan); "
            f"bobot {note_w}; METHOD.md §18.2.",
            f"Score = weights x (risk class, gap, cost per unit closed, readiness); weights "
            f"{note_w}; METHOD.md §18.2.",
        )
    }
    if result.programme is not None and len(result.programme.activities):
        prog = result.programme
        acts_r = activity_priorities(prog.activities, prog.planned, areas, w)
        a_order = ["city_kode", "sector", "rank", "code", "location_kode", "score"]
        a_order += ["risk_class", "planned_output", "planned_cost_idr", "cost_per_unit_idr"]
        a_order += ["readiness"]
        tables["priority_programme"] = Table(
            "priority_programme",
            "Prioritas kegiatan program",
            "Priority of the programme's activities",
            acts_r[a_order],
            ACTIVITY_COLUMNS,
            {"derived": len(acts_r)},
            "Peringkat seperti kelurahan: risiko dan kesenjangan lokasi, biaya per output, "
            "kesiapan kegiatan (METHOD.md §18.2).",
            "Ranked like the kelurahan: the location's risk and gap, cost per output, the "
            "activity's readiness (METHOD.md §18.2).",
        )
    return replace(result, tables={**result.tables, **tables})


__all__ = ["area_inputs", "period_columns", "priority_chapter", "unit_costs", "weights"]
