"""Reports of the SSK instruments (Bab II): risk areas, the excreta flow diagram (SFD) and the
household survey, and their chapters in the plan report.

Standalone reports (``sanitasi risk``, ``sanitasi sfd``, ``sanitasi survey``) are built as an
:class:`InstrumentReport` (:func:`risk_report`, :func:`sfd_report`, :func:`survey_report`)
and rendered like the plan report:

- :func:`write_instrument_html` -- one self-contained offline HTML file on the plan report's
  templates (``templates/instrument.html.j2``, the same inlined Vega): risk -- the tile map
  of kelurahan per subsector coloured by class (:func:`sanitasi.reports.charts.risk_map_chart`),
  the scores with every intermediate value, the priority list and the programme's share in
  priority areas; SFD -- the Sankey diagram as inline SVG (:mod:`sanitasi.reports.sankey`,
  no script needed), SFD-safe vs JMP-style vs *aman* side by side, flows and systems;
  survey -- the shares with their 95 % intervals (error-bar chart and table) and the
  answers that were not counted, per column;
- :func:`write_instrument_xlsx` -- README, then one sheet per table (numbers as numbers,
  Indonesian and English header rows, codes kept, risk classes coloured);
- :func:`print_instrument_summary` -- a compact terminal summary (Indonesian number format
  by default: ``72,7%``, ``Rp 1,7 miliar``).

:func:`plan_ladder` and :func:`plan_service` give an SFD projection the plan scenario's ladder
and L2T2 service of a city; the plan's Bab II chapters themselves are added by
:func:`sanitasi.app.instruments.instrument_chapters` (``sanitasi plan`` and the web's plan
downloads): the plan HTML shows ``survey_shares``, ``risk_scores``, ``risk_priority``,
``sfd_compare``, ``sfd_matrix`` in Bab II with the tile map and the Sankey diagrams (base
year, end of the plan period) and ``priority_share_period``, ``priority_activities`` with the
programme; the XLSX file gets one sheet each. This module reads no file.

Everything shown is read from the engine's tables; nothing is recomputed.
"""

from __future__ import annotations

import datetime as _dt
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from rich.console import Console
from rich.text import Text

from sanitasi.core.model import RUNGS, PlanResult, Table, Warning_
from sanitasi.core.risk import CLASS_LABELS, PRIORITY_CLASS, RiskResult
from sanitasi.core.sfd import FLOWS, NODE_LABELS, SfdResult
from sanitasi.messages import render as render_warning
from sanitasi.reports import charts as _charts
from sanitasi.reports import sankey as _sankey
from sanitasi.reports.common import (
    has_unofficial,
    provenance_counts,
    write_atomically,
)
from sanitasi.reports.fmt import (
    MISSING,
    as_float,
    fmt_date,
    fmt_idr_compact,
    fmt_int,
    fmt_number,
    fmt_pct,
    norm_lang,
)
from sanitasi.reports.html import (
    Block,
    ChartView,
    _anchor,
    script_context,
    table_view,
    template,
)
from sanitasi.reports.i18n import (
    CODE_COLUMNS,
    RUNG_LABELS,
    code_label,
    plain_text,
    rung_label,
    sector_label,
    t,
)
from sanitasi.reports.instrument_tables import (
    RISK_TABLES,
    SFD_TABLES,
    display_table,
    survey_tables,
)
from sanitasi.reports.terminal import rich_table
from sanitasi.reports.xlsx import (
    DATA_ROW,
    ReadmeSheet,
    _Formats,
    report_workbook,
    sheet_name,
    write_sheets,
)

KINDS: tuple[str, ...] = ("risk", "sfd", "survey")

#: Chapters of each standalone report: (message key, tables in order).
CHAPTERS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "risk": (
        ("ins_ch_risk_map", ("risk_scores", "risk_priority", "risk_classes")),
        (
            "ins_ch_risk_programme",
            ("priority_share_period", "priority_share", "priority_activities"),
        ),
        ("ins_ch_risk_scores", ("risk_indicator_scores",)),
    ),
    "sfd": (
        ("ins_ch_sfd_diagram", ("sfd_compare",)),
        (
            "ins_ch_sfd_tables",
            ("sfd_flows", "sfd_stages", "sfd_matrix", "sfd_systems", "sfd_nodes"),
        ),
    ),
    "survey": (
        ("ins_ch_survey_shares", ("survey_shares",)),
        ("ins_ch_survey_issues", ("survey_issue_columns", "survey_issues")),
        ("ins_ch_survey_other", ("survey_waste", "survey_mapping")),
    ),
}
TITLES: dict[str, tuple[str, str]] = {
    "risk": ("ins_risk_title", "ins_risk_subtitle"),
    "sfd": ("ins_sfd_title", "ins_sfd_subtitle"),
    "survey": ("ins_survey_title", "ins_survey_subtitle"),
}
#: Tables whose HTML shows only the diagram year (the XLSX file has every year).
DIAGRAM_YEAR_TABLES: frozenset[str] = frozenset({"sfd_stages", "sfd_matrix", "sfd_systems"})

