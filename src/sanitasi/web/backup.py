"""``sanitasi backup`` / ``sanitasi restore``: the whole database and the media files in one
archive, and back (issue 12 item 7).

The archive is a gzipped tar file::

    manifest.json        {"format": 1, "engine": "sqlite" | "postgresql", "created": ...,
                          "sanitasi": <version>, "database": <member>, "media_files": n}
    database.sqlite3     SQLite: a copy made with the online backup API
                         (``sqlite3.Connection.backup``: consistent while the server runs)
    database.dump        PostgreSQL: ``pg_dump --format=custom`` (needs ``pg_dump`` /
                         ``pg_restore`` on PATH, of the server's version or newer)
    media/...            the files under ``$SANITASI_HOME/media``, if any

It is written under a temporary name and renamed when complete (a failed backup leaves no
archive). :func:`restore` checks the archive before touching anything (manifest, engine of
the configured database, the database member; an SQLite copy must pass ``PRAGMA
integrity_check``), refuses a database that is not empty (any user, city region or plan)
unless ``force``, then replaces the database in one step -- SQLite through the backup API
into the live file (one transaction: a reader sees the old or the new database), PostgreSQL
with ``pg_restore --clean --if-exists --single-transaction`` -- then the media folder
(unpacked beside it first, then swapped), and empties the result caches (plans, downloads) so
no figure computed from the replaced data is served.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.dump"
MEDIA = "media"


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    engine: str
    created: str
    sanitasi: str
    database: str
    media_files: int

    def as_json(self) -> bytes:
        body = {"format": FORMAT, **self.__dict__}
        return json.dumps(body, indent=2).encode()


def _settings() -> Any:
    from django.conf import settings

    return settings


def engine() -> str:
    """``sqlite`` or ``postgresql``: the configured database (other engines are refused)."""
    name = str(_settings().DATABASES["default"]["ENGINE"])
    if name.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in name:
        return "postgresql"
    raise BackupError(f"backup supports SQLite and PostgreSQL, not {name}")


def home() -> Path:
    return Path(_settings().HOME)


def media_dir() -> Path:
    return home() / MEDIA


def _sqlite_path() -> Path:
    name = str(_settings().DATABASES["default"]["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError("the SQLite database is in memory: nothing on disk to back up")
    return Path(name)


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """Connection options of ``pg_dump``/``pg_restore`` and their environment (password)."""
    db = _settings().DATABASES["default"]
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args.append(f"{flag}={db[key]}")
    args.append(f"--dbname={db['NAME']}")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL client tools (Debian: "
            f"apt-get install postgresql-client) of the server's version or newer"
        )
    return path


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tool = Path(cmd[0]).name
        raise BackupError(f"{tool} failed (exit {done.returncode}): {done.stderr.strip()}")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sanitasi")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def default_name(kind: str, now: dt.datetime | None = None) -> str:
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"sanitasi-{kind}-{stamp}.tar.gz"


def backup(out: Path | None = None) -> tuple[Path, Manifest]:
    """Write the archive to ``out`` (default: ``$SANITASI_HOME/backups/sanitasi-<engine>-
    <date>-<time>.tar.gz``); return its path and manifest."""
    from django.db import connections

    kind = engine()
    target = out or home() / "backups" / default_name(kind)
    target.parent.mkdir(parents=True, exist_ok=True)
    connections.close_all()
    with tempfile.TemporaryDirectory(prefix=".sanitasi-backup-", dir=target.parent) as tmp:
        dump = Path(tmp) / (SQLITE_MEMBER if kind == "sqlite" else PG_MEMBER)
        if kind == "sqlite":
            src = sqlite3.connect(_sqlite_path())
            dst = sqlite3.connect(dump)
            try:
                with dst:
                    src.backup(dst)
            finally:
                dst.close()
                src.close()
        else:
            args, env = _pg_env()
            _run(
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={dump}",
                    *args,
                ],
                env,
            )
        media = (
            sorted(p for p in media_dir().rglob("*") if p.is_file()) if media_dir().is_dir() else []
        )
        manifest = Manifest(
            engine=kind,
            created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            sanitasi=_version(),
            database=dump.name,
            media_files=len(media),
        )
        partial = Path(tmp) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            info = tarfile.TarInfo(MANIFEST)
            body = manifest.as_json()
            info.size = len(body)
            info.mtime = int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(body))
            tar.add(dump, arcname=dump.name)
            for p in media:
                tar.add(p, arcname=str(PurePosixPath(MEDIA, *p.relative_to(media_dir()).parts)))
        os.replace(partial, target)
    return target, manifest


def read_manifest(tar: tarfile.TarFile, path: Path) -> Manifest:
    try:
        fh = tar.extractfile(MANIFEST)
        body = json.loads(fh.read()) if fh is not None else None
    except (KeyError, ValueError) as e:
        raise BackupError(f"{path}: not a Sanitasi backup (no readable {MANIFEST}: {e})") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise BackupError(f"{path}: not a Sanitasi backup of format {FORMAT}")
    try:
        return Manifest(
            engine=str(body["engine"]),
            created=str(body["created"]),
            sanitasi=str(body["sanitasi"]),
            database=str(body["database"]),
            media_files=int(body["media_files"]),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise BackupError(f"{path}: {MANIFEST} is incomplete ({e})") from None


def is_empty() -> bool:
    """No user, no city region and no plan (a fresh or only migrated database)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from sanitasi.web.geography.models import Region
    from sanitasi.web.plans.models import Plan

    models = (get_user_model(), Region, Plan)
    tables = set(connection.introspection.table_names())
    return not any(m._meta.db_table in tables and m.objects.exists() for m in models)


