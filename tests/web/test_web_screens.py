"""Dashboard, realisation screens (HTMX) and downloads: every view x every role (allowed,
forbidden 403, out-of-scope row 404), bad form input, the conflict case, the verify flow
changing the dashboard's monitoring figures, downloads."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from webhelpers import local_activity, make_city, user

from sanitasi.web.monitoring import workflow
from sanitasi.web.monitoring.models import Realisation
from sanitasi.web.plans import results
from sanitasi.web.programme.models import Activity

#: A script, style or link loaded from another site (a CDN): the app must work offline.
OFF_SITE = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


ROLES = ("admin", "koordinator", "opd-dlh", "opd-perkim", "kecamatan-ls", "fasilitator", "viewer")
#: Who may enter realisation of LS-01 (located in Lubuk Sikarah, led by DLH, KEC_LS supports).
REPORTERS = {"admin", "opd-dlh", "kecamatan-ls"}
VERIFIERS = {"admin", "koordinator"}
HX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def client_for(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


@pytest.fixture
def ls(demo: str) -> Activity:
    """LS-01 in Lubuk Sikarah (DLH lead, KEC_LS support) with a draft 2025 Q1."""
    return local_activity("LS-01", "13.72.01.1001", "DLH", ("KEC_LS",))


def draft(act: Activity, year: int = 2026, quarter: int = 4, output: float = 3) -> Realisation:
    return workflow.create(user("opd-dlh"), act, year, quarter, output_achieved=output)


# --------------------------------------------------------------------------- dashboard


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_every_role(demo: str, role: str) -> None:
    response = client_for(role).get(f"/cities/{demo}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/vega/vega-embed" in html and not OFF_SITE.search(html)
    found = re.search(
        r'<script id="chart-specs" type="application/json">(.*?)</script>', html, re.S
    )
    assert found is not None
    specs = json.loads(found[1])["specs"]
    assert {"headline:pct_layak", "ladder", "tiles", "monitoring:money"} <= set(specs)
    assert specs["tiles"]["spec"]["layer"][0]["mark"]["type"] == "rect"
    assert 'id="retrospective"' in html and 'id="costs"' in html
    assert response.context["retro_lines"]


def test_dashboard_charts_are_the_report_specs(demo: str) -> None:
    from sanitasi.reports import charts

    response = client_for("viewer").get(f"/cities/{demo}/")
    html = response.content.decode()
    found = re.search(r'<script id="chart-specs" type="application/json">(.*?)</script>', html)
    assert found is not None
    specs = json.loads(found[1])["specs"]
    expected = charts.headline_charts(results.plan_result(demo), "id", kode=demo)
    assert specs["headline:pct_aman"] == expected["pct_aman"]


def test_dashboard_out_of_scope_city(demo: str) -> None:
    make_city("13.71", "Kota Padang")
    for role in ("koordinator", "opd-dlh", "opd-perkim", "kecamatan-ls", "viewer"):
        assert client_for(role).get("/cities/13.71/").status_code == 404, role
    assert client_for("viewer").get("/cities/99.99/").status_code == 404


def test_dashboard_is_cached_per_data_version(demo: str, ls: Activity) -> None:
    results.clear()
    c = client_for("viewer")
    c.get(f"/cities/{demo}/")
    before = results.runs["plan"]
    c.get(f"/cities/{demo}/")
    assert results.runs["plan"] == before  # same data: no recomputation
    draft(ls)  # an audited change: new data version
    c.get(f"/cities/{demo}/")
    assert results.runs["plan"] == before + 1


# --------------------------------------------------------------------------- realisation


@pytest.mark.parametrize("role", ROLES)
def test_realisation_list_every_role(demo: str, ls: Activity, role: str) -> None:
    response = client_for(role).get(f"/cities/{demo}/realisation/")
    assert response.status_code == 200
    codes = [a.code for a, _rows in response.context["activities"]]
    assert ("LS-01" in codes) == (role in REPORTERS)
    assert response.context["verifies"] == (role in VERIFIERS)


@pytest.mark.parametrize("role", ROLES)
def test_new_form_every_role(demo: str, ls: Activity, role: str) -> None:
    c = client_for(role)
    url = f"/cities/{demo}/realisation/new/LS-01/"
    expected = 200 if role in REPORTERS else 403
    assert c.get(url).status_code == expected, role
    data = {"year": 2026, "quarter": 2, "output_achieved": "5", "cost_spent_idr": "1000"}
    response = c.post(url, data, **HX)
    assert response.status_code == (200 if role in REPORTERS else 403), role
    exists = Realisation.objects.filter(activity=ls, year=2026, quarter=2).exists()
    assert exists == (role in REPORTERS)


@pytest.mark.parametrize("role", ROLES)
def test_edit_and_submit_every_role(demo: str, ls: Activity, role: str) -> None:
    r = draft(ls)
    c = client_for(role)
    edit = f"/cities/{demo}/realisation/{r.pk}/edit/"
    ok = role in REPORTERS
    assert c.get(edit).status_code == (200 if ok else 403), role
    data = {"output_achieved": "7,5", "cost_spent_idr": "2.000", "note": "x", "version": 1}
    assert c.post(edit, data, **HX).status_code == (200 if ok else 403)
    r.refresh_from_db()
    assert (r.output_achieved, r.version) == ((7.5, 2) if ok else (3.0, 1))
    if ok:
        assert r.cost_spent_idr == 2000.0  # Indonesian number format
    submit = f"/cities/{demo}/realisation/{r.pk}/submit/"
    assert c.post(submit, {"version": r.version}).status_code == (302 if ok else 403)
    r.refresh_from_db()
    assert r.state == ("submitted" if ok else "draft")


@pytest.mark.parametrize("role", ROLES)
def test_verify_and_return_every_role(demo: str, ls: Activity, role: str) -> None:
    r = draft(ls)
    r = workflow.submit(user("opd-dlh"), r, r.version)
    c = client_for(role)
    ok = role in VERIFIERS
    back = c.post(
        f"/cities/{demo}/realisation/{r.pk}/return/", {"version": r.version, "comment": "BAST?"}
    )
    assert back.status_code == (302 if ok else 403), role
    r.refresh_from_db()
    assert r.state == ("draft" if ok else "submitted")
    if ok:
        assert r.return_comment == "BAST?"
        r = workflow.submit(user("opd-dlh"), r, r.version)
    verify = c.post(f"/cities/{demo}/realisation/{r.pk}/verify/", {"version": r.version}, **HX)
    assert verify.status_code == (200 if ok else 403)
    r.refresh_from_db()
    assert r.state == ("verified" if ok else "submitted")


def test_return_needs_a_comment(demo: str, ls: Activity) -> None:
    r = workflow.submit(user("opd-dlh"), draft(ls), 1)
    c = client_for("koordinator")
    response = c.post(f"/cities/{demo}/realisation/{r.pk}/return/", {"version": 2}, **HX)
    assert response.status_code == 422
    r.refresh_from_db()
    assert r.state == "submitted"


@pytest.mark.parametrize("role", ROLES)
def test_out_of_scope_rows_are_404(demo: str, role: str) -> None:
    other = make_city("13.71", "Kota Padang")
    theirs = Realisation.objects.get(activity=other)
    th = local_activity("TH-01", "13.72.02.1001", "DLH", ("KEC_LS",))  # Tanjung Harapan
    mine_not = Realisation.objects.get(activity=th)
    c = client_for(role)
    for pk in (theirs.pk,):  # another city's row under this city's URL
        assert c.get(f"/cities/{demo}/realisation/{pk}/edit/").status_code == 404
        assert c.post(f"/cities/{demo}/realisation/{pk}/verify/", {"version": 1}).status_code == 404
    assert c.get(f"/cities/{demo}/realisation/new/PS-01-NOPE/").status_code == 404
    if role == "kecamatan-ls":  # a row in the other kecamatan: invisible
        assert c.get(f"/cities/{demo}/realisation/{mine_not.pk}/edit/").status_code == 404
        assert c.get(f"/cities/{demo}/realisation/new/TH-01/").status_code == 404
    if role not in ("admin", "fasilitator"):  # another city's pages (fasilitator: province)
        assert c.get("/cities/13.71/realisation/").status_code == 404


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("output_achieved", "-1", "greater than or equal to 0"),
        ("quarter", "5", "less than or equal to 4"),
        ("output_achieved", "lots", "Enter a number"),
        ("cost_spent_idr", "abc", "Enter a number"),
        ("year", "20x6", "Enter a whole number"),
    ],
)
def test_bad_input_is_shown_at_the_field(
    demo: str, ls: Activity, field: str, value: str, message: str
) -> None:
    c = client_for("opd-dlh")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    data = {"year": "2026", "quarter": "3", "output_achieved": "1", "cost_spent_idr": "0"}
    data[field] = value
    response = c.post(f"/cities/{demo}/realisation/new/LS-01/", data, **HX)
    assert response.status_code == 422
    form = response.context["form"]
    assert list(form.errors) == [field]
    html = response.content.decode()
    block = re.search(rf'<div class="field" id="field-{field}">(.*?)</div>', html, re.S)
    assert block is not None and message in block[1]
    assert not Realisation.objects.filter(activity=ls, year=2026, quarter=3).exists()


def test_duplicate_quarter_is_a_form_error(demo: str, ls: Activity) -> None:
    c = client_for("opd-dlh")
    data = {"year": "2025", "quarter": "1", "output_achieved": "1", "cost_spent_idr": "0"}
    response = c.post(f"/cities/{demo}/realisation/new/LS-01/", data, **HX)
    assert response.status_code == 422
    # at the quarter field, saying the quarter is already reported (not Django's message)
    errors = response.context["form"].errors["quarter"]
    assert errors == ["2025 TW1 sudah dilaporkan untuk LS-01: buka baris itu untuk mengubahnya."]


def test_conflict_message_and_nothing_overwritten(demo: str, ls: Activity) -> None:
    r = draft(ls)
    opd, kec = client_for("opd-dlh"), client_for("kecamatan-ls")
    url = f"/cities/{demo}/realisation/{r.pk}/edit/"
    form_a = opd.get(url, **HX).context["form"]
    form_b = kec.get(url, **HX).context["form"]
    assert form_a.initial["version"] == form_b.initial["version"] == 1
    first = {"output_achieved": "10", "cost_spent_idr": "0", "note": "A", "version": "1"}
    assert opd.post(url, first, **HX).status_code == 200
    second = {"output_achieved": "20", "cost_spent_idr": "0", "note": "B", "version": "1"}
    response = kec.post(url, second, **HX)
    assert response.status_code == 409
    assert 'id="conflict"' in response.content.decode()
    assert "“A”" in response.context["conflict"]
    r.refresh_from_db()
    assert (r.output_achieved, r.note, r.version) == (10.0, "A", 2)
    # the form now carries the stored version: saving again replaces deliberately
    assert response.context["form"]["version"].value() == "2"
    assert kec.post(url, {**second, "version": "2"}, **HX).status_code == 200
    r.refresh_from_db()
    assert (r.output_achieved, r.note, r.version) == (20.0, "B", 3)


def test_stale_submit_is_a_conflict(demo: str, ls: Activity) -> None:
    r = draft(ls)
    workflow.edit(user("opd-dlh"), r, 1, note="changed")
    response = client_for("kecamatan-ls").post(
        f"/cities/{demo}/realisation/{r.pk}/submit/",
        {"version": 1},
        **HX,
    )
    assert response.status_code == 409 and response.context["conflict"]
    r.refresh_from_db()
    assert r.state == "draft"


def _spent(client: Client, kode: str, year: int, quarter: int) -> Any:
    response = client.get(f"/cities/{kode}/?year={year}&quarter={quarter}")
    return response.context["monitoring"]["spent_to_date"]


def test_verify_flow_changes_the_dashboard(demo: str) -> None:
    """opd enters and submits through the screens; only koordinator's verify changes the
    dashboard's monitoring figures (verified realisation only)."""
    viewer, opd, kor = client_for("viewer"), client_for("opd-dlh"), client_for("koordinator")
    before = _spent(viewer, demo, 2026, 4)
    data = {"year": "2026", "quarter": "4", "output_achieved": "2", "cost_spent_idr": "7000000"}
    assert opd.post(f"/cities/{demo}/realisation/new/PS-01/", data).status_code == 302
    r = Realisation.objects.get(city_kode=demo, activity__code="PS-01", year=2026, quarter=4)
    assert _spent(viewer, demo, 2026, 4) == before  # a draft does not count
    opd.post(f"/cities/{demo}/realisation/{r.pk}/submit/", {"version": r.version})
    r.refresh_from_db()
    assert r.state == "submitted"
    assert _spent(viewer, demo, 2026, 4) == before  # nor a submitted one
    page = kor.get(f"/cities/{demo}/realisation/")
    assert r in page.context["to_verify"]
    kor.post(f"/cities/{demo}/realisation/{r.pk}/verify/", {"version": r.version})
    r.refresh_from_db()
    assert r.state == "verified"
    assert _spent(viewer, demo, 2026, 4) == pytest.approx(before + 7_000_000)


