"""Domestic wastewater (air limbah domestik): BAU ladder, stock-flow needs and service.

All arrays are leaf areas x years (n, T) in households unless stated; ``b`` is the base
year (column 0). Source of every rule: docs/METHOD.md §6,
Permen PUPR 04/PRT/M/2017 (SPALD-S/T, desludging at most every 3 years).

Required stocks per area and year::

    L*(t) = max(BAU_layak, traj_layak * H, A*)        # aman is part of layak
    A*(t) = max(BAU_aman,  traj_aman  * H)
    open defecation down to traj_babs_terbuka * H

* Into layak: ``max(L* - BAU_layak, BAU_babs_terbuka - traj_babs * H)`` households, taken
  from the bottom (babs_terbuka, babs_tertutup, belum_layak), each with a new SNI tank.
* Into aman: ``A* - BAU_aman``. In a ``spald_t_zone`` the share
  ``spald_t_share_of_aman_additions_in_zone`` comes through SPALD-T house connections, taken
  from the lowest rungs first (these also count towards layak); the rest, and all of it
  outside zones, through L2T2 enrolment: first the new standard tanks, then existing
  ``layak_sendiri`` tanks (the share ``l2t2_ready_share_of_existing_tanks`` enrols directly,
  the rest needs a ``septic_tank_upgrade``), then ``layak_bersama`` households (a private
  toilet with a new SNI tank first). In rural areas (``urban`` false) an existing
  ``layak_sendiri`` facility may be a pit, which never becomes aman: it gets a new SNI tank.
* Annual needs are year-on-year increases of these cumulative numbers (never negative).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sanitasi.core.model import RUNGS


def _annual(cum: np.ndarray) -> np.ndarray:
    """Year-on-year increase of a cumulative (n, T) array, never negative; 0 in the base year."""
    out = np.empty_like(cum)
    out[:, :1] = 0.0
    step = out[:, 1:]
    np.subtract(cum[:, 1:], cum[:, :-1], out=step)  # np.diff, written in place
    np.maximum(step, 0.0, out=step)
    return out


@dataclass(frozen=True)
class LadderNeeds:
    bau: dict[str, np.ndarray]  # rung -> (n, T) households
    plan: dict[str, np.ndarray]  # rung -> (n, T) households under the trajectory
    bau_spald_t: np.ndarray  # (n, T) households on SPALD-T in BAU
    cumulative: dict[str, np.ndarray]  # need -> (n, T), cumulative from the base year
    annual: dict[str, np.ndarray]  # need -> (n, T), year-on-year increase
    enrolled: np.ndarray  # (n, T) L2T2 enrolled stock E(t)


def bau_ladder(
    households: np.ndarray,
    base_share: dict[str, np.ndarray],
    new_households: str,
    share_paths: dict[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Business-as-usual rung stocks: base-year shares x H(t) (``new_households_ladder`` =
    ``baseline``), or base stocks with every new household on ``layak_sendiri``
    (``layak_sendiri``; where H falls, shares are used). With ``share_paths`` (rung ->
    (n, T) shares summing to 1, the ``trend`` BAU) the stocks are ``share(t) x H(t)``.
    Units: households."""
    if share_paths is not None:
        return {r: np.nan_to_num(share_paths[r]) * households for r in RUNGS}
    shares = {r: np.nan_to_num(base_share[r])[:, None] for r in RUNGS}
    if new_households == "baseline":
        return {r: shares[r] * households for r in RUNGS}
    if new_households != "layak_sendiri":
        raise ValueError(
            f"new_households_ladder must be baseline or layak_sendiri, not {new_households!r}"
        )
    h0 = households[:, :1]
    growth = households - h0
    falling = growth < 0
    out = {}
    for r in RUNGS:
        v = np.add(np.broadcast_to(shares[r] * h0, households.shape), 0.0)  # base stock
        if r == "layak_sendiri":
            v += np.maximum(growth, 0.0)
        np.multiply(shares[r], households, out=v, where=falling)  # where H falls: shares
        out[r] = v
    return out


#: Rows per block in :func:`stock_flow`: blocks of areas keep temporaries in cache and reuse
#: the allocator's memory (3-7x faster on the national run); results are identical.
BLOCK_ROWS = 2048


