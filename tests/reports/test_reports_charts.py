"""Vega-Lite chart specs: valid against the Vega-Lite schema, render, right labels and data."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from golden import golden_json
from sanitasi.core.model import PlanResult
from sanitasi.reports import charts


@pytest.fixture(scope="module")
def vl_validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    core = pytest.importorskip("altair.vegalite.v6.schema.core")
    schema = core.load_schema()
    return jsonschema.Draft7Validator(schema)


def _values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return list(spec["data"]["values"])


def test_all_charts_present(result: PlanResult) -> None:
    specs = charts.all_charts(result, "id")
    assert set(specs) == {
        "headline:pct_layak",
        "headline:pct_aman",
        "headline:pct_babs_terbuka",
        "headline:pct_waste_pengurangan",
        "headline:pct_waste_penanganan",
        "headline:pct_waste_managed",
        "ladder",
        "waste",
        "funding",
    }
    for spec in specs.values():
        json.dumps(spec, allow_nan=False)  # plain JSON, no NaN, no numpy types
        assert "url" not in spec.get("data", {})  # data inlined, never loaded


@pytest.mark.parametrize("lang", ["id", "en"])
def test_specs_valid_vega_lite(result: PlanResult, vl_validator: Any, lang: str) -> None:
    for key, spec in charts.all_charts(result, lang).items():
        errors = sorted(vl_validator.iter_errors(spec), key=str)
        assert not errors, f"{key}: {errors[0].message}"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_specs_render_with_locale(result: PlanResult, lang: str) -> None:
    vlc = pytest.importorskip("vl_convert")
    for key, spec in charts.all_charts(result, lang).items():
        svg = vlc.vegalite_to_svg(spec, format_locale=charts.FORMAT_LOCALE[lang])
        assert "<svg" in svg, key
        if key.startswith("headline"):
            # Years without thousands separator, one tick per year.
            for year in ("2024", "2025", "2026"):
                assert f">{year}<" in svg, (key, year)
            assert "2.024" not in svg and "2,024" not in svg
    funding = vlc.vegalite_to_svg(
        charts.funding_chart(result, lang), format_locale=charts.FORMAT_LOCALE[lang]
    )
    assert (">2,5<" if lang == "id" else ">2.5<") in funding  # miliar axis, locale decimal


def test_headline_chart_series(result: PlanResult) -> None:
    spec = charts.headline_chart(result, "pct_layak", "id")
    assert spec is not None
    assert spec["title"]["text"] == "Akses layak"
    rows = _values(spec)
    bau = [r for r in rows if r["series"] == "BAU (tanpa rencana)"]
    traj = [r for r in rows if r["series"] == "Lintasan rencana"]
    base = [r for r in rows if r["kind"] == "baseline"]
    targets = [r for r in rows if r["kind"] == "target"]
    assert [r["year"] for r in bau] == [2024, 2025, 2026]
    assert [r["value"] for r in traj] == [81.25, 85.0, 90.0]
    assert traj[0]["note"] == "RPJMN 2020\u20132024"  # binding set in the tooltip
    assert base == [dict(kind="baseline", series="Kondisi dasar", year=2024, value=81.25, note="")]
    assert targets == [
        dict(kind="target", series="RPJMN 2020\u20132024", year=2026, value=90.0, note="")
    ]
    en = charts.headline_chart(result, "pct_layak", "en")
    assert en is not None and en["title"]["text"] == "Basic sanitation (layak)"
    assert {r["series"] for r in _values(en)} >= {"BAU (business as usual)", "Baseline"}


def test_ladder_chart_leaf_rows_base_and_period_end(result: PlanResult) -> None:
    spec = charts.ladder_chart(result, "id")
    assert spec is not None
    rows = _values(spec)
    assert {r["area"] for r in rows} == {"Tanah Garam", "VI Suku"}  # leaves only
    assert {r["year"] for r in rows} == {2024, 2025}  # base year and end of plan period
    tg_2025_aman = [
        r for r in rows if r["area"] == "Tanah Garam" and r["year"] == 2025 and r["order"] == 0
    ]
    assert tg_2025_aman[0]["households"] == 900.0  # the plan scenario, not BAU (606)
    assert spec["encoding"]["color"]["scale"]["domain"][0] == "Aman"
    assert spec["encoding"]["x"]["stack"] == "normalize"


def test_funding_chart_sources_and_scale(result: PlanResult) -> None:
    spec = charts.funding_chart(result, "id")
    assert spec is not None
    domain = spec["encoding"]["color"]["scale"]["domain"]
    assert domain == ["APBN", "DAK", "APBD Kab/Kota", "Masyarakat", "Belum ditetapkan"]
    assert spec["transform"][0] == {"calculate": "datum.cost_idr / 1000000000", "as": "cost"}
    assert spec["encoding"]["y"]["title"] == "Biaya (miliar Rp)"
    assert sum(r["cost_idr"] for r in _values(spec)) == pytest.approx(4_217_875_000.0)


def test_waste_chart_city_plan_rows(result: PlanResult) -> None:
    spec = charts.waste_chart(result, "id")
    assert spec is not None
    rows = _values(spec)
    assert {r["component"] for r in rows} == {"Pengurangan", "Penanganan", "Tidak terkelola"}
    red_2025 = [r["tpd"] for r in rows if r["year"] == 2025 and r["component"] == "Pengurangan"]
    assert red_2025 == [9.0]  # city row, plan scenario
    # Float noise (40.8 - 12.24 - 28.56) must not become a negative stacked area.
    assert all(r["tpd"] >= 0 for r in rows)


def test_missing_tables_give_none(result: PlanResult) -> None:
    empty = replace(result, tables={})
    assert charts.headline_chart(empty, "pct_layak") is None
    assert charts.ladder_chart(empty) is None
    assert charts.funding_chart(empty) is None
    assert charts.waste_chart(empty) is None
    assert charts.all_charts(empty) == {}


def test_embed_options_locale() -> None:
    opts = charts.embed_options("id")
    assert opts["formatLocale"]["decimal"] == "," and opts["formatLocale"]["thousands"] == "."
    assert opts["actions"]["editor"] is False  # the Vega editor link needs the internet
    assert charts.embed_options("en")["formatLocale"]["decimal"] == "."


def test_specs_golden(result: PlanResult) -> None:
    """The specs are the web app's contract too: changes show up in review."""
    golden_json("reports/charts_id.json", charts.all_charts(result, "id"))