#: Risk class colours (HTML, XLSX, terminal), class 1 to 4.
CLASS_COLORS: dict[int, tuple[str, str]] = {
    1: ("#A6D96A", "#1D2329"),
    2: ("#FEE08B", "#1D2329"),
    3: ("#FDAE61", "#1D2329"),
    4: ("#D73027", "#FFFFFF"),
}
CLASS_STYLES: dict[int, str] = {1: "green", 2: "yellow", 3: "dark_orange", 4: "bold red"}
SAFETY_STYLES: dict[str, str] = {"safe": "green", "unsafe": "red", "": "dim"}

#: Most rows of a terminal table before "... and N more".
MAX_TERMINAL_ROWS = 30


# ----------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class InstrumentReport:
    """One instrument's tables for the standalone reports.

    ``kind``: ``risk``, ``sfd`` or ``survey``; ``tables`` in report order; ``warnings``:
    the engine's warnings and the input warnings; ``facts``: what the summary states besides
    the tables (risk: ``cut_points`` given, class ``bounds``, ``programme`` found, region
    ``names``; SFD: ``year``,
    ``base_year``, ``no_ladder``; survey: ``file``, ``mapping``, ``engine``, ``totals``,
    ``min_households``, ``window_years``, ``year``)."""

    kind: str
    city_kode: str
    city_name: str
    tables: Mapping[str, Table]
    warnings: tuple[Warning_, ...] = ()
    facts: Mapping[str, Any] = field(default_factory=dict)

    def frame(self, name: str) -> pd.DataFrame | None:
        table = self.tables.get(name)
        return table.df if table is not None and isinstance(table.df, pd.DataFrame) else None

    @property
    def city_title(self) -> str:
        if self.city_name and self.city_kode and self.city_name != self.city_kode:
            return f"{self.city_name} ({self.city_kode})"
        return self.city_name or self.city_kode or MISSING


def problem_warnings(problems: Iterable[Any]) -> tuple[Warning_, ...]:
    """Input warnings (``io.errors.Problem``: file, line, column, value and rule) as report
    warnings (code and message in both languages)."""
    out = []
    for p in problems:
        where = getattr(p, "where", None)
        if callable(where):
            rule_en = str(p.rule)
            values = {
                "where": str(where()),
                "rule_id": str(p.message_id or rule_en),
                "rule_en": rule_en,
            }
            out.append(Warning_(str(p.code), values))
    return tuple(out)


def risk_report(
    risk: RiskResult,
    *,
    city_kode: str = "",
    city_name: str = "",
    share: Mapping[str, Table] | None = None,
    problems: Iterable[Any] = (),
    cut_points: Sequence[float] | None = None,
    names: Mapping[str, str] | None = None,
) -> InstrumentReport:
    """The risk-area report of a :func:`sanitasi.core.risk.score_risk` run, with the
    tables of :func:`sanitasi.core.risk.priority_share` when the city has a programme;
    ``names`` (``kode -> nama``, e.g. ``RiskInputs.names``) labels the kecamatan rows of
    the tile map."""
    tables = {n: risk.tables[n] for n in RISK_TABLES if n in risk.tables}
    for n in RISK_TABLES:
        if share and n in share:
            tables[n] = share[n]
    ordered = {n: tables[n] for n in RISK_TABLES if n in tables}
    facts = {
        "cut_points": tuple(float(c) for c in cut_points) if cut_points else None,
        "bounds": dict(risk.cut_points),
        "programme": bool(share),
        "names": {str(k): str(v) for k, v in (names or {}).items()},
    }
    return InstrumentReport(
        "risk",
        city_kode,
        city_name,
        ordered,
        (*problem_warnings(problems), *risk.warnings),
        facts,
    )


def sfd_report(
    sfd: SfdResult,
    *,
    year: int,
    city_kode: str = "",
    city_name: str = "",
    problems: Iterable[Any] = (),
    no_ladder: bool = False,
) -> InstrumentReport:
    """The SFD report of a :func:`sanitasi.core.sfd.compute_sfd` run; ``year`` is the year
    of the diagram and of the terminal's flows."""
    tables = {n: sfd.tables[n] for n in SFD_TABLES if n in sfd.tables}
    systems = sfd["sfd_systems"]
    sel = systems[systems["year"] == year] if "year" in systems else systems
    base = int(sel["base_year"].iloc[0]) if len(sel) and "base_year" in sel else year
    facts = {"year": int(year), "base_year": base, "no_ladder": bool(no_ladder)}
    return InstrumentReport(
        "sfd",
        city_kode,
        city_name,
        tables,
        (*problem_warnings(problems), *sfd.warnings),
        facts,
    )


def survey_report(
    result: Any, *, city_kode: str = "", city_name: str = "", problems: Iterable[Any] = ()
) -> InstrumentReport:
    """The survey report of a :class:`sanitasi.io.survey.SurveyResult`."""
    window = fmt_number(result.rules.window_years, 1, "id", strip_zeros=True)
    window_en = fmt_number(result.rules.window_years, 1, "en", strip_zeros=True)
    note = (
        t("ins_survey_method", "id", window=window),
        t("ins_survey_method", "en", window=window_en),
    )
    tables = survey_tables(result, note)
    facts = {
        "file": result.file,
        "mapping": result.mapping.name,
        "engine": result.engine,
        "totals": dict(result.totals),
        "min_households": int(result.rules.min_households),
        "window_years": float(result.rules.window_years),
        "year": result.year,
    }
    warns = problem_warnings([*result.notes, *problems])
    return InstrumentReport("survey", city_kode, city_name, tables, warns, facts)


