"""End-to-end planning rules on the demo and its variants (docs/METHOD.md §4, §7, §8):
a base year of 2025 with held national targets, the no-target warning, the cliff warning,
generation-rate classes, and a shared TPA funded by its owner with a tipping fee."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from sanitasi.core.model import PlanInputs, PlanOptions, PlanResult
from sanitasi.core.results import run_plan
from sanitasi.messages import render as render_warning


def _rebased(inputs: PlanInputs, year: int) -> PlanInputs:
    """The demo's 2024 observations moved to ``year`` (an SSK updated today), without the
    city's LOCAL sasaran."""
    obs = inputs.observations
    moved = obs[obs["year"] == 2024].assign(year=year)
    t = inputs.targets
    return replace(
        inputs,
        observations=pd.concat([obs[obs["year"] != 2024], moved], ignore_index=True),
        targets=t[t["target_set"] != "LOCAL"].reset_index(drop=True),
    )


@pytest.fixture(scope="module")
def base2025(demo: tuple[PlanInputs, PlanOptions]) -> PlanResult:
    inputs, options = demo
    return run_plan(_rebased(inputs, 2025), replace(options, base_year=2025, horizon=2035))


def test_base_year_2025_keeps_jakstranas_in_force(base2025: PlanResult) -> None:
    tr = base2025["trajectory"].set_index(["indicator", "year"])
    # Jakstranas 2025 (30 % pengurangan) lies in the base year and nothing replaces it: it is
    # caught up linearly by the end of the SSK period (2030) and held: 2030 = 30 %,
    # 2027 = 11.5074 + (30 - 11.5074) x 2/5
    base = 100 * 6.13 / 53.27
    assert tr.loc[("pct_waste_pengurangan", 2030), "value_pct"] == pytest.approx(30.0)
    assert tr.loc[("pct_waste_pengurangan", 2027), "value_pct"] == pytest.approx(
        base + (30 - base) * 2 / 5
    )
    assert tr.loc[("pct_waste_pengurangan", 2035), "value_pct"] == pytest.approx(30.0)
    assert tr.loc[("pct_waste_pengurangan", 2027), "binding_set"] == "JAKSTRANAS_2025"
    assert tr.loc[("pct_waste_pengurangan", 2027), "held"] == "ya"
    # ... so the waste needs are not zero: TPS3R units and added pengurangan by 2030
    nw = base2025["needs_waste"].set_index("year")
    assert nw.loc[2030, "required_pengurangan_tpd"] == pytest.approx(
        0.30 * nw.loc[2030, "generated_tpd"]
    )
    assert nw.loc[2030, "tps3r_units_total"] > 0
    # penanganan holds its 70.51 % base (Jakstranas's 70 % is met) until pengurangan leaves
    # less than that: capped at 100 - 30 = 70 % in 2030; managed = the sum of both paths
    pa = tr.loc[("pct_waste_penanganan", 2030), "value_pct"]
    assert pa == pytest.approx(70.0)
    assert tr.loc[("pct_waste_penanganan", 2026), "value_pct"] == pytest.approx(100 * 37.56 / 53.27)
    assert tr.loc[("pct_waste_managed", 2030), "value_pct"] == pytest.approx(100.0)
    # RPJMN 2020-2024 layak 90 % (2024) is replaced within the period by SDG 2030's 100 %
    assert tr.loc[("pct_layak", 2030), "value_pct"] == pytest.approx(100.0)
    assert tr.loc[("pct_layak", 2027), "binding_set"] == "SDG_2030"
    assert not any(w.code == "SAN-W007" for w in base2025.warnings)


def test_no_target_at_all_is_a_warning_not_silence(demo: tuple[PlanInputs, PlanOptions]) -> None:
    inputs, options = demo
    res = run_plan(inputs, replace(options, target_sets=("VISI_2045",), horizon=2030))
    w7 = [w for w in res.warnings if w.code == "SAN-W007"]
    named = sorted(str(w.values["indicator"]) for w in w7)
    # VISI 2045 has only pct_aman: layak, pengurangan and penanganan have no target at all
    assert named == ["pct_layak", "pct_waste_penanganan", "pct_waste_pengurangan"]
    assert all(w.kode == "13.72" for w in w7)


