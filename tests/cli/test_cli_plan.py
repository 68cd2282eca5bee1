"""`sanitasi plan` end to end: demo run, reports, and every bad-input case of issue 2.

Each bad-input case breaks one thing in a copy of the demo and asserts exit code 2, the
problem code and place in the output, and that nothing was written to ``--out``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sanitasi.cli import main


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return res.exit_code, res.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + line + "\n", encoding="utf-8")


def test_demo_plan_writes_reports(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, text = run("plan", "--out", str(out))
    assert code == 0, text
    assert sorted(p.name for p in out.iterdir()) == ["plan.html", "plan.xlsx"]
    # The seed question, answered in the terminal: layak 81.3% vs 90% in 2024, 1,747 households.
    assert "Seberapa jauh dari target Bappenas 2024?" in text
    assert re.search(r"Akses layak\s+2024\s+90,0%\s+81,3%\s+8,7\s+1\.747 rumah tangga", text)
    assert "TPA bersama (bukan milik kota) penuh pada tahun 2025" in text
    html = (out / "plan.html").read_text(encoding="utf-8")
    assert "Kota Solok" in html and '<script src="http' not in html
    wb = openpyxl.load_workbook(out / "plan.xlsx", read_only=True)
    assert "retrospective" in " ".join(wb.sheetnames).lower() or len(wb.sheetnames) > 5


def test_english_and_options(tmp_path: Path) -> None:
    code, text = run(
        "plan",
        "--lang",
        "en",
        "--target-set",
        "RPJMN_2020_2024",
        "--horizon",
        "2030",
        "--param",
        "desludging_interval_years=5",
    )
    assert code == 0, text
    assert "How far from the Bappenas 2024 targets?" in text or "Bappenas 2024" in text
    assert "desludging_interval_years" in text  # the override is reported


def test_windows_line_endings(city: Path, tmp_path: Path) -> None:
    for f in city.glob("*.csv"):
        f.write_bytes(
            b"\xef\xbb\xbf" + f.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        )
    code, text = run("plan", "--city-dir", str(city))
    assert code == 0, text
    assert "1.747 rumah tangga" in text


Breaker = Callable[[Path], None]

CASES: dict[str, tuple[Breaker, list[str], str, str]] = {
    # name: (how to break the city, extra CLI args, expected code, expected text)
    "missing file": (
        lambda c: (c / "observations.csv").unlink(),
        [],
        "SAN-E001",
        "observations.csv",
    ),
    "unknown region code": (
        lambda c: append(
            c / "observations.csv", "13.72.01.1999,2024,population,10,persons,x,illustrative,"
        ),
        [],
        "SAN-E004",
        "13.72.01.1999",
    ),
    "kelurahan outside the city": (
        lambda c: append(
            c / "regions.csv", "13.71.01.1001,Belakang Pondok,kelurahan,13.71.01,,,,true,,"
        ),
        [],
        "SAN-E006",
        "13.71.01.1001",
    ),
    "rungs do not sum": (
        lambda c: edit(
            c / "observations.csv",
            "13.72.01.1001,2024,hh_aman,210",
            "13.72.01.1001,2024,hh_aman,260",
        ),
        [],
        "SAN-E008",
        "observations.csv",
    ),
    "negative value": (
        lambda c: edit(
            c / "facilities.csv", "IPLT Kota Solok,13.72,20,", "IPLT Kota Solok,13.72,-20,"
        ),
        [],
        "SAN-E009",
        "facilities.csv",
    ),
    "NaN value": (
        lambda c: edit(
            c / "observations.csv",
            "13.72.01.1002,2024,population,4873",
            "13.72.01.1002,2024,population,NaN",
        ),
        [],
        "SAN-E010",
        "observations.csv",
    ),
    "share above 100": (
        lambda c: edit(
            c / "targets.csv", "LOCAL,pct_layak,2025,target,83,", "LOCAL,pct_layak,2025,target,183,"
        ),
        [],
        "SAN-E011",
        "targets.csv",
    ),
    "duplicated row": (
        lambda c: append(c / "observations.csv", "13.72,2024,population,78341,persons,x,derived,"),
        [],
        "SAN-E012",
        "observations.csv",
    ),
    "years out of order": (
        lambda c: None,
        ["--base-year", "2024", "--horizon", "2020"],
        "SAN-E013",
        "2020",
    ),
    "text in a number column": (
        lambda c: edit(
            c / "observations.csv",
            "13.72.01.1001,2024,households,3498",
            "13.72.01.1001,2024,households,lima",
        ),
        [],
        "SAN-E016",
        "'lima'",
    ),
    "unknown target set": (
        lambda c: None,
        ["--target-set", "RPJMN_2030"],
        "SAN-E017",
        "RPJMN_2030",
    ),
    "unknown parameter": (
        lambda c: None,
        ["--param", "desludging_every_years=3"],
        "SAN-E018",
        "desludging_every_years",
    ),
    "reference-only parameter": (
        lambda c: None,
        ["--param", "persons_per_kk_sni=4"],
        "SAN-E201",
        "persons_per_kk_sni",
    ),
    "base year without kelurahan data": (
        lambda c: None,
        ["--base-year", "2022"],
        "SAN-E020",
        "2022",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_exits_2_and_writes_nothing(name: str, city: Path, tmp_path: Path) -> None:
    breaker, args, code_expected, text_expected = CASES[name]
    breaker(city)
    out = tmp_path / "out"
    code, text = run("plan", "--city-dir", str(city), "--out", str(out), *args)
    assert code == 2, text
    assert code_expected in text, text
    assert text_expected in text, text
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".sanitasi-")]


def test_all_problems_in_one_run(city: Path, tmp_path: Path) -> None:
    edit(
        city / "observations.csv",
        "13.72.01.1001,2024,households,3498",
        "13.72.01.1001,2024,households,lima",
    )
    edit(city / "facilities.csv", "IPLT Kota Solok,13.72,20,", "IPLT Kota Solok,13.72,-20,")
    code, text = run("plan", "--city-dir", str(city), "--target-set", "NOPE")
    assert code == 2
    for c in ("SAN-E016", "SAN-E009", "SAN-E017"):
        assert c in text


def test_bad_param_syntax_exits_2() -> None:
    code, text = run("plan", "--param", "no_equals_sign")
    assert code == 2
    assert "NAME=VALUE" in text
