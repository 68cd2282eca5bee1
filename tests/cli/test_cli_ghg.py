"""`sanitasi ghg fod` end to end: the output file, and exit 2 with nothing written on bad
input (every problem named with file, line, column)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sanitasi.cli import main
from sanitasi.io.ghg import load_ghg_reference


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return res.exit_code, res.output


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def food_sheet(tmp_path: Path) -> tuple[Path, Path]:
    """The inputs of the IPCC 2019 Waste Model's Food sheet (W 2300.322, MCF 0.705, DOC
    0.15, DOCf 0.7, k 0.185, 1950-1959; see tests/core/test_core_ghg_fod.py)."""
    rows = "".join(f"{y},food,2300.322,0.705\n" for y in range(1950, 1960))
    d = write(tmp_path / "D.csv", "year,stream,tonnes,mcf\n" + rows)
    s = write(tmp_path / "S.csv", "stream,doc,docf,k\nfood,0.15,0.7,0.185\n")
    return d, s


def no_leftovers(tmp_path: Path) -> bool:
    return not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_group_is_registered() -> None:
    assert "ghg" in main.commands
    code, text = run("ghg", "fod", "--help")
    assert code == 0 and "--deposits" in text and "--delay-months" in text


def test_fod_writes_the_waste_model_food_sheet(tmp_path: Path) -> None:
    d, s = food_sheet(tmp_path)
    out = tmp_path / "out" / "fod.csv"
    code, text = run("ghg", "fod", "--deposits", str(d), "--streams", str(s), "--out", str(out))
    assert code == 0, text
    df = pd.read_csv(out)
    total = df[df["stream"] == "total"].set_index("year")["ch4_generated_t"]
    # Food sheet I19, I23, I27 (CH4 generated 1951, 1955, 1959), to 4 decimals
    assert total[1951] == pytest.approx(19.173192132521066, abs=5e-5)
    assert total[1955] == pytest.approx(68.50629081607181, abs=5e-5)
    assert total[1959] == pytest.approx(92.04379869376629, abs=5e-5)
    assert len(df) == 20  # 10 years x (1 stream + total)
    # terminal summary in Indonesian by default (1959: 92,0 t)
    assert "92,0" in text and "Metana TPA" in text


def test_fod_with_recovery_and_oxidation(tmp_path: Path) -> None:
    d, s = food_sheet(tmp_path)
    r = write(tmp_path / "R.csv", "year,tonnes_ch4\n1958,7.6792575577805\n1959,12.04379869376629\n")
    out = tmp_path / "fod.csv"
    code, text = run(
        "ghg", "fod", "--deposits", str(d), "--streams", str(s), "--recovery", str(r),
        "--ox", "0.1", "--out", str(out), "--lang", "en",
    )  # fmt: skip
    assert code == 0, text
    total = pd.read_csv(out).query("stream == 'total'").set_index("year")
    # 1958: (87.6792575577805 - 7.6792575577805) x 0.9 = 72.0; 1959: (92.0437987 - 12.0437987) x 0.9 = 72.0
    assert total.loc[1958, "ch4_emitted_t"] == pytest.approx(72.0, abs=1e-6)
    assert total.loc[1959, "ch4_emitted_t"] == pytest.approx(72.0, abs=1e-6)
    assert total.loc[1957, "ch4_recovered_t"] == 0.0
    assert "CH4 emitted 1959: 72.0 t (2,016 t CO2e, GWP AR5)" in text  # 72 x 28


def test_fod_with_the_2019_docf_by_waste_type(tmp_path: Path) -> None:
    # The 2019 Refinement's DOCf by waste type is a streams file with one DOCf per stream
    s_df = load_ghg_reference().stream_factors("2019", "tropical_wet")
    s = tmp_path / "S2019.csv"
    s_df.to_csv(s, index=False)
    d = write(
        tmp_path / "D.csv",
        "year,stream,tonnes,mcf\n2020,food,1000,1\n2020,wood,1000,1\n2021,food,0,1\n",
    )
    out = tmp_path / "fod.csv"
    code, text = run("ghg", "fod", "--deposits", str(d), "--streams", str(s), "--out", str(out))
    assert code == 0, text
    y2021 = pd.read_csv(out).query("year == 2021").set_index("stream")["ch4_generated_t"]
    # food: D = 1000 x 0.15 x 0.7 = 105; E(2021) = 105 x (1 - e^-0.4); CH4 = E x 0.5 x 4/3
    assert y2021["food"] == pytest.approx(105 * (1 - 0.6703200460356393) * 2 / 3)
    # wood: D = 1000 x 0.43 x 0.1 = 43; E = 43 x (1 - e^-0.035)
    assert y2021["wood"] == pytest.approx(43 * (1 - 0.9656054162575665) * 2 / 3)
    assert y2021["inert"] == 0.0


@pytest.mark.parametrize(
    ("deposits", "code_"),
    [
        ("year,stream,tonnes,mcf\n1950,plastic,10,0.8\n", "SAN-E140"),
        ("year,stream,tonnes,mcf\n1950,food,-10,0.8\n", "SAN-E009"),
        ("year,stream,tonnes,mcf\n1950,food,10,1.5\n", "SAN-E011"),
        ("year,stream,tonnes,mcf\n1951,food,10,0.8\n1950,food,10,0.8\n", "SAN-E141"),
        ("year,stream,tonnes,mcf\n1950,food,10,0.8\n1950,food,10,0.8\n", "SAN-E012"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path, deposits: str, code_: str) -> None:
    _, s = food_sheet(tmp_path)
    d = write(tmp_path / "bad.csv", deposits)
    out = tmp_path / "fod.csv"
    code, text = run("ghg", "fod", "--deposits", str(d), "--streams", str(s), "--out", str(out))
    assert code == 2
    assert code_ in text and "bad.csv line" in text
    assert not out.exists() and no_leftovers(tmp_path)


def test_recovery_above_generation_exits_2_and_keeps_an_old_output(tmp_path: Path) -> None:
    d, s = food_sheet(tmp_path)
    r = write(tmp_path / "R.csv", "year,tonnes_ch4\n1950,1\n")  # nothing is generated in 1950
    out = write(tmp_path / "fod.csv", "old\n")
    code, text = run(
        "ghg", "fod", "--deposits", str(d), "--streams", str(s), "--recovery", str(r),
        "--out", str(out),
    )  # fmt: skip
    assert code == 2 and "SAN-E144" in text and "R.csv line 2" in text
    assert out.read_text() == "old\n"


def test_bad_options_exit_2(tmp_path: Path) -> None:
    d, s = food_sheet(tmp_path)
    out = tmp_path / "fod.csv"
    for option, value in (("--delay-months", "7"), ("--ox", "1.5"), ("--f", "-0.1")):
        res = CliRunner().invoke(
            main,
            [
                "ghg",
                "fod",
                "--deposits",
                str(d),
                "--streams",
                str(s),
                option,
                value,
                "--out",
                str(out),
            ],
        )
        assert res.exit_code == 2, option
    assert not out.exists()
