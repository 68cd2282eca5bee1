"""Monitoring report (SSK Bab VI *Pemantauan dan Evaluasi*) of a quarter: HTML, XLSX,
terminal, and the agency one-pager.

Renders a :class:`~sanitasi.core.programme_run.MonitoringReport` (``sanitasi monitor``):

- :func:`write_monitoring_html` -- one self-contained offline HTML file built on the plan
  report's template machinery (``templates/_base.html.j2``, the same vendored Vega): city
  summary with the coloured performance band, performance by agency and by activity
  (physical %, financial %, absorption of APBD Kab/Kota and DAK money vs investment of
  APBN, provincial, private and community money by source, unit-cost efficiency, band), plan vs realisation per quarter (money and output charts), indicators plan vs
  realised vs forecast vs trajectory, sector and kecamatan roll-ups, meetings and action
  items with overdue flags, the agency summary and the warnings;
- :func:`write_monitoring_xlsx` -- README sheet plus one sheet per table (every column;
  numbers as numbers, frozen Indonesian/English headers, band cells coloured);
- :func:`print_monitoring_summary` -- compact rich summary (about 50 lines at 120 cols);
- :func:`agency_brief_text` / :func:`agency_brief_html` -- the one-page "what my agency owes
  this year" of a :class:`~sanitasi.core.roles.AgencyBrief` (``core.roles.agency_owes``).

Everything shown is read from the report; nothing is recomputed.
"""

from __future__ import annotations

import datetime as _dt
import textwrap
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from sanitasi.core.model import INDICATORS, Table, Warning_
from sanitasi.core.monitoring import INVESTMENT_COLUMNS, INVESTMENT_SOURCES
from sanitasi.core.programme_run import OFF_TRAJECTORY_TOLERANCE_PTS, MonitoringReport
from sanitasi.core.roles import AgencyBrief
from sanitasi.messages import render as render_warning
from sanitasi.reports import charts as _charts
from sanitasi.reports.common import HEADLINE_INDICATORS, provenance_line, write_atomically
from sanitasi.reports.fmt import (
    MISSING,
    as_float,
    fmt_date,
    fmt_idr,
    fmt_idr_compact,
    fmt_int,
    fmt_number,
    fmt_pct,
    is_missing,
    norm_lang,
)
from sanitasi.reports.html import (
    Block,
    ChartView,
    TableView,
    _package_version,
    chart_views,
    print_part_title,
    script_context,
    table_view,
    template,
)
from sanitasi.reports.i18n import (
    BAND_LABELS,
    CODE_COLUMNS,
    FUNDING_SOURCE_LABELS,
    INDICATOR_LABELS,
    SECTOR_LABELS,
    code_label,
    indicator_label,
    plain_text,
    source_label,
    t,
)
from sanitasi.reports.print_layout import fit_tables
from sanitasi.reports.terminal import rich_table
from sanitasi.reports.xlsx import (
    DATA_ROW,
    ReadmeSheet,
    _Formats,
    report_workbook,
    sheet_name,
    write_sheets,
)

# ----------------------------------------------------------------------------- layout

#: Band codes, best first (``core.monitoring.BANDS``), and the "no physical %" band.
BANDS: tuple[str, ...] = ("sangat_tinggi", "tinggi", "sedang", "rendah", "sangat_rendah")
BAND_NA = "n/a"

#: Cell colours of the bands (HTML and XLSX): (background, text).
BAND_COLORS: dict[str, tuple[str, str]] = {
    "sangat_tinggi": ("#1A7F37", "#FFFFFF"),
    "tinggi": ("#A6D96A", "#1D2329"),
    "sedang": ("#FEE08B", "#1D2329"),
    "rendah": ("#FDAE61", "#1D2329"),
    "sangat_rendah": ("#D73027", "#FFFFFF"),
}

#: rich styles of the bands (terminal).
BAND_STYLES: dict[str, str] = {
    "sangat_tinggi": "bold green",
    "tinggi": "green",
    "sedang": "yellow",
    "rendah": "dark_orange",
    "sangat_rendah": "bold red",
    BAND_NA: "dim",
}

#: Warning codes shown in red (behind, overspend, overdue action item); others yellow.
DANGER_CODES: frozenset[str] = frozenset({"SAN-W301", "SAN-W302", "SAN-W304"})

#: Order in which warnings are picked for the terminal's "main warnings" (overdue action
#: items have their own block there).
WARNING_PRIORITY: tuple[str, ...] = (
    "SAN-W302",
    "SAN-W301",
    "SAN-W303",
    "SAN-W311",
    "SAN-W310",
    "SAN-W306",
    "SAN-W305",
)

#: Most warnings / overdue action items listed in the terminal.
MAX_WARNINGS = 6
MAX_OVERDUE = 5

#: Roll-up columns shown in HTML after the group key (the XLSX file has them all).
ROLLUP_HTML: tuple[str, ...] = (
    "n_activities",
    "planned_cost_idr",
    "planned_cost_to_date_idr",
    "spent_to_date_idr",
    "financial_pct",
    "apbd_pagu_idr",
    "apbd_spent_idr",
    "absorption_pct",
    "investment_idr",
    "physical_index_pct",
    "band",
    "n_behind",
    "n_overspend",
    "n_unplanned",
    "n_missing_reports",
)