def _members(tar: tarfile.TarFile, path: Path, manifest: Manifest) -> list[tarfile.TarInfo]:
    """The media members, checked: regular files under ``media/`` without ``..``."""
    names = {m.name for m in tar.getmembers()}
    if manifest.database not in names:
        raise BackupError(f"{path}: the archive lacks its database ({manifest.database})")
    media = []
    for m in tar.getmembers():
        if m.name in (MANIFEST, manifest.database):
            continue
        parts = PurePosixPath(m.name).parts
        if not parts or parts[0] != MEDIA or ".." in parts or m.name.startswith("/"):
            raise BackupError(f"{path}: unexpected member {m.name!r}")
        if m.isfile():
            media.append(m)
        elif not m.isdir():
            raise BackupError(f"{path}: {m.name!r} is not a regular file")
    return media


def restore(path: Path, *, force: bool = False) -> Manifest:
    """Replace the database (and the media files) with the archive's (see the module
    docstring). Raises :class:`BackupError` before changing anything when the archive is
    not a backup, is of another engine, or the database is not empty and not ``force``."""
    from django.db import connections

    kind = engine()
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        tar = tarfile.open(path, "r:gz")
    except (tarfile.TarError, OSError) as e:
        raise BackupError(f"{path}: not a Sanitasi backup ({e})") from None
    with tar, tempfile.TemporaryDirectory(prefix=".sanitasi-restore-", dir=home()) as tmp:
        manifest = read_manifest(tar, path)
        if manifest.engine != kind:
            raise BackupError(
                f"{path} is a {manifest.engine} backup; the configured database "
                f"(DATABASE_URL) is {kind}"
            )
        media = _members(tar, path, manifest)
        if not force and not is_empty():
            raise BackupError(
                "the database is not empty (it has users, cities or plans): restoring would "
                "replace them. Give --force to replace it, or restore into an empty database"
            )
        work = Path(tmp)
        tar.extract(manifest.database, work, filter="data")
        dump = work / manifest.database
        new_media = work / MEDIA
        new_media.mkdir()
        for m in media:
            tar.extract(m, work, filter="data")
        connections.close_all()
        if kind == "sqlite":
            _restore_sqlite(dump, path)
        else:
            args, env = _pg_env()
            _run(
                [
                    _tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    *args,
                    str(dump),
                ],
                env,
            )
        _swap_media(new_media, work)
    _clear_caches()
    return manifest


def _restore_sqlite(dump: Path, path: Path) -> None:
    src = sqlite3.connect(dump)
    try:
        ok = src.execute("PRAGMA integrity_check").fetchone()
        if not ok or ok[0] != "ok":
            raise BackupError(f"{path}: the database copy is damaged ({ok and ok[0]})")
        dst = sqlite3.connect(_sqlite_path(), timeout=60)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.DatabaseError as e:
        raise BackupError(f"{path}: the database copy cannot be read ({e})") from None
    finally:
        src.close()


def _swap_media(new_media: Path, work: Path) -> None:
    current = media_dir()
    old = work / "media-old"
    if current.exists():
        os.replace(current, old)
    os.replace(new_media, current)


def _clear_caches() -> None:
    from django.core.cache import caches

    for name in ("results", "downloads"):
        try:
            caches[name].clear()
        except Exception:
            pass


__all__ = ["BackupError", "Manifest", "backup", "default_name", "engine", "is_empty", "restore"]
