"""The baseline (a city's observations) as an XLSX workbook a kelurahan officer fills, and its
validated reading.

:func:`export_baseline_template` writes the sheet ``baseline`` in *wide* form: one row per
region and year (``kode``, ``info_nama``, ``info_tingkat``, ``year``), one column per indicator,
then ``source`` and ``status``; pre-filled with the current values, numbers stored as numbers,
drop-downs for ``kode`` and ``status``, number validation, a frozen header, a sheet of
instructions (``petunjuk``, Indonesian and English) and the lookup sheets ``daftar_wilayah``,
``daftar_indikator`` (indicator, unit, names) and ``daftar_kode`` (statuses).

Column set (decided from :data:`sanitasi.core.model.INDICATORS`): the observations every
sasaran of the catalogue is computed from, by basis -- ``households`` basis (pct_layak,
pct_aman, pct_babs_terbuka, pct_hh_waste_served): ``population``, ``households``, the six
ladder rungs ``hh_aman .. hh_babs_terbuka``, ``hh_spald_t``, ``hh_desludged_3y``; ``tonnage``
basis (pct_waste_*): ``waste_generated_tpd``, ``waste_pengurangan_tpd``,
``waste_penanganan_tpd``, ``waste_landfilled_tpd`` -- plus the other observations the engine
reads (``waste_density_kg_per_m3``, ``tpa_remaining_life_years``, ``tpa_inflow_tpd``), always
in this order (:data:`BASE_INDICATORS`). Any other indicator the city's observations hold
(context rows such as ``population_dukcapil`` or ``slum_area_ha``) gets a column after them,
so that nothing is lost; an officer may add a column of a new indicator too.

Provenance is per row: ``source`` and ``status`` apply to every value of the row. A region and
year whose values have different sources or statuses is written as several rows (one per
source and status), so export then read gives exactly the observations exported. Units are
per indicator (sheet ``daftar_indikator``, read back on import; :data:`DEFAULT_UNITS` when the
sheet is absent). Every region of the city also gets an empty row in each year of the
baseline (the years with kelurahan/desa data, plus ``years``) where it has none yet.

:func:`read_baseline_workbook` never raises for bad input: it returns the observations (long
form, the columns of ``observations.csv``) and every problem. Each filled indicator cell is one
observation; a blank cell is no observation. The long table is checked by
:func:`sanitasi.io.city_tables.parse_observations` -- exactly the rules of ``observations.csv``
-- and each problem is mapped back to the workbook: file ``"<file> [baseline]"``, the Excel row
and the column as ``"name (letter)"``. A workbook that cannot be read, lacks the sheet or a
required column is refused as a whole.

:func:`merge_observations` upserts uploaded observations into the stored ones (key ``kode,
year, indicator``; nothing is ever deleted) and :func:`baseline_problems` runs the whole-city
checks ``sanitasi plan`` runs on observations (ladder sums ``SAN-E008``, SPALD-T within aman
``SAN-E021``, base year ``SAN-E020``, base-year coverage ``SAN-E023``, sub-area sums
``SAN-W101``, the pandera contract) on the merged table, naming the workbook cell of every
problem that falls on an uploaded value. :func:`recompute_parents` (used before those checks
by the web upload and row edit) keeps the stored kecamatan and city rows of the changed
additive indicators equal to the sums of their kelurahan/desa, as ``sanitasi survey --apply``
does, so a kelurahan change does not leave stale parent figures (``SAN-W101``).

The workbook follows the sheet-writing rules of the other templates
(:mod:`sanitasi.io.templates.sheets`: formats, instructions sheet, lookup tables, numbers,
cell text) and shares their hidden fingerprint sheet
(:mod:`sanitasi.io.templates.fingerprint`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.errors as pa_errors
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from sanitasi.core.model import INDICATORS, LEAF_LEVELS, LEVELS, RUNGS, STATUSES
from sanitasi.formulas import write_text
from sanitasi.io import city_checks as cc
from sanitasi.io import city_tables as ct
from sanitasi.io.errors import Problem, errors_of, problem
from sanitasi.io.reference import wilayah_index
from sanitasi.io.schemas import ObservationsModel
from sanitasi.io.tables import FILE, LINE, duplicate_problems, schema_problems
from sanitasi.io.templates.fingerprint import (
    CHANGE_ID,
    FINGERPRINT_SHEET,
    read_fingerprint_sheet,
    write_fingerprint_sheet,
)
from sanitasi.io.templates.sheets import (
    EXTRA_ROWS,
    INFO_PREFIX,
    INSTRUCTIONS,
    LANGS,
    Formats,
    cell_text,
    excel_number,
    new_workbook,
    write_instructions,
    write_table,
)
from sanitasi.io.workbooks import open_workbook, sheet_rows

SHEET = "baseline"
REGION_SHEET = "daftar_wilayah"
INDICATOR_SHEET = "daftar_indikator"
CODE_SHEET = "daftar_kode"
#: Longest indicator name and unit (database column widths).
MAX_NAME = 64
KEY_COLUMNS: tuple[str, ...] = ("kode", "info_nama", "info_tingkat", "year")
TRAILING: tuple[str, ...] = ("source", "status")
REQUIRED: tuple[str, ...] = ("kode", "year")
#: Columns that are neither keys nor indicators (ignored on import).
IGNORED: frozenset[str] = frozenset({"note", "catatan", "unit"})
OBSERVATION_COLUMNS: list[str] = ["kode", "year", "indicator", "value", "status", "unit", "source"]
#: Column of the long table holding the workbook cell of each observation ("hh_aman (F)").
CELL = "_cell"
#: Column of the long table holding the Excel row (``None`` for stored observations).
ROW = "_row"

RUNG_INDICATORS: tuple[str, ...] = tuple(f"hh_{r}" for r in RUNGS)
#: Observations behind each basis of the sasaran catalogue (``INDICATORS[*]["basis"]``).
BASIS_INPUTS: dict[str, tuple[str, ...]] = {
    "households": ("population", "households", *RUNG_INDICATORS, "hh_spald_t", "hh_desludged_3y"),
    "tonnage": (
        "waste_generated_tpd",
        "waste_pengurangan_tpd",
        "waste_penanganan_tpd",
        "waste_landfilled_tpd",
    ),
}
#: Other observations the engine reads (waste density, TPA life and inflow).
ENGINE_EXTRAS: tuple[str, ...] = (
    "waste_density_kg_per_m3",
    "tpa_remaining_life_years",
    "tpa_inflow_tpd",
)


def _base_indicators() -> tuple[str, ...]:
    bases = [str(v["basis"]) for v in INDICATORS.values()]
    out: list[str] = []
    for basis in dict.fromkeys(bases):
        out += [i for i in BASIS_INPUTS.get(basis, ()) if i not in out]
    return (*out, *(i for i in ENGINE_EXTRAS if i not in out))


#: The fixed indicator columns, in order (see the module docstring).
BASE_INDICATORS: tuple[str, ...] = _base_indicators()
DEFAULT_UNITS: dict[str, str] = {
    "population": "persons",
    "households": "households",
    **{i: "households" for i in (*RUNG_INDICATORS, "hh_spald_t", "hh_desludged_3y")},
    **{i: "t/day" for i in BASIS_INPUTS["tonnage"]},
    "tpa_inflow_tpd": "t/day",
    "waste_density_kg_per_m3": "kg/m3",
    "tpa_remaining_life_years": "years",
}
INDICATOR_NAMES: dict[str, tuple[str, str]] = {
    "population": ("Jumlah penduduk", "Population"),
    "households": ("Jumlah rumah tangga", "Households"),
    "hh_aman": ("RT akses aman", "Households, safely managed (aman)"),
    "hh_layak_sendiri": ("RT layak sendiri", "Households, basic own (layak sendiri)"),
    "hh_layak_bersama": ("RT layak bersama", "Households, basic shared (layak bersama)"),
    "hh_belum_layak": ("RT belum layak", "Households, not yet basic (belum layak)"),
    "hh_babs_tertutup": ("RT BABS tertutup", "Households, closed open defecation"),
    "hh_babs_terbuka": ("RT BABS terbuka", "Households, open defecation"),
    "hh_spald_t": ("RT tersambung SPALD-T", "Households connected to SPALD-T"),
    "hh_desludged_3y": ("RT tangki disedot 3 tahun", "Households desludged in 3 years"),
    "waste_generated_tpd": ("Timbulan sampah", "Waste generated"),
    "waste_pengurangan_tpd": ("Pengurangan sampah", "Waste reduced (pengurangan)"),
    "waste_penanganan_tpd": ("Penanganan sampah", "Waste handled (penanganan)"),
    "waste_landfilled_tpd": ("Sampah ke TPA", "Waste landfilled"),
    "waste_density_kg_per_m3": ("Berat jenis sampah", "Waste density"),
    "tpa_remaining_life_years": ("Sisa umur TPA", "Remaining TPA life"),
    "tpa_inflow_tpd": ("Sampah masuk TPA (semua pengguna)", "TPA inflow (all users)"),
}
_NAME = re.compile(r"[a-z][a-z0-9_]*")


def indicator_columns(present: Iterable[str]) -> list[str]:
    """:data:`BASE_INDICATORS`, then the other indicators of ``present`` sorted."""
    others = sorted(set(present) - set(BASE_INDICATORS))
    return [*BASE_INDICATORS, *others]


def units_of(observations: pd.DataFrame) -> dict[str, str]:
    """Unit of each indicator: the most frequent non-blank unit of the observations, else
    :data:`DEFAULT_UNITS`."""
    out = dict(DEFAULT_UNITS)
    if len(observations) and "unit" in observations.columns:
        sub = observations[observations["unit"].astype(str).ne("")]
        for ind, units in sub.groupby("indicator")["unit"]:
            out[str(ind)] = str(units.astype(str).value_counts().index[0])
    return out


# --------------------------------------------------------------------------- export


def template_rows(
    regions: pd.DataFrame, observations: pd.DataFrame, years: Iterable[int] = ()
) -> list[dict[str, Any]]:
    """The rows of the ``baseline`` sheet: ``kode``, ``year``, ``source``, ``status`` and
    indicator -> value, sorted by year and kode (see the module docstring)."""
    obs = observations.copy()
    for col in ("source", "status", "unit"):
        if col not in obs.columns:
            obs[col] = ""
    obs["year"] = pd.to_numeric(obs["year"], errors="coerce")
    obs = obs[obs["year"].notna()]
    rows: dict[tuple[str, int, str, str], dict[str, Any]] = {}
    for rec in obs.to_dict("records"):
        key = (str(rec["kode"]), int(rec["year"]), str(rec["source"]), str(rec["status"]))
        row = rows.setdefault(
            key, {"kode": key[0], "year": key[1], "source": key[2], "status": key[3]}
        )
        row[str(rec["indicator"])] = excel_number(rec["value"])
    tingkat = dict(zip(regions["kode"].astype(str), regions["tingkat"].astype(str), strict=True))
    leaves = {k for k, t in tingkat.items() if t in LEAF_LEVELS}
    grid = {int(y) for y in obs.loc[obs["kode"].isin(leaves), "year"]} | {int(y) for y in years}
    have = {(k, y) for k, y, _s, _t in rows}
    for y in sorted(grid):
        for k, t in tingkat.items():
            if t != "provinsi" and (k, y) not in have:
                rows[(k, y, "", "")] = {"kode": k, "year": y, "source": "", "status": ""}
    order = list(rows)
    return [rows[k] for k in sorted(order, key=lambda k: (k[1], k[0], order.index(k)))]


def export_baseline_template(
    regions: pd.DataFrame,
    observations: pd.DataFrame,
    path: Path | str,
    lang: str = "id",
    *,
    years: Iterable[int] = (),
    units: Mapping[str, str] | None = None,
) -> None:
    """Write the baseline template of a city to ``path`` (.xlsx).

    ``regions``: ``kode``, ``nama``, ``tingkat`` of the city's regions (e.g.
    ``PlanInputs.regions``); ``observations``: the long table of ``observations.csv``
    (``kode, year, indicator, value, unit, source, status``). ``years`` adds empty rows for
    every region in those years; ``units`` overrides the unit of indicators (default: the
    observations' own, see :func:`units_of`). ``lang`` (``id``/``en``) orders the instructions
    and picks the prompts. Raises :class:`ValueError` for an unknown language.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; choose from {', '.join(LANGS)}")
    regs = regions[["kode", "nama", "tingkat"]].astype(str)
    regs = regs[regs["kode"].ne("")].drop_duplicates("kode").sort_values("kode", kind="stable")
    rows = template_rows(regs, observations, years)
    present = [str(i) for i in observations["indicator"]] if len(observations) else []
    indicators = indicator_columns(present)
    unit_map = {**units_of(observations), **(units or {})}
    wb = new_workbook(path)
    try:
        fmt = Formats(wb)
        info = wb.add_worksheet(INSTRUCTIONS)
        data = wb.add_worksheet(SHEET)
        _lookups(wb, fmt, regs, indicators, unit_map)
        header = [*KEY_COLUMNS, *indicators, *TRAILING]
        _write_data(data, fmt, header, rows, regs, lang)
        _write_instructions(info, fmt, indicators, lang)
        _write_fingerprint(wb, observations)
        data.activate()
    finally:
        wb.close()


def _lookups(
    wb: xlsxwriter.Workbook,
    fmt: Formats,
    regs: pd.DataFrame,
    indicators: Sequence[str],
    units: Mapping[str, str],
) -> None:
    ws = wb.add_worksheet(REGION_SHEET)
    write_table(ws, fmt, 0, ("kode", "nama", "tingkat"), regs.itertuples(index=False))
    ws.freeze_panes(1, 0)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 28)
    ws.set_column(2, 2, 12)
    ws = wb.add_worksheet(INDICATOR_SHEET)
    rows = [(i, units.get(i, ""), *INDICATOR_NAMES.get(i, ("", ""))) for i in indicators]
    write_table(ws, fmt, 0, ("indicator", "unit", "nama", "name"), rows)
    ws.freeze_panes(1, 0)
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 14)
    ws.set_column(2, 3, 40)
    ws = wb.add_worksheet(CODE_SHEET)
    write_table(ws, fmt, 0, ("status_data",), [(s,) for s in STATUSES])
    ws.freeze_panes(1, 0)
    ws.set_column(0, 0, 16)


