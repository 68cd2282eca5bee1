"""The progress page of a queued task and its status fragment (HTMX polls it every second
while the task is queued or running; the fragment it returns when the task has ended has
no poll, so the polling stops). Only the user who queued a task sees it (404 otherwise).

A queued upload (:func:`sanitasi.web.jobs.queue_import`) is *being checked* while it runs;
once checked (saved, or refused with every problem) its page sends the browser on to the
result page, the same page the request's check shows (``HX-Redirect`` from the polled
fragment; a redirect when the page itself is opened again)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sanitasi.web.cities import page_lang
from sanitasi.web.jobs import is_stale

#: What the page says of each state (the official status codes are never shown raw).
STATES = ("queued", "running", "done", "failed")


def own_task(request: HttpRequest, task_id: str) -> Any:
    """The task row ``task_id`` if ``request.user`` queued it; 404 otherwise."""
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


def _is_import(row: Any) -> bool:
    from sanitasi.web.jobs.tasks import import_upload

    return str(row.task_path) == import_upload.module_path


def task_state(row: Any, lang: str) -> dict[str, Any]:
    """The page's view of a task row: its ``kind`` (``download`` or ``import``), state
    (:data:`STATES`), the download address when done (an import: its result page), the
    messages when failed (in ``lang``)."""
    kwargs = row.args_kwargs.get("kwargs", {})
    status = str(row.status)
    kind = "import" if _is_import(row) else "download"
    messages: list[str] = []
    result = ""
    if status == "READY":
        state = "queued"
    elif status == "RUNNING" and not is_stale(row):
        state = "running"
    elif status == "RUNNING":  # its process died: say so, a new request queues it again
        state = "failed"
        if kind == "import":
            messages = [_("The check was interrupted. Please upload the workbook again.")]
        else:
            messages = [_("The preparation was interrupted. Please try again.")]
    elif status == "SUCCESSFUL" and kind == "import" and (row.return_value or {}).get("outcome"):
        state = "done"  # checked: saved, or refused with every problem (the result page)
        result = f"{reverse('baseline', args=[kwargs.get('kode', '')])}?upload={row.id}"
    elif status == "SUCCESSFUL" and kind == "download" and (row.return_value or {}).get("ok"):
        state = "done"
    else:
        state = "failed"
        given = (row.return_value or {}).get("messages") or {}
        messages = [str(m) for m in given.get(lang) or given.get("id") or []]
        if not messages and kind == "import":
            messages = [
                _("The workbook could not be checked because of an internal error."),
                _("Nothing was saved."),
            ]
        elif not messages:
            messages = [_("The report could not be prepared because of an internal error.")]
    return {
        "id": str(row.id),
        "kind": kind,
        "state": state,
        "back": str(kwargs.get("back", "")),
        "result": result,
        "fmt": str(kwargs.get("fmt", "")).upper(),
        "messages": messages,
    }


@login_required
@require_safe
def task_page(request: HttpRequest, task_id: str) -> HttpResponse:
    row = own_task(request, task_id)
    task = task_state(row, page_lang())
    if task["result"]:  # a checked upload: its result page
        return redirect(task["result"])
    return render(request, "web/jobs/task.html", {"task": task})


@login_required
@require_safe
def task_status(request: HttpRequest, task_id: str) -> HttpResponse:
    row = own_task(request, task_id)
    task = task_state(row, page_lang())
    response = render(request, "web/jobs/task_status.html", {"task": task})
    if task["result"] and request.headers.get("HX-Request") == "true":
        response["HX-Redirect"] = task["result"]  # the page goes on to the result
    return response


__all__ = ["STATES", "own_task", "task_page", "task_state", "task_status"]
