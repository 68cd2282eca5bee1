"""Vega-Lite chart specs (plain dicts) built from a :class:`PlanResult`.

One function per chart, so the HTML report, the web app and a PDF/PNG export all draw the
same spec. Each returns ``None`` when the result lacks the data for it (never raises on a
missing table or column). Data are inlined (``data.values``): no URL is ever loaded.

Render with vega-embed and :func:`embed_options` (``formatLocale`` gives the Indonesian
``1.234,5`` in axes and tooltips; vl-convert takes the same dict as ``format_locale``). Axes
that show years use the d3 format ``d`` (no thousands separator, so ``2024`` not
``2.024``).

Plan charts take a :class:`PlanResult` (:func:`all_charts`: headline indicators, ladder,
waste, funding and, with the programme chapters, programme coverage per headline indicator
and programme cost vs needs-based cost, and the greenhouse gases BAU vs plan by source);
monitoring charts take a
:class:`~sanitasi.core.programme_run.MonitoringReport` (:func:`monitoring_charts`: money and
output plan vs realisation per quarter, indicators plan vs realised vs forecast).

The specs only draw what the engine computed; the only arithmetic is unit scaling for
display (rupiah to *miliar/juta*, done in a Vega ``calculate`` transform).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from sanitasi.core.model import FUNDING_SOURCES, RUNGS, UNASSIGNED, PlanResult
from sanitasi.core.risk import CLASS_LABELS
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
from sanitasi.reports.fmt import as_float, fmt_number, fmt_pct, is_missing, norm_lang
from sanitasi.reports.i18n import (
    code_label,
    indicator_label,
    rung_label,
    scenario_label,
    sector_label,
    source_label,
    t,
    target_set_label,
)

if TYPE_CHECKING:
    from sanitasi.core.programme_run import MonitoringReport

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

#: d3-format locales for vega-embed's ``formatLocale`` option.
FORMAT_LOCALE: dict[str, dict[str, Any]] = {
    "id": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp\u00a0", ""]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["IDR\u00a0", ""]},
}

#: d3-time-format locale (Indonesian month and day names) for ``timeFormatLocale``.
TIME_FORMAT_LOCALE: dict[str, dict[str, Any]] = {
    "id": {
        "dateTime": "%A, %e %B %Y pukul %H.%M.%S",
        "date": "%d/%m/%Y",
        "time": "%H.%M.%S",
        "periods": ["AM", "PM"],
        "days": ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
        "shortDays": ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
        "months": [
            "Januari",
            "Februari",
            "Maret",
            "April",
            "Mei",
            "Juni",
            "Juli",
            "Agustus",
            "September",
            "Oktober",
            "November",
            "Desember",
        ],
        "shortMonths": [
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "Mei",
            "Jun",
            "Jul",
            "Agu",
            "Sep",
            "Okt",
            "Nov",
            "Des",
        ],
    },  # fmt: skip
    "en": {
        "dateTime": "%x, %X",
        "date": "%-m/%-d/%Y",
        "time": "%-I:%M:%S %p",
        "periods": ["AM", "PM"],
        "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        "months": [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        "shortMonths": [
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
        ],
    },  # fmt: skip
}

#: vega-embed action-menu labels.
EMBED_I18N: dict[str, dict[str, str]] = {
    "id": {
        "CLICK_TO_VIEW_ACTIONS": "Klik untuk melihat pilihan",
        "COMPILED_ACTION": "Lihat Vega hasil kompilasi",
        "EDITOR_ACTION": "Buka di Vega Editor",
        "PNG_ACTION": "Simpan sebagai PNG",
        "SOURCE_ACTION": "Lihat sumber",
        "SVG_ACTION": "Simpan sebagai SVG",
    },
    "en": {
        "CLICK_TO_VIEW_ACTIONS": "Click to view actions",
        "COMPILED_ACTION": "View Compiled Vega",
        "EDITOR_ACTION": "Open in Vega Editor",
        "PNG_ACTION": "Save as PNG",
        "SOURCE_ACTION": "View Source",
        "SVG_ACTION": "Save as SVG",
    },
}

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


def embed_options(lang: str = "id") -> dict[str, Any]:
    """Options for ``vegaEmbed(el, spec, options)``: number/time locale, SVG renderer, and an
    action menu without the links that need the internet (editor, source)."""
    lang = norm_lang(lang)
    return {
        "renderer": "svg",
        "formatLocale": FORMAT_LOCALE[lang],
        "timeFormatLocale": TIME_FORMAT_LOCALE[lang],
        "actions": {"export": True, "source": False, "compiled": False, "editor": False},
        "i18n": EMBED_I18N[lang],
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


def _pick_scenario(df: pd.DataFrame, scenario: str) -> pd.DataFrame:
    if "scenario" not in df.columns:
        return df
    sub = df[df["scenario"] == scenario]
    if len(sub):
        return sub
    first = df["scenario"].dropna()
    return df[df["scenario"] == first.iloc[0]] if len(first) else df


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


def _money_unit(total_max: float, lang: str) -> tuple[float, str]:
    if total_max >= 1e9:
        return 1e9, t("money_miliar", lang)
    return 1e6, t("money_juta", lang)


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
    codes = [*FUNDING_SOURCES, UNASSIGNED]
    present = {str(s) for s in src_col}
    order = [c for c in codes if c in present] + sorted(present - set(codes))
    domain = [source_label(c, lang) for c in order]
    colors = [SOURCE_COLORS.get(c, "#8c8c8c") for c in order]
    title = t("axis_money", lang, unit=unit)
    spec = _base(t("chart_funding", lang), lang, title)
    spec.update(
        {
            "width": WIDTH,
            "height": HEIGHT,
            "data": {"values": _records(rows)},
            "transform": [
                {"calculate": f"datum.cost_idr / {scale:.0f}", "as": "cost"},
                {"calculate": f"indexof({json.dumps(domain)}, datum.source)", "as": "source_order"},
            ],
            "mark": {"type": "bar"},
            "encoding": {
                "x": {
                    "field": "year",
                    "type": "ordinal",
                    "title": t("axis_year", lang),
                    "axis": {"labelAngle": 0 if len(per_year) <= 10 else -45},
                },
                "y": {
                    "field": "cost",
                    "type": "quantitative",
                    "aggregate": "sum",
                    "title": title,
                    "axis": {"format": ",.1~f"},
                },
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
                    {
                        "field": "cost",
                        "type": "quantitative",
                        "aggregate": "sum",
                        "format": ",.2f",
                        "title": title,
                    },
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


# ----------------------------------------------------------------------------- programme


SERIES_COLORS: dict[str, str] = {
    "bau": "#7f7f7f",
    "trajectory": "#2e75b6",
    "programme": "#1a7f37",
    "realised": "#ed7d31",
    "forecast": "#f4a05a",
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
    codes = [*FUNDING_SOURCES, UNASSIGNED]
    present = {str(s) for s in df["source"]}
    order = [c for c in codes if c in present] + sorted(present - set(codes))
    domain = [source_label(c, lang) for c in order]
    colors = [SOURCE_COLORS.get(c, "#8c8c8c") for c in order]
    title = t("axis_money", lang, unit=unit)
    kind_domain = [label for _, label in kinds]
    spec = _base(t("chart_programme_funding", lang), lang, title)
    spec.update(
        {
            "width": WIDTH,
            "height": HEIGHT,
            "data": {"values": _records(rows)},
            "transform": [
                {"calculate": f"datum.cost_idr / {scale:.0f}", "as": "cost"},
                {"calculate": f"indexof({json.dumps(domain)}, datum.source)", "as": "source_order"},
            ],
            "mark": {"type": "bar"},
            "encoding": {
                "x": {
                    "field": "year",
                    "type": "ordinal",
                    "title": t("axis_year", lang),
                    "axis": {"labelAngle": 0},
                },
                "xOffset": {"field": "kind", "type": "nominal", "sort": kind_domain},
                "y": {
                    "field": "cost",
                    "type": "quantitative",
                    "aggregate": "sum",
                    "title": title,
                    "axis": {"format": ",.1~f"},
                },
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
                    {
                        "field": "cost",
                        "type": "quantitative",
                        "aggregate": "sum",
                        "format": ",.2f",
                        "title": title,
                    },
                ],
            },
        }
    )
    return spec


# ----------------------------------------------------------------------------- instruments

#: Risk class colours, class 1 (rendah) to 4 (amat tinggi); the HTML table uses the same.
RISK_CLASS_COLORS: tuple[str, ...] = ("#a6d96a", "#fee08b", "#fdae61", "#d73027")


def _class_label(cls: int, lang: str) -> str:
    pair = CLASS_LABELS.get(int(cls), (str(cls), str(cls)))
    return f"{int(cls)} {pair[1] if norm_lang(lang) == 'en' else pair[0]}"


def risk_map_chart(
    scores: pd.DataFrame | None,
    lang: str = "id",
    *,
    names: Mapping[str, str] | None = None,
) -> dict[str, Any] | None:
    """Map-like tile grid of the risk areas (no geometry needed): one panel per subsector
    (stacked), one row per kecamatan, one tile per kelurahan/desa (in code order) coloured by its final
    risk class (1 rendah green ... 4 amat tinggi red); a dark frame marks a class the Pokja
    overrode. Tiles show the name and ``score \u00b7 class``; the tooltip has IMPACT,
    EXPOSURE, the computed class and the override reason.

    Source: ``risk_scores`` (``kode, nama, subsector, impact_score, exposure_score,
    risk_score, computed_class, final_class, overridden, override_reason``); ``names`` gives
    the kecamatan names (``kode -> nama``)."""
    need = ("kode", "subsector", "risk_score", "final_class")
    if scores is None or not has_cols(scores, *need) or not len(scores):
        return None
    lang = norm_lang(lang)
    names = dict(names or {})
    df = scores.sort_values(["subsector", "kode"], kind="stable")
    kode = df["kode"].astype(str)
    kec = kode.str.rsplit(".", n=1).str[0]
    subs = [s for s in ("ald", "persampahan") if s in set(df["subsector"])]
    subs += [str(s) for s in dict.fromkeys(df["subsector"]) if s not in subs]
    kec_order = list(dict.fromkeys(sorted(kec)))
    kec_label = {k: f"{names[k]} ({k})" if k in names else k for k in kec_order}
    pos = df.assign(_kec=kec).groupby(["subsector", "_kec"], sort=False).cumcount() + 1
    rows: list[dict[str, Any]] = []
    for (_, r), k, p in zip(df.iterrows(), kec, pos, strict=True):
        cls = int(r["final_class"])
        computed = as_float(r.get("computed_class"))
        over = bool(r.get("overridden", False)) if not is_missing(r.get("overridden")) else False
        nama = str(r.get("nama") or "") or str(r["kode"])
        rows.append(
            dict(
                subsector=sector_label(str(r["subsector"]), lang),
                kecamatan=kec_label[k],
                pos=int(p),
                kode=str(r["kode"]),
                nama=nama,
                cls=cls,
                class_label=_class_label(cls, lang),
                computed=_class_label(int(computed), lang) if computed is not None else "",
                score=as_float(r["risk_score"]),
                score_text=f"{fmt_number(r['risk_score'], 1, lang)} \u00b7 {cls}",
                impact=as_float(r.get("impact_score")),
                exposure=as_float(r.get("exposure_score")),
                overridden=over,
                reason=str(r.get("override_reason") or "") if over else "",
            )
        )
    domain = [_class_label(c, lang) for c in (1, 2, 3, 4)]
    tooltip = [
        {"field": "nama", "type": "nominal", "title": t("axis_area", lang)},
        {"field": "kode", "type": "nominal", "title": t("col_code", lang)},
        {"field": "kecamatan", "type": "nominal", "title": t("axis_kecamatan", lang)},
        {"field": "impact", "type": "quantitative", "format": ".2f", "title": "IMPACT"},
        {"field": "exposure", "type": "quantitative", "format": ".2f", "title": "EXPOSURE"},
        {
            "field": "score",
            "type": "quantitative",
            "format": ".2f",
            "title": t("axis_risk_score", lang),
        },
        {"field": "class_label", "type": "nominal", "title": t("axis_risk_class", lang)},
        {"field": "computed", "type": "nominal", "title": t("ins_col_computed", lang)},
        {"field": "reason", "type": "nominal", "title": t("ins_col_reason", lang)},
    ]
    spec = _base(t("chart_risk_map", lang), lang, t("chart_risk_map_sub", lang))
    spec.update(
        {
            "data": {"values": _records(rows)},
            "facet": {
                "row": {
                    "field": "subsector",
                    "type": "nominal",
                    "title": None,
                    "sort": [sector_label(s, lang) for s in subs],
                    "header": {
                        "labelFontWeight": "bold",
                        "labelFontSize": 13,
                        "labelAngle": 0,
                        "labelOrient": "top",
                        "labelAnchor": "start",
                    },
                }
            },
            "spec": {
                "width": {"step": 96},
                "height": {"step": 46},
                "encoding": {
                    "x": {"field": "pos", "type": "ordinal", "axis": None},
                    "y": {
                        "field": "kecamatan",
                        "type": "nominal",
                        "title": t("axis_kecamatan", lang),
                        "sort": [kec_label[k] for k in kec_order],
                        "axis": {"labelLimit": 160, "labelFontWeight": "bold"},
                    },
                    "tooltip": tooltip,
                },
                "layer": [
                    {
                        "mark": {"type": "rect", "cornerRadius": 3, "strokeWidth": 2.5},
                        "encoding": {
                            "color": {
                                "field": "class_label",
                                "type": "ordinal",
                                "title": t("axis_risk_class", lang),
                                "scale": {"domain": domain, "range": list(RISK_CLASS_COLORS)},
                                "legend": {"orient": "bottom"},
                            },
                            "stroke": {
                                "condition": {"test": "datum.overridden", "value": "#1d2329"},
                                "value": "#ffffff",
                            },
                        },
                    },
                    {
                        "mark": {"type": "text", "fontSize": 9.5, "limit": 90, "dy": -7},
                        "encoding": {
                            "text": {"field": "nama"},
                            "color": {
                                "condition": {"test": "datum.cls >= 4", "value": "#ffffff"},
                                "value": "#1d2329",
                            },
                        },
                    },
                    {
                        "mark": {"type": "text", "fontSize": 9, "dy": 8, "fontWeight": "bold"},
                        "encoding": {
                            "text": {"field": "score_text"},
                            "color": {
                                "condition": {"test": "datum.cls >= 4", "value": "#ffffff"},
                                "value": "#1d2329",
                            },
                        },
                    },
                ],
            },
        }
    )
    return spec


#: Most kelurahan/desa drawn in the survey chart (the tables have them all).
SURVEY_CHART_MAX_AREAS = 40


def survey_interval_chart(
    shares: pd.DataFrame | None,
    lang: str = "id",
    *,
    min_households: int | None = None,
    max_areas: int = SURVEY_CHART_MAX_AREAS,
) -> dict[str, Any] | None:
    """Weighted share of each ladder rung per kelurahan/desa with its 95 % interval (a point
    and an error bar; one panel per rung). Areas below the EHRA minimum are marked ``*``
    and drawn paler. At most ``max_areas`` areas (in code order; the subtitle says so).

    Source: a survey shares table (``kode, nama, n, below_min, pct_<rung>, pct_<rung>_low,
    pct_<rung>_high``)."""
    if shares is None or not has_cols(shares, "kode", "n") or not len(shares):
        return None
    lang = norm_lang(lang)
    rungs = [r for r in RUNGS if f"pct_{r}" in shares.columns]
    if not rungs:
        return None
    df = shares.sort_values("kode", kind="stable")
    total = len(df)
    df = df.head(max_areas)
    rows: list[dict[str, Any]] = []
    order: list[str] = []
    for _, r in df.iterrows():
        below = bool(r.get("below_min", False)) if not is_missing(r.get("below_min")) else False
        nama = str(r.get("nama") or "") or str(r["kode"])
        area = f"{nama} (n={fmt_number(r['n'], 0, lang)}){' *' if below else ''}"
        order.append(area)
        for i, rung in enumerate(rungs):
            p = as_float(r.get(f"pct_{rung}"))
            if p is None:
                continue
            rows.append(
                dict(
                    area=area,
                    rung=rung_label(rung, lang),
                    order=i,
                    pct=p,
                    low=as_float(r.get(f"pct_{rung}_low")),
                    high=as_float(r.get(f"pct_{rung}_high")),
                    below=below,
                )
            )
    if not rows:
        return None
    labels = [rung_label(r, lang) for r in rungs]
    colors = [RUNG_COLORS[RUNGS.index(r)] for r in rungs]
    sub = t("chart_survey_sub", lang, min=min_households or 40)
    if total > max_areas:
        sub += " \u00b7 " + t("chart_survey_more", lang, n=max_areas, total=total)
    color = {
        "field": "rung",
        "type": "nominal",
        "title": t("axis_rung", lang),
        "scale": {"domain": labels, "range": colors},
        "legend": None,
    }
    opacity = {"condition": {"test": "datum.below", "value": 0.45}, "value": 1}
    x = {
        "field": "pct",
        "type": "quantitative",
        "title": "%",
        "scale": {"domain": [0, 100]},
        "axis": {"tickCount": 3},
    }
    spec = _base(t("chart_survey", lang), lang, sub)
    spec.update(
        {
            "data": {"values": _records(rows)},
            "facet": {
                "column": {
                    "field": "rung",
                    "type": "nominal",
                    "title": None,
                    "sort": labels,
                    "header": {"labelFontWeight": "bold", "labelLimit": 120},
                }
            },
            "spec": {
                "width": 110,
                "height": {"step": 16},
                "encoding": {
                    "y": {"field": "area", "type": "nominal", "title": None, "sort": order},
                    "tooltip": [
                        {"field": "area", "type": "nominal", "title": t("axis_area", lang)},
                        {"field": "rung", "type": "nominal", "title": t("axis_rung", lang)},
                        {"field": "pct", "type": "quantitative", "format": ".1f", "title": "%"},
                        {
                            "field": "low",
                            "type": "quantitative",
                            "format": ".1f",
                            "title": t("axis_low", lang),
                        },
                        {
                            "field": "high",
                            "type": "quantitative",
                            "format": ".1f",
                            "title": t("axis_high", lang),
                        },
                    ],
                },
                "layer": [
                    {
                        "mark": {"type": "rule", "strokeWidth": 2},
                        "encoding": {
                            "x": {**x, "field": "low"},
                            "x2": {"field": "high"},
                            "color": color,
                            "opacity": opacity,
                        },
                    },
                    {
                        "mark": {"type": "point", "filled": True, "size": 36},
                        "encoding": {"x": x, "color": color, "opacity": opacity},
                    },
                ],
            },
        }
    )
    return spec


# ----------------------------------------------------------------------------- greenhouse gases

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


# ----------------------------------------------------------------------------- monitoring


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
                "y": {
                    "field": "cost",
                    "type": "quantitative",
                    "aggregate": "sum",
                    "title": title,
                    "axis": {"format": ",.1~f"},
                },
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
                    {
                        "field": "cost",
                        "type": "quantitative",
                        "aggregate": "sum",
                        "format": ",.2f",
                        "title": title,
                    },
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
