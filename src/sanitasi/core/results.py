"""Labelled result tables of a plan run (:func:`run_plan`).

Tables are long DataFrames (``kode``, ``year``, values) at every level of the region tree
that the run covers: leaves, kecamatan, kab/kota, and province and nation when the run
holds more than one city. Counts are summed up the tree; percentages are ratios of sums.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sanitasi.core import targets as tg
from sanitasi.core.costs import COST_COLUMNS, OM_NEED
from sanitasi.core.model import (
    INDICATORS,
    RUNGS,
    Column,
    PlanInputs,
    PlanOptions,
    PlanResult,
    Table,
    Warning_,
    count_status,
)
from sanitasi.core.plan import HEADLINE, NEEDS_INDICATORS, ObsIndex, PlanArrays, compute
from sanitasi.core.reads import ReadLog, merge, names_of, tracking
from sanitasi.core.tree import NATIONAL_KODE, Chain, chain, ratio_pct

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


# ----------------------------------------------------------------------------- helpers


def _clean(x: np.ndarray) -> np.ndarray:
    """Round float noise (|x| < 1e-6) and negative zero to 0."""
    return np.where(np.abs(x) < 1e-6, 0.0, x) + 0.0


def _gap_achieved(gap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A signed gap (positive = behind) as a gap that is never negative and the points by
    which a met target is exceeded (docs/METHOD.md §5: a met target shows as achieved,
    ``+x`` points, never as a negative gap). NaN stays NaN in both."""
    g = _clean(np.asarray(gap, dtype=float))
    return np.maximum(g, 0.0), _clean(np.maximum(-g, 0.0))


