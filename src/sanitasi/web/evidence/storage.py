"""Where evidence files live: ``settings.HOME/media/evidence/<token>/<token>``.

Both path parts are :func:`secrets.token_urlsafe` tokens (96 + 256 random bits): a path is
never derived from the uploaded name, the row id or the time, so it cannot be guessed, and
the files are served only through :func:`sanitasi.web.evidence.views.evidence_file`, which
checks the row's scope. Folders are created ``0700``, files ``0600``; a file is written to a
temporary name in its folder and renamed when complete (never half-written). A deleted
:class:`~sanitasi.web.evidence.models.Evidence` row removes its file once the deleting
transaction commits (a rolled-back delete keeps it).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete

CHUNK = 1 << 16


def root() -> Path:
    """``settings.HOME/media/evidence`` (the folder a backup must include)."""
    return Path(settings.HOME) / "media" / "evidence"


def new_stored_name() -> str:
    """A fresh storage path relative to :func:`root`: ``<16 chars>/<43 chars>``."""
    return f"{secrets.token_urlsafe(12)}/{secrets.token_urlsafe(32)}"


def path_of(stored: str) -> Path:
    """The file of a stored name; refuses anything that leaves :func:`root`."""
    base = root().resolve()
    p = (base / stored).resolve()
    if base not in p.parents:
        raise ValueError("evidence path outside the evidence folder")
    return p


def write(stream: BinaryIO) -> tuple[str, int, str]:
    """Copy ``stream`` (from its start) to a new random path; returns (stored name, size in
    bytes, SHA-256 hex)."""
    stored = new_stored_name()
    target = path_of(stored)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=False)
    root().chmod(0o700)
    tmp = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    size = 0
    stream.seek(0)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        _remove_dir(target.parent)
        raise
    return stored, size, digest.hexdigest()


def _remove_dir(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def remove(stored: Iterable[str]) -> None:
    """Delete stored files and their token folders (missing ones are ignored)."""
    for name in stored:
        try:
            p = path_of(name)
        except ValueError:
            continue
        p.unlink(missing_ok=True)
        _remove_dir(p.parent)


def _on_delete(sender: Any, instance: Any, **_: Any) -> None:
    stored = instance.stored
    transaction.on_commit(lambda: remove([stored]))


def connect() -> None:
    from sanitasi.web.evidence.models import Evidence

    post_delete.connect(_on_delete, sender=Evidence, dispatch_uid="sanitasi_evidence_file_delete")
