"""On-disk cache of the validated national reference tables (the package's own files only).

Reading and validating the reference tables and the 91,599 official region codes costs
about half a second at every start of a process. After the first validation the validated
objects are stored as pickles under a per-user cache folder and later processes load them
instead (a few milliseconds):

* ``$SANITASI_HOME/cache/reference/`` when ``SANITASI_HOME`` is set, else
  ``$XDG_CACHE_HOME/sanitasi/reference/`` or ``~/.cache/sanitasi/reference/``;
* one sub-folder per :func:`cache_key`: a digest of the package version, the reference data
  (:func:`sanitasi.io.reference.reference_digest`), the source of the reading code
  (``sanitasi/io``, ``sanitasi/core`` and the top-level modules), the Python, pandas, numpy
  and pyarrow versions and pandas' string inference. Anything else gets another folder;
  the :data:`KEEP` most recent folders are kept;
* a file is ``MAGIC + BLAKE2b digest of the body + pickle body``; it also names its key and
  table, and its object must be of the expected type. A missing, unreadable, corrupt or
  foreign file (another owner, writable by others) is a miss: the table is read and
  validated as without a cache. Writes are atomic (temporary file + ``os.replace``,
  :func:`sanitasi.atomicfiles.write_file_atomically`); a write that fails is ignored.

``SANITASI_NO_CACHE=1`` turns the cache off (nothing read, nothing written). The city's own
files are never cached: they are the user's input and are validated at every run.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import shutil
import stat
import sys
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import sanitasi

T = TypeVar("T")

#: Environment variable that turns the cache off (any value but ``""`` and ``0``).
NO_CACHE_ENV = "SANITASI_NO_CACHE"
#: Format of the cache files; part of the key.
FORMAT = "sanitasi-refcache-1"
MAGIC = b"SANREF1\n"
_DIGEST_SIZE = 32
#: Key folders kept (the most recently written); older ones are removed on a write.
KEEP = 4
#: Sub-folders of the package whose source takes part in the key (the readers and what they
#: import); the top-level modules of the package are included too.
CODE_FOLDERS: tuple[str, ...] = ("io", "core")


def enabled() -> bool:
    """False when ``SANITASI_NO_CACHE`` is set (to anything but ``""`` or ``0``)."""
    return os.environ.get(NO_CACHE_ENV, "").strip() in ("", "0")


def cache_root() -> Path | None:
    """The folder of the reference cache (see the module docstring), or ``None`` when the
    cache is off or no home folder is known."""
    if not enabled():
        return None
    home = os.environ.get("SANITASI_HOME")
    if home:
        return Path(home).expanduser() / "cache" / "reference"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "sanitasi" / "reference"
    try:
        return Path.home() / ".cache" / "sanitasi" / "reference"
    except RuntimeError:  # no home folder
        return None


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 (hex) of the source of the reading code: every ``.py`` file of
    :data:`CODE_FOLDERS` and the package's top-level modules (names and bytes, sorted)."""
    root = Path(sanitasi.__file__).parent
    files = sorted(root.glob("*.py"))
    for folder in CODE_FOLDERS:
        files += sorted((root / folder).rglob("*.py"))
    h = hashlib.sha256()
    for f in files:
        body = f.read_bytes()
        h.update(f"{f.relative_to(root).as_posix()}:{len(body)}\n".encode())
        h.update(body)
    return h.hexdigest()


def _versions() -> list[str]:
    import numpy as np
    import pandas as pd

    try:
        import pyarrow

        arrow = str(pyarrow.__version__)
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        arrow = "-"
    try:  # pandas' string inference decides the dtype of text columns
        with warnings.catch_warnings():  # deprecated in pandas 3 (always on), gone in 4
            warnings.simplefilter("ignore")
            infer = str(pd.get_option("future.infer_string"))
    except (KeyError, pd.errors.OptionError):  # pragma: no cover - pandas without it
        infer = "-"
    return [
        sys.version,
        sys.implementation.cache_tag or "",
        pd.__version__,
        np.__version__,
        arrow,
        infer,
    ]


