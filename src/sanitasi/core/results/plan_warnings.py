"""The plan's warnings (targets missed or absent, cliffs, TPA full; ``docs/METHOD.md``
Appendix B)."""

from __future__ import annotations

import numpy as np

from sanitasi.core import targets as tg
from sanitasi.core.model import (
    INDICATORS,
    PlanInputs,
    Warning_,
)
from sanitasi.core.plan import HEADLINE, NEEDS_INDICATORS, PlanArrays


def _fmt(x: float, digits: int = 1) -> str:
    """A number for an Indonesian message (1.234,5)."""
    s = f"{x:,.{digits}f}"
    return s.replace(",", "_").replace(".", ",").replace("_", ".")


def _tpa_full_warning(a: PlanArrays, ci: int, ck: str, fy: int) -> Warning_:
    """SAN-W001: the TPA is full; for a TPA the city does not own, a decision for its owner
    with the facility's whole cell need over the SSK period and the city's share."""
    if not a.notes["tpa_regional"][ci]:
        return Warning_(
            "SAN-W001",
            f"TPA penuh pada tahun {fy}: perlu sel/TPA baru.",
            f"The TPA is full in {fy}: a new cell or landfill is needed.",
            ck,
            fy,
        )
    p0, p1 = a.options.period
    yrs = np.asarray(a.years)
    per = (yrs >= p0) & (yrs <= p1)
    total = float(a.tpa.facility_volume_m3[ci, per].sum())
    city = float(a.tpa.landfill_volume_m3[ci, per].sum())
    share = 100.0 * city / total if total > 0 else float("nan")
    return Warning_(
        "SAN-W001",
        f"TPA bersama (bukan milik kota) penuh pada tahun {fy}: keputusan pemiliknya. "
        f"Sel baru {p0}-{p1} untuk seluruh pengguna {_fmt(total, 0)} m³, bagian kota "
        f"{_fmt(city, 0)} m³ ({_fmt(share)} %); kota membayar tipping fee per ton.",
        f"The shared TPA (not the city's own) is full in {fy}: a decision for its owner. "
        f"New cells {p0}-{p1} for all users {total:,.0f} m³, the city's share {city:,.0f} m³ "
        f"({share:.1f} %); the city pays a tipping fee per tonne.",
        ck,
        fy,
    )


def _target_warnings(inputs: PlanInputs, a: PlanArrays) -> list[Warning_]:
    """SAN-W007 no target at all for an indicator with needs behind it, SAN-W008 a cliff year,
    SAN-W009 a LOCAL sasaran below a selected national target (docs/METHOD.md §4.6)."""
    P = inputs.parameters
    out: list[Warning_] = []
    for ind in NEEDS_INDICATORS:
        name_id, name_en = INDICATORS[ind]["name_id"], INDICATORS[ind]["name_en"]
        for ci, pts in enumerate(a.traj_points[ind]):
            if len(pts.years) == 0:
                out.append(
                    Warning_(
                        "SAN-W007",
                        f"Tidak ada target untuk {name_id} ({ind}) di set yang dipilih: "
                        "kebutuhannya nol. Tambahkan sasaran daerah atau pilih set nasional.",
                        f"No target for {name_en} ({ind}) in the selected sets: its needs are "
                        "zero. Add a local sasaran or select a national set.",
                        str(a.city_kode[ci]),
                    )
                )
    for ind in HEADLINE:
        name_id, name_en = INDICATORS[ind]["name_id"], INDICATORS[ind]["name_en"]
        for cl in tg.cliffs(
            a.city_paths[ind],
            a.years,
            a.options.period,
            a.options.base_year,
            tg.lower_is_better(ind),
            P.reader("trajectories.cliff").num("trajectory_cliff_factor"),
            P.reader("trajectories.cliff").num("trajectory_cliff_min_pts"),
        ):
            j = int(np.searchsorted(a.years, cl.year))
            bind = a.binding[ind][cl.city][j]
            out.append(
                Warning_(
                    "SAN-W008",
                    f"Lonjakan lintasan {name_id} pada {cl.year}: naik {_fmt(cl.increase_pts)} "
                    f"poin dalam satu tahun, lebih dari {_fmt(P.reader('trajectories.cliff').num('trajectory_cliff_factor'), 0)}"
                    f" x rata-rata periode SSK ({_fmt(cl.mean_pts, 2)} poin/tahun); "
                    f"mengikat: {bind}.",
                    f"Cliff in the {name_en} trajectory in {cl.year}: up "
                    f"{cl.increase_pts:.1f} points in one year, more than "
                    f"{P.reader('trajectories.cliff').num('trajectory_cliff_factor'):g} x the SSK period's mean "
                    f"({cl.mean_pts:.2f} points/year); binding: {bind}.",
                    str(a.city_kode[cl.city]),
                    cl.year,
                )
            )
    low = tg.local_below_national(inputs.targets, a.target_sets, [str(k) for k in a.city_kode])
    for r in low.to_dict("records"):
        ind = str(r["indicator"])
        info = INDICATORS.get(ind, {"name_id": ind, "name_en": ind})
        year, loc, nat, ts = (
            int(r["year"]),
            float(r["local_pct"]),
            float(r["national_pct"]),
            r["target_set"],
        )
        out.append(
            Warning_(
                "SAN-W009",
                f"Sasaran daerah {info['name_id']} {year} ({_fmt(loc)} %) di bawah target "
                f"nasional {ts} ({_fmt(nat)} %).",
                f"The local sasaran for {info['name_en']} in {year} ({loc:.1f} %) is below "
                f"the national target {ts} ({nat:.1f} %).",
                str(r["kode"]),
                year,
            )
        )
    return out


