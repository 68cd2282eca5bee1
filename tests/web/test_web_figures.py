"""The web and the CLI give the same figures for the same data (the inputs; the whole plan
report through the use-case layer: ``test_web_app.py``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas.testing as pdt
import pytest
from django.test import Client
from webhelpers import user

from sanitasi.core.results import run_plan
from sanitasi.io.city import load_city
from sanitasi.io.programme import load_programme
from sanitasi.io.reference import demo_city_dir
from sanitasi.web.loader import load_city_folder
from sanitasi.web.plans.dashboard import headline_rows
from sanitasi.web.plans.inputs import plan_inputs_for, plan_options_for
from sanitasi.web.programme.inputs import programme_inputs_for

PLAN_TABLES = (
    "regions",
    "observations",
    "targets",
    "facilities",
    "unit_costs",
    "need_items",
    "funding_shares",
)
PROGRAMME_TABLES = ("agencies", "activities", "planned", "realisation", "meetings", "action_items")


def assert_same_inputs(city_dir: Path | None, kode: str) -> None:
    cli_inputs, cli_options = load_city(city_dir)
    web_inputs = plan_inputs_for(kode)
    for name in PLAN_TABLES:
        pdt.assert_frame_equal(getattr(web_inputs, name), getattr(cli_inputs, name), obj=name)
    assert web_inputs.parameters == cli_inputs.parameters
    assert dict(web_inputs.sources) == dict(cli_inputs.sources)
    assert plan_options_for(kode) == cli_options


def test_plan_inputs_equal_the_cli_inputs(demo: str) -> None:
    assert_same_inputs(None, demo)


def test_programme_inputs_equal_the_cli_inputs(demo: str) -> None:
    cli = load_programme(None)
    web = programme_inputs_for(demo)
    assert web is not None
    for name in PROGRAMME_TABLES:
        pdt.assert_frame_equal(getattr(web, name), getattr(cli, name), obj=name)
    assert dict(web.sources) == dict(cli.sources)


def test_overrides_optional_files_and_local_sets_round_trip(empty_db: None, tmp_path: Path) -> None:
    city = tmp_path / "city"
    shutil.copytree(Path(str(demo_city_dir())), city)
    (city / "parameters.csv").write_text(
        "name,value,source,status\npersons_per_household,3.7,Survey 2024,sourced\n"
        "new_households_ladder,layak_sendiri,,\n",
        encoding="utf-8",
    )
    for name in ("facilities.csv", "realisation.csv", "meetings.csv", "action_items.csv"):
        (city / name).unlink()
    load_city_folder(city)
    assert_same_inputs(city, "13.72")
    web = programme_inputs_for("13.72")
    cli = load_programme(city)
    assert web is not None
    for name in PROGRAMME_TABLES:
        pdt.assert_frame_equal(getattr(web, name), getattr(cli, name), obj=name)


@pytest.mark.parametrize("lang,baseline", [("id", "81,3"), ("en", "81.3")])
def test_dashboard_shows_the_cli_figures(demo: str, lang: str, baseline: str) -> None:
    inputs, options = load_city(None)
    expected = headline_rows(run_plan(inputs, options), demo, lang)
    client = Client()
    client.force_login(user("viewer"))
    client.post("/i18n/setlang/", {"language": lang, "next": "/"})
    response = client.get(f"/cities/{demo}/")
    assert response.status_code == 200
    assert response.context["headline"] == expected
    html = response.content.decode()
    assert "Kota Solok" in html
    layak = next(r for r in expected if r.indicator == "pct_layak")
    assert (
        layak.baseline_pct is not None
        and f"{layak.baseline_pct:.1f}".replace(".", "," if lang == "id" else ".") == baseline
    )
    assert f">{baseline}<" in html
    assert response.context["years"].base == options.base_year
    heading = "Indikator utama" if lang == "id" else "Headline indicators"
    assert heading in html
