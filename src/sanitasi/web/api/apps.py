from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "sanitasi.web.api"
    label = "api"
    verbose_name = _("API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_save

        from sanitasi.web.api.models import revoke_on_password_change

        pre_save.connect(
            revoke_on_password_change,
            sender=get_user_model(),
            dispatch_uid="sanitasi-api-revoke-on-password-change",
        )
