"""Attaching and deleting evidence files: scope, state and limits in one place (the
realisation views call these, never ``Evidence.objects.create``).

* :func:`attach`: the user may change the row (``restrict(user, "change")``: its agency,
  adopted activity), the row is a draft and its quarter is not locked; every upload is checked
  (:func:`sanitasi.io.evidence.check_uploads`: content type, size, count) and **any** problem
  refuses all of them (``ValidationError`` on the ``evidence`` field, nothing stored).
* :func:`delete`: only by the file's uploader, only while the row is a draft (audited
  ``delete``).

Every new or deleted row writes an audit entry (the model is audited).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sanitasi.io.errors import Problem
from sanitasi.io.evidence import Upload, check_uploads, display_name
from sanitasi.web import roles
from sanitasi.web.audit.log import acting_as
from sanitasi.web.evidence import storage
from sanitasi.web.evidence.models import Evidence
from sanitasi.web.monitoring.models import DRAFT, Realisation
from sanitasi.web.monitoring.workflow import WorkflowError, check_unlocked
from sanitasi.web.scope import can

FIELD = "evidence_files"


def problem_text(p: Problem) -> str:
    """A problem for the form field, in the page's language: the file, the rule, the code."""
    lang = "id" if (get_language() or "id").startswith("id") else "en"
    rule = p.message_id if lang == "id" and p.message_id else p.rule
    return f"{p.file}: {rule} ({p.code})"


def check(r: Realisation | None, uploads: Sequence[Upload]) -> None:
    """Raise ``ValidationError({"evidence_files": [...]})`` naming every refused file, or
    nothing (``r`` = the row the files join, ``None`` for a new row)."""
    existing = 0 if r is None or r.pk is None else r.attachments.count()
    _, problems = check_uploads(uploads, existing=existing)
    if problems:
        raise ValidationError({FIELD: [problem_text(p) for p in problems]})


def require_draft(user: Any, r: Realisation) -> None:
    if not can(user, roles.CHANGE, r):
        raise PermissionDenied(_("You may not change this realisation."))
    if r.state != DRAFT:
        raise WorkflowError(
            _(
                "Evidence can be added or deleted only while the row is a draft (this one is %(state)s)."
            )
            % {"state": r.get_state_display()}
        )


def attach(user: Any, r: Realisation, uploads: Sequence[Upload]) -> list[Evidence]:
    """Store ``uploads`` as evidence of the draft ``r`` (all or nothing)."""
    require_draft(user, r)
    check_unlocked(r.year, r.quarter, r)
    types, problems = check_uploads(uploads, existing=r.attachments.count())
    if problems:
        raise ValidationError({FIELD: [problem_text(p) for p in problems]})
    written: list[str] = []
    rows: list[Evidence] = []
    try:
        for u, kind in zip(uploads, types, strict=True):
            assert kind is not None  # checked above
            stored, size, digest = storage.write(u.stream)
            written.append(stored)
            rows.append(
                Evidence(
                    city_kode=r.city_kode,
                    realisation=r,
                    kind=kind.kind,
                    original_name=display_name(u.name),
                    size_bytes=size,
                    sha256=digest,
                    stored=stored,
                    uploaded_by=user if getattr(user, "is_authenticated", False) else None,
                )
            )
        with acting_as(user), transaction.atomic():
            for row in rows:
                row.save()
    except BaseException:
        storage.remove(written)
        raise
    return rows


def delete(user: Any, ev: Evidence) -> None:
    """Delete an attachment: its uploader only, while the row is a draft (audited)."""
    r = ev.realisation
    require_draft(user, r)
    if ev.uploaded_by_id is not None and ev.uploaded_by_id != user.pk:
        raise PermissionDenied(_("Only the person who attached a file may delete it."))
    with acting_as(user), transaction.atomic():
        ev.delete()
