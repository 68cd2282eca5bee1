from __future__ import annotations

from django.urls import path

from sanitasi.web.reminders import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.mark_read, name="inbox-read"),
]
