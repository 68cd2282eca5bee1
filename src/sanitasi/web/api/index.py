"""``GET /api/``: a small JSON index of the API (its endpoints with their methods and
summaries, and links to the documentation and the OpenAPI schema), answered to anyone so a
client can discover the API; every endpoint it lists still needs authentication."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

METHODS = ("get", "post", "put", "patch", "delete")


@require_safe
def api_index(request: HttpRequest) -> JsonResponse:
    from sanitasi.web.api.endpoints import api

    prefix = reverse("api:api-root")
    schema: dict[str, Any] = api.get_openapi_schema(path_prefix=prefix.rstrip("/"))
    endpoints = [
        {"path": path, "method": method.upper(), "summary": str(op.get("summary", ""))}
        for path, ops in schema.get("paths", {}).items()
        for method, op in ops.items()
        if method in METHODS
    ]
    return JsonResponse(
        {
            "name": api.title,
            "version": api.version,
            "docs": request.build_absolute_uri(f"{prefix}docs"),
            "openapi": request.build_absolute_uri(f"{prefix}openapi.json"),
            "authentication": [
                "session (log in at /accounts/login/)",
                "Authorization: Bearer <token> (python -m sanitasi.web.manage api_token "
                "<username>)",
            ],
            "endpoints": endpoints,
        }
    )
