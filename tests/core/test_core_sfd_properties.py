"""Property tests of the SFD: the flows sum to 100 % of the population at every stage, no flow
is negative, JMP-style <= SFD-safe, and the projection keeps the balance (docs/METHOD.md §11.3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from sanitasi.core.model import RUNGS
from sanitasi.core.sfd import FLOWS, SYSTEM_RUNGS, compute_sfd

FAST = settings(
    max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def systems(draw: st.DrawFn) -> pd.DataFrame:
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(1, 7))
    raw = rng.random(n) * (rng.random(n) > 0.2)
    if raw.sum() == 0:
        raw[0] = 1.0
    share = 100.0 * raw / raw.sum()
    pct = lambda: np.where(rng.random(n) < 0.2, rng.choice([0.0, 100.0], n), rng.random(n) * 100)  # noqa: E731
    return pd.DataFrame(
        {
            "year": 2024,
            "code": [f"S{i}" for i in range(n)],
            "name": "system",
            "ladder_rung": rng.choice(list(SYSTEM_RUNGS), n),
            "population_share_pct": share,
            "contained": rng.random(n) < 0.6,
            "offsite": rng.random(n) < 0.2,
            "emptied_pct": pct(),
            "delivered_pct": pct(),
            "treated_pct": pct(),
            "improved": rng.random(n) < 0.8,
            "shared": rng.random(n) < 0.2,
        }
    )


def _check(res: object) -> None:
    st_ = res["sfd_stages"]  # type: ignore[index]
    totals = st_.groupby(["year", "stage"])["value_pct"].sum()
    assert np.allclose(totals.to_numpy(), 100.0, atol=1e-9)
    f = res["sfd_flows"]  # type: ignore[index]
    assert (f[list(FLOWS)].to_numpy() >= -1e-12).all()
    c = res["sfd_compare"]  # type: ignore[index]
    assert (c["jmp_safely_managed_pct"] <= c["sfd_safe_pct"] + 1e-9).all()
    assert c["sfd_safe_pct"].between(0, 100 + 1e-9).all()
    m = res["sfd_matrix"]  # type: ignore[index]
    inflow = m.groupby(["year", "target"])["value_pct"].sum()
    outflow = m.groupby(["year", "source"])["value_pct"].sum()
    common = inflow.index.intersection(outflow.index)
    assert np.allclose(inflow[common].to_numpy(), outflow[common].to_numpy(), atol=1e-9)


@FAST
@given(systems(), st.floats(0, 100))
def test_mass_balance_assessed(sys_: pd.DataFrame, od: float) -> None:
    _check(compute_sfd(sys_, open_defecation_pct=od))


@FAST
@given(systems(), st.integers(0, 2**32 - 1), st.integers(1, 6))
def test_mass_balance_projected(sys_: pd.DataFrame, seed: int, n_years: int) -> None:
    rng = np.random.default_rng(seed)
    hh = rng.random((n_years, len(RUNGS))) * (rng.random((n_years, len(RUNGS))) > 0.3) * 1000
    hh[hh.sum(axis=1) == 0, 0] = 1.0
    ladder = pd.DataFrame(hh, columns=[f"hh_{r}" for r in RUNGS])
    ladder["year"] = 2024 + np.arange(n_years)
    res = compute_sfd(sys_, ladder)
    _check(res)
    c = res["sfd_compare"]
    assert c["pct_aman"].between(0, 100).all()
    od = res["sfd_flows"].set_index("year")["open_defecation"]
    expected = 100 * hh[:, RUNGS.index("babs_terbuka")] / hh.sum(axis=1)
    assert np.allclose(od.to_numpy(), expected)


@FAST
@given(systems(), st.integers(0, 2**32 - 1), st.integers(2, 6))
def test_sfd_safe_non_decreasing_when_aman_rises_and_the_iplt_keeps_up(
    sys_: pd.DataFrame, seed: int, n_years: int
) -> None:
    """SFD-safe never falls while aman rises (households taken from layak_sendiri) and the
    IPLT capacity covers its load; every stage still sums to 100 % (docs/METHOD.md §11.3).

    The plan is consistent with the assessment: base-year households per rung = the systems'
    shares x H, enrolled = the onsite aman systems, SPALD-T = the offsite aman systems; each
    later year moves a random number of households from layak_sendiri to aman (by L2T2 or new
    SPALD-T connections, a random split) and households may grow (rung shares otherwise held).
    """
    rng = np.random.default_rng(seed)
    h0 = 1000.0
    by_rung = sys_.groupby("ladder_rung")["population_share_pct"].sum()
    hh = {r: float(by_rung.get(r, 0.0)) * h0 / 100 for r in RUNGS}
    aman = sys_[sys_["ladder_rung"].eq("aman")]
    enrolled = float(aman.loc[~aman["offsite"], "population_share_pct"].sum()) * h0 / 100
    rows, svc = [], []
    growth = 1.0
    for i in range(n_years):
        if i:
            move = rng.random() * hh["layak_sendiri"] * 0.5
            hh["layak_sendiri"] -= move
            hh["aman"] += move
            enrolled += move * rng.random()  # the rest are new SPALD-T connections
            growth = 1.0 + rng.random() * 0.1  # households grow, shares held
            hh = {r: v * growth for r, v in hh.items()}
            enrolled *= growth
        rows.append({"year": 2024 + i, **{f"hh_{r}": v for r, v in hh.items()}})
        load = rng.random() * 50
        cap = rng.random() * load
        svc.append(
            {
                "year": 2024 + i,
                "enrolled_hh": enrolled,
                "iplt_load_m3_per_day": load,
                "iplt_capacity_m3_per_day": cap,
                "iplt_capacity_to_add_m3_per_day": load - cap + rng.random(),  # C >= Q
            }
        )
    res = compute_sfd(sys_, pd.DataFrame(rows), service=pd.DataFrame(svc))
    _check(res)
    safe = res["sfd_compare"]["sfd_safe_pct"].to_numpy()
    assert (np.diff(safe) >= -1e-9).all(), safe
    assert res.plan_years == tuple(range(2025, 2024 + n_years))
