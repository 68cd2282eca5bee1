"""Shared pieces of every chart spec: the schema, colours and sizes, the year axis, JSON-safe
rows, the title block (:func:`_base`), series and scenario picking, the money unit and the
0-100 % indicator line chart of the programme and monitoring charts."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from sanitasi.core.model import FUNDING_SOURCES, UNASSIGNED
from sanitasi.reports.common import (
    city_rows,
    has_cols,
)
from sanitasi.reports.fmt import as_float, is_missing, norm_lang
from sanitasi.reports.i18n import (
    source_label,
    t,
)

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

#: Ladder colours, best rung first (green to red).
RUNG_COLORS: tuple[str, ...] = ("#1a9850", "#66bd63", "#a6d96a", "#fee08b", "#fdae61", "#d73027")
SOURCE_COLORS: dict[str, str] = {
    "APBN": "#1f4e79",
    "DAK": "#2e75b6",
    "APBD_PROV": "#9dc3e6",
    "APBD_KOTA": "#f4b183",
    "SWASTA": "#a9d18e",
    "MASYARAKAT": "#ffd966",
    UNASSIGNED: "#bfbfbf",
}
TARGET_COLORS: tuple[str, ...] = ("#c00000", "#7030a0", "#ed7d31", "#375623", "#806000")
WIDTH = 460
HEIGHT = 240

SERIES_COLORS: dict[str, str] = {
    "bau": "#7f7f7f",
    "trajectory": "#2e75b6",
    "programme": "#1a7f37",
    "realised": "#ed7d31",
    "forecast": "#f4a05a",
}


def _year_x(lang: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A quantitative year axis with a tick on whole years only (every year up to 12 years,
    then every 2nd or 5th) and no thousands separator.

    The format is ``.0f``, not ``d``: Vega-Lite turns ``d`` into ``tickMinStep: 1``, with
    which Vega drops every other explicit tick value (2024, 2026 without 2025)."""
    yrs = sorted({int(y) for r in rows if (y := as_float(r.get("year"))) is not None})
    step = 1 if len(yrs) <= 12 else (2 if len(yrs) <= 24 else 5)
    ticks = list(range(yrs[0], yrs[-1] + 1, step)) if yrs else []
    return {
        "field": "year",
        "type": "quantitative",
        "title": t("axis_year", lang),
        "axis": {"format": ".0f", "values": ticks},
        "scale": {"zero": False, "nice": False},
    }


def _records(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """JSON-safe rows: numpy scalars to Python, NaN to None."""
    out = []
    for row in rows:
        clean: dict[str, Any] = {}
        for k, v in row.items():
            if isinstance(v, str | bool):
                clean[k] = v
            elif is_missing(v):
                clean[k] = None
            elif (f := as_float(v)) is not None:
                # Display rounding only: drops float noise such as -3.5e-15 t/day, which a
                # stacked chart would otherwise draw below zero.
                clean[k] = int(f) if k == "year" else (round(f, 6) + 0.0)
            else:
                clean[k] = str(v)
        out.append(clean)
    return out


def _base(title: str, lang: str, subtitle: str = "") -> dict[str, Any]:
    spec: dict[str, Any] = {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "usermeta": {"lang": norm_lang(lang), "generator": "sanitasi.reports.charts"},
    }
    if subtitle:
        spec["title"]["subtitle"] = subtitle
    return spec


def _series_for(df: pd.DataFrame | None, kode: str, indicator: str) -> pd.DataFrame | None:
    if df is None or not has_cols(df, "indicator", "year"):
        return None
    sub = city_rows(df, kode)
    sub = sub[sub["indicator"] == indicator]
    return sub.sort_values("year") if len(sub) else None


def _pick_scenario(df: pd.DataFrame, scenario: str) -> pd.DataFrame:
    if "scenario" not in df.columns:
        return df
    sub = df[df["scenario"] == scenario]
    if len(sub):
        return sub
    first = df["scenario"].dropna()
    return df[df["scenario"] == first.iloc[0]] if len(first) else df


def _money_unit(total_max: float, lang: str) -> tuple[float, str]:
    if total_max >= 1e9:
        return 1e9, t("money_miliar", lang)
    return 1e6, t("money_juta", lang)


def _source_scale(sources: Any, lang: str) -> tuple[list[str], list[str]]:
    """(labels, colours) of the funding sources present in ``sources``, in the order of
    ``FUNDING_SOURCES`` (then unassigned, then any other code by name)."""
    codes = [*FUNDING_SOURCES, UNASSIGNED]
    present = {str(s) for s in sources}
    order = [c for c in codes if c in present] + sorted(present - set(codes))
    return [source_label(c, lang) for c in order], [SOURCE_COLORS.get(c, "#8c8c8c") for c in order]


def _money_by_source(scale: float, domain: list[str]) -> list[dict[str, str]]:
    """The transform of a money-by-source bar chart: ``cost`` in the chart's unit and the
    stacking order of the source (its place in ``domain``)."""
    return [
        {"calculate": f"datum.cost_idr / {scale:.0f}", "as": "cost"},
        {"calculate": f"indexof({json.dumps(domain)}, datum.source)", "as": "source_order"},
    ]


def _money_y(title: str) -> dict[str, Any]:
    """The summed ``cost`` axis of a money chart."""
    return {
        "field": "cost",
        "type": "quantitative",
        "aggregate": "sum",
        "title": title,
        "axis": {"format": ",.1~f"},
    }


def _money_tooltip(title: str) -> dict[str, Any]:
    """The summed ``cost`` line of a money chart's tooltip."""
    return {
        "field": "cost",
        "type": "quantitative",
        "aggregate": "sum",
        "format": ",.2f",
        "title": title,
    }


def _indicator_lines(
    rows: list[dict[str, Any]],
    series: list[tuple[str, str, list[int]]],
    title: str,
    subtitle: str,
    lang: str,
    *,
    rule_year: int | None = None,
) -> dict[str, Any]:
    """A 0-100 % line chart of ``rows`` (``series, year, value``); ``series`` gives (label,
    colour, stroke dash) in legend order."""
    domain = [s for s, _, _ in series]
    color = {
        "field": "series",
        "type": "nominal",
        "title": None,
        "scale": {"domain": domain, "range": [c for _, c, _ in series]},
        "legend": {"orient": "bottom", "columns": 2},
    }
    dash = {
        "field": "series",
        "type": "nominal",
        "scale": {"domain": domain, "range": [d for _, _, d in series]},
        "legend": None,
    }
    tooltip = [
        {"field": "series", "type": "nominal", "title": t("axis_series", lang)},
        {"field": "year", "type": "quantitative", "format": "d", "title": t("axis_year", lang)},
        {"field": "value", "type": "quantitative", "format": ".1f", "title": "%"},
    ]
    line: dict[str, Any] = {
        "mark": {"type": "line", "point": True, "strokeWidth": 2},
        "encoding": {
            "x": _year_x(lang, rows),
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": t("axis_pct", lang),
                "scale": {"zero": False, "nice": True},
            },
            "color": color,
            "strokeDash": dash,
            "tooltip": tooltip,
        },
    }
    spec = _base(title, lang, subtitle)
    spec.update({"width": WIDTH, "height": HEIGHT, "data": {"values": _records(rows)}})
    if rule_year is None:
        spec.update(line)
    else:
        rule = {
            "data": {"values": [{"year": rule_year}]},
            "mark": {"type": "rule", "color": "#5b6670", "strokeDash": [2, 2]},
            "encoding": {"x": {"field": "year", "type": "quantitative"}},
        }
        spec["layer"] = [line, rule]
    return spec
