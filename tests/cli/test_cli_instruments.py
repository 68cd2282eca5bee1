"""`sanitasi risk`, `sanitasi sfd`, `sanitasi survey` and `sanitasi bench survey` end to end.

Each command runs on the Kota Solok demo (or a tmp copy of it: the ``city`` fixture); each
bad-input case breaks one file and asserts exit code 2, the problem code in the output and
that nothing was written to ``--out`` (nor left beside it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from sanitasi.cli import main

CSV_COLUMNS = ["kode_kelurahan", "tempat_bab", "jenis_kloset", "pembuangan_tinja", "septik_dikuras"]


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return res.exit_code, res.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def nothing_written(tmp_path: Path, out: Path) -> bool:
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".sanitasi-")]
    return not out.exists() and not leftovers


def test_commands_are_registered() -> None:
    assert {"risk", "sfd", "survey"} <= set(main.commands)
    bench = main.commands["bench"]
    assert "survey" in bench.commands  # type: ignore[attr-defined]
    code, text = run("survey", "--help")
    assert code == 0 and "--apply" in text and "--engine" in text


# ----------------------------------------------------------------------------- risk


def test_risk_demo(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, text = run("risk", "--out", str(out))
    assert code == 0, text
    assert sorted(p.name for p in out.iterdir()) == ["risk.html", "risk.xlsx"]
    # classes per kelurahan and subsector (IMPACT 3,60 x EXPOSURE 3,20 = 11,52, class 4)
    assert re.search(r"Aro IV Korong\s+3,60\s+3,20\s+11,52\s+4 amat tinggi\s+3,60\s+12,96", text)
    # the override keeps its computed class and reason
    assert "3 tinggi*" in text and "Terhitung 2 sedang" in text
    # class counts: ALD 5 / 5 (6) / 2 (1) / 1
    assert re.search(r"Air limbah domestik\s+5\s+5 \(6\)\s+2 \(1\)\s+1", text)
    # programme share (core.risk.priority_share with programme.csv)
    assert "Rp 1,7 miliar dari Rp 11,7 miliar (14,1%) di area prioritas" in text
    assert "49,5% dari biaya yang berlokasi di kelurahan" in text
    html = (out / "risk.html").read_text(encoding="utf-8")
    assert "Peta area berisiko" in html and '<script src="http' not in html
    wb = openpyxl.load_workbook(out / "risk.xlsx", read_only=True)
    assert {"README", "risk_scores", "risk_indicator_scores", "priority_share_period"} <= set(
        wb.sheetnames
    )


def test_risk_english_and_cut_points() -> None:
    code, text = run("risk", "--lang", "en", "--cut-points", "4,8,12")
    assert code == 0, text
    assert "fixed cut points 4 / 8 / 12" in text
    # with fixed cut points Aro IV Korong (11.52) is class 3, IX Korong persampahan (10.83) 3
    assert re.search(r"Aro IV Korong\s+3\.60\s+3\.20\s+11\.52\s+3 high", text)


def test_risk_without_programme(city: Path) -> None:
    (city / "programme.csv").unlink()
    code, text = run("risk", "--city-dir", str(city))
    assert code == 0, text
    assert "Tidak ada programme.csv" in text


@pytest.mark.parametrize("value", ["8,4,12", "1,2", "a,b,c"])
def test_risk_bad_cut_points(value: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, text = run("risk", "--cut-points", value, "--out", str(out))
    assert code == 2, text
    assert "--cut-points" in text
    assert nothing_written(tmp_path, out)


Breaker = Callable[[Path], None]


def _drop_column(path: Path, column: str) -> None:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.drop(columns=[column]).to_csv(path, index=False)


RISK_CASES: dict[str, tuple[Breaker, str, str]] = {
    "missing column": (
        lambda c: _drop_column(c / "risk_weights.csv", "direction"),
        "SAN-E002",
        "direction",
    ),
    "weights not summing to 100": (
        lambda c: edit(
            c / "risk_weights.csv",
            "all,impact,population_density,40,",
            "all,impact,population_density,45,",
        ),
        "SAN-E083",
        "105",
    ),
    "negative weight": (
        lambda c: edit(
            c / "risk_weights.csv",
            "all,impact,poverty_pct,35,",
            "all,impact,poverty_pct,-35,",
        ),
        "SAN-E009",
        "-35",
    ),
    "impossible kode": (
        lambda c: edit(
            c / "risk_indicators.csv",
            "13.72.01.1001,all,poverty_pct,",
            "13.72.01.9999,all,poverty_pct,",
        ),
        "SAN-E004",
        "13.72.01.9999",
    ),
    "override class 5": (
        lambda c: edit(c / "risk_overrides.csv", "13.72.02.1001,ald,3,", "13.72.02.1001,ald,5,"),
        "SAN-E086",
        "risk_overrides.csv",
    ),
}


@pytest.mark.parametrize("name", sorted(RISK_CASES))
def test_risk_bad_input_exits_2(name: str, city: Path, tmp_path: Path) -> None:
    breaker, expected_code, expected_text = RISK_CASES[name]
    breaker(city)
    out = tmp_path / "out"
    code, text = run("risk", "--city-dir", str(city), "--out", str(out))
    assert code == 2, text
    assert expected_code in text and expected_text in text, text
    assert nothing_written(tmp_path, out)


def test_risk_bad_programme_is_bad_input(city: Path, tmp_path: Path) -> None:
    edit(city / "programme.csv", "ALD-02,ald,", "ALD-01,ald,")
    out = tmp_path / "out"
    code, text = run("risk", "--city-dir", str(city), "--out", str(out))
    assert code == 2, text
    assert "programme.csv" in text
    assert nothing_written(tmp_path, out)


# ----------------------------------------------------------------------------- sfd


def test_sfd_demo(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, text = run("sfd", "--out", str(out))
    assert code == 0, text
    assert sorted(p.name for p in out.iterdir()) == ["sfd.html", "sfd.xlsx"]
    assert re.search(r"Tertampung, tidak dikuras\s+72,7%\s+aman", text)
    assert re.search(r"Dikelola aman \(SFD\)\s+79,5%", text)
    # SFD-safe vs JMP-style vs aman, side by side
    assert re.search(r"2024\s+79,5%\s+71,3%\s+8,1%\s+81,3%", text)
    html = (out / "sfd.html").read_text(encoding="utf-8")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="sankey"' in html
    assert "<script" not in html  # the diagram is plain SVG
    wb = openpyxl.load_workbook(out / "sfd.xlsx", read_only=True)
    rows = list(wb["sfd_matrix"].iter_rows(min_row=5, values_only=True))
    head = [c.value for c in next(wb["sfd_matrix"].iter_rows(min_row=4, max_row=4))]
    assert len(rows) == 5 * 25  # five ladder years x 25 links
    assert head[4] == "Value (% of population)"  # English header row, unit included
    value = rows[-25 + 4][4]  # 2024: onsite contained -> contained not emptied
    assert isinstance(value, float) and value == pytest.approx(72.73784, abs=1e-4)


def test_sfd_other_year_in_english() -> None:
    code, text = run("sfd", "--year", "2020", "--lang", "en")
    assert code == 0, text
    assert "Excreta flows 2020" in text
    assert re.search(r"2020\s+74\.5%\s+66\.1%\s+4\.5%\s+75\.5%", text)


def test_sfd_projected_year_runs_the_plan(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, text = run("sfd", "--year", "2029", "--out", str(out))
    assert code == 0, text
    # observed years as before, then the plan's years with its L2T2 service
    assert re.search(r"2024\s+79,5%\s+71,3%\s+8,1%\s+81,3%", text)
    assert re.search(r"2029\s+90,6%\s+83,1%\s+22,0%\s+91,0%", text)
    assert re.search(r"Dikelola aman \(SFD\)\s+90,6%", text)
    assert "Tahun 2025-2045 mengikuti layanan rencana" in text
    wb = openpyxl.load_workbook(out / "sfd.xlsx", read_only=True)
    rows = list(wb["sfd_compare"].iter_rows(min_row=5, values_only=True))
    assert [r[1] for r in rows] == list(range(2020, 2046))


def test_sfd_projected_year_beyond_the_horizon() -> None:
    code, text = run("sfd", "--year", "2047", "--lang", "en")
    assert code == 0, text
    assert "Excreta flows 2047" in text and "Years 2025-2047 follow the plan" in text


def test_sfd_year_before_the_ladder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, text = run("sfd", "--year", "2010", "--out", str(out))
    assert code == 2, text
    assert "2010" in text and "2020, 2021, 2022, 2023, 2024" in text
    assert nothing_written(tmp_path, out)


def test_sfd_projected_year_without_a_plan_exits_2(city: Path, tmp_path: Path) -> None:
    edit(city / "facilities.csv", "IPLT Kota Solok,13.72,20,", "IPLT Kota Solok,13.72,-20,")
    code, text = run("sfd", "--city-dir", str(city))
    assert code == 0, text  # observed years need no plan
    out = tmp_path / "out"
    code, text = run("sfd", "--city-dir", str(city), "--year", "2029", "--out", str(out))
    assert code == 2, text
    assert "2029" in text and "facilities.csv" in text and "-20" in text
    assert nothing_written(tmp_path, out)


SFD_CASES: dict[str, tuple[Breaker, str, str]] = {
    "shares not summing to 100": (
        lambda c: edit(c / "sfd.csv", "belum_layak,8.32,false", "belum_layak,18.32,false"),
        "SAN-E087",
        "110",
    ),
    "missing column": (
        lambda c: _drop_column(c / "sfd.csv", "treated_pct"),
        "SAN-E002",
        "treated_pct",
    ),
    "percentage above 100": (
        lambda c: edit(c / "sfd.csv", "true,false,100,90,85", "true,false,140,90,85"),
        "SAN-E011",
        "140",
    ),
}


@pytest.mark.parametrize("name", sorted(SFD_CASES))
def test_sfd_bad_input_exits_2(name: str, city: Path, tmp_path: Path) -> None:
    breaker, expected_code, expected_text = SFD_CASES[name]
    breaker(city)
    out = tmp_path / "out"
    code, text = run("sfd", "--city-dir", str(city), "--out", str(out))
    assert code == 2, text
    assert expected_code in text and expected_text in text, text
    assert nothing_written(tmp_path, out)


# ----------------------------------------------------------------------------- survey


def _household(
    kode: str, use: str = "A", toilet: str = "A", disposal: str = "A", emptied: str = "B"
) -> dict[str, str]:
    return dict(
        kode_kelurahan=kode,
        tempat_bab=use,
        jenis_kloset=toilet,
        pembuangan_tinja=disposal,
        septik_dikuras=emptied,
    )


def survey_csv(path: Path, *, bad: bool = True) -> Path:
    """45 households in Tanah Garam (20 aman, 25 layak sendiri), 30 in Koto Panjang (all
    aman: under the EHRA minimum of 40), and, with ``bad``, two households of an unknown
    kelurahan and three invalid toilet answers."""
    rows = [_household("13.72.01.1001") for _ in range(20)]
    rows += [_household("13.72.01.1001", emptied="E") for _ in range(25)]
    rows += [_household("13720210" + "01") for _ in range(30)]  # code without dots
    if bad:
        rows += [_household("13.72.09.9999") for _ in range(2)]
        rows += [_household("13.72.02.1001", toilet="Z") for _ in range(3)]
    pd.DataFrame(rows, columns=CSV_COLUMNS).to_csv(path, index=False)
    return path


def test_survey_shares_intervals_and_issues(city: Path, tmp_path: Path) -> None:
    f = survey_csv(tmp_path / "ehra.csv")
    out = tmp_path / "out"
    code, text = run("survey", str(f), "--city-dir", str(city), "--out", str(out))
    assert code == 0, text
    assert sorted(p.name for p in out.iterdir()) == ["survey.html", "survey.xlsx"]
    # 20/45 aman = 44,4% with its Wilson interval; Koto Panjang flagged under 40
    assert re.search(r"Tanah Garam\s+45\s+44,4%", text)
    assert re.search(r"Koto Panjang\s+30\s+100,0%", text) and "< 40" in text
    # issues counted per column, never dropped
    assert re.search(r"kode_kelurahan\s+Kelurahan/desa\s+2\s+1\s+SAN-W182", text)
    assert re.search(r"jenis_kloset\s+Jenis kloset\s+3\s+1\s+SAN-W180", text)
    assert "Baris (rumah tangga) 80" in text
    wb = openpyxl.load_workbook(out / "survey.xlsx", read_only=True)
    assert {"survey_shares", "survey_issues", "survey_issue_columns"} <= set(wb.sheetnames)
    ws = wb["survey_shares"]
    head = [c.value for c in next(ws.iter_rows(min_row=4, max_row=4))]
    first = next(ws.iter_rows(min_row=5, max_row=5, values_only=True))
    pct = first[head.index("Safely managed (aman) (%)")]
    assert isinstance(pct, float) and pct == pytest.approx(100 * 20 / 45)


def test_survey_sql_engine_same_figures(city: Path, tmp_path: Path) -> None:
    f = survey_csv(tmp_path / "ehra.csv")
    a = run("survey", str(f), "--city-dir", str(city), "--engine", "numpy")
    b = run("survey", str(f), "--city-dir", str(city), "--engine", "sql")
    assert a[0] == b[0] == 0
    assert "Mesin hitung: numpy" in a[1] and "Mesin hitung: sql" in b[1]

    def figures(text: str) -> list[str]:
        return [ln for ln in text.splitlines() if "Mesin hitung" not in ln]

    assert figures(a[1]) == figures(b[1])


def test_survey_apply_writes_baseline(city: Path, tmp_path: Path) -> None:
    f = survey_csv(tmp_path / "ehra.csv")
    out = tmp_path / "out"
    before = (city / "observations.csv").read_text(encoding="utf-8")
    code, text = run(
        "survey", str(f), "--city-dir", str(city), "--year", "2024", "--apply", "--out", str(out)
    )
    assert code == 0, text
    # 2 kelurahan, their 2 kecamatan and the city (recomputed sums): 5 x 6 rows
    assert "30 baris hh_<anak tangga> tahun 2024 untuk 2 kelurahan/desa" in text
    assert "survey_result.csv" in text
    obs = pd.read_csv(city / "observations.csv", dtype=str, keep_default_na=False)
    rows = obs[(obs["kode"] == "13.72.02.1001") & (obs["year"] == "2024")]
    aman = rows[rows["indicator"] == "hh_aman"]
    assert list(aman["source"]) == ["ehra.csv"] and list(aman["status"]) == ["derived"]
    assert before != (city / "observations.csv").read_text(encoding="utf-8")
    result = pd.read_csv(city / "survey_result.csv")
    assert list(result["kode"]) == ["13.72.01.1001", "13.72.02.1001"]
    assert result.loc[0, "pct_aman"] == pytest.approx(100 * 20 / 45)
    assert list(result["year"]) == [2024, 2024]


def test_survey_apply_needs_city_dir(tmp_path: Path) -> None:
    f = survey_csv(tmp_path / "ehra.csv")
    out = tmp_path / "out"
    code, text = run("survey", str(f), "--apply", "--out", str(out))
    assert code == 2, text
    assert "--apply memerlukan --city-dir" in text
    assert nothing_written(tmp_path, out)


def test_survey_refused_apply_writes_nothing(city: Path, tmp_path: Path) -> None:
    # Koto Panjang has hh_spald_t 120 in 2024; a survey with no aman there is refused
    rows = [_household("13.72.02.1001", disposal="C") for _ in range(40)]
    f = tmp_path / "ehra.csv"
    pd.DataFrame(rows, columns=CSV_COLUMNS).to_csv(f, index=False)
    out = tmp_path / "out"
    before = (city / "observations.csv").read_bytes()
    code, text = run("survey", str(f), "--city-dir", str(city), "--apply", "--out", str(out))
    assert code == 2, text
    assert "SAN-E107" in text
    assert nothing_written(tmp_path, out)
    assert (city / "observations.csv").read_bytes() == before
    assert not (city / "survey_result.csv").exists()


SURVEY_CASES: dict[str, tuple[Callable[[Path], list[str]], str, str]] = {
    "missing column": (
        lambda p: (
            pd.read_csv(survey_csv(p), dtype=str)
            .drop(columns=["jenis_kloset"])
            .to_csv(p, index=False),
            [],
        )[1],
        "SAN-E104",
        "jenis_kloset",
    ),
    "file not found": (lambda p: [], "SAN-E100", "ehra.csv"),
    "strict with invalid answers": (
        lambda p: (survey_csv(p), ["--strict"])[1],
        "SAN-W180",
        "'Z'",
    ),
    "mapping not found": (
        lambda p: (survey_csv(p), ["--mapping", str(p.parent / "nope.toml")])[1],
        "SAN-E101",
        "nope.toml",
    ),
}


@pytest.mark.parametrize("name", sorted(SURVEY_CASES))
def test_survey_bad_input_exits_2(name: str, city: Path, tmp_path: Path) -> None:
    make, expected_code, expected_text = SURVEY_CASES[name]
    f = tmp_path / "ehra.csv"
    extra = make(f)
    out = tmp_path / "out"
    code, text = run("survey", str(f), "--city-dir", str(city), "--out", str(out), *extra)
    assert code == 2, text
    assert expected_code in text and expected_text in text, text
    assert nothing_written(tmp_path, out)


# ----------------------------------------------------------------------------- bench


def test_bench_survey_small() -> None:
    code, text = run("bench", "survey", "--rows", "3000", "--repeat", "1", "--engine", "numpy")
    assert code == 0, text
    assert re.search(r"survey ingest: [\d,]+ rows/s, \d+ MB", text)
    assert "engines agree: yes" in text


# ----------------------------------------------------------------------------- plan


def test_plan_bab2_instruments(city: Path, tmp_path: Path) -> None:
    f = survey_csv(tmp_path / "ehra.csv", bad=False)
    code, text = run("survey", str(f), "--city-dir", str(city), "--year", "2024", "--apply")
    assert code == 0, text
    out = tmp_path / "out"
    code, text = run("plan", "--city-dir", str(city), "--out", str(out))
    assert code == 0, text
    html = (out / "plan.html").read_text(encoding="utf-8")
    bab2 = html[html.index('<section id="chapter-2"') : html.index('<section id="chapter-3"')]
    for anchor in ("chart-survey-shares", "chart-risk-scores", "tbl-sfd-compare", "sfd-2024"):
        assert f'id="{anchor}"' in bab2, anchor
    wb = openpyxl.load_workbook(out / "plan.xlsx", read_only=True)
    assert {"survey_shares", "risk_scores", "risk_priority", "sfd_compare", "sfd_matrix"} <= set(
        wb.sheetnames
    )


def test_plan_bad_instrument_file_exits_2(city: Path, tmp_path: Path) -> None:
    RISK_CASES["weights not summing to 100"][0](city)
    out = tmp_path / "out"
    code, text = run("plan", "--city-dir", str(city), "--out", str(out))
    assert code == 2, text
    assert "SAN-E083" in text
    assert nothing_written(tmp_path, out)
