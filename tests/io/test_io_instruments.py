"""Risk and SFD files (io.instruments): the demo loads; each bad case breaks ONE thing in a copy
of the demo and checks the problem's code, file, line, column and value; nothing is returned
from a rejected folder."""

from __future__ import annotations

import warnings

import pytest
from io_fixtures import CityFolder

from sanitasi.io.errors import InputErrors, InputWarning, Problem
from sanitasi.io.instruments import load_risk, load_sfd, read_risk, read_sfd

IND = "risk_indicators.csv"
WGT = "risk_weights.csv"
OVR = "risk_overrides.csv"
SFD = "sfd.csv"


def _where(p: Problem) -> tuple[object, ...]:
    return (p.code, p.file, p.row, p.column, p.value)


def _risk(city: CityFolder, code: str) -> list[Problem]:
    result = read_risk(city.path)
    found = [p for p in result.problems if p.code == code]
    if found and found[0].is_error:
        assert result.inputs is None
    return found


def _sfd(city: CityFolder, code: str) -> list[Problem]:
    result = read_sfd(city.path)
    found = [p for p in result.problems if p.code == code]
    if found and found[0].is_error:
        assert result.inputs is None
    return found


def _one(found: list[Problem]) -> Problem:
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


# --------------------------------------------------------------------------- demo


def test_demo_risk_loads_cleanly() -> None:
    result = read_risk()
    assert result.problems == ()
    ri = result.inputs
    assert ri is not None and ri.city_kode == "13.72"
    assert len(ri.indicators) == 117 and len(ri.weights) == 9
    assert ri.overrides is not None and ri.overrides["class"].tolist() == [3]
    assert ri.names["13.72.02.1001"] == "Koto Panjang"
    assert ri.weights["weight"].dtype == float


def test_demo_sfd_loads_cleanly() -> None:
    result = read_sfd()
    assert result.problems == ()
    si = result.inputs
    assert si is not None and si.city_kode == "13.72"
    assert si.systems["population_share_pct"].sum() == pytest.approx(100)
    assert si.systems.set_index("code").at["SPALD_T", "offsite"]
    assert not si.systems.set_index("code").at["KE_BADAN_AIR", "improved"]
    lad = si.ladder.set_index("year")
    assert lad.at[2024, "households"] == 20087 and lad.at[2024, "hh_aman"] == 1637
    assert list(lad.index) == [2020, 2021, 2022, 2023, 2024]


# --------------------------------------------------------------------------- risk files


def test_missing_column(city: CityFolder) -> None:
    city.drop_column(IND, "value")
    p = _one(_risk(city, "SAN-E002"))
    assert _where(p) == ("SAN-E002", IND, 1, "value", None)


def test_missing_weights_file(city: CityFolder) -> None:
    city.file(WGT).unlink()
    p = _one(_risk(city, "SAN-E001"))
    assert (p.file, p.row) == (WGT, None) and "risk_weights.csv is missing" in p.rule


def test_unknown_code(city: CityFolder) -> None:
    line = city.line_of(IND, kode="13.72.01.1001", indicator="poverty_pct")
    city.set(IND, line, "kode", "13.72.01.1099")
    p = _one(_risk(city, "SAN-E004"))
    assert _where(p) == ("SAN-E004", IND, line, "kode", "13.72.01.1099")


def test_code_not_a_kelurahan_of_the_city(city: CityFolder) -> None:
    line = city.line_of(IND, kode="13.72.01.1001", indicator="poverty_pct")
    city.set(IND, line, "kode", "13.72.01")  # official, but a kecamatan
    line2 = city.line_of(IND, kode="13.72.01.1002", indicator="poverty_pct")
    city.set(IND, line2, "kode", "13.71.01.1001")  # official, another city
    found = {_where(p) for p in _risk(city, "SAN-E080")}
    assert found == {
        ("SAN-E080", IND, line, "kode", "13.72.01"),
        ("SAN-E080", IND, line2, "kode", "13.71.01.1001"),
    }
    # and those two kelurahan now miss their poverty value
    p = _one(_risk(city, "SAN-E085"))
    wline = city.line_of(WGT, indicator="poverty_pct")
    assert _where(p) == ("SAN-E085", WGT, wline, "indicator", "poverty_pct")
    assert "for 2 kelurahan/desa" in p.rule and "13.72.01.1001, 13.72.01.1002" in p.rule


def test_negative_weight(city: CityFolder) -> None:
    line = city.line_of(WGT, indicator="poverty_pct")
    city.set(WGT, line, "weight", "-35")
    p = _one(_risk(city, "SAN-E009"))
    assert _where(p) == ("SAN-E009", WGT, line, "weight", "-35")
    # the impact sum is off too: 40 - 35 + 25 = 30, reported once, naming the sum and lines
    s = _one(_risk(city, "SAN-E083"))
    first = city.line_of(WGT, indicator="population_density")
    assert _where(s) == ("SAN-E083", WGT, first, "weight", "30")
    assert "impact weights of subsector all sum to 30" in s.rule


