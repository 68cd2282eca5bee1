"""The plan report's per-table choices (:func:`plan_table_view`): wide area x year tables,
year filters, the KKL hierarchy merged, the funding matrix, and the print edition's annex
notes and years."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from sanitasi.core.model import FUNDING_SOURCES, UNASSIGNED, Column, Table
from sanitasi.core.roles import AGENCY_SUMMARY_COLUMNS
from sanitasi.reports import instrument_tables as _instruments
from sanitasi.reports.common import (
    YEAR_FILTERED_TABLES,
    column_meta,
    has_unofficial,
    provenance_line,
    wide_spec,
)
from sanitasi.reports.fmt import (
    fmt_int,
    norm_lang,
)
from sanitasi.reports.html.tables import MAX_HTML_ROWS, table_view
from sanitasi.reports.html.views import TableView, _anchor
from sanitasi.reports.html.wide import wide_table_view
from sanitasi.reports.i18n import (
    TABLE_CHAPTERS,
    t,
)

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


#: Columns of the plan's agency summary shown in HTML: the agency summary's columns
#: (``core.roles.AGENCY_SUMMARY_COLUMNS``) up to the planned costs, and the open action
#: items (the realisation columns belong to the monitoring report; the XLSX keeps them all).
PLAN_AGENCY_COLUMNS: tuple[str, ...] = (
    *AGENCY_SUMMARY_COLUMNS[
        AGENCY_SUMMARY_COLUMNS.index("agency") : AGENCY_SUMMARY_COLUMNS.index("period_cost_led_idr")
        + 1
    ],
    "n_open_actions",
)


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
