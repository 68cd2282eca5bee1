"""API realisation workflow: GET/PATCH one row, submit, verify, return — every endpoint x
every role (allowed, 401, 403, 404), other cities' rows, stale versions (409, nothing
changed), steps the state does not allow (409), bad bodies (422), session (CSRF) and bearer
token authentication, audit entries, and the full cycle through the API with the dashboard
counting the row only once verified."""

from __future__ import annotations

import io
from typing import Any

import pytest
from apihelpers import (
    GOOD,
    ROLES,
    SIGNED_IN,
    city_realisations_url,
    client_for,
    page,
    patch_json,
    post_json,
    realisation_url,
    row_url,
)
from django.core.management import call_command
from django.test import Client
from webhelpers import DEMO, local_activity, make_city, user

from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.monitoring import workflow
from sanitasi.web.monitoring.models import Realisation
from sanitasi.web.programme.models import Activity

SAME_PROVINCE = "13.71"  # Kota Padang: admin and the fasilitator see it
OTHER_PROVINCE = "14.71"  # Kota Pekanbaru: only admin sees it

STEPS = ("edit", "submit", "verify", "return")
#: The state a row must be in for the step, and the state after it.
BEFORE = {"edit": "draft", "submit": "draft", "verify": "submitted", "return": "submitted"}
AFTER = {"edit": "draft", "submit": "submitted", "verify": "verified", "return": "draft"}
#: The audit action the workflow writes for each step.
AUDIT_ACTION = {"edit": "update", "submit": "submit", "verify": "verify", "return": "return"}


# --------------------------------------------------------------------------- helpers


def make_row(code: str = "PS-01", state: str = "draft", year: int = 2026, quarter: int = 4) -> Any:
    """A realisation of the demo activity ``code`` in ``state``, made through the workflow
    (admin): output 2.5, Rp 1,500,000, note "start"."""
    act = Activity.objects.get(city_kode=DEMO, code=code)
    admin = user("admin")
    r = workflow.create(
        admin, act, year, quarter, output_achieved=2.5, cost_spent_idr=1_500_000, note="start"
    )
    if state in ("submitted", "verified"):
        workflow.submit(admin, r, r.version)
    if state == "verified":
        workflow.verify(admin, r, r.version)
    r.refresh_from_db()
    return r


def call(client: Client, step: str, kode: str, pk: int, body: Any, **extra: Any) -> Any:
    if step == "edit":
        return patch_json(client, row_url(kode, pk), body, **extra)
    return post_json(client, row_url(kode, pk, step), body, **extra)


def body_for(step: str, version: int) -> dict[str, Any]:
    if step == "edit":
        return {"version": version, "output": 4.0, "note": "edited"}
    if step == "return":
        return {"version": version, "comment": "Lampirkan foto TPS3R."}
    return {"version": version}


def entries(r: Realisation) -> list[AuditEntry]:
    """The row's audit entries, oldest first."""
    return list(
        AuditEntry.objects.filter(model="monitoring.realisation", object_pk=str(r.pk)).order_by(
            "when", "id"
        )
    )


def stored(r: Realisation) -> tuple[Any, ...]:
    """What a refused request must leave alone."""
    row = Realisation.objects.get(pk=r.pk)
    return (
        row.state,
        row.version,
        row.output_achieved,
        row.cost_spent_idr,
        row.note,
        row.return_comment,
        row.submitted_by_id,
        row.verified_by_id,
    )


# --------------------------------------------------------------------------- role matrices

