"""Load benchmark (issue 12 item 8): 50 clients on loopback for a bounded time, mixed reads
and writes, on SQLite and (when a server is reachable) on PostgreSQL; prints p50/p95/p99 per
kind of request and the errors.

Each engine gets a throwaway database with the Kota Solok demo and a real ``sanitasi serve``
(gunicorn gthread, the task queue as serve sets it). Of the ``--clients`` threads every
fifth writes (PATCH of its own draft realisation through the API as opd-dlh: each save is a
new data version, precomputed in the background), the others read in turn: the city's
indicators through the API as is (``read``: always the current data version, so a read may
wait for a plan build) and with ``Cache-Control: max-stale`` (``read-stale``: the previous
version answers while a new one is built), the realisation list (``read``), the dashboard
page as a signed-in viewer (``dashboard``: may show the previous version, saying so) and
``/healthz/`` (answered by threads of its own). The answers that came from the previous
version are counted (``answered stale``). Errors are 5xx answers and failed connections;
409 (a stale version) is counted apart, as a conflict.

    PYTHONPATH=src python benchmarks/load.py [--clients 50] [--seconds 20]
    SANITASI_BENCH_PG_URL=postgres://user@127.0.0.1:5432/db python benchmarks/load.py
      (the PostgreSQL database is emptied and loaded with the demo)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

from sanitasi.loadcheck import (
    free_port,
    load_demo,
    login,
    percentile,
    server_env,
    start_server,
    stop_server,
    wait_healthy,
)

KODE = "13.72"


def token(env: dict[str, str], username: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "sanitasi.web.manage", "api_token", username],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def call(
    base: str,
    method: str,
    path: str,
    tok: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    seen: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """(status, JSON body) of an API call; ``seen``: filled with the response headers."""
    req = urllib.request.Request(
        base + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={
            "Authorization": f"Bearer {tok}",
            "Content-Type": "application/json",
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            raw = r.read()
            if seen is not None:
                seen.update(r.headers.items())
            return r.status, json.loads(raw) if raw[:1] in (b"{", b"[") else raw
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def drafts(base: str, opd: str, wanted: int) -> list[dict[str, Any]]:
    """Draft realisations of opd-dlh to edit (one per writer where possible): the quarters
    of 2026 first (the demo's realisation fills 2025), for each activity opd-dlh may report
    on; prints the answers it got."""
    status, acts = call(base, "GET", f"/api/cities/{KODE}/activities?limit=200", opd)
    codes = [a["code"] for a in acts.get("items", [])] if status == 200 else []
    rows: list[dict[str, Any]] = []
    answers: dict[int, int] = defaultdict(int)
    periods = [(2026, q) for q in (4, 3, 2, 1)] + [(2025, q) for q in (4, 3, 2, 1)]
    for year, quarter in periods:
        for code in codes:
            if len(rows) >= wanted:
                break
            st, row = call(
                base,
                "POST",
                f"/api/cities/{KODE}/activities/{code}/realisations",
                opd,
                {"year": year, "quarter": quarter, "output": 1.0, "cost": 0.0},
            )
            answers[st] += 1
            if st == 201:
                rows.append(row)
    print(f"  drafts for the writers: {len(rows)} (answers {dict(answers)})")
    return rows


def run(
    engine: str, database_url: str, clients: int, seconds: float, workers: int, threads: int
) -> None:
    with tempfile.TemporaryDirectory(prefix=f"sanitasi-load-{engine}-") as tmp:
        home = Path(tmp)
        env = server_env(home, database_url)
        t0 = time.perf_counter()
        if database_url:
            subprocess.run(
                [sys.executable, "-m", "sanitasi.web.manage", "flush", "--no-input"],
                env=env,
                check=False,
                capture_output=True,
            )
        load_demo(env)
        opd, viewer = token(env, "opd-dlh"), token(env, "viewer")
        setup_s = time.perf_counter() - t0
        port = free_port()
        proc = start_server(env, port, workers=workers, threads=threads, log=home / "serve.log")
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, proc)
            call(base, "GET", f"/api/cities/{KODE}/indicators", viewer)  # first plan run
            rows = drafts(base, opd, max(1, clients // 5))
            times: dict[str, list[float]] = defaultdict(list)
            errors: dict[str, int] = defaultdict(int)
            conflicts = [0]
            lock = threading.Lock()
            stop = time.monotonic() + seconds
            browser = login(base, "viewer")
            browser.get(f"/cities/{KODE}/")  # the dashboard of the first version
            # (kind, path): the API's default answers are current; ``read-stale`` sends
            # ``Cache-Control: max-stale`` and the dashboard may show the previous version
            # while a new one is built (both then carry ``Sanitasi-Stale: 1``)
            reads = [
                ("read", f"/api/cities/{KODE}/indicators"),
                ("read-stale", f"/api/cities/{KODE}/indicators"),
                ("read", f"/api/cities/{KODE}/realisations?limit=20"),
                ("dashboard", f"/cities/{KODE}/"),
                ("healthz", "/healthz/"),
            ]
            stale: dict[str, int] = defaultdict(int)

            def client(i: int) -> None:
                row = dict(rows[(i // 5) % len(rows)]) if rows and i % 5 == 0 else None
                n = 0
                while time.monotonic() < stop:
                    n += 1
                    t = time.perf_counter()
                    try:
                        if row is not None:
                            kind = "write"
                            st, body = call(
                                base,
                                "PATCH",
                                f"/api/cities/{KODE}/realisations/{row['id']}",
                                opd,
                                {"version": row["version"], "output": float(n)},
                            )
                            if st == 200:
                                row["version"] = body["version"]
                            elif st == 409:
                                st2, fresh = call(
                                    base, "GET", f"/api/cities/{KODE}/realisations/{row['id']}", opd
                                )
                                if st2 == 200:
                                    row["version"] = fresh["version"]
                        else:
                            kind, path = reads[(i + n) % len(reads)]
                            seen: dict[str, str] = {}
                            if kind == "healthz":
                                st = urllib.request.urlopen(base + path, timeout=600).status
                            elif kind == "dashboard":
                                st, _, seen = browser.get(path)
                            else:
                                extra = (
                                    {"Cache-Control": "max-stale"} if kind == "read-stale" else {}
                                )
                                st, _ = call(base, "GET", path, viewer, headers=extra, seen=seen)
                            if seen.get("Sanitasi-Stale") == "1":
                                with lock:
                                    stale[kind] += 1
                    except OSError:
                        st = 599
                    took = time.perf_counter() - t
                    with lock:
                        times[kind].append(took)
                        if st >= 500:
                            errors[kind] += 1
                        if st == 409:
                            conflicts[0] += 1

            pool = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
            for t in pool:
                t.start()
            for t in pool:
                t.join()
        finally:
            stop_server(proc)
    print(
        f"{engine}: {clients} clients x {seconds:.0f} s, {workers} workers x {threads} "
        f"threads (set-up {setup_s:.0f} s, load average {os.getloadavg()[0]:.1f})"
    )
    for kind in ("read", "read-stale", "dashboard", "write", "healthz"):
        xs = times.get(kind, [])
        if xs:
            print(
                f"  {kind:10s} n={len(xs):5d} p50={percentile(xs, 50) * 1000:7.1f} ms "
                f"p95={percentile(xs, 95) * 1000:7.1f} ms p99={percentile(xs, 99) * 1000:7.1f} ms "
                f"errors={errors.get(kind, 0)}"
                + (f" answered stale={stale[kind]}" if kind in ("read-stale", "dashboard") else "")
            )
    print(f"  conflicts (409, stale version) {conflicts[0]}; errors {sum(errors.values())}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--no-sqlite", dest="sqlite", action="store_false")
    args = ap.parse_args()
    if args.sqlite:
        run("sqlite", "", args.clients, args.seconds, args.workers, args.threads)
    pg = os.environ.get("SANITASI_BENCH_PG_URL", "").strip()
    if pg:
        run("postgresql", pg, args.clients, args.seconds, args.workers, args.threads)
    else:
        print("postgresql: skipped (set SANITASI_BENCH_PG_URL to a throwaway database)")


if __name__ == "__main__":
    main()