#: Columns each monitoring table shows in HTML (``city_kode`` is added for several cities).
HTML_COLUMNS: dict[str, tuple[str, ...]] = {
    "by_city": ROLLUP_HTML,
    "by_agency": ("lead_agency", *ROLLUP_HTML),
    "by_sector": ("sector", *ROLLUP_HTML),
    "by_kecamatan": ("kecamatan_kode", *ROLLUP_HTML),
    "by_source": (
        "funding_source",
        "money_kind",
        "n_activities",
        "planned_cost_idr",
        "planned_cost_to_date_idr",
        "spent_to_date_idr",
        "financial_pct",
        "absorption_pct",
        "investment_idr",
        "physical_index_pct",
        "band",
    ),
    "activities": (
        "code",
        "activity",
        "lead_agency",
        "location_kode",
        "funding_source",
        "money_kind",
        "plan_profile",
        "output_unit",
        "planned_output",
        "planned_output_to_date",
        "output_to_date",
        "progress_pct",
        "physical_to_date",
        "physical_pct",
        "planned_cost_idr",
        "planned_cost_to_date_idr",
        "spent_to_date_idr",
        "financial_pct",
        "absorption_pct",
        "investment_idr",
        "efficiency_pct",
        "unit_cost_overrun_pct",
        "band",
        "missing_quarters",
    ),
    "series": (
        "code",
        "quarter",
        "output_unit",
        "planned_output_cum",
        "realised_output_cum",
        "planned_cost_cum_idr",
        "spent_cum_idr",
    ),
    "indicators": (
        "kode",
        "indicator",
        "year",
        "bau_pct",
        "trajectory_pct",
        "plan_pct",
        "realised_pct",
        "forecast_pct",
    ),
    "agencies": (
        "agency",
        "name_id",
        "name_en",
        "n_led",
        "n_supported",
        "led",
        "planned_cost_led_idr",
        "planned_cost_to_date_idr",
        "spent_to_date_idr",
        "financial_pct",
        "absorption_pct",
        "investment_idr",
        "physical_index_pct",
        "band",
        "n_behind",
        "n_overspend",
        "n_open_actions",
    ),
    "meetings": (
        "id",
        "date",
        "kind",
        "title",
        "milestone",
        "n_participants",
        "participants",
        "summary",
        "decisions",
        "held",
        "n_actions",
        "n_open",
        "n_overdue",
    ),
    "action_items": (
        "meeting_id",
        "meeting_date",
        "action",
        "owner_agency",
        "due_date",
        "state",
        "overdue",
        "days_overdue",
        "days_to_due",
    ),
}

#: Chapters of the HTML report: (message key, tables in order). Charts go before the
#: table named in :data:`CHART_BEFORE`. Tables not listed land in "other tables"; the
#: ``warnings`` table is rendered as the warnings list.
MON_CHAPTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mon_ch_agency", ("by_agency", "agencies")),
    ("mon_ch_money", ("by_source",)),
    ("mon_ch_activity", ("activities",)),
    ("mon_ch_quarter", ("series",)),
    ("mon_ch_indicators", ("indicators",)),
    ("mon_ch_groups", ("by_city", "by_sector", "by_kecamatan")),
    ("mon_ch_meetings", ("meetings", "action_items")),
)
CHART_BEFORE: dict[str, str] = {"money": "series", "output": "series", "indicator:": "indicators"}


# ----------------------------------------------------------------------------- helpers


def _frame(report: MonitoringReport, name: str) -> pd.DataFrame | None:
    table = report.tables.get(name) if isinstance(report.tables, Mapping) else None
    df = getattr(table, "df", None)
    return df if isinstance(df, pd.DataFrame) else None


def _truthy(value: Any) -> bool:
    if is_missing(value):
        return False
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "ya")
    return bool(value)


def band_label(band: Any, lang: str = "id") -> str:
    """``sangat_rendah`` -> ``Sangat rendah`` (en ``Very low``); empty for no band."""
    if is_missing(band) or not str(band):
        return ""
    return code_label("band", str(band), lang)


def period_label(report: MonitoringReport, lang: str = "id") -> str:
    """``T3 2026`` (en ``2026 Q3``)."""
    return t("mon_quarter", lang, quarter=report.quarter, year=report.year)


def city_names(report: MonitoringReport) -> dict[str, str]:
    """``kode -> name`` when the report carries region names (``region_names`` or
    ``city_names`` mapping); empty otherwise (the code stands in)."""
    for attr in ("city_names", "region_names", "names"):
        value = getattr(report, attr, None)
        if isinstance(value, Mapping):
            return {str(k): str(v) for k, v in value.items()}
    return {}


def city_title(report: MonitoringReport, kode: str | None = None) -> str:
    """``Kota Solok (13.72)`` when the name is known, else the code(s)."""
    kodes = [kode] if kode else list(report.city_kodes)
    names = city_names(report)
    parts = [f"{names[k]} ({k})" if k in names else k for k in kodes]
    return ", ".join(parts) or MISSING


def _counted(report: MonitoringReport, lang: str) -> str:
    key = "mon_counted_submitted" if report.include_submitted else "mon_counted_verified"
    return t(key, lang)


def _provenance(report: MonitoringReport) -> dict[str, int]:
    prov = getattr(report.monitoring, "provenance", None)
    if isinstance(prov, Mapping) and prov:
        return {str(k): int(v) for k, v in prov.items()}
    for table in report.tables.values():
        if table.provenance:
            return {str(k): int(v) for k, v in table.provenance.items()}
    return {}


def _warning_level(w: Warning_) -> str:
    return "danger" if w.code in DANGER_CODES else "warn"


def _overdue_items(report: MonitoringReport) -> pd.DataFrame:
    df = _frame(report, "action_items")
    if df is None or "overdue" not in df.columns:
        return pd.DataFrame()
    out = df[[_truthy(v) for v in df["overdue"]]]
    if "days_overdue" in out.columns:
        out = out.sort_values("days_overdue", ascending=False, kind="stable")
    return out


