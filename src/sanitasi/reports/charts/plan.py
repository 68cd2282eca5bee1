"""Plan charts of a :class:`PlanResult`: (a) headline indicators, (b) the sanitation ladder,
(c) indicative funding, (d) the waste balance, and :func:`all_charts` (every chart of the
plan report, with the programme, instrument and greenhouse-gas charts)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from sanitasi.core.model import RUNGS, UNASSIGNED, PlanResult
from sanitasi.reports.charts.base import (
    HEIGHT,
    RUNG_COLORS,
    TARGET_COLORS,
    WIDTH,
    _base,
    _money_by_source,
    _money_tooltip,
    _money_unit,
    _money_y,
    _pick_scenario,
    _records,
    _series_for,
    _source_scale,
    _year_x,
)
from sanitasi.reports.charts.ghg import ghg_chart
from sanitasi.reports.charts.instruments import risk_map_chart, survey_interval_chart
from sanitasi.reports.charts.programme import coverage_charts, programme_funding_chart
from sanitasi.reports.common import (
    HEADLINE_INDICATORS,
    city_kode,
    city_rows,
    frame,
    has_cols,
    leaf_rows,
    region_names,
    years,
)
from sanitasi.reports.fmt import as_float, is_missing, norm_lang
from sanitasi.reports.i18n import (
    indicator_label,
    rung_label,
    scenario_label,
    sector_label,
    source_label,
    t,
    target_set_label,
)


def headline_chart(
    result: PlanResult, indicator: str, lang: str = "id", *, kode: str | None = None
) -> dict[str, Any] | None:
    """(a) One headline indicator of the city: BAU and planning-trajectory lines over the
    years, the base-year point and the target points of each target set.

    Sources: ``headline`` (``bau_pct``, ``baseline_pct``; ``trajectory_pct`` when the
    ``trajectory`` table is absent), ``trajectory`` (``value_pct``, ``binding_set``) and
    ``gap`` (``target_set``, ``year``, ``target_pct``). ``None`` when none has the indicator.
    """
    lang = norm_lang(lang)
    kode = kode or city_kode(result)
    head = _series_for(frame(result, "headline"), kode, indicator)
    traj = _series_for(frame(result, "trajectory"), kode, indicator)
    gap = _series_for(frame(result, "gap"), kode, indicator)
    bau_name, traj_name, base_name = (
        t("series_bau", lang),
        t("series_traj", lang),
        t("series_baseline", lang),
    )
    rows: list[dict[str, Any]] = []
    if head is not None and "bau_pct" in head:
        for y, v in zip(head["year"], head["bau_pct"], strict=True):
            if as_float(v) is not None:
                rows.append(dict(kind="line", series=bau_name, year=y, value=v, note=""))
    if traj is not None and "value_pct" in traj:
        binding = traj["binding_set"] if "binding_set" in traj else [None] * len(traj)
        for y, v, b in zip(traj["year"], traj["value_pct"], binding, strict=True):
            if as_float(v) is not None:
                note = target_set_label(str(b), lang) if not is_missing(b) else ""
                rows.append(dict(kind="line", series=traj_name, year=y, value=v, note=note))
    elif head is not None and "trajectory_pct" in head:
        for y, v in zip(head["year"], head["trajectory_pct"], strict=True):
            if as_float(v) is not None:
                rows.append(dict(kind="line", series=traj_name, year=y, value=v, note=""))
    base_year = years(result).base
    if head is not None and "baseline_pct" in head:
        vals = [v for v in head["baseline_pct"] if as_float(v) is not None]
        if vals:
            rows.append(
                dict(kind="baseline", series=base_name, year=base_year, value=vals[0], note="")
            )
    target_names: list[str] = []
    if gap is not None and "target_pct" in gap:
        sets = gap["target_set"] if "target_set" in gap else [""] * len(gap)
        for y, v, s in zip(gap["year"], gap["target_pct"], sets, strict=True):
            if as_float(v) is None:
                continue
            name = target_set_label(str(s), lang) if not is_missing(s) else t("col_target", lang)
            if name not in target_names:
                target_names.append(name)
            rows.append(dict(kind="target", series=name, year=y, value=v, note=""))
    if not rows:
        return None
    domain = [bau_name, traj_name, base_name, *target_names]
    colors = ["#7f7f7f", "#2e75b6", "#000000", *TARGET_COLORS]
    color = {
        "field": "series",
        "type": "nominal",
        "title": None,
        "scale": {"domain": domain, "range": colors[: len(domain)]},
        "legend": {"orient": "bottom", "columns": 3},
    }
    y = {
        "field": "value",
        "type": "quantitative",
        "title": t("axis_pct", lang),
        "scale": {"domain": [0, 100]},
    }
    tooltip = [
        {"field": "series", "type": "nominal", "title": t("axis_series", lang)},
        {"field": "year", "type": "quantitative", "format": "d", "title": t("axis_year", lang)},
        {"field": "value", "type": "quantitative", "format": ".1f", "title": "%"},
    ]
    line_tooltip = [
        *tooltip,
        {"field": "note", "type": "nominal", "title": t("col_target_set", lang)},
    ]
    spec = _base(indicator_label(indicator, lang), lang)
    spec.update(
        {
            "width": WIDTH,
            "height": HEIGHT,
            "data": {"values": _records(rows)},
            "encoding": {"x": _year_x(lang, rows), "y": y, "color": color},
            "layer": [
                {
                    "transform": [{"filter": "datum.kind === 'line'"}],
                    "mark": {"type": "line", "point": True, "strokeWidth": 2},
                    "encoding": {
                        "strokeDash": {
                            "field": "series",
                            "type": "nominal",
                            "scale": {"domain": [bau_name, traj_name], "range": [[6, 4], [1, 0]]},
                            "legend": None,
                        },
                        "tooltip": line_tooltip,
                    },
                },
                {
                    "transform": [{"filter": "datum.kind === 'baseline'"}],
                    "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 120},
                    "encoding": {"tooltip": tooltip},
                },
                {
                    "transform": [{"filter": "datum.kind === 'target'"}],
                    "mark": {"type": "point", "shape": "triangle-up", "filled": True, "size": 140},
                    "encoding": {"tooltip": tooltip},
                },
            ],
        }
    )
    return spec


def headline_charts(
    result: PlanResult, lang: str = "id", *, kode: str | None = None
) -> dict[str, dict[str, Any]]:
    """:func:`headline_chart` for every headline indicator that has data, in report order."""
    out: dict[str, dict[str, Any]] = {}
    found: list[str] = list(HEADLINE_INDICATORS)
    head = frame(result, "headline")
    if head is not None and "indicator" in head:
        found += [str(i) for i in head["indicator"].drop_duplicates() if i not in found]
    for ind in found:
        spec = headline_chart(result, ind, lang, kode=kode)
        if spec is not None:
            out[ind] = spec
    return out


def ladder_chart(
    result: PlanResult, lang: str = "id", *, kode: str | None = None, scenario: str = "plan"
) -> dict[str, Any] | None:
    """(b) Sanitation ladder of each kelurahan/desa (stacked shares of households per rung)
    in the base year and the last year of the plan period, for ``scenario`` (default plan).

    Source: ``ladder`` leaf rows (``hh_<rung>`` columns that exist)."""
    lang = norm_lang(lang)
    kode = kode or city_kode(result)
    df = frame(result, "ladder")
    rung_cols = [r for r in RUNGS if df is not None and f"hh_{r}" in df.columns]
    if df is None or not rung_cols or "year" not in df.columns:
        return None
    y = years(result)
    sub = _pick_scenario(leaf_rows(df, kode), scenario)
    sub = sub[sub["year"].isin([y.base, y.end])]
    if not len(sub):
        return None
    name_col = "nama" if "nama" in sub.columns else "kode"
    area_order = [str(v) for v in sub.sort_values("kode" if "kode" in sub else name_col)[name_col]]
    area_order = list(dict.fromkeys(area_order))
    rows: list[dict[str, Any]] = []
    for _, r in sub.iterrows():
        for i, rung in enumerate(rung_cols):
            rows.append(
                dict(
                    area=str(r[name_col]),
                    year=r["year"],
                    rung=rung_label(rung, lang),
                    order=RUNGS.index(rung),
                    households=r[f"hh_{rung}"],
                    seq=i,
                )
            )
    labels = [rung_label(r, lang) for r in rung_cols]
    colors = [RUNG_COLORS[RUNGS.index(r)] for r in rung_cols]
    scen = str(sub["scenario"].iloc[0]) if "scenario" in sub.columns else scenario
    subtitle = f"{t('axis_share_hh', lang)} \u2014 {scenario_label(scen, lang)}"
    spec = _base(t("chart_ladder", lang), lang, subtitle)
    spec.update(
        {
            "data": {"values": _records(rows)},
            "mark": {"type": "bar"},
            "width": 260,
            "height": {"step": 18},
            "encoding": {
                "column": {
                    "field": "year",
                    "type": "ordinal",
                    "title": t("axis_year", lang),
                    "header": {"labelFontWeight": "bold"},
                },
                "y": {
                    "field": "area",
                    "type": "nominal",
                    "title": t("axis_area", lang),
                    "sort": area_order,
                },
                "x": {
                    "field": "households",
                    "type": "quantitative",
                    "aggregate": "sum",
                    "stack": "normalize",
                    "title": t("axis_share_hh", lang),
                    "axis": {"format": ".0%"},
                },
                "color": {
                    "field": "rung",
                    "type": "nominal",
                    "title": t("axis_rung", lang),
                    "scale": {"domain": labels, "range": colors},
                    "legend": {"orient": "bottom", "columns": 3},
                },
                "order": {"field": "order", "type": "quantitative", "aggregate": "min"},
                "tooltip": [
                    {"field": "area", "type": "nominal", "title": t("axis_area", lang)},
                    {"field": "year", "type": "ordinal", "title": t("axis_year", lang)},
                    {"field": "rung", "type": "nominal", "title": t("axis_rung", lang)},
                    {
                        "field": "households",
                        "type": "quantitative",
                        "aggregate": "sum",
                        "format": ",.0f",
                        "title": t("axis_households", lang),
                    },
                ],
            },
        }
    )
    return spec


def funding_chart(
    result: PlanResult, lang: str = "id", *, kode: str | None = None
) -> dict[str, Any] | None:
    """(c) Indicative funding (*indikasi pendanaan*) by source and year, stacked bars, in
    *miliar* or *juta* rupiah. Source: ``funding`` (kode, year, sector, source, cost_idr)."""
    lang = norm_lang(lang)
    df = frame(result, "funding")
    if df is None or not has_cols(df, "year", "cost_idr"):
        return None
    kode = kode or city_kode(result)
    sub = city_rows(df, kode)
    if not len(sub):
        return None
    src_col = sub["source"] if "source" in sub else pd.Series([UNASSIGNED] * len(sub))
    sec_col = sub["sector"] if "sector" in sub else pd.Series([""] * len(sub))
    rows = [
        dict(
            year=y,
            source=source_label(str(s), lang),
            sector=sector_label(str(c), lang) if not is_missing(c) else "",
            cost_idr=v,
        )
        for y, s, c, v in zip(sub["year"], src_col, sec_col, sub["cost_idr"], strict=True)
        if as_float(v) is not None
    ]
    if not rows:
        return None
    per_year: dict[Any, float] = {}
    for r in rows:
        per_year[r["year"]] = per_year.get(r["year"], 0.0) + max(float(r["cost_idr"]), 0.0)
    scale, unit = _money_unit(max(per_year.values(), default=0.0), lang)
    domain, colors = _source_scale(src_col, lang)
    title = t("axis_money", lang, unit=unit)
    spec = _base(t("chart_funding", lang), lang, title)
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
                    "axis": {"labelAngle": 0 if len(per_year) <= 10 else -45},
                },
                "y": _money_y(title),
                "color": {
                    "field": "source",
                    "type": "nominal",
                    "title": t("col_source", lang),
                    "scale": {"domain": domain, "range": colors},
                },
                "order": {"field": "source_order", "type": "quantitative", "aggregate": "min"},
                "tooltip": [
                    {"field": "year", "type": "ordinal", "title": t("axis_year", lang)},
                    {"field": "source", "type": "nominal", "title": t("col_source", lang)},
                    _money_tooltip(title),
                ],
            },
        }
    )
    return spec


def waste_chart(
    result: PlanResult, lang: str = "id", *, kode: str | None = None, scenario: str = "plan"
) -> dict[str, Any] | None:
    """(d) City waste balance over the years, stacked areas of pengurangan, penanganan and
    unmanaged t/day (together the generated tonnage). Source: ``waste`` city rows of
    ``scenario`` (default plan, else the first scenario present)."""
    lang = norm_lang(lang)
    df = frame(result, "waste")
    comps = [
        (c, key)
        for c, key in (
            ("pengurangan_tpd", "waste_pengurangan"),
            ("penanganan_tpd", "waste_penanganan"),
            ("unmanaged_tpd", "waste_unmanaged"),
        )
        if df is not None and c in df.columns
    ]
    if df is None or "year" not in df.columns or not comps:
        return None
    kode = kode or city_kode(result)
    sub = _pick_scenario(city_rows(df, kode), scenario).sort_values("year")
    if not len(sub):
        return None
    rows = [
        dict(year=r["year"], component=t(key, lang), order=i, tpd=r[c])
        for _, r in sub.iterrows()
        for i, (c, key) in enumerate(comps)
        if as_float(r[c]) is not None
    ]
    if not rows:
        return None
    labels = [t(key, lang) for _, key in comps]
    palette = {
        "waste_pengurangan": "#70ad47",
        "waste_penanganan": "#4472c4",
        "waste_unmanaged": "#c00000",
    }
    scen = str(sub["scenario"].iloc[0]) if "scenario" in sub.columns else scenario
    spec = _base(
        t("chart_waste", lang, scenario=scenario_label(scen, lang)), lang, t("axis_tpd", lang)
    )
    spec.update(
        {
            "width": WIDTH,
            "height": HEIGHT,
            "data": {"values": _records(rows)},
            "mark": {"type": "area", "line": True, "opacity": 0.85},
            "encoding": {
                "x": _year_x(lang, rows),
                "y": {
                    "field": "tpd",
                    "type": "quantitative",
                    "stack": "zero",
                    "title": t("axis_tpd", lang),
                    "axis": {"format": ",.1~f"},
                },
                "color": {
                    "field": "component",
                    "type": "nominal",
                    "title": t("axis_component", lang),
                    "scale": {"domain": labels, "range": [palette[k] for _, k in comps]},
                },
                "order": {"field": "order", "type": "quantitative"},
                "tooltip": [
                    {
                        "field": "year",
                        "type": "quantitative",
                        "format": "d",
                        "title": t("axis_year", lang),
                    },
                    {"field": "component", "type": "nominal", "title": t("axis_component", lang)},
                    {
                        "field": "tpd",
                        "type": "quantitative",
                        "format": ",.2f",
                        "title": t("axis_tpd", lang),
                    },
                ],
            },
        }
    )
    return spec


def all_charts(
    result: PlanResult, lang: str = "id", *, kode: str | None = None
) -> dict[str, dict[str, Any]]:
    """Every chart that has data, keyed ``headline:<indicator>``, ``ladder``, ``funding``,
    ``waste``, with the programme chapters ``coverage:<indicator>`` and
    ``programme_funding``, with the SSK instruments ``risk_scores`` (tile map) and
    ``survey_shares`` (shares with intervals), and with the GHG chapter ``ghg_summary`` (BAU
    vs plan by source)."""
    out: dict[str, dict[str, Any]] = {
        f"headline:{k}": v for k, v in headline_charts(result, lang, kode=kode).items()
    }
    out.update({f"coverage:{k}": v for k, v in coverage_charts(result, lang, kode=kode).items()})
    builders: Mapping[str, Any] = {
        "ladder": ladder_chart,
        "waste": waste_chart,
        "funding": funding_chart,
        "programme_funding": programme_funding_chart,
    }
    for key, fn in builders.items():
        spec = fn(result, lang, kode=kode)
        if spec is not None:
            out[key] = spec
    # SSK instruments (``app.instruments.instrument_chapters``), placed before their table
    risk = risk_map_chart(frame(result, "risk_scores"), lang, names=region_names(result))
    if risk is not None:
        out["risk_scores"] = risk
    survey = survey_interval_chart(frame(result, "survey_shares"), lang)
    if survey is not None:
        out["survey_shares"] = survey
    # greenhouse gases (``app.ghg.ghg_chapter``), placed before the summary table
    ghg = ghg_chart(result, lang, kode=kode)
    if ghg is not None:
        out["ghg_summary"] = ghg
    return out
