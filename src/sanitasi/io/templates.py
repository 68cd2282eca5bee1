"""XLSX templates that agency staff fill, and their validated, all-or-nothing import.

:func:`export_template` writes a workbook pre-filled with a city's programme (sheet
``program``) or quarterly realisation (sheet ``realisasi``), with a sheet of instructions
(Indonesian, English below), drop-down validation fed by lookup sheets (agencies, region
codes with names, sectors, funding sources, output units, sasaran, plan profiles, states,
quarters), a frozen header, column widths and numbers stored as numbers.

:func:`import_workbook` reads a filled workbook (openpyxl), finds its kind by its sheet,
merges its rows with the city folder's CSV file in memory and checks the result with exactly
the rules of :func:`sanitasi.io.programme.read_programme`: a problem on a row that came from
the workbook names the workbook, the sheet, the Excel row and the column. Any error raises
:class:`~sanitasi.io.errors.InputErrors` and nothing is written. A clean workbook is merged
into the folder (``programme.csv`` replaced by the workbook's activities; ``realisation.csv``
rows upserted by ``activity_code, year, quarter``), keeping, for existing rows, the values of
the columns the workbook does not carry, and written atomically
(:func:`sanitasi.io.csvfiles.write_atomically`). A file whose records do not change is not
rewritten, so exporting and importing an unchanged workbook leaves the folder byte-identical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from sanitasi.core.model import FUNDING_SOURCES, INDICATORS, STATUSES
from sanitasi.core.programme import PLAN_PROFILES, REALISATION_STATES, SECTORS
from sanitasi.formulas import write_text
from sanitasi.io import city_tables as ct
from sanitasi.io import document as doc_io
from sanitasi.io import programme_tables as pt
from sanitasi.io.csvfiles import CsvText, csv_bytes, read_csv_text, write_atomically
from sanitasi.io.errors import InputErrors, Problem, errors_of, problem
from sanitasi.io.programme import REQUIRED_COLUMNS, read_folder
from sanitasi.io.reference import demo_city_dir, wilayah_index
from sanitasi.io.tables import FILE, LINE, parse_csv, read_bytes
from sanitasi.io.workbooks import open_workbook, sheet_rows

KINDS: tuple[str, ...] = ("programme", "realisation", "swot")
LANGS: tuple[str, ...] = ("id", "en")
#: Data sheet of each kind; the import finds the kind by this name.
SHEETS: dict[str, str] = {"programme": "program", "realisation": "realisasi", "swot": "swot"}
TARGET_FILES: dict[str, str] = {
    "programme": pt.PROGRAMME,
    "realisation": pt.REALISATION,
    "swot": doc_io.SWOT,
}
INSTRUCTIONS = "petunjuk"
#: Columns whose name starts with this are filled by the template and ignored on import.
INFO_PREFIX = "info_"
#: Hidden sheet of an exported template: the fingerprint of the rows it was made from.
FINGERPRINT_SHEET = "sanitasi_versi"
FINGERPRINT_FORMAT = "sanitasi-template-fingerprint/1"
#: Empty rows below the data that keep the drop-downs.
EXTRA_ROWS = 500

PROGRAMME_TEXT: tuple[str, ...] = (
    "code",
    "sector",
    "kkl_issue",
    "urgent_problem",
    "strategic_issue",
    "objective",
    "strategy",
    "programme",
    "activity",
    "output_unit",
    "lead_agency",
    "support_agencies",
    "location_kode",
    "funding_source",
    "sasaran",
    "plan_profile",
    "effect",
    "adopted_on",
    "source",
    "status",
)
#: Columns added to a programme template when the city's programme.csv lacks them.
PROGRAMME_OPTIONAL: tuple[str, ...] = (
    "sasaran",
    "plan_profile",
    "effect",
    "adopted_on",
    "source",
    "status",
)
REALISATION_SHEET_COLUMNS: tuple[str, ...] = (
    "activity_code",
    "info_kegiatan",
    "info_satuan",
    "info_pelaksana",
    "year",
    "quarter",
    "output_achieved",
    "cost_spent_idr",
    "progress_pct",
    "state",
    "status_note",
)
REALISATION_REQUIRED: tuple[str, ...] = (
    "activity_code",
    "year",
    "quarter",
    "output_achieved",
    "cost_spent_idr",
    "state",
)
REALISATION_NUMBERS: tuple[str, ...] = (
    "year",
    "quarter",
    "output_achieved",
    "cost_spent_idr",
    "progress_pct",
)
#: Values that mean the same as a blank cell, per column (a blank is never "changed" into them).
BLANK_MEANS: dict[str, str] = {
    "state": "verified",
    "plan_profile": "linear",
    "status": "unverified",
}
AGENCY_LISTS: tuple[str, ...] = ("support_agencies", "participants")
CASE_FREE: tuple[str, ...] = (
    "sector",
    "plan_profile",
    "status",
    "state",
    "funding_source",
    "lead_agency",
    "sasaran",
)


# --------------------------------------------------------------------------- the folder


@dataclass(frozen=True)
class _Folder:
    """What a template needs from a city folder (read leniently: a template can be exported
    from a folder with errors, so that they can be fixed in the workbook)."""

    city: str
    city_name: str
    regions: tuple[tuple[str, str, str], ...]
    agencies: tuple[tuple[str, str, str, str], ...]
    programme: CsvText | None
    realisation: CsvText | None
    years: tuple[int, ...]

    def activities(self) -> list[dict[str, str]]:
        """Programme rows as column -> text (stripped), in file order."""
        if self.programme is None:
            return []
        cols = self.programme.columns
        return [
            {c: v.strip() for c, v in zip(cols, row, strict=True)} for row in self.programme.rows
        ]

    def units(self) -> list[str]:
        return sorted({a.get("output_unit", "") for a in self.activities()} - {""})


def _folder_of(city_dir: Path | str | None) -> Traversable:
    return demo_city_dir() if city_dir is None else Path(city_dir)


def _read_export_folder(folder: Traversable) -> _Folder:
    wil = wilayah_index()
    regions: list[tuple[str, str, str]] = []
    city, city_name = "", ""
    location = folder / ct.REGIONS
    data, _ = read_bytes(location, ct.REGIONS) if location.is_file() else (None, [])
    if data is not None:
        df, _ = parse_csv(data, ct.REGIONS)
        if df is not None and {"kode", "tingkat"} <= set(df.columns):
            parsed = ct.parse_regions(df, wil)
            city = parsed.city or ""
            done = ct.complete_regions(parsed.df, wil)
            inside = done["kode"].eq(city) | ct.kabkota_of(done["kode"]).eq(city)
            done = done[inside & done["kode"].ne("")]
            regions = list(zip(done["kode"], done["nama"], done["tingkat"], strict=True))
            city_name = next((n for k, n, _ in regions if k == city), "")
    agencies: list[tuple[str, str, str, str]] = []
    location = folder / pt.AGENCIES
    data, _ = read_bytes(location, pt.AGENCIES) if location.is_file() else (None, [])
    if data is not None:
        df, _ = parse_csv(data, pt.AGENCIES)
        if df is not None and "code" in df.columns:
            for rec in df.to_dict("records"):
                if rec["code"]:
                    agencies.append(
                        (
                            str(rec["code"]),
                            str(rec.get("name_id", "")),
                            str(rec.get("name_en", "")),
                            str(rec.get("kind", "")),
                        )
                    )
    programme = _csv_or_none(folder, pt.PROGRAMME)
    realisation = _csv_or_none(folder, pt.REALISATION)
    years: tuple[int, ...] = ()
    if programme is not None:
        years, _ = pt.planned_years(programme.columns, pt.PROGRAMME)
    return _Folder(
        city,
        city_name,
        tuple(regions),
        tuple(agencies),
        programme,
        realisation,
        years,
    )


def _csv_or_none(folder: Traversable, name: str) -> CsvText | None:
    location = folder / name
    if not location.is_file():
        return None
    text, _ = read_csv_text(Path(str(location)), name)
    return text


# --------------------------------------------------------------------------- cell values


def _number(text: str) -> int | float | None:
    """A CSV number as an Excel number (whole numbers as int); ``None`` if not a number."""
    s = text.strip()
    if not s:
        return None
    try:
        value = float(s)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def cell_text(value: Any) -> str:
    """An Excel cell as the text a CSV file would hold (numbers without a trailing ``.0``,
    dates ``YYYY-MM-DD``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _is_number_column(column: str) -> bool:
    return (
        bool(pt.PLANNED_COLUMN.match(column))
        or column in REALISATION_NUMBERS
        or column in SWOT_NUMBERS
    )


def _norm(column: str, text: str) -> Any:
    """What a cell means, to tell a changed value from the same value written differently."""
    s = text.strip()
    if _is_number_column(column):
        if s == "" and pt.PLANNED_COLUMN.match(column):
            return 0.0
        num = _number(s)
        return s if num is None else float(num)
    if column in AGENCY_LISTS:
        return tuple(p.strip().upper() for p in s.split(";") if p.strip())
    if column in CASE_FREE or column in BLANK_MEANS:
        s = s.lower()
    if s == "" and column in BLANK_MEANS:
        return BLANK_MEANS[column]
    return s


def _same(column: str, old: str, new: str) -> bool:
    return bool(_norm(column, old) == _norm(column, new))


# --------------------------------------------------------------------------- export


def export_template(
    kind: str, city_dir: Path | str | None, out: Path | str, lang: str = "id"
) -> None:
    """Write the ``programme`` or ``realisation`` template of a city folder (``None``: the
    Kota Solok demo) to ``out`` (.xlsx), pre-filled with the folder's rows.

    ``lang`` (``id`` or ``en``) picks the language of the drop-down prompts and which half of
    the instructions comes first. Raises :class:`ValueError` for an unknown kind or language
    and :class:`FileNotFoundError` when ``city_dir`` is not a folder.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown template kind {kind!r}; choose from {', '.join(KINDS)}")
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; choose from {', '.join(LANGS)}")
    if city_dir is not None and not Path(city_dir).is_dir():
        raise FileNotFoundError(f"city folder {city_dir} does not exist")
    if kind == "swot":
        _export_swot(_folder_of(city_dir), out, lang)
        return
    folder = _read_export_folder(_folder_of(city_dir))
    wb = xlsxwriter.Workbook(str(out), {"strings_to_numbers": False, "strings_to_formulas": False})
    try:
        fmt = _Formats(wb)
        info = wb.add_worksheet(INSTRUCTIONS)
        data = wb.add_worksheet(SHEETS[kind])
        lists = _write_lookups(wb, fmt, folder, kind)
        if kind == "programme":
            columns = _write_programme(data, fmt, folder, lists, lang)
        else:
            columns = _write_realisation(data, fmt, folder, lists, lang)
        _write_instructions(info, fmt, folder, kind, columns, lang)
        current = folder.programme if kind == "programme" else folder.realisation
        _write_fingerprint(wb, kind, current)
        data.activate()
    finally:
        wb.close()


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        header = {"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "top"}
        self.header = wb.add_format(header)
        self.info_header = wb.add_format({**header, "bg_color": "#E7E6E6", "italic": True})
        self.text = wb.add_format({"num_format": "@"})
        self.info = wb.add_format({"num_format": "@", "bg_color": "#F2F2F2", "italic": True})
        self.number = wb.add_format({"num_format": "General"})
        self.money = wb.add_format({"num_format": "#,##0"})
        self.whole = wb.add_format({"num_format": "0"})
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.heading = wb.add_format({"bold": True, "font_size": 12})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.code = wb.add_format({"font_name": "Consolas", "text_wrap": True, "valign": "top"})


@dataclass
class _Lists:
    """Cell ranges of the lookup lists (``None`` when a list is empty)."""

    ranges: dict[str, str | None] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        return self.ranges.get(name)


def _range(sheet: str, col: int, n: int) -> str | None:
    if n == 0:
        return None
    letter = xl_col_to_name(col)
    return f"={sheet}!${letter}$2:${letter}${n + 1}"


def _write_table(
    ws: Worksheet, fmt: _Formats, col: int, header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    for j, h in enumerate(header):
        write_text(ws, 0, col + j, h, fmt.header)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            if isinstance(v, int | float) and not isinstance(v, bool):
                ws.write_number(i, col + j, v)
            else:
                write_text(ws, i, col + j, str(v), fmt.text)


def _write_lookups(wb: xlsxwriter.Workbook, fmt: _Formats, folder: _Folder, kind: str) -> _Lists:
    lists = _Lists()
    ws = wb.add_worksheet("daftar_instansi")
    _write_table(ws, fmt, 0, ("code", "name_id", "name_en", "kind"), folder.agencies)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 2, 48)
    ws.set_column(3, 3, 12)
    ws.freeze_panes(1, 0)
    lists.ranges["agency"] = _range("daftar_instansi", 0, len(folder.agencies))

    ws = wb.add_worksheet("daftar_wilayah")
    _write_table(ws, fmt, 0, ("kode", "nama", "tingkat"), folder.regions)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 28)
    ws.set_column(2, 2, 12)
    ws.freeze_panes(1, 0)
    lists.ranges["region"] = _range("daftar_wilayah", 0, len(folder.regions))

    ws = wb.add_worksheet("daftar_kode")
    columns: list[tuple[str, str, list[Any]]] = [
        ("sector", "sektor", list(SECTORS)),
        ("funding", "sumber_dana", list(FUNDING_SOURCES)),
        ("profile", "profil_rencana", list(PLAN_PROFILES)),
        ("state", "status_realisasi", list(REALISATION_STATES)),
        ("quarter", "triwulan", list(pt.QUARTERS)),
        ("unit", "satuan_output", folder.units()),
        ("sasaran", "sasaran", list(INDICATORS)),
        ("", "nama_sasaran", [v["name_id"] for v in INDICATORS.values()]),
        ("status", "status_data", list(STATUSES)),
        ("", "contoh_efek", list(EFFECT_EXAMPLES)),
    ]
    for j, (key, header, values) in enumerate(columns):
        _write_table(ws, fmt, j, (header,), [[v] for v in values])
        if key:
            lists.ranges[key] = _range("daftar_kode", j, len(values))
    ws.set_column(0, 6, 18)
    ws.set_column(5, 5, 40)
    ws.set_column(7, 7, 40)
    ws.set_column(9, 9, 48)
    ws.freeze_panes(1, 0)

    if kind == "realisation":
        ws = wb.add_worksheet("daftar_kegiatan")
        years = folder.years
        head = ["code", "activity", "output_unit", "lead_agency"]
        head += [f"planned_output_{y}" for y in years] + [f"planned_cost_{y}" for y in years]
        rows = []
        for a in folder.activities():
            row: list[Any] = [a.get(c, "") for c in head[:4]]
            for c in head[4:]:
                num = _number(a.get(c, ""))
                row.append(a.get(c, "") if num is None else num)
            rows.append(row)
        _write_table(ws, fmt, 0, head, rows)
        ws.set_column(0, 0, 12)
        ws.set_column(1, 1, 60)
        ws.set_column(2, 2, 30)
        ws.set_column(3, 3, 14)
        ws.set_column(4, len(head), 18)
        ws.freeze_panes(1, 1)
        lists.ranges["activity"] = _range("daftar_kegiatan", 0, len(rows))
    return lists


EFFECT_EXAMPLES: tuple[str, ...] = (
    "none",
    "hh:belum_layak->aman@l2t2:1",
    "hh:babs_tertutup->layak_sendiri:1",
    "hh:belum_layak->aman@spald_t:50",
    "hh:layak_sendiri->aman@l2t2:1",
    "tpd:unmanaged->pengurangan:0.2;tpd:unmanaged->penanganan:0.3",
    "tpd:unmanaged->penanganan:2.5;cap:truk_sampah:1",
    "cap:iplt_m3_per_day:1",
    "cap:truk_tinja:1",
    "cap:tpa_m3:1",
)


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
    ws: Worksheet, fmt: _Formats, folder: _Folder, lists: _Lists, lang: str
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
            _write_value(ws, i, j, row.get(col, ""), number, col_fmt)
        _validate(ws, col, j, len(rows), lists, lang, folder.years)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    return header


def _write_value(ws: Worksheet, i: int, j: int, text: str, number: bool, col_fmt: Any) -> None:
    if text == "":
        return
    num = _number(text) if number else None
    if num is not None:
        ws.write_number(i, j, num, col_fmt)
    else:
        write_text(ws, i, j, text, col_fmt)


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
    ws: Worksheet, fmt: _Formats, folder: _Folder, lists: _Lists, lang: str
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
            _write_value(ws, i, j, row.get(col, ""), number, col_fmt)
        _validate(ws, col, j, len(rows), lists, lang, folder.years)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    return header


_WIDTHS: dict[str, int] = {
    "code": 10,
    "activity_code": 13,
    "sector": 13,
    "kkl_issue": 48,
    "urgent_problem": 48,
    "strategic_issue": 48,
    "objective": 40,
    "strategy": 40,
    "programme": 40,
    "activity": 48,
    "output_unit": 24,
    "lead_agency": 14,
    "support_agencies": 28,
    "location_kode": 15,
    "info_nama_lokasi": 22,
    "funding_source": 14,
    "sasaran": 22,
    "plan_profile": 12,
    "effect": 44,
    "source": 30,
    "status": 12,
    "info_kegiatan": 48,
    "info_satuan": 24,
    "info_pelaksana": 14,
    "year": 7,
    "quarter": 8,
    "output_achieved": 16,
    "cost_spent_idr": 18,
    "progress_pct": 12,
    "adopted_on": 12,
    "state": 12,
    "status_note": 48,
}


def _width(column: str) -> int:
    if column.startswith("planned_cost"):
        return 19
    if column.startswith("planned_output"):
        return 20
    return _WIDTHS.get(column, 18)


# --------------------------------------------------------------------------- validation


def _doc(column: str, lang: str) -> tuple[str, str]:
    """Short description of a column: (title, text) in ``lang``."""
    m = pt.PLANNED_COLUMN.match(column)
    if m:
        key = f"planned_{m.group(1)}"
        id_, en = COLUMN_DOCS[key]
        return column, (id_ if lang == "id" else en).replace("YYYY", m.group(2))
    id_, en = COLUMN_DOCS.get(column, ("", ""))
    return column, id_ if lang == "id" else en


def _validate(
    ws: Worksheet,
    column: str,
    j: int,
    n: int,
    lists: _Lists,
    lang: str,
    years: Sequence[int],
) -> None:
    """Drop-down or number validation and an input prompt for column ``j``."""
    title, text = _doc(column, lang)
    rule: dict[str, Any] = {"validate": "any"}
    list_of = {
        "lead_agency": "agency",
        "sector": "sector",
        "funding_source": "funding",
        "location_kode": "region",
        "output_unit": "unit",
        "sasaran": "sasaran",
        "plan_profile": "profile",
        "status": "status",
        "activity_code": "activity",
        "state": "state",
        "quarter": "quarter",
    }
    if column in list_of and lists.get(list_of[column]):
        rule = {"validate": "list", "source": lists.get(list_of[column])}
        # a new output unit may be typed; everything else must come from its list
        rule["error_type"] = "information" if column == "output_unit" else "stop"
    elif column == "progress_pct":
        rule = {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": 100,
            "error_type": "stop",
        }
    elif _is_number_column(column) and column != "year":
        rule = {"validate": "decimal", "criteria": ">=", "value": 0, "error_type": "stop"}
    elif column == "year":
        rule = {
            "validate": "integer",
            "criteria": "between",
            "minimum": 1900,
            "maximum": 2100,
            "error_type": "stop",
        }
    rule["input_title"] = title[:32]
    rule["input_message"] = _clip(text, 255)
    if rule["validate"] != "any":
        rule["error_title"] = ("Nilai tidak valid" if lang == "id" else "Invalid value")[:32]
        rule["error_message"] = _clip(text, 255)
    if not text and rule["validate"] == "any":
        return
    ws.data_validation(1, j, n + EXTRA_ROWS, j, rule)


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


COLUMN_DOCS: dict[str, tuple[str, str]] = {
    "code": (
        "Kode kegiatan, unik (mis. ALD-01, PS-03). Wajib.",
        "Activity code, unique (e.g. ALD-01, PS-03). Required.",
    ),
    "sector": (
        "Sektor: ald (air limbah domestik) atau persampahan. Wajib.",
        "Sector: ald (domestic wastewater) or persampahan (solid waste). Required.",
    ),
    "kkl_issue": (
        "Permasalahan mendesak / isu strategis (KKL).",
        "Urgent problem / strategic issue (KKL).",
    ),
    "urgent_problem": ("Permasalahan mendesak (KKL).", "Urgent problem (KKL)."),
    "strategic_issue": ("Isu strategis (KKL).", "Strategic issue (KKL)."),
    "objective": ("Tujuan.", "Objective."),
    "strategy": ("Strategi.", "Strategy."),
    "programme": ("Program.", "Programme."),
    "activity": ("Nama kegiatan. Wajib.", "Activity name. Required."),
    "output_unit": (
        "Satuan output, mis. tangki septik. Pilih dari daftar atau tulis satuan baru. Wajib.",
        "Output unit, e.g. septic tank. Pick from the list or type a new unit. Required.",
    ),
    "lead_agency": (
        "Instansi pelaksana: satu kode dari sheet daftar_instansi. Wajib.",
        "Lead agency: one code of sheet daftar_instansi. Required.",
    ),
    "support_agencies": (
        "Instansi pendukung: kode dari daftar_instansi dipisah titik koma, mis. DLH;DINKES. "
        "Boleh kosong.",
        "Supporting agencies: codes of daftar_instansi separated by ';', e.g. DLH;DINKES. "
        "May be blank.",
    ),
    "location_kode": (
        "Lokasi: kode kota, kecamatan atau kelurahan (sheet daftar_wilayah). Wajib.",
        "Location: code of the city, a kecamatan or a kelurahan (sheet daftar_wilayah). Required.",
    ),
    "info_nama_lokasi": (
        "Diisi otomatis dari location_kode; diabaikan saat impor.",
        "Filled from location_kode; ignored on import.",
    ),
    "funding_source": (
        "Sumber dana: APBN, DAK, APBD_PROV, APBD_KOTA, SWASTA atau MASYARAKAT. Wajib.",
        "Funding source: APBN, DAK, APBD_PROV, APBD_KOTA, SWASTA or MASYARAKAT. Required.",
    ),
    "planned_output": (
        "Target output tahun YYYY dalam satuan output (angka >= 0; kosong = 0).",
        "Planned output in YYYY, in output units (number >= 0; blank = 0).",
    ),
    "planned_cost": (
        "Rencana biaya tahun YYYY dalam rupiah (angka >= 0; kosong = 0).",
        "Planned cost in YYYY, rupiah (number >= 0; blank = 0).",
    ),
    "sasaran": (
        "Kode indikator sasaran yang didukung (sheet daftar_kode). Wajib.",
        "Code of the sasaran indicator served (sheet daftar_kode). Required.",
    ),
    "plan_profile": (
        "Profil rencana triwulan: linear (kosong = linear), apbd (menumpuk di akhir tahun) atau "
        "completion (pekerjaan yang dihitung saat selesai, kurva S; boleh melaporkan progres "
        "fisik).",
        "Quarterly plan profile: linear (blank = linear), apbd (back-loaded) or completion "
        "(works counted at completion, S-curve; may report physical progress).",
    ),
    "effect": (
        "Efek per satuan output: hh:DARI->KE:N, tpd:DARI->KE:X, cap:JENIS:X (digabung ';') "
        "atau none. Contoh di sheet daftar_kode. Wajib.",
        "Effect per unit of output: hh:FROM->TO:N, tpd:FROM->TO:X, cap:KIND:X (joined by ';') "
        "or none. Examples in sheet daftar_kode. Required.",
    ),
    "adopted_on": (
        "Tanggal kegiatan diadopsi Bappeda (YYYY-MM-DD), bila diadopsi selama periode rencana: "
        "kegiatan dinilai mulai triwulan adopsinya. Kosong = sudah ada sejak awal periode.",
        "Date Bappeda adopted the activity (YYYY-MM-DD), when adopted during the plan period: "
        "it is judged from its adoption quarter. Blank = in the plan from the start.",
    ),
    "source": ("Sumber data.", "Source of the data."),
    "status": (
        "Status data: sourced, derived, illustrative, unverified (kosong = unverified).",
        "Data status: sourced, derived, illustrative, unverified (blank = unverified).",
    ),
    "activity_code": (
        "Kode kegiatan dari programme (sheet daftar_kegiatan). Wajib.",
        "Activity code of the programme (sheet daftar_kegiatan). Required.",
    ),
    "info_kegiatan": (
        "Diisi otomatis: nama kegiatan; diabaikan saat impor.",
        "Filled automatically: activity name; ignored on import.",
    ),
    "info_satuan": (
        "Diisi otomatis: satuan output; diabaikan saat impor.",
        "Filled automatically: output unit; ignored on import.",
    ),
    "info_pelaksana": (
        "Diisi otomatis: instansi pelaksana; diabaikan saat impor.",
        "Filled automatically: lead agency; ignored on import.",
    ),
    "year": ("Tahun (mis. 2026). Wajib.", "Year (e.g. 2026). Required."),
    "quarter": ("Triwulan: 1, 2, 3 atau 4. Wajib.", "Quarter: 1, 2, 3 or 4. Required."),
    "output_achieved": (
        "Output yang dicapai DALAM triwulan ini (tambahan, bukan kumulatif), >= 0. Wajib.",
        "Output achieved IN this quarter (increment, not a running total), >= 0. Required.",
    ),
    "cost_spent_idr": (
        "Biaya yang dibelanjakan DALAM triwulan ini, rupiah (tambahan), >= 0. Wajib.",
        "Money spent IN this quarter, rupiah (increment), >= 0. Required.",
    ),
    "progress_pct": (
        "Progres fisik (0-100 %): persen kumulatif pekerjaan tahun ini yang secara fisik "
        "selesai di akhir triwulan. Hanya untuk pekerjaan yang dihitung saat selesai "
        "(plan_profile completion: IPAL, IPLT, sel TPA); kosong = tidak dilaporkan.",
        "Physical progress (0-100 %): cumulative % of the year's planned works physically done "
        "at the end of the quarter. Only for works counted at completion (plan_profile "
        "completion: IPAL, IPLT, landfill cell); blank = not reported.",
    ),
    "state": (
        "Status laporan: draft, submitted (diajukan OPD) atau verified (diverifikasi Bappeda). "
        "Wajib.",
        "Report state: draft, submitted (by the agency) or verified (by Bappeda). Required.",
    ),
    "status_note": ("Catatan / kendala.", "Note / obstacles."),
}


# --------------------------------------------------------------------------- instructions


def _instructions(folder: _Folder, kind: str, columns: Sequence[str]) -> dict[str, list[str]]:
    city = f"{folder.city_name} ({folder.city})" if folder.city else "-"
    sheet = SHEETS[kind]
    file = TARGET_FILES[kind]
    today = dt.date.today().isoformat()
    if kind == "programme":
        what_id = (
            f"Template matriks program SSK (KKL) - {city}",
            f"Sheet '{sheet}' memuat satu baris per kegiatan, sama dengan {file}. "
            "Saat impor, isi sheet ini MENGGANTIKAN seluruh programme.csv (kegiatan yang "
            "dihapus dari sheet akan hilang, kecuali masih punya realisasi: impor ditolak).",
        )
        what_en = (
            f"SSK programme matrix (KKL) template - {city}",
            f"Sheet '{sheet}' holds one row per activity, like {file}. On import the sheet "
            "REPLACES programme.csv (activities deleted from the sheet are removed, unless they "
            "have realisation: then the import is refused).",
        )
    else:
        what_id = (
            f"Template realisasi triwulanan - {city}",
            f"Sheet '{sheet}' memuat satu baris per kegiatan, tahun dan triwulan. Saat impor, "
            f"baris dimasukkan ke {file} menurut (activity_code, year, quarter): baris yang "
            "sudah ada diperbarui, baris baru ditambahkan; tidak ada baris yang dihapus. "
            "Baris triwulan berikutnya sudah disiapkan: baris yang output, biaya dan catatannya "
            "kosong dilewati.",
        )
        what_en = (
            f"Quarterly realisation template - {city}",
            f"Sheet '{sheet}' holds one row per activity, year and quarter. On import the rows "
            f"are upserted into {file} by (activity_code, year, quarter): existing rows are "
            "updated, new rows added; no row is deleted. Rows for the next quarter are "
            "prepared: a row whose output, cost and note are blank is skipped.",
        )
    cols_id = [f"- {c}: {_doc(c, 'id')[1]}" for c in columns]
    cols_en = [f"- {c}: {_doc(c, 'en')[1]}" for c in columns]
    cmd = "sanitasi import BERKAS.xlsx --city-dir FOLDER_KOTA"
    id_lines = [
        what_id[0],
        f"Dibuat {today} dari folder kota ini oleh sanitasi export-template.",
        "",
        "Isi",
        what_id[1],
        "",
        "Cara mengisi",
        "1. Isi hanya sheet '" + sheet + "'. Jangan mengubah nama sheet atau judul kolom "
        "(baris 1). Urutan kolom boleh berubah.",
        "2. Pilih kode dari daftar drop-down; daftar lengkap ada di sheet daftar_instansi, "
        "daftar_wilayah, daftar_kode" + (" dan daftar_kegiatan." if kind != "programme" else "."),
        "3. Angka ditulis sebagai angka (bukan teks), tanpa pemisah ribuan; desimal dengan titik "
        "atau sesuai pengaturan Excel. Biaya dalam rupiah penuh.",
        "4. Kolom abu-abu (info_...) diisi otomatis dan diabaikan saat impor.",
        "5. Kolom yang dihapus dari sheet tetap memakai nilai lama di folder untuk baris yang "
        "sudah ada (mis. source, status).",
        *(
            [
                "6. Baris yang diisi wajib memiliki state: OPD mengisi draft atau submitted; "
                "Bappeda mengubahnya menjadi verified setelah pemeriksaan. Hanya realisasi "
                "verified yang dihitung dalam monitoring."
            ]
            if kind == "realisation"
            else []
        ),
        "",
        "Kolom",
        *cols_id,
        "",
        "Pemeriksaan",
        "Setiap baris diperiksa dengan aturan yang sama dengan berkas CSV (docs/city-data.md): "
        "kolom wajib, kode instansi dan wilayah, angka (bukan teks, tidak negatif), triwulan "
        "1-4, kode kegiatan unik, realisasi hanya untuk kegiatan yang ada, format efek, "
        "progres fisik 0-100 hanya untuk pekerjaan completion, tidak ada realisasi untuk "
        "triwulan yang belum dimulai. "
        "Jika ada satu kesalahan saja, SELURUH workbook ditolak, daftar kesalahan menyebut "
        "sheet, baris Excel, kolom dan aturannya, dan folder kota tidak berubah.",
        "",
        "Impor",
        f"{cmd}    (tambahkan --check untuk memeriksa saja tanpa menyimpan)",
    ]
    en_lines = [
        what_en[0],
        f"Made {today} from this city folder by sanitasi export-template.",
        "",
        "Content",
        what_en[1],
        "",
        "How to fill it in",
        "1. Fill in sheet '" + sheet + "' only. Do not rename the sheet or the column headers "
        "(row 1). Columns may be reordered.",
        "2. Pick codes from the drop-downs; the full lists are on sheets daftar_instansi, "
        "daftar_wilayah, daftar_kode" + (" and daftar_kegiatan." if kind != "programme" else "."),
        "3. Numbers are numbers (not text), without thousands separators. Costs in full rupiah.",
        "4. Grey columns (info_...) are filled automatically and ignored on import.",
        "5. A column deleted from the sheet keeps the folder's values for existing rows "
        "(e.g. source, status).",
        *(
            [
                "6. A filled-in row needs its state: the agency enters draft or submitted; "
                "Bappeda changes it to verified after checking. Only verified realisation counts "
                "in monitoring."
            ]
            if kind == "realisation"
            else []
        ),
        "",
        "Columns",
        *cols_en,
        "",
        "Checks",
        "Every row is checked with the rules of the CSV files (docs/city-data.md): required "
        "columns, agency and region codes, numbers (not text, not negative), quarter 1-4, "
        "unique activity codes, realisation only for existing activities, the effect grammar, "
        "physical progress 0-100 only for completion works, no realisation for a quarter that "
        "has not started. "
        "One error rejects the WHOLE workbook: the error list names the sheet, Excel row, column "
        "and rule, and the city folder is left untouched.",
        "",
        "Import",
        cmd.replace("BERKAS", "FILE").replace("FOLDER_KOTA", "CITY_DIR")
        + "    (add --check to validate without saving)",
    ]
    return {"id": id_lines, "en": en_lines}


_HEADINGS = {
    "Isi",
    "Cara mengisi",
    "Kolom",
    "Pemeriksaan",
    "Impor",
    "Content",
    "How to fill it in",
    "Columns",
    "Checks",
    "Import",
}


def _write_instructions(
    ws: Worksheet,
    fmt: _Formats,
    folder: _Folder,
    kind: str,
    columns: Sequence[str],
    lang: str,
) -> None:
    text = _instructions(folder, kind, columns)
    first, second = ("id", "en") if lang == "id" else ("en", "id")
    ws.set_column(0, 0, 120, fmt.wrap)
    row = 0
    for part in (first, second):
        lines = text[part]
        for i, line in enumerate(lines):
            style = fmt.wrap
            if i == 0:
                style = fmt.title
            elif line in _HEADINGS:
                style = fmt.heading
            elif line.startswith("sanitasi "):
                style = fmt.code
            if line:
                write_text(ws, row, 0, line, style)
            row += 1
        row += 2


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportReport:
    """What :func:`import_workbook` found and did.

    ``added``/``updated``/``removed`` are activity codes (programme) or
    ``"CODE YEAR Qn"`` keys (realisation); ``written`` the files replaced (empty when
    ``check_only`` or when nothing changed); ``problems`` the warnings (an import with errors
    raises instead).
    """

    kind: str
    workbook: Path
    sheet: str
    city_dir: Path
    rows: int
    added: tuple[str, ...]
    updated: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int
    written: tuple[Path, ...]
    check_only: bool
    problems: tuple[Problem, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass
class _Sheet:
    kind: str
    name: str
    label: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    fingerprint: dict[str, str] | None = None


def read_workbook(path: Path) -> _Sheet:
    """The template sheet of a workbook as text rows (Excel row number, column -> text).

    Raises :class:`InputErrors` when the workbook cannot be read, has no template sheet, lacks
    a required column or names a column twice.
    """
    wb, problems = open_workbook(path, path.name)
    if wb is None:
        raise InputErrors(problems)
    try:
        by_name = {s.strip().lower(): s for s in wb.sheetnames}
        kinds = [k for k in KINDS if SHEETS[k] in by_name]
        if len(kinds) != 1:
            expected = " or ".join(SHEETS.values())
            if len(kinds) > 1:
                expected = "of only one kind: " + expected
            found = ", ".join(wb.sheetnames)
            raise InputErrors(
                [problem("SAN-E047", path.name, None, None, None, expected=expected, found=found)]
            )
        kind = kinds[0]
        name = by_name[SHEETS[kind]]
        read, problems = sheet_rows(wb[name], path.name, name)
        fingerprint = None
        if FINGERPRINT_SHEET in by_name and read is not None:
            marks, problems = sheet_rows(
                wb[by_name[FINGERPRINT_SHEET]], path.name, FINGERPRINT_SHEET
            )
            fingerprint = _read_fingerprint(marks or [])
    except InputErrors:
        raise
    except Exception as exc:  # a damaged part of the package shows only when read
        reason = str(exc).strip() or type(exc).__name__
        raise InputErrors([problem("SAN-E046", path.name, reason=reason)]) from None
    finally:
        wb.close()
    if read is None:
        raise InputErrors(problems)
    values = read
    label = f"{path.name} [{name}]"
    header = [cell_text(v).lower() for v in values[0]] if values else []
    problems = []
    seen: set[str] = set()
    for h in header:
        if h and h in seen:
            problems.append(problem("SAN-E048", label, 1, h))
        seen.add(h)
    required = {
        "realisation": REALISATION_REQUIRED,
        "swot": doc_io.SWOT_REQUIRED,
    }.get(kind, REQUIRED_COLUMNS[pt.PROGRAMME])
    found = ", ".join(h for h in header if h) or "none"
    problems += [problem("SAN-E002", label, 1, c, found=found) for c in required if c not in seen]
    if kind == "programme":
        _, year_problems = pt.planned_years([h for h in header if h], label)
        problems += year_problems
    if errors_of(problems):
        raise InputErrors(problems)
    rows: list[tuple[int, dict[str, str]]] = []
    for r, cells in enumerate(values[1:], start=2):
        rec = {h: cell_text(v) for h, v in zip(header, cells, strict=False) if h}
        if any(v for h, v in rec.items() if not h.startswith(INFO_PREFIX)):
            rows.append((r, rec))
    return _Sheet(kind, name, label, [h for h in header if h], rows, fingerprint)


def import_workbook(
    path: Path | str,
    city_dir: Path | str,
    *,
    check_only: bool = False,
    as_of: dt.date | None = None,
) -> ImportReport:
    """Validate a filled template and, if clean and not ``check_only``, merge it into the city
    folder's CSV files atomically.

    Raises :class:`InputErrors` with every problem (workbook rows named by workbook, sheet,
    Excel row and column) when any is an error; the folder is then untouched. Realisation of
    a quarter that starts after ``as_of`` (default: today) is an error (``SAN-E049``).
    """
    as_of = as_of or dt.date.today()
    path, folder = Path(path), Path(city_dir)
    sheet = read_workbook(path)
    name = TARGET_FILES[sheet.kind]
    old, problems = read_csv_text(folder / name, name)
    if problems:
        raise InputErrors(problems)
    if sheet.kind == "programme":
        merged = _merge_programme(sheet, old)
    elif sheet.kind == "swot":
        merged = _merge_swot(sheet, old)
    else:
        merged = _merge_realisation(sheet, old)
    merged.problems += stale_rows(sheet, old, merged, name)
    if sheet.kind == "swot":
        found = _swot_problems(folder, merged)
    else:
        found = list(read_folder(folder, overlay={name: merged.frame()}, as_of=as_of).problems)
    # row by row: the workbook's problems first, in sheet order, then the folder's files
    problems = sorted(
        [*merged.problems, *found],
        key=lambda p: (p.file != sheet.label, p.file, p.row or 0),
    )
    if errors_of(problems):
        raise InputErrors(problems)
    written: tuple[Path, ...] = ()
    if merged.changed_from(old) and not check_only:
        target = folder / name
        data = csv_bytes(
            merged.header,
            merged.rows,
            bom=old.bom if old else False,
            newline=old.newline if old else "\n",
        )
        write_atomically({target: data})
        written = (target,)
    return ImportReport(
        kind=sheet.kind,
        workbook=path,
        sheet=sheet.name,
        city_dir=folder,
        rows=len(sheet.rows),
        added=tuple(merged.added),
        updated=tuple(merged.updated),
        removed=tuple(merged.removed),
        unchanged=merged.unchanged,
        written=written,
        check_only=check_only,
        problems=tuple(problems),
    )


@dataclass
class _Merged:
    """The merged file: header as written, rows, and where each row came from."""

    header: list[str]
    rows: list[list[str]]
    origins: list[tuple[str, int]]
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """The merged rows as the loaders' text table (``LINE`` and ``FILE`` per row)."""
        columns = [h.strip().lower() for h in self.header]
        data = [[v.strip() for v in row] for row in self.rows]
        df = pd.DataFrame(data, columns=columns, dtype=object)
        df = df.loc[:, ~df.columns.duplicated()]
        df = df.astype(str) if len(df) else df
        df[LINE] = [line for _, line in self.origins]
        df[FILE] = [file for file, _ in self.origins]
        return df.reset_index(drop=True)

    def changed_from(self, old: CsvText | None) -> bool:
        if old is None:
            return True
        return tuple(self.header) != old.header or [tuple(r) for r in self.rows] != list(old.rows)


def _columns_plan(
    sheet: _Sheet, old: CsvText | None, known: Iterable[str], rename: dict[str, str]
) -> tuple[list[str], dict[str, str], list[Problem]]:
    """Output header (as written) and, for each output column (lower-case), the workbook
    column it takes its value from; W145 for workbook columns that are ignored."""
    known = set(known)
    old_cols = list(old.columns) if old else []
    header = list(old.header) if old else []
    carried: dict[str, str] = {}
    problems: list[Problem] = []
    for col in sheet.columns:
        if col.startswith(INFO_PREFIX):
            continue
        target = rename.get(col, col)
        if target in old_cols or col in known or pt.PLANNED_COLUMN.match(col):
            if target not in old_cols:
                header.append(target)
                old_cols.append(target)
            carried[target] = col
        else:
            problems.append(problem("SAN-W145", sheet.label, 1, col, kind=sheet.kind))
    if old is not None:
        # a column the file lacks is added only when the workbook gives it a value that is
        # not what a blank cell already means
        for col in [c for c in carried if c not in old.columns]:
            default = BLANK_MEANS.get(col, "")
            given = (_norm(col, rec.get(carried[col], "")) for _, rec in sheet.rows)
            if all(v in ("", default) for v in given):
                del carried[col]
                header = [h for h in header if h.strip().lower() != col]
    return header, carried, problems


def _merge_row(
    header: list[str],
    carried: dict[str, str],
    rec: dict[str, str],
    base: dict[str, str] | None,
) -> list[str]:
    out = []
    for h in header:
        col = h.strip().lower()
        if col in carried:
            new = rec.get(carried[col], "")
            old = None if base is None else base.get(col)
            out.append(old if old is not None and _same(col, old, new) else new)
        else:
            out.append("" if base is None else base.get(col, ""))
    return out


def _records(old: CsvText | None) -> list[dict[str, str]]:
    if old is None:
        return []
    return [dict(zip(old.columns, row, strict=True)) for row in old.rows]


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


def _int(text: str) -> int | None:
    num = _number(text)
    return int(num) if isinstance(num, int) else None


def _key(rec: dict[str, str]) -> tuple[str, int | None, int | None]:
    return (
        rec.get("activity_code", "").strip(),
        _int(rec.get("year", "")),
        _int(rec.get("quarter", "")),
    )


def _key_text(key: tuple[str, int | None, int | None]) -> str:
    return f"{key[0]} {key[1]} Q{key[2]}"


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


__all__ = ["ImportReport", "cell_text", "export_template", "import_workbook", "read_workbook"]


# --------------------------------------------------------------------------- swot template
# ``swot.csv`` of the SSK document (Bab IV; io/document.py, docs/city-data.md §12): one sheet
# ``swot`` pre-filled with the folder's factors, drop-downs for sector and kind, weights 0-1
# and ratings 1-4; the import replaces swot.csv by the sheet (rows matched by ``id`` keep the
# file's text for unchanged values) after the checks of ``sanitasi document``.

SWOT_NUMBERS: tuple[str, ...] = ("weight", "rating")
SWOT_COLUMNS: tuple[str, ...] = (
    "sector",
    "id",
    "kind",
    "factor",
    "weight",
    "rating",
    "activities",
    "source",
    "status",
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
    wb = xlsxwriter.Workbook(str(out), {"strings_to_numbers": False, "strings_to_formulas": False})
    try:
        fmt = _Formats(wb)
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
                number = col in ("weight", "rating") and _number(text) is not None
                _write_value(ws, i, j, text, number, fmt.number if number else fmt.text)
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


# --------------------------------------------------------------------------- fingerprint
def _row_key(kind: str, rec: dict[str, str], position: int) -> str:
    """The identity of a row of the template's file: the activity code (programme), activity,
    year and quarter (realisation), the id (else the position) of a SWOT factor."""
    if kind == "programme":
        return rec.get("code", "").strip()
    if kind == "realisation":
        return _key_text(_key(rec))
    return rec.get("id", "").strip() or f"#{position}"


def _row_digest(rec: dict[str, str]) -> str:
    """A digest of a row's non-blank cells (column order and blank columns do not count)."""
    items = sorted((k, v.strip()) for k, v in rec.items() if k and v.strip())
    text = "\x1e".join(f"{k}\x1f{v}" for k, v in items)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def row_digests(kind: str, records: Iterable[dict[str, str]]) -> dict[str, str]:
    """Row key -> digest of the rows ``records`` (a repeated key: the digest of all of them)."""
    out: dict[str, str] = {}
    for i, rec in enumerate(records, start=1):
        key = _row_key(kind, rec, i)
        digest = _row_digest(rec)
        out[key] = digest if key not in out else _row_digest({"a": out[key], "b": digest})
    return out


def _write_fingerprint(wb: xlsxwriter.Workbook, kind: str, current: CsvText | None) -> None:
    """A hidden sheet with the digest of every row of the file the template was made from
    (docs/city-data.md, Limits: stale workbooks)."""
    ws = wb.add_worksheet(FINGERPRINT_SHEET)
    write_text(ws, 0, 0, "format")
    write_text(ws, 0, 1, FINGERPRINT_FORMAT)
    write_text(ws, 1, 0, "kind")
    write_text(ws, 1, 1, kind)
    for i, (key, digest) in enumerate(row_digests(kind, _records(current)).items(), start=2):
        write_text(ws, i, 0, key)
        write_text(ws, i, 1, digest)
    ws.hide()


def _read_fingerprint(rows: list[tuple[Any, ...]]) -> dict[str, str] | None:
    """Row key -> digest of an exported template's fingerprint sheet (``None``: none)."""
    if not rows or len(rows[0]) < 2 or cell_text(rows[0][1]) != FINGERPRINT_FORMAT:
        return None
    out: dict[str, str] = {}
    for row in rows[2:]:
        cells = [cell_text(v) for v in row] + ["", ""]
        out[cells[0]] = cells[1]
    return out


_CHANGE_ID = {"added": "ditambahkan", "removed": "dihapus", "changed": "diubah"}


def stale_rows(sheet: _Sheet, old: CsvText | None, merged: _Merged, file: str) -> list[Problem]:
    """``SAN-E159`` for each row of the folder's file that changed since the workbook was
    exported (per its fingerprint) and that the import would overwrite, revive or drop:
    a stale workbook never silently reverts newer edits. A workbook without a fingerprint
    (made by hand, or by an older Sanitasi) is not checked."""
    if sheet.fingerprint is None:
        return []
    exported = sheet.fingerprint
    current = row_digests(sheet.kind, _records(old))
    columns = [h.strip().lower() for h in merged.header]
    after = row_digests(sheet.kind, (dict(zip(columns, r, strict=False)) for r in merged.rows))
    out = []
    for key in dict.fromkeys([*current, *exported]):
        if exported.get(key) == current.get(key) or after.get(key) == current.get(key):
            continue
        change = "added" if key not in exported else "removed" if key not in current else "changed"
        out.append(
            problem(
                "SAN-E159",
                sheet.label,
                None,
                None,
                key,
                key=key,
                target=file,
                change=change,
                change_id=_CHANGE_ID[change],
            )
        )
    return out
