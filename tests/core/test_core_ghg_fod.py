"""The first-order-decay calculator (``sanitasi.core.ghg.fod``, docs/METHOD.md §12.1).

**Reference spreadsheet.** The pre-filled example of the IPCC 2006 Waste Model
(``IPCC_Waste_Model.xls``) could not be obtained here (no copy in a reachable package or
repository). The only spreadsheet output available is the *Food* sheet of the IPCC 2019
Refinement Waste Model (``19R_V5_Waste_Model.xls``), rows 1950-1959 (cells A18:I27, the
parameters in H5:H12), as extracted by the ``bonsai_ipcc`` project into its test file
``tests/data/test_waste_CH4_food_waste.xlsx`` (bonsai_ipcc 0.5.3 sdist on PyPI). Its values
are copied below to full precision; ours must match them to 4 decimals. It is one stream and
has no recovery, so the multi-stream, delay, recovery and oxidation cases are checked against
the published equations by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sanitasi.core.ghg import (
    CH4_PER_C,
    TOTAL,
    ch4_emitted,
    decay_factors,
    fod,
    fod_table,
)

# IPCC 2019 Waste Model, sheet "Food": H5 DOC 0.15, H6 DOCf 0.7 (the 2019 Refinement's DOCf
# for food), H7 k 0.185, H10 M 13 (delay 6 months), H11 exp2 1, H12 F 0.5; column B W =
# 2300.322 Gg and column C MCF = 0.705 in every year 1950-1959.
SHEET_D = [170.28133604999996] * 10  # D18:D27, DDOCm deposited
SHEET_G = [  # G18:G27, DDOCm accumulated in SWDS end of year
    170.28133604999996,
    311.80288390121837,
    429.4220485777495,
    527.1758402035232,
    608.4194351864917,
    675.9413350123839,
    732.059075211517,
    778.6987694911171,
    817.4612192044463,
    849.6768572137968,
]
SHEET_H = [  # H18:H27, DDOCm decomposed
    0.0,
    28.7597881987816,
    52.6621713734688,
    72.52754442422629,
    89.03774106703142,
    102.75943622410773,
    114.16359585086683,
    123.64164177039977,
    131.51888633667076,
    138.06569804064944,
]
SHEET_I = [  # I18:I27, CH4 generated
    0.0,
    19.173192132521066,
    35.1081142489792,
    48.35169628281753,
    59.35849404468761,
    68.50629081607181,
    76.10906390057788,
    82.42776118026651,
    87.6792575577805,
    92.04379869376629,
]


def test_reproduces_the_ipcc_2019_waste_model_food_sheet_to_4_decimals() -> None:
    res = fod(np.full(10, 2300.322), 0.15, 0.7, 0.705, 0.185, f=0.5, delay_months=6)
    np.testing.assert_allclose(res.ddocm_deposited, SHEET_D, rtol=0, atol=5e-5)
    np.testing.assert_allclose(res.ddocm_accumulated, SHEET_G, rtol=0, atol=5e-5)
    np.testing.assert_allclose(res.ddocm_decomposed, SHEET_H, rtol=0, atol=5e-5)
    np.testing.assert_allclose(res.ch4_generated, SHEET_I, rtol=0, atol=5e-5)
    # D = 2300.322 x 0.15 x 0.7 x 0.705 = 170.28133605 (the sheet's formula D = W*DOC*DOCf*MCF)
    assert res.ddocm_deposited[0] == pytest.approx(2300.322 * 0.15 * 0.7 * 0.705, abs=1e-9)


def test_waste_model_parameters_m_and_exp() -> None:
    # Sheet: H9 exp1 = exp(-0.185) = 0.8311042838521256; M = 6 + 7 = 13 -> exp2 = exp(0) = 1.
    exp1, exp2 = decay_factors(0.185, 6)
    assert float(exp1) == pytest.approx(0.8311042838521256, abs=1e-15)
    assert float(exp2) == 1.0
    # Delay 0 months: M = 7, exp2 = exp(-k (13 - 7) / 12) = exp(-k / 2).
    assert float(decay_factors(0.4, 0)[1]) == pytest.approx(math.exp(-0.2))


# Two streams, delay 0 months (M = 7), chosen so that the factors are exact:
#   A: k = 2 ln 2 -> exp1 = e^-k = 1/4, exp2 = e^-k/2 = 1/2
#   B: k = 4 ln 2 -> exp1 = 1/16,       exp2 = 1/4
A_W, A_DOC, A_DOCF, A_MCF = [100.0, 0.0, 200.0], 0.2, 0.5, 1.0  # D_A = W x 0.1 = [10, 0, 20]
B_W, B_DOC, B_DOCF, B_MCF = [0.0, 80.0, 0.0], 0.5, 0.5, 0.5  # D_B = W x 0.125 = [0, 10, 0]
K = [2 * math.log(2), 4 * math.log(2)]


def two_streams(delay: float = 0.0):  # type: ignore[no-untyped-def]
    return fod(
        np.array([A_W, B_W]),
        [A_DOC, B_DOC],
        [A_DOCF, B_DOCF],
        np.array([[A_MCF], [B_MCF]]),
        K,
        f=0.5,
        delay_months=delay,
    )


def test_two_streams_with_a_delay_by_hand() -> None:
    res = two_streams(delay=0.0)
    # A, year 1: B = 10 x 1/2 = 5 not reacted, C = 5 decomposed; H = 5, E = 5
    #    year 2: E = 0 + 5 x (1 - 1/4) = 3.75; H = 5 x 1/4 = 1.25
    #    year 3: D = 20: B = C = 10; E = 10 + 1.25 x 3/4 = 10.9375; H = 10 + 1.25/4 = 10.3125
    np.testing.assert_allclose(res.ddocm_decomposed[0], [5.0, 3.75, 10.9375])
    np.testing.assert_allclose(res.ddocm_accumulated[0], [5.0, 1.25, 10.3125])
    # B, year 2: D = 10: B = 10 x 1/4 = 2.5, C = 7.5; E = 7.5, H = 2.5
    #    year 3: E = 2.5 x (1 - 1/16) = 2.34375; H = 2.5/16 = 0.15625
    np.testing.assert_allclose(res.ddocm_decomposed[1], [0.0, 7.5, 2.34375])
    np.testing.assert_allclose(res.ddocm_accumulated[1], [0.0, 2.5, 0.15625])
    # CH4 = E x F x 16/12 = E x 2/3
    np.testing.assert_allclose(res.ch4_generated[0], [10 / 3, 2.5, 7.291666666666667])
    np.testing.assert_allclose(res.ch4_generated[1], [0.0, 5.0, 1.5625])


def test_default_delay_starts_decay_the_year_after_deposition() -> None:
    res = two_streams(delay=6.0)
    # exp2 = 1: nothing decomposes in the deposition year.
    # A: year 1 E = 0, H = 10; year 2 E = 10 x 3/4 = 7.5, H = 2.5;
    #    year 3 E = 2.5 x 3/4 = 1.875, H = 20 + 2.5/4 = 20.625
    np.testing.assert_allclose(res.ddocm_decomposed[0], [0.0, 7.5, 1.875])
    np.testing.assert_allclose(res.ddocm_accumulated[0], [10.0, 2.5, 20.625])
    # B: year 2 E = 0, H = 10; year 3 E = 10 x 15/16 = 9.375
    np.testing.assert_allclose(res.ddocm_decomposed[1], [0.0, 0.0, 9.375])


def test_totals_with_recovery_and_oxidation_by_hand() -> None:
    res = two_streams(delay=0.0)
    # total generated = A + B = [10/3, 7.5, 7.2916667 + 1.5625 = 8.8541667]
    # emitted = (generated - recovered) x (1 - OX), R = [0, 1.5, 2], OX = 0.1:
    #   [3.3333 x 0.9 = 3.0, 6.0 x 0.9 = 5.4, 6.8541667 x 0.9 = 6.16875]
    table = fod_table([2020, 2021, 2022], ["A", "B"], res, [0.0, 1.5, 2.0], 0.1)
    total = table[table["stream"] == TOTAL].set_index("year")
    np.testing.assert_allclose(total["ch4_generated_t"], [10 / 3, 7.5, 8.854166666666666])
    np.testing.assert_allclose(total["ch4_recovered_t"], [0.0, 1.5, 2.0])
    np.testing.assert_allclose(total["ch4_emitted_t"], [3.0, 5.4, 6.16875])
    np.testing.assert_allclose(total["ddocm_decomposed_t"], [5.0, 11.25, 13.28125])
    # stream rows: recovery is a site quantity (empty), emitted before recovery = Q x 0.9
    a = table[table["stream"] == "A"].set_index("year")
    assert a["ch4_recovered_t"].isna().all()
    np.testing.assert_allclose(a["ch4_emitted_t"], [3.0, 2.25, 6.5625])
    assert list(table["stream"][:3]) == ["A", "B", TOTAL]
    assert list(table.columns) == [
        "year",
        "stream",
        "ddocm_decomposed_t",
        "ch4_generated_t",
        "ch4_recovered_t",
        "ch4_emitted_t",
    ]


def test_mcf_per_row_allows_a_weighted_mix_of_sites() -> None:
    # Year 1 waste to a site with MCF 1.0, year 2 to a mix of 0.4 (half) and 0.8 (half) = 0.6
    res = fod(np.array([10.0, 10.0]), 0.5, 0.5, np.array([1.0, 0.6]), 1.0)
    np.testing.assert_allclose(res.ddocm_deposited, [2.5, 1.5])  # 10 x 0.25 x MCF


def test_zero_doc_stream_emits_nothing_and_k_zero_never_decays() -> None:
    res = fod(np.array([[50.0, 50.0], [50.0, 50.0]]), [0.0, 0.4], [0.5, 0.5], 1.0, [0.4, 0.0])
    assert not res.ch4_generated.any()
    np.testing.assert_allclose(res.ddocm_accumulated[1], [10.0, 20.0])  # stored, not decayed


def test_bad_arguments_raise() -> None:
    with pytest.raises(ValueError, match="delay_months"):
        fod(np.ones(3), 0.1, 0.5, 1.0, 0.1, delay_months=7)
    with pytest.raises(ValueError, match="mcf"):
        fod(np.ones(3), 0.1, 0.5, 1.2, 0.1)
    with pytest.raises(ValueError, match="tonnes"):
        fod(np.array([1.0, -1.0]), 0.1, 0.5, 1.0, 0.1)
    with pytest.raises(ValueError, match="recovered"):
        ch4_emitted([1.0], [2.0])


def test_ch4_per_carbon_is_16_over_12() -> None:
    assert CH4_PER_C == pytest.approx(4 / 3)


def test_inputs_are_not_mutated() -> None:
    w = np.array([[1.0, 2.0, 3.0]])
    mcf = np.array([[1.0, 0.5, 0.8]])
    fod(w, [0.2], [0.5], mcf, [0.3])
    np.testing.assert_array_equal(w, [[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(mcf, [[1.0, 0.5, 0.8]])
