"""Programme matrix screens: the matrix, an activity's page, the activity form (new / edit) and
Bappeda's review of proposals (adopt / reject).

Every view x every role (7 demo users + anonymous), out-of-scope city 404, invisible row 404,
forbidden step 403; bad input 422 at the field for each rule (the CLI's messages); duplicate
code; stale version 409 with nothing overwritten; audit entries with before/after; proposals
kept out of ``programme_inputs_for`` until adopted; and the plan figures following an edit of
an adopted activity's planned cost (hand-computed from the demo's programme.csv).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from webhelpers import make_city, user

from sanitasi.reports.common import frame
from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.plans import results
from sanitasi.web.programme.inputs import programme_inputs_for
from sanitasi.web.programme.models import Activity, ActivitySupport, PlannedYear
from sanitasi.web.programme.views import _initial

ROLES = ("admin", "koordinator", "opd-dlh", "opd-perkim", "kecamatan-ls", "fasilitator", "viewer")
#: Who adds activities: adopted (admin, Bappeda) or proposed (agencies).
ADOPTERS = {"admin", "koordinator"}
PROPOSERS = {"opd-dlh", "opd-perkim"}
YEARS = (2025, 2026, 2027, 2028, 2029)
HX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def client_for(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


def new_data(**over: Any) -> dict[str, Any]:
    """A valid new ALD activity located in Tanah Garam (Lubuk Sikarah)."""
    data: dict[str, Any] = {
        "code": "ALD-09",
        "sector": "ald",
        "urgent_problem": "Unimproved toilets in Tanah Garam",
        "strategic_issue": "",
        "objective": "Raise aman access",
        "sasaran": "pct_aman",
        "strategy": "Septic tanks with scheduled desludging",
        "programme": "Domestic wastewater",
        "activity": "Build communal septic tanks",
        "output_unit": "septic tank",
        "lead_agency": "PERKIM",
        "support_agencies": ["DLH", "DINKES"],
        "location": "13.72.01.1001",
        "funding_source": "APBD_KOTA",
        "plan_profile": "linear",
        "effect": "hh:belum_layak->aman@l2t2:1",
        "status": "illustrative",
    }
    for i, y in enumerate(YEARS):
        data[f"planned_output_{y}"] = str(10 + i)
        data[f"planned_cost_{y}"] = str((10 + i) * 5_000_000)
    data.update(over)
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return "" if value is None else value


def edit_data(act: Activity, **over: Any) -> dict[str, Any]:
    """The edit form of ``act`` as the browser posts it (unchanged), then ``over``."""
    data = {k: _plain(v) for k, v in _initial(act).items()}
    data.pop("code")
    data.update(over)
    return data


def propose(username: str = "opd-perkim", **over: Any) -> Activity:
    response = client_for(username).post(
        "/cities/13.72/programme/new/", new_data(code="PRP-01", **over)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Activity.objects.get(city_kode="13.72", code="PRP-01")


def entries(act: Activity) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(model="programme.activity", object_pk=str(act.pk)).order_by("id")
    )


def in_plan(kode: str = "13.72") -> set[str]:
    prog = programme_inputs_for(kode)
    assert prog is not None
    return set(prog.activities["code"])


def planned(act: Activity) -> dict[int, tuple[float, float]]:
    return {
        p.year: (p.planned_output, p.planned_cost_idr)
        for p in PlannedYear.objects.filter(activity=act)
    }


# --------------------------------------------------------------------------- anonymous


@pytest.mark.parametrize(
    "path",
    [
        "/cities/13.72/programme/",
        "/cities/13.72/programme/new/",
        "/cities/13.72/programme/ALD-01/",
        "/cities/13.72/programme/ALD-01/edit/",
    ],
)
def test_anonymous_is_sent_to_login(demo: str, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("step", ["adopt", "reject"])
def test_anonymous_cannot_review(demo: str, step: str) -> None:
    act = propose()
    response = Client().post(f"/cities/{demo}/programme/{act.code}/{step}/", {"version": 1})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    act.refresh_from_db()
    assert act.state == "proposed"


# --------------------------------------------------------------------------- the matrix


@pytest.mark.parametrize("role", ROLES)
def test_matrix_every_role(demo: str, role: str) -> None:
    response = client_for(role).get(f"/cities/{demo}/programme/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="activity-ALD-01"' in html  # located at the city: everyone sees it
    # ALD-02 is in Laing (Tanjung Harapan): a Lubuk Sikarah kecamatan user does not see it.
    assert ('id="activity-ALD-02"' in html) == (role != "kecamatan-ls")
    new_link = f'href="/cities/{demo}/programme/new/"'
    assert (new_link in html) == (role in ADOPTERS | PROPOSERS)
    if role in PROPOSERS:
        assert "Usulkan kegiatan" in html
    edit_link = f'href="/cities/{demo}/programme/ALD-01/edit/"'
    assert (edit_link in html) == (role in ADOPTERS)
    assert "city-nav" in html


def test_matrix_values_in_indonesian(demo: str) -> None:
    """ALD-01 (programme.csv): 120 septic tanks and Rp 720,000,000 in 2025, DAK, PERKIM
    lead, DLH;DINKES;KEC_LS;KEC_TH support. ALD planned cost 2025 = 720 + 240 + 0 + 75 + 0
    + 650 + 60 + 100 million = Rp 1,845 billion -> 'Rp 1,8 miliar'; persampahan 2025 = 750 +
    150 + 75 + 700 + 6,000 + 117 + 250 million = Rp 8,042 billion -> 'Rp 8 miliar'."""
    response = client_for("viewer").get(f"/cities/{demo}/programme/")
    groups = {g.sector: g for g in response.context["groups"]}
    assert list(groups) == ["ald", "persampahan"]
    row = next(r for r in groups["ald"].rows if r.activity.code == "ALD-01")
    assert row.cells[0] == ("120", "Rp 720 juta")
    assert row.cells[1] == ("150", "Rp 900 juta")
    assert row.supports == ["DLH", "DINKES", "KEC_LS", "KEC_TH"]
    assert groups["ald"].totals[0] == "Rp 1,8 miliar"
    assert groups["persampahan"].totals[0] == "Rp 8 miliar"  # PS-08 has no 2025 plan
    assert len(groups["ald"].rows) == 8 and len(groups["persampahan"].rows) == 8
    html = response.content.decode()
    assert "Kota Solok" in html and "ditetapkan" in html  # location name, state badge (id)


def test_matrix_kkl_chain_folds_and_columns_line_up(demo: str) -> None:
    """Issue 11 item 8: the KKL chain (urgent problem, objective, strategy, programme) is four
    columns the page folds away (CSS, unless the toggle is checked); every row, the header
    and the totals row span the same number of columns with the chain shown and folded."""
    import lxml.html

    html = client_for("viewer").get(f"/cities/{demo}/programme/").content.decode()
    root = lxml.html.document_fromstring(html)
    toggle = root.get_element_by_id("show-kkl")
    assert toggle.get("type") == "checkbox" and toggle.get("checked") is None
    for table in root.xpath('//table[contains(@class, "matrix")]'):

        def width(row: Any, folded: bool) -> int:
            cells = [c for c in row.xpath("./th|./td")]
            if folded:
                cells = [c for c in cells if "kkl-chain" not in (c.get("class") or "")]
            return sum(int(c.get("colspan", "1")) for c in cells)

        body = table.xpath("./tbody/tr")
        foot = table.xpath("./tfoot/tr")[0]
        assert body and foot is not None
        for folded in (False, True):
            widths = {width(r, folded) for r in [*body, foot]}
            assert len(widths) == 1, (folded, widths)
        assert width(body[0], False) - width(body[0], True) == 4
        heads = table.xpath('./thead/tr[1]/th[contains(@class, "kkl-chain")]')
        assert [h.text_content().strip() for h in heads] == [
            "Permasalahan mendesak",
            "Tujuan",
            "Strategi",
            "Program",
        ]


def test_matrix_in_english(demo: str) -> None:
    c = client_for("viewer")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = c.get(f"/cities/{demo}/programme/")
    groups = {g.sector: g for g in response.context["groups"]}
    assert groups["ald"].totals[0] == "IDR 1.8 billion"
    assert "adopted" in response.content.decode()


def test_matrix_filters(demo: str) -> None:
    act = propose()
    c = client_for("koordinator")
    waste = c.get(f"/cities/{demo}/programme/", {"sector": "persampahan"})
    assert [g.sector for g in waste.context["groups"]] == ["persampahan"]
    proposals = c.get(f"/cities/{demo}/programme/", {"state": "proposed"})
    codes = [r.activity.code for g in proposals.context["groups"] for r in g.rows]
    assert codes == [act.code]
    assert 'class="badge badge-proposed"' in proposals.content.decode()
    both = c.get(f"/cities/{demo}/programme/", {"sector": "persampahan", "state": "proposed"})
    assert both.context["groups"] == []
    bad = c.get(f"/cities/{demo}/programme/", {"sector": "air_minum"})
    assert bad.status_code == 422
    assert "sector" in bad.context["filters"].errors
    assert len(bad.context["groups"]) == 2  # everything shown


def test_matrix_htmx_fragment(demo: str) -> None:
    response = client_for("viewer").get(f"/cities/{demo}/programme/", {"sector": "ald"}, **HX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="sector-ald"' in html and 'id="sector-persampahan"' not in html


def test_proposal_not_counted_in_matrix_totals(demo: str) -> None:
    propose()  # 50,000,000 in 2025, ALD
    response = client_for("koordinator").get(f"/cities/{demo}/programme/")
    groups = {g.sector: g for g in response.context["groups"]}
    assert groups["ald"].totals[0] == "Rp 1,8 miliar"
    assert len(groups["ald"].rows) == 9


@pytest.mark.parametrize("role", ROLES)
def test_out_of_scope_city(demo: str, role: str) -> None:
    make_city("14.71", "Kota Pekanbaru")  # another province: even the facilitator is out
    c = client_for(role)
    paths = [
        "/cities/14.71/programme/",
        "/cities/14.71/programme/new/",
        "/cities/14.71/programme/PS-01/",
        "/cities/14.71/programme/PS-01/edit/",
    ]
    for path in paths:
        expected = 200 if role == "admin" else 404
        assert c.get(path).status_code == expected, (role, path)
    for step in ("adopt", "reject"):
        response = c.post(f"/cities/14.71/programme/PS-01/{step}/", {"version": 1, "comment": "no"})
        # admin reaches the row: PS-01 is adopted, so the review step is a conflict
        assert response.status_code == (409 if role == "admin" else 404), (role, step)
    assert c.get("/cities/99.99/programme/").status_code == 404


def test_activity_of_another_city_is_404_in_this_city(demo: str) -> None:
    make_city("13.71", "Kota Padang")  # has PS-01 only; ALD-01 is Solok's
    c = client_for("admin")
    assert c.get("/cities/13.71/programme/ALD-01/").status_code == 404
    assert c.get("/cities/13.71/programme/ALD-01/edit/").status_code == 404


# --------------------------------------------------------------------------- detail


@pytest.mark.parametrize("role", ROLES)
def test_detail_every_role(demo: str, role: str) -> None:
    c = client_for(role)
    response = c.get(f"/cities/{demo}/programme/ALD-01/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rp 720.000.000" in html and "DLH, DINKES, KEC_LS, KEC_TH" in html
    assert 'id="object-history"' in html
    edit_link = f'href="/cities/{demo}/programme/ALD-01/edit/"'
    assert (edit_link in html) == (role in ADOPTERS)
    laing = c.get(f"/cities/{demo}/programme/ALD-02/")
    assert laing.status_code == (404 if role == "kecamatan-ls" else 200)
    assert c.get(f"/cities/{demo}/programme/NOPE-99/").status_code == 404


# --------------------------------------------------------------------------- new


@pytest.mark.parametrize("role", ROLES)
def test_new_every_role(demo: str, role: str) -> None:
    c = client_for(role)
    response = c.get(f"/cities/{demo}/programme/new/")
    allowed = role in ADOPTERS | PROPOSERS
    assert response.status_code == (200 if allowed else 403)
    post = c.post(f"/cities/{demo}/programme/new/", new_data())
    assert post.status_code == (302 if allowed else 403)
    exists = Activity.objects.filter(city_kode=demo, code="ALD-09").first()
    assert (exists is not None) == allowed
    if exists is not None:
        assert exists.state == ("adopted" if role in ADOPTERS else "proposed")
        assert post["Location"] == f"/cities/{demo}/programme/ALD-09/"


def test_koordinator_creates_adopted_activity(demo: str) -> None:
    before = AuditEntry.objects.count()
    response = client_for("koordinator").post(
        f"/cities/{demo}/programme/new/",
        new_data(planned_cost_2025="1.000.000.000", support_agencies=["KEC_LS", "DLH"]),
    )
    assert response.status_code == 302
    act = Activity.objects.get(city_kode=demo, code="ALD-09")
    assert (act.state, act.lead_agency.code, act.location.kode) == (
        "adopted",
        "PERKIM",
        "13.72.01.1001",
    )
    assert act.version == 1
    # Indonesian number input: "1.000.000.000" is one billion
    assert planned(act) == {
        2025: (10.0, 1_000_000_000.0),
        2026: (11.0, 55_000_000.0),
        2027: (12.0, 60_000_000.0),
        2028: (13.0, 65_000_000.0),
        2029: (14.0, 70_000_000.0),
    }
    assert set(act.support_codes()) == {"KEC_LS", "DLH"}
    # one audit entry for the whole save, with supports and planned years
    assert AuditEntry.objects.count() == before + 1
    (entry,) = entries(act)
    assert entry.action == "create" and entry.username == "koordinator"
    assert entry.before is None
    assert entry.after["planned_years"][0] == "2025: 10 | Rp 1000000000"
    assert entry.after["lead_agency_code"] == "PERKIM" and entry.after["state"] == "adopted"
    assert "ALD-09" in in_plan()


def test_same_code_in_another_city_is_fine(demo: str) -> None:
    make_city("14.71", "Kota Pekanbaru")
    response = client_for("admin").post(
        "/cities/14.71/programme/new/",
        new_data(code="ALD-01", location="14.71", lead_agency="DLH", support_agencies=[]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Activity.objects.filter(code="ALD-01").count() == 2


def test_opd_proposes_for_its_own_agency(demo: str) -> None:
    # a tampered lead agency is ignored: the proposal is PERKIM's
    act = propose("opd-perkim", lead_agency="DLH", support_agencies=["DLH"])
    assert act.state == "proposed" and act.lead_agency.code == "PERKIM"
    assert "PRP-01" not in in_plan()
    detail = client_for("opd-perkim").get(f"/cities/13.72/programme/{act.code}/")
    html = detail.content.decode()
    assert "diusulkan" in html and 'id="review"' not in html
    (entry,) = entries(act)
    assert entry.username == "opd-perkim" and entry.after["state"] == "proposed"


def test_opd_without_agency_in_city_is_403(demo: str) -> None:
    from webhelpers import make_user

    make_user("opd-ghost", "opd", city_kode="13.72", agency_code="GHOST")
    c = Client()
    c.force_login(user("opd-ghost"))
    assert c.get("/cities/13.72/programme/new/").status_code == 403


# --------------------------------------------------------------------------- bad input


BAD_INPUT = [
    # (changes, field, text in the message)
    ({"code": "ALD-01"}, "code", "ALD-01"),  # duplicate in the city
    ({"code": "ALD 09"}, "code", "“-”"),  # not usable in a URL
    ({"code": "new"}, "code", "new"),  # reserved by the screens
    ({"code": ""}, "code", "SAN-E027"),
    ({"activity": ""}, "activity", "SAN-E027"),
    ({"output_unit": ""}, "output_unit", "SAN-E027"),
    ({"sasaran": ""}, "sasaran", "SAN-E027"),
    ({"effect": "hh:belum_layak->surga:1"}, "effect", "SAN-E041"),
    ({"effect": ""}, "effect", "SAN-E027"),
    ({"location": "13.71"}, "location", "SAN-E006"),  # Kota Padang: outside the city
    ({"location": "99.99.99"}, "location", "SAN-E004"),  # not a region code
    ({"location": "13.72.01.2001"}, "location", "SAN-E004"),
    ({"location": ""}, "location", "SAN-E027"),
    ({"lead_agency": "NOPE"}, "lead_agency", "SAN-E040"),
    ({"lead_agency": ""}, "lead_agency", "SAN-E027"),
    ({"support_agencies": ["DLH", "NOPE"]}, "support_agencies", "SAN-E040"),
    ({"planned_output_2026": "-5"}, "planned_output_2026", "SAN-E009"),
    ({"planned_cost_2027": "-1"}, "planned_cost_2027", "SAN-E009"),
    ({"planned_output_2025": "sepuluh"}, "planned_output_2025", ""),
    ({"extra_year": "2050", "extra_output": "1"}, "extra_year", "2025–2045"),
    ({"extra_year": "2024", "extra_output": "1"}, "extra_year", "2025–2045"),
    ({"extra_year": "2027", "extra_output": "1"}, "extra_year", "2027"),
    ({"extra_output": "3"}, "extra_year", ""),
    ({"extra_year": "2031", "extra_cost": "-2"}, "extra_cost", "SAN-E009"),
    ({"sector": "air_minum"}, "sector", ""),
    ({"funding_source": "HIBAH"}, "funding_source", ""),
    ({"sasaran": "pct_happy"}, "sasaran", ""),
]


@pytest.mark.parametrize(("changes", "field", "text"), BAD_INPUT)
def test_bad_input_at_the_field(demo: str, changes: dict[str, Any], field: str, text: str) -> None:
    activities = Activity.objects.count()
    audit = AuditEntry.objects.count()
    supports = ActivitySupport.objects.count()
    response = client_for("koordinator").post(f"/cities/{demo}/programme/new/", new_data(**changes))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors, errors
    assert text in " ".join(errors[field]), errors[field]
    html = response.content.decode()
    assert f'id="field-{field}"' in html and 'class="errorlist' in html
    # nothing written
    assert Activity.objects.count() == activities
    assert AuditEntry.objects.count() == audit
    assert ActivitySupport.objects.count() == supports


def test_cli_message_is_the_cli_rule(demo: str) -> None:
    response = client_for("koordinator").post(
        f"/cities/{demo}/programme/new/", new_data(location="13.71")
    )
    (message,) = response.context["form"].errors["location"]
    assert message == ("kode 13.71 tidak berada di dalam kab/kota 13.72 dari folder ini (SAN-E006)")


def test_cli_warnings_do_not_block(demo: str) -> None:
    """SAN-W140 (lead also supporting) is a warning in the CLI: saved, and shown."""
    c = client_for("koordinator")
    response = c.post(
        f"/cities/{demo}/programme/new/", new_data(support_agencies=["PERKIM"]), follow=True
    )
    assert response.status_code == 200
    assert "SAN-W140" in response.content.decode()
    assert Activity.objects.filter(city_kode=demo, code="ALD-09").exists()


def test_extra_year_is_saved(demo: str) -> None:
    c = client_for("koordinator")
    response = c.post(
        f"/cities/{demo}/programme/new/",
        new_data(extra_year="2031", extra_output="7", extra_cost="70000000"),
    )
    assert response.status_code == 302
    act = Activity.objects.get(city_kode=demo, code="ALD-09")
    assert planned(act)[2031] == (7.0, 70_000_000.0)
    form = c.get(f"/cities/{demo}/programme/ALD-09/edit/").context["form"]
    assert form.years == (2025, 2026, 2027, 2028, 2029, 2031)


def test_htmx_form(demo: str) -> None:
    c = client_for("koordinator")
    bad = c.post(f"/cities/{demo}/programme/new/", new_data(effect="x"), **HX)
    assert bad.status_code == 422 and "<html" not in bad.content.decode()
    assert "SAN-E041" in bad.content.decode()
    good = c.post(f"/cities/{demo}/programme/new/", new_data(), **HX)
    assert good.status_code == 200
    assert good["HX-Redirect"] == f"/cities/{demo}/programme/ALD-09/"


# --------------------------------------------------------------------------- edit


@pytest.mark.parametrize("role", ROLES)
def test_edit_adopted_every_role(demo: str, role: str) -> None:
    """ALD-01 is adopted and led by PERKIM: only Bappeda and admin change it."""
    c = client_for(role)
    act = Activity.objects.get(city_kode=demo, code="ALD-01")
    allowed = role in ADOPTERS
    assert c.get(f"/cities/{demo}/programme/ALD-01/edit/").status_code == (200 if allowed else 403)
    post = c.post(
        f"/cities/{demo}/programme/ALD-01/edit/", edit_data(act, output_unit="tangki septik")
    )
    assert post.status_code == (302 if allowed else 403)
    act.refresh_from_db()
    assert act.output_unit == ("tangki septik" if allowed else "septic tank")
    # ALD-02 (Laing) is invisible to the Lubuk Sikarah kecamatan user: 404, not 403
    laing = c.get(f"/cities/{demo}/programme/ALD-02/edit/")
    expected = 200 if allowed else 404 if role == "kecamatan-ls" else 403
    assert laing.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_edit_proposal_every_role(demo: str, role: str) -> None:
    """PERKIM's proposal: PERKIM's opd, Bappeda and admin change it; DLH's opd may not."""
    act = propose("opd-perkim")
    c = client_for(role)
    allowed = role in ADOPTERS | {"opd-perkim"}
    assert c.get(f"/cities/{demo}/programme/PRP-01/edit/").status_code == (200 if allowed else 403)
    post = c.post(f"/cities/{demo}/programme/PRP-01/edit/", edit_data(act, activity="Revised"))
    assert post.status_code == (302 if allowed else 403)
    act.refresh_from_db()
    assert act.activity == ("Revised" if allowed else "Build communal septic tanks")
    assert act.state == "proposed"


