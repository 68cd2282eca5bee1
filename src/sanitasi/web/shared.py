"""Values computed once and shared by every gunicorn worker.

A plan run of a city takes seconds; a dashboard after a save must not. :func:`get_or_build`
keeps a computed value at two levels:

1. the process's own LRU (:data:`LOCAL_ENTRIES` values; a hit costs a dictionary look-up);
2. a Django cache shared by the workers (``CACHES["results"]``, by default a file cache
   under ``$SANITASI_HOME/cache/results``; ``downloads`` for rendered reports), which keeps
   the value pickled.

A value found in neither is built under an exclusive lock (:func:`build_lock`, one lock per
city and kind of value): the first worker builds and stores it; the others wait on the lock,
then read what it stored. So N workers that meet a new data version compute once, not N
times. On PostgreSQL the lock is a **PostgreSQL advisory lock** (``pg_advisory_lock`` on a
64-bit digest of the name, held by the thread's database session) and the caches are tables
of the database (``SANITASI_CACHE=database``, the default there): every app instance on
every host that uses the database shares both (issue 12 item 8). On SQLite it is a **file
lock** (``fcntl.flock`` on ``$SANITASI_HOME/cache/locks/<name>.lock``) and the caches are
folders under ``SANITASI_HOME``: the workers of one host. Either lock held by a process that
dies is released (by the operating system; by PostgreSQL when the session ends).

Keys carry :func:`code_fingerprint` (the installed ``sanitasi`` files: an upgrade never
reads a value an older version computed), the package version with a digest of the contents
of the reference data files (:func:`sanitasi.io.reference.reference_version`: a changed
parameter, cost or target changes every key even where file sizes and times do not) and the
database's identity (two databases under
one ``SANITASI_HOME`` never share a value). A value that does not pickle is logged and kept
only in the process (nothing shared, nothing lost).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from functools import cache, wraps
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches

from sanitasi.io.reference import reference_version

log = logging.getLogger(__name__)
_T = TypeVar("_T")

#: Values kept in each process (plan runs, monitoring reports, dashboard parts).
LOCAL_ENTRIES = 48

_MISSING = object()
_local: OrderedDict[str, Any] = OrderedDict()
_local_lock = threading.Lock()

#: What happened, by event (``local``, ``shared``, ``built``, ``unshared``): tests and the
#: load benchmark read it.
stats: Counter[str] = Counter()


@cache
def code_fingerprint() -> str:
    """A digest of the installed ``sanitasi`` package (every file's path, size and mtime):
    changes when the code or the reference data change."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".csv", ".toml", ".j2", ".json", ".md"} and path.is_file():
            st = path.stat()
            h.update(f"{path.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def database_identity() -> str:
    db = settings.DATABASES["default"]
    return f"{db.get('ENGINE', '')}:{db.get('HOST', '')}:{db.get('PORT', '')}:{db.get('NAME', '')}"


def cache_key(*parts: Any) -> str:
    """The cache key of a value: a digest of ``parts``, the code, the package version and
    the digest of the reference data (:func:`sanitasi.io.reference.reference_version`,
    computed once per process) and the database."""
    text = repr((code_fingerprint(), reference_version(), database_identity(), *parts))
    return hashlib.sha256(text.encode()).hexdigest()


def lock_dir() -> Path:
    path = Path(getattr(settings, "SANITASI_LOCK_DIR", "") or settings.HOME / "cache" / "locks")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _open_lock_file(name: str) -> int:
    """A new descriptor of the lock file of ``name`` under :func:`lock_dir`."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:120] or "lock"
    return os.open(lock_dir() / f"{safe}.lock", os.O_RDWR | os.O_CREAT, 0o600)


@contextlib.contextmanager
def file_lock(name: str) -> Iterator[None]:
    """Hold the exclusive lock ``name`` (waits for the holder; released on exit, or by
    the operating system when the process dies). Also excludes the threads of one process:
    each call opens its own file description."""
    fd = _open_lock_file(name)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def advisory_key(name: str) -> int:
    """The signed 64-bit key of the advisory lock ``name`` (a digest: names never collide
    in practice)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def advisory_lock(name: str, using: str = "default") -> Iterator[None]:
    """Hold the PostgreSQL session-level advisory lock ``name`` on the connection ``using``
    of this thread (waits for the holder, in any process on any host; released on exit, or
    by the server when the session ends)."""
    from django.db import connections

    key = advisory_key(name)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def lock_kind() -> str:
    """``advisory`` on PostgreSQL, else ``file`` (``SANITASI_LOCK``: force one)."""
    forced = str(getattr(settings, "SANITASI_LOCK", "") or "")
    if forced in {"advisory", "file"}:
        return forced
    from django.db import connections

    return "advisory" if connections["default"].vendor == "postgresql" else "file"


def build_lock(name: str) -> contextlib.AbstractContextManager[None]:
    """The lock a value is built under: :func:`advisory_lock` on PostgreSQL (every host),
    :func:`file_lock` otherwise (one host)."""
    return advisory_lock(name) if lock_kind() == "advisory" else file_lock(name)


@contextlib.contextmanager
def try_build_lock(name: str) -> Iterator[bool]:
    """The lock of :func:`build_lock` if no one holds it: yields ``True`` holding it (released
    on exit), ``False`` at once when another thread, worker or host holds it (never waits):
    ``pg_try_advisory_lock`` on PostgreSQL, ``flock(LOCK_NB)`` otherwise."""
    if lock_kind() == "advisory":
        from django.db import connections

        key = advisory_key(name)
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            acquired = bool(cursor.fetchone()[0])
        try:
            yield acquired
        finally:
            if acquired:
                with connections["default"].cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    fd = _open_lock_file(name)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
        else:
            yield True
    finally:
        os.close(fd)


def _local_get(key: str) -> Any:
    with _local_lock:
        if key in _local:
            _local.move_to_end(key)
            return _local[key]
    return _MISSING


def _local_put(key: str, value: Any) -> None:
    with _local_lock:
        _local[key] = value
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def clear_local() -> None:
    """Forget the values of this process (as a fresh gunicorn worker would have none)."""
    with _local_lock:
        _local.clear()


class Raised:
    """A build that failed with an error worth sharing (the same data fail the same way):
    stored in place of the value, raised again on every read."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def get_or_build(
    key: str,
    build: Callable[[], _T],
    *,
    lock: str,
    alias: str = "results",
    local: bool = True,
    share: Callable[[_T], Any] | None = None,
    share_error: Callable[[BaseException], bool] | None = None,
) -> _T:
    """The value of ``key``: from this process, else from the shared cache ``alias``, else
    built by ``build`` under the lock ``lock`` (:func:`build_lock`) (the cache is read again once the lock is
    held: another worker may have built it meanwhile) and stored in both.

    ``local=False`` keeps nothing in the process (large rendered files). ``share`` gives the
    object to store in the shared cache (e.g. a copy without unpicklable memos; default the
    value itself). An error of ``build`` for which ``share_error`` is true is stored too and
    raised to every reader of the key (errors of the data, not of the moment).
    """
    cache = caches[alias]
    value = _lookup(key, cache, local)
    if value is _MISSING:
        with build_lock(lock):
            value = _lookup(key, cache, local)
            if value is _MISSING:
                value = _build(key, build, cache, share, share_error)
                if local:
                    _local_put(key, value)
    return _unwrap(value)


def _build(
    key: str,
    build: Callable[[], Any],
    cache: Any,
    share: Callable[[Any], Any] | None,
    share_error: Callable[[BaseException], bool] | None,
) -> Any:
    stats["built"] += 1
    depth = _depth.set(_depth.get() + 1)  # what a build reads is never a stale value
    try:
        value = build()
    except Exception as exc:
        if share_error is None or not share_error(exc):
            raise
        value = Raised(exc)
        _store(cache, key, value)
        return value
    finally:
        _depth.reset(depth)
    _store(cache, key, value if share is None or isinstance(value, Raised) else share(value))
    return value


def _store(cache: Any, key: str, value: Any) -> None:
    try:
        cache.set(key, value)
    except Exception:  # a value that does not pickle: kept in this process only
        stats["unshared"] += 1
        log.warning("value %s not shared between workers", key[:12], exc_info=True)


# ------------------------------------------------------------- versioned values, stale reads

#: Nesting depth of builds in this context: a value built for the cache reads only current
#: values (a build that read a stale value would store old figures under a new key).
_depth: ContextVar[int] = ContextVar("sanitasi_build_depth", default=0)
#: Whether this request may be answered from the previous data version while the current one
#: is being built by someone else (:func:`stale_reads`).
_stale_ok: ContextVar[bool] = ContextVar("sanitasi_stale_ok", default=False)
#: The versions this request was answered from instead of its own (:func:`stale_reads`).
#: A data version (for a city: its active plan id, latest audit entry id and time).
Version = tuple[Any, ...]
_stale_served: ContextVar[list[Version] | None] = ContextVar("sanitasi_stale_served", default=None)


@contextlib.contextmanager
def stale_reads(allowed: bool = True) -> Iterator[list[Version]]:
    """Within this block, a value of :func:`get_versioned` whose current version another
    thread, worker or host is building is answered at once from the latest version built
    (stale-while-revalidate) instead of waiting for the build. Yields the list of the older
    versions served (empty when every value was current): the page says "being updated"."""
    served: list[Version] = []
    ok, record = _stale_ok.set(allowed), _stale_served.set(served)
    try:
        yield served
    finally:
        _stale_ok.reset(ok)
        _stale_served.reset(record)


def stale_reads_enabled() -> bool:
    """``SANITASI_STALE_READS`` (settings): whether pages may answer from the previous
    version at all."""
    return bool(getattr(settings, "SANITASI_STALE_READS", False))


def stale_served() -> list[Version]:
    """The older versions this request was answered from (see :func:`stale_reads`)."""
    return list(_stale_served.get() or ())


def serves_stale(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a page view whose GET may be answered from the previous data version while
    the current one is being built (:func:`stale_reads`); the response then carries the
    header ``Sanitasi-Stale: 1`` and the page the "being updated" notice (context processor
    ``site``). Never for downloads or for the API's default answers (fresh, always). Only
    with ``SANITASI_STALE_READS`` (on where saves are precomputed: ``sanitasi serve``)."""

    @wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
        with stale_reads(stale_reads_enabled() and request.method in {"GET", "HEAD"}) as served:
            response = view(request, *args, **kwargs)
        if served:
            response["Sanitasi-Stale"] = "1"
        return response

    return wrapped


def _lookup(key: str, cache: Any, local: bool) -> Any:
    if local and (found := _local_get(key)) is not _MISSING:
        stats["local"] += 1
        return found
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        stats["shared"] += 1
        if local:
            _local_put(key, found)
    return found


def _latest(cache: Any, pointer: str) -> tuple[Version, str, float] | None:
    """(version, its cache key, when its data were read) of the latest build of a series."""
    found = cache.get(pointer)
    if isinstance(found, tuple) and len(found) == 3 and isinstance(found[1], str):
        return tuple(found[0]), found[1], float(found[2])
    return None


def get_versioned(
    series: tuple[Any, ...],
    version: Version,
    build: Callable[[], _T],
    *,
    lock: str,
    current: Callable[[], Version],
    alias: str = "results",
    local: bool = True,
    share: Callable[[_T], Any] | None = None,
    share_error: Callable[[BaseException], bool] | None = None,
) -> tuple[_T, Version]:
    """(value, the data version it was computed at) of ``series`` (e.g. ``("plan", kode)``)
    for a request made at data ``version``. Like :func:`get_or_build`, keyed by
    ``series + version``, with two more rules so that a run of saves does not queue every
    reader behind one build after another:

    1. **One build for every waiting reader.** Whoever holds the lock reads the data version
       again (``current()``) and answers with that version's value, building it if no one
       has; each build records when it read the data version (the ``latest`` entry of the
       shared cache). A reader that gets the lock after waiting for it is answered by a
       build that read the data after the reader asked (``time.time()``; hosts keep their
       clocks by NTP): that value holds every change the reader could know of, so a run of
       saves does not make each waiting reader build again in turn.
    2. **Stale while revalidating** (only inside :func:`stale_reads`, never within a build):
       when the lock is held by someone building, the latest version built of the series
       answers at once and is recorded as served stale.
    """
    asked_at = time.time()
    cache = caches[alias]
    found = _lookup(cache_key(*series, *version), cache, local)
    if found is not _MISSING:
        return _unwrap(found), version
    pointer = cache_key("latest", *series)
    if _stale_ok.get() and _depth.get() == 0 and (latest := _latest(cache, pointer)):
        stale = _lookup(latest[1], cache, local)
        if stale is not _MISSING:
            with try_build_lock(lock) as acquired:
                if not acquired:  # someone is building: answer from the latest version
                    stats["stale"] += 1
                    served = _stale_served.get()
                    if served is not None:
                        served.append(latest[0])
                    return _unwrap(stale), latest[0]
                return _build_current(
                    series, asked_at, build, cache, pointer, current, local, share, share_error
                )
    with build_lock(lock):
        return _build_current(
            series, asked_at, build, cache, pointer, current, local, share, share_error
        )


def _build_current(
    series: tuple[Any, ...],
    asked_at: float,
    build: Callable[[], Any],
    cache: Any,
    pointer: str,
    current: Callable[[], Version],
    local: bool,
    share: Callable[[Any], Any] | None,
    share_error: Callable[[BaseException], bool] | None,
) -> tuple[Any, Version]:
    """The body of :func:`get_versioned` with the lock held: the value of the data version
    of this moment, built unless someone built it already, or the latest build if it read
    the data after the reader asked (``asked_at``)."""
    latest = _latest(cache, pointer)
    if latest is not None and latest[2] >= asked_at:
        found = _lookup(latest[1], cache, local)
        if found is not _MISSING:
            stats["waited"] += 1
            return _unwrap(found), latest[0]
    read_at = time.time()
    now = tuple(current())
    key = cache_key(*series, *now)
    found = _lookup(key, cache, local)
    if found is _MISSING:
        found = _build(key, build, cache, share, share_error)
        if local:
            _local_put(key, found)
    else:
        stats["waited"] += 1
    _store(cache, pointer, (now, key, read_at))  # under the lock: the latest build
    return _unwrap(found), now


class ChartStore:
    """The print charts (SVG text, ``reports.static_charts``) shared by the workers in the
    ``charts`` cache: a chart is drawn once per spec, language and vl-convert version by any
    worker (a save that leaves a chart's data alone leaves its drawing too)."""

    alias = "charts"

    def _key(self, key: str) -> str:
        from importlib import metadata

        try:
            vlc = metadata.version("vl-convert-python")
        except metadata.PackageNotFoundError:  # pragma: no cover - a core dependency
            vlc = ""
        return cache_key("chart", vlc, key)

    def get(self, key: str) -> str | None:
        try:
            found = caches[self.alias].get(self._key(key))
        except Exception:  # a broken cache file: draw again
            log.warning("shared chart %s unreadable", key[:12], exc_info=True)
            return None
        return found if isinstance(found, str) else None

    def set(self, key: str, value: str) -> None:
        _store(caches[self.alias], self._key(key), value)

    def clear(self) -> None:
        caches[self.alias].clear()


def _unwrap(value: Any) -> Any:
    if isinstance(value, Raised):
        raise value.error
    return value


__all__ = [
    "ChartStore",
    "LOCAL_ENTRIES",
    "Raised",
    "advisory_key",
    "advisory_lock",
    "build_lock",
    "cache_key",
    "clear_local",
    "code_fingerprint",
    "database_identity",
    "file_lock",
    "get_or_build",
    "get_versioned",
    "lock_dir",
    "lock_kind",
    "serves_stale",
    "stale_reads",
    "stale_reads_enabled",
    "stale_served",
    "stats",
    "try_build_lock",
]
