"""Invariants of the GHG engine (hypothesis): emissions are never negative, carbon is
conserved, diverting waste from the TPA never raises landfill CH4, zero DOC emits nothing,
and wastewater emissions are never negative."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hypothesis_profiles import examples
from sanitasi.core.ghg import ch4_emitted, fod, landfill_scenarios
from sanitasi.core.ghg_wastewater import Pathway, WastewaterFactors, wastewater_emissions

FAST = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

N_S, N_Y = 3, 12
tonnes = arrays(np.float64, (N_S, N_Y), elements=st.floats(0, 1e5, allow_nan=False))
fractions = arrays(np.float64, (N_S,), elements=st.floats(0, 1, allow_nan=False))
rates = arrays(np.float64, (N_S,), elements=st.floats(0, 2, allow_nan=False))
mcfs = arrays(np.float64, (N_S, N_Y), elements=st.floats(0, 1, allow_nan=False))
delays = st.floats(0, 6, allow_nan=False)
shares01 = arrays(np.float64, (N_S, N_Y), elements=st.floats(0, 1, allow_nan=False))


@FAST
@given(tonnes, fractions, fractions, mcfs, rates, delays, st.floats(0, 1), st.floats(0, 1))
def test_emissions_are_never_negative(w, doc, docf, mcf, k, delay, f, ox) -> None:  # type: ignore[no-untyped-def]
    res = fod(w, doc, docf, mcf, k, f=f, delay_months=delay)
    assert (res.ch4_generated >= 0).all()
    assert (res.ddocm_accumulated >= -1e-9).all()
    total = res.ch4_generated.sum(axis=0)
    assert (ch4_emitted(total, 0.5 * total, ox) >= 0).all()


@FAST
@given(tonnes, fractions, fractions, mcfs, rates, delays)
def test_carbon_is_conserved(w, doc, docf, mcf, k, delay) -> None:  # type: ignore[no-untyped-def]
    # everything deposited so far is either still in the site or has decomposed
    res = fod(w, doc, docf, mcf, k, delay_months=delay)
    deposited = np.cumsum(res.ddocm_deposited, axis=-1)
    decomposed = np.cumsum(res.ddocm_decomposed, axis=-1)
    np.testing.assert_allclose(decomposed + res.ddocm_accumulated, deposited, rtol=1e-9, atol=1e-6)


@FAST
@given(tonnes, shares01, fractions, fractions, mcfs, rates, delays)
def test_diverting_waste_never_raises_landfill_ch4(w, kept, doc, docf, mcf, k, delay) -> None:  # type: ignore[no-untyped-def]
    diverted = w * kept  # the plan takes part of every deposit away (TPS3R, bank sampah ...)
    bau = fod(w, doc, docf, mcf, k, delay_months=delay).ch4_generated
    plan = fod(diverted, doc, docf, mcf, k, delay_months=delay).ch4_generated
    assert (plan <= bau + 1e-9 * (1 + bau)).all()


@FAST
@given(
    arrays(np.float64, (2, N_Y), elements=st.floats(0, 1e5, allow_nan=False)),
    arrays(np.float64, (2, N_Y), elements=st.floats(0, 1, allow_nan=False)),
    st.floats(0, 1),
)
def test_landfill_avoided_emissions_are_not_negative_when_the_plan_diverts(dep, kept, ox) -> None:  # type: ignore[no-untyped-def]
    shares = np.array([0.435, 0.129, 0.099, 0.337])  # food, paper, wood, inert
    sc = landfill_scenarios(
        dep,
        dep * kept,
        shares,
        [0.15, 0.4, 0.43, 0.0],
        [0.5, 0.5, 0.5, 0.0],
        [0.4, 0.07, 0.035, 0.0],
        np.array([0.8, 1.0]),
        ox=np.array([ox, 0.0]),
    )
    assert (sc.avoided >= -1e-9 * (1 + sc.bau.emitted)).all()
    assert (sc.plan.emitted >= 0).all()


@FAST
@given(tonnes, fractions, mcfs, rates, delays)
def test_zero_doc_gives_zero(w, docf, mcf, k, delay) -> None:  # type: ignore[no-untyped-def]
    res = fod(w, np.zeros(N_S), docf, mcf, k, delay_months=delay)
    assert not res.ch4_generated.any()
    assert not res.ddocm_decomposed.any()


FACTORS = WastewaterFactors(
    bod_g_per_person_day=40,
    bo_kg_ch4_per_kg_bod=0.6,
    septic_sludge_bod_share=0.5,
    protein_g_per_person_day=61.7,
    f_npr=0.16,
    n_hh=1.13,
    f_non_con=1.02,
    discharge_mcf=0.11,
    discharge_ef_n2o=0.005,
    pathways={
        "septic": Pathway(mcf=0.5, ef_n2o=0.0045),
        "latrine": Pathway(mcf=0.7),
        "direct_discharge": Pathway(mcf=0.0, effluent_to_water=True),
        "open_defecation": Pathway(mcf=0.0),
        "spald_t": Pathway(mcf=0.03, tow_rem=0.84, n_rem=0.4, ef_n2o=0.016, effluent_to_water=True),
        "iplt": Pathway(mcf=0.8),
    },
)
hh = arrays(np.float64, (2, 4), elements=st.floats(0, 1e4, allow_nan=False))


@FAST
@given(hh, hh, hh, hh, hh, hh, shares01.map(lambda a: a[:2, :4]), hh)
def test_wastewater_emissions_are_never_negative(
    a, ls, lb, bl, bt, bo, spald_share, emptied
) -> None:  # type: ignore[no-untyped-def]
    res = wastewater_emissions(
        {
            "aman": a,
            "layak_sendiri": ls,
            "layak_bersama": lb,
            "belum_layak": bl,
            "babs_tertutup": bt,
            "babs_terbuka": bo,
        },
        a * spald_share,
        3.9,
        FACTORS,
        emptied_hh=emptied,
    )
    assert (res.ch4_total >= 0).all() and (res.n2o_total >= 0).all()
    assert (res.sludge_bod_t >= 0).all()
