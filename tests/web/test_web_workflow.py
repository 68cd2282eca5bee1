"""Realisation workflow and optimistic locking: draft -> submitted -> verified, return with
comment, conflicts, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from webhelpers import DEMO, local_activity, user

from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.basemodels import StaleObjectError
from sanitasi.web.monitoring import workflow
from sanitasi.web.monitoring.models import Realisation
from sanitasi.web.programme.models import Activity


def draft_of(code: str, year: int = 2026, quarter: int = 4) -> Realisation:
    act = Activity.objects.get(city_kode=DEMO, code=code)
    return workflow.create(user(lead_user(act)), act, year, quarter, output_achieved=3, note="Q4")


def lead_user(act: Activity) -> str:
    return {"DLH": "opd-dlh", "PERKIM": "opd-perkim"}[act.lead_agency.code]


def test_submit_verify(demo: str) -> None:
    r = draft_of("PS-01")
    assert r.state == "draft" and r.version == 1
    r = workflow.submit(user("opd-dlh"), r, r.version)
    assert (r.state, r.version, r.submitted_by) == ("submitted", 2, user("opd-dlh"))
    r = workflow.verify(user("koordinator"), r, r.version)
    assert (r.state, r.version) == ("verified", 3)
    actions = list(
        AuditEntry.objects.filter(model="monitoring.realisation", object_pk=str(r.pk))
        .order_by("id")
        .values_list("action", "username")
    )
    assert actions == [("create", "opd-dlh"), ("submit", "opd-dlh"), ("verify", "koordinator")]
    entry = AuditEntry.objects.get(object_pk=str(r.pk), action="verify")
    assert entry.before["state"] == "submitted" and entry.after["state"] == "verified"
    assert entry.before["version"] == 2 and entry.after["version"] == 3


def test_return_with_comment_then_edit_and_resubmit(demo: str) -> None:
    dlh, kor = user("opd-dlh"), user("koordinator")
    r = draft_of("PS-01")
    r = workflow.submit(dlh, r, r.version)
    with pytest.raises(workflow.WorkflowError):
        workflow.return_(kor, r, r.version, "  ")
    r = workflow.return_(kor, r, r.version, "Attach the BAST.")
    assert r.state == "draft" and r.return_comment == "Attach the BAST."
    r = workflow.edit(dlh, r, r.version, evidence="BAST 12/2026")
    r = workflow.submit(dlh, r, r.version)
    assert r.state == "submitted"
    with pytest.raises(workflow.WorkflowError):
        workflow.edit(dlh, r, r.version, note="too late")


def test_roles_are_enforced(demo: str) -> None:
    r = draft_of("PS-01")
    for name in ("opd-perkim", "koordinator", "viewer", "kecamatan-ls", "fasilitator"):
        with pytest.raises(PermissionDenied):
            workflow.submit(user(name), r, r.version)
    with pytest.raises(PermissionDenied):
        workflow.create(user("koordinator"), r.activity, 2027, 1)
    r = workflow.submit(user("opd-dlh"), r, r.version)
    for name in ("opd-dlh", "viewer", "fasilitator"):
        with pytest.raises(PermissionDenied):
            workflow.verify(user(name), r, r.version)


def test_kecamatan_reports_in_its_kecamatan(demo: str) -> None:
    act = local_activity("LS-01", "13.72.01.1001", "DLH", ("KEC_LS",))
    kec = user("kecamatan-ls")
    r = workflow.create(kec, act, 2025, 2, output_achieved=1)
    r = workflow.submit(kec, r, r.version)
    assert r.state == "submitted"


def test_second_concurrent_save_gets_a_conflict(demo: str) -> None:
    dlh = user("opd-dlh")
    r = draft_of("PS-01")
    first = Realisation.objects.get(pk=r.pk)  # two users open the same row
    second = Realisation.objects.get(pk=r.pk)
    workflow.edit(dlh, first, first.version, output_achieved=5)
    with pytest.raises(StaleObjectError) as info:
        workflow.edit(dlh, second, second.version, output_achieved=7)
    current = info.value.current
    assert isinstance(current, Realisation) and current.version == 2
    stored = Realisation.objects.get(pk=r.pk)
    assert stored.output_achieved == 5 and stored.version == 2  # nothing overwritten
    assert "changed by someone else" in str(info.value)


def test_ids_and_versions_over_999_are_not_grouped_in_indonesian(demo: str) -> None:
    """Indonesian pages group thousands (1.234), but a row's id and version are identifiers:
    ``id="real-1234"`` and ``value="1234"``, never ``real-1.234`` (the browser tests found
    the row id grouped once a test database's ids passed 999: the page's link to the row
    and every script looking it up missed it; a grouped version would fail the form)."""
    from django.test import Client

    r = draft_of("PS-01")
    Realisation.objects.filter(pk=r.pk).update(id=12345, version=1001)
    c = Client()
    c.force_login(user("opd-dlh"))
    html = c.get(f"/cities/{demo}/realisation/").content.decode()
    assert 'id="real-12345"' in html and "real-12.345" not in html
    assert 'name="version" value="1001"' in html and 'value="1.001"' not in html
    r = Realisation.objects.get(pk=12345)
    c.post(f"/cities/{demo}/realisation/12345/submit/", {"version": "1001"})
    assert Realisation.objects.get(pk=12345).state == "submitted"
    kor = Client()
    kor.force_login(user("koordinator"))
    html = kor.get(f"/cities/{demo}/realisation/").content.decode()
    assert 'id="verify-12345"' in html and 'value="1002"' in html
