"""Row scoping per role: allowed, forbidden and out-of-scope rows (sanitasi.web.scope)."""

from __future__ import annotations

import pytest
from webhelpers import DEMO, local_activity, make_city, user

from sanitasi.web import roles
from sanitasi.web.audit.log import acting_as
from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.geography.models import Region
from sanitasi.web.monitoring.models import ActionItem, Meeting, Realisation
from sanitasi.web.plans.models import Observation, ParameterOverride, Plan, TargetPoint, TargetSet
from sanitasi.web.programme.models import Activity, Agency, PlannedYear
from sanitasi.web.scope import can, can_add

PADANG = "13.71"  # same province as the demo (Sumatera Barat)
MEDAN = "12.71"  # another province


@pytest.fixture
def cities(demo: str) -> dict[str, Activity]:
    return {PADANG: make_city(PADANG, "Kota Padang"), MEDAN: make_city(MEDAN, "Kota Medan")}


def cities_seen(username: str, model: type = Plan, action: str = "view") -> set[str]:
    qs = model.objects.restrict(user(username), action)
    return set(qs.values_list("city_kode", flat=True))


def codes(username: str, action: str, model: type = Realisation) -> set[str]:
    field = "activity__code" if model is Realisation else "code"
    return set(model.objects.restrict(user(username), action).values_list(field, flat=True))


def test_admin_sees_and_does_everything(cities: dict[str, Activity]) -> None:
    for action in roles.ACTIONS:
        assert cities_seen("admin", Realisation, action) == {DEMO, PADANG, MEDAN}


@pytest.mark.parametrize("username", ["koordinator", "opd-dlh", "opd-perkim", "viewer"])
def test_city_roles_see_only_their_city(cities: dict[str, Activity], username: str) -> None:
    for model in (Plan, Region, Observation, Agency, Activity, PlannedYear, Realisation, Meeting):
        assert cities_seen(username, model) <= {DEMO, ""}, model
    assert cities_seen(username, Activity) == {DEMO}
    assert (
        Realisation.objects.restrict(user(username)).count()
        == Realisation.objects.filter(city_kode=DEMO).count()
    )


def test_fasilitator_reads_every_city_of_its_province(cities: dict[str, Activity]) -> None:
    assert cities_seen("fasilitator", Realisation) == {DEMO, PADANG}
    assert cities_seen("fasilitator", Plan) == {DEMO, PADANG}
    # records meetings and action items there, nothing else
    assert cities_seen("fasilitator", Meeting, "change") == {DEMO, PADANG}
    assert cities_seen("fasilitator", ActionItem, "change") == {DEMO}
    for model in (Plan, Activity, Realisation, TargetPoint, ParameterOverride):
        assert cities_seen("fasilitator", model, "change") == set(), model
    assert cities_seen("fasilitator", Realisation, "verify") == set()
    assert can_add(user("fasilitator"), Meeting, PADANG)
    assert not can_add(user("fasilitator"), Meeting, MEDAN)
    assert not can_add(user("fasilitator"), Activity, DEMO)


def test_viewer_reads_only(cities: dict[str, Activity]) -> None:
    for action in ("change", "submit", "verify"):
        for model in (Plan, Activity, Realisation, Meeting, Observation, TargetPoint):
            assert not model.objects.restrict(user("viewer"), action).exists(), (model, action)
    assert not can_add(user("viewer"), Meeting, DEMO)


def test_koordinator_edits_plan_and_verifies_but_does_not_report(
    cities: dict[str, Activity],
) -> None:
    for kode in (DEMO, PADANG):
        plan = Plan.objects.get(city_kode=kode)
        ParameterOverride.objects.create(
            city_kode=kode, plan=plan, name="persons_per_household", value_num=3.7
        )
    for model in (Plan, Observation, ParameterOverride, Activity, Agency, Meeting, Region):
        assert cities_seen("koordinator", model, "change") == {DEMO}, model
    # city targets yes, national (shared) target sets no
    assert cities_seen("koordinator", TargetPoint, "change") == {DEMO}
    assert cities_seen("koordinator", TargetPoint, "view") == {DEMO, ""}
    assert cities_seen("koordinator", Realisation, "verify") == {DEMO}
    assert cities_seen("koordinator", Realisation, "change") == set()
    assert cities_seen("koordinator", Realisation, "submit") == set()
    assert can_add(user("koordinator"), TargetPoint, DEMO)
    assert not can_add(user("koordinator"), TargetPoint, PADANG)
    demo_act = Activity.objects.filter(city_kode=DEMO).first()
    assert not can_add(user("koordinator"), Realisation, DEMO, activity=demo_act)