DENIED = {r: 403 for r in SIGNED_IN} | {"anonymous": 401}
#: role -> status of edit/submit on a draft, per activity. PS-01: DLH leads, located in the
#: whole city (KEC_LS supports it, but it is not located in Lubuk Sikarah). LS-01: DLH leads,
#: located in Lubuk Sikarah, KEC_LS supports. PS-05: DLH leads, located in Tanjung Harapan
#: (the Lubuk Sikarah office does not even see it).
REPORT_MATRIX = {
    "PS-01": DENIED | {"admin": 200, "opd-dlh": 200},
    "LS-01": DENIED | {"admin": 200, "opd-dlh": 200, "kecamatan-ls": 200},
    "PS-05": DENIED | {"admin": 200, "opd-dlh": 200, "kecamatan-ls": 404},
}
#: role -> status of verify/return on a submitted row.
VERIFY_MATRIX = {
    "PS-01": DENIED | {"admin": 200, "koordinator": 200},
    "LS-01": DENIED | {"admin": 200, "koordinator": 200},
    "PS-05": DENIED | {"admin": 200, "koordinator": 200, "kecamatan-ls": 404},
}
GET_MATRIX = {
    "PS-01": {r: 200 for r in SIGNED_IN} | {"anonymous": 401},
    "LS-01": {r: 200 for r in SIGNED_IN} | {"anonymous": 401},
    "PS-05": {r: 200 for r in SIGNED_IN} | {"anonymous": 401, "kecamatan-ls": 404},
}


def test_matrices_cover_every_role() -> None:
    for matrix in (REPORT_MATRIX, VERIFY_MATRIX, GET_MATRIX):
        assert set(matrix) == {"PS-01", "LS-01", "PS-05"}
        for table in matrix.values():
            assert set(table) == set(ROLES)


def _row_for(code: str, state: str) -> Realisation:
    if code == "LS-01":
        local_activity("LS-01", "13.72.01.1001", "DLH", ("KEC_LS",))
    return make_row(code, state)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("code", list(GET_MATRIX))
def test_get_one_realisation_by_role(demo: str, code: str, role: str) -> None:
    r = _row_for(code, "submitted")
    response = client_for(role).get(row_url(DEMO, r.pk))
    assert response.status_code == GET_MATRIX[code][role], response.content
    body = response.json()
    if response.status_code != 200:
        assert isinstance(body["detail"], str) and body["detail"]
        return
    assert (body["id"], body["activity"], body["year"], body["quarter"]) == (r.pk, code, 2026, 4)
    assert (body["state"], body["version"], body["output"], body["cost"]) == (
        "submitted",
        2,
        2.5,
        1_500_000.0,
    )
    assert (body["note"], body["return_comment"]) == ("start", "")
    assert body["submitted_by"] == "admin" and body["submitted_at"] is not None
    assert body["verified_by"] is None and body["verified_at"] is None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("code", list(REPORT_MATRIX))
@pytest.mark.parametrize("step", STEPS)
def test_steps_by_role(demo: str, step: str, code: str, role: str) -> None:
    matrix = REPORT_MATRIX if step in ("edit", "submit") else VERIFY_MATRIX
    expected = matrix[code][role]
    r = _row_for(code, BEFORE[step])
    before, audit_before = stored(r), entries(r)
    response = call(client_for(role), step, DEMO, r.pk, body_for(step, r.version))
    assert response.status_code == expected, response.content
    body = response.json()
    if expected != 200:
        assert isinstance(body["detail"], str) and body["detail"]
        assert stored(r) == before  # nothing changed
        assert entries(r) == audit_before  # nothing recorded
        return
    assert (body["id"], body["state"], body["version"]) == (r.pk, AFTER[step], r.version + 1)
    row = Realisation.objects.get(pk=r.pk)
    assert (row.state, row.version) == (AFTER[step], r.version + 1)
    if step == "edit":
        assert (body["output"], body["cost"], body["note"]) == (4.0, 1_500_000.0, "edited")
        assert (row.output_achieved, row.cost_spent_idr, row.note) == (4.0, 1_500_000.0, "edited")
    elif step == "submit":
        assert body["submitted_by"] == role and body["submitted_at"] is not None
        assert row.submitted_by == user(role)
    elif step == "verify":
        assert body["verified_by"] == role and body["verified_at"] is not None
        assert row.verified_by == user(role)
    else:
        assert body["return_comment"] == row.return_comment == "Lampirkan foto TPS3R."
    new = entries(r)[len(audit_before) :]
    assert [(e.action, e.username, e.city_kode) for e in new] == [(AUDIT_ACTION[step], role, DEMO)]
    assert new[0].before["state"] == BEFORE[step] and new[0].after["state"] == AFTER[step]
    assert new[0].after["version"] == r.version + 1
    if step == "edit":
        assert (new[0].before["output_achieved"], new[0].after["output_achieved"]) == (2.5, 4.0)
    # the answer is the row as a later GET shows it
    assert client_for("admin").get(row_url(DEMO, r.pk)).json() == body