def _drop_city(df: pd.DataFrame, cols: Sequence[str]) -> list[str]:
    """``cols`` with ``city_kode`` first when the table holds several cities, else without;
    ``kode`` dropped when it has one value only."""
    out = [c for c in cols if c in df.columns]
    if "city_kode" in df.columns and df["city_kode"].nunique(dropna=False) > 1:
        out = ["city_kode", *[c for c in out if c != "city_kode"]]
    else:
        out = [c for c in out if c != "city_kode"]
    if "kode" in out and df["kode"].nunique(dropna=False) <= 1:
        out.remove("kode")
    return out


def _row_css(name: str) -> Callable[[Mapping[str, Any]], str] | None:
    if name == "action_items":

        def action(row: Mapping[str, Any]) -> str:
            if _truthy(row.get("overdue")):
                return "overdue"
            return "" if _truthy(row.get("raised", True)) else "pending"

        return action
    if name == "meetings":

        def meeting(row: Mapping[str, Any]) -> str:
            if (as_float(row.get("n_overdue")) or 0) > 0:
                return "overdue"
            return "" if _truthy(row.get("held", True)) else "pending"

        return meeting
    if name == "activities":
        return lambda row: "overdue" if _truthy(row.get("overspend")) else ""
    return None


def monitoring_table_view(
    table: Table, lang: str, names: Mapping[str, str] | None = None
) -> TableView:
    """:func:`~sanitasi.reports.html.table_view` with the monitoring report's choices:
    the columns of :data:`HTML_COLUMNS` (the XLSX file has them all), band colours, and
    overdue / upcoming rows flagged."""
    df = table.df if isinstance(table.df, pd.DataFrame) else pd.DataFrame()
    wanted = HTML_COLUMNS.get(table.name)
    cols = _drop_city(df, wanted if wanted is not None else [str(c) for c in df.columns])
    return table_view(table, lang, names=names, columns=cols, row_css=_row_css(table.name))


# ----------------------------------------------------------------------------- HTML


def _kpis(report: MonitoringReport, lang: str) -> list[dict[str, Any]]:
    """One summary per city (from ``by_city``): band, key figures and counts."""
    df = _frame(report, "by_city")
    if df is None or not len(df):
        return []
    n_overdue = len(_overdue_items(report))
    out = []
    for _, r in df.iterrows():
        band = str(r.get("band", "") or "")
        kode = str(r.get("city_kode", "") or "")
        figures = [
            (t("mon_physical_index", lang), fmt_pct(r.get("physical_index_pct"), 1, lang)),
            (t("mon_financial", lang), fmt_pct(r.get("financial_pct"), 1, lang)),
            (t("mon_absorption", lang), fmt_pct(r.get("absorption_pct"), 1, lang)),
            (t("mon_spent", lang), fmt_idr_compact(r.get("spent_to_date_idr"), lang)),
            (t("mon_overdue_count", lang), fmt_int(n_overdue, lang)),
        ]
        counts = t(
            "mon_counts",
            lang,
            n=fmt_int(r.get("n_activities"), lang),
            behind=fmt_int(r.get("n_behind"), lang),
            overspend=fmt_int(r.get("n_overspend"), lang),
            unplanned=fmt_int(r.get("n_unplanned"), lang),
            missing=fmt_int(r.get("n_missing_reports"), lang),
        )
        out.append(
            dict(
                city=city_title(report, kode) if kode else city_title(report),
                band=band,
                band_text=band_label(band, lang) or MISSING,
                band_line=t("mon_band_line", lang, band=band_label(band, lang) or MISSING),
                figures=figures,
                counts=counts,
                investment=investment_line(r, lang),
            )
        )
    return out


def investment_sources(row: Mapping[str, Any] | pd.Series, lang: str) -> str:
    """``APBN Rp 165 juta · APBD Provinsi Rp 300 juta ...`` from a roll-up row's
    ``investment_<source>_idr`` columns (sources with money only; ``tidak ada`` without)."""
    parts = [
        f"{source_label(src, lang)} {fmt_idr_compact(v, lang)}"
        for src, col in zip(INVESTMENT_SOURCES, INVESTMENT_COLUMNS, strict=True)
        if (v := as_float(row.get(col))) is not None and v > 0
    ]
    return " \u00b7 ".join(parts) or t("mon_no_investment", lang)


def investment_line(row: Mapping[str, Any] | pd.Series, lang: str) -> str:
    """``Investasi menurut sumber: APBN Rp 165 juta · ...`` (:func:`investment_sources`)."""
    return f"{t('mon_investment', lang)}: {investment_sources(row, lang)}"


def band_rule(report: MonitoringReport, lang: str) -> str:
    """``Sangat tinggi >= 91%, Tinggi >= 76%, ...`` from the thresholds the run used."""
    thr = getattr(report.monitoring, "thresholds", {}) or {}
    parts = []
    for b in BANDS[:-1]:
        v = as_float(thr.get(f"{b}_min_pct"))
        if v is not None:
            parts.append(f"{band_label(b, lang)} \u2265 {fmt_number(v, 0, lang)}%")
    if not parts:
        return ""
    low = thr.get(f"{BANDS[-2]}_min_pct")
    parts.append(f"{band_label(BANDS[-1], lang)} < {fmt_number(low, 0, lang)}%")
    return t("mon_bands_rule", lang, rules=", ".join(parts))


def _chart_target(key: str) -> str:
    for prefix, target in CHART_BEFORE.items():
        if key == prefix or (prefix.endswith(":") and key.startswith(prefix)):
            return target
    return key


