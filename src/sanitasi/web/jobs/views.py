"""The progress page of a queued task and its status fragment (HTMX polls it every second
while the task is queued or running; the fragment it returns when the task has ended has
no poll, so the polling stops). Only the user who queued a task sees it (404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sanitasi.web.cities import page_lang
from sanitasi.web.jobs import is_stale

#: What the page says of each state (the official status codes are never shown raw).
STATES = ("queued", "running", "done", "failed")


def _task(request: HttpRequest, task_id: str) -> Any:
    from django.core.exceptions import ValidationError
    from django_tasks_db.models import DBTaskResult

    try:
        row = DBTaskResult.objects.filter(id=task_id).first()
    except (ValidationError, ValueError):
        row = None
    kwargs = (row.args_kwargs or {}).get("kwargs", {}) if row is not None else {}
    if row is None or kwargs.get("user_id") != request.user.pk:
        raise Http404("no such task")
    return row


def task_state(row: Any, lang: str) -> dict[str, Any]:
    """The page's view of a task row: state (:data:`STATES`), the download address when
    done, the messages when failed (in ``lang``)."""
    kwargs = row.args_kwargs.get("kwargs", {})
    status = str(row.status)
    messages: list[str] = []
    if status == "READY":
        state = "queued"
    elif status == "RUNNING" and not is_stale(row):
        state = "running"
    elif status == "RUNNING":  # its process died: say so, a new request queues it again
        state = "failed"
        messages = [_("The preparation was interrupted. Please try again.")]
    elif status == "SUCCESSFUL" and (row.return_value or {}).get("ok"):
        state = "done"
    else:
        state = "failed"
        given = (row.return_value or {}).get("messages") or {}
        messages = [str(m) for m in given.get(lang) or given.get("id") or []]
        if not messages:
            messages = [_("The report could not be prepared because of an internal error.")]
    return {
        "id": str(row.id),
        "state": state,
        "back": str(kwargs.get("back", "")),
        "fmt": str(kwargs.get("fmt", "")).upper(),
        "messages": messages,
    }


@login_required
@require_safe
def task_page(request: HttpRequest, task_id: str) -> HttpResponse:
    row = _task(request, task_id)
    return render(request, "web/jobs/task.html", {"task": task_state(row, page_lang())})


@login_required
@require_safe
def task_status(request: HttpRequest, task_id: str) -> HttpResponse:
    row = _task(request, task_id)
    return render(request, "web/jobs/task_status.html", {"task": task_state(row, page_lang())})


__all__ = ["STATES", "task_page", "task_state", "task_status"]