# --------------------------------------------------------------------------- other cities


@pytest.fixture
def cities(demo: str) -> dict[str, int]:
    """Padang (same province) and Pekanbaru (another province), each with a submitted
    realisation of its PS-01; returns their ids."""
    make_city(SAME_PROVINCE, "Kota Padang")
    make_city(OTHER_PROVINCE, "Kota Pekanbaru")
    return {
        kode: Realisation.objects.get(city_kode=kode, activity__code="PS-01").pk
        for kode in (SAME_PROVINCE, OTHER_PROVINCE)
    }


@pytest.mark.parametrize("role", ROLES)
def test_other_cities_rows_by_role(cities: dict[str, int], role: str) -> None:
    client = client_for(role)
    for kode, pk in cities.items():
        sees = role == "admin" or (role == "fasilitator" and kode == SAME_PROVINCE)
        unseen = 401 if role == "anonymous" else 404
        before = Realisation.objects.get(pk=pk).version
        assert client.get(row_url(kode, pk)).status_code == (200 if sees else unseen)
        for step in STEPS:
            body = body_for(step, before)
            if step in ("edit", "submit"):
                status = call(client, step, kode, pk, body).status_code
                # submitted: admin may edit/submit but the state refuses (409); others
                # that see it may not (403)
                assert status == (409 if role == "admin" else 403 if sees else unseen), step
        status = call(client, "verify", kode, pk, body_for("verify", before)).status_code
        assert status == (200 if role == "admin" else 403 if sees else unseen), kode
        verified = Realisation.objects.get(pk=pk)
        assert verified.state == ("verified" if role == "admin" else "submitted")


def test_a_row_is_found_only_under_its_own_city(cities: dict[str, int]) -> None:
    admin = client_for("admin")
    solok = make_row()
    padang = cities[SAME_PROVINCE]
    for kode, pk in ((DEMO, padang), (SAME_PROVINCE, solok.pk), (OTHER_PROVINCE, padang)):
        assert admin.get(row_url(kode, pk)).status_code == 404
        for step in STEPS:
            response = call(admin, step, kode, pk, body_for(step, 2))
            assert response.status_code == 404, (kode, pk, step)
            assert response.json()["detail"] == "No such realisation."
    assert admin.get(row_url(DEMO, 999_999)).status_code == 404
    assert admin.get(row_url("99.99", solok.pk)).json()["detail"] == "No such city."
    assert Realisation.objects.get(pk=padang).state == "submitted"
    assert stored(solok)[:2] == ("draft", 1)


# --------------------------------------------------------------------------- 409: stale


