"""Meetings and action items screens: every view x every role (allowed, forbidden 403,
out-of-scope 404), overdue flags, bad form input, audit entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from webhelpers import make_city, user

from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.monitoring.models import ActionItem, Meeting
from sanitasi.web.programme.models import Agency

ROLES = ("admin", "koordinator", "opd-dlh", "opd-perkim", "kecamatan-ls", "fasilitator", "viewer")
RECORDERS = {"admin", "koordinator", "fasilitator"}


def client_for(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return c


def dlh_item(kode: str = "13.72", due: str = "2025-06-30") -> ActionItem:
    m = Meeting.objects.get(city_kode=kode, code="MTG-01")
    return ActionItem.objects.create(
        city_kode=kode,
        meeting=m,
        number=99,
        action="Test follow-up",
        owner_agency=Agency.objects.get(city_kode=kode, code="DLH"),
        due_date=due,
        state="open",
        status="illustrative",
    )


def meeting_data(**over: str) -> dict[str, object]:
    dlh = Agency.objects.get(city_kode="13.72", code="DLH")
    bappeda = Agency.objects.get(city_kode="13.72", code="BAPPEDA")
    data: dict[str, object] = {
        "code": "MTG-99",
        "date": "2026-03-05",
        "kind": "milestone_review",
        "milestone": "M2",
        "title": "Review M2",
        "participants": [bappeda.pk, dlh.pk],
        "summary": "Reviewed",
        "decisions": "Go on",
    }
    data.update(over)
    return data


@pytest.mark.parametrize("role", ROLES)
def test_list_every_role_shows_the_coaching_clinic(demo: str, role: str) -> None:
    response = client_for(role).get(f"/cities/{demo}/meetings/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="meeting-MTG-01"' in html
    assert "Coaching Clinic II" in html and "July 20, 2023" in html
    assert "Coaching Clinic" in html and "Pokja meeting" in html
    assert ('id="record-meeting"' in html) == (role in RECORDERS)


def test_list_in_indonesian(demo: str) -> None:
    c = Client()
    c.force_login(user("viewer"))
    html = c.get(f"/cities/{demo}/meetings/").content.decode()
    assert "20 Juli 2023" in html and "Rapat dan tindak lanjut" in html


def test_overdue_flags_follow_as_of(demo: str) -> None:
    item = dlh_item(due="2025-06-30")
    c = client_for("viewer")
    before = c.get(f"/cities/{demo}/meetings/?as_of=2025-06-30").content.decode()
    row = before.split(f'id="action-{item.pk}"')[1].split("</tr>")[0]
    assert "overdue" not in row
    after = c.get(f"/cities/{demo}/meetings/?as_of=2025-07-01").content.decode()
    row = after.split(f'id="action-{item.pk}"')[1].split("</tr>")[0]
    assert "overdue" in row
    today = c.get(f"/cities/{demo}/meetings/").content.decode()  # today is after 2025
    assert "overdue" in today.split(f'id="action-{item.pk}"')[1].split("</tr>")[0]
    bad = c.get(f"/cities/{demo}/meetings/?as_of=30/06/2025")
    assert bad.status_code == 200 and "is not a date" in bad.content.decode()


def test_done_items_are_never_overdue(demo: str) -> None:
    item = dlh_item(due="2020-01-01")
    item.state = "done"
    item.save()
    html = client_for("viewer").get(f"/cities/{demo}/meetings/?as_of=2030-01-01").content.decode()
    assert "overdue" not in html.split(f'id="action-{item.pk}"')[1].split("</tr>")[0]


@pytest.mark.parametrize("role", ROLES)
def test_record_meeting_every_role(demo: str, role: str) -> None:
    c = client_for(role)
    ok = role in RECORDERS
    assert c.get(f"/cities/{demo}/meetings/new/").status_code == (200 if ok else 403)
    response = c.post(f"/cities/{demo}/meetings/new/", meeting_data())
    assert response.status_code == (302 if ok else 403), role
    m = Meeting.objects.filter(city_kode=demo, code="MTG-99").first()
    assert (m is not None) == ok
    if m is None:
        return
    assert m.date == dt.date(2026, 3, 5) and m.milestone == "M2"
    assert [p.agency.code for p in m.participant_rows.all()] == ["BAPPEDA", "DLH"]
    entries = AuditEntry.objects.filter(model="monitoring.meeting", object_pk=str(m.pk))
    assert entries.count() == 1
    e = entries.get()
    assert e.action == "create" and e.username == role and e.city_kode == demo
    assert e.after is not None and e.after["participants"] == ["BAPPEDA", "DLH"]


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("date", "05/03/2026", "Enter a valid date"),
        ("date", "", "This field is required"),
        ("code", "MTG-01", "already has a meeting with this id"),
        ("code", "no spaces allowed", "Enter a valid"),
        ("kind", "party", "Select a valid choice"),
        ("milestone", "", "needs its milestone"),
        ("participants", "999999", "Select a valid choice"),
    ],
)
def test_meeting_form_errors(demo: str, field: str, value: str, message: str) -> None:
    before = AuditEntry.objects.count()
    response = client_for("koordinator").post(
        f"/cities/{demo}/meetings/new/", meeting_data(**{field: value})
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html.split(f'id="field-{field}"')[1].split("</div>")[0]
    assert AuditEntry.objects.count() == before
    assert not Meeting.objects.filter(city_kode=demo, code="MTG-99").exists() or field == "code"


def test_participants_only_from_the_city(demo: str) -> None:
    make_city("13.71", "Kota Padang")
    theirs = Agency.objects.get(city_kode="13.71", code="DLH")
    response = client_for("fasilitator").post(
        f"/cities/{demo}/meetings/new/", meeting_data(participants=str(theirs.pk))
    )
    assert response.status_code == 422


@pytest.mark.parametrize("role", ROLES)
def test_add_action_item_every_role(demo: str, role: str) -> None:
    c = client_for(role)
    dlh = Agency.objects.get(city_kode=demo, code="DLH")
    data = {"action": "Send the data", "owner_agency": dlh.pk, "due_date": "2026-04-30"}
    response = c.post(f"/cities/{demo}/meetings/MTG-01/actions/new/", data)
    ok = role in RECORDERS
    assert response.status_code == (302 if ok else 403), role
    item = ActionItem.objects.filter(city_kode=demo, action="Send the data").first()
    assert (item is not None) == ok
    if item is None:
        return
    assert item.state == "open" and item.due_date == dt.date(2026, 4, 30)
    e = AuditEntry.objects.get(model="monitoring.actionitem", object_pk=str(item.pk))
    assert e.action == "create" and e.username == role
    assert e.after is not None and e.after["owner_agency_code"] == "DLH"


def test_action_item_bad_input(demo: str) -> None:
    c = client_for("koordinator")
    url = f"/cities/{demo}/meetings/MTG-01/actions/new/"
    response = c.post(url, {"action": "", "owner_agency": "x", "due_date": "2026-13-01"})
    assert response.status_code == 422
    html = response.content.decode()
    for field, msg in (
        ("action", "This field is required"),
        ("owner_agency", "Select a valid choice"),
        ("due_date", "Enter a valid date"),
    ):
        assert msg in html.split(f'id="field-{field}"')[1].split("</div>")[0], field
    assert c.get(url).status_code == 405
    assert c.post(f"/cities/{demo}/meetings/NOPE/actions/new/", {}).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_mark_done_every_role(demo: str, role: str) -> None:
    item = dlh_item()
    c = client_for(role)
    html = c.get(f"/cities/{demo}/meetings/").content.decode()
    row = html.split(f'id="action-{item.pk}"')[1].split("</tr>")[0]
    ok = role in RECORDERS | {"opd-dlh"}
    assert ("Mark done" in row) == ok, role
    response = c.post(f"/cities/{demo}/actions/{item.pk}/done/")
    assert response.status_code == (302 if ok else 403), role
    item.refresh_from_db()
    assert item.state == ("done" if ok else "open")
    entries = AuditEntry.objects.filter(
        model="monitoring.actionitem", object_pk=str(item.pk), action="update"
    )
    if ok:
        e = entries.get()
        assert e.username == role
        assert e.changed_fields() == {"state": ("open", "done")}
    else:
        assert not entries.exists()


@pytest.mark.parametrize("role", ROLES)
def test_out_of_scope_is_404(demo: str, role: str) -> None:
    make_city("13.71", "Kota Padang")
    theirs = dlh_item("13.71")
    c = client_for(role)
    # another city's row under this city's URL
    assert c.post(f"/cities/{demo}/actions/{theirs.pk}/done/").status_code == 404
    if role not in ("admin", "fasilitator"):
        assert c.get("/cities/13.71/meetings/").status_code == 404
        assert c.get("/cities/13.71/meetings/new/").status_code == 404
        assert c.post(f"/cities/13.71/actions/{theirs.pk}/done/").status_code == 404
    assert c.get("/cities/99.99/meetings/").status_code == 404


def test_fasilitator_records_in_another_city_of_its_province(demo: str) -> None:
    make_city("13.71", "Kota Padang")
    c = client_for("fasilitator")
    item = dlh_item("13.71")
    assert c.post(f"/cities/13.71/actions/{item.pk}/done/").status_code == 302
    item.refresh_from_db()
    assert item.state == "done"


def test_anonymous_is_sent_to_login(demo: str) -> None:
    response = Client().get(f"/cities/{demo}/meetings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