def test_demo_cliff_and_local_below_national(demo_result: PlanResult) -> None:
    w = demo_result.warnings
    cliffs = [(x.year, render_warning(x, "en")) for x in w if x.code == "SAN-W008"]
    # LOCAL layak 90 % in 2029 (mean +1.74 points a year over 2025-2029), then SDG 2030 100 %:
    # +10 points in 2030, more than 3 x the mean
    assert [y for y, _ in cliffs] == [2030]
    assert "binding: SDG 2030." in cliffs[0][1] and "up 10.0 points" in cliffs[0][1]
    below = sorted(
        (x.year, render_warning(x, "en").split(" in ")[0]) for x in w if x.code == "SAN-W009"
    )
    # LOCAL aman 22 % < RPJMN 2025-2029 30 % (2029); LOCAL pengurangan 14 % < Jakstranas 30 %
    assert [y for y, _ in below] == [2025, 2029]


def test_generation_rate_classes_are_ordered(demo: tuple[PlanInputs, PlanOptions]) -> None:
    P = demo[0].parameters
    kecil = P.num("waste_generation_kg_per_person_day_kota_kecil")
    sedang = P.num("waste_generation_kg_per_person_day_kota_sedang")
    besar = P.num("waste_generation_kg_per_person_day_kota_besar")
    assert kecil <= sedang <= besar
    # the kabupaten rate has its own source (What a Waste 2.0, national)
    kab = P["waste_generation_kg_per_person_day_default"]
    assert "kabupaten" in kab.applies_to and "What a Waste" in kab.source


def test_unmeasured_kota_besar_takes_the_kota_besar_rate(
    demo: tuple[PlanInputs, PlanOptions],
) -> None:
    inputs, options = demo
    obs = inputs.observations
    # Kota Solok at 600,000 people (a kota besar) without a measured waste generation
    big = obs.assign(
        value=np.where(
            obs["indicator"].isin(["population", "households"]), obs["value"] * 8, obs["value"]
        )
    )
    big = big[big["indicator"] != "waste_generated_tpd"]
    res = run_plan(replace(inputs, observations=big), replace(options, horizon=2026))
    a = res.arrays
    assert not a.notes["rate_measured"].any()
    np.testing.assert_allclose(a.notes["rate_kg"], 0.8)


def test_shared_tpa_cells_funded_by_the_owner_and_tipping_fee(demo_result: PlanResult) -> None:
    c = demo_result["costs"]
    f = demo_result["funding"]
    # TPA Regional Solok belongs to the province: the city's share of the new cells is
    # costed as landfill_volume_regional, funded 50/50 by APBD Provinsi and APBN (its owner's
    # sources), never by the city; the city pays a tipping fee per tonne landfilled
    reg = c[(c["need"] == "landfill_volume_regional") & (c["year"] == 2026)].iloc[0]
    assert reg["quantity"] > 0
    assert c[c["need"] == "landfill_volume"]["quantity"].sum() == 0
    fee = c[(c["need"] == "tpa_tipping_fee") & (c["year"] == 2026)].iloc[0]
    nw = demo_result["needs_waste"].set_index("year")
    assert fee["quantity"] == pytest.approx(365 * nw.loc[2026, "landfilled_tpd"])
    assert fee["unit_cost_idr"] == pytest.approx(20_000 * 1.03 ** (2026 - 2017))
    # persampahan 2026 by source: APBD Provinsi = half the cell + the regional O&M
    om = c[
        (c["need"] == "operation_maintenance") & (c["item"] == "om_regional") & (c["year"] == 2026)
    ]
    prov = f[(f["year"] == 2026) & (f["sector"] == "persampahan") & (f["source"] == "APBD_PROV")]
    assert prov["cost_idr"].sum() == pytest.approx(0.5 * reg["cost_idr"] + om["cost_idr"].sum())


def test_community_assets_om_paid_by_the_community(demo_result: PlanResult) -> None:
    c = demo_result["costs"]
    om = c[(c["need"] == "operation_maintenance") & (c["year"] == 2029)]
    # SPALD-T komunal (connections and zone plants) and TPS3R / bank sampah of a KSM:
    # om_community; collection trucks: om_general (the city)
    assert set(om["item"]) == {"om_community", "om_general", "om_regional"}
    comm = om[om["item"] == "om_community"]
    assert set(comm["sector"]) == {"ald", "persampahan"}
    # O&M = om_share_of_capex_per_year (0.05) x the capital stock in rupiah of the year
    np.testing.assert_allclose(comm["cost_idr"], 0.05 * comm["quantity"])
    f = demo_result["funding"]
    mas = f[(f["year"] == 2029) & (f["source"] == "MASYARAKAT")]["cost_idr"].sum()
    assert mas >= comm["cost_idr"].sum()  # MASYARAKAT carries (at least) the community O&M
    assert f["cost_idr"].sum() == pytest.approx(c["cost_idr"].sum(), rel=1e-9)
