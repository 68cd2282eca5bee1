"""Reminders (issue 11 item 5): each rule, no duplicate per user and event, e-mail, the
inbox and its unread count, the management command."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from webhelpers import make_city, make_user

from sanitasi.web import roles
from sanitasi.web.monitoring import workflow
from sanitasi.web.monitoring.models import ActionItem, Meeting, Realisation
from sanitasi.web.programme.models import Agency, PlannedYear
from sanitasi.web.reminders import rules
from sanitasi.web.reminders.messages import message
from sanitasi.web.reminders.models import Notification
from sanitasi.web.reminders.send import send_reminders, store

CITY = "13.71"
APRIL_5 = dt.date(2030, 4, 5)  # Q1 2030 due on 2030-04-14 (31 March + report_due_days = 14)


@pytest.fixture
def city(demo: str) -> dict[str, Any]:
    act = make_city(CITY, "Kota Padang")
    PlannedYear.objects.create(
        city_kode=CITY, activity=act, year=2030, planned_output=4, planned_cost_idr=1e8
    )
    opd = make_user("opd-padang", roles.OPD, city_kode=CITY, agency_code="DLH")
    opd.email = "dlh@padang.example"
    opd.save()
    koord = make_user("koord-padang", roles.KOORDINATOR, city_kode=CITY, agency_code="BAPPEDA")
    other = make_user("opd-other", roles.OPD, city_kode=CITY, agency_code="PUPR")
    return {"act": act, "opd": opd, "koord": koord, "other": other}


def mine(items: list[rules.Due], u: Any) -> list[rules.Due]:
    return [d for d in items if d.user_id == u.pk]


def test_report_due_date() -> None:
    assert rules.report_due_date(2030, 1) == dt.date(2030, 4, 14)
    assert rules.report_due_date(2026, 4) == dt.date(2027, 1, 14)


def test_due_rule(city: dict[str, Any]) -> None:
    opd = city["opd"]
    (d,) = mine(rules.due_reports(APRIL_5), opd)
    assert d.key == f"due:{CITY}:DLH:2030Q1"
    assert d.params == {
        "year": 2030,
        "quarter": 1,
        "due": "2030-04-14",
        "count": 1,
        "activities": ["PS-01"],
    }
    assert d.url == f"/cities/{CITY}/realisation/"
    assert mine(rules.due_reports(APRIL_5), city["other"]) == []  # PUPR leads nothing
    assert mine(rules.due_reports(APRIL_5), city["koord"]) == []
    # 14 days before the due day: first day of the window; the day before it: nothing
    assert len(mine(rules.due_reports(dt.date(2030, 3, 31)), opd)) == 1
    assert mine(rules.due_reports(dt.date(2030, 3, 30)), opd) == []
    assert mine(rules.due_reports(dt.date(2030, 4, 15)), opd) == []  # past due: no reminder
    # a submitted report of the quarter: nothing due
    Realisation.objects.create(
        city_kode=CITY, activity=city["act"], year=2030, quarter=1, state="submitted"
    )
    assert mine(rules.due_reports(APRIL_5), opd) == []


def test_due_window_follows_the_setting(city: dict[str, Any], settings: Any) -> None:
    settings.SANITASI_REMINDER_DAYS = 30
    assert len(mine(rules.due_reports(dt.date(2030, 3, 17)), city["opd"])) == 1
    settings.SANITASI_REPORT_DUE_DAYS = 0  # due on 31 March
    assert mine(rules.due_reports(APRIL_5), city["opd"]) == []


def test_waiting_rule(city: dict[str, Any]) -> None:
    r = Realisation.objects.get(city_kode=CITY, year=2025, quarter=1)
    (d,) = mine(rules.waiting_reports(APRIL_5), city["koord"])
    assert d.key.startswith(f"waiting:{r.pk}:")
    assert d.params == {"activity": "PS-01", "agency": "DLH", "year": 2025, "quarter": 1}
    assert mine(rules.waiting_reports(APRIL_5), city["opd"]) == []


def test_returned_rule_once_per_return(city: dict[str, Any]) -> None:
    r = Realisation.objects.get(city_kode=CITY, year=2025, quarter=1)
    workflow.return_(city["koord"], r, r.version, "Attach the BAST, please.")
    assert mine(rules.waiting_reports(APRIL_5), city["koord"]) == []
    (d,) = mine(rules.returned_reports(APRIL_5), city["opd"])
    assert d.params["comment"] == "Attach the BAST, please."
    assert mine(rules.returned_reports(APRIL_5), city["other"]) == []
    assert len(store(APRIL_5)) >= 1
    assert store(APRIL_5) == []  # nothing new
    # submitted again and returned again: a new event, a new reminder
    r.refresh_from_db()
    workflow.submit(city["opd"], r, r.version)
    r.refresh_from_db()
    workflow.return_(city["koord"], r, r.version, "Attach the BAST, please.")
    (d2,) = mine(rules.returned_reports(APRIL_5), city["opd"])
    assert d2.key != d.key
    created = store(APRIL_5)
    assert [(n.user_id, n.kind) for n in created if n.user_id == city["opd"].pk] == [
        (city["opd"].pk, "returned")
    ]


def test_overdue_rule(city: dict[str, Any]) -> None:
    meeting = Meeting.objects.get(city_kode=CITY)
    dlh = Agency.objects.get(city_kode=CITY, code="DLH")
    item = ActionItem.objects.create(
        city_kode=CITY,
        meeting=meeting,
        number=1,
        action="Send the TPS3R land certificate",
        owner_agency=dlh,
        due_date=dt.date(2030, 3, 1),
    )
    for u in (city["opd"], city["koord"]):
        (d,) = mine(rules.overdue_actions(APRIL_5), u)
        assert d.key == f"overdue:{item.pk}:2030-03-01"
        assert d.params["days"] == 35
    assert mine(rules.overdue_actions(APRIL_5), city["other"]) == []
    assert mine(rules.overdue_actions(dt.date(2030, 3, 1)), city["opd"]) == []  # due today
    item.state = "done"
    item.save()
    assert mine(rules.overdue_actions(APRIL_5), city["opd"]) == []


def test_send_twice_sends_nothing_new(city: dict[str, Any]) -> None:
    mail.outbox.clear()
    first = send_reminders(APRIL_5)
    assert first.created > 0 and first.failed == 0
    opd_rows = Notification.objects.filter(user=city["opd"])
    assert sorted(opd_rows.values_list("kind", flat=True)) == ["due"]
    to_opd = [m for m in mail.outbox if m.to == ["dlh@padang.example"]]
    assert len(to_opd) == 1
    assert to_opd[0].subject == "Sanitasi: 1 pengingat baru"
    assert "T1 2030" in to_opd[0].body or "Q1 2030" in to_opd[0].body
    assert opd_rows.get().emailed_at is not None
    mail.outbox.clear()
    second = send_reminders(APRIL_5)
    assert second.created == 0 and second.emailed == 0
    assert mail.outbox == []
    assert Notification.objects.filter(user=city["opd"]).count() == 1


def test_failed_email_is_retried(city: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from sanitasi.web.reminders import send

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("smtp down")

    monkeypatch.setattr(send, "send_mail", broken)
    assert send_reminders(APRIL_5).failed >= 1
    assert Notification.objects.get(user=city["opd"]).emailed_at is None
    monkeypatch.undo()
    mail.outbox.clear()
    again = send_reminders(APRIL_5)
    assert again.created == 0 and again.emailed >= 1
    assert Notification.objects.get(user=city["opd"]).emailed_at is not None


def test_messages_in_both_languages(city: dict[str, Any]) -> None:
    from django.utils import translation

    store(APRIL_5)
    n = Notification.objects.get(user=city["opd"])
    with translation.override("en"):
        assert message(n) == (
            "The report of Q1 2030 is due on April 14, 2030: 1 activity of your agency has "
            "none yet (PS-01)."
        )
    with translation.override("id"):
        text = message(n)
    assert "14 April 2030" in text and "PS-01" in text and "jatuh tempo" in text


def test_inbox_and_unread_count(city: dict[str, Any]) -> None:
    store(APRIL_5)
    c = Client()
    c.force_login(city["opd"])
    page = c.get("/inbox/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="nav-inbox"' in html and 'class="badge"' in html
    assert "PS-01" in html
    n = Notification.objects.get(user=city["opd"])
    response = c.post("/inbox/read/", {"pk": n.pk, "next": n.url})
    assert response.status_code == 302 and response.url == n.url
    n.refresh_from_db()
    assert n.read_at is not None
    assert 'class="badge"' not in c.get("/inbox/").content.decode()
    # another user's reminder cannot be marked
    other = Client()
    other.force_login(city["other"])
    other.post("/inbox/read/", {"pk": n.pk})
    assert c.post("/inbox/read/", {"next": "//evil.example/"}).url == "/inbox/"


def test_command(city: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    call_command("send_reminders", "--as-of", "2030-04-05", "--no-email")
    out = capsys.readouterr().out
    assert "reminders as of 2030-04-05:" in out and "0 e-mailed" in out
    call_command("send_reminders", "--as-of", "2030-04-05", "--no-email")
    assert "0 new" in capsys.readouterr().out
    with pytest.raises(CommandError) as err:
        call_command("send_reminders", "--as-of", "2030-13-05")
    assert err.value.returncode == 2
