"""Reference tables: loading, types and pandera validation."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sanitasi.core.model import FUNDING_SOURCES, RUNGS
from sanitasi.io import reference as ref
from sanitasi.io.tables import Checker, parse_csv


def test_parameters_types() -> None:
    params = ref.load_parameters()
    assert params.num("desludging_interval_years") == 3.0
    assert params.num("persons_per_household") == pytest.approx(3.9)
    assert params["persons_per_household"].low == pytest.approx(3.8)
    assert params["persons_per_household"].status == "unverified"
    # new houses are built to code (a PBG needs a septic tank): layak_sendiri by default
    assert params["new_households_ladder"].value == "layak_sendiri"
    assert params.choice("new_households_ladder") == "layak_sendiri"
    assert params["population_growth_rate"].value is None
    assert params.opt("population_growth_rate") is None
    assert params["truck_availability"].unit == "fraction"
    assert "ald" in params["desludging_interval_years"].applies_to
    assert not params.overrides


def test_parameter_table_has_every_row() -> None:
    table = ref.parameter_table()
    assert table["name"].is_unique
    # 86 from shared data + 2 monitoring parameters + 11 of the calibrated needs (kota besar
    # rate, 3 pengurangan routes, bank sampah unit, 3 collection trip parameters, SPALD-T
    # plant sizing, 2 cliff-warning parameters) + the 4 completion-profile shares + the 2
    # land parameters of the SSK document (IPLT land per m3/day, landfill cell depth)
    assert len(table) == 114  # + budgets, priorities and optimise (METHOD.md §18), report_due_days
    assert set(table["status"]) <= {"sourced", "derived", "illustrative", "unverified"}


def test_reference_targets() -> None:
    t = ref.load_reference_targets()
    assert list(t.columns[:7]) == [
        "target_set",
        "indicator",
        "year",
        "kind",
        "value",
        "status",
        "scope_kode",
    ]
    assert (t["scope_kode"] == "").all()
    assert t["year"].dtype == "int64"
    row = t[(t["target_set"] == "RPJMN_2020_2024") & (t["indicator"] == "pct_layak")]
    assert row["value"].tolist() == [90.0]
    assert set(t["kind"]) == {"target", "baseline"}
    base = t[(t["target_set"] == "RPJMN_2025_2029") & (t["kind"] == "baseline")]
    assert base["value"].tolist() == [39.01]


def test_costs_needs_shares_ladder() -> None:
    costs = ref.load_unit_costs()
    assert costs.set_index("item").at["septic_tank_individual", "cost_idr"] == 6_000_000
    assert costs["price_year"].dtype == "int64"
    needs = ref.load_need_items()
    assert set(needs["cost_kind"]) == {"capex", "opex"}
    assert set(needs["item"]) <= set(costs["item"])
    shares = ref.load_funding_shares()
    assert set(shares["source"]) <= set(FUNDING_SOURCES)
    assert shares.groupby("item")["share"].sum().sub(1).abs().max() < 1e-6
    ladder = ref.load_ladder()
    assert ladder.sort_values("rung_order", ascending=False)["code"].tolist() == list(RUNGS)
    assert ladder.set_index("code")["counts_as_layak"].to_dict()["layak_bersama"] is True


def test_wilayah_cached_and_complete() -> None:
    w = ref.load_wilayah()
    assert len(w) == 91_599
    assert w["tingkat"].value_counts().to_dict() == {
        "desa": 75_266,
        "kelurahan": 8_496,
        "kecamatan": 7_285,
        "kabkota": 514,
        "provinsi": 38,
    }
    assert ref.wilayah_index() is ref.wilayah_index()
    assert ref.wilayah_index().at["13.72", "nama"] == "Kota Solok"
    w.loc[0, "nama"] = "changed"
    assert ref.load_wilayah().loc[0, "nama"] != "changed"


def test_penduduk() -> None:
    p = ref.load_penduduk().set_index("kode")
    assert p.at["0", "total"] == 284_973_643
    assert p.at["13.72", "total"] == 85_553


def test_load_reference_bundle() -> None:
    bundle = ref.load_reference()
    assert "desludging_interval_years" in bundle.parameters
    assert len(bundle.targets) == 18  # SDG_2030 sets no numeric aman target


def _typed(text: str, convert: object) -> pd.DataFrame:
    df, problems = parse_csv(text.encode(), "reference/x.csv")
    assert df is not None and not problems
    chk = Checker(df, "reference/x.csv")
    assert callable(convert)
    out: pd.DataFrame = convert(chk).set_index(df["_line"])
    return out


def test_pandera_rejects_duplicate_parameter_and_bad_status() -> None:
    text = "name,value,unit,status\na,1,years,sourced\na,2,years,guessed\n"
    typed = _typed(text, ref._convert_parameters)
    problems = ref.validate(ref.ParametersModel, typed, "reference/parameters.csv")
    codes = {(p.code, p.row, p.column) for p in problems}
    assert ("SAN-E012", 2, "name") in codes and ("SAN-E012", 3, "name") in codes
    assert ("SAN-E024", 3, "status") in codes


def test_pandera_funding_shares_must_sum_to_one() -> None:
    text = "item,source,share,status\nx,APBN,0.5,illustrative\nx,DAK,0.4,illustrative\ny,DAK,1,derived\n"
    typed = _typed(text, ref._convert_funding_shares)
    problems = ref.validate(ref.FundingSharesModel, typed, "reference/funding_shares.csv")
    assert sorted((p.code, p.row) for p in problems) == [("SAN-E028", 2), ("SAN-E028", 3)]
    assert "item x" in problems[0].rule


def test_text_in_reference_number_column_is_reported_with_its_line() -> None:
    text = "item,unit,cost_idr,price_year,status\nt,unit,enam juta,2024,sourced\n"
    df, _ = parse_csv(text.encode(), "reference/unit_costs.csv")
    assert df is not None
    chk = Checker(df, "reference/unit_costs.csv")
    ref._convert_unit_costs(chk)
    (p,) = chk.problems
    assert (p.code, p.row, p.column, p.value) == ("SAN-E016", 2, "cost_idr", "enam juta")


def test_parameter_value_conversion() -> None:
    df = pd.DataFrame(
        {"name": ["a", "b", "c", "d"], "value": ["0.5", "x", "1.5", ""], "_line": [2, 3, 4, 5]}
    )
    units = pd.Series(["fraction", "choice: x|y", "fraction", "years"])
    values, bad, problems = ref.parameter_value_problems(df, units, "p.csv")
    assert values.tolist()[:3] == [0.5, "x", 1.5] and values.tolist()[3] is None
    assert bad.tolist() == [False, False, True, False]
    assert [(p.code, p.row) for p in problems] == [("SAN-E011", 4)]
    assert not math.isnan(values.iloc[0])


def test_need_item_must_be_a_unit_cost_item() -> None:
    df = pd.DataFrame({"need": ["tps3r"], "item": ["tps3r_gold"], "_line": [9]})
    (p,) = ref._unknown_items(df, "reference/need_items.csv")
    assert (p.code, p.file, p.row, p.column, p.value) == (
        "SAN-E029",
        "reference/need_items.csv",
        9,
        "item",
        "tps3r_gold",
    )


def test_contract_schema_failure_is_a_problem() -> None:
    from sanitasi.io.schemas import RegionsModel

    regions = pd.DataFrame(
        {
            "kode": ["13.72.01.1001"],
            "nama": ["Tanah Garam"],
            "tingkat": ["kelurahan"],
            "parent_kode": ["13.72.01"],
            "urban": [True],
            "spald_t_zone": [""],
            "area_km2": [1.0],
        }
    )
    problems = ref.validate(RegionsModel, regions, "PlanInputs.regions")
    assert [p.code for p in problems] == ["SAN-E005"]  # its parent is missing