def build_monitoring_context(
    report: MonitoringReport,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
    inline_js: bool = True,
    static_charts: bool = False,
) -> dict[str, Any]:
    """Everything the monitoring page shows, as display strings (``static_charts``: the
    print mode of :func:`render_monitoring_html`)."""
    lang = norm_lang(lang)
    specs = _charts.monitoring_charts(report, lang)
    chart_blocks: dict[str, list[ChartView]] = {}
    for key, chart in chart_views(specs, lang, static_charts=static_charts).items():
        chart_blocks.setdefault(_chart_target(key), []).append(chart)

    placed: set[str] = {"warnings"}
    chapters: list[dict[str, Any]] = []
    toc = [("summary", t("summary", lang))]

    def blocks_for(names: Sequence[str]) -> list[Block]:
        blocks: list[Block] = []
        for name in names:
            table = report.tables.get(name)
            if table is None or not isinstance(table.df, pd.DataFrame):
                continue
            placed.add(name)
            if name in chart_blocks:
                blocks.append(Block("charts", charts=chart_blocks.pop(name)))
            view = monitoring_table_view(table, lang, report.region_names)
            blocks.append(Block("table", table=view))
        return blocks

    for key, names in MON_CHAPTERS:
        blocks = blocks_for(names)
        if blocks:
            cid = key.replace("_", "-")
            chapters.append(dict(id=cid, title=t(key, lang), blocks=blocks))
            toc.append((cid, t(key, lang)))
    rest = blocks_for([n for n in report.tables if n not in placed])
    for cv in chart_blocks.values():
        rest.append(Block("charts", charts=cv))
    if rest:
        chapters.append(dict(id="mon-ch-other", title=t("mon_ch_other", lang), blocks=rest))
    if static_charts:  # the print edition: each table on a page it fits
        for chapter in chapters:
            fit_tables(chapter["blocks"], print_part_title(lang))
        toc.append(("mon-ch-other", t("mon_ch_other", lang)))
    toc.append(("warnings", t("warnings", lang)))

    prov = _provenance(report)
    n_ill, n_unv = prov.get("illustrative", 0), prov.get("unverified", 0)
    warnings = [
        dict(
            level=_warning_level(w),
            code=w.code,
            message=plain_text(render_warning(w, lang), lang),
            place=w.kode,
            year=str(w.year) if w.year is not None else "",
        )
        for w in report.warnings
    ]
    city = city_title(report)
    period = period_label(report, lang)
    heading = f"{t('mon_title', lang)} {period} \u2014 {city}"
    return dict(
        lang=lang,
        t=lambda key, **kw: t(key, lang, **kw),
        title=heading,
        heading=heading,
        subtitle=t("mon_subtitle", lang),
        meta=[
            (t("city", lang), city),
            (t("mon_period", lang), period),
            (t("mon_as_of", lang), fmt_date(report.as_of, lang)),
            (t("mon_counted", lang), _counted(report, lang)),
            (t("generated", lang), fmt_date(generated or _dt.date.today(), lang)),
        ],
        notice=dict(
            show=bool(n_ill or n_unv),
            body=t(
                "mon_notice_body",
                lang,
                illustrative=fmt_int(n_ill, lang),
                unverified=fmt_int(n_unv, lang),
            ),
            tables=provenance_line(prov, lang) if prov else "",
        ),
        summary_title=t("mon_summary", lang, period=period),
        kpis=_kpis(report, lang),
        band_rule=band_rule(report, lang),
        toc=toc,
        chapters=chapters,
        warnings=warnings,
        **script_context(specs, lang, inline_js=inline_js, static_charts=static_charts),
    )


def render_monitoring_html(
    report: MonitoringReport,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
    inline_js: bool = True,
    static_charts: bool = False,
) -> str:
    """The monitoring report as one HTML string (``inline_js=False`` leaves out the Vega
    code, for tests; ``static_charts=True`` is the print mode of the PDF download, charts
    drawn as inline SVG, see :func:`sanitasi.reports.html.render_html`)."""
    ctx = build_monitoring_context(
        report, lang, generated=generated, inline_js=inline_js, static_charts=static_charts
    )
    return template("monitoring.html.j2").render(**ctx)


def write_monitoring_html(
    report: MonitoringReport,
    path: str | Path,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
) -> None:
    """Write the self-contained offline monitoring report (UTF-8; written to a temporary
    name and renamed, so a failure never leaves half a file)."""
    write_atomically(path, render_monitoring_html(report, lang, generated=generated))


# ----------------------------------------------------------------------------- XLSX


def _band_formats(wb: xlsxwriter.Workbook) -> dict[str, Any]:
    return {
        b: wb.add_format({"bg_color": bg, "font_color": fg, "bold": True})
        for b, (bg, fg) in BAND_COLORS.items()
    }


def _colour_bands(ws: Any, df: pd.DataFrame, formats: Mapping[str, Any], first_row: int) -> None:
    """Conditional formats colouring the ``band`` column by band code."""
    if "band" not in df.columns or not len(df):
        return
    j = list(df.columns).index("band")
    last = first_row + len(df) - 1
    for band, fmt in formats.items():
        ws.conditional_format(
            first_row,
            j,
            last,
            j,
            {"type": "cell", "criteria": "==", "value": f'"{band}"', "format": fmt},
        )


