"""The gunicorn worker of ``sanitasi serve`` answers ``/healthz/`` on threads of its own
(:mod:`sanitasi.web.health_worker`): which connections go where, decided from the peeked
first bytes (nothing consumed)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from sanitasi.web.health_worker import HealthThreadWorker, is_health_check


def test_only_a_complete_health_check_head_is_one() -> None:
    assert is_health_check(b"GET /healthz/ HTTP/1.1\r\nHost: x\r\n\r\n")
    assert is_health_check(b"HEAD /healthz/ HTTP/1.0\r\n\r\n")
    assert not is_health_check(b"GET /healthz/ HTTP/1.1\r\nHost: x\r\n")  # head not ended
    assert not is_health_check(b"GET /healthz/x HTTP/1.1\r\n\r\n")
    assert not is_health_check(b"POST /healthz/ HTTP/1.1\r\n\r\n")
    assert not is_health_check(b"GET /cities/13.72/ HTTP/1.1\r\n\r\n")
    assert not is_health_check(b"")


class Pool:
    """A thread pool that records what it was given and runs nothing."""

    def __init__(self) -> None:
        self.given: list[Any] = []

    def submit(self, fn: Any, conn: Any) -> Any:
        self.given.append(conn)

        class Done:
            def add_done_callback(self, callback: Any) -> None:
                pass

        return Done()


class Cfg:
    is_ssl = False
    keepalive = 2


class Conn:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.parser = None


@pytest.fixture
def worker() -> HealthThreadWorker:
    w = HealthThreadWorker.__new__(HealthThreadWorker)  # no process, no loop
    w.cfg = Cfg()
    w.tpool = Pool()
    w.health_pool = Pool()  # type: ignore[assignment]
    return w


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    a, b = socket.socketpair()
    yield a, b
    a.close()
    b.close()


@pytest.mark.parametrize(
    ("sent", "to_health"),
    [
        (b"GET /healthz/ HTTP/1.1\r\nHost: x\r\n\r\n", True),
        (b"GET /healthz/ HTTP/1.1\r\nHost: x\r\n", False),  # a slow health check
        (b"GET /cities/13.72/ HTTP/1.1\r\nHost: x\r\n\r\n", False),
        (b"", False),  # nothing sent yet
    ],
)
def test_enqueue_routes_by_the_first_bytes(
    worker: HealthThreadWorker,
    pair: tuple[socket.socket, socket.socket],
    sent: bytes,
    to_health: bool,
) -> None:
    server, client = pair
    if sent:
        client.sendall(sent)
    conn = Conn(server)
    worker.enqueue_req(conn)
    assert (worker.health_pool.given, worker.tpool.given) == (  # type: ignore[attr-defined]
        ([conn], []) if to_health else ([], [conn])
    )
    if sent:  # peeked, not consumed: the request is read whole by the thread
        server.setblocking(False)
        assert server.recv(4096) == sent


def test_bytes_read_ahead_go_the_ordinary_way(
    worker: HealthThreadWorker, pair: tuple[socket.socket, socket.socket]
) -> None:
    """A kept-alive connection whose parser already holds the next request's bytes: the
    socket's bytes are not that request's, so it is not routed by them."""
    import io

    server, client = pair
    client.sendall(b"GET /healthz/ HTTP/1.1\r\nHost: x\r\n\r\n")
    conn = Conn(server)

    class Parser:
        class unreader:  # gunicorn's attribute name
            buf = io.BytesIO(b"GET /cities/ HTTP/1.1\r\n")

    conn.parser = Parser()  # type: ignore[assignment]
    worker.enqueue_req(conn)
    assert worker.tpool.given == [conn] and worker.health_pool.given == []  # type: ignore[attr-defined]


def test_ssl_is_never_peeked(
    worker: HealthThreadWorker, pair: tuple[socket.socket, socket.socket]
) -> None:
    server, client = pair
    client.sendall(b"GET /healthz/ HTTP/1.1\r\nHost: x\r\n\r\n")
    worker.cfg.is_ssl = True  # type: ignore[misc]
    conn = Conn(server)
    worker.enqueue_req(conn)
    assert worker.tpool.given == [conn]  # type: ignore[attr-defined]
