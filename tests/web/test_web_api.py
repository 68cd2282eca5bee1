"""API: indicator figures equal the CLI's, realisation input (422/409), drafts visible to the
koordinator and audited, token and session (CSRF) authentication, the OpenAPI description."""

from __future__ import annotations

import io
import json
import math
import re

import pytest
from apihelpers import GOOD, client_for, post_json, realisation_url
from django.core.management import call_command
from django.test import Client
from webhelpers import DEMO, user

from sanitasi.core.results import run_plan
from sanitasi.io.city import load_city
from sanitasi.reports.common import HEADLINE_INDICATORS
from sanitasi.web.api.models import ApiToken
from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.monitoring.models import Realisation

# --------------------------------------------------------------------------- indicators


#: A script, style or link loaded from another site (a CDN): the app must work offline.
OFF_SITE = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def _indicators(role: str = "viewer") -> dict:
    response = client_for(role).get(f"/api/cities/{DEMO}/indicators")
    assert response.status_code == 200
    return response.json()


def test_indicators_equal_the_cli_run_plan(demo: str) -> None:
    inputs, options = load_city(None)
    cli = run_plan(inputs, options)
    headline = cli.tables["headline"].df
    headline = headline[headline["kode"] == DEMO]
    trajectory = cli.tables["trajectory"].df
    trajectory = trajectory[trajectory["kode"] == DEMO]
    body = _indicators()
    assert (body["city_kode"], body["base_year"], body["horizon"]) == (DEMO, 2024, 2045)
    assert (body["period_start"], body["period_end"]) == options.period
    assert body["target_sets"] == list(cli.target_sets)
    got = [i["indicator"] for i in body["indicators"]]
    assert got == [i for i in HEADLINE_INDICATORS if i in set(headline["indicator"])]
    assert len(got) == 6
    checked = 0
    for ind in body["indicators"]:
        rows = headline[headline["indicator"] == ind["indicator"]].set_index("year")
        traj = trajectory[trajectory["indicator"] == ind["indicator"]].set_index("year")
        assert [p["year"] for p in ind["years"]] == sorted(rows.index)
        assert ind["unit"] == rows["unit"].iloc[0]
        for p in ind["years"]:
            cli_row = rows.loc[p["year"]]
            pairs = [
                (p["baseline_pct"], cli_row["baseline_pct"]),
                (p["projection_pct"], cli_row["bau_pct"]),
                (p["trajectory_pct"], traj.loc[p["year"], "value_pct"]),
                (p["trajectory_pct"], cli_row["trajectory_pct"]),
                (p["gap_pts"], cli_row["gap_pts"]),
                (p["gap_units"], cli_row["gap_units"]),
            ]
            for api_value, cli_value in pairs:
                if cli_value != cli_value:  # NaN in the engine is null in JSON
                    assert api_value is None
                else:
                    assert isinstance(api_value, float)
                    assert api_value == pytest.approx(float(cli_value), rel=1e-12, abs=1e-12)
                    checked += 1
            assert p["binding_set"] == traj.loc[p["year"], "binding_set"]
    assert checked > 500


def test_indicators_known_demo_figures(demo: str) -> None:
    layak = next(i for i in _indicators()["indicators"] if i["indicator"] == "pct_layak")
    by_year = {p["year"]: p for p in layak["years"]}
    assert by_year[2024]["baseline_pct"] == pytest.approx(81.3013, abs=1e-4)
    assert by_year[2029]["trajectory_pct"] == pytest.approx(90.0)
    # BAU puts new households on layak_sendiri: (16,331 + H(2029) - 20,087) / H(2029) = 82.75 %
    assert by_year[2029]["projection_pct"] == pytest.approx(82.7525, abs=1e-4)
    assert by_year[2029]["gap_pts"] == pytest.approx(90 - 82.7525, abs=1e-4)
    assert by_year[2029]["achieved_pts"] == 0.0
    assert by_year[2030]["trajectory_pct"] == pytest.approx(100.0)  # percentages 0-100
    assert by_year[2029]["binding_set"] == "LOCAL"
    assert layak["unit"] == "households"


