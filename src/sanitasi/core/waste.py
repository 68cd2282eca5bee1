"""Solid waste (persampahan): waste balance, needs, trucks and the year the TPA is full.

Units: t/day (``_tpd``), kg/person/day, m3, tonnes. Source: DESIGN.md section 4 "Solid-waste
needs"; SNI S-04-1993-03 generation rates; Perpres 97/2017 (pengurangan/penanganan);
Permen PU 03/PRT/M/2013 (collection vehicles: ``N = V / (trips x V_body)``).

Waste balance: ``generated = pengurangan + penanganan + unmanaged`` (t/day);
managed (terkelola) = pengurangan + penanganan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def generation(
    population: np.ndarray, rate_kg: np.ndarray, growth: float, years: np.ndarray, base_year: int
) -> np.ndarray:
    """Generated t/day = population x rate x (1 + g)^(t - b) / 1000.

    ``rate_kg`` (n,) kg/person/day; ``growth`` = ``waste_generation_growth_per_year``.
    """
    f = (1.0 + growth) ** (np.asarray(years, dtype=float) - base_year)
    return population * rate_kg[:, None] * f[None, :] / 1000.0


@dataclass(frozen=True)
class WasteAreas:
    generated: np.ndarray
    bau_pengurangan: np.ndarray
    bau_penanganan: np.ndarray
    plan_pengurangan: np.ndarray
    plan_penanganan: np.ndarray
    added_pengurangan: np.ndarray  # plan - BAU pengurangan (>= 0)
    residue: np.ndarray  # TPS3R residue sent to penanganan


def waste_areas(
    generated: np.ndarray,
    share_pengurangan: np.ndarray,
    share_penanganan: np.ndarray,
    traj_pengurangan: np.ndarray,
    traj_penanganan: np.ndarray,
    recovery_fraction: float,
) -> WasteAreas:
    """Per-area BAU and required waste balance (t/day).

    BAU keeps the base-year shares (fractions (n,) or share paths (n, T) for the ``trend``
    BAU; NaN = no data -> 0 t/day and no need).
    Required pengurangan = max(BAU, traj x G); required penanganan = max(BAU, traj x G).
    Added pengurangan goes through TPS3R, whose residue ``added x (1 - r)/r`` (r =
    ``tps3r_recovery_fraction``) is collected: plan penanganan = max(required, BAU +
    residue). Penanganan never exceeds ``G - pengurangan``.
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
    residue = added * (1.0 - recovery_fraction) / recovery_fraction
    req_h = np.maximum(bau_h, np.nan_to_num(traj_penanganan * G, nan=0.0))
    plan_h = np.maximum(req_h, bau_h + residue)
    plan_h = np.minimum(plan_h, np.maximum(G - req_p, 0.0))
    plan_h = np.maximum(plan_h, np.minimum(bau_h, G - req_p))
    return WasteAreas(
        generated=G,
        bau_pengurangan=bau_p,
        bau_penanganan=bau_h,
        plan_pengurangan=req_p,
        plan_penanganan=plan_h,
        added_pengurangan=added,
        residue=residue,
    )


def tps3r_units(
    added_pengurangan_city: np.ndarray, input_tpd: float, recovery: float
) -> np.ndarray:
    """Cumulative TPS3R units per city: ceil(added pengurangan / (input x recovery)), held at
    its running maximum (a unit once built stays). Units: units; t/day."""
    u = np.ceil(added_pengurangan_city / (input_tpd * recovery) - 1e-9).clip(min=0.0)
    return np.maximum.accumulate(u, axis=1)


def collection_trucks(
    penanganan_tpd: np.ndarray,
    density_kg_m3: np.ndarray,
    collection_days: float,
    body_m3: float,
    trips: float,
    availability: float,
) -> np.ndarray:
    """Collection trucks needed per city and year.

    collected m3 per collection day = penanganan t/day x 365 / collection_days_per_year x
    1000 / density; trucks = ceil(m3 / (body volume x trips/day x availability)).
    """
    m3 = penanganan_tpd * 365.0 / collection_days * 1000.0 / density_kg_m3[:, None]
    return np.ceil(m3 / (body_m3 * trips * availability) - 1e-9)


@dataclass(frozen=True)
class Tpa:
    capacity_t: np.ndarray  # (C,) tonnes at the reference year (NaN = no TPA data)
    consumed_t: np.ndarray  # (C, T) cumulative tonnes consumed since the reference year
    remaining_t: np.ndarray  # (C, T) >= 0
    full_year: np.ndarray  # (C,) first year cumulative consumption exceeds capacity, NaN if never
    landfill_volume_m3: np.ndarray  # (C, T) new cell volume needed for the city's tonnage


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
    the reference)``; years between the reference and the base year consume ``365 x I0``.
    Full in the first year cumulative consumption exceeds capacity. Volume needed =
    the city's landfilled tonnes beyond capacity / ``landfill_compacted_density_kg_per_m3`` x
    (1 + ``landfill_cover_soil_fraction``) (m3).
    """
    yrs = np.asarray(years, dtype=float)
    cap = life_years * inflow_tpd * 365.0
    others = inflow_tpd - landfilled_ref_tpd
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
    city_t = 365.0 * landfilled_tpd * frac
    volume = city_t * 1000.0 / density_kg_m3 * (1.0 + cover_fraction)
    remaining = np.maximum(cap[:, None] - cum, 0.0)
    return Tpa(
        capacity_t=cap,
        consumed_t=cum,
        remaining_t=remaining,
        full_year=full_year,
        landfill_volume_m3=np.nan_to_num(volume),
    )
