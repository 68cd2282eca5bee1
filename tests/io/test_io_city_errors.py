"""Bad city input: each case breaks ONE thing in a copy of the demo and checks the problem's
code, file, line, column and value; nothing is half-read (no inputs are returned)."""

from __future__ import annotations

import warnings

import pytest
from io_fixtures import CityFolder

from sanitasi.io.city import load_city
from sanitasi.io.errors import InputErrors, InputWarning

OBS = "observations.csv"
REG = "regions.csv"
TGT = "targets.csv"
FAC = "facilities.csv"


def _where(p: object) -> tuple[object, ...]:
    return (p.code, p.file, p.row, p.column, p.value)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- files, columns


def test_missing_required_file(city: CityFolder) -> None:
    city.file(REG).unlink()
    p = city.one("SAN-E001")
    assert _where(p) == ("SAN-E001", REG, None, None, None)
    assert "regions.csv is missing" in p.rule


def test_missing_observations_file(city: CityFolder) -> None:
    city.file(OBS).unlink()
    assert city.one("SAN-E001").file == OBS


def test_missing_required_column(city: CityFolder) -> None:
    city.drop_column(OBS, "indicator")
    p = city.one("SAN-E002")
    assert _where(p) == ("SAN-E002", OBS, 1, "indicator", None)
    assert "kode, year, value" in p.rule


def test_file_not_utf8(city: CityFolder) -> None:
    data = city.file(REG).read_bytes().replace(b"Tanah Garam", "Tanah Garám".encode("latin-1"))
    city.file(REG).write_bytes(data)
    p = city.one("SAN-E003")
    assert (p.file, p.row) == (REG, 5) and "not UTF-8" in p.rule  # line of the bad byte


def test_ragged_row(city: CityFolder) -> None:
    with city.file(FAC).open("a", encoding="utf-8") as fh:
        fh.write("X-1,TPS,too,many,fields,in,this,row,for,the,header,really,so\n")
    p = city.one("SAN-E154")
    assert (p.file, p.row) == (FAC, 32) and "has 13 cells but the header has 12" in p.rule


# --------------------------------------------------------------------------- region codes


def test_unknown_region_code_in_observations(city: CityFolder) -> None:
    line = city.line_of(OBS, kode="13.72.01.1001", indicator="hh_aman")
    city.set(OBS, line, "kode", "13.72.01.1099")
    p = city.one("SAN-E004")
    assert _where(p) == ("SAN-E004", OBS, line, "kode", "13.72.01.1099")
    assert "not a Kemendagri 2025 region code" in p.rule


def test_unknown_region_code_in_regions_and_facilities(city: CityFolder) -> None:
    line = city.append(
        REG, kode="13.72.03", nama="Kecamatan Baru", tingkat="kecamatan", parent_kode="13.72"
    )
    fline = city.line_of(FAC, id="IPLT-01")
    city.set(FAC, fline, "kode", "13.72.9")
    found = {_where(p) for p in city.problems("SAN-E004")}
    assert found == {
        ("SAN-E004", REG, line, "kode", "13.72.03"),
        ("SAN-E004", FAC, fline, "kode", "13.72.9"),
    }


def test_unofficial_city_code(city: CityFolder) -> None:
    line = city.line_of(REG, kode="13.72")
    city.set(REG, line, "kode", "13.99")
    result = city.load()
    assert [_where(p) for p in result.problems] == [("SAN-E004", REG, line, "kode", "13.99")]


def test_observation_kode_not_in_regions(city: CityFolder) -> None:
    line = city.line_of(OBS, kode="13.72", year="2014", indicator="slum_area_ha")
    city.set(OBS, line, "kode", "13.71.01.1001")  # official, Kota Padang
    p = city.one("SAN-E005")
    assert _where(p) == ("SAN-E005", OBS, line, "kode", "13.71.01.1001")


def test_region_outside_the_city(city: CityFolder) -> None:
    line = city.append(REG, kode="13.71.01.1001", nama="Belakang Pondok", tingkat="kelurahan")
    p = city.one("SAN-E006")
    assert _where(p) == ("SAN-E006", REG, line, "kode", "13.71.01.1001")
    assert "not inside the kab/kota 13.72" in p.rule


