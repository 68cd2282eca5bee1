"""`sanitasi plan` and the GHG chapter: the terminal block, ``--gwp``, the GHG inputs' bad
cases (exit 2, nothing written)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sanitasi.cli import main


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return res.exit_code, res.output


@pytest.fixture(scope="module")
def demo_en() -> tuple[int, str]:
    """``sanitasi plan --lang en`` of the demo (nothing written), run once for the module:
    two tests compare against it."""
    return run("plan", "--lang", "en")


def _landfill_row(text: str, label: str) -> list[int]:
    line = next(ln for ln in text.splitlines() if ln.startswith(label))
    return [int(x.replace(",", "")) for x in re.findall(r"-?[\d,]+", line[len(label) :])]


def test_gwp_ar4_changes_the_landfill_co2e_by_the_gwp_ratio(
    demo_en: tuple[int, str], tmp_path: Path
) -> None:
    code5, text5 = demo_en
    code4, text4 = run("plan", "--lang", "en", "--gwp", "AR4", "--out", str(tmp_path / "o"))
    assert code5 == 0 and code4 == 0, text4
    assert "Greenhouse gases 2029 (t CO2e, GWP AR5)" in text5
    assert "Greenhouse gases 2029 (t CO2e, GWP AR4)" in text4
    bau5, plan5, _ = _landfill_row(text5, "Landfill (city's part)")
    bau4, plan4, _ = _landfill_row(text4, "Landfill (city's part)")
    # landfill CO2e is CH4 x GWP: AR4 25 / AR5 28 (rounded to whole tonnes)
    assert abs(bau4 - bau5 * 25 / 28) <= 1 and abs(plan4 - plan5 * 25 / 28) <= 1
    wb = openpyxl.load_workbook(tmp_path / "o" / "plan.xlsx", read_only=True)
    gwp = [r[-1] for r in wb["ghg_summary"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert set(gwp) == {"AR4"}


def test_unknown_gwp_is_refused() -> None:
    code, text = run("plan", "--gwp", "AR3")
    assert code == 2 and "AR3" in text


def test_bad_composition_exits_2_and_writes_nothing(city: Path, tmp_path: Path) -> None:
    (city / "waste_composition.csv").write_text(
        "stream,share_pct,source,status\nfood,50,survey,illustrative\nkitchen,20,x,sourced\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code, text = run("plan", "--city-dir", str(city), "--out", str(out))
    assert code == 2, text
    assert "SAN-E140" in text and "kitchen" in text and "waste_composition.csv" in text
    assert not out.exists()


def test_city_composition_changes_the_landfill(city: Path, demo_en: tuple[int, str]) -> None:
    (city / "waste_composition.csv").write_text(
        "stream,share_pct,source,status\nfood,30,survey,illustrative\ninert,70,survey,illustrative\n",
        encoding="utf-8",
    )
    code, text = run("plan", "--city-dir", str(city), "--lang", "en")
    assert code == 0, text
    code0, text0 = demo_en
    # less degradable waste than the IPCC default (food 43.5 % + paper, wood, textiles)
    assert (
        _landfill_row(text, "Landfill (city's part)")[0]
        < _landfill_row(text0, "Landfill (city's part)")[0]
    )


def test_bad_site_class_exits_2(city: Path) -> None:
    fac = city / "facilities.csv"
    fac.write_text(
        fac.read_text(encoding="utf-8").replace(",controlled_landfill\n", ",landfill\n"),
        encoding="utf-8",
    )
    code, text = run("plan", "--city-dir", str(city))
    assert code == 2 and "SAN-E024" in text and "tpa_site_class" in text


def test_a_broken_facilities_file_is_reported_once(city: Path) -> None:
    # the plan and the GHG chapter both read facilities.csv: one problem, listed once
    fac = city / "facilities.csv"
    fac.write_text(fac.read_text(encoding="utf-8") + "X-1,TPS,a,b,c,d,e,f,g,h,i,j,k,l\n")
    code, text = run("plan", "--city-dir", str(city))
    assert code == 2 and text.count("SAN-E154") == 1, text  # a row wider than the header