def test_htmx_gets_the_fragment(demo: str, ls: Activity) -> None:
    c = client_for("opd-dlh")
    page = c.get(f"/cities/{demo}/realisation/").content.decode()
    assert "<html" in page and 'hx-post="' in page and 'id="realisation-app"' in page
    fragment = c.get(f"/cities/{demo}/realisation/new/LS-01/", **HX).content.decode()
    assert "<html" not in fragment and 'name="version"' in fragment


# --------------------------------------------------------------------------- downloads

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("role", ROLES)
def test_plan_downloads_every_role(demo: str, role: str) -> None:
    c = client_for(role)
    html = c.get(f"/cities/{demo}/downloads/plan.html")
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    assert "Solok" in html.content.decode()
    xlsx = c.get(f"/cities/{demo}/downloads/plan.xlsx")
    assert xlsx["Content-Type"] == XLSX and xlsx.content[:2] == b"PK"
    assert "attachment" in xlsx["Content-Disposition"]


def test_downloads_out_of_scope_and_bad_format(demo: str) -> None:
    make_city("13.71", "Kota Padang")
    c = client_for("koordinator")
    assert c.get("/cities/13.71/downloads/plan.html").status_code == 404
    assert c.get("/cities/13.71/downloads/monitoring.xlsx").status_code == 404
    assert c.get(f"/cities/{demo}/downloads/plan.docx").status_code == 404
    assert Client().get(f"/cities/{demo}/downloads/plan.html").status_code == 302  # login


