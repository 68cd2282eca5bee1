"""gunicorn's ``gthread`` worker with a path for ``/healthz/`` that no queued request can hold
(issue 12 item 4).

In the stock worker every request of a process, health checks included, waits for one of the
``--threads`` request threads: when they are all busy (a run of saves, each read waiting for a
new plan; PDF or upload requests), a load balancer's health check waits behind them and the
instance is taken for dead. :class:`HealthThreadWorker` changes two things:

1. **A health check has its own threads.** When a connection becomes readable, the worker
   peeks at its first bytes (``MSG_PEEK``: nothing is consumed). A request whose head is
   complete and is ``GET`` or ``HEAD /healthz/`` is handed to a pool of
   :data:`HEALTH_THREADS` threads that serves nothing else; every other request goes to the
   request threads as before. A health check sent slowly (its head not complete in the
   first bytes) goes the ordinary way, so a slow client cannot hold the health threads.
2. **A new connection takes no thread until it sends.** The stock worker hands a new
   connection to a request thread, which waits up to 5 s for its first bytes; this worker
   keeps it in the poller (as gunicorn does with a connection deferred after that wait) and
   hands it over once readable, so the peek above sees its request.

TLS terminated by gunicorn itself (``certfile``) cannot be peeked: then every request takes
the ordinary way (the documented deployment terminates TLS at the reverse proxy).
"""

from __future__ import annotations

import errno
import selectors
import socket
import time
from concurrent import futures
from functools import partial
from typing import Any

from gunicorn.workers.gthread import DEFAULT_WORKER_DATA_TIMEOUT, TConn, ThreadWorker

#: Threads of each worker process that answer ``/healthz/`` only.
HEALTH_THREADS = 2
#: Request lines routed to the health threads (the head must also be complete).
HEALTH_REQUESTS: tuple[bytes, ...] = (b"GET /healthz/ ", b"HEAD /healthz/ ")
#: Bytes peeked at (a health check's head is far shorter).
PEEK_BYTES = 2048


def is_health_check(head: bytes) -> bool:
    """Whether the first bytes of a connection are a complete ``GET``/``HEAD /healthz/``
    request head (request line and headers, ending with an empty line)."""
    return head.startswith(HEALTH_REQUESTS) and b"\r\n\r\n" in head


class HealthThreadWorker(ThreadWorker):  # type: ignore[misc]
    """The ``gthread`` worker with :data:`HEALTH_THREADS` threads reserved for
    ``/healthz/`` (module docstring)."""

    health_pool: futures.ThreadPoolExecutor

    def init_process(self) -> None:
        self.health_pool = futures.ThreadPoolExecutor(
            max_workers=HEALTH_THREADS, thread_name_prefix="sanitasi-healthz"
        )
        super().init_process()  # runs the worker's loop until it stops

    def _peek(self, conn: Any) -> bytes:
        if self.cfg.is_ssl:
            return b""
        parser = getattr(conn, "parser", None)
        if parser is not None and parser.unreader.buf.getvalue():
            return b""  # bytes already read ahead belong to the next request
        try:
            return bytes(conn.sock.recv(PEEK_BYTES, socket.MSG_PEEK | socket.MSG_DONTWAIT))
        except OSError:  # nothing yet, or the connection is gone
            return b""

    def enqueue_req(self, conn: Any) -> None:
        """A health check to the health threads, anything else to the request threads."""
        if not is_health_check(self._peek(conn)):
            super().enqueue_req(conn)
            return
        fs = self.health_pool.submit(self.handle, conn)
        fs.add_done_callback(lambda fut: self.method_queue.defer(self.finish_request, conn, fut))

    def accept(self, listener: Any) -> None:
        """Accept a connection; keep it in the poller until its first bytes arrive."""
        try:
            client_sock, client_addr = listener.accept()
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = TConn(self.cfg, client_sock, client_addr, listener.getsockname())
        if self._peek(conn):
            conn.data_ready = True
            self.enqueue_req(conn)
            return
        # as gunicorn keeps a connection deferred for want of data: in the poller, closed by
        # murder_pending() if nothing arrives in time
        conn.timeout = time.monotonic() + DEFAULT_WORKER_DATA_TIMEOUT + self.cfg.keepalive
        self.pending_conns.append(conn)
        self.poller.register(
            conn.sock, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn)
        )

    def run(self) -> None:
        try:
            super().run()
        finally:
            self.health_pool.shutdown(wait=False)

    def handle_quit(self, sig: Any, frame: Any) -> None:
        self.health_pool.shutdown(wait=False)
        super().handle_quit(sig, frame)


__all__ = ["HEALTH_REQUESTS", "HEALTH_THREADS", "HealthThreadWorker", "is_health_check"]
