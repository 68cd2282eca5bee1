"""Risk areas of the Kota Solok demo: the run works end to end on the shipped files."""

from __future__ import annotations

import pytest

from sanitasi.core.risk import priority_share, score_risk
from sanitasi.io.instruments import load_risk
from sanitasi.io.programme import load_programme

ARO_IV_KORONG = "13.72.01.1006"
KOTO_PANJANG = "13.72.02.1001"


@pytest.fixture(scope="module")
def demo_risk() -> object:
    ri = load_risk()
    return score_risk(ri.indicators, ri.weights, ri.overrides, names=ri.names)


def test_demo_scores_every_kelurahan(demo_risk: object) -> None:
    s = demo_risk["risk_scores"]  # type: ignore[index]
    assert len(s) == 26  # 13 kelurahan x 2 subsectors
    assert s["final_class"].between(1, 4).all()
    assert s["impact_score"].between(1, 4).all() and s["exposure_score"].between(1, 4).all()
    ind = demo_risk["risk_indicator_scores"]  # type: ignore[index]
    assert len(ind) == 13 * 9 and ind["score"].between(1, 4).all()
    assert set(s["nama"]) >= {"Aro IV Korong", "Koto Panjang"}


def test_demo_classes(demo_risk: object) -> None:
    s = demo_risk["risk_scores"].set_index(["subsector", "kode"])  # type: ignore[index]
    assert s.at[("ald", ARO_IV_KORONG), "final_class"] == 4
    assert s.at[("persampahan", ARO_IV_KORONG), "final_class"] == 4
    # the shipped override: Koto Panjang ALD computed 2, final 3 with its reason
    kp = s.loc[("ald", KOTO_PANJANG)]
    assert (kp["computed_class"], kp["final_class"], kp["overridden"]) == (2, 3, True)
    assert "Batang Lembang" in kp["override_reason"]
    counts = s.groupby("subsector")["final_class"].value_counts().sort_index()
    assert counts["ald"].to_dict() == {1: 5, 2: 5, 3: 2, 4: 1}
    assert counts["persampahan"].to_dict() == {1: 6, 2: 4, 3: 1, 4: 2}
    p = demo_risk["risk_priority"]  # type: ignore[index]
    assert list(p.loc[p["subsector"].eq("ald"), "nama"]) == [
        "Aro IV Korong",
        "VI Suku",
        "Koto Panjang",
    ]


def test_demo_priority_share(demo_risk: object) -> None:
    prog = load_programme()
    out = priority_share(demo_risk, prog.activities, prog.planned)  # type: ignore[arg-type]
    a = out["priority_activities"].df.set_index("code")
    assert a.at["ALD-03", "bucket"] == "priority"  # IPAL komunal in Koto Panjang
    assert a.at["ALD-02", "bucket"] == "other"  # Laing
    p = out["priority_share_period"].df.set_index("sector")
    merged = prog.planned.merge(prog.activities[["code", "sector"]], on="code")
    total = merged.groupby("sector")["planned_cost_idr"].sum()
    assert p["cost_total_idr"].to_dict() == pytest.approx(total.to_dict())
    assert 0 < p.at["ald", "pct_cost_priority"] < 100
    parts = p[["cost_priority_idr", "cost_other_idr", "cost_not_located_idr", "cost_unscored_idr"]]
    assert (parts.sum(axis=1) - p["cost_total_idr"]).abs().max() < 1e-3