def test_monitoring_downloads(demo: str) -> None:
    c = client_for("opd-perkim")
    html = c.get(f"/cities/{demo}/downloads/monitoring.html?year=2026&quarter=2")
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    assert "2026" in html.content.decode()
    assert "monitoring-kota-solok-2026-q2" in html["Content-Disposition"]
    xlsx = c.get(f"/cities/{demo}/downloads/monitoring.xlsx?year=2026&quarter=2")
    assert xlsx["Content-Type"] == XLSX and xlsx.content[:2] == b"PK"


def test_plan_pdf(demo: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """plan.pdf is the plan's print page laid out by the one PDF renderer of the web
    (``views.html_to_pdf``, stubbed here: the real layout of this same download, its text
    and charts, is ``test_web_pdf_charts.py::test_plan_pdf_has_the_charts``)."""
    from sanitasi.web.plans import views

    seen: list[str] = []

    def fake(html: str) -> bytes:
        seen.append(html)
        return b"%PDF-1.7 stub plan"

    monkeypatch.setattr(views, "html_to_pdf", fake)
    response = client_for("viewer").get(f"/cities/{demo}/downloads/plan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 stub plan" and len(seen) == 1
    assert seen[0].lstrip().lower().startswith("<!doctype html")
    assert "Solok" in seen[0]
