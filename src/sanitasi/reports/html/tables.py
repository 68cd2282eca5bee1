"""A labelled table as formatted headers and cells (:func:`table_view`): codes translated,
numbers formatted, region codes named, band and risk-class colours, repeats merged."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from sanitasi import vocabulary
from sanitasi.core.model import Table
from sanitasi.reports.common import (
    column_meta,
    display_cell,
    has_unofficial,
    header_label,
    provenance_line,
)
from sanitasi.reports.fmt import (
    as_float,
    fmt_int,
    norm_lang,
)
from sanitasi.reports.html.views import Cell, TableView, _anchor
from sanitasi.reports.i18n import (
    t,
)

#: Most rows a single HTML table shows (the XLSX file has them all).
MAX_HTML_ROWS = 400


def risk_class_css(value: Any) -> str:
    """CSS classes of a risk-class cell (``risk risk-4``; classes 1-4)."""
    f = as_float(value)
    return f"risk risk-{int(f)}" if f is not None and f in (1.0, 2.0, 3.0, 4.0) else ""


#: Columns whose cells are coloured by risk class.
RISK_CLASS_COLUMNS: frozenset[str] = frozenset({"final_class"})


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
