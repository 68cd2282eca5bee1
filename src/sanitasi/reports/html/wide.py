"""Area x year tables shown wide (:func:`wide_table_view`): one small table per measure
with a row per area and a column per year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sanitasi.core.model import Column, Table
from sanitasi.reports.common import (
    AREA_COLUMNS,
    WideSpec,
    Years,
    column_meta,
    display_cell,
    fmt_quantity,
    has_unofficial,
    header_label,
    level_rank,
    measure_label,
    provenance_line,
    unit_in_label,
)
from sanitasi.reports.fmt import (
    as_float,
    fmt_int,
    fmt_number,
    is_missing,
    norm_lang,
)
from sanitasi.reports.html.tables import MAX_HTML_ROWS
from sanitasi.reports.html.views import Cell, TablePart, TableView, _anchor
from sanitasi.reports.i18n import (
    code_label,
    scenario_label,
    t,
    unit_label,
)


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
