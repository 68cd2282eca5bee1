"""The task queue (issue 12 item 4; :mod:`sanitasi.web.jobs`): heavy downloads and the
precomputation after a save are queued (``SANITASI_TASKS`` ``thread``/``worker``), run once
by whoever claims them, and the progress page shows queued / running / done / failed (the
reason in the page's language). ``inline`` (the tests' and the CLI's default) stays
synchronous."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult
from webhelpers import user

from sanitasi.io.errors import Problem
from sanitasi.web import jobs
from sanitasi.web.jobs import backend
from sanitasi.web.jobs.tasks import render_download, warm_city
from sanitasi.web.monitoring import workflow
from sanitasi.web.plans import results, views
from sanitasi.web.plans.results import PlanUnavailable
from sanitasi.web.programme.models import Activity


@pytest.fixture
def pdf_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def fake(html: str) -> bytes:
        calls.append(html)
        return b"%PDF-1.7 fake " + str(len(calls)).encode()

    monkeypatch.setattr(views, "html_to_pdf", fake)
    results.clear()
    return calls


@pytest.fixture
def worker_mode(settings: Any) -> None:
    settings.SANITASI_TASKS = "worker"
    backend_obj = render_download.get_backend()
    old = backend_obj.mode
    backend_obj.mode = "worker"
    yield
    backend_obj.mode = old


def run_worker() -> None:
    """What ``sanitasi worker --batch`` does: run every queued task, then stop. On SQLite
    the real ``db_worker`` command; on PostgreSQL its claim-and-run step for each ready row
    (the command's loop closes the connection between tasks, which would end the test's
    transaction there; the scale-out test runs real workers on PostgreSQL)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        call_command(
            "db_worker",
            "--batch",
            "--queue-name",
            "*",
            "--no-reload",
            "--no-startup-delay",
            verbosity=0,
        )
        return
    for rid in DBTaskResult.objects.ready().values_list("id", flat=True):
        backend.run_queued(str(rid), "test-worker")


def task_id(response: Any) -> str:
    assert response.status_code == 302, response.content[:200]
    found = re.fullmatch(r"/tasks/([0-9a-f-]+)/", response["Location"])
    assert found, response["Location"]
    return found.group(1)


def state(client: Client, tid: str) -> str:
    body = client.get(f"/tasks/{tid}/status/").content.decode()
    return re.search(r'data-state="(\w+)"', body).group(1)  # type: ignore[union-attr]


def test_inline_mode_renders_in_the_request(demo: str, pdf_calls: list[str]) -> None:
    c = Client()
    c.force_login(user("viewer"))
    r = c.get(f"/cities/{demo}/downloads/plan.pdf")
    assert r.status_code == 200 and r.content == b"%PDF-1.7 fake 1"
    assert not DBTaskResult.objects.exists()  # nothing queued


