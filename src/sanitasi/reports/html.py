"""Self-contained offline HTML report of a :class:`PlanResult` (one file, no network).

The page follows the SSK chapters (Bab II profil, Bab III kerangka & sasaran, Bab V program &
indikasi pendanaan), then warnings, parameters and sources. CSS, the chart specs and the
vendored Vega, Vega-Lite and Vega-Embed builds (``static/``, pinned in ``package.json``)
are inlined, so the file opens on an offline intranet or from a USB stick.

With a programme, Bab III also has the programme coverage (share of each gap the plan
closes, what it leaves short; a chart per headline indicator) and Bab V the KKL matrix (its
hierarchy merged like a printed matrix), roles (RACI), agency summary, capacity and TPA with
the programme, programme cost vs needs-based funding (chart), funding short and the funding
matrix source x agency x year.

Large area x year tables show only the base year and the plan-period years (programme
coverage by area: the last plan year; the XLSX file has every year). Everything shown is read
from the result; nothing is recomputed (the funding matrix only reshapes and totals rows).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from sanitasi.core.model import FUNDING_SOURCES, UNASSIGNED, Column, PlanResult, Table
from sanitasi.reports import charts as _charts
from sanitasi.reports import instrument_tables as _instruments
from sanitasi.reports import sankey as _sankey
from sanitasi.reports.common import (
    OVERRIDE_COLUMNS,
    YEAR_FILTERED_TABLES,
    bappenas_year,
    city_kode,
    city_name,
    column_meta,
    display_cell,
    has_unofficial,
    header_label,
    input_notice,
    overrides_frame,
    provenance_line,
    region_names,
    retrospective_rows,
    sources,
    warning_level,
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
from sanitasi.reports.i18n import (
    CHAPTER_ORDER,
    TABLE_CHAPTERS,
    chapter_of,
    indicator_label,
    t,
    target_set_label,
    unit_label,
)

#: Most rows a single HTML table shows (the XLSX file has them all).
MAX_HTML_ROWS = 400

#: Vendored builds, in load order.
JS_FILES: tuple[str, ...] = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")

#: Chart placed before the table of the same name (``headline`` gets every headline chart,
#: ``coverage`` every programme-coverage chart).
_CHART_BEFORE_TABLE = {
    "ladder": "ladder",
    "waste": "waste",
    "funding": "funding",
    "programme_funding": "programme_funding",
}
_CHART_GROUPS = {"headline:": "headline", "coverage:": "coverage"}

#: KKL hierarchy (urgent problem -> ... -> programme): a value repeating the row above is
#: left blank in HTML, as in a printed matrix.
KKL_HIERARCHY: tuple[str, ...] = (
    "urgent_problem",
    "strategic_issue",
    "objective",
    "sasaran",
    "sasaran_baseline_pct",
    "sasaran_targets",
    "strategy",
    "programme",
)

#: Columns of the plan's agency summary shown in HTML (the realisation columns belong to
#: the monitoring report; the XLSX file keeps them all).
PLAN_AGENCY_COLUMNS: tuple[str, ...] = (
    "agency",
    "name_id",
    "name_en",
    "kind",
    "year",
    "n_led",
    "n_supported",
    "n_informed",
    "led",
    "supported",
    "planned_outputs",
    "planned_cost_led_idr",
    "planned_cost_supported_idr",
    "period_cost_led_idr",
    "n_open_actions",
)


def _chart_target(key: str) -> str:
    for prefix, target in _CHART_GROUPS.items():
        if key.startswith(prefix):
            return target
    return _CHART_BEFORE_TABLE.get(key, key)


def _single_city_column(df: pd.DataFrame) -> list[str]:
    """``["city_kode"]`` when the table is of one city only (the column says nothing)."""
    if "city_kode" in df.columns and df["city_kode"].nunique(dropna=False) <= 1:
        return ["city_kode"]
    return []


def funding_matrix(table: Table, lang: str) -> Table:
    """The programme funding by source x year x lead agency (``funding_by_agency``, long)
    as the matrix a Bab V reader expects: one row per source, agency and sector, one column
    per year and the row total (rupiah; the XLSX sheet keeps the long table)."""
    df = table.df
    keys = [c for c in ("city_kode", "source", "agency", "sector") if c in df.columns]
    if not {"year", "programme_cost_idr"} <= set(df.columns) or not keys:
        return table
    wide = df.pivot_table(
        index=keys, columns="year", values="programme_cost_idr", aggfunc="sum", sort=False
    )
    order = {c: i for i, c in enumerate((*FUNDING_SOURCES, UNASSIGNED))}
    wide = wide.reset_index()
    src = wide["source"] if "source" in wide.columns else pd.Series("", index=wide.index)
    wide["_o"] = [order.get(str(s), len(order)) for s in src]
    sort_keys = ["_o", *[k for k in keys if k != "source"]]
    wide = wide.sort_values(sort_keys, kind="stable").drop(columns="_o")
    year_cols = [c for c in wide.columns if c not in keys]
    wide["total_idr"] = wide[year_cols].sum(axis=1, min_count=1)
    wide.columns = [f"y{int(c)}_idr" if c in year_cols else str(c) for c in wide.columns]
    cols: dict[str, Column] = {c: column_meta(table, c) for c in keys}
    for c in year_cols:
        cols[f"y{int(c)}_idr"] = Column(str(int(c)), str(int(c)), "Rp", "idr")
    cols["total_idr"] = Column(t("total", "id"), t("total", "en"), "Rp", "idr")
    return Table(
        table.name,
        table.title_id,
        table.title_en,
        wide.reset_index(drop=True),
        cols,
        table.provenance,
        table.note_id,
        table.note_en,
    )


def plan_table_view(
    table: Table, lang: str, y: Any, names: Mapping[str, str] | None = None
) -> TableView:
    """:func:`table_view` with the plan report's per-table choices: large area x year
    tables filtered to the base year and plan period (programme coverage by area to the
    last plan year), the KKL hierarchy merged, the agency summary without realisation
    columns, and no ``city_kode`` column in a one-city table."""
    name = table.name
    if name == "funding_by_agency" and isinstance(table.df, pd.DataFrame):
        table = funding_matrix(table, lang)
    if isinstance(table.df, pd.DataFrame):
        table = _instruments.display_table(table, lang)
    df = table.df
    kw: dict[str, Any] = {}
    if name == "coverage_areas":
        kw.update(year_filter=[y.end], year_note="years_shown_end")
    elif name in YEAR_FILTERED_TABLES:
        kw["year_filter"] = y.shown
    elif name not in TABLE_CHAPTERS and "year" in df.columns and len(df) > MAX_HTML_ROWS:
        kw["year_filter"] = y.shown
    drop = _single_city_column(df)
    if name == "kkl":
        kw["merge_repeats"] = KKL_HIERARCHY
    cols: list[str] = [str(c) for c in df.columns]
    if name == "agencies":
        cols = [c for c in PLAN_AGENCY_COLUMNS if c in df.columns]
    if drop:
        cols = [c for c in cols if c not in drop]
    if name == "agencies" or drop:
        kw["columns"] = cols
    return table_view(table, lang, names=names, **kw)


@cache
def _static_text(name: str) -> str:
    return (resources.files("sanitasi.reports") / "static" / name).read_text(encoding="utf-8")


@cache
def vendored_versions() -> dict[str, dict[str, Any]]:
    """``VERSIONS.json`` of the vendored builds (name -> version, file, bytes, sha256)."""
    data: dict[str, dict[str, Any]] = json.loads(_static_text("VERSIONS.json"))
    return data


def _inline_js(name: str) -> str:
    """A vendored build made safe to inline: no source-map comment (the map is not shipped)
    and no literal ``</script`` that would close the element early."""
    text = _static_text(name)
    text = re.sub(r"^//# sourceMappingURL=.*$", "", text, flags=re.MULTILINE)
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def _json_for_script(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">`` (``<``, ``>``, ``&`` escaped)."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _load_template(name: str) -> str:
    return (resources.files("sanitasi.reports") / "templates" / name).read_text(encoding="utf-8")


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment of every report page (``templates/``: ``_base.html.j2`` with
    the CSS, header, contents and chart script; ``_macros.html.j2`` with the table, chart,
    chapter and warning blocks)."""
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_load_template),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def template(name: str) -> jinja2.Template:
    return environment().get_template(name)


