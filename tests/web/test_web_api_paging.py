"""API paging (limit/offset) of the list endpoints: default and maximum page size, counts,
stable ordering, pages that neither overlap nor skip rows; the city realisation list (the
verify queue) with its filters, by role; the OpenAPI description of the new operations.

Demo figures used below: 16 activities (ALD-01..08, PS-01..08); ALD-01..PS-07 each with
realisation for 2025 Q1-Q4 and 2026 Q1-Q2 (verified) and 2026 Q3 (submitted), PS-08 (new in
2026) for 2026 Q1-Q2 (verified) and Q3 (submitted): 15 x 7 + 3 = 108 rows, 16 submitted.
The Lubuk Sikarah kecamatan office does not see ALD-02, ALD-03 and PS-05 (located in Tanjung
Harapan): 13 activities, 12 x 7 + 3 = 87 rows, 13 submitted.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from apihelpers import (
    ROLES,
    city_realisations_url,
    client_for,
    page,
    realisation_url,
)
from django.test import Client
from webhelpers import DEMO, make_city

from sanitasi.web.api.endpoints import DEFAULT_LIMIT, MAX_LIMIT
from sanitasi.web.monitoring.models import Realisation

ALD = [f"ALD-0{i}" for i in range(1, 9)]
PS = [f"PS-0{i}" for i in range(1, 9)]
CODES = ALD + PS
QUARTERS = [(2025, q) for q in (1, 2, 3, 4)] + [(2026, 1), (2026, 2), (2026, 3)]
#: PS-08 starts in 2026
QUARTERS_OF = {c: QUARTERS[4:] if c == "PS-08" else QUARTERS for c in CODES}
N_ROWS = 108
KEC_HIDDEN = {"ALD-02", "ALD-03", "PS-05"}


def test_documented_page_sizes() -> None:
    assert (DEFAULT_LIMIT, MAX_LIMIT) == (50, 200)


def _key(r: dict[str, Any]) -> tuple[str, int, int]:
    return (r["activity"], r["year"], r["quarter"])


# --------------------------------------------------------------------------- city realisation


def test_city_realisations_default_page(demo: str) -> None:
    body = page(client_for("koordinator").get(city_realisations_url(DEMO)))
    assert (body["count"], body["limit"], body["offset"]) == (108, 50, 0)
    assert len(body["items"]) == 50
    expected = [(c, y, q) for c in CODES for (y, q) in QUARTERS_OF[c]]  # activity, year, q
    assert [_key(r) for r in body["items"]] == expected[:50]
    last = page(client_for("koordinator").get(city_realisations_url(DEMO, "offset=100")))
    assert [_key(r) for r in last["items"]] == expected[100:]
    assert (last["count"], last["offset"], len(last["items"])) == (108, 100, 8)


@pytest.mark.parametrize("limit", [1, 7, 13, 50, 104])
def test_pages_neither_overlap_nor_skip(demo: str, limit: int) -> None:
    client = client_for("viewer")
    everything = page(client.get(city_realisations_url(DEMO, f"limit={MAX_LIMIT}")))
    assert everything["count"] == len(everything["items"]) == N_ROWS
    ids: list[int] = []
    offset = 0
    pages = 0
    while True:
        body = page(client.get(city_realisations_url(DEMO, f"limit={limit}&offset={offset}")))
        assert (body["count"], body["limit"], body["offset"]) == (N_ROWS, limit, offset)
        if not body["items"]:
            break
        assert len(body["items"]) == min(limit, N_ROWS - offset)
        ids += [r["id"] for r in body["items"]]
        offset += limit
        pages += 1
    assert pages == -(-N_ROWS // limit)  # ceil
    assert ids == [r["id"] for r in everything["items"]]
    assert len(set(ids)) == N_ROWS
    assert set(ids) == set(Realisation.objects.filter(city_kode=DEMO).values_list("pk", flat=True))


def test_ordering_is_stable_with_ties_broken_by_id(demo: str) -> None:
    """Rows added later sort into place (activity, year, quarter); the same request gives
    the same page twice."""
    client = client_for("admin")
    url = city_realisations_url(DEMO, "limit=10&offset=5")
    assert client.get(url).json() == client.get(url).json()
    ps01 = Realisation.objects.get(city_kode=DEMO, activity__code="PS-01", year=2026, quarter=3)
    Realisation.objects.create(
        city_kode=DEMO, activity=ps01.activity, year=2024, quarter=4, state="draft"
    )
    body = page(client.get(city_realisations_url(DEMO, "activity=PS-01")))
    assert [(r["year"], r["quarter"]) for r in body["items"]] == [(2024, 4), *QUARTERS]


@pytest.mark.parametrize(
    "query,count",
    [
        ("state=submitted", 16),
        ("state=verified", 92),
        ("state=draft", 0),
        ("year=2025", 60),
        ("year=2026&quarter=3", 16),
        ("quarter=1", 31),
        ("state=submitted&year=2026&quarter=3", 16),
        ("state=submitted&year=2025", 0),
        ("activity=PS-01", 7),
        ("activity=PS-01&state=verified", 6),
        ("activity=NOPE", 0),
    ],
)
def test_city_realisation_filters(demo: str, query: str, count: int) -> None:
    url = city_realisations_url(DEMO, f"{query}&limit={MAX_LIMIT}")
    body = page(client_for("koordinator").get(url))
    assert body["count"] == len(body["items"]) == count
    params = dict(p.split("=") for p in query.split("&"))
    for r in body["items"]:
        for k, v in params.items():
            assert str(r[k]) == v, (k, r)


def test_verify_queue(demo: str) -> None:
    """``?state=submitted``: the koordinator's queue, in the order of the realisation screen."""
    kor = client_for("koordinator")
    queue = page(kor.get(city_realisations_url(DEMO, "state=submitted&year=2026&quarter=3")))
    assert [r["activity"] for r in queue["items"]] == CODES
    assert {(r["state"], r["version"]) for r in queue["items"]} == {("submitted", 1)}
    screen = kor.get(f"/cities/{DEMO}/realisation/").context["to_verify"]
    assert [r["id"] for r in queue["items"]] == [r.pk for r in screen]
    two = page(kor.get(city_realisations_url(DEMO, "state=submitted&limit=2&offset=14")))
    assert [r["activity"] for r in two["items"]] == ["PS-07", "PS-08"]
    assert two["count"] == 16


