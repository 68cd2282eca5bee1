"""Plan editing by Bappeda: settings and target-set selection, LOCAL sasaran, parameter
overrides. Every view x every role (edit, read-only, 403, out-of-scope 404, anonymous
redirect), bad input at the field (422, the CLI's rule text), stale version (409, nothing
overwritten), audit entries, and the dashboard figures after a change (hand-checked)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from webhelpers import make_city, user

from sanitasi.web.api.endpoints import indicators_data
from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.plans.editing import fingerprint, override_token
from sanitasi.web.plans.inputs import parameters_for, plan_options_for
from sanitasi.web.plans.models import ParameterOverride, Plan, TargetPoint, TargetSet
from sanitasi.web.plans.results import plan_result

ROLES = ("admin", "koordinator", "opd-dlh", "opd-perkim", "kecamatan-ls", "fasilitator", "viewer")
EDITORS = {"admin", "koordinator"}
HX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}
PAGES = ("plan/", "plan/sasaran/", "plan/parameters/")
#: Base-year (2024) share of pct_layak in the Kota Solok demo (households layak / households).
LAYAK_2024 = 81.30133917459054


def client_for(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


def plan(kode: str = "13.72") -> Plan:
    return Plan.objects.get(city_kode=kode, is_active=True)


def trajectory(kode: str, indicator: str, year: int) -> float:
    """The trajectory value of the dashboard / API for one indicator and year."""
    data = indicators_data(kode, plan_result(kode))
    ind = next(i for i in data["indicators"] if i["indicator"] == indicator)
    point = next(p for p in ind["years"] if p["year"] == year)
    return float(point["trajectory_pct"])


def settings_post(**over: Any) -> dict[str, Any]:
    p = plan()
    data = {
        "base_year": p.base_year,
        "horizon": p.horizon,
        "period_start": p.period_start or "",
        "period_end": p.period_end or "",
        "growth_method": p.growth_method,
        "bau_mode": p.bau_mode,
        "stage": p.stage,
        "version": p.version,
    }
    data.update(over)
    return data


def local_points(kode: str = "13.72") -> list[TargetPoint]:
    return list(
        TargetPoint.objects.filter(city_kode=kode, target_set__code="LOCAL").order_by(
            "indicator", "year", "id"
        )
    )


def sasaran_post(
    points: list[TargetPoint], new: list[dict[str, str]] | None = None, **changes: Any
) -> dict[str, str]:
    """The POST of the sasaran table: every stored point (changes by ``row-N-field`` keys)
    plus ``new`` rows."""
    data: dict[str, str] = {}
    rows = [
        {
            "id": str(p.pk),
            "indicator": p.indicator,
            "year": str(p.year),
            "kind": p.kind,
            "value": f"{p.value:g}",
            "unit": p.unit,
            "source": p.source,
            "status": p.status,
            "note": p.note,
        }
        for p in points
    ] + list(new or [])
    for i, r in enumerate(rows):
        for k, v in r.items():
            data[f"row-{i}-{k}"] = v
    data.update({k: str(v) for k, v in changes.items()})
    data["row-TOTAL_FORMS"] = str(len(rows))
    data["row-INITIAL_FORMS"] = str(len(points))
    data["row-MIN_NUM_FORMS"] = "0"
    data["row-MAX_NUM_FORMS"] = "1000"
    data["token"] = fingerprint(points)
    return data


def row_of(points: list[TargetPoint], indicator: str, year: int) -> int:
    return next(i for i, p in enumerate(points) if p.indicator == indicator and p.year == year)


def entries(model: str, **kw: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(city_kode="13.72", model=model, **kw).order_by("id"))


# --------------------------------------------------------------------------- scope


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_pages_every_role(demo: str, role: str, page: str) -> None:
    response = client_for(role).get(f"/cities/{demo}/{page}")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["editable"] is (role in EDITORS)
    app = html.split('id="plan-app"', 1)[1]
    marker = "?edit=" if page == "plan/parameters/" else 'type="submit"'
    assert (marker in app) is (role in EDITORS)
    assert 'class="city-nav"' in html


def test_anonymous_is_sent_to_login(demo: str) -> None:
    c = Client()
    for page in (*PAGES, "plan/target-sets/", "plan/publish/", "plan/parameters/x/"):
        url = f"/cities/{demo}/{page}"
        for response in (c.get(url), c.post(url, {})):
            assert response.status_code in (302, 405), url
            if response.status_code == 302:
                assert response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("role", sorted(set(ROLES) - EDITORS))
def test_readers_may_not_post(demo: str, role: str) -> None:
    c = client_for(role)
    before = (plan().version, len(local_points()), ParameterOverride.objects.count())
    p = local_points()
    posts = {
        "plan/": settings_post(horizon=2040),
        "plan/target-sets/": {"version": plan().version, "use": "SDG_2030"},
        "plan/publish/": {"version": plan().version, "publish": "pct_layak"},
        "plan/sasaran/": sasaran_post(p, **{f"row-{row_of(p, 'pct_layak', 2027)}-value": "88"}),
        "plan/parameters/desludging_interval_years/": {
            "value": "5",
            "status": "unverified",
            "current": "none",
        },
    }
    for page, data in posts.items():
        assert c.post(f"/cities/{demo}/{page}", data).status_code == 403, (role, page)
    assert (plan().version, len(local_points()), ParameterOverride.objects.count()) == before
    assert local_points()[row_of(p, "pct_layak", 2027)].value == 87


def test_out_of_scope_city(demo: str) -> None:
    make_city("13.71", "Kota Padang")
    urls = [f"/cities/13.71/{page}" for page in PAGES]
    for role in ("koordinator", "opd-dlh", "opd-perkim", "kecamatan-ls", "viewer"):
        c = client_for(role)
        for url in urls:
            assert c.get(url).status_code == 404, (role, url)
        assert c.post("/cities/13.71/plan/", {"version": 1}).status_code == 404, role
        assert c.post("/cities/13.71/plan/target-sets/", {"version": 1}).status_code == 404
        assert c.post("/cities/13.71/plan/publish/", {"version": 1}).status_code == 404
        assert c.post("/cities/13.71/plan/sasaran/", {}).status_code == 404
        assert (
            c.post("/cities/13.71/plan/parameters/desludging_interval_years/", {}).status_code
            == 404
        )
    # the provincial facilitator sees the other city of its province, read only
    fas = client_for("fasilitator")
    assert fas.get("/cities/13.71/plan/").status_code == 200
    assert fas.post("/cities/13.71/plan/", {"version": 1}).status_code == 403
    assert client_for("viewer").get("/cities/99.99/plan/").status_code == 404
    # admin opens a city whose plan cannot run (no baseline data): still editable
    response = client_for("admin").get("/cities/13.71/plan/")
    assert response.status_code == 200 and response.context["publishable"] == []


# --------------------------------------------------------------------------- settings


def test_settings_save_audit_and_options(demo: str) -> None:
    c = client_for("koordinator")
    response = c.post(
        f"/cities/{demo}/plan/",
        settings_post(horizon=2040, period_start=2025, period_end=2030, stage="M2"),
    )
    assert response.status_code == 302
    p = plan()
    assert (p.horizon, p.period_start, p.period_end, p.stage, p.version) == (
        2040,
        2025,
        2030,
        "M2",
        2,
    )
    opts = plan_options_for(demo)
    assert (opts.horizon, opts.plan_period) == (2040, (2025, 2030))
    entry = entries("plans.plan", action="update")[-1]
    assert entry.username == "koordinator"
    assert entry.before["horizon"] == 2045 and entry.after["horizon"] == 2040
    assert entry.before["stage"] == "" and entry.after["stage"] == "M2"
    data = indicators_data(demo, plan_result(demo))
    assert (data["horizon"], data["period_start"], data["period_end"]) == (2040, 2025, 2030)
    # HTMX: the fragment with a notice
    response = c.post(f"/cities/{demo}/plan/", settings_post(bau_mode="trend"), **HX)
    assert response.status_code == 200
    assert 'id="notice"' in response.content.decode() and "<html" not in response.content.decode()
    assert plan().bau_mode == "trend"


@pytest.mark.parametrize(
    ("over", "field", "text"),
    [
        ({"horizon": 2024}, "horizon", "SAN-E013"),
        ({"horizon": 2020}, "horizon", "harus setelah tahun dasar (2024)"),
        ({"base_year": 2019}, "base_year", "SAN-E020"),
        ({"base_year": 1800}, "base_year", "SAN-E014"),
        ({"period_start": 2027, "period_end": 2026}, "period_end", ""),
        ({"period_start": 2020, "period_end": 2026}, "period_start", "2020"),
        ({"period_start": 2030, "period_end": 2050}, "period_end", "2050"),
        ({"period_start": 2025}, "period_end", ""),
        ({"horizon": "abc"}, "horizon", ""),
        ({"growth_method": "cubic"}, "growth_method", ""),
    ],
)
def test_settings_bad_input_at_the_field(
    demo: str, over: dict[str, Any], field: str, text: str
) -> None:
    response = client_for("koordinator").post(f"/cities/{demo}/plan/", settings_post(**over))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors, errors
    assert text in " ".join(errors[field])
    html = response.content.decode()
    assert f'id="field-{field}"' in html and "errorlist" in html
    p = plan()
    assert (p.version, p.base_year, p.horizon, p.period_start) == (1, 2024, 2045, None)


def test_settings_stale_version_conflict(demo: str) -> None:
    c = client_for("koordinator")
    assert c.post(f"/cities/{demo}/plan/", settings_post(horizon=2040)).status_code == 302
    response = c.post(f"/cities/{demo}/plan/", settings_post(horizon=2035, version=1))
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="conflict"' in html and "2040" in html
    assert plan().horizon == 2040 and plan().version == 2
    # the form now carries the stored version: saving again replaces deliberately
    assert response.context["form"]["version"].value() == "2"


# --------------------------------------------------------------------------- target sets


def test_target_set_selection_changes_the_trajectory(demo: str) -> None:
    c = client_for("koordinator")
    assert plan_options_for(demo).target_sets is None
    assert trajectory(demo, "pct_layak", 2027) == pytest.approx(87.0)  # LOCAL sasaran
    response = c.post(f"/cities/{demo}/plan/target-sets/", {"version": 1, "use": ["SDG_2030"]})
    assert response.status_code == 302
    assert plan_options_for(demo).target_sets == ("SDG_2030",)
    # SDG 2030 alone: 100 % in 2030, linear from the 2024 share: 2027 is half way
    assert trajectory(demo, "pct_layak", 2030) == pytest.approx(100.0)
    assert trajectory(demo, "pct_layak", 2027) == pytest.approx((LAYAK_2024 + 100.0) / 2)
    entry = entries("plans.plan")[-1]
    assert entry.username == "koordinator" and entry.action == "update"
    assert entry.before["target_sets"] == [] and entry.after["target_sets"] == ["SDG_2030"]
    assert plan().version == 2
    # order by the position numbers; the page says which are used
    response = c.post(
        f"/cities/{demo}/plan/target-sets/",
        {
            "version": 2,
            "use": ["SDG_2030", "RPJMN_2025_2029"],
            "pos-SDG_2030": "2",
            "pos-RPJMN_2025_2029": "1",
        },
        **HX,
    )
    assert response.status_code == 200
    assert plan_options_for(demo).target_sets == ("RPJMN_2025_2029", "SDG_2030")
    assert not response.context["engine_decides"]
    # none ticked: the engine decides again
    response = c.post(f"/cities/{demo}/plan/target-sets/", {"version": 3}, **HX)
    assert response.status_code == 200 and response.context["engine_decides"]
    assert plan_options_for(demo).target_sets is None
    assert trajectory(demo, "pct_layak", 2027) == pytest.approx(87.0)
    assert entries("plans.plan")[-1].after["target_sets"] == []


def test_target_set_bad_and_stale(demo: str) -> None:
    c = client_for("koordinator")
    response = c.post(f"/cities/{demo}/plan/target-sets/", {"version": 1, "use": ["NOPE"]})
    assert response.status_code == 422
    errors = " ".join(response.context["selection_errors"])
    assert "SAN-E017" in errors and "SDG_2030" in errors
    assert plan().version == 1 and plan_options_for(demo).target_sets is None
    assert c.post(f"/cities/{demo}/plan/target-sets/", {"use": ["SDG_2030"]}).status_code == 422
    assert c.post(f"/cities/{demo}/plan/", settings_post(stage="M1")).status_code == 302
    response = c.post(f"/cities/{demo}/plan/target-sets/", {"version": 1, "use": ["SDG_2030"]})
    assert response.status_code == 409
    assert 'id="selection-conflict"' in response.content.decode()
    assert plan_options_for(demo).target_sets is None


def test_settings_page_lists_sets_with_points(demo: str) -> None:
    response = client_for("viewer").get(f"/cities/{demo}/plan/")
    sets = {s.code: s for s in response.context["sets"]}
    assert {"LOCAL", "RPJMN_2020_2024", "SDG_2030", "VISI_2045"} <= set(sets)
    assert [(p.indicator, p.year, p.value) for p in sets["VISI_2045"].points] == [
        ("pct_aman", 2045, 70.0)
    ]
    assert len(sets["LOCAL"].points) == 25
    html = response.content.decode()
    assert 'id="engine-decides"' in html and "disabled" in html


# --------------------------------------------------------------------------- LOCAL sasaran


def test_sasaran_change_add_delete_changes_the_trajectory(demo: str) -> None:
    c = client_for("koordinator")
    points = local_points()
    n = len(points)
    i27 = row_of(points, "pct_layak", 2027)
    i29 = row_of(points, "pct_babs_terbuka", 2029)
    new = [
        {
            "indicator": "pct_aman",
            "year": "2030",
            "kind": "target",
            "value": "35",
            "unit": "%",
            "source": "Perwali 2025",
            "status": "sourced",
            "note": "",
        },
    ]
    data = sasaran_post(points, new, **{f"row-{i27}-value": "88", f"row-{i29}-delete": "on"})
    response = c.post(f"/cities/{demo}/plan/sasaran/", data)
    assert response.status_code == 302
    after = local_points()
    assert len(after) == n  # one added, one deleted
    p27 = next(p for p in after if (p.indicator, p.year) == ("pct_layak", 2027))
    assert p27.value == 88.0 and p27.pk == points[i27].pk
    added = next(p for p in after if (p.indicator, p.year) == ("pct_aman", 2030))
    assert (added.scope_kode, added.status, added.unit) == ("13.72", "sourced", "%")
    assert not any((p.indicator, p.year) == ("pct_babs_terbuka", 2029) for p in after)
    # the dashboard: LOCAL points are the trajectory in their years
    assert trajectory(demo, "pct_layak", 2027) == pytest.approx(88.0)
    assert trajectory(demo, "pct_layak", 2028) == pytest.approx(89.0)
    assert trajectory(demo, "pct_aman", 2030) == pytest.approx(35.0)
    # between LOCAL 2030 (35) and VISI 2045 (70): 2031 = 35 + 35/15
    assert trajectory(demo, "pct_aman", 2031) == pytest.approx(35 + 35 / 15)
    upd = entries("plans.targetpoint", action="update")
    assert len(upd) == 1 and upd[0].before["value"] == 87.0 and upd[0].after["value"] == 88.0
    assert upd[0].username == "koordinator"
    created = entries("plans.targetpoint", action="create")
    assert len(created) == 1 and created[0].after["value"] == 35.0
    deleted = entries("plans.targetpoint", action="delete")
    assert len(deleted) == 1 and deleted[0].before["indicator"] == "pct_babs_terbuka"


def test_sasaran_rekey_a_row(demo: str) -> None:
    """Moving a point to another year (and a second one into the freed year) never collides
    with the unique key midway."""
    points = local_points()
    i28 = row_of(points, "pct_layak", 2028)
    i29 = row_of(points, "pct_layak", 2029)
    data = sasaran_post(points, **{f"row-{i29}-year": "2030", f"row-{i28}-year": "2029"})
    response = client_for("admin").post(f"/cities/{demo}/plan/sasaran/", data, **HX)
    assert response.status_code == 200, response.context.get("formset").errors
    years = {p.year: p.value for p in local_points() if p.indicator == "pct_layak"}
    assert years == {2025: 83, 2026: 85, 2027: 87, 2029: 89, 2030: 90}
    assert "2 changed" in response.context["notice"] or "2 diubah" in response.context["notice"]


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("value", "120", "SAN-E011"),
        ("value", "-3", "SAN-E011"),
        ("value", "8,5x", "SAN-E016"),
        ("value", "", "SAN-E010"),
        ("year", "20x7", "SAN-E016"),
        ("year", "2200", "SAN-E014"),
        ("year", "2026", "SAN-E012"),
        ("kind", "goal", "SAN-E022"),
        ("status", "guess", "SAN-E024"),
        ("indicator", "pct_unknown", "pct_unknown"),
        ("indicator", "", "SAN-E027"),
    ],
)
def test_sasaran_bad_row_saves_nothing(demo: str, field: str, value: str, text: str) -> None:
    points = local_points()
    i27 = row_of(points, "pct_layak", 2027)
    i25 = row_of(points, "pct_aman", 2025)
    data = sasaran_post(points, **{f"row-{i27}-{field}": value, f"row-{i25}-value": "11"})
    response = client_for("koordinator").post(f"/cities/{demo}/plan/sasaran/", data)
    assert response.status_code == 422
    form = response.context["formset"].forms[i27]
    assert field in form.errors, form.errors
    assert text in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'id="row-{i27 + 1}" class="has-errors"' in html and 'id="table-error"' in html
    # all or nothing: the valid change of another row is not saved either
    assert [(p.indicator, p.year, p.value) for p in local_points()] == [
        (p.indicator, p.year, p.value) for p in points
    ]
    assert not entries("plans.targetpoint")


def test_sasaran_rule_text_is_the_clis(demo: str) -> None:
    points = local_points()
    i27 = row_of(points, "pct_layak", 2027)
    c = client_for("koordinator")
    data = sasaran_post(points, **{f"row-{i27}-value": "120"})
    errors = c.post(f"/cities/{demo}/plan/sasaran/", data).context["formset"].forms[i27].errors
    assert errors["value"] == ["pct_layak adalah persentase dan harus antara 0 dan 100 (SAN-E011)"]
    c.cookies["django_language"] = "en"
    errors = c.post(f"/cities/{demo}/plan/sasaran/", data).context["formset"].forms[i27].errors
    assert errors["value"] == ["pct_layak is a percentage and must be between 0 and 100 (SAN-E011)"]


def test_sasaran_baseline_after_target_refused(demo: str) -> None:
    points = local_points()
    new = [
        {
            "indicator": "pct_aman",
            "year": "2031",
            "kind": "baseline",
            "value": "9",
            "unit": "%",
            "source": "",
            "status": "",
            "note": "",
        }
    ]
    response = client_for("koordinator").post(
        f"/cities/{demo}/plan/sasaran/", sasaran_post(points, new)
    )
    assert response.status_code == 422
    errors = response.context["formset"].forms[len(points)].errors
    assert "SAN-E015" in " ".join(errors["year"])
    assert len(local_points()) == len(points)


def test_sasaran_stale_table_conflict(demo: str) -> None:
    points = local_points()
    i27 = row_of(points, "pct_layak", 2027)
    stale = sasaran_post(points, **{f"row-{i27}-value": "95"})
    c = client_for("koordinator")
    ok = sasaran_post(points, **{f"row-{i27}-value": "88"})
    assert c.post(f"/cities/{demo}/plan/sasaran/", ok).status_code == 302
    response = c.post(f"/cities/{demo}/plan/sasaran/", stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="conflict"' in html and 'id="stored-rows"' in html
    assert local_points()[i27].value == 88.0
    # the new token lets the editor replace the stored rows deliberately
    assert response.context["token"] == fingerprint(local_points())


def test_sasaran_creates_the_local_set(demo: str) -> None:
    TargetSet.objects.filter(city_kode=demo, code="LOCAL").delete()
    c = client_for("koordinator")
    page = c.get(f"/cities/{demo}/plan/sasaran/")
    assert page.context["local_set"] is None
    new = [
        {
            "indicator": "pct_layak",
            "year": "2027",
            "kind": "target",
            "value": "95",
            "unit": "",
            "source": "RPJMD",
            "status": "",
            "note": "",
        }
    ]
    response = c.post(f"/cities/{demo}/plan/sasaran/", sasaran_post([], new))
    assert response.status_code == 302
    ts = TargetSet.objects.get(city_kode=demo, code="LOCAL")
    (p,) = local_points()
    assert (p.target_set_id, p.scope_kode, p.unit, p.status, p.value) == (
        ts.pk,
        demo,
        "%",
        "unverified",
        95.0,
    )
    assert entries("plans.targetset", action="create")
    assert trajectory(demo, "pct_layak", 2027) == pytest.approx(95.0)


def test_sasaran_read_only_table(demo: str) -> None:
    response = client_for("opd-dlh").get(f"/cities/{demo}/plan/sasaran/")
    html = response.content.decode()
    assert response.context["formset"] is None
    assert 'id="points-table"' in html and 'data-point="pct_layak-2027"' in html
    assert 'name="row-0-value"' not in html


# --------------------------------------------------------------------------- parameters


def test_parameters_page_lists_reference_and_overrides(demo: str) -> None:
    ParameterOverride.objects.create(
        city_kode=demo,
        plan=plan(),
        name="desludging_interval_years",
        value_num=4,
        source="Perwali",
        status="sourced",
    )
    response = client_for("viewer").get(f"/cities/{demo}/plan/parameters/")
    rows = {r.name: r for r in response.context["rows"]}
    # 105 reference parameters, 39 of them reference_only (no computation reads them): only
    # the 75 a computation reads are offered for override (66 + the 8 of the budgets,
    # priorities and optimiser (optimise_cost_weight the latest), + report_due_days)
    assert len(rows) == 75
    assert "septic_sludge_zone_volume_1kk_m3" not in rows
    r = rows["desludging_interval_years"]
    assert (r.value, r.unit, r.status, r.override_value) == ("3", "years", "sourced", "4")
    assert rows["waste_generation_kg_per_person_day_kota_kecil"].value == "0,6625"
    assert rows["new_households_ladder"].range == "baseline | layak_sendiri"
    html = response.content.decode()
    assert 'id="param-desludging_interval_years" class="overridden"' in html
    assert "?edit=" not in html


def test_override_set_change_clear(demo: str) -> None:
    c = client_for("koordinator")
    url = f"/cities/{demo}/plan/parameters/desludging_interval_years/"
    page = c.get(f"/cities/{demo}/plan/parameters/?edit=desludging_interval_years")
    assert page.context["form"].initial["current"] == "none"
    response = c.post(
        url, {"value": "5", "source": "Perwali 12/2025", "status": "sourced", "current": "none"}
    )
    assert response.status_code == 302
    o = ParameterOverride.objects.get(plan=plan(), name="desludging_interval_years")
    assert (o.value, o.source, o.status) == (5.0, "Perwali 12/2025", "sourced")
    assert parameters_for(plan())["desludging_interval_years"].value == 5.0
    params = plan_result(demo).tables["parameters"].df.set_index("name")
    assert float(params.at["desludging_interval_years", "value"]) == 5.0
    created = entries("plans.parameteroverride", action="create")
    assert len(created) == 1 and created[0].after["value_num"] == 5.0
    # an unverified value may leave its source blank
    response = c.post(
        url, {"value": "4", "status": "unverified", "current": override_token(o)}, **HX
    )
    assert response.status_code == 200
    o = ParameterOverride.objects.get(pk=o.pk)
    assert (o.value, o.source) == (4.0, "plan override")
    upd = entries("plans.parameteroverride", action="update")[-1]
    assert upd.before["value_num"] == 5.0 and upd.after["value_num"] == 4.0
    # clear: the reference value applies again
    response = c.post(url, {"clear": "1", "current": override_token(o)})
    assert response.status_code == 302
    assert not ParameterOverride.objects.filter(plan=plan()).exists()
    assert parameters_for(plan())["desludging_interval_years"].value == 3.0
    assert entries("plans.parameteroverride", action="delete")[-1].before["value_num"] == 4.0


def test_override_choice_parameter(demo: str) -> None:
    c = client_for("admin")
    url = f"/cities/{demo}/plan/parameters/new_households_ladder/"
    response = c.post(url, {"value": "layak_sendiri", "status": "illustrative", "current": "none"})
    assert response.status_code == 302
    assert parameters_for(plan())["new_households_ladder"].value == "layak_sendiri"


@pytest.mark.parametrize(
    ("name", "data", "field", "text"),
    [
        ("desludging_interval_years", {"value": "abc"}, "value", "SAN-E019"),
        ("desludging_interval_years", {"value": "3,5"}, "value", "SAN-E019"),
        ("truck_availability", {"value": "1.5"}, "value", "SAN-E011"),
        ("new_households_ladder", {"value": "aman"}, "value", "baseline, layak_sendiri"),
        (
            "desludging_interval_years",
            {"value": "4", "status": "sourced", "source": ""},
            "source",
            "sourced",
        ),
        (
            "desludging_interval_years",
            {"value": "4", "status": "derived", "source": " "},
            "source",
            "derived",
        ),
        ("desludging_interval_years", {"value": "4", "status": "guess"}, "status", "SAN-E024"),
    ],
)
def test_override_bad_input_at_the_field(
    demo: str, name: str, data: dict[str, str], field: str, text: str
) -> None:
    post = {"status": "unverified", "source": "", "current": "none", **data}
    response = client_for("koordinator").post(f"/cities/{demo}/plan/parameters/{name}/", post)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors and text in " ".join(errors[field]), errors
    assert 'id="override-editor"' in response.content.decode()
    assert not ParameterOverride.objects.filter(plan=plan()).exists()
    assert not entries("plans.parameteroverride")


def test_override_rule_text_is_the_clis(demo: str) -> None:
    response = client_for("koordinator").post(
        f"/cities/{demo}/plan/parameters/desludging_interval_years/",
        {"value": "abc", "status": "unverified", "current": "none"},
    )
    assert response.context["form"].errors["value"] == [
        "parameter desludging_interval_years (years) memerlukan angka (SAN-E019)"
    ]


def test_override_of_a_reference_only_parameter_is_refused(demo: str) -> None:
    c = client_for("koordinator")
    name = "septic_sludge_zone_volume_1kk_m3"  # SNI tank figure: no computation reads it
    page = c.get(f"/cities/{demo}/plan/parameters/?edit={name}")
    assert page.context["form"] is None  # not offered
    response = c.post(
        f"/cities/{demo}/plan/parameters/{name}/",
        {"value": "0.5", "status": "unverified", "current": "none"},
    )
    assert response.status_code == 422
    errors = response.context["form"].non_field_errors()
    assert any("SAN-E201" in e and name in e for e in errors), errors
    assert name in response.content.decode() and "SAN-E201" in response.content.decode()
    assert not ParameterOverride.objects.filter(plan=plan()).exists()
    # one stored before the parameter became reference-only is not applied
    ParameterOverride.objects.create(
        city_kode=demo, plan=plan(), name=name, value_num=0.5, source="old", status="unverified"
    )
    assert not parameters_for(plan())[name].overridden


def test_override_unknown_parameter_is_404(demo: str) -> None:
    response = client_for("koordinator").post(
        f"/cities/{demo}/plan/parameters/no_such_parameter/", {"value": "1", "current": "none"}
    )
    assert response.status_code == 404


def test_override_stale_conflict(demo: str) -> None:
    c = client_for("koordinator")
    url = f"/cities/{demo}/plan/parameters/desludging_interval_years/"
    first = {"value": "5", "status": "unverified", "current": "none"}
    assert c.post(url, first).status_code == 302
    response = c.post(url, {"value": "6", "status": "unverified", "current": "none"})
    assert response.status_code == 409
    assert 'id="conflict"' in response.content.decode()
    o = ParameterOverride.objects.get(plan=plan(), name="desludging_interval_years")
    assert o.value == 5.0
    assert response.context["form"]["current"].value() == override_token(o)


def test_override_blank_value_clears(demo: str) -> None:
    """As in parameters.csv, a blank value keeps the reference value: saving it clears."""
    o = ParameterOverride.objects.create(
        city_kode=demo,
        plan=plan(),
        name="desludging_interval_years",
        value_num=4,
        source="Perwali",
        status="sourced",
    )
    response = client_for("koordinator").post(
        f"/cities/{demo}/plan/parameters/desludging_interval_years/",
        {"value": " ", "status": "sourced", "source": "Perwali", "current": override_token(o)},
        **HX,
    )
    assert response.status_code == 200 and "dihapus" in response.context["notice"]
    assert not ParameterOverride.objects.filter(plan=plan()).exists()


def test_sasaran_resave_after_conflict_keeps_a_row_deleted_meanwhile(demo: str) -> None:
    """After a conflict, the editor's table is saved deliberately: a row the other editor
    deleted meanwhile comes back as a new row."""
    points = local_points()
    i27 = row_of(points, "pct_layak", 2027)
    c = client_for("koordinator")
    other = sasaran_post(points, **{f"row-{i27}-delete": "on"})
    assert c.post(f"/cities/{demo}/plan/sasaran/", other).status_code == 302
    mine = sasaran_post(points, **{f"row-{i27}-value": "91"})
    response = c.post(f"/cities/{demo}/plan/sasaran/", mine)
    assert response.status_code == 409
    mine["token"] = response.context["token"]
    assert c.post(f"/cities/{demo}/plan/sasaran/", mine).status_code == 302
    p27 = [p for p in local_points() if (p.indicator, p.year) == ("pct_layak", 2027)]
    assert [p.value for p in p27] == [91.0] and p27[0].pk != points[i27].pk
    assert trajectory(demo, "pct_layak", 2027) == pytest.approx(91.0)


@pytest.mark.parametrize(("typed", "stored"), [("88,5", 88.5), ("88.5", 88.5), ("88", 88.0)])
def test_sasaran_accepts_a_decimal_comma(demo: str, typed: str, stored: float) -> None:
    """An Indonesian page takes ``88,5`` (decimal comma) as well as ``88.5``."""
    points = local_points()
    i27 = row_of(points, "pct_layak", 2027)
    data = sasaran_post(points, **{f"row-{i27}-value": typed})
    response = client_for("koordinator").post(f"/cities/{demo}/plan/sasaran/", data)
    assert response.status_code in (200, 302), response.status_code
    assert local_points()[i27].value == stored
    assert trajectory(demo, "pct_layak", 2027) == pytest.approx(stored)
