"""``python -m sanitasi.web.serve``: gunicorn (not runserver) with static files, migrating on
start, SQLite in WAL mode."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> tuple[int, bytes, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, r.read(), dict(r.headers)


#: Only a hung server is a failure; a slow one is not (no wall-clock expectation).
HANG_GUARD_S = 1800


@dataclass(frozen=True)
class Server:
    """The module's running server: its URL, port, home folder, database file, process, log."""

    base: str
    port: int
    home: Path
    db: Path
    proc: subprocess.Popen[bytes]
    log: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One ``python -m sanitasi.web.serve`` for the module, on a new SQLite file: 1 worker x
    2 request threads (the worker count from ``SANITASI_WORKERS``, the threads from
    ``--threads``). Both tests only read from it; its start-up (migrate, collectstatic: the
    slow part) is what :func:`test_serve` checks, so it is paid once."""
    home = tmp_path_factory.mktemp("serve")
    port = free_port()
    db = home / "web.sqlite3"
    env = {
        **os.environ,
        "SANITASI_HOME": str(home),
        "DATABASE_URL": f"sqlite:///{db}",
        "SANITASI_SECRET_KEY": "serve-test",
        "SANITASI_WORKERS": "1",
    }
    log_path = home / "serve.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sanitasi.web.serve", "--port", str(port), "--threads", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=home,
    )
    try:
        yield Server(f"http://127.0.0.1:{port}", port, home, db, proc, log_path)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _wait_healthy(server: Server) -> tuple[int, bytes, dict[str, str]]:
    """The first ``/healthz/`` answer, waited for as long as the process lives: start-up
    (migrate, collectstatic) takes seconds on an idle machine and minutes on a loaded CI
    machine; the guard only stops a hung process from hanging the suite."""
    deadline = time.monotonic() + HANG_GUARD_S
    while True:
        try:
            return fetch(f"{server.base}/healthz/")
        except OSError:
            if server.proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(server.log.read_text(errors="replace"))
            time.sleep(0.3)


def test_serve(server: Server) -> None:
    status, body, headers = _wait_healthy(server)
    assert status == 200 and body == b"ok\n"
    assert "gunicorn" in headers.get("Server", "")
    base = server.base
    htmx = ROOT / "src" / "sanitasi" / "web" / "static" / "vendor" / "htmx.min.js"
    status, body, _ = fetch(f"{base}/static/vendor/htmx.min.js")
    assert status == 200 and body == htmx.read_bytes()
    status, body, _ = fetch(f"{base}/static/vendor/vega/vega-lite.min.js")
    assert status == 200 and len(body) > 100_000
    status, body, _ = fetch(f"{base}/accounts/login/")
    assert status == 200 and b"Masuk" in body
    with sqlite3.connect(server.db) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert "monitoring_realisation" in tables  # migrated on start
    assert (server.home / "static" / "vendor" / "htmx.min.js").is_file()  # collected
    assert (server.home / "secret_key").exists() is False  # key came from the environment


def test_slow_clients_do_not_block_healthz(server: Server) -> None:
    """Issue 12 item 4: five clients that send one header line and then nothing (a
    slowloris) hold a request thread each, and there are only 2 (1 worker x 2 threads): every
    request thread is held, yet ``/healthz/`` answers while their sockets are open, from the
    threads reserved for it (:mod:`sanitasi.web.health_worker`; gunicorn's stock gthread
    worker would leave it waiting behind them). Ordinary pages do wait: the README's
    deployment section puts a buffering reverse proxy in front. No speed is asserted;
    ``urlopen``'s timeout is a hang guard."""
    base, port = server.base, server.port
    slow: list[socket.socket] = []
    try:
        _wait_healthy(server)
        for _ in range(5):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /healthz/ HTTP/1.1\r\nHost: x\r\n")  # headers never end
            slow.append(s)
        time.sleep(1)  # let the worker hand them to threads (they block reading headers)
        for _ in range(3):
            with urllib.request.urlopen(f"{base}/healthz/", timeout=120) as r:
                assert r.status == 200 and r.read() == b"ok\n"
        for s in slow:  # the slow clients are still connected, not dropped
            s.sendall(b"X-Slow: 1\r\n")
    finally:
        for s in slow:
            s.close()
