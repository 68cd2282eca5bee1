"""Middleware: Indonesian by default (the language comes from the user's choice, a cookie, not
from the browser's Accept-Language header); a city whose plan cannot be computed answers a
clear 503 page instead of a server error."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import render
from django.utils import translation


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that without a language cookie (set by the language
    switch, ``set_language``) the site speaks ``LANGUAGE_CODE`` (Indonesian)."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        codes = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PlanUnavailableMiddleware:
    """A page or API call that needs a city's plan when the stored data cannot give one
    (:class:`~sanitasi.web.plans.results.PlanUnavailable`): answer 503 naming the broken rules
    (a page that links to the screens where the data are mended; JSON for ``/api/``), never a
    bare server error."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from sanitasi.web.cities import page_lang
        from sanitasi.web.plans.results import PlanUnavailable

        if not isinstance(exception, PlanUnavailable):
            return None
        lang = page_lang()
        reasons = exception.messages(lang)
        if request.path.startswith("/api/"):
            body = {"detail": str(exception), "problems": reasons}
            return JsonResponse(body, status=503)
        context = {"kode": exception.city_kode, "reasons": reasons}
        return render(request, "web/plan_unavailable.html", context, status=503)