def warnings(inputs: PlanInputs, a: PlanArrays) -> list[Warning_]:
    """Engine warnings with stable codes."""
    out: list[Warning_] = _target_warnings(inputs, a)
    for ci, ck in enumerate(a.city_kode):
        fy = a.tpa.full_year[ci]
        if not np.isnan(fy):
            out.append(_tpa_full_warning(a, ci, str(ck), int(fy)))
        util = a.service.iplt_utilisation_pct[ci]
        over = np.nonzero(util > 100)[0]
        if len(over):
            y = int(a.years[over[0]])
            out.append(
                Warning_(
                    "SAN-W002",
                    f"Beban IPLT melebihi kapasitas mulai {y}.",
                    f"IPLT load exceeds capacity from {y}.",
                    str(ck),
                    y,
                )
            )
        if a.service.iplt_capacity_m3_per_day[ci, 0] == 0:
            out.append(
                Warning_(
                    "SAN-W003",
                    "Tidak ada IPLT tercatat: seluruh beban lumpur tinja butuh kapasitas baru.",
                    "No IPLT recorded: all septage load needs new capacity.",
                    str(ck),
                )
            )
    no_ladder = ~a.notes["has_ladder"]
    if no_ladder.any():
        n = int(no_ladder.sum())
        out.append(
            Warning_(
                "SAN-W004",
                f"{n} wilayah tanpa data tangga sanitasi (tidak dihitung kebutuhannya).",
                f"{n} areas have no sanitation ladder data (no needs computed).",
                "",
            )
        )
    unmeasured = ~a.notes["rate_measured"]
    if unmeasured.any():
        out.append(
            Warning_(
                "SAN-W005",
                "Timbulan sampah memakai laju SNI (tidak ada pengukuran kota).",
                "Waste generation uses the SNI class rate (no city measurement).",
                "",
            )
        )
    nodata = [
        i
        for i in ("pct_waste_pengurangan", "pct_waste_penanganan")
        if np.isnan(a.base_share["waste_" + i[10:]]).all()
    ]
    if nodata:
        out.append(
            Warning_(
                "SAN-W006",
                "Tidak ada data neraca sampah tahun dasar: kebutuhan persampahan tidak dihitung.",
                "No base-year waste balance: solid-waste needs are not computed.",
                "",
            )
        )
    for p in inputs.parameters.overrides:
        out.append(
            Warning_(
                "SAN-W010",
                f"Parameter {p.name} diubah: {p.default} -> {p.value} ({p.source}).",
                f"Parameter {p.name} overridden: {p.default} -> {p.value} ({p.source}).",
                "",
            )
        )
    return out
