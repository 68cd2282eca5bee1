"""Programme chapters of the plan and the monitoring run, as labelled tables.

Two orchestrators over the pure engines (no formula lives here):

* :func:`programme_chapters` — for ``sanitasi plan``: the KKL matrix (urgent problem ->
  strategic issue -> objective -> sasaran with baseline and yearly targets -> strategy ->
  programme -> activity), the RACI roles matrix and agency summary, programme coverage
  (indicators under the plan vs BAU and the trajectory, capacity, TPA, funding) and the
  funding by source x year x lead agency.
* :func:`monitoring_run` — for ``sanitasi monitor``: quarterly performance (Bab VI), the
  indicators projected from realised outputs and forecast at the current pace against the
  trajectory, action items and meetings, with the ``SAN-W310`` warning when an indicator
  under the realised outputs is off its trajectory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sanitasi.core import coverage as cov
from sanitasi.core import monitoring as mon
from sanitasi.core import roles
from sanitasi.core.model import INDICATORS, Column, PlanInputs, Table, Warning_, count_status
from sanitasi.core.plan import PlanArrays
from sanitasi.core.programme import ProgrammeInputs
from sanitasi.core.results import COLUMNS

#: Default of the parameter ``monitoring_off_trajectory_tolerance_pts`` (percentage points
#: before an indicator counts as off its trajectory).
OFF_TRAJECTORY_TOLERANCE_PTS = 0.5


def _c(label_id: str, label_en: str, unit: str = "", kind: str = "float") -> Column:
    return Column(label_id, label_en, unit, kind)


PROGRAMME_COLUMNS: dict[str, Column] = {
    "city_kode": _c("Kode kota", "City code", "", "text"),
    "code": _c("Kode", "Code", "", "text"),
    "urgent_problem": _c("Permasalahan mendesak", "Urgent problem", "", "text"),
    "strategic_issue": _c("Isu strategis", "Strategic issue", "", "text"),
    "objective": _c("Tujuan", "Objective", "", "text"),
    "sasaran": _c("Sasaran (indikator)", "Sasaran (indicator)", "", "text"),
    "sasaran_baseline_pct": _c("Baseline sasaran", "Sasaran baseline", "%", "pct"),
    "sasaran_targets": _c("Target tahunan", "Yearly targets", "%", "text"),
    "strategy": _c("Strategi", "Strategy", "", "text"),
    "programme": _c("Program", "Programme", "", "text"),
    "activity": _c("Kegiatan", "Activity", "", "text"),
    "output_unit": _c("Satuan keluaran", "Output unit", "", "text"),
    "lead_agency": _c("OPD pelaksana", "Lead agency", "", "text"),
    "support_agencies": _c("OPD pendukung", "Supporting agencies", "", "text"),
    "location_kode": _c("Lokasi", "Location", "", "text"),
    "funding_source": _c("Sumber dana", "Funding source", "", "text"),
    "effect": _c("Efek per unit", "Effect per unit", "", "text"),
    "programme_cost_idr": _c("Biaya program", "Programme cost", "Rp", "idr"),
    "needs_cost_idr": _c("Biaya kebutuhan", "Needs-based cost", "Rp", "idr"),
    "difference_idr": _c("Selisih", "Difference", "Rp", "idr"),
    "short_idr": _c("Kekurangan dana", "Funding short", "Rp", "idr"),
    "plan_pct": _c("Dengan program", "With the programme", "%", "pct"),
    "realised_pct": _c("Dari realisasi", "From realisation", "%", "pct"),
    "forecast_pct": _c("Prakiraan laju saat ini", "Forecast at current pace", "%", "pct"),
    "closed_pts": _c("Ditutup (poin)", "Closed (points)", "poin %", "float"),
    "gap_closed_share": _c("Bagian kesenjangan ditutup", "Share of gap closed", "%", "pct"),
    "short_units": _c("Masih kurang", "Still short", "", "count"),
    "bau_short_units": _c("Kurang tanpa program", "Short under BAU", "", "count"),
    "kind": _c("Jenis kapasitas", "Capacity kind", "", "text"),
    "added": _c("Ditambah program", "Added by the programme", "", "float"),
    "needed": _c("Dibutuhkan", "Needed", "", "float"),
    "shortfall": _c("Kekurangan", "Shortfall", "", "float"),
    "full_year": _c("Tahun TPA penuh (program)", "TPA full (programme)", "", "year"),
    "full_year_needs_based": _c(
        "Tahun TPA penuh (kebutuhan)", "TPA full (needs-based)", "", "year"
    ),
    "agency": _c("OPD", "Agency", "", "text"),
    "name_id": _c("Nama", "Name (Indonesian)", "", "text"),
    "name_en": _c("Nama (Inggris)", "Name", "", "text"),
    "n_led": _c("Memimpin (R)", "Leads (R)", "", "int"),
    "n_supported": _c("Mendukung (C)", "Supports (C)", "", "int"),
    "n_informed": _c("Diinformasikan (I)", "Informed (I)", "", "int"),
    "led": _c("Kegiatan yang dipimpin", "Activities led", "", "text"),
    "supported": _c("Kegiatan yang didukung", "Activities supported", "", "text"),
    "planned_outputs": _c("Target keluaran", "Planned outputs", "", "text"),
    "planned_cost_led_idr": _c(
        "Anggaran kegiatan dipimpin", "Budget of led activities", "Rp", "idr"
    ),
    "planned_cost_supported_idr": _c(
        "Anggaran kegiatan didukung", "Budget of supported activities", "Rp", "idr"
    ),
    "period_cost_led_idr": _c(
        "Anggaran dipimpin seluruh periode", "Led budget, whole period", "Rp", "idr"
    ),
    "n_open_actions": _c("Tindak lanjut terbuka", "Open action items", "", "int"),
    "landfilled_tpd": _c("Ke TPA", "Landfilled", "ton/hari", "float"),
    "cells_added_m3": _c(
        "Sel TPA ditambah, m³ (kumulatif)", "Cells added, m³ (cumulative)", "", "float"
    ),
    "cells_added_t": _c(
        "Sel TPA ditambah, ton (kumulatif)", "Cells added, t (cumulative)", "", "float"
    ),
    "capacity_t": _c("Kapasitas TPA, ton", "Landfill capacity, t", "", "float"),
    "consumed_t": _c("Terpakai, ton (kumulatif)", "Used, t (cumulative)", "", "float"),
    "full_year_without_cells": _c(
        "Tahun TPA penuh (tanpa sel)", "TPA full (without cells)", "", "year"
    ),
    "id": _c("Kode rapat", "Meeting id", "", "text"),
    "date": _c("Tanggal", "Date", "", "text"),
    "title": _c("Judul", "Title", "", "text"),
    "milestone": _c("Tonggak", "Milestone", "", "text"),
    "participants": _c("Peserta", "Participants", "", "text"),
    "n_participants": _c("Jumlah peserta", "Participants", "", "int"),
    "summary": _c("Ringkasan", "Summary", "", "text"),
    "decisions": _c("Keputusan", "Decisions", "", "text"),
    "held": _c("Sudah berlangsung", "Held", "", "text"),
    "n_actions": _c("Tindak lanjut", "Action items", "", "int"),
    "n_open": _c("Terbuka", "Open", "", "int"),
    "n_overdue": _c("Lewat tenggat", "Overdue", "", "int"),
    "message_id": _c("Pesan", "Message (Indonesian)", "", "text"),
    "message_en": _c("Pesan (Inggris)", "Message", "", "text"),
    "activity_code": _c("Kode kegiatan", "Activity code", "", "text"),
    "quarter": _c("Triwulan", "Quarter", "", "int"),
    "value": _c("Nilai", "Value", "", "float"),
}

#: Per-table labels where one column name means different things in different tables.
TABLE_LABELS: dict[str, dict[str, Column]] = {
    "agencies": {"kind": _c("Jenis lembaga", "Agency kind", "", "text")},
    "warnings": {"code": _c("Kode peringatan", "Warning code", "", "text")},
    "meetings": {"kind": _c("Jenis rapat", "Meeting kind", "", "text")},
}


def _labels(df: pd.DataFrame, extra: Mapping[str, Column] | None = None) -> dict[str, Column]:
    own = dict(extra or {})
    return {
        c: own.get(c) or PROGRAMME_COLUMNS.get(c) or COLUMNS.get(c) or Column(c, c)
        for c in df.columns
    }


def _table(
    name: str,
    tid: str,
    ten: str,
    df: pd.DataFrame,
    prov: Mapping[str, int],
    note_id: str = "",
    note_en: str = "",
) -> Table:
    return Table(
        name, tid, ten, df.reset_index(drop=True), _labels(df), dict(prov), note_id, note_en
    )


def _prov(prog: ProgrammeInputs) -> dict[str, int]:
    return count_status(prog.activities["status"].astype(str))


def kkl_matrix(inputs: PlanInputs, arrays: PlanArrays, prog: ProgrammeInputs) -> pd.DataFrame:
    """The KKL matrix: one row per activity with its sasaran's city baseline (base year, %)
    and the yearly targets of the planning trajectory points (``year: value`` list), and the
    planned outputs and costs per year (wide columns ``output_YYYY``, ``cost_YYYY_idr``)."""
    a = prog.activities
    b = arrays.options.base_year
    city_index = {str(k): i for i, k in enumerate(arrays.city_kode)}
    base_pct: list[float] = []
    targets: list[str] = []
    for city, ind in zip(a["city_kode"].astype(str), a["sasaran"].astype(str), strict=True):
        ci = city_index.get(city)
        if ci is None or ind not in arrays.city_paths:
            base_pct.append(np.nan)
            targets.append("")
            continue
        base_pct.append(float(arrays.city_paths[ind][ci, 0]) * 100.0)
        pts = arrays.traj_points[ind][ci]
        targets.append(
            "; ".join(
                f"{int(y)}: {v:g}" for y, v in zip(pts.years, pts.values, strict=True) if y > b
            )
        )
    out = pd.DataFrame(
        {
            "city_kode": a["city_kode"].astype(str),
            "code": a["code"].astype(str),
            "urgent_problem": a["urgent_problem"],
            "strategic_issue": a["strategic_issue"],
            "objective": a["objective"],
            "sasaran": a["sasaran"],
            "sasaran_baseline_pct": base_pct,
            "sasaran_targets": targets,
            "strategy": a["strategy"],
            "programme": a["programme"],
            "activity": a["activity"],
            "output_unit": a["output_unit"],
            "lead_agency": a["lead_agency"],
            "support_agencies": [
                ";".join(s) if not isinstance(s, str) else s for s in a["support_agencies"]
            ],
            "location_kode": a["location_kode"].astype(str),
            "funding_source": a["funding_source"],
            "effect": a["effect"],
        }
    )
    p = prog.planned
    wide_o = p.pivot_table(
        index=["city_kode", "code"], columns="year", values="planned_output", aggfunc="sum"
    )
    wide_c = p.pivot_table(
        index=["city_kode", "code"], columns="year", values="planned_cost_idr", aggfunc="sum"
    )
    wide_o.columns = [f"output_{int(y)}" for y in wide_o.columns]
    wide_c.columns = [f"cost_{int(y)}_idr" for y in wide_c.columns]
    wide = wide_o.join(wide_c).reset_index()
    wide["city_kode"] = wide["city_kode"].astype(str)
    wide["code"] = wide["code"].astype(str)
    return out.merge(wide, on=["city_kode", "code"], how="left")


def funding_by_agency(prog: ProgrammeInputs) -> pd.DataFrame:
    """Programme planned cost by city x year x funding source x lead agency (rupiah)."""
    a = prog.activities[["city_kode", "code", "sector", "lead_agency", "funding_source"]].astype(
        str
    )
    p = prog.planned.assign(
        city_kode=prog.planned["city_kode"].astype(str), code=prog.planned["code"].astype(str)
    )
    m = p.merge(a, on=["city_kode", "code"], how="left")
    g = pd.DataFrame(
        m.groupby(["city_kode", "year", "funding_source", "lead_agency", "sector"], as_index=False)[
            "planned_cost_idr"
        ].sum()
    )
    return g.rename(
        columns={
            "funding_source": "source",
            "lead_agency": "agency",
            "planned_cost_idr": "programme_cost_idr",
        }
    )


def _kkl_columns(df: pd.DataFrame) -> dict[str, Column]:
    extra: dict[str, Column] = {}
    for c in df.columns:
        if c.startswith("output_") and c[7:].isdigit():
            extra[c] = _c(f"Keluaran {c[7:]}", f"Output {c[7:]}", "", "float")
        elif c.startswith("cost_") and c.endswith("_idr"):
            y = c[5:-4]
            extra[c] = _c(f"Biaya {y}", f"Cost {y}", "Rp", "idr")
    return extra


def programme_chapters(
    inputs: PlanInputs, arrays: PlanArrays, prog: ProgrammeInputs
) -> tuple[dict[str, Table], tuple[Warning_, ...], cov.Coverage]:
    """The programme chapters of the plan report (Bab III sasaran, Bab V programme)."""
    prov = _prov(prog)
    cover = cov.apply_outputs(inputs, arrays, prog, cov.planned_outputs(prog))
    kkl = kkl_matrix(inputs, arrays, prog)
    first_year = int(arrays.options.period[0])
    tables: dict[str, Table] = {}
    tables["kkl"] = Table(
        "kkl",
        "Matriks kerangka kerja logis (KKL)",
        "Logical framework matrix (KKL)",
        kkl,
        {**_labels(kkl), **_kkl_columns(kkl)},
        prov,
    )
    long = roles.raci_long(prog)  # shared by the roles and agencies tables
    raci = roles.raci(prog, long)
    tables["roles"] = _table(
        "roles",
        "Pembagian peran (R pelaksana, A penanggung jawab, C pendukung, I diinformasikan)",
        "Roles (R lead, A accountable, C supporting, I informed)",
        raci,
        prov,
    )
    summ = roles.agency_summary(prog, first_year, long=long)
    tables["agencies"] = _table(
        "agencies", f"Ringkasan per OPD {first_year}", f"Summary by agency {first_year}", summ, prov
    )
    ind = cover.indicators
    city_ind = ind[ind["tingkat"].astype(str) == "kabkota"]
    tables["coverage"] = _table(
        "coverage",
        "Cakupan program terhadap lintasan target",
        "Programme coverage against the trajectory",
        city_ind,
        prov,
        "Bagian kesenjangan yang ditutup program = (dengan program - BAU) / (lintasan - BAU).",
        "Share of the gap the programme closes = (with programme - BAU) / (trajectory - BAU).",
    )
    tables["coverage_areas"] = _table(
        "coverage_areas", "Cakupan program per wilayah", "Programme coverage by area", ind, prov
    )
    tables["capacity"] = _table(
        "capacity",
        "Kapasitas: ditambah program vs dibutuhkan",
        "Capacity: added by the programme vs needed",
        cover.capacity,
        prov,
    )
    tables["tpa_programme"] = _table(
        "tpa_programme", "TPA dengan program", "TPA with the programme", cover.tpa, prov
    )
    tables["programme_funding"] = _table(
        "programme_funding",
        "Biaya program vs indikasi pendanaan kebutuhan",
        "Programme cost vs needs-based funding",
        cover.funding,
        prov,
    )
    tables["funding_short"] = _table(
        "funding_short",
        "Kekurangan dana per sektor",
        "Funding short by sector",
        cover.funding_short,
        prov,
    )
    fba = funding_by_agency(prog)
    tables["funding_by_agency"] = _table(
        "funding_by_agency",
        "Pendanaan program: sumber x tahun x OPD",
        "Programme funding: source x year x agency",
        fba,
        prov,
    )
    return tables, cover.warnings, cover


@dataclass(frozen=True)
class MonitoringReport:
    """Everything ``sanitasi monitor`` shows: labelled tables and warnings."""

    year: int
    quarter: int
    as_of: dt.date
    include_submitted: bool
    tables: Mapping[str, Table]
    warnings: tuple[Warning_, ...]
    monitoring: mon.Monitoring
    city_kodes: tuple[str, ...]
    region_names: Mapping[str, str] = field(default_factory=dict)


def realised_outputs(
    prog: ProgrammeInputs, year: int, quarter: int, include_submitted: bool
) -> pd.DataFrame:
    """Counted realised output per activity and year up to (year, quarter): ``city_kode,
    code, year, output``."""
    r = mon.counted_realisation(prog, include_submitted)
    r = r[(r["year"] < year) | ((r["year"] == year) & (r["quarter"] <= quarter))]
    g = pd.DataFrame(
        r.groupby(["city_kode", "code", "year"], as_index=False)["output_achieved"].sum()
    )
    return g.rename(columns={"output_achieved": "output"})


def monitoring_run(
    inputs: PlanInputs,
    arrays: PlanArrays,
    prog: ProgrammeInputs,
    year: int,
    quarter: int,
    as_of: dt.date | None = None,
    include_submitted: bool = False,
) -> MonitoringReport:
    """Monitor ``year`` Q``quarter``: performance tables, indicators from realised outputs
    and forecast at the current pace vs plan and trajectory, meetings and action items."""
    names = inputs.regions.drop_duplicates("kode").set_index("kode")["nama"].astype(str)
    region_names = {str(k): str(v) for k, v in names.items()}
    m = mon.monitor(
        prog, inputs.parameters, year, quarter, as_of, include_submitted, names=region_names
    )
    period_end = int(arrays.options.period[1])
    planned = cov.apply_outputs(inputs, arrays, prog, cov.planned_outputs(prog))
    realised = cov.apply_outputs(
        inputs, arrays, prog, realised_outputs(prog, year, quarter, include_submitted)
    )
    P = inputs.parameters.reader("monitoring.forecast")
    pace_cap = P.opt("monitoring_forecast_pace_cap") or mon.PACE_CAP
    tol = P.opt("monitoring_off_trajectory_tolerance_pts")
    tol = OFF_TRAJECTORY_TOLERANCE_PTS if tol is None else tol
    fc_out = mon.forecast_outputs(prog, m, period_end, pace_cap)[
        ["city_kode", "code", "year", "output"]
    ]
    forecast = cov.apply_outputs(inputs, arrays, prog, fc_out)
    keys = ["kode", "indicator", "year"]

    def city(c: cov.Coverage, col: str, name: str) -> pd.DataFrame:
        i = c.indicators
        i = i[i["tingkat"].astype(str) == "kabkota"]
        return (
            i[[*keys, col]].rename(columns={col: name}).assign(kode=lambda d: d["kode"].astype(str))
        )

    base = city(planned, "bau_pct", "bau_pct")
    ind = (
        base.merge(city(planned, "trajectory_pct", "trajectory_pct"), on=keys)
        .merge(city(planned, "plan_pct", "plan_pct"), on=keys)
        .merge(city(realised, "plan_pct", "realised_pct"), on=keys)
        .merge(city(forecast, "plan_pct", "forecast_pct"), on=keys)
    )
    ind = ind[(ind["year"] >= arrays.options.base_year) & (ind["year"] <= period_end)].reset_index(
        drop=True
    )
    warns = list(m.warnings)
    sign = np.where([INDICATORS[i]["lower_is_better"] for i in ind["indicator"]], -1.0, 1.0)
    off_now = (ind["year"] == year) & (sign * (ind["trajectory_pct"] - ind["realised_pct"]) > tol)
    off_end = (ind["year"] == period_end) & (
        sign * (ind["trajectory_pct"] - ind["forecast_pct"]) > tol
    )
    new_rows: list[dict[str, object]] = []

    def off(code: str, r: Mapping[Any, Any], value: float) -> None:
        y = int(r["year"])
        values = dict(
            indicator=str(r["indicator"]),
            year=y,
            pct=float(value),
            trajectory_pct=float(r["trajectory_pct"]),
        )
        w = Warning_(code, values, str(r["kode"]), y)
        warns.append(w)
        new_rows.append(
            {
                "code": code,
                "city_kode": w.kode,
                "kode": w.kode,
                "year": y,
                "quarter": quarter,
                "value": value,
            }
        )

    for r in ind[off_now].to_dict("records"):
        off("SAN-W310", r, float(r["realised_pct"]))
    for r in ind[off_end].to_dict("records"):
        off("SAN-W311", r, float(r["forecast_pct"]))
    prov = _prov(prog)
    tables: dict[str, Table] = dict(m.tables())
    tables["indicators"] = _table(
        "indicators",
        "Indikator: rencana vs realisasi vs lintasan",
        "Indicators: plan vs realised vs trajectory",
        ind,
        prov,
        "Realisasi = keluaran terverifikasi diterapkan pada BAU; prakiraan = laju fisik saat ini berlanjut sampai akhir periode.",
        "Realised = verified outputs applied to BAU; forecast = the current physical pace continues to the end of the period.",
    )
    tables["agencies"] = _table(
        "agencies",
        f"Ringkasan per OPD {year}",
        f"Summary by agency {year}",
        roles.agency_summary(prog, year, m),
        prov,
    )
    tables["meetings"] = _table(
        "meetings",
        "Rapat, Coaching Clinic dan tonggak",
        "Meetings, Coaching Clinics and milestones",
        mon.meeting_table(prog, m.as_of),
        prov,
    )
    wt = (
        pd.concat([m.warnings_table, pd.DataFrame(new_rows)], ignore_index=True)
        if new_rows
        else m.warnings_table
    )
    tables["warnings"] = _table("warnings", "Peringatan", "Warnings", wt, prov)
    return MonitoringReport(
        year,
        quarter,
        m.as_of,
        include_submitted,
        tables,
        tuple(warns),
        m,
        tuple(sorted(set(prog.activities["city_kode"].astype(str)))),
        region_names,
    )