def test_parent_kode_inconsistent(city: CityFolder) -> None:
    line = city.line_of(REG, kode="13.72.01.1003")
    city.set(REG, line, "parent_kode", "13.72.02")
    p = city.one("SAN-E007")
    assert _where(p) == ("SAN-E007", REG, line, "parent_kode", "13.72.02")
    assert "must be 13.72.01" in p.rule


def test_duplicated_region(city: CityFolder) -> None:
    first = city.line_of(REG, kode="13.72.02.1006")
    line = city.append(REG, kode="13.72.02.1006", nama="Laing", tingkat="kelurahan")
    p = city.one("SAN-E012")
    assert _where(p) == ("SAN-E012", REG, line, "kode", "13.72.02.1006")
    assert f"line {first}" in p.rule


def test_tingkat_not_allowed(city: CityFolder) -> None:
    line = city.line_of(REG, kode="13.72")
    city.set(REG, line, "tingkat", "kota")
    p = city.one("SAN-E024")
    assert _where(p) == ("SAN-E024", REG, line, "tingkat", "kota")
    assert str(p) == (
        f"regions.csv line {line}, column tingkat, value 'kota': tingkat must be one of "
        "provinsi, kabkota, kecamatan, kelurahan, desa"
    )


def test_tingkat_differs_from_official(city: CityFolder) -> None:
    line = city.line_of(REG, kode="13.72.02.1004")
    city.set(REG, line, "tingkat", "desa")
    p = city.one("SAN-E025")
    assert _where(p) == ("SAN-E025", REG, line, "tingkat", "desa")
    assert "is a kelurahan" in p.rule


def test_two_cities_in_one_folder(city: CityFolder) -> None:
    line = city.append(REG, kode="13.71", nama="Kota Padang", tingkat="kabkota", parent_kode="13")
    found = [_where(p) for p in city.problems("SAN-E026")]
    assert ("SAN-E026", REG, line, "tingkat", "kabkota") in found
    assert len(found) == 2


def test_empty_kode(city: CityFolder) -> None:
    line = city.line_of(OBS, kode="13.72", year="2014", indicator="slum_area_ha")
    city.set(OBS, line, "kode", "")
    assert _where(city.one("SAN-E027")) == ("SAN-E027", OBS, line, "kode", "")


def test_kelurahan_without_base_year_observation(city: CityFolder) -> None:
    assert city.drop_rows(OBS, kode="13.72.02.1006") == 10
    line = city.line_of(REG, kode="13.72.02.1006")
    p = city.one("SAN-E023")
    assert _where(p) == ("SAN-E023", REG, line, "kode", "13.72.02.1006")
    assert "Laing" in p.rule and "2024" in p.rule


# --------------------------------------------------------------------------- numbers


def test_ladder_rungs_do_not_sum(city: CityFolder) -> None:
    city.set(OBS, city.line_of(OBS, kode="13.72.01.1001", indicator="hh_aman"), "value", "200")
    hh_line = city.line_of(OBS, kode="13.72.01.1001", indicator="households")
    p = city.one("SAN-E008")
    assert _where(p) == ("SAN-E008", OBS, hh_line, "value", "3498")
    assert "sum to 3488" in p.rule and "13.72.01.1001 in 2024" in p.rule


def test_ladder_tolerance_half_a_household(city: CityFolder) -> None:
    city.set(OBS, city.line_of(OBS, kode="13.72.01.1001", indicator="hh_aman"), "value", "210.4")
    assert not city.problems("SAN-E008")


def test_negative_values(city: CityFolder) -> None:
    fline = city.line_of(FAC, id="IPLT-01")
    city.set(FAC, fline, "capacity", "-20")
    oline = city.line_of(OBS, kode="13.72", year="2024", indicator="waste_generated_tpd")
    city.set(OBS, oline, "value", "-53.27")
    found = {_where(p) for p in city.problems("SAN-E009")}
    assert found == {
        ("SAN-E009", FAC, fline, "capacity", "-20"),
        ("SAN-E009", OBS, oline, "value", "-53.27"),
    }