_DOCS: dict[str, tuple[str, str]] = {
    "kode": (
        "Kode wilayah Kemendagri (sheet daftar_wilayah). Wajib.",
        "Kemendagri region code (sheet daftar_wilayah). Required.",
    ),
    "year": ("Tahun data (mis. 2024). Wajib.", "Year of the data (e.g. 2024). Required."),
    "source": (
        "Sumber data untuk semua nilai di baris ini.",
        "Source of every value of this row.",
    ),
    "status": (
        "Status data: sourced, derived, illustrative, unverified (kosong = unverified).",
        "Data status: sourced, derived, illustrative, unverified (blank = unverified).",
    ),
}


def _write_data(
    ws: Worksheet,
    fmt: Formats,
    header: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    regs: pd.DataFrame,
    lang: str,
) -> None:
    names = dict(zip(regs["kode"], regs["nama"], strict=True))
    levels = dict(zip(regs["kode"], regs["tingkat"], strict=True))
    n = len(rows)
    last = n + EXTRA_ROWS
    status_range = f"={CODE_SHEET}!$A$2:$A${len(STATUSES) + 1}"
    region_range = f"={REGION_SHEET}!$A$2:$A${max(len(regs), 1) + 1}"
    for j, col in enumerate(header):
        info = col.startswith(INFO_PREFIX)
        write_text(ws, 0, j, col, fmt.info_header if info else fmt.header)
        if col in ("kode", "source", "status"):
            col_fmt = fmt.text
        elif col == "year":
            col_fmt = fmt.whole
        elif info:
            col_fmt = fmt.info
        else:
            col_fmt = fmt.number
        width = {"kode": 15, "info_nama": 24, "info_tingkat": 11, "year": 7, "source": 40}
        ws.set_column(j, j, width.get(col, max(12, min(len(col) + 2, 26))), col_fmt)
        for i, row in enumerate(rows, start=1):
            kode = str(row["kode"])
            if info:
                ref = xl_rowcol_to_cell(i, 0, col_abs=True)
                k = 2 if col == "info_nama" else 3
                cached = names.get(kode, "") if k == 2 else levels.get(kode, "")
                ws.write_formula(
                    i,
                    j,
                    f'=IFERROR(VLOOKUP({ref},{REGION_SHEET}!$A:$C,{k},FALSE),"")',
                    fmt.info,
                    cached,
                )
            elif col in ("kode", "source", "status"):
                if row.get(col, ""):
                    write_text(ws, i, j, str(row[col]), fmt.text)
            else:
                v = row.get(col)
                if v is not None:
                    ws.write_number(i, j, v, col_fmt)
        idx = 0 if lang == "id" else 1
        prompt = _DOCS.get(col, ("", ""))[idx]
        rule: dict[str, Any]
        if col == "kode":
            rule = {"validate": "list", "source": region_range, "error_type": "stop"}
        elif col == "status":
            rule = {"validate": "list", "source": status_range, "error_type": "stop"}
        elif col == "year":
            rule = {"validate": "integer", "criteria": "between", "minimum": 1900, "maximum": 2100}
            rule["error_type"] = "stop"
        elif col.startswith("pct_"):
            rule = {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100}
            rule["error_type"] = "stop"
            prompt = "Persentase 0-100." if lang == "id" else "Percentage 0-100."
        elif not info and col not in TRAILING:
            rule = {"validate": "decimal", "criteria": ">=", "value": 0, "error_type": "stop"}
            prompt = (
                "Angka >= 0 (kosong = tidak ada data)."
                if lang == "id"
                else "Number >= 0 (blank = no data)."
            )
        else:
            rule = {"validate": "any"}
        if rule["validate"] == "any" and not prompt:
            continue
        rule["input_title"] = col[:32]
        rule["input_message"] = prompt[:255]
        if rule["validate"] != "any":
            rule["error_title"] = "Nilai tidak valid" if lang == "id" else "Invalid value"
            rule["error_message"] = prompt[:255]
        ws.data_validation(1, j, last, j, rule)
    ws.freeze_panes(1, 4)
    ws.autofilter(0, 0, max(n, 1), len(header) - 1)


