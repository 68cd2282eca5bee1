"""Assembly of a plan run: one stage per output table (:data:`TABLE_STAGES`),
:func:`assemble`, :func:`run_plan` and :func:`with_reads`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from sanitasi.core.costs import COST_COLUMNS
from sanitasi.core.model import (
    RUNGS,
    PlanInputs,
    PlanOptions,
    PlanResult,
    Table,
    count_status,
)
from sanitasi.core.plan import ObsIndex, PlanArrays, compute
from sanitasi.core.reads import ReadLog, merge, tracking
from sanitasi.core.results.columns import (
    _col,
)
from sanitasi.core.results.frames import (
    _areas,
    _long,
    _prov,
    _read_status,
    _rollup,
    _table,
)
from sanitasi.core.results.plan_warnings import (
    warnings,
)
from sanitasi.core.results.tables import (
    OM_NOTE_EN,
    OM_NOTE_ID,
    PRICE_NOTE_EN,
    PRICE_NOTE_ID,
    _CitySums,
    gap_tables,
    headline,
    medium_term,
    retrospective,
)
from sanitasi.core.tree import ratio_pct


def run_plan(inputs: PlanInputs, options: PlanOptions) -> PlanResult:
    """Compute the plan and assemble its labelled tables and warnings."""
    return assemble(inputs, compute(inputs, options))


#: Computations whose parameter reads are the provenance of each group of tables
#: (docs/METHOD.md §16): the wastewater and solid-waste tables rest on the population
#: projection too.
ALD_COMPUTATIONS = ("population", "wastewater")
WASTE_COMPUTATIONS = ("population", "waste")
COST_COMPUTATIONS = ("costs",)
LADDER_INDICATORS = ("households", "population", *[f"hh_{r}" for r in RUNGS], "hh_spald_t")
WASTE_INDICATORS = ("waste_generated_tpd", "waste_pengurangan_tpd", "waste_penanganan_tpd")


@dataclass(frozen=True)
class _Assembly:
    """What the table stages of :func:`assemble` share: the run, the provenance counts of
    its input groups and the city sums of the headline indicators."""

    inputs: PlanInputs
    a: PlanArrays
    obs: ObsIndex
    t_status: dict[str, int]  # targets of the selected sets
    ladder_obs: dict[str, int]  # base-year population, households and ladder
    waste_obs: dict[str, int]  # base-year waste balance
    fac_status: list[str]
    ald: list[str]  # statuses of the wastewater parameters
    waste: list[str]  # statuses of the solid-waste parameters
    cost: list[str]  # statuses of the cost parameters
    sums: _CitySums
    rolled: dict[int, np.ndarray]  # leaf arrays already rolled up (see _rollup)

    @classmethod
    def of(cls, inputs: PlanInputs, a: PlanArrays) -> _Assembly:
        obs = a.notes.get("obs")
        if not isinstance(obs, ObsIndex) or obs.frame is not inputs.observations:
            obs = ObsIndex.of(inputs.observations)
        b = a.options.base_year
        used = inputs.targets["target_set"].isin(list(a.target_sets))
        return cls(
            inputs=inputs,
            a=a,
            obs=obs,
            t_status={
                str(k): int(v) for k, v in inputs.targets.loc[used, "status"].value_counts().items()
            },
            ladder_obs=obs.status_counts(obs.rows(LADDER_INDICATORS, year=b)),
            waste_obs=obs.status_counts(obs.rows(WASTE_INDICATORS, year=b)),
            fac_status=list(inputs.facilities["status"].astype(str)),
            ald=_read_status(inputs, a, *ALD_COMPUTATIONS),
            waste=_read_status(inputs, a, *WASTE_COMPUTATIONS),
            cost=_read_status(inputs, a, *COST_COMPUTATIONS),
            sums=_CitySums(a),
            rolled={},
        )

    def obs_status(self, indicators: Iterable[str]) -> dict[str, int]:
        """Provenance counts of the observations of ``indicators`` (every year)."""
        return self.obs.status_counts(self.obs.rows(indicators))

    def cost_status(self) -> tuple[list[str], list[str]]:
        """Statuses of the unit costs and of the funding shares of the costed items."""
        i = self.inputs
        items = list(self.a.costs["item"].unique())  # a handful (isin of 10^5 values is slow)
        uc = list(i.unit_costs.loc[i.unit_costs["item"].isin(items), "status"].astype(str))
        fs = list(i.funding_shares.loc[i.funding_shares["item"].isin(items), "status"].astype(str))
        return uc, fs


def _retrospective_table(r: _Assembly) -> list[Table]:
    indicators = ["households", *[f"hh_{x}" for x in RUNGS], *WASTE_INDICATORS]
    return [
        _table(
            "retrospective",
            "Kesenjangan retrospektif terhadap target nasional",
            "Retrospective gap to national targets",
            retrospective(r.inputs, r.a),
            _prov(r.t_status, r.obs_status(indicators)),
            "Target pada atau sebelum tahun dasar dibandingkan dengan capaian kota pada tahun itu; kesenjangan positif = tertinggal.",
            "Targets in or before the base year against the city's actual in that year; a positive gap means behind.",
        )
    ]


def _headline_tables(r: _Assembly) -> list[Table]:
    head, traj = headline(r.a, r.sums)
    return [
        _table(
            "headline",
            "Indikator utama: baseline, BAU, lintasan, kesenjangan",
            "Headline indicators: baseline, BAU, trajectory, gap",
            head,
            _prov(r.t_status, r.ladder_obs, r.waste_obs),
        ),
        _table(
            "trajectory",
            "Lintasan target perencanaan",
            "Planning trajectory",
            traj,
            _prov(r.t_status),
        ),
    ]


def _gap_table(r: _Assembly) -> list[Table]:
    return [
        _table(
            "gap",
            "Kesenjangan per set target",
            "Gap per target set",
            gap_tables(r.inputs, r.a, r.sums),
            _prov(r.t_status, r.ladder_obs, r.waste_obs),
        )
    ]


def _population_table(r: _Assembly) -> list[Table]:
    a = r.a
    df = _rollup(
        r.inputs,
        a,
        dict(population=a.pop.population, households=a.pop.households),
        rolled=r.rolled,
    )
    params = _read_status(r.inputs, a, "population")
    return [
        _table(
            "population",
            "Proyeksi penduduk dan rumah tangga",
            "Population and household projection",
            df,
            _prov(r.obs_status(["population", "households"]), params),
        )
    ]


def _ladder_pct(c: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Percentages of the ladder table: ratios of the summed households."""
    hh = c["households"]
    lay = c["hh_aman"] + c["hh_layak_sendiri"]
    lay += c["hh_layak_bersama"]
    return {
        "pct_layak": ratio_pct(lay, hh),
        "pct_aman": ratio_pct(c["hh_aman"], hh),
        "pct_babs_terbuka": ratio_pct(c["hh_babs_terbuka"], hh),
    }


