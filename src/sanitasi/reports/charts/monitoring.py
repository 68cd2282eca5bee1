"""Monitoring charts of a :class:`~sanitasi.core.programme_run.MonitoringReport`: (g) money
and (h) output, plan vs realisation per quarter, (i) indicators plan vs realised vs
forecast, and :func:`monitoring_charts` (every one of them)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from sanitasi.reports.charts.base import (
    HEIGHT,
    SERIES_COLORS,
    _base,
    _indicator_lines,
    _money_tooltip,
    _money_unit,
    _money_y,
    _records,
)
from sanitasi.reports.common import (
    HEADLINE_INDICATORS,
    has_cols,
)
from sanitasi.reports.fmt import as_float, is_missing, norm_lang
from sanitasi.reports.i18n import (
    indicator_label,
    t,
)

if TYPE_CHECKING:
    from sanitasi.core.programme_run import MonitoringReport


def _mon_frame(report: MonitoringReport, name: str) -> pd.DataFrame | None:
    table = report.tables.get(name) if isinstance(report.tables, Mapping) else None
    df = getattr(table, "df", None)
    return df if isinstance(df, pd.DataFrame) else None


def _one_city(df: pd.DataFrame, col: str, city: str | None) -> pd.DataFrame:
    if col not in df.columns:
        return df
    if city is None:
        first = df[col].dropna()
        if not len(first):
            return df
        city = str(first.iloc[0])
    return df[df[col].astype(str) == city]


def _quarter_label(q: Any, lang: str) -> str:
    return t("quarter_short", lang, quarter=int(q))


def monitoring_money_chart(
    report: MonitoringReport, lang: str = "id", *, city_kode: str | None = None
) -> dict[str, Any] | None:
    """(g) Money, plan vs realisation per quarter of the monitored year, cumulative: for
    each quarter T1-T4 the planned cost to date (annual plan x plan profile) beside the
    counted spending to date (none after the reported quarter), summed over the city's
    activities, in *miliar* or *juta* rupiah.

    Source: ``series`` (``quarter``, ``planned_cost_cum_idr``, ``spent_cum_idr``)."""
    lang = norm_lang(lang)
    df = _mon_frame(report, "series")
    if df is None or "quarter" not in df.columns:
        return None
    df = _one_city(df, "city_kode", city_kode)
    kinds = [
        (c, t(key, lang))
        for c, key in (
            ("planned_cost_cum_idr", "series_plan_cum"),
            ("spent_cum_idr", "series_realised_cum"),
        )
        if c in df.columns
    ]
    if not kinds or not len(df):
        return None
    rows: list[dict[str, Any]] = []
    totals: dict[tuple[str, str], float] = {}
    code = df["code"] if "code" in df else pd.Series([""] * len(df), index=df.index)
    for col, label in kinds:
        for q, c, v in zip(df["quarter"], code, df[col], strict=True):
            f = as_float(v)
            if f is None:
                continue
            ql = _quarter_label(q, lang)
            rows.append(dict(quarter=ql, kind=label, code=str(c), cost_idr=v))
            totals[(ql, label)] = totals.get((ql, label), 0.0) + max(f, 0.0)
    if not rows:
        return None
    scale, unit = _money_unit(max(totals.values(), default=0.0), lang)
    title = t("axis_money", lang, unit=unit)
    kind_domain = [label for _, label in kinds]
    quarters = [_quarter_label(q, lang) for q in (1, 2, 3, 4)]
    spec = _base(t("chart_mon_money", lang), lang, title)
    spec.update(
        {
            "width": 360,
            "height": HEIGHT,
            "data": {"values": _records(rows)},
            "transform": [{"calculate": f"datum.cost_idr / {scale:.0f}", "as": "cost"}],
            "mark": {"type": "bar"},
            "encoding": {
                "x": {
                    "field": "quarter",
                    "type": "ordinal",
                    "title": t("axis_quarter", lang),
                    "sort": quarters,
                    "axis": {"labelAngle": 0},
                },
                "xOffset": {"field": "kind", "type": "nominal", "sort": kind_domain},
                "y": _money_y(title),
                "color": {
                    "field": "kind",
                    "type": "nominal",
                    "title": None,
                    "scale": {
                        "domain": kind_domain,
                        "range": [SERIES_COLORS["trajectory"], SERIES_COLORS["realised"]][
                            : len(kind_domain)
                        ],
                    },
                    "legend": {"orient": "bottom"},
                },
                "tooltip": [
                    {"field": "quarter", "type": "ordinal", "title": t("axis_quarter", lang)},
                    {"field": "kind", "type": "nominal", "title": t("axis_series", lang)},
                    _money_tooltip(title),
                ],
            },
        }
    )
    return spec


def monitoring_output_chart(
    report: MonitoringReport, lang: str = "id", *, city_kode: str | None = None
) -> dict[str, Any] | None:
    """(h) Output, plan vs realisation per quarter, one small panel per activity (outputs
    have different units, so they are never summed): the planned output to date (annual
    plan x plan profile) and the counted realised output to date, cumulative, T1-T4. Each
    panel has its own scale; the unit is in the tooltip.

    Source: ``series`` (``code``, ``quarter``, ``output_unit``, ``planned_output_cum``,
    ``realised_output_cum``)."""
    lang = norm_lang(lang)
    df = _mon_frame(report, "series")
    if df is None or not has_cols(df, "code", "quarter"):
        return None
    df = _one_city(df, "city_kode", city_kode)
    kinds = [
        (c, t(key, lang), color, dash)
        for c, key, color, dash in (
            ("planned_output_cum", "series_plan_cum", SERIES_COLORS["trajectory"], [1, 0]),
            ("realised_output_cum", "series_realised_cum", SERIES_COLORS["realised"], [1, 0]),
        )
        if c in df.columns
    ]
    if not kinds or not len(df):
        return None
    unit = df["output_unit"] if "output_unit" in df else pd.Series([""] * len(df), index=df.index)
    rows = [
        dict(
            code=str(c),
            unit="" if is_missing(u) else str(u),
            quarter=int(q),
            quarter_label=_quarter_label(q, lang),
            kind=label,
            output=v,
        )
        for col, label, _, _ in kinds
        for c, u, q, v in zip(df["code"], unit, df["quarter"], df[col], strict=True)
        if as_float(v) is not None
    ]
    if not rows:
        return None
    codes = sorted({r["code"] for r in rows})
    kind_domain = [label for _, label, _, _ in kinds]
    spec = _base(t("chart_mon_output", lang), lang)
    spec.update(
        {
            "data": {"values": _records(rows)},
            "facet": {
                "field": "code",
                "type": "nominal",
                "title": None,
                "sort": codes,
                "header": {"labelFontWeight": "bold"},
            },
            "columns": 5,
            "spec": {
                "width": 130,
                "height": 80,
                "mark": {"type": "line", "point": True},
                "encoding": {
                    "x": {
                        "field": "quarter",
                        "type": "quantitative",
                        "title": None,
                        "scale": {"domain": [1, 4], "nice": False},
                        "axis": {
                            "values": [1, 2, 3, 4],
                            "labelExpr": f"{json.dumps(t('quarter_short', lang, quarter=''))}"
                            " + datum.value",
                        },
                    },
                    "y": {
                        "field": "output",
                        "type": "quantitative",
                        "title": None,
                        "axis": {"format": ",.3~f", "tickCount": 3},
                    },
                    "color": {
                        "field": "kind",
                        "type": "nominal",
                        "title": None,
                        "scale": {"domain": kind_domain, "range": [k[2] for k in kinds]},
                        "legend": {"orient": "top"},
                    },
                    "tooltip": [
                        {"field": "code", "type": "nominal", "title": t("axis_activity", lang)},
                        {
                            "field": "quarter_label",
                            "type": "nominal",
                            "title": t("axis_quarter", lang),
                        },
                        {"field": "kind", "type": "nominal", "title": t("axis_series", lang)},
                        {
                            "field": "output",
                            "type": "quantitative",
                            "format": ",.2~f",
                            "title": t("axis_output", lang),
                        },
                        {"field": "unit", "type": "nominal", "title": t("unit", lang)},
                    ],
                },
            },
            "resolve": {"scale": {"y": "independent"}},
        }
    )
    return spec


def monitoring_indicator_chart(
    report: MonitoringReport, indicator: str, lang: str = "id", *, kode: str | None = None
) -> dict[str, Any] | None:
    """(i) One headline indicator of the city, base year to the end of the plan period:
    BAU (grey, dashed), trajectory (blue), the plan's planned outputs applied (green), the
    counted realised outputs applied (orange, up to the monitored year) and the forecast at
    the current physical pace (orange, dashed, from the monitored year on); a dotted rule
    marks the monitored year.

    Source: ``indicators`` (``bau_pct, trajectory_pct, plan_pct, realised_pct,
    forecast_pct``)."""
    lang = norm_lang(lang)
    df = _mon_frame(report, "indicators")
    if df is None or not has_cols(df, "indicator", "year"):
        return None
    df = _one_city(df, "kode", kode)
    sub = df[df["indicator"] == indicator].sort_values("year")
    if not len(sub):
        return None
    year = int(report.year)
    names = [
        ("bau_pct", "series_bau", SERIES_COLORS["bau"], [6, 4], None),
        ("trajectory_pct", "series_traj", SERIES_COLORS["trajectory"], [1, 0], None),
        ("plan_pct", "series_programme", SERIES_COLORS["programme"], [1, 0], None),
        ("realised_pct", "series_realised", SERIES_COLORS["realised"], [1, 0], "upto"),
        ("forecast_pct", "series_forecast", SERIES_COLORS["forecast"], [4, 3], "from"),
    ]
    rows: list[dict[str, Any]] = []
    series: list[tuple[str, str, list[int]]] = []
    for col, key, color, dash, window in names:
        if col not in sub:
            continue
        label = t(key, lang)
        n = len(rows)
        for yr, v in zip(sub["year"], sub[col], strict=True):
            if as_float(v) is None:
                continue
            if (window == "upto" and yr > year) or (window == "from" and yr < year):
                continue
            rows.append(dict(series=label, year=yr, value=v))
        if len(rows) > n:
            series.append((label, color, dash))
    if not rows:
        return None
    title = indicator_label(indicator, lang)
    subtitle = t("chart_mon_indicator", lang)
    return _indicator_lines(rows, series, title, subtitle, lang, rule_year=year)


def monitoring_indicator_charts(
    report: MonitoringReport, lang: str = "id", *, kode: str | None = None
) -> dict[str, dict[str, Any]]:
    """:func:`monitoring_indicator_chart` for every indicator that has data, headline
    indicators first."""
    df = _mon_frame(report, "indicators")
    found: list[str] = list(HEADLINE_INDICATORS)
    if df is not None and "indicator" in df:
        found += [str(i) for i in df["indicator"].drop_duplicates() if i not in found]
    out: dict[str, dict[str, Any]] = {}
    for ind in found:
        spec = monitoring_indicator_chart(report, ind, lang, kode=kode)
        if spec is not None:
            out[ind] = spec
    return out


def monitoring_charts(
    report: MonitoringReport, lang: str = "id", *, city_kode: str | None = None
) -> dict[str, dict[str, Any]]:
    """Every monitoring chart that has data, keyed ``money``, ``output`` and
    ``indicator:<indicator>``."""
    out: dict[str, dict[str, Any]] = {}
    money = monitoring_money_chart(report, lang, city_kode=city_kode)
    if money is not None:
        out["money"] = money
    output = monitoring_output_chart(report, lang, city_kode=city_kode)
    if output is not None:
        out["output"] = output
    for k, v in monitoring_indicator_charts(report, lang, kode=city_kode).items():
        out[f"indicator:{k}"] = v
    return out
