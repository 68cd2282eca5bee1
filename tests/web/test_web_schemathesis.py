"""The API under a real client (issue 12 item 9): schemathesis generates requests from
``/api/openapi.json`` for every operation and calls the Django WSGI application in-process
with a koordinator's API token, on the demo. Bounded (:data:`MAX_EXAMPLES` per operation and
mode; no time limit): valid requests (positive mode) and requests that break the schema
(negative mode), once with generated path parameters and once on the demo's city and an
activity of it. Every answer must be a documented status code with a body that conforms to the
schema, never a 5xx; schema-breaking requests must be refused (4xx)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from webhelpers import user

from sanitasi.web.api.models import ApiToken

pytestmark = [pytest.mark.slow]

#: Generated requests per operation, mode and path-parameter variant.
MAX_EXAMPLES = 12
#: Path parameters of the second variant: the demo city and one of its activities.
DEMO_PATH = {"kode": "13.72", "code": "ALD-01"}


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """The WSGI handler closes the database connection around each request; inside the
    test's transaction it must not (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _failures(
    operation: Any, headers: dict[str, str], mode: GenerationMode, path: Any
) -> list[str]:
    found: list[str] = []
    params = {k: v for k, v in path.items() if "{" + k + "}" in operation.path}
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=params or None)

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def call(case: Any) -> None:
        try:
            case.call_and_validate(headers=headers)
        except (Exception, BaseExceptionGroup) as e:  # every failure, collected
            if len(found) < 3:
                found.append(f"{operation.label} ({mode.value}, {params or 'generated'}): {e}")

    call()
    return found


def test_api_conforms_under_schemathesis(demo: str, in_test_transaction: None) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    headers = {"Authorization": f"Bearer {ApiToken.issue(user('koordinator'))}"}
    failures: list[str] = []
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for path in ({}, DEMO_PATH):
                failures += _failures(operation, headers, mode, path)
    assert failures == [], "\n\n".join(failures)


def test_a_body_that_is_not_json_is_a_422_at_body(demo: str) -> None:
    """Found by schemathesis: django-ninja answered an undocumented 400."""
    from apihelpers import client_for, post_json, realisation_url

    response = post_json(client_for("opd-dlh"), realisation_url(demo, "PS-01"), "\x00")
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Invalid input.",
        "errors": {"body": ["The body is not valid JSON."]},
    }


def test_integral_numbers_are_integers(demo: str) -> None:
    """Found by schemathesis: ``"quarter": 3.0`` is an integer in JSON Schema (and so in the
    OpenAPI description); ``"3"``, ``true`` and ``3.5`` stay refused."""
    from apihelpers import GOOD, client_for, post_json, realisation_url

    client = client_for("opd-dlh")
    for bad in ('"4"', "true", "3.5"):
        body = json.dumps(GOOD).replace('"quarter": 4', f'"quarter": {bad}')
        response = post_json(client, realisation_url(demo, "PS-01"), body)
        assert response.status_code == 422 and set(response.json()["errors"]) == {"quarter"}
    body = json.dumps(GOOD).replace('"quarter": 4', '"quarter": 4.0')
    response = post_json(client, realisation_url(demo, "PS-01"), body)
    assert response.status_code == 201 and response.json()["quarter"] == 4
