"""Property tests (hypothesis) of the engine's invariants (docs/METHOD.md §1-§8)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from sanitasi.core import wastewater as ww
from sanitasi.core.model import RUNGS, PlanInputs, PlanOptions
from sanitasi.core.results import run_plan

FAST = settings(
    max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def ladders(draw: st.DrawFn) -> dict[str, Any]:
    """Random areas x years: households, base ladder shares, trajectories (some NaN), flags."""
    n = draw(st.integers(1, 5))
    T = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    h0 = rng.uniform(0.0, 2000.0, n) * (rng.random(n) > 0.05)  # a few empty areas
    growth = np.cumprod(rng.uniform(0.9, 1.15, (n, T)), axis=1)
    growth[:, 0] = 1.0
    H = h0[:, None] * growth
    raw = rng.random((n, 6)) * (rng.random((n, 6)) > 0.3)  # many zero rungs
    raw[raw.sum(axis=1) == 0, 1] = 1.0
    shares = raw / raw.sum(axis=1, keepdims=True)
    base_share = {r: shares[:, i] for i, r in enumerate(RUNGS)}

    def traj() -> np.ndarray:
        t = rng.random((n, T))
        return np.where(rng.random((n, T)) < 0.15, np.nan, t)

    return dict(
        H=H,
        base_share=base_share,
        mode=draw(st.sampled_from(["baseline", "layak_sendiri"])),
        spald_frac=rng.random(n),
        traj_layak=traj(),
        traj_aman=traj(),
        traj_babs=traj(),
        urban=rng.random(n) < 0.7,
        in_zone=rng.random(n) < 0.5,
        spald_t_share=draw(st.floats(0.0, 1.0)),
        ready=draw(st.floats(0.0, 1.0)),
    )


def _run(c: dict[str, Any]) -> ww.LadderNeeds:
    H = c["H"]
    bau = ww.bau_ladder(H, c["base_share"], c["mode"])
    spald = c["spald_frac"][:, None] * bau["aman"]
    return ww.stock_flow(
        H,
        bau,
        spald,
        c["traj_layak"],
        c["traj_aman"],
        c["traj_babs"],
        c["urban"],
        c["in_zone"],
        c["spald_t_share"],
        c["ready"],
    )


@FAST
@given(ladders())
def test_stock_flow_invariants(c: dict[str, Any]) -> None:
    n = _run(c)
    H = c["H"]
    assert isinstance(H, np.ndarray)
    tol = 1e-9 * np.maximum(H, 1.0)
    for stocks in (n.bau, n.plan):
        # rungs sum to households and none is negative
        np.testing.assert_allclose(sum(stocks[r] for r in RUNGS), H, rtol=1e-9, atol=1e-9)
        for r in RUNGS:
            assert (stocks[r] >= -1e-9).all(), r
    lay_bau = n.bau["aman"] + n.bau["layak_sendiri"] + n.bau["layak_bersama"]
    lay_plan = n.plan["aman"] + n.plan["layak_sendiri"] + n.plan["layak_bersama"]
    # no area regresses
    assert (lay_plan >= lay_bau - tol).all()
    assert (n.plan["aman"] >= n.bau["aman"] - tol).all()
    assert (n.plan["babs_terbuka"] <= n.bau["babs_terbuka"] + tol).all()
    # every area reaches its path (capped at its households)
    tl = np.nan_to_num(c["traj_layak"], nan=0.0)
    ta = np.nan_to_num(c["traj_aman"], nan=0.0)
    tb = c["traj_babs"]
    assert isinstance(tb, np.ndarray)
    babs_cap = np.where(np.isnan(tb), np.inf, tb * H)
    assert (lay_plan >= np.minimum(tl * H, H) - tol).all()
    assert (n.plan["aman"] >= np.minimum(ta * H, H) - tol).all()
    assert (n.plan["babs_terbuka"] <= babs_cap + tol).all()
    # needs are never negative; annual needs are 0 in the base year
    for k in n.cumulative:
        assert (n.cumulative[k] >= -1e-9).all(), k
        assert (n.annual[k] >= 0).all(), k
        assert (n.annual[k][:, 0] == 0).all(), k
    assert (n.enrolled >= -1e-9).all()
    # what moves into aman is L2T2 enrolment plus SPALD-T connections
    np.testing.assert_allclose(
        n.plan["aman"] - n.bau["aman"],
        n.cumulative["l2t2_enrolment"] + n.cumulative["spald_t_connection"],
        rtol=1e-9,
        atol=1e-9,
    )


@FAST
@given(ladders(), st.data())
def test_stock_flow_areas_are_independent(c: dict[str, Any], data: st.DataObject) -> None:
    """An area computed alone gives the same needs as inside a larger run."""
    full = _run(c)
    H = c["H"]
    assert isinstance(H, np.ndarray)
    i = data.draw(st.integers(0, H.shape[0] - 1))
    one = dict(c)
    for k in ("H", "spald_frac", "traj_layak", "traj_aman", "traj_babs", "urban", "in_zone"):
        one[k] = c[k][i : i + 1]
    one["base_share"] = {r: v[i : i + 1] for r, v in c["base_share"].items()}
    alone = _run(one)
    for k in full.cumulative:
        np.testing.assert_allclose(alone.cumulative[k][0], full.cumulative[k][i], rtol=1e-12)
    for r in RUNGS:
        np.testing.assert_allclose(alone.plan[r][0], full.plan[r][i], rtol=1e-12)


def test_stock_flow_large_run_matches_small_runs() -> None:
    """More areas than one computation block: the same numbers as area by area (rows 0..9 and
    the last 10 rows computed alone)."""
    rng = np.random.default_rng(7)
    n, T = 5000, 4
    H = rng.uniform(10, 1000, n)[:, None] * np.linspace(1, 1.2, T)[None, :]
    raw = rng.random((n, 6))
    shares = raw / raw.sum(axis=1, keepdims=True)
    c = dict(
        H=H,
        base_share={r: shares[:, i] for i, r in enumerate(RUNGS)},
        mode="baseline",
        spald_frac=rng.random(n),
        traj_layak=rng.random((n, T)),
        traj_aman=rng.random((n, T)),
        traj_babs=rng.random((n, T)),
        urban=rng.random(n) < 0.7,
        in_zone=rng.random(n) < 0.5,
        spald_t_share=0.5,
        ready=0.3,
    )
    full = _run(c)
    for rows in (slice(0, 10), slice(n - 10, n), slice(2040, 2060)):
        part = dict(c)
        for k in ("H", "spald_frac", "traj_layak", "traj_aman", "traj_babs", "urban", "in_zone"):
            part[k] = c[k][rows]
        part["base_share"] = {r: v[rows] for r, v in c["base_share"].items()}
        small = _run(part)
        for k in full.cumulative:
            np.testing.assert_allclose(small.cumulative[k], full.cumulative[k][rows], rtol=1e-12)
            np.testing.assert_allclose(small.annual[k], full.annual[k][rows], rtol=1e-12)
        np.testing.assert_allclose(small.enrolled, full.enrolled[rows], rtol=1e-12)


# ----------------------------------------------------------------------------- whole engine

ENGINE = settings(
    max_examples=examples(8),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _children_sum(df: pd.DataFrame, cols: list[str], keys: list[str]) -> None:
    kode = df["kode"].astype(str).to_numpy()
    ting = df["tingkat"].astype(str).to_numpy()
    leaf = np.isin(ting, ["kelurahan", "desa"])
    for level, width in (("kecamatan", 8), ("kabkota", 5)):
        sums = (
            df[leaf]
            .assign(_k=pd.Series(kode[leaf]).str.slice(0, width).to_numpy())
            .groupby(["_k", *keys], observed=True)[cols]
            .sum()
        )
        par = df[ting == level].assign(_k=kode[ting == level]).set_index(["_k", *keys])[cols]
        np.testing.assert_allclose(
            par.to_numpy(), sums.reindex(par.index).to_numpy(), rtol=1e-9, atol=1e-9
        )


@ENGINE
@given(
    spald_t_share=st.floats(0.0, 1.0),
    ready=st.floats(0.0, 1.0),
    growth=st.one_of(st.none(), st.floats(-0.02, 0.05)),
    method=st.sampled_from(["geometric", "arithmetic", "exponential"]),
    new_hh=st.sampled_from(["baseline", "layak_sendiri"]),
    bau_mode=st.sampled_from(["constant", "trend"]),
)
def test_demo_tables_invariants(
    demo: tuple[PlanInputs, PlanOptions],
    spald_t_share: float,
    ready: float,
    growth: float | None,
    method: str,
    new_hh: str,
    bau_mode: str,
) -> None:
    inputs, options = demo
    over: dict[str, float | str] = {
        "spald_t_share_of_aman_additions_in_zone": spald_t_share,
        "l2t2_ready_share_of_existing_tanks": ready,
        "new_households_ladder": new_hh,
    }
    if growth is not None:
        over["population_growth_rate"] = growth
    res = run_plan(
        replace(inputs, parameters=inputs.parameters.with_overrides(over)),
        replace(options, horizon=2031, growth_method=method, bau_mode=bau_mode),
    )
    lad, w = res["ladder"], res["waste"]
    # shares within [0, 100]
    for df, cols in (
        (lad, ["pct_layak", "pct_aman", "pct_babs_terbuka"]),
        (w, ["pct_waste_pengurangan", "pct_waste_penanganan", "pct_waste_managed"]),
    ):
        v = df[cols].to_numpy()
        assert np.nanmin(v) >= -1e-9 and np.nanmax(v) <= 100 + 1e-9
    # rungs sum to households on every row, none negative
    rungs = lad[[f"hh_{r}" for r in RUNGS]]
    np.testing.assert_allclose(rungs.sum(axis=1), lad["households"], rtol=1e-9)
    assert (rungs.to_numpy() >= -1e-9).all()
    # the waste balance closes: pengurangan + penanganan <= generated
    assert ((w["pengurangan_tpd"] + w["penanganan_tpd"]) <= w["generated_tpd"] * (1 + 1e-9)).all()
    # children sum to parents (kelurahan -> kecamatan -> city)
    _children_sum(lad, [f"hh_{r}" for r in RUNGS] + ["households"], ["scenario", "year"])
    _children_sum(res["population"], ["population", "households"], ["year"])
    _children_sum(w, ["generated_tpd", "pengurangan_tpd", "penanganan_tpd"], ["scenario", "year"])
    # no area regresses below BAU
    piv = lad.assign(_k=lad["kode"].astype(str)).set_index(["scenario", "_k", "year"]).sort_index()
    assert (piv.loc["plan", "pct_layak"] >= piv.loc["bau", "pct_layak"] - 1e-9).all()
    assert (piv.loc["plan", "pct_aman"] >= piv.loc["bau", "pct_aman"] - 1e-9).all()
    # needs and costs are never negative; funding adds up to costs
    needs = res["needs_ald"].select_dtypes("number").drop(columns="year")
    assert (needs.to_numpy() >= 0).all()
    c, f = res["costs"], res["funding"]
    assert (c["cost_idr"] >= 0).all() and (c["quantity"] >= 0).all()
    assert (f["cost_idr"] >= 0).all()
    assert np.isclose(f["cost_idr"].sum(), c["cost_idr"].sum(), rtol=1e-9)


# ----------------------------------------------------------------------------- area paths


@st.composite
def trajectories(draw: st.DrawFn) -> dict[str, Any]:
    """Random areas of a few cities, base shares and increasing-year points of 1-3 sets."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(1, 12))
    C = draw(st.integers(1, 3))
    inv = np.sort(rng.integers(0, C, n))
    base = rng.random(n)
    base[rng.random(n) < 0.1] = np.nan
    k = draw(st.integers(1, 6))
    years = np.sort(rng.choice(np.arange(2025, 2040), size=k, replace=False))
    values = rng.uniform(0.0, 100.0, k)
    sets = [draw(st.sampled_from(["LOCAL", "A", "B"])) for _ in range(k)]
    from sanitasi.core import targets as tg

    pts = tg.Points(years, values, tuple(sets))
    return dict(
        base=base,
        inv=inv,
        city=rng.random(C),
        pts=[pts] * C,
        lower=draw(st.booleans()),
    )