def test_indicators_are_the_same_for_every_role_that_sees_the_city(demo: str) -> None:
    figures = _indicators("viewer")["indicators"]
    for role in ("admin", "koordinator", "opd-dlh", "kecamatan-ls", "fasilitator"):
        assert _indicators(role)["indicators"] == figures, role


def test_indicator_labels_follow_the_language(demo: str) -> None:
    client = client_for("viewer")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    en = client.get(f"/api/cities/{DEMO}/indicators").json()["indicators"]
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    id_ = client.get(f"/api/cities/{DEMO}/indicators").json()["indicators"]
    assert [i["indicator"] for i in en] == [i["indicator"] for i in id_]
    assert [i["label"] for i in en] != [i["label"] for i in id_]


# --------------------------------------------------------------------------- realisation input


@pytest.mark.parametrize(
    "change,fields",
    [
        ({"quarter": 5}, {"quarter"}),
        ({"quarter": 0}, {"quarter"}),
        ({"output": -1}, {"output"}),
        ({"cost": -0.5}, {"cost"}),
        ({"output": "banyak"}, {"output"}),
        ({"output": "3"}, {"output"}),  # numbers as numbers
        ({"quarter": "2"}, {"quarter"}),
        ({"quarter": 2.5}, {"quarter"}),
        ({"output": True}, {"output"}),
        ({"year": "2026"}, {"year"}),
        ({"year": 1990}, {"year"}),
        ({"year": 2050}, {"year"}),  # after the plan's horizon
        ({"note": 12}, {"note"}),
        ({"colour": "red"}, {"colour"}),
        ({"quarter": 7, "output": -3, "cost": "x"}, {"quarter", "output", "cost"}),
    ],
)
def test_bad_input_is_422_with_field_errors(demo: str, change: dict, fields: set[str]) -> None:
    before = Realisation.objects.count()
    response = post_json(client_for("opd-dlh"), realisation_url(DEMO, "PS-01"), GOOD | change)
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body["errors"]) == fields
    assert all(isinstance(m, str) and m for msgs in body["errors"].values() for m in msgs)
    assert Realisation.objects.count() == before


@pytest.mark.parametrize("missing", ["year", "quarter", "output", "cost"])
def test_required_fields(demo: str, missing: str) -> None:
    data = {k: v for k, v in GOOD.items() if k != missing}
    response = post_json(client_for("opd-dlh"), realisation_url(DEMO, "PS-01"), data)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {missing}


@pytest.mark.parametrize("raw", ["NaN", "Infinity"])
def test_non_finite_numbers_are_refused(demo: str, raw: str) -> None:
    body = json.dumps(GOOD).replace('"output": 2.5', f'"output": {raw}')
    response = post_json(client_for("opd-dlh"), realisation_url(DEMO, "PS-01"), body)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"output"}


def test_not_json_is_refused(demo: str) -> None:
    before = Realisation.objects.count()
    response = post_json(client_for("opd-dlh"), realisation_url(DEMO, "PS-01"), "year=2026")
    assert response.status_code in (400, 422)
    assert Realisation.objects.count() == before


def test_duplicate_quarter_is_409(demo: str) -> None:
    client = client_for("opd-dlh")
    # the demo already has verified realisation for 2025 Q1
    response = post_json(
        client, realisation_url(DEMO, "PS-01"), GOOD | {"year": 2025, "quarter": 1}
    )
    assert response.status_code == 409
    assert response.json()["current"]["state"] == "verified"
    assert "2025" in response.json()["detail"]
    first = post_json(client, realisation_url(DEMO, "PS-01"), GOOD)
    assert first.status_code == 201
    again = post_json(client, realisation_url(DEMO, "PS-01"), GOOD | {"output": 9})
    assert again.status_code == 409
    assert again.json()["current"]["id"] == first.json()["id"]
    assert again.json()["current"]["output"] == 2.5  # nothing overwritten
    assert Realisation.objects.get(pk=first.json()["id"]).output_achieved == 2.5


