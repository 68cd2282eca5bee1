"""Excreta flow diagram (core.sfd): hand-computed flows, the mass balance at every stage, the
three measures side by side, projection by the ladder, and the Sankey matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sanitasi.core.model import RUNGS
from sanitasi.core.sfd import (
    LINKS,
    STAGES,
    compute_sfd,
    stage_totals,
)
from sanitasi.messages import render as render_warning

COLS = [
    "year",
    "code",
    "name",
    "ladder_rung",
    "population_share_pct",
    "contained",
    "offsite",
    "emptied_pct",
    "delivered_pct",
    "treated_pct",
]


def hand_systems() -> pd.DataFrame:
    """Four systems (year 2024); percentages of the population using a toilet."""
    return pd.DataFrame(
        [
            (2024, "S1", "sewer", "aman", 10, None, True, None, 80, 50),
            (2024, "S2", "tank emptied", "aman", 20, True, False, 100, 50, 50),
            (2024, "S3", "shared tank", "layak_bersama", 40, True, False, 25, 100, 100),
            (2024, "S4", "leaking pit", "belum_layak", 30, False, False, 10, 0, 0),
        ],
        columns=COLS,
    ).assign(status="illustrative")


def flows_of(res: object, year: int = 2024) -> pd.Series:
    f = res["sfd_flows"]  # type: ignore[index]
    return f[f["year"].eq(year)].iloc[0]


def test_hand_computed_flows() -> None:
    res = compute_sfd(hand_systems(), kode="13.72")
    f = flows_of(res)
    # S1 sewer p=10, F4 .8, F5 .5: not delivered 2, delivered 8, not treated 4, treated 4
    # S2 contained p=20, F3 1, F4 .5, F5 .5: emptied 20, not delivered 10, delivered 10,
    #    not treated 5, treated 5
    # S3 contained p=40, F3 .25, F4 1, F5 1: contained not emptied 30, emptied 10, treated 10
    # S4 not contained p=30, F3 .1, F4 0: not contained not emptied 27, emptied 3 (not delivered)
    expected = {
        "onsite_contained": 60,
        "onsite_not_contained": 30,
        "sewer": 10,
        "open_defecation": 0,
        "contained_not_emptied": 30,
        "not_contained_not_emptied": 27,
        "emptied": 33,
        "emptied_from_contained": 30,
        "emptied_from_not_contained": 3,
        "emptied_not_delivered": 13,
        "delivered": 20,
        "delivered_not_treated": 5,
        "treated": 15,
        "sewer_not_delivered": 2,
        "sewer_delivered": 8,
        "sewer_not_treated": 4,
        "sewer_treated": 4,
        # safe = 30 + 15 + 4 = 49; unsafe = 27 + 13 + 5 + 2 + 4 + 0 = 51
        "safely_managed": 49,
        "unsafely_managed": 51,
    }
    for k, v in expected.items():
        assert f[k] == pytest.approx(v), k


def test_compare_sfd_jmp_and_aman_are_separate() -> None:
    res = compute_sfd(hand_systems(), kode="13.72")
    c = res["sfd_compare"].iloc[0]
    assert c["sfd_safe_pct"] == pytest.approx(49)
    # JMP proxy: S3 is shared (layak_bersama default) -> its safe 30 + 10 is excluded: 49 - 40
    assert c["jmp_safely_managed_pct"] == pytest.approx(9)
    assert np.isnan(c["pct_aman"])  # no ladder given: aman is not guessed from the SFD
    s = res["sfd_systems"].set_index("code")
    assert bool(s.at["S3", "shared"]) and not bool(s.at["S2", "shared"])
    assert s.at["S3", "jmp_safe_pct"] == 0 and s.at["S3", "safe_pct"] == pytest.approx(40)


def test_open_defecation_scales_the_systems() -> None:
    res = compute_sfd(hand_systems(), open_defecation_pct=10)
    f = flows_of(res)
    # every system flow x 0.9; safe 49 x 0.9 = 44.1; OD 10
    assert f["safely_managed"] == pytest.approx(44.1)
    assert f["open_defecation"] == 10
    assert f["unsafely_managed"] == pytest.approx(55.9)


def test_mass_balance_at_every_stage() -> None:
    res = compute_sfd(hand_systems(), open_defecation_pct=7.5)
    st = res["sfd_stages"]
    totals = st.groupby(["year", "stage"])["value_pct"].sum()
    assert np.allclose(totals.to_numpy(), 100.0)
    assert set(st["stage"]) == set(STAGES)
    f = res["sfd_flows"].set_index("year")
    assert np.allclose(stage_totals(f).to_numpy(), 100.0)


def test_sankey_matrix_balances_every_node() -> None:
    res = compute_sfd(hand_systems(), open_defecation_pct=5)
    m = res["sfd_matrix"]
    assert len(m) == len(LINKS)
    inflow = m.groupby("target")["value_pct"].sum()
    outflow = m.groupby("source")["value_pct"].sum()
    inner = set(inflow.index) & set(outflow.index)
    for node in inner:
        assert inflow[node] == pytest.approx(outflow[node]), node
    assert outflow["population"] == pytest.approx(100)
    ends = inflow[["safely_managed", "unsafely_managed"]]
    assert ends.sum() == pytest.approx(100)
    assert ends["safely_managed"] == pytest.approx(49 * 0.95)
    nodes = res["sfd_nodes"].set_index("node")
    assert set(m["source"]) | set(m["target"]) <= set(nodes.index)
    assert nodes.at["treated", "safety"] == "safe"


def _ladder(rows: dict[int, dict[str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"year": y, **{f"hh_{r}": v.get(r, 0.0) for r in RUNGS}} for y, v in rows.items()]
    )


def test_projection_follows_the_ladder() -> None:
    ladder = _ladder(
        {
            # 2024 matches the assessment: aman 30 (S1 10 + S2 20), bersama 40, belum 30
            2024: {"aman": 30, "layak_bersama": 40, "belum_layak": 30},
            # 2025: aman doubles, 10 % open defecation (households out of 100)
            2025: {"aman": 60, "layak_bersama": 20, "belum_layak": 10, "babs_terbuka": 10},
        }
    )
    res = compute_sfd(hand_systems(), ladder, kode="13.72")
    s = res["sfd_systems"]
    y25 = s[s["year"].eq(2025)].set_index("code")["population_share_pct"]
    # within-rung weights held: S1 = 10/30 x 60 = 20, S2 = 20/30 x 60 = 40, S3 = 40/40 x 20 = 20,
    # S4 = 30/30 x 10 = 10; + OD 10 = 100
    assert y25.to_dict() == pytest.approx({"S1": 20, "S2": 40, "S3": 20, "S4": 10})
    f25 = flows_of(res, 2025)
    # safe: S1 20 x .8 x .5 = 8; S2 40 x .5 x .5 = 10; S3 20 x .75 + 20 x .25 = 20; S4 0 -> 38
    assert f25["safely_managed"] == pytest.approx(38)
    assert f25["open_defecation"] == pytest.approx(10)
    c = res["sfd_compare"].set_index("year")
    assert c.at[2024, "sfd_safe_pct"] == pytest.approx(49)
    assert c.at[2025, "pct_aman"] == pytest.approx(60)
    assert c.at[2024, "pct_layak"] == pytest.approx(70)
    assert (s.groupby("year")["base_year"].first() == 2024).all()
    totals = res["sfd_stages"].groupby(["year", "stage"])["value_pct"].sum()
    assert np.allclose(totals.to_numpy(), 100.0)
    assert res.warnings == ()


def test_rung_without_system_is_spread_with_a_warning() -> None:
    # 10 % layak_sendiri has no system: mapped 90 -> scaled by 100/90
    ladder = _ladder(
        {2026: {"aman": 30, "layak_sendiri": 10, "layak_bersama": 40, "belum_layak": 20}}
    )
    res = compute_sfd(hand_systems(), ladder)
    assert [w.code for w in res.warnings] == ["SAN-W170"]
    assert res.warnings[0].values["rung"] == "layak_sendiri"
    assert "rung Basic, own (layak sendiri) (2026)" in render_warning(res.warnings[0], "en")
    s = res["sfd_systems"].set_index("code")["population_share_pct"]
    assert s.sum() == pytest.approx(100)
    assert s["S4"] == pytest.approx(20 * 100 / 90)
    totals = res["sfd_stages"].groupby("stage")["value_pct"].sum()
    assert np.allclose(totals.to_numpy(), 100.0)


def test_later_assessment_is_used_from_its_year() -> None:
    later = hand_systems().assign(year=2026)
    later.loc[later["code"].eq("S3"), "emptied_pct"] = 50
    both = pd.concat([hand_systems(), later], ignore_index=True)
    ladder = _ladder(
        {y: {"aman": 30, "layak_bersama": 40, "belum_layak": 30} for y in (2024, 2025, 2026, 2027)}
    )
    res = compute_sfd(both, ladder)
    base = res["sfd_systems"].groupby("year")["base_year"].first()
    assert base.to_dict() == {2024: 2024, 2025: 2024, 2026: 2026, 2027: 2026}


def test_contract_errors() -> None:
    bad = hand_systems()
    bad.loc[0, "population_share_pct"] = 11
    with pytest.raises(ValueError, match="sum to 101"):
        compute_sfd(bad)
    bad = hand_systems()
    bad.loc[1, "treated_pct"] = 120
    with pytest.raises(ValueError, match="treated_pct"):
        compute_sfd(bad)
    with pytest.raises(ValueError, match="no ladder"):
        compute_sfd(hand_systems(), _ladder({2024: {"aman": 1}}), years=[2030])


def test_tables_are_labelled() -> None:
    res = compute_sfd(hand_systems(), kode="13.72")
    t = res.tables["sfd_compare"]
    assert t.label("sfd_safe_pct", "en") == "SFD safely managed"
    assert t.label("pct_aman", "id").startswith("% aman")
    assert dict(res.tables["sfd_flows"].provenance)["illustrative"] == 4
    assert set(res["sfd_flows"]["kode"]) == {"13.72"}
