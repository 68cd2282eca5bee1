"""Figures of the city dashboard, from the plan report the CLI writes
(:func:`sanitasi.web.plans.results.plan_result`: :func:`sanitasi.app.plan_report` on the
database)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sanitasi.core.model import PlanResult
from sanitasi.reports.common import HEADLINE_INDICATORS, city_rows, frame, has_cols, years
from sanitasi.reports.fmt import as_float, fmt_gap, fmt_number
from sanitasi.reports.i18n import code_label, indicator_label, t


@dataclass(frozen=True)
class HeadlineRow:
    indicator: str
    label: str
    baseline_pct: float | None
    trajectory_pct: float | None
    bau_pct: float | None
    gap_pts: float | None
    achieved_pts: float | None = None
    gap_text: str = ""


def _get(rows: Any, year: int, col: str) -> float | None:
    r = rows[rows["year"] == year]
    if col not in r or not len(r):
        return None
    v = r[col].iloc[0]
    return None if v != v else float(v)


def headline_rows(result: PlanResult, city_kode: str, lang: str = "id") -> list[HeadlineRow]:
    """Headline indicators of the city: baseline (base year) and, at the end of the SSK
    period, the target trajectory, business as usual and the gap (points)."""
    df = frame(result, "headline")
    if df is None:
        return []
    df = city_rows(df, city_kode)
    y = years(result)
    present = set(df["indicator"])
    order = [i for i in HEADLINE_INDICATORS if i in present]
    order += [str(i) for i in df["indicator"].drop_duplicates() if i not in order]
    out = []
    for ind in order:
        rows = df[df["indicator"] == ind]
        gap, achieved = _get(rows, y.end, "gap_pts"), _get(rows, y.end, "achieved_pts")
        out.append(
            HeadlineRow(
                ind,
                indicator_label(ind, lang),
                _get(rows, y.base, "baseline_pct"),
                _get(rows, y.end, "trajectory_pct"),
                _get(rows, y.end, "bau_pct"),
                gap,
                achieved,
                fmt_gap(gap, achieved, 1, lang, unit=False),
            )
        )
    return out


@dataclass(frozen=True)
class GhgRow:
    source: str
    label: str
    bau: str
    plan: str
    avoided: str
    added: bool  # the plan emits more than BAU (avoided < 0)


@dataclass(frozen=True)
class GhgPanel:
    """The dashboard's GHG panel: t CO2e by source at the end of the SSK period."""

    heading: str
    note: str
    col_bau: str
    col_plan: str
    col_avoided: str
    rows: tuple[GhgRow, ...]


def ghg_panel(result: PlanResult, city_kode: str, lang: str = "id") -> GhgPanel | None:
    """t CO2e by source (landfill, septic, discharge, treatment, total) at the end of the SSK
    period, BAU vs plan and avoided, from the plan's ``ghg_summary``; ``None`` without it."""
    df = frame(result, "ghg_summary")
    if df is None or not has_cols(df, "year", "ghg_source", "bau_co2e_t", "plan_co2e_t"):
        return None
    y = years(result)
    df = city_rows(df, city_kode)
    df = df[df["year"] == y.end]
    if not len(df):
        return None
    gwp = str(df["gwp"].iloc[0]) if "gwp" in df.columns else ""
    rows = []
    for r in df.to_dict("records"):
        avoided = as_float(r.get("avoided_co2e_t"))
        rows.append(
            GhgRow(
                str(r["ghg_source"]),
                code_label("ghg_source", r["ghg_source"], lang),
                fmt_number(r.get("bau_co2e_t"), 0, lang),
                fmt_number(r.get("plan_co2e_t"), 0, lang),
                fmt_number(avoided, 0, lang),
                avoided is not None and avoided < -0.5,
            )
        )
    return GhgPanel(
        heading=t("ghg_panel", lang, year=y.end, gwp=gwp),
        note=t("ghg_avoided_note", lang),
        col_bau=t("col_bau", lang, year=y.end),
        col_plan=t("col_plan_year", lang, year=y.end),
        col_avoided=t("col_avoided", lang),
        rows=tuple(rows),
    )
