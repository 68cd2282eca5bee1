"""A city whose stored data cannot give a plan: a clear 503 naming the rules, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape
from webhelpers import make_city, user

from sanitasi.web.plans.results import PlanUnavailable, plan_result

PADANG = "13.71"


@pytest.fixture
def padang(demo: str) -> str:
    make_city(PADANG, "Kota Padang")  # regions and a plan, no kelurahan, no baseline
    return PADANG


def admin() -> Client:
    c = Client()
    c.force_login(user("admin"))
    return c


def test_plan_result_names_the_rules(padang: str) -> None:
    with pytest.raises(PlanUnavailable) as found:
        plan_result(padang)
    codes = {p.code for p in found.value.problems}
    assert codes, "the CLI's whole-city checks name what is missing"
    assert all(c.startswith("SAN-E") for c in codes)
    assert found.value.messages("id") and found.value.messages("en")


def test_dashboard_and_downloads_answer_503_with_the_reasons(padang: str) -> None:
    c = admin()
    for url in (f"/cities/{padang}/", f"/cities/{padang}/downloads/plan.html"):
        response = c.get(url)
        assert response.status_code == 503, url
        html = response.content.decode()
        assert 'id="plan-unavailable"' in html
        assert "Rencana tidak dapat dihitung" in html
        reasons = response.context["reasons"]
        assert reasons and all(escape(r) in html for r in reasons)
        assert f"/cities/{padang}/baseline/" in html


def test_api_answers_503_json(padang: str) -> None:
    response = admin().get(f"/api/cities/{padang}/indicators")
    assert response.status_code == 503
    body = response.json()
    assert padang in body["detail"] and body["problems"]


def test_the_demo_is_not_affected(demo: str) -> None:
    assert admin().get(f"/cities/{demo}/").status_code == 200