def test_opd_reports_on_activities_its_agency_leads(cities: dict[str, Activity]) -> None:
    led = set(
        Activity.objects.filter(city_kode=DEMO, lead_agency__code="DLH").values_list(
            "code", flat=True
        )
    )
    assert led and codes("opd-dlh", "change") == led == codes("opd-dlh", "submit")
    assert codes("opd-dlh", "submit", Activity) == led
    assert codes("opd-dlh", "verify") == set()
    perkim = set(
        Activity.objects.filter(city_kode=DEMO, lead_agency__code="PERKIM").values_list(
            "code", flat=True
        )
    )
    assert codes("opd-perkim", "submit") == perkim and not perkim & led
    # Padang's DLH activity has the same agency code but another city: out of scope
    padang_real = Realisation.objects.get(city_kode=PADANG)
    assert not can(user("opd-dlh"), "change", padang_real)
    assert not can(user("opd-dlh"), "view", padang_real)


def test_opd_proposes_and_edits_only_its_proposals(demo: str) -> None:
    dlh = user("opd-dlh")
    assert can_add(dlh, Activity, DEMO)
    assert not can_add(dlh, Activity, PADANG)
    assert not Activity.objects.restrict(dlh, "change").exists()  # adopted ones: Bappeda's
    act = local_activity("PS-99", "13.72", "DLH")
    act.state = "proposed"
    act.save()
    assert codes("opd-dlh", "change", Activity) == {"PS-99"}
    assert codes("opd-perkim", "change", Activity) == set()
    assert can_add(dlh, PlannedYear, DEMO, activity=act)
    assert not can_add(user("opd-perkim"), PlannedYear, DEMO, activity=act)


def test_kecamatan_sees_its_kecamatan_and_the_city(demo: str) -> None:
    ls = local_activity("LS-01", "13.72.01.1001", "DLH", ("KEC_LS",))  # in Lubuk Sikarah
    local_activity("LS-02", "13.72.01", "DLH")  # in LS, kecamatan neither lead nor support
    local_activity("TH-01", "13.72.02.1001", "DLH", ("KEC_LS",))  # in Tanjung Harapan
    kec = user("kecamatan-ls")
    seen = set(Region.objects.restrict(kec).values_list("kode", flat=True))
    assert {"13", "13.72", "13.72.01", "13.72.01.1001"} <= seen
    assert not any(k.startswith("13.72.02") for k in seen)
    acts = codes("kecamatan-ls", "view", Activity)
    assert {"LS-01", "LS-02", "ALD-01"} <= acts  # ALD-01: city-wide
    assert "TH-01" not in acts and "ALD-02" not in acts  # ALD-02 is in Laing (13.72.02)
    obs = Observation.objects.restrict(kec).values_list("region__kode", flat=True)
    assert "13.72.01.1001" in set(obs) and not any(k.startswith("13.72.02") for k in obs)
    # reports only where located in its kecamatan AND its office leads or supports (the
    # demo's PS-08 is led by KEC_LS in Lubuk Sikarah)
    mine = {"LS-01", "PS-08"}
    assert codes("kecamatan-ls", "submit") == mine == codes("kecamatan-ls", "change")
    assert codes("kecamatan-ls", "submit", Activity) == mine
    assert can_add(kec, Realisation, DEMO, activity=ls)
    assert codes("kecamatan-ls", "verify") == set()
    # city-wide activity it supports (ALD-01): the lead agency reports, not the kecamatan
    assert "ALD-01" not in codes("kecamatan-ls", "submit")