@pytest.mark.parametrize(
    "query,field",
    [
        ("state=pending", "state"),
        ("year=abc", "year"),
        ("year=1999", "year"),
        ("quarter=5", "quarter"),
        ("quarter=0", "quarter"),
        ("limit=0", "limit"),
        (f"limit={MAX_LIMIT + 1}", "limit"),  # too large is refused, not cut silently
        ("limit=-5", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
    ],
)
def test_bad_list_parameters_are_422(demo: str, query: str, field: str) -> None:
    response = client_for("viewer").get(city_realisations_url(DEMO, query))
    assert response.status_code == 422, response.content
    assert set(response.json()["errors"]) == {field}


EXPECTED_ROWS = {role: N_ROWS for role in ROLES} | {"kecamatan-ls": 87}


@pytest.mark.parametrize("role", ROLES)
def test_city_realisations_by_role(demo: str, role: str) -> None:
    response = client_for(role).get(city_realisations_url(DEMO, f"limit={MAX_LIMIT}"))
    if role == "anonymous":
        assert response.status_code == 401
        return
    body = page(response)
    assert body["count"] == len(body["items"]) == EXPECTED_ROWS[role]
    seen = {r["activity"] for r in body["items"]}
    assert seen == (set(CODES) - KEC_HIDDEN if role == "kecamatan-ls" else set(CODES))
    submitted = page(client_for(role).get(city_realisations_url(DEMO, "state=submitted")))
    assert submitted["count"] == (13 if role == "kecamatan-ls" else 16)


@pytest.mark.parametrize("role", ROLES)
def test_other_cities_realisation_lists(demo: str, role: str) -> None:
    make_city("13.71", "Kota Padang")
    make_city("14.71", "Kota Pekanbaru")
    for kode in ("13.71", "14.71", "99.99"):
        sees = kode != "99.99" and (role == "admin" or (role == "fasilitator" and kode == "13.71"))
        response = client_for(role).get(city_realisations_url(kode))
        if role == "anonymous":
            assert response.status_code == 401
        elif sees:
            body = page(response)
            assert body["count"] == 1 and body["items"][0]["state"] == "submitted"
        else:
            assert response.status_code == 404, (kode, role)
    # a city's list holds its own rows only
    body = page(client_for("admin").get(city_realisations_url(DEMO, f"limit={MAX_LIMIT}")))
    assert body["count"] == N_ROWS


# --------------------------------------------------------------------------- other lists


def test_activities_pages(demo: str) -> None:
    client = client_for("opd-dlh")
    full = page(client.get(f"/api/cities/{DEMO}/activities"))
    assert (full["count"], full["limit"], full["offset"]) == (16, DEFAULT_LIMIT, 0)
    assert [a["code"] for a in full["items"]] == CODES
    pages = [
        page(client.get(f"/api/cities/{DEMO}/activities?limit=4&offset={o}"))
        for o in (0, 4, 8, 12, 16)
    ]
    assert [len(p["items"]) for p in pages] == [4, 4, 4, 4, 0]
    assert {p["count"] for p in pages} == {16}
    assert [a for p in pages for a in p["items"]] == full["items"]  # can_report kept per page
    assert {a["code"] for a in full["items"] if a["can_report"]} == {a.code for a in _led_by("DLH")}


def _led_by(agency: str) -> list[Any]:
    from sanitasi.web.programme.models import Activity

    return list(Activity.objects.filter(city_kode=DEMO, lead_agency__code=agency))


def test_activities_pages_for_the_kecamatan(demo: str) -> None:
    body = page(client_for("kecamatan-ls").get(f"/api/cities/{DEMO}/activities?limit=5"))
    assert body["count"] == 13 and len(body["items"]) == 5
    assert [a["code"] for a in body["items"]] == ["ALD-01", "ALD-04", "ALD-05", "ALD-06", "ALD-07"]


def test_activity_realisation_pages(demo: str) -> None:
    client = client_for("viewer")
    full = page(client.get(realisation_url(DEMO, "PS-01")))
    assert full["count"] == 7
    assert [(r["year"], r["quarter"]) for r in full["items"]] == QUARTERS
    tail = page(client.get(realisation_url(DEMO, "PS-01") + "?limit=3&offset=6"))
    assert [(r["year"], r["quarter"], r["state"]) for r in tail["items"]] == [
        (2026, 3, "submitted")
    ]
    assert tail["count"] == 7
    bad = client.get(realisation_url(DEMO, "PS-01") + f"?limit={MAX_LIMIT + 1}")
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"limit"}