def test_stale_version_is_409_with_the_stored_row_and_changes_nothing(demo: str) -> None:
    r = make_row()
    opd, admin, kor = client_for("opd-dlh"), client_for("admin"), client_for("koordinator")
    # both read version 1; the admin saves first
    first = patch_json(admin, row_url(DEMO, r.pk), {"version": 1, "output": 3, "cost": 2e6})
    assert first.status_code == 200 and first.json()["version"] == 2
    audit = entries(r)
    late = patch_json(opd, row_url(DEMO, r.pk), {"version": 1, "output": 9, "note": "mine"})
    assert late.status_code == 409
    body = late.json()
    assert "version 2" in body["detail"]
    current = body["current"]
    assert (current["id"], current["version"], current["state"]) == (r.pk, 2, "draft")
    assert (current["output"], current["cost"], current["note"]) == (3.0, 2_000_000.0, "start")
    assert stored(r)[:5] == ("draft", 2, 3.0, 2_000_000.0, "start")
    assert entries(r) == audit
    # a stale submit, verify or return changes nothing either
    assert post_json(opd, row_url(DEMO, r.pk, "submit"), {"version": 1}).status_code == 409
    assert stored(r)[:2] == ("draft", 2)
    assert post_json(opd, row_url(DEMO, r.pk, "submit"), {"version": 2}).status_code == 200
    for step, data in (("verify", {"version": 2}), ("return", {"version": 2, "comment": "x"})):
        response = post_json(kor, row_url(DEMO, r.pk, step), data)
        assert response.status_code == 409, step
        assert response.json()["current"]["version"] == 3
        assert response.json()["current"]["state"] == "submitted"
    assert stored(r)[:2] == ("submitted", 3)
    assert [e.action for e in entries(r)] == ["create", "update", "submit"]


def test_a_deleted_row_is_not_found(demo: str) -> None:
    r = make_row()
    assert client_for("admin").get(row_url(DEMO, r.pk)).status_code == 200
    Realisation.objects.filter(pk=r.pk).delete()
    response = patch_json(client_for("admin"), row_url(DEMO, r.pk), {"version": 1, "note": "x"})
    assert response.status_code == 404
    assert not Realisation.objects.filter(pk=r.pk).exists()


# --------------------------------------------------------------------------- 409: state


@pytest.mark.parametrize(
    "state,step,who",
    [
        ("submitted", "edit", "opd-dlh"),
        ("submitted", "submit", "opd-dlh"),
        ("draft", "verify", "koordinator"),
        ("draft", "return", "koordinator"),
        ("verified", "edit", "opd-dlh"),
        ("verified", "submit", "opd-dlh"),
        ("verified", "verify", "koordinator"),
        ("verified", "return", "koordinator"),
        ("verified", "edit", "admin"),
    ],
)
def test_step_not_allowed_in_the_state_is_409(demo: str, state: str, step: str, who: str) -> None:
    r = make_row(state=state)
    before, audit = stored(r), entries(r)
    response = call(client_for(who), step, DEMO, r.pk, body_for(step, r.version))
    assert response.status_code == 409, response.content
    body = response.json()
    assert state in body["detail"]  # the message names the row's state
    assert (body["current"]["id"], body["current"]["state"]) == (r.pk, state)
    assert body["current"]["version"] == r.version
    assert stored(r) == before and entries(r) == audit


def test_permission_comes_before_state(demo: str) -> None:
    """A step the caller may never take is a 403 whatever the row's state."""
    draft, submitted = make_row(), make_row(state="submitted", year=2027, quarter=1)
    assert call(client_for("opd-dlh"), "verify", DEMO, draft.pk, {"version": 1}).status_code == 403
    kor = client_for("koordinator")
    assert call(kor, "edit", DEMO, submitted.pk, body_for("edit", 2)).status_code == 403
    assert call(kor, "submit", DEMO, draft.pk, {"version": 1}).status_code == 403
    perkim = client_for("opd-perkim")
    assert call(perkim, "return", DEMO, submitted.pk, body_for("return", 2)).status_code == 403


def test_demo_verified_rows_are_not_editable(demo: str) -> None:
    r = Realisation.objects.get(city_kode=DEMO, activity__code="PS-01", year=2025, quarter=4)
    response = patch_json(client_for("opd-dlh"), row_url(DEMO, r.pk), {"version": 1, "cost": 1})
    assert response.status_code == 409
    assert response.json()["current"]["cost"] == 290_000_000.0
    assert Realisation.objects.get(pk=r.pk).cost_spent_idr == 290_000_000.0


# --------------------------------------------------------------------------- 422: bodies


