"""The change history in the UI: the city page (koordinator, admin) and the history panel of
a realisation's edit view, scoped through restrict()."""

from __future__ import annotations

import pytest
from django.test import Client
from webhelpers import local_activity, make_city, user

from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.monitoring import workflow
from sanitasi.web.monitoring.models import Realisation

ROLES = ("admin", "koordinator", "opd-dlh", "opd-perkim", "kecamatan-ls", "fasilitator", "viewer")
READERS = {"admin", "koordinator"}


def client_for(username: str, lang: str = "en") -> Client:
    c = Client()
    c.force_login(user(username))
    c.post("/i18n/setlang/", {"language": lang, "next": "/"})
    return c


@pytest.fixture
def edited(demo: str) -> Realisation:
    act = local_activity("LS-01", "13.72.01.1001", "DLH", ("KEC_LS",))
    r = workflow.create(user("opd-dlh"), act, 2026, 4, output_achieved=3, note="first")
    workflow.edit(user("opd-dlh"), r, r.version, output_achieved=5, note="second")
    return r


@pytest.mark.parametrize("role", ROLES)
def test_city_history_every_role(demo: str, edited: Realisation, role: str) -> None:
    response = client_for(role).get(f"/cities/{demo}/audit/")
    assert response.status_code == (200 if role in READERS else 403), role
    if role not in READERS:
        return
    html = response.content.decode()
    assert 'id="audit"' in html and "opd-dlh" in html
    assert "Output achieved" in html or "output achieved" in html
    assert "<del>3.0</del> → <ins>5.0</ins>" in html
    assert "<del>first</del> → <ins>second</ins>" in html


def test_city_history_filter_and_pages(demo: str, edited: Realisation) -> None:
    c = client_for("koordinator")
    html = c.get(f"/cities/{demo}/audit/?model=monitoring.realisation").content.decode()
    assert "realisation" in html and "<del>first</del>" in html
    assert c.get(f"/cities/{demo}/audit/?model=bogus&page=999").status_code == 200


def test_city_history_out_of_scope(demo: str) -> None:
    make_city("13.71", "Kota Padang")
    assert client_for("koordinator").get("/cities/13.71/audit/").status_code == 404
    assert client_for("fasilitator").get("/cities/13.71/audit/").status_code == 403
    assert client_for("admin").get("/cities/13.71/audit/").status_code == 200
    assert client_for("admin").get("/cities/99.99/audit/").status_code == 404


def test_dashboard_links_to_history_for_readers(demo: str) -> None:
    for role in ROLES:
        html = client_for(role).get(f"/cities/{demo}/").content.decode()
        assert (f"/cities/{demo}/audit/" in html) == (role in READERS), role
        assert f"/cities/{demo}/meetings/" in html


def test_realisation_edit_shows_its_history(demo: str, edited: Realisation) -> None:
    c = client_for("opd-dlh")
    html = c.get(f"/cities/{demo}/realisation/{edited.pk}/edit/").content.decode()
    panel = html.split('id="object-history"')[1].split("</section>")[0]
    assert "opd-dlh" in panel and "created" in panel and "changed" in panel
    assert 'data-field="output_achieved"' in panel
    assert "<del>3.0</del> → <ins>5.0</ins>" in panel
    assert 'data-field="version"' not in panel


def test_history_panel_is_scoped(demo: str, edited: Realisation) -> None:
    """The panel shows what restrict() allows: admin sees every entry of the row, the
    kecamatan (which may edit this row) only its own (none here)."""
    admin = client_for("admin").get(f"/cities/{demo}/realisation/{edited.pk}/edit/")
    assert admin.content.decode().count('data-entry="') >= 2
    kec = client_for("kecamatan-ls").get(f"/cities/{demo}/realisation/{edited.pk}/edit/")
    assert kec.status_code == 200
    panel = kec.content.decode().split('id="object-history"')[1].split("</section>")[0]
    assert 'data-entry="' not in panel and "No changes recorded." in panel
    other = AuditEntry.objects.filter(model="monitoring.realisation").exclude(
        object_pk=str(edited.pk)
    )
    for e in other[:3]:
        assert f'data-entry="{e.pk}"' not in admin.content.decode()


def test_history_panel_after_a_conflict_keeps_showing(demo: str, edited: Realisation) -> None:
    c = client_for("opd-dlh")
    url = f"/cities/{demo}/realisation/{edited.pk}/edit/"
    stale = {"output_achieved": "9", "cost_spent_idr": "0", "note": "x", "version": "1"}
    response = c.post(url, stale)
    assert response.status_code == 409
    assert 'id="object-history"' in response.content.decode()