def test_cities_pages(demo: str) -> None:
    make_city("13.71", "Kota Padang")
    make_city("14.71", "Kota Pekanbaru")
    admin = client_for("admin")
    full = page(admin.get("/api/cities/"))
    assert full["count"] == 3
    assert [c["kode"] for c in full["items"]] == ["13.71", DEMO, "14.71"]
    second = page(admin.get("/api/cities/?limit=1&offset=1"))
    assert (second["count"], [c["kode"] for c in second["items"]]) == (3, [DEMO])
    assert second["items"][0]["base_year"] == 2024  # the plan is looked up per page
    fasilitator = page(client_for("fasilitator").get("/api/cities/?limit=1&offset=1"))
    assert fasilitator["count"] == 2 and fasilitator["items"][0]["kode"] == DEMO
    assert admin.get("/api/cities/?offset=-1").status_code == 422


def test_list_endpoints_need_auth(demo: str) -> None:
    for url in (
        "/api/cities/",
        f"/api/cities/{DEMO}/activities",
        realisation_url(DEMO, "PS-01"),
        city_realisations_url(DEMO),
    ):
        assert Client().get(url).status_code == 401, url


# --------------------------------------------------------------------------- OpenAPI

NEW_OPERATIONS = {
    ("/api/cities/{kode}/realisations", "get"): {"200", "401", "404", "422"},
    ("/api/cities/{kode}/realisations/{pk}", "get"): {"200", "401", "404", "422"},
    ("/api/cities/{kode}/realisations/{pk}", "patch"): {"200", "401", "403", "404", "409", "422"},
    ("/api/cities/{kode}/realisations/{pk}/submit", "post"): {
        "200",
        "401",
        "403",
        "404",
        "409",
        "422",
    },
    ("/api/cities/{kode}/realisations/{pk}/verify", "post"): {
        "200",
        "401",
        "403",
        "404",
        "409",
        "422",
    },
    ("/api/cities/{kode}/realisations/{pk}/return", "post"): {
        "200",
        "401",
        "403",
        "404",
        "409",
        "422",
    },
}