def _instructions(indicators: Sequence[str]) -> dict[str, list[str]]:
    cols = ", ".join(indicators)
    id_lines = [
        "Template data dasar (baseline) kota",
        "",
        "Cara mengisi",
        f"1. Isi sheet '{SHEET}' saja. Jangan ubah nama sheet atau judul kolom (baris 1).",
        "2. Satu baris = satu wilayah (kode) dan satu tahun. Satu kolom = satu indikator. "
        "Sel kosong = tidak ada data (data lama tetap).",
        "3. Angka ditulis sebagai angka, tanpa pemisah ribuan. Rumah tangga (hh_*) harus "
        "berjumlah sama dengan households.",
        "4. source dan status berlaku untuk semua nilai di baris itu. Bila sumbernya berbeda, "
        "pakai beberapa baris untuk wilayah dan tahun yang sama (satu indikator hanya sekali).",
        "5. Kolom abu-abu (info_...) terisi otomatis dan diabaikan saat unggah.",
        "",
        "Kolom",
        f"kode, year, {cols}, source, status. Satuan tiap indikator ada di sheet "
        f"{INDICATOR_SHEET}.",
        "",
        "Pemeriksaan",
        "Setiap sel diperiksa dengan aturan observations.csv (docs/city-data.md), lalu seluruh "
        "data kota (jumlah tangga sanitasi = households, SPALD-T <= aman, tahun dasar). Satu "
        "kesalahan menolak SELURUH workbook: daftar kesalahan menyebut sheet, baris Excel, "
        "kolom dan aturannya, dan tidak ada data yang disimpan.",
    ]
    en_lines = [
        "City baseline data template",
        "",
        "How to fill it in",
        f"1. Fill in sheet '{SHEET}' only. Do not rename the sheet or the column headers (row 1).",
        "2. One row = one region (kode) and one year. One column = one indicator. A blank cell "
        "means no data (stored values are kept).",
        "3. Numbers are numbers, without thousands separators. The household rungs (hh_*) must "
        "sum to households.",
        "4. source and status apply to every value of the row. When sources differ, use several "
        "rows for the same region and year (each indicator only once).",
        "5. Grey columns (info_...) are filled automatically and ignored on upload.",
        "",
        "Columns",
        f"kode, year, {cols}, source, status. The unit of each indicator is on sheet "
        f"{INDICATOR_SHEET}.",
        "",
        "Checks",
        "Every cell is checked with the rules of observations.csv (docs/city-data.md), then the "
        "whole city (ladder rungs = households, SPALD-T <= aman, base year). One error rejects "
        "the WHOLE workbook: the error list names the sheet, Excel row, column and rule, and "
        "nothing is saved.",
    ]
    return {"id": id_lines, "en": en_lines}


