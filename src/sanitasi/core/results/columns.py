"""The labels, units and kinds of the plan's result columns (the engine's own metadata;
the column registry ``sanitasi.vocabulary`` has the last word on screens)."""

from __future__ import annotations

from sanitasi.core.model import (
    RUNGS,
    Column,
)

PCT = "%"
HH = "rumah tangga / households"


def _col(label_id: str, label_en: str, unit: str = "", kind: str = "float") -> Column:
    return Column(label_id, label_en, unit, kind)


COLUMNS: dict[str, Column] = {
    "kode": _col("Kode", "Code", "", "text"),
    "nama": _col("Nama wilayah", "Area", "", "text"),
    "tingkat": _col("Tingkat", "Level", "", "text"),
    "year": _col("Tahun", "Year", "", "year"),
    "scenario": _col("Skenario", "Scenario", "", "text"),
    "indicator": _col("Indikator", "Indicator", "", "text"),
    "target_set": _col("Set target", "Target set", "", "text"),
    "binding_set": _col("Set yang mengikat", "Binding set", "", "text"),
    "data": _col("Data", "Data", "", "text"),
    "unit": _col("Satuan", "Unit", "", "text"),
    "population": _col("Penduduk", "Population", "jiwa / persons", "count"),
    "households": _col("Rumah tangga", "Households", HH, "count"),
    "target_pct": _col("Target", "Target", PCT, "pct"),
    "actual_pct": _col("Capaian", "Actual", PCT, "pct"),
    "baseline_pct": _col("Baseline", "Baseline", PCT, "pct"),
    "bau_pct": _col("Tanpa intervensi (BAU)", "Business as usual", PCT, "pct"),
    "trajectory_pct": _col("Lintasan target", "Trajectory", PCT, "pct"),
    "value_pct": _col("Nilai", "Value", PCT, "pct"),
    "gap_pts": _col("Kesenjangan (poin)", "Gap (points)", "poin %", "float"),
    "achieved_pts": _col("Tercapai (+poin)", "Achieved (+points)", "poin %", "float"),
    "held": _col("Target lama dipertahankan", "Held earlier target", "", "text"),
    "gap_units": _col("Kesenjangan (unit)", "Gap (units)", "", "count"),
    "area_shortfall_units": _col("Kekurangan wilayah", "Sum of area shortfalls", "", "count"),
    **{f"hh_{r}": _col(f"RT {r}", f"HH {r}", HH, "count") for r in RUNGS},
    "pct_layak": _col("% layak", "% layak", PCT, "pct"),
    "pct_aman": _col("% aman", "% aman", PCT, "pct"),
    "pct_babs_terbuka": _col("% BABS terbuka", "% open defecation", PCT, "pct"),
    "generated_tpd": _col("Timbulan", "Generated", "ton/hari", "float"),
    "pengurangan_tpd": _col("Pengurangan", "Reduction", "ton/hari", "float"),
    "penanganan_tpd": _col("Penanganan", "Handling", "ton/hari", "float"),
    "unmanaged_tpd": _col("Tidak terkelola", "Unmanaged", "ton/hari", "float"),
    "pct_waste_pengurangan": _col("% pengurangan", "% reduction", PCT, "pct"),
    "pct_waste_penanganan": _col("% penanganan", "% handling", PCT, "pct"),
    "pct_waste_managed": _col("% terkelola", "% managed", PCT, "pct"),
    "into_layak_hh": _col("RT naik ke layak", "HH into layak", HH, "count"),
    "into_aman_hh": _col("RT naik ke aman", "HH into aman", HH, "count"),
    "new_septic_tank": _col("Tangki septik baru", "New septic tanks", "unit", "count"),
    "septic_tank_upgrade": _col("Perbaikan tangki septik", "Septic tank upgrades", "unit", "count"),
    "l2t2_enrolment": _col("Pendaftaran L2T2", "L2T2 enrolments", HH, "count"),
    "spald_t_connection": _col("Sambungan SPALD-T", "SPALD-T connections", "SR", "count"),
    "enrolled_hh": _col("RT terdaftar L2T2", "HH enrolled in L2T2", HH, "count"),
    "desludgings": _col("Penyedotan", "Desludgings", "kali/tahun", "count"),
    "septage_m3_per_year": _col("Lumpur tinja", "Septage", "m3/tahun", "float"),
    "iplt_load_m3_per_day": _col("Beban IPLT", "IPLT load", "m3/hari", "float"),
    "iplt_capacity_m3_per_day": _col("Kapasitas IPLT", "IPLT capacity", "m3/hari", "float"),
    "iplt_utilisation_pct": _col("Utilisasi IPLT", "IPLT utilisation", PCT, "pct"),
    "iplt_capacity_to_add_m3_per_day": _col(
        "Tambahan kapasitas IPLT (kumulatif)",
        "IPLT capacity to add (cumulative)",
        "m3/hari",
        "float",
    ),
    "vacuum_trucks_needed": _col("Truk tinja dibutuhkan", "Vacuum trucks needed", "unit", "int"),
    "vacuum_trucks_existing": _col("Truk tinja ada", "Vacuum trucks existing", "unit", "int"),
    "vacuum_trucks_to_add": _col(
        "Tambahan truk tinja (kumulatif)", "Vacuum trucks to add (cumulative)", "unit", "int"
    ),
    "spald_t_plants_to_add": _col(
        "IPAL SPALD-T baru (kumulatif)", "New SPALD-T plants (cumulative)", "unit", "int"
    ),
    "spald_t_capacity_conn": _col(
        "Kapasitas IPAL SPALD-T baru (kumulatif)",
        "New SPALD-T treatment capacity (cumulative)",
        "SR",
        "count",
    ),
    "desludgings_per_truck_year": _col(
        "Penyedotan per truk per tahun", "Desludgings per truck-year", "kali/tahun", "float"
    ),
    "required_pengurangan_tpd": _col(
        "Pengurangan dibutuhkan", "Required reduction", "ton/hari", "float"
    ),
    "required_penanganan_tpd": _col(
        "Penanganan dibutuhkan", "Required handling", "ton/hari", "float"
    ),
    "tps3r_units_total": _col("TPS3R (kumulatif)", "TPS3R units (cumulative)", "unit", "int"),
    "tps3r_units_new": _col("TPS3R baru", "New TPS3R units", "unit", "int"),
    "route_tps3r_tpd": _col("Pengurangan lewat TPS3R", "Reduction via TPS3R", "ton/hari", "float"),
    "route_bank_sampah_tpd": _col(
        "Pengurangan lewat bank sampah/kompos",
        "Reduction via bank sampah/composting",
        "ton/hari",
        "float",
    ),
    "route_other_tpd": _col(
        "Pengurangan lewat jalur lain", "Reduction via other routes", "ton/hari", "float"
    ),
    "tps3r_residue_new_tpd": _col(
        "Residu TPS3R yang baru tertangani",
        "TPS3R residue newly handled",
        "ton/hari",
        "float",
    ),
    "bank_sampah_units_total": _col(
        "Bank sampah (kumulatif)", "Bank sampah units (cumulative)", "unit", "int"
    ),
    "collection_tpd_per_truck": _col(
        "Sampah terangkut per truk", "Hauled per truck", "ton/hari", "float"
    ),
    "collection_trucks_needed": _col(
        "Truk sampah dibutuhkan", "Collection trucks needed", "unit", "int"
    ),
    "collection_trucks_existing": _col(
        "Truk sampah ada", "Collection trucks existing", "unit", "int"
    ),
    "collection_trucks_to_add": _col(
        "Tambahan truk sampah (kumulatif)", "Collection trucks to add (cumulative)", "unit", "int"
    ),
    "landfilled_tpd": _col("Ke TPA", "Landfilled", "ton/hari", "float"),
    "tpa_remaining_t": _col("Sisa kapasitas TPA", "TPA remaining capacity", "ton", "float"),
    "tpa_full": _col("TPA penuh", "TPA full", "", "text"),
    "landfill_volume_m3": _col(
        "Volume sel TPA baru (bagian kota)", "New landfill cell volume (city share)", "m3", "float"
    ),
    "facility_volume_m3": _col(
        "Volume sel TPA baru (seluruh pengguna)",
        "New landfill cell volume (all users)",
        "m3",
        "float",
    ),
    "city_share_pct": _col("Bagian kota", "City share", PCT, "pct"),
    "tpa_owner": _col("Pemilik TPA", "TPA owner", "", "text"),
    "sector": _col("Sektor", "Sector", "", "text"),
    "need": _col("Kebutuhan", "Need", "", "text"),
    "item": _col("Item biaya", "Cost item", "", "text"),
    "cost_kind": _col("Jenis biaya", "Cost kind", "", "text"),
    "quantity": _col("Volume", "Quantity", "", "float"),
    "unit_cost_idr": _col("Harga satuan", "Unit cost", "Rp", "idr"),
    "cost_idr": _col("Biaya", "Cost", "Rp", "idr"),
    "status": _col("Status data", "Data status", "", "text"),
    "source": _col("Sumber dana", "Funding source", "", "text"),
    "name": _col("Parameter", "Parameter", "", "text"),
    "value": _col("Nilai", "Value", "", "text"),
    "default": _col("Nilai acuan", "Reference value", "", "text"),
    "overridden": _col("Diubah rencana", "Overridden", "", "text"),
    "growth_rate_pct": _col("Laju pertumbuhan", "Growth rate", "%/tahun", "float"),
    "rate_from": _col("Laju dari", "Rate from", "", "text"),
}