def _template() -> jinja2.Template:
    return template("report.html.j2")


def _package_version() -> str:
    try:
        return metadata.version("sanitasi")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return ""


# --- view model -------------------------------------------------------------------------


@dataclass
class Cell:
    text: str
    num: bool = False
    wrap: bool = False
    css: str = ""

    @property
    def cls(self) -> str:
        """The ``class`` attribute: ``num`` or ``wrap``, plus any extra classes."""
        base = "num" if self.num else ("wrap" if self.wrap else "")
        return " ".join(c for c in (base, self.css) if c)


@dataclass
class TableView:
    name: str
    anchor: str
    title: str
    note: str
    provenance: str
    unofficial: bool
    headers: list[Cell]
    rows: list[tuple[str, list[Cell]]]  # (row css class, cells)
    footnotes: list[str] = field(default_factory=list)


@dataclass
class ChartView:
    anchor: str
    title: str


@dataclass
class Block:
    kind: str  # "table" | "charts" | "svg"
    table: TableView | None = None
    charts: list[ChartView] = field(default_factory=list)
    svg: str = ""  # an inline SVG diagram (kind "svg"), already escaped
    title: str = ""
    anchor: str = ""


def risk_class_css(value: Any) -> str:
    """CSS classes of a risk-class cell (``risk risk-4``; classes 1-4)."""
    f = as_float(value)
    return f"risk risk-{int(f)}" if f is not None and f in (1.0, 2.0, 3.0, 4.0) else ""


