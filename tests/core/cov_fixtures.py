"""Helpers of the programme coverage tests: the demo programme read straight from the package
CSV (until ``sanitasi.io.programme`` exists) and a tiny hand-checkable city."""

from __future__ import annotations

from importlib.resources import files

import numpy as np
import pandas as pd

from sanitasi.core.model import RUNGS, PlanInputs, PlanOptions
from sanitasi.core.programme import ProgrammeInputs

YEARS = range(2025, 2030)


def programme_from_rows(rows: pd.DataFrame, city: str) -> ProgrammeInputs:
    """ProgrammeInputs from a wide programme table (the ``programme.csv`` layout)."""
    acts = pd.DataFrame(
        {
            "city_kode": city,
            "code": rows["code"].astype(str),
            "sector": rows["sector"].astype(str),
            "activity": rows.get("activity", rows["code"]).astype(str),
            "lead_agency": rows.get("lead_agency", pd.Series("", index=rows.index)).astype(str),
            "location_kode": rows["location_kode"].astype(str),
            "funding_source": rows["funding_source"].astype(str),
            "effect": rows["effect"].astype(str),
            "status": "illustrative",
        }
    )
    years = sorted(
        int(c.rsplit("_", 1)[1]) for c in rows.columns if c.startswith("planned_output_")
    )
    planned = pd.concat(
        [
            pd.DataFrame(
                {
                    "city_kode": city,
                    "code": rows["code"].astype(str),
                    "year": y,
                    "planned_output": rows[f"planned_output_{y}"].astype(float),
                    "planned_cost_idr": rows[f"planned_cost_{y}"].astype(float),
                }
            )
            for y in years
        ],
        ignore_index=True,
    )
    empty = pd.DataFrame()
    return ProgrammeInputs(
        agencies=empty,
        activities=acts.reset_index(drop=True),
        planned=planned,
        realisation=empty,
        meetings=empty,
        action_items=empty,
    )


def demo_programme() -> ProgrammeInputs:
    """The Kota Solok demo programme (``data/kota_solok/programme.csv``)."""
    path = files("sanitasi").joinpath("data/kota_solok/programme.csv")
    with path.open(encoding="utf-8") as fh:
        rows = pd.read_csv(fh, dtype=str, keep_default_na=False)
    return programme_from_rows(rows, "13.72")


# ----------------------------------------------------------------------------- tiny city

#: Kota Uji (made-up code 99.71): kecamatan 01 with kelurahan A and B, kecamatan 02 with C.
CITY = "99.71"
A, B, C = "99.71.01.1001", "99.71.01.1002", "99.71.02.1001"
KEC1, KEC2 = "99.71.01", "99.71.02"

#: Base-year (2024) ladder: households and aman, layak_sendiri, layak_bersama, belum_layak,
#: babs_tertutup, babs_terbuka; SPALD-T households; waste generated, pengurangan,
#: penanganan (t/day; unmanaged A 0.5, B 0.5, C 1.0).
TINY: dict[str, dict[str, object]] = {
    A: dict(nama="Ayu", hh=1000, ladder=(50, 700, 100, 100, 50, 0), spald=0, waste=(2, 0.3, 1.2)),
    B: dict(
        nama="Bima", hh=1000, ladder=(100, 400, 50, 350, 50, 50), spald=50, waste=(2, 0.2, 1.3)
    ),
    C: dict(
        nama="Candi", hh=2000, ladder=(100, 900, 192, 600, 208, 0), spald=0, waste=(4, 0.4, 2.6)
    ),
}

#: LOCAL sasaran of Kota Uji for 2026 (held flat after it).
TINY_TARGETS = {
    "pct_layak": 80.0,
    "pct_aman": 30.0,
    "pct_babs_terbuka": 0.0,
    "pct_waste_pengurangan": 20.0,
    "pct_waste_penanganan": 75.0,
    "pct_waste_managed": 95.0,
}


