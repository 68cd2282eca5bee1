"""The plan report page: the retrospective summary, the SSK chapters with their charts,
tables and SFD diagrams (:func:`build_context`), and the HTML and PDF files
(:func:`render_html`, :func:`write_html`, :func:`write_pdf`)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sanitasi.core.model import PlanResult, Table
from sanitasi.messages import render as render_warning
from sanitasi.reports import charts as _charts
from sanitasi.reports import sankey as _sankey
from sanitasi.reports.common import (
    OVERRIDE_COLUMNS,
    bappenas_year,
    city_kode,
    city_name,
    input_notice,
    overrides_frame,
    region_names,
    retrospective_rows,
    sources,
    warning_level,
    write_atomically,
    years,
)
from sanitasi.reports.fmt import (
    as_float,
    fmt_count,
    fmt_date,
    fmt_int,
    fmt_number,
    fmt_pct,
    fmt_pts,
    norm_lang,
)
from sanitasi.reports.html.page import _template, pdf_bytes, script_context
from sanitasi.reports.html.plan_tables import plan_table_view, print_part_title
from sanitasi.reports.html.tables import table_view
from sanitasi.reports.html.views import Block, ChartView, TableView, chart_views
from sanitasi.reports.i18n import (
    CHAPTER_ORDER,
    chapter_of,
    indicator_label,
    plain_text,
    t,
    target_set_label,
    unit_label,
)
from sanitasi.reports.print_layout import fit_tables
from sanitasi.reports.xlsx import plan_sheet_names

#: Chart placed before the table of the same name (``headline`` gets every headline chart,
#: ``coverage`` every programme-coverage chart).
_CHART_BEFORE_TABLE = {
    "ladder": "ladder",
    "waste": "waste",
    "funding": "funding",
    "programme_funding": "programme_funding",
}
_CHART_GROUPS = {"headline:": "headline", "coverage:": "coverage"}


def _chart_target(key: str) -> str:
    for prefix, target in _CHART_GROUPS.items():
        if key.startswith(prefix):
            return target
    return _CHART_BEFORE_TABLE.get(key, key)


def sfd_diagram_blocks(result: PlanResult, lang: str) -> list[Block]:
    """The excreta flow diagrams of the plan (``sfd_matrix``): the base year and the end of
    the plan period (plan scenario), each as an inline SVG block."""
    table = result.tables.get("sfd_matrix")
    if table is None or not isinstance(table.df, pd.DataFrame) or not len(table.df):
        return []
    y = years(result)
    have = {int(v) for v in table.df["year"]} if "year" in table.df.columns else set()
    blocks: list[Block] = []
    for yr, key in ((y.base, "ins_sfd_base_label"), (y.end, "ins_sfd_end_label")):
        if yr not in have or any(b.anchor == f"sfd-{yr}" for b in blocks):
            continue
        title = t("ins_sfd_plan_diagram", lang, year=yr, what=t(key, lang))
        svg = _sankey.sfd_sankey_svg(table.df, yr, lang, title=title)
        blocks.append(Block("svg", svg=svg, title=title, anchor=f"sfd-{yr}"))
    return blocks


def _generic_table(name: str, title: str, df: pd.DataFrame) -> Table:
    return Table(name=name, title_id=title, title_en=title, df=df, columns={}, provenance={})


@dataclass
class RetroLine:
    css: str
    text: str


def retrospective_summary(result: PlanResult, lang: str) -> tuple[str, list[RetroLine]]:
    """Heading and one sentence per (target set, indicator) of the latest retrospective
    year: "how far are we from the Bappenas 2024 targets?"."""
    lang = norm_lang(lang)
    y = years(result)
    d = retrospective_rows(result)
    if d is None:
        return t("retro_question", lang, year=y.base), []
    byear = bappenas_year(d)
    if byear is not None:
        heading = t("retro_question_bappenas", lang, year=byear)
    else:
        heading = t("retro_question", lang, year=y.base)
    lines: list[RetroLine] = []
    for _, r in d.iterrows():
        ind = indicator_label(str(r["indicator"]), lang)
        set_label = target_set_label(str(r["target_set"]), lang)
        target = fmt_pct(r.get("target_pct"), 1, lang)
        actual = r.get("actual_pct")
        gap = as_float(r.get("gap_pts"))
        nodata = str(r.get("data", "ok")) == "no_data" or as_float(actual) is None
        kw = dict(indicator=ind, target=target, set=set_label, year=int(r["year"]))
        if nodata:
            lines.append(RetroLine("nodata", t("retro_line_nodata", lang, **kw)))
            continue
        if gap is not None and gap > 0:
            units = ""
            gu = as_float(r.get("gap_units"))
            if gu is not None:
                unit = str(r.get("unit", "") or "")
                value = fmt_count(gu, lang) if unit == "households" else fmt_number(gu, 1, lang)
                units = t("approx_units", lang, value=value, unit=unit_label(unit, lang))
            text = t(
                "retro_line_short",
                lang,
                actual=fmt_pct(actual, 1, lang),
                gap=fmt_pts(gap, 1, lang),
                units=units,
                **kw,
            )
            lines.append(RetroLine("short", text))
        elif gap is None:  # attainment known but no gap given: no verdict
            text = t("retro_line_plain", lang, actual=fmt_pct(actual, 1, lang), **kw)
            lines.append(RetroLine("nodata", text))
        else:
            text = t("retro_line_met", lang, actual=fmt_pct(actual, 1, lang), **kw)
            lines.append(RetroLine("met", text))
    return heading, lines


def _place(kode: str, names: Mapping[str, str]) -> str:
    if not kode:
        return ""
    name = names.get(kode)
    return f"{name} ({kode})" if name else kode


def build_context(
    result: PlanResult,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
    inline_js: bool = True,
    static_charts: bool = False,
) -> dict[str, Any]:
    """Everything the template shows, as display strings (``static_charts``: the print
    mode of :func:`render_html`)."""
    lang = norm_lang(lang)
    y = years(result)
    kode = city_kode(result)
    city = city_name(result, kode)
    names = region_names(result)
    notice = input_notice(result)
    specs = _charts.all_charts(result, lang, kode=kode or None)

    chart_blocks: dict[str, list[ChartView]] = {}
    for key, chart in chart_views(specs, lang, static_charts=static_charts).items():
        chart_blocks.setdefault(_chart_target(key), []).append(chart)

    chapters: dict[str, list[Block]] = {c: [] for c in CHAPTER_ORDER}
    param_tables: list[TableView] = []
    sheets = plan_sheet_names(result.tables) if static_charts else {}
    for name, table in result.tables.items():
        if not isinstance(table.df, pd.DataFrame):
            continue
        view = plan_table_view(table, lang, y, names, print_sheet=sheets.get(name))
        chapter = chapter_of(name)
        if chapter == "chapter_annex":
            param_tables.append(view)
            continue
        if name in chart_blocks:
            chapters[chapter].append(Block("charts", charts=chart_blocks.pop(name)))
        if name == "sfd_matrix":
            chapters[chapter].extend(sfd_diagram_blocks(result, lang))
        chapters[chapter].append(Block("table", table=view))
    for cv in chart_blocks.values():  # charts whose table was not found
        chapters["chapter_other"].append(Block("charts", charts=cv))

    if not param_tables:
        df = getattr(result.parameters, "table", None)
        if callable(df):
            ptab = df()
            if isinstance(ptab, pd.DataFrame) and len(ptab):
                param_tables.append(
                    table_view(_generic_table("parameters", t("parameters", lang), ptab), lang)
                )

    ov = overrides_frame(result)
    overrides = None
    if len(ov):
        ov_table = Table(
            name="overrides",
            title_id=t("overrides", "id"),
            title_en=t("overrides", "en"),
            df=ov,
            columns=OVERRIDE_COLUMNS,
            provenance={},
        )
        overrides = table_view(ov_table, lang)

    warnings = [
        dict(
            level=warning_level(w, result),
            code=w.code,
            message=plain_text(render_warning(w, lang), lang),
            place=_place(w.kode, names),
            year=str(w.year) if w.year is not None else "",
        )
        for w in result.warnings
    ]
    if static_charts:  # the print edition: each table on a page it fits
        part = print_part_title(lang)
        for blocks in chapters.values():
            fit_tables(blocks, part)
        more = [*param_tables, *([overrides] if overrides else [])]
        fit_tables((Block("table", table=v) for v in more), part)
    files, cited = sources(result)
    heading, retro = retrospective_summary(result, lang)
    toc = [("summary", t("summary", lang))]
    chapter_list = []
    for c in CHAPTER_ORDER:
        if chapters[c]:
            chapter_list.append(dict(id=c.replace("_", "-"), title=t(c, lang), blocks=chapters[c]))
            toc.append((c.replace("_", "-"), t(c, lang)))
    toc += [
        ("warnings", t("warnings", lang)),
        ("parameters", t("parameters", lang)),
        ("sources", t("sources", lang)),
    ]
    target_sets = [target_set_label(s, lang) for s in result.target_sets]
    notice_tables = [result.tables[n].title(lang) for n in notice.tables if n in result.tables]
    return dict(
        lang=lang,
        t=lambda key, **kw: t(key, lang, **kw),
        title=f"{t('report_title', lang)} \u2014 {city}",
        heading=f"{t('report_title', lang)} \u2014 {city}",
        subtitle=t("report_subtitle", lang),
        city=city,
        kode=kode,
        meta=[
            (t("city", lang), f"{city} ({kode})" if kode and kode != city else city),
            (t("base_year", lang), str(y.base)),
            (t("plan_period", lang), f"{y.start}\u2013{y.end}"),
            (t("horizon", lang), str(y.horizon)),
            (t("target_sets", lang), ", ".join(target_sets) or t("none", lang)),
            (t("generated", lang), fmt_date(generated or _dt.date.today(), lang)),
        ],
        notice=dict(
            show=notice.any,
            body=t(
                "notice_body",
                lang,
                illustrative=fmt_int(notice.illustrative, lang),
                unverified=fmt_int(notice.unverified, lang),
            ),
            tables=t("notice_tables", lang, tables=", ".join(notice_tables))
            if notice_tables
            else "",
        ),
        retro_heading=heading,
        retro=retro,
        toc=toc,
        chapters=chapter_list,
        warnings=warnings,
        overrides=overrides,
        param_tables=param_tables,
        files=files,
        cited=cited,
        **script_context(specs, lang, inline_js=inline_js, static_charts=static_charts),
    )


def render_html(
    result: PlanResult,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
    inline_js: bool = True,
    static_charts: bool = False,
) -> str:
    """The report as one HTML string. ``inline_js=False`` leaves out the ~840 kB of Vega
    code (for tests and golden files; charts then do not draw).

    ``static_charts=True`` is the print mode (the PDF download): no JavaScript at all, each
    chart drawn now as inline SVG (:mod:`sanitasi.reports.static_charts`, numbers in the
    report language) in a ``<figure>`` captioned with its title, and print CSS for A4
    portrait pages (charts scaled to the page width, never split across pages)."""
    return _template().render(
        **build_context(
            result, lang, generated=generated, inline_js=inline_js, static_charts=static_charts
        )
    )


def write_html(
    result: PlanResult,
    path: str | Path,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
) -> None:
    """Write the self-contained offline HTML report of ``result`` to ``path`` (UTF-8).

    The file is written to a temporary name and renamed, so a failure never leaves half a
    report behind.
    """
    write_atomically(path, render_html(result, lang, generated=generated))


def write_pdf(
    result: PlanResult,
    path: str | Path,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
) -> None:
    """Write the plan report as a PDF (A4, charts drawn as SVG; the print mode of
    :func:`render_html`) to ``path``, through a temporary name like :func:`write_html`."""
    pdf = pdf_bytes(render_html(result, lang, generated=generated, static_charts=True))
    write_atomically(path, pdf)