@FAST
@given(trajectories())
def test_no_area_regresses(c: dict[str, Any]) -> None:
    """Proportional gap closure: no area ever moves against the indicator's direction, and no
    area crosses an anchor it started below (above, when lower is better)."""
    from sanitasi.core import targets as tg

    area, city = tg.area_paths(
        c["base"], c["inv"], c["city"], c["pts"], np.arange(2024, 2042), 2024, c["lower"]
    )
    sign = -1.0 if c["lower"] else 1.0
    ok = ~np.isnan(c["base"])
    steps = sign * np.diff(area[ok], axis=1)
    assert (steps >= -1e-12).all()
    assert (sign * np.diff(city, axis=1) >= -1e-12).all()
    # the base year is the base share
    np.testing.assert_allclose(area[ok, 0], c["base"][ok])
    assert np.isnan(area[~ok]).all()
    # an area never overshoots the best anchor value or its own base share
    best = (sign * c["pts"][0].values / 100).max()
    bound = np.maximum(best, sign * c["base"][ok])
    assert ((sign * area[ok]).max(axis=1) <= bound + 1e-12).all()


@FAST
@given(
    st.floats(0.0, 0.6),
    st.floats(0.5, 4.0),
    st.integers(2, 6),
    st.lists(st.floats(0.0, 1.0), min_size=1, max_size=10),
)
def test_linear_local_path_is_not_front_loaded(
    c0: float, step_pts: float, k: int, fractions: list[float]
) -> None:
    """A linear LOCAL path (the same points every year) asks every kelurahan below the final
    sasaran for the same addition every year: the first year never carries a multiple of the
    later years' additions."""
    from sanitasi.core import targets as tg

    years = np.arange(2025, 2025 + k)
    values = 100 * c0 + step_pts * np.arange(1, k + 1)
    pts = tg.Points(years, values, ("LOCAL",) * k)
    top = values[-1] / 100
    base = np.array([f * top for f in fractions])  # every area at or below the sasaran
    area, _city = tg.area_paths(
        base, np.zeros(len(base), dtype=int), np.array([c0]), [pts], np.arange(2024, 2025 + k), 2024
    )
    adds = np.diff(area, axis=1)
    first, later = adds[:, 0], adds[:, 1:]
    assert (first <= later.max(axis=1) * (1 + 1e-9) + 1e-12).all()
    np.testing.assert_allclose(adds, np.repeat(first[:, None], k, axis=1), atol=1e-12)
