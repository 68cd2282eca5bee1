"""The planning engine: baseline -> projection -> trajectories -> gap -> needs -> costs.

``compute(inputs, options)`` runs the stages of docs/METHOD.md §2-§8 over leaf areas x years
as numpy arrays and returns :class:`PlanArrays`; ``sanitasi.core.results.run_plan`` adds the
labelled result tables. Each stage is a short function that takes the earlier stages'
outputs and returns new arrays (inputs are never mutated):

``_context`` (regions, tree, years) -> ``_baseline`` (population, households, ladder and
waste shares, generation) -> ``_trajectories`` (points, city and area paths) ->
``_wastewater`` (BAU ladder, stock-flow needs, L2T2 service, SPALD-T plants) ->
``_solid_waste`` (waste balance, routes, TPS3R, bank sampah, trucks, TPA) ->
``_quantities`` (need -> annual quantity) -> ``_costs`` (costs and funding).

The same code runs one city of 13 kelurahan and the country of 83,762 desa: there is no
Python loop over areas (only over the handful of indicators, target sets and distinct
trajectories).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
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
    ParameterSet,
    PlanInputs,
    PlanOptions,
)
from sanitasi.core.reads import tracking
from sanitasi.core.tree import Level, Tree, build_tree, chain, is_kota, ratio_pct

ALD_INDICATORS = ("pct_layak", "pct_aman", "pct_babs_terbuka")
WASTE_INDICATORS = ("pct_waste_pengurangan", "pct_waste_penanganan", "pct_waste_managed")
HEADLINE = ALD_INDICATORS + WASTE_INDICATORS
#: Indicators with needs behind them: a city without any target for one of them gets
#: SAN-W007 (docs/METHOD.md §4.6).
NEEDS_INDICATORS = ("pct_layak", "pct_aman", "pct_waste_pengurangan", "pct_waste_penanganan")

#: Facility types of the collection fleet (``facilities.csv``).
COLLECTION_TRUCK_TYPES = ("truk_sampah", "dump_truck", "arm_roll")
#: TPA owner of the city's own facility (``facilities.csv`` column ``owner``; any other owner
#: makes the TPA a shared facility, docs/METHOD.md §7.5).
OWN = "sendiri"


@dataclass(frozen=True)
class PlanArrays:
    """Every computed quantity as arrays: leaves (n, T) and cities (C, T).

    Leaf arrays that only feed city totals are not kept (memory on the national run):
    ``ladder.cumulative`` keeps only ``spald_t_connection`` and ``ladder.enrolled`` has no rows (their city sums are
    ``service`` and ``spald_t_*``), and so are ``waste.routes``, ``tps3r_input``,
    ``residue``, ``residue_new`` and ``added_pengurangan`` (city sums in ``waste_city``)."""

    options: PlanOptions
    years: np.ndarray
    tree: Tree
    leaf_nama: np.ndarray
    city_kode: np.ndarray
    target_sets: tuple[str, ...]
    pop: pop_mod.Population
    ladder: ww.LadderNeeds
    service: ww.Service
    spald_t_plants_cum: np.ndarray  # (C, T) treatment plants (zones with a plant; modules)
    spald_t_capacity: np.ndarray  # (C, T) installed SPALD-T treatment capacity, connections
    waste: waste_mod.WasteAreas
    waste_city: dict[str, np.ndarray]
    tpa: waste_mod.Tpa
    traj_points: dict[str, list[tg.Points]]  # indicator -> per city
    binding: dict[str, list[list[str]]]  # indicator -> per city -> per year binding set
    held: dict[str, np.ndarray]  # indicator -> (C, T) the year's point is a held target
    leaf_paths: dict[str, np.ndarray]  # indicator -> (n, T) fraction
    city_paths: dict[str, np.ndarray]  # indicator -> (C, T) fraction
    base_share: dict[str, np.ndarray]  # rung / waste share -> (n,)
    quantities: dict[str, np.ndarray]  # need -> (C, T) annual
    costs: pd.DataFrame
    funding: pd.DataFrame
    notes: dict[str, Any] = field(default_factory=dict)
    #: computation -> parameters it read (docs/METHOD.md §16; provenance of the tables)
    parameters_read: Mapping[str, frozenset[str]] = field(default_factory=dict)


# ----------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class ObsIndex:
    """The observations with ``kode``, ``indicator`` and ``status`` factorized once per run.

    The national baseline holds about 750,000 rows whose text columns are Arrow-backed
    strings; every filter, ``isin`` or ``sort`` on them costs tens of milliseconds. Each stage
    selects rows by integer codes instead and only builds a (small) frame of the rows it
    needs (:meth:`frame_of`). Same rows, same order, same values as filtering the frame."""

    frame: pd.DataFrame
    kode: np.ndarray  # (N,) position in ``kodes``
    kodes: np.ndarray  # unique codes (str)
    ind: np.ndarray  # (N,) position in ``indicators``
    indicators: pd.Index
    status: np.ndarray  # (N,) position in ``statuses``
    statuses: np.ndarray
    year: np.ndarray
    value: np.ndarray

    @classmethod
    def of(cls, obs: pd.DataFrame) -> ObsIndex:
        # A missing kode or indicator is its own (unmatched) value; a missing status is not
        # counted (as ``value_counts``).
        kode, kodes = pd.factorize(obs["kode"].astype(str), use_na_sentinel=False)
        ind, indicators = pd.factorize(obs["indicator"].astype(str), use_na_sentinel=False)
        status, statuses = pd.factorize(obs["status"].astype(str))
        return cls(
            frame=obs,
            kode=kode,
            kodes=np.asarray(kodes, dtype=object),
            ind=ind,
            indicators=pd.Index(np.asarray(indicators, dtype=object)),
            status=status,
            statuses=np.asarray(statuses, dtype=object),
            year=obs["year"].to_numpy(),
            value=obs["value"].to_numpy(dtype=float),
        )

    def rows(
        self,
        indicators: Iterable[str],
        year: int | None = None,
        max_year: int | None = None,
        years: Iterable[int] | None = None,
    ) -> np.ndarray:
        """Boolean mask of the rows of ``indicators`` (in ``year``, up to ``max_year``, in
        ``years``)."""
        codes = self.indicators.get_indexer(pd.Index(list(indicators), dtype=object))
        wanted = np.zeros(len(self.indicators), dtype=bool)
        wanted[codes[codes >= 0]] = True
        m = wanted[self.ind]  # a lookup per row (faster than np.isin)
        if year is not None:
            m &= self.year == year
        if max_year is not None:
            m &= self.year <= max_year
        if years is not None:
            m &= np.isin(self.year, np.asarray(list(years)))
        return m

    def frame_of(self, indicators: Iterable[str], max_year: int | None = None) -> pd.DataFrame:
        """The observation rows of ``indicators`` (up to ``max_year``), as a frame."""
        return self.frame[self.rows(indicators, max_year=max_year)]

    def status_counts(self, mask: np.ndarray) -> dict[str, int]:
        """Provenance counts of the rows in ``mask`` (most frequent first, as
        ``value_counts``)."""
        st = self.status[mask]
        counts = np.bincount(st[st >= 0], minlength=len(self.statuses))
        order = np.argsort(-counts, kind="stable")
        return {str(self.statuses[i]): int(counts[i]) for i in order if counts[i] > 0}


def _wide(
    obs: ObsIndex, year: int, kpos: np.ndarray, rows: int, indicators: list[str]
) -> np.ndarray:
    """Observations of ``year`` as a (rows x indicators) matrix, NaN where absent; ``kpos``
    is the row of each of ``obs.kodes`` (-1: not a row).

    Vectorised scatter into a matrix (validated inputs hold one row per kode/year/indicator)."""
    sel = obs.rows(indicators, year=year)
    ipos = pd.Index(indicators).get_indexer(obs.indicators)
    ki = kpos[obs.kode[sel]]
    ii = ipos[obs.ind[sel]]
    keep = ki >= 0
    m = np.full((rows, len(indicators)), np.nan)
    m[ki[keep], ii[keep]] = obs.value[sel][keep]
    return m


def _tree_rows(tree: Tree) -> tuple[pd.Index, list[tuple[int, Level]]]:
    """Every code of the tree, leaves first then each kecamatan, kab/kota and province, and
    where each of those levels starts in that order."""
    ups, off = [], tree.n
    for lvl in ("kecamatan", "kabkota", "provinsi"):
        ups.append((off, tree.levels[lvl]))
        off += len(tree.levels[lvl].codes)
    codes = np.concatenate([tree.leaf_kode, *[level.codes for _o, level in ups]])
    return pd.Index(codes.astype(object)), ups


def _ancestor_fill(values: np.ndarray, n: int, ups: list[tuple[int, Level]]) -> np.ndarray:
    """Each leaf's value from itself, else its kecamatan, kab/kota or province, for values
    over the rows of :func:`_tree_rows` (NaN = absent)."""
    out = values[:n]
    for off, level in ups:
        out = np.where(np.isnan(out), values[off : off + len(level.codes)][level.inverse], out)
    return out


def _latest(obs: ObsIndex | pd.DataFrame, indicator: str, base_year: int) -> pd.DataFrame:
    """Latest observation of ``indicator`` per kode in or before the base year."""
    if isinstance(obs, ObsIndex):  # only the columns the callers use: kode, year, value
        m = obs.rows([indicator], max_year=base_year)
        o = pd.DataFrame(
            {
                "kode": pd.array(obs.kodes[obs.kode[m]], dtype=obs.frame["kode"].dtype),
                "year": obs.year[m],
                "value": obs.value[m],
            }
        )
    else:
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


def _city_latest(
    obs: ObsIndex, city_kode: np.ndarray, indicator: str, b: int, how: str = "sum"
) -> np.ndarray:
    """The latest observation (in or before the base year) of ``indicator`` per city."""
    o = _latest(obs, indicator, b)
    return _by_city(city_kode, o["kode"], o["value"], how)


def _annual(cum: np.ndarray) -> np.ndarray:
    """Year-on-year additions of a cumulative (C, T) capacity. A shortfall the base year
    already shows is added in the first plan year (so it is costed)."""
    out = ww._annual(cum)
    if out.shape[1] > 1:
        out[:, 1] += cum[:, 0]
    return out


# ----------------------------------------------------------------------------- stages


@dataclass(frozen=True)
class _Context:
    P: ParameterSet
    options: PlanOptions
    b: int
    years: np.ndarray
    leaves: pd.DataFrame
    leaf_kode: np.ndarray
    tree: Tree
    cities: Level
    city_kode: np.ndarray
    obs: ObsIndex


def _context(inputs: PlanInputs, options: PlanOptions) -> _Context:
    regions = inputs.regions
    leaves = regions[regions["tingkat"].isin(LEAF_LEVELS)].sort_values("kode")
    leaf_kode = leaves["kode"].to_numpy(dtype=str)
    tree = build_tree(leaf_kode)
    cities = tree.city()
    return _Context(
        P=inputs.parameters,
        options=options,
        b=options.base_year,
        years=np.arange(options.base_year, options.horizon + 1),
        leaves=leaves,
        leaf_kode=leaf_kode,
        tree=tree,
        cities=cities,
        city_kode=cities.codes,
        obs=ObsIndex.of(inputs.observations),
    )


@dataclass(frozen=True)
class _Baseline:
    pop: pop_mod.Population
    share: dict[str, np.ndarray]  # rung and waste shares per leaf (n,)
    share_spald: np.ndarray  # (n,) households on SPALD-T / households
    urban: np.ndarray
    zone: np.ndarray
    rate_kg: np.ndarray
    rate_measured: np.ndarray
    generated: np.ndarray  # (n, T) t/day
    leaf_share: dict[str, np.ndarray]  # headline indicator -> (n,) fraction
    city_share: dict[str, np.ndarray]  # headline indicator -> (C,) fraction


def _generation_rate_class(ctx: _Context, city_pop0: np.ndarray) -> np.ndarray:
    """SNI class rate per city (kg/person/day, docs/METHOD.md §7.1): kota kecil and kota
    sedang by base-year population (SNI 19-3983-1995), kota besar
    (``waste_generation_kg_per_person_day_kota_besar``), kabupaten
    (``waste_generation_kg_per_person_day_default``)."""
    P = ctx.P.reader("waste.generation")
    kota = is_kota(ctx.city_kode)
    return np.where(
        kota & (city_pop0 < P.num("city_class_kecil_max_population")),
        P.num("waste_generation_kg_per_person_day_kota_kecil"),
        np.where(
            kota & (city_pop0 < P.num("city_class_sedang_max_population")),
            P.num("waste_generation_kg_per_person_day_kota_sedang"),
            np.where(
                kota,
                P.num("waste_generation_kg_per_person_day_kota_besar"),
                P.num("waste_generation_kg_per_person_day_default"),
            ),
        ),
    )


def _baseline(inputs: PlanInputs, ctx: _Context) -> _Baseline:
    """Base-year population, households, ladder and waste shares (leaf, else the nearest
    ancestor), generation rate and generated waste (docs/METHOD.md §2, §3, §7.1)."""
    P, b, obs, cities = ctx.P, ctx.b, ctx.obs, ctx.cities
    n = ctx.tree.n
    rows, ups = _tree_rows(ctx.tree)
    kpos = rows.get_indexer(pd.Index(obs.kodes))
    ind = ["population", "households", "hh_spald_t", *[f"hh_{r}" for r in RUNGS]]
    base = dict(zip(ind, _wide(obs, b, kpos, len(rows), ind).T, strict=True))
    pop = pop_mod.project(
        ctx.tree,
        base["population"][:n],
        base["households"][:n],
        obs.frame_of(["population"]),
        ctx.years,
        b,
        ctx.options.growth_method,
        P.reader("population").opt("population_growth_rate"),
        P.reader("population").num("persons_per_household"),
    )
    H = pop.households

    def fill(num: np.ndarray, den: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return _ancestor_fill(num / den, n, ups)

    share = {r: fill(base[f"hh_{r}"], base["households"]) for r in RUNGS}
    share_spald = np.nan_to_num(fill(base["hh_spald_t"], base["households"]))

    wind = ["waste_generated_tpd", "waste_pengurangan_tpd", "waste_penanganan_tpd", "population"]
    gen, peng, pen, pop_k = _wide(obs, b, kpos, len(rows), wind).T
    city_pop0 = cities.sum(pop.population[:, :1])[:, 0]
    c0 = ups[1][0]  # first kab/kota row
    pop_k[c0 : c0 + len(city_pop0)] = np.where(
        np.isnan(pop_k[c0 : c0 + len(city_pop0)]), city_pop0, pop_k[c0 : c0 + len(city_pop0)]
    )
    pop_k[:n] = np.where(np.isnan(pop_k[:n]), pop.population[:, 0], pop_k[:n])
    share["waste_pengurangan"] = fill(peng, gen)
    share["waste_penanganan"] = fill(pen, gen)
    rate = fill(gen * 1000.0, pop_k)
    rate_measured = ~np.isnan(rate)
    rate = np.where(rate_measured, rate, _generation_rate_class(ctx, city_pop0)[cities.inverse])
    G = waste_mod.generation(
        pop.population,
        rate,
        P.reader("waste.generation").num("waste_generation_growth_per_year"),
        ctx.years,
        b,
    )

    lay = share["aman"] + share["layak_sendiri"] + share["layak_bersama"]
    leaf_share = {
        "pct_layak": lay,
        "pct_aman": share["aman"],
        "pct_babs_terbuka": share["babs_terbuka"],
        "pct_waste_pengurangan": share["waste_pengurangan"],
        "pct_waste_penanganan": share["waste_penanganan"],
        "pct_waste_managed": share["waste_pengurangan"] + share["waste_penanganan"],
    }
    weight = {k: (H if INDICATORS[k]["basis"] == "households" else G) for k in leaf_share}
    city_share = {
        k: ratio_pct(
            cities.sum((v * weight[k][:, 0])[:, None])[:, 0], cities.sum(weight[k][:, :1])[:, 0]
        )
        / 100.0
        for k, v in leaf_share.items()
    }
    return _Baseline(
        pop=pop,
        share=share,
        share_spald=share_spald,
        urban=ctx.leaves["urban"].fillna(True).to_numpy(dtype=bool),
        zone=ctx.leaves["spald_t_zone"].fillna("").astype(str).to_numpy(),
        rate_kg=rate,
        rate_measured=rate_measured,
        generated=G,
        leaf_share=leaf_share,
        city_share=city_share,
    )


@dataclass(frozen=True)
class _Trajectories:
    sets: tuple[str, ...]
    points: dict[str, list[tg.Points]]
    binding: dict[str, list[list[str]]]
    held: dict[str, np.ndarray]
    leaf: dict[str, np.ndarray]
    city: dict[str, np.ndarray]


def _points_per_city(
    targets: pd.DataFrame,
    sets: tuple[str, ...] | list[str],
    city_kode: np.ndarray,
    indicator: str,
    b: int,
    period_end: int,
) -> list[tg.Points]:
    """Trajectory points of every city; cities without LOCAL rows share one computation."""
    local_cities = set(
        targets.loc[
            (targets["target_set"] == tg.LOCAL) & (targets["indicator"] == indicator), "scope_kode"
        ]
    )
    shared = tg.trajectory_points(
        targets, [s for s in sets if s != tg.LOCAL], "", indicator, b, period_end
    )
    return [
        tg.trajectory_points(targets, sets, str(c), indicator, b, period_end)
        if c in local_cities and tg.LOCAL in sets
        else shared
        for c in city_kode
    ]


def _trajectories(inputs: PlanInputs, ctx: _Context, base: _Baseline) -> _Trajectories:
    """Points, binding sets and city and area paths of every headline indicator
    (docs/METHOD.md §4). ``pct_waste_managed`` is the sum of the pengurangan and penanganan
    paths where both exist; penanganan is capped so the two never exceed 100 %."""
    b, years = ctx.b, ctx.years
    sets = ctx.options.target_sets or tg.default_target_sets(
        inputs.targets, list(ctx.city_kode), b, ctx.options.horizon
    )
    p1 = ctx.options.period[1]
    points: dict[str, list[tg.Points]] = {}
    binding: dict[str, list[list[str]]] = {}
    held: dict[str, np.ndarray] = {}
    leaf: dict[str, np.ndarray] = {}
    city: dict[str, np.ndarray] = {}
    for ind in HEADLINE:
        pts = _points_per_city(inputs.targets, sets, ctx.city_kode, ind, b, p1)
        points[ind] = pts
        # Cities without LOCAL rows share one Points object: each is looked up once.
        unique = {id(p): p for p in pts}
        by_id = {
            k: (tg.binding_by_year(p, years), tg.held_by_year(p, years)) for k, p in unique.items()
        }
        binding[ind] = [list(by_id[id(p)][0]) for p in pts]
        held[ind] = np.array([by_id[id(p)][1] for p in pts], dtype=bool).reshape(
            len(pts), len(years)
        )
        leaf[ind], city[ind] = tg.area_paths(
            base.leaf_share[ind],
            ctx.cities.inverse,
            base.city_share[ind],
            pts,
            years,
            b,
            tg.lower_is_better(ind),
        )
    pe, pa = "pct_waste_pengurangan", "pct_waste_penanganan"
    leaf[pa] = tg.cap_pair(leaf[pe], leaf[pa])
    city[pa] = tg.cap_pair(city[pe], city[pa])
    both = ~np.isnan(city[pe][:, :1]) & ~np.isnan(city[pa][:, :1])  # (C, 1)
    m = "pct_waste_managed"
    leaf[m] = np.where(both[ctx.cities.inverse], leaf[pe] + leaf[pa], leaf[m])
    city[m] = np.where(both, city[pe] + city[pa], city[m])
    joined: dict[tuple[str, str], str] = {}
    for c in np.nonzero(both[:, 0])[0]:
        row = []
        for s1, s2 in zip(binding[pe][c], binding[pa][c], strict=True):
            if (s1, s2) not in joined:
                joined[s1, s2] = " + ".join(dict.fromkeys(x for x in (s1, s2) if x))
            row.append(joined[s1, s2])
        binding[m][c] = row
    held[m] = np.where(both, held[pe] | held[pa], held[m])
    return _Trajectories(tuple(sets), points, binding, held, leaf, city)


@dataclass(frozen=True)
class _Wastewater:
    ladder: ww.LadderNeeds
    service: ww.Service
    plants: np.ndarray  # (C, T) plants (zones with a plant, or modules)
    capacity: np.ndarray  # (C, T) installed treatment capacity, connections


def _fleet_count(fac: pd.DataFrame, types: tuple[str, ...], city_kode: np.ndarray) -> np.ndarray:
    """Number of facilities of ``types`` per city (0 where none)."""
    m = fac["type"].isin(list(types))
    return np.nan_to_num(
        _by_city(city_kode, fac["kode"][m], pd.Series(np.ones(int(m.sum()))), "sum")
    )


def _spald_t(
    ctx: _Context, base: _Baseline, ladder: ww.LadderNeeds
) -> tuple[np.ndarray, np.ndarray]:
    """SPALD-T treatment capacity and plants per city (docs/METHOD.md §6.2): one plant per
    (city, zone), see :func:`sanitasi.core.wastewater.spald_t_capacity`."""
    P, T, C = ctx.P.reader("wastewater.spald_t"), len(ctx.years), len(ctx.city_kode)
    in_zone = base.zone != ""
    cap_city = np.zeros((C, T))
    plants_city = np.zeros((C, T))
    if not in_zone.any():
        return cap_city, plants_city
    key = np.char.add(
        np.char.add(np.asarray(ctx.leaf_kode, dtype=str).astype("U5")[in_zone], "|"),
        base.zone[in_zone].astype(str),
    )
    codes, inv = np.unique(key, return_inverse=True)
    conn = np.zeros((len(codes), T))
    np.add.at(conn, inv, ladder.cumulative["spald_t_connection"][in_zone])
    modular = P.choice("spald_t_plant_sizing") == "modular"
    module = P.num("spald_t_connections_per_plant")
    cap = ww.spald_t_capacity(conn, ctx.years, ctx.options.period[1], modular, module)
    plants = np.ceil(cap / module - 1e-9) if modular else (cap > 0).astype(float)
    cidx = pd.Index(ctx.city_kode).get_indexer(pd.Series(codes).str.slice(0, 5))
    np.add.at(cap_city, cidx, cap)
    np.add.at(plants_city, cidx, plants)
    return cap_city, plants_city


def _wastewater(
    inputs: PlanInputs, ctx: _Context, base: _Baseline, traj: _Trajectories
) -> _Wastewater:
    """BAU ladder, stock-flow needs, L2T2 service, IPLT, vacuum trucks and SPALD-T plants
    (docs/METHOD.md §5, §6)."""
    P, b, obs, H = ctx.P.reader("wastewater.ladder"), ctx.b, ctx.obs, base.pop.households
    Pd = ctx.P.reader("wastewater.desludging")
    trend_paths: dict[str, np.ndarray] | None = None
    if ctx.options.bau_mode == "trend":
        ind = [f"hh_{r}" for r in RUNGS]
        slopes = trend_mod.city_slopes(
            obs.frame_of([*ind, "households"]), ctx.city_kode, ind, "households", b
        )
        trend_paths = trend_mod.normalise(
            {
                r: trend_mod.share_paths(
                    np.nan_to_num(base.share[r]),
                    slopes[f"hh_{r}"][ctx.cities.inverse],
                    ctx.years,
                    b,
                )
                for r in RUNGS
            }
        )
    elif ctx.options.bau_mode != "constant":
        raise ValueError(f"bau_mode must be constant or trend, not {ctx.options.bau_mode!r}")
    bau = ww.bau_ladder(H, base.share, P.choice("new_households_ladder"), trend_paths)
    ladder = ww.stock_flow(
        H,
        bau,
        base.share_spald[:, None] * H,
        traj.leaf["pct_layak"],
        traj.leaf["pct_aman"],
        traj.leaf["pct_babs_terbuka"],
        base.urban,
        base.zone != "",
        P.num("spald_t_share_of_aman_additions_in_zone"),
        P.num("l2t2_ready_share_of_existing_tanks"),
    )
    fac = inputs.facilities
    iplt = fac[fac["type"].astype(str).str.upper() == "IPLT"]
    iplt_cap = np.nan_to_num(_by_city(ctx.city_kode, iplt["kode"], iplt["capacity"].fillna(0.0)))
    svc = ww.service(
        ctx.cities.sum(ladder.enrolled),
        Pd.num("desludging_interval_years"),
        Pd.num("volume_per_desludging_m3"),
        Pd.num("iplt_receiving_days_per_year"),
        iplt_cap,
        Pd.num("truk_tinja_trips_per_day"),
        Pd.num("desludging_working_days_per_year"),
        Pd.num("truck_availability"),
        _fleet_count(fac, ("truk_tinja",), ctx.city_kode),
        _city_latest(obs, ctx.city_kode, "desludgings_per_year", b),
    )
    capacity, plants = _spald_t(ctx, base, ladder)
    # The cumulative needs and the enrolled stock per leaf are summed to cities above
    # (service, SPALD-T plants); not kept per leaf (about 100 MB on the national run),
    # except the SPALD-T connections the GHG chapter adds to the sewered stock.
    kept = replace(
        ladder,
        cumulative={k: v for k, v in ladder.cumulative.items() if k == "spald_t_connection"},
        enrolled=np.empty((0, len(ctx.years))),
    )
    return _Wastewater(ladder=kept, service=svc, plants=plants, capacity=capacity)


@dataclass(frozen=True)
class _SolidWaste:
    areas: waste_mod.WasteAreas
    city: dict[str, np.ndarray]
    tpa: waste_mod.Tpa
    landfilled_share: np.ndarray  # (C,)
    fleet: waste_mod.Fleet
    tpa_regional: np.ndarray  # (C,) bool: the TPA's cells are not the city's own


def _tpa_owner(fac: pd.DataFrame, city_kode: np.ndarray) -> np.ndarray:
    """Whether each city's TPA belongs to another owner (province, a region, another city or
    a private operator: ``facilities.csv`` ``owner`` of its TPA row)."""
    if "owner" not in fac.columns:
        return np.zeros(len(city_kode), dtype=bool)
    t = fac[fac["type"].astype(str).str.upper() == "TPA"]
    owner = t["owner"].fillna("").astype(str).str.strip().str.lower()
    regional = ~owner.isin(["", OWN])
    v = _by_city(city_kode, t["kode"], regional.astype(float), "max")
    return np.nan_to_num(v) > 0


def _solid_waste(
    inputs: PlanInputs, ctx: _Context, base: _Baseline, traj: _Trajectories
) -> _SolidWaste:
    """Waste balance, pengurangan routes, TPS3R and bank sampah units, collection fleet and
    the TPA (docs/METHOD.md §7)."""
    b, obs, cities = ctx.b, ctx.obs, ctx.cities
    P = ctx.P.reader("waste.pengurangan")
    Pc = ctx.P.reader("waste.collection")
    Pl = ctx.P.reader("waste.landfill")
    share_p: np.ndarray = base.share["waste_pengurangan"]
    share_h: np.ndarray = base.share["waste_penanganan"]
    if ctx.options.bau_mode == "trend":
        ind = ["waste_pengurangan_tpd", "waste_penanganan_tpd"]
        slopes = trend_mod.city_slopes(
            obs.frame_of([*ind, "waste_generated_tpd"]),
            ctx.city_kode,
            ind,
            "waste_generated_tpd",
            b,
        )
        share_p = trend_mod.share_paths(
            share_p, slopes["waste_pengurangan_tpd"][cities.inverse], ctx.years, b
        )
        share_h = np.minimum(
            trend_mod.share_paths(
                base.share["waste_penanganan"],
                slopes["waste_penanganan_tpd"][cities.inverse],
                ctx.years,
                b,
            ),
            1.0 - share_p,
        )
    recovery = P.num("tps3r_recovery_fraction")
    routes = {r: P.num(f"pengurangan_route_share_{r}") for r in waste_mod.ROUTES}
    wa = waste_mod.waste_areas(
        base.generated,
        share_p,
        share_h,
        traj.leaf["pct_waste_pengurangan"],
        traj.leaf["pct_waste_penanganan"],
        recovery,
        routes,
    )
    route_city = {r: cities.sum(v) for r, v in wa.routes.items()}
    tps3r_cum = waste_mod.tps3r_units(
        route_city["tps3r"], P.num("tps3r_input_tpd_per_unit"), recovery
    )
    bank_cum = waste_mod.units_for(route_city["bank_sampah"], P.num("bank_sampah_tpd_per_unit"))

    # Collection fleet, calibrated on the base year where the city gives one.
    fac = inputs.facilities
    density = _city_latest(obs, ctx.city_kode, "waste_density_kg_per_m3", b, "mean")
    density = np.where(np.isnan(density), Pc.num("waste_density_kg_per_m3"), density)
    pen_city = cities.sum(wa.plan_penanganan)
    is_coll = fac["type"].isin(list(COLLECTION_TRUCK_TYPES))
    body = fac.loc[is_coll, "capacity"].astype(float)
    body = body.where(body > 0, Pc.num("collection_truck_body_volume_m3"))
    existing_m3 = np.nan_to_num(_by_city(ctx.city_kode, fac.loc[is_coll, "kode"], body))
    hauled = _city_latest(obs, ctx.city_kode, "waste_hauled_tpd", b)
    hauled = np.where(np.isnan(hauled), pen_city[:, 0], hauled)
    trips = waste_mod.trips_per_day(
        _city_latest(obs, ctx.city_kode, "tpa_distance_km", b, "mean"),
        Pc.num("collection_truck_max_trips_per_day"),
        Pc.num("collection_working_hours_per_day"),
        Pc.num("collection_truck_speed_kmh"),
        Pc.num("collection_trip_fixed_hours"),
    )
    fl = waste_mod.fleet(
        pen_city,
        hauled,
        _fleet_count(fac, COLLECTION_TRUCK_TYPES, ctx.city_kode),
        existing_m3,
        density,
        Pc.num("collection_days_per_year"),
        Pc.num("collection_truck_body_volume_m3"),
        trips,
        Pc.num("truck_availability"),
    )

    # Landfilled share of penanganan and the TPA.
    lf_obs = _city_latest(obs, ctx.city_kode, "waste_landfilled_tpd", b)
    pen_obs = cities.sum(wa.bau_penanganan[:, :1])[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        lf_share = np.where(
            (pen_obs > 0) & ~np.isnan(lf_obs),
            lf_obs / pen_obs,
            Pl.num("penanganan_landfilled_share"),
        )
    landfilled = lf_share[:, None] * pen_city
    life = _latest(obs, "tpa_remaining_life_years", b)
    life_v = _by_city(ctx.city_kode, life["kode"], life["value"], "max")
    ref_y = _by_city(ctx.city_kode, life["kode"], life["year"].astype(float), "max")
    inflow_v = _city_latest(obs, ctx.city_kode, "tpa_inflow_tpd", b)
    lf_ref = np.where(np.isnan(lf_obs), landfilled[:, 0], lf_obs)
    tpa = waste_mod.tpa_full(
        ctx.years,
        landfilled,
        life_v,
        inflow_v,
        ref_y,
        lf_ref,
        Pl.num("landfill_compacted_density_kg_per_m3"),
        Pl.num("landfill_cover_soil_fraction"),
    )
    ones = np.ones_like(pen_city)
    bau_pen_city = cities.sum(wa.bau_penanganan)
    city = {
        "generated_tpd": cities.sum(wa.generated),
        "bau_pengurangan_tpd": cities.sum(wa.bau_pengurangan),
        "bau_penanganan_tpd": bau_pen_city,
        "required_pengurangan_tpd": cities.sum(wa.plan_pengurangan),
        "required_penanganan_tpd": pen_city,
        "added_pengurangan_tpd": cities.sum(wa.added_pengurangan),
        **{f"route_{r}_tpd": v for r, v in route_city.items()},
        "tps3r_input_tpd": cities.sum(wa.tps3r_input),
        "tps3r_residue_new_tpd": cities.sum(wa.residue_new),
        "tps3r_units_total": tps3r_cum,
        "bank_sampah_units_total": bank_cum,
        "collection_trucks_needed": fl.needed,
        "collection_trucks_existing": fl.existing[:, None] * ones,
        "collection_trucks_to_add": fl.to_add,
        "landfilled_tpd": landfilled,
        "bau_landfilled_tpd": lf_share[:, None] * bau_pen_city,
        "density_kg_per_m3": density[:, None] * ones,
    }
    # Routes, TPS3R input and residues per leaf are summed to cities in ``city``; not
    # kept per leaf (about 100 MB on the national run).
    none = np.empty((0, len(ctx.years)))
    return _SolidWaste(
        areas=replace(
            wa,
            routes={},
            tps3r_input=none,
            residue=none,
            residue_new=none,
            added_pengurangan=none,
        ),
        city=city,
        tpa=tpa,
        landfilled_share=lf_share,
        fleet=fl,
        tpa_regional=_tpa_owner(fac, ctx.city_kode),
    )


def _quantities(ctx: _Context, wwr: _Wastewater, sw: _SolidWaste) -> dict[str, np.ndarray]:
    """Annual quantity of every need per city and year (docs/METHOD.md §8): stock-flow
    additions, the year-on-year additions of cumulative capacities, desludgings, landfill
    volume and the tonnes landfilled (the tipping fee of a TPA the city does not own)."""
    cities = ctx.cities
    lad = wwr.ladder
    regional = sw.tpa_regional[:, None]
    cell = sw.tpa.landfill_volume_m3
    return {
        "new_septic_tank": cities.sum(lad.annual["new_septic_tank"]),
        "septic_tank_upgrade": cities.sum(lad.annual["septic_tank_upgrade"]),
        "spald_t_connection": cities.sum(lad.annual["spald_t_connection"]),
        "spald_t_plant": _annual(wwr.capacity),
        "l2t2_desludging": wwr.service.desludgings,
        "iplt_capacity": _annual(wwr.service.iplt_capacity_to_add_m3_per_day),
        "vacuum_truck": _annual(wwr.service.vacuum_trucks_to_add),
        "tps3r": _annual(sw.city["tps3r_units_total"]),
        "bank_sampah": _annual(sw.city["bank_sampah_units_total"]),
        "collection_truck": _annual(sw.city["collection_trucks_to_add"]),
        "landfill_volume": np.where(regional, 0.0, cell),
        "landfill_volume_regional": np.where(regional, cell, 0.0),
        "tpa_tipping_fee": np.where(regional, 365.0 * sw.city["landfilled_tpd"], 0.0),
    }


# ----------------------------------------------------------------------------- layout


def _in_buffers(
    ctx: _Context, pop: pop_mod.Population, ladder: ww.LadderNeeds, wa: waste_mod.WasteAreas
) -> tuple[pop_mod.Population, ww.LadderNeeds, waste_mod.WasteAreas]:
    """The leaf arrays that the long result tables hold, moved into the columns of those
    tables (same values).

    A roll-up column holds, per scenario, the leaf rows then every level above them
    (:func:`sanitasi.core.tree.chain`); each array becomes the leaf rows of such a buffer
    (bau and plan of a rung share one, as in the ``ladder`` table), so the tables use them
    without a second copy (``sanitasi.core.results.frames._rollup`` fills the levels above). On
    the national run this saves about 350 MB of duplicates. The arrays are read-only: a
    write would change the table too."""
    g = chain(ctx.tree, len(ctx.city_kode) > 1).rows
    n, T = ctx.tree.n, len(ctx.years)

    def column(*arrays: np.ndarray) -> list[np.ndarray]:
        buf = np.empty((len(arrays) * g, T))
        views = []
        for i, v in enumerate(arrays):
            buf[i * g : i * g + n] = v
            view = buf[i * g : i * g + n]
            view.flags.writeable = False  # shared with a result table: never written
            views.append(view)
        return views

    (population,), (households,) = column(pop.population), column(pop.households)
    bau: dict[str, np.ndarray] = {}
    plan: dict[str, np.ndarray] = {}
    for r in RUNGS:
        bau[r], plan[r] = column(ladder.bau[r], ladder.plan[r])
    annual = {k: column(v)[0] for k, v in ladder.annual.items()}
    bau_p, plan_p = column(wa.bau_pengurangan, wa.plan_pengurangan)
    bau_h, plan_h = column(wa.bau_penanganan, wa.plan_penanganan)
    return (
        replace(pop, population=population, households=households),
        replace(ladder, bau=bau, plan=plan, annual=annual),
        replace(
            wa,
            bau_pengurangan=bau_p,
            plan_pengurangan=plan_p,
            bau_penanganan=bau_h,
            plan_penanganan=plan_h,
        ),
    )


# ----------------------------------------------------------------------------- compute


def compute(inputs: PlanInputs, options: PlanOptions) -> PlanArrays:
    """Run every stage of docs/METHOD.md §2-§8 and return the arrays (inputs untouched),
    with the parameters each stage read (``parameters_read``, docs/METHOD.md §16)."""
    with tracking() as read:
        a = _compute(inputs, options)
    return replace(a, parameters_read=read.frozen())


def _compute(inputs: PlanInputs, options: PlanOptions) -> PlanArrays:
    ctx = _context(inputs, options)
    base = _baseline(inputs, ctx)
    traj = _trajectories(inputs, ctx, base)
    wwr = _wastewater(inputs, ctx, base, traj)
    sw = _solid_waste(inputs, ctx, base, traj)
    quantities = _quantities(ctx, wwr, sw)
    P = ctx.P.reader("costs")
    costs = costs_mod.costs_table(
        ctx.city_kode,
        ctx.years,
        quantities,
        inputs.need_items,
        inputs.unit_costs,
        P.num("cost_escalation_rate_per_year"),
        P.num("om_share_of_capex_per_year"),
        ctx.b + 1,
    )
    funding = costs_mod.funding_table(costs, inputs.funding_shares)
    pop, ladder, waste = _in_buffers(ctx, base.pop, wwr.ladder, sw.areas)
    return PlanArrays(
        options=options,
        years=ctx.years,
        tree=ctx.tree,
        leaf_nama=ctx.leaves["nama"].to_numpy(dtype=object),
        city_kode=ctx.city_kode,
        target_sets=traj.sets,
        pop=pop,
        ladder=ladder,
        service=wwr.service,
        spald_t_plants_cum=wwr.plants,
        spald_t_capacity=wwr.capacity,
        waste=waste,
        waste_city=sw.city,
        tpa=sw.tpa,
        traj_points=traj.points,
        binding=traj.binding,
        held=traj.held,
        leaf_paths=traj.leaf,
        city_paths=traj.city,
        base_share=base.share,
        quantities=quantities,
        costs=costs,
        funding=funding,
        notes={
            "has_ladder": ~np.isnan(base.share["aman"]),
            "rate_measured": base.rate_measured,
            "rate_kg": base.rate_kg,
            "landfilled_share": sw.landfilled_share,
            "city_share0": base.city_share,
            "tpa_regional": sw.tpa_regional,
            "fleet_calibrated": sw.fleet.calibrated,
            "fleet_tpd_per_truck": sw.fleet.tpd_per_truck,
            "obs": ctx.obs,
        },
    )


INDICATOR_SECTOR: Mapping[str, str] = {k: v["sector"] for k, v in INDICATORS.items()}
