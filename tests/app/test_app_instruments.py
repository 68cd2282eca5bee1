"""The Bab II chapters of the plan (:func:`sanitasi.app.instruments.instrument_chapters` on a
folder's instrument inputs), the instrument use cases of ``sanitasi risk`` / ``sfd``, and the
in-memory folder the web reads its stored files through: it reads exactly like a folder on
disk."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from sanitasi.app import (
    AppError,
    FolderSource,
    InstrumentInputs,
    instrument_chapters,
    read_instruments,
    risk_analysis,
    sfd_analysis,
)
from sanitasi.core.model import PlanResult
from sanitasi.io.errors import InputErrors
from sanitasi.io.folders import MemoryFolder, city_folder
from sanitasi.io.instruments import read_risk
from sanitasi.io.reference import demo_city_dir
from sanitasi.io.survey import read_survey
from sanitasi.io.survey_result import write_survey_result
from sanitasi.reports.common import years
from sanitasi.reports.html import render_html
from sanitasi.reports.xlsx import write_xlsx

DEMO = Path(str(demo_city_dir()))
K1, K4 = "13.72.01.1001", "13.72.02.1001"
INSTRUMENT_NAMES = (
    "risk_indicators.csv",
    "risk_weights.csv",
    "risk_overrides.csv",
    "sfd.csv",
    "survey_result.csv",
)


@pytest.fixture(scope="module")
def survey_result(tmp_path_factory: pytest.TempPathFactory) -> object:
    """45 households in Tanah Garam (20 aman, 25 layak sendiri), 30 in Koto Panjang (aman)
    and 2 of an unknown kelurahan."""
    rows = [(K1, "A", "A", "A", "B")] * 20 + [(K1, "A", "A", "A", "E")] * 25
    rows += [(K4, "A", "A", "A", "B")] * 30 + [("13.72.09.9999", "A", "A", "A", "B")] * 2
    cols = ["kode_kelurahan", "tempat_bab", "jenis_kloset", "pembuangan_tinja", "septik_dikuras"]
    path = tmp_path_factory.mktemp("survey") / "ehra.csv"
    pd.DataFrame(rows, columns=cols).to_csv(path, index=False)
    return read_survey(path, city_dir=DEMO, year=2024)


# ----------------------------------------------------------------------------- plan chapters


@pytest.fixture(scope="module")
def plan() -> PlanResult:
    from sanitasi.core.results import run_plan
    from sanitasi.io.city import load_city

    inputs, options = load_city(None)
    return run_plan(inputs, options)


def chapters(plan: PlanResult, city_dir: Path | None) -> PlanResult:
    return instrument_chapters(plan, FolderSource(city_dir).instruments())


def test_plan_chapters_on_the_demo(plan: PlanResult, tmp_path: Path) -> None:
    from sanitasi.io.programme import load_programme

    with_prog = replace(plan, programme=load_programme())
    res = chapters(with_prog, None)
    new = [n for n in res.tables if n not in plan.tables]
    assert new == [
        "risk_scores",
        "risk_priority",
        "priority_share_period",
        "priority_activities",
        "sfd_compare",
        "sfd_matrix",
    ]
    cmp = res.tables["sfd_compare"].df.set_index("year")
    assert list(cmp.index) == list(range(2024, 2046))  # base year to the horizon
    assert cmp.at[2024, "sfd_safe_pct"] == pytest.approx(79.4905, abs=1e-3)
    assert cmp.at[2024, "pct_aman"] == pytest.approx(8.1495, abs=1e-3)
    # projected years follow the plan's L2T2 service: SFD-safe rises with aman (the paradox of
    # held F3-F5 is gone); end of the plan period 2029: 90.6 % (core/test_core_sfd_demo.py)
    assert (cmp["sfd_safe_pct"].diff().dropna() >= 0).all()
    assert cmp.at[2029, "sfd_safe_pct"] == pytest.approx(90.5991, abs=1e-3)
    assert "Years 2025-2045 follow the plan's service" in res.tables["sfd_compare"].note_en
    share = res.tables["priority_share_period"].df.set_index("sector")
    assert share.at["ald", "pct_cost_priority"] == pytest.approx(14.1146, abs=1e-3)

    html = render_html(res, "id", inline_js=False)
    bab2 = html[html.index('<section id="chapter-2"') : html.index('<section id="chapter-3"')]
    assert 'id="chart-risk-scores"' in bab2 and 'id="tbl-risk-scores"' in bab2
    assert '<figure class="diagram" id="sfd-2024">' in bab2
    end = years(plan).end  # the end of the plan period (plan scenario)
    assert end > 2024 and f'<figure class="diagram" id="sfd-{end}">' in bab2
    assert 'class="sankey"' in bab2 and 'id="tbl-sfd-compare"' in bab2
    assert "Tertampung, tidak dikuras" in bab2  # node labels in the flow matrix table
    bab5 = html[html.index('<section id="chapter-5"') :]
    assert 'id="tbl-priority-share-period"' in bab5
    payload = html[html.index('id="sanitasi-charts">') :]
    assert "chart-risk-scores" in payload

    path = tmp_path / "plan.xlsx"
    write_xlsx(res, path, "id")
    wb = openpyxl.load_workbook(path, read_only=True)
    assert {"risk_scores", "risk_priority", "sfd_compare", "sfd_matrix"} <= set(wb.sheetnames)
    row = next(wb["sfd_compare"].iter_rows(min_row=5, max_row=5, values_only=True))
    assert any(isinstance(v, float) and abs(v - 79.4905) < 1e-3 for v in row)


def test_plan_chapters_with_survey_result(
    plan: PlanResult, survey_result: object, tmp_path: Path
) -> None:
    city = tmp_path / "city"
    shutil.copytree(Path(str(demo_city_dir())), city)
    write_survey_result(survey_result, city, year=2024)
    res = chapters(plan, city)
    assert "survey_shares" in res.tables
    df = res.tables["survey_shares"].df
    assert list(df["kode"]) == [K1, K4] and df["n"].tolist() == [45, 30]
    html = render_html(res, "id", inline_js=False)
    bab2 = html[html.index('<section id="chapter-2"') : html.index('<section id="chapter-3"')]
    assert 'id="chart-survey-shares"' in bab2
    assert re.search(r"<td>44,4% \(\d+,\d\u2013\d+,\d\)</td>", bab2)


def test_plan_chapters_bad_files_raise(plan: PlanResult, tmp_path: Path) -> None:
    city = tmp_path / "city"
    shutil.copytree(Path(str(demo_city_dir())), city)
    w = city / "risk_weights.csv"
    w.write_text(w.read_text().replace("population_density,40,", "population_density,45,"))
    s = city / "sfd.csv"
    s.write_text(s.read_text().replace("belum_layak,8.32,", "belum_layak,18.32,"))
    (city / "survey_result.csv").write_text("kode,n\n13.72.01.1001,4\n")
    with pytest.raises(InputErrors) as err:
        chapters(plan, city)
    codes = {p.code for p in err.value.errors}
    assert {"SAN-E083", "SAN-E087", "SAN-E002"} <= codes


def test_plan_chapters_skip_absent_instruments(plan: PlanResult, tmp_path: Path) -> None:
    city = tmp_path / "city"
    shutil.copytree(Path(str(demo_city_dir())), city)
    for name in ("risk_indicators.csv", "risk_weights.csv", "risk_overrides.csv", "sfd.csv"):
        (city / name).unlink()
    assert chapters(plan, city) is plan


def test_plan_chapters_name_the_tables_they_add(plan: PlanResult) -> None:
    res = chapters(plan, None)
    assert res.instruments == ("risk_scores", "risk_priority", "sfd_compare", "sfd_matrix")
    assert plan.instruments == ()


# ----------------------------------------------------------------------------- use cases


def test_risk_analysis_of_the_demo() -> None:
    report = risk_analysis(FolderSource(None))
    pr = report.frame("risk_priority")
    assert pr is not None
    ald = pr[pr["subsector"] == "ald"]
    # README: ALD priority areas Aro IV Korong (4), VI Suku (3) and Koto Panjang (3, overridden)
    assert list(zip(ald["nama"], ald["final_class"], strict=True)) == [
        ("Aro IV Korong", 4),
        ("VI Suku", 3),
        ("Koto Panjang", 3),
    ]
    assert report.city_name == "Kota Solok" and report.facts["programme"] is True


def test_risk_analysis_needs_the_risk_files(tmp_path: Path) -> None:
    city = tmp_path / "city"
    shutil.copytree(DEMO, city)
    (city / "risk_weights.csv").unlink()
    with pytest.raises(InputErrors) as err:
        risk_analysis(FolderSource(city))
    assert [(p.code, p.file) for p in err.value.errors] == [("SAN-E001", "risk_weights.csv")]


def test_sfd_analysis_refuses_a_year_the_ladder_has_not() -> None:
    with pytest.raises(AppError) as err:
        sfd_analysis(FolderSource(None), 2019)
    assert err.value.key == "ins_sfd_no_year" and err.value.params["year"] == 2019
    assert err.value.message("en").startswith("No ladder for year 2019; years available: ")


def test_sfd_analysis_projects_with_the_plan() -> None:
    report = sfd_analysis(FolderSource(None), 2029)
    cmp = report.frame("sfd_compare")
    assert cmp is not None
    row = cmp[cmp["year"] == 2029].iloc[0]
    # README / core/test_core_sfd_demo.py: 2029 (plan scenario) SFD-safe 90.6 %
    assert row["sfd_safe_pct"] == pytest.approx(90.5991, abs=1e-3)


# ----------------------------------------------------------------------------- memory folder


def test_memory_folder_reads_like_a_folder() -> None:
    files = {"regions.csv": (DEMO / "regions.csv").read_bytes(), "x.csv": b"a,b\n1,2\n"}
    folder = MemoryFolder("database:13.72", files)
    assert city_folder(folder) is folder and city_folder(None) == demo_city_dir()
    assert folder.is_dir() and not folder.is_file() and str(folder) == "database:13.72"
    assert [f.name for f in folder.iterdir()] == ["regions.csv", "x.csv"]
    assert (folder / "x.csv").read_bytes() == b"a,b\n1,2\n"
    assert (folder / "x.csv").read_text() == "a,b\n1,2\n"
    assert not (folder / "sfd.csv").is_file()
    assert str(folder / "sfd.csv") == "database:13.72/sfd.csv"
    with pytest.raises(FileNotFoundError):
        (folder / "sfd.csv").read_bytes()
    # a reader names what is missing from it, as for a folder on disk
    load = read_risk(folder)
    assert [(p.code, p.file) for p in load.errors] == [
        ("SAN-E001", "risk_indicators.csv"),
        ("SAN-E001", "risk_weights.csv"),
    ]
    assert "database:13.72" in load.errors[0].message("en")


def _as_folder_on_disk(tmp: Path, names: tuple[str, ...], survey: bytes) -> Path:
    city = tmp / "city"
    shutil.rmtree(city, ignore_errors=True)
    city.mkdir(parents=True)
    for name in ("regions.csv", "observations.csv", *names):
        data = survey if name == "survey_result.csv" else (DEMO / name).read_bytes()
        (city / name).write_bytes(data)
    return city


def _outcome(read: object) -> tuple[object, ...]:
    """What a read gave, comparable across folders: the error codes and lines, or the
    inputs (frames as records) and the warnings."""
    try:
        ins = read()  # type: ignore[operator]
    except InputErrors as e:
        return ("errors", tuple((p.code, p.file, p.row, p.column) for p in e.problems))
    assert isinstance(ins, InstrumentInputs)
    risk = ins.risk
    sfd = ins.sfd
    return (
        None if ins.survey_shares is None else ins.survey_shares.to_dict("records"),
        None if risk is None else risk.indicators.to_dict("records"),
        None if risk is None else risk.weights.to_dict("records"),
        None if risk is None or risk.overrides is None else risk.overrides.to_dict("records"),
        None if risk is None else dict(risk.names),
        None if sfd is None else sfd.systems.to_dict("records"),
        None if sfd is None else sfd.ladder.to_dict("records"),
        tuple((k, tuple(p.code for p in v)) for k, v in sorted(ins.warnings.items())),
    )


@settings(
    max_examples=examples(8),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(names=st.sets(st.sampled_from(INSTRUMENT_NAMES)), required=st.booleans())
def test_memory_folder_reads_exactly_like_the_disk(
    names: set[str], required: bool, tmp_path: Path
) -> None:
    """For any subset of the instrument files, required or not, the in-memory folder gives
    the same inputs, warnings or errors as the same files on disk."""
    picked = tuple(n for n in INSTRUMENT_NAMES if n in names)
    survey = b"kode,n,pct_aman,pct_layak_sendiri,pct_layak_bersama,pct_belum_layak,"
    survey += b"pct_babs_tertutup,pct_babs_terbuka\n13.72.01.1001,45,44.4,55.6,0,0,0,0\n"
    city = _as_folder_on_disk(tmp_path, picked, survey)
    memory = MemoryFolder("mem", {f.name: f.read_bytes() for f in city.iterdir()})
    disk = _outcome(lambda: read_instruments(city, required=required))
    mem = _outcome(lambda: read_instruments(memory, required=required))
    assert mem == disk
