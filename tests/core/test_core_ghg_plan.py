"""The plan's GHG engine (``sanitasi.core.ghg_plan``) on small inputs worked by hand: the
population history, the landfill of a city's part and of the whole site, the TPA of each
city; and the invariants (hypothesis): diverting more of the city's waste never raises the
plan's landfill CH4, the other users' CH4 is the same in both scenarios."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hypothesis_profiles import examples
from sanitasi.core.ghg_plan import landfill_plan, population_history, tpa_of_cities

FAST = settings(
    max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def test_population_history_interpolates_and_extrapolates_geometrically() -> None:
    nan = np.nan
    # years 2000..2006; observed 2002: 100, 2004: 121, 2006: 133.1 (10 %/year, then 4.88 %)
    obs = np.array([[nan, nan, 100.0, nan, 121.0, nan, 133.1]])
    got = population_history(obs, np.array([0.5]))[0]
    # 2003 between 100 and 121: sqrt(100 x 121) = 110; 2005: sqrt(121 x 133.1) = 126.9...
    assert got[3] == pytest.approx(110.0)
    assert got[5] == pytest.approx(math.sqrt(121.0 * 133.1))
    # before 2002 at the rate of the first two observations (10 %/year): 100/1.1, 100/1.21
    assert got[1] == pytest.approx(100.0 / 1.1)
    assert got[0] == pytest.approx(100.0 / 1.21)
    # observed years kept
    assert (got[2], got[4], got[6]) == pytest.approx((100.0, 121.0, 133.1))
    # one observation: the fallback rate (2 %/year) backwards and forwards
    one = population_history(np.array([[nan, 50.0, nan]]), np.array([0.02]))[0]
    assert one == pytest.approx([50.0 / 1.02, 50.0, 50.0 * 1.02])
    with pytest.raises(ValueError):
        population_history(np.array([[nan, nan]]), np.array([0.0]))


def test_landfill_plan_by_hand() -> None:
    # One city, one stream: food DOC 0.15, DOCf 0.5, k = ln 2 (half-life 1 year), MCF 1,
    # F 0.5, OX 0, delay 6 months (decay starts the year after deposition).
    # Years 2020..2023, base 2022, opening 2021; population 90 (2021), 100 (2022);
    # landfilled 10 t/day in the base year (3,650 t), BAU 10 then 10, plan 10 then 6 t/day;
    # the other users 4 t/day at the reference.
    years = [2020, 2021, 2022, 2023]
    pop = np.array([[80.0, 90.0, 100.0, 110.0]])
    nan = np.nan
    lf = landfill_plan(
        years,
        2022,
        np.array([2021.0]),
        pop,
        np.full((1, 4), nan),
        {"bau": np.array([[0, 0, 10.0, 10.0]]), "plan": np.array([[0, 0, 10.0, 6.0]])},
        np.array([4.0]),
        np.array([1.0]),
        np.array([0.15]),
        np.array([0.5]),
        np.array([math.log(2)]),
        np.array([1.0]),
        np.array([0.0]),
        f=0.5,
        delay_months=6.0,
    )
    # city deposits: 2020 closed (0), 2021 back-cast 3,650 x 90/100 = 3,285, 2022 3,650
    assert lf.history_t[0] == pytest.approx(3285.0)
    assert lf.city_deposits["bau"][0] == pytest.approx([3650.0, 3650.0])
    assert lf.city_deposits["plan"][0] == pytest.approx([3650.0, 2190.0])  # 6 x 365
    # DDOCm per t deposited = 0.15 x 0.5 x 1 = 0.075 t C; CH4 per t C decomposed = 0.5 x 16/12
    per_t = 0.075 * 0.5 * 16 / 12
    # 2022: the 2021 deposit decays half in its first year: 3,285 x 0.5
    ch4_2022 = 3285 * 0.5 * per_t
    # 2023: 2021's second year (a quarter) + 2022's first (a half)
    ch4_2023 = (3285 * 0.25 + 3650 * 0.5) * per_t
    assert lf.city_ch4["bau"][0] == pytest.approx([ch4_2022, ch4_2023])
    # the 2023 deposits only decay from 2024: the plan's smaller 2023 deposit is not seen yet
    assert lf.city_ch4["plan"][0] == pytest.approx([ch4_2022, ch4_2023])
    # site: the other users 4 t/day = 1,460 t in 2022 and 2023, 1,460 x 0.9 = 1,314 in 2021
    others_2022 = 1314 * 0.5 * per_t
    others_2023 = (1314 * 0.25 + 1460 * 0.5) * per_t
    assert lf.site_deposits["plan"][0] == pytest.approx([3650 + 1460, 2190 + 1460])
    assert lf.site_ch4["bau"][0] == pytest.approx([ch4_2022 + others_2022, ch4_2023 + others_2023])
    assert lf.first_year == 2020


def test_tpa_of_cities_mixes_rows_and_falls_back_to_uncategorised() -> None:
    tpa = pd.DataFrame(
        {
            "id": ["A", "B", "C"],
            "kode": ["13.72.02", "13.72.01", "13.71"],
            "opening_year": [2005, 2012, pd.NA],
            "site_class": ["open_dump_deep", "sanitary_landfill", "uncategorised"],
            "class_given": [True, True, False],
            "mcf": [0.8, 1.0, 0.6],
            "ox": [0.0, 0.1, 0.0],
            "status": ["sourced", "illustrative", "derived"],
        }
    )
    got = tpa_of_cities(tpa, np.array(["13.71", "13.72", "13.73"]), (0.6, 0.0))
    # 13.72: two rows -> mean MCF (0.8 + 1.0)/2 = 0.9, OX 0.05, earliest opening 2005
    assert got.mcf == pytest.approx([0.6, 0.9, 0.6])
    assert got.ox == pytest.approx([0.0, 0.05, 0.0])
    assert got.opening_year[1] == 2005 and np.isnan(got.opening_year[0])
    assert list(got.n_rows) == [1, 2, 0] and list(got.has_tpa) == [True, True, False]
    assert list(got.class_given) == [False, True, False]
    assert got.status == ("derived", "illustrative", "")


N_C, N_Y = 2, 10
tpd = arrays(np.float64, (N_C, N_Y), elements=st.floats(0, 200, allow_nan=False))
keep = arrays(np.float64, (N_C, N_Y), elements=st.floats(0, 1, allow_nan=False))
fracs = arrays(np.float64, (3,), elements=st.floats(0, 1, allow_nan=False))
ks = arrays(np.float64, (3,), elements=st.floats(0.01, 1, allow_nan=False))


@FAST
@given(tpd, keep, keep, fracs, fracs, ks, st.floats(0, 1), st.floats(0, 50))
def test_more_pengurangan_never_more_landfill_ch4_under_the_plan(  # type: ignore[no-untyped-def]
    bau, keep1, keep2, shares, doc, k, mcf, others
) -> None:
    # The plan deposits what BAU deposits minus what pengurangan takes away: plan1 keeps
    # keep1 of it, plan2 (more pengurangan) keeps keep1 x keep2 <= plan1, every year.
    plan1 = bau * keep1
    plan2 = plan1 * keep2
    years = list(range(2020, 2020 + N_Y))
    pop = np.full((N_C, N_Y), 1000.0)
    common = dict(
        years=years,
        base_year=2024,
        opening_year=np.array([2020.0, np.nan]),
        population=pop,
        observed_t=np.full((N_C, N_Y), np.nan),
        others_tpd=np.array([others, 0.0]),
        shares=shares,
        doc=doc,
        docf=np.full(3, 0.5),
        k=k,
        mcf=np.array([mcf, 0.6]),
        ox=np.array([0.0, 0.1]),
        f=0.5,
        delay_months=6.0,
    )
    one = landfill_plan(landfilled_tpd={"bau": bau, "plan": plan1}, **common)  # type: ignore[arg-type]
    two = landfill_plan(landfilled_tpd={"bau": bau, "plan": plan2}, **common)  # type: ignore[arg-type]
    tol = 1e-9 * (1 + one.city_ch4["plan"])
    assert (two.city_ch4["plan"] <= one.city_ch4["plan"] + tol).all()
    assert (one.city_ch4["plan"] <= one.city_ch4["bau"] + 1e-9 * (1 + one.city_ch4["bau"])).all()
    # the plan changes only the city's part: the other users' CH4 is the same in both
    np.testing.assert_allclose(
        two.site_ch4["plan"] - two.city_ch4["plan"],
        one.site_ch4["bau"] - one.city_ch4["bau"],
        rtol=1e-9,
        atol=1e-9,
    )
