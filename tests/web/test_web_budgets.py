"""Monitoring as budgets work on the web (issue 9, item 8): no realisation of a quarter that
has not started (form field error, API 422), physical progress only for works counted at
completion (form, API), the adoption date stamped when Bappeda adopts a proposal, and the
loader / database inputs carrying ``adopted_on`` and ``progress_pct`` like the CLI.

The web's "today" is pinned to 31 March 2027 (``conftest.REPORTING_DATE``): 2027 Q1 has
started, 2027 Q2 has not."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pandas.testing as pdt
import pytest
from apihelpers import client_for, patch_json, post_json, realisation_url, row_url
from django.test import Client
from webhelpers import DEMO, user

from sanitasi.core.monitoring import monitor
from sanitasi.io.programme import load_programme
from sanitasi.io.reference import demo_city_dir, load_parameters
from sanitasi.web.loader import load_city_folder
from sanitasi.web.monitoring import workflow
from sanitasi.web.monitoring.models import Realisation
from sanitasi.web.programme.inputs import programme_inputs_for
from sanitasi.web.programme.models import Activity

HX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}
PINNED = dt.date(2027, 3, 31)


def new_url(code: str) -> str:
    return f"/cities/{DEMO}/realisation/new/{code}/"


# --------------------------------------------------------------------------- quarter not started


def test_form_refuses_a_quarter_not_started(demo: str) -> None:
    c = client_for("opd-dlh")
    data = {"year": "2027", "quarter": "2", "output_achieved": "1", "cost_spent_idr": "0"}
    response = c.post(new_url("PS-01"), data, **HX)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == ["quarter"]
    assert "2027-04-01" in errors["quarter"][0] and "SAN-E049" in errors["quarter"][0]
    assert 'id="field-quarter"' in response.content.decode()
    assert not Realisation.objects.filter(activity__code="PS-01", year=2027).exists()
    # 2027 Q1 started on 1 January: allowed even though it has not ended for the pinned day
    data["quarter"] = "1"
    assert c.post(new_url("PS-01"), data, **HX).status_code == 200
    assert Realisation.objects.filter(activity__code="PS-01", year=2027, quarter=1).exists()


def test_api_refuses_a_quarter_not_started(demo: str) -> None:
    c = client_for("opd-dlh")
    body = {"year": 2027, "quarter": 2, "output": 1.0, "cost": 0.0}
    response = post_json(c, realisation_url(DEMO, "PS-01"), body)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert list(errors) == ["quarter"] and "SAN-E049" in errors["quarter"][0]
    assert not Realisation.objects.filter(activity__code="PS-01", year=2027).exists()


def test_workflow_rule_uses_the_given_day(demo: str) -> None:
    act = Activity.objects.get(city_kode=DEMO, code="PS-01")
    # 1 Oct 2026 is the first day of Q4: started; 30 Sep it is not
    workflow.check_report(act, year=2026, quarter=4, today=dt.date(2026, 10, 1))
    with pytest.raises(Exception, match="2026-10-01"):
        workflow.check_report(act, year=2026, quarter=4, today=dt.date(2026, 9, 30))


# --------------------------------------------------------------------------- progress


def test_progress_field_only_for_completion_works(demo: str) -> None:
    c = client_for("opd-dlh")
    # ALD-05 (IPLT upgrade, DLH) is counted at completion: the form asks for progress
    assert "progress_pct" in c.get(new_url("ALD-05"), **HX).context["form"].fields
    # PS-01 (TPS3R units) is counted per unit: no progress field, a posted one is ignored
    assert "progress_pct" not in c.get(new_url("PS-01"), **HX).context["form"].fields
    data = {"year": "2026", "quarter": "4", "output_achieved": "0", "cost_spent_idr": "0"}
    assert c.post(new_url("PS-01"), {**data, "progress_pct": "40"}, **HX).status_code == 200
    r = Realisation.objects.get(activity__code="PS-01", year=2026, quarter=4)
    assert r.progress_pct is None
    # ALD-05 2026 Q4: 95 % of the IPLT works done (Indonesian decimal comma accepted)
    response = c.post(new_url("ALD-05"), {**data, "progress_pct": "95,5"}, **HX)
    assert response.status_code == 200
    r = Realisation.objects.get(activity__code="ALD-05", year=2026, quarter=4)
    assert r.progress_pct == 95.5
    assert "95,5 %" in response.content.decode()  # shown in the activity's rows
    # out of range: a field error, nothing saved
    bad = c.post(new_url("ALD-05"), {**data, "quarter": "1", "year": "2027", "progress_pct": "120"})
    assert bad.status_code == 422 and "progress_pct" in bad.context["form"].errors
    assert not Realisation.objects.filter(activity__code="ALD-05", year=2027).exists()


def test_edit_form_changes_progress(demo: str) -> None:
    act = Activity.objects.get(city_kode=DEMO, code="ALD-05")
    r = workflow.create(user("opd-dlh"), act, 2026, 4, output_achieved=0, progress_pct=80.0)
    c = client_for("opd-dlh")
    edit = f"/cities/{DEMO}/realisation/{r.pk}/edit/"
    form = c.get(edit, **HX).context["form"]
    assert form.initial["progress_pct"] == 80.0
    data = {"output_achieved": "10", "cost_spent_idr": "0", "progress_pct": "100", "version": 1}
    assert c.post(edit, data, **HX).status_code == 200
    r.refresh_from_db()
    assert (r.output_achieved, r.progress_pct, r.version) == (10.0, 100.0, 2)


def test_api_progress(demo: str) -> None:
    c = client_for("opd-dlh")
    body = {"year": 2026, "quarter": 4, "output": 0.0, "cost": 100_000_000.0}
    # PS-01 is counted per unit: a progress is refused (SAN-E050), nothing saved
    response = post_json(c, realisation_url(DEMO, "PS-01"), {**body, "progress": 40.0})
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert list(errors) == ["progress"] and "SAN-E050" in errors["progress"][0]
    assert not Realisation.objects.filter(activity__code="PS-01", year=2026, quarter=4).exists()
    # out of range: pydantic's 422
    response = post_json(c, realisation_url(DEMO, "ALD-05"), {**body, "progress": 101.0})
    assert response.status_code == 422 and "progress" in response.json()["errors"]
    # ALD-05 (completion): kept, echoed, changed and cleared (null) by PATCH
    response = post_json(c, realisation_url(DEMO, "ALD-05"), {**body, "progress": 85.0})
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["progress"] == 85.0
    response = patch_json(c, row_url(DEMO, row["id"]), {"version": 1, "progress": 90.0})
    assert response.status_code == 200 and response.json()["progress"] == 90.0
    response = patch_json(c, row_url(DEMO, row["id"]), {"version": 2, "progress": None})
    assert response.status_code == 200 and response.json()["progress"] is None
    # a PS-01 row may not gain a progress by PATCH either
    ps01 = post_json(c, realisation_url(DEMO, "PS-01"), body).json()
    response = patch_json(c, row_url(DEMO, ps01["id"]), {"version": 1, "progress": 10.0})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["progress"]


def test_api_shows_demo_progress_and_adoption(demo: str) -> None:
    c = client_for("viewer")
    items = c.get(realisation_url(DEMO, "ALD-03") + "?limit=200").json()["items"]
    by_quarter = {(r["year"], r["quarter"]): r["progress"] for r in items}
    assert by_quarter[(2026, 2)] == 25.0 and by_quarter[(2026, 3)] == 70.0
    assert by_quarter[(2026, 1)] is None
    acts = c.get(f"/api/cities/{DEMO}/activities?limit=200").json()["items"]
    ald03 = next(a for a in acts if a["code"] == "ALD-03")
    assert ald03["plan_profile"] == "completion" and ald03["adopted_on"] is None


# --------------------------------------------------------------------------- adoption


def propose() -> Activity:
    c = Client()
    c.force_login(user("opd-perkim"))
    data: dict[str, Any] = {
        "code": "PRP-01",
        "sector": "ald",
        "sasaran": "pct_aman",
        "activity": "Build communal septic tanks",
        "output_unit": "septic tank",
        "location": "13.72.01.1001",
        "funding_source": "APBD_KOTA",
        "plan_profile": "linear",
        "effect": "hh:belum_layak->aman@l2t2:1",
        "status": "illustrative",
        "adopted_on": "2026-01-01",  # a proposer cannot set it (disabled field)
        "planned_output_2027": "100",
        "planned_cost_2027": "400000000",
    }
    response = c.post(f"/cities/{DEMO}/programme/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Activity.objects.get(city_kode=DEMO, code="PRP-01")


def test_adopting_a_proposal_stamps_the_date(demo: str) -> None:
    act = propose()
    assert act.state == "proposed" and act.adopted_on is None
    c = Client()
    c.force_login(user("koordinator"))
    response = c.post(f"/cities/{DEMO}/programme/PRP-01/adopt/", {"version": act.version})
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.adopted_on == PINNED  # 31 Mar 2027: Q1
    prog = programme_inputs_for(DEMO)
    assert prog is not None
    a = prog.activities.set_index("code")
    assert a.at["PRP-01", "adopted_on"] == pd.Timestamp(PINNED)
    # judged from Q1 2027 (adopted in Q1): the ordinary linear profile, 25 of 100 due by Q1
    m = monitor(prog, load_parameters(), 2027, 1)
    row = m.activities.set_index("code").loc["PRP-01"]
    assert row["judged_from_quarter"] == 1 and row["planned_output_to_date"] == 25
    assert 'id="adopted-on"' in c.get(f"/cities/{DEMO}/programme/PRP-01/").content.decode()


def test_koordinator_sets_the_adoption_date(demo: str) -> None:
    c = Client()
    c.force_login(user("koordinator"))
    form = c.get(f"/cities/{DEMO}/programme/new/").context["form"]
    assert form.initial["adopted_on"] == PINNED  # added by Bappeda now: adopted today
    act = Activity.objects.get(city_kode=DEMO, code="PS-02")
    from test_web_programme import edit_data

    response = c.post(
        f"/cities/{DEMO}/programme/PS-02/edit/", edit_data(act, adopted_on="2026-08-15")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    act.refresh_from_db()
    assert act.adopted_on == dt.date(2026, 8, 15)
    bad = c.post(f"/cities/{DEMO}/programme/PS-02/edit/", edit_data(act, adopted_on="15/08/2026"))
    assert bad.status_code == 422 and "adopted_on" in bad.context["form"].errors


# --------------------------------------------------------------------------- loader


def test_loader_carries_adoption_and_progress(empty_db: None, tmp_path: Path) -> None:
    city = tmp_path / "city"
    shutil.copytree(Path(str(demo_city_dir())), city)
    text = (city / "programme.csv").read_text(encoding="utf-8").splitlines()
    text[0] += ",adopted_on"
    text[1:] = [line + (",2026-08-15" if line.startswith("PS-02,") else ",") for line in text[1:]]
    (city / "programme.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    load_city_folder(city)
    assert Activity.objects.get(code="PS-02").adopted_on == dt.date(2026, 8, 15)
    assert Activity.objects.get(code="PS-01").adopted_on is None
    r = Realisation.objects.get(activity__code="PS-05", year=2025, quarter=4)
    assert r.progress_pct == 87.5
    web = programme_inputs_for("13.72")
    cli = load_programme(city)
    assert web is not None
    pdt.assert_frame_equal(web.activities, cli.activities)
    pdt.assert_frame_equal(web.realisation, cli.realisation)
    params = load_parameters()
    a = monitor(web, params, 2026, 3).activities
    b = monitor(cli, params, 2026, 3).activities
    pdt.assert_frame_equal(a, b)
    # PS-02 adopted in Q3 2026: apbd s'(3) = (0.70 - 0.40) / 0.60 = 0.5; 3 bank sampah planned
    ps02 = a.set_index("code").loc["PS-02"]
    assert ps02["judged_from_quarter"] == 3
    assert ps02["planned_output_to_date"] == pytest.approx(1.5)
