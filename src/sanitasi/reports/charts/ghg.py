"""Greenhouse-gas chart of a :class:`PlanResult`: emissions BAU vs plan by source."""

from __future__ import annotations

from typing import Any

from sanitasi.core.model import PlanResult
from sanitasi.reports.charts.base import (
    HEIGHT,
    _base,
    _records,
)
from sanitasi.reports.common import (
    city_kode,
    city_rows,
    frame,
    has_cols,
)
from sanitasi.reports.fmt import as_float, norm_lang
from sanitasi.reports.i18n import (
    code_label,
    scenario_label,
    t,
)

#: Colours of the GHG summary sources (landfill, septic, discharge, treatment).
GHG_COLORS: dict[str, str] = {
    "landfill": "#8c564b",
    "septic": "#e6a23c",
    "discharge": "#c00000",
    "treatment": "#2e75b6",
}


def ghg_chart(
    result: PlanResult, lang: str = "id", *, kode: str | None = None
) -> dict[str, Any] | None:
    """(h) Greenhouse gas emissions of the city per year, t CO2e stacked by source (landfill,
    septic, discharge, treatment), BAU beside the plan (one panel each). Source:
    ``ghg_summary`` rows of the city (the ``total`` rows are the bars' height)."""
    lang = norm_lang(lang)
    df = frame(result, "ghg_summary")
    if df is None or not has_cols(df, "year", "ghg_source", "bau_co2e_t", "plan_co2e_t"):
        return None
    kode = kode or city_kode(result)
    sub = city_rows(df, kode)
    sub = sub[sub["ghg_source"].isin(list(GHG_COLORS))].sort_values("year")
    if not len(sub):
        return None
    gwp = str(sub["gwp"].iloc[0]) if "gwp" in sub.columns else ""
    sources = [s for s in GHG_COLORS if s in set(sub["ghg_source"])]
    labels = [code_label("ghg_source", s, lang) for s in sources]
    scen = [scenario_label("bau", lang), scenario_label("plan", lang)]
    rows = [
        dict(
            year=r["year"],
            scenario=scen[j],
            source=code_label("ghg_source", r["ghg_source"], lang),
            order=sources.index(str(r["ghg_source"])),
            co2e=r[col],
        )
        for _, r in sub.iterrows()
        for j, col in enumerate(("bau_co2e_t", "plan_co2e_t"))
        if as_float(r[col]) is not None
    ]
    if not rows:
        return None
    axis = t("axis_co2e", lang, gwp=gwp)
    spec = _base(t("chart_ghg", lang), lang, axis)
    spec.update(
        {
            "data": {"values": _records(rows)},
            "mark": {"type": "bar"},
            "width": 210,
            "height": HEIGHT,
            "encoding": {
                "column": {
                    "field": "scenario",
                    "type": "nominal",
                    "title": None,
                    "sort": scen,
                    "header": {"labelFontWeight": "bold"},
                },
                "x": {
                    "field": "year",
                    "type": "ordinal",
                    "title": t("axis_year", lang),
                    "axis": {"labelAngle": -90},
                },
                "y": {
                    "field": "co2e",
                    "type": "quantitative",
                    "stack": "zero",
                    "title": axis,
                    "axis": {"format": ",.0f"},
                },
                "color": {
                    "field": "source",
                    "type": "nominal",
                    "title": t("axis_ghg_source", lang),
                    "scale": {"domain": labels, "range": [GHG_COLORS[s] for s in sources]},
                    "legend": {"orient": "bottom", "columns": 2, "labelLimit": 260},
                },
                "order": {"field": "order", "type": "quantitative"},
                "tooltip": [
                    {"field": "year", "type": "ordinal", "title": t("axis_year", lang)},
                    {"field": "scenario", "type": "nominal", "title": t("axis_scenario", lang)},
                    {"field": "source", "type": "nominal", "title": t("axis_ghg_source", lang)},
                    {"field": "co2e", "type": "quantitative", "format": ",.0f", "title": axis},
                ],
            },
        }
    )
    return spec
