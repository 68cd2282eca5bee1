"""The planning engine: baseline -> projection -> trajectories -> gap -> needs -> costs.

``compute(inputs, options)`` runs every formula over leaf areas x years as numpy arrays
(:class:`PlanArrays`), ``run_plan`` adds the labelled result tables (:class:`PlanResult`).
The same code runs one city of 13 kelurahan and the country of 83,762 desa: there is no
Python loop over areas (only over cities that carry their own LOCAL sasaran, and over
the handful of indicators and target sets).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sanitasi.core import costs as costs_mod
from sanitasi.core import population as pop_mod
from sanitasi.core import targets as tg
from sanitasi.core import trend as trend_mod
from sanitasi.core import waste as waste_mod
from sanitasi.core import wastewater as ww
from sanitasi.core.model import (
    INDICATORS,
    LEAF_LEVELS,
    RUNGS,
    PlanInputs,
    PlanOptions,
)
from sanitasi.core.tree import Tree, build_tree, is_kota, ratio_pct

ALD_INDICATORS = ("pct_layak", "pct_aman", "pct_babs_terbuka")
WASTE_INDICATORS = ("pct_waste_pengurangan", "pct_waste_penanganan", "pct_waste_managed")
HEADLINE = ALD_INDICATORS + WASTE_INDICATORS


@dataclass(frozen=True)
class PlanArrays:
    """Every computed quantity as arrays: leaves (n, T) and cities (C, T)."""

    options: PlanOptions
    years: np.ndarray
    tree: Tree
    leaf_nama: np.ndarray
    city_kode: np.ndarray
    target_sets: tuple[str, ...]
    pop: pop_mod.Population
    ladder: ww.LadderNeeds
    service: ww.Service
    spald_t_plants_cum: np.ndarray  # (C, T)
    waste: waste_mod.WasteAreas
    waste_city: dict[str, np.ndarray]
    tpa: waste_mod.Tpa
    traj_points: dict[str, list[tg.Points]]  # indicator -> per city
    leaf_paths: dict[str, np.ndarray]  # indicator -> (n, T) fraction
    city_paths: dict[str, np.ndarray]  # indicator -> (C, T) fraction
    base_share: dict[str, np.ndarray]  # rung / waste share -> (n,)
    quantities: dict[str, np.ndarray]  # need -> (C, T) annual
    costs: pd.DataFrame
    funding: pd.DataFrame
    notes: dict[str, Any] = field(default_factory=dict)


# ----------------------------------------------------------------------------- baseline


def _wide(obs: pd.DataFrame, year: int, kodes: np.ndarray, indicators: list[str]) -> pd.DataFrame:
    """Observations of ``year`` as a (kodes x indicators) frame, NaN where absent.

    Vectorised scatter into a matrix (validated inputs hold one row per kode/year/indicator)."""
    o = obs[(obs["year"] == year) & obs["indicator"].isin(indicators)]
    ki = pd.Index(kodes).get_indexer(pd.Index(o["kode"].astype(str)))
    ii = pd.Index(indicators).get_indexer(pd.Index(o["indicator"]))
    keep = ki >= 0
    m = np.full((len(kodes), len(indicators)), np.nan)
    m[ki[keep], ii[keep]] = o["value"].to_numpy(dtype=float)[keep]
    return pd.DataFrame(m, index=pd.Index(kodes, name="kode"), columns=indicators)


def _ancestor_filler(tree: Tree, kodes: np.ndarray) -> Callable[[pd.Series], np.ndarray]:
    """A function giving each leaf a value from itself, else its kecamatan, kab/kota or
    province, for values aligned to ``kodes`` (NaN = absent). Positions are looked up once
    per run, so each fill is a few numpy takes."""
    idx = pd.Index(kodes)
    leaf_pos = idx.get_indexer(pd.Index(tree.leaf_kode))
    ups = [
        (idx.get_indexer(pd.Index(tree.levels[lvl].codes)), tree.levels[lvl].inverse)
        for lvl in ("kecamatan", "kabkota", "provinsi")
    ]

    def fill(values: pd.Series) -> np.ndarray:
        ext = np.append(values.to_numpy(dtype=float), np.nan)  # position -1 -> NaN
        out = ext[leaf_pos]
        for pos, inv in ups:
            out = np.where(np.isnan(out), ext[pos][inv], out)
        return out

    return fill


def _latest(obs: pd.DataFrame, indicator: str, base_year: int) -> pd.DataFrame:
    """Latest observation of ``indicator`` per kode in or before the base year."""
    o = obs[(obs["indicator"] == indicator) & (obs["year"] <= base_year)]
    return o.sort_values(["kode", "year"]).groupby("kode", as_index=False).last()


def _by_city(
    city_kode: np.ndarray, kode: pd.Series, values: pd.Series, how: str = "sum"
) -> np.ndarray:
    """Aggregate values to cities by the city prefix of ``kode`` (NaN where none)."""
    if len(kode) == 0:
        return np.full(len(city_kode), np.nan)
    df = pd.DataFrame({"city": kode.astype(str).str.slice(0, 5).to_numpy(), "v": values.to_numpy()})
    agg = df.groupby("city")["v"].agg(how)
    return agg.reindex(city_kode).to_numpy(dtype=float)


# ----------------------------------------------------------------------------- compute


def compute(inputs: PlanInputs, options: PlanOptions) -> PlanArrays:
    """Run every formula of DESIGN.md section 4 and return the arrays (inputs untouched)."""
    P = inputs.parameters
    b = options.base_year
    years = np.arange(b, options.horizon + 1)
    regions = inputs.regions
    leaves = regions[regions["tingkat"].isin(LEAF_LEVELS)].sort_values("kode")
    leaf_kode = leaves["kode"].to_numpy(dtype=str)
    tree = build_tree(leaf_kode)
    cities = tree.city()
    city_kode = cities.codes
    C = len(city_kode)
    obs = inputs.observations

    # Baseline of every leaf and ancestor in the base year.
    ind = ["population", "households", "hh_spald_t", *[f"hh_{r}" for r in RUNGS]]
    all_kode = np.unique(
        np.concatenate([leaf_kode, obs.loc[obs["year"] == b, "kode"].unique().astype(str)])
    )
    base = _wide(obs, b, all_kode, ind)
    leaf_base = base.reindex(leaf_kode)

    # Population and households.
    pop = pop_mod.project(
        tree,
        leaf_base["population"].to_numpy(dtype=float),
        leaf_base["households"].to_numpy(dtype=float),
        obs,
        years,
        b,
        options.growth_method,
        P.opt("population_growth_rate"),
        P.num("persons_per_household"),
    )
    H = pop.households

    # Ladder shares (leaf, else nearest ancestor), spald_t share, zones, urban.
    hh_den = base["households"]
    _ancestor_fill = _ancestor_filler(tree, all_kode)
    share: dict[str, np.ndarray] = {}
    for r in RUNGS:
        share[r] = _ancestor_fill(base[f"hh_{r}"] / hh_den)
    share_spald = np.nan_to_num(_ancestor_fill(base["hh_spald_t"] / hh_den))
    has_ladder = ~np.isnan(share["aman"])
    urban = leaves["urban"].fillna(True).to_numpy(dtype=bool)
    zone = leaves["spald_t_zone"].fillna("").astype(str).to_numpy()
    in_zone = zone != ""

    # Waste baseline: leaf obs, else shared out from ancestors in proportion to population.
    wind = ["waste_generated_tpd", "waste_pengurangan_tpd", "waste_penanganan_tpd"]
    wbase = _wide(obs, b, all_kode, wind + ["population"])
    leaf_pop0 = pd.Series(pop.population[:, 0], index=leaf_kode)
    city_pop0 = cities.sum(pop.population[:, :1])[:, 0]
    pop_k = wbase["population"].fillna(pd.Series(city_pop0, index=city_kode)).fillna(leaf_pop0)
    gen_share_p = wbase["waste_pengurangan_tpd"] / wbase["waste_generated_tpd"]
    gen_share_h = wbase["waste_penanganan_tpd"] / wbase["waste_generated_tpd"]
    rate_k = wbase["waste_generated_tpd"] * 1000.0 / pop_k
    share["waste_pengurangan"] = _ancestor_fill(gen_share_p)
    share["waste_penanganan"] = _ancestor_fill(gen_share_h)
    rate = _ancestor_fill(rate_k)
    sni = np.where(
        is_kota(city_kode) & (city_pop0 < P.num("city_class_kecil_max_population")),
        P.num("waste_generation_kg_per_person_day_kota_kecil"),
        np.where(
            is_kota(city_kode) & (city_pop0 < P.num("city_class_sedang_max_population")),
            P.num("waste_generation_kg_per_person_day_kota_sedang"),
            P.num("waste_generation_kg_per_person_day_default"),
        ),
    )
    rate_measured = ~np.isnan(rate)
    rate = np.where(rate_measured, rate, sni[cities.inverse])
    G = waste_mod.generation(
        pop.population, rate, P.num("waste_generation_growth_per_year"), years, b
    )

    # Target sets and trajectories.
    sets = options.target_sets or tg.default_target_sets(
        inputs.targets, list(city_kode), b, options.horizon
    )
    traj_points: dict[str, list[tg.Points]] = {}
    leaf_paths: dict[str, np.ndarray] = {}
    city_paths: dict[str, np.ndarray] = {}
    hh0_city = cities.sum(H[:, :1])[:, 0]
    G0_city = cities.sum(G[:, :1])[:, 0]
    city_share = {
        "pct_layak": ratio_pct(
            cities.sum(
                ((share["aman"] + share["layak_sendiri"] + share["layak_bersama"]) * H[:, 0])[
                    :, None
                ]
            )[:, 0],
            hh0_city,
        )
        / 100,
        "pct_aman": ratio_pct(cities.sum((share["aman"] * H[:, 0])[:, None])[:, 0], hh0_city) / 100,
        "pct_babs_terbuka": ratio_pct(
            cities.sum((share["babs_terbuka"] * H[:, 0])[:, None])[:, 0], hh0_city
        )
        / 100,
        "pct_waste_pengurangan": ratio_pct(
            cities.sum((share["waste_pengurangan"] * G[:, 0])[:, None])[:, 0], G0_city
        )
        / 100,
        "pct_waste_penanganan": ratio_pct(
            cities.sum((share["waste_penanganan"] * G[:, 0])[:, None])[:, 0], G0_city
        )
        / 100,
    }
    city_share["pct_waste_managed"] = (
        city_share["pct_waste_pengurangan"] + city_share["pct_waste_penanganan"]
    )
    leaf_share = {
        "pct_layak": share["aman"] + share["layak_sendiri"] + share["layak_bersama"],
        "pct_aman": share["aman"],
        "pct_babs_terbuka": share["babs_terbuka"],
        "pct_waste_pengurangan": share["waste_pengurangan"],
        "pct_waste_penanganan": share["waste_penanganan"],
        "pct_waste_managed": share["waste_pengurangan"] + share["waste_penanganan"],
    }
    city_ident = np.arange(C)
    for indicator in HEADLINE:
        pts = _points_per_city(inputs.targets, sets, city_kode, indicator, b)
        traj_points[indicator] = pts
        leaf_paths[indicator] = tg.paths(leaf_share[indicator], cities.inverse, pts, years, b)
        city_paths[indicator] = tg.paths(city_share[indicator], city_ident, pts, years, b)

    # Wastewater stock-flow.
    trend_paths: dict[str, np.ndarray] | None = None
    waste_share_p: np.ndarray = share["waste_pengurangan"]
    waste_share_h: np.ndarray = share["waste_penanganan"]
    if options.bau_mode == "trend":
        slopes = trend_mod.city_slopes(obs, city_kode, [f"hh_{r}" for r in RUNGS], "households", b)
        trend_paths = trend_mod.normalise(
            {
                r: trend_mod.share_paths(
                    np.nan_to_num(share[r]), slopes[f"hh_{r}"][cities.inverse], years, b
                )
                for r in RUNGS
            }
        )
        wslopes = trend_mod.city_slopes(
            obs,
            city_kode,
            ["waste_pengurangan_tpd", "waste_penanganan_tpd"],
            "waste_generated_tpd",
            b,
        )
        waste_share_p = trend_mod.share_paths(
            share["waste_pengurangan"], wslopes["waste_pengurangan_tpd"][cities.inverse], years, b
        )
        waste_share_h = np.minimum(
            trend_mod.share_paths(
                share["waste_penanganan"], wslopes["waste_penanganan_tpd"][cities.inverse], years, b
            ),
            1.0 - waste_share_p,
        )
    elif options.bau_mode != "constant":
        raise ValueError(f"bau_mode must be constant or trend, not {options.bau_mode!r}")
    bau = ww.bau_ladder(H, share, P.choice("new_households_ladder"), trend_paths)
    ladder = ww.stock_flow(
        H,
        bau,
        share_spald[:, None] * H,
        leaf_paths["pct_layak"],
        leaf_paths["pct_aman"],
        leaf_paths["pct_babs_terbuka"],
        urban,
        in_zone,
        P.num("spald_t_share_of_aman_additions_in_zone"),
        P.num("l2t2_ready_share_of_existing_tanks"),
    )

    # City-level service and facilities.
    fac = inputs.facilities
    fac_city = fac["kode"].astype(str).str.slice(0, 5)
    iplt = fac[fac["type"].astype(str).str.upper() == "IPLT"]
    iplt_cap = np.nan_to_num(_by_city(city_kode, iplt["kode"], iplt["capacity"].fillna(0.0)))
    n_tinja = np.nan_to_num(
        _by_city(
            city_kode,
            fac["kode"][fac["type"] == "truk_tinja"],
            pd.Series(np.ones(int((fac["type"] == "truk_tinja").sum()))),
            "sum",
        )
    )
    is_coll = fac["type"].isin(["truk_sampah", "dump_truck", "arm_roll"])
    n_coll = np.nan_to_num(
        _by_city(city_kode, fac["kode"][is_coll], pd.Series(np.ones(int(is_coll.sum()))), "sum")
    )
    del fac_city
    svc = ww.service(
        cities.sum(ladder.enrolled),
        P.num("desludging_interval_years"),
        P.num("volume_per_desludging_m3"),
        P.num("iplt_receiving_days_per_year"),
        iplt_cap,
        P.num("truk_tinja_trips_per_day"),
        P.num("desludging_working_days_per_year"),
        P.num("truck_availability"),
        n_tinja,
    )
    # SPALD-T plants per (city, zone).
    zkey = np.where(
        in_zone,
        np.char.add(
            np.char.add(np.asarray(leaf_kode, dtype=str).astype("U5"), "|"), zone.astype(str)
        ),
        "",
    )
    plants_cum = np.zeros((C, len(years)))
    if in_zone.any():
        zk = pd.Series(zkey[in_zone])
        codes, inv = np.unique(zk.to_numpy(), return_inverse=True)
        conn = np.zeros((len(codes), len(years)))
        np.add.at(conn, inv, ladder.cumulative["spald_t_connection"][in_zone])
        plants = ww.spald_t_plants(conn, P.num("spald_t_connections_per_plant"))
        plants = np.maximum.accumulate(plants, axis=1)
        zcity = pd.Series(codes).str.slice(0, 5)
        cidx = pd.Index(city_kode).get_indexer(zcity)
        np.add.at(plants_cum, cidx, plants)

    # Solid waste.
    wa = waste_mod.waste_areas(
        G,
        waste_share_p,
        waste_share_h,
        leaf_paths["pct_waste_pengurangan"],
        leaf_paths["pct_waste_penanganan"],
        P.num("tps3r_recovery_fraction"),
    )
    added_city = cities.sum(wa.added_pengurangan)
    tps3r_cum = waste_mod.tps3r_units(
        added_city, P.num("tps3r_input_tpd_per_unit"), P.num("tps3r_recovery_fraction")
    )
    dens = _latest(obs, "waste_density_kg_per_m3", b)
    density = _by_city(city_kode, dens["kode"], dens["value"], "mean")
    density = np.where(np.isnan(density), P.num("waste_density_kg_per_m3"), density)
    pen_city = cities.sum(wa.plan_penanganan)
    bau_pen_city = cities.sum(wa.bau_penanganan)
    trucks_needed = waste_mod.collection_trucks(
        pen_city,
        density,
        P.num("collection_days_per_year"),
        P.num("collection_truck_body_volume_m3"),
        P.num("collection_truck_max_trips_per_day"),
        P.num("truck_availability"),
    )
    trucks_add_cum = np.maximum.accumulate(np.maximum(trucks_needed - n_coll[:, None], 0.0), axis=1)
    lf = _latest(obs, "waste_landfilled_tpd", b)
    lf_obs = _by_city(city_kode, lf["kode"], lf["value"])
    pen_obs = cities.sum(wa.bau_penanganan[:, :1])[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        lf_share = np.where(
            (pen_obs > 0) & ~np.isnan(lf_obs),
            lf_obs / pen_obs,
            P.num("penanganan_landfilled_share"),
        )
    landfilled = lf_share[:, None] * pen_city
    life = _latest(obs, "tpa_remaining_life_years", b)
    inflow = _latest(obs, "tpa_inflow_tpd", b)
    life_v = _by_city(city_kode, life["kode"], life["value"], "max")
    ref_y = _by_city(city_kode, life["kode"], life["year"].astype(float), "max")
    inflow_v = _by_city(city_kode, inflow["kode"], inflow["value"])
    lf_ref = np.where(np.isnan(lf_obs), landfilled[:, 0], lf_obs)
    tpa = waste_mod.tpa_full(
        years,
        landfilled,
        life_v,
        inflow_v,
        ref_y,
        lf_ref,
        P.num("landfill_compacted_density_kg_per_m3"),
        P.num("landfill_cover_soil_fraction"),
    )
    waste_city = {
        "generated_tpd": cities.sum(G),
        "bau_pengurangan_tpd": cities.sum(wa.bau_pengurangan),
        "bau_penanganan_tpd": bau_pen_city,
        "required_pengurangan_tpd": cities.sum(wa.plan_pengurangan),
        "required_penanganan_tpd": pen_city,
        "added_pengurangan_tpd": added_city,
        "tps3r_units_total": tps3r_cum,
        "collection_trucks_needed": trucks_needed,
        "collection_trucks_existing": n_coll[:, None] * np.ones_like(trucks_needed),
        "collection_trucks_to_add": trucks_add_cum,
        "landfilled_tpd": landfilled,
        "density_kg_per_m3": density[:, None] * np.ones_like(trucks_needed),
    }

    # Quantities per need (annual, cities x years) and costs. A capacity shortfall that
    # already exists in the base year (e.g. 15 trucks needed, 8 owned) is a backlog: it is
    # added in the first plan year, so it is costed (``annual`` counts from zero).
    def annual(cum: np.ndarray) -> np.ndarray:
        out = ww._annual(cum)
        if out.shape[1] > 1:
            out[:, 1] += cum[:, 0]
        return out

    quantities = {
        "new_septic_tank": cities.sum(ladder.annual["new_septic_tank"]),
        "septic_tank_upgrade": cities.sum(ladder.annual["septic_tank_upgrade"]),
        "spald_t_connection": cities.sum(ladder.annual["spald_t_connection"]),
        "spald_t_plant": annual(plants_cum),
        "l2t2_desludging": svc.desludgings,
        "iplt_capacity": annual(svc.iplt_capacity_to_add_m3_per_day),
        "vacuum_truck": annual(svc.vacuum_trucks_to_add),
        "tps3r": annual(tps3r_cum),
        "collection_truck": annual(trucks_add_cum),
        "landfill_volume": tpa.landfill_volume_m3,
    }
    costs = costs_mod.costs_table(
        city_kode,
        years,
        quantities,
        inputs.need_items,
        inputs.unit_costs,
        P.num("cost_escalation_rate_per_year"),
        P.num("om_share_of_capex_per_year"),
        b + 1,
    )
    funding = costs_mod.funding_table(costs, inputs.funding_shares)
    return PlanArrays(
        options=options,
        years=years,
        tree=tree,
        leaf_nama=leaves["nama"].to_numpy(dtype=object),
        city_kode=city_kode,
        target_sets=tuple(sets),
        pop=pop,
        ladder=ladder,
        service=svc,
        spald_t_plants_cum=plants_cum,
        waste=wa,
        waste_city=waste_city,
        tpa=tpa,
        traj_points=traj_points,
        leaf_paths=leaf_paths,
        city_paths=city_paths,
        base_share=share,
        quantities=quantities,
        costs=costs,
        funding=funding,
        notes={
            "has_ladder": has_ladder,
            "rate_measured": rate_measured,
            "rate_kg": rate,
            "landfilled_share": lf_share,
            "city_share0": city_share,
        },
    )


def _points_per_city(
    targets: pd.DataFrame,
    sets: tuple[str, ...] | list[str],
    city_kode: np.ndarray,
    indicator: str,
    b: int,
) -> list[tg.Points]:
    """Trajectory points of every city; cities without LOCAL rows share one computation."""
    local_cities = set(
        targets.loc[
            (targets["target_set"] == tg.LOCAL) & (targets["indicator"] == indicator), "scope_kode"
        ]
    )
    shared = tg.trajectory_points(targets, [s for s in sets if s != tg.LOCAL], "", indicator, b)
    out = []
    for c in city_kode:
        if c in local_cities and tg.LOCAL in sets:
            out.append(tg.trajectory_points(targets, sets, str(c), indicator, b))
        else:
            out.append(shared)
    return out


INDICATOR_SECTOR: Mapping[str, str] = {k: v["sector"] for k, v in INDICATORS.items()}
