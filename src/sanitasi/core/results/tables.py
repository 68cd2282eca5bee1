"""The plan's computed tables: retrospective, headline, gap, medium-term needs
(``docs/METHOD.md`` §4–§8)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from sanitasi.core import targets as tg
from sanitasi.core.costs import OM_NEED
from sanitasi.core.model import (
    INDICATORS,
    RUNGS,
    PlanInputs,
)
from sanitasi.core.plan import HEADLINE, PlanArrays
from sanitasi.core.results.frames import (
    _clean,
    _gap_achieved,
    _long,
)
from sanitasi.core.tree import ratio_pct

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
