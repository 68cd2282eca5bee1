"""Layout checks shared by the browser tests (issue 11 item 9): nothing wider than the
viewport, charts drawn and fitted, the folded navigation of a narrow screen. Plain functions
on a Playwright ``Page`` (the browser itself is ``test_web_e2e.py``'s fixture)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

#: The phone and the desktop of the layout tests: (width, height) in CSS pixels.
PHONE = (390, 844)
DESKTOP = (1280, 800)
SIZES = (PHONE, DESKTOP)


#: Elements whose right edge lies beyond the viewport, outside any scroll box (an element
#: whose ancestor scrolls horizontally is reachable by scrolling that box). Hidden and
#: zero-sized elements do not count, nor the part of one that an ``overflow: hidden`` box
#: within the viewport clips away (it is not shown: Django admin's visually hidden table
#: headings).
OVERFLOW_JS = """() => {
  const w = window.innerWidth;
  const out = [];
  const contained = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a).overflowX;
      if (s === 'auto' || s === 'scroll') return true;
      if ((s === 'hidden' || s === 'clip') && a.getBoundingClientRect().right <= w + 1) return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= w + 1) continue;
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || st.display === 'none') continue;
    if (contained(el)) continue;
    // report the outermost element only (its children overflow with it)
    const p = el.parentElement;
    if (p && p !== document.body && p.getBoundingClientRect().right > w + 1) continue;
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.split(' ').join('.') : '';
    out.push(el.tagName.toLowerCase() + id + cls + ' right=' + Math.round(r.right));
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: w, over: out.slice(0, 12)};
}"""


def screens_dir() -> Path:
    """Where the browser tests save their screenshots: ``SANITASI_HOME``/screens (the test
    session's throwaway folder)."""
    out = Path(os.environ.get("SANITASI_HOME", "/tmp")) / "screens"
    out.mkdir(parents=True, exist_ok=True)
    return out


def overflow(page: Any) -> dict[str, Any]:
    """The document's width and the elements that overflow the viewport (empty: none)."""
    result: dict[str, Any] = page.evaluate(OVERFLOW_JS)
    return result


def assert_fits(page: Any, label: str = "") -> None:
    got = overflow(page)
    assert got["scrollWidth"] <= got["innerWidth"] + 1 and not got["over"], (label, got)


def charts_drawn(page: Any) -> None:
    """Wait until every Vega chart of the page is drawn and fitted to its box (charts.js
    marks it ``data-fit="done"``; a box without a spec is never drawn)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')]"
        ".every(el => !el.dataset.drawn || el.dataset.fit === 'done')"
    )


def open_menus(page: Any) -> None:
    """On a narrow screen, unfold the header's menu and the city pages (site.js): every
    folded button is clicked and its part shown."""
    for button in page.locator(".nav-toggle").all():  # nth(i): stable while clicking
        if button.is_visible() and button.get_attribute("aria-expanded") == "false":
            button.click()
            assert button.get_attribute("aria-expanded") == "true"
            controlled = page.locator("#" + str(button.get_attribute("aria-controls")))
            assert controlled.locator("a, button").last.is_visible()  # the folded part shows