def _mon_readme(
    ws: Any,
    report: MonitoringReport,
    fm: _Formats,
    lang: str,
    sheets: list[tuple[str, Table]],
    generated: _dt.date | _dt.datetime | None,
) -> None:
    r = ReadmeSheet(ws, fm, lang)
    r.title(f"{t('mon_title', lang)} \u2014 {city_title(report)}")
    r.line(t("mon_subtitle", lang))
    r.skip()
    r.line(t("city", lang), city_title(report), bold=True)
    r.line(t("mon_period", lang), period_label(report, lang), bold=True)
    r.line(t("mon_as_of", lang), fmt_date(report.as_of, lang), bold=True)
    r.line(t("mon_counted", lang), _counted(report, lang), bold=True)
    r.line(t("generated", lang), fmt_date(generated or _dt.date.today(), lang), bold=True)
    prov = _provenance(report)
    if prov.get("illustrative", 0) or prov.get("unverified", 0):
        r.skip()
        r.title(t("notice_title", lang), fm.notice)
        body = t(
            "mon_notice_body",
            lang,
            illustrative=prov.get("illustrative", 0),
            unverified=prov.get("unverified", 0),
        )
        ws.merge_range(r.row, 0, r.row, 4, body, fm.notice)
        ws.set_row(r.row, 45)
        r.skip()
    rule = band_rule(report, lang)
    if rule:
        r.skip()
        r.line(rule)
    r.skip()
    r.contents(sheets)
    r.skip()
    legends: list[Mapping[str, tuple[str, str]]] = [
        BAND_LABELS,
        INDICATOR_LABELS,
        FUNDING_SOURCE_LABELS,
        SECTOR_LABELS,
    ]
    legends += [CODE_COLUMNS[c] for c in ("money_kind", "plan_profile", "kind", "state")]
    r.legend(legends)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 60)
    ws.set_column(2, 2, 30)
    ws.set_column(3, 5, 40)


#: Sheet order of the workbook (others follow, then ``warnings``).
SHEET_ORDER: tuple[str, ...] = (
    "by_city",
    "by_source",
    "by_agency",
    "agencies",
    "by_sector",
    "by_kecamatan",
    "activities",
    "series",
    "indicators",
    "meetings",
    "action_items",
)


def sheet_order(report: MonitoringReport) -> list[str]:
    """Table names in workbook order: :data:`SHEET_ORDER`, any other table, ``warnings``."""
    names = [n for n in SHEET_ORDER if n in report.tables]
    names += [n for n in report.tables if n not in names and n != "warnings"]
    return names + (["warnings"] if "warnings" in report.tables else [])


def write_monitoring_xlsx(
    report: MonitoringReport,
    path: str | Path,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
) -> None:
    """Write the monitoring workbook: README, then one sheet per table of the report with
    every column (numbers as numbers, dates as dates, codes kept; two frozen header rows,
    Indonesian then English; band cells coloured). Written to a temporary name and renamed."""
    lang = norm_lang(lang)
    title = f"{t('mon_title', lang)} {period_label(report, lang)}"
    with report_workbook(path, title, "SSK Bab VI") as wb:
        fm = _Formats(wb)
        bands = _band_formats(wb)
        used = {"readme"}
        readme = wb.add_worksheet("README")
        sheets = [(sheet_name(name, used), report.tables[name]) for name in sheet_order(report)]
        _mon_readme(readme, report, fm, lang, sheets, generated)
        write_sheets(wb, sheets, fm, lang, lambda ws, df: _colour_bands(ws, df, bands, DATA_ROW))


# ----------------------------------------------------------------------------- terminal


def _band_text(band: Any, lang: str) -> Text:
    code = "" if is_missing(band) else str(band)
    return Text(band_label(code, lang) or MISSING, style=BAND_STYLES.get(code, ""))


def _agency_table(report: MonitoringReport, lang: str) -> RichTable | None:
    df = _frame(report, "by_agency")
    if df is None or "lead_agency" not in df.columns or not len(df):
        return None
    table = report.tables["by_agency"]
    tb = rich_table(table.title(lang))
    tb.add_column(t("col_agency", lang), no_wrap=True)
    tb.add_column(t("col_activities", lang), justify="right")
    tb.add_column(t("col_physical", lang), justify="right")
    tb.add_column(t("col_financial", lang), justify="right")
    tb.add_column(t("col_absorption", lang), justify="right")
    tb.add_column(t("col_investment", lang), justify="right")
    tb.add_column(t("mon_spent", lang), justify="right")
    tb.add_column(t("col_band", lang))
    tb.add_column(t("col_behind", lang), justify="right")
    multi = "city_kode" in df.columns and df["city_kode"].nunique() > 1
    for _, r in df.iterrows():
        name = str(r["lead_agency"])
        if multi:
            name = f"{r['city_kode']} {name}"
        behind = as_float(r.get("n_behind")) or 0
        inv = as_float(r.get("investment_idr"))
        tb.add_row(
            name,
            fmt_int(r.get("n_activities"), lang),
            fmt_pct(r.get("physical_index_pct"), 1, lang),
            fmt_pct(r.get("financial_pct"), 1, lang),
            fmt_pct(r.get("absorption_pct"), 1, lang),
            fmt_idr_compact(inv, lang) if inv else MISSING,
            fmt_idr_compact(r.get("spent_to_date_idr"), lang),
            _band_text(r.get("band"), lang),
            Text(fmt_int(behind, lang), style="red" if behind else ""),
        )
    return tb


