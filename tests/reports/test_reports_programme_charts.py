"""Programme and monitoring Vega-Lite specs of the demo: valid, rendering with the
Indonesian locale, and drawing exactly the engine's figures."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pandas as pd
import pytest
from programme_demo import demo_monitoring, demo_plan

from sanitasi.core.model import PlanResult
from sanitasi.core.programme_run import MonitoringReport
from sanitasi.reports import charts

INDICATORS = (
    "pct_layak",
    "pct_aman",
    "pct_babs_terbuka",
    "pct_waste_pengurangan",
    "pct_waste_penanganan",
    "pct_waste_managed",
)


@pytest.fixture(scope="module")
def plan() -> PlanResult:
    return demo_plan()


@pytest.fixture(scope="module")
def q3() -> MonitoringReport:
    return demo_monitoring(2026, 3)


@pytest.fixture(scope="module")
def vl_validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    core = pytest.importorskip("altair.vegalite.v6.schema.core")
    return jsonschema.Draft7Validator(core.load_schema())


def _specs(plan: PlanResult, q3: MonitoringReport, lang: str) -> dict[str, dict[str, Any]]:
    out = {
        k: v
        for k, v in charts.all_charts(plan, lang).items()
        if not k.startswith(("headline", "ladder", "waste", "funding"))
    }
    out.update({f"monitoring:{k}": v for k, v in charts.monitoring_charts(q3, lang).items()})
    return out


def test_keys(plan: PlanResult, q3: MonitoringReport) -> None:
    keys = set(charts.all_charts(plan, "id"))
    assert {f"coverage:{i}" for i in INDICATORS} | {"programme_funding"} <= keys
    assert set(charts.monitoring_charts(q3, "id")) == {
        "money",
        "output",
        *(f"indicator:{i}" for i in INDICATORS),
    }


@pytest.mark.parametrize("lang", ["id", "en"])
def test_valid_plain_json(
    plan: PlanResult, q3: MonitoringReport, vl_validator: Any, lang: str
) -> None:
    for key, spec in _specs(plan, q3, lang).items():
        json.dumps(spec, allow_nan=False)
        assert "url" not in spec.get("data", {}), key
        errors = sorted(vl_validator.iter_errors(spec), key=str)
        assert not errors, f"{key}: {errors[0].message}"


def test_render_with_indonesian_locale(plan: PlanResult, q3: MonitoringReport) -> None:
    vlc = pytest.importorskip("vl_convert")
    for key, spec in _specs(plan, q3, "id").items():
        svg = vlc.vegalite_to_svg(spec, format_locale=charts.FORMAT_LOCALE["id"])
        assert "<svg" in svg, key
        if key.startswith("coverage") or key.startswith("monitoring:indicator"):
            assert ">2024<" in svg and ">2029<" in svg and "2.024" not in svg, key
    money = vlc.vegalite_to_svg(
        charts.monitoring_money_chart(q3, "id"), format_locale=charts.FORMAT_LOCALE["id"]
    )
    assert "Biaya (miliar Rp)" in money
    assert ">T1<" in money and ">T4<" in money


def _rows(spec: dict[str, Any] | None) -> list[dict[str, Any]]:
    assert spec is not None
    return list(spec["data"]["values"])


def test_coverage_chart_draws_the_table(plan: PlanResult) -> None:
    spec = charts.coverage_chart(plan, "pct_layak", "id")
    rows = _rows(spec)
    assert spec is not None and spec["title"]["text"] == "Akses layak"
    assert "66%" in spec["title"]["subtitle"] and "2029" in spec["title"]["subtitle"]
    series = {r["series"] for r in rows}
    assert series == {"BAU (tanpa rencana)", "Lintasan rencana", "Dengan program"}
    assert sorted({r["year"] for r in rows}) == list(range(2024, 2030))  # base to period end
    cov = plan.tables["coverage"].df
    want = cov[(cov["indicator"] == "pct_layak") & (cov["year"] == 2029)]["plan_pct"].iloc[0]
    got = next(r["value"] for r in rows if r["series"] == "Dengan program" and r["year"] == 2029)
    assert got == pytest.approx(want, abs=1e-6)
    en = charts.coverage_chart(plan, "pct_layak", "en")
    assert en is not None and "With the programme" in {r["series"] for r in _rows(en)}


def test_programme_funding_chart_totals(plan: PlanResult) -> None:
    spec = charts.programme_funding_chart(plan, "id")
    rows = _rows(spec)
    df = plan.tables["programme_funding"].df
    prog = sum(r["cost_idr"] for r in rows if r["kind"] == "Biaya program")
    needs = sum(r["cost_idr"] for r in rows if r["kind"] == "Kebutuhan")
    assert prog == pytest.approx(df["programme_cost_idr"].sum())
    assert needs == pytest.approx(df["needs_cost_idr"].sum())
    assert spec is not None and spec["encoding"]["xOffset"]["field"] == "kind"
    assert spec["encoding"]["y"]["title"] == "Biaya (miliar Rp)"
    assert "APBD Provinsi" in spec["encoding"]["color"]["scale"]["domain"]


def test_monitoring_money_chart_sums(q3: MonitoringReport) -> None:
    rows = _rows(charts.monitoring_money_chart(q3, "id"))
    plan_t3 = sum(r["cost_idr"] for r in rows if r["quarter"] == "T3" and r["kind"] == "Rencana")
    spent_t3 = sum(r["cost_idr"] for r in rows if r["quarter"] == "T3" and r["kind"] == "Realisasi")
    city = q3.tables["by_city"].df.iloc[0]
    assert plan_t3 == pytest.approx(city["planned_cost_to_date_idr"])  # Rp 4,301 miliar
    assert spent_t3 == pytest.approx(city["spent_to_date_idr"])  # Rp 2,0645 miliar
    assert not [r for r in rows if r["quarter"] == "T4" and r["kind"] == "Realisasi"]


def test_monitoring_output_chart_one_panel_per_activity(q3: MonitoringReport) -> None:
    spec = charts.monitoring_output_chart(q3, "id")
    rows = _rows(spec)
    assert spec is not None and spec["facet"]["field"] == "code"
    assert len({r["code"] for r in rows}) == 16
    assert spec["resolve"]["scale"]["y"] == "independent"  # units differ: never summed
    ald01 = [r for r in rows if r["code"] == "ALD-01" and r["kind"] == "Realisasi"]
    assert [r["output"] for r in ald01] == [0.0, 30.0, 30.0]


def test_monitoring_indicator_chart_windows(q3: MonitoringReport) -> None:
    rows = _rows(charts.monitoring_indicator_chart(q3, "pct_aman", "id"))
    realised = {r["year"] for r in rows if r["series"] == "Dari realisasi"}
    forecast = {r["year"] for r in rows if r["series"] == "Prakiraan laju saat ini"}
    assert max(realised) == 2026 and min(forecast) == 2026 and max(forecast) == 2029
    assert {"BAU (tanpa rencana)", "Lintasan rencana", "Dengan program"} <= {
        r["series"] for r in rows
    }


def test_missing_tables_give_none(plan: PlanResult, q3: MonitoringReport) -> None:
    bare = replace(plan, tables={})
    assert charts.coverage_chart(bare, "pct_layak") is None
    assert charts.programme_funding_chart(bare) is None
    empty = replace(q3, tables={})
    assert charts.monitoring_charts(empty) == {}
    odd = replace(
        q3,
        tables={
            n: replace(tb, df=pd.DataFrame(columns=tb.df.columns)) for n, tb in q3.tables.items()
        },
    )
    assert charts.monitoring_charts(odd) == {}