def test_empty_number(city: CityFolder) -> None:
    oline = city.line_of(OBS, kode="13.72", year="2014", indicator="slum_area_ha")
    city.set(OBS, oline, "value", "")
    tline = city.line_of(TGT, indicator="pct_aman", year="2027")
    city.set(TGT, tline, "value", "NaN")
    found = {_where(p) for p in city.problems("SAN-E010")}
    assert found == {
        ("SAN-E010", OBS, oline, "value", ""),
        ("SAN-E010", TGT, tline, "value", "NaN"),
    }


def test_blank_facility_capacity_is_allowed(city: CityFolder) -> None:
    city.set(FAC, city.line_of(FAC, id="IPLT-01"), "capacity", "")
    inputs, _ = load_city(city.path)
    assert inputs.facilities.set_index("id")["capacity"].isna()["IPLT-01"]


def test_shares_above_100_percent(city: CityFolder) -> None:
    oline = city.line_of(OBS, indicator="pct_waste_processed_dlh")
    city.set(OBS, oline, "value", "119")
    tline = city.line_of(TGT, indicator="pct_layak", year="2029")
    city.set(TGT, tline, "value", "-1")
    found = {_where(p) for p in city.problems("SAN-E011")}
    assert found == {
        ("SAN-E011", OBS, oline, "value", "119"),
        ("SAN-E011", TGT, tline, "value", "-1"),
    }


def test_fraction_parameter_above_one(city: CityFolder) -> None:
    city.write("parameters.csv", [["name", "value"], ["truck_availability", "85"]])
    p = city.one("SAN-E011")
    assert _where(p) == ("SAN-E011", "parameters.csv", 2, "value", "85")
    assert "between 0 and 1" in p.rule


def test_text_in_number_column(city: CityFolder) -> None:
    line = city.line_of(OBS, kode="13.72.01.1002", indicator="population")
    city.set(OBS, line, "value", "lima")
    p = city.one("SAN-E016")
    assert _where(p) == ("SAN-E016", OBS, line, "value", "lima")
    assert str(p).startswith(f"observations.csv line {line}, column value, value 'lima': ")


def test_comma_decimal_is_text(city: CityFolder) -> None:
    line = city.line_of(FAC, id="TRK-T-01")
    city.set(FAC, line, "capacity", "3,5")
    assert _where(city.one("SAN-E016")) == ("SAN-E016", FAC, line, "capacity", "3,5")


def test_spald_t_above_aman(city: CityFolder) -> None:
    line = city.line_of(OBS, kode="13.72.02.1001", indicator="hh_spald_t")
    city.set(OBS, line, "value", "250")
    p = city.one("SAN-E021")
    assert _where(p) == ("SAN-E021", OBS, line, "value", "250")
    assert "(250) must not exceed hh_aman (213)" in p.rule


# --------------------------------------------------------------------------- duplicates


def test_duplicated_observation(city: CityFolder) -> None:
    first = city.line_of(OBS, kode="13.72", year="2024", indicator="population")
    line = city.append(
        OBS, kode="13.72", year="2024", indicator="population", value="78341", status="derived"
    )
    p = city.one("SAN-E012")
    assert _where(p) == ("SAN-E012", OBS, line, "indicator", "population")
    assert f"kode/year/indicator is already on line {first}" in p.rule


def test_duplicated_target(city: CityFolder) -> None:
    first = city.line_of(TGT, indicator="pct_layak", year="2025")
    line = city.append(
        TGT, target_set="LOCAL", indicator="pct_layak", year="2025", kind="target", value="84"
    )
    p = city.one("SAN-E012")
    assert _where(p) == ("SAN-E012", TGT, line, "year", "2025")
    assert f"already on line {first}" in p.rule


def test_target_duplicating_a_reference_point(city: CityFolder) -> None:
    line = city.append(
        TGT,
        target_set="RPJMN_2020_2024",
        indicator="pct_layak",
        year="2024",
        kind="target",
        value="91",
    )
    p = city.one("SAN-E012")
    assert _where(p) == ("SAN-E012", TGT, line, "year", "2024")
    assert "reference/targets.csv line 2" in p.rule


# --------------------------------------------------------------------------- years


def test_horizon_not_after_base_year(city: CityFolder) -> None:
    p = city.one("SAN-E013", horizon=2024)
    assert _where(p) == ("SAN-E013", "--horizon", None, None, "2024")
    assert "after the base year (2024)" in p.rule