def stock_flow(
    households: np.ndarray,
    bau: dict[str, np.ndarray],
    bau_spald_t: np.ndarray,
    traj_layak: np.ndarray,
    traj_aman: np.ndarray,
    traj_babs: np.ndarray,
    urban: np.ndarray,
    in_zone: np.ndarray,
    spald_t_share: float,
    ready_share: float,
) -> LadderNeeds:
    """Stock-flow wastewater needs (see module docstring), computed in blocks of areas.

    Trajectories are fractions (n, T); NaN means no target (BAU is kept). Returns BAU and
    plan stocks and the needs. Each block is fully vectorised over its areas and years."""
    n = households.shape[0]
    plan: dict[str, np.ndarray] = {}
    cumulative: dict[str, np.ndarray] = {}
    annual: dict[str, np.ndarray] = {}
    enrolled = np.empty_like(households)
    for i in range(0, n, BLOCK_ROWS):
        sl = slice(i, i + BLOCK_ROWS)
        part = _stock_flow(
            households[sl],
            {k: v[sl] for k, v in bau.items()},
            bau_spald_t[sl],
            traj_layak[sl],
            traj_aman[sl],
            traj_babs[sl],
            urban[sl],
            in_zone[sl],
            spald_t_share,
            ready_share,
        )
        for dest, src in ((plan, part.plan), (cumulative, part.cumulative), (annual, part.annual)):
            for k, v in src.items():
                dest.setdefault(k, np.empty_like(households))[sl] = v
        enrolled[sl] = part.enrolled
    return LadderNeeds(
        bau=bau,
        plan=plan,
        bau_spald_t=bau_spald_t,
        cumulative=cumulative,
        annual=annual,
        enrolled=enrolled,
    )


def _stock_flow(
    households: np.ndarray,
    bau: dict[str, np.ndarray],
    bau_spald_t: np.ndarray,
    traj_layak: np.ndarray,
    traj_aman: np.ndarray,
    traj_babs: np.ndarray,
    urban: np.ndarray,
    in_zone: np.ndarray,
    spald_t_share: float,
    ready_share: float,
) -> LadderNeeds:
    """One block of :func:`stock_flow`."""
    H = households
    lay = bau["aman"] + bau["layak_sendiri"] + bau["layak_bersama"]
    a_star = np.maximum(bau["aman"], np.nan_to_num(traj_aman * H, nan=0.0))
    a_star = np.minimum(a_star, H)
    l_star = np.maximum(np.maximum(lay, np.nan_to_num(traj_layak * H, nan=0.0)), a_star)
    l_star = np.minimum(l_star, H)
    babs_cap = np.where(np.isnan(traj_babs), np.inf, traj_babs * H)
    babs_excess = np.maximum(bau["babs_terbuka"] - babs_cap, 0.0)
    non_layak = bau["babs_terbuka"] + bau["babs_tertutup"] + bau["belum_layak"]

    d_layak = np.minimum(np.maximum(l_star - lay, babs_excess), non_layak)
    d_aman = np.maximum(a_star - bau["aman"], 0.0)

    # SPALD-T connections in zones, from the lowest rungs first.
    conn = np.where(in_zone[:, None], spald_t_share * d_aman, 0.0)
    conn_nl = np.minimum(conn, non_layak)
    rest = conn - conn_nl
    conn_lb = np.minimum(rest, bau["layak_bersama"])
    conn_ls = np.minimum(rest - conn_lb, bau["layak_sendiri"])

    new_tanks_layak = np.maximum(d_layak - conn_nl, 0.0)
    moved = conn_nl + new_tanks_layak  # households leaving the non-layak rungs
    take_terbuka = np.minimum(moved, bau["babs_terbuka"])
    take_tertutup = np.minimum(moved - take_terbuka, bau["babs_tertutup"])
    take_belum = np.minimum(moved - take_terbuka - take_tertutup, bau["belum_layak"])

    # L2T2 enrolment: new tanks, then existing layak_sendiri, then layak_bersama.
    enrol = np.maximum(d_aman - conn, 0.0)
    from_new = np.minimum(enrol, new_tanks_layak)
    r1 = enrol - from_new
    pool_ls = bau["layak_sendiri"] - conn_ls
    from_ls = np.minimum(r1, pool_ls)
    r2 = r1 - from_ls
    pool_lb = bau["layak_bersama"] - conn_lb
    from_lb = np.minimum(r2, pool_lb)

    rural = ~urban[:, None]
    upgrade = np.where(rural, 0.0, (1.0 - ready_share) * from_ls)
    new_tanks = new_tanks_layak + from_lb + np.where(rural, from_ls, 0.0)
    enrolled_total = from_new + from_ls + from_lb

    plan = {
        "aman": bau["aman"] + conn + enrolled_total,
        "layak_sendiri": bau["layak_sendiri"] - conn_ls - from_ls + (new_tanks_layak - from_new),
        "layak_bersama": bau["layak_bersama"] - conn_lb - from_lb,
        "belum_layak": bau["belum_layak"] - take_belum,
        "babs_tertutup": bau["babs_tertutup"] - take_tertutup,
        "babs_terbuka": bau["babs_terbuka"] - take_terbuka,
    }
    cumulative = {
        "into_layak_hh": moved,
        "into_aman_hh": conn + enrolled_total,
        "new_septic_tank": new_tanks,
        "septic_tank_upgrade": upgrade,
        "l2t2_enrolment": enrolled_total,
        "spald_t_connection": conn,
    }
    annual = {k: _annual(v) for k, v in cumulative.items()}
    onsite_aman = np.maximum(bau["aman"] - bau_spald_t, 0.0)
    return LadderNeeds(
        bau=bau,
        plan=plan,
        bau_spald_t=bau_spald_t,
        cumulative=cumulative,
        annual=annual,
        enrolled=onsite_aman + enrolled_total,
    )


