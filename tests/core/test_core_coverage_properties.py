"""Property tests (hypothesis) of programme coverage: random programmes on the tiny city and
on the demo keep rungs summing to households, no stock below zero, the waste balance, and
upward moves never lower an indicator (docs/METHOD.md §9)."""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from cov_fixtures import CITY, programme_from_rows, tiny_inputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from sanitasi.core.coverage import Coverage, apply_outputs, planned_outputs
from sanitasi.core.model import RUNGS, PlanInputs
from sanitasi.core.plan import PlanArrays, compute
from sanitasi.io.city import load_city

FAST = settings(
    max_examples=examples(50),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROGRAMME_YEARS = range(2025, 2030)


@functools.cache
def _runs() -> dict[str, tuple[PlanInputs, PlanArrays]]:
    """The tiny city (horizon 2029) and the demo (horizon 2031 to keep examples fast); a
    cached function rather than a fixture, so a failing example's report stays short."""
    demo = load_city(None)
    ti, to = tiny_inputs(demo[0])
    to = replace(to, horizon=2029)
    di, do = demo
    do = replace(do, horizon=2031)
    return {"tiny": (ti, compute(ti, to)), "demo": (di, compute(di, do))}


@st.composite
def programmes(draw: st.DrawFn, upward: bool = True) -> dict[str, Any]:
    """1-6 activities with random places, effects (upward moves when ``upward``) and
    outputs (some far above what exists, to exercise the cap)."""
    n = draw(st.integers(1, 6))
    acts = []
    for k in range(n):
        place = draw(st.sampled_from(["leaf", "kecamatan", "city"]))
        leaf_i = draw(st.integers(0, 100))
        terms = []
        for _ in range(draw(st.integers(1, 2))):
            if draw(st.booleans()):
                i, j = sorted(
                    draw(st.lists(st.integers(0, 5), min_size=2, max_size=2, unique=True))
                )
                if not upward and draw(st.booleans()):
                    i, j = j, i
                src, dst = RUNGS[j], RUNGS[i]  # RUNGS is best first: j > i moves up
                svc = "@" + draw(st.sampled_from(["l2t2", "spald_t"])) if dst == "aman" else ""
                per = draw(st.sampled_from([1.0, 0.5, 50.0, 3.0]))
                terms.append(f"hh:{src}->{dst}{svc}:{per:g}")
            else:
                pair = draw(
                    st.sampled_from(
                        [
                            ("unmanaged", "pengurangan"),
                            ("unmanaged", "penanganan"),
                            ("penanganan", "pengurangan"),
                        ]
                        + ([("pengurangan", "unmanaged")] if not upward else [])
                    )
                )
                per = draw(st.sampled_from([0.001, 0.2, 2.5, 10.0]))
                terms.append(f"tpd:{pair[0]}->{pair[1]}:{per:g}")
        if draw(st.booleans()):
            terms.append(f"cap:{draw(st.sampled_from(['tpa_m3', 'truk_sampah']))}:1")
        outs = [draw(st.sampled_from([0.0, 1.0, 10.0, 100.0, 2000.0])) for _ in PROGRAMME_YEARS]
        acts.append(
            dict(
                code=f"X{k:02d}",
                place=place,
                leaf_i=leaf_i,
                effect=";".join(dict.fromkeys(terms)),  # a term once per activity
                outs=outs,
            )
        )
    return dict(acts=acts)


def _run(inputs: PlanInputs, a: PlanArrays, p: dict[str, Any]) -> Coverage:
    leaf = a.tree.leaf_kode
    city = str(a.city_kode[0])
    rows = []
    for act in p["acts"]:
        lk = str(leaf[act["leaf_i"] % len(leaf)])
        loc = {"leaf": lk, "kecamatan": lk[:8], "city": city}[act["place"]]
        row: dict[str, object] = dict(
            code=act["code"],
            sector="ald",
            location_kode=loc,
            funding_source="DAK",
            effect=act["effect"],
        )
        for y, o in zip(PROGRAMME_YEARS, act["outs"], strict=True):
            row[f"planned_output_{y}"] = o
            row[f"planned_cost_{y}"] = o * 1e6
        rows.append(row)
    prog = programme_from_rows(pd.DataFrame(rows), city)
    return apply_outputs(inputs, a, prog, planned_outputs(prog))


def _check_stocks(a: PlanArrays, cov: Coverage) -> None:
    H, G = a.pop.households, a.waste.generated
    tol_h = 1e-9 * np.maximum(H, 1.0)
    total = sum(cov.ladder[r] for r in RUNGS)
    np.testing.assert_allclose(total, H, rtol=1e-9, atol=1e-9)
    for r in RUNGS:
        assert (cov.ladder[r] >= -tol_h).all(), r
    w = cov.waste
    for k in ("pengurangan", "penanganan", "unmanaged"):
        assert (w[k] >= -1e-12).all(), k
    np.testing.assert_allclose(
        w["pengurangan"] + w["penanganan"] + w["unmanaged"], G, rtol=1e-9, atol=1e-9
    )
    # aggregated stocks: rungs sum to households at every level
    s = cov.stocks
    np.testing.assert_allclose(
        s[[f"hh_{r}" for r in RUNGS]].sum(axis=1), s["households"], rtol=1e-9
    )


def _check_effects(cov: Coverage) -> None:
    """Per activity term and year: moved + excess = per_unit x cumulative output, both >= 0."""
    e = cov.activity_effects
    if e.empty:
        return
    assert (e["excess_cum"] >= 0).all() and (e["moved_cum"] >= 0).all()
    flows = e[e["kind"] != "cap"]
    g = flows.groupby(["code", "term", "year"]).agg(
        moved=("moved_cum", "sum"), excess=("excess_cum", "sum"), out=("output_cum", "first")
    )
    per = g.index.get_level_values("term").str.rsplit(":", n=1).str[1].astype(float)
    np.testing.assert_allclose(g["moved"] + g["excess"], per * g["out"], rtol=1e-9, atol=1e-9)


@FAST
@given(p=programmes(upward=True), which=st.sampled_from(["tiny", "demo"]))
def test_upward_moves_keep_invariants_and_raise_indicators(p: dict[str, Any], which: str) -> None:
    inputs, a = _runs()[which]
    cov = _run(inputs, a, p)
    _check_stocks(a, cov)
    _check_effects(cov)
    # service stocks: every aman household is enrolled in L2T2 or on SPALD-T (no move leaves
    # aman), where BAU SPALD-T does not exceed BAU aman
    np.testing.assert_allclose(cov.enrolled + cov.spald_t, cov.ladder["aman"], rtol=1e-9, atol=1e-9)
    i = cov.indicators
    tol = 1e-9
    for ind in ("pct_layak", "pct_aman", "pct_waste_managed", "pct_waste_pengurangan"):
        r = i[i["indicator"] == ind]
        assert (r["plan_pct"].fillna(0) >= r["bau_pct"].fillna(0) - tol).all(), ind
    r = i[i["indicator"] == "pct_babs_terbuka"]
    assert (r["plan_pct"].fillna(0) <= r["bau_pct"].fillna(0) + tol).all()
    # no gap closed below zero for the monotone indicators; shortfalls never above BAU's
    for ind in ("pct_layak", "pct_aman", "pct_babs_terbuka", "pct_waste_managed"):
        r = i[i["indicator"] == ind]
        assert (r["gap_closed_share"].dropna() >= -1e-6).all(), ind
        assert (r["short_units"].fillna(0) <= r["bau_short_units"].fillna(0) + 1e-6).all(), ind
    # capacity added is cumulative: never falls
    cap = cov.capacity.sort_values(["kind", "year"])
    assert (cap.groupby("kind")["added"].diff().fillna(0) >= 0).all()


@FAST
@given(p=programmes(upward=False))
def test_any_moves_keep_stocks_valid(p: dict[str, Any]) -> None:
    inputs, a = _runs()["tiny"]
    cov = _run(inputs, a, p)
    _check_stocks(a, cov)
    _check_effects(cov)
    # every over-plan warning names a place of the run and a programme year
    for w in cov.warnings:
        assert w.code == "SAN-W201"
        assert w.kode.startswith(CITY) and w.year in PROGRAMME_YEARS
