"""Big imports in the task queue (issue 12 item 4; :func:`sanitasi.web.jobs.queue_import`):
a baseline workbook larger than ``SANITASI_QUEUE_IMPORT_BYTES`` is stored in the database
and checked and saved by a task when tasks are queued (``thread``/``worker``); the request
answers with the progress page, which ends on the same result page as the request's check
(summary, or every problem with nothing saved). The user's rights are checked again in the
task; only that user sees the task and its result. ``inline`` stays synchronous.

The threshold is set to one byte here: any workbook is "large"."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult
from test_web_baseline import (
    KOTO_PANJANG,
    TANAH_GARAM,
    client_for,
    find_row,
    set_cell,
    snapshot,
    template_book,
    upload,
    uploads,
    value,
)
from test_web_jobs import run_worker, state, task_id, worker_mode  # noqa: F401 (the fixture)
from webhelpers import user

from sanitasi.web.accounts.models import UserProfile
from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.jobs import backend
from sanitasi.web.jobs.tasks import import_upload
from sanitasi.web.models import QueuedUpload
from sanitasi.web.plans import baseline
from sanitasi.web.plans.models import Observation

HX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def large(settings: Any) -> None:
    settings.SANITASI_QUEUE_IMPORT_BYTES = 1


def good_book(c: Client) -> Any:
    """Tanah Garam's 350 belum layak households become aman (test_web_baseline)."""
    wb = template_book(c)
    ws = wb["baseline"]
    r = find_row(ws, TANAH_GARAM, 2024, "hh_aman")
    set_cell(ws, r, "hh_aman", 560)
    set_cell(ws, r, "hh_belum_layak", 0)
    return wb


def result_url(tid: str) -> str:
    return f"/cities/13.72/baseline/?upload={tid}"


def test_inline_mode_checks_a_large_upload_in_the_request(demo: str, large: None) -> None:
    c = client_for("koordinator")
    response = upload(c, good_book(c))
    assert response.status_code == 200 and response.context["summary"].changed == 2
    assert value(TANAH_GARAM, "hh_aman") == 560
    assert not DBTaskResult.objects.exists() and not QueuedUpload.objects.exists()


@pytest.mark.usefixtures("worker_mode")
def test_small_upload_is_checked_in_the_request_when_queued(demo: str, settings: Any) -> None:
    settings.SANITASI_QUEUE_IMPORT_BYTES = 10 * 1024 * 1024
    c = client_for("koordinator")
    response = upload(c, good_book(c))
    assert response.status_code == 200 and value(TANAH_GARAM, "hh_aman") == 560
    assert not DBTaskResult.objects.exists() and not QueuedUpload.objects.exists()


