"""Risk areas (core.risk) against a small HAND-COMPUTED table: equal intervals (boundary to the
higher class), directions, weights, classes, an override and a zero range."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sanitasi.core.risk import (
    CLASS_LABELS,
    cut_point_class,
    equal_interval_class,
    priority_share,
    score_risk,
)

K1, K2, K3, K4 = (f"13.72.01.100{i}" for i in range(1, 5))
KS = (K1, K2, K3, K4)


def hand_indicators() -> pd.DataFrame:
    rows = []

    def add(sub: str, ind: str, values: tuple[float, ...], status: str = "illustrative") -> None:
        rows.extend(
            dict(kode=k, subsector=sub, indicator=ind, value=v, status=status)
            for k, v in zip(KS, values, strict=True)
        )

    # IMPACT
    add("all", "density", (100, 200, 300, 500), "derived")
    add("all", "slum_pct", (5, 5, 5, 5))  # zero range
    # EXPOSURE ald
    add("ald", "irs", (40, 70, 55, 40))
    add("ald", "access_pct", (90, 60, 75, 82.5))  # protective
    add("ald", "perception", (2, 3, 4, 1))  # score
    # EXPOSURE persampahan
    add("persampahan", "service_pct", (50, 50, 50, 50))  # protective, zero range
    # not weighted: ignored
    add("ald", "unused", (1, 2, 3, 4))
    return pd.DataFrame(rows)


def hand_weights() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("all", "impact", "density", 60, "risk"),
            ("all", "impact", "slum_pct", 40, "risk"),
            ("ald", "exposure", "irs", 50, "risk"),
            ("ald", "exposure", "access_pct", 30, "protective"),
            ("ald", "exposure", "perception", 20, "score"),
            ("persampahan", "exposure", "service_pct", 100, "protective"),
        ],
        columns=["subsector", "component", "indicator", "weight", "direction"],
    ).assign(status="illustrative")


def hand_overrides() -> pd.DataFrame:
    return pd.DataFrame(
        [(K4, "ald", 3, "Field check: toilets drain to the river")],
        columns=["kode", "subsector", "class", "reason"],
    ).assign(status="illustrative")


@pytest.fixture
def hand() -> object:
    return score_risk(hand_indicators(), hand_weights(), hand_overrides())


def _score(res: object, ind: str) -> list[float]:
    t = res["risk_indicator_scores"]  # type: ignore[index]
    return list(t[t["indicator"].eq(ind)].set_index("kode").loc[list(KS), "score"])


def _by(res: object, sub: str, col: str) -> list[object]:
    t = res["risk_scores"]  # type: ignore[index]
    return list(t[t["subsector"].eq(sub)].set_index("kode").loc[list(KS), col])


def test_indicator_scores_by_equal_intervals(hand: object) -> None:
    # density: min 100, max 500, width (500-100)/4 = 100, boundaries 200, 300, 400.
    # 100 -> 1; 200 is ON the boundary -> higher class 2; 300 -> 3; 500 (max) -> 4
    assert _score(hand, "density") == [1, 2, 3, 4]
    # slum_pct: all 5 -> zero range -> all 1
    assert _score(hand, "slum_pct") == [1, 1, 1, 1]
    # irs: min 40, max 70, width 7.5, boundaries 47.5, 55, 62.5: 40 -> 1, 70 -> 4, 55 -> 3
    assert _score(hand, "irs") == [1, 4, 3, 1]
    # access_pct (protective): min 60, max 90, width 7.5, boundaries 67.5, 75, 82.5
    # raw classes 90 -> 4, 60 -> 1, 75 -> 3 (boundary), 82.5 -> 4 (boundary); reversed 5 - c
    assert _score(hand, "access_pct") == [1, 4, 2, 1]
    # perception (score): used as is
    assert _score(hand, "perception") == [2, 3, 4, 1]
    # service_pct: protective with zero range -> 1 (not reversed to 4)
    assert _score(hand, "service_pct") == [1, 1, 1, 1]
    t = hand["risk_indicator_scores"]  # type: ignore[index]
    assert "unused" not in set(t["indicator"])
    d = t[t["indicator"].eq("density")].iloc[0]
    assert (d["range_min"], d["range_max"], d["interval_width"]) == (100, 500, 100)
    p = t[t["indicator"].eq("perception")].iloc[0]
    assert np.isnan(p["interval_width"])


def test_impact_exposure_and_risk_score(hand: object) -> None:
    # IMPACT = 0.6 density + 0.4 slum: 0.6*1+0.4 = 1.0; 0.6*2+0.4 = 1.6; 2.2; 2.8
    assert _by(hand, "ald", "impact_score") == pytest.approx([1.0, 1.6, 2.2, 2.8])
    # EXPOSURE ald = 0.5 irs + 0.3 access + 0.2 perception
    # K1 0.5*1+0.3*1+0.2*2 = 1.2; K2 0.5*4+0.3*4+0.2*3 = 3.8; K3 0.5*3+0.3*2+0.2*4 = 2.9;
    # K4 0.5*1+0.3*1+0.2*1 = 1.0
    assert _by(hand, "ald", "exposure_score") == pytest.approx([1.2, 3.8, 2.9, 1.0])
    # risk = IMPACT x EXPOSURE: 1.2, 1.6*3.8 = 6.08, 2.2*2.9 = 6.38, 2.8*1.0 = 2.8
    assert _by(hand, "ald", "risk_score") == pytest.approx([1.2, 6.08, 6.38, 2.8])
    # persampahan: EXPOSURE 1 everywhere -> risk = IMPACT
    assert _by(hand, "persampahan", "risk_score") == pytest.approx([1.0, 1.6, 2.2, 2.8])


def test_classes_by_equal_intervals_of_the_score_range(hand: object) -> None:
    # ald scores: min 1.2, max 6.38, width 5.18/4 = 1.295; boundaries 2.495, 3.79, 5.085
    # K1 1.2 -> 1; K2 6.08 -> 4; K3 6.38 (max) -> 4; K4 2.8 -> 2
    assert _by(hand, "ald", "computed_class") == [1, 4, 4, 2]
    # persampahan: min 1.0, max 2.8, width 0.45; boundaries 1.45, 1.9, 2.35
    # K1 1.0 -> 1; K2 1.6 -> 2; K3 2.2 -> 3; K4 2.8 -> 4
    assert _by(hand, "persampahan", "computed_class") == [1, 2, 3, 4]
    c = hand["risk_classes"]  # type: ignore[index]
    ald = c[c["subsector"].eq("ald")]
    assert list(ald["score_from"]) == pytest.approx([1.2, 2.495, 3.79, 5.085])
    assert list(ald["score_to"]) == pytest.approx([2.495, 3.79, 5.085, 6.38])
    assert list(ald["label_id"]) == ["rendah", "sedang", "tinggi", "amat tinggi"]
    assert list(ald["n_computed"]) == [1, 1, 0, 2]
    assert list(ald["n_final"]) == [1, 0, 1, 2]  # K4 moved 2 -> 3 by the override
    assert hand.cut_points[("13.72", "ald")] == pytest.approx((2.495, 3.79, 5.085))  # type: ignore[attr-defined]


def test_override_keeps_computed_class_and_reason(hand: object) -> None:
    assert _by(hand, "ald", "final_class") == [1, 4, 4, 3]
    assert _by(hand, "ald", "overridden") == [False, False, False, True]
    assert _by(hand, "ald", "override_reason")[3] == "Field check: toilets drain to the river"
    assert _by(hand, "ald", "class_label_id") == ["rendah", "amat tinggi", "amat tinggi", "tinggi"]
    assert _by(hand, "persampahan", "overridden") == [False] * 4


def test_priority_list(hand: object) -> None:
    p = hand["risk_priority"]  # type: ignore[index]
    # ald: class 4 first by score (K3 6.38, K2 6.08), then K4 (class 3 by override);
    # persampahan: K4 (4), K3 (3)
    assert list(zip(p["subsector"], p["kode"], p["final_class"], strict=True)) == [
        ("ald", K3, 4),
        ("ald", K2, 4),
        ("ald", K4, 3),
        ("persampahan", K4, 4),
        ("persampahan", K3, 3),
    ]


def test_fixed_cut_points() -> None:
    res = score_risk(hand_indicators(), hand_weights(), None, cut_points=(2, 4, 6))
    # ald 1.2 -> 1; 6.08 -> 4; 6.38 -> 4; 2.8 -> 2. persampahan 1.0, 1.6 -> 1; 2.2, 2.8 -> 2
    assert _by(res, "ald", "final_class") == [1, 4, 4, 2]
    assert _by(res, "persampahan", "final_class") == [1, 1, 2, 2]
    c = res["risk_classes"]
    assert set(c["method"]) == {"cut_points"}
    assert list(c["score_from"].iloc[:4]) == [-np.inf, 2, 4, 6]
    # a score on a cut point goes to the higher class
    assert list(cut_point_class(np.array([1.99, 2.0, 4.0, 6.0]), (2, 4, 6))) == [1, 2, 3, 4]
    with pytest.raises(ValueError, match="increasing"):
        score_risk(hand_indicators(), hand_weights(), None, cut_points=(4, 2, 6))


def test_boundary_convention_with_float_noise() -> None:
    # width 0.1; (0.3 - 0) / 0.1 = 2.9999999999999996 in floats: still the boundary -> class 4
    x = np.array([0.0, 0.1, 0.2, 0.3, 0.4, 0.0999])
    assert list(equal_interval_class(x, 0.0, 0.4)) == [1, 2, 3, 4, 4, 1]
    assert list(equal_interval_class(np.array([3.0, 3.0]), 3.0, 3.0)) == [1, 1]


def test_zero_range_of_scores_gives_class_1() -> None:
    ind = hand_indicators()
    ind = ind[ind["indicator"].isin(["slum_pct", "service_pct"])]
    w = pd.DataFrame(
        [
            ("all", "impact", "slum_pct", 100, "risk"),
            ("persampahan", "exposure", "service_pct", 100, "protective"),
        ],
        columns=["subsector", "component", "indicator", "weight", "direction"],
    )
    res = score_risk(ind, w)
    assert _by(res, "persampahan", "risk_score") == [1.0] * 4
    assert _by(res, "persampahan", "final_class") == [1] * 4
    assert set(res["risk_classes"]["method"]) == {"zero_range"}
    assert res["risk_priority"].empty


def test_labels_and_provenance(hand: object) -> None:
    assert CLASS_LABELS[4] == ("amat tinggi", "very high")
    t = hand.tables["risk_scores"]  # type: ignore[attr-defined]
    # 24 weighted values (4 kelurahan x 6 indicators; density derived) + 6 weights + 1 override
    assert dict(t.provenance) == {
        "sourced": 0,
        "derived": 4,
        "illustrative": 27,
        "unverified": 0,
    }
    assert t.label("risk_score", "en") == "Risk score"
    assert t.label("final_class", "id") == "Kelas risiko"


def test_contract_errors() -> None:
    w = hand_weights()
    w.loc[0, "weight"] = 65  # impact now sums to 105
    with pytest.raises(ValueError, match="impact weights of subsector all sum to 105"):
        score_risk(hand_indicators(), w)
    ind = hand_indicators()
    with pytest.raises(ValueError, match="missing"):
        score_risk(ind[~(ind["kode"].eq(K2) & ind["indicator"].eq("irs"))], hand_weights())
    ind.loc[ind["indicator"].eq("perception") & ind["kode"].eq(K1), "value"] = 5
    with pytest.raises(ValueError, match="within 1-4"):
        score_risk(ind, hand_weights())
    with pytest.raises(ValueError, match="reason"):
        score_risk(hand_indicators(), hand_weights(), hand_overrides().assign(reason=" "))


def test_stray_override_is_ignored_with_a_warning() -> None:
    ov = pd.DataFrame(
        [("13.72.02.1001", "ald", 4, "not scored here")],
        columns=["kode", "subsector", "class", "reason"],
    )
    res = score_risk(hand_indicators(), hand_weights(), ov)
    assert [w.code for w in res.warnings] == ["SAN-W171"]
    assert not res["risk_scores"]["overridden"].any()


def test_two_cities_are_ranged_separately() -> None:
    ind = hand_indicators()
    other = ind.assign(kode=ind["kode"].str.replace("13.72", "13.71", regex=False))
    scaled = ~other["indicator"].eq("perception")  # scores stay 1-4
    other.loc[scaled, "value"] = other.loc[scaled, "value"] * 10  # same relative positions
    res = score_risk(pd.concat([ind, other]), hand_weights())
    s = res["risk_scores"]
    for city in ("13.71", "13.72"):
        ald = s[s["city_kode"].eq(city) & s["subsector"].eq("ald")]
        assert list(ald["computed_class"]) == [1, 4, 4, 2]


# ----------------------------------------------------------------------------- priority share


def _programme() -> tuple[pd.DataFrame, pd.DataFrame]:
    act = pd.DataFrame(
        [
            ("A1", "ald", K2),  # class 4: priority
            ("A2", "ald", K1),  # class 1: other
            ("A3", "ald", "13.72"),  # city level
            ("A4", "persampahan", K1),  # class 1: other
            ("A5", "ald", "13.72.01"),  # kecamatan level
        ],
        columns=["code", "sector", "location_kode"],
    ).assign(city_kode="13.72")
    planned = pd.DataFrame(
        [
            ("A1", 2025, 1, 100.0),
            ("A1", 2026, 1, 50.0),
            ("A2", 2025, 2, 200.0),
            ("A3", 2025, 3, 300.0),
            ("A4", 2025, 4, 40.0),
            ("A5", 2025, 5, 60.0),
        ],
        columns=["code", "year", "planned_output", "planned_cost_idr"],
    ).assign(city_kode="13.72")
    return act, planned


def test_priority_share_not_located(hand: object) -> None:
    act, planned = _programme()
    out = priority_share(hand, act, planned)  # type: ignore[arg-type]
    a = out["priority_activities"].df.set_index("code")
    assert list(a["bucket"]) == ["priority", "other", "not_located", "other", "not_located"]
    assert a.at["A1", "planned_cost_idr"] == 150.0 and a.at["A1", "planned_output"] == 2
    p = out["priority_share_period"].df.set_index("sector")
    # ald: priority 150 (A1), other 200 (A2), not located 300 + 60 = 360, total 710
    assert p.loc[
        "ald", ["cost_priority_idr", "cost_other_idr", "cost_not_located_idr"]
    ].tolist() == [
        150.0,
        200.0,
        360.0,
    ]
    assert p.at["ald", "cost_total_idr"] == 710.0
    assert p.at["ald", "pct_cost_priority"] == pytest.approx(100 * 150 / 710)
    assert p.at["ald", "pct_located_cost_priority"] == pytest.approx(100 * 150 / 350)
    assert p.at["ald", "n_activities"] == 4 and p.at["ald", "n_activities_priority"] == 1
    assert p.at["persampahan", "pct_cost_priority"] == 0.0
    y = out["priority_share"].df
    y26 = y[(y["sector"] == "ald") & (y["year"] == 2026)].iloc[0]
    assert y26["cost_priority_idr"] == 50.0 and y26["pct_cost_priority"] == 100.0


def test_priority_share_spread_by_households(hand: object) -> None:
    act, planned = _programme()
    hh = {K1: 100.0, K2: 200.0, K3: 300.0, K4: 400.0}
    out = priority_share(hand, act, planned, households=hh)  # type: ignore[arg-type]
    a = out["priority_activities"].df.set_index("code")
    # ald priority kelurahan (final class >= 3): K2, K3, K4 -> 900 of 1000 households = 0.9
    assert a.at["A3", "priority_fraction"] == pytest.approx(0.9)
    assert a.at["A5", "priority_fraction"] == pytest.approx(0.9)
    assert a.at["A3", "bucket"] == "spread"
    p = out["priority_share_period"].df.set_index("sector")
    # priority 150 + 0.9 * 300 + 0.9 * 60 = 474; other 200 + 30 + 6 = 236
    assert p.at["ald", "cost_priority_idr"] == pytest.approx(474.0)
    assert p.at["ald", "cost_other_idr"] == pytest.approx(236.0)
    assert p.at["ald", "cost_not_located_idr"] == 0.0
    assert p.at["ald", "pct_cost_priority"] == pytest.approx(100 * 474 / 710)