@pytest.mark.parametrize(
    "data,fields",
    [
        ({}, {"version"}),
        ({"output": 3}, {"version"}),
        ({"version": 1}, {"__all__"}),  # nothing to change
        ({"version": 1, "output": None}, {"output"}),
        ({"version": 1, "evidence": None}, {"evidence"}),
        ({"version": 1, "output": "3"}, {"output"}),
        ({"version": 1, "output": -1}, {"output"}),
        ({"version": 1, "cost": True}, {"cost"}),
        ({"version": 1, "cost": -0.01}, {"cost"}),
        ({"version": "1", "output": 3}, {"version"}),
        ({"version": 0, "output": 3}, {"version"}),
        ({"version": 1, "state": "verified"}, {"state"}),  # the state moves by steps only
        ({"version": 1, "year": 2030, "output": 1}, {"year"}),  # year/quarter are fixed
        ({"version": 1, "note": 12}, {"note"}),
        ({"version": 1, "note": "x" * 4001}, {"note"}),
        ({"version": 1, "output": -1, "cost": "x", "colour": 1}, {"output", "cost", "colour"}),
    ],
)
def test_bad_patch_is_422_and_changes_nothing(demo: str, data: dict, fields: set[str]) -> None:
    r = make_row()
    before, audit = stored(r), entries(r)
    response = patch_json(client_for("opd-dlh"), row_url(DEMO, r.pk), data)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert set(errors) == fields
    assert all(isinstance(m, str) and m for ms in errors.values() for m in ms)
    assert stored(r) == before and entries(r) == audit


@pytest.mark.parametrize("raw", ['{"version": 1, "output": NaN}', "version=1", "[1, 2]"])
def test_not_json_or_not_finite_is_refused(demo: str, raw: str) -> None:
    r = make_row()
    before = stored(r)
    response = patch_json(client_for("opd-dlh"), row_url(DEMO, r.pk), raw)
    assert response.status_code in (400, 422)
    assert stored(r) == before


@pytest.mark.parametrize(
    "step,data,fields",
    [
        ("submit", {}, {"version"}),
        ("submit", {"version": 1, "comment": "x"}, {"comment"}),  # submit takes no comment
        ("verify", {"version": "2"}, {"version"}),
        ("verify", {"version": None}, {"version"}),
        ("return", {"version": 2}, {"comment"}),  # a return needs a comment
        ("return", {"version": 2, "comment": ""}, {"comment"}),
        ("return", {"version": 2, "comment": "   \n"}, {"comment"}),
        ("return", {"version": 2, "comment": 5}, {"comment"}),
        ("return", {"comment": "ok"}, {"version"}),
    ],
)
def test_bad_step_bodies_are_422(demo: str, step: str, data: dict, fields: set[str]) -> None:
    r = make_row(state="draft" if step == "submit" else "submitted")
    who = "opd-dlh" if step == "submit" else "koordinator"
    before, audit = stored(r), entries(r)
    response = post_json(client_for(who), row_url(DEMO, r.pk, step), data)
    assert response.status_code == 422, response.content
    assert set(response.json()["errors"]) == fields
    assert stored(r) == before and entries(r) == audit


def test_return_without_comment_names_the_rule(demo: str) -> None:
    r = make_row(state="submitted")
    response = post_json(
        client_for("koordinator"), row_url(DEMO, r.pk, "return"), {"version": 2, "comment": " "}
    )
    assert response.status_code == 422
    assert response.json()["errors"]["comment"] == [
        "Value error, Say what to fix: a returned realisation needs a comment."
    ]
    assert stored(r)[0] == "submitted"


# --------------------------------------------------------------------------- authentication


def _login(username: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {"username": username, "password": "demo", "csrfmiddlewaretoken": csrf},
    )
    assert response.status_code == 302
    return client