def _indicator_table(report: MonitoringReport, lang: str) -> RichTable | None:
    df = _frame(report, "indicators")
    if df is None or not {"indicator", "year"} <= set(df.columns) or not len(df):
        return None
    if "kode" in df.columns and df["kode"].nunique() > 1:
        df = df[df["kode"] == df["kode"].iloc[0]]
    year = int(report.year)
    end = int(df["year"].max())
    tb = rich_table(t("mon_indicators", lang, year=year, end=end))
    tb.add_column(t("col_indicator", lang), no_wrap=True, overflow="ellipsis", max_width=34)
    tb.add_column(t("col_traj_year", lang, year=year), justify="right")
    tb.add_column(t("col_realised_year", lang, year=year), justify="right")
    tb.add_column(t("col_traj_year", lang, year=end), justify="right")
    tb.add_column(t("col_forecast_year", lang, year=end), justify="right")
    found = [i for i in HEADLINE_INDICATORS if i in set(df["indicator"])]
    found += [str(i) for i in df["indicator"].drop_duplicates() if i not in found]
    lower_better = {k for k, v in INDICATORS.items() if v.get("lower_is_better")}
    tol = OFF_TRAJECTORY_TOLERANCE_PTS

    def get(ind: str, yr: int, col: str) -> float | None:
        rows = df[(df["indicator"] == ind) & (df["year"] == yr)]
        return as_float(rows[col].iloc[0]) if col in rows and len(rows) else None

    def judged(value: float | None, target: float | None, ind: str) -> Text:
        text = fmt_pct(value, 1, lang)
        if value is None or target is None:
            return Text(text)
        short = (value > target + tol) if ind in lower_better else (value < target - tol)
        return Text(text, style="red" if short else "green")

    for ind in found:
        tr_now, re_now = get(ind, year, "trajectory_pct"), get(ind, year, "realised_pct")
        tr_end, fc_end = get(ind, end, "trajectory_pct"), get(ind, end, "forecast_pct")
        tb.add_row(
            indicator_label(ind, lang),
            fmt_pct(tr_now, 1, lang),
            judged(re_now, tr_now, ind),
            fmt_pct(tr_end, 1, lang),
            judged(fc_end, tr_end, ind),
        )
    return tb


#: The value a warning of each code is ranked by in the terminal (worst first).
_RANK_VALUE = {
    "SAN-W301": "physical_pct",
    "SAN-W302": "overrun_pct",
    "SAN-W303": "quarter",
    "SAN-W304": "days",
    "SAN-W305": "output",
    "SAN-W306": "spent_idr",
    "SAN-W310": "pct",
    "SAN-W311": "pct",
}


def _warning_value(w: Warning_) -> float:
    """The figure ``w`` is ranked by (physical % of a SAN-W301, overrun % of a SAN-W302 ...)."""
    f = as_float(w.values.get(_RANK_VALUE.get(w.code, ""), None))
    return 0.0 if f is None else f


def top_warnings(report: MonitoringReport, n: int = MAX_WARNINGS) -> list[Warning_]:
    """The ``n`` warnings the terminal lists (overdue action items excluded: they have
    their own block): the first of each code in :data:`WARNING_PRIORITY` order, then the
    others, in that order; within a code the worst first (lowest physical % of SAN-W301,
    largest overrun of SAN-W302), else input order."""
    rank = {c: i for i, c in enumerate(WARNING_PRIORITY)}

    def key(w: Warning_) -> tuple[int, float]:
        v = _warning_value(w)
        return rank.get(w.code, len(rank)), (v if w.code == "SAN-W301" else -v)

    pool = sorted((w for w in report.warnings if w.code != "SAN-W304"), key=key)
    firsts: list[Warning_] = []
    seen: set[str] = set()
    for w in pool:
        if w.code not in seen:
            seen.add(w.code)
            firsts.append(w)
    picked = firsts[:n]
    picked += [w for w in pool if w not in picked][: n - len(picked)]
    return sorted(picked, key=key)


def print_monitoring_summary(report: MonitoringReport, console: Console, lang: str = "id") -> None:
    """Print the compact monitoring summary on ``console`` (rich; ~50 lines at 120 cols):
    city band and indices, performance by lead agency, indicators (trajectory vs realised
    this year, forecast at the end of the period), main warnings, overdue action items."""
    lang = norm_lang(lang)
    head = Text(city_title(report), style="bold")
    head.append(
        f" \u00b7 {t('mon_title', lang)} {period_label(report, lang)}"
        f" \u00b7 {t('mon_as_of', lang).lower()} {fmt_date(report.as_of, lang)}"
    )
    console.print(head)
    console.print(f"{t('mon_counted', lang)}: {_counted(report, lang)}", style="dim")
    prov = _provenance(report)
    if prov.get("illustrative", 0) or prov.get("unverified", 0):
        console.print(
            f"\u26a0 {t('notice_title', lang)} ("
            f"{fmt_int(prov.get('illustrative', 0), lang)} {t('status_illustrative', lang)}, "
            f"{fmt_int(prov.get('unverified', 0), lang)} {t('status_unverified', lang)})",
            style="yellow",
        )
    for k in _kpis(report, lang):
        console.print()
        line = Text(t("mon_band_line", lang, band="").rstrip() + " ", style="bold")
        line.append(k["band_text"].upper(), style=f"{BAND_STYLES.get(k['band'], '')} reverse")
        if len(report.city_kodes) > 1:
            line.append(f" ({k['city']})")
        console.print(line)
        figures = [f"{label} {value}" for label, value in k["figures"][:4]]
        console.print(" \u00b7 ".join(figures[:3]))
        console.print(figures[3])
        console.print(k["investment"])
        console.print(k["counts"])
    for part in (_agency_table(report, lang), _indicator_table(report, lang)):
        if part is not None and part.row_count:
            console.print()
            console.print(part)
    console.print()
    counts = Counter(w.code for w in report.warnings)
    codes = ", ".join(f"{c} \u00d7{n}" for c, n in sorted(counts.items()))
    title = Text(t("mon_top_warnings", lang), style="bold")
    if counts:
        title.append(
            f" ({t('mon_warning_counts', lang, n=len(report.warnings), codes=codes)})",
            style="dim",
        )
    console.print(title)
    picked = top_warnings(report)
    if not report.warnings:
        console.print(t("no_warnings", lang), style="green")
    for w in picked:
        style = "bold red" if _warning_level(w) == "danger" else "yellow"
        text = Text(f"{w.code} ", style=style)
        text.append(plain_text(render_warning(w, lang), lang))
        console.print(text)
    rest = sum(1 for w in report.warnings if w.code != "SAN-W304") - len(picked)
    if rest > 0:
        console.print(t("more_warnings", lang, n=rest), style="dim")
    console.print()
    console.print(Text(t("mon_overdue", lang), style="bold"))
    overdue = _overdue_items(report)
    if not len(overdue):
        console.print(t("mon_no_overdue", lang), style="green")
    for _, r in overdue.head(MAX_OVERDUE).iterrows():
        text = Text(f"[{r.get('meeting_id', '')}] {r.get('owner_agency', '')}: ", style="bold red")
        text.append(str(r.get("action", "")))
        due = r.get("due_date")
        text.append(
            " \u2014 "
            + t(
                "mon_overdue_line",
                lang,
                due=fmt_date(due, lang) if not is_missing(due) else MISSING,
                days=fmt_int(r.get("days_overdue"), lang),
            ),
            style="red",
        )
        console.print(text)
    if len(overdue) > MAX_OVERDUE:
        console.print(t("more_warnings", lang, n=len(overdue) - MAX_OVERDUE), style="dim")