def tiny_inputs(reference: PlanInputs) -> tuple[PlanInputs, PlanOptions]:
    """A 3-kelurahan city with constant households (growth 0) and the demo's reference
    tables (unit costs, need items, funding shares, parameters). Base 2024, horizon 2027,
    only the LOCAL target set. TPA: 1 year left at 20 t/day inflow (capacity 7,300 t), the
    city landfills 4 t/day of its 5.1 t/day penanganan."""
    regions = [
        ("99", "Provinsi Uji", "provinsi", ""),
        (CITY, "Kota Uji", "kabkota", "99"),
        (KEC1, "Kecamatan Satu", "kecamatan", CITY),
        (KEC2, "Kecamatan Dua", "kecamatan", CITY),
    ] + [(k, str(v["nama"]), "kelurahan", k[:8]) for k, v in TINY.items()]
    reg = pd.DataFrame(regions, columns=["kode", "nama", "tingkat", "parent_kode"])
    reg["urban"] = True
    reg["spald_t_zone"] = ""
    reg["area_km2"] = np.nan
    obs: list[tuple[str, int, str, float]] = []
    for k, v in TINY.items():
        hh = float(v["hh"])  # type: ignore[arg-type]
        obs += [(k, 2024, "households", hh), (k, 2024, "population", 4 * hh)]
        obs += [(k, 2024, f"hh_{r}", float(x)) for r, x in zip(RUNGS, v["ladder"], strict=True)]  # type: ignore[call-overload]
        obs.append((k, 2024, "hh_spald_t", float(v["spald"])))  # type: ignore[arg-type]
        g, p, h = v["waste"]  # type: ignore[misc]
        obs += [
            (k, 2024, "waste_generated_tpd", g),
            (k, 2024, "waste_pengurangan_tpd", p),
            (k, 2024, "waste_penanganan_tpd", h),
        ]
    obs += [
        (CITY, 2024, "tpa_remaining_life_years", 1.0),
        (CITY, 2024, "tpa_inflow_tpd", 20.0),
        (CITY, 2024, "waste_landfilled_tpd", 4.0),
    ]
    o = pd.DataFrame(obs, columns=["kode", "year", "indicator", "value"])
    o["status"] = "illustrative"
    targets = pd.DataFrame(
        [
            ("LOCAL", ind, 2026, "target", v, "illustrative", CITY)
            for ind, v in TINY_TARGETS.items()
        ],
        columns=["target_set", "indicator", "year", "kind", "value", "status", "scope_kode"],
    )
    fac = pd.DataFrame(
        [
            ("IPLT-1", "IPLT", CITY, 5.0, "m3/day", "illustrative"),
            ("TT-1", "truk_tinja", CITY, 4.0, "m3", "illustrative"),
            ("TS-1", "truk_sampah", CITY, 6.0, "m3", "illustrative"),
        ],
        columns=["id", "type", "kode", "capacity", "capacity_unit", "status"],
    )
    inputs = PlanInputs(
        regions=reg,
        observations=o,
        targets=targets,
        facilities=fac,
        unit_costs=reference.unit_costs,
        need_items=reference.need_items,
        funding_shares=reference.funding_shares,
        parameters=reference.parameters.with_overrides({"population_growth_rate": 0.0}),
    )
    return inputs, PlanOptions(base_year=2024, horizon=2027, target_sets=("LOCAL",))


#: The tiny programme: code, sector, location, funding source, effect, {year: (output, cost)}.
TINY_PROGRAMME: list[tuple[str, str, str, str, str, dict[int, tuple[float, float]]]] = [
    ("K1", "ald", B, "APBN", "hh:belum_layak->aman@spald_t:50", {2025: (1, 500e6)}),
    (
        "K2",
        "ald",
        C,
        "APBD_KOTA",
        "hh:babs_tertutup->layak_sendiri:1",
        {2025: (100, 600e6), 2026: (180, 1080e6)},
    ),
    ("K3", "ald", B, "APBD_KOTA", "hh:babs_terbuka->layak_bersama:1", {2025: (20, 100e6)}),
    (
        "W2",
        "persampahan",
        A,
        "APBD_KOTA",
        "tpd:unmanaged->penanganan:2.5;cap:truk_sampah:1",
        {2026: (1, 700e6)},
    ),
    ("L1", "persampahan", KEC2, "APBD_PROV", "cap:tpa_m3:1", {2025: (23000, 3450e6)}),
    (
        "C1",
        "ald",
        CITY,
        "DAK",
        "hh:belum_layak->aman@l2t2:1",
        {2025: (200, 1200e6), 2026: (100, 600e6)},
    ),
    ("C2", "ald", CITY, "APBD_KOTA", "hh:layak_sendiri->aman@l2t2:1", {2025: (210, 52.5e6)}),
    ("D1", "ald", CITY, "APBD_KOTA", "cap:truk_tinja:1", {2025: (1, 650e6)}),
    ("D2", "ald", CITY, "DAK", "cap:iplt_m3_per_day:1", {2026: (5, 1000e6)}),
    ("N1", "ald", CITY, "APBD_KOTA", "none", {2025: (1, 50e6), 2026: (1, 50e6)}),
    (
        "W1",
        "persampahan",
        CITY,
        "APBN",
        "tpd:unmanaged->pengurangan:0.2;tpd:unmanaged->penanganan:0.3",
        {2025: (2, 1500e6)},
    ),
]


def tiny_programme(
    items: list[tuple[str, str, str, str, str, dict[int, tuple[float, float]]]] | None = None,
) -> ProgrammeInputs:
    rows = []
    for code, sector, loc, src, effect, plan in items if items is not None else TINY_PROGRAMME:
        row: dict[str, object] = dict(
            code=code, sector=sector, location_kode=loc, funding_source=src, effect=effect
        )
        for y in YEARS:
            out, cost = plan.get(y, (0.0, 0.0))
            row[f"planned_output_{y}"] = out
            row[f"planned_cost_{y}"] = cost
        rows.append(row)
    return programme_from_rows(pd.DataFrame(rows), CITY)
