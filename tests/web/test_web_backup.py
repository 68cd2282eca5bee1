"""``sanitasi backup`` / ``sanitasi restore`` (issue 12 item 7) in child processes on a
throwaway database (SQLite file; under ``scripts/pg_test.sh`` a new PostgreSQL database, with
``pg_dump``/``pg_restore``): backup, change, restore, the change is gone and the figures are
equal; a non-empty database is refused without ``--force``; a restore into an empty database
needs no ``--force``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from sanitasi import stress
from sanitasi.web import backup

CHANGE = """
from django.conf import settings
import django
django.setup()
from sanitasi.web.monitoring.models import Realisation
from sanitasi.web.plans.models import Observation
o = Observation.objects.get(
    city_kode="13.72", region__kode="13.72.01.1001", year=2024, indicator="hh_aman"
)
o.value += 100
o.save()
Realisation.objects.filter(city_kode="13.72").update(note="changed after the backup")
"""


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sanitasi.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.pg
def test_backup_round_trip(tmp_path: Path) -> None:
    server = os.environ.get("DATABASE_URL")
    home = tmp_path / "home"
    with stress.database(home, server) as env:
        loaded = cli(env, "load", "--demo")
        assert loaded.returncode == 0, loaded.stderr
        media = home / "media" / "evidence"
        media.mkdir(parents=True)
        (media / "foto.jpg").write_bytes(b"before")
        before = stress.child(env, "state")
        figures = stress.child(env, "figures")

        archive = tmp_path / "cadangan.tar.gz"
        done = cli(env, "backup", "--out", str(archive))
        assert done.returncode == 0, done.stderr
        assert "1 media files" in done.stdout
        with tarfile.open(archive) as tar:
            names = set(tar.getnames())
            manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        engine = "postgresql" if stress.is_postgres(env["DATABASE_URL"]) else "sqlite"
        member = "database.dump" if engine == "postgresql" else "database.sqlite3"
        assert names == {"manifest.json", member, "media/evidence/foto.jpg"}
        assert manifest["engine"] == engine and manifest["media_files"] == 1

        # change the data and the media after the backup
        changed = subprocess.run(
            [sys.executable, "-c", CHANGE], env=env, capture_output=True, text=True
        )
        assert changed.returncode == 0, changed.stderr
        (media / "foto.jpg").write_bytes(b"after")
        (media / "baru.jpg").write_bytes(b"new")
        after = stress.child(env, "state")
        assert after["observations"] != before["observations"]
        assert after["realisation"] != before["realisation"]

        # the database is not empty: refused without --force, nothing changed
        refused = cli(env, "restore", str(archive))
        assert refused.returncode == 2
        assert "not empty" in refused.stderr and "--force" in refused.stderr
        assert stress.child(env, "state") == after
        assert (media / "foto.jpg").read_bytes() == b"after"

        restored = cli(env, "restore", str(archive), "--force")
        assert restored.returncode == 0, restored.stderr
        assert stress.child(env, "state") == before
        assert sorted(p.name for p in media.iterdir()) == ["foto.jpg"]
        assert (media / "foto.jpg").read_bytes() == b"before"
        assert stress.child(env, "figures") == figures

    # into an empty database (another one, not even migrated): no --force needed
    with stress.database(tmp_path / "other", server) as env:
        restored = cli(env, "restore", str(archive))
        assert restored.returncode == 0, restored.stderr
        assert stress.child(env, "state") == before


@pytest.mark.slow
def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    with stress.database(tmp_path / "home", None) as env:
        junk = tmp_path / "junk.tar.gz"
        junk.write_bytes(b"not an archive")
        answer = cli(env, "restore", str(junk))
        assert answer.returncode == 2 and "not a Sanitasi backup" in answer.stderr
        missing = cli(env, "restore", str(tmp_path / "absent.tar.gz"))
        assert missing.returncode == 2 and "no such file" in missing.stderr
        # a PostgreSQL backup into SQLite: refused, naming both
        other = tmp_path / "pg.tar.gz"
        body = backup.Manifest(
            "postgresql", "2026-12-07T00:00:00+00:00", "0.1.0", "database.dump", 0
        )
        with tarfile.open(other, "w:gz") as tar:
            for name, data in (("manifest.json", body.as_json()), ("database.dump", b"x")):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        wrong = cli(env, "restore", str(other))
        assert wrong.returncode == 2
        assert "postgresql backup" in wrong.stderr and "is sqlite" in wrong.stderr
        # a member outside media/ is refused before anything is written
        evil = tmp_path / "evil.tar.gz"
        body = backup.Manifest(
            "sqlite", "2026-12-07T00:00:00+00:00", "0.1.0", "database.sqlite3", 0
        )
        with tarfile.open(evil, "w:gz") as tar:
            for name, data in (
                ("manifest.json", body.as_json()),
                ("database.sqlite3", b"x"),
                ("../outside.txt", b"x"),
            ):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        bad = cli(env, "restore", str(evil))
        assert bad.returncode == 2 and "unexpected member" in bad.stderr
        assert not (tmp_path / "outside.txt").exists()


def test_missing_postgresql_tools_are_named() -> None:
    with pytest.raises(backup.BackupError, match="install the PostgreSQL client tools"):
        backup._tool("pg_dump-that-does-not-exist")


def test_default_name() -> None:
    import datetime as dt

    when = dt.datetime(2026, 12, 7, 16, 5, 9)
    assert backup.default_name("sqlite", when) == "sanitasi-sqlite-20261207-160509.tar.gz"
