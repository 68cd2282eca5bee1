"""Issue 12 item 4: report periods are validated, never rendered for year 2090."""

from __future__ import annotations

import pytest
from django.test import Client
from webhelpers import user

from sanitasi.web.plans import results

URLS = ("/cities/{kode}/", "/cities/{kode}/downloads/monitoring.html")


def _viewer() -> Client:
    c = Client()
    c.force_login(user("viewer"))
    return c


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("year=2090&quarter=1", "2024-2045"),
        ("year=2023&quarter=4", "2024-2045"),
        ("year=2025&quarter=5", "1 to 4"),
        ("year=2025&quarter=0", "1 to 4"),
        ("year=abc&quarter=1", "whole numbers"),
        ("year=9223372036854775808&quarter=1", "2024-2045"),
    ],
)
def test_a_period_outside_the_plan_is_refused(demo: str, url: str, query: str, reason: str) -> None:
    runs = dict(results.runs)
    c = _viewer()
    c.cookies["django_language"] = "en"  # the site is Indonesian unless the user chose English
    got = c.get(url.format(kode=demo) + "?" + query)
    assert got.status_code == 400
    assert reason in got.content.decode()
    assert results.runs["monitoring"] == runs["monitoring"]  # nothing computed


def test_the_plan_years_are_accepted(demo: str) -> None:
    c = _viewer()
    assert c.get(f"/cities/{demo}/downloads/monitoring.html?year=2045&quarter=4").status_code == 200
    assert c.get(f"/cities/{demo}/?year=2024&quarter=1").status_code == 200
    assert c.get(f"/cities/{demo}/").status_code == 200  # no period: the default one
