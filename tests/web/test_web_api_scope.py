"""API: every endpoint x every role (allowed, 401, 403, 404), cities in and out of scope and
activity codes shared by two cities."""

from __future__ import annotations

import pytest
from apihelpers import GOOD, ROLES, SIGNED_IN, client_for, post_json, realisation_url
from webhelpers import DEMO, local_activity, make_city, make_user

from sanitasi.web import roles
from sanitasi.web.monitoring.models import Realisation

OTHER_PROVINCE = "14.71"  # Kota Pekanbaru (Riau): only admin sees it
SAME_PROVINCE = "13.71"  # Kota Padang (Sumatera Barat): admin and the fasilitator see it

# role -> status, per (method, url) of the demo city
ALL_200 = {r: 200 for r in SIGNED_IN} | {"anonymous": 401}
GET_MATRIX = {
    "/api/cities/": ALL_200,
    f"/api/cities/{DEMO}/indicators": ALL_200,
    f"/api/cities/{DEMO}/activities": ALL_200,
    realisation_url(DEMO, "PS-01"): ALL_200,  # located in the whole city
    realisation_url(DEMO, "PS-05"): ALL_200 | {"kecamatan-ls": 404},  # in Tanjung Harapan
    realisation_url(DEMO, "NOPE-99"): {r: 404 for r in SIGNED_IN} | {"anonymous": 401},
    "/api/cities/99.99/activities": {r: 404 for r in SIGNED_IN} | {"anonymous": 401},
}
DENY = {"koordinator": 403, "fasilitator": 403, "viewer": 403, "anonymous": 401}
POST_MATRIX = {
    # DLH leads PS-01 (whole city; the kecamatan office supports it but it is not located
    # in the kecamatan)
    "PS-01": DENY | {"admin": 201, "opd-dlh": 201, "opd-perkim": 403, "kecamatan-ls": 403},
    # PERKIM leads ALD-01
    "ALD-01": DENY | {"admin": 201, "opd-dlh": 403, "opd-perkim": 201, "kecamatan-ls": 403},
    # DLH leads PS-05, located in Tanjung Harapan: out of the Lubuk Sikarah office's view
    "PS-05": DENY | {"admin": 201, "opd-dlh": 201, "opd-perkim": 403, "kecamatan-ls": 404},
    # unknown activity
    "NOPE-99": {r: 404 for r in SIGNED_IN} | {"anonymous": 401},
}


