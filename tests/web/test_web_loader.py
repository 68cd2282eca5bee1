"""Loading a city folder: validated as in the CLI, all-or-nothing, demo accounts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from sanitasi.io.errors import InputErrors
from sanitasi.io.reference import demo_city_dir
from sanitasi.web import loader
from sanitasi.web.accounts.demo import DEMO_USERS
from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.geography.models import Region
from sanitasi.web.loader import LoadError, load_city_folder
from sanitasi.web.models import is_demo_database
from sanitasi.web.monitoring.models import ActionItem, Meeting, Realisation
from sanitasi.web.plans.models import Observation, Plan, TargetPoint, TargetSet
from sanitasi.web.programme.models import Activity, Agency, PlannedYear

DEMO_DIR = Path(str(demo_city_dir()))
CITY_MODELS = (
    Region,
    Observation,
    Plan,
    TargetPoint,
    TargetSet,
    Agency,
    Activity,
    PlannedYear,
    Realisation,
    Meeting,
    ActionItem,
)


@pytest.fixture
def city_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "city"
    shutil.copytree(DEMO_DIR, dest)
    return dest


def assert_empty() -> None:
    for model in CITY_MODELS:
        assert not model.objects.exists(), model
    assert not get_user_model().objects.exists()
    assert not is_demo_database()


def test_demo_is_loaded_with_its_accounts(demo: str) -> None:
    assert Region.objects.get(city_kode=demo, kode=demo).nama == "Kota Solok"
    assert Activity.objects.filter(city_kode=demo).count() == 16
    assert Realisation.objects.filter(city_kode=demo).count() == 108
    assert is_demo_database()
    names = set(get_user_model().objects.values_list("username", flat=True))
    assert {d.username for d in DEMO_USERS} <= names
    assert {d.username for d in DEMO_USERS} == {
        "admin",
        "koordinator",
        "opd-dlh",
        "opd-perkim",
        "kecamatan-ls",
        "fasilitator",
        "viewer",
        "nasional",
    }
    kec = get_user_model().objects.get(username="kecamatan-ls").profile
    assert (kec.role, kec.kecamatan_kode, kec.agency_code) == ("kecamatan", "13.72.01", "KEC_LS")
    assert get_user_model().objects.get(username="fasilitator").profile.province_kode == "13"
    assert AuditEntry.objects.filter(action="load", city_kode=demo).exists()


def test_broken_folder_leaves_the_database_empty(empty_db: None, city_copy: Path) -> None:
    prog = city_copy / "programme.csv"
    prog.write_text(
        prog.read_text(encoding="utf-8").replace(",PERKIM,", ",NO_SUCH_AGENCY,", 1),
        encoding="utf-8",
    )
    obs = city_copy / "observations.csv"
    obs.write_text(
        obs.read_text(encoding="utf-8") + "13.72,20x4,households,5,households,x,sourced,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as info:
        load_city_folder(city_copy)
    files = {p.file for p in info.value.errors}
    assert any("programme.csv" in f for f in files) and any("observations.csv" in f for f in files)
    assert_empty()


def test_failure_while_writing_rolls_everything_back(
    empty_db: None, city_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader, "_write_programme", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        load_city_folder(None, demo=True)
    assert_empty()


def test_city_folder_loads_without_demo_accounts(empty_db: None, city_copy: Path) -> None:
    result = load_city_folder(city_copy)
    assert result.city_kode == "13.72" and result.counts["activities"] == 16
    assert not result.demo_users
    assert not get_user_model().objects.exists()
    assert not is_demo_database()


def test_already_loaded_city_error_replace_skip(demo: str, city_copy: Path) -> None:
    with pytest.raises(LoadError, match="already loaded"):
        load_city_folder(city_copy)
    Realisation.objects.filter(city_kode=demo).delete()
    kept = load_city_folder(city_copy, on_exists="skip")
    assert kept.skipped and not Realisation.objects.filter(city_kode=demo).exists()
    load_city_folder(city_copy, on_exists="replace")
    assert Realisation.objects.filter(city_kode=demo).count() == 108
    assert Plan.objects.filter(city_kode=demo).count() == 1


def test_demo_refused_into_a_database_with_real_data(empty_db: None, city_copy: Path) -> None:
    load_city_folder(city_copy)
    with pytest.raises(LoadError, match="real data"):
        load_city_folder(None, demo=True)
    assert not is_demo_database()
    assert not get_user_model().objects.exists()


def test_folder_without_programme_files(empty_db: None, city_copy: Path) -> None:
    for name in (
        "programme.csv",
        "agencies.csv",
        "realisation.csv",
        "meetings.csv",
        "action_items.csv",
    ):
        (city_copy / name).unlink()
    result = load_city_folder(city_copy)
    assert "activities" not in result.counts
    assert not Activity.objects.exists()


def test_load_command(empty_db: None, city_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_city", "--demo")
    out = capsys.readouterr().out
    assert "Kota Solok (13.72) loaded" in out and "kecamatan-ls" in out and "password: demo" in out
    call_command("load_city", "--demo", "--skip-existing")
    assert "already loaded" in capsys.readouterr().out
    bad = city_copy / "regions.csv"
    bad.write_text("nothing,here\n1,2\n", encoding="utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as info:
        call_command("load_city", "--city-dir", str(city_copy), "--replace")
    assert info.value.returncode == 2
    assert "SAN-E" in capsys.readouterr().err


def test_replace_keeps_uploaded_boundaries(demo: str, city_copy: Path) -> None:
    """A city folder has no boundaries: reloading it keeps those uploaded in the web."""
    ring = [[100.6, -0.8], [100.7, -0.8], [100.7, -0.7], [100.6, -0.8]]
    square = {"type": "Polygon", "coordinates": [ring]}
    Region.objects.filter(city_kode=demo, kode="13.72.01.1001").update(
        boundary=square, boundary_source="test survey", boundary_status="sourced"
    )
    result = load_city_folder(city_copy, on_exists="replace")
    assert result.counts["boundaries_kept"] == 1
    r = Region.objects.get(city_kode=demo, kode="13.72.01.1001")
    assert (r.boundary, r.boundary_source, r.boundary_status) == (square, "test survey", "sourced")
    assert Region.objects.filter(city_kode=demo, boundary__isnull=False).count() == 1


def test_replace_refuses_to_drop_rows_entered_on_the_web(demo: str, city_copy: Path) -> None:
    """Issue 12 item 6: ``load --replace`` names what it would delete and refuses without
    ``--force`` (exit 2, nothing written)."""
    from django.core.management.base import CommandError

    act = Activity.objects.get(city_kode=demo, code="ALD-04")
    web_row = Realisation.objects.create(
        city_kode=demo, activity=act, year=2027, quarter=1, state="draft"
    )
    Meeting.objects.create(
        city_kode=demo, code="MTG-WEB", date="2027-01-10", kind="pokja_meeting", status="sourced"
    )
    assert loader.web_entries_since_load(demo) == {"realisation": 1, "meetings": 1}
    with pytest.raises(LoadError, match="would delete 1 realisation, 1 meetings entered on"):
        load_city_folder(city_copy, on_exists="replace")
    assert Realisation.objects.filter(pk=web_row.pk).exists()
    with pytest.raises(CommandError, match="--force") as refused:
        call_command("load_city", "--city-dir", str(city_copy), "--replace", "--no-migrate")
    assert refused.value.returncode == 2
    assert Realisation.objects.filter(pk=web_row.pk).exists()
    assert Meeting.objects.filter(city_kode=demo, code="MTG-WEB").exists()
    load_city_folder(city_copy, on_exists="replace", force=True)
    assert not Realisation.objects.filter(city_kode=demo, year=2027, quarter=1).exists()
    assert Realisation.objects.filter(city_kode=demo).count() == 108  # with PS-08
    assert loader.web_entries_since_load(demo) == {}  # counted from the new load
