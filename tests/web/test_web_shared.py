"""The plan run, monitoring report and dashboard parts are computed once per data version and
shared by every gunicorn worker (``sanitasi.web.shared``): pickled in the ``results`` cache,
built under a file lock by one worker while the others wait, and precomputed after a save
when ``SANITASI_PRECOMPUTE`` is on."""

from __future__ import annotations

import multiprocessing
import pickle
import re
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.test import Client
from webhelpers import local_activity, user

from sanitasi.app import monitoring_report as app_monitoring_report
from sanitasi.io.errors import Problem
from sanitasi.web import shared
from sanitasi.web.monitoring import workflow
from sanitasi.web.plans import results
from sanitasi.web.plans.source import DatabaseSource

pytestmark = pytest.mark.usefixtures("fresh_results")


def client_for(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


def same_tables(a: Any, b: Any) -> None:
    assert list(a.tables) == list(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name].df, b.tables[name].df, obj=name)


def test_the_shared_copy_of_a_plan_is_the_plan(demo: str) -> None:
    """The pickled copy has the same tables and warnings, and the monitoring run on it gives
    the same report as on the original."""
    result = results.plan_result(demo)
    copy = pickle.loads(pickle.dumps(results.shareable(result)))
    assert copy.arrays is not None and result.arrays is not None
    assert set(copy.arrays.notes) == set(result.arrays.notes) - results.UNSHARED_NOTES
    same_tables(copy, result)
    assert copy.warnings == result.warnings
    source = DatabaseSource(demo)
    on_copy = app_monitoring_report(source, 2025, 3, plan=copy, require_programme=False)
    on_original = app_monitoring_report(source, 2025, 3, plan=result, require_programme=False)
    assert on_copy is not None and on_original is not None
    same_tables(on_copy, on_original)


def test_another_worker_loads_the_run_instead_of_computing(demo: str) -> None:
    before = results.runs["plan"]
    first = results.plan_result(demo)
    assert results.runs["plan"] == before + 1
    assert results.plan_result(demo) is first  # this worker: its own copy
    shared.clear_local()  # another worker: nothing in its memory, the shared cache is there
    loaded_before = shared.stats["shared"]
    second = results.plan_result(demo)
    assert results.runs["plan"] == before + 1  # not computed again
    assert shared.stats["shared"] == loaded_before + 1
    assert second is not first
    same_tables(second, first)


def test_a_save_is_a_new_version_computed_once(demo: str) -> None:
    c = client_for("viewer")
    assert c.get(f"/cities/{demo}/").status_code == 200
    before = dict(results.runs)
    act = local_activity("LS-01", "13.72.01.1001", "DLH", ("KEC_LS",))  # audited: new version
    workflow.create(user("opd-dlh"), act, 2026, 4, output_achieved=3)
    for _worker in range(3):
        shared.clear_local()
        assert c.get(f"/cities/{demo}/").status_code == 200
    assert results.runs["plan"] == before["plan"] + 1
    assert results.runs["monitoring"] == before["monitoring"] + 1


def without_csrf(page: bytes) -> str:
    """The page without its CSRF tokens (masked anew on every response)."""
    html = page.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_dashboard_parts_are_shared(demo: str) -> None:
    c = client_for("koordinator")
    first = without_csrf(c.get(f"/cities/{demo}/").content)
    built = shared.stats["built"]
    shared.clear_local()
    assert without_csrf(c.get(f"/cities/{demo}/").content) == first
    assert shared.stats["built"] == built  # plan, monitoring and parts all loaded


def test_data_errors_are_shared_and_engine_failures_are_not(demo: str) -> None:
    calls: list[str] = []
    problem = Problem("SAN-E001", "observations.csv", 2, "value", "-1", "must be >= 0")

    def rule_broken() -> object:
        calls.append("rule")
        raise results.PlanUnavailable(demo, (problem,))

    def engine_failed() -> object:
        calls.append("engine")
        raise results.PlanUnavailable(demo, detail="ValueError: boom")

    for build in (rule_broken, engine_failed):
        key = shared.cache_key("test-error", build.__name__)
        for _worker in range(2):
            shared.clear_local()
            with pytest.raises(results.PlanUnavailable) as info:
                shared.get_or_build(key, build, lock="test-error", share_error=results._data_error)
            assert info.value.city_kode == demo
    assert calls == ["rule", "engine", "engine"]  # the rule failure was read, not redone
    assert info.value.detail == "ValueError: boom"


def test_keys_differ_by_database_and_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from django.conf import settings

    key = shared.cache_key("plan", "13.72", 1, 2, "t")
    assert key == shared.cache_key("plan", "13.72", 1, 2, "t")
    assert key != shared.cache_key("plan", "13.72", 1, 3, "t")
    other = {**settings.DATABASES["default"], "NAME": "another.sqlite3"}
    monkeypatch.setattr(shared, "settings", SimpleNamespace(DATABASES={"default": other}))
    assert shared.cache_key("plan", "13.72", 1, 2, "t") != key