# ----------------------------------------------------------------------------- summary facts


def _class_text(cls: Any, lang: str) -> str:
    f = as_float(cls)
    if f is None:
        return MISSING
    pair = CLASS_LABELS.get(int(f), (str(cls), str(cls)))
    return f"{int(f)} {pair[1] if norm_lang(lang) == 'en' else pair[0]}"


def _subsectors(df: pd.DataFrame) -> list[str]:
    subs = [s for s in ("ald", "persampahan") if s in set(df["subsector"])]
    return subs + [str(s) for s in dict.fromkeys(df["subsector"]) if s not in subs]


def _bounds_text(report: InstrumentReport, lang: str) -> str:
    fixed = report.facts.get("cut_points")
    if fixed:
        pts = " / ".join(fmt_number(c, 2, lang, strip_zeros=True) for c in fixed)
        return t("ins_cut_fixed", lang, points=pts)
    bounds: Mapping[tuple[str, str], tuple[float, float, float]] = report.facts.get("bounds", {})
    parts = [
        f"{sector_label(sub, lang)} "
        + " / ".join(fmt_number(c, 2, lang, strip_zeros=True) for c in cuts)
        for (_city, sub), cuts in bounds.items()
    ]
    text = t("ins_cut_equal", lang)
    return f"{text}: {'; '.join(parts)}" if parts else text


def _programme_lines(report: InstrumentReport, lang: str) -> list[str]:
    df = report.frame("priority_share_period")
    if df is None:
        return [t("ins_prog_none", lang)] if report.kind == "risk" else []
    lines = []
    for _, r in df.iterrows():
        located = as_float(r.get("pct_located_cost_priority"))
        lines.append(
            t(
                "ins_prog_line" if located is not None else "ins_prog_line_unlocated",
                lang,
                sector=sector_label(str(r.get("sector", "")), lang),
                priority=fmt_idr_compact(r.get("cost_priority_idr"), lang),
                total=fmt_idr_compact(r.get("cost_total_idr"), lang),
                pct=fmt_pct(r.get("pct_cost_priority"), 1, lang),
                located=fmt_pct(located, 1, lang),
                not_located=fmt_idr_compact(r.get("cost_not_located_idr"), lang),
            )
        )
    return lines


def _sfd_row(report: InstrumentReport) -> dict[str, Any]:
    df = report.frame("sfd_compare")
    year = report.facts.get("year")
    if df is None or not len(df):
        return {}
    rows = df[df["year"] == year] if year is not None else df.tail(1)
    return {str(k): v for k, v in rows.iloc[0].items()} if len(rows) else {}


def _open_defecation(report: InstrumentReport) -> float | None:
    df = report.frame("sfd_flows")
    year = report.facts.get("year")
    if df is None or "open_defecation" not in df.columns:
        return None
    rows = df[df["year"] == year]
    return as_float(rows["open_defecation"].iloc[0]) if len(rows) else None


def summary_figures(report: InstrumentReport, lang: str = "id") -> list[tuple[str, str]]:
    """The headline figures of a report as ``(label, value)`` pairs (HTML key figures)."""
    lang = norm_lang(lang)
    out: list[tuple[str, str]] = []
    if report.kind == "risk":
        sc = report.frame("risk_scores")
        if sc is not None and len(sc):
            out.append((t("ins_n_kelurahan", lang), fmt_int(sc["kode"].nunique(), lang)))
            for sub in _subsectors(sc):
                n = int((sc["subsector"].eq(sub) & sc["final_class"].ge(PRIORITY_CLASS)).sum())
                out.append(
                    (f"{t('ins_n_priority', lang)}: {sector_label(sub, lang)}", fmt_int(n, lang))
                )
            ov = sc["overridden"].astype(bool).sum() if "overridden" in sc else 0
            out.append((t("ins_n_overridden", lang), fmt_int(ov, lang)))
        ps = report.frame("priority_share_period")
        if ps is not None:
            for _, r in ps.iterrows():
                label = t("ins_prog_share", lang, sector=sector_label(str(r["sector"]), lang))
                out.append((label, fmt_pct(r.get("pct_cost_priority"), 1, lang)))
    elif report.kind == "sfd":
        row = _sfd_row(report)
        out.append((t("ins_sfd_year", lang), str(report.facts.get("year", MISSING))))
        out.append((t("ins_sfd_safe", lang), fmt_pct(row.get("sfd_safe_pct"), 1, lang)))
        out.append((t("ins_sfd_jmp", lang), fmt_pct(row.get("jmp_safely_managed_pct"), 1, lang)))
        out.append((t("ins_sfd_aman", lang), fmt_pct(row.get("pct_aman"), 1, lang)))
        out.append((t("ins_sfd_layak", lang), fmt_pct(row.get("pct_layak"), 1, lang)))
        out.append(
            (
                NODE_LABELS["open_defecation"][1 if lang == "en" else 0],
                fmt_pct(_open_defecation(report), 1, lang),
            )
        )
    else:
        tot = report.facts.get("totals", {})
        sh = report.frame("survey_shares")
        below = int(sh["below_min"].astype(bool).sum()) if sh is not None and len(sh) else 0
        mn = report.facts.get("min_households", 40)
        out += [
            (t("ins_survey_rows", lang), fmt_int(tot.get("rows"), lang)),
            (t("ins_survey_classified", lang), fmt_int(tot.get("classified"), lang)),
            (t("ins_survey_unknown", lang), fmt_int(tot.get("unknown"), lang)),
            (t("ins_survey_unknown_kel", lang), fmt_int(tot.get("unknown_kelurahan"), lang)),
            (t("ins_survey_areas", lang), fmt_int(len(sh) if sh is not None else 0, lang)),
            (t("ins_survey_below", lang, min=mn), fmt_int(below, lang)),
        ]
    return out


