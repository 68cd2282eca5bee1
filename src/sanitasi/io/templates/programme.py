"""The programme template (sheet ``program``, ``programme.csv``): its columns (the file's
header plus the optional contract columns it lacks, and ``info_nama_lokasi``), the sheet
pre-filled with the folder's activities, and the merge (the sheet replaces the file; an
activity keeps the file's text where its value did not change)."""

from __future__ import annotations

import datetime as dt

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from sanitasi.formulas import write_text
from sanitasi.io.csvfiles import CsvText
from sanitasi.io.templates.columns import (
    PROGRAMME_OPTIONAL,
    PROGRAMME_TEXT,
    _is_number_column,
    _width,
)
from sanitasi.io.templates.folder import _Folder, _records
from sanitasi.io.templates.lookups import _Lists, _validate
from sanitasi.io.templates.merge import _columns_plan, _merge_row, _Merged
from sanitasi.io.templates.reading import _Sheet
from sanitasi.io.templates.sheets import INFO_PREFIX, Formats, write_value


def _programme_columns(folder: _Folder) -> list[str]:
    """The programme.csv header as written, plus the optional contract columns it lacks."""
    if folder.programme is not None and folder.programme.header:
        header = [h.strip() for h in folder.programme.header]
    else:
        year = dt.date.today().year
        years = range(year, year + 5)
        header = [c for c in PROGRAMME_TEXT if c not in ("urgent_problem", "strategic_issue")]
        i = header.index("funding_source") + 1
        planned = [f"planned_output_{y}" for y in years] + [f"planned_cost_{y}" for y in years]
        header = header[:i] + planned + header[i:]
    lower = [h.lower() for h in header]
    header += [c for c in PROGRAMME_OPTIONAL if c not in lower]
    if "location_kode" in lower:
        header.insert(lower.index("location_kode") + 1, "info_nama_lokasi")
    return header


def _write_programme(
    ws: Worksheet, fmt: Formats, folder: _Folder, lists: _Lists, lang: str
) -> list[str]:
    header = _programme_columns(folder)
    lower = [h.lower() for h in header]
    rows = folder.activities()
    loc_col = lower.index("location_kode") if "location_kode" in lower else None
    names = {k: n for k, n, _ in folder.regions}
    for j, (h, col) in enumerate(zip(header, lower, strict=True)):
        info = col.startswith(INFO_PREFIX)
        write_text(ws, 0, j, h, fmt.info_header if info else fmt.header)
        number = _is_number_column(col)
        col_fmt = fmt.info if info else (fmt.money if col.startswith("planned_cost") else None)
        col_fmt = col_fmt or (fmt.number if number else fmt.text)
        ws.set_column(j, j, _width(col), col_fmt)
        for i, row in enumerate(rows, start=1):
            if info and loc_col is not None:
                ref = xl_rowcol_to_cell(i, loc_col, col_abs=True)
                loc = row.get("location_kode", "")
                ws.write_formula(
                    i,
                    j,
                    f'=IFERROR(VLOOKUP({ref},daftar_wilayah!$A:$B,2,FALSE),"")',
                    fmt.info,
                    names.get(loc, ""),
                )
                continue
            write_value(ws, i, j, row.get(col, ""), number, col_fmt)
        _validate(ws, col, j, len(rows), lists, lang, folder.years)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    return header


def _merge_programme(sheet: _Sheet, old: CsvText | None) -> _Merged:
    header, carried, problems = _columns_plan(sheet, old, PROGRAMME_TEXT, {})
    by_code: dict[str, dict[str, str]] = {}
    for rec in _records(old):
        by_code.setdefault(rec.get("code", "").strip(), rec)
    merged = _Merged(header, [], [], problems=problems)
    for line, rec in sheet.rows:
        code = rec.get("code", "")
        base = by_code.get(code)
        row = _merge_row(header, carried, rec, base)
        merged.rows.append(row)
        merged.origins.append((sheet.label, line))
        if base is None:
            merged.added.append(code)
        elif row != [base.get(h.strip().lower(), "") for h in header]:
            merged.updated.append(code)
        else:
            merged.unchanged += 1
    given = {rec.get("code", "") for _, rec in sheet.rows}
    merged.removed = [c for c in by_code if c and c not in given]
    return merged
