"""Programme charts of a :class:`PlanResult`: (e) programme coverage per headline indicator
and (f) programme cost vs needs-based cost by year and funding source."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sanitasi.core.model import PlanResult
from sanitasi.reports.charts.base import (
    HEIGHT,
    SERIES_COLORS,
    WIDTH,
    _base,
    _indicator_lines,
    _money_by_source,
    _money_tooltip,
    _money_unit,
    _money_y,
    _records,
    _series_for,
    _source_scale,
)
from sanitasi.reports.common import (
    HEADLINE_INDICATORS,
    city_kode,
    city_rows,
    frame,
    has_cols,
    years,
)
from sanitasi.reports.fmt import as_float, fmt_pct, is_missing, norm_lang
from sanitasi.reports.i18n import (
    indicator_label,
    sector_label,
    source_label,
    t,
)


def coverage_chart(
    result: PlanResult, indicator: str, lang: str = "id", *, kode: str | None = None
) -> dict[str, Any] | None:
    """(e) Programme coverage of one headline indicator of the city, base year to the end
    of the plan period: BAU (grey, dashed), the planning trajectory (blue) and the indicator
    with the programme's planned outputs applied (green). The subtitle gives the share of
    the end-of-period gap the programme closes (``gap_closed_share``), as the table has it.

    Source: ``coverage`` city rows (``bau_pct``, ``trajectory_pct``, ``plan_pct``,
    ``gap_closed_share``). ``None`` without the table or the indicator."""
    lang = norm_lang(lang)
    df = frame(result, "coverage")
    if df is None or not has_cols(df, "indicator", "year"):
        return None
    kode = kode or city_kode(result)
    sub = _series_for(df, kode, indicator)
    if sub is None:
        return None
    y = years(result)
    sub = sub[(sub["year"] >= y.base) & (sub["year"] <= y.end)]
    names = [
        ("bau_pct", t("series_bau", lang), SERIES_COLORS["bau"], [6, 4]),
        ("trajectory_pct", t("series_traj", lang), SERIES_COLORS["trajectory"], [1, 0]),
        ("plan_pct", t("series_programme", lang), SERIES_COLORS["programme"], [1, 0]),
    ]
    rows = [
        dict(series=label, year=yr, value=v)
        for col, label, _, _ in names
        if col in sub
        for yr, v in zip(sub["year"], sub[col], strict=True)
        if as_float(v) is not None
    ]
    if not rows:
        return None
    subtitle = t("chart_coverage", lang)
    end = sub[sub["year"] == y.end]
    if "gap_closed_share" in end and len(end):
        share = as_float(end["gap_closed_share"].iloc[0])
        if share is not None:
            subtitle += " \u2014 " + t(
                "chart_coverage_closed", lang, share=fmt_pct(share, 0, lang), year=y.end
            )
    present = {r["series"] for r in rows}
    series = [(label, c, d) for _, label, c, d in names if label in present]
    return _indicator_lines(rows, series, indicator_label(indicator, lang), subtitle, lang)


def coverage_charts(
    result: PlanResult, lang: str = "id", *, kode: str | None = None
) -> dict[str, dict[str, Any]]:
    """:func:`coverage_chart` for every headline indicator that has data, in report order."""
    df = frame(result, "coverage")
    found: list[str] = list(HEADLINE_INDICATORS)
    if df is not None and "indicator" in df:
        found += [str(i) for i in df["indicator"].drop_duplicates() if i not in found]
    out: dict[str, dict[str, Any]] = {}
    for ind in found:
        spec = coverage_chart(result, ind, lang, kode=kode)
        if spec is not None:
            out[ind] = spec
    return out


def programme_funding_chart(
    result: PlanResult, lang: str = "id", *, kode: str | None = None
) -> dict[str, Any] | None:
    """(f) Programme cost vs needs-based cost (*indikasi pendanaan*) by year and funding
    source: for each year two stacked bars side by side, the programme's planned cost and
    the needs-based cost, each split by source, in *miliar* or *juta* rupiah.

    Source: ``programme_funding`` (kode, year, sector, source, programme_cost_idr,
    needs_cost_idr); sectors are summed in the bars and named in the tooltip."""
    lang = norm_lang(lang)
    df = frame(result, "programme_funding")
    if df is None or not has_cols(df, "year", "source"):
        return None
    kode = kode or city_kode(result)
    if "kode" in df.columns:
        df = city_rows(df, kode)
    kinds = [
        (c, t(key, lang))
        for c, key in (
            ("programme_cost_idr", "series_programme_cost"),
            ("needs_cost_idr", "series_needs_cost"),
        )
        if c in df.columns
    ]
    if not kinds or not len(df):
        return None
    sec_col = df["sector"] if "sector" in df else pd.Series([""] * len(df), index=df.index)
    rows: list[dict[str, Any]] = []
    totals: dict[tuple[Any, str], float] = {}
    for col, label in kinds:
        for yr, src, sec, v in zip(df["year"], df["source"], sec_col, df[col], strict=True):
            f = as_float(v)
            if f is None or f == 0:
                continue
            rows.append(
                dict(
                    year=yr,
                    kind=label,
                    source=source_label(str(src), lang),
                    sector=sector_label(str(sec), lang) if not is_missing(sec) else "",
                    cost_idr=v,
                )
            )
            totals[(yr, label)] = totals.get((yr, label), 0.0) + max(f, 0.0)
    if not rows:
        return None
    scale, unit = _money_unit(max(totals.values(), default=0.0), lang)
    domain, colors = _source_scale(df["source"], lang)
    title = t("axis_money", lang, unit=unit)
    kind_domain = [label for _, label in kinds]
    spec = _base(t("chart_programme_funding", lang), lang, title)
    spec.update(
        {
            "width": WIDTH,
            "height": HEIGHT,
            "data": {"values": _records(rows)},
            "transform": _money_by_source(scale, domain),
            "mark": {"type": "bar"},
            "encoding": {
                "x": {
                    "field": "year",
                    "type": "ordinal",
                    "title": t("axis_year", lang),
                    "axis": {"labelAngle": 0},
                },
                "xOffset": {"field": "kind", "type": "nominal", "sort": kind_domain},
                "y": _money_y(title),
                "color": {
                    "field": "source",
                    "type": "nominal",
                    "title": t("col_source", lang),
                    "scale": {"domain": domain, "range": colors},
                },
                "opacity": {
                    "field": "kind",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": kind_domain, "range": [1.0, 0.45][: len(kind_domain)]},
                    "legend": {"orient": "bottom"},
                },
                "order": {"field": "source_order", "type": "quantitative", "aggregate": "min"},
                "tooltip": [
                    {"field": "year", "type": "ordinal", "title": t("axis_year", lang)},
                    {"field": "kind", "type": "nominal", "title": t("axis_series", lang)},
                    {"field": "source", "type": "nominal", "title": t("col_source", lang)},
                    _money_tooltip(title),
                ],
            },
        }
    )
    return spec