def summary_lines(report: InstrumentReport, lang: str = "id") -> list[str]:
    """Sentences under the key figures (class bounds and programme share; SFD note; survey
    method)."""
    lang = norm_lang(lang)
    if report.kind == "risk":
        lines = [f"{t('ins_cut_points', lang)}: {_bounds_text(report, lang)}."]
        lines += _programme_lines(report, lang)
        if report.frame("priority_share_period") is not None:
            lines.append(t("ins_prog_rule", lang))
        return lines
    if report.kind == "sfd":
        base = report.facts.get("base_year")
        lines = [f"{t('ins_sfd_base', lang)}: {base}."]
        if report.facts.get("no_ladder"):
            lines.append(t("ins_sfd_no_ladder", lang))
        table = report.tables.get("sfd_compare")
        if table is not None:
            lines.append(table.note_en if lang == "en" else table.note_id)
        return lines
    f = report.facts
    window = fmt_number(f.get("window_years", 5), 1, lang, strip_zeros=True)
    return [
        f"{t('ins_survey_file', lang)}: {f.get('file', '')} \u00b7 {t('ins_survey_mapping', lang)}: "
        f"{f.get('mapping', '')} \u00b7 {t('ins_survey_engine', lang)}: {f.get('engine', '')}",
        t("ins_survey_method", lang, window=window),
    ]


# ----------------------------------------------------------------------------- HTML


