"""GHG inputs (``sanitasi.io.ghg``): the FOD files with every problem named by file, line,
column and rule; the GHG reference tables; the TPA site class of ``facilities.csv``."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from sanitasi.core.model import STATUSES
from sanitasi.io.errors import InputErrors
from sanitasi.io.ghg import (
    fod_csv_bytes,
    load_ghg_reference,
    read_fod_inputs,
    read_ghg_inputs,
    read_tpa_sites,
    recovery_problems,
)
from sanitasi.io.reference import data_root, demo_city_dir

STREAMS = "stream,doc,docf,k\nfood,0.15,0.5,0.4\npaper,0.4,0.5,0.07\n"
DEPOSITS = (
    "year,stream,tonnes,mcf\n"
    "2020,food,100,0.8\n"
    "2020,paper,50,0.8\n"
    "2021,food,110,0.8\n"
    "2023,paper,60,1\n"
)


def files(tmp_path: Path, deposits: str = DEPOSITS, streams: str = STREAMS) -> tuple[Path, Path]:
    d, s = tmp_path / "D.csv", tmp_path / "S.csv"
    d.write_text(deposits, encoding="utf-8")
    s.write_text(streams, encoding="utf-8")
    return d, s


def problems_of(
    exc: pytest.ExceptionInfo[InputErrors],
) -> set[tuple[str, str, int | None, str | None]]:
    return {(p.code, p.file, p.row, p.column) for p in exc.value.errors}


def test_valid_files_become_stream_by_year_arrays(tmp_path: Path) -> None:
    d, s = files(tmp_path)
    r = tmp_path / "R.csv"
    r.write_text("year,tonnes_ch4\n2022,1.5\n2023,2\n", encoding="utf-8")
    inp = read_fod_inputs(d, s, r)
    assert inp.years == [2020, 2021, 2022, 2023]  # consecutive, first to last deposit year
    assert inp.streams == ["food", "paper"]
    np.testing.assert_array_equal(inp.tonnes, [[100, 110, 0, 0], [50, 0, 0, 60]])
    np.testing.assert_array_equal(inp.mcf, [[0.8, 0.8, 0, 0], [0.8, 0, 0, 1]])
    np.testing.assert_array_equal(inp.recovered, [0, 0, 1.5, 2])
    assert inp.recovery_lines == {2022: 2, 2023: 3}


@pytest.mark.parametrize(
    ("deposits", "expected"),
    [
        (
            "year,stream,tonnes,mcf\n2020,food,100,0.8\n2021,glass,5,0.8\n",
            ("SAN-E140", 3, "stream"),
        ),
        ("year,stream,tonnes,mcf\n2020,food,-1,0.8\n", ("SAN-E009", 2, "tonnes")),
        ("year,stream,tonnes,mcf\n2020,food,100,1.2\n", ("SAN-E011", 2, "mcf")),
        (
            "year,stream,tonnes,mcf\n2021,food,100,0.8\n2020,food,100,0.8\n",
            ("SAN-E141", 3, "year"),
        ),
        (
            "year,stream,tonnes,mcf\n2020,food,100,0.8\n2020,food,5,0.8\n",
            ("SAN-E012", 3, "stream"),
        ),
        ("year,stream,tonnes,mcf\n2020,food,lima,0.8\n", ("SAN-E016", 2, "tonnes")),
        ("year,stream,tonnes,mcf\n2020.5,food,1,0.8\n", ("SAN-E014", 2, "year")),
        ("year,stream,tonnes\n2020,food,1\n", ("SAN-E002", 1, "mcf")),
    ],
)
def test_bad_deposits_name_file_line_column(
    tmp_path: Path, deposits: str, expected: tuple[str, int, str]
) -> None:
    d, s = files(tmp_path, deposits)
    with pytest.raises(InputErrors) as exc:
        read_fod_inputs(d, s)
    code, row, column = expected
    assert (code, "D.csv", row, column) in problems_of(exc)


def test_every_problem_of_every_file_is_reported(tmp_path: Path) -> None:
    d, s = files(
        tmp_path,
        "year,stream,tonnes,mcf\n2021,food,-5,0.8\n2020,wood,5,1.5\n",
        "stream,doc,docf,k\nfood,1.2,0.5,0.4\ntotal,0.1,0.5,0.1\n",
    )
    r = tmp_path / "R.csv"
    r.write_text("year,tonnes_ch4\n2030,1\n2019,1\n", encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        read_fod_inputs(d, s, r)
    found = problems_of(exc)
    assert {
        ("SAN-E011", "S.csv", 2, "doc"),  # DOC above 1
        ("SAN-E142", "S.csv", 3, "stream"),  # 'total' is reserved
        ("SAN-E009", "D.csv", 2, "tonnes"),
        ("SAN-E140", "D.csv", 3, "stream"),  # wood is not in S.csv
        ("SAN-E011", "D.csv", 3, "mcf"),
        ("SAN-E141", "D.csv", 3, "year"),  # 2020 after 2021
        ("SAN-E143", "R.csv", 2, "year"),  # 2030 outside 2020-2021
        ("SAN-E141", "R.csv", 3, "year"),
    } <= found
    message = next(p for p in exc.value.errors if p.code == "SAN-E141" and p.file == "D.csv")
    assert "year 2020 comes after year 2021 (line 2)" in message.message("en")
    assert "tahun 2020 muncul setelah tahun 2021" in message.message("id")


def test_missing_file_is_reported(tmp_path: Path) -> None:
    d, _ = files(tmp_path)
    with pytest.raises(InputErrors) as exc:
        read_fod_inputs(d, tmp_path / "nope.csv")
    assert ("SAN-E001", "nope.csv", None, None) in problems_of(exc)


def test_recovery_above_generation_names_the_recovery_row(tmp_path: Path) -> None:
    d, s = files(tmp_path)
    r = tmp_path / "R.csv"
    r.write_text("year,tonnes_ch4\n2020,0\n2021,9\n", encoding="utf-8")
    inp = read_fod_inputs(d, s, r)
    found = recovery_problems(inp, np.array([0.0, 3.0, 4.0, 5.0]))
    assert [(p.code, p.file, p.row, p.column, p.value) for p in found] == [
        ("SAN-E144", "R.csv", 3, "tonnes_ch4", "9")
    ]
    assert "exceeds the 3.0000 t CH4 generated" in found[0].message("en")


def test_output_csv_format() -> None:
    import pandas as pd

    table = pd.DataFrame(
        {
            "year": [2020, 2020],
            "stream": ["food", "total"],
            "ddocm_decomposed_t": [1.0, 1.0],
            "ch4_generated_t": [2 / 3, 2 / 3],
            "ch4_recovered_t": [np.nan, 0.0],
            "ch4_emitted_t": [2 / 3, 2 / 3],
        }
    )
    text = fod_csv_bytes(table).decode()
    assert text.splitlines() == [
        "year,stream,ddocm_decomposed_t,ch4_generated_t,ch4_recovered_t,ch4_emitted_t",
        "2020,food,1.000000,0.666667,,0.666667",
        "2020,total,1.000000,0.666667,0.000000,0.666667",
    ]


# --------------------------------------------------------------------------- reference


def test_reference_tables_load_with_provenance() -> None:
    ref = load_ghg_reference()
    for df in (ref.streams, ref.composition, ref.swds, ref.gwp_table, ref.pathways):
        assert df["status"].isin(STATUSES).all()
        assert df["source"].str.len().gt(0).all()
    for name in ref.parameters.params:
        assert ref.parameters[name].status in STATUSES


def test_reference_defaults() -> None:
    ref = load_ghg_reference()
    # Table 2.3 South-Eastern Asia as printed sums to 100.7 %
    shares = ref.default_shares()
    assert float(shares.sum()) == pytest.approx(1.007)
    assert float(shares["food"]) == pytest.approx(0.435)
    # 2006 DOCf 0.5 for every degradable stream; 2019 by waste type
    f2006 = ref.stream_factors("2006", "tropical_wet").set_index("stream")
    f2019 = ref.stream_factors("2019", "tropical_wet").set_index("stream")
    assert f2006.loc["food", "docf"] == 0.5 and f2006.loc["inert", "docf"] == 0.0
    assert (f2019.loc["food", "docf"], f2019.loc["wood", "docf"]) == (0.7, 0.1)
    assert f2019.loc["food", "k"] == 0.4  # Table 3.3 tropical wet, rapidly degrading
    assert ref.stream_factors("2006", "tropical_dry").set_index("stream").loc["food", "k"] == 0.085
    assert ref.gwp() == {"ch4": 28.0, "ch4_fossil": 30.0, "n2o": 265.0}  # AR5 by default
    assert ref.gwp("AR6")["ch4"] == 27.0  # non-fossil
    assert ref.site_classes()["open_dump_shallow"] == (0.4, 0.0)
    ww = ref.wastewater_factors()
    assert ww.pathways["spald_t"].mcf == 0.8 and ww.pathways["iplt"].mcf == 0.8
    assert ref.wastewater_factors(spald_t_treatment="aerobic").pathways["spald_t"].mcf == 0.03
    assert ww.bod_g_per_person_day == 40.0 and ww.bo_kg_ch4_per_kg_bod == 0.6


def test_reference_files_are_shipped() -> None:
    folder = data_root() / "reference"
    for name in (
        "ghg_parameters.csv",
        "ghg_waste_streams.csv",
        "ghg_composition.csv",
        "ghg_swds.csv",
        "ghg_gwp.csv",
        "ghg_ww_pathways.csv",
    ):
        assert (folder / name).is_file()


# --------------------------------------------------------------------------- TPA site class


def test_demo_tpa_site_class_and_opening_year() -> None:
    sites = read_tpa_sites(None)
    assert list(sites["id"]) == ["TPA-01"]
    row = sites.iloc[0]
    # the demo's illustrative class and opening year (facilities.csv TPA-01)
    assert (row["site_class"], row["mcf"], row["ox"]) == ("controlled_landfill", 1.0, 0.0)
    assert (int(row["opening_year"]), bool(row["class_given"])) == (2010, True)
    assert row["status"] == "illustrative"


def _demo_copy(tmp_path: Path) -> Path:
    city = tmp_path / "city"
    shutil.copytree(Path(str(demo_city_dir())), city)
    return city


def test_tpa_site_class_column(tmp_path: Path) -> None:
    city = _demo_copy(tmp_path)
    fac = city / "facilities.csv"
    text = fac.read_text(encoding="utf-8")
    # blank class -> uncategorised (MCF 0.6), marked as not given
    fac.write_text(text.replace(",controlled_landfill\n", ",\n"), encoding="utf-8")
    sites = read_tpa_sites(city)
    assert (sites.loc[0, "site_class"], sites.loc[0, "mcf"]) == ("uncategorised", 0.6)
    assert not bool(sites.loc[0, "class_given"])
    fac.write_text(text.replace(",controlled_landfill\n", ",sanitary\n"), encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        read_tpa_sites(city)
    (p,) = exc.value.errors
    assert (p.code, p.file, p.column, p.value) == (
        "SAN-E024",
        "facilities.csv",
        "tpa_site_class",
        "sanitary",
    )


# --------------------------------------------------------------------------- composition


def test_demo_has_no_composition_and_uses_the_ipcc_default() -> None:
    ghg = read_ghg_inputs(None)
    assert ghg.composition is None
    shares = ghg.shares()
    # Table 2.3 South-Eastern Asia: food 43.5, paper 12.9, wood 9.9, textiles 2.7; inert =
    # rubber 0.9 + plastic 7.2 + metal 3.3 + glass 4.0 + other 16.3 = 31.7 (row sums to 100.7)
    assert shares.to_dict() == pytest.approx(
        {
            "food": 0.435,
            "garden": 0.0,
            "paper": 0.129,
            "wood": 0.099,
            "textiles": 0.027,
            "nappies": 0.0,
            "inert": 0.317,
        }  # fmt: skip
    )
    assert len(ghg.composition_rows()) == 9


def test_city_composition_is_read(tmp_path: Path) -> None:
    city = _demo_copy(tmp_path)
    (city / "waste_composition.csv").write_text(
        "stream,share_pct,source,status\n"
        "food,60,Kajian komposisi 2023,illustrative\n"
        "paper,10,Kajian komposisi 2023,illustrative\n"
        "inert,30.5,Kajian komposisi 2023,illustrative\n",
        encoding="utf-8",
    )
    ghg = read_ghg_inputs(city)
    assert ghg.composition is not None and list(ghg.composition["stream"]) == [
        "food",
        "paper",
        "inert",
    ]
    sh = ghg.shares()
    # 60 % food, 10 % paper, 30.5 % inert (sum 100.5, within 1 point); unlisted streams 0
    assert (sh["food"], sh["paper"], sh["inert"], sh["wood"]) == pytest.approx(
        (0.6, 0.1, 0.305, 0.0)
    )


def test_bad_composition_names_every_problem(tmp_path: Path) -> None:
    city = _demo_copy(tmp_path)
    comp = city / "waste_composition.csv"
    comp.write_text(
        "stream,share_pct,source,status\n"
        "food,40,x,illustrative\n"  # line 2
        "sludge,10,x,illustrative\n"  # line 3: not a stream
        "paper,abc,x,illustrative\n"  # line 4: text
        "food,20,x,maybe\n",  # line 5: duplicate, bad status
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as exc:
        read_ghg_inputs(city)
    got = {(p.code, p.row, p.column) for p in exc.value.errors}
    assert got == {
        ("SAN-E140", 3, "stream"),
        ("SAN-E016", 4, "share_pct"),
        ("SAN-E024", 5, "status"),
        ("SAN-E012", 5, "stream"),
    }
    comp.write_text("stream,share_pct,status\nfood,50,sourced\ninert,30,sourced\n")
    with pytest.raises(InputErrors) as exc:
        read_ghg_inputs(city)
    (p,) = exc.value.errors
    # 50 + 30 = 80 %, more than 1 point from 100
    assert (p.code, p.file, p.column, p.value) == (
        "SAN-E145",
        "waste_composition.csv",
        "share_pct",
        "80",
    )
    assert "80 %" in p.rule and "80 %" in p.message_id
