"""Authentication: Django's ModelBackend, except that the demo password only opens a demo
database and a user name locked by too many wrong passwords opens nothing until its cool-off
ends (:mod:`sanitasi.web.accounts.security`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from sanitasi.web.accounts.demo import DEMO_PASSWORD
from sanitasi.web.models import is_demo_database


class DemoAwareModelBackend(ModelBackend):
    """Refuse the password ``demo`` unless the database was created with the demo; refuse
    a locked user name; count wrong passwords."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        from django.contrib.auth import get_user_model

        from sanitasi.web.accounts import security

        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        if security.is_locked(username):
            security.record_failure(username, request)
            return None
        if password == DEMO_PASSWORD and not is_demo_database():
            security.record_failure(username, request)
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            security.record_failure(username, request)
        else:
            security.record_success(username)
        return user
