"""Password validator: no one sets the password ``demo`` on a real (non-demo) database."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sanitasi.web.accounts.demo import DEMO_PASSWORD
from sanitasi.web.models import is_demo_database


class DemoPasswordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if password.strip().lower() == DEMO_PASSWORD and not is_demo_database():
            raise ValidationError(
                _("The password “demo” is reserved for demo databases."), code="demo_password"
            )

    def get_help_text(self) -> str:
        return _("Your password cannot be “demo”.")