def test_opd_cannot_move_its_proposal_to_another_agency(demo: str) -> None:
    act = propose("opd-perkim")
    c = client_for("opd-perkim")
    response = c.post(f"/cities/{demo}/programme/PRP-01/edit/", edit_data(act, lead_agency="DLH"))
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.lead_agency.code == "PERKIM"


def test_edit_planned_output_audited(demo: str) -> None:
    act = Activity.objects.get(city_kode=demo, code="ALD-01")
    assert act.version == 1
    c = client_for("koordinator")
    response = c.post(
        f"/cities/{demo}/programme/ALD-01/edit/",
        edit_data(
            act,
            planned_output_2026="160",
            support_agencies=["DINKES", "DLH", "KEC_LS", "PUPR"],
        ),
    )
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.version == 2
    assert planned(act)[2026] == (160.0, 900_000_000.0)
    # the matrix order of the remaining agencies is kept; PUPR is added after them
    assert act.support_codes() == ("DLH", "DINKES", "KEC_LS", "PUPR")
    entry = entries(act)[-1]
    assert entry.action == "update" and entry.username == "koordinator"
    changed = entry.changed_fields()
    assert changed["planned_years"][0][1] == "2026: 150 | Rp 900000000"
    assert changed["planned_years"][1][1] == "2026: 160 | Rp 900000000"
    assert changed["support_agencies"] == (
        ["DLH", "DINKES", "KEC_LS", "KEC_TH"],
        ["DLH", "DINKES", "KEC_LS", "PUPR"],
    )
    assert changed["version"] == (1, 2)
    # the detail page shows the change, field by field
    html = c.get(f"/cities/{demo}/programme/ALD-01/").content.decode()
    assert "2026: 160 | Rp 900000000" in html and "KEC_TH" in html