@dataclass(frozen=True)
class Service:
    """City-level desludging service and capacity (cities x years)."""

    enrolled_hh: np.ndarray
    desludgings: np.ndarray
    septage_m3_per_year: np.ndarray
    iplt_load_m3_per_day: np.ndarray
    iplt_capacity_m3_per_day: np.ndarray
    iplt_utilisation_pct: np.ndarray
    iplt_capacity_to_add_m3_per_day: np.ndarray  # cumulative, rounded up to whole m3/day
    vacuum_trucks_needed: np.ndarray
    vacuum_trucks_existing: np.ndarray
    vacuum_trucks_to_add: np.ndarray  # cumulative
    desludgings_per_truck_year: np.ndarray  # (C,) capacity of one truck (observed or parameters)
    trucks_calibrated: np.ndarray  # (C,) bool: from the base year's observed desludgings


def cohort_desludgings(enrolled: np.ndarray, interval_years: float) -> np.ndarray:
    """Desludgings per year on an exact cohort schedule (docs/METHOD.md §6.3).

    Each enrolment is emptied in the year it enrols and every ``interval`` years after:
    ``d(t) = E(b) / I + sum_k new(t - k I)`` (``k = 0, 1, ...``, ``t - k I > b``) with
    ``new(t) = max(E(t) - E(t-1), 0)``; the base-year stock ``E(b)`` is spread evenly over
    the interval (``E(b) / I`` a year, the base year included). ``I`` =
    ``desludging_interval_years`` rounded to whole years (at least 1). Units: households,
    desludgings/year. Vectorised over rows; the loop runs over the few multiples of ``I``."""
    E = np.asarray(enrolled, dtype=float)
    interval = max(int(round(interval_years)), 1)
    d = np.repeat(E[:, :1] / interval, E.shape[1], axis=1)
    if E.shape[1] > 1:
        new = np.zeros_like(E)
        new[:, 1:] = np.maximum(np.diff(E, axis=1), 0.0)
        for lag in range(0, E.shape[1], interval):
            d[:, lag:] += new[:, : E.shape[1] - lag]
    return d