@pytest.mark.usefixtures("worker_mode")
def test_large_upload_progress_then_result(demo: str, large: None) -> None:
    c = client_for("koordinator")
    buf = io.BytesIO()
    good_book(c).save(buf)
    wb = buf.getvalue()
    before, entries = snapshot(), uploads()
    tid = task_id(upload(c, wb, "besar.xlsx"))
    # nothing checked or written in the request; the file waits in the database
    assert snapshot() == before and uploads() == entries
    stored = QueuedUpload.objects.get()
    assert (stored.kind, stored.city_kode, stored.name) == ("baseline", demo, "besar.xlsx")
    assert stored.user_id == user("koordinator").pk and stored.size == len(bytes(stored.content))
    page = c.get(f"/tasks/{tid}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Memeriksa unggahan" in body and 'data-state="queued"' in body
    assert f'hx-get="/tasks/{tid}/status/"' in body and "Menunggu antrean" in body
    # the same file again (a second click): the same task, no second copy
    assert task_id(upload(c, wb, "besar.xlsx")) == tid
    assert DBTaskResult.objects.count() == 1 and QueuedUpload.objects.count() == 1
    # the result page while it waits: the progress page
    r = c.get(result_url(tid))
    assert r.status_code == 302 and r["Location"] == f"/tasks/{tid}/"
    DBTaskResult.objects.filter(id=tid).update(status="RUNNING", started_at=stored.created_at)
    assert "Sedang diperiksa" in c.get(f"/tasks/{tid}/status/").content.decode()
    DBTaskResult.objects.filter(id=tid).update(status="READY", started_at=None)
    run_worker()
    fragment = c.get(f"/tasks/{tid}/status/", **HX)
    body = fragment.content.decode()
    assert 'data-state="done"' in body and "hx-get" not in body  # polling stops
    assert fragment["HX-Redirect"] == result_url(tid)  # the page goes on to the result
    assert f'href="{result_url(tid)}"' in body.replace("&amp;", "&")
    assert c.get(f"/tasks/{tid}/")["Location"] == result_url(tid)
    result = c.get(result_url(tid))
    assert result.status_code == 200
    summary = result.context["summary"]
    assert (summary.file, summary.added, summary.changed, summary.unchanged) == (
        "besar.xlsx",
        0,
        2,
        233,
    )
    assert summary.derived == 4 and result.context["problems"] == []
    html = result.content.decode()
    assert 'id="upload-summary"' in html and "Unggahan disimpan" in html
    assert "4 nilai kecamatan/kota dihitung ulang" in html
    # written as the request would have: the values, the parents, one audit entry by the user
    assert value(TANAH_GARAM, "hh_aman") == 560 and value("13.72", "hh_aman") == 1987
    assert uploads() == entries + 1
    entry = AuditEntry.objects.filter(city_kode=demo, model="plans.observation").first()
    assert entry is not None and entry.username == "koordinator"
    assert entry.object_repr == "baseline upload besar.xlsx"
    assert not QueuedUpload.objects.exists()  # the stored file is gone once checked
    c.cookies["django_language"] = "en"
    assert "Upload saved" in c.get(result_url(tid)).content.decode()


@pytest.mark.usefixtures("worker_mode")
def test_only_the_uploader_sees_the_task_and_its_result(demo: str, large: None) -> None:
    c = client_for("koordinator")
    tid = task_id(upload(c, good_book(c)))
    admin = client_for("admin")  # even an administrator of every city
    assert admin.get(f"/tasks/{tid}/").status_code == 404
    assert admin.get(f"/tasks/{tid}/status/").status_code == 404
    run_worker()
    assert admin.get(result_url(tid)).status_code == 404
    viewer = client_for("viewer")
    assert viewer.get(result_url(tid)).status_code == 404
    assert viewer.get("/cities/13.72/baseline/?upload=not-a-task").status_code == 404
    # the uploader, on another city's address: 404 as well
    assert c.get(f"/cities/13.71/baseline/?upload={tid}").status_code == 404
    assert c.get(result_url(tid)).status_code == 200


@pytest.mark.usefixtures("worker_mode")
def test_rejected_large_upload_saves_nothing_and_lists_every_problem(
    demo: str, large: None
) -> None:
    c = client_for("koordinator")
    wb = template_book(c)
    ws = wb["baseline"]
    r = find_row(ws, TANAH_GARAM, 2024, "hh_aman")
    set_cell(ws, r, "hh_aman", "banyak")  # text in a number
    set_cell(ws, r, "hh_belum_layak", 0)  # a good change in the same workbook
    r2 = find_row(ws, KOTO_PANJANG, 2024, "households")
    set_cell(ws, r2, "households", -5)
    before, entries = snapshot(), uploads()
    tid = task_id(upload(c, wb, "rusak.xlsx"))
    run_worker()
    assert state(c, tid) == "done"  # checked: the result page says what is wrong
    result = c.get(result_url(tid))
    assert result.status_code == 422 and "summary" not in result.context
    problems = {(p["code"], p["row"]): p for p in result.context["problems"]}
    assert problems[("SAN-E016", r)]["file"] == "rusak.xlsx [baseline]"
    assert problems[("SAN-E016", r)]["rule"].startswith("hh_aman harus berupa angka")
    assert problems[("SAN-E009", r2)]["column"].startswith("households (")
    html = result.content.decode()
    assert 'id="upload-problems"' in html and "Workbook tidak disimpan" in html
    assert snapshot() == before and uploads() == entries
    assert value(TANAH_GARAM, "hh_belum_layak") == 350
    c.cookies["django_language"] = "en"
    english = c.get(result_url(tid))
    rule = {(p["code"], p["row"]): p for p in english.context["problems"]}[("SAN-E016", r)]
    assert rule["rule"].startswith("hh_aman must be a number")
    assert "The workbook was not saved" in english.content.decode()


@pytest.mark.usefixtures("worker_mode")
def test_stale_workbook_is_checked_when_the_task_runs(demo: str, large: None) -> None:
    """A row edited on the web after the export, even after the upload was queued: the
    task answers 409 naming it (SAN-E159) and saves nothing."""
    c = client_for("koordinator")
    wb = template_book(c)
    ws = wb["baseline"]
    set_cell(ws, find_row(ws, TANAH_GARAM, 2024, "hh_belum_layak"), "status", "sourced")
    tid = task_id(upload(c, wb))
    edited = Observation.objects.get(
        city_kode="13.72", region__kode=TANAH_GARAM, year=2024, indicator="hh_belum_layak"
    )
    edited.source = "survei ulang kelurahan 2025"
    edited.save()  # someone else, while the upload waits
    before, entries = snapshot(), uploads()
    run_worker()
    result = c.get(result_url(tid))
    assert result.status_code == 409
    assert [p["code"] for p in result.context["problems"]] == ["SAN-E159"]
    assert snapshot() == before and uploads() == entries


@pytest.mark.usefixtures("worker_mode")
def test_rights_are_checked_again_in_the_task(demo: str, large: None) -> None:
    """The koordinator becomes a viewer while the upload waits: the task refuses it, saves
    nothing and says why; a user without the right cannot queue one at all."""
    c = client_for("koordinator")
    before, entries = snapshot(), uploads()
    tid = task_id(upload(c, good_book(c)))
    UserProfile.objects.filter(user=user("koordinator")).update(role="viewer")
    run_worker()
    body = c.get(f"/tasks/{tid}/status/").content.decode()
    assert 'data-state="failed"' in body
    assert "Anda tidak boleh mengubah data dasar kota ini." in body
    assert "Workbook tidak dapat diperiksa" in body and "Tidak ada yang disimpan." in body
    assert snapshot() == before and uploads() == entries
    assert not QueuedUpload.objects.exists()
    r = c.get(result_url(tid))  # no result page: the progress page with the reason
    assert r.status_code == 302 and r["Location"] == f"/tasks/{tid}/"
    c.cookies["django_language"] = "en"
    assert "You may not change the baseline" in c.get(f"/tasks/{tid}/").content.decode()
    # a viewer (or opd) never gets a task queued
    tasks = DBTaskResult.objects.count()
    for role in ("viewer", "opd-dlh"):
        assert upload(client_for(role), good_book(client_for("admin"))).status_code == 403
    assert DBTaskResult.objects.count() == tasks and not QueuedUpload.objects.exists()


@pytest.mark.usefixtures("worker_mode")
def test_deactivated_user_is_refused_in_the_task(demo: str, large: None) -> None:
    c = client_for("koordinator")
    before = snapshot()
    tid = task_id(upload(c, good_book(c)))
    found = baseline.may_upload(user("koordinator"), demo)
    assert found
    type(user("koordinator")).objects.filter(username="koordinator").update(is_active=False)
    run_worker()
    row = DBTaskResult.objects.get(id=tid)
    assert row.status == "SUCCESSFUL" and row.return_value["ok"] is False
    assert "You may not change the baseline of this city." in row.return_value["messages"]["en"]
    assert snapshot() == before


@pytest.mark.usefixtures("worker_mode")
def test_internal_error_saves_nothing_and_says_so(
    demo: str, large: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(baseline, "import_workbook", boom)
    c = client_for("koordinator")
    before = snapshot()
    tid = task_id(upload(c, good_book(c)))
    run_worker()
    assert DBTaskResult.objects.get(id=tid).status == "FAILED"
    body = c.get(f"/tasks/{tid}/status/").content.decode()
    assert 'data-state="failed"' in body and "kesalahan internal" in body
    assert "secret detail" not in body and "Tidak ada yang disimpan." in body
    assert snapshot() == before and not QueuedUpload.objects.exists()


def test_thread_mode_checks_the_upload_after_commit(
    demo: str,
    large: None,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """``thread``: queued, then run by the process's executor once the request's
    transaction commits (here in this thread, as in test_web_jobs)."""
    settings.SANITASI_TASKS = "thread"
    monkeypatch.setattr(import_upload.get_backend(), "mode", "thread")
    ran: list[str] = []

    class Inline:
        def submit(self, fn: Any, rid: str) -> None:
            ran.append(rid)
            backend.run_queued(rid, "test-thread")

    monkeypatch.setattr(backend, "_executor", lambda: Inline())
    c = client_for("koordinator")
    wb = good_book(c)
    with django_capture_on_commit_callbacks(execute=True):
        tid = task_id(upload(c, wb))
    assert ran == [tid] and state(c, tid) == "done"
    assert value(TANAH_GARAM, "hh_aman") == 560
    assert c.get(result_url(tid)).context["summary"].changed == 2


@pytest.mark.usefixtures("worker_mode")
def test_an_import_whose_process_died_says_upload_again(demo: str, large: None) -> None:
    import datetime as dt

    from django.utils import timezone

    c = client_for("koordinator")
    tid = task_id(upload(c, good_book(c)))
    long_ago = timezone.now() - dt.timedelta(minutes=31)
    DBTaskResult.objects.filter(id=tid).update(status="RUNNING", started_at=long_ago)
    body = c.get(f"/tasks/{tid}/status/").content.decode()
    assert 'data-state="failed"' in body and "Pemeriksaan terhenti" in body
    assert 'href="/cities/13.72/baseline/"' in body  # back to the upload form
