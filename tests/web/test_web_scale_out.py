"""Issue 12 item 8: two app instances on one PostgreSQL (each its own ``SANITASI_HOME``:
no shared disk) share the result cache (database tables), the sessions and the task queue,
and build a value under a PostgreSQL advisory lock."""

from __future__ import annotations

import json
import threading
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection, connections

from sanitasi.web import shared

pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only (scripts/pg_test.sh)"
)


@pg_only
@pytest.mark.django_db
def test_postgresql_uses_database_caches_and_advisory_locks() -> None:
    from django.core.cache.backends.db import DatabaseCache

    assert shared.lock_kind() == "advisory"
    assert all(isinstance(caches[a], DatabaseCache) for a in ("results", "charts", "downloads"))
    other = connections.create_connection("default")
    key = shared.advisory_key("plan-13.72")
    try:
        with other.cursor() as cur:
            with shared.build_lock("plan-13.72"):
                cur.execute("SELECT pg_try_advisory_lock(%s)", [key])
                assert cur.fetchone()[0] is False  # held by this session
            cur.execute("SELECT pg_try_advisory_lock(%s)", [key])
            assert cur.fetchone()[0] is True  # released
            cur.execute("SELECT pg_advisory_unlock(%s)", [key])
    finally:
        other.close()


def test_advisory_key_is_a_stable_signed_64_bit_digest() -> None:
    k = shared.advisory_key("plan-13.72")
    assert k == shared.advisory_key("plan-13.72") != shared.advisory_key("plan-13.71")
    assert -(2**63) <= k < 2**63


@pg_only
def test_get_or_build_once_across_threads_under_the_advisory_lock(transactional_db: None) -> None:
    """Four threads (each its own PostgreSQL session) meet a missing value: one builds."""
    built: list[int] = []
    key = shared.cache_key("scale-out-test")
    caches["results"].delete(key)

    def build() -> int:
        built.append(1)
        threading.Event().wait(0.2)  # hold the lock a moment: the others must wait on it
        return 42

    def reader(out: list[Any]) -> None:
        try:
            shared.clear_local()
            out.append(shared.get_or_build(key, build, lock="scale-out-test", local=False))
        finally:
            connections.close_all()

    out: list[Any] = []
    threads = [threading.Thread(target=reader, args=(out,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == [42] * 4 and len(built) == 1
    caches["results"].delete(key)


def _rows(table: str) -> set[tuple[str, str]]:
    with connection.cursor() as cur:
        cur.execute(f"SELECT cache_key, expires::text FROM {table}")
        return {(str(a), str(b)) for a, b in cur.fetchall()}


@pg_only
@pytest.mark.slow
def test_write_through_one_instance_read_through_the_other(
    transactional_db: None, tmp_path: Path
) -> None:
    """Instance A takes a realisation (API, opd-dlh), its submission and Bappeda's
    verification, then answers the city's indicators (computing the new data version's
    plan into the shared cache); instance B, another SANITASI_HOME, lists the new row and
    answers the same indicators without building anything (no cache row written or
    refreshed: it read A's)."""
    from webhelpers import user

    from sanitasi.loadcheck import free_port, server_env, start_server, stop_server, wait_healthy
    from sanitasi.web.api.models import ApiToken

    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    opd = ApiToken.issue(user("opd-dlh"))
    bappeda = ApiToken.issue(user("koordinator"))
    viewer = ApiToken.issue(user("viewer"))
    procs, bases = [], []
    try:
        for name in ("a", "b"):
            home = tmp_path / name
            home.mkdir()
            env = server_env(home, url, SANITASI_TASKS="worker", SANITASI_TASK_WORKERS="1")
            port = free_port()
            proc = start_server(env, port, workers=1, threads=4, log=home / "serve.log")
            procs.append(proc)
            bases.append(f"http://127.0.0.1:{port}")
        for base, proc in zip(bases, procs, strict=True):
            wait_healthy(base, proc)
        a, b = bases

        def call(base: str, method: str, path: str, token: str, body: Any = None) -> Any:
            req = urllib.request.Request(
                base + path,
                data=None if body is None else json.dumps(body).encode(),
                method=method,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            with urllib.request.urlopen(req, timeout=1800) as r:
                return json.loads(r.read())

        kode = "13.72"
        before_b = call(b, "GET", f"/api/cities/{kode}/indicators", viewer)
        row = call(
            a,
            "POST",
            f"/api/cities/{kode}/activities/PS-02/realisations",
            opd,
            {"year": 2026, "quarter": 4, "output": 2.5, "cost": 1500000, "note": "via A"},
        )
        step = f"/api/cities/{kode}/realisations/{row['id']}"
        sub = call(a, "POST", f"{step}/submit", opd, {"version": row["version"]})
        call(a, "POST", f"{step}/verify", bappeda, {"version": sub["version"]})
        after_a = call(a, "GET", f"/api/cities/{kode}/indicators", viewer)
        cached = _rows("sanitasi_cache_results")
        after_b = call(b, "GET", f"/api/cities/{kode}/indicators", viewer)
        assert after_b == after_a
        assert _rows("sanitasi_cache_results") == cached  # B built and wrote nothing
        listed = call(b, "GET", f"/api/cities/{kode}/realisations?year=2026&quarter=4", viewer)
        notes = {(i["id"], i["state"], i.get("note")) for i in listed["items"]}
        assert (row["id"], "verified", "via A") in notes
        assert before_b["city_kode"] == kode
    finally:
        for proc in procs:
            stop_server(proc)
