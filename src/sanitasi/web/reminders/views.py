"""The in-app inbox: the user's reminders, newest first; mark one or all as read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from sanitasi.web.reminders.messages import message
from sanitasi.web.reminders.models import Notification

#: Reminders shown on the page (the newest).
PAGE_SIZE = 100


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    rows = list(Notification.objects.filter(user_id=int(request.user.pk or 0))[:PAGE_SIZE])
    items = [
        {
            "pk": n.pk,
            "kind": n.get_kind_display(),
            "text": message(n),
            "url": n.url,
            "created_at": n.created_at,
            "unread": n.read_at is None,
        }
        for n in rows
    ]
    return render(request, "web/reminders/inbox.html", {"items": items})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark the reminder ``pk`` (POST field), or every one without it, as read; then follow
    ``next`` (the reminder's link) when it is a local path."""
    qs = Notification.objects.filter(user_id=int(request.user.pk or 0), read_at=None)
    pk = request.POST.get("pk", "")
    if pk:
        qs = qs.filter(pk=pk) if pk.isdigit() else qs.none()
    qs.update(read_at=timezone.now())
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("inbox")