_HEADINGS = {"Cara mengisi", "Kolom", "Pemeriksaan", "How to fill it in", "Columns", "Checks"}


def _write_instructions(ws: Worksheet, fmt: Formats, indicators: Sequence[str], lang: str) -> None:
    write_instructions(ws, fmt, _instructions(indicators), lang, _HEADINGS)


# --------------------------------------------------------------------------- import


def _empty() -> pd.DataFrame:
    cols: dict[str, pd.Series] = {c: pd.Series(dtype=str) for c in OBSERVATION_COLUMNS}
    cols["year"] = pd.Series(dtype="int64")
    cols["value"] = pd.Series(dtype=float)
    cols[LINE] = pd.Series(dtype="int64")
    cols[FILE] = pd.Series(dtype=str)
    cols[CELL] = pd.Series(dtype=str)
    return pd.DataFrame(cols)


def _cell_label(name: str, j: int) -> str:
    return f"{name} ({xl_col_to_name(j)})"


@dataclass
class _Sheet:
    label: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    units: dict[str, str]
    fingerprint: dict[str, str] | None = None


def _open(path: Path, label: str | None) -> tuple[_Sheet | None, list[Problem]]:
    name = label or path.name
    wb, problems = open_workbook(path, name)
    if wb is None:
        return None, problems
    try:
        by_name = {s.strip().lower(): s for s in wb.sheetnames}
        if SHEET not in by_name:
            found = ", ".join(wb.sheetnames) or "none"
            return None, [problem("SAN-E047", name, None, None, None, expected=SHEET, found=found)]
        read, problems = sheet_rows(wb[by_name[SHEET]], name, by_name[SHEET])
        if read is None:
            return None, problems
        values = [list(r) for r in read]
        units: dict[str, str] = {}
        if INDICATOR_SHEET in by_name:
            lookup_rows, problems = sheet_rows(
                wb[by_name[INDICATOR_SHEET]], name, by_name[INDICATOR_SHEET]
            )
            if lookup_rows is None:
                return None, problems
            lookup = list(lookup_rows)
            head = [cell_text(v).lower() for v in lookup[0]] if lookup else []
            if "indicator" in head and "unit" in head:
                a, b = head.index("indicator"), head.index("unit")
                for rec in lookup[1:]:
                    if len(rec) > max(a, b) and cell_text(rec[a]):
                        units[cell_text(rec[a]).lower()] = cell_text(rec[b])
        fingerprint = None
        if FINGERPRINT_SHEET in by_name:
            marks, problems = sheet_rows(
                wb[by_name[FINGERPRINT_SHEET]], name, by_name[FINGERPRINT_SHEET]
            )
            fingerprint = _read_fingerprint(list(marks or []))
    except Exception as exc:  # a damaged part of the package shows only when read
        reason = str(exc).strip() or type(exc).__name__
        return None, [problem("SAN-E046", name, reason=reason)]
    finally:
        wb.close()
    sheet_label = f"{name} [{by_name[SHEET]}]"
    header = [cell_text(v).lower() for v in values[0]] if values else []
    rows = list(enumerate(values[1:], start=2))
    return _Sheet(sheet_label, header, rows, units, fingerprint), []


