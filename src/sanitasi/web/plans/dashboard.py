"""Figures of the city dashboard, from the plan report the CLI writes
(:func:`sanitasi.web.plans.results.plan_result`: :func:`sanitasi.app.plan_report` on the
database)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sanitasi.core.model import PlanResult
from sanitasi.reports.common import HEADLINE_INDICATORS, city_rows, frame, years
from sanitasi.reports.fmt import fmt_gap
from sanitasi.reports.i18n import indicator_label


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