def test_stale_version_conflict(demo: str) -> None:
    act = Activity.objects.get(city_kode=demo, code="ALD-01")
    first = client_for("koordinator")
    second = client_for("admin")
    stale = edit_data(act)  # both read version 1
    ok = first.post(
        f"/cities/{demo}/programme/ALD-01/edit/",
        {**stale, "planned_cost_2025": "800000000", "output_unit": "tangki"},
    )
    assert ok.status_code == 302
    audit = AuditEntry.objects.count()
    response = second.post(
        f"/cities/{demo}/programme/ALD-01/edit/",
        {**stale, "planned_cost_2025": "999000000", "funding_source": "APBN"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="conflict"' in html and "versi 2" in html
    assert "Rp 800.000.000" in html and "tangki" in html  # the stored values are shown
    assert response.context["form"]["version"].value() == "2"  # saving again replaces
    act.refresh_from_db()
    assert (act.version, act.output_unit, act.funding_source) == (2, "tangki", "DAK")
    assert planned(act)[2025] == (120.0, 800_000_000.0)
    assert AuditEntry.objects.count() == audit


def test_missing_version_is_422(demo: str) -> None:
    act = Activity.objects.get(city_kode=demo, code="ALD-01")
    data = edit_data(act)
    data.pop("version")
    response = client_for("koordinator").post(f"/cities/{demo}/programme/ALD-01/edit/", data)
    assert response.status_code == 422 and "version" in response.context["form"].errors


def test_bad_edit_writes_nothing(demo: str) -> None:
    act = Activity.objects.get(city_kode=demo, code="ALD-01")
    response = client_for("koordinator").post(
        f"/cities/{demo}/programme/ALD-01/edit/",
        edit_data(act, planned_output_2025="200", effect="hh:aman->belum:x"),
    )
    assert response.status_code == 422
    assert "SAN-E041" in " ".join(response.context["form"].errors["effect"])
    act.refresh_from_db()
    assert act.version == 1 and planned(act)[2025] == (120.0, 720_000_000.0)


# --------------------------------------------------------------------------- plan figures


def test_edit_changes_plan_figures(demo: str) -> None:
    """ALD-01 is the only ALD activity funded by DAK: the plan's programme_funding row
    (2025, ald, DAK) is its planned cost, Rp 720,000,000; after the edit Rp 1,000,000,000.
    The matrix total for ALD 2025 becomes 1,845 - 720 + 1,000 = Rp 2,125 billion."""

    def dak_2025() -> float:
        df = frame(results.plan_result(demo), "programme_funding")
        assert df is not None
        row = df[(df["year"] == 2025) & (df["sector"] == "ald") & (df["source"] == "DAK")]
        return float(row["programme_cost_idr"].iloc[0])

    assert dak_2025() == 720_000_000.0
    act = Activity.objects.get(city_kode=demo, code="ALD-01")
    c = client_for("koordinator")
    response = c.post(
        f"/cities/{demo}/programme/ALD-01/edit/",
        edit_data(act, planned_cost_2025="1000000000"),
    )
    assert response.status_code == 302
    assert dak_2025() == 1_000_000_000.0
    groups = {g.sector: g for g in c.get(f"/cities/{demo}/programme/").context["groups"]}
    assert groups["ald"].totals[0] == "Rp 2,1 miliar"


def test_proposal_counts_only_once_adopted(demo: str) -> None:
    """A DAK-funded proposal of Rp 50,000,000 in 2025 leaves the plan's DAK row at Rp 720
    million; adopted, the row is Rp 770 million."""

    def dak_2025() -> float:
        df = frame(results.plan_result(demo), "programme_funding")
        assert df is not None
        row = df[(df["year"] == 2025) & (df["sector"] == "ald") & (df["source"] == "DAK")]
        return float(row["programme_cost_idr"].iloc[0])

    act = propose(funding_source="DAK")
    assert "PRP-01" not in in_plan()
    prog = programme_inputs_for(demo)
    assert prog is not None and "PRP-01" not in set(prog.planned["code"])
    assert dak_2025() == 720_000_000.0
    response = client_for("koordinator").post(
        f"/cities/{demo}/programme/PRP-01/adopt/", {"version": act.version}
    )
    assert response.status_code == 302
    assert "PRP-01" in in_plan()
    assert dak_2025() == 770_000_000.0


# --------------------------------------------------------------------------- review


@pytest.mark.parametrize("role", ROLES)
def test_adopt_every_role(demo: str, role: str) -> None:
    act = propose("opd-perkim")  # located in Tanah Garam (Lubuk Sikarah)
    response = client_for(role).post(f"/cities/{demo}/programme/PRP-01/adopt/", {"version": 1})
    allowed = role in ADOPTERS
    assert response.status_code == (302 if allowed else 403)
    act.refresh_from_db()
    assert act.state == ("adopted" if allowed else "proposed")
    assert ("PRP-01" in in_plan()) == allowed


@pytest.mark.parametrize("role", ROLES)
def test_reject_every_role(demo: str, role: str) -> None:
    act = propose("opd-perkim")
    response = client_for(role).post(
        f"/cities/{demo}/programme/PRP-01/reject/", {"version": 1, "comment": "Duplicates ALD-01"}
    )
    allowed = role in ADOPTERS
    assert response.status_code == (302 if allowed else 403)
    act.refresh_from_db()
    assert act.state == ("rejected" if allowed else "proposed")


def test_review_invisible_row_is_404(demo: str) -> None:
    """A proposal located in Laing (Tanjung Harapan) is invisible to kecamatan-ls."""
    propose("opd-perkim", location="13.72.02.1006")
    c = client_for("kecamatan-ls")
    assert c.post("/cities/13.72/programme/PRP-01/adopt/", {"version": 1}).status_code == 404
    assert c.get("/cities/13.72/programme/PRP-01/").status_code == 404


def test_review_get_not_allowed(demo: str) -> None:
    propose()
    c = client_for("koordinator")
    assert c.get("/cities/13.72/programme/PRP-01/adopt/").status_code == 405
    assert c.get("/cities/13.72/programme/PRP-01/reject/").status_code == 405


def test_adopt_audited(demo: str) -> None:
    act = propose()
    c = client_for("koordinator")
    detail = c.get(f"/cities/{demo}/programme/PRP-01/").content.decode()
    assert 'id="review"' in detail
    response = c.post(f"/cities/{demo}/programme/PRP-01/adopt/", {"version": 1}, follow=True)
    assert "ditetapkan" in response.content.decode()
    act.refresh_from_db()
    assert (act.state, act.version) == ("adopted", 2)
    entry = entries(act)[-1]
    assert entry.username == "koordinator"
    assert entry.changed_fields()["state"] == ("proposed", "adopted")
    # adopted, it is no longer the agency's to change
    assert client_for("opd-perkim").get(f"/cities/{demo}/programme/PRP-01/edit/").status_code == 403


def test_reject_needs_a_comment_and_keeps_the_row(demo: str) -> None:
    act = propose()
    c = client_for("koordinator")
    response = c.post(f"/cities/{demo}/programme/PRP-01/reject/", {"version": 1, "comment": "  "})
    assert response.status_code == 422
    assert response.context["reject_form"].errors["comment"]
    act.refresh_from_db()
    assert act.state == "proposed"
    response = c.post(
        f"/cities/{demo}/programme/PRP-01/reject/",
        {"version": 1, "comment": "Already covered by ALD-01"},
    )
    assert response.status_code == 302
    act.refresh_from_db()
    assert (act.state, act.review_comment) == ("rejected", "Already covered by ALD-01")
    assert "PRP-01" not in in_plan()
    entry = entries(act)[-1]
    assert entry.changed_fields()["state"] == ("proposed", "rejected")
    assert entry.changed_fields()["review_comment"] == ("", "Already covered by ALD-01")
    # the agency sees why, and may no longer change it
    opd = client_for("opd-perkim")
    html = opd.get(f"/cities/{demo}/programme/PRP-01/").content.decode()
    assert "Already covered by ALD-01" in html
    assert opd.get(f"/cities/{demo}/programme/PRP-01/edit/").status_code == 403
    # the code stays taken
    again = opd.post(f"/cities/{demo}/programme/new/", new_data(code="PRP-01"))
    assert again.status_code == 422


def test_review_conflicts(demo: str) -> None:
    act = propose()
    c = client_for("koordinator")
    # someone (the agency) edits the proposal after the reviewer loaded it (version 1)
    client_for("opd-perkim").post(
        f"/cities/{demo}/programme/PRP-01/edit/", edit_data(act, activity="Changed")
    )
    stale = c.post(f"/cities/{demo}/programme/PRP-01/adopt/", {"version": 1})
    assert stale.status_code == 409
    assert "versi 2" in stale.content.decode()
    act.refresh_from_db()
    assert act.state == "proposed"
    adopted = c.post(f"/cities/{demo}/programme/PRP-01/adopt/", {"version": 2})
    assert adopted.status_code == 302
    twice = c.post(f"/cities/{demo}/programme/PRP-01/reject/", {"version": 3, "comment": "x"})
    assert twice.status_code == 409
    act.refresh_from_db()
    assert act.state == "adopted"
    missing = c.post(f"/cities/{demo}/programme/ALD-01/adopt/", {})
    assert missing.status_code == 422


def test_adopted_activity_cannot_be_adopted(demo: str) -> None:
    response = client_for("koordinator").post(
        f"/cities/{demo}/programme/ALD-01/adopt/", {"version": 1}
    )
    assert response.status_code == 409


# --------------------------------------------------------------------------- inputs


def test_inputs_exclude_proposals_and_their_rows(demo: str) -> None:
    """programme_inputs_for leaves out a proposal with its supports, planned years and
    realisation (the opd may report on activities it leads, whatever their state)."""
    from sanitasi.web.monitoring.models import Realisation

    act = propose()
    Realisation.objects.create(city_kode=demo, activity=act, year=2025, quarter=1)
    prog = programme_inputs_for(demo)
    assert prog is not None
    assert len(prog.activities) == 16 and "PRP-01" not in set(prog.activities["code"])
    assert "PRP-01" not in set(prog.planned["code"])
    assert "PRP-01" not in set(prog.realisation["activity_code"])
    act.state = "adopted"
    act.save()
    prog = programme_inputs_for(demo)
    assert prog is not None
    assert len(prog.activities) == 17  # the 16 of the demo + the adopted PRP-01
    row = prog.activities.set_index("code").loc["PRP-01"]
    assert tuple(row["support_agencies"]) == ("DLH", "DINKES")
    assert set(prog.planned[prog.planned["code"] == "PRP-01"]["year"]) == set(YEARS)
    assert "PRP-01" in set(prog.realisation["activity_code"])
