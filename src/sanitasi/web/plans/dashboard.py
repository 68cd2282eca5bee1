"""Figures of the city dashboard, from the plan report the CLI writes
(:func:`sanitasi.web.plans.results.plan_result`: :func:`sanitasi.app.plan_report` on the
database).

Building them (chart specs, headline rows, the monitoring panel) takes about a hundred
milliseconds, far more than the page itself: :func:`dashboard_parts` builds them once per
city, data version, language and period, for every worker (:mod:`sanitasi.web.shared`), and
keeps the chart specs as JSON text, so a warm dashboard only renders its template. What
depends on the user (the boundaries a kecamatan user may see, the history link) is added per
request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from hashlib import sha256
from typing import Any

import pandas as pd
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import override

from sanitasi.core.model import FUNDING_SOURCES, UNASSIGNED, PlanResult
from sanitasi.reports import charts
from sanitasi.reports.common import (
    HEADLINE_INDICATORS,
    city_rows,
    fmt_quantity,
    frame,
    has_cols,
    years,
)
from sanitasi.reports.fmt import as_float, fmt_gap, fmt_idr_compact, fmt_number, fmt_pct
from sanitasi.reports.html import retrospective_summary
from sanitasi.reports.i18n import (
    code_label,
    indicator_label,
    need_label,
    plain_text,
    sector_label,
    source_label,
    t,
    unit_label,
)
from sanitasi.reports.monitoring import band_label, investment_sources
from sanitasi.web import shared
from sanitasi.web.geography.boundaries import kelurahan, visible_boundaries
from sanitasi.web.i18n_warnings import render_warning
from sanitasi.web.plans.results import (
    Version,
    data_version,
    monitoring_report,
    plan_result,
    version_key,
)
from sanitasi.web.plans.scoped import WHOLE_CITY, ReportScope, scope_monitoring, scope_plan
from sanitasi.web.plans.tiles import map_chart, tile_chart

#: Charts of the "ladder, waste and funding" section, in order (then the tile grid).
OTHER_CHARTS: tuple[str, ...] = ("ladder", "waste", "funding", "programme_funding")


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


def cost_rows(result: PlanResult, lang: str) -> list[dict[str, str]]:
    """Needs-based cost over the SSK period by sector and need (and the total)."""
    df = frame(result, "costs")
    if df is None or not {"year", "sector", "need", "cost_idr"} <= set(df.columns):
        return []
    y = years(result)
    sub = df[(df["year"] >= y.start) & (df["year"] <= y.end)]
    g = sub.groupby(["sector", "need"], sort=False, as_index=False)["cost_idr"].sum()
    rows = [
        {
            "sector": sector_label(str(r.sector), lang),
            "need": need_label(str(r.need), lang),
            "cost": fmt_idr_compact(r.cost_idr, lang),
        }
        for r in g.itertuples()
    ]
    total = float(pd.to_numeric(sub["cost_idr"], errors="coerce").sum())
    rows.append({"sector": _("Total"), "need": "", "cost": fmt_idr_compact(total, lang)})
    return rows


def _with_year_totals(
    period: list[int], rows: list[dict[str, Any]], year: pd.Series, cost: pd.Series, lang: str
) -> dict[str, Any]:
    """A yearly table of the dashboard: its rows and the cost of each year and of the period
    (rupiah in words)."""
    per_year = [float(cost[year == yr].sum()) for yr in period]
    return {
        "years": period,
        "rows": rows,
        "totals": [fmt_idr_compact(v, lang) for v in per_year],
        "total": fmt_idr_compact(sum(per_year), lang),
    }


def needs_by_year(result: PlanResult, city_kode: str, lang: str) -> dict[str, Any] | None:
    """The yearly needs of the SSK period (the ``costs`` table of METHOD.md §7, city rows):
    per sector x need x unit, the quantity and the cost of each year, rounded for reading
    (counts whole, rupiah in words) and labelled (never the codes); needs with nothing in
    any year are left out; the last row is the cost per year. ``None`` without costs."""
    df = frame(result, "costs")
    if df is None or not has_cols(df, "year", "sector", "need", "quantity", "unit", "cost_idr"):
        return None
    y = years(result)
    df = city_rows(df, city_kode)
    df = df[df["year"].isin(list(y.period))]
    if not len(df):
        return None
    period = sorted(int(v) for v in df["year"].unique())
    qty = pd.to_numeric(df["quantity"], errors="coerce").fillna(0.0)
    cost = pd.to_numeric(df["cost_idr"], errors="coerce").fillna(0.0)
    keys = [df["sector"].astype(str), df["need"].astype(str), df["unit"].astype(str)]
    q = qty.groupby([*keys, df["year"]], sort=False).sum()
    c = cost.groupby([*keys, df["year"]], sort=False).sum()
    rows = []
    for sector, need, unit in dict.fromkeys(zip(*keys, strict=True)):
        qs = [float(q.get((sector, need, unit, yr), 0.0)) for yr in period]
        cs = [float(c.get((sector, need, unit, yr), 0.0)) for yr in period]
        if not any(abs(v) > 1e-9 for v in (*qs, *cs)):
            continue
        rows.append(
            {
                "sector": sector_label(sector, lang),
                "need": need_label(need, lang),
                "unit": unit_label(unit, lang),
                "cells": [
                    {"qty": fmt_quantity(qv, unit, lang), "cost": fmt_idr_compact(cv, lang)}
                    for qv, cv in zip(qs, cs, strict=True)
                ],
                "total": fmt_idr_compact(sum(cs), lang),
            }
        )
    return _with_year_totals(period, rows, df["year"], cost, lang)


def funding_by_year(result: PlanResult, city_kode: str, lang: str) -> dict[str, Any] | None:
    """The needs-based funding indication (``funding`` table, METHOD.md §7) by source x year
    of the SSK period, both sectors together, sources in the order of the reference list,
    rupiah in words, with the totals. ``None`` without it."""
    df = frame(result, "funding")
    if df is None or not has_cols(df, "year", "source", "cost_idr"):
        return None
    y = years(result)
    df = city_rows(df, city_kode)
    df = df[df["year"].isin(list(y.period))]
    if not len(df):
        return None
    period = sorted(int(v) for v in df["year"].unique())
    cost = pd.to_numeric(df["cost_idr"], errors="coerce").fillna(0.0)
    sums = cost.groupby([df["source"].astype(str), df["year"]]).sum()
    present = list(dict.fromkeys(df["source"].astype(str)))
    codes = [*FUNDING_SOURCES, UNASSIGNED]
    order = [s for s in codes if s in present] + [s for s in present if s not in codes]
    rows = []
    for src in order:
        vals = [float(sums.get((src, yr), 0.0)) for yr in period]
        rows.append(
            {
                "source": source_label(src, lang),
                "cells": [fmt_idr_compact(v, lang) for v in vals],
                "total": fmt_idr_compact(sum(vals), lang),
            }
        )
    return _with_year_totals(period, rows, df["year"], cost, lang)


def raci_view(result: PlanResult, city_kode: str, lang: str) -> dict[str, Any] | None:
    """The programme's roles (RACI, :mod:`sanitasi.core.roles`, METHOD.md §9.10): one row per
    agency (its name in the page language), one column per activity, the letters R, A, C, I.
    ``None`` without a programme."""
    df = frame(result, "roles")
    if df is None or "agency" not in df.columns:
        return None
    if "city_kode" in df.columns:
        df = df[df["city_kode"].astype(str) == city_kode]
    meta = {"city_kode", "agency", "name_id", "name_en"}
    acts = [str(c) for c in df.columns if c not in meta]
    if not len(df) or not acts:
        return None
    name_col = "name_en" if lang == "en" and "name_en" in df.columns else "name_id"
    rows = []
    for r in df.to_dict("records"):
        name = str(r.get(name_col) or r.get("name_id") or r["agency"])
        cells = ["" if v is None or v != v else str(v) for v in (r.get(a) for a in acts)]
        rows.append({"agency": str(r["agency"]), "name": name, "cells": cells})
    return {"activities": acts, "rows": rows}


def monitoring_panel(
    kode: str, year: int, quarter: int, lang: str, scope: ReportScope = WHOLE_CITY
) -> dict[str, Any] | None:
    """Key figures of the monitoring report (verified realisation only) and its charts,
    narrowed to ``scope``."""
    report = scope_monitoring(monitoring_report(kode, year, quarter), scope)
    if report is None:
        return None
    table = report.tables.get("by_city")
    df = table.df if table is not None else None
    figures: list[tuple[str, str]] = []
    band = ""
    if df is not None and len(df):
        r = df.iloc[0]
        band = band_label(r.get("band"), lang)
        figures = [
            (_("Physical progress index"), fmt_pct(r.get("physical_index_pct"), 1, lang)),
            (_("Financial realisation"), fmt_pct(r.get("financial_pct"), 1, lang)),
            (_("APBD absorption (incl. DAK)"), fmt_pct(r.get("absorption_pct"), 1, lang)),
            (_("Spent to date"), fmt_idr_compact(r.get("spent_to_date_idr"), lang)),
            (_("Investment by source"), investment_sources(r, lang)),
        ]
    return {
        "year": year,
        "quarter": quarter,
        "band": band,
        "figures": figures,
        "spent_to_date": None if df is None or not len(df) else df.iloc[0]["spent_to_date_idr"],
        "charts": charts.monitoring_charts(report, lang, city_kode=kode),
        "warnings": [plain_text(render_warning(w, lang), lang) for w in report.warnings][:10],
    }


def _build_parts(
    kode: str, lang: str, year: int, quarter: int, scope: ReportScope = WHOLE_CITY
) -> dict[str, Any]:
    result = scope_plan(plan_result(kode), scope)
    retro_heading, retro_lines = retrospective_summary(result, lang)
    all_specs = charts.all_charts(result, lang, kode=kode)
    headline_specs = {k: v for k, v in all_specs.items() if k.startswith("headline:")}
    other_specs = {k: all_specs[k] for k in OTHER_CHARTS if k in all_specs}
    tiles = tile_chart(result, lang)
    if tiles is not None:
        other_specs["tiles"] = tiles
    ghg_specs = {"ghg": all_specs["ghg_summary"]} if "ghg_summary" in all_specs else {}
    panel = monitoring_panel(kode, year, quarter, lang, scope)
    specs: dict[str, Any] = {**headline_specs, **other_specs, **ghg_specs}
    if panel is not None:
        specs.update({f"monitoring:{k}": v for k, v in panel["charts"].items()})
    return {
        "years": years(result),
        "headline": headline_rows(result, kode, lang),
        "retro_heading": retro_heading,
        "retro_lines": retro_lines,
        "headline_specs": list(headline_specs),
        "other_specs": {k: None for k in other_specs},  # keys in order; JSON in spec_json
        "monitoring": None
        if panel is None
        else {**panel, "charts": dict.fromkeys(panel["charts"])},
        "costs": cost_rows(result, lang),
        "needs_years": needs_by_year(result, kode, lang),
        "funding_years": funding_by_year(result, kode, lang),
        "raci": raci_view(result, kode, lang),
        "ghg": ghg_panel(result, kode, lang),
        "ghg_keys": list(ghg_specs),
        "warnings": [plain_text(render_warning(w, lang), lang) for w in result.warnings],
        "target_sets": result.target_sets,
        "spec_json": {k: _json(v) for k, v in specs.items()},
        "options_json": _json(charts.embed_options(lang)),
    }


def dashboard_parts(
    kode: str,
    lang: str,
    year: int,
    quarter: int,
    version: Version | None = None,
    scope: ReportScope = WHOLE_CITY,
) -> dict[str, Any]:
    """Everything the dashboard shows that does not depend on the user, for the city's
    current data version: headline rows, retrospective lines, costs, warnings, the monitoring
    panel of ``year`` Q``quarter`` and every chart spec as JSON text (``spec_json``, in page
    order; ``headline_specs``, ``other_specs`` and the panel's ``charts`` give the keys).
    Built with the page's language active (its labels are translated). ``version``: the
    city's :func:`~sanitasi.web.plans.results.data_version` when the caller has it.
    ``scope``: what the user may not see (:func:`~sanitasi.web.plans.scoped.report_scope`);
    part of the cache key."""

    return dashboard_parts_at(kode, lang, year, quarter, version, scope)[0]


def dashboard_parts_at(
    kode: str,
    lang: str,
    year: int,
    quarter: int,
    version: Version | None = None,
    scope: ReportScope = WHOLE_CITY,
) -> tuple[dict[str, Any], Version]:
    """(:func:`dashboard_parts`, the data version they were built at): a later version
    already built answers, and inside ``shared.stale_reads`` (the dashboard page) the
    previous version answers while another worker builds the current one
    (:func:`sanitasi.web.shared.get_versioned`)."""

    def build() -> dict[str, Any]:
        with override(lang):
            return _build_parts(kode, lang, year, quarter, scope)

    return shared.get_versioned(
        ("dashboard", kode, lang, year, quarter, scope.key),
        version or data_version(kode),
        build,
        lock=f"dashboard-{kode}",
        current=lambda: data_version(kode),
    )


def dashboard_map(
    user: Any, kode: str, lang: str, version: Version | None = None
) -> tuple[str, dict[str, Any] | None]:
    """(key, spec) of the map chart of the kelurahan/desa boundaries ``user`` may see, built
    once per data version, language and set of visible boundaries; ``("", None)`` without
    any boundary."""
    kodes = list(
        kelurahan(user, kode).filter(boundary__isnull=False).values_list("kode", flat=True)
    )
    if not kodes:
        return "", None
    digest = sha256(",".join(kodes).encode()).hexdigest()

    def build() -> dict[str, Any] | None:
        from django.conf import settings

        cap = int(getattr(settings, "SANITASI_MAP_MAX_POSITIONS", 20_000))
        return map_chart(plan_result(kode), visible_boundaries(user, kode), lang, cap)

    spec = shared.get_or_build(
        version_key("dashboard-map", kode, lang, digest, version=version),
        build,
        lock=f"dashboard-{kode}",
    )
    return digest, spec


def dashboard_body(
    context: Mapping[str, Any],
    chart_script: Callable[[], SafeString],
    key: tuple[Any, ...],
    version: Version | None = None,
) -> SafeString:
    """The dashboard below the city navigation (``web/partials/dashboard_body.html`` with
    ``context`` and the ``chart_script`` element), rendered once per data version and
    ``key`` (city, language, period, history link, map) for every worker."""

    def build() -> str:
        return render_to_string(
            "web/partials/dashboard_body.html", {**context, "charts_json": chart_script()}
        )

    html = shared.get_or_build(
        version_key("dashboard-body", *key, version=version), build, lock=f"dashboard-{key[0]}"
    )
    return mark_safe(html)


def _json(value: Any) -> str:
    """JSON text safe inside ``<script>`` (``<``, ``>``, ``&`` escaped as Django's
    ``json_script`` does)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


def charts_json(parts: Mapping[str, Any], extra: Mapping[str, Any], lang: str) -> SafeString:
    """The ``<script id="chart-specs" type="application/json">`` element of the page, as
    Django's ``json_script`` writes it: ``{"specs": {key: spec}, "options": ...}`` with the
    cached JSON texts of ``parts`` and the specs of ``extra`` (the map) not in them."""
    texts = dict(parts["spec_json"])
    for key, spec in extra.items():
        if key not in texts and spec is not None:
            texts[key] = _json(spec)
    body = ",".join(f"{_json(k)}:{v}" for k, v in texts.items())
    payload = f'{{"specs":{{{body}}},"options":{parts["options_json"]}}}'
    return format_html(
        '<script id="chart-specs" type="application/json">{}</script>', SafeString(payload)
    )