def test_session_auth_needs_csrf_on_every_step(demo: str) -> None:
    r = make_row()
    opd = _login("opd-dlh")
    assert opd.get(row_url(DEMO, r.pk)).status_code == 200  # safe method: no token needed
    refused = patch_json(opd, row_url(DEMO, r.pk), {"version": 1, "output": 5})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert post_json(opd, row_url(DEMO, r.pk, "submit"), {"version": 1}).status_code == 403
    assert stored(r)[:3] == ("draft", 1, 2.5)
    csrf = {"HTTP_X_CSRFTOKEN": opd.cookies["csrftoken"].value}
    edited = patch_json(opd, row_url(DEMO, r.pk), {"version": 1, "output": 5}, **csrf)
    assert edited.status_code == 200 and edited.json()["version"] == 2
    submitted = post_json(opd, row_url(DEMO, r.pk, "submit"), {"version": 2}, **csrf)
    assert submitted.status_code == 200
    kor = _login("koordinator")
    for step, data in (("verify", {"version": 3}), ("return", {"version": 3, "comment": "x"})):
        refused = post_json(kor, row_url(DEMO, r.pk, step), data)
        assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    kor_csrf = {"HTTP_X_CSRFTOKEN": kor.cookies["csrftoken"].value}
    verified = post_json(kor, row_url(DEMO, r.pk, "verify"), {"version": 3}, **kor_csrf)
    assert verified.status_code == 200 and verified.json()["verified_by"] == "koordinator"
    assert [e.username for e in entries(r)] == ["admin", "opd-dlh", "opd-dlh", "koordinator"]


def _token(username: str) -> dict[str, str]:
    out = io.StringIO()
    call_command("api_token", username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().strip()}"}


def test_bearer_token_needs_no_csrf_and_acts_as_its_owner(demo: str) -> None:
    r = make_row()
    strict = Client(enforce_csrf_checks=True)  # a token is never sent by a browser by itself
    opd, kor = _token("opd-dlh"), _token("koordinator")
    assert (
        patch_json(strict, row_url(DEMO, r.pk), {"version": 1, "note": "t"}, **opd).status_code
        == 200
    )
    assert (
        post_json(strict, row_url(DEMO, r.pk, "submit"), {"version": 2}, **opd).status_code == 200
    )
    # the token's owner's scope: the agency may not verify
    assert (
        post_json(strict, row_url(DEMO, r.pk, "verify"), {"version": 3}, **opd).status_code == 403
    )
    data = {"version": 3, "comment": "Tambahkan bukti."}
    returned = post_json(strict, row_url(DEMO, r.pk, "return"), data, **kor)
    assert returned.status_code == 200 and returned.json()["return_comment"] == "Tambahkan bukti."
    assert [(e.action, e.username) for e in entries(r)] == [
        ("create", "admin"),
        ("update", "opd-dlh"),
        ("submit", "opd-dlh"),
        ("return", "koordinator"),
    ]
    bad = {"HTTP_AUTHORIZATION": "Bearer sst_nope"}
    assert (
        post_json(strict, row_url(DEMO, r.pk, "submit"), {"version": 4}, **bad).status_code == 401
    )
    assert strict.get(row_url(DEMO, r.pk), **bad).status_code == 401


def test_anonymous_is_401_not_a_csrf_error(demo: str) -> None:
    r = make_row()
    strict = Client(enforce_csrf_checks=True)
    for step in STEPS:
        response = call(strict, step, DEMO, r.pk, body_for(step, 1))
        assert response.status_code == 401, step
    assert stored(r)[:2] == ("draft", 1)


# --------------------------------------------------------------------------- the full cycle


def _spent(client: Client, year: int, quarter: int) -> Any:
    """The dashboard's "spent to date" (verified realisation only)."""
    response = client.get(f"/cities/{DEMO}/?year={year}&quarter={quarter}")
    assert response.status_code == 200
    return response.context["monitoring"]["spent_to_date"]


