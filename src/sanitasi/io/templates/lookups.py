"""Drop-downs of a template: the lookup sheets (``daftar_instansi``, ``daftar_wilayah``,
``daftar_kode``, and ``daftar_kegiatan`` in a realisation template) and each column's
validation rule and input prompt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from sanitasi.core.model import FUNDING_SOURCES, INDICATORS, STATUSES
from sanitasi.core.programme import PLAN_PROFILES, REALISATION_STATES, SECTORS
from sanitasi.io import programme_tables as pt
from sanitasi.io.templates.columns import _doc, _is_number_column
from sanitasi.io.templates.folder import _Folder
from sanitasi.io.templates.sheets import EXTRA_ROWS, Formats, excel_number, write_table


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


def _write_lookups(wb: xlsxwriter.Workbook, fmt: Formats, folder: _Folder, kind: str) -> _Lists:
    lists = _Lists()
    ws = wb.add_worksheet("daftar_instansi")
    write_table(ws, fmt, 0, ("code", "name_id", "name_en", "kind"), folder.agencies)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 2, 48)
    ws.set_column(3, 3, 12)
    ws.freeze_panes(1, 0)
    lists.ranges["agency"] = _range("daftar_instansi", 0, len(folder.agencies))

    ws = wb.add_worksheet("daftar_wilayah")
    write_table(ws, fmt, 0, ("kode", "nama", "tingkat"), folder.regions)
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
        write_table(ws, fmt, j, (header,), [[v] for v in values])
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
                num = excel_number(a.get(c, ""))
                row.append(a.get(c, "") if num is None else num)
            rows.append(row)
        write_table(ws, fmt, 0, head, rows)
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