def test_forbidden_post_says_why(demo: str) -> None:
    response = post_json(client_for("koordinator"), realisation_url(DEMO, "PS-01"), GOOD)
    assert response.status_code == 403
    assert "report" in response.json()["detail"]


# --------------------------------------------------------------------------- draft + audit


def test_post_creates_an_audited_draft_visible_to_the_koordinator(demo: str) -> None:
    response = post_json(client_for("opd-dlh"), realisation_url(DEMO, "PS-01"), GOOD)
    assert response.status_code == 201
    created = response.json()
    assert created["state"] == "draft" and created["version"] == 1
    assert (created["output"], created["cost"], created["note"]) == (2.5, 1500000.0, "via API")
    assert created["submitted_by"] is None and created["submitted_at"] is None
    assert isinstance(created["cost"], float) and isinstance(created["quarter"], int)

    rows = client_for("koordinator").get(realisation_url(DEMO, "PS-01")).json()["items"]
    mine = [r for r in rows if r["id"] == created["id"]]
    assert mine == [created]
    assert [(r["year"], r["quarter"]) for r in rows] == sorted(
        (r["year"], r["quarter"]) for r in rows
    )

    entry = AuditEntry.objects.get(model="monitoring.realisation", object_pk=str(created["id"]))
    assert (entry.action, entry.username, entry.user, entry.city_kode) == (
        "create",
        "opd-dlh",
        user("opd-dlh"),
        DEMO,
    )
    assert entry.before is None
    assert entry.after is not None
    assert (entry.after["output_achieved"], entry.after["cost_spent_idr"]) == (2.5, 1500000.0)
    assert (entry.after["year"], entry.after["quarter"], entry.after["state"]) == (2026, 4, "draft")
    # the agency sees its own entry in the audit scope; the viewer none
    assert AuditEntry.objects.restrict(user("opd-dlh")).filter(pk=entry.pk).exists()
    assert not AuditEntry.objects.restrict(user("viewer")).filter(pk=entry.pk).exists()


# --------------------------------------------------------------------------- authentication


def _issue(username: str) -> str:
    out = io.StringIO()
    call_command("api_token", username, stdout=out)
    return out.getvalue().strip()


def test_token_auth(demo: str) -> None:
    token = _issue("opd-dlh")
    assert token.startswith("sst_") and len(token) > 40
    stored = ApiToken.objects.get(user=user("opd-dlh"))
    assert token not in (stored.key_hash, stored.prefix) and token.startswith(stored.prefix)
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert [c["kode"] for c in client.get("/api/cities/", **auth).json()["items"]] == [DEMO]
    # no CSRF token needed with a bearer token, even when Django enforces CSRF
    strict = Client(enforce_csrf_checks=True)
    response = post_json(strict, realisation_url(DEMO, "PS-01"), GOOD, **auth)
    assert response.status_code == 201, response.content
    entry = AuditEntry.objects.get(object_pk=str(response.json()["id"]), action="create")
    assert entry.username == "opd-dlh"
    # scope is the token owner's
    assert post_json(client, realisation_url(DEMO, "ALD-01"), GOOD, **auth).status_code == 403
    ApiToken.objects.filter(pk=stored.pk).update(last_used_at=None)
    client.get("/api/cities/", **auth)
    assert ApiToken.objects.get(pk=stored.pk).last_used_at is not None


