"""Region tree indexing and roll-ups (``sanitasi.core.tree``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sanitasi.core import tree

LEAVES = np.array(
    ["13.71.01.1001", "13.71.01.1002", "13.71.02.1001", "13.72.01.1001", "14.01.01.2001"]
)


def test_build_tree_levels_and_groups() -> None:
    t = tree.build_tree(LEAVES)
    assert t.n == 5
    kec = t.levels["kecamatan"]
    assert kec.codes.tolist() == ["13.71.01", "13.71.02", "13.72.01", "14.01.01"]
    assert kec.starts.tolist() == [0, 2, 3, 4]
    assert kec.inverse.tolist() == [0, 0, 1, 2, 3]
    assert t.city().codes.tolist() == ["13.71", "13.72", "14.01"]
    assert t.levels["provinsi"].codes.tolist() == ["13", "14"]
    assert t.levels["nasional"].codes.tolist() == [tree.NATIONAL_KODE]


def test_level_sum_hand_computed() -> None:
    t = tree.build_tree(LEAVES)
    arr = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0], [9.0, 10.0]])
    # kecamatan 13.71.01 = rows 0+1 = [1+3, 2+4] = [4, 6]; 13.71.02 = row 2; 13.72.01 = row 3 ...
    np.testing.assert_array_equal(t.levels["kecamatan"].sum(arr), [[4, 6], [5, 6], [7, 8], [9, 10]])
    # city 13.71 = rows 0..2 = [1+3+5, 2+4+6] = [9, 12]; 13.72 = [7, 8]; 14.01 = [9, 10]
    np.testing.assert_array_equal(t.city().sum(arr), [[9, 12], [7, 8], [9, 10]])
    # province 13 = [1+3+5+7, 2+4+6+8] = [16, 20]; 14 = [9, 10]
    np.testing.assert_array_equal(t.levels["provinsi"].sum(arr), [[16, 20], [9, 10]])
    # nation = [25, 30]
    np.testing.assert_array_equal(t.levels["nasional"].sum(arr), [[25, 30]])
    # 1-D arrays work too
    np.testing.assert_array_equal(t.city().sum(arr[:, 0]), [9, 7, 9])


@pytest.mark.parametrize(
    "leaves",
    [
        ["13.72.01.1002", "13.72.01.1001"],  # not sorted
        ["13.72.01.1001", "13.72.01.1001"],  # duplicate
    ],
)
def test_build_tree_rejects_unsorted_or_duplicate(leaves: list[str]) -> None:
    with pytest.raises(ValueError, match="sorted"):
        tree.build_tree(np.array(leaves))


def test_empty_tree_sums_to_empty() -> None:
    t = tree.build_tree(np.array([], dtype=str))
    assert t.n == 0
    assert t.city().sum(np.zeros((0, 3))).shape == (0, 3)


def test_city_of_is_kota_ratio_pct() -> None:
    assert tree.city_of(pd.Series(["13.72.01.1001", "13.72"])).tolist() == ["13.72", "13.72"]
    # kab/kota number >= 71 is a kota: 13.71 and 13.72 are kota, 13.01 a kabupaten
    assert tree.is_kota(np.array(["13.01", "13.71", "13.72"])).tolist() == [False, True, True]
    # 100 * 1 / 4 = 25 %; den 0 or NaN -> NaN (never a division warning)
    out = tree.ratio_pct(np.array([1.0, 1.0, 1.0]), np.array([4.0, 0.0, np.nan]))
    assert out[0] == pytest.approx(25.0)
    assert np.isnan(out[1]) and np.isnan(out[2])


@pytest.mark.parametrize("with_out", [False, True])
def test_sum_rows_is_reduceat_bit_for_bit(with_out: bool) -> None:
    """The transposed roll-up gives exactly ``np.add.reduceat(axis=0)``: groups longer than
    numpy's 8-wide pairwise blocks, NaNs, magnitudes that round differently by order."""
    rng = np.random.default_rng(7)
    sizes = rng.integers(1, 40, size=300)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)
    arr = rng.random((int(sizes.sum()), 21)) * 10.0 ** rng.integers(-3, 12, size=(1, 21))
    arr[rng.random(arr.shape) < 0.01] = np.nan
    expected = np.add.reduceat(arr, starts, axis=0)
    out = np.empty_like(expected) if with_out else None
    got = tree.sum_rows(arr, starts, out)
    assert got.flags.c_contiguous
    assert np.array_equal(got, expected, equal_nan=True)
    assert got.tobytes() == expected.tobytes()
    if out is not None:
        assert got is out
    # other shapes and dtypes go straight to reduceat
    ints = np.arange(40).reshape(20, 2)
    assert np.array_equal(tree.sum_rows(ints, np.array([0, 5])), np.add.reduceat(ints, [0, 5]))
    col = arr[:, 0].copy()
    assert np.array_equal(tree.sum_rows(col, starts), np.add.reduceat(col, starts), equal_nan=True)