def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(Client().get("/api/openapi.json").content)
    return spec


def test_every_operation_has_summary_tags_and_error_responses(demo: str) -> None:
    spec = _spec()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert op.get("summary"), (path, method)
            assert op.get("tags"), (path, method)
            assert "401" in op["responses"], (path, method)
    for (path, method), codes in NEW_OPERATIONS.items():
        op = spec["paths"][path][method]
        assert set(op["responses"]) == codes, (path, method)
        assert op["tags"] == ["monitoring"]


def test_openapi_describes_paging_and_bodies(demo: str) -> None:
    spec = _spec()
    schemas = spec["components"]["schemas"]
    for path in (
        "/api/cities/",
        "/api/cities/{kode}/activities",
        "/api/cities/{kode}/activities/{code}/realisations",
        "/api/cities/{kode}/realisations",
    ):
        op = spec["paths"][path]["get"]
        params = {p["name"]: p for p in op["parameters"]}
        assert params["limit"]["schema"]["default"] == DEFAULT_LIMIT
        assert params["limit"]["schema"]["maximum"] == MAX_LIMIT
        assert params["offset"]["schema"]["minimum"] == 0
        ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        paged = schemas[ref.rsplit("/", 1)[-1]]
        assert set(paged["required"]) == {"items", "count", "limit", "offset"}
    queue = {
        p["name"]: p for p in spec["paths"]["/api/cities/{kode}/realisations"]["get"]["parameters"]
    }
    assert queue["state"]["schema"]["anyOf"][0]["enum"] == ["draft", "submitted", "verified"]

    def body(path: str, method: str) -> dict[str, Any]:
        op = spec["paths"][path][method]
        ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        schema: dict[str, Any] = schemas[ref.rsplit("/", 1)[-1]]
        return schema

    patch = body("/api/cities/{kode}/realisations/{pk}", "patch")
    assert patch["required"] == ["version"] and patch["additionalProperties"] is False
    assert set(patch["properties"]) == {"version", "output", "cost", "progress", "note", "evidence"}
    assert patch["properties"]["output"]["type"] == "number"  # optional, not nullable
    # progress: optional, and null clears it (no default: left out = unchanged)
    progress = patch["properties"]["progress"]
    assert {a.get("type") for a in progress["anyOf"]} == {"number", "null"}
    number = next(a for a in progress["anyOf"] if a.get("type") == "number")
    assert "default" not in progress and (number["minimum"], number["maximum"]) == (0, 100)
    ret = body("/api/cities/{kode}/realisations/{pk}/return", "post")
    assert set(ret["required"]) == {"version", "comment"}
    assert body("/api/cities/{kode}/realisations/{pk}/verify", "post")["required"] == ["version"]
    conflict = spec["paths"]["/api/cities/{kode}/realisations/{pk}"]["patch"]["responses"]["409"]
    assert conflict["content"]["application/json"]["schema"]["$ref"].endswith("/Conflict")


@pytest.mark.parametrize(
    "query",
    ["offset=9223372036854775808", "offset=9223372036854775807", "offset=1000000001"],
)
def test_an_offset_out_of_bounds_is_refused_not_a_500(demo: str, query: str) -> None:
    """Issue 12 item 4: an offset of 2^63 or more was a 500 (database integer overflow)."""
    got = client_for("viewer").get(city_realisations_url(DEMO, query))
    assert got.status_code == 422
    assert "offset" in json.dumps(got.json())


def test_the_largest_offset_gives_an_empty_page(demo: str) -> None:
    body = page(client_for("viewer").get(city_realisations_url(DEMO, "offset=1000000000")))
    assert (body["count"], body["offset"], body["items"]) == (108, 1_000_000_000, [])


@pytest.mark.parametrize("pk", ["9223372036854775808", "99999999999999999999999"])
def test_a_huge_realisation_id_is_a_404(demo: str, pk: str) -> None:
    got = client_for("viewer").get(f"/api/cities/{DEMO}/realisations/{pk}")
    assert got.status_code == 404
