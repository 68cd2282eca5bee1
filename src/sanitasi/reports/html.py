"""Self-contained offline HTML report of a :class:`PlanResult` (one file, no network).

The page follows the SSK chapters (Bab II profil, Bab III kerangka & sasaran, Bab V program &
indikasi pendanaan), then warnings, parameters and sources. CSS, the chart specs and the
vendored Vega, Vega-Lite and Vega-Embed builds (``static/``, pinned in ``package.json``)
are inlined, so the file opens on an offline intranet or from a USB stick.

With a programme, Bab III also has the programme coverage (share of each gap the plan
closes, what it leaves short; a chart per headline indicator) and Bab V the KKL matrix (its
hierarchy merged like a printed matrix), roles (RACI), agency summary, capacity and TPA with
the programme, programme cost vs needs-based funding (chart), funding short and the funding
matrix source x agency x year. After Bab V, the greenhouse-gas chapter (``ghg_summary`` with its
BAU-vs-plan chart, ``ghg_landfill``, ``ghg_wastewater``, ``ghg_factors``).

Large tables by year show only the base year and the plan-period years (the XLSX file has
every year). Area x year tables (population, ladder, waste, needs, programme coverage by
area) are shown wide, one small table per measure with a row per area and a column per year
(:func:`wide_table_view`); the XLSX file keeps them long. Everything shown is read
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

from sanitasi import vocabulary
from sanitasi.core.model import FUNDING_SOURCES, UNASSIGNED, Column, PlanResult, Table
from sanitasi.messages import render as render_warning
from sanitasi.reports import charts as _charts
from sanitasi.reports import instrument_tables as _instruments
from sanitasi.reports import sankey as _sankey
from sanitasi.reports import static_charts as _static
from sanitasi.reports.common import (
    AREA_COLUMNS,
    OVERRIDE_COLUMNS,
    YEAR_FILTERED_TABLES,
    WideSpec,
    Years,
    bappenas_year,
    city_kode,
    city_name,
    column_meta,
    display_cell,
    fmt_quantity,
    has_unofficial,
    header_label,
    input_notice,
    level_rank,
    measure_label,
    overrides_frame,
    provenance_line,
    region_names,
    retrospective_rows,
    sources,
    unit_in_label,
    warning_level,
    wide_spec,
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
    is_missing,
    norm_lang,
)
from sanitasi.reports.i18n import (
    CHAPTER_ORDER,
    TABLE_CHAPTERS,
    chapter_of,
    code_label,
    indicator_label,
    plain_text,
    scenario_label,
    t,
    target_set_label,
    unit_label,
)
from sanitasi.reports.print_layout import fit_tables
from sanitasi.reports.xlsx import plan_sheet_names

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


#: Chart keys rendered to PNG rather than SVG in print mode (none: as SVG every chart kind,
#: the tile map included, is about as fast end to end, gives a smaller PDF and keeps its
#: text searchable; see ``static_charts`` and ``benchmarks/pdf_charts.py``).
PRINT_PNG_CHARTS: frozenset[str] = frozenset()


def chart_views(
    specs: Mapping[str, Any], lang: str, *, static_charts: bool = False
) -> dict[str, ChartView]:
    """A :class:`ChartView` per chart key (anchor ``chart-<key>``). With ``static_charts``
    every chart is drawn now (:func:`sanitasi.reports.static_charts.render_charts`, once per
    chart) for a page without JavaScript (the PDF): the chart's title becomes the figure
    caption and is not drawn again inside the chart."""
    views: dict[str, ChartView] = {}
    for key, spec in specs.items():
        title = spec.get("title", {}).get("text", key) if isinstance(spec, dict) else key
        views[key] = ChartView(f"chart-{_anchor(key)}", str(title))
    if not static_charts:
        return views
    untitled: dict[str, dict[str, Any]] = {}
    for key, spec in specs.items():
        if isinstance(spec, Mapping):
            caption, subtitle, untitled[key] = _static.split_title(spec, key)
            views[key].title, views[key].subtitle = caption, subtitle
        else:
            untitled[key] = {"invalid": repr(spec)[:80]}  # drawn as a placeholder
    drawn = _static.render_charts(
        untitled,
        lang,
        png=PRINT_PNG_CHARTS,
        prefixes={k: v.anchor for k, v in views.items()},
        titles={k: v.title for k, v in views.items()},
    )
    for key, chart in drawn.items():
        views[key].markup = chart.markup
    return views


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


def print_part_title(lang: str) -> Callable[[int, int], str]:
    """Title of part ``i`` of ``n`` of a table the print edition splits by columns."""
    return lambda i, n: t("print_columns_part", lang, i=i, n=n)


def annex_view(table: Table, lang: str, note: str) -> TableView:
    """The print edition's stand-in for a table it leaves out: title, note and provenance
    line, and ``note`` saying where the whole table is (the XLSX annex)."""
    return TableView(
        name=table.name,
        anchor=f"tbl-{_anchor(table.name)}",
        title=table.title(lang) or table.name,
        note=table.note_en if norm_lang(lang) == "en" else table.note_id,
        provenance=provenance_line(table.provenance, lang),
        unofficial=has_unofficial(table.provenance),
        headers=[],
        rows=[],
        annex=note,
    )


#: Tables the print edition leaves to the XLSX annex besides the area x year ones: the
#: parameter list (its overrides stay in the PDF).
PRINT_ANNEX_TABLES: frozenset[str] = frozenset({"parameters"})

#: Tables whose yearly path the report draws in charts (headline indicators, trajectory,
#: programme coverage) or diagrams (the SFD flows): the print edition shows the base year and
#: the end of the plan period only.
PRINT_END_YEAR_TABLES: frozenset[str] = frozenset(
    {"headline", "trajectory", "coverage", "sfd_matrix"}
)


def plan_table_view(
    table: Table,
    lang: str,
    y: Any,
    names: Mapping[str, str] | None = None,
    *,
    print_sheet: str | None = None,
) -> TableView:
    """:func:`table_view` with the plan report's per-table choices: area x year tables
    wide (:func:`wide_table_view`), other large tables filtered to the base year and plan
    period, the KKL hierarchy merged, the agency summary without realisation columns, and
    no ``city_kode`` column in a one-city table.

    ``print_sheet`` (the table's XLSX sheet) asks for the **print edition** (the PDF): the
    area x year tables and :data:`PRINT_ANNEX_TABLES` are left out with a note naming their
    sheet (:func:`annex_view`), every table by year shows the base year and the plan-period
    years only, and the SFD flow table the two years its diagrams draw."""
    name = table.name
    if name == "funding_by_agency" and isinstance(table.df, pd.DataFrame):
        table = funding_matrix(table, lang)
    printing = print_sheet is not None
    if isinstance(table.df, pd.DataFrame):
        table = _instruments.display_table(table, lang)
        if (spec := wide_spec(table)) is not None:
            if printing:
                rows = fmt_int(len(table.df), lang)
                return annex_view(
                    table, lang, t("print_annex_area_year", lang, rows=rows, sheet=print_sheet)
                )
            return wide_table_view(table, lang, spec, y, names)
        if printing and name in PRINT_ANNEX_TABLES:
            rows = fmt_int(len(table.df), lang)
            return annex_view(
                table, lang, t("print_annex_table", lang, rows=rows, sheet=print_sheet)
            )
    df = table.df
    kw: dict[str, Any] = {}
    if name in YEAR_FILTERED_TABLES:
        kw["year_filter"] = y.shown
    elif name not in TABLE_CHAPTERS and "year" in df.columns and len(df) > MAX_HTML_ROWS:
        kw["year_filter"] = y.shown
    if printing and "year" in df.columns:
        ends = name in PRINT_END_YEAR_TABLES
        kw["year_filter"] = [y.base, y.end] if ends else y.shown
        if ends:
            kw["year_note"] = "print_years_charted"
    drop = _single_city_column(df)
    if printing and "kode" in df.columns and df["kode"].nunique(dropna=False) <= 1:
        # one area (the city, named in the report's header): its code and name on every row
        # say nothing on paper
        drop += [c for c in ("kode", "nama", "tingkat") if c in df.columns]
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
        css = self.css
        if not css:
            return base
        return f"{base} {css}" if base else css


@dataclass
class TablePart:
    """One small table of a wide view: a measure (of one scenario or indicator), a row per
    area and a column per year."""

    title: str
    anchor: str
    headers: list[Cell]
    rows: list[tuple[str, list[Cell]]]  # (row css class, cells)
    footnotes: list[str] = field(default_factory=list)
    groups: list[tuple[str, int]] = field(default_factory=list)  # heading row: (label, colspan)
    css: str = "wide"  # class of its <table>


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
    parts: list[TablePart] = field(default_factory=list)  # a wide view's small tables
    wide: bool = False
    annex: str = ""  # print edition: the table is left out; this note says where it is
    page: str = ""  # print edition: CSS class of its page ("landscape")
    columns: list[str] = field(default_factory=list)  # column name of each header ("" added)


@dataclass
class ChartView:
    """A chart slot: drawn in the browser (``markup`` empty: a ``<div>`` vega-embed fills)
    or, in print mode, the chart already drawn (``markup``: inline SVG, PNG ``<img>`` or a
    placeholder note) in a ``<figure>`` captioned with ``title`` and ``subtitle``."""

    anchor: str
    title: str
    subtitle: str = ""
    markup: str = ""


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


#: Columns holding a region code other than the table's own ``kode`` (which gets a name
#: column of its own): shown as ``Name (code)`` when the names are known.
REGION_CODE_COLUMNS: frozenset[str] = frozenset(
    {"location_kode", "kecamatan_kode", "parent_kode", "parent", "city_kode"}
)


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
    keeps them all; without it, the columns the registry marks ``show_html`` 0 are left out); of ``name_id``/``name_en`` only the one of ``lang`` is shown. A ``band``
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
    else:  # the registry's show_html 0: the column is left to the XLSX file
        df = df[[c for c in df.columns if vocabulary.shown_in_html(table.name, str(c))]]
    hidden = _hidden_name_column([str(c) for c in df.columns], lang)
    if hidden is not None:
        df = df.drop(columns=[hidden])
    cols = [str(c) for c in df.columns]
    add_name = bool(names) and "kode" in cols and "nama" not in cols
    headers: list[Cell] = []
    metas = {c: column_meta(table, c) for c in cols}
    names_of_headers: list[str] = []
    for c in cols:
        headers.append(Cell(header_label(table, c, lang), metas[c].kind != "text"))
        names_of_headers.append(c)
        if c == "kode" and add_name:
            headers.append(Cell(t("col_place", lang)))
            names_of_headers.append("")
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
            if names and c in REGION_CODE_COLUMNS and str(v) in names and text:
                text = f"{names[str(v)]} ({text})"  # a region code never without its name
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
        columns=names_of_headers,
    )


# --- wide area x year tables ---------------------------------------------------------


@dataclass(frozen=True)
class _Area:
    kode: str
    nama: str
    tingkat: str


def _areas(df: pd.DataFrame, names: Mapping[str, str]) -> list[_Area]:
    """Areas of ``df`` in report order: kelurahan/desa, then kecamatan, then the city (the
    table's order within a level)."""
    areas: list[_Area] = []
    first = df.drop_duplicates("kode")
    for rec in first.to_dict("records"):
        kode = str(rec["kode"])
        nama = rec.get("nama")
        text = names.get(kode, "") if nama is None or is_missing(nama) else str(nama)
        tingkat = rec.get("tingkat")
        areas.append(_Area(kode, text, "" if is_missing(tingkat) else str(tingkat)))
    return sorted(areas, key=lambda a: level_rank(a.tingkat))


def _grid(df: pd.DataFrame, col: str) -> dict[tuple[str, int], Any]:
    """``(kode, year) -> value`` of column ``col``."""
    return {(str(k), int(yr)): v for k, yr, v in zip(df["kode"], df["year"], df[col], strict=True)}


def _is_zero_or_missing(values: Sequence[Any]) -> bool:
    """True when every value is 0 or missing and at least one is 0."""
    nums = [as_float(v) for v in values]
    return any(f is not None for f in nums) and all(f is None or abs(f) < 1e-9 for f in nums)


def _wide_cell(col: str, value: Any, meta: Column, lang: str) -> str:
    """A value cell of a wide view: as :func:`display_cell`, but a ``float`` measure with
    one decimal throughout (``0,1``, ``0,0``), so the years of a row line up and read alike
    (the long table's extra digits for small values stay in the XLSX file)."""
    if meta.kind == "float" and (f := as_float(value)) is not None:
        return fmt_number(f, 1, lang)
    return display_cell(col, value, meta, lang)


def _scenarios(df: pd.DataFrame) -> list[str]:
    """Scenarios of ``df``, the main one first (``plan`` when there is one); ``[""]`` when
    the table has no ``scenario`` column."""
    if "scenario" not in df.columns:
        return [""]
    found = [str(s) for s in pd.unique(df["scenario"].astype(str))]
    main = "plan" if "plan" in found else found[0] if found else ""
    return [main, *[s for s in found if s != main]] if found else [""]


def _area_rows(
    areas: Sequence[_Area], cells: Mapping[str, list[Cell]], lang: str
) -> list[tuple[str, list[Cell]]]:
    """Table rows: code, name and level of each area, then its value cells; the city row
    bold (``total``), a line above the first row of each level (``level-start``)."""
    rows: list[tuple[str, list[Cell]]] = []
    previous: int | None = None
    for a in areas:
        rank = level_rank(a.tingkat)
        css = ["total"] if a.tingkat in ("kabkota", "provinsi", "nasional") else []
        if previous is not None and rank != previous:
            css.append("level-start")
        previous = rank
        lead = [Cell(a.kode), Cell(a.nama), Cell(code_label("tingkat", a.tingkat, lang))]
        rows.append((" ".join(css), [*lead, *cells[a.kode]]))
    return rows


def _end_columns(
    table: Table, sub: pd.DataFrame, cols: Sequence[str], end: int, lang: str
) -> tuple[list[Cell], dict[str, list[Cell]], list[Any]]:
    """Headings, cells by area and raw values of the columns shown for the last plan year
    only (under a heading naming that year). A ``*_units`` column counts in the unit of the
    table's ``unit`` column (rumah tangga, ton/hari) and is formatted for it."""
    units = [str(u) for u in sub["unit"].dropna()] if "unit" in sub.columns else []
    unit = units[0] if units else ""
    last = sub[sub["year"] == end]
    headers: list[Cell] = []
    cells: dict[str, list[Cell]] = {str(k): [] for k in pd.unique(sub["kode"].astype(str))}
    values: list[Any] = []
    for c in cols:
        meta = column_meta(table, c)
        in_units = c.endswith("_units") and bool(unit)
        label = header_label(table, c, lang, with_unit=False)
        u = unit if in_units else meta.unit
        if u and meta.kind not in ("pct", "idr") and not unit_in_label(u, label):
            label = f"{label} ({unit_label(u, lang)})"
        headers.append(Cell(label, meta.kind != "text"))
        grid = _grid(last, c)
        for kode, row in cells.items():
            v = grid.get((kode, end))
            values.append(v)
            if in_units and as_float(v) is not None:
                text = fmt_quantity(v, unit, lang)
            else:
                text = _wide_cell(c, v, meta, lang)
            row.append(Cell(text, meta.kind != "text"))
    return headers, cells, values


def wide_table_view(
    table: Table,
    lang: str,
    spec: WideSpec,
    y: Years,
    names: Mapping[str, str] | None = None,
    *,
    max_rows: int = MAX_HTML_ROWS,
) -> TableView:
    """An area x year table as a Bappeda reader expects it: one small table per measure of
    ``spec`` (per ``split`` value, e.g. per indicator), one row per area (kelurahan, then
    kecamatan, then the city in bold) and one column per year shown (base year and plan
    period), then the ``end_columns`` for the last plan year.

    With a ``scenario`` column, the plan scenario is shown, and each other scenario (BAU)
    only for the areas where its formatted cells differ from the plan's. A measure that is
    0 in every area and year gets a footnote instead of a table; the footnotes also say
    which years and columns only the XLSX file has. Cells are formatted as in
    :func:`table_view`; nothing is recomputed.
    """
    lang = norm_lang(lang)
    full = table.df if isinstance(table.df, pd.DataFrame) else pd.DataFrame()
    df = full[full["year"].isin(y.shown)]
    footnotes: list[str] = []
    if len(df) < len(full):
        shown_years = ", ".join(str(v) for v in sorted({int(v) for v in df["year"]}))
        footnotes.append(t("years_shown", lang, years=shown_years or "\u2013"))
    year_cols = sorted({int(v) for v in df["year"]})
    end = y.end if y.end in year_cols else (year_cols[-1] if year_cols else y.end)
    areas = _areas(df, names or {})
    scenarios = _scenarios(df)
    main = scenarios[0]
    anchor = f"tbl-{_anchor(table.name)}"
    place = header_label(table, "nama", lang) if "nama" in df.columns else t("col_place", lang)
    lead = [
        Cell(header_label(table, "kode", lang)),
        Cell(place),
        Cell(header_label(table, "tingkat", lang)),
        *(Cell(str(yr), True) for yr in year_cols),
    ]
    splits: list[tuple[str, pd.DataFrame]] = [("", df)]
    if spec.split and spec.split in df.columns:
        values = [str(v) for v in pd.unique(df[spec.split].astype(str))]
        splits = [(v, df[df[spec.split].astype(str) == v]) for v in values]

    parts: list[TablePart] = []
    zero: list[str] = []
    for split_value, sub in splits:
        by_scenario = {s: sub[sub["scenario"].astype(str) == s] if s else sub for s in scenarios}
        end_cols = [c for c in spec.end_columns if c in sub.columns]
        end_headers, end_cells, end_values = _end_columns(
            table, by_scenario[main], end_cols, end, lang
        )
        for col in spec.measures:
            if col not in sub.columns:
                continue
            meta = column_meta(table, col)
            label = measure_label(table, col, lang)
            groups: list[tuple[str, int]] = []
            if split_value:  # one table per indicator: the measure heads its year columns
                groups = [("", 3), (label, len(year_cols))]
                label = code_label(spec.split, split_value, lang)
            if end_cols:
                groups = groups or [("", 3 + len(year_cols))]
                groups.append((str(end), len(end_cols)))
            grids = {s: _grid(by_scenario[s], col) for s in scenarios}
            if _is_zero_or_missing([*(v for g in grids.values() for v in g.values()), *end_values]):
                zero.append(label)
                continue
            texts = {
                s: {
                    a.kode: [
                        _wide_cell(col, grids[s].get((a.kode, yr)), meta, lang) for yr in year_cols
                    ]
                    for a in areas
                }
                for s in scenarios
            }
            cells = {
                a.kode: [*(Cell(x, True) for x in texts[main][a.kode]), *end_cells.get(a.kode, [])]
                for a in areas
            }
            key = f"{anchor}-" + "-".join(_anchor(x) for x in (split_value, col) if x)
            part = TablePart(
                title=t("wide_title", lang, measure=label, what=scenario_label(main, lang))
                if main
                else label,
                anchor=f"{key}-{_anchor(main)}" if main else key,
                headers=[*lead, *end_headers],
                rows=_area_rows(areas, cells, lang),
                groups=groups,
            )
            parts.append(part)
            for other in scenarios[1:]:
                have = [a for a in areas if any((a.kode, yr) in grids[other] for yr in year_cols)]
                differ = [a for a in have if texts[other][a.kode] != texts[main][a.kode]]
                words = dict(
                    scenario=scenario_label(other, lang), main=scenario_label(main, lang).lower()
                )
                if not have:
                    continue
                if not differ:
                    part.footnotes.append(t("wide_same", lang, **words))
                    continue
                other_part = TablePart(
                    title=t("wide_title", lang, measure=label, what=scenario_label(other, lang)),
                    anchor=f"{key}-{_anchor(other)}",
                    headers=lead,
                    rows=_area_rows(
                        differ,
                        {a.kode: [Cell(x, True) for x in texts[other][a.kode]] for a in differ},
                        lang,
                    ),
                )
                if len(differ) < len(have):
                    other_part.footnotes.append(t("wide_other_areas", lang, **words))
                parts.append(other_part)
    for part in parts:
        if len(part.rows) > max_rows:
            hidden = len(part.rows) - max_rows
            part.rows = part.rows[:max_rows]
            part.footnotes.append(t("rows_hidden", lang, n=fmt_int(hidden, lang)))
    if zero:
        footnotes.append(t("wide_zero", lang, measures=", ".join(zero)))
    shown = {*spec.measures, *spec.end_columns, spec.split, *AREA_COLUMNS, "year", "scenario"}
    other_cols = [
        measure_label(table, str(c), lang, with_unit=False)
        for c in full.columns
        if str(c) not in shown and column_meta(table, str(c)).kind not in ("text", "year")
    ]
    if other_cols:
        footnotes.append(t("wide_other_columns", lang, columns=", ".join(other_cols)))
    return TableView(
        name=table.name,
        anchor=anchor,
        title=table.title(lang) or table.name,
        note=table.note_en if lang == "en" else table.note_id,
        provenance=provenance_line(table.provenance, lang),
        unofficial=has_unofficial(table.provenance),
        headers=[],
        rows=[],
        footnotes=footnotes,
        parts=parts,
        wide=True,
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


def script_context(
    specs: Mapping[str, Any], lang: str, *, inline_js: bool, static_charts: bool = False
) -> dict[str, Any]:
    """The fields every report template shares for its charts and scripts: the package and
    vendored Vega versions, the inlined Vega code (``inline_js`` and something to draw; none
    in print mode), the chart specs as JSON for vega-embed and the print-mode flag."""
    versions = vendored_versions()
    payload = {
        "specs": {f"chart-{_anchor(k)}": v for k, v in specs.items()},
        "options": _charts.embed_options(lang),
        "error": t("js_required", lang),
    }
    draws = bool(specs) and not static_charts
    return dict(
        version=_package_version(),
        vendored=", ".join(f"{n} {v.get('version', '')}" for n, v in sorted(versions.items())),
        js=[(n, _inline_js(n)) for n in JS_FILES] if inline_js and draws else [],
        has_charts=draws,
        chart_json=_json_for_script(payload),
        print_mode=static_charts,
    )


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


def pdf_bytes(html: str) -> bytes:
    """An HTML page rendered to PDF by WeasyPrint (which runs no JavaScript: give it a
    print-mode page, ``render_html(..., static_charts=True)``)."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDFs need it

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


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


__all__ = [
    "Block",
    "Cell",
    "ChartView",
    "TablePart",
    "TableView",
    "band_css",
    "build_context",
    "chart_views",
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
    "wide_table_view",
    "pdf_bytes",
    "write_html",
    "write_pdf",
]
