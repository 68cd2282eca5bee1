"""Survey classification and weighted shares (core.survey): every ladder rule by hand,
shares and intervals against an independent per-group computation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sanitasi.core import survey as cs
from sanitasi.core.model import RUNGS
from sanitasi.io.reference import load_parameters

NAN = float("nan")
INF = float("inf")

# toilet, use, disposal, years since emptied, urban -> rung (rule in the module docstring)
CASES: list[tuple[str, str, str, float, bool | None, str, str]] = [
    # aman: own gooseneck to a sewer, or to a septic tank emptied within the window
    ("gooseneck", "own", "sewer", NAN, True, "aman", "own gooseneck to SPALD-T"),
    ("gooseneck", "own", "sewer", NAN, False, "aman", "sewer, rural"),
    ("gooseneck", "own", "septic", 1.0, True, "aman", "emptied a year ago"),
    ("gooseneck", "own", "septic", 5.0, True, "aman", "window edge: exactly 5 years"),
    ("gooseneck", "own", "septic", 0.0, False, "aman", "emptied this year, rural"),
    # layak_sendiri: septic not emptied within the window; rural pit
    ("gooseneck", "own", "septic", 5.01, True, "layak_sendiri", "just outside the window"),
    ("gooseneck", "own", "septic", INF, True, "layak_sendiri", "never emptied"),
    ("gooseneck", "own", "septic", NAN, True, "layak_sendiri", "blank: not emptied"),
    ("gooseneck", "own", "pit", NAN, False, "layak_sendiri", "rural pit"),
    # layak_bersama: shared with known households or communal MCK
    ("gooseneck", "shared", "septic", 1.0, True, "layak_bersama", "shared, even if emptied"),
    ("gooseneck", "shared", "sewer", NAN, True, "layak_bersama", "shared to sewer"),
    ("gooseneck", "communal", "septic", NAN, True, "layak_bersama", "communal MCK"),
    ("gooseneck", "communal", "pit", NAN, False, "layak_bersama", "communal, rural pit"),
    ("gooseneck", "shared", "pit", NAN, False, "layak_bersama", "shared, rural pit"),
    # belum_layak: public facility, non-gooseneck, urban pit, unknown disposal
    ("gooseneck", "public", "septic", 1.0, True, "belum_layak", "public MCK"),
    ("public", "public", "", NAN, True, "belum_layak", "public facility, no disposal answer"),
    ("none", "public", "", NAN, True, "belum_layak", "no toilet at home, uses a public one"),
    ("non_gooseneck", "own", "septic", 1.0, True, "belum_layak", "plengsengan"),
    ("non_gooseneck", "shared", "pit", NAN, False, "belum_layak", "cemplung, rural pit"),
    ("gooseneck", "own", "pit", NAN, True, "belum_layak", "urban pit"),
    ("gooseneck", "shared", "pit", NAN, True, "belum_layak", "shared urban pit"),
    ("gooseneck", "own", "unknown", NAN, True, "belum_layak", "disposal unknown"),
    # babs_tertutup: direct discharge, whatever the pan or the use
    ("gooseneck", "own", "open", NAN, True, "babs_tertutup", "gooseneck to the river"),
    ("non_gooseneck", "own", "open", NAN, False, "babs_tertutup", "helikopter over a pond"),
    ("gooseneck", "public", "open", NAN, True, "babs_tertutup", "public toilet to a drain"),
    # babs_terbuka: no toilet, or a toilet that is not used
    ("none", "", "", NAN, True, "babs_terbuka", "no toilet"),
    ("none", "own", "", NAN, True, "babs_terbuka", "no toilet wins over the use answer"),
    ("gooseneck", "none", "septic", 1.0, True, "babs_terbuka", "has a toilet, does not use it"),
    ("", "none", "", NAN, True, "babs_terbuka", "open defecation, toilet blank"),
    # unknown: invalid answer, or blanks the rules need
    ("seat", "own", "septic", 1.0, True, "unknown", "invalid toilet answer"),
    ("gooseneck", "own", "tank", 1.0, True, "unknown", "invalid disposal answer"),
    ("gooseneck", "own", "septic", -2.0, True, "unknown", "invalid desludging answer"),
    ("gooseneck", "own", "", NAN, True, "unknown", "disposal blank"),
    ("gooseneck", "", "septic", 1.0, True, "unknown", "use blank"),
    ("", "own", "septic", 1.0, True, "unknown", "toilet blank"),
    ("gooseneck", "own", "pit", NAN, None, "unknown", "pit, urban flag blank"),
]


def _frame(cases: list[tuple[str, str, str, float, bool | None, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "toilet": [c[0] for c in cases],
            "use": [c[1] for c in cases],
            "disposal": [c[2] for c in cases],
            "years": [c[3] for c in cases],
            "urban": pd.array([c[4] for c in cases], dtype="boolean"),
        }
    )


def test_every_ladder_rule_by_hand() -> None:
    got = cs.classify(_frame(CASES), load_parameters())
    expected = [c[5] for c in CASES]
    wrong = [(c[6], g, e) for c, g, e in zip(CASES, got, expected, strict=True) if g != e]
    assert not wrong, wrong
    assert list(got.cat.categories) == [*RUNGS, "unknown"]


def test_every_rung_is_covered() -> None:
    assert {c[5] for c in CASES} == {*RUNGS, "unknown"}


def test_window_is_the_parameter() -> None:
    """``aman_desludging_window_years`` drives the rule (3 years: 5 years ago is not aman)."""
    params = load_parameters().with_overrides({"aman_desludging_window_years": 3.0})
    df = _frame(
        [
            ("gooseneck", "own", "septic", 3.0, True, "", ""),
            ("gooseneck", "own", "septic", 5.0, True, "", ""),
        ]
    )
    assert list(cs.classify(df, params)) == ["aman", "layak_sendiri"]
    assert list(cs.classify(df, load_parameters())) == ["aman", "aman"]


def test_unknown_disposal_rung_is_an_option() -> None:
    df = _frame([("gooseneck", "own", "unknown", NAN, True, "", "")])
    rules = cs.SurveyRules(unknown_disposal="layak_sendiri")
    assert list(cs.classify(df, rules=rules)) == ["layak_sendiri"]
    with pytest.raises(ValueError):
        cs.SurveyRules(unknown_disposal="maybe")


def test_codes_and_labels_classify_alike() -> None:
    df = _frame(CASES)
    codes = pd.DataFrame(
        {
            "toilet": pd.Series(cs.encode(df["toilet"], cs.TOILET), dtype="int8"),
            "use": pd.Series(cs.encode(df["use"], cs.USE), dtype="int8"),
            "disposal": pd.Series(cs.encode(df["disposal"], cs.DISPOSAL), dtype="int8"),
            "years": df["years"],
            "urban": df["urban"],
        }
    )
    assert list(cs.classify(codes)) == list(cs.classify(df))


def test_encode() -> None:
    got = cs.encode(pd.Series(["Gooseneck ", "", None, "x", "none"]), cs.TOILET)
    assert got.tolist() == [0, cs.MISSING, cs.MISSING, cs.INVALID, 3]
    assert cs.encode_urban(pd.Series(["urban", "rural", "", "kota"])).tolist() == [1, 0, -1, -2]
    assert cs.encode_urban(pd.Series([True, False])).tolist() == [1, 0]


# --------------------------------------------------------------------------- shares


def _wilson(p: float, n: float, z: float = cs.Z95) -> tuple[float, float]:
    """Textbook Wilson score interval (independent of the vectorised one)."""
    if n <= 0:
        return NAN, NAN
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, min(centre - half, p)), min(1.0, max(centre + half, p))


def _reference(rungs: list[str], weights: list[float], groups: list[str]) -> pd.DataFrame:
    """A straightforward loop over groups: weighted shares, Kish n_eff, Wilson bounds."""
    rows = {}
    for g in sorted(set(groups)):
        rec: dict[str, float] = {}
        members = [
            (r, w)
            for r, w, gg in zip(rungs, weights, groups, strict=True)
            if gg == g and r != "unknown"
        ]
        total = sum(w for _, w in members)
        n_eff = total**2 / sum(w * w for _, w in members) if members else 0.0
        rec["n"] = len(members)
        rec["n_eff"] = n_eff
        for rung in RUNGS:
            p = sum(w for r, w in members if r == rung) / total if total else NAN
            low, high = _wilson(p, n_eff)
            rec[f"pct_{rung}"] = 100 * p
            rec[f"pct_{rung}_low"] = 100 * low
            rec[f"pct_{rung}_high"] = 100 * high
        rows[g] = rec
    return pd.DataFrame.from_dict(rows, orient="index")


def test_shares_and_intervals_against_a_loop() -> None:
    rng = np.random.default_rng(7)
    n = 400
    rungs = list(rng.choice([*RUNGS, "unknown"], n, p=[0.1, 0.45, 0.1, 0.15, 0.1, 0.05, 0.05]))
    weights = list(rng.uniform(0.5, 3.0, n))
    groups = list(rng.choice(["13.72.01.1001", "13.72.01.1002", "13.72.02.1001"], n))
    got = cs.weighted_shares(pd.Series(rungs), weights, groups, load_parameters())
    ref = _reference(rungs, weights, groups)
    assert list(got.index) == list(ref.index)
    for col in ref.columns:
        np.testing.assert_allclose(
            got[col].to_numpy(float), ref[col].to_numpy(float), rtol=1e-12, atol=1e-12
        )
    assert (got["n_unknown"] == pd.Series(rungs).eq("unknown").groupby(groups).sum()).all()


def test_equal_weights_give_the_textbook_wilson_interval() -> None:
    """8 of 40 households aman: p = 0.2, n = 40, z = 1.96: centre 0.22629, half-width
    0.12129, Wilson [10.500 %, 34.757 %]."""
    rungs = ["aman"] * 8 + ["layak_sendiri"] * 32
    got = cs.weighted_shares(rungs, None, ["k"] * 40).loc["k"]
    assert got["n"] == 40 and got["n_eff"] == pytest.approx(40)
    assert got["pct_aman"] == pytest.approx(20.0)
    assert got["pct_aman_low"] == pytest.approx(10.49999, abs=1e-4)
    assert got["pct_aman_high"] == pytest.approx(34.75731, abs=1e-4)
    assert not got["below_min"]


def test_kish_effective_sample_size_and_weights() -> None:
    """Weights 1, 1, 2: n_eff = 16 / 6; shares weighted (2 of 4 = 50 %)."""
    got = cs.weighted_shares(["aman", "layak_sendiri", "aman"], [1.0, 2.0, 1.0], None).loc["all"]
    assert got["n_eff"] == pytest.approx(16 / 6)
    assert got["pct_aman"] == pytest.approx(50.0)
    assert got["weight_sum"] == pytest.approx(4.0)


def test_below_the_ehra_minimum_is_flagged() -> None:
    rungs = ["aman"] * 39 + ["aman"] * 40
    groups = ["a"] * 39 + ["b"] * 40
    got = cs.weighted_shares(rungs, None, groups, load_parameters())
    assert got.loc["a", "below_min"] and not got.loc["b", "below_min"]
    rules = cs.SurveyRules(min_households=30)
    assert not cs.weighted_shares(rungs, None, groups, rules=rules).loc["a", "below_min"]


def test_unknown_is_excluded_and_bad_weights_rejected() -> None:
    got = cs.weighted_shares(["aman", "unknown", "unknown"], [1.0, 0.0, -1.0], ["a"] * 3).loc["a"]
    assert got["n"] == 1 and got["n_unknown"] == 2 and got["pct_aman"] == 100.0
    with pytest.raises(ValueError):
        cs.weighted_shares(["aman"], [0.0], ["a"])


def test_a_group_of_only_unknown_has_no_shares() -> None:
    got = cs.weighted_shares(["unknown"], None, ["a"]).loc["a"]
    assert got["n"] == 0 and math.isnan(got["pct_aman"]) and math.isnan(got["pct_aman_low"])


def test_other_categories_work_the_same_way() -> None:
    got = cs.weighted_shares(
        ["collected", "burned", "unknown"], None, None, categories=cs.WASTE
    ).loc["all"]
    assert got["pct_collected"] == 50.0 and got["n_unknown"] == 1