def test_weights_not_summing_to_100(city: CityFolder) -> None:
    line = city.line_of(WGT, indicator="irs_persampahan")
    city.set(WGT, line, "weight", "55")
    p = _one(_risk(city, "SAN-E083"))
    assert _where(p) == ("SAN-E083", WGT, line, "weight", "105")
    assert p.rule == (
        f"the exposure weights of subsector persampahan sum to 105 (lines {line}, {line + 1}, "
        f"{line + 2}); they must sum to 100"
    )
    assert "berjumlah 105" in p.message_id


def test_weight_above_100_and_bad_direction(city: CityFolder) -> None:
    line = city.line_of(WGT, indicator="irs_ald")
    city.set(WGT, line, "weight", "150")
    line2 = city.line_of(WGT, indicator="septic_access_pct")
    city.set(WGT, line2, "direction", "protektif")
    assert _where(_one(_risk(city, "SAN-E011"))) == ("SAN-E011", WGT, line, "weight", "150")
    d = _one(_risk(city, "SAN-E024"))
    assert _where(d) == ("SAN-E024", WGT, line2, "direction", "protektif")
    assert "risk, protective, score" in d.rule


def test_component_subsector_mismatch(city: CityFolder) -> None:
    line = city.line_of(WGT, indicator="irs_ald")
    city.set(WGT, line, "subsector", "all")
    p = _one(_risk(city, "SAN-E082"))
    assert _where(p) == ("SAN-E082", WGT, line, "subsector", "all")
    assert "component exposure needs subsector ald or persampahan" in p.rule


def test_no_impact_weights(city: CityFolder) -> None:
    city.drop_rows(WGT, component="impact")
    p = _one(_risk(city, "SAN-E084"))
    assert (p.file, p.column, p.value) == (WGT, "component", "impact")


def test_score_outside_1_to_4(city: CityFolder) -> None:
    line = city.line_of(IND, kode="13.72.02.1003", indicator="perception_ald")
    city.set(IND, line, "value", "5")
    p = _one(_risk(city, "SAN-E081"))
    wline = city.line_of(WGT, indicator="perception_ald")
    assert _where(p) == ("SAN-E081", IND, line, "value", "5")
    assert f"risk_weights.csv line {wline}" in p.rule


def test_text_value_and_percentage_out_of_range(city: CityFolder) -> None:
    line = city.line_of(IND, kode="13.72.01.1003", indicator="poverty_pct")
    city.set(IND, line, "value", "9,5")
    line2 = city.line_of(IND, kode="13.72.01.1004", indicator="slum_area_pct")
    city.set(IND, line2, "value", "140")
    assert _where(_one(_risk(city, "SAN-E016"))) == ("SAN-E016", IND, line, "value", "9,5")
    assert _where(_one(_risk(city, "SAN-E011"))) == ("SAN-E011", IND, line2, "value", "140")


def test_duplicated_indicator_row(city: CityFolder) -> None:
    first = city.line_of(IND, kode="13.72.01.1001", indicator="irs_ald")
    line = city.append(IND, kode="13.72.01.1001", subsector="ald", indicator="irs_ald", value="1")
    p = _one(_risk(city, "SAN-E012"))
    assert _where(p) == ("SAN-E012", IND, line, "indicator", "irs_ald")
    assert f"line {first}" in p.rule


def test_unweighted_indicator_is_a_warning(city: CityFolder) -> None:
    lines = [
        city.append(IND, kode=k, subsector="ald", indicator="flood_days", value="3")
        for k in ("13.72.01.1001", "13.72.01.1002")
    ]
    result = read_risk(city.path)
    w = _one([p for p in result.problems if p.code == "SAN-W160"])
    assert _where(w) == ("SAN-W160", IND, lines[0], "indicator", "flood_days")
    assert not w.is_error and result.inputs is not None
    with pytest.warns(InputWarning, match="SAN-W160"):
        load_risk(city.path)
    with pytest.raises(InputErrors):
        load_risk(city.path, strict=True)


def test_bad_overrides(city: CityFolder) -> None:
    city.write(
        OVR,
        [
            ["kode", "subsector", "class", "reason"],
            ["13.72.01.1001", "ald", "5", "too high"],
            ["13.72.01.1002", "ald", "2", ""],
            ["13.72.01.1003", "drainase", "2", "no such subsector"],
            ["13.72.01.1004", "ald", "2.5", "not whole"],
        ],
    )
    assert {_where(p) for p in _risk(city, "SAN-E086")} == {
        ("SAN-E086", OVR, 2, "class", "5"),
        ("SAN-E086", OVR, 5, "class", "2.5"),
    }
    assert _where(_one(_risk(city, "SAN-E027"))) == ("SAN-E027", OVR, 3, "reason", "")
    s = _one(_risk(city, "SAN-E024"))
    assert _where(s) == ("SAN-E024", OVR, 4, "subsector", "drainase")