@pytest.mark.parametrize(
    "header", ["Bearer sst_not-a-real-token", "Bearer ", "Token abc", "Basic b3BkOmRlbW8="]
)
def test_bad_tokens_are_401(demo: str, header: str) -> None:
    _issue("opd-dlh")
    response = Client().get("/api/cities/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_reissue_revoke_and_inactive_users(demo: str) -> None:
    first = _issue("viewer")
    second = _issue("viewer")
    assert first != second
    client = Client()
    assert client.get("/api/cities/", HTTP_AUTHORIZATION=f"Bearer {first}").status_code == 401
    assert client.get("/api/cities/", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200
    viewer = user("viewer")
    viewer.is_active = False
    viewer.save()
    assert client.get("/api/cities/", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 401
    viewer.is_active = True
    viewer.save()
    out = io.StringIO()
    call_command("api_token", "viewer", "--revoke", stdout=out)
    assert "revoked" in out.getvalue()
    assert client.get("/api/cities/", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 401
    assert not ApiToken.objects.filter(user=viewer).exists()


def test_api_token_command_errors(demo: str) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("api_token", "nobody", stdout=io.StringIO())


def test_api_token_via_management_command(demo: str) -> None:
    # call_command, not the `python -m sanitasi.web.manage` entry: the entry closes the
    # database connection on exit, which ends the test transaction on PostgreSQL.
    from django.core.management import call_command

    out = io.StringIO()
    call_command("api_token", "fasilitator", stdout=out)
    token = out.getvalue().strip()
    assert Client().get("/api/cities/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_session_auth_needs_csrf_for_unsafe_methods(demo: str) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {"username": "opd-dlh", "password": "demo", "csrfmiddlewaretoken": csrf},
    )
    assert response.status_code == 302  # logged in with the demo password
    assert client.get("/api/cities/").status_code == 200  # safe: no CSRF token needed
    url = realisation_url(DEMO, "PS-01")
    refused = post_json(client, url, GOOD)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    csrf = client.cookies["csrftoken"].value
    accepted = post_json(client, url, GOOD, HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201, accepted.content


def test_anonymous_post_is_401_not_a_csrf_error(demo: str) -> None:
    response = post_json(Client(enforce_csrf_checks=True), realisation_url(DEMO, "PS-01"), GOOD)
    assert response.status_code == 401


# --------------------------------------------------------------------------- OpenAPI

PATHS = {
    "/api/cities/": {"get"},
    "/api/cities/{kode}/indicators": {"get"},
    "/api/cities/{kode}/activities": {"get"},
    "/api/cities/{kode}/activities/{code}/realisations": {"get", "post"},
    "/api/cities/{kode}/realisations": {"get"},
    "/api/cities/{kode}/realisations/{pk}": {"get", "patch"},
    "/api/cities/{kode}/realisations/{pk}/submit": {"post"},
    "/api/cities/{kode}/realisations/{pk}/verify": {"post"},
    "/api/cities/{kode}/realisations/{pk}/return": {"post"},
}


def test_openapi_description(demo: str) -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    spec = json.loads(response.content)
    assert spec["openapi"].startswith("3.")
    assert {p: set(ops) for p, ops in spec["paths"].items()} == PATHS
    post = spec["paths"]["/api/cities/{kode}/activities/{code}/realisations"]["post"]
    assert {"201", "401", "403", "404", "409", "422"} <= set(post["responses"])
    schemes = spec["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    body = post["requestBody"]["content"]["application/json"]["schema"]
    ref = body["$ref"].rsplit("/", 1)[-1]
    assert set(spec["components"]["schemas"][ref]["required"]) == {
        "year",
        "quarter",
        "output",
        "cost",
    }


def test_openapi_description_is_valid(demo: str) -> None:
    """Validated with ``openapi-spec-validator`` when it is installed (not a dependency)."""
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(Client().get("/api/openapi.json").json())


def test_json_numbers_are_finite(demo: str) -> None:
    body = _indicators()
    for ind in body["indicators"]:
        for p in ind["years"]:
            for k, v in p.items():
                assert v is None or isinstance(v, (int, float, str)), k
                if isinstance(v, float):
                    assert math.isfinite(v)


def test_api_docs_need_no_cdn(demo: str) -> None:
    html = Client().get("/api/docs").content.decode()
    assert "/api/openapi.json" in html
    assert "swagger-ui-bundle.js" in html and not OFF_SITE.search(html)