@functools.lru_cache(maxsize=1)
def cache_key() -> str:
    """What a cached table depends on (hex): the cache format, the package version, the
    reference data's digest, the reading code's digest and the library versions."""
    from sanitasi.io.reference import package_version, reference_digest

    parts = [FORMAT, package_version(), reference_digest(), code_digest(), *_versions()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _trusted(path: Path) -> bool:
    """Owned by this user and not writable by group or others (a pickle runs code)."""
    try:
        st = path.stat()
    except OSError:
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is not None and st.st_uid != getuid():
        return False
    return not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _checksum(body: bytes | memoryview) -> bytes:
    return hashlib.blake2b(body, digest_size=_DIGEST_SIZE).digest()


class _Miss(Exception):
    pass


def _read(path: Path, key: str, name: str, kind: type[T]) -> T:
    """The object cached in ``path``; :class:`_Miss` for anything but a valid entry."""
    if not (_trusted(path.parent) and _trusted(path)):
        raise _Miss
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _Miss from exc
    start = len(MAGIC) + _DIGEST_SIZE
    body = memoryview(data)[start:]
    if not data.startswith(MAGIC) or _checksum(body) != data[len(MAGIC) : start]:
        raise _Miss
    try:
        entry = pickle.loads(body)
    except Exception as exc:  # a file that passed its checksum but does not unpickle here
        raise _Miss from exc
    if (
        not isinstance(entry, dict)
        or entry.get("key") != key
        or entry.get("name") != name
        or not isinstance(entry.get("value"), kind)
    ):
        raise _Miss
    value: T = entry["value"]
    return value


def _prune(root: Path, keep: Path) -> None:
    """Remove the key folders of ``root`` beyond the :data:`KEEP` most recent (never
    ``keep``)."""
    try:
        folders = [d for d in root.iterdir() if d.is_dir() and d != keep]
        folders.sort(key=lambda d: d.stat().st_mtime, reverse=True)
    except OSError:
        return
    for d in folders[KEEP - 1 :]:
        shutil.rmtree(d, ignore_errors=True)


def _write(path: Path, key: str, name: str, value: Any) -> None:
    """Store ``value`` atomically (a private temporary file in the key folder, then
    ``os.replace``); any failure is ignored: the cache is only an optimisation."""
    folder = path.parent
    tmp: str | None = None
    try:
        new = not folder.exists()
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        if not _trusted(folder):
            return
        body = pickle.dumps(
            {"key": key, "name": name, "value": value}, protocol=pickle.HIGHEST_PROTOCOL
        )
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:  # mkstemp: mode 0600
            fh.write(MAGIC + _checksum(body) + body)
        os.replace(tmp, path)
        tmp = None
        if new:
            _prune(folder.parent, folder)
    except Exception:  # unwritable folder, full disk, an object that does not pickle
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def entry_path(name: str) -> Path | None:
    """Where the table ``name`` is cached under the current key (``None``: cache off)."""
    root = cache_root()
    if root is None:
        return None
    return root / cache_key()[:32] / f"{name}.pickle"


def load_or_build(name: str, kind: type[T], build: Callable[[], T]) -> T:
    """The cached ``name`` when a valid entry exists, else ``build()`` (which reads and
    validates; its exceptions propagate and nothing is stored) stored for the next process."""
    try:
        path = entry_path(name)
    except Exception:  # the key cannot be computed (an unreadable package file): no cache
        path = None
    if path is None:
        return build()
    key = cache_key()
    try:
        return _read(path, key, name, kind)
    except _Miss:
        pass
    value = build()
    _write(path, key, name, value)
    return value


@dataclass(frozen=True)
class Entry:
    """A reader registered by :func:`reference_cached`: ``build`` reads and validates,
    ``cached`` is the decorated reader (``cached.cache_clear()`` empties the process cache)."""

    name: str
    kind: type
    build: Callable[[], Any]
    cached: Any


#: Every reader decorated by :func:`reference_cached` so far, by name.
REGISTRY: dict[str, Entry] = {}


def reference_cached(name: str, kind: type[T]) -> Callable[[Callable[[], T]], Callable[[], T]]:
    """Decorator of a zero-argument reader of package reference data: cached in the process
    (``lru_cache``, with ``cache_clear``) and on disk (:func:`load_or_build`) as ``name``
    (unique; a file name). The reader returns a ``kind``; it is registered in
    :data:`REGISTRY`."""

    def wrap(build: Callable[[], T]) -> Callable[[], T]:
        @functools.lru_cache(maxsize=1)
        @functools.wraps(build)
        def cached() -> T:
            return load_or_build(name, kind, build)

        if name in REGISTRY and REGISTRY[name].build.__qualname__ != build.__qualname__:
            raise ValueError(f"reference cache name {name!r} used twice")
        REGISTRY[name] = Entry(name, kind, build, cached)
        return cached

    return wrap


__all__ = [
    "KEEP",
    "REGISTRY",
    "Entry",
    "NO_CACHE_ENV",
    "cache_key",
    "cache_root",
    "code_digest",
    "enabled",
    "entry_path",
    "load_or_build",
    "reference_cached",
]
