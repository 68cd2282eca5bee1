"""Helpers shared by the web tests: users, a second and a third city, extra activities."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from sanitasi.web.accounts.models import UserProfile
from sanitasi.web.geography.models import Region
from sanitasi.web.monitoring.models import Meeting, Realisation
from sanitasi.web.plans.models import Plan
from sanitasi.web.programme.models import Activity, ActivitySupport, Agency

DEMO = "13.72"


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def make_user(username: str, role: str, **scope: str) -> Any:
    u = get_user_model().objects.create_user(username, password="a-long-test-pass-42")
    UserProfile.objects.create(user=u, role=role, **scope)
    return u


def make_city(kode: str, nama: str) -> Activity:
    """A tiny city: regions, a plan, one agency, one activity with one realisation and a
    meeting. Returns the activity."""
    prov = Region.objects.create(
        city_kode=kode, kode=kode.split(".")[0], nama="Prov", tingkat="provinsi"
    )
    city = Region.objects.create(
        city_kode=kode, kode=kode, nama=nama, tingkat="kabkota", parent=prov
    )
    Plan.objects.create(city_kode=kode, base_year=2024, horizon=2045)
    dlh = Agency.objects.create(
        city_kode=kode, code="DLH", name_id="DLH", kode=kode, status="sourced"
    )
    act = Activity.objects.create(
        city_kode=kode,
        code="PS-01",
        sector="persampahan",
        activity="TPS3R",
        output_unit="unit",
        lead_agency=dlh,
        location=city,
        funding_source="APBD_KOTA",
        status="illustrative",
    )
    Realisation.objects.create(
        city_kode=kode, activity=act, year=2025, quarter=1, state="submitted"
    )
    Meeting.objects.create(
        city_kode=kode, code="MTG-01", date="2025-01-10", kind="pokja_meeting", status="sourced"
    )
    return act


def local_activity(code: str, location: str, lead: str, support: tuple[str, ...] = ()) -> Activity:
    """An activity of the demo city located at ``location`` with a draft realisation."""
    agencies = {a.code: a for a in Agency.objects.filter(city_kode=DEMO)}
    act = Activity.objects.create(
        city_kode=DEMO,
        code=code,
        sector="persampahan",
        activity=f"Test activity {code}",
        output_unit="unit",
        lead_agency=agencies[lead],
        location=Region.objects.get(city_kode=DEMO, kode=location),
        funding_source="APBD_KOTA",
        status="illustrative",
    )
    for i, s in enumerate(support):
        ActivitySupport.objects.create(city_kode=DEMO, activity=act, agency=agencies[s], position=i)
    Realisation.objects.create(city_kode=DEMO, activity=act, year=2025, quarter=1)
    return act
