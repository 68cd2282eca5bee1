"""Province and national pages (issue 11 item 2): the fasilitator's landing page lists every
kab/kota of its province from the stored city summaries, with the province row as ratios of
sums; the national viewer sees every province. No plan run per city per request."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from webhelpers import make_user, user

from sanitasi.web import roles
from sanitasi.web.geography.models import Region
from sanitasi.web.monitoring import period
from sanitasi.web.plans import results
from sanitasi.web.plans.models import Plan
from sanitasi.web.regions_view import summary
from sanitasi.web.regions_view.models import CitySummary

DEMO = "13.72"
SCHEDULE_REFRESH = summary.schedule_refresh  # the real one (the fixture below records)


@pytest.fixture(autouse=True)
def _no_background(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Stale and missing summaries are rebuilt in a thread: record instead."""
    asked: list[str] = []
    monkeypatch.setattr(summary, "schedule_refresh", lambda kodes: asked.extend(kodes))
    return asked


def client_for(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


def fig(den: float, layak: float, national: float, end_den: float | None = None) -> dict[str, Any]:
    end = den if end_den is None else end_den
    return {
        "unit": "households",
        "base_den": den,
        "base_num": layak,
        "end_den": end,
        "target_num": national,
        "bau_num": layak,
        "national_num": national,
        "gap_units": max(national - layak, 0.0),
        "national_set": "SDG_2030",
    }


def synthetic_city(kode: str, nama: str, figures: dict[str, Any], **extra: Any) -> None:
    """A loaded city without a plan run: regions, an active plan, and its summary stored at
    the current version (as a rebuilt summary would be)."""
    prov_kode = kode.split(".")[0]
    prov = Region.objects.create(city_kode=kode, kode=prov_kode, nama="Prov", tingkat="provinsi")
    Region.objects.create(city_kode=kode, kode=kode, nama=nama, tingkat="kabkota", parent=prov)
    Plan.objects.create(city_kode=kode, base_year=2024, horizon=2045)
    quarter = summary.latest_closed_quarter(period.reporting_date())
    version = summary.current_versions([kode], quarter)[kode]
    CitySummary.objects.create(
        city_kode=kode,
        province_kode=prov_kode,
        nama=nama,
        province_nama=extra.pop("province_nama", "Sumatera Barat"),
        version=version,
        base_year=2024,
        end_year=2029,
        figures=figures,
        year=quarter[0],
        quarter=quarter[1],
        **extra,
    )


def test_latest_closed_quarter() -> None:
    import datetime as dt

    assert summary.latest_closed_quarter(dt.date(2027, 3, 31)) == (2026, 4)
    assert summary.latest_closed_quarter(dt.date(2027, 4, 1)) == (2027, 1)
    assert summary.latest_closed_quarter(dt.date(2026, 12, 31)) == (2026, 3)


def test_demo_summary_from_the_plan(demo: str) -> None:
    row = summary.build_summary(DEMO)
    layak = row.figures["pct_layak"]
    # README: layak 81.3 % of the base year's households
    assert 100 * layak["base_num"] / layak["base_den"] == pytest.approx(81.3013, abs=1e-3)
    head = results.plan_result(DEMO)["headline"]
    h = head[(head["kode"] == DEMO) & (head["indicator"] == "pct_aman") & (head["year"] == 2029)]
    aman = row.figures["pct_aman"]
    assert 100 * aman["bau_num"] / aman["end_den"] == pytest.approx(float(h["bau_pct"].iloc[0]))
    # the national target of aman at 2029: RPJMN 2025-2029's 30 % (strictest national set)
    assert 100 * aman["national_num"] / aman["end_den"] == pytest.approx(30.0)
    assert aman["national_set"] == "RPJMN_2025_2029"
    assert row.base_year == 2024 and row.end_year == 2029
    assert (row.year, row.quarter) == (2026, 4)  # reporting date 2027-03-31 (conftest)
    assert row.expected > 0 and row.reported <= row.expected
    # a second refresh of an unchanged city rebuilds nothing
    assert summary.refresh([DEMO]) == []


def test_province_row_is_the_ratio_of_sums(demo: str, _no_background: list[str]) -> None:
    demo_row = summary.build_summary(DEMO)
    d = demo_row.figures["pct_layak"]
    synthetic_city("13.71", "Kota Padang", {"pct_layak": fig(20_000, 12_000, 18_000)})
    synthetic_city("13.73", "Kota Sawahlunto", {"pct_layak": fig(5_000, 4_500, 5_000)})
    synthetic_city(
        "13.74",
        "Kota Padang Panjang",
        {"pct_layak": fig(10_000, 7_000, 10_000)},
        expected=4,
        reported=3,
        verified=1,
    )
    response = client_for("fasilitator").get("/provinces/13/")
    assert response.status_code == 200
    assert _no_background == []  # every summary is current: nothing to rebuild
    rows = response.context["rows"]
    assert [r["kode"] for r in rows] == ["13.71", DEMO, "13.73", "13.74"]
    by = {r["kode"]: r for r in rows}
    assert by["13.71"]["cells"][0]["base"] == "60,0%"
    assert by["13.73"]["cells"][0]["base"] == "90,0%"
    assert by["13.71"]["cells"][0]["gap"] == "30,0"  # 90 % national - 60 % BAU
    assert by["13.74"]["completeness"]["text"] == "75%"
    # province = Σ layak households / Σ households, with the demo's own sums
    num = 12_000 + 4_500 + 7_000 + d["base_num"]
    den = 20_000 + 5_000 + 10_000 + d["base_den"]
    expected = 100 * num / den
    mean_of_ratios = (60 + 90 + 70 + 100 * d["base_num"] / d["base_den"]) / 4
    assert abs(expected - mean_of_ratios) > 1  # the test tells them apart
    total = response.context["total"]["cells"][0]["base"]
    assert total == f"{expected:.1f}%".replace(".", ",")
    html = response.content.decode()
    assert 'id="province-total"' in html and "/cities/13.71/" in html
    assert "tiles:pct_layak" in response.context["chart_keys"]


def test_stale_and_missing_summaries_are_rebuilt_in_the_background(
    demo: str, _no_background: list[str]
) -> None:
    CitySummary.objects.filter(city_kode=DEMO).delete()
    response = client_for("fasilitator").get("/provinces/13/")
    assert response.status_code == 200
    assert _no_background == [DEMO]
    assert response.context["missing"] == [(DEMO, "Kota Solok")]
    CitySummary.objects.create(city_kode=DEMO, province_kode="13", nama="Kota Solok", version="old")
    _no_background.clear()
    response = client_for("fasilitator").get("/provinces/13/")
    assert _no_background == [DEMO]
    assert response.context["rows"][0]["stale"] is True


def test_landing_pages_and_access(demo: str) -> None:
    make_user("fasil-riau", roles.FASILITATOR, province_kode="14")
    assert client_for("fasilitator").get("/").url == "/provinces/13/"
    assert client_for("nasional").get("/").url == "/national/"
    assert client_for("koordinator").get("/").url == "/cities/13.72/"
    assert client_for("fasil-riau").get("/provinces/13/").status_code == 404
    assert client_for("koordinator").get("/national/").status_code == 403
    assert client_for("fasilitator").get("/national/").status_code == 403
    assert client_for("nasional").get("/provinces/13/").status_code == 200
    assert client_for("nasional").get("/cities/13.72/").status_code == 200
    assert client_for("nasional").get("/provinces/x/").status_code == 404
    assert Client().get("/provinces/13/").status_code == 302


def test_national_viewer_changes_nothing(demo: str) -> None:
    from sanitasi.web.monitoring.models import Realisation
    from sanitasi.web.programme.models import Activity

    u = user("nasional")
    assert Activity.objects.restrict(u).count() == Activity.objects.count() > 0
    for action in ("change", "submit", "verify"):
        assert not Activity.objects.restrict(u, action).exists()
        assert not Realisation.objects.restrict(u, action).exists()


def test_hundred_cities_bounded(demo: str, django_assert_max_num_queries: Any) -> None:
    """100 synthetic cities in two provinces: both pages answer from the stored summaries
    with a bounded number of queries (no plan run; the timing is benchmarks/province_page.py)."""
    runs_before = dict(results.runs)
    for i in range(100):
        prov = "91" if i < 60 else "92"
        synthetic_city(
            f"{prov}.{i:02d}",
            f"Kota Sintetis {i}",
            {"pct_layak": fig(1000 + i, 500 + i, 1000 + i)},
            province_nama=f"Provinsi {prov}",
            expected=2,
            reported=i % 3,
        )
    c = client_for("nasional")
    with django_assert_max_num_queries(20):
        response = c.get("/provinces/91/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == 60
    with django_assert_max_num_queries(20):
        response = c.get("/national/")
    assert response.status_code == 200
    rows = {r["kode"]: r for r in response.context["rows"]}
    assert rows["91"]["cities"] == 60 and rows["92"]["cities"] == 40
    # province 92: Σ(500 + i) / Σ(1000 + i) for i in 60..99
    num = sum(500 + i for i in range(60, 100))
    den = sum(1000 + i for i in range(60, 100))
    assert rows["92"]["cells"][0]["base"] == f"{100 * num / den:.1f}%".replace(".", ",")
    assert results.runs == runs_before


def test_a_save_rebuilds_the_summary_with_precompute(
    demo: str,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """With SANITASI_PRECOMPUTE on, a save's commit rebuilds the city's summary (in a
    thread; here inline) so the province page is current at the next visit."""
    from webhelpers import local_activity

    from sanitasi.web.monitoring import workflow

    monkeypatch.setattr(summary, "schedule_refresh", SCHEDULE_REFRESH)
    settings.SANITASI_PRECOMPUTE = True
    threads: list[str] = []

    def inline(target: Any, name: str) -> None:
        threads.append(name)
        target()

    monkeypatch.setattr(results, "start_thread", inline)
    monkeypatch.setattr(summary.connections, "close_all", lambda: None)  # the test's own
    monkeypatch.setattr(results.connections, "close_all", lambda: None)
    summary.build_summary(DEMO)
    act = local_activity("LS-01", "13.72.01.1001", "DLH", ("KEC_LS",))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.create(user("opd-dlh"), act, 2026, 4, output_achieved=3)
    assert "sanitasi-city-summaries" in threads
    quarter = summary.latest_closed_quarter(period.reporting_date())
    row = CitySummary.objects.get(city_kode=DEMO)
    assert row.version == summary.current_versions([DEMO], quarter)[DEMO]
    settings.SANITASI_SUMMARIES_AFTER_SAVE = False
    threads.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.create(user("opd-dlh"), act, 2027, 1, output_achieved=1)
    assert "sanitasi-city-summaries" not in threads