def _charts_of(report: InstrumentReport, lang: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    if report.kind == "risk":
        names = {}
        for n in ("risk_scores", "risk_indicator_scores"):
            df = report.frame(n)
            if df is not None and "nama" in df:
                names.update(dict(zip(df["kode"].astype(str), df["nama"].astype(str), strict=True)))
        names.update(report.facts.get("names", {}) or {})
        spec = _charts.risk_map_chart(report.frame("risk_scores"), lang, names=names)
        if spec is not None:
            out["risk_scores"] = spec
    elif report.kind == "survey":
        spec = _charts.survey_interval_chart(
            report.frame("survey_shares"), lang, min_households=report.facts.get("min_households")
        )
        if spec is not None:
            out["survey_shares"] = spec
    return out


def sfd_diagram(report: InstrumentReport, lang: str, year: int | None = None) -> str:
    """The Sankey diagram of the report's year as inline SVG ("" without a flow matrix)."""
    df = report.frame("sfd_matrix")
    if df is None:
        return ""
    yr = int(year if year is not None else report.facts.get("year", 0))
    title = t("ins_sfd_diagram", lang, year=yr)
    return _sankey.sfd_sankey_svg(df, yr, lang, title=title)


def instrument_table_view(report: InstrumentReport, table: Table, lang: str) -> Any:
    """The HTML view of one table (instrument columns, the diagram year of long SFD tables)."""
    shown = display_table(table, lang)
    kw: dict[str, Any] = {}
    if report.kind == "sfd" and table.name in DIAGRAM_YEAR_TABLES and "year" in shown.df:
        kw.update(year_filter=[int(report.facts.get("year", 0))], year_note="ins_year_shown")
    return table_view(shown, lang, **kw)


def build_instrument_context(
    report: InstrumentReport,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
    inline_js: bool = True,
) -> dict[str, Any]:
    """Everything the instrument page shows, as display strings."""
    lang = norm_lang(lang)
    specs = _charts_of(report, lang)
    chart_blocks = {
        k: [ChartView(f"chart-{_anchor(k)}", str(v.get("title", {}).get("text", k)))]
        for k, v in specs.items()
    }
    placed: set[str] = set()
    chapters: list[dict[str, Any]] = []
    toc = [("summary", t("summary", lang))]
    for key, names in CHAPTERS[report.kind]:
        blocks: list[Block] = []
        if key == "ins_ch_sfd_diagram":
            svg = sfd_diagram(report, lang)
            if svg:
                yr = report.facts.get("year")
                blocks.append(
                    Block(
                        "svg",
                        svg=svg,
                        title=t("ins_sfd_diagram", lang, year=yr),
                        anchor=f"sfd-{yr}",
                    )
                )
        for name in names:
            table = report.tables.get(name)
            if table is None or not isinstance(table.df, pd.DataFrame):
                continue
            placed.add(name)
            if name in chart_blocks:
                blocks.append(Block("charts", charts=chart_blocks.pop(name)))
            blocks.append(Block("table", table=instrument_table_view(report, table, lang)))
        if blocks:
            cid = key.replace("_", "-")
            chapters.append(dict(id=cid, title=t(key, lang), blocks=blocks))
            toc.append((cid, t(key, lang)))
    rest = [
        Block("table", table=instrument_table_view(report, tb, lang))
        for n, tb in report.tables.items()
        if n not in placed and isinstance(tb.df, pd.DataFrame)
    ]
    if rest:
        chapters.append(dict(id="chapter-other", title=t("chapter_other", lang), blocks=rest))
        toc.append(("chapter-other", t("chapter_other", lang)))
    toc.append(("warnings", t("warnings", lang)))
    prov: dict[str, int] = {}
    for tb in report.tables.values():
        for k, v in provenance_counts(tb.provenance).items():
            prov[k] = max(prov.get(k, 0), v)
    unofficial = [tb.title(lang) for tb in report.tables.values() if has_unofficial(tb.provenance)]
    title_key, sub_key = TITLES[report.kind]
    heading = f"{t(title_key, lang)} \u2014 {report.city_title}"
    meta = [(t("city", lang), report.city_title)]
    if report.kind == "sfd":
        meta.append((t("ins_sfd_year", lang), str(report.facts.get("year", MISSING))))
    if report.kind == "survey":
        meta.append((t("ins_survey_file", lang), str(report.facts.get("file", ""))))
        if report.facts.get("year"):
            meta.append((t("col_year", lang), str(report.facts["year"])))
    meta.append((t("generated", lang), fmt_date(generated or _dt.date.today(), lang)))
    warnings = [
        dict(
            level="warn",
            code=w.code,
            message=plain_text(render_warning(w, lang), lang),
            place=w.kode,
            year=str(w.year or ""),
        )
        for w in report.warnings
    ]
    return dict(
        lang=lang,
        t=lambda key, **kw: t(key, lang, **kw),
        title=heading,
        heading=heading,
        subtitle=t(sub_key, lang),
        meta=meta,
        notice=dict(
            show=bool(unofficial),
            body=t(
                "notice_body",
                lang,
                illustrative=fmt_int(prov.get("illustrative", 0), lang),
                unverified=fmt_int(prov.get("unverified", 0), lang),
            ),
            tables=t("notice_tables", lang, tables=", ".join(unofficial)) if unofficial else "",
        ),
        summary_title=t("summary", lang),
        kpis=summary_figures(report, lang),
        lines=summary_lines(report, lang),
        toc=toc,
        chapters=chapters,
        warnings=warnings,
        **script_context(specs, lang, inline_js=inline_js),
    )


def render_instrument_html(
    report: InstrumentReport,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
    inline_js: bool = True,
) -> str:
    """The report as one HTML string (``inline_js=False`` leaves out the Vega code, for
    tests; the SFD diagram is SVG and never needs it)."""
    ctx = build_instrument_context(report, lang, generated=generated, inline_js=inline_js)
    return template("instrument.html.j2").render(**ctx)


def write_instrument_html(
    report: InstrumentReport,
    path: str | Path,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
) -> None:
    """Write the self-contained offline HTML report (UTF-8; temp name then rename)."""
    write_atomically(path, render_instrument_html(report, lang, generated=generated))


# ----------------------------------------------------------------------------- XLSX


def _class_formats(wb: xlsxwriter.Workbook) -> dict[int, Any]:
    return {
        c: wb.add_format({"bg_color": bg, "font_color": fg, "bold": True})
        for c, (bg, fg) in CLASS_COLORS.items()
    }


def _colour_classes(ws: Any, df: pd.DataFrame, formats: Mapping[int, Any]) -> None:
    for col in ("final_class", "computed_class"):
        if col not in df.columns or not len(df):
            continue
        j = list(df.columns).index(col)
        last = DATA_ROW + len(df) - 1
        for cls, fmt in formats.items():
            ws.conditional_format(
                DATA_ROW,
                j,
                last,
                j,
                {"type": "cell", "criteria": "==", "value": cls, "format": fmt},
            )


def _readme(
    ws: Any,
    report: InstrumentReport,
    fm: _Formats,
    lang: str,
    sheets: list[tuple[str, Table]],
    generated: _dt.date | _dt.datetime | None,
) -> None:
    r = ReadmeSheet(ws, fm, lang)
    title_key, sub_key = TITLES[report.kind]
    r.title(f"{t(title_key, lang)} \u2014 {report.city_title}")
    r.line(t(sub_key, lang))
    r.skip()
    r.line(t("city", lang), report.city_title, bold=True)
    for label, value in summary_figures(report, lang):
        r.line(label, value, bold=True)
    r.line(t("generated", lang), fmt_date(generated or _dt.date.today(), lang), bold=True)
    for text in summary_lines(report, lang):
        r.line(text)
    r.skip()
    r.contents(sheets)
    if report.warnings:
        r.skip()
        r.title(t("warnings", lang))
        for w in report.warnings:
            r.line(w.code, plain_text(render_warning(w, lang), lang))
    r.skip()
    legends: list[Mapping[Any, tuple[str, str]]] = []
    if report.kind == "risk":
        legends = [
            CLASS_LABELS,
            *(CODE_COLUMNS[c] for c in ("subsector", "component", "direction", "method", "bucket")),
        ]
    elif report.kind == "sfd":
        legends = [NODE_LABELS, CODE_COLUMNS["stage"], CODE_COLUMNS["safety"], RUNG_LABELS]
    else:
        legends = [RUNG_LABELS, CODE_COLUMNS["field"]]
    r.legend(legends)
    ws.set_column(0, 0, 40)
    ws.set_column(1, 1, 60)
    ws.set_column(2, 3, 36)


def write_instrument_xlsx(
    report: InstrumentReport,
    path: str | Path,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
) -> None:
    """Write the workbook: README, then one sheet per table with every column and year
    (numbers as numbers, two frozen header rows Indonesian then English, codes kept; risk
    classes coloured). Written to a temporary name and renamed."""
    lang = norm_lang(lang)
    title = f"{t(TITLES[report.kind][0], lang)} \u2014 {report.city_title}"
    with report_workbook(path, title, "SSK Bab II") as wb:
        fm = _Formats(wb)
        classes = _class_formats(wb)
        used = {"readme"}
        readme = wb.add_worksheet("README")
        sheets = [(sheet_name(n, used), tb) for n, tb in report.tables.items()]
        _readme(readme, report, fm, lang, sheets, generated)
        write_sheets(wb, sheets, fm, lang, lambda ws, df: _colour_classes(ws, df, classes))


# ----------------------------------------------------------------------------- terminal


def _shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters at a word, with an ellipsis."""
    return textwrap.shorten(text, width=width, placeholder=" \u2026")


def _short_sector(sub: str, lang: str) -> str:
    """``ald`` -> ``ALD``, other subsectors by their label."""
    return "ALD" if sub == "ald" else sector_label(sub, lang)


def _class_cell(cls: Any, lang: str, overridden: bool = False) -> Text:
    f = as_float(cls)
    text = _class_text(cls, lang) + ("*" if overridden else "")
    return Text(text, style=CLASS_STYLES.get(int(f), "") if f is not None else "")


def _risk_terminal(report: InstrumentReport, console: Console, lang: str) -> None:
    sc = report.frame("risk_scores")
    if sc is None or not len(sc):
        return
    subs = _subsectors(sc)
    console.print(
        f"{t('ins_cut_points', lang)}: {_bounds_text(report, lang)}", style="dim", soft_wrap=True
    )
    tb = rich_table(t("ins_t_classes", lang))
    tb.add_column(t("ins_col_area", lang), no_wrap=True, overflow="ellipsis", max_width=30)
    tb.add_column("IMPACT", justify="right")
    for sub in subs:
        tb.add_column(f"{_short_sector(sub, lang)}: EXPOSURE", justify="right")
        tb.add_column(t("ins_col_score", lang), justify="right")
        tb.add_column(t("ins_col_class", lang), no_wrap=True)
    wide = sc.set_index(["kode", "subsector"])
    for kode in dict.fromkeys(sc["kode"]):
        first = sc[sc["kode"] == kode].iloc[0]
        cells: list[Any] = [
            str(first.get("nama") or kode),
            fmt_number(first["impact_score"], 2, lang),
        ]
        for sub in subs:
            if (kode, sub) not in wide.index:
                cells += [MISSING, MISSING, MISSING]
                continue
            r = wide.loc[(kode, sub)]
            cells += [
                fmt_number(r["exposure_score"], 2, lang),
                fmt_number(r["risk_score"], 2, lang),
                _class_cell(r["final_class"], lang, bool(r.get("overridden", False))),
            ]
        tb.add_row(*cells)
    console.print()
    console.print(tb)
    if sc["overridden"].astype(bool).any():
        console.print(f"* {t('ins_n_overridden', lang)}", style="dim")
    counts = rich_table(t("ins_t_class_counts", lang))
    counts.add_column(t("col_sector", lang))
    for c in (1, 2, 3, 4):
        counts.add_column(_class_text(c, lang), justify="right")
    for sub in subs:
        part = sc[sc["subsector"] == sub]
        cells = [sector_label(sub, lang)]
        for c in (1, 2, 3, 4):
            final = int((part["final_class"] == c).sum())
            computed = int((part["computed_class"] == c).sum())
            cells.append(
                fmt_int(final, lang)
                + (f" ({fmt_int(computed, lang)})" if computed != final else "")
            )
        counts.add_row(*cells)
    console.print()
    console.print(counts)
    console.print(t("ins_counts_note", lang), style="dim")
    pr = report.frame("risk_priority")
    if pr is not None:
        ptb = rich_table(t("ins_t_priority", lang))
        ptb.add_column(t("col_sector", lang), no_wrap=True)
        ptb.add_column(t("ins_col_area", lang), no_wrap=True)
        ptb.add_column(t("col_code", lang), no_wrap=True)
        ptb.add_column(t("ins_col_class", lang), no_wrap=True, min_width=13)
        ptb.add_column(t("ins_col_score", lang), justify="right", no_wrap=True)
        ptb.add_column(t("ins_col_reason", lang), overflow="fold")
        for _, r in pr.iterrows():
            over = bool(r.get("overridden", False))
            reason = str(r.get("override_reason") or "") if over else ""
            if over:
                was = _class_text(r.get("computed_class"), lang)
                reason = _shorten(f"{t('ins_col_computed', lang)} {was}: {reason}", 90)
            ptb.add_row(
                _short_sector(str(r["subsector"]), lang),
                str(r.get("nama") or ""),
                str(r["kode"]),
                _class_cell(r["final_class"], lang, over),
                fmt_number(r["risk_score"], 2, lang),
                reason,
            )
        console.print()
        console.print(ptb)
    console.print()
    for text in _programme_lines(report, lang):
        console.print(text, soft_wrap=True)


def _sfd_terminal(report: InstrumentReport, console: Console, lang: str) -> None:
    flows = report.frame("sfd_flows")
    year = report.facts.get("year")
    i = 1 if lang == "en" else 0
    if flows is not None and len(flows[flows["year"] == year]):
        row = flows[flows["year"] == year].iloc[0]
        tb = rich_table(t("ins_t_flows", lang, year=year))
        tb.add_column(t("ins_col_stage", lang), no_wrap=True)
        tb.add_column(t("ins_col_flow", lang), no_wrap=True)
        tb.add_column(t("ins_col_share", lang), justify="right")
        tb.add_column(t("ins_col_safety", lang))
        stage_of = _sankey.sfd_columns()
        stages = list(_sankey.SFD_COLUMN_TITLES)
        previous = ""
        for flow, col in sorted(
            ((f, c) for f, c in stage_of.items() if f in row.index), key=lambda p: p[1]
        ):
            stage = _sankey.SFD_COLUMN_TITLES[stages[col]][i]
            safety = FLOWS.get(flow, "")
            tb.add_row(
                stage if stage != previous else "",
                NODE_LABELS[flow][i],
                fmt_pct(row[flow], 1, lang),
                Text(code_label("safety", safety, lang), style=SAFETY_STYLES.get(safety, "")),
                end_section=False,
            )
            previous = stage
        console.print()
        console.print(tb)
    cmp = report.frame("sfd_compare")
    if cmp is not None and len(cmp):
        ctb = rich_table(t("ins_t_compare", lang))
        ctb.add_column(t("col_year", lang))
        for key in ("ins_sfd_safe", "ins_sfd_jmp", "ins_sfd_aman", "ins_sfd_layak"):
            ctb.add_column(t(key, lang), justify="right")
        for _, r in cmp.iterrows():
            style = "bold" if int(r["year"]) == year else ""
            ctb.add_row(
                str(int(r["year"])),
                fmt_pct(r["sfd_safe_pct"], 1, lang),
                fmt_pct(r["jmp_safely_managed_pct"], 1, lang),
                fmt_pct(r["pct_aman"], 1, lang),
                fmt_pct(r["pct_layak"], 1, lang),
                style=style,
            )
        console.print()
        console.print(ctb)
    for text in summary_lines(report, lang):
        console.print(text, style="dim", soft_wrap=True)


def _interval_cell(p: Any, lo: Any, hi: Any, lang: str) -> str:
    if as_float(p) is None:
        return MISSING
    text = fmt_pct(p, 1, lang)
    if as_float(lo) is None or as_float(hi) is None:
        return text
    return f"{text}\n({fmt_number(lo, 1, lang)}\u2013{fmt_number(hi, 1, lang)})"


def _survey_terminal(report: InstrumentReport, console: Console, lang: str) -> None:
    f = report.facts
    console.print(summary_lines(report, lang)[0], style="dim", soft_wrap=True)
    console.print(
        " \u00b7 ".join(f"{label} {value}" for label, value in summary_figures(report, lang)),
        soft_wrap=True,
    )
    sh = report.frame("survey_shares")
    mn = f.get("min_households", 40)
    if sh is not None and len(sh):
        tb = rich_table(t("ins_t_survey", lang))
        tb.add_column(t("ins_col_area", lang), overflow="fold", max_width=22)
        tb.add_column("n", justify="right")
        rungs = [r for r in RUNGS if f"pct_{r}" in sh.columns]
        for g in rungs:
            tb.add_column(
                rung_label(g, "id") if lang == "id" else RUNG_LABELS[g][1].split(" (")[0],
                justify="right",
            )
        for _, r in sh.head(MAX_TERMINAL_ROWS).iterrows():
            below = bool(r.get("below_min", False))
            n = Text(fmt_int(r["n"], lang), style="yellow" if below else "")
            if below:
                n.append(f"\n{t('ins_survey_flag', lang, min=mn)}", style="yellow")
            tb.add_row(
                f"{r.get('nama') or ''}\n{r['kode']}",
                n,
                *[
                    _interval_cell(
                        r[f"pct_{g}"], r.get(f"pct_{g}_low"), r.get(f"pct_{g}_high"), lang
                    )
                    for g in rungs
                ],
            )
        console.print()
        console.print(tb)
        if len(sh) > MAX_TERMINAL_ROWS:
            console.print(
                t("ins_survey_more", lang, n=fmt_int(len(sh) - MAX_TERMINAL_ROWS, lang)),
                style="dim",
            )
    console.print()
    cols = report.frame("survey_issue_columns")
    if cols is None or not len(cols):
        console.print(t("ins_survey_no_issues", lang), style="green")
        return
    itb = rich_table(t("ins_t_issues", lang))
    itb.add_column(t("ins_col_column", lang), no_wrap=True)
    itb.add_column(t("ins_col_field", lang), no_wrap=True)
    itb.add_column(t("ins_col_count", lang), justify="right")
    itb.add_column(t("ins_col_values", lang), justify="right")
    itb.add_column(t("ins_col_codes", lang))
    for _, r in cols.iterrows():
        itb.add_row(
            str(r["column"]),
            code_label("field", str(r["field"]), lang),
            Text(fmt_int(r["count"], lang), style="yellow"),
            fmt_int(r["n_values"], lang),
            str(r["codes"]),
        )
    console.print(itb)
    issues = report.frame("survey_issues")
    if issues is not None:
        key = "rule" if lang == "en" else "rule_id"
        for _, r in issues.head(8).iterrows():
            console.print(
                Text(f"{r['code']} ", style="yellow").append(str(r.get(key, "")), style="")
            )
        if len(issues) > 8:
            console.print(t("more_warnings", lang, n=len(issues) - 8), style="dim")


def print_instrument_summary(report: InstrumentReport, console: Console, lang: str = "id") -> None:
    """Print the compact summary of an instrument report on ``console`` (rich)."""
    lang = norm_lang(lang)
    title_key, _ = TITLES[report.kind]
    head = Text(report.city_title, style="bold")
    head.append(f" \u00b7 {t(title_key, lang)}")
    if report.kind == "sfd":
        head.append(f" \u00b7 {report.facts.get('year')}")
    console.print(head)
    unofficial = [tb for tb in report.tables.values() if has_unofficial(tb.provenance)]
    if unofficial:
        prov = {"illustrative": 0, "unverified": 0}
        for tb in unofficial:
            counts = provenance_counts(tb.provenance)
            for k in prov:
                prov[k] = max(prov[k], counts[k])
        console.print(
            f"\u26a0 {t('notice_title', lang)} ("
            f"{fmt_int(prov['illustrative'], lang)} {t('status_illustrative', lang)}, "
            f"{fmt_int(prov['unverified'], lang)} {t('status_unverified', lang)})",
            style="yellow",
        )
    if report.kind == "risk":
        _risk_terminal(report, console, lang)
    elif report.kind == "sfd":
        _sfd_terminal(report, console, lang)
    else:
        _survey_terminal(report, console, lang)
    if report.warnings:
        console.print()
        console.print(Text(t("warnings", lang), style="bold"))
        for w in report.warnings[:8]:
            console.print(
                Text(f"{w.code} ", style="yellow").append(
                    plain_text(render_warning(w, lang), lang), style=""
                )
            )
        if len(report.warnings) > 8:
            console.print(t("more_warnings", lang, n=len(report.warnings) - 8), style="dim")


# ----------------------------------------------------------------------------- plan hook


def plan_ladder(result: PlanResult, city: str) -> pd.DataFrame | None:
    """The city's ladder of the plan scenario (``year``, ``hh_<rung>``) from ``ladder``."""
    table = result.tables.get("ladder")
    df = table.df if table is not None else None
    if not isinstance(df, pd.DataFrame) or "kode" not in df.columns:
        return None
    sub = df[df["kode"].astype(str) == city]
    if "scenario" in sub.columns:
        plan = sub[sub["scenario"].astype(str) == "plan"]
        sub = plan if len(plan) else sub
    cols = ["year", *(f"hh_{r}" for r in RUNGS if f"hh_{r}" in sub.columns)]
    if len(cols) < 2 or not len(sub):
        return None
    out = sub[cols].copy()
    out["year"] = pd.to_numeric(out["year"]).astype("int64")
    out["status"] = "derived"
    return out.reset_index(drop=True)


def plan_service(result: PlanResult, city: str) -> pd.DataFrame | None:
    """The city's L2T2 service of the plan (``service_ald`` rows of the city, the columns of
    :data:`sanitasi.core.sfd.SERVICE_COLUMNS`), ``None`` when the result has none."""
    from sanitasi.core.sfd import SERVICE_COLUMNS

    table = result.tables.get("service_ald")
    df = table.df if table is not None else None
    if not isinstance(df, pd.DataFrame) or not set(("kode", *SERVICE_COLUMNS)) <= set(df.columns):
        return None
    sub = df[df["kode"].astype(str) == city]
    if not len(sub):
        return None
    return sub[list(SERVICE_COLUMNS)].reset_index(drop=True)


__all__ = [
    "InstrumentReport",
    "build_instrument_context",
    "plan_ladder",
    "plan_service",
    "print_instrument_summary",
    "problem_warnings",
    "render_instrument_html",
    "risk_report",
    "sfd_diagram",
    "sfd_report",
    "summary_figures",
    "summary_lines",
    "survey_report",
    "write_instrument_html",
    "write_instrument_xlsx",
]