def test_keys_carry_the_package_and_reference_data_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sanitasi.io import reference

    key = shared.cache_key("plan", "13.72", 1, 2, "t")
    version = reference.reference_version()
    assert version.startswith(reference.package_version() + "+ref.")
    assert version.endswith(reference.reference_digest()[:16])
    # another reference data digest (a parameter edited in place) or another release: new key
    monkeypatch.setattr(shared, "reference_version", lambda: "0.1.0+ref.0000000000000000")
    assert shared.cache_key("plan", "13.72", 1, 2, "t") != key
    monkeypatch.setattr(shared, "reference_version", lambda: "9.9.9+ref." + version[-16:])
    assert shared.cache_key("plan", "13.72", 1, 2, "t") != key


# ------------------------------------------------------------------- several processes


def _worker(key: str, marks: str, barrier: Any, out: Any) -> None:
    def slow_build() -> str:
        with open(marks, "a", encoding="utf-8") as fh:
            fh.write("built\n")
        time.sleep(0.5)  # widens the window in which the others look for the value
        return "value-" + key[:8]

    barrier.wait()
    out.put(shared.get_or_build(key, slow_build, lock="test-workers"))


def test_workers_meeting_a_new_key_build_it_once(tmp_path: Path) -> None:
    """Four processes (gunicorn workers) asking for the same new key at the same moment:
    one builds it under the file lock, the three others wait and read what it stored."""
    from django.conf import settings

    if not settings.CACHES["results"]["BACKEND"].endswith("FileBasedCache"):
        pytest.skip(
            "file cache and file lock (SQLite); on PostgreSQL the cache is a table and the lock "
            "an advisory lock, shared across instances: tests/web/test_web_scale_out.py"
        )
    ctx = multiprocessing.get_context("fork")
    key = shared.cache_key("test-workers", uuid.uuid4().hex)
    marks = str(tmp_path / "builds.txt")
    barrier, out = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(key, marks, barrier, out)) for _ in range(4)]
    for p in procs:
        p.start()
    # a worker that dies never answers: fail after 15 minutes (a hang guard, not a speed check)
    values = [out.get(timeout=900) for _ in procs]
    for p in procs:
        p.join()
        assert p.exitcode == 0
    assert values == ["value-" + key[:8]] * 4
    assert Path(marks).read_text(encoding="utf-8").splitlines() == ["built"]


# ------------------------------------------------------------------- precompute after save


@pytest.mark.django_db(transaction=False)
def test_a_save_precomputes_the_new_version(
    demo: str,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """With ``SANITASI_PRECOMPUTE`` on, the save's commit computes the new version's plan and
    default monitoring report (in a thread; here inline), so a dashboard of any worker
    afterwards computes nothing."""
    settings.SANITASI_PRECOMPUTE = True
    settings.SANITASI_SUMMARIES_AFTER_SAVE = False  # the province summary: test_web_province
    threads: list[str] = []

    def inline(target: Callable[[], None], name: str) -> None:
        threads.append(name)
        target()

    monkeypatch.setattr(results, "start_thread", inline)
    monkeypatch.setattr(results.connections, "close_all", lambda: None)  # the test's own
    client_for("viewer").get(f"/cities/{demo}/")
    before = dict(results.runs)
    act = local_activity("LS-01", "13.72.01.1001", "DLH", ("KEC_LS",))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.create(user("opd-dlh"), act, 2026, 4, output_achieved=3)
    assert threads == [f"sanitasi-warm-{demo}"]  # one warm-up for the several entries
    assert results.runs["plan"] == before["plan"] + 1
    assert results.runs["monitoring"] == before["monitoring"] + 1
    shared.clear_local()
    assert client_for("viewer").get(f"/cities/{demo}/").status_code == 200
    assert results.runs == {
        "plan": before["plan"] + 1,
        "monitoring": before["monitoring"] + 1,
    }


def test_precompute_is_off_by_default(
    demo: str, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    started: list[str] = []
    monkeypatch.setattr(results, "start_thread", lambda target, name: started.append(name))
    act = local_activity("LS-01", "13.72.01.1001", "DLH", ("KEC_LS",))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.create(user("opd-dlh"), act, 2026, 4, output_achieved=3)
    assert started == []


def test_each_xdist_worker_has_its_own_home() -> None:
    """Under pytest-xdist every worker has its own ``SANITASI_HOME`` (caches, locks): with
    one shared folder a cache clear in one worker emptied the cache another was reading."""
    import os

    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        pytest.skip("not under pytest-xdist")
    assert Path(settings.HOME).name == worker
    for alias in ("results", "charts", "downloads"):
        if settings.CACHES[alias]["BACKEND"].endswith("FileBasedCache"):  # tables on PostgreSQL
            assert Path(settings.CACHES[alias]["LOCATION"]).is_relative_to(settings.HOME)