def service(
    enrolled: np.ndarray,
    interval_years: float,
    volume_per_desludging_m3: float,
    receiving_days: float,
    iplt_capacity: np.ndarray,
    trips_per_day: float,
    working_days: float,
    availability: float,
    trucks_existing: np.ndarray,
    observed_desludgings: np.ndarray | None = None,
) -> Service:
    """Scheduled desludging (L2T2) service for each city (rows) and year (columns).

    ``desludgings`` on the exact cohort schedule (:func:`cohort_desludgings`);
    ``septage m3/year = desludgings x volume_per_desludging_m3``; IPLT design load
    ``m3/day = septage / iplt_receiving_days_per_year``, utilisation = load / existing
    capacity (%), capacity to add = ceil(max(0, load - capacity)) held at its running
    maximum. Vacuum trucks = ceil(desludgings / desludgings per truck-year), where one truck
    does the base year's observed desludgings per truck (``observed_desludgings`` / existing
    trucks, when both are given and positive) or else ``truk_tinja_trips_per_day x
    desludging_working_days_per_year x truck_availability``; trucks to add = max(0, needed -
    existing) held at its running maximum. Units: households, desludgings/year, m3, m3/day,
    trucks. Sources: Permen PUPR 04/PRT/M/2017 (desludging at most every 3 years);
    docs/METHOD.md §6.3-6.5.
    """
    E = enrolled
    d = cohort_desludgings(E, interval_years)
    septage = d * volume_per_desludging_m3
    load = septage / receiving_days
    cap = iplt_capacity[:, None] * np.ones_like(load)
    with np.errstate(divide="ignore", invalid="ignore"):
        util = np.where(cap > 0, 100.0 * load / cap, np.nan)
    to_add = np.maximum.accumulate(np.ceil(np.maximum(load - cap, 0.0) - 1e-9), axis=1)
    by_param = trips_per_day * working_days * availability
    obs = (
        np.full(len(trucks_existing), np.nan)
        if observed_desludgings is None
        else np.asarray(observed_desludgings, dtype=float)
    )
    calibrated = (trucks_existing > 0) & (np.nan_to_num(obs) > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_truck = np.where(calibrated, obs / trucks_existing, by_param)
    trucks = np.ceil(d / per_truck[:, None] - 1e-9)
    existing = trucks_existing[:, None] * np.ones_like(trucks)
    trucks_add = np.maximum.accumulate(np.maximum(trucks - existing, 0.0), axis=1)
    return Service(
        enrolled_hh=E,
        desludgings=d,
        septage_m3_per_year=septage,
        iplt_load_m3_per_day=load,
        iplt_capacity_m3_per_day=cap,
        iplt_utilisation_pct=util,
        iplt_capacity_to_add_m3_per_day=np.maximum(to_add, 0.0),
        vacuum_trucks_needed=trucks,
        vacuum_trucks_existing=existing,
        vacuum_trucks_to_add=trucks_add,
        desludgings_per_truck_year=per_truck,
        trucks_calibrated=calibrated,
    )


def spald_t_capacity(
    conn_cum_by_zone: np.ndarray,
    years: np.ndarray,
    period_end: int,
    modular: bool,
    module_connections: float,
) -> np.ndarray:
    """Installed treatment capacity (house connections) per (city, zone) row and year.

    One treatment plant per zone, built in the year its first connections come and sized to
    the zone's connections at the end of the SSK period (at the horizon when the first
    connections come after the period); connections beyond it are added in the year they
    come. With ``modular``, capacity is added in modules of ``module_connections``
    (``spald_t_connections_per_plant``) as the connections need them. Held at its running
    maximum. Units: connections (docs/METHOD.md §6.2)."""
    conn = np.maximum(np.asarray(conn_cum_by_zone, dtype=float), 0.0)
    if conn.size == 0:
        return conn
    if modular:
        cap = np.ceil(conn / module_connections - 1e-9) * module_connections
        return np.maximum.accumulate(np.maximum(cap, 0.0), axis=1)
    yrs = np.asarray(years)
    started = conn > 1e-9
    any_start = started.any(axis=1)
    first = np.argmax(started, axis=1)
    j_end = int(np.searchsorted(yrs, min(period_end, int(yrs[-1]))))
    design = np.where(first <= j_end, conn[:, j_end], conn[:, -1])
    on = np.arange(conn.shape[1])[None, :] >= first[:, None]
    cap = np.where(on & any_start[:, None], np.maximum(design[:, None], conn), 0.0)
    return np.maximum.accumulate(cap, axis=1)