def test_year_out_of_range(city: CityFolder) -> None:
    line = city.line_of(OBS, kode="13.72", year="2010", indicator="population")
    city.set(OBS, line, "year", "1850")
    assert _where(city.one("SAN-E014")) == ("SAN-E014", OBS, line, "year", "1850")


def test_base_year_option_out_of_range(city: CityFolder) -> None:
    assert _where(city.one("SAN-E014", base_year=3024)) == (
        "SAN-E014",
        "--base-year",
        None,
        None,
        "3024",
    )


def test_baseline_after_target(city: CityFolder) -> None:
    first = city.line_of(TGT, indicator="pct_aman", year="2025")
    line = city.append(
        TGT, target_set="LOCAL", indicator="pct_aman", year="2026.0", kind="baseline", value="9"
    )
    city.set(
        TGT, city.line_of(TGT, indicator="pct_aman", year="2026", kind="target"), "year", "2030"
    )
    p = city.one("SAN-E015")
    assert _where(p) == ("SAN-E015", TGT, line, "year", "2026")
    assert f"target point of 2025 (targets.csv line {first})" in p.rule


def test_text_year(city: CityFolder) -> None:
    line = city.line_of(TGT, indicator="pct_aman", year="2025")
    city.set(TGT, line, "year", "dua ribu")
    assert _where(city.one("SAN-E016")) == ("SAN-E016", TGT, line, "year", "dua ribu")


def test_base_year_without_kelurahan_data(city: CityFolder) -> None:
    p = city.one("SAN-E020", base_year=2020)
    assert _where(p) == ("SAN-E020", "--base-year", None, None, "2020")
    assert "years with kelurahan data: 2024" in p.rule
    assert not city.problems("SAN-E023", base_year=2020)


def test_no_kelurahan_data_at_all(city: CityFolder) -> None:
    for kode in [c for c in {r[0] for r in city.read(OBS)[1:]} if c.count(".") == 3]:
        city.drop_rows(OBS, kode=kode)
    p = city.one("SAN-E020")
    assert (p.file, p.column) == (OBS, "year")


# --------------------------------------------------------------------------- targets, parameters


def test_invalid_target_kind(city: CityFolder) -> None:
    line = city.line_of(TGT, indicator="pct_babs_terbuka", year="2026")
    city.set(TGT, line, "kind", "goal")
    p = city.one("SAN-E022")
    assert _where(p) == ("SAN-E022", TGT, line, "kind", "goal")


def test_unknown_target_set(city: CityFolder) -> None:
    p = city.one("SAN-E017", target_sets=["SDG_2030", "RPJMN_2099"])
    assert _where(p) == ("SAN-E017", "--target-set", None, None, "RPJMN_2099")
    assert "LOCAL" in p.rule and "VISI_2045" in p.rule


def test_local_needs_city_targets(city: CityFolder) -> None:
    city.file(TGT).unlink()
    assert city.one("SAN-E017", target_sets=["LOCAL"]).value == "LOCAL"


def test_unknown_target_indicator_is_a_warning(city: CityFolder) -> None:
    line = city.append(
        TGT, target_set="LOCAL", indicator="pct_layk", year="2030", kind="target", value="91"
    )
    p = city.one("SAN-W102")
    assert _where(p) == ("SAN-W102", TGT, line, "indicator", "pct_layk")
    assert p.severity == "warning"
    with pytest.warns(InputWarning, match="SAN-W102"):
        load_city(city.path)


def test_unknown_parameter(city: CityFolder) -> None:
    city.write("parameters.csv", [["name", "value"], ["persons_per_rumah", "4"]])
    p = city.one("SAN-E018")
    assert _where(p) == ("SAN-E018", "parameters.csv", 2, "name", "persons_per_rumah")
    found = {_where(x) for x in city.problems("SAN-E018", param_overrides={"foo_rate": "1"})}
    assert ("SAN-E018", "--param", None, "name", "foo_rate") in found


