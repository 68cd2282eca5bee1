"""Every city page × every role, generically (NetBox style): the URL registry below must name
every route of the app, so a new view cannot escape these checks.

For each route and role: a GET and an empty POST on the demo city never answer 500; a
viewer's POST is refused (403/405) and changes nothing; anonymous users are sent to the login
page (except the public pages); every role gets 404 for a city of another province.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from webhelpers import DEMO, make_city, user

from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.evidence.models import Evidence
from sanitasi.web.monitoring.models import ActionItem, Realisation

ROLES = (
    "admin",
    "koordinator",
    "opd-dlh",
    "opd-perkim",
    "kecamatan-ls",
    "fasilitator",
    "viewer",
    "nasional",
)
#: Roles that see every city (a city of another province is no 404 for them).
EVERY_CITY = {"admin", "nasional"}
MEDAN = "12.71"  # another province: out of scope for every city role and the fasilitator

#: Routes outside the city pages (Django's own views, the API, admin) are tested elsewhere.
OUTSIDE = ("admin/", "api/", "accounts/", "i18n/", "healthz/")
PUBLIC = {"home", "public-home", "public-city"}
#: Pages above the city (province, nation) and the user's own inbox: not city pages.
REGION = {"province-page", "national-page"}
OWN = {"inbox", "inbox-read", "task-page", "task-status"}  # + one's own queued tasks


def _routes(patterns: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), p.name


def app_routes() -> dict[str, str]:
    return {
        name: route
        for route, name in _routes(get_resolver().url_patterns)
        if not route.startswith(OUTSIDE)
    }


def kwargs_for(name: str, kode: str) -> dict[str, Any]:
    """URL arguments of route ``name`` for a row of city ``kode``."""
    route = app_routes()[name]
    out: dict[str, Any] = {}
    if name == "province-page":
        return {"kode": kode.split(".")[0]}
    if "<str:kode>" in route:
        out["kode"] = kode
    if "<str:fmt>" in route:
        out["fmt"] = "html"
    if "<str:name>" in route:
        out["name"] = "persons_per_household"
    if "<str:region_kode>" in route:
        if name == "kecamatan-home":
            out["region_kode"] = f"{kode}.01" if kode == DEMO else kode
        else:
            out["region_kode"] = f"{kode}.01.1001" if kode == DEMO else kode
    if "<str:task_id>" in route:  # a task nobody queued: 404 for everyone
        out["task_id"] = "00000000-0000-4000-8000-000000000000"
    if "<str:scenario>" in route:  # no such scenario in the demo: 404 (edit) for everyone
        out["scenario"] = "hemat-biaya"
    if "<int:year>" in route:
        out["year"] = 2024
    if "<str:code>" in route:
        if name in ("action-new", "meeting-edit", "meeting-delete"):
            out["code"] = "MTG-01"
        elif name == "agency-tasks":
            out["code"] = "DLH" if kode == DEMO else "PS-01"
        else:
            out["code"] = "ALD-04" if kode == DEMO else "PS-01"
    if "<int:pk>" in route:
        if name in ("action-done", "action-edit", "action-delete"):
            row = ActionItem.objects.filter(city_kode=kode).order_by("pk").first()
        elif name in ("evidence-file", "evidence-delete"):
            row = Evidence.objects.filter(city_kode=kode).order_by("pk").first()
        else:
            row = Realisation.objects.filter(city_kode=kode).order_by("pk").first()
        out["pk"] = row.pk if row is not None else 999_999
    return out


@pytest.fixture
def medan(demo: str) -> str:
    make_city(MEDAN, "Kota Medan")
    return MEDAN


def client_for(username: str | None) -> Client:
    c = Client()
    if username:
        c.force_login(user(username))
    return c


def test_the_registry_names_every_route(demo: str) -> None:
    """Every named route of the app is a city page, a public page or the home page; a new
    route with another shape must be added to this test."""
    for name, route in app_routes().items():
        city_page = route.startswith("cities/<str:kode>/")
        assert name in PUBLIC | REGION | OWN or city_page, (name, route)
        kwargs_for(name, DEMO)  # every argument of the route is known here


@pytest.mark.parametrize("role", ROLES)
def test_no_view_fails_for_any_role(demo: str, role: str) -> None:
    """Every GET first, then every empty POST, the delete routes' last. The order matters
    for the cost, not for what is checked: an empty POST to a delete route
    (``action-delete``, ``meeting-delete``) deletes its row and writes an audit entry, which
    changes the city's data version, so a plan page after it computes the plan again; in
    this order every page reads the one plan of the loaded demo (cached for the session).
    Each GET sees the demo as loaded, rows included; each POST's URL arguments are looked
    up again, after the POSTs before it."""
    c = client_for(role)
    names = sorted(app_routes())
    for name in names:
        url = reverse(name, kwargs=kwargs_for(name, DEMO))
        response = c.get(url)
        got = response.status_code
        assert got < 500, (role, name, "GET", got)
        assert "default-src 'self'" in response["Content-Security-Policy"], (role, name)
    # the deletes last: the other POSTs then see the data version of the GETs too
    for name in sorted(names, key=lambda n: n.endswith("-delete")):
        if name in PUBLIC:
            continue
        url = reverse(name, kwargs=kwargs_for(name, DEMO))
        before = AuditEntry.objects.count()
        posted = c.post(url, {}).status_code
        assert posted < 500, (role, name, "POST", posted)
        if role in ("viewer", "nasional"):
            if name not in OWN:  # marking one's own reminders read is every user's
                assert posted in (403, 405), (name, posted)
            assert AuditEntry.objects.count() == before, name


def test_anonymous_is_sent_to_login(demo: str) -> None:
    c = client_for(None)
    for name in sorted(app_routes()):
        response = c.get(reverse(name, kwargs=kwargs_for(name, DEMO)))
        if name in PUBLIC:
            assert response.status_code in (200, 302, 404), name
            continue
        assert response.status_code in (302, 405), (name, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], name


@pytest.mark.parametrize("role", ROLES)
def test_another_province_is_404_for_every_view(medan: str, role: str) -> None:
    c = client_for(role)
    expected = {200} if role in EVERY_CITY else {404}
    for name in sorted(set(app_routes()) - PUBLIC - OWN - {"national-page"}):
        url = reverse(name, kwargs=kwargs_for(name, medan))
        got = c.get(url).status_code
        if role in EVERY_CITY:
            # admin sees every city; this tiny one has no baseline: its plan pages say so (503)
            assert got < 500 or got == 503, (name, got)
            continue
        assert got in expected | {405}, (role, name, got)
