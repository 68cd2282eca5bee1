from __future__ import annotations

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "sanitasi.web.reminders"
    label = "reminders"
    verbose_name = "Reminders"
