"""No raw code on any screen: every page of the app as every demo role, in both languages.

The routes come from the URL confs (test_web_every_view's registry, so a new view cannot
escape); from each city page the links to other pages of the city are followed once. The
visible text of every HTML answer must not show an internal code of the registries
(tests/rawcodes.py): indicator codes, need items, funding sources, bands, ladder rungs,
effect strings, or a region code in a row that does not name the region.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urldefrag, urlsplit

import lxml.html
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from test_web_every_view import ROLES, app_routes, kwargs_for
from webhelpers import DEMO, user

from rawcodes import Hit, html_hits
from sanitasi.web.geography.models import Region

LANGS = ("id", "en")
#: Answers that are files, not screens (their reports are walked in tests/reports).
FILES = (".xlsx", ".pdf", ".docx", ".csv", ".json", ".geojson", ".zip", ".html")


def _names() -> dict[str, str]:
    return {r.kode: r.nama for r in Region.objects.filter(city_kode=DEMO)}


def _client(role: str, lang: str) -> Client:
    c = Client()
    c.force_login(user(role))
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return c


def _links(html: str, base: str) -> set[str]:
    root = lxml.html.document_fromstring(html)
    out: set[str] = set()
    for href in root.xpath("//a/@href"):
        url = urldefrag(str(href))[0]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith(base):
            continue
        if parts.path.endswith(FILES) or "/downloads/" in parts.path or "/export" in parts.path:
            continue
        out.add(url)
    return out


#: Pages followed per shape of link (the same view with another activity, region or
#: quarter renders the same template with other rows): enough to see each view's rows
#: without rendering every activity of the city for every role and language.
PER_SHAPE = 2


def _shape(url: str) -> str:
    """``url`` with its variable parts (codes with digits or capitals, numbers) blanked."""
    path, _, query = url.partition("?")
    segments = [re.sub(r".*[0-9A-Z].*", "*", seg) for seg in path.split("/")]
    keys = sorted(k.split("=")[0] for k in query.split("&") if k)
    return "/".join(segments) + "?" + "&".join(keys)


def _sample(urls: Iterable[str]) -> list[str]:
    """At most :data:`PER_SHAPE` URLs of each shape (sorted: the same pages every run)."""
    count: dict[str, int] = {}
    out = []
    for url in sorted(urls):
        shape = _shape(url)
        if count.get(shape, 0) < PER_SHAPE:
            count[shape] = count.get(shape, 0) + 1
            out.append(url)
    return out


def walk(role: str, lang: str) -> tuple[list[Hit], int]:
    """The raw-code hits of every page ``role`` can open in ``lang``, and the page count."""
    c = _client(role, lang)
    names = _names()
    base = f"/cities/{DEMO}/"
    seen: set[str] = set()
    urls = [reverse(n, kwargs=kwargs_for(n, DEMO)) for n in sorted(app_routes())]
    # the downloads are the report files (plan/monitoring HTML, XLSX, the document), walked
    # by tests/reports/test_reports_no_raw_codes.py with the same renderers
    todo = [u for u in urls if "/downloads/" not in u]
    hits: list[Hit] = []
    followed = False
    while todo:
        batch, todo = todo, []
        for url in batch:
            if url in seen:
                continue
            seen.add(url)
            response = c.get(url)
            kind = response.get("Content-Type", "")
            if response.status_code != 200 or not kind.startswith("text/html"):
                continue
            html = response.content.decode()
            found = html_hits(html, f"{role} {lang} {url}", names)
            if url.endswith("/boundaries/"):  # its help text explains the kode format
                found = [h for h in found if h.code not in names]
            hits += found
            if not followed:
                todo += sorted(_links(html, base) - seen)
        if not followed:
            todo = _sample(set(todo) - seen)
        followed = True  # links of the registry's pages, one level deep
    return hits, len(seen)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("role", ROLES)
def test_no_raw_code_on_any_page(demo: str, role: str, lang: str) -> None:
    hits, pages = walk(role, lang)
    assert pages > 40, (role, lang, pages)  # the walk really went through the app
    problems = [f"{h.where.split('?')[0]}: {h.code!r} in {h.text[:120]!r}" for h in hits]
    assert not problems, "\n".join(sorted(set(problems))[:80])


def test_link_sample_keeps_each_shape() -> None:
    urls = [f"/cities/13.72/activities/{c}/" for c in ("ALD-01", "ALD-02", "PS-08")]
    urls += ["/cities/13.72/monitoring/?year=2026&quarter=3", "/cities/13.72/baseline/"]
    assert _sample(urls) == [
        "/cities/13.72/activities/ALD-01/",
        "/cities/13.72/activities/ALD-02/",
        "/cities/13.72/baseline/",
        "/cities/13.72/monitoring/?year=2026&quarter=3",
    ]


def test_the_detector_catches_each_kind_of_code(demo: str) -> None:
    """The detector is not blind: one page of each kind of raw code fails it, and the same
    page with labels passes."""
    names = _names()
    bad = (
        "<html><body><table><tr><td>APBD_KOTA</td></tr><tr><td>iplt_capacity</td></tr>"
        "<tr><td>pct_aman</td></tr><tr><td>sangat_rendah</td></tr>"
        "<tr><td>babs_tertutup</td></tr><tr><td>belum_layak-&gt;aman</td></tr>"
        "<tr><td>13.72.01.1001</td></tr></table></body></html>"
    )
    got = {h.code for h in html_hits(bad, "bad", names)}
    assert got == {
        "APBD_KOTA",
        "iplt_capacity",
        "pct_aman",
        "sangat_rendah",
        "babs_tertutup",
        "belum_layak->aman",
        "13.72.01.1001",
    }
    good = (
        "<html><head><script>var x = 'APBD_KOTA';</script></head><body>"
        '<input type="hidden" name="source" value="APBD_KOTA">'
        '<a href="/cities/13.72/need/iplt_capacity/">Tambahan kapasitas IPLT</a>'
        f"<table><tr><td>13.72.01.1001</td><td>{names['13.72.01.1001']}</td></tr></table>"
        "<p>plan_13.72_sangat_rendah.xlsx</p><p hidden>pct_aman</p></body></html>"
    )
    assert html_hits(good, "good", names) == []
