"""The monitoring's labelled tables (``docs/METHOD.md`` §10)."""

from __future__ import annotations

from sanitasi.core.model import (
    Column,
    Table,
)
from sanitasi.core.monitoring.performance import (
    Monitoring,
)

# ----------------------------------------------------------------------------- labelled tables

_PCT = "pct"
COLUMNS: dict[str, Column] = {
    "city_kode": Column("Kode kota", "City code", kind="text"),
    "code": Column("Kode kegiatan", "Activity code", kind="text"),
    "year": Column("Tahun", "Year", kind="year"),
    "quarter": Column("Triwulan", "Quarter", kind="int"),
    "sector": Column("Sektor", "Sector", kind="text"),
    "activity": Column("Kegiatan", "Activity", kind="text"),
    "lead_agency": Column("OPD pelaksana", "Lead agency", kind="text"),
    "location_kode": Column("Lokasi", "Location", kind="text"),
    "location_level": Column("Tingkat lokasi", "Location level", kind="text"),
    "kecamatan_kode": Column("Kecamatan", "Kecamatan", kind="text"),
    "funding_source": Column("Sumber dana", "Funding source", kind="text"),
    "money_kind": Column("Jenis dana", "Money reported as", kind="text"),
    "plan_profile": Column("Profil rencana", "Plan profile", kind="text"),
    "output_unit": Column("Satuan keluaran", "Output unit", kind="text"),
    "planned_output": Column("Target keluaran tahunan", "Annual planned output", kind="float"),
    "planned_cost_idr": Column("Pagu/anggaran tahunan", "Annual planned cost", "Rp", "idr"),
    "profile_share": Column("Porsi rencana s.d. triwulan", "Plan share to date", "0-1", "float"),
    "judged_from_quarter": Column(
        "Dinilai sejak triwulan (tahun adopsi)", "Judged from quarter (adoption)", kind="int"
    ),
    "planned_output_to_date": Column("Target keluaran s.d. triwulan", "Planned output to date"),
    "planned_cost_to_date_idr": Column(
        "Rencana biaya s.d. triwulan", "Planned cost to date", "Rp", "idr"
    ),
    "output_quarter": Column("Keluaran triwulan ini", "Output this quarter"),
    "spent_quarter_idr": Column("Belanja triwulan ini", "Spent this quarter", "Rp", "idr"),
    "output_to_date": Column("Realisasi keluaran s.d. triwulan", "Output to date"),
    "progress_pct": Column("Progres fisik pekerjaan", "Physical progress of works", "%", _PCT),
    "physical_to_date": Column("Realisasi fisik s.d. triwulan", "Physical realised to date"),
    "spent_to_date_idr": Column("Realisasi belanja s.d. triwulan", "Spent to date", "Rp", "idr"),
    "physical_pct": Column("Capaian fisik", "Physical progress", "%", _PCT),
    "financial_pct": Column("Capaian keuangan", "Financial progress", "%", _PCT),
    "absorption_pct": Column(
        "Penyerapan anggaran (APBD Kab/Kota + DAK)",
        "Budget absorption (APBD Kab/Kota + DAK)",
        "%",
        _PCT,
    ),
    "investment_idr": Column(
        "Investasi (APBN, APBD Prov., swasta, masyarakat)",
        "Investment (APBN, provincial, private, community)",
        "Rp",
        "idr",
    ),
    "investment_apbn_idr": Column("Investasi APBN", "Investment: APBN", "Rp", "idr"),
    "investment_apbd_prov_idr": Column(
        "Investasi APBD Provinsi", "Investment: provincial budget", "Rp", "idr"
    ),
    "investment_swasta_idr": Column("Investasi swasta/CSR", "Investment: private/CSR", "Rp", "idr"),
    "investment_masyarakat_idr": Column(
        "Investasi masyarakat", "Investment: community", "Rp", "idr"
    ),
    "planned_unit_cost_idr": Column("Biaya satuan rencana", "Planned unit cost", "Rp", "idr"),
    "realised_unit_cost_idr": Column("Biaya satuan realisasi", "Realised unit cost", "Rp", "idr"),
    "efficiency_pct": Column("Efisiensi biaya satuan", "Unit-cost efficiency", "%", _PCT),
    "unit_cost_overrun_pct": Column("Kelebihan biaya satuan", "Unit-cost overrun", "%", _PCT),
    "band": Column("Kategori kinerja", "Performance band", kind="text"),
    "behind": Column("Terlambat", "Behind", kind="text"),
    "overspend": Column("Biaya melebihi toleransi", "Overspend", kind="text"),
    "unplanned_output": Column("Keluaran di luar rencana", "Unplanned output", kind="text"),
    "unplanned_spending": Column("Belanja di luar rencana", "Unplanned spending", kind="text"),
    "missing_quarters": Column("Triwulan tanpa laporan", "Quarters without report", kind="text"),
    "n_activities": Column("Jumlah kegiatan", "Activities", kind="int"),
    "unplanned_spent_idr": Column("Belanja di luar rencana", "Spent without plan", "Rp", "idr"),
    "apbd_pagu_idr": Column(
        "Pagu APBD (termasuk DAK)", "APBD budget (pagu, incl. DAK)", "Rp", "idr"
    ),
    "apbd_spent_idr": Column("Belanja APBD (termasuk DAK)", "APBD spent (incl. DAK)", "Rp", "idr"),
    "physical_index_pct": Column(
        "Indeks capaian fisik (tertimbang pagu)", "Physical index (cost-weighted)", "%", _PCT
    ),
    "n_with_plan_to_date": Column(
        "Kegiatan bertarget s.d. triwulan", "Activities planned to date", kind="int"
    ),
    "n_behind": Column("Kegiatan terlambat", "Activities behind", kind="int"),
    "n_overspend": Column("Kegiatan melebihi biaya", "Activities overspent", kind="int"),
    "n_unplanned": Column(
        "Kegiatan di luar rencana", "Activities with unplanned output/spending", kind="int"
    ),
    "n_missing_reports": Column("Laporan triwulan hilang", "Missing quarterly reports", kind="int"),
    "planned_output_cum": Column("Target kumulatif", "Planned cumulative output"),
    "realised_output_cum": Column("Realisasi kumulatif", "Realised cumulative output"),
    "physical_output_cum": Column(
        "Realisasi fisik kumulatif", "Physical realised cumulative output"
    ),
    "planned_cost_cum_idr": Column(
        "Rencana biaya kumulatif", "Planned cumulative cost", "Rp", "idr"
    ),
    "spent_cum_idr": Column("Belanja kumulatif", "Spent cumulative", "Rp", "idr"),
    "meeting_id": Column("Rapat", "Meeting", kind="text"),
    "meeting_date": Column("Tanggal rapat", "Meeting date", kind="text"),
    "action": Column("Tindak lanjut", "Action", kind="text"),
    "owner_agency": Column("Penanggung jawab", "Owner", kind="text"),
    "due_date": Column("Tenggat", "Due date", kind="text"),
    "state": Column("Status tindak lanjut", "Action state", kind="text"),
    "raised": Column("Sudah diputuskan", "Raised by the report date", kind="text"),
    "overdue": Column("Lewat tenggat", "Overdue", kind="text"),
    "days_overdue": Column("Hari terlambat", "Days overdue", "days", "int"),
    "days_to_due": Column("Hari menuju tenggat", "Days to due date", "days", "int"),
    "status": Column("Status data", "Data status", kind="text"),
    "agency": Column("OPD", "Agency", kind="text"),
    "activity_code": Column("Kegiatan", "Activity", kind="text"),
    "kode": Column("Wilayah", "Place", kind="text"),
    "value": Column("Nilai", "Value"),
    "message_id": Column("Pesan", "Message (id)", kind="text"),
    "message_en": Column("Pesan (en)", "Message", kind="text"),
}


