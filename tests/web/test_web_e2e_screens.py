# ruff: noqa: F811
"""Every screen at 390 px (issue 11 item 9): Playwright + Debian's chromium (as
``test_web_e2e.py``, whose ``browser`` fixture and ``NO_TIME_LIMIT`` this module reuses)
visits every page of the app, each as a role that may see it, at a phone's 390x844 and at a
desktop's 1280x800; it saves a screenshot of each (under ``SANITASI_HOME``/screens) and
asserts that nothing overflows the viewport horizontally: the document is no wider than the
window, and no visible element's box ends right of it unless it sits inside a scroll box (a
wide table scrolls inside its ``.table-scroll`` wrapper). Charts are not exempt: they resize
to their box.

The list of pages is complete: :func:`test_every_route_is_visited_or_not_a_page` fails when a
route of ``web/urls.py`` (or an app's urls) is neither visited here nor named as something
else (a POST-only action, a download, an HTMX fragment)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from screenhelpers import PHONE, SIZES, assert_fits, charts_drawn, overflow, screens_dir
from test_web_e2e import DEMO, NO_TIME_LIMIT, Browser, Page, Session, browser, demo_live  # noqa: F401
from test_web_every_view import app_routes, kwargs_for

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

#: Each page of the app (route name) and the demo account that visits it (None = a visitor
#: who is not logged in). Extra URL query strings in QUERY.
PAGES: dict[str, str | None] = {
    "home": None,  # the anonymous visitor is sent to the public page or the login
    "public-home": None,
    "public-city": None,
    "city-dashboard": "koordinator",
    "plan-settings": "koordinator",
    "plan-sasaran": "koordinator",
    "plan-parameters": "koordinator",
    "baseline": "koordinator",
    "boundaries": "koordinator",
    "programme-list": "koordinator",
    "activity-detail": "koordinator",
    "activity-new": "koordinator",
    "activity-edit": "koordinator",
    "realisation-list": "koordinator",
    "realisation-new": "opd-dlh",
    "realisation-edit": "opd-perkim",
    "meeting-list": "koordinator",
    "meeting-new": "fasilitator",
    "meeting-edit": "koordinator",
    "action-edit": "koordinator",
    "reporting-grid": "koordinator",
    "scenario-list": "koordinator",
    "agency-tasks": "opd-dlh",
    "kecamatan-home": "kecamatan-ls",
    "city-audit": "admin",
    "province-page": "fasilitator",
    "national-page": "nasional",
    "inbox": "viewer",
}

#: Routes that are no screen of their own, and why.
NOT_PAGES: dict[str, str] = {
    "plan-download": "a report download (the HTML report is laid out by reports/html/)",
    "document-download": "a report download",
    "monitoring-download": "a report download",
    "baseline-template": "an XLSX download",
    "baseline-row": "an HTMX fragment: a row of the baseline table (its page is visited)",
    "baseline-upload": "POST only",
    "boundaries-upload": "POST only",
    "boundaries-clear": "POST only",
    "plan-target-sets": "POST only",
    "plan-publish": "POST only",
    "plan-parameter": "POST only",
    "activity-adopt": "POST only",
    "activity-reject": "POST only",
    "realisation-submit": "POST only",
    "realisation-verify": "POST only",
    "realisation-return": "POST only",
    "realisation-reopen": "POST only",
    "realisation-delete": "POST only",
    "meeting-delete": "POST only",
    "action-new": "POST only",
    "action-done": "POST only",
    "action-delete": "POST only",
    "scenario-delete": "POST only",
    "scenario-edit": "the scenarios page with one scenario's form (the page is visited)",
    "inbox-read": "POST only",
    "city-export": "a ZIP download (the city folder)",
    "effect-preview": "an HTMX fragment of the activity form (its page is visited)",
    "evidence-delete": "POST only",
    "evidence-file": "an evidence file download",
    "task-page": "a queued download's status page: exists only for a queued task",
    "task-status": "an HTMX fragment of the task page",
}

#: Pages outside the app's routes (Django's account and admin views, the API's index and docs).
EXTRA: list[tuple[str, str | None]] = [
    ("/accounts/login/", None),
    ("/accounts/password_change/", "viewer"),
    ("/admin/", "admin"),
    ("/admin/auth/user/", "admin"),
    ("/api/docs", "admin"),
]

#: A page drawn by its own script: the element that shows it is ready.
READY = {"/api/docs": ".swagger-ui .info"}

#: A query string for a page (the dashboard of a quarter with realisation rows).
QUERY = {"city-dashboard": "?year=2026&quarter=4", "baseline": "?year=2024"}


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)


def test_every_route_is_visited_or_not_a_page(demo: str) -> None:
    routes = set(app_routes())
    assert set(PAGES) | set(NOT_PAGES) == routes, {
        "not listed": sorted(routes - set(PAGES) - set(NOT_PAGES)),
        "gone": sorted((set(PAGES) | set(NOT_PAGES)) - routes),
    }
    assert not set(PAGES) & set(NOT_PAGES)


def _urls() -> dict[str | None, list[tuple[str, str]]]:
    """role -> [(label, path)] of every page the role visits."""
    by_role: dict[str | None, list[tuple[str, str]]] = {}
    for name, role in PAGES.items():
        path = reverse(name, kwargs=kwargs_for(name, DEMO)) + QUERY.get(name, "")
        by_role.setdefault(role, []).append((name, path))
    for path, role in EXTRA:
        by_role.setdefault(role, []).append((path.strip("/").replace("/", "-") or "root", path))
    return by_role


def _login(s: Session, username: str) -> None:
    s.goto("/accounts/login/")
    form = s.page.locator("section.login form")
    form.locator("#id_username").fill(username)
    form.locator("#id_password").fill("demo")
    with s.page.expect_navigation():
        form.locator("button[type=submit]").click()


@pytest.fixture
def sessions(demo_live: str, browser: Browser) -> Iterator[Any]:
    opened: list[Session] = []

    def open_(role: str | None, size: tuple[int, int]) -> Session:
        s = Session(browser, demo_live)
        s.context.set_default_navigation_timeout(NO_TIME_LIMIT)
        s.page.set_viewport_size({"width": size[0], "height": size[1]})
        if role:
            _login(s, role)
        opened.append(s)
        return s

    yield open_
    for s in opened:
        s.close()


def test_every_screen_fits_390_and_desktop(demo_live: str, sessions: Any) -> None:
    """Every page, as its role, at 390x844 and 1280x800: no horizontal overflow."""
    out = screens_dir()
    by_role = _urls()
    failures: list[Any] = []
    visited = 0
    for size in SIZES:
        for role, pages in by_role.items():
            s = sessions(role, size)
            for label, path in pages:
                visit(s.page, demo_live + path)
                if path in READY:
                    s.page.wait_for_selector(READY[path])
                charts_drawn(s.page)
                s.page.screenshot(
                    path=str(out / f"{size[0]}-{role or 'public'}-{label}.png"), full_page=True
                )
                got = overflow(s.page)
                visited += 1
                if got["scrollWidth"] > got["innerWidth"] + 1 or got["over"]:
                    failures.append((size[0], role, label, got))
    (out / "overflow.json").write_text(json.dumps(failures, indent=1))
    assert visited == 2 * (len(PAGES) + len(EXTRA))
    assert not failures, failures


def test_the_overflow_check_sees_what_sticks_out(demo_live: str, sessions: Any) -> None:
    """The check is not vacuous: on the public page at 390 px a 600 px block is reported and
    widens the document; a wide table (in a .table-scroll wrapper or bare: site.css makes it
    its own scroll box) and a wide block clipped by an ``overflow: hidden`` box are not."""
    s = sessions(None, PHONE)
    page = s.page
    visit(page, demo_live + f"/public/{DEMO}/")
    charts_drawn(page)
    assert overflow(page) == {"scrollWidth": 390, "innerWidth": 390, "over": []}
    add = """(html) => {
      const box = document.createElement('div');
      box.id = 'probe';
      box.innerHTML = html;
      document.querySelector('main').prepend(box);
    }"""
    page.evaluate(add, '<div id="wide" style="width: 600px; height: 10px"></div>')
    got = overflow(page)
    assert got["scrollWidth"] >= 600 and got["over"] == ["div#wide right=612"], got
    page.evaluate("() => document.getElementById('probe').remove()")
    wide_cell = '<tr><td><div style="width: 900px; height: 10px"></div></td></tr>'
    for html in (
        f'<div class="table-scroll"><table>{wide_cell}</table></div>',
        f"<table>{wide_cell}</table>",
        '<div style="overflow: hidden"><div style="width: 900px; height: 10px"></div></div>',
    ):
        page.evaluate(add, html)
        assert overflow(page) == {"scrollWidth": 390, "innerWidth": 390, "over": []}, html
        page.evaluate("() => document.getElementById('probe').remove()")


def test_without_javascript_nothing_is_folded(demo_live: str, browser: Browser) -> None:
    """site.js folds the navigation; without JavaScript the phone shows every link and no
    (useless) menu button, and the page still fits."""
    context = browser.new_context(
        locale="id-ID",
        java_script_enabled=False,
        viewport={"width": PHONE[0], "height": PHONE[1]},
    )
    context.set_default_timeout(NO_TIME_LIMIT)
    page = context.new_page()
    visit(page, demo_live + "/accounts/login/")
    page.locator("section.login #id_username").fill("kecamatan-ls")
    page.locator("section.login #id_password").fill("demo")
    with page.expect_navigation():
        page.locator("section.login button[type=submit]").click()
    assert page.url.endswith(f"/cities/{DEMO}/kecamatan/13.72.01/"), page.url
    assert page.locator("#nav-kecamatan").is_visible()
    assert page.locator("#nav-inbox").is_visible()
    assert page.locator(".tools .logout button").is_visible()
    assert page.locator(".nav-toggle").count() == 2
    assert not any(b.is_visible() for b in page.locator(".nav-toggle").all())
    assert_fits(page, "kecamatan-home without JavaScript")
    context.close()