#: Columns whose cells are coloured by risk class.
RISK_CLASS_COLUMNS: frozenset[str] = frozenset({"final_class"})


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


def _anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def band_css(value: Any) -> str:
    """CSS classes of a performance-band cell (``band band-sangat_rendah``)."""
    return f"band band-{value}" if isinstance(value, str) and value else ""


def _hidden_name_column(cols: list[str], lang: str) -> str | None:
    """The ``name_en`` column in Indonesian (``name_id`` in English) when both are there."""
    if "name_id" in cols and "name_en" in cols:
        return "name_id" if norm_lang(lang) == "en" else "name_en"
    return None


def table_view(
    table: Table,
    lang: str,
    *,
    names: Mapping[str, str] | None = None,
    year_filter: list[int] | None = None,
    max_rows: int = MAX_HTML_ROWS,
    columns: Sequence[str] | None = None,
    row_css: Callable[[Mapping[str, Any]], str] | None = None,
    merge_repeats: Sequence[str] = (),
    year_note: str = "years_shown",
) -> TableView:
    """Formatted headers and cells of ``table`` (codes translated, numbers formatted).

    ``columns`` picks and orders the columns shown (missing ones are skipped; the XLSX file
    keeps them all); of ``name_id``/``name_en`` only the one of ``lang`` is shown. A ``band``
    column gets its band colour. ``row_css`` gives a row's CSS class from its values;
    ``merge_repeats`` lists hierarchy columns whose value is left blank when it repeats the
    row above (with every column before it in the list), as in a printed KKL matrix.
    """
    df = table.df if isinstance(table.df, pd.DataFrame) else pd.DataFrame()
    footnotes: list[str] = []
    if year_filter is not None and "year" in df.columns:
        shown = df[df["year"].isin(year_filter)]
        if len(shown) < len(df):
            yrs = ", ".join(str(y) for y in sorted({int(y) for y in shown["year"]}))
            footnotes.append(t(year_note, lang, years=yrs or "\u2013"))
        df = shown
    full = df  # row_css sees every column, also those not shown
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    hidden = _hidden_name_column([str(c) for c in df.columns], lang)
    if hidden is not None:
        df = df.drop(columns=[hidden])
    cols = [str(c) for c in df.columns]
    add_name = bool(names) and "kode" in cols and "nama" not in cols
    headers: list[Cell] = []
    metas = {c: column_meta(table, c) for c in cols}
    for c in cols:
        headers.append(Cell(header_label(table, c, lang), metas[c].kind != "text"))
        if c == "kode" and add_name:
            headers.append(Cell(t("col_place", lang)))
    rows: list[tuple[str, list[Cell]]] = []
    merge = [c for c in merge_repeats if c in cols]
    previous: tuple[Any, ...] | None = None
    records: list[dict[str, Any]] = []
    if row_css is not None:
        records = [
            {str(k): v for k, v in r.items()} for r in full.head(max_rows).to_dict("records")
        ]
    for i, rec in enumerate(df.head(max_rows).itertuples(index=False, name=None)):
        cells: list[Cell] = []
        css = ""
        values = dict(zip(cols, rec, strict=True))
        blank: set[str] = set()
        if merge:
            key = tuple(str(values[c]) for c in merge)
            if previous is not None:
                for i, c in enumerate(merge):
                    if key[: i + 1] != previous[: i + 1]:
                        break
                    blank.add(c)
            previous = key
        for c, v in zip(cols, rec, strict=True):
            meta = metas[c]
            text = "" if c in blank else display_cell(c, v, meta, lang)
            extra = band_css(v) if c == "band" else ""
            if c in RISK_CLASS_COLUMNS:
                extra = risk_class_css(v)
            cells.append(Cell(text, meta.kind != "text", wrap=len(text) > 40, css=extra))
            if c == "kode" and add_name and names is not None:
                cells.append(Cell(names.get(str(v), "")))
            if c == "tingkat" and v in ("kabkota", "provinsi", "nasional"):
                css = "total"
        if row_css is not None:
            css = " ".join(x for x in (css, row_css({**records[i], **values})) if x)
        rows.append((css, cells))
    if len(df) > max_rows:
        footnotes.append(t("rows_hidden", lang, n=fmt_int(len(df) - max_rows, lang)))
    note = table.note_en if norm_lang(lang) == "en" else table.note_id
    return TableView(
        name=table.name,
        anchor=f"tbl-{_anchor(table.name)}",
        title=table.title(lang) or table.name,
        note=note,
        provenance=provenance_line(table.provenance, lang),
        unofficial=has_unofficial(table.provenance),
        headers=headers,
        rows=rows,
        footnotes=footnotes,
    )


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
) -> dict[str, Any]:
    """Everything the template shows, as display strings."""
    lang = norm_lang(lang)
    y = years(result)
    kode = city_kode(result)
    city = city_name(result, kode)
    names = region_names(result)
    notice = input_notice(result)
    specs = _charts.all_charts(result, lang, kode=kode or None)

    chart_blocks: dict[str, list[ChartView]] = {}
    for key, spec in specs.items():
        title = spec.get("title", {}).get("text", key) if isinstance(spec, dict) else key
        chart_blocks.setdefault(_chart_target(key), []).append(
            ChartView(f"chart-{_anchor(key)}", str(title))
        )

    chapters: dict[str, list[Block]] = {c: [] for c in CHAPTER_ORDER}
    param_tables: list[TableView] = []
    for name, table in result.tables.items():
        if not isinstance(table.df, pd.DataFrame):
            continue
        view = plan_table_view(table, lang, y, names)
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
            message=w.message(lang),
            place=_place(w.kode, names),
            year=str(w.year) if w.year is not None else "",
        )
        for w in result.warnings
    ]
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
    versions = vendored_versions()
    chart_payload = {
        "specs": {f"chart-{_anchor(k)}": v for k, v in specs.items()},
        "options": _charts.embed_options(lang),
        "error": t("js_required", lang),
    }
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
        version=_package_version(),
        vendored=", ".join(f"{n} {v.get('version', '')}" for n, v in sorted(versions.items())),
        js=[(n, _inline_js(n)) for n in JS_FILES] if inline_js else [],
        has_charts=bool(specs),
        chart_json=_json_for_script(chart_payload),
    )


def render_html(
    result: PlanResult,
    lang: str = "id",
    *,
    generated: _dt.date | _dt.datetime | None = None,
    inline_js: bool = True,
) -> str:
    """The report as one HTML string. ``inline_js=False`` leaves out the ~840 kB of Vega
    code (for tests and golden files; charts then do not draw)."""
    return _template().render(
        **build_context(result, lang, generated=generated, inline_js=inline_js)
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
    path = Path(path)
    text = render_html(result, lang, generated=generated)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


__all__ = [
    "Block",
    "Cell",
    "ChartView",
    "TableView",
    "band_css",
    "build_context",
    "risk_class_css",
    "sfd_diagram_blocks",
    "environment",
    "plan_table_view",
    "render_html",
    "retrospective_summary",
    "table_view",
    "template",
    "vendored_versions",
    "warning_level",
    "write_html",
]
