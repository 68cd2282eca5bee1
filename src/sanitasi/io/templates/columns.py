"""The template kinds, their sheets and columns, and what a cell of a column means.

The vocabulary every part of a template shares: :data:`KINDS` and their data sheets
(:data:`SHEETS`, the import finds the kind by it) and target files, the columns of each kind,
the column documentation (:data:`COLUMN_DOCS`, the drop-down prompts and the instructions)
and widths, which columns hold numbers, when two texts of a column mean the same value
(:func:`_same`: a blank and its default, case, number spelling) and the key of a realisation
row (activity, year, quarter).
"""

from __future__ import annotations

from typing import Any

from sanitasi.io import document as doc_io
from sanitasi.io import programme_tables as pt
from sanitasi.io.templates.sheets import excel_number

KINDS: tuple[str, ...] = ("programme", "realisation", "swot")
#: Data sheet of each kind; the import finds the kind by this name.
SHEETS: dict[str, str] = {"programme": "program", "realisation": "realisasi", "swot": "swot"}
TARGET_FILES: dict[str, str] = {
    "programme": pt.PROGRAMME,
    "realisation": pt.REALISATION,
    "swot": doc_io.SWOT,
}
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
#: ``swot.csv`` columns (the SWOT template: :mod:`sanitasi.io.templates.swot`).
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
        num = excel_number(s)
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


def _int(text: str) -> int | None:
    num = excel_number(text)
    return int(num) if isinstance(num, int) else None


def _key(rec: dict[str, str]) -> tuple[str, int | None, int | None]:
    return (
        rec.get("activity_code", "").strip(),
        _int(rec.get("year", "")),
        _int(rec.get("quarter", "")),
    )


def _key_text(key: tuple[str, int | None, int | None]) -> str:
    return f"{key[0]} {key[1]} Q{key[2]}"


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


def _doc(column: str, lang: str) -> tuple[str, str]:
    """Short description of a column: (title, text) in ``lang``."""
    m = pt.PLANNED_COLUMN.match(column)
    if m:
        key = f"planned_{m.group(1)}"
        id_, en = COLUMN_DOCS[key]
        return column, (id_ if lang == "id" else en).replace("YYYY", m.group(2))
    id_, en = COLUMN_DOCS.get(column, ("", ""))
    return column, id_ if lang == "id" else en


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