def test_all_problems_at_once(city: CityFolder) -> None:
    city.set(WGT, city.line_of(WGT, indicator="poverty_pct"), "weight", "-1")
    city.set(IND, city.line_of(IND, kode="13.72.01.1001", indicator="irs_ald"), "kode", "x")
    city.set(IND, city.line_of(IND, kode="13.72.01.1002", indicator="irs_ald"), "value", "")
    with pytest.raises(InputErrors) as exc:
        load_risk(city.path)
    codes = sorted(p.code for p in exc.value.problems)
    assert codes == ["SAN-E004", "SAN-E009", "SAN-E010", "SAN-E083", "SAN-E085"]


def test_bad_regions_are_reported(city: CityFolder) -> None:
    city.set("regions.csv", 2, "tingkat", "kota")
    assert _risk(city, "SAN-E024")


# --------------------------------------------------------------------------- sfd.csv


def test_sfd_missing_column(city: CityFolder) -> None:
    city.drop_column(SFD, "treated_pct")
    p = _one(_sfd(city, "SAN-E002"))
    assert _where(p) == ("SAN-E002", SFD, 1, "treated_pct", None)


def test_sfd_missing_file(city: CityFolder) -> None:
    city.file(SFD).unlink()
    assert _one(_sfd(city, "SAN-E001")).file == SFD


def test_sfd_shares_not_summing_to_100(city: CityFolder) -> None:
    line = city.line_of(SFD, code="ST_PRIBADI")
    city.set(SFD, line, "population_share_pct", "65.87")  # +1
    p = _one(_sfd(city, "SAN-E087"))
    assert _where(p) == ("SAN-E087", SFD, 2, "population_share_pct", "101")
    assert (
        "the population_share_pct of the 2024 systems sum to 101 % (lines 2, 3, 4, 5, 6, 7)"
        in p.rule
    )


def test_sfd_share_outside_0_100(city: CityFolder) -> None:
    line = city.line_of(SFD, code="ST_BERSAMA")
    city.set(SFD, line, "emptied_pct", "105")
    line2 = city.line_of(SFD, code="CUBLUK")
    city.set(SFD, line2, "delivered_pct", "-5")
    found = {_where(p) for p in _sfd(city, "SAN-E011")}
    assert found == {
        ("SAN-E011", SFD, line, "emptied_pct", "105"),
        ("SAN-E011", SFD, line2, "delivered_pct", "-5"),
    }


def test_sfd_onsite_needs_containment_and_f3(city: CityFolder) -> None:
    line = city.line_of(SFD, code="CUBLUK")
    city.set(SFD, line, "contained", "")
    city.set(SFD, line, "emptied_pct", "")
    assert _where(_one(_sfd(city, "SAN-E088"))) == ("SAN-E088", SFD, line, "contained", "")
    assert _where(_one(_sfd(city, "SAN-E010"))) == ("SAN-E010", SFD, line, "emptied_pct", "")


def test_sfd_open_defecation_is_not_a_system(city: CityFolder) -> None:
    line = city.line_of(SFD, code="KE_BADAN_AIR")
    city.set(SFD, line, "ladder_rung", "babs_terbuka")
    p = _one(_sfd(city, "SAN-E024"))
    assert _where(p) == ("SAN-E024", SFD, line, "ladder_rung", "babs_terbuka")


def test_sfd_duplicated_code(city: CityFolder) -> None:
    city.set(SFD, city.line_of(SFD, code="CUBLUK"), "code", "ST_BERSAMA")
    p = _one(_sfd(city, "SAN-E012"))
    assert (p.code, p.file, p.column, p.value) == ("SAN-E012", SFD, "code", "ST_BERSAMA")


def test_sfd_differs_from_the_ladder_is_a_warning(city: CityFolder) -> None:
    # move 5 points from belum_layak to babs_tertutup: sums still 100, rungs off the ladder
    city.set(SFD, city.line_of(SFD, code="CUBLUK"), "population_share_pct", "3.32")
    city.set(SFD, city.line_of(SFD, code="KE_BADAN_AIR"), "population_share_pct", "15.38")
    result = read_sfd(city.path)
    found = sorted((_where(p) for p in result.problems), key=str)
    assert [f[0] for f in found] == ["SAN-W161", "SAN-W161"]
    assert result.inputs is not None
    w = [p for p in result.problems if p.value == "belum_layak"][0]
    assert w.row == city.line_of(SFD, code="CUBLUK")
    assert "hold 3.32 % of the population" in w.rule and "8.32 %" in w.rule
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_sfd(city.path)
    assert {str(c.message)[:8] for c in caught} == {"SAN-W161"}
