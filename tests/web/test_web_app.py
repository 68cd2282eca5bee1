"""One pipeline for the CLI and the web (``sanitasi.app``): the same tables for the demo from
the folder and from the database, the web's downloads carry every chapter the CLI writes,
the instrument files are stored at load (validated, all-or-nothing) and read back by the same
readers."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pandas.testing as pdt
import pytest
from click.testing import CliRunner
from django.test import Client
from webhelpers import user

from sanitasi.app import FolderSource, PlanRequest, plan_report
from sanitasi.cli import main
from sanitasi.core.model import PlanResult
from sanitasi.io.errors import InputErrors
from sanitasi.io.reference import demo_city_dir
from sanitasi.web.loader import load_city_folder
from sanitasi.web.plans import results
from sanitasi.web.plans.models import CityFile, Plan
from sanitasi.web.plans.source import DatabaseSource, active_request

DEMO_DIR = Path(str(demo_city_dir()))
#: The Bab II tables the web's plan downloads lacked before the use-case layer.
INSTRUMENT_TABLES = (
    "risk_scores",
    "risk_priority",
    "priority_share_period",
    "priority_activities",
    "sfd_compare",
    "sfd_matrix",
)


def normalised(df: pd.DataFrame) -> pd.DataFrame:
    """Categoricals as their values, a fresh index: what the reports show of a table."""
    out = df.reset_index(drop=True).copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(object)
    return out


def assert_same_report(web: PlanResult, cli: PlanResult) -> None:
    assert list(web.tables) == list(cli.tables)
    for name, table in cli.tables.items():
        other = web.tables[name]
        pdt.assert_frame_equal(
            normalised(other.df),
            normalised(table.df),
            check_dtype=False,
            check_exact=False,
            rtol=1e-12,
            atol=0.0,
            obj=name,
        )
        assert dict(other.provenance) == dict(table.provenance), name
        assert (other.title_id, other.note_id, other.note_en) == (
            table.title_id,
            table.note_id,
            table.note_en,
        ), name
    assert web.warnings == cli.warnings
    assert web.instruments == cli.instruments
    assert web.target_sets == cli.target_sets and web.options == cli.options


@pytest.fixture(scope="module")
def cli_report() -> PlanResult:
    """What ``sanitasi plan`` computes for the demo (its default options)."""
    return plan_report(FolderSource(None), PlanRequest())


def test_cli_and_web_give_the_same_tables(demo: str, cli_report: PlanResult) -> None:
    web = plan_report(DatabaseSource(demo), active_request(demo))
    assert_same_report(web, cli_report)
    assert set(INSTRUMENT_TABLES) <= set(web.tables)
    assert web.instruments == (
        "risk_scores",
        "risk_priority",
        "priority_share_period",
        "priority_activities",
        "sfd_compare",
        "sfd_matrix",
    )
    # the SFD of the base year from the stored sfd.csv and the database's ladder (the demo:
    # SFD-safe 79.5 %, aman 8.1 %; README)
    cmp = web.tables["sfd_compare"].df.set_index("year")
    assert cmp.at[2024, "sfd_safe_pct"] == pytest.approx(79.4905, abs=1e-3)
    assert cmp.at[2024, "pct_aman"] == pytest.approx(8.1495, abs=1e-3)
    # the cached run of the pages is that report too
    assert_same_report(results.plan_result(demo), cli_report)


def _sheets(data: bytes) -> list[str]:
    return list(openpyxl.load_workbook(io.BytesIO(data), read_only=True).sheetnames)


def test_web_plan_downloads_carry_every_cli_chapter(demo: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["plan", "--out", str(out)])
    assert run.exit_code == 0, run.output
    cli_sheets = _sheets((out / "plan.xlsx").read_bytes())
    assert set(INSTRUMENT_TABLES) <= set(cli_sheets)
    client = Client()
    client.force_login(user("viewer"))
    response = client.get(f"/cities/{demo}/downloads/plan.xlsx")
    assert response.status_code == 200
    assert _sheets(response.content) == cli_sheets
    html = client.get(f"/cities/{demo}/downloads/plan.html").content.decode()
    bab2 = html[html.index('<section id="chapter-2"') : html.index('<section id="chapter-3"')]
    for anchor in ("chart-risk-scores", "tbl-risk-scores", "tbl-sfd-compare", "sfd-2024"):
        assert f'id="{anchor}"' in bab2, anchor
    assert 'id="tbl-priority-share-period"' in html


def test_database_source_reads_the_instruments_as_the_folder(demo: str) -> None:
    web = DatabaseSource(demo).instruments()
    cli = FolderSource(None).instruments()
    assert web.survey_shares is None and cli.survey_shares is None
    assert web.risk is not None and cli.risk is not None
    for name in ("indicators", "weights", "overrides"):
        pdt.assert_frame_equal(getattr(web.risk, name), getattr(cli.risk, name), obj=name)
    assert dict(web.risk.names) == dict(cli.risk.names)
    assert web.sfd is not None and cli.sfd is not None
    pdt.assert_frame_equal(web.sfd.systems, cli.sfd.systems)
    pdt.assert_frame_equal(web.sfd.ladder, cli.sfd.ladder)
    assert {k: [p.code for p in v] for k, v in web.warnings.items()} == {
        k: [p.code for p in v] for k, v in cli.warnings.items()
    }


def test_the_demo_instrument_files_are_stored_as_loaded(demo: str) -> None:
    stored = {f.name: f for f in CityFile.objects.filter(city_kode=demo)}
    assert sorted(stored) == [
        "budget.csv",  # the budget files (sanitasi optimise; fiscal history: Bab II)
        "fiscal_history.csv",
        "need_agency.csv",  # the SSK document's files (sanitasi document)
        "pokja.csv",
        "risk_indicators.csv",
        "risk_overrides.csv",
        "risk_weights.csv",
        "sfd.csv",
        "swot.csv",
    ]
    for name, row in stored.items():
        data = (DEMO_DIR / name).read_bytes()
        assert row.data == data, name
        assert row.sha256 == hashlib.sha256(data).hexdigest()


@pytest.fixture
def city_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "city"
    shutil.copytree(DEMO_DIR, dest)
    return dest


def test_a_bad_instrument_file_loads_nothing(empty_db: None, city_copy: Path) -> None:
    w = city_copy / "risk_weights.csv"
    w.write_text(w.read_text().replace("population_density,40,", "population_density,45,"))
    (city_copy / "observations.csv").write_text("kode,year\n", encoding="utf-8")
    with pytest.raises(InputErrors) as err:
        load_city_folder(city_copy)
    codes = {p.code for p in err.value.errors}
    # the plan files and the instrument files are checked together
    assert "SAN-E083" in codes and "SAN-E002" in codes
    assert not Plan.objects.exists() and not CityFile.objects.exists()


def test_a_bad_document_file_loads_nothing(empty_db: None, city_copy: Path) -> None:
    swot = city_copy / "swot.csv"
    swot.write_text(swot.read_text().replace(",0.20,3,ALD-07,", ",0.20,9,ALD-07,"))
    with pytest.raises(InputErrors) as err:
        load_city_folder(city_copy)
    got = {(p.code, p.file, p.row) for p in err.value.errors}
    assert ("SAN-E191", "swot.csv", 2) in got  # rating 9 on line 2, as `sanitasi document`
    assert not Plan.objects.exists() and not CityFile.objects.exists()


def test_replace_replaces_the_instrument_files(demo: str, city_copy: Path) -> None:
    (city_copy / "sfd.csv").unlink()
    (city_copy / "survey_result.csv").write_text(
        "kode,n,pct_aman,pct_layak_sendiri,pct_layak_bersama,pct_belum_layak,"
        "pct_babs_tertutup,pct_babs_terbuka\n13.72.01.1001,45,44.4,55.6,0,0,0,0\n",
        encoding="utf-8",
    )
    result = load_city_folder(city_copy, on_exists="replace")
    assert result.counts["files"] == 9
    names = sorted(CityFile.objects.filter(city_kode=demo).values_list("name", flat=True))
    assert names == [
        "budget.csv",
        "fiscal_history.csv",
        "need_agency.csv",  # the SSK document's files (sanitasi document)
        "pokja.csv",
        "risk_indicators.csv",
        "risk_overrides.csv",
        "risk_weights.csv",
        "survey_result.csv",
        "swot.csv",
    ]
    plan = results.plan_result(demo)
    assert "survey_shares" in plan.tables and "sfd_compare" not in plan.tables
    assert plan.tables["survey_shares"].df["n"].tolist() == [45]


def test_database_source_applies_a_request(demo: str) -> None:
    src = DatabaseSource(demo)
    inputs, options = src.plan_inputs(
        PlanRequest(
            horizon=2030,
            target_sets=("RPJMN_2020_2024",),
            param_overrides={"persons_per_household": "3.7"},
            growth_method="arithmetic",
        )
    )
    assert (options.base_year, options.horizon) == (2024, 2030)
    assert options.target_sets == ("RPJMN_2020_2024",)
    assert options.growth_method == "arithmetic" and options.bau_mode == "constant"
    assert inputs.parameters.num("persons_per_household") == pytest.approx(3.7)
    assert src.plan_inputs(PlanRequest())[1] == src.plan_inputs(active_request(demo))[1]
    with pytest.raises(InputErrors) as err:
        src.plan_inputs(PlanRequest(target_sets=("FOO",), param_overrides={"nope": "1"}))
    assert [p.code for p in err.value.errors] == ["SAN-E017", "SAN-E018"]


def test_database_source_refuses_realisation_of_a_quarter_not_started(demo: str) -> None:
    """As of 15 May 2025 (Q2 has started, Q3 not), read to 2025 Q4: the same SAN-E049 rows as
    the CLI's reader of the demo folder."""
    day, through = dt.date(2025, 5, 15), (2025, 4)
    with pytest.raises(InputErrors) as web_err:
        DatabaseSource(demo).programme(as_of=day, through=through)
    with pytest.raises(InputErrors) as cli_err:
        FolderSource(None).programme(as_of=day, through=through)

    def late(err: pytest.ExceptionInfo[InputErrors]) -> list[tuple[str, str, str]]:
        return sorted((p.code, p.value or "", p.rule) for p in err.value.errors)

    assert late(web_err) == late(cli_err)
    assert {code for code, _, _ in late(web_err)} == {"SAN-E049"}
    assert all("after the as-of date 2025-05-15" in rule for _, _, rule in late(web_err))
    assert {value for _, value, _ in late(web_err)} == {"3", "4"}  # 2025 Q3 and Q4 rows
    assert DatabaseSource(demo).programme(as_of=dt.date(2027, 3, 31)) is not None


def test_database_source_without_programme(empty_db: None, city_copy: Path) -> None:
    for name in ("programme.csv", "agencies.csv", "realisation.csv"):
        (city_copy / name).unlink()
    for name in ("meetings.csv", "action_items.csv"):
        (city_copy / name).unlink()
    load_city_folder(city_copy)
    src = DatabaseSource("13.72")
    assert src.programme() is None and not src.has_programme()
    with pytest.raises(InputErrors) as err:
        src.programme(required=True)
    assert [(p.code, p.file) for p in err.value.errors] == [("SAN-E001", "programme.csv")]
    assert results.monitoring_report("13.72", 2026, 3) is None
    plan = results.plan_result("13.72")
    assert plan.programme is None and "kkl" not in plan.tables
    # the risk chapter stays, without the programme's share
    assert "risk_scores" in plan.tables and "priority_share_period" not in plan.tables
