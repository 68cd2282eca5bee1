"""Issue 11's smaller items: the "report a quarter" form opens under the activity or row
clicked (also from Tugas saya, whose links jump to it); the API description keeps the
``Bearer <token>`` and ``api_token <username>`` placeholders in Markdown code spans (the docs
page would read them as HTML tags); an activity's change history shows its effect and
sasaran in words, never as codes."""

from __future__ import annotations

import json

from django.test import Client
from test_web_programme import client_for, edit_data
from test_web_workflow import draft_of

from sanitasi.web.audit.history import object_history
from sanitasi.web.programme.models import Activity

HX = {"HTTP_HX_REQUEST": "true"}


def _article(html: str, code: str) -> str:
    return html.split(f'id="activity-{code}"')[1].split("</article>")[0]


def test_new_quarter_form_opens_under_its_activity(demo: str) -> None:
    c = client_for("opd-dlh")
    html = c.get(f"/cities/{demo}/realisation/new/PS-01/", **HX).content.decode()
    assert html.count('id="editor"') == 1
    assert 'id="editor"' in _article(html, "PS-01")
    # before the list: no editor at the top any more
    assert html.index('id="my-activities"') < html.index('id="editor"')
    # the page itself too (a link from Tugas saya)
    page = c.get(f"/cities/{demo}/realisation/new/PS-01/?year=2027&quarter=1").content.decode()
    assert 'id="editor"' in _article(page, "PS-01")


def test_edit_form_opens_under_its_row(demo: str) -> None:
    c = client_for("opd-dlh")
    row = draft_of("PS-01")
    html = c.get(f"/cities/{demo}/realisation/{row.pk}/edit/", **HX).content.decode()
    after_row = html.split(f'id="real-{row.pk}"')[1]
    assert after_row.index('class="editor-row"') < after_row.index("</tbody>")
    assert html.count('id="editor"') == 1


def test_the_form_is_shown_once_for_the_admin(demo: str) -> None:
    r = client_for("admin").get(f"/cities/{demo}/realisation/new/PS-01/", **HX)
    html = r.content.decode()
    assert r.status_code == 200 and html.count('id="editor"') == 1
    assert 'id="editor"' in _article(html, "PS-01")


def test_tugas_saya_links_jump_to_the_form(demo: str) -> None:
    html = client_for("opd-dlh").get(f"/cities/{demo}/agency/DLH/").content.decode()
    assert "#editor" in html and 'class="report-next"' in html


def test_api_description_keeps_the_placeholders(demo: str) -> None:
    spec = json.loads(Client().get("/api/openapi.json").content)
    text = spec["info"]["description"]
    assert "`Authorization: Bearer <token>`" in text
    assert "`python -m sanitasi.web.manage api_token <username>`" in text


def test_activity_history_shows_the_effect_and_sasaran_in_words(demo: str) -> None:
    act = Activity.objects.get(city_kode=demo, code="ALD-02")
    r = client_for("koordinator").post(
        f"/cities/{demo}/programme/ALD-02/edit/",
        edit_data(act, effect="hh:babs_tertutup->layak_sendiri:2", sasaran="pct_aman"),
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    act.refresh_from_db()
    (latest, *_rest) = object_history(_user(), act)
    changes = {c.field: (c.before, c.after) for c in latest.changes}
    assert changes["effect"] == (
        "1 rumah tangga dari BABS tertutup ke Layak sendiri",
        "2 rumah tangga dari BABS tertutup ke Layak sendiri",
    )
    before, after = changes["sasaran"]
    assert "pct_" not in before + after and after == "Akses aman"
    html = client_for("koordinator").get(f"/cities/{demo}/programme/ALD-02/").content.decode()
    panel = html.split('id="object-history"')[1] if 'id="object-history"' in html else html
    assert "babs_tertutup" not in panel and "2 rumah tangga dari BABS tertutup" in panel


def _user():  # type: ignore[no-untyped-def]
    from webhelpers import user

    return user("koordinator")