def monitoring_tables(m: Monitoring) -> dict[str, Table]:
    """Labelled tables of a :class:`Monitoring` (report order)."""
    q = f"T{m.quarter} {m.year}"
    qe = f"{m.year} Q{m.quarter}"
    spec = [
        ("by_city", "Kinerja kota", "City performance", m.by_city),
        ("by_agency", "Kinerja per OPD pelaksana", "Performance by lead agency", m.by_agency),
        ("by_sector", "Kinerja per sektor", "Performance by sector", m.by_sector),
        ("by_kecamatan", "Kinerja per kecamatan", "Performance by kecamatan", m.by_kecamatan),
        (
            "by_source",
            "Penyerapan dan investasi per sumber dana",
            "Absorption and investment by funding source",
            m.by_source,
        ),
        ("activities", "Kinerja per kegiatan", "Performance by activity", m.activities),
        ("series", "Rencana vs realisasi per triwulan", "Plan vs realisation by quarter", m.series),
        ("action_items", "Tindak lanjut rapat", "Action items", m.action_items),
        ("warnings", "Peringatan", "Warnings", m.warnings_table),
    ]
    note_id = (
        "Indeks capaian fisik = rata-rata capaian fisik (maks. 100%) tertimbang pagu tahunan; "
        "persentase agregat = rasio jumlah."
    )
    note_en = (
        "Physical index = mean of physical progress (capped at 100%) weighted by annual "
        "planned cost; aggregate percentages are ratios of sums."
    )
    out: dict[str, Table] = {}
    for name, tid, ten, df in spec:
        cols = {c: COLUMNS.get(c, Column(c, c)) for c in df.columns}
        out[name] = Table(
            name=name,
            title_id=f"{tid} ({q})",
            title_en=f"{ten} ({qe})",
            df=df,
            columns=cols,
            provenance=dict(m.provenance),
            note_id=note_id if name.startswith("by_") else "",
            note_en=note_en if name.startswith("by_") else "",
        )
    return out
