"""Authentication: Django's ModelBackend, except that the demo password only opens a demo
database."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from sanitasi.web.accounts.demo import DEMO_PASSWORD
from sanitasi.web.models import is_demo_database


class DemoAwareModelBackend(ModelBackend):
    """Refuse the password ``demo`` unless the database was created with the demo."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if password == DEMO_PASSWORD and not is_demo_database():
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