def test_matrices_cover_every_role() -> None:
    for table in (*GET_MATRIX.values(), *POST_MATRIX.values()):
        assert set(table) == set(ROLES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", list(GET_MATRIX))
def test_get_endpoints_by_role(demo: str, url: str, role: str) -> None:
    response = client_for(role).get(url)
    assert response.status_code == GET_MATRIX[url][role], response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    if response.status_code != 200:
        assert isinstance(response.json()["detail"], str)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("code", list(POST_MATRIX))
def test_post_realisation_by_role(demo: str, code: str, role: str) -> None:
    before = Realisation.objects.count()
    response = post_json(client_for(role), realisation_url(DEMO, code), GOOD)
    expected = POST_MATRIX[code][role]
    assert response.status_code == expected, response.content
    assert Realisation.objects.count() == before + (expected == 201)
    if expected == 201:
        body = response.json()
        assert (body["activity"], body["year"], body["quarter"]) == (code, 2026, 4)
        assert (body["state"], body["version"], body["output"]) == ("draft", 1, 2.5)


def test_kecamatan_reports_on_activities_located_in_it(demo: str) -> None:
    local_activity("LS-01", "13.72.01.1001", "DLH", ("KEC_LS",))  # supported by KEC_LS
    local_activity("LS-02", "13.72.01.1001", "DLH")  # not supported by KEC_LS
    local_activity("TH-01", "13.72.02.1001", "DLH", ("KEC_LS",))  # another kecamatan
    kec = client_for("kecamatan-ls")
    assert post_json(kec, realisation_url(DEMO, "LS-01"), GOOD).status_code == 201
    assert post_json(kec, realisation_url(DEMO, "LS-02"), GOOD).status_code == 403
    assert post_json(kec, realisation_url(DEMO, "TH-01"), GOOD).status_code == 404
    codes = {a["code"]: a for a in kec.get(f"/api/cities/{DEMO}/activities").json()["items"]}
    assert codes["LS-01"]["can_report"] is True and codes["LS-02"]["can_report"] is False
    assert "TH-01" not in codes and "PS-05" not in codes and "PS-01" in codes


def test_activity_lists_are_scoped(demo: str) -> None:
    def codes(role: str) -> list[str]:
        response = client_for(role).get(f"/api/cities/{DEMO}/activities")
        return [a["code"] for a in response.json()["items"]]

    everything = codes("koordinator")
    assert len(everything) == 16 and everything == sorted(everything)
    for role in ("admin", "opd-dlh", "opd-perkim", "fasilitator", "viewer"):
        assert codes(role) == everything, role
    assert set(everything) - set(codes("kecamatan-ls")) == {"ALD-02", "ALD-03", "PS-05"}
    reportable = {
        role: {
            a["code"]
            for a in client_for(role).get(f"/api/cities/{DEMO}/activities").json()["items"]
            if a["can_report"]
        }
        for role in ("opd-dlh", "viewer", "koordinator", "admin")
    }
    assert reportable["viewer"] == reportable["koordinator"] == set()
    assert "PS-01" in reportable["opd-dlh"] and "ALD-01" not in reportable["opd-dlh"]
    assert reportable["admin"] == set(everything)


@pytest.fixture
def cities(demo: str) -> None:
    """Two more cities, each with an activity ``PS-01`` (the demo has one too)."""
    make_city(SAME_PROVINCE, "Kota Padang")
    make_city(OTHER_PROVINCE, "Kota Pekanbaru")


@pytest.mark.parametrize("role", ROLES)
def test_city_list_by_role(cities: None, role: str) -> None:
    response = client_for(role).get("/api/cities/")
    if role == "anonymous":
        assert response.status_code == 401
        return
    kodes = [c["kode"] for c in response.json()["items"]]
    expected = {
        "admin": [SAME_PROVINCE, DEMO, OTHER_PROVINCE],
        "fasilitator": [SAME_PROVINCE, DEMO],
    }.get(role, [DEMO])
    assert kodes == expected
    demo_city = next(c for c in response.json()["items"] if c["kode"] == DEMO)
    assert demo_city == {
        "kode": DEMO,
        "nama": "Kota Solok",
        "province_kode": "13",
        "base_year": 2024,
        "horizon": 2045,
        "period_start": demo_city["period_start"],
        "period_end": demo_city["period_end"],
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kode", [SAME_PROVINCE, OTHER_PROVINCE])
def test_other_cities_by_role(cities: None, kode: str, role: str) -> None:
    sees = role == "admin" or (role == "fasilitator" and kode == SAME_PROVINCE)
    client = client_for(role)
    get_status = 401 if role == "anonymous" else 200 if sees else 404
    for url in (f"/api/cities/{kode}/activities", realisation_url(kode, "PS-01")):
        assert client.get(url).status_code == get_status, url
    if not sees:
        assert client.get(f"/api/cities/{kode}/indicators").status_code == get_status
    post_status = 401 if role == "anonymous" else 201 if role == "admin" else 403 if sees else 404
    assert post_json(client, realisation_url(kode, "PS-01"), GOOD).status_code == post_status


def test_activity_codes_are_unique_per_city_only(cities: None) -> None:
    padang_dlh = make_user("opd-padang", roles.OPD, city_kode=SAME_PROVINCE, agency_code="DLH")
    padang = client_for("anonymous")
    padang.force_login(padang_dlh)
    solok = client_for("opd-dlh")

    # each city's PS-01 lists its own realisation only
    admin = client_for("admin")
    demo_rows = admin.get(realisation_url(DEMO, "PS-01")).json()["items"]
    padang_rows = admin.get(realisation_url(SAME_PROVINCE, "PS-01")).json()["items"]
    assert len(demo_rows) == 7 and len(padang_rows) == 1
    assert padang_rows[0]["state"] == "submitted"

    # Padang's DLH reports on Padang's PS-01, not Solok's; and vice versa
    assert post_json(padang, realisation_url(DEMO, "PS-01"), GOOD).status_code == 404
    created = post_json(padang, realisation_url(SAME_PROVINCE, "PS-01"), GOOD)
    assert created.status_code == 201
    assert post_json(solok, realisation_url(SAME_PROVINCE, "PS-01"), GOOD).status_code == 404
    assert post_json(solok, realisation_url(DEMO, "PS-01"), GOOD).status_code == 201
    row = Realisation.objects.get(pk=created.json()["id"])
    assert (row.city_kode, row.activity.city_kode) == (SAME_PROVINCE, SAME_PROVINCE)
    padang_now = padang.get(realisation_url(SAME_PROVINCE, "PS-01")).json()["items"]
    assert [r["id"] for r in padang_now] == [
        padang_rows[0]["id"],
        row.pk,
    ]
    assert len(admin.get(realisation_url(DEMO, "PS-01")).json()["items"]) == 8
    assert padang.get("/api/cities/").json()["items"][0]["kode"] == SAME_PROVINCE


def test_user_without_profile_sees_nothing(demo: str) -> None:
    from django.contrib.auth import get_user_model

    u = get_user_model().objects.create_user("noprofile", password="a-long-test-pass-42")
    client = client_for("anonymous")
    client.force_login(u)
    assert client.get("/api/cities/").json()["items"] == []
    assert client.get(f"/api/cities/{DEMO}/activities").status_code == 404
    assert post_json(client, realisation_url(DEMO, "PS-01"), GOOD).status_code == 404