def _ladder_table(r: _Assembly) -> list[Table]:
    a = r.a
    df = _rollup(
        r.inputs,
        a,
        {
            scen: {**{f"hh_{x}": stocks[x] for x in RUNGS}, "households": a.pop.households}
            for scen, stocks in (("bau", a.ladder.bau), ("plan", a.ladder.plan))
        },
        scenarios=True,
        rolled=r.rolled,
        derive=_ladder_pct,
    )
    return [
        _table(
            "ladder",
            "Tangga sanitasi per wilayah (BAU dan rencana)",
            "Sanitation ladder by area (BAU and plan)",
            df,
            _prov(r.ladder_obs, r.t_status, r.ald),
        )
    ]


def _waste_balance(c: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Unmanaged waste and the percentages of the waste table (ratios of summed t/day)."""
    g, p, h = c["generated_tpd"], c["pengurangan_tpd"], c["penanganan_tpd"]
    unmanaged = g - p
    unmanaged -= h
    np.maximum(unmanaged, 0.0, out=unmanaged)
    managed = p + h
    return {
        "unmanaged_tpd": unmanaged,
        "pct_waste_pengurangan": ratio_pct(p, g),
        "pct_waste_penanganan": ratio_pct(h, g),
        "pct_waste_managed": ratio_pct(managed, g),
    }


def _waste_table(r: _Assembly) -> list[Table]:
    w = r.a.waste
    df = _rollup(
        r.inputs,
        r.a,
        {
            scen: dict(generated_tpd=w.generated, pengurangan_tpd=p_, penanganan_tpd=h_)
            for scen, p_, h_ in (
                ("bau", w.bau_pengurangan, w.bau_penanganan),
                ("plan", w.plan_pengurangan, w.plan_penanganan),
            )
        },
        scenarios=True,
        rolled=r.rolled,
        derive=_waste_balance,
    )
    return [
        _table(
            "waste",
            "Neraca sampah (BAU dan rencana)",
            "Waste balance (BAU and plan)",
            df,
            _prov(r.waste_obs, r.t_status, r.waste),
        )
    ]


def _needs_ald_table(r: _Assembly) -> list[Table]:
    return [
        _table(
            "needs_ald",
            "Kebutuhan air limbah domestik per tahun",
            "Domestic wastewater needs per year",
            _rollup(r.inputs, r.a, r.a.ladder.annual, rolled=r.rolled),
            _prov(r.ladder_obs, r.t_status, r.ald),
            "Kebutuhan tahunan = kenaikan dari tahun ke tahun; kekurangan wilayah tidak saling menutupi.",
            "Annual needs = year-on-year increases; an area above its path does not offset another.",
        )
    ]


def _service_ald_table(r: _Assembly) -> list[Table]:
    a, s = r.a, r.a.service
    svc = _long(
        a.city_kode,
        a.years,
        dict(
            enrolled_hh=s.enrolled_hh,
            desludgings=s.desludgings,
            septage_m3_per_year=s.septage_m3_per_year,
            iplt_load_m3_per_day=s.iplt_load_m3_per_day,
            iplt_capacity_m3_per_day=s.iplt_capacity_m3_per_day,
            iplt_utilisation_pct=s.iplt_utilisation_pct,
            iplt_capacity_to_add_m3_per_day=s.iplt_capacity_to_add_m3_per_day,
            vacuum_trucks_needed=s.vacuum_trucks_needed,
            vacuum_trucks_existing=s.vacuum_trucks_existing,
            vacuum_trucks_to_add=s.vacuum_trucks_to_add,
            desludgings_per_truck_year=s.desludgings_per_truck_year[:, None]
            * np.ones_like(s.desludgings),
            spald_t_plants_to_add=a.spald_t_plants_cum,
            spald_t_capacity_conn=a.spald_t_capacity,
        ),
    )
    return [
        _table(
            "service_ald",
            "Layanan lumpur tinja terjadwal (L2T2), IPLT dan truk tinja",
            "Scheduled desludging (L2T2), IPLT and vacuum trucks",
            svc,
            _prov(r.ladder_obs, r.fac_status, r.ald),
        )
    ]


def _needs_waste_table(r: _Assembly) -> list[Table]:
    a, w, years = r.a, r.a.waste_city, r.a.years
    tps_new = np.zeros_like(w["tps3r_units_total"])
    tps_new[:, 1:] = np.maximum(np.diff(w["tps3r_units_total"], axis=1), 0)
    full = a.tpa.full_year
    full_flag = np.where(
        ~np.isnan(full)[:, None] & (years[None, :] >= np.nan_to_num(full)[:, None]), 1.0, 0.0
    )
    nw = _long(
        a.city_kode,
        years,
        dict(
            generated_tpd=w["generated_tpd"],
            required_pengurangan_tpd=w["required_pengurangan_tpd"],
            required_penanganan_tpd=w["required_penanganan_tpd"],
            route_tps3r_tpd=w["route_tps3r_tpd"],
            route_bank_sampah_tpd=w["route_bank_sampah_tpd"],
            route_other_tpd=w["route_other_tpd"],
            tps3r_residue_new_tpd=w["tps3r_residue_new_tpd"],
            tps3r_units_total=w["tps3r_units_total"],
            tps3r_units_new=tps_new,
            bank_sampah_units_total=w["bank_sampah_units_total"],
            collection_trucks_needed=w["collection_trucks_needed"],
            collection_trucks_existing=w["collection_trucks_existing"],
            collection_trucks_to_add=w["collection_trucks_to_add"],
            collection_tpd_per_truck=a.notes["fleet_tpd_per_truck"][:, None]
            * np.ones_like(w["generated_tpd"]),
            landfilled_tpd=w["landfilled_tpd"],
            tpa_remaining_t=a.tpa.remaining_t,
            landfill_volume_m3=a.tpa.landfill_volume_m3,
            facility_volume_m3=a.tpa.facility_volume_m3,
            city_share_pct=100.0 * a.tpa.city_share,
        ),
    )
    nw["tpa_owner"] = np.repeat(
        np.where(a.notes["tpa_regional"], "regional", "sendiri").astype(object), len(years)
    )
    nw["tpa_full"] = np.where(full_flag.reshape(-1) > 0, "ya", "")
    nw.loc[np.repeat(np.isnan(a.tpa.capacity_t), len(years)), "tpa_remaining_t"] = np.nan
    tpa_obs = [
        "tpa_remaining_life_years",
        "tpa_inflow_tpd",
        "waste_landfilled_tpd",
        "waste_density_kg_per_m3",
    ]
    return [
        _table(
            "needs_waste",
            "Kebutuhan persampahan per tahun",
            "Solid-waste needs per year",
            nw,
            _prov(r.waste_obs, r.fac_status, r.obs_status(tpa_obs), r.waste),
        )
    ]


def _costs_table(r: _Assembly) -> list[Table]:
    uc, _fs = r.cost_status()
    return [
        _table(
            "costs",
            "Biaya investasi dan operasional per tahun",
            "Capital and operating costs per year",
            r.a.costs[COST_COLUMNS],
            _prov(uc, r.cost, r.ladder_obs, r.waste_obs, r.t_status),
            PRICE_NOTE_ID,
            PRICE_NOTE_EN,
        )
    ]


def _funding_table(r: _Assembly) -> list[Table]:
    uc, fs = r.cost_status()
    return [
        _table(
            "funding",
            "Indikasi pendanaan (sumber x tahun x sektor)",
            "Funding indication (source x year x sector)",
            r.a.funding,
            _prov(uc, fs, r.cost),
        )
    ]


def _medium_term_table(r: _Assembly) -> list[Table]:
    uc, _fs = r.cost_status()
    p0, p1 = r.a.options.period
    return [
        _table(
            "medium_term",
            f"Kebutuhan jangka menengah {p0}-{p1}",
            f"Medium-term needs {p0}-{p1}",
            medium_term(r.a.costs, p0, p1),
            _prov(uc, r.cost, r.ladder_obs, r.waste_obs, r.t_status),
            PRICE_NOTE_ID + " " + OM_NOTE_ID,
            PRICE_NOTE_EN + " " + OM_NOTE_EN,
        )
    ]


def _parameters_table(r: _Assembly) -> list[Table]:
    ptab = r.inputs.parameters.table()
    ptab["value"] = ptab["value"].astype(str)
    ptab["default"] = ptab["default"].astype(str)
    return [
        _table(
            "parameters",
            "Parameter yang dipakai",
            "Parameters used",
            ptab[["name", "value", "unit", "default", "overridden", "source", "status"]],
            count_status(ptab["status"].astype(str)),
            labels={
                "source": _col("Sumber", "Source", "", "text"),
                "unit": _col("Satuan", "Unit", "", "text"),
            },
        )
    ]


#: The table stages of :func:`assemble`, in report order; each returns its table(s).
TABLE_STAGES: tuple[Callable[[_Assembly], list[Table]], ...] = (
    _retrospective_table,
    _headline_tables,
    _gap_table,
    _population_table,
    _ladder_table,
    _waste_table,
    _needs_ald_table,
    _service_ald_table,
    _needs_waste_table,
    _costs_table,
    _funding_table,
    _medium_term_table,
    _parameters_table,
)


def assemble(inputs: PlanInputs, a: PlanArrays) -> PlanResult:
    """Labelled tables, provenance and warnings from the computed arrays: one stage per
    table (:data:`TABLE_STAGES`), in report order."""
    a.notes["areas"] = _areas(inputs, a)
    run = _Assembly.of(inputs, a)
    with tracking() as read:
        tables = {t.name: t for stage in TABLE_STAGES for t in stage(run)}
        warns = tuple(warnings(inputs, a))
    return PlanResult(
        options=a.options,
        tables=tables,
        warnings=warns,
        parameters_read=merge(a.parameters_read, read.frozen()),
        parameters=inputs.parameters,
        city_kodes=tuple(str(k) for k in a.city_kode),
        target_sets=a.target_sets,
        arrays=a,
        inputs=inputs,
    )


def with_reads(result: PlanResult, read: ReadLog) -> PlanResult:
    """``result`` with the parameter reads of ``read`` (a chapter added to it) merged into
    ``parameters_read`` (docs/METHOD.md §16)."""
    if not read.by_computation:
        return result
    return replace(result, parameters_read=merge(result.parameters_read, read.frozen()))
