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
