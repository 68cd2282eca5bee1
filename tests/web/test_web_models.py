"""Models: unique constraints carry the city kode; choices agree with the core."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from webhelpers import DEMO, make_city

from sanitasi.core.programme import MEETING_KINDS
from sanitasi.web.audit.log import record, snapshot
from sanitasi.web.geography.models import Region
from sanitasi.web.monitoring.models import KIND_CHOICES, Realisation
from sanitasi.web.plans.models import Observation, ParameterOverride, Plan
from sanitasi.web.programme.models import Activity, Agency


def duplicate_fails(obj: object) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()  # type: ignore[attr-defined]


def test_unique_within_a_city_not_across(demo: str) -> None:
    act = make_city("13.71", "Kota Padang")  # same activity code PS-01, same agency code DLH
    assert Activity.objects.filter(code="PS-01").count() == 2
    assert Agency.objects.filter(code="DLH").count() == 2
    demo_act = Activity.objects.get(city_kode=DEMO, code="PS-01")
    dup = Activity.objects.get(pk=demo_act.pk)
    dup.pk = None
    duplicate_fails(dup)
    duplicate_fails(Agency(city_kode=DEMO, code="DLH", name_id="x", status="sourced"))
    duplicate_fails(Region(city_kode=DEMO, kode="13.72.01", nama="x", tingkat="kecamatan"))
    obs = Observation.objects.filter(city_kode=DEMO).first()
    assert obs is not None
    obs.pk = None
    duplicate_fails(obs)
    real = Realisation.objects.filter(activity=demo_act).first()
    assert real is not None
    real.pk = None
    duplicate_fails(real)
    duplicate_fails(Plan(city_kode=DEMO, code="SSK-2", base_year=2024, horizon=2045))  # 2nd active
    Plan.objects.create(
        city_kode=DEMO, code="SSK-old", base_year=2019, horizon=2024, is_active=False
    )
    assert act.city_kode == "13.71"


def test_realisation_quarter_check(demo: str) -> None:
    act = Activity.objects.get(city_kode=DEMO, code="PS-01")
    duplicate_fails(Realisation(city_kode=DEMO, activity=act, year=2030, quarter=5))


def test_meeting_kinds_match_the_core() -> None:
    assert tuple(k for k, _ in KIND_CHOICES) == MEETING_KINDS


def test_parameter_override_value(demo: str) -> None:
    plan = Plan.objects.get(city_kode=DEMO)
    o = ParameterOverride(city_kode=DEMO, plan=plan, name="persons_per_household")
    o.value = 3.7
    assert (o.value_num, o.value_text, o.value) == (3.7, "", 3.7)
    o.value = "layak_sendiri"
    assert (o.value_num, o.value) == (None, "layak_sendiri")


def test_record_and_snapshot(demo: str) -> None:
    region = Region.objects.get(city_kode=DEMO, kode=DEMO)
    snap = snapshot(region)
    assert snap["kode"] == DEMO and snap["parent_id"] is not None
    assert record(None, region, snap, snap) is None  # nothing changed: no entry
    entry = record(None, region, snap, {**snap, "nama": "Solok"})
    assert entry is not None and entry.action == "update" and entry.city_kode == DEMO
    assert entry.changed_fields() == {"nama": ("Kota Solok", "Solok")}
    assert entry.username == "" and entry.user is None


def test_database_backend_follows_database_url(db: None) -> None:
    import os

    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


def test_migrations_are_committed(db: None) -> None:
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits 1 if missing
