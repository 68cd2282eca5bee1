"""``sanitasi backup [--out F]`` and ``sanitasi restore F [--force]``: the database of
``DATABASE_URL`` (SQLite: the online backup API; PostgreSQL: ``pg_dump``/``pg_restore``) and
``$SANITASI_HOME/media`` in one archive, and back (:mod:`sanitasi.web.backup`). A refused
restore (not a backup, another engine, a non-empty database without ``--force``, missing
PostgreSQL tools) exits with code 2 and changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import click

from sanitasi.cli.common import EXIT_BAD_INPUT


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanitasi.web.settings")
    import django

    django.setup()


@click.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Archive to write (default: $SANITASI_HOME/backups/sanitasi-<engine>-<time>.tar.gz).",
)
def backup(out: Path | None) -> None:
    """Back up the database and the media files into one archive (safe while serving)."""
    _django()
    from sanitasi.web.backup import BackupError
    from sanitasi.web.backup import backup as run

    try:
        path, manifest = run(out)
    except BackupError as e:
        click.echo(f"sanitasi backup: {e}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    click.echo(
        f"{manifest.engine} backup, {manifest.media_files} media files, "
        f"{path.stat().st_size:,} bytes -> {path}"
    )


@click.command()
@click.argument("archive", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--force", is_flag=True, help="Replace a database that is not empty (users, cities, plans)."
)
def restore(archive: Path, force: bool) -> None:
    """Restore a `sanitasi backup` archive into the database of DATABASE_URL."""
    _django()
    from sanitasi.web.backup import BackupError
    from sanitasi.web.backup import restore as run

    try:
        manifest = run(archive, force=force)
    except BackupError as e:
        click.echo(f"sanitasi restore: {e}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    click.echo(
        f"restored the {manifest.engine} backup of {manifest.created} "
        f"({manifest.media_files} media files) from {archive}"
    )


COMMANDS = (backup, restore)