def _long(codes: np.ndarray, years: np.ndarray, cols: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """(g, T) arrays -> long frame with kode, year and one column per array."""
    g, T = len(codes), len(years)
    data: dict[str, object] = {
        # the g codes as text, repeated by an Arrow take (not converted row by row)
        "kode": pd.array(np.asarray(codes, dtype=object), dtype="str").take(
            np.repeat(np.arange(g), T)
        ),
        "year": np.tile(np.asarray(years, dtype=np.int64), g),
    }
    for k, v in cols.items():
        data[k] = np.asarray(v, dtype=float).reshape(-1)
    return pd.DataFrame(data)


def _levels(a: PlanArrays) -> Chain:
    """The roll-up rows of the run: leaves up to kab/kota, or to province and nation when the
    run holds more than one city (each level summed from the one below)."""
    cached = a.notes.get("chain")
    if isinstance(cached, Chain):
        return cached
    ch = chain(a.tree, len(a.city_kode) > 1)
    a.notes["chain"] = ch
    return ch


def _column_buffer(vs: list[np.ndarray], g: int, T: int) -> np.ndarray | None:
    """The (S*g, T) buffer whose leaf rows the arrays ``vs`` (one per scenario) already are
    (see ``sanitasi.core.plan._in_buffers``), else None."""
    base = vs[0].base
    if not isinstance(base, np.ndarray) or base.shape != (len(vs) * g, T):
        return None
    start = base.__array_interface__["data"][0]
    for i, v in enumerate(vs):
        at = start + i * g * T * base.itemsize
        if v.base is not base or v.__array_interface__["data"][0] != at or v.dtype != base.dtype:
            return None
    return base


def _cat(values: tuple[np.ndarray, pd.Index], pos: np.ndarray) -> pd.Categorical:
    """Categorical of ``values[pos]`` from factorized (codes, categories), without
    materialising the repeated strings."""
    codes, cats = values
    return pd.Categorical.from_codes(codes[pos], categories=cats, validate=False)


def _areas(
    inputs: PlanInputs, a: PlanArrays
) -> tuple[np.ndarray, tuple[np.ndarray, pd.Index], tuple[np.ndarray, pd.Index]]:
    """Codes, and factorized names and levels, of every area of the run, leaves first then
    each level up (a region listed twice: its first row; not listed: blank). Looked up and
    encoded with Arrow kernels (about 90,000 codes on the national run)."""
    codes = np.concatenate(_levels(a).codes).astype(str)
    reg = inputs.regions

    def arrow(values: object) -> pa.Array:
        arr = pa.array(values)
        return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr

    pos = pc.index_in(arrow(codes.astype(object)), value_set=arrow(reg["kode"]))
    nat = pa.array(codes == NATIONAL_KODE)

    def fact(name: str, national: str) -> tuple[np.ndarray, pd.Index]:
        taken = pc.fill_null(pc.take(arrow(reg[name]), pos), "")
        values = arrow(pc.if_else(nat, national, taken)).dictionary_encode()
        c = values.indices.to_numpy(zero_copy_only=False).astype(np.int32)
        return c, pd.Index(values.dictionary.to_numpy(zero_copy_only=False))

    return codes, fact("nama", "INDONESIA"), fact("tingkat", "nasional")


def _rollup(
    inputs: PlanInputs,
    a: PlanArrays,
    arrays: Mapping[str, np.ndarray] | Mapping[str, Mapping[str, np.ndarray]],
    scenarios: bool = False,
    rolled: dict[int, np.ndarray] | None = None,
    derive: Callable[[Mapping[str, np.ndarray]], Mapping[str, np.ndarray]] | None = None,
) -> pd.DataFrame:
    """Sum leaf arrays up every level into one long frame: kode, nama, tingkat, [scenario,]
    year, ... With ``scenarios``, ``arrays`` maps scenario -> {column: leaf array}.

    ``kode``, ``nama``, ``tingkat`` and ``scenario`` are categoricals (one entry per area,
    repeated per year, shared by the tables of the run), so the national frame stays small.
    ``rolled`` (leaf array id -> its rows at every level) lets an array already summed, in
    this table or an earlier one (households, generated waste), be copied, not summed
    again. ``derive`` (flat columns -> more columns, e.g. percentages) adds columns before
    the frame is built (adding them to the frame would copy each)."""
    scen: Mapping[str, Mapping[str, np.ndarray]] = arrays if scenarios else {"": arrays}  # type: ignore[assignment,dict-item]
    ch = _levels(a)
    codes, nama, ting = a.notes.get("areas") or _areas(inputs, a)
    T, g = len(a.years), len(codes)
    rolled = {} if rolled is None else rolled
    S = len(scen)
    names = list(dict.fromkeys(k for arrs in scen.values() for k in arrs))
    cols: dict[str, np.ndarray] = {}
    for k in names:
        vs = [arrs[k] for arrs in scen.values()]
        shared = _column_buffer(vs, g, T) if len(vs) == S else None
        if shared is not None:  # the engine's arrays are this column's leaf rows
            for si in range(S):
                block = shared[si * g : (si + 1) * g]
                if id(vs[si]) not in rolled:
                    ch.fill(block)
                    rolled[id(vs[si])] = block
            cols[k] = shared
            continue
        # One preallocated column; each level is summed from the level below, straight
        # into its slice (or copied when that array was summed before).
        col = cols[k] = np.empty((S * g, T))
        for si, v in enumerate(vs):
            block = col[si * g : (si + 1) * g]
            if id(v) in rolled:
                block[...] = rolled[id(v)]
                continue
            block[: len(v)] = v
            ch.fill(block)
            rolled[id(v)] = block
    labels = a.notes.get(f"labels{S}")
    if labels is None:  # built once per run for each number of scenarios
        pos = np.tile(np.repeat(np.arange(g, dtype=np.int32), T), S)
        if "kode_index" not in a.notes:  # one Index: its uniqueness is checked once
            a.notes["kode_index"] = pd.Index(codes)
        labels = {
            "kode": pd.Categorical.from_codes(
                pos, categories=a.notes["kode_index"], validate=False
            ),
            "nama": _cat(nama, pos),
            "tingkat": _cat(ting, pos),
        }
        a.notes[f"labels{S}"] = labels
    data: dict[str, object] = dict(labels)
    if scenarios:
        names = list(scen)
        data["scenario"] = pd.Categorical.from_codes(
            np.repeat(np.arange(len(names), dtype=np.int8), g * T), categories=pd.Index(names)
        )
    data["year"] = np.tile(np.asarray(a.years, dtype=np.int64), g * len(scen))
    flat = {k: col.reshape(-1) for k, col in cols.items()}
    data.update(flat)
    if derive is not None:
        data.update(derive(flat))
    return pd.DataFrame(data, copy=False)


def _table(
    name: str,
    tid: str,
    ten: str,
    df: pd.DataFrame,
    prov: Mapping[str, int],
    note_id: str = "",
    note_en: str = "",
    labels: Mapping[str, Column] | None = None,
) -> Table:
    """A labelled table; ``labels`` overrides the shared column catalogue for this table."""
    own = labels or {}
    cols = {c: own.get(c) or COLUMNS.get(c, Column(c, c)) for c in df.columns}
    return Table(name, tid, ten, df.reset_index(drop=True), cols, dict(prov), note_id, note_en)


def _prov(*groups: Mapping[str, int] | Iterable[str]) -> dict[str, int]:
    """Sum provenance counts of several input groups (counters or lists of statuses)."""
    out = count_status([])
    for g in groups:
        counts = g if isinstance(g, Mapping) else count_status(g)
        for k, v in counts.items():
            key = k if k in out else "unverified"
            out[key] += int(v)
    return out


def _param_status(inputs: PlanInputs, names: Iterable[str]) -> list[str]:
    """Statuses of the parameters ``names`` (reading a status is not a read of a value)."""
    P = inputs.parameters.params
    return [P[n].status for n in sorted(names) if n in P]


def _read_status(inputs: PlanInputs, a: PlanArrays, *computations: str) -> list[str]:
    """Statuses of the parameters the computations ``computations`` (a name ``c`` also
    covers ``c.*``) read in this run (``a.parameters_read``, docs/METHOD.md §16)."""
    return _param_status(inputs, names_of(a.parameters_read, computations))


# ----------------------------------------------------------------------------- tables


def _city_values(inputs: PlanInputs, a: PlanArrays, years: Iterable[int]) -> pd.DataFrame:
    """City values per (kode, year) x indicator: the city's own observation, else the sum of
    its leaf (desa/kelurahan) observations; the base year comes from the engine's own
    baseline arrays (the same numbers, without rescanning the observations)."""
    b = a.options.base_year
    cities = a.city_kode
    o = inputs.observations
    o = o[o["year"].isin([y for y in years if y != b])]
    frames = []
    if len(o):
        k = o["kode"].astype(str)
        o = o[k.str.slice(0, 5).isin(list(cities))]
        k = o["kode"].astype(str)
        own = o[k.str.len() == 5].groupby(["kode", "year", "indicator"])["value"].first()
        leaf = o[k.str.len() > 8].assign(kode=k[k.str.len() > 8].str.slice(0, 5))
        sums = leaf.groupby(["kode", "year", "indicator"])["value"].sum()
        both = own.combine_first(sums)
        if len(both):
            frames.append(both.unstack("indicator").reset_index())
    if b in set(years):
        c = a.tree.city()
        base = {f"hh_{r}": c.sum(a.ladder.bau[r][:, :1])[:, 0] for r in RUNGS}
        base["households"] = c.sum(a.pop.households[:, :1])[:, 0]
        base["waste_generated_tpd"] = c.sum(a.waste.generated[:, :1])[:, 0]
        base["waste_pengurangan_tpd"] = c.sum(a.waste.bau_pengurangan[:, :1])[:, 0]
        base["waste_penanganan_tpd"] = c.sum(a.waste.bau_penanganan[:, :1])[:, 0]
        frames.append(pd.DataFrame({"kode": cities.astype(str), "year": b, **base}))
    if not frames:
        return pd.DataFrame(columns=["kode", "year"])
    return pd.concat(frames, ignore_index=True)


def _pct_from(
    vals: pd.DataFrame, indicator: pd.Series
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised city actual (percent), denominator and unit for each row of ``vals``."""

    def col(name: str) -> np.ndarray:
        return vals[name].to_numpy(dtype=float) if name in vals else np.full(len(vals), np.nan)

    ind = indicator.to_numpy(dtype=str)
    hh, gen = col("households"), col("waste_generated_tpd")
    num = np.select(
        [
            ind == "pct_layak",
            ind == "pct_aman",
            ind == "pct_babs_terbuka",
            ind == "pct_hh_waste_served",
            ind == "pct_waste_pengurangan",
            ind == "pct_waste_penanganan",
            ind == "pct_waste_managed",
        ],
        [
            col("hh_aman") + col("hh_layak_sendiri") + col("hh_layak_bersama"),
            col("hh_aman"),
            col("hh_babs_terbuka"),
            col("hh_waste_served"),
            col("waste_pengurangan_tpd"),
            col("waste_penanganan_tpd"),
            col("waste_pengurangan_tpd") + col("waste_penanganan_tpd"),
        ],
        np.nan,
    )
    hh_based = np.array(
        [INDICATORS.get(i, {}).get("basis") == "households" for i in ind], dtype=bool
    )
    den = np.where(hh_based, hh, gen)
    pct = ratio_pct(num, den)
    direct = np.full(len(vals), np.nan)
    for i in np.unique(ind):
        if i in vals:
            m = ind == i
            direct[m] = vals.loc[m, i].to_numpy(dtype=float)
    pct = np.where(np.isnan(direct), pct, direct)
    return pct, den, np.where(hh_based, "households", "t/day")


def retrospective(inputs: PlanInputs, a: PlanArrays) -> pd.DataFrame:
    """Target vs actual for target points in or before the base year (per city).

    gap_pts = max(target - actual, 0) (reversed for lower-is-better indicators), behind;
    achieved_pts = max(actual - target, 0), a met target; gap_units = gap_pts / 100 x
    households (or generated t/day) of that year.
    """
    cols = [
        "kode",
        "target_set",
        "indicator",
        "year",
        "target_pct",
        "actual_pct",
        "gap_pts",
        "achieved_pts",
        "gap_units",
        "unit",
        "data",
    ]
    b = a.options.base_year
    t = inputs.targets
    t = t[(t["kind"] == "target") & (t["year"] <= b) & t["target_set"].isin(list(a.target_sets))]
    if t.empty:
        return pd.DataFrame(columns=cols)
    scope = t["scope_kode"].fillna("").astype(str)
    nat = t[scope == ""]
    cities = pd.DataFrame({"kode": a.city_kode.astype(str)})
    rows = pd.concat(
        [cities.merge(nat, how="cross"), t[scope != ""].assign(kode=scope[scope != ""])],
        ignore_index=True,
    )
    rows = rows[rows["kode"].isin(cities["kode"])]
    vals = _city_values(inputs, a, t["year"].unique())
    m = rows[["kode", "year"]].merge(vals, on=["kode", "year"], how="left")
    actual, den, unit = _pct_from(m, rows["indicator"].reset_index(drop=True))
    sign = np.where([tg.lower_is_better(str(i)) for i in rows["indicator"]], -1.0, 1.0)
    target = rows["value"].to_numpy(dtype=float)
    gap, achieved = _gap_achieved(sign * (target - actual))
    ok = ~np.isnan(actual)
    out = pd.DataFrame(
        {
            "kode": rows["kode"].to_numpy(),
            "target_set": rows["target_set"].to_numpy(),
            "indicator": rows["indicator"].to_numpy(),
            "year": rows["year"].to_numpy(dtype=np.int64),
            "target_pct": target,
            "actual_pct": actual,
            "gap_pts": np.where(ok, gap, np.nan),
            "achieved_pts": np.where(ok, achieved, np.nan),
            "gap_units": np.where(ok, gap / 100.0 * den, np.nan),
            "unit": unit,
            "data": np.where(ok, "ok", "no_data"),
        }
    )
    return out.sort_values(["kode", "year", "target_set", "indicator"]).reset_index(drop=True)[cols]


class _CitySums:
    """Leaf numerators and denominators of the headline indicators and their city sums,
    each computed once per assembly (the headline and every target set's gap share them)."""

    def __init__(self, a: PlanArrays) -> None:
        self.a = a
        self.city = a.tree.city()
        self._leaf: dict[str, np.ndarray] = {}
        self._sum: dict[str, np.ndarray] = {}

    def bau_leaf(self, indicator: str) -> np.ndarray:
        """BAU numerator per leaf (households or t/day)."""
        if indicator not in self._leaf:
            self._leaf[indicator] = _bau_leaf(self.a, indicator)
        return self._leaf[indicator]

    def bau(self, indicator: str) -> np.ndarray:
        """BAU numerator per city (C, T)."""
        if indicator not in self._sum:
            self._sum[indicator] = self.city.sum(self.bau_leaf(indicator))
        return self._sum[indicator]

    def den(self, indicator: str) -> tuple[np.ndarray, np.ndarray, str]:
        """(leaf denominator, city denominator, unit) of an indicator."""
        hh = INDICATORS[indicator]["basis"] == "households"
        key, unit = ("households", "households") if hh else ("generated", "t/day")
        leaf = self.a.pop.households if hh else self.a.waste.generated
        if key not in self._sum:
            self._sum[key] = self.city.sum(leaf)
        return leaf, self._sum[key], unit

    def shortfall(
        self, indicator: str, leaf_path: np.ndarray, cols: np.ndarray | None = None
    ) -> np.ndarray:
        """Sum over each city's areas of ``max(path x den - BAU, 0)`` (reversed when lower
        is better): each area's own shortfall, an area above its path offsets nothing.
        ``cols``: only these year columns (``leaf_path`` holds just them)."""
        leaf_den, _den, _unit = self.den(indicator)
        bau = self.bau_leaf(indicator)
        if cols is not None:
            leaf_den, bau = leaf_den[:, cols], bau[:, cols]
        x = leaf_path * leaf_den
        x -= bau
        if tg.lower_is_better(indicator):
            np.negative(x, out=x)
        np.maximum(x, 0.0, out=x)
        return _clean(self.city.sum(x))


def _bau_leaf(a: PlanArrays, indicator: str) -> np.ndarray:
    """BAU numerator per leaf (households or t/day)."""
    L = a.ladder.bau
    return {
        "pct_layak": lambda: L["aman"] + L["layak_sendiri"] + L["layak_bersama"],
        "pct_aman": lambda: L["aman"],
        "pct_babs_terbuka": lambda: L["babs_terbuka"],
        "pct_waste_pengurangan": lambda: a.waste.bau_pengurangan,
        "pct_waste_penanganan": lambda: a.waste.bau_penanganan,
        "pct_waste_managed": lambda: a.waste.bau_pengurangan + a.waste.bau_penanganan,
    }[indicator]()


def headline(a: PlanArrays, sums: _CitySums | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Headline indicators per city and year, and the trajectory with its binding set.

    gap = trajectory - BAU (reversed when lower is better), never negative; a trajectory the
    BAU already meets shows ``achieved_pts`` instead; the sum of area shortfalls counts
    each area's own shortfall (an area above its path offsets nothing)."""
    sums = sums or _CitySums(a)
    frames, trajs = [], []
    for ind in HEADLINE:
        _leaf_den, den, unit = sums.den(ind)
        bau = ratio_pct(sums.bau(ind), den)
        traj = a.city_paths[ind] * 100.0
        sign = -1.0 if tg.lower_is_better(ind) else 1.0
        gap, achieved = _gap_achieved(sign * (traj - bau))
        short = np.where(np.isnan(traj), np.nan, sums.shortfall(ind, a.leaf_paths[ind]))
        base = np.repeat(bau[:, :1], len(a.years), axis=1)
        df = _long(
            a.city_kode,
            a.years,
            dict(
                baseline_pct=base,
                bau_pct=bau,
                trajectory_pct=traj,
                gap_pts=gap,
                achieved_pts=achieved,
                gap_units=gap / 100.0 * den,
                area_shortfall_units=short,
            ),
        )
        df.insert(1, "indicator", ind)
        df["unit"] = unit
        frames.append(df)
        tdf = _long(a.city_kode, a.years, dict(value_pct=traj))
        tdf.insert(1, "indicator", ind)
        tdf["binding_set"] = [s for row in a.binding[ind] for s in row]
        tdf["held"] = np.where(a.held[ind].reshape(-1), "ya", "")
        trajs.append(tdf)
    return pd.concat(frames, ignore_index=True), pd.concat(trajs, ignore_index=True)


def _leaf_share(a: PlanArrays, ind: str) -> np.ndarray:
    sh = a.base_share
    return {
        "pct_layak": lambda: sh["aman"] + sh["layak_sendiri"] + sh["layak_bersama"],
        "pct_aman": lambda: sh["aman"],
        "pct_babs_terbuka": lambda: sh["babs_terbuka"],
        "pct_waste_pengurangan": lambda: sh["waste_pengurangan"],
        "pct_waste_penanganan": lambda: sh["waste_penanganan"],
        "pct_waste_managed": lambda: sh["waste_pengurangan"] + sh["waste_penanganan"],
    }[ind]()


GAP_COLUMNS = [
    "target_set",
    "kode",
    "indicator",
    "year",
    "target_pct",
    "bau_pct",
    "gap_pts",
    "achieved_pts",
    "gap_units",
    "area_shortfall_units",
    "unit",
    "held",
    "data",
]


def _no_data_rows(a: PlanArrays, s: str, ts: pd.DataFrame) -> list[pd.DataFrame]:
    """Points of indicators the engine has no data for (e.g. ``pct_waste_dikelola``)."""
    frames = []
    for r in ts.to_dict("records"):
        scope = str(r["scope_kode"] or "")
        ks = a.city_kode if scope == "" else a.city_kode[a.city_kode == scope]
        frames.append(
            pd.DataFrame(
                {
                    "target_set": s,
                    "kode": ks,
                    "indicator": str(r["indicator"]),
                    "year": int(r["year"]),
                    "target_pct": float(r["value"]),
                    "bau_pct": np.nan,
                    "gap_pts": np.nan,
                    "achieved_pts": np.nan,
                    "gap_units": np.nan,
                    "area_shortfall_units": np.nan,
                    "unit": "",
                    "held": "",
                    "data": "no_data",
                }
            )
        )
    return frames


def gap_tables(inputs: PlanInputs, a: PlanArrays, sums: _CitySums | None = None) -> pd.DataFrame:
    """Per selected target set: its points after the base year (and its held target, caught
    up by the end of the SSK period) vs BAU: the city net gap and the sum of area
    shortfalls, each area on the set's own path by proportional gap closure (docs/METHOD.md
    §4-§5). A met point shows ``achieved_pts``; indicators with points but no data (e.g.
    ``pct_waste_dikelola``) are reported as ``no_data``."""
    c = a.tree.city()
    sums = sums or _CitySums(a)
    b, horizon = a.options.base_year, a.options.horizon
    p1 = a.options.period[1]
    t = inputs.targets
    share0 = a.notes["city_share0"]
    frames: list[pd.DataFrame] = []
    for s in a.target_sets:
        ts = t[(t["target_set"] == s) & (t["kind"] == "target")]
        nd = ts[~ts["indicator"].isin(HEADLINE) & (ts["year"] > b) & (ts["year"] <= horizon)]
        frames += _no_data_rows(a, s, nd)
        for ind in [i for i in HEADLINE if i in set(ts["indicator"])]:
            if s == tg.LOCAL:
                pts = [tg.set_points(inputs.targets, s, str(ck), ind, b, p1) for ck in a.city_kode]
            else:
                pts = [tg.set_points(inputs.targets, s, "", ind, b, p1)] * len(a.city_kode)
            if not any(len(p.years) for p in pts):
                continue
            _leaf_den, den, unit = sums.den(ind)
            lower = tg.lower_is_better(ind)
            sign = -1.0 if lower else 1.0
            bau = ratio_pct(sums.bau(ind), den)
            groups: dict[tuple[int, float, bool], list[int]] = {}
            for ci, p in enumerate(pts):
                for y, v, h in zip(p.years, p.values, p.held, strict=True):
                    if y <= horizon:
                        groups.setdefault((int(y), float(v), bool(h)), []).append(ci)
            # Area paths and shortfalls only in the years of the set's points.
            js = np.unique(np.array([y - b for y, _v, _h in groups], dtype=np.intp))
            lp, _cp = tg.area_paths(
                _leaf_share(a, ind), c.inverse, share0[ind], pts, a.years, b, lower, columns=js
            )
            short = np.full((len(a.city_kode), len(a.years)), np.nan)
            short[:, js] = sums.shortfall(ind, lp, js)
            del lp
            for (y, v, h), cis in groups.items():
                idx = np.asarray(cis)
                j = y - b
                g, ach = _gap_achieved(sign * (v - bau[idx, j]))
                ok = ~np.isnan(bau[idx, j])
                frames.append(
                    pd.DataFrame(
                        {
                            "target_set": s,
                            "kode": a.city_kode[idx],
                            "indicator": ind,
                            "year": y,
                            "target_pct": v,
                            "bau_pct": bau[idx, j],
                            "gap_pts": np.where(ok, g, np.nan),
                            "achieved_pts": np.where(ok, ach, np.nan),
                            "gap_units": np.where(ok, g / 100.0 * den[idx, j], np.nan),
                            "area_shortfall_units": np.where(ok, short[idx, j], np.nan),
                            "unit": unit,
                            "held": "ya" if h else "",
                            "data": np.where(ok, "ok", "no_data"),
                        }
                    )
                )
    if not frames:
        return pd.DataFrame(columns=GAP_COLUMNS)
    out = pd.concat(frames, ignore_index=True)[GAP_COLUMNS]
    order = {k: i for i, k in enumerate(a.target_sets)}
    out = out.assign(_o=out["target_set"].map(order)).sort_values(
        ["_o", "kode", "indicator", "year"], kind="stable"
    )
    return out.drop(columns="_o").reset_index(drop=True)


PRICE_NOTE_ID = (
    "Rupiah nominal tahun belanja: harga satuan dieskalasi dari tahun harganya dengan "
    "cost_escalation_rate_per_year; biaya program dibandingkan apa adanya (sebagaimana "
    "dianggarkan, juga nominal)."
)
PRICE_NOTE_EN = (
    "Nominal rupiah of the year spent: unit costs escalated from their price year with "
    "cost_escalation_rate_per_year; programme costs are compared as budgeted (also nominal)."
)
OM_NOTE_ID = (
    "Volume operasi & pemeliharaan = nilai modal aset pada akhir periode (rupiah tahun itu), "
    "bukan jumlah nilai modal tiap tahun."
)
OM_NOTE_EN = (
    "The operation & maintenance quantity is the capital stock at the end of the period (in "
    "rupiah of that year), not a sum of yearly stocks."
)


def medium_term(costs: pd.DataFrame, p0: int, p1: int) -> pd.DataFrame:
    """Needs of the SSK period per city, sector and need: quantities and costs summed over
    the years ``p0..p1``; the O&M row's quantity is the capital stock of the last year (a
    stock, not a flow; docs/METHOD.md §8)."""
    per = costs[(costs["year"] >= p0) & (costs["year"] <= p1)]
    keys = ["kode", "sector", "need", "unit"]
    mt = per.groupby(keys, as_index=False, dropna=False)[["quantity", "cost_idr"]].sum()
    om = per[per["need"] == OM_NEED]
    if not om.empty:
        last = om[om["year"] == om.groupby(keys, dropna=False)["year"].transform("max")]
        stock = last.groupby(keys, dropna=False)["quantity"].sum()
        idx = pd.MultiIndex.from_frame(mt[keys])
        is_om = (mt["need"] == OM_NEED).to_numpy()
        mt.loc[is_om, "quantity"] = stock.reindex(idx[is_om]).to_numpy()
    return pd.DataFrame(mt)


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
