"""A city folder's scenario files in the web (issue 13 item 4): ``sanitasi load`` stores each
``scenarios/<name>.toml`` as a Scenario row named by the file stem, validated by the
scenario-file rules (a bad file: nothing saved); a reload does not duplicate them; the ZIP
export writes them back."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanitasi.io.errors import InputErrors
from sanitasi.io.reference import demo_city_dir
from sanitasi.io.scenarios import scenario_toml
from sanitasi.web import loader
from sanitasi.web.geography.models import Region
from sanitasi.web.loader import LoadError, load_city_folder
from sanitasi.web.plans.export import city_folder_files
from sanitasi.web.plans.models import CityFile
from sanitasi.web.scenarios.models import Scenario

DEMO_DIR = Path(str(demo_city_dir()))
#: The demo's scenario file, as the row it gives (hand-copied from the TOML file).
DEMO_ROW = {
    "name": "nasional_sedot_mahal",
    "title": "Target nasional saja, sedot tinja 50% lebih mahal (ilustratif)",
    "title_en": "National targets only, desludging 50% dearer (illustrative)",
    "description": "Contoh ilustratif: tanpa target LOCAL; biaya satu kali sedot tinja x 1,5.",
    "target_sets": [
        "JAKSTRANAS_2025",
        "RPJMN_2020_2024",
        "RPJMN_2025_2029",
        "SDG_2030",
        "VISI_2045",
    ],
    "parameters": {},
    "unit_cost_factors": {"desludging_true_cost_payakumbuh": 1.5},
    "budget": "",
}
FIELDS = list(DEMO_ROW)


@pytest.fixture
def city_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "city"
    shutil.copytree(DEMO_DIR, dest)
    return dest


def rows(kode: str = "13.72") -> list[dict[str, object]]:
    return list(Scenario.objects.filter(city_kode=kode).order_by("name").values(*FIELDS))


def test_the_demo_scenario_is_a_stored_row(demo: str) -> None:
    assert rows(demo) == [DEMO_ROW]


def test_a_second_file_with_a_budget_is_loaded_and_its_budget_stored(
    empty_db: None, city_copy: Path
) -> None:
    (city_copy / "budget_low.csv").write_text(
        "year,source,cap_idr\n2026,APBD_KOTA,1000000000\n", encoding="utf-8"
    )
    (city_copy / "scenarios" / "hemat-2.toml").write_text(
        'budget = "budget_low.csv"\n\n[parameters]\nvolume_per_desludging_m3 = 2.5\n'
        'spald_t_plant_sizing = "modular"\n',
        encoding="utf-8",
    )
    result = load_city_folder(city_copy)
    assert result.counts["scenarios"] == 2
    got = rows()
    assert got[1] == DEMO_ROW
    assert got[0] == {
        "name": "hemat-2",
        "title": "",
        "title_en": "",
        "description": "",
        "target_sets": [],
        "parameters": {"volume_per_desludging_m3": "2.5", "spald_t_plant_sizing": "modular"},
        "unit_cost_factors": {},
        "budget": "budget_low.csv",
    }
    low = CityFile.objects.get(city_kode="13.72", name="budget_low.csv")
    assert low.content == "year,source,cap_idr\n2026,APBD_KOTA,1000000000\n"


@pytest.mark.parametrize(
    ("name", "text", "code", "column", "value"),
    [
        ("bad.toml", "[parameters]\nno_such_parameter = 1\n", "SAN-E018",
         "parameters.no_such_parameter", "no_such_parameter"),
        ("bad.toml", "[unit_cost_factors]\ndesludging_true_cost_payakumbuh = 0\n", "SAN-E199",
         "unit_cost_factors.desludging_true_cost_payakumbuh", "0"),
        ("bad.toml", 'target_sets = ["NOPE"]\n', "SAN-E017", "target_sets", "NOPE"),
        ("bad.toml", "title = \n", "SAN-E197", None, None),
        ("bad.toml", 'budget = "budget_none.csv"\n', "SAN-E001", "budget", "budget_none.csv"),
        ("sedot mahal.toml", "", "SAN-E206", None, "sedot mahal"),
    ],
)  # fmt: skip
def test_a_bad_scenario_file_is_refused_and_nothing_is_saved(
    empty_db: None,
    city_copy: Path,
    name: str,
    text: str,
    code: str,
    column: str | None,
    value: str | None,
) -> None:
    (city_copy / "scenarios" / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        load_city_folder(city_copy)
    (p,) = info.value.errors
    assert (p.code, p.file, p.column, p.value) == (code, f"scenarios/{name}", column, value)
    assert not Scenario.objects.exists()
    assert not Region.objects.exists() and not CityFile.objects.exists()


def test_a_bad_budget_named_by_a_scenario_is_refused(empty_db: None, city_copy: Path) -> None:
    (city_copy / "budget_low.csv").write_text(
        "year,source,cap_idr\n2026,NO_SUCH_SOURCE,1000\n", encoding="utf-8"
    )
    (city_copy / "scenarios" / "low.toml").write_text('budget = "budget_low.csv"\n', "utf-8")
    # the fiscal history is not a budget: checked as one, it lacks cap_idr
    (city_copy / "scenarios" / "hist.toml").write_text('budget = "fiscal_history.csv"\n', "utf-8")
    with pytest.raises(InputErrors) as info:
        load_city_folder(city_copy)
    found = {(p.code, p.file, p.value) for p in info.value.errors}
    assert ("SAN-E002", "fiscal_history.csv", None) in {(c, f, None) for c, f, _v in found}
    assert {f for _c, f, _v in found} == {"budget_low.csv", "fiscal_history.csv"}
    assert "NO_SUCH_SOURCE" in {v for _c, _f, v in found}
    assert not Scenario.objects.exists() and not CityFile.objects.exists()


def test_reloading_the_folder_does_not_duplicate_the_scenarios(demo: str, city_copy: Path) -> None:
    load_city_folder(city_copy, on_exists="replace")
    load_city_folder(city_copy, on_exists="replace")
    assert rows(demo) == [DEMO_ROW]
    # a file removed from the folder is gone after the reload: the folder is the city
    (city_copy / "scenarios" / "nasional_sedot_mahal.toml").unlink()
    result = load_city_folder(city_copy, on_exists="replace")
    assert result.counts["scenarios"] == 0 and rows(demo) == []


def test_replace_refuses_to_drop_a_scenario_entered_on_the_web(demo: str, city_copy: Path) -> None:
    from django.test import Client
    from webhelpers import user

    c = Client()
    c.force_login(user("koordinator"))
    response = c.post(
        f"/cities/{demo}/scenarios/",
        {"name": "dari-web", "param_name": ["truck_availability"], "param_value": ["0,8"]},
    )
    assert response.status_code == 302
    assert loader.web_entries_since_load(demo) == {"scenarios": 1}
    with pytest.raises(LoadError, match="would delete 1 scenarios entered on the web"):
        load_city_folder(city_copy, on_exists="replace")
    assert Scenario.objects.filter(city_kode=demo, name="dari-web").exists()
    load_city_folder(city_copy, on_exists="replace", force=True)
    assert rows(demo) == [DEMO_ROW]


def test_the_export_writes_each_scenario_as_its_file(demo: str) -> None:
    Scenario.objects.create(
        city_kode=demo,
        name="dari-web",
        title='Judul "dikutip"',
        parameters={"spald_t_plant_sizing": "modular", "truck_availability": "0.8"},
    )
    files = city_folder_files(demo)
    assert files["scenarios/dari-web.toml"].decode() == (
        'title = "Judul \\"dikutip\\""\n'
        "\n"
        "[parameters]\n"
        'spald_t_plant_sizing = "modular"\n'
        "truck_availability = 0.8\n"
    )
    demo_file = tomllib.loads(files["scenarios/nasional_sedot_mahal.toml"].decode())
    assert demo_file == {k: v for k, v in DEMO_ROW.items() if k != "name" and v}


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
VALUE = st.one_of(TEXT, st.floats(allow_nan=False, allow_infinity=False))


@given(
    title=TEXT,
    sets=st.lists(TEXT, max_size=3),
    params=st.dictionaries(TEXT.filter(bool), VALUE, max_size=4),
)
def test_scenario_toml_reads_back_to_its_data(
    title: str, sets: list[str], params: dict[str, object]
) -> None:
    data = {"title": title, "target_sets": sets, "parameters": params}
    assert tomllib.loads(scenario_toml(data)) == data


@pytest.mark.slow  # the comparison computes the demo scenario's plan: the only way to see it
def test_the_page_shows_the_demo_scenario_labels_and_an_invalid_one_as_not_computed(
    demo: str,
) -> None:
    """The demo's loaded scenario is on the page and in the comparison; a stored scenario
    the data no longer allow (a target set gone) keeps its column, not computed, with the
    reason; parameter overrides show label and unit, in Indonesian and in English."""
    from django.test import Client
    from webhelpers import user

    Scenario.objects.create(
        city_kode=demo,
        name="set-hilang",
        title="Set yang sudah dihapus",
        title_en="A removed set",
        target_sets=["GONE_SET"],
        parameters={"truck_availability": "0.8"},
    )
    c = Client()
    c.force_login(user("koordinator"))
    url = f"/cities/{demo}/scenarios/"
    html = c.get(url).content.decode()
    assert 'id="scenario-nasional_sedot_mahal"' in html
    assert "Ketersediaan armada truk (pecahan 0–1) = 0,8" in html
    assert "truck_availability =" not in html
    assert '<option value="truck_availability">Ketersediaan armada truk (pecahan 0–1)</option>' in (
        html
    )
    reason = "tidak dihitung: data saat ini membuat skenario ini tidak sah (SAN-E017: "
    assert f"Set yang sudah dihapus: tidak ada angka \u2014 {reason}" in html  # tables' notes
    assert 'id="not-computed-set-hilang"' in html and "GONE_SET" in html
    cmp_keys = [h for t in c.get(url).context["tables"][1:2] for h, _num in t.head]
    assert "Set yang sudah dihapus" in cmp_keys  # its column stays, empty
    assert "Target nasional saja, sedot tinja 50% lebih mahal (ilustratif)" in cmp_keys
    c.post("/i18n/setlang/", {"language": "en", "next": url})
    html = c.get(url).content.decode()
    assert "Truck availability (fraction 0–1) = 0.8" in html
    assert "A removed set: no figures \u2014 not computed: the current data make this" in html
    edit = c.get(f"{url}set-hilang/edit/").content.decode()
    assert '<span class="hint param-label">Truck availability (fraction 0–1)</span>' in edit