def test_queued_pdf_progress_then_download(
    demo: str, pdf_calls: list[str], worker_mode: None
) -> None:
    c = Client()
    c.force_login(user("viewer"))
    url = f"/cities/{demo}/downloads/plan.pdf"
    tid = task_id(c.get(url))
    assert pdf_calls == []  # not rendered in the request
    page = c.get(f"/tasks/{tid}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-state="queued"' in body and f'hx-get="/tasks/{tid}/status/"' in body
    assert "Menunggu antrean" in body  # Indonesian by default
    assert task_id(c.get(url)) == tid  # asked again: the same task, not a second one
    assert DBTaskResult.objects.count() == 1
    # another user never sees it
    other = Client()
    other.force_login(user("koordinator"))
    assert other.get(f"/tasks/{tid}/").status_code == 404
    assert other.get(f"/tasks/{tid}/status/").status_code == 404
    assert c.get("/tasks/not-a-uuid/").status_code == 404
    run_worker()
    assert len(pdf_calls) == 1
    done = c.get(f"/tasks/{tid}/status/").content.decode()
    assert 'data-state="done"' in done and "hx-get" not in done  # polling stops
    assert f'href="{url}"' in done and "Unduh (PDF)" in done
    r = c.get(url)  # now from the cache, in the request
    assert r.status_code == 200 and r.content == b"%PDF-1.7 fake 1"
    assert len(pdf_calls) == 1


def test_queued_task_is_scoped_to_the_user_who_asked(
    demo: str, pdf_calls: list[str], worker_mode: None
) -> None:
    """A kecamatan user's queued PDF is rendered with that user's scope (another key than
    the whole city's)."""
    whole, part = Client(), Client()
    whole.force_login(user("viewer"))
    part.force_login(user("kecamatan-ls"))
    url = f"/cities/{demo}/downloads/plan.pdf"
    t1, t2 = task_id(whole.get(url)), task_id(part.get(url))
    assert t1 != t2
    run_worker()
    assert len(pdf_calls) == 2 and pdf_calls[0] != pdf_calls[1]
    assert state(whole, t1) == state(part, t2) == "done"


def test_failed_task_says_why_in_the_page_language(
    demo: str, monkeypatch: pytest.MonkeyPatch, worker_mode: None
) -> None:
    problem = Problem(
        code="SAN-E001",
        file="baseline.csv",
        row=3,
        column="households",
        value="-1",
        rule="must be zero or more",
        message_id="harus nol atau lebih",
    )

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PlanUnavailable(demo, (problem,))

    monkeypatch.setattr(views, "render_report", refuse)
    results.clear()
    c = Client()
    c.force_login(user("viewer"))
    tid = task_id(c.get(f"/cities/{demo}/downloads/ssk.docx"))
    run_worker()
    body = c.get(f"/tasks/{tid}/status/").content.decode()
    assert 'data-state="failed"' in body and "harus nol atau lebih" in body
    assert "Laporan tidak dapat disiapkan" in body
    c.cookies["django_language"] = "en"
    body = c.get(f"/tasks/{tid}/").content.decode()
    assert "must be zero or more" in body and "could not be prepared" in body


def test_internal_error_is_a_failed_task_with_a_generic_message(
    demo: str, monkeypatch: pytest.MonkeyPatch, worker_mode: None
) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(views, "render_report", boom)
    results.clear()
    c = Client()
    c.force_login(user("viewer"))
    tid = task_id(c.get(f"/cities/{demo}/downloads/monitoring.pdf?year=2026&quarter=3"))
    run_worker()
    row = DBTaskResult.objects.get(id=tid)
    assert row.status == "FAILED" and "RuntimeError" in row.traceback
    body = c.get(f"/tasks/{tid}/status/").content.decode()
    assert 'data-state="failed"' in body and "kesalahan internal" in body
    assert "secret detail" not in body


def test_thread_mode_runs_the_task_after_commit(
    demo: str,
    pdf_calls: list[str],
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """``thread``: queued, then run by the process's executor once the transaction commits
    (the executor runs it here, in this thread: the test's transaction is never committed
    for another connection to see the row)."""
    settings.SANITASI_TASKS = "thread"
    be = render_download.get_backend()
    monkeypatch.setattr(be, "mode", "thread")
    ran: list[str] = []

    class Inline:
        def submit(self, fn: Any, rid: str) -> None:
            ran.append(rid)
            backend.run_queued(rid, "test-thread")

    monkeypatch.setattr(backend, "_executor", lambda: Inline())
    c = Client()
    c.force_login(user("viewer"))
    with django_capture_on_commit_callbacks(execute=True):
        tid = task_id(c.get(f"/cities/{demo}/downloads/plan.pdf"))
    assert ran == [tid] and len(pdf_calls) == 1
    assert state(c, tid) == "done"
    assert backend.run_queued(tid, "again") is False  # claimed once only


def test_precompute_after_a_save_is_one_queued_task(
    demo: str, settings: Any, worker_mode: None, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SANITASI_PRECOMPUTE = True
    # the province summaries' own after-save thread would run plans too (another count)
    settings.SANITASI_SUMMARIES_AFTER_SAVE = False
    results.clear()
    act = Activity.objects.get(city_kode=demo, code="PS-02")
    with django_capture_on_commit_callbacks(execute=True):
        row = workflow.create(user("opd-dlh"), act, 2026, 4, output_achieved=1)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(user("opd-dlh"), row, row.version)
    queued = DBTaskResult.objects.filter(task_path=warm_city.module_path)
    assert queued.count() == 1 and queued.get().status == "READY"
    before = results.runs["plan"]
    run_worker()
    assert queued.get().status == "SUCCESSFUL"
    assert results.runs["plan"] == before + 1
    calls = results.runs["plan"]
    results.plan_result(demo)  # the dashboard's next request only loads it
    assert results.runs["plan"] == calls


def test_unknown_mode_is_refused() -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="SANITASI_TASKS"):
        backend.SanitasiTaskBackend("x", {"QUEUES": ["default"], "OPTIONS": {"mode": "celery"}})


def test_queued_reports_mode(settings: Any) -> None:
    settings.SANITASI_TASKS = "inline"
    assert not jobs.queued()
    settings.SANITASI_TASKS = "thread"
    assert jobs.queued()


def test_a_task_whose_process_died_is_reported_and_queued_again(
    demo: str, pdf_calls: list[str], worker_mode: None
) -> None:
    """A row left RUNNING (its web process or worker was killed) for longer than
    SANITASI_TASK_STALE_MINUTES (30) is shown as interrupted; asking again queues anew."""
    import datetime as dt

    from django.utils import timezone

    c = Client()
    c.force_login(user("viewer"))
    url = f"/cities/{demo}/downloads/plan.pdf"
    tid = task_id(c.get(url))
    DBTaskResult.objects.filter(id=tid).update(
        status="RUNNING", started_at=timezone.now() - dt.timedelta(minutes=20)
    )
    assert state(c, tid) == "running" and task_id(c.get(url)) == tid  # not stale yet
    DBTaskResult.objects.filter(id=tid).update(started_at=timezone.now() - dt.timedelta(minutes=31))
    body = c.get(f"/tasks/{tid}/status/").content.decode()
    assert 'data-state="failed"' in body and "Penyiapan terhenti" in body
    again = task_id(c.get(url))
    assert again != tid
    run_worker()
    assert state(c, again) == "done" and len(pdf_calls) == 1