def _header_problems(sheet: _Sheet) -> tuple[list[str], list[Problem]]:
    """Indicator columns of the header and the problems of the header row."""
    problems: list[Problem] = []
    seen: set[str] = set()
    indicators: list[str] = []
    found = ", ".join(h for h in sheet.header if h) or "none"
    for j, h in enumerate(sheet.header):
        if not h:
            continue
        if h in seen:
            problems.append(problem("SAN-E048", sheet.label, 1, _cell_label(h, j)))
        seen.add(h)
        if h in REQUIRED or h in TRAILING or h in IGNORED or h.startswith(INFO_PREFIX):
            continue
        if not _NAME.fullmatch(h) or len(h) > MAX_NAME:
            problems.append(problem("SAN-E120", sheet.label, 1, _cell_label(h, j), h))
            continue
        indicators.append(h)
    problems += [
        problem("SAN-E002", sheet.label, 1, c, found=found) for c in REQUIRED if c not in seen
    ]
    if not indicators and not problems:
        problems.append(problem("SAN-E121", sheet.label, 1, None, None, found=found))
    for ind in indicators:
        unit = sheet.units.get(ind, "")
        if len(unit) > MAX_NAME:
            problems.append(
                problem(
                    "SAN-E122",
                    f"{sheet.label.split(' [')[0]} [{INDICATOR_SHEET}]",
                    None,
                    "unit",
                    unit[:40] + "…",
                    max=MAX_NAME,
                )
            )
    return indicators, problems


@dataclass(frozen=True)
class Upload:
    """A read baseline workbook: its observations (as :func:`read_baseline_workbook`), every
    problem found and the fingerprint of the stored observations it was exported from
    (:func:`observation_digests`; ``None`` for a workbook without one)."""

    observations: pd.DataFrame
    problems: list[Problem]
    fingerprint: dict[str, str] | None


def read_baseline_upload(
    path: Path | str,
    known_kodes: frozenset[str] | None,
    *,
    label: str | None = None,
    wil: pd.DataFrame | None = None,
) -> Upload:
    """:func:`read_baseline_workbook` with the workbook's fingerprint (never raises for bad
    input)."""
    path = Path(path)
    sheet, problems = _open(path, label)
    if sheet is None:
        return Upload(_empty(), problems, None)
    observations, found = _read_sheet(sheet, known_kodes, wil)
    return Upload(observations, problems + found, sheet.fingerprint)


