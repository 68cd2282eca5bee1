"""A small hand-made PlanResult for the report tests.

Kota Solok (13.72) with one kecamatan (13.72.01) and two kelurahan, base year 2024, plan
period 2025-2025 and horizon 2026 (so the HTML year filter and "end of plan period" vs
"horizon" differ). Numbers are invented but consistent (rungs sum to households, kelurahan
sum to the city) and chosen to give easy-to-read formatted figures: 81,25 % layak in 2024
(shown 81,3%), Rp 1,2 miliar of APBN money in 2025, TPA full in 2025.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from sanitasi.core.model import (
    Column,
    Parameter,
    ParameterSet,
    PlanOptions,
    PlanResult,
    Table,
    Warning_,
)

CITY = "13.72"
KEC = "13.72.01"
KEL = {"13.72.01.1001": "Tanah Garam", "13.72.01.1002": "VI Suku"}
NAMES = {CITY: "Kota Solok", KEC: "Lubuk Sikarah", **KEL}
LEVEL = {CITY: "kabkota", KEC: "kecamatan", **dict.fromkeys(KEL, "kelurahan")}
YEARS = (2024, 2025, 2026)

C = Column
TXT = dict(kind="text")

COLS: dict[str, Column] = {
    "kode": C("Kode wilayah", "Area code", kind="text"),
    "nama": C("Nama wilayah", "Area name", kind="text"),
    "tingkat": C("Tingkat", "Level", kind="text"),
    "year": C("Tahun", "Year", kind="year"),
    "indicator": C("Indikator", "Indicator", kind="text"),
    "target_set": C("Acuan target", "Target set", kind="text"),
    "unit": C("Satuan", "Unit", kind="text"),
    "data": C("Data", "Data", kind="text"),
    "scenario": C("Skenario", "Scenario", kind="text"),
    "target_pct": C("Target", "Target", "%", "pct"),
    "actual_pct": C("Capaian", "Actual", "%", "pct"),
    "gap_pts": C("Selisih (poin)", "Gap (points)", "pts", "float"),
    "gap_units": C("Selisih (unit)", "Gap (units)", "", "float"),
    "value_pct": C("Nilai", "Value", "%", "pct"),
    "binding_set": C("Acuan yang mengikat", "Binding target set", kind="text"),
    "baseline_pct": C("Kondisi dasar", "Baseline", "%", "pct"),
    "bau_pct": C("BAU", "BAU", "%", "pct"),
    "trajectory_pct": C("Lintasan", "Trajectory", "%", "pct"),
    "area_shortfall_units": C("Kekurangan per wilayah", "Area shortfall", "", "float"),
    "population": C("Penduduk", "Population", "persons", "count"),
    "households": C("Rumah tangga", "Households", "households", "count"),
    "hh_aman": C("RT aman", "Households aman", "households", "count"),
    "hh_layak_sendiri": C("RT layak sendiri", "Households layak (own)", "households", "count"),
    "hh_layak_bersama": C("RT layak bersama", "Households layak (shared)", "households", "count"),
    "hh_belum_layak": C("RT belum layak", "Households belum layak", "households", "count"),
    "hh_babs_tertutup": C("RT BABS tertutup", "Households BABS (closed)", "households", "count"),
    "hh_babs_terbuka": C("RT BABS terbuka", "Households open defecation", "households", "count"),
    "pct_layak": C("Akses layak", "Layak access", "%", "pct"),
    "pct_aman": C("Akses aman", "Aman access", "%", "pct"),
    "pct_babs_terbuka": C("BABS terbuka", "Open defecation", "%", "pct"),
    "generated_tpd": C("Timbulan", "Generated", "t/day", "float"),
    "pengurangan_tpd": C("Pengurangan", "Reduction", "t/day", "float"),
    "penanganan_tpd": C("Penanganan", "Handling", "t/day", "float"),
    "unmanaged_tpd": C("Tidak terkelola", "Unmanaged", "t/day", "float"),
    "pct_waste_pengurangan": C("Pengurangan", "Reduction", "%", "pct"),
    "pct_waste_penanganan": C("Penanganan", "Handling", "%", "pct"),
    "pct_waste_managed": C("Terkelola", "Managed", "%", "pct"),
    "into_layak_hh": C("RT naik ke layak", "Households into layak", "households", "count"),
    "into_aman_hh": C("RT naik ke aman", "Households into aman", "households", "count"),
    "new_septic_tank": C("Tangki septik baru", "New septic tanks", "unit", "count"),
    "septic_tank_upgrade": C("Perbaikan tangki", "Tank upgrades", "unit", "count"),
    "l2t2_enrolment": C("Pendaftaran L2T2", "L2T2 enrolment", "households", "count"),
    "spald_t_connection": C("Sambungan SPALD-T", "SPALD-T connections", "households", "count"),
    "iplt_load_m3_per_day": C("Beban IPLT", "IPLT load", "m3/day", "float"),
    "iplt_capacity_m3_per_day": C("Kapasitas IPLT", "IPLT capacity", "m3/day", "float"),
    "iplt_utilisation_pct": C("Utilisasi IPLT", "IPLT utilisation", "%", "pct"),
    "vacuum_trucks_needed": C("Truk tinja dibutuhkan", "Vacuum trucks needed", "truck", "count"),
    "vacuum_trucks_to_add": C("Truk tinja ditambah", "Vacuum trucks to add", "truck", "count"),
    "tps3r_units_new": C("TPS3R baru", "New TPS3R", "unit", "count"),
    "collection_trucks_to_add": C("Truk sampah ditambah", "Trucks to add", "truck", "count"),
    "landfilled_tpd": C("Ditimbun", "Landfilled", "t/day", "float"),
    "tpa_remaining_t": C("Sisa kapasitas TPA", "TPA remaining", "t", "float"),
    "tpa_full": C("TPA penuh", "TPA full", kind="text"),
    "sector": C("Sektor", "Sector", kind="text"),
    "need": C("Kebutuhan", "Need", kind="text"),
    "item": C("Butir biaya", "Cost item", kind="text"),
    "cost_kind": C("Jenis biaya", "Cost kind", kind="text"),
    "quantity": C("Jumlah", "Quantity", "", "float"),
    "unit_cost_idr": C("Harga satuan", "Unit cost", "Rp", "idr"),
    "cost_idr": C("Biaya", "Cost", "Rp", "idr"),
    "status": C("Status", "Status", kind="text"),
    "source": C("Sumber", "Source", kind="text"),
    "name": C("Nama parameter", "Parameter", kind="text"),
    "value": C("Nilai", "Value", kind="float"),
    "default": C("Nilai rujukan", "Reference value", kind="float"),
    "overridden": C("Diubah", "Overridden", kind="text"),
    "note": C("Catatan", "Note", kind="text"),
}


def _table(
    name: str, title_id: str, title_en: str, rows: list[dict[str, Any]], prov: dict[str, int]
) -> Table:
    df = pd.DataFrame(rows)
    return Table(
        name=name,
        title_id=title_id,
        title_en=title_en,
        df=df,
        columns={c: COLS[c] for c in df.columns if c in COLS},
        provenance=prov,
    )


PROV = {"sourced": 12, "derived": 3, "illustrative": 40, "unverified": 2}

# Households by kelurahan, year, scenario: (aman, layak_sendiri, layak_bersama, belum_layak,
# babs_tertutup, babs_terbuka). 2024 city: 10 000 households, 8 125 layak (81,25 %).
LADDER: dict[tuple[str, int, str], tuple[float, ...]] = {}
for scen in ("bau", "plan"):
    LADDER[("13.72.01.1001", 2024, scen)] = (600.0, 3000.0, 400.0, 700.0, 200.0, 100.0)
    LADDER[("13.72.01.1002", 2024, scen)] = (350.0, 3500.0, 275.0, 600.0, 165.0, 110.0)
LADDER[("13.72.01.1001", 2025, "bau")] = (606.0, 3030.0, 404.0, 707.0, 202.0, 101.0)
LADDER[("13.72.01.1002", 2025, "bau")] = (353.5, 3535.0, 277.75, 606.0, 166.65, 111.1)
LADDER[("13.72.01.1001", 2025, "plan")] = (900.0, 2900.0, 450.0, 650.0, 150.0, 0.0)
LADDER[("13.72.01.1002", 2025, "plan")] = (700.0, 3300.0, 300.0, 600.0, 150.0, 0.0)
LADDER[("13.72.01.1001", 2026, "bau")] = (612.06, 3060.3, 408.04, 714.07, 204.02, 102.01)
LADDER[("13.72.01.1002", 2026, "bau")] = (357.04, 3570.35, 280.53, 612.06, 168.32, 112.21)
LADDER[("13.72.01.1001", 2026, "plan")] = (1200.0, 2800.0, 500.0, 542.4, 0.0, 0.0)
LADDER[("13.72.01.1002", 2026, "plan")] = (1000.0, 3200.0, 300.0, 593.91, 0.0, 0.0)
RUNG_COLS = (
    "hh_aman",
    "hh_layak_sendiri",
    "hh_layak_bersama",
    "hh_belum_layak",
    "hh_babs_tertutup",
    "hh_babs_terbuka",
)


def _ladder_rows() -> list[dict[str, Any]]:
    rows = []
    for year in YEARS:
        for scen in ("bau", "plan"):
            per = {k: LADDER[(k, year, scen)] for k in KEL}
            total = tuple(sum(v[i] for v in per.values()) for i in range(6))
            for kode, rungs in [(CITY, total), (KEC, total), *per.items()]:
                hh = sum(rungs)
                row: dict[str, Any] = dict(
                    kode=kode, nama=NAMES[kode], tingkat=LEVEL[kode], year=year, scenario=scen
                )
                row.update(dict(zip(RUNG_COLS, rungs, strict=True)))
                row["households"] = hh
                row["pct_layak"] = 100 * sum(rungs[:3]) / hh
                row["pct_aman"] = 100 * rungs[0] / hh
                row["pct_babs_terbuka"] = 100 * rungs[5] / hh
                rows.append(row)
    return rows


def _waste_rows() -> list[dict[str, Any]]:
    rows = []
    data = {  # (generated, pengurangan, penanganan) t/day, city
        (2024, "bau"): (40.0, 6.0, 26.0),
        (2025, "bau"): (40.4, 6.06, 26.26),
        (2026, "bau"): (40.8, 6.12, 26.52),
        (2024, "plan"): (40.0, 6.0, 26.0),
        (2025, "plan"): (40.4, 9.0, 27.0),
        (2026, "plan"): (40.8, 12.24, 28.56),
    }
    for (year, scen), (gen, red, han) in data.items():
        for kode, share in [(CITY, 1.0), ("13.72.01.1001", 0.45), ("13.72.01.1002", 0.55)]:
            g, r, h = gen * share, red * share, han * share
            rows.append(
                dict(
                    kode=kode,
                    nama=NAMES[kode],
                    tingkat=LEVEL[kode],
                    year=year,
                    scenario=scen,
                    generated_tpd=g,
                    pengurangan_tpd=r,
                    penanganan_tpd=h,
                    unmanaged_tpd=g - r - h,
                    pct_waste_pengurangan=100 * r / g,
                    pct_waste_penanganan=100 * h / g,
                    pct_waste_managed=100 * (r + h) / g,
                )
            )
    return rows


HEADLINE = {  # indicator -> (unit, baseline, {year: (bau, trajectory)})
    "pct_layak": (
        "households",
        81.25,
        {2024: (81.25, 81.25), 2025: (81.25, 85.0), 2026: (81.25, 90.0)},
    ),
    "pct_aman": ("households", 9.5, {2024: (9.5, 9.5), 2025: (9.5, 12.0), 2026: (9.5, 15.0)}),
    "pct_babs_terbuka": ("households", 2.1, {2024: (2.1, 2.1), 2025: (2.1, 1.0), 2026: (2.1, 0.0)}),
    "pct_waste_pengurangan": (
        "t/day",
        15.0,
        {2024: (15.0, 15.0), 2025: (15.0, 22.3), 2026: (15.0, 30.0)},
    ),
    "pct_waste_penanganan": (
        "t/day",
        65.0,
        {2024: (65.0, 65.0), 2025: (65.0, 66.8), 2026: (65.0, 70.0)},
    ),
    "pct_waste_managed": (
        "t/day",
        80.0,
        {2024: (80.0, 80.0), 2025: (80.0, 89.1), 2026: (80.0, 100.0)},
    ),
}


def _headline_rows() -> list[dict[str, Any]]:
    rows = []
    for ind, (unit, base, per_year) in HEADLINE.items():
        for year, (bau, traj) in per_year.items():
            gap = (bau - traj) if ind == "pct_babs_terbuka" else (traj - bau)
            size = 10_100.0 if unit == "households" else 40.4
            rows.append(
                dict(
                    kode=CITY,
                    indicator=ind,
                    year=year,
                    baseline_pct=base,
                    bau_pct=bau,
                    trajectory_pct=traj,
                    gap_pts=gap,
                    gap_units=gap / 100 * size,
                    unit=unit,
                )
            )
    return rows


def _trajectory_rows() -> list[dict[str, Any]]:
    rows = []
    for ind, (_unit, _base, per_year) in HEADLINE.items():
        binding = (
            "RPJMN_2020_2024"
            if ind.startswith("pct_") and "waste" not in ind
            else "JAKSTRANAS_2025"
        )
        for year, (_bau, traj) in per_year.items():
            rows.append(
                dict(kode=CITY, indicator=ind, year=year, value_pct=traj, binding_set=binding)
            )
    return rows


def make_result() -> PlanResult:
    options = PlanOptions(base_year=2024, horizon=2026, plan_period=(2025, 2025))
    params = ParameterSet(
        {
            "desludging_interval_years": Parameter(
                "desludging_interval_years", 3.0, "years", "Permen PUPR 04/PRT/M/2017", "sourced"
            ),
            "truck_availability": Parameter(
                "truck_availability", 0.85, "fraction", "Illustrative assumption", "illustrative"
            ),
            "new_households_ladder": Parameter(
                "new_households_ladder", "base_shares", "choice", "SSK guidance", "derived"
            ),
            "population_growth_rate": Parameter(
                "population_growth_rate", None, "fraction", "computed per area", "derived"
            ),
        }
    ).with_overrides({"desludging_interval_years": 2.0})

    tables: dict[str, Table] = {}
    tables["retrospective"] = _table(
        "retrospective",
        "Capaian terhadap target nasional pada/sebelum tahun dasar",
        "Attainment of national targets in or before the base year",
        [
            dict(
                target_set="RPJMN_2020_2024",
                indicator="pct_layak",
                year=2024,
                target_pct=90.0,
                actual_pct=81.25,
                gap_pts=8.75,
                gap_units=875.4,
                unit="households",
                data="ok",
            ),
            dict(
                target_set="RPJMN_2020_2024",
                indicator="pct_aman",
                year=2024,
                target_pct=15.0,
                actual_pct=9.5,
                gap_pts=5.5,
                gap_units=550.0,
                unit="households",
                data="ok",
            ),
            dict(
                target_set="RPJMN_2020_2024",
                indicator="pct_babs_terbuka",
                year=2024,
                target_pct=0.0,
                actual_pct=2.1,
                gap_pts=2.1,
                gap_units=210.0,
                unit="households",
                data="ok",
            ),
            dict(
                target_set="RPJMN_2020_2024",
                indicator="pct_hh_waste_served",
                year=2024,
                target_pct=100.0,
                actual_pct=None,
                gap_pts=None,
                gap_units=None,
                unit="households",
                data="no_data",
            ),
            dict(
                target_set="JAKSTRANAS_2025",
                indicator="pct_waste_pengurangan",
                year=2021,
                target_pct=24.0,
                actual_pct=None,
                gap_pts=None,
                gap_units=None,
                unit="t/day",
                data="no_data",
            ),
        ],
        {"sourced": 8, "derived": 0, "illustrative": 0, "unverified": 0},
    )
    tables["trajectory"] = _table(
        "trajectory", "Lintasan rencana", "Planning trajectory", _trajectory_rows(), PROV
    )
    tables["headline"] = _table(
        "headline", "Indikator utama kota", "City headline indicators", _headline_rows(), PROV
    )
    tables["gap"] = _table(
        "gap",
        "Kesenjangan terhadap target",
        "Gap to targets",
        [
            dict(
                target_set="RPJMN_2020_2024",
                kode=CITY,
                indicator="pct_layak",
                year=2026,
                target_pct=90.0,
                bau_pct=81.25,
                gap_pts=8.75,
                gap_units=883.75,
                area_shortfall_units=900.0,
                unit="households",
                data="ok",
            ),
            dict(
                target_set="JAKSTRANAS_2025",
                kode=CITY,
                indicator="pct_waste_pengurangan",
                year=2025,
                target_pct=30.0,
                bau_pct=15.0,
                gap_pts=15.0,
                gap_units=6.06,
                area_shortfall_units=6.06,
                unit="t/day",
                data="ok",
            ),
            dict(
                target_set="JAKSTRANAS_2025",
                kode=CITY,
                indicator="pct_waste_managed",
                year=2025,
                target_pct=100.0,
                bau_pct=80.0,
                gap_pts=20.0,
                gap_units=8.08,
                area_shortfall_units=8.08,
                unit="t/day",
                data="ok",
            ),
        ],
        PROV,
    )
    pop_rows = []
    for year, factor in zip(YEARS, (1.0, 1.01, 1.0201), strict=True):
        for kode in (CITY, KEC, *KEL):
            base = {"13.72.01.1001": 19_500.0, "13.72.01.1002": 19_500.0}.get(kode, 39_000.0)
            pop_rows.append(
                dict(
                    kode=kode,
                    nama=NAMES[kode],
                    tingkat=LEVEL[kode],
                    year=year,
                    population=base * factor,
                    households=base * factor / 3.9,
                )
            )
    tables["population"] = _table(
        "population", "Penduduk dan rumah tangga", "Population and households", pop_rows, PROV
    )
    tables["ladder"] = _table(
        "ladder", "Tangga sanitasi", "Sanitation ladder", _ladder_rows(), PROV
    )
    tables["waste"] = _table("waste", "Neraca sampah", "Waste balance", _waste_rows(), PROV)
    tables["needs_ald"] = _table(
        "needs_ald",
        "Kebutuhan air limbah domestik",
        "Domestic wastewater needs",
        [
            dict(
                kode=k,
                nama=NAMES[k],
                tingkat=LEVEL[k],
                year=y,
                into_layak_hh=v,
                into_aman_hh=a,
                new_septic_tank=v,
                septic_tank_upgrade=a / 4,
                l2t2_enrolment=a,
                spald_t_connection=0.0,
            )
            for y in (2025, 2026)
            for k, v, a in [
                (CITY, 421.6, 640.4),
                ("13.72.01.1001", 201.6, 294.0),
                ("13.72.01.1002", 220.0, 346.4),
            ]
        ],
        PROV,
    )
    tables["service_ald"] = _table(
        "service_ald",
        "Layanan lumpur tinja",
        "Septage service",
        [
            dict(
                kode=CITY,
                year=y,
                enrolled_hh=e,
                desludgings=d,
                septage_m3_per_year=d * 2.5,
                iplt_load_m3_per_day=d * 2.5 / 260,
                iplt_capacity_m3_per_day=20.0,
                iplt_utilisation_pct=100 * d * 2.5 / 260 / 20,
                iplt_capacity_to_add_m3_per_day=0.0,
                vacuum_trucks_needed=2.0,
                vacuum_trucks_existing=1.0,
                vacuum_trucks_to_add=1.0,
                spald_t_plants_to_add=0.0,
            )
            for y, e, d in [(2024, 950.0, 316.7), (2025, 1590.4, 957.1), (2026, 2230.8, 1170.5)]
        ],
        PROV,
    )
    tables["needs_waste"] = _table(
        "needs_waste",
        "Kebutuhan persampahan",
        "Solid-waste needs",
        [
            dict(
                kode=CITY,
                year=y,
                generated_tpd=g,
                required_pengurangan_tpd=r,
                required_penanganan_tpd=h,
                tps3r_units_total=u,
                tps3r_units_new=n,
                collection_trucks_needed=9.0,
                collection_trucks_existing=7.0,
                collection_trucks_to_add=2.0 if y == 2025 else 0.0,
                landfilled_tpd=h * 0.9,
                tpa_remaining_t=rem,
                tpa_full=full,
                landfill_volume_m3=vol,
            )
            for y, g, r, h, u, n, rem, full, vol in [
                (2025, 40.4, 9.0, 27.0, 3.0, 3.0, 1200.5, True, 0.0),
                (2026, 40.8, 12.24, 28.56, 6.0, 3.0, 0.0, True, 9876.5),
            ]
        ],
        PROV,
    )
    tables["costs"] = _table(
        "costs",
        "Biaya kebutuhan",
        "Cost of needs",
        [
            dict(
                kode=CITY,
                year=2025,
                sector="ald",
                need="new_septic_tank",
                item="septic_tank_individual",
                cost_kind="capex",
                quantity=421.6,
                unit="household",
                unit_cost_idr=4_000_000.0,
                cost_idr=1_686_400_000.0,
                status="illustrative",
            ),
            dict(
                kode=CITY,
                year=2025,
                sector="persampahan",
                need="tps3r",
                item="tps3r_unit",
                cost_kind="capex",
                quantity=3.0,
                unit="unit",
                unit_cost_idr=350_000_000.0,
                cost_idr=1_050_000_000.0,
                status="sourced",
            ),
            dict(
                kode=CITY,
                year=2026,
                sector="persampahan",
                need="landfill_volume",
                item="landfill_cell_per_m3",
                cost_kind="capex",
                quantity=9876.5,
                unit="m3",
                unit_cost_idr=150_000.0,
                cost_idr=1_481_475_000.0,
                status="unverified",
            ),
        ],
        {"sourced": 1, "derived": 0, "illustrative": 1, "unverified": 1},
    )
    tables["funding"] = _table(
        "funding",
        "Indikasi pendanaan",
        "Indicative funding",
        [
            dict(kode=CITY, year=2025, sector="ald", source="APBN", cost_idr=1_200_000_000.0),
            dict(kode=CITY, year=2025, sector="ald", source="DAK", cost_idr=350_000_000.0),
            dict(kode=CITY, year=2025, sector="ald", source="MASYARAKAT", cost_idr=136_400_000.0),
            dict(
                kode=CITY,
                year=2025,
                sector="persampahan",
                source="APBD_KOTA",
                cost_idr=1_050_000_000.0,
            ),
            dict(
                kode=CITY,
                year=2026,
                sector="persampahan",
                source="UNASSIGNED",
                cost_idr=1_481_475_000.0,
            ),
        ],
        PROV,
    )
    tables["medium_term"] = _table(
        "medium_term",
        "Kebutuhan jangka menengah",
        "Medium-term needs",
        [
            dict(
                kode=CITY,
                sector="ald",
                need="new_septic_tank",
                unit="household",
                quantity=421.6,
                cost_idr=1_686_400_000.0,
            ),
            dict(
                kode=CITY,
                sector="ald",
                need="vacuum_truck",
                unit="truck",
                quantity=1.0,
                cost_idr=850_000_000.0,
            ),
            dict(
                kode=CITY,
                sector="persampahan",
                need="tps3r",
                unit="unit",
                quantity=3.0,
                cost_idr=1_050_000_000.0,
            ),
        ],
        PROV,
    )
    tables["parameters"] = _table(
        "parameters", "Parameter", "Parameters", params.table().to_dict("records"), PROV
    )
    # An extra table the reports do not know: rendered generically, no column metadata.
    tables["extra_risk"] = Table(
        name="extra_risk",
        title_id="Area berisiko",
        title_en="Risk areas",
        df=pd.DataFrame(
            dict(
                kode=list(KEL),
                risk_score=[2.5, 3.75],
                pct_slum=[12.0, 30.5],
                cls=["sedang", "tinggi"],
            )
        ),
        columns={},
        provenance={},
    )
    warnings = (
        Warning_("SAN-W001", {"year": 2025}, kode=CITY, year=2025),
        Warning_("SAN-W004", {"n": 1}, kode="13.72.01.1002"),
    )
    return PlanResult(
        options=options,
        tables=tables,
        warnings=warnings,
        parameters=params,
        city_kodes=(CITY,),
        target_sets=("RPJMN_2020_2024", "JAKSTRANAS_2025"),
        input_files={"observations": "data/kota_solok/observations.csv"},
    )


@pytest.fixture
def result() -> PlanResult:
    return make_result()