def test_full_cycle_through_the_api(demo: str) -> None:
    """create -> edit -> submit -> return -> edit -> submit -> verify, states and versions
    asserted at each step; the dashboard counts the row only once verified."""
    opd, kor, viewer = client_for("opd-dlh"), client_for("koordinator"), client_for("viewer")
    spent_before = _spent(viewer, 2026, 4)
    spent_q3 = _spent(viewer, 2026, 3)
    queue = city_realisations_url(DEMO, "state=submitted")
    queue_before = page(kor.get(queue))["count"]
    assert queue_before == 16  # the demo's 2026 Q3 rows

    def check(response: Any, state: str, version: int) -> dict[str, Any]:
        assert response.status_code in (200, 201), response.content
        body: dict[str, Any] = response.json()
        assert (body["state"], body["version"]) == (state, version)
        assert opd.get(row_url(DEMO, body["id"])).json() == body  # GET shows the same row
        return body

    # 1. create: a draft, version 1
    row = check(post_json(opd, realisation_url(DEMO, "PS-01"), GOOD), "draft", 1)
    pk, url = row["id"], row_url(DEMO, row["id"])
    assert (row["output"], row["cost"], row["submitted_by"]) == (2.5, 1_500_000.0, None)
    # 2. edit
    row = check(patch_json(opd, url, {"version": 1, "cost": 2_000_000}), "draft", 2)
    assert (row["output"], row["cost"], row["note"]) == (2.5, 2_000_000.0, "via API")
    assert _spent(viewer, 2026, 4) == spent_before  # a draft does not count
    # 3. submit
    row = check(post_json(opd, f"{url}/submit", {"version": 2}), "submitted", 3)
    assert row["submitted_by"] == "opd-dlh" and row["submitted_at"] is not None
    assert page(kor.get(queue))["count"] == queue_before + 1
    assert pk in [r["id"] for r in page(kor.get(f"{queue}&year=2026&quarter=4"))["items"]]
    assert _spent(viewer, 2026, 4) == spent_before  # nor a submitted one
    # 4. return with a comment
    row = check(
        post_json(kor, f"{url}/return", {"version": 3, "comment": "Biaya belum lengkap."}),
        "draft",
        4,
    )
    assert row["return_comment"] == "Biaya belum lengkap."
    assert page(kor.get(queue))["count"] == queue_before
    # 5. edit the returned row (the comment stays until it is verified)
    row = check(
        patch_json(opd, url, {"version": 4, "cost": 2_500_000, "note": "lengkap"}), "draft", 5
    )
    assert (row["cost"], row["note"], row["return_comment"]) == (
        2_500_000.0,
        "lengkap",
        "Biaya belum lengkap.",
    )
    # 6. submit again
    row = check(post_json(opd, f"{url}/submit", {"version": 5}), "submitted", 6)
    assert _spent(viewer, 2026, 4) == spent_before
    # 7. verify: the dashboard now counts it (Rp 2,500,000 more spent to date)
    row = check(post_json(kor, f"{url}/verify", {"version": 6}), "verified", 7)
    assert (row["verified_by"], row["return_comment"]) == ("koordinator", "")
    assert row["verified_at"] is not None and row["submitted_by"] == "opd-dlh"
    assert _spent(viewer, 2026, 4) == pytest.approx(spent_before + 2_500_000)
    assert _spent(viewer, 2026, 3) == spent_q3  # the quarter before: unchanged
    assert page(kor.get(queue))["count"] == queue_before

    r = Realisation.objects.get(pk=pk)
    assert [(e.action, e.username) for e in entries(r)] == [
        ("create", "opd-dlh"),
        ("update", "opd-dlh"),
        ("submit", "opd-dlh"),
        ("return", "koordinator"),
        ("update", "opd-dlh"),
        ("submit", "opd-dlh"),
        ("verify", "koordinator"),
    ]
    audit = entries(r)
    assert [e.after["version"] for e in audit] == [1, 2, 3, 4, 5, 6, 7]
    assert audit[3].after["return_comment"] == "Biaya belum lengkap."
    assert (audit[4].before["cost_spent_idr"], audit[4].after["cost_spent_idr"]) == (
        2_000_000.0,
        2_500_000.0,
    )
    # the verified row is closed
    assert patch_json(opd, url, {"version": 7, "cost": 1}).status_code == 409
    assert post_json(kor, f"{url}/return", {"version": 7, "comment": "x"}).status_code == 409
