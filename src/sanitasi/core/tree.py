"""Region tree indexing and roll-ups (vectorised).

Kemendagri codes are hierarchical: ``PP`` (provinsi), ``PP.KK`` (kab/kota), ``PP.KK.CC``
(kecamatan), ``PP.KK.CC.DDDD`` (desa/kelurahan); the parent of a code is the code without
its last dotted part. The engine works on *leaf* areas (desa/kelurahan) sorted by code, so
every ancestor's leaves are contiguous and a roll-up is one ``np.add.reduceat``.

Aggregation rule (docs/METHOD.md §1): counts (households, t/day, m3, rupiah) are summed;
percentages are recomputed as ratios of the summed numerator and denominator, never averaged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Code length of each level (dotted Kemendagri format).
LEVEL_PREFIX: dict[str, int] = {"provinsi": 2, "kabkota": 5, "kecamatan": 8}
NATIONAL_KODE = "0"


def sum_rows(arr: np.ndarray, starts: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``np.add.reduceat(arr, starts, axis=0, out=out)``, the same numbers bit for bit, faster
    for a C-ordered (n x T) float table: summed along the rows of its transpose (numpy adds
    each group of each column with the same pairwise loop whatever the stride, so only the
    memory order changes; the leaves of a group are then adjacent in memory)."""
    if arr.ndim != 2 or arr.shape[1] < 2 or arr.dtype != np.float64 or not len(starts):
        return np.add.reduceat(arr, starts, axis=0, out=out)
    summed = np.add.reduceat(np.ascontiguousarray(arr.T), starts, axis=1)
    if out is None:
        return np.ascontiguousarray(summed.T)
    out[...] = summed.T
    return out


@dataclass(frozen=True)
class Level:
    """One aggregation level: the group codes and where their leaves start."""

    name: str
    codes: np.ndarray  # (g,) str
    starts: np.ndarray  # (g,) int, index of each group's first leaf
    inverse: np.ndarray  # (n,) int, group of each leaf

    def sum(self, arr: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Sum leaf rows of ``arr`` (n x ...) into group rows (g x ...), into ``out`` if given."""
        if len(self.starts) == 0:
            return np.zeros((0,) + arr.shape[1:], dtype=float)
        return sum_rows(arr, self.starts, out)


@dataclass(frozen=True)
class Tree:
    """Leaves sorted by code plus their ancestors at every level."""

    leaf_kode: np.ndarray  # (n,) str, sorted
    levels: dict[str, Level]  # provinsi, kabkota, kecamatan, nasional

    @property
    def n(self) -> int:
        return len(self.leaf_kode)

    def city(self) -> Level:
        return self.levels["kabkota"]


def _level(name: str, group_of_leaf: np.ndarray) -> Level:
    """The groups of sorted ``group_of_leaf`` (leaves are sorted and codes are prefixes, so
    each group is one run): the same codes, starts and inverse as ``np.unique``, found by
    comparing neighbours instead of sorting again."""
    new = np.ones(len(group_of_leaf), dtype=bool)
    new[1:] = group_of_leaf[1:] != group_of_leaf[:-1]
    starts = np.flatnonzero(new).astype(np.intp)
    inverse = np.cumsum(new, dtype=np.intp) - 1
    return Level(name=name, codes=group_of_leaf[starts], starts=starts, inverse=inverse)


def build_tree(leaf_kode: np.ndarray) -> Tree:
    """Index sorted leaf codes at kecamatan, kab/kota, province and national level."""
    kode = np.asarray(leaf_kode, dtype=str)
    if len(kode) > 1 and not bool(np.all(kode[:-1] < kode[1:])):
        raise ValueError("leaf codes must be unique and sorted")
    # A prefix of each code: numpy truncates fixed-width strings to the new width.
    levels = {lvl: _level(lvl, kode.astype(f"<U{width}")) for lvl, width in LEVEL_PREFIX.items()}
    levels["nasional"] = _level("nasional", np.full(len(kode), NATIONAL_KODE))
    return Tree(leaf_kode=kode, levels=levels)


def city_of(kode: pd.Series) -> pd.Series:
    """Kab/kota code of each code (itself for a kab/kota)."""
    return kode.astype(str).str.slice(0, LEVEL_PREFIX["kabkota"])


def is_kota(city_kode: np.ndarray) -> np.ndarray:
    """True for a *kota* (Kemendagri kab/kota number 71-99), False for a *kabupaten*."""
    num = pd.Series(np.asarray(city_kode, dtype=str)).str.slice(3, 5)
    return (pd.to_numeric(num, errors="coerce").fillna(0).to_numpy() >= 71).astype(bool)


def ratio_pct(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """100 * num / den, NaN where den is 0 or NaN (percent 0-100)."""
    num, den = np.broadcast_arrays(np.asarray(num, dtype=float), np.asarray(den, dtype=float))
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    out *= 100.0
    return out


def chain_starts(child_codes: np.ndarray, width: int) -> np.ndarray:
    """Start index of each parent group in sorted ``child_codes`` (parent = first ``width``
    characters), for summing one level into the next with ``np.add.reduceat``."""
    parent = pd.Series(np.asarray(child_codes, dtype=str)).str.slice(0, width).to_numpy(dtype=str)
    _, starts = np.unique(parent, return_index=True)
    return np.sort(starts).astype(np.intp)


@dataclass(frozen=True)
class Chain:
    """The rows of a roll-up table: the leaves, then each level up to the top of the run
    (kecamatan, kab/kota, and province and nation when the run holds several cities).

    ``starts[i]`` are the ``np.add.reduceat`` starts of level ``i`` in the rows of level
    ``i - 1`` (``None`` for the leaves): each level is summed from the one below."""

    names: tuple[str, ...]
    codes: tuple[np.ndarray, ...]
    starts: tuple[np.ndarray | None, ...]

    @property
    def rows(self) -> int:
        return sum(len(c) for c in self.codes)

    def fill(self, block: np.ndarray) -> None:
        """Sum the leaf rows at the top of ``block`` (rows x ...) into the rows of every
        level above them, in place."""
        off, prev = len(self.codes[0]), block[: len(self.codes[0])]
        for codes, starts in zip(self.codes[1:], self.starts[1:], strict=True):
            out = block[off : off + len(codes)]
            assert starts is not None  # only the leaves have none
            sum_rows(prev, starts, out)
            prev, off = out, off + len(codes)


def chain(tree: Tree, national: bool) -> Chain:
    """The roll-up rows of ``tree``: up to kab/kota, or (``national``) to province and
    nation."""
    kec, city = tree.levels["kecamatan"].codes, tree.levels["kabkota"].codes
    names = ["leaf", "kecamatan", "kabkota"]
    codes: list[np.ndarray] = [tree.leaf_kode, kec, city]
    starts: list[np.ndarray | None] = [
        None,
        tree.levels["kecamatan"].starts,
        chain_starts(kec, LEVEL_PREFIX["kabkota"]),
    ]
    if national:
        prov = tree.levels["provinsi"].codes
        names += ["provinsi", "nasional"]
        codes += [prov, np.array([NATIONAL_KODE])]
        starts += [chain_starts(city, LEVEL_PREFIX["provinsi"]), np.array([0], dtype=np.intp)]
    return Chain(tuple(names), tuple(codes), tuple(starts))
