"""The background tasks (django-tasks; run by :mod:`.backend`). Arguments and return values
are JSON. A task's *expected* failure (the city's data break a rule of the plan) is its
return value ``{"ok": false, "messages": {"id": [...], "en": [...]}}``, shown in the page's
language; anything else raised is stored as the task's traceback (status ``FAILED``) and
shown as an internal error."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django_tasks import task


@task()
def render_download(
    *,
    key: str,
    user_id: int,
    kode: str,
    doc: str,
    fmt: str,
    lang: str,
    period: list[int] | None = None,
    back: str = "",
) -> dict[str, Any]:
    """Render a heavy download (:func:`sanitasi.web.plans.views.render_report`) for the user
    who asked, narrowed to what that user may see, into the ``downloads`` cache; the user's
    next request of ``back`` (the download's address) reads it from there. ``key``
    identifies the request (one queued task per key)."""
    from django.contrib.auth import get_user_model

    from sanitasi.web.plans.results import PlanUnavailable
    from sanitasi.web.plans.views import render_report

    user = get_user_model().objects.get(pk=user_id)
    with translation.override(lang):
        try:
            at = (int(period[0]), int(period[1])) if period else None
            render_report(user, kode, doc, fmt, lang, at)
        except PlanUnavailable as exc:
            return {
                "ok": False,
                "messages": {code: exc.messages(code) for code in ("id", "en")},
            }
    return {"ok": True}


@task()
def import_upload(
    *,
    key: str,
    user_id: int,
    kode: str,
    kind: str,
    upload_id: int,
    name: str,
    lang: str,
    back: str = "",
) -> dict[str, Any]:
    """Check and save an upload stored by :func:`sanitasi.web.jobs.queue_import` (``kind``
    ``baseline``: :func:`sanitasi.web.plans.baseline.queued_import`, the user's rights
    checked again) in ``lang``, then delete the stored file. The value is
    ``{"ok": ..., "outcome": {...}}`` when the upload was checked (saved, or refused with
    every problem and nothing saved), ``{"ok": false, "messages": ...}`` when it could not
    be (rights withdrawn, file gone)."""
    from django.contrib.auth import get_user_model

    from sanitasi.web.models import QueuedUpload
    from sanitasi.web.plans.baseline import IMPORT_KIND, queued_import

    if kind != IMPORT_KIND:
        raise ValueError(f"unknown import kind {kind!r}")
    stored = QueuedUpload.objects.filter(pk=upload_id, user_id=user_id, city_kode=kode).first()
    try:
        with translation.override(lang):
            if stored is None:
                return {
                    "ok": False,
                    "messages": {code: [_gone(code)] for code in ("id", "en")},
                }
            user = get_user_model().objects.filter(pk=user_id).first()
            return queued_import(user, kode, bytes(stored.content), name)
    finally:
        QueuedUpload.objects.filter(pk=upload_id).delete()


def _gone(lang: str) -> str:
    from django.utils.translation import gettext

    with translation.override(lang):
        return gettext("The uploaded file is no longer stored. Please upload it again.")


@task()
def warm_city(*, key: str, kode: str) -> dict[str, Any]:
    """Precompute a city's plan, default monitoring report and dashboard parts after a save
    (:func:`sanitasi.web.plans.results.warm`)."""
    from sanitasi.web.plans.results import warm

    warm(kode)
    return {"ok": True}


__all__ = ["import_upload", "render_download", "warm_city"]
