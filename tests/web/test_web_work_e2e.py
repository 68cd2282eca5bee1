"""Browser journey of issue 11 (item 3): the camat lands on the kecamatan page, at desktop
width and at 390 px (item 9). (The opd and koordinator journeys, with evidence files, are in
``test_web_evidence_e2e.py``.) Same set-up as ``test_web_e2e.py`` (Debian's
chromium through pip Playwright, "today" pinned to 2027-03-31)."""

from __future__ import annotations

import pytest
from screenhelpers import PHONE, SIZES, assert_fits, open_menus
from test_web_e2e import DEMO, Browser, Session, browser, demo_live  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def session(browser: Browser, base: str) -> Session:  # noqa: F811
    """A :class:`Session` whose navigations have no time limit: its pages compute the plan
    (seconds on an idle machine, much longer on a loaded one)."""
    s = Session(browser, base)
    s.context.set_default_navigation_timeout(0)
    return s


def login_home(s: Session, username: str) -> None:
    """Log in without a ``next``: the user lands where the home page sends its role."""
    s.goto("/accounts/login/")
    form = s.page.locator("section.login form")
    form.locator("#id_username").fill(username)
    form.locator("#id_password").fill("demo")
    with s.page.expect_navigation():
        form.locator("button[type=submit]").click()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}px")
def test_camat_lands_on_the_kecamatan(
    demo_live: str,  # noqa: F811
    browser: Browser,  # noqa: F811
    size: tuple[int, int],
) -> None:
    """At desktop width and on a 390 px phone: the camat lands on the kecamatan dashboard,
    sees its kelurahan and the PS-08 activity, nothing overflows the screen; on the phone the
    city pages are folded behind their button, which opens them (the camat's own page is
    marked current)."""
    camat = session(browser, demo_live)
    camat.page.set_viewport_size({"width": size[0], "height": size[1]})
    login_home(camat, "kecamatan-ls")
    page = camat.page
    page.wait_for_url(f"**/cities/{DEMO}/kecamatan/13.72.01/")
    assert page.locator("#kec-report-PS-08").count() == 1
    assert page.locator("#kec-report-PS-08").is_visible()
    assert "Tanah Garam" in page.locator("#kelurahan-indicators").inner_text()
    own = page.locator("#nav-kecamatan")
    if size == PHONE:
        assert not own.is_visible()  # folded
        open_menus(page)
    assert own.is_visible() and own.get_attribute("aria-current") == "page"
    assert page.locator("#nav-inbox").is_visible()
    assert_fits(page, "kecamatan-home")
    assert not camat.errors and not camat.foreign
    camat.close()
