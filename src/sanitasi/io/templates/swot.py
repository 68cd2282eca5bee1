"""The SWOT template: ``swot.csv`` of the SSK document (Bab IV; io/document.py,
docs/city-data.md §12).

One sheet ``swot`` pre-filled with the folder's factors, drop-downs for sector and kind,
weights 0-1 and ratings 1-4; the import replaces swot.csv by the sheet (rows matched by ``id``
keep the file's text for unchanged values) after the checks of ``sanitasi document``.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path

from sanitasi.core.model import STATUSES
from sanitasi.core.programme import SECTORS
from sanitasi.formulas import write_text
from sanitasi.io import document as doc_io
from sanitasi.io.csvfiles import CsvText
from sanitasi.io.errors import Problem
from sanitasi.io.programme import read_folder
from sanitasi.io.tables import FILE
from sanitasi.io.templates.columns import SHEETS, SWOT_COLUMNS
from sanitasi.io.templates.fingerprint import _write_fingerprint
from sanitasi.io.templates.folder import _csv_or_none, _records
from sanitasi.io.templates.merge import _columns_plan, _merge_row, _Merged
from sanitasi.io.templates.reading import _Sheet
from sanitasi.io.templates.sheets import (
    EXTRA_ROWS,
    INSTRUCTIONS,
    Formats,
    excel_number,
    new_workbook,
    write_value,
)

SWOT_INSTRUCTIONS: dict[str, tuple[str, ...]] = {
    "id": (
        "Analisis SWOT (Bab IV): satu baris per faktor. sector: ald atau persampahan; kind: "
        "S (kekuatan), W (kelemahan), O (peluang), T (ancaman); weight 0-1: bobot faktor "
        "internal (S+W) dan eksternal (O+T) per sektor masing-masing berjumlah 1; rating 1-4; "
        "activities: kode kegiatan programme.csv dipisah ';'. Impor: sanitasi import berkas.xlsx "
        "--city-dir FOLDER (mengganti swot.csv; ditolak seluruhnya bila ada kesalahan).",
    ),
    "en": (
        "SWOT analysis (Bab IV): one row per factor. sector: ald or persampahan; kind: S "
        "(strength), W (weakness), O (opportunity), T (threat); weight 0-1: a sector's internal "
        "(S+W) and external (O+T) weights each sum to 1; rating 1-4; activities: codes of "
        "programme.csv separated by ';'. Import: sanitasi import file.xlsx --city-dir FOLDER "
        "(replaces swot.csv; refused whole on any error).",
    ),
}


def _export_swot(folder: Traversable, out: Path | str, lang: str) -> None:
    old = _csv_or_none(folder, doc_io.SWOT)
    columns = list(old.columns) if old is not None else list(SWOT_COLUMNS)
    columns += [c for c in SWOT_COLUMNS if c not in columns]
    rows = _records(old)
    wb = new_workbook(out)
    try:
        fmt = Formats(wb)
        info = wb.add_worksheet(INSTRUCTIONS)
        first, second = ("id", "en") if lang == "id" else ("en", "id")
        for i, text in enumerate((*SWOT_INSTRUCTIONS[first], "", *SWOT_INSTRUCTIONS[second])):
            write_text(info, i, 0, text)
        info.set_column(0, 0, 120)
        ws = wb.add_worksheet(SHEETS["swot"])
        for j, col in enumerate(columns):
            write_text(ws, 0, j, col, fmt.header)
            ws.set_column(j, j, 60 if col == "factor" else 14)
        for i, rec in enumerate(rows, start=1):
            for j, col in enumerate(columns):
                text = rec.get(col, "")
                number = col in ("weight", "rating") and excel_number(text) is not None
                write_value(ws, i, j, text, number, fmt.number if number else fmt.text)
        last = len(rows) + EXTRA_ROWS
        lists = {
            "sector": list(SECTORS),
            "kind": ["S", "W", "O", "T"],
            "status": list(STATUSES),
        }
        for j, col in enumerate(columns):
            if col in lists:
                ws.data_validation(1, j, last, j, {"validate": "list", "source": lists[col]})
            elif col == "weight":
                ws.data_validation(
                    1,
                    j,
                    last,
                    j,
                    {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1},
                )
            elif col == "rating":
                ws.data_validation(
                    1,
                    j,
                    last,
                    j,
                    {"validate": "decimal", "criteria": "between", "minimum": 1, "maximum": 4},
                )
        ws.freeze_panes(1, 0)
        ws.activate()
        _write_fingerprint(wb, "swot", old)
    finally:
        wb.close()


def _merge_swot(sheet: _Sheet, old: CsvText | None) -> _Merged:
    """The sheet replaces swot.csv; a row whose ``id`` (else position) matches a row of the
    file keeps the file's text where the value did not change."""
    header, carried, problems = _columns_plan(sheet, old, SWOT_COLUMNS, {})
    records = _records(old)
    by_id = {r.get("id", "").strip(): r for r in records if r.get("id", "").strip()}
    merged = _Merged(header, [], [], problems=problems)
    for i, (line, rec) in enumerate(sheet.rows):
        key = rec.get("id", "")
        base = by_id.get(key) if key else (records[i] if i < len(records) else None)
        row = _merge_row(header, carried, rec, base)
        merged.rows.append(row)
        merged.origins.append((sheet.label, line))
        name = key or f"row {line}"
        if base is None:
            merged.added.append(name)
        elif row != [base.get(h.strip().lower(), "") for h in header]:
            merged.updated.append(name)
        else:
            merged.unchanged += 1
    given = {rec.get("id", "") for _, rec in sheet.rows}
    merged.removed = [k for k in by_id if k not in given]
    return merged


def _swot_problems(folder: Path, merged: _Merged) -> list[Problem]:
    """The checks of ``sanitasi document`` on the merged rows (activity codes against the
    folder's programme when it reads cleanly)."""
    load = read_folder(folder)
    codes = None
    if load.inputs is not None:
        codes = frozenset(load.inputs.activities["code"].astype(str))
    frame = merged.frame()
    _typed, problems = doc_io.parse_swot(frame, codes, file=frame[FILE])
    return problems
