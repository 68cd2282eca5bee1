"""The quarterly realisation template (sheet ``realisasi``, ``realisation.csv``): the
folder's rows plus one blank row per activity for the next quarter, activity details looked up
by formula, and the merge (rows upserted by activity, year and quarter; nothing deleted)."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from sanitasi.formulas import write_text
from sanitasi.io import programme_tables as pt
from sanitasi.io.csvfiles import CsvText
from sanitasi.io.errors import problem
from sanitasi.io.templates.columns import (
    REALISATION_SHEET_COLUMNS,
    _is_number_column,
    _key,
    _key_text,
    _width,
)
from sanitasi.io.templates.folder import _Folder, _records
from sanitasi.io.templates.lookups import _Lists, _validate
from sanitasi.io.templates.merge import _columns_plan, _merge_row, _Merged
from sanitasi.io.templates.reading import _Sheet
from sanitasi.io.templates.sheets import INFO_PREFIX, Formats, write_value


def _realisation_rows(folder: _Folder) -> list[dict[str, str]]:
    """The folder's realisation rows, then one blank row per activity for the next quarter."""
    out: list[dict[str, str]] = []
    seen: set[tuple[str, int | None, int | None]] = set()
    last: tuple[int, int] | None = None
    if folder.realisation is not None:
        cols = folder.realisation.columns
        note = "status_note" if "status_note" in cols else "note"
        for row in folder.realisation.rows:
            rec = {c: v.strip() for c, v in zip(cols, row, strict=True)}
            state = rec.get("state", "") or "verified"
            out.append(
                {
                    "activity_code": rec.get("activity_code", ""),
                    "year": rec.get("year", ""),
                    "quarter": rec.get("quarter", ""),
                    "output_achieved": rec.get("output_achieved", ""),
                    "cost_spent_idr": rec.get("cost_spent_idr", ""),
                    "progress_pct": rec.get("progress_pct", ""),
                    "state": state,
                    "status_note": rec.get(note, ""),
                }
            )
            key = _key(rec)
            seen.add(key)
            if key[1] is not None and key[2] is not None:
                last = max(last or (key[1], key[2]), (key[1], key[2]))
    if last is None:
        nxt = (folder.years[0], 1) if folder.years else None
    else:
        nxt = (last[0] + 1, 1) if last[1] >= 4 else (last[0], last[1] + 1)
    if nxt is not None and (not folder.years or nxt[0] in folder.years):
        for a in folder.activities():
            code = a.get("code", "")
            if code and (code, *nxt) not in seen:
                out.append({"activity_code": code, "year": str(nxt[0]), "quarter": str(nxt[1])})
    return out


def _write_realisation(
    ws: Worksheet, fmt: Formats, folder: _Folder, lists: _Lists, lang: str
) -> list[str]:
    header = list(REALISATION_SHEET_COLUMNS)
    rows = _realisation_rows(folder)
    acts = {a.get("code", ""): a for a in folder.activities()}
    lookup = {"info_kegiatan": 2, "info_satuan": 3, "info_pelaksana": 4}
    source = {"info_kegiatan": "activity", "info_satuan": "output_unit"}
    n_formula = len(rows) + 100
    for j, col in enumerate(header):
        info = col.startswith(INFO_PREFIX)
        write_text(ws, 0, j, col, fmt.info_header if info else fmt.header)
        number = _is_number_column(col)
        col_fmt = fmt.info if info else None
        if col_fmt is None:
            col_fmt = fmt.money if col == "cost_spent_idr" else None
        if col_fmt is None:
            col_fmt = fmt.whole if col in ("year", "quarter") else None
        col_fmt = col_fmt or (fmt.number if number else fmt.text)
        ws.set_column(j, j, _width(col), col_fmt)
        if info:
            for i in range(1, n_formula + 1):
                ref = f"$A{i + 1}"
                cached = ""
                if i <= len(rows):
                    a = acts.get(rows[i - 1].get("activity_code", ""), {})
                    cached = a.get(source.get(col, "lead_agency"), "")
                ws.write_formula(
                    i,
                    j,
                    f'=IFERROR(VLOOKUP({ref},daftar_kegiatan!$A:$D,{lookup[col]},FALSE),"")',
                    fmt.info,
                    cached,
                )
            continue
        for i, row in enumerate(rows, start=1):
            write_value(ws, i, j, row.get(col, ""), number, col_fmt)
        _validate(ws, col, j, len(rows), lists, lang, folder.years)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    return header


def _merge_realisation(sheet: _Sheet, old: CsvText | None) -> _Merged:
    old_cols = old.columns if old else ()
    note = "note" if "note" in old_cols and "status_note" not in old_cols else "status_note"
    known = [c for c in REALISATION_SHEET_COLUMNS if not c.startswith(INFO_PREFIX)]
    header, carried, problems = _columns_plan(sheet, old, known, {"status_note": note})
    records = _records(old)
    rows = [list(r) for r in old.rows] if old else []
    origins = [(pt.REALISATION, line) for line in old.lines] if old else []
    position: dict[tuple[str, int | None, int | None], int] = {}
    for i, rec in enumerate(records):
        position.setdefault(_key(rec), i)
    merged = _Merged(header, [], [], problems=problems)
    width = len(old.header) if old else 0
    rows = [r + [""] * (len(header) - width) for r in rows]
    replaced: set[int] = set()
    values = ("output_achieved", "cost_spent_idr", "progress_pct", "status_note")
    for line, rec in sheet.rows:
        key = _key(rec)
        pos = position.get(key) if key[1] is not None and key[2] is not None else None
        if not any(rec.get(c, "") for c in values):
            if pos is not None:
                merged.problems.append(
                    problem("SAN-W146", sheet.label, line, None, None, key=_key_text(key))
                )
            continue
        if rec.get("state", "") == "":
            merged.problems.append(problem("SAN-E027", sheet.label, line, "state"))
        base = records[pos] if pos is not None and pos not in replaced else None
        row = _merge_row(header, carried, rec, base)
        if base is not None and pos is not None:
            replaced.add(pos)
            if row != rows[pos]:
                merged.updated.append(_key_text(key))
            else:
                merged.unchanged += 1
            rows[pos] = row
            origins[pos] = (sheet.label, line)
        else:
            rows.append(row)
            origins.append((sheet.label, line))
            merged.added.append(_key_text(key))
    merged.rows = rows
    merged.origins = origins
    return merged
