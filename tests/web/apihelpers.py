"""Helpers of the API tests: clients per role, JSON requests."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from webhelpers import user

#: The demo roles (user names) and the anonymous caller.
ROLES = (
    "admin",
    "koordinator",
    "opd-dlh",
    "opd-perkim",
    "kecamatan-ls",
    "fasilitator",
    "viewer",
    "anonymous",
)
SIGNED_IN = tuple(r for r in ROLES if r != "anonymous")


def client_for(role: str, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if role != "anonymous":
        client.force_login(user(role))
    return client


def post_json(client: Client, url: str, data: Any, **extra: Any) -> Any:
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(url, body, content_type="application/json", **extra)


def realisation_url(kode: str, code: str) -> str:
    return f"/api/cities/{kode}/activities/{code}/realisations"


GOOD = {"year": 2026, "quarter": 4, "output": 2.5, "cost": 1500000, "note": "via API"}


def patch_json(client: Client, url: str, data: Any, **extra: Any) -> Any:
    body = data if isinstance(data, str) else json.dumps(data)
    return client.patch(url, body, content_type="application/json", **extra)


def row_url(kode: str, pk: int, step: str = "") -> str:
    """One realisation (``step``: ``submit``, ``verify`` or ``return``)."""
    return f"/api/cities/{kode}/realisations/{pk}" + (f"/{step}" if step else "")


def city_realisations_url(kode: str, query: str = "") -> str:
    return f"/api/cities/{kode}/realisations" + (f"?{query}" if query else "")


def page(response: Any) -> dict[str, Any]:
    """The body of a paged list answer (200, with ``items``, ``count``, ``limit``, ``offset``)."""
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    assert set(body) == {"items", "count", "limit", "offset"}, body
    return body