def test_kecamatan_as_lead(demo: str) -> None:
    local_activity("LS-03", "13.72.01.1002", "KEC_LS")
    assert codes("kecamatan-ls", "submit") == {"LS-03", "PS-08"}


def test_shared_target_sets_visible_to_all_changed_by_admin_only(demo: str) -> None:
    national = TargetSet.objects.filter(city_kode="")
    assert national.exists()
    for name in ("koordinator", "opd-dlh", "kecamatan-ls", "fasilitator", "viewer"):
        assert set(national.values_list("pk", flat=True)) <= set(
            TargetSet.objects.restrict(user(name)).values_list("pk", flat=True)
        )
        assert not TargetSet.objects.restrict(user(name), "change").filter(city_kode="").exists()
    assert TargetSet.objects.restrict(user("admin"), "change").filter(city_kode="").exists()


def test_anonymous_inactive_and_profileless_users_get_nothing(demo: str) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    assert not Plan.objects.restrict(AnonymousUser()).exists()
    assert not Plan.objects.restrict(None).exists()
    bare = get_user_model().objects.create_user("bare", password="x-long-password-1")
    assert not Plan.objects.restrict(bare).exists()
    viewer = user("viewer")
    viewer.is_active = False
    viewer.save()
    assert not Plan.objects.restrict(viewer).exists()
    root = get_user_model().objects.create_superuser("root", password="x-long-password-2")
    assert Plan.objects.restrict(root, "verify").exists()


def test_audit_entries_scope(demo: str) -> None:
    dlh, kor = user("opd-dlh"), user("koordinator")
    plan = Plan.objects.get(city_kode=DEMO)
    with acting_as(kor):
        plan.name = "SSK Kota Solok 2025-2029"
        plan.save()
    real = Realisation.objects.restrict(dlh, "change").first()
    assert real is not None
    with acting_as(dlh):
        real.note = "changed"
        real.save()
    mine = AuditEntry.objects.restrict(dlh)
    assert set(mine.values_list("username", flat=True)) == {"opd-dlh"}
    assert {"koordinator", "opd-dlh"} <= set(
        AuditEntry.objects.restrict(kor).values_list("username", flat=True)
    )
    assert not AuditEntry.objects.restrict(user("viewer")).exists()


def test_unknown_action_is_an_error(demo: str) -> None:
    with pytest.raises(ValueError, match="unknown action"):
        Plan.objects.restrict(user("admin"), "delete")


def test_every_city_owned_model_is_restricted_and_unique_by_city() -> None:
    from django.apps import apps

    from sanitasi.web.basemodels import CityOwned
    from sanitasi.web.scope import RestrictedQuerySet

    owned = [m for m in apps.get_models() if issubclass(m, CityOwned)]
    assert len(owned) >= 15
    for model in owned:
        assert isinstance(model.objects.all(), RestrictedQuerySet), model
        uniques = [c for c in model._meta.constraints if getattr(c, "fields", None)]
        assert uniques and all(c.fields[0] == "city_kode" for c in uniques), model


@pytest.mark.parametrize("state", ["proposed", "rejected"])
def test_no_realisation_on_activities_not_adopted(demo: str, state: str) -> None:
    """A proposal (or a rejected one) is not in the plan: nobody reports realisation on it,
    though the opd still edits its proposal and everyone still sees it."""
    act = local_activity("LS-09", "13.72.01.1001", "DLH", ("KEC_LS",))
    real = Realisation.objects.get(activity=act)
    for username in ("opd-dlh", "kecamatan-ls"):
        assert can(user(username), "submit", act)
        assert can(user(username), "change", real)
    Activity.objects.filter(pk=act.pk).update(state=state)
    act.refresh_from_db()
    for username in ("opd-dlh", "kecamatan-ls"):
        assert not can(user(username), "submit", act), username
        assert not can(user(username), "change", real), username
        assert not can(user(username), "submit", real), username
        assert not can_add(user(username), Realisation, DEMO, activity=act), username
        assert can(user(username), "view", real), username
    assert can(user("opd-dlh"), "change", act) is (state == "proposed")
    assert can(user("koordinator"), "verify", real)
