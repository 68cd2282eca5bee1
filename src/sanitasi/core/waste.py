"""Solid waste (persampahan): waste balance, routes, TPS3R, trucks and the TPA (docs/METHOD.md §7).

Units: t/day (``_tpd``), kg/person/day, m3, tonnes. Sources: SNI 19-3983-1995 generation
rates; Perpres 97/2017 (pengurangan/penanganan); Petunjuk Teknis TPS 3R (Ditjen Cipta Karya
2017) for the unit of a TPS3R; Permen PU 03/PRT/M/2013 (collection vehicles:
``N = V / (trips x V_body)``).

Waste balance: ``generated = pengurangan + penanganan + unmanaged`` (t/day);
managed (terkelola) = pengurangan + penanganan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

#: Routes of added pengurangan, in the order of their ``pengurangan_route_share_*`` parameters.
ROUTES: tuple[str, ...] = ("tps3r", "bank_sampah", "other")


def generation(
    population: np.ndarray, rate_kg: np.ndarray, growth: float, years: np.ndarray, base_year: int
) -> np.ndarray:
    """Generated t/day = population x rate x (1 + g)^(t - b) / 1000.

    ``rate_kg`` (n,) kg/person/day; ``growth`` = ``waste_generation_growth_per_year``.
    """
    f = (1.0 + growth) ** (np.asarray(years, dtype=float) - base_year)
    return population * rate_kg[:, None] * f[None, :] / 1000.0


def route_shares(shares: Mapping[str, float]) -> dict[str, float]:
    """Shares of the added pengurangan per route (``pengurangan_route_share_<route>``),
    normalised to sum to 1 (all on ``other`` when they sum to 0)."""
    raw = {r: max(float(shares.get(r, 0.0)), 0.0) for r in ROUTES}
    total = sum(raw.values())
    if total <= 0:
        return {r: (1.0 if r == "other" else 0.0) for r in ROUTES}
    return {r: v / total for r, v in raw.items()}


@dataclass(frozen=True)
class WasteAreas:
    generated: np.ndarray
    bau_pengurangan: np.ndarray
    bau_penanganan: np.ndarray
    plan_pengurangan: np.ndarray
    plan_penanganan: np.ndarray
    added_pengurangan: np.ndarray  # plan - BAU pengurangan (>= 0)
    routes: dict[str, np.ndarray]  # route -> t/day of the added pengurangan
    tps3r_input: np.ndarray  # t/day received by the TPS3R route's units
    residue: np.ndarray  # TPS3R residue sent on to penanganan (t/day)
    residue_new: np.ndarray  # the part of the residue that was unmanaged before (t/day)


def waste_areas(
    generated: np.ndarray,
    share_pengurangan: np.ndarray,
    share_penanganan: np.ndarray,
    traj_pengurangan: np.ndarray,
    traj_penanganan: np.ndarray,
    recovery_fraction: float,
    routes: Mapping[str, float] | None = None,
) -> WasteAreas:
    """Per-area BAU and required waste balance (t/day).

    BAU keeps the base-year shares (fractions (n,) or share paths (n, T) for the ``trend``
    BAU; NaN = no data -> 0 t/day and no need). Required pengurangan
    ``P = min(max(BAU_p, traj_p x G), G)``; the added pengurangan ``P - BAU_p`` is split over
    the routes (``routes``: share per route, see :func:`route_shares`; default all TPS3R).
    A TPS3R recovers the fraction ``r`` (``tps3r_recovery_fraction``) of its input, so the
    TPS3R route needs the input ``I = route / r`` and sends the residue ``I (1 - r)`` on to
    penanganan. Only the part of that residue whose waste was unmanaged before counts as
    newly handled: ``residue_new = I (1 - r) u`` with ``u = unmanaged / (G - BAU_p)`` of the
    area (BAU). Required penanganan ``H = max(BAU_h, traj_h x G, BAU_h + residue_new)``,
    never above ``G - P`` (and never below ``min(BAU_h, G - P)``).
    """
    G = generated
    sp = np.nan_to_num(share_pengurangan)
    sh = np.nan_to_num(share_penanganan)
    sp = sp[:, None] if sp.ndim == 1 else sp
    sh = sh[:, None] if sh.ndim == 1 else sh
    bau_p = sp * G
    bau_h = sh * G
    req_p = np.maximum(bau_p, np.nan_to_num(traj_pengurangan * G, nan=0.0))
    req_p = np.minimum(req_p, G)
    added = np.maximum(req_p - bau_p, 0.0)
    share = route_shares(routes if routes is not None else {"tps3r": 1.0})
    by_route = {r: added * s for r, s in share.items()}
    tps_input = by_route["tps3r"] / recovery_fraction
    residue = tps_input * (1.0 - recovery_fraction)
    rest = G - bau_p
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.where(rest > 0, np.maximum(rest - bau_h, 0.0) / rest, 0.0)
    residue_new = residue * u
    req_h = np.maximum(bau_h, np.nan_to_num(traj_penanganan * G, nan=0.0))
    plan_h = np.maximum(req_h, bau_h + residue_new)
    plan_h = np.minimum(plan_h, np.maximum(G - req_p, 0.0))
    plan_h = np.maximum(plan_h, np.minimum(bau_h, G - req_p))
    return WasteAreas(
        generated=G,
        bau_pengurangan=bau_p,
        bau_penanganan=bau_h,
        plan_pengurangan=req_p,
        plan_penanganan=plan_h,
        added_pengurangan=added,
        routes=by_route,
        tps3r_input=tps_input,
        residue=residue,
        residue_new=residue_new,
    )


def units_for(route_tpd_city: np.ndarray, tpd_per_unit: float) -> np.ndarray:
    """Cumulative facility units per city: ``ceil(route t/day / t/day per unit)``, held at its
    running maximum (a unit once built stays). For TPS3R the capacity per unit is its
    recovered output, ``tps3r_input_tpd_per_unit x tps3r_recovery_fraction``."""
    u = np.ceil(route_tpd_city / tpd_per_unit - 1e-9).clip(min=0.0)
    return np.maximum.accumulate(u, axis=1)


def tps3r_units(
    added_pengurangan_city: np.ndarray, input_tpd: float, recovery: float
) -> np.ndarray:
    """Cumulative TPS3R units per city for the TPS3R route's t/day of pengurangan:
    ``ceil(route / (input per unit x recovery))`` (docs/METHOD.md §7.3)."""
    return units_for(added_pengurangan_city, input_tpd * recovery)


def trips_per_day(
    distance_km: np.ndarray,
    max_trips: float,
    hours_per_day: float,
    speed_kmh: float,
    fixed_hours: float,
) -> np.ndarray:
    """Trips a collection truck makes per day: ``clip(floor(hours / (2 d / v + t_fixed)), 1,
    max)`` where the one-way distance ``d`` to the TPA is known, else ``max`` (docs/METHOD.md
    §7.4). Units: km, km/h, h."""
    d = np.asarray(distance_km, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        trips = np.floor(hours_per_day / (2.0 * d / speed_kmh + fixed_hours) + 1e-9)
    trips = np.clip(trips, 1.0, max_trips)
    return np.where(np.isnan(d), max_trips, trips)


def collection_trucks(
    penanganan_tpd: np.ndarray,
    density_kg_m3: np.ndarray,
    collection_days: float,
    body_m3: float,
    trips: np.ndarray | float,
    availability: float,
) -> np.ndarray:
    """Collection trucks needed per city and year from the parameters (no observed fleet).

    collected m3 per collection day = penanganan t/day x 365 / collection_days_per_year x
    1000 / density; trucks = ceil(m3 / (body volume x trips/day x availability)).
    """
    m3 = penanganan_tpd * 365.0 / collection_days * 1000.0 / density_kg_m3[:, None]
    tr = np.asarray(trips, dtype=float)
    tr = tr[:, None] if tr.ndim == 1 else tr
    return np.ceil(m3 / (body_m3 * tr * availability) - 1e-9)


@dataclass(frozen=True)
class Fleet:
    """Collection fleet per city and year (docs/METHOD.md §7.4)."""

    existing: np.ndarray  # (C,) trucks in the fleet
    existing_m3: np.ndarray  # (C,) their body volume
    calibrated: np.ndarray  # (C,) bool: sized on the observed fleet and hauling
    tpd_per_truck: np.ndarray  # (C,) effective t/day one truck carries (base year)
    needed: np.ndarray  # (C, T) trucks needed (existing + to add)
    to_add: np.ndarray  # (C, T) cumulative trucks to add


def fleet(
    penanganan_tpd: np.ndarray,
    hauled_base_tpd: np.ndarray,
    existing: np.ndarray,
    existing_m3: np.ndarray,
    density_kg_m3: np.ndarray,
    collection_days: float,
    body_m3: float,
    trips: np.ndarray,
    availability: float,
) -> Fleet:
    """Collection trucks calibrated to the base year.

    Where the city has a fleet (``existing_m3`` > 0) and hauls waste in the base year
    (``hauled_base_tpd`` > 0, the ``waste_hauled_tpd`` observation or else the base-year
    penanganan), the fleet carries the observed tonnage: the body volume needed in year t is
    ``existing_m3 x H(t) / H(b)`` (``H`` = penanganan) and the trucks to add are
    ``ceil((needed m3 - existing m3) / collection_truck_body_volume_m3)`` held at their
    running maximum -- no base-year backlog. Elsewhere the parameters size the fleet
    (:func:`collection_trucks`). Units: trucks, m3, t/day."""
    H = penanganan_tpd
    h0 = H[:, 0]
    calibrated = (existing_m3 > 0) & (hauled_base_tpd > 0) & (h0 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(calibrated[:, None], H / h0[:, None], 0.0)
        per_truck = np.where(calibrated & (existing > 0), hauled_base_tpd / existing, np.nan)
    need_m3 = existing_m3[:, None] * growth
    add_cal = np.ceil(np.maximum(need_m3 - existing_m3[:, None], 0.0) / body_m3 - 1e-9)
    by_param = collection_trucks(H, density_kg_m3, collection_days, body_m3, trips, availability)
    add_par = np.maximum(by_param - existing[:, None], 0.0)
    to_add = np.where(calibrated[:, None], add_cal, add_par)
    to_add = np.maximum.accumulate(np.nan_to_num(to_add), axis=1)
    return Fleet(
        existing=existing,
        existing_m3=existing_m3,
        calibrated=calibrated,
        tpd_per_truck=per_truck,
        needed=existing[:, None] + to_add,
        to_add=to_add,
    )


@dataclass(frozen=True)
class Tpa:
    capacity_t: np.ndarray  # (C,) tonnes at the reference year (NaN = no TPA data)
    consumed_t: np.ndarray  # (C, T) cumulative tonnes consumed since the reference year
    remaining_t: np.ndarray  # (C, T) >= 0
    full_year: np.ndarray  # (C,) first year cumulative consumption exceeds capacity, NaN if never
    landfill_volume_m3: np.ndarray  # (C, T) new cell volume needed for the city's tonnage
    facility_volume_m3: np.ndarray  # (C, T) new cell volume needed for all users' tonnage
    city_share: np.ndarray  # (C, T) the city's share of the facility's new cell volume


def tpa_full(
    years: np.ndarray,
    landfilled_tpd: np.ndarray,
    life_years: np.ndarray,
    inflow_tpd: np.ndarray,
    ref_year: np.ndarray,
    landfilled_ref_tpd: np.ndarray,
    density_kg_m3: float,
    cover_fraction: float,
) -> Tpa:
    """Year the TPA is full and the landfill volume needed after it (per city).

    Remaining capacity at the reference year = ``L x I0 x 365`` tonnes (``L`` =
    ``tpa_remaining_life_years``, ``I0`` = ``tpa_inflow_tpd`` of all users). Each year from
    the reference year consumes ``365 x (city landfilled t/day + I0 - city landfilled at
    the reference)`` (the other users held at their reference inflow); years between the
    reference and the base year consume ``365 x I0``. Full in the first year cumulative
    consumption exceeds capacity. New cell volume after that = tonnes beyond capacity /
    ``landfill_compacted_density_kg_per_m3`` x (1 + ``landfill_cover_soil_fraction``) (m3),
    for the whole facility (all users) and for the city's own tonnage; ``city_share`` is
    their ratio (docs/METHOD.md §7.5).
    """
    yrs = np.asarray(years, dtype=float)
    cap = life_years * inflow_tpd * 365.0
    others = np.maximum(inflow_tpd - landfilled_ref_tpd, 0.0)
    per_year = 365.0 * (landfilled_tpd + others[:, None])
    active = yrs[None, :] >= ref_year[:, None]
    per_year = np.where(active, per_year, 0.0)
    pre = np.maximum(yrs[0] - ref_year, 0.0) * 365.0 * inflow_tpd
    cum = pre[:, None] + np.cumsum(per_year, axis=1)
    over = cum > cap[:, None] * (1 + 1e-9) + 1e-6
    any_full = over.any(axis=1)
    first = np.argmax(over, axis=1)
    full_year = np.where(any_full, yrs[first], np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.clip((cum - cap[:, None]) / per_year, 0.0, 1.0)
    frac = np.where(over & (per_year > 0), frac, 0.0)
    to_m3 = 1000.0 / density_kg_m3 * (1.0 + cover_fraction)
    city_t = 365.0 * landfilled_tpd * frac
    all_t = per_year * frac
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(all_t > 0, city_t / all_t, np.nan)
    remaining = np.maximum(cap[:, None] - cum, 0.0)
    return Tpa(
        capacity_t=cap,
        consumed_t=cum,
        remaining_t=remaining,
        full_year=full_year,
        landfill_volume_m3=np.nan_to_num(city_t * to_m3),
        facility_volume_m3=np.nan_to_num(all_t * to_m3),
        city_share=share,
    )
