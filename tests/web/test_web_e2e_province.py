# ruff: noqa: F811
"""End-to-end (Playwright + Debian's chromium, as tests/web/test_web_e2e.py): the
fasilitator's journey (province page with 3 cities -> sort -> a city's dashboard) and the
public page of the demo (headline indicators with their charts), at desktop width and at
390 px (no element wider than the viewport: wide tables scroll inside their box, charts
fit theirs; on the phone the header's links are folded behind "Menu")."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
    pytest.skip("e2e: /usr/bin/chromium is missing", allow_module_level=True)
try:
    from playwright.sync_api import Browser, Page
except ImportError:
    pytest.skip("e2e: the playwright package is missing", allow_module_level=True)

# the browser fixture of test_web_e2e (a test parameter named `browser` is that fixture)
from screenhelpers import DESKTOP, PHONE, assert_fits, charts_drawn, open_menus, screens_dir  # noqa: E402
from test_web_e2e import NO_TIME_LIMIT, browser  # noqa: E402, F401

DEMO = "13.72"
WIDTHS = (DESKTOP[0], PHONE[0])

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def province_live(transactional_db: None, live_server: Any) -> Iterator[str]:
    """The demo plus two synthetic cities of Sumatera Barat, every summary up to date."""
    from sanitasi.web.geography.models import Region
    from sanitasi.web.loader import load_city_folder
    from sanitasi.web.plans import results
    from sanitasi.web.regions_view import summary

    results.clear()
    if not Region.objects.filter(city_kode=DEMO).exists():
        load_city_folder(None, demo=True)
    from test_web_province import fig, synthetic_city

    synthetic_city("13.71", "Kota Padang", {"pct_layak": fig(20_000, 12_000, 18_000)})
    synthetic_city("13.73", "Kota Sawahlunto", {"pct_layak": fig(5_000, 4_500, 5_000)})
    summary.build_summary(DEMO)
    yield str(live_server.url)


def _page(browser: Browser, base: str, width: int) -> tuple[Any, Page, list[str], list[str]]:
    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 900})
    # no time limit on slow work: a loaded CI machine may take minutes to render a page
    context.set_default_timeout(NO_TIME_LIMIT)
    page = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    host = urlsplit(base).netloc
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url)
            if urlsplit(r.url).scheme in ("http", "https") and urlsplit(r.url).netloc != host
            else None
        ),
    )
    return context, page, errors, foreign


def _no_overflow(page: Page) -> None:
    """No element wider than the viewport outside a scroll box, charts included (they are
    fitted to their box, screenhelpers.py)."""
    charts_drawn(page)
    assert_fits(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_fasilitator_province_to_city(province_live: str, browser: Browser, width: int) -> None:
    context, page, errors, foreign = _page(browser, province_live, width)
    page.goto(province_live + "/accounts/login/?next=/")
    form = page.locator("section.login form")
    form.locator("#id_username").fill("fasilitator")
    form.locator("#id_password").fill("demo")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith("/provinces/13/"), page.url
    rows = page.locator("#province-table tbody tr")
    assert rows.count() == 3
    names = [rows.nth(i).locator("th").inner_text() for i in range(3)]
    assert names == ["Kota Padang", "Kota Solok", "Kota Sawahlunto"]
    assert "%" in page.locator("#province-total").inner_text()
    # sort by the first indicator's baseline (ascending): Padang 60 %, Solok 81.3 %, Sawahlunto 90 %
    page.locator("#province-table thead button[data-col='1']").click()
    names = [rows.nth(i).locator("th").inner_text() for i in range(3)]
    assert names == ["Kota Padang", "Kota Solok", "Kota Sawahlunto"]
    page.locator("#province-table thead button[data-col='1']").click()  # descending
    names = [rows.nth(i).locator("th").inner_text() for i in range(3)]
    assert names == ["Kota Sawahlunto", "Kota Solok", "Kota Padang"]
    page.wait_for_selector("[data-chart^='tiles:'] svg, [data-chart^='tiles:'] canvas")
    _no_overflow(page)
    page.screenshot(path=str(screens_dir() / f"journey-fasilitator-province-{width}.png"))
    with page.expect_navigation():
        page.locator("#province-table a", has_text="Kota Solok").click()
    assert page.url.rstrip("/").endswith(f"/cities/{DEMO}")
    assert page.locator("#needs-years-table").count() == 1
    _no_overflow(page)
    page.screenshot(path=str(screens_dir() / f"journey-fasilitator-city-{width}.png"))
    # back to the province from the header (folded behind "Menu" on the phone)
    back = page.locator("#nav-region")
    if width == PHONE[0]:
        assert not back.is_visible()
        open_menus(page)
    with page.expect_navigation():
        back.click()
    assert page.url.endswith("/provinces/13/"), page.url
    context.close()
    assert not errors, errors
    assert not foreign, foreign


@pytest.mark.parametrize("width", WIDTHS)
def test_public_page(province_live: str, browser: Browser, width: int) -> None:
    context, page, errors, foreign = _page(browser, province_live, width)
    page.goto(province_live + "/public/")
    with page.expect_navigation():
        page.locator("a", has_text="Kota Solok").first.click()
    assert page.url.rstrip("/").endswith(f"/public/{DEMO}")
    sections = page.locator("section.public-indicator")
    assert sections.count() == 4
    page.wait_for_function(
        "document.querySelectorAll('[data-chart] svg, [data-chart] canvas').length >= 4"
    )
    assert "81,3" in page.locator("#indicator-pct_layak").inner_text()
    _no_overflow(page)
    page.screenshot(path=str(screens_dir() / f"journey-public-{width}.png"), full_page=True)
    context.close()
    assert not errors, errors
    assert not foreign, foreign