# ----------------------------------------------------------------------------- agency brief


def _brief_frame(brief: AgencyBrief, attr: str) -> pd.DataFrame:
    df = getattr(brief, attr, None)
    return df if isinstance(df, pd.DataFrame) else pd.DataFrame()


def _num(value: Any, lang: str) -> str:
    f = as_float(value)
    return MISSING if f is None else fmt_number(f, 2, lang, strip_zeros=True)


def _date(value: Any, lang: str) -> str:
    if is_missing(value):
        return MISSING
    return fmt_date(pd.Timestamp(value).date(), lang)


def _brief_header(brief: AgencyBrief, lang: str) -> tuple[str, str, str]:
    """(name line, title line, totals paragraph)."""
    name = brief.name_en if lang == "en" else brief.name_id
    title = (
        f"{t('brief_title', lang, year=brief.year)} \u00b7 "
        f"{t('brief_as_of', lang, date=fmt_date(brief.as_of, lang))} \u00b7 {brief.city_kode}"
    )
    tot = brief.totals or {}

    def n(key: str) -> str:
        return fmt_int(tot.get(key, 0), lang)

    totals = t(
        "brief_totals",
        lang,
        n_led=n("n_led"),
        budget=fmt_idr(tot.get("planned_cost_idr", 0.0), lang),
        spent=fmt_idr(tot.get("spent_to_date_idr", 0.0), lang),
        n_supported=n("n_supported"),
        n_open=n("n_open_actions"),
        n_overdue=n("n_overdue"),
        n_meetings=n("n_meetings"),
        n_upcoming=n("n_upcoming"),
    )
    if "n_reports_due" in tot:
        totals += " " + t(
            "brief_reports_totals",
            lang,
            due=n("n_reports_due"),
            overdue=n("n_reports_overdue"),
            returned=n("n_reports_returned"),
        )
    return f"{name} ({brief.agency})", title, totals


def _led_lines(brief: AgencyBrief, lang: str) -> list[tuple[str, str, list[str]]]:
    """(code, activity, detail lines) of each led activity."""
    out = []
    for _, r in _brief_frame(brief, "led").iterrows():
        unit = str(r.get("output_unit", "") or "")
        rq = int(as_float(r.get("reported_quarter")) or 0)
        targets = " \u00b7 ".join(
            f"{t('quarter_short', lang, quarter=q)} {_num(r.get(f'target_q{q}'), lang)}"
            for q in (1, 2, 3, 4)
            if f"target_q{q}" in r
        )
        src = r.get("funding_source")
        money = fmt_idr(r.get("planned_cost_idr"), lang)
        if not is_missing(src):
            money += f" ({source_label(str(src), lang)})"
        lines = [f"{_num(r.get('planned_output'), lang)} {unit}; {money}"]
        if targets:
            lines.append(f"{t('brief_targets', lang)}: {targets}")
        judged = int(as_float(r.get("judged_from_quarter")) or 1)
        if 1 < judged <= 4:
            lines.append(t("brief_judged_from", lang, quarter=judged))
        if rq:
            done = f"{t('brief_done', lang, quarter=rq)}: {_num(r.get('output_to_date'), lang)}"
            progress = as_float(r.get("progress_pct"))
            if progress is not None:
                done += f", {t('brief_progress', lang, pct=fmt_pct(progress, 1, lang))}"
            phys = as_float(r.get("physical_pct"))
            if phys is not None:
                done += f" ({fmt_pct(phys, 1, lang)})"
            done += f"; {fmt_idr(r.get('spent_to_date_idr'), lang)}"
            lines.append(done)
        reports = _report_line(brief, str(r.get("code", "")), lang)
        if reports:
            lines.append(reports)
        out.append((str(r.get("code", "")), str(r.get("activity", "")), lines))
    return out


