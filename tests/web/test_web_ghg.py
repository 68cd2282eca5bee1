"""The GHG chapter on the web: the database source reads the TPA's class and opening year and
the stored ``waste_composition.csv`` as the CLI reads the folder, a bad composition loads
nothing, and the dashboard shows the GHG panel (end-of-period figures and the chart)."""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil
from pathlib import Path

import pandas.testing as pdt
import pytest
from django.test import Client
from webhelpers import user

from sanitasi.app import FolderSource, PlanRequest, plan_report
from sanitasi.io.errors import InputErrors
from sanitasi.io.reference import demo_city_dir
from sanitasi.reports.fmt import fmt_number
from sanitasi.web.loader import load_city_folder
from sanitasi.web.plans import results
from sanitasi.web.plans.models import CityFile, Facility, Plan
from sanitasi.web.plans.source import DatabaseSource

DEMO_DIR = Path(str(demo_city_dir()))
COMPOSITION = (
    "stream,share_pct,source,status\n"
    "food,55,Studi komposisi DLH 2023,illustrative\n"
    "paper,10,Studi komposisi DLH 2023,illustrative\n"
    "inert,35,Studi komposisi DLH 2023,illustrative\n"
)


@pytest.fixture
def city_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "city"
    shutil.copytree(DEMO_DIR, dest)
    return dest


def test_database_source_reads_the_ghg_inputs_as_the_folder(demo: str) -> None:
    tpa = Facility.objects.get(city_kode=demo, code="TPA-01")
    assert (tpa.year_built, tpa.tpa_site_class) == (2010, "controlled_landfill")
    # other facilities keep no class
    assert (
        not Facility.objects.filter(city_kode=demo)
        .exclude(code="TPA-01")
        .exclude(tpa_site_class="")
        .exists()
    )
    web, cli = DatabaseSource(demo).ghg(), FolderSource(None).ghg()
    pdt.assert_frame_equal(web.tpa, cli.tpa, check_dtype=False)
    assert web.composition is None and cli.composition is None


def test_a_city_composition_is_stored_and_used(empty_db: None, city_copy: Path) -> None:
    (city_copy / "waste_composition.csv").write_text(COMPOSITION, encoding="utf-8")
    result = load_city_folder(city_copy)
    # the four instrument files, the three document files (need_agency, pokja, swot), the
    # two budget files (budget, fiscal_history) and the composition
    assert result.counts["files"] == 10
    stored = CityFile.objects.get(city_kode="13.72", name="waste_composition.csv")
    assert stored.data == COMPOSITION.encode()
    web = results.plan_result("13.72")
    cli = plan_report(FolderSource(city_copy), PlanRequest())
    f = web["ghg_factors"].set_index("factor")
    assert (f.at["composition_food", "value"], f.at["composition_food", "status"]) == (
        55.0,
        "illustrative",
    )
    pdt.assert_frame_equal(web["ghg_landfill"], cli["ghg_landfill"], check_exact=False, rtol=1e-12)
    assert "waste_composition.csv" in web.tables["ghg_landfill"].note_en


def test_a_bad_composition_loads_nothing(empty_db: None, city_copy: Path) -> None:
    (city_copy / "waste_composition.csv").write_text(
        COMPOSITION.replace("inert,35", "inert,5"), encoding="utf-8"
    )
    with pytest.raises(InputErrors) as err:
        load_city_folder(city_copy)
    # 55 + 10 + 5 = 70 %
    assert [(p.code, p.file, p.value) for p in err.value.errors] == [
        ("SAN-E145", "waste_composition.csv", "70")
    ]
    assert not Plan.objects.exists() and not CityFile.objects.exists()


def test_dashboard_shows_the_ghg_panel(demo: str) -> None:
    client = Client()
    client.force_login(user("viewer"))
    page = client.get(f"/cities/{demo}/").content.decode()
    assert '<section id="ghg">' in page
    section = page[page.index('<section id="ghg">') :]
    section = section[: section.index("</section>")]
    assert "Emisi gas rumah kaca 2029 (t CO2e, GWP AR5)" in htmllib.unescape(section)
    plan = results.plan_result(demo)
    s = plan["ghg_summary"]
    total = s[(s["year"] == 2029) & (s["ghg_source"] == "total")].iloc[0]
    row = section[section.index('data-source="total"') :]
    row = row[: row.index("</tr>")]
    for col in ("bau_co2e_t", "plan_co2e_t", "avoided_co2e_t"):
        assert fmt_number(total[col], 0, "id") in row
    assert 'class="num behind"' in row  # the demo's plan adds emissions
    assert 'data-chart="ghg"' in section
    specs = re.search(
        r'<script id="chart-specs" type="application/json">(.*?)</script>', page, re.S
    )
    assert specs is not None
    spec = json.loads(specs.group(1))["specs"]["ghg"]
    assert spec["title"]["text"] == "Emisi GRK per sumber: BAU dan rencana"