def test_reference_only_parameter_is_not_overridable(city: CityFolder) -> None:
    # no computation reads the SNI tank volume (read_by = reference_only): an override would
    # change nothing, so it is refused naming the parameter (SAN-E201)
    name = "septic_sludge_zone_volume_1kk_m3"
    city.write("parameters.csv", [["name", "value"], [name, "0.5"]])
    p = city.one("SAN-E201")
    assert _where(p) == ("SAN-E201", "parameters.csv", 2, "name", name)
    assert "reference_only" in p.rule and name in p.rule
    found = {_where(x) for x in city.problems("SAN-E201", param_overrides={name: "0.5"})}
    assert ("SAN-E201", "--param", None, "name", name) in found


def test_non_numeric_parameter_value(city: CityFolder) -> None:
    p = city.one("SAN-E019", param_overrides={"persons_per_household": "empat"})
    assert _where(p) == ("SAN-E019", "--param", None, None, "empat")
    assert "needs a number" in p.rule
    city.write("parameters.csv", [["name", "value"], ["new_households_ladder", "aman"]])
    q = city.one("SAN-E019")
    assert _where(q) == ("SAN-E019", "parameters.csv", 2, "value", "aman")
    assert "one of baseline, layak_sendiri" in q.rule


def test_status_not_allowed(city: CityFolder) -> None:
    line = city.line_of(OBS, kode="13.72", year="2010", indicator="population")
    city.set(OBS, line, "status", "guessed")
    p = city.one("SAN-E024")
    assert _where(p) == ("SAN-E024", OBS, line, "status", "guessed")


# --------------------------------------------------------------------------- sums, warnings


def test_subarea_sums_disagree_is_a_warning(city: CityFolder) -> None:
    line = city.line_of(OBS, kode="13.72.01", indicator="population")
    city.set(OBS, line, "value", "41000")
    city_line = city.line_of(OBS, kode="13.72", year="2024", indicator="population")
    result = city.load()
    p, q = result.problems  # the kecamatan vs its kelurahan, the city vs its kecamatan
    assert _where(p) == ("SAN-W101", OBS, line, "value", "41000")
    assert p.severity == "warning"
    assert "its kelurahan/desa sum to 41521" in p.rule
    assert _where(q) == ("SAN-W101", OBS, city_line, "value", "78341")
    assert "its kecamatan sum to 77820" in q.rule
    assert result.inputs is not None
    with pytest.warns(InputWarning, match="SAN-W101"):
        load_city(city.path)
    with pytest.raises(InputErrors) as exc:
        load_city(city.path, strict=True)
    assert [x.code for x in exc.value.problems] == ["SAN-W101", "SAN-W101"]


def test_city_total_disagrees_with_kecamatan(city: CityFolder) -> None:
    line = city.line_of(OBS, kode="13.72", year="2024", indicator="households")
    city.set(OBS, line, "value", "20100")
    city.set(OBS, line + 1, "value", "1650")  # hh_aman: keeps the rungs summing
    found = {(p.row, p.value) for p in city.problems("SAN-W101")}
    assert found == {(line, "20100"), (line + 1, "1650")}


# --------------------------------------------------------------------------- all at once


def test_all_problems_reported_in_one_run(city: CityFolder) -> None:
    oline = city.line_of(OBS, kode="13.72.01.1002", indicator="population")
    city.set(OBS, oline, "value", "lima")
    rline = city.line_of(REG, kode="13.72")
    city.set(REG, rline, "tingkat", "kota")
    with pytest.raises(InputErrors) as exc:
        load_city(city.path, target_sets=["NOPE"])
    found = {(p.code, p.file, p.row) for p in exc.value.problems}
    assert {
        ("SAN-E016", OBS, oline),
        ("SAN-E024", REG, rline),
        ("SAN-E017", "--target-set", None),
    } <= found
    assert f"SAN-E016 observations.csv line {oline}, column value, value 'lima'" in str(exc.value)


def test_errors_never_crash_on_garbage(city: CityFolder) -> None:
    city.file(OBS).write_text(
        "kode,year,indicator,value\n,,,\nx,y,z,w\n13.72,2024,households,\n", encoding="utf-8"
    )
    city.file(TGT).write_bytes(b"")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(InputErrors) as exc:
            load_city(city.path)
    codes = {p.code for p in exc.value.problems}
    assert {"SAN-E003", "SAN-E004", "SAN-E016", "SAN-E010"} <= codes
