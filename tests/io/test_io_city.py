"""Loading good city folders: the embedded demo, encodings, optional files, overrides and a
minimal second city."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from io_fixtures import CityFolder

from sanitasi.core.model import PlanInputs
from sanitasi.io.city import load_city, read_city
from sanitasi.io.errors import InputWarning

LEAVES_SOLOK = 13


@pytest.fixture(scope="module")
def demo() -> tuple[PlanInputs, object]:
    return load_city()


def test_demo_loads_cleanly() -> None:
    result = read_city()
    assert result.problems == ()
    assert result.inputs is not None


def test_demo_options(demo: tuple[PlanInputs, object]) -> None:
    _, options = demo
    assert options.base_year == 2024  # type: ignore[attr-defined]
    assert options.horizon == 2045  # type: ignore[attr-defined]
    assert options.target_sets is None  # type: ignore[attr-defined]


def test_demo_regions(demo: tuple[PlanInputs, object]) -> None:
    regions = demo[0].regions
    assert list(regions.columns) == [
        "kode",
        "nama",
        "tingkat",
        "parent_kode",
        "urban",
        "spald_t_zone",
        "area_km2",
    ]
    assert regions["kode"].is_unique
    leaves = regions[regions["tingkat"].isin(["kelurahan", "desa"])]
    assert len(leaves) == LEAVES_SOLOK
    assert (leaves["tingkat"] == "kelurahan").all()
    r = regions.set_index("kode")
    # the province is added from wilayah_2025.csv
    assert r.at["13", "nama"] == "Sumatera Barat" and r.at["13", "tingkat"] == "provinsi"
    assert r.at["13", "parent_kode"] == ""
    assert r.at["13.72", "parent_kode"] == "13"
    assert r.at["13.72.02.1006", "parent_kode"] == "13.72.02"
    assert r.at["13.72.01.1005", "spald_t_zone"] == "Z1"
    assert r.at["13.72.01.1001", "spald_t_zone"] == ""
    assert r.at["13.72", "area_km2"] == pytest.approx(57.64)
    assert regions["urban"].dtype == bool and bool(r.at["13.72.02.1006", "urban"])
    assert (regions["spald_t_zone"] != "").sum() == 7


def test_demo_observations(demo: tuple[PlanInputs, object]) -> None:
    obs = demo[0].observations
    assert list(obs.columns[:5]) == ["kode", "year", "indicator", "value", "status"]
    assert obs["year"].dtype == "int64" and obs["value"].dtype == "float64"
    assert len(obs) == 235
    o = obs.set_index(["kode", "year", "indicator"])["value"]
    assert o[("13.72", 2024, "households")] == 20087
    assert o[("13.72", 2020, "population")] == 73438
    assert o[("13.72.02.1006", 2024, "hh_babs_tertutup")] == 208
    leaves = obs[obs["kode"].str.count(r"\.") == 3]
    hh = leaves[(leaves["year"] == 2024) & (leaves["indicator"] == "households")]
    assert hh["value"].sum() == 20087
    assert set(leaves["year"]) == {2024}
    assert set(obs["status"]) == {"sourced", "derived", "illustrative"}


def test_demo_targets(demo: tuple[PlanInputs, object]) -> None:
    t = demo[0].targets
    local = t[t["target_set"] == "LOCAL"]
    assert len(local) == 25 and (local["scope_kode"] == "13.72").all()
    national = t[t["target_set"] != "LOCAL"]
    # 19 reference points minus SDG_2030 pct_aman (SDG 6.2 sets no numeric aman target)
    assert len(national) == 18 and (national["scope_kode"] == "").all()
    v = local.set_index(["indicator", "year"])["value"]
    assert v[("pct_aman", 2029)] == 22
    assert t["year"].dtype == "int64"


def test_demo_facilities_and_reference_tables(demo: tuple[PlanInputs, object]) -> None:
    inputs = demo[0]
    f = inputs.facilities.set_index("id")
    assert len(f) == 30
    assert f.at["IPLT-01", "capacity"] == 20 and f.at["IPLT-01", "capacity_unit"] == "m3/day"
    assert math.isnan(f.at["BS-01", "capacity"])
    assert f.at["TPA-01", "kode"] == "13.72.02"
    assert set(inputs.unit_costs.columns) >= {
        "item",
        "unit",
        "cost_idr",
        "price_year",
        "status",
        "source",
    }
    assert set(inputs.need_items.columns) >= {"need", "unit", "item", "cost_kind"}
    assert set(inputs.funding_shares.columns) >= {"item", "source", "share", "status"}
    assert inputs.parameters.num("desludging_interval_years") == 3
    assert inputs.sources["regions"].endswith("regions.csv")


def test_explicit_options(city: CityFolder) -> None:
    inputs, options = load_city(
        city.path, base_year=2024, horizon=2030, target_sets=["LOCAL", "SDG_2030"]
    )
    assert (options.base_year, options.horizon) == (2024, 2030)
    assert options.target_sets == ("LOCAL", "SDG_2030")
    assert options.period == (2025, 2029)


def _all_tables(inputs: PlanInputs) -> dict[str, pd.DataFrame]:
    return {
        "regions": inputs.regions,
        "observations": inputs.observations,
        "targets": inputs.targets,
        "facilities": inputs.facilities,
        "unit_costs": inputs.unit_costs,
        "need_items": inputs.need_items,
        "funding_shares": inputs.funding_shares,
    }


def test_crlf_and_bom_give_identical_inputs(city: CityFolder) -> None:
    for path in city.path.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert city.file("regions.csv").read_bytes().startswith(b"\xef\xbb\xbfkode,")
    crlf, crlf_options = load_city(city.path)
    demo, demo_options = load_city()
    assert crlf_options == demo_options
    for name, table in _all_tables(demo).items():
        pd.testing.assert_frame_equal(_all_tables(crlf)[name], table, obj=name)
    assert crlf.parameters == demo.parameters


def test_extra_columns_are_ignored(city: CityFolder) -> None:
    rows = city.read("observations.csv")
    city.write("observations.csv", [[*rows[0], "Catatan Pokja"], *[[*r, "x"] for r in rows[1:]]])
    inputs, _ = load_city(city.path)
    assert "catatan pokja" not in inputs.observations.columns
    assert len(inputs.observations) == 235


def test_optional_files_absent(city: CityFolder) -> None:
    city.file("targets.csv").unlink()
    city.file("facilities.csv").unlink()
    inputs, options = load_city(city.path)
    assert "LOCAL" not in set(inputs.targets["target_set"])
    assert inputs.facilities.empty
    assert list(inputs.facilities.columns)[:6] == [
        "id",
        "type",
        "kode",
        "capacity",
        "capacity_unit",
        "status",
    ]
    assert options.base_year == 2024


def test_urban_defaults_when_column_absent(city: CityFolder) -> None:
    city.drop_column("regions.csv", "urban")
    inputs, _ = load_city(city.path)
    assert inputs.regions["urban"].all()


def test_city_parameters_and_cli_overrides(city: CityFolder) -> None:
    city.write(
        "parameters.csv",
        [
            ["name", "value", "source", "status"],
            ["persons_per_household", "3.7", "BPS Kota Solok Dalam Angka 2024", "sourced"],
            ["new_households_ladder", "layak_sendiri", "", ""],
            ["truck_availability", "", "", ""],
        ],
    )
    inputs, _ = load_city(city.path, param_overrides={"desludging_interval_years": "4"})
    p = inputs.parameters
    assert p.num("persons_per_household") == pytest.approx(3.7)
    assert p["persons_per_household"].source == "BPS Kota Solok Dalam Angka 2024"
    assert p["persons_per_household"].status == "sourced"
    assert p["persons_per_household"].default == pytest.approx(3.9)
    assert p.choice("new_households_ladder") == "layak_sendiri"
    assert p["new_households_ladder"].source == "parameters.csv"
    assert p["new_households_ladder"].status == "unverified"
    assert not p["truck_availability"].overridden  # blank value keeps the reference
    assert p.num("desludging_interval_years") == 4.0
    assert p["desludging_interval_years"].source == "--param"
    assert {o.name for o in p.overrides} == {
        "persons_per_household",
        "new_households_ladder",
        "desludging_interval_years",
    }


def test_cli_override_wins_over_city_file_and_keeps_reference_default(city: CityFolder) -> None:
    city.write("parameters.csv", [["name", "value"], ["persons_per_household", "3.7"]])
    inputs, _ = load_city(city.path, param_overrides={"persons_per_household": "4.1"})
    p = inputs.parameters["persons_per_household"]
    assert (
        p.value == pytest.approx(4.1) and p.default == pytest.approx(3.9) and p.source == "--param"
    )


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_minimal_city_kota_padang(tmp_path: Path) -> None:
    """Another real city: two official kelurahan of Kota Padang, base-year data only at
    kelurahan level, population history only at city level, no kecamatan rows."""
    folder = tmp_path / "kota_padang"
    folder.mkdir()
    _write(
        folder / "regions.csv",
        "kode,nama,tingkat\n13.71,Kota Padang,kabkota\n"
        "13.71.01.1001,Belakang Pondok,kelurahan\n13.71.01.1002,Alang Laweh,kelurahan\n",
    )
    obs = ["kode,year,indicator,value,status"]
    obs += ["13.71,2020,population,909040,sourced", "13.71,2024,population,942938,derived"]
    for kode, hh, rungs in (
        ("13.71.01.1001", 1000, (100, 600, 100, 100, 100, 0)),
        ("13.71.01.1002", 800, (50, 500, 50, 100, 100, 0)),
    ):
        obs.append(f"{kode},2024,population,{hh * 4},illustrative")
        obs.append(f"{kode},2024,households,{hh},illustrative")
        names = (
            "aman",
            "layak_sendiri",
            "layak_bersama",
            "belum_layak",
            "babs_tertutup",
            "babs_terbuka",
        )
        obs += [f"{kode},2024,hh_{n},{v},illustrative" for n, v in zip(names, rungs, strict=True)]
    _write(folder / "observations.csv", "\n".join(obs) + "\n")

    result = read_city(folder)
    (warning,) = result.problems  # only part of Kota Padang is listed; no sub-area check
    assert (warning.code, warning.file, warning.value) == ("SAN-W103", "regions.csv", "13.71")
    assert "2 of the 104 kelurahan/desa" in warning.rule
    with pytest.warns(InputWarning, match="SAN-W103"):
        inputs, options = load_city(folder)
    assert (options.base_year, options.horizon) == (2024, 2045)
    r = inputs.regions.set_index("kode")
    assert list(r.index) == ["13", "13.71", "13.71.01", "13.71.01.1001", "13.71.01.1002"]
    assert (
        r.at["13.71.01", "nama"] == "Padang Selatan" and r.at["13.71.01", "tingkat"] == "kecamatan"
    )
    assert r.loc["13.71.01.1001":, "urban"].all()
    assert math.isnan(r.at["13.71.01.1002", "area_km2"])
    assert inputs.facilities.empty
    assert set(inputs.targets["target_set"]) == {
        "RPJMN_2020_2024",
        "JAKSTRANAS_2025",
        "RPJMN_2025_2029",
        "SDG_2030",
        "VISI_2045",
    }
    o = inputs.observations.set_index(["kode", "year", "indicator"])["value"]
    assert o[("13.71.01.1002", 2024, "households")] == 800
    assert (inputs.observations["status"] != "").all()


def test_desa_defaults_to_rural(tmp_path: Path) -> None:
    """A kabupaten desa without an ``urban`` column is rural; its kelurahan urban."""
    folder = tmp_path / "kab"
    folder.mkdir()
    _write(
        folder / "regions.csv",
        "kode,nama,tingkat\n13.01.01.2001,Desa A,desa\n",
    )
    _write(
        folder / "observations.csv",
        "kode,year,indicator,value\n13.01.01.2001,2023,households,100\n13.01.01.2001,2023,hh_aman,0\n"
        "13.01.01.2001,2023,hh_layak_sendiri,100\n",
    )
    result = read_city(folder)
    assert result.inputs is not None, [str(p) for p in result.problems]
    assert [p.code for p in result.problems] == ["SAN-W103"]
    r = result.inputs.regions.set_index("kode")
    assert r.at["13.01.01.2001", "tingkat"] == "desa"
    assert not r["urban"].any()
    assert list(r.index) == ["13", "13.01", "13.01.01", "13.01.01.2001"]
    assert result.options is not None and result.options.base_year == 2023
    assert result.options.horizon == 2045


def test_member_of_equals_isin_on_the_official_codes() -> None:
    # member_of replaces a slow isin over the 91,599 official codes; same answer, same index.
    from sanitasi.io.reference import wilayah_index
    from sanitasi.io.tables import member_of

    wil = wilayah_index()
    codes = pd.Series(["13.72", "13.72.01.1001", "99.99", "", "13.72.01"], index=[5, 6, 7, 8, 9])
    got = member_of(codes, wil.index)
    assert got.tolist() == [True, True, False, False, True]
    assert got.index.tolist() == [5, 6, 7, 8, 9]
    assert got.tolist() == codes.isin(wil.index).tolist()