def read_baseline_workbook(
    path: Path | str,
    known_kodes: frozenset[str] | None,
    *,
    label: str | None = None,
    wil: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """The observations of a filled baseline workbook and every problem found (never raises
    for bad input).

    ``known_kodes``: the region codes the city may use (listed regions and their ancestors;
    ``None``: any official code). ``label`` names the file in problems (default: the file
    name). The observations have the columns of ``observations.csv`` plus :data:`LINE` (Excel
    row), :data:`FILE` (``"<file> [baseline]"``) and :data:`CELL` (``"hh_aman (F)"``); only
    rows without errors are returned, and a caller must not use them when any problem is an
    error.
    """
    upload = read_baseline_upload(path, known_kodes, label=label, wil=wil)
    return upload.observations, upload.problems


def _read_sheet(
    sheet: _Sheet,
    known_kodes: frozenset[str] | None = None,
    wil: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    indicators, problems = _header_problems(sheet)
    if errors_of(problems):
        return _empty(), problems
    pos = {h: j for j, h in enumerate(sheet.header) if h}
    units = {i: sheet.units.get(i) or DEFAULT_UNITS.get(i, "") for i in indicators}
    records: list[dict[str, Any]] = []
    for r, cells in sheet.rows:
        text = {h: cell_text(cells[j]) if j < len(cells) else "" for h, j in pos.items()}
        for ind in indicators:
            if text[ind] == "":
                continue
            records.append(
                {
                    "kode": text["kode"],
                    "year": text["year"],
                    "indicator": ind,
                    "value": text[ind],
                    "status": text.get("status", ""),
                    "unit": units[ind],
                    "source": text.get("source", ""),
                    ROW: r,
                    CELL: _cell_label(ind, pos[ind]),
                }
            )
    if not records:
        return _empty(), problems
    long = pd.DataFrame(records)
    labels: dict[str, str] = {
        c: _cell_label(c, pos[c]) for c in ("kode", "year", "status", "source") if c in pos
    }
    parsed, found = _parse(long, sheet.label, known_kodes, wil, labels)
    return parsed, problems + found


def _parse(
    long: pd.DataFrame,
    label: str,
    known: frozenset[str] | None,
    wil: pd.DataFrame | None,
    cells: Mapping[str, str],
) -> tuple[pd.DataFrame, list[Problem]]:
    """``parse_observations`` on the long table (one synthetic line per cell), problems mapped
    back to the workbook; duplicates reported with their Excel rows."""
    text = long.drop(columns=[ROW, CELL]).astype(str)
    text[LINE] = range(1, len(long) + 1)
    parsed = ct.parse_observations(text, wilayah_index() if wil is None else wil, known)
    origin = {
        i + 1: (int(str(r)), str(c))
        for i, r, c in zip(long.index, long[ROW], long[CELL], strict=True)
    }
    out: list[Problem] = []
    for p in parsed.problems:
        if p.code == "SAN-E012":
            continue  # reported below with Excel rows
        excel_row, value_cell = origin.get(p.row or 0, (None, None))
        column = value_cell if p.column in ("value", "indicator") else cells.get(p.column or "")
        out.append(relabel_problem(p, label, excel_row, column or p.column))
    keyed = long.copy()
    keyed[LINE] = long[ROW]
    keyed[FILE] = label
    keyed = keyed[keyed["kode"].ne("") & keyed["year"].ne("")]
    keyed = keyed.assign(year=pd.to_numeric(keyed["year"], errors="coerce"))
    for p in duplicate_problems(keyed, ["kode", "year", "indicator"], "indicator"):
        match = keyed[(keyed[LINE] == p.row) & keyed["indicator"].eq(p.value or "")]
        cell = str(match[CELL].iloc[0]) if len(match) else p.column
        out.append(replace(p, column=cell))
    out = list(dict.fromkeys(out))  # a row's kode/status problem once, not once per cell
    good = parsed.df
    dup = good.duplicated(["kode", "year", "indicator"], keep="first")
    good = good[~dup]
    if good.empty:
        return _empty(), out
    idx = good[LINE].astype(int) - 1
    result = good[OBSERVATION_COLUMNS].copy()
    result["year"] = result["year"].astype("int64")
    result[LINE] = long.loc[idx.to_numpy(), ROW].to_numpy().astype("int64")
    result[FILE] = label
    result[CELL] = long.loc[idx.to_numpy(), CELL].to_numpy()
    return result.reset_index(drop=True), out


def relabel_problem(p: Problem, file: str, row: int | None, column: str | None) -> Problem:
    """``p`` placed in the workbook; a rule about the long table's ``value`` column names the
    indicator column instead."""
    rule, message_id = p.rule, p.message_id
    if p.column == "value" and column:
        name = column.split(" (")[0]
        if rule.startswith("value "):
            rule = name + rule[len("value") :]
        if message_id.startswith("value "):
            message_id = name + message_id[len("value") :]
    return replace(p, file=file, row=row, column=column, rule=rule, message_id=message_id)


# --------------------------------------------------------------------------- merge and checks


@dataclass(frozen=True)
class Merge:
    """Stored observations with the upload applied.

    ``observations``: the merged long table (``OBSERVATION_COLUMNS`` plus :data:`FILE`,
    :data:`ROW`, :data:`CELL` telling where each row comes from); ``added`` and ``changed``
    the uploaded rows that are new or differ (``changed`` with the stored ``old_*`` values);
    ``unchanged`` the number of uploaded rows equal to the stored ones.
    """

    observations: pd.DataFrame
    added: pd.DataFrame
    changed: pd.DataFrame
    unchanged: int


KEY = ["kode", "year", "indicator"]


def merge_observations(
    stored: pd.DataFrame, upload: pd.DataFrame, *, stored_label: str = "database"
) -> Merge:
    """Upsert ``upload`` into ``stored`` by ``kode, year, indicator`` (nothing is deleted).

    An uploaded blank ``unit`` or ``source`` keeps the stored one; ``status`` is the
    uploaded one (blank was read as ``unverified``, as in observations.csv). A row is changed
    when its value (exactly), status, source or unit differs.
    """
    old = stored[OBSERVATION_COLUMNS].copy()
    old["year"] = old["year"].astype("int64")
    new = upload[[*OBSERVATION_COLUMNS, LINE, FILE, CELL]].copy()
    new["year"] = new["year"].astype("int64")
    both = new.merge(old, on=KEY, how="left", suffixes=("", "_old"), indicator=True)
    exists = both["_merge"].eq("both")
    for col in ("unit", "source"):
        keep = exists & both[col].eq("")
        both.loc[keep, col] = both.loc[keep, col + "_old"]
    value, stored_value = both["value"].astype(float), both["value_old"].astype(float)
    close = (value - stored_value).abs() <= 1e-9 * stored_value.abs().clip(lower=1.0)
    same = exists & close
    for col in ("status", "source", "unit"):
        same &= both[col].eq(both[col + "_old"])
    olds = {f"{c}_old": f"old_{c}" for c in ("value", "status", "source", "unit")}
    columns = [*OBSERVATION_COLUMNS, LINE, FILE, CELL]
    added = both.loc[~exists, columns].reset_index(drop=True)
    changed = both.loc[exists & ~same, [*columns, *olds]].rename(columns=olds)
    uploaded = both[[*OBSERVATION_COLUMNS, FILE, LINE, CELL]].rename(columns={LINE: ROW})
    keys = pd.MultiIndex.from_frame(new[KEY])
    rest = old[~pd.MultiIndex.from_frame(old[KEY]).isin(keys)].copy()
    rest[FILE] = stored_label
    rest[ROW] = None
    rest[CELL] = rest["indicator"]
    merged = pd.concat([rest, uploaded], ignore_index=True)
    return Merge(merged, added, changed.reset_index(drop=True), int(same.sum()))


# --------------------------------------------------------------------------- stale workbooks

#: Hidden sheet of an exported template (:data:`FINGERPRINT_SHEET`, shared with the other
#: templates): the digest of every stored observation it shows.
FINGERPRINT_FORMAT = "sanitasi-baseline-fingerprint/1"


def _obs_key(kode: Any, year: Any, indicator: Any) -> str:
    return f"{kode} {int(year)} {indicator}"


def observation_digests(observations: pd.DataFrame) -> dict[str, str]:
    """``"<kode> <year> <indicator>"`` -> a digest of the observation's value, unit, status
    and source (the value exactly: ``repr`` of the float)."""
    if observations.empty:
        return {}
    cols = [observations[c].tolist() for c in ("kode", "year", "indicator", "value")]
    extra = [observations[c].fillna("").astype(str).tolist() for c in ("unit", "status", "source")]
    out: dict[str, str] = {}
    for k, y, i, v, unit, status, source in zip(*cols, *extra, strict=True):
        text = "\x1f".join((repr(float(v)), unit.strip(), status.strip(), source.strip()))
        out[_obs_key(k, y, i)] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return out


def _write_fingerprint(wb: xlsxwriter.Workbook, observations: pd.DataFrame) -> None:
    """The hidden sheet :data:`FINGERPRINT_SHEET`: the digest of every observation the
    template was made from (docs/city-data.md, Limits: stale workbooks)."""
    head = [("format", FINGERPRINT_FORMAT)]
    write_fingerprint_sheet(wb, head, observation_digests(observations))


def _read_fingerprint(rows: list[Any]) -> dict[str, str] | None:
    """Key -> digest of the fingerprint sheet's rows (a row without a key is skipped)."""
    found = read_fingerprint_sheet(rows, FINGERPRINT_FORMAT, 1)
    return None if found is None else {k: v for k, v in found.items() if k}


def stale_observations(
    stored: pd.DataFrame, merge: Merge, fingerprint: dict[str, str] | None, target: str
) -> list[Problem]:
    """``SAN-E159`` for each observation the upload would add or change that was added,
    changed or deleted in ``stored`` after the workbook was exported (its ``fingerprint``):
    a stale workbook never silently reverts newer edits. A workbook without a fingerprint
    (made by hand, or by an older Sanitasi) is not checked. ``target`` names the stored
    baseline in the message."""
    if fingerprint is None:
        return []
    current = observation_digests(stored)
    out: list[Problem] = []
    touched = pd.concat([merge.added, merge.changed], ignore_index=True)
    cols = [touched[c].tolist() for c in ("kode", "year", "indicator", "value", FILE, LINE, CELL)]
    for kode, year, indicator, value, file, line, cell in zip(*cols, strict=True):
        key = _obs_key(kode, year, indicator)
        was, now = fingerprint.get(key), current.get(key)
        if was == now:
            continue
        change = "added" if was is None else "removed" if now is None else "changed"
        out.append(
            problem(
                "SAN-E159",
                str(file),
                int(line),
                str(cell),
                str(value),
                key=key,
                target=target,
                change=change,
                change_id=CHANGE_ID[change],
            )
        )
    return out


#: Observations that add up over regions: the counts behind the ``households`` basis and
#: the tonnages behind the ``tonnage`` basis of :data:`sanitasi.core.model.INDICATORS` (the
#: only count bases; ``rpjmn_2025_2029`` has no inputs of its own). Percentages, densities,
#: TPA life and the TPA inflow (all users of the landfill, not a sum over kelurahan) never are.
ADDITIVE_INDICATORS: tuple[str, ...] = (*BASIS_INPUTS["households"], *BASIS_INPUTS["tonnage"])
DERIVED_STATUS = "derived"
#: Levels whose stored rows are kept equal to the sum of their kelurahan/desa.
PARENT_LEVELS: tuple[str, ...] = ("kecamatan", "kabkota")
OLD_COLUMNS: tuple[str, ...] = ("old_value", "old_status", "old_source", "old_unit")


def derived_source(what: str) -> str:
    """Source of a recomputed parent value, e.g. ``sum of its kelurahan/desa (baseline upload
    kelurahan.xlsx)`` (stored data, hence English like the CLI's survey note)."""
    return f"sum of its kelurahan/desa ({what})"


def _leaf_ancestors(regions: pd.DataFrame) -> pd.DataFrame:
    """Pairs ``kode`` (a kelurahan/desa) -> ``anc`` (each kecamatan and city above it), from
    the regions' parent links (one merge per level of the tree, not per region)."""
    if "parent_kode" not in regions.columns:
        return pd.DataFrame({"kode": pd.Series(dtype=str), "anc": pd.Series(dtype=str)})
    regs = regions[["kode", "tingkat", "parent_kode"]].fillna("").astype(str)
    regs = regs[regs["kode"].ne("")].drop_duplicates("kode")
    parent = regs.set_index("kode")["parent_kode"]
    tingkat = regs.set_index("kode")["tingkat"]
    up = regs.loc[regs["tingkat"].isin(LEAF_LEVELS), ["kode"]].assign(anc=lambda d: d["kode"])
    pairs: list[pd.DataFrame] = []
    for _ in range(len(LEVELS)):  # bounded: the tree has at most this many levels
        up = up.assign(anc=up["anc"].map(parent))
        up = up[up["anc"].notna() & up["anc"].ne("") & up["anc"].isin(tingkat.index)]
        if up.empty:
            break
        pairs.append(up[up["anc"].map(tingkat).isin(PARENT_LEVELS)])
    if not pairs:
        return pd.DataFrame({"kode": pd.Series(dtype=str), "anc": pd.Series(dtype=str)})
    return pd.concat(pairs, ignore_index=True).drop_duplicates()


def _official_leaf_counts() -> dict[str, int]:
    counts = pd.concat([cc.official_children(LEAF_LEVELS, d) for d in (2, 3)])
    return {str(k): int(v) for k, v in counts.items()}


def recompute_parents(
    regions: pd.DataFrame,
    observations: pd.DataFrame,
    changed: pd.DataFrame,
    *,
    source: str = derived_source("baseline change"),
    official: Mapping[str, int] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the stored kecamatan and city rows equal to the sums of their kelurahan/desa
    after a change of kelurahan values (the rule of ``sanitasi survey --apply``).

    ``regions``: the city's regions (``kode, tingkat, parent_kode``); ``observations``: the
    long table after the change (``OBSERVATION_COLUMNS``, optionally :data:`FILE`,
    :data:`ROW`, :data:`CELL`); ``changed``: the rows the change set (``kode, year,
    indicator``: the added and changed values).

    Rule: every ``(year, indicator)`` of :data:`ADDITIVE_INDICATORS` that ``changed`` sets on
    a kelurahan/desa is *touched*. For each touched pair, each kecamatan and city row that
    already exists (rows are never created) becomes the sum of the kelurahan/desa below it
    (found through ``parent_kode`` links and ``tingkat``) -- but only when every one of them
    has a value, and every official kelurahan/desa of that parent is listed (``official``:
    number of official kelurahan/desa per parent code, default from the wilayah index; a
    parent not in it needs only its listed ones). Otherwise the parent is left as it is: a
    partial sum would be a wrong total (so a kelurahan without a value leaves its kecamatan
    AND the city alone). A parent row that ``changed`` itself sets is left as well: the
    user's explicit value wins, and the whole-city check warns (``SAN-W101``) when it
    disagrees. Why: the engine computes the city from the kelurahan rows, but the stored
    parent rows are what the baseline table, the template and the whole-city check show.

    Units: a sum of counts (households, persons) or tonnages (t/day) in the same unit as its
    parts; the parent row keeps its own unit. Recomputed rows get status ``derived`` and
    ``source``; a parent already equal to the sum keeps its value and provenance.

    Returns the observations with the recomputed values and the recomputed rows
    (``OBSERVATION_COLUMNS`` plus ``old_value, old_status, old_source, old_unit``).
    """
    obs = observations.copy()
    derived_cols = [*OBSERVATION_COLUMNS, *OLD_COLUMNS]
    none = pd.DataFrame({c: pd.Series(dtype=object) for c in derived_cols})
    if obs.empty or changed.empty:
        return obs, none
    pairs = _leaf_ancestors(regions)
    if pairs.empty:
        return obs, none
    num = pd.DataFrame(
        {
            "kode": obs["kode"].astype(str),
            "year": pd.to_numeric(obs["year"], errors="coerce"),
            "indicator": obs["indicator"].astype(str),
            "value": pd.to_numeric(obs["value"], errors="coerce"),
        }
    )
    ch = pd.DataFrame(
        {
            "kode": changed["kode"].astype(str),
            "year": pd.to_numeric(changed["year"], errors="coerce"),
            "indicator": changed["indicator"].astype(str),
        }
    ).dropna(subset=["year"])
    leaves = set(pairs["kode"])
    touched = ch[ch["kode"].isin(leaves) & ch["indicator"].isin(ADDITIVE_INDICATORS)]
    touched = touched[["year", "indicator"]].drop_duplicates()
    if touched.empty:
        return obs, none
    # the kelurahan/desa values of the touched pairs, summed per ancestor
    leaf = num[num["kode"].isin(leaves) & num["value"].notna()].merge(touched)
    agg = (
        leaf.merge(pairs, on="kode")
        .groupby(["anc", "year", "indicator"])["value"]
        .agg(total="sum", n="count")
        .reset_index()
    )
    listed = pairs.groupby("anc").size()
    counts = _official_leaf_counts() if official is None else dict(official)
    official_n = pd.Series(counts, dtype="int64").reindex(listed.index, fill_value=0)
    need = listed.where(listed >= official_n, official_n)
    agg = agg[agg["n"].eq(agg["anc"].map(need))]
    # the existing parent rows of the touched pairs, minus the ones the change set
    explicit = pd.MultiIndex.from_frame(ch[["kode", "year", "indicator"]])
    par = num[num["kode"].isin(set(pairs["anc"]))].reset_index().merge(touched)
    par = par[~pd.MultiIndex.from_frame(par[["kode", "year", "indicator"]]).isin(explicit)]
    cmp = par.merge(
        agg.rename(columns={"anc": "kode"}), on=["kode", "year", "indicator"]
    ).set_index("index")
    diff = (cmp["value"] - cmp["total"]).abs() > 1e-9 * cmp["total"].abs().clip(lower=1.0)
    cmp = cmp[diff | cmp["value"].isna()]
    if cmp.empty:
        return obs, none
    idx = cmp.index
    old = obs.loc[idx, ["value", "status", "source", "unit"]].copy()
    obs["value"] = obs["value"].astype(float)
    obs.loc[idx, "value"] = cmp["total"].astype(float)
    obs.loc[idx, "status"] = DERIVED_STATUS
    obs.loc[idx, "source"] = source
    if FILE in obs.columns:
        obs.loc[idx, FILE] = source
    if ROW in obs.columns:
        obs[ROW] = obs[ROW].astype(object)
        obs.loc[idx, ROW] = None
    if CELL in obs.columns:
        obs.loc[idx, CELL] = obs.loc[idx, "indicator"]
    rows = obs.loc[idx, OBSERVATION_COLUMNS].copy()
    for col in ("value", "status", "source", "unit"):
        rows["old_" + col] = old[col].to_numpy()
    rows["year"] = rows["year"].astype("int64")
    rows = rows.sort_values(["year", "indicator", "kode"], kind="stable")
    return obs, rows.reset_index(drop=True)


def baseline_problems(
    regions: pd.DataFrame, observations: pd.DataFrame, base_year: int | None
) -> list[Problem]:
    """The whole-city checks of ``sanitasi plan`` on a city's observations.

    ``regions``: the city's regions (``kode, nama, tingkat`` ...; all counted as listed);
    ``observations``: the long table (``OBSERVATION_COLUMNS``, optionally :data:`FILE`,
    :data:`ROW`, :data:`CELL` naming where each row comes from, as :func:`merge_observations`
    gives); ``base_year``: the plan's base year (``None``: the latest year with kelurahan
    data). Problems on a row are placed at its file, row and cell.
    """
    obs = observations.reset_index(drop=True).copy()
    for col, default in ((FILE, "observations"), (ROW, None), (CELL, "")):
        if col not in obs.columns:
            obs[col] = obs["indicator"] if col == CELL else default
    obs["year"] = obs["year"].astype("int64")
    obs["value"] = obs["value"].astype(float)
    obs[LINE] = range(1, len(obs) + 1)
    obs["raw"] = obs["value"].map(cc.fmt)
    regs = regions.reset_index(drop=True).copy()
    regs[LINE] = range(1, len(regs) + 1)
    leaves = regs.loc[regs["tingkat"].isin(LEAF_LEVELS), "kode"]
    problems = cc.ladder_problems(obs)
    base, found = cc.resolve_base_year(obs, list(leaves), base_year)
    problems += found
    if base is not None:
        problems += cc.coverage_problems(regs, obs, base)
        problems += cc.subarea_problems(regs, obs, base)
    contract = obs[OBSERVATION_COLUMNS].copy()
    try:
        ObservationsModel.validate(contract, lazy=True)
    except pa_errors.SchemaErrors as exc:
        problems += schema_problems(exc, contract, "observations", with_rows=False)
    out: list[Problem] = []
    for p in problems:
        if p.file == cc.OBS and p.row is not None and 0 < p.row <= len(obs):
            rec = obs.iloc[p.row - 1]
            row = None if pd.isna(rec[ROW]) else int(rec[ROW])
            file = str(rec[FILE])
            if row is None:
                file = f"{file}: {rec['kode']} {rec['year']} {rec['indicator']}"
            out.append(relabel_problem(p, file, row, str(rec[CELL])))
        elif p.file == "regions.csv":
            out.append(replace(p, file="regions", row=None))
        else:
            out.append(p)
    return out


__all__ = [
    "ADDITIVE_INDICATORS",
    "BASE_INDICATORS",
    "Merge",
    "baseline_problems",
    "export_baseline_template",
    "indicator_columns",
    "merge_observations",
    "read_baseline_upload",
    "read_baseline_workbook",
    "stale_observations",
    "observation_digests",
    "Upload",
    "recompute_parents",
    "relabel_problem",
    "template_rows",
    "units_of",
]