def _report_line(brief: AgencyBrief, code: str, lang: str) -> str:
    """ "Reports: Q1 verified · Q2 missing (overdue) …" for the quarters of ``code`` that have
    started (METHOD.md §10.11); '' without a reporting table."""
    q = brief.quarters
    if q is None or q.empty:
        return ""
    rows = q[(q["code"] == code) & q["started"]]
    parts = []
    for quarter, state, overdue in zip(
        rows["quarter"], rows["state"], rows["overdue"], strict=True
    ):
        text = f"{t('quarter_short', lang, quarter=int(quarter))} {t(f'rstate_{state}', lang)}"
        if overdue:
            text += f" ({t('rstate_overdue', lang)})"
        parts.append(text)
    return f"{t('brief_reports', lang)}: " + " \u00b7 ".join(parts) if parts else ""


def _supported_lines(brief: AgencyBrief, lang: str) -> list[str]:
    out = []
    for _, r in _brief_frame(brief, "supported").iterrows():
        out.append(
            f"{r.get('code', '')} {r.get('activity', '')} "
            f"({t('brief_led_by', lang, agency=r.get('lead_agency', ''))}): "
            f"{_num(r.get('planned_output'), lang)} {r.get('output_unit', '')}, "
            f"{fmt_idr(r.get('planned_cost_idr'), lang)}"
        )
    return out


def _action_lines(brief: AgencyBrief, lang: str) -> list[tuple[bool, str]]:
    out = []
    for _, r in _brief_frame(brief, "action_items").iterrows():
        late = _truthy(r.get("overdue"))
        due = t("brief_due", lang, due=_date(r.get("due_date"), lang))
        text = f"[{r.get('meeting_id', '')}] {r.get('action', '')} \u2014 {due}"
        if late:
            text += f" \u2014 {t('brief_overdue', lang, days=fmt_int(r.get('days_overdue'), lang))}"
        out.append((late, text))
    return out


def _meeting_lines(brief: AgencyBrief, lang: str) -> list[tuple[bool, str]]:
    out = []
    for _, r in _brief_frame(brief, "meetings").iterrows():
        held = _truthy(r.get("held"))
        kind = code_label("kind", str(r.get("kind", "")), lang)
        state = t("brief_held" if held else "brief_upcoming", lang)
        milestone = r.get("milestone")
        ms = f" [{milestone}]" if not is_missing(milestone) and str(milestone) else ""
        out.append(
            (
                held,
                f"{_date(r.get('date'), lang)} \u00b7 {r.get('id', '')} \u00b7 {kind}{ms}: "
                f"{r.get('title', '')} ({state})",
            )
        )
    return out


def agency_brief_text(brief: AgencyBrief, lang: str = "id", *, width: int = 100) -> str:
    """The one-page "what my agency owes this year" as plain text (``width`` columns):
    the agency and date, the headline totals, each led activity with its annual output and
    budget, cumulative quarterly targets and what is done to the reported quarter, the
    supported activities, the open action items (overdue flagged) and this year's meetings.
    Figures are formatted for ``lang`` (``Rp 1.234.567``, ``64,3%``, ``31 Maret 2026``)."""
    lang = norm_lang(lang)
    name, title, totals = _brief_header(brief, lang)
    out = [name, title, "=" * min(width, max(len(name), len(title)))]
    out += textwrap.wrap(totals, width)

    def section(key: str) -> None:
        out.append("")
        out.append(t(key, lang))
        out.append("-" * len(t(key, lang)))

    def item(text: str, indent: str = "  ") -> None:
        out.extend(textwrap.wrap(text, width, initial_indent=indent, subsequent_indent="    "))

    section("brief_led")
    led = _led_lines(brief, lang)
    if not led:
        out.append("  " + t("brief_none", lang))
    for code, activity, lines in led:
        item(f"{code} {activity}")
        for ln in lines:
            item(ln, "    ")
    section("brief_supported")
    sup = _supported_lines(brief, lang)
    out += [f"  {t('brief_none', lang)}"] if not sup else []
    for s in sup:
        item(s)
    section("brief_actions")
    acts = _action_lines(brief, lang)
    out += [f"  {t('brief_none', lang)}"] if not acts else []
    for late, s in acts:
        item(("! " if late else "") + s)
    section("brief_meetings")
    mts = _meeting_lines(brief, lang)
    out += [f"  {t('brief_none', lang)}"] if not mts else []
    for _, s in mts:
        item(s)
    return "\n".join(out) + "\n"


def agency_brief_html(
    brief: AgencyBrief,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
) -> str:
    """The one-pager as a self-contained HTML page (no script, prints on one or two A4
    pages): the same content as :func:`agency_brief_text`, overdue action items in red."""
    lang = norm_lang(lang)
    name, title, totals = _brief_header(brief, lang)
    ctx = dict(
        lang=lang,
        t=lambda key, **kw: t(key, lang, **kw),
        title=f"{name} \u2014 {t('brief_title', lang, year=brief.year)}",
        heading=name,
        subtitle=title,
        meta=[],
        notice=dict(show=False, body="", tables=""),
        toc=[],
        totals=totals,
        led=_led_lines(brief, lang),
        supported=_supported_lines(brief, lang),
        actions=_action_lines(brief, lang),
        meetings=_meeting_lines(brief, lang),
        generated=fmt_date(generated or _dt.date.today(), lang),
        version=_package_version(),
        vendored="",
        js=[],
        has_charts=False,
        chart_json="{}",
    )
    return template("agency_brief.html.j2").render(**ctx)


__all__ = [
    "agency_brief_html",
    "investment_line",
    "investment_sources",
    "agency_brief_text",
    "band_label",
    "build_monitoring_context",
    "monitoring_table_view",
    "print_monitoring_summary",
    "render_monitoring_html",
    "top_warnings",
    "write_monitoring_html",
    "write_monitoring_xlsx",
]
