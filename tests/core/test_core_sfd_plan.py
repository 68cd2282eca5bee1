"""The excreta flow diagram follows the plan (core.sfd with ``service``): onsite aman = the
plan's L2T2-enrolled households, emptied and delivered 100 %, treated by the IPLT capacity
against its load; SPALD-T connections of the base year keep their assessed F4/F5, the plan's
new connections run at design performance (docs/METHOD.md §11.3). Every number by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sanitasi.core.model import RUNGS
from sanitasi.core.sfd import (
    PLAN_L2T2,
    PLAN_SPALD_T,
    compute_sfd,
    iplt_treated_share,
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


def two_systems(year: int = 2024) -> pd.DataFrame:
    """A contained tank never emptied (layak_sendiri, 70 %) and a scheduled tank (aman, 30 %,
    assessed F3 100 %, F4 90 %, F5 85 %)."""
    return pd.DataFrame(
        [
            (year, "ST", "contained tank", "layak_sendiri", 70, True, False, 0, 0, 0),
            (year, "L2", "scheduled tank", "aman", 30, True, False, 100, 90, 85),
        ],
        columns=COLS,
    ).assign(status="illustrative")


def ladder(rows: dict[int, dict[str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"year": y, **{f"hh_{r}": v.get(r, 0.0) for r in RUNGS}} for y, v in rows.items()]
    )


def service(rows: dict[int, tuple[float, float, float, float]]) -> pd.DataFrame:
    """``year -> (enrolled_hh, load m3/day, existing capacity m3/day, capacity added)``."""
    return pd.DataFrame(
        [
            {
                "year": y,
                "enrolled_hh": e,
                "iplt_load_m3_per_day": q,
                "iplt_capacity_m3_per_day": c,
                "iplt_capacity_to_add_m3_per_day": a,
            }
            for y, (e, q, c, a) in rows.items()
        ]
    )


def safe(res: object) -> pd.Series:
    return res["sfd_compare"].set_index("year")["sfd_safe_pct"]  # type: ignore[index]


def flows(res: object, year: int) -> pd.Series:
    f = res["sfd_flows"]  # type: ignore[index]
    return f[f["year"].eq(year)].iloc[0]


def balanced(res: object) -> bool:
    totals = res["sfd_stages"].groupby(["year", "stage"])["value_pct"].sum()  # type: ignore[index]
    return bool(np.allclose(totals.to_numpy(), 100.0, atol=1e-9))


# 100 households; aman rises from 30 to 40, taken from layak_sendiri
LADDER = ladder({2024: {"aman": 30, "layak_sendiri": 70}, 2025: {"aman": 40, "layak_sendiri": 60}})


def test_sfd_with_growing_aman_and_iplt_keeping_up() -> None:
    # IPLT: 2 m3/day existing + 0 added >= the load 1.2 m3/day -> F5 = 1
    svc = service({2024: (30, 1.0, 2.0, 0.0), 2025: (40, 1.2, 2.0, 0.0)})
    res = compute_sfd(two_systems(), LADDER, kode="13.72", service=svc)
    s = safe(res)
    # 2024 (assessment year, assessed values): 70 contained not emptied + 30 x 1 x .9 x .85
    #   = 70 + 22.95 = 92.95
    assert s[2024] == pytest.approx(92.95)
    # 2025: 60 contained not emptied (100 % of contained) + 40 emptied x 1 x 1 = 100
    assert s[2025] == pytest.approx(100.0)
    f = flows(res, 2025)
    assert f["contained_not_emptied"] == pytest.approx(60)
    assert f["emptied"] == pytest.approx(40)
    assert f["delivered"] == pytest.approx(40)
    assert f["treated"] == pytest.approx(40)
    assert f["emptied_not_delivered"] == pytest.approx(0)
    assert res.plan_years == (2025,)
    # the scheduled tank carries the plan's F3/F4/F5 in 2025, its assessed ones in 2024
    sy = res["sfd_systems"].set_index(["year", "code"])
    assert sy.loc[(2024, "L2"), ["emptied_pct", "delivered_pct", "treated_pct"]].tolist() == [
        100,
        90,
        85,
    ]
    assert sy.loc[(2025, "L2"), ["emptied_pct", "delivered_pct", "treated_pct"]].tolist() == [
        100,
        100,
        100,
    ]
    # SFD-safe, JMP-style and aman stay side by side
    c = res["sfd_compare"].set_index("year")
    assert c.at[2025, "pct_aman"] == pytest.approx(40)
    assert c.at[2025, "jmp_safely_managed_pct"] == pytest.approx(100)
    assert balanced(res)
    assert "2025 follow the plan's service" in res.tables["sfd_compare"].note_en


def test_iplt_at_half_the_load_treats_half() -> None:
    # IPLT 1 m3/day existing + 1 added = 2 m3/day against a load of 4 m3/day -> F5 = 0.5
    svc = service({2024: (30, 1.0, 1.0, 0.0), 2025: (40, 4.0, 1.0, 1.0)})
    res = compute_sfd(two_systems(), LADDER, service=svc)
    f = flows(res, 2025)
    # 40 emptied x 1 delivered -> 40 x 0.5 = 20 treated, 20 delivered not treated
    assert f["treated"] == pytest.approx(20)
    assert f["delivered_not_treated"] == pytest.approx(20)
    # SFD-safe = 60 + 40 x 1 x 1 x 0.5 = 80
    assert safe(res)[2025] == pytest.approx(80)
    sy = res["sfd_systems"].set_index(["year", "code"])
    assert sy.at[(2025, "L2"), "treated_pct"] == pytest.approx(50)
    assert balanced(res)


def test_without_service_the_assessed_values_are_held() -> None:
    res = compute_sfd(two_systems(), LADDER)
    # today's projection: 60 + 40 x 1 x .9 x .85 = 60 + 30.6 = 90.6
    assert safe(res)[2025] == pytest.approx(90.6)
    assert res.plan_years == ()
    assert "without the plan's L2T2 service" in res.tables["sfd_compare"].note_en
    assert "without the plan's L2T2 service" in res.tables["sfd_systems"].note_en


def test_iplt_treated_share() -> None:
    got = iplt_treated_share(np.array([10.0, 30.0, 5.0, np.nan, 0.0]), [20.0, 20.0, 0.0, 4.0, 0.0])
    # 10/20 = .5; 30/20 capped at 1; no load -> 1; missing capacity -> 0/4 = 0; 0/0 -> 1
    assert got.tolist() == [0.5, 1.0, 1.0, 0.0, 1.0]


def sewer_systems() -> pd.DataFrame:
    """A sewer (aman, 10 %, F4 80 %, F5 50 %), a scheduled tank (aman, 20 %, F4 50 %, F5 50 %)
    and contained tanks never emptied (layak_sendiri, 70 %)."""
    return pd.DataFrame(
        [
            (2024, "SW", "sewer", "aman", 10, None, True, None, 80, 50),
            (2024, "L2", "scheduled tank", "aman", 20, True, False, 100, 50, 50),
            (2024, "ST", "contained tank", "layak_sendiri", 70, True, False, 0, 0, 0),
        ],
        columns=COLS,
    ).assign(status="illustrative")


def test_spald_t_cohorts() -> None:
    lad = ladder(
        {
            2024: {"aman": 30, "layak_sendiri": 70},  # 100 households
            2025: {"aman": 50, "layak_sendiri": 50},  # 100 households
            2026: {"aman": 100, "layak_sendiri": 100},  # 200 households
        }
    )
    # enrolled 20 (base), 30, 60; the IPLT keeps up
    svc = service({2024: (20, 1, 9, 0), 2025: (30, 2, 9, 0), 2026: (60, 4, 9, 0)})
    res = compute_sfd(sewer_systems(), lad, service=svc)
    sh = res["sfd_systems"].set_index(["year", "code"])["population_share_pct"]
    # base-year SPALD-T households S0 = aman 30 - enrolled 20 = 10
    # 2025: A - E = 50 - 30 = 20 -> base cohort min(10, 20) = 10, new cohort 20 - 10 = 10
    assert sh[2025].to_dict() == pytest.approx({"L2": 30, "SW": 10, PLAN_SPALD_T: 10, "ST": 50})
    # 2026 (200 households): E = 60 -> 30 %; A - E = 40 -> base cohort 10 hh = 5 %, new 30 hh
    #   = 15 %; layak_sendiri 100 hh = 50 %
    assert sh[2026].to_dict() == pytest.approx({"L2": 30, "SW": 5, PLAN_SPALD_T: 15, "ST": 50})
    s = safe(res)
    # 2024: 70 + tank 20 x 1 x .5 x .5 = 5 + sewer 10 x .8 x .5 = 4 -> 79
    assert s[2024] == pytest.approx(79)
    # 2025: 50 + tank 30 x 1 x 1 x 1 + sewer 10 x .8 x .5 = 4 + new 10 x 1 x 1 -> 94
    assert s[2025] == pytest.approx(94)
    # 2026: 50 + 30 + 5 x .8 x .5 = 2 + 15 -> 97
    assert s[2026] == pytest.approx(97)
    f = flows(res, 2026)
    # sewer: base cohort 5 x .8 = 4 delivered, 2 treated; new cohort 15 delivered and treated
    assert f["sewer_delivered"] == pytest.approx(19)
    assert f["sewer_treated"] == pytest.approx(17)
    assert f["sewer_not_delivered"] == pytest.approx(1)
    new = res["sfd_systems"].query("code == @PLAN_SPALD_T").iloc[0]
    assert (new["offsite"], new["delivered_pct"], new["treated_pct"], new["status"]) == (
        True,
        100,
        100,
        "derived",
    )
    assert balanced(res)
    assert res.warnings == ()


def test_no_onsite_aman_system_gets_the_plan_l2t2_system() -> None:
    systems = pd.DataFrame(
        [
            (2024, "SW", "sewer", "aman", 10, None, True, None, 100, 100),
            (2024, "ST", "contained tank", "layak_sendiri", 90, True, False, 0, 0, 0),
        ],
        columns=COLS,
    )
    lad = ladder({2024: {"aman": 10, "layak_sendiri": 90}, 2025: {"aman": 30, "layak_sendiri": 70}})
    # 2025: 20 enrolled, IPLT 3 m3/day for a load of 4 -> F5 = 0.75
    svc = service({2024: (0, 0, 3, 0), 2025: (20, 4, 3, 0)})
    res = compute_sfd(systems, lad, service=svc)
    sy = res["sfd_systems"].set_index(["year", "code"])
    assert (2024, PLAN_L2T2) not in sy.index
    row = sy.loc[(2025, PLAN_L2T2)]
    assert row["population_share_pct"] == pytest.approx(20)
    assert [row["emptied_pct"], row["delivered_pct"], row["treated_pct"]] == pytest.approx(
        [100, 100, 75]
    )
    # 2025: 70 contained + 20 x .75 = 15 + sewer (S0 = 10 - 0 = 10) 10 x 1 x 1 -> 95
    assert safe(res)[2025] == pytest.approx(95)
    assert balanced(res)


def test_base_spald_t_without_an_offsite_system_is_spread_with_a_warning() -> None:
    # the plan has 10 SPALD-T households in 2024 (aman 30 - enrolled 20) but sfd.csv has no
    # offsite system: in 2025 the 10 % are spread over the other systems in proportion
    lad = ladder({2024: {"aman": 30, "layak_sendiri": 70}, 2025: {"aman": 30, "layak_sendiri": 70}})
    svc = service({2024: (20, 1, 9, 0), 2025: (20, 1, 9, 0)})
    res = compute_sfd(two_systems(), lad, service=svc)
    assert [w.code for w in res.warnings] == ["SAN-W172"]
    assert "2025" in render_warning(res.warnings[0], "en")
    sh = res["sfd_systems"].set_index(["year", "code"])["population_share_pct"]
    # mapped: L2 20 + ST 70 = 90 -> scaled by 100/90
    assert sh[2025].to_dict() == pytest.approx({"L2": 20 * 100 / 90, "ST": 70 * 100 / 90})
    assert balanced(res)


def test_assessment_years_and_the_plan_base_year_keep_assessed_values() -> None:
    later = two_systems(2026)
    both = pd.concat([two_systems(2023), later], ignore_index=True)
    lad = ladder({y: {"aman": 30, "layak_sendiri": 70} for y in range(2023, 2028)})
    # the plan starts in 2024 (its base year): 2024 keeps the 2023 assessment, 2025 follows the
    # plan, 2026 is an assessment year, 2027 follows the plan again
    svc = service({y: (30, 1, 9, 0) for y in range(2024, 2028)})
    res = compute_sfd(both, lad, service=svc)
    assert res.plan_years == (2025, 2027)
    s = safe(res)
    # assessed: 70 + 30 x .9 x .85 = 92.95; plan: 70 + 30 = 100
    assert s.to_dict() == pytest.approx(
        {2023: 92.95, 2024: 92.95, 2025: 100, 2026: 92.95, 2027: 100}
    )


def test_enrolled_above_aman_is_capped_and_inputs_are_not_mutated() -> None:
    systems, lad = two_systems(), LADDER.copy()
    svc = service({2024: (30, 1, 9, 0), 2025: (55, 1, 9, 0)})  # 55 enrolled > 40 aman
    before = (systems.copy(), lad.copy(), svc.copy())
    res = compute_sfd(systems, lad, service=svc)
    sh = res["sfd_systems"].set_index(["year", "code"])["population_share_pct"]
    # E = min(55, 40) = 40: no SPALD-T row, aman 40 %, layak_sendiri 60 %
    assert sh[2025].to_dict() == pytest.approx({"L2": 40, "ST": 60})
    pd.testing.assert_frame_equal(systems, before[0])
    pd.testing.assert_frame_equal(lad, before[1])
    pd.testing.assert_frame_equal(svc, before[2])


def test_service_needs_its_columns() -> None:
    with pytest.raises(ValueError, match="iplt_load_m3_per_day"):
        compute_sfd(
            two_systems(), LADDER, service=pd.DataFrame({"year": [2025], "enrolled_hh": [1]})
        )


def test_no_aman_system_at_all_gets_the_plan_systems_and_a_warning() -> None:
    # sfd.csv knows only contained tanks; the plan has 10 SPALD-T households in 2024 (aman 10,
    # enrolled 0) and enrols 20 more by 2025
    systems = pd.DataFrame(
        [(2024, "ST", "contained tank", "layak_sendiri", 100, True, False, 0, 0, 0)], columns=COLS
    )
    lad = ladder({2024: {"aman": 10, "layak_sendiri": 90}, 2025: {"aman": 30, "layak_sendiri": 70}})
    svc = service({2024: (0, 0, 9, 0), 2025: (20, 1, 9, 0)})
    res = compute_sfd(systems, lad, service=svc)
    # 2024: aman has no system (SAN-W170); 2025: L2T2_RENCANA carries the 20 enrolled, the 10
    # base SPALD-T households have no offsite system (SAN-W172)
    assert [w.code for w in res.warnings] == ["SAN-W172", "SAN-W170"]
    sh = res["sfd_systems"].set_index(["year", "code"])["population_share_pct"]
    # 2025 mapped: ST 70 + L2T2 20 = 90 -> scaled by 100/90
    assert sh[2025].to_dict() == pytest.approx({PLAN_L2T2: 20 * 100 / 90, "ST": 70 * 100 / 90})
    assert safe(res)[2025] == pytest.approx(100)
    assert balanced(res)
