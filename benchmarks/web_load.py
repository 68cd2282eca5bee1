"""Web load benchmark: ``sanitasi serve`` (gunicorn, several workers) on loopback.

Run ``python benchmarks/web_load.py [--workers 4] [--threads 4] [--clients 20]
[--seconds 20] [--saves 3] [--no-pdf]``. It creates a throwaway SQLite database (WAL) in a
temporary ``SANITASI_HOME``, migrates, loads the Kota Solok demo, starts the server as
``sanitasi serve`` does (gthread workers, precompute after saves) with an access log that
names the worker process of every request, signs in as the koordinator over HTTP, and
measures:

1. **after a save**: a realisation saved through the API (``opd-dlh``: a draft, then its
   output changed: every save is a new data version), then dashboard requests one at a time
   until every worker has served one; per worker, the time of its first dashboard after the
   save, (a) right after the save (a worker may wait for the computation in progress) and
   (b) once the precompute stored the new version (the goal: <= 300 ms for every worker);
2. **warm dashboard under load**: ``--clients`` threads, each on its own keep-alive
   connection, requesting the dashboard back to back for ``--seconds``; p50, p95, p99 and
   throughput (the goal: p95 <= 150 ms at 20 clients);
3. **plan.pdf cold**: after one more save, the plan PDF (nothing else running), then warm.

Times are wall clock on the client side, in ms; the machine's load average is printed with
them (a shared machine makes them slower). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

HOST = "127.0.0.1"
LOG_FORMAT = '%(p)s %(D)s "%(r)s" %(s)s'
LOG_LINE = re.compile(r'^<(\d+)> (\d+) "(\S+) (\S+) [^"]*" (\d+)$')


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def pct(values: list[float], q: float) -> float:
    """The ``q`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass
class Answer:
    status: int
    ms: float
    body: bytes
    headers: dict[str, str]


class Browser:
    """A signed-in client on one keep-alive connection (cookies kept)."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies = dict(cookies or {})
        self.conn = http.client.HTTPConnection(HOST, port, timeout=600)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        head = {"Host": f"{HOST}:{self.port}", **(headers or {})}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        t0 = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=head)
            r = self.conn.getresponse()
        except (http.client.HTTPException, OSError):  # the server closed the connection
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=600)
            self.conn.request(method, path, body=body, headers=head)
            r = self.conn.getresponse()
        data = r.read()
        ms = (time.perf_counter() - t0) * 1000.0
        for value in r.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(value)
            for k, morsel in jar.items():
                self.cookies[k] = morsel.value
        return Answer(r.status, ms, data, {k.lower(): v for k, v in r.headers.items()})

    def fresh(self) -> Browser:
        """The same session on a new connection (the kernel picks the worker anew)."""
        self.conn.close()
        return Browser(self.port, self.cookies)

    def login(self, username: str, password: str = "demo") -> None:
        page = self.request("GET", "/accounts/login/").body.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None, "no login form"
        form = f"csrfmiddlewaretoken={token[1]}&username={username}&password={password}"
        r = self.request(
            "POST",
            "/accounts/login/",
            body=form.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert r.status == 302 and "sessionid" in self.cookies, f"login failed: {r.status}"


class Server:
    """``sanitasi serve`` in a child process, with an access log naming each worker."""

    def __init__(self, env: dict[str, str], workers: int, threads: int, home: Path) -> None:
        self.port = free_port()
        self.log = home / "access.log"
        options = {"accesslog": str(self.log), "access_log_format": LOG_FORMAT, "errorlog": "-"}
        code = (
            "from sanitasi.web.serve import serve; "
            f"serve({HOST!r}, {self.port}, workers={workers}, threads={threads}, "
            f"migrate=False, options={options!r})"
        )
        self.out = (home / "server.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=self.out, stderr=subprocess.STDOUT
        )
        self.offset = 0
        deadline = time.monotonic() + 300
        while True:
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit((home / "server.log").read_text(errors="replace")) from None
                time.sleep(0.2)

    def new_lines(self) -> list[tuple[int, float, str, str, int]]:
        """Access-log lines since the last call: (worker pid, server ms, method, path, status)."""
        time.sleep(0.05)  # gunicorn writes the line after the response
        with self.log.open(encoding="utf-8") as fh:
            fh.seek(self.offset)
            text = fh.read()
            self.offset = fh.tell()
        out = []
        for line in text.splitlines():
            m = LOG_LINE.match(line.strip())
            if m:
                out.append((int(m[1]), int(m[2]) / 1000.0, m[3], m[4], int(m[5])))
        return out

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=60)
        self.out.close()


def setup(home: Path) -> tuple[dict[str, str], str, str]:
    """Migrate, load the demo, issue an API token for opd-dlh; the server's environment."""
    env = {
        **os.environ,
        "SANITASI_HOME": str(home),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{home / 'web.sqlite3'}",
        "SANITASI_SECRET_KEY": "benchmark-only-not-a-secret",
        "DJANGO_SETTINGS_MODULE": "sanitasi.web.settings",
        "SANITASI_PRECOMPUTE": "1",
    }
    os.environ.update({k: env[k] for k in ("SANITASI_HOME", "DATABASE_URL")})
    os.environ.update({k: env[k] for k in ("SANITASI_SECRET_KEY", "DJANGO_SETTINGS_MODULE")})
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    from sanitasi.web.api.models import ApiToken
    from sanitasi.web.loader import load_city_folder

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    kode = load_city_folder(None, demo=True, on_exists="skip").city_kode
    token = ApiToken.issue(get_user_model().objects.get(username="opd-dlh"))
    print(f"set-up (migrate + load demo): {(time.perf_counter() - t0) * 1000:,.0f} ms")
    connections.close_all()
    return env, kode, token


class Saver:
    """Saves through the API as opd-dlh: a draft realisation of PS-02 2026 Q4, then its
    output changed (each save is an audit entry: a new data version)."""

    def __init__(self, port: int, kode: str, token: str) -> None:
        self.b = Browser(port)
        self.kode, self.token = kode, token
        self.pk: int | None = None
        self.version = 0
        self.output = 1.0

    def save(self) -> float:
        head = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        self.output += 1
        if self.pk is None:
            body = {"year": 2026, "quarter": 4, "output": self.output, "cost": 0.0}
            path = f"/api/cities/{self.kode}/activities/PS-02/realisations"
            r = self.b.request("POST", path, json.dumps(body).encode(), head)
        else:
            body = {"version": self.version, "output": self.output}
            path = f"/api/cities/{self.kode}/realisations/{self.pk}"
            r = self.b.request("PATCH", path, json.dumps(body).encode(), head)
        assert r.status in (200, 201), (r.status, r.body[:300])
        row = json.loads(r.body)
        self.pk, self.version = int(row["id"]), int(row["version"])
        return r.ms


def precomputed(kode: str) -> bool:
    """Whether the current data version's plan, default monitoring report and dashboard
    parts are in the shared cache (the benchmark reads the server's cache)."""
    from django.core.cache import caches

    from sanitasi.web.monitoring.period import default_period
    from sanitasi.web.plans.results import version_key

    year, quarter = default_period(kode)
    keys = [
        version_key("plan", kode),
        version_key("monitoring", kode, year, quarter),
        version_key("dashboard", kode, "id", year, quarter),
    ]
    return all(caches["results"].has_key(k) for k in keys)


def every_worker(
    server: Server, browser: Browser, path: str, workers: int, limit: int = 400
) -> dict[int, float]:
    """Request ``path`` one request at a time, each on a new connection, until every worker
    has served one: pid -> client ms of its first response."""
    first: dict[int, float] = {}
    server.new_lines()
    for _ in range(limit):
        browser = browser.fresh()
        r = browser.request("GET", path)
        assert r.status == 200, r.status
        for pid, _server_ms, _m, p, _s in server.new_lines():
            if p.split("?")[0] == path and pid not in first:
                first[pid] = r.ms
        if len(first) >= workers:
            break
    return first


def load(port: int, cookies: dict[str, str], path: str, clients: int, seconds: float) -> None:
    """``clients`` threads on keep-alive connections, back to back, for ``seconds``."""
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client() -> None:
        b = Browser(port, cookies)
        b.request("GET", path)  # open the connection, warm
        start.wait()
        mine: list[float] = []
        while time.perf_counter() < stop_at[0]:
            r = b.request("GET", path)
            if r.status != 200:
                errors.append(str(r.status))
            mine.append(r.ms)
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    stop_at[0] = time.perf_counter() + seconds + 3600  # set properly once all are ready
    start.wait()
    t0 = time.perf_counter()
    stop_at[0] = t0 + seconds
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    print(
        f"warm dashboard, {clients} concurrent clients, {elapsed:.0f} s: {len(times)} requests "
        f"({len(times) / elapsed:.1f}/s), p50 {pct(times, 50):.0f} ms, p95 {pct(times, 95):.0f} "
        f"ms, p99 {pct(times, 99):.0f} ms, max {max(times):.0f} ms, errors {len(errors)}"
    )


def loadavg() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def main(args: argparse.Namespace) -> None:
    home = Path(tempfile.mkdtemp(prefix="sanitasi-bench-load-"))
    env, kode, token = setup(home)
    server = Server(env, args.workers, args.threads, home)
    try:
        run(server, kode, token, args)
    finally:
        server.stop()


def run(server: Server, kode: str, token: str, args: argparse.Namespace) -> None:
    print(f"gunicorn gthread: {args.workers} workers x {args.threads} threads; load {loadavg()}")
    dash = f"/cities/{kode}/"
    b = Browser(server.port)
    b.login("koordinator")
    first = b.request("GET", dash)
    print(f"dashboard, first request of the server (cold, plan computed): {first.ms:,.0f} ms")
    every_worker(server, b, dash, args.workers)  # every worker has loaded the version
    saver = Saver(server.port, kode, token)

    def after_save(label: str, wait: bool) -> None:
        save_ms = saver.save()
        waited = 0.0
        if wait:
            t0 = time.perf_counter()
            while not precomputed(kode):
                time.sleep(0.05)
            waited = (time.perf_counter() - t0) * 1000.0
        per_worker = every_worker(server, b, dash, args.workers)
        times = " ".join(f"{ms:,.0f}" for ms in per_worker.values())
        note = f", precompute done {waited:,.0f} ms after the save" if wait else ""
        print(
            f"{label}: save {save_ms:,.0f} ms{note}; first dashboard of each of "
            f"{len(per_worker)} workers: {times} ms (max {max(per_worker.values()):,.0f})"
        )

    for i in range(args.saves):
        after_save(f"save {i + 1}, dashboards right after", wait=False)
        after_save(f"save {i + 1}b, dashboards once precomputed", wait=True)
    every_worker(server, b, dash, args.workers)
    load(server.port, b.cookies, dash, args.clients, args.seconds)
    print(f"load average after: {loadavg()}")
    if args.pdf:
        saver.save()
        for label in ("plan.pdf cold (new data version)", "plan.pdf warm (cached)"):
            r = b.fresh().request("GET", f"/cities/{kode}/downloads/plan.pdf")
            assert r.status == 200, r.status
            pages = len(re.findall(rb"/Type\s*/Page[^s]", r.body))
            print(f"{label}: {r.ms:,.0f} ms, {len(r.body) / 1024:,.0f} kB, {pages} pages")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--saves", type=int, default=3)
    ap.add_argument("--no-pdf", dest="pdf", action="store_false")
    main(ap.parse_args())
