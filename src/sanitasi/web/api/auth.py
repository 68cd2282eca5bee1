"""API authentication: a bearer token (:class:`~sanitasi.web.api.models.ApiToken`) or the
Django session of a logged-in user (``/accounts/login/``), with Django's CSRF check on unsafe
methods for session requests only (a bearer token is not sent automatically by a browser).

Both return the user; what the user may see or do is decided by
:func:`sanitasi.web.scope.restrict` in the endpoints.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from sanitasi.web.api.models import ApiToken


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` (issued by ``manage.py api_token <username>``)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.user_for(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The Django session (login at ``/accounts/login/``); unsafe methods need the CSRF token
    (``X-CSRFToken`` header or ``csrfmiddlewaretoken``), as on Django's own forms."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if self.csrf and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header.")
        return user


#: Bearer token first (no CSRF), then the session.
AUTH = [TokenAuth(), SessionAuth()]
