"""A real server under load, for ``tests/web/test_web_healthz_load.py`` and
``benchmarks/healthz.py`` / ``benchmarks/load.py`` (outside the layers, like ``bench.py``;
standard library only on the client side).

:func:`start_server` runs ``python -m sanitasi.web.serve`` (gunicorn, the task queue as
``sanitasi serve`` sets it) on a database; :func:`starve` opens what issue 12 item 4 names:
slow sockets (one header line, then nothing), PDF requests, the largest allowed upload
(streamed in paced chunks), and measures ``/healthz/`` while they are in flight.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Only a hung server stops the wait (no speed expectation: CI machines are loaded).
HANG_GUARD_S = 1800.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(home: Path, database_url: str = "", **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "SANITASI_HOME": str(home),
        "DATABASE_URL": database_url or f"sqlite:///{home / 'web.sqlite3'}",
        "SANITASI_SECRET_KEY": os.environ.get("SANITASI_SECRET_KEY", "loadcheck-secret"),
        "DJANGO_SETTINGS_MODULE": "sanitasi.web.settings",
    }
    env.update(extra)
    return env


def load_demo(env: Mapping[str, str]) -> None:
    """Migrate and load the Kota Solok demo (with its accounts, password ``demo``)."""
    manage = [sys.executable, "-m", "sanitasi.web.manage"]
    subprocess.run([*manage, "migrate", "-v", "0"], env=dict(env), check=True)
    subprocess.run(
        [*manage, "load_city", "--demo"], env=dict(env), check=True, stdout=subprocess.DEVNULL
    )


def start_server(
    env: Mapping[str, str], port: int, *, workers: int = 2, threads: int = 8, log: Path
) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "sanitasi.web.serve", "--port", str(port)]
    args += ["--workers", str(workers), "--threads", str(threads)]
    out = log.open("wb")
    return subprocess.Popen(
        args, env=dict(env), stdout=out, stderr=subprocess.STDOUT, cwd=str(log.parent)
    )


def wait_healthy(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + HANG_GUARD_S
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz/", timeout=30) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"server did not start (exit {proc.poll()})")
        time.sleep(0.3)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Session:
    """A signed-in browser: cookies, the CSRF token."""

    base: str
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def opener(self, follow: bool = True) -> urllib.request.OpenerDirector:
        handlers: list[Any] = [urllib.request.HTTPCookieProcessor(self.jar)]
        if not follow:
            handlers.append(NoRedirect())
        return urllib.request.build_opener(*handlers)

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.jar if c.name == name), "")

    def get(self, path: str, follow: bool = True) -> tuple[int, bytes, dict[str, str]]:
        try:
            with self.opener(follow).open(self.base + path, timeout=HANG_GUARD_S) as r:
                return r.status, r.read(), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read(), dict(e.headers or {})

    def post(
        self, path: str, data: Mapping[str, str], headers: Mapping[str, str] | None = None
    ) -> tuple[int, bytes]:
        body = urllib.parse.urlencode(data).encode()
        req = urllib.request.Request(self.base + path, data=body, method="POST")
        req.add_header("Referer", self.base + path)
        req.add_header("X-CSRFToken", self.cookie("csrftoken"))
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with self.opener(follow=False).open(req, timeout=HANG_GUARD_S) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()


def login(base: str, username: str, password: str = "demo") -> Session:
    s = Session(base)
    status, body, _ = s.get("/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    data = {
        "username": username,
        "password": password,
        "csrfmiddlewaretoken": token.group(1).decode() if token else "",
    }
    status, _ = s.post("/accounts/login/", data)
    if status != 302:
        raise RuntimeError(f"login of {username} failed ({status})")
    return s


def healthz_once(base: str) -> tuple[int, float]:
    t0 = time.perf_counter()
    with urllib.request.urlopen(f"{base}/healthz/", timeout=HANG_GUARD_S) as r:
        r.read()
        return r.status, time.perf_counter() - t0


def slow_sockets(port: int, n: int) -> list[socket.socket]:
    """``n`` clients that send one header line and then nothing (a slowloris)."""
    out = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /healthz/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        out.append(s)
    return out


def paced_upload(
    port: int,
    session: Session,
    path: str,
    size: int,
    stop: threading.Event,
    chunk: int = 256 * 1024,
    pause: float = 0.05,
) -> threading.Thread:
    """POST a multipart upload of ``size`` bytes to ``path``, ``chunk`` bytes every
    ``pause`` seconds (in flight for ``size / chunk * pause`` s; faster once ``stop``)."""
    boundary = "sanitasiloadcheck"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="big.geojson"\r\nContent-Type: application/json\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    payload = size - len(head) - len(tail)

    def run() -> None:
        s = socket.create_connection(("127.0.0.1", port))
        try:
            cookies = "; ".join(f"{c.name}={c.value}" for c in session.jar)
            s.sendall(
                (
                    f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookies}\r\n"
                    f"X-CSRFToken: {session.cookie('csrftoken')}\r\n"
                    f"Referer: {session.base}{path}\r\n"
                    f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                    f"Content-Length: {size}\r\nConnection: close\r\n\r\n"
                ).encode()
            )
            s.sendall(head)
            left = payload
            block = b" " * chunk
            while left > 0:
                n = min(chunk, left)
                s.sendall(block[:n])
                left -= n
                if not stop.is_set():
                    time.sleep(pause)
            s.sendall(tail)
            s.settimeout(HANG_GUARD_S)
            while s.recv(65536):
                pass
        except OSError:
            pass  # the server may answer (and close) before reading it all
        finally:
            s.close()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


@dataclass
class StarveResult:
    healthz_s: list[float]
    healthz_status: list[int]
    pdf_status: list[int]


def starve(
    base: str,
    port: int,
    kode: str,
    *,
    slow: int = 5,
    pdfs: int = 8,
    upload_mb: float = 20.0,
    samples: int = 10,
) -> StarveResult:
    """Open ``slow`` slow sockets, send ``pdfs`` PDF requests (monitoring reports of
    distinct quarters, as the viewer) and the ``upload_mb`` upload (as the admin, to the
    boundary upload), then time ``samples`` ``/healthz/`` requests while they are in flight."""
    viewer = login(base, "viewer")
    admin = login(base, "admin")
    sockets = slow_sockets(port, slow)
    stop = threading.Event()
    pdf_status: list[int] = []
    periods = [(year, q) for year in (2025, 2026) for q in (1, 2, 3, 4)][:pdfs]

    def pdf(year: int, quarter: int) -> None:
        status, _, _ = viewer.get(
            f"/cities/{kode}/downloads/monitoring.pdf?year={year}&quarter={quarter}",
            follow=False,
        )
        pdf_status.append(status)

    threads = [threading.Thread(target=pdf, args=p, daemon=True) for p in periods]
    for t in threads:
        t.start()
    upload = paced_upload(port, admin, f"/cities/{kode}/boundaries/", int(upload_mb * 1e6), stop)
    time.sleep(0.5)  # let the server take them
    times, statuses = [], []
    try:
        for _ in range(samples):
            status, took = healthz_once(base)
            times.append(took)
            statuses.append(status)
            time.sleep(0.1)
    finally:
        stop.set()
        for t in threads:
            t.join(HANG_GUARD_S)
        upload.join(HANG_GUARD_S)
        for s in sockets:
            s.close()
    return StarveResult(times, statuses, pdf_status)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


__all__ = [
    "Session",
    "StarveResult",
    "free_port",
    "healthz_once",
    "load_demo",
    "login",
    "percentile",
    "server_env",
    "slow_sockets",
    "start_server",
    "starve",
    "stop_server",
    "wait_healthy",
]
