"""Household survey: classification on the sanitation ladder and weighted shares per area.

Pure and vectorised: every function works on whole columns (numpy/pandas), never on one
household at a time, so the same code serves an EHRA sample of a few thousand households and
a synthetic national file of ten million. Reading files and answer codebooks is the io layer's
job (:mod:`sanitasi.io.survey`); this module sees *normalised answers* only.

Normalised answers
------------------
Each answer is a small integer code into a vocabulary (``int8``), with two special codes:
:data:`MISSING` (``-1``: blank, not asked, or "don't know" mapped to missing) and
:data:`INVALID` (``-2``: a value outside the codebook).

==============  =================================================================
field           vocabulary (code = position)
==============  =================================================================
``toilet``      :data:`TOILET` = ``gooseneck`` (leher angsa), ``non_gooseneck``
                (plengsengan, cemplung/cubluk), ``public`` (the toilet used is a
                public facility), ``none`` (no toilet)
``use``         :data:`USE` = ``own`` (household only), ``shared`` (with specific
                other households), ``communal`` (MCK komunal), ``public`` (MCK umum,
                market, mosque, school: anyone may use it), ``none`` (defecates in the
                open, or has a toilet and does not use it)
``disposal``    :data:`DISPOSAL` = ``septic`` (tangki septik), ``sewer`` (IPAL /
                SPALD-T, incl. IPAL komunal), ``pit`` (cubluk / lubang tanah),
                ``open`` (straight to a river, lake, sea, pond, rice field, drain,
                garden or open ground), ``unknown`` (a valid "don't know")
``urban``       1 = urban (perkotaan), 0 = rural (perdesaan)
``years``       years since the septic tank was last emptied (float); ``inf`` = never;
                ``NaN`` = blank (treated as not emptied); :data:`INVALID` = invalid
==============  =================================================================

Ladder rules (:func:`classify_codes`)
-------------------------------------
Sources: NAWASIS definitions (https://www.nawasis.org/portal/database/home/definisi);
Bappenas/UNICEF "Sanitasi Aman" slides citing the Lampiran of Perpres 59/2017; BPS
*sanitasi layak* definition (Susenas KOR); see ``docs/METHOD.md`` §3 and §11.2 and
``reference/ladder.csv``. Each household takes the **lowest** rung whose condition it meets,
in this order:

0. ``unknown`` -- any answer is :data:`INVALID` (the household is excluded from shares and
   reported by the io layer).
1. ``babs_terbuka`` -- ``use = none`` (no toilet used, or a toilet that is not used), or
   ``toilet = none`` without using a public facility. [NAWASIS: "BABS di tempat terbuka"]
2. ``babs_tertutup`` -- a toilet is used but its final disposal is ``open`` (direct
   discharge to a river, pond, field, sea, drain ...), whatever the pan or the use.
   [NAWASIS: "BABS tertutup"]
3. ``belum_layak`` -- a public-facility toilet (``use = public`` or ``toilet = public``);
   a ``non_gooseneck`` pan; a gooseneck over a ``pit`` in an **urban** area; or a gooseneck
   whose final disposal is ``unknown`` (the rung is the option ``unknown_disposal``).
   [NAWASIS "belum layak" lists public facilities, non-gooseneck pans and urban pits;
   the unknown-disposal rule is this project's: BPS *layak* needs a known septic tank,
   IPAL or rural pit, and nothing shows direct discharge]
4. ``layak_bersama`` -- a gooseneck used with specific other households (``shared``) or a
   communal MCK (``communal``), to a ``septic`` tank, a ``sewer`` or, in a **rural** area
   only, a ``pit``. [NAWASIS "layak bersama"; BPS counts communal MCK as layak]
5. ``aman`` -- a gooseneck used by the household alone (``own``) to a ``sewer``, or to a
   ``septic`` tank emptied within ``aman_desludging_window_years`` (5): ``years <=
   window``, so exactly 5 years counts. [NAWASIS / keslingkit: emptied at least once in
   the last 5 years]
6. ``layak_sendiri`` -- own gooseneck to a septic tank not emptied within the window (never,
   longer ago, or blank), or, in a rural area, to a pit. [NAWASIS "layak sendiri"]

A household whose answers do not decide a rung (a blank ``use`` with a toilet, a blank
``disposal`` for a gooseneck, a blank ``urban`` flag for a pit) is ``unknown`` too.

Weighted shares (:func:`weighted_shares`, :func:`shares_from_sums`)
-------------------------------------------------------------------
For each area ``g`` and rung ``r``: ``p = sum(w | g, r) / sum(w | g)``, over the classified
households of ``g`` (``unknown`` excluded), reported as ``pct = 100 p``. The 95 % interval is
the **Wilson score interval** computed with **Kish's effective sample size**
``n_eff = (sum w)^2 / sum w^2`` (equal weights give ``n_eff = n`` and the textbook Wilson
interval). It accounts for unequal weights only, not for clustering (EHRA samples households
at random within each kelurahan, and the estimates here are per kelurahan)::

    centre = (p + z^2 / (2 n_eff)) / (1 + z^2 / n_eff)
    half   = z / (1 + z^2 / n_eff) * sqrt(p (1 - p) / n_eff + z^2 / (4 n_eff^2))

with ``z = 1.959964`` (two-sided 95 %). ``below_min`` flags areas with fewer classified
households than ``ehra_sample_households_per_kelurahan`` (40, the EHRA minimum; docs/METHOD.md §11.2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sanitasi.core.model import RUNGS, ParameterSet

TOILET: tuple[str, ...] = ("gooseneck", "non_gooseneck", "public", "none")
USE: tuple[str, ...] = ("own", "shared", "communal", "public", "none")
DISPOSAL: tuple[str, ...] = ("septic", "sewer", "pit", "open", "unknown")
URBAN: tuple[str, ...] = ("rural", "urban")
#: Household waste practice (EHRA persampahan section); reported as shares, not on the ladder.
WASTE: tuple[str, ...] = (
    "collected",
    "recycled",
    "burned",
    "buried",
    "dumped_land",
    "dumped_water",
    "other",
)
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "toilet": TOILET,
    "use": USE,
    "disposal": DISPOSAL,
    "urban": URBAN,
    "waste": WASTE,
}

MISSING = -1
INVALID = -2
UNKNOWN = "unknown"
#: Ladder codes of a classified household: the six rungs then ``unknown`` (code 6).
LADDER: tuple[str, ...] = (*RUNGS, UNKNOWN)
UNKNOWN_CODE = len(RUNGS)
RUNG_CODE: dict[str, int] = {r: i for i, r in enumerate(LADDER)}

#: Two-sided 95 % normal quantile.
Z95 = 1.959963984540054
#: EHRA minimum sample per desa/kelurahan when no parameter set is given (parameters.csv).
EHRA_MIN_DEFAULT = 40

_T = {v: i for i, v in enumerate(TOILET)}
_U = {v: i for i, v in enumerate(USE)}
_D = {v: i for i, v in enumerate(DISPOSAL)}


@dataclass(frozen=True)
class SurveyRules:
    """Parameters of the classification and of the shares.

    ``window_years``: ``aman_desludging_window_years``; ``min_households``:
    ``ehra_sample_households_per_kelurahan``; ``unknown_disposal``: the rung of a gooseneck
    whose final disposal is ``unknown`` (default ``belum_layak``); ``z``: normal quantile
    of the interval.
    """

    window_years: float = 5.0
    min_households: int = EHRA_MIN_DEFAULT
    unknown_disposal: str = "belum_layak"
    z: float = Z95
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.unknown_disposal not in RUNGS:
            raise ValueError(f"unknown_disposal must be a rung ({', '.join(RUNGS)})")
        if not self.window_years >= 0:
            raise ValueError("window_years must be a non-negative number")

    @classmethod
    def from_params(cls, params: ParameterSet | None, **overrides: Any) -> SurveyRules:
        """Rules from ``aman_desludging_window_years`` and
        ``ehra_sample_households_per_kelurahan`` (defaults 5 and 40 when absent)."""
        kw: dict[str, Any] = {}
        src: dict[str, str] = {}
        if params is not None:
            P = params.reader("survey.rules")
            if "aman_desludging_window_years" in params:
                kw["window_years"] = P.num("aman_desludging_window_years")
                src["window_years"] = P["aman_desludging_window_years"].source
            if "ehra_sample_households_per_kelurahan" in params:
                kw["min_households"] = int(P.num("ehra_sample_households_per_kelurahan"))
                src["min_households"] = P["ehra_sample_households_per_kelurahan"].source
        kw.update(overrides)
        return cls(sources=src, **kw)


# --------------------------------------------------------------------------- encoding


def encode(values: Any, vocabulary: Sequence[str]) -> np.ndarray:
    """Labels to ``int8`` codes of ``vocabulary``: blank/None/NaN -> :data:`MISSING`, any
    other label outside it -> :data:`INVALID`. Integer input is taken as codes already
    (values outside ``[-2, len)`` become :data:`INVALID`)."""
    s = pd.Series(values) if not isinstance(values, pd.Series) else values
    if pd.api.types.is_integer_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
        a = s.to_numpy(dtype=np.int64)
        return np.where((a >= INVALID) & (a < len(vocabulary)), a, INVALID).astype(np.int8)
    labels = s.astype("string").str.strip().str.lower().fillna("")
    codes = pd.Index(list(vocabulary)).get_indexer(pd.Index(labels)).astype(np.int8)
    blank = s.isna().to_numpy() | s.astype("string").str.strip().fillna("").eq("").to_numpy()
    return np.where(codes >= 0, codes, np.where(blank, MISSING, INVALID)).astype(np.int8)


def encode_urban(values: Any) -> np.ndarray:
    """Urban flags to ``int8``: True/``urban``/1 -> 1, False/``rural``/0 -> 0, blank ->
    :data:`MISSING`, anything else -> :data:`INVALID`."""
    s = pd.Series(values) if not isinstance(values, pd.Series) else values
    if pd.api.types.is_bool_dtype(s.dtype):
        b = s.astype("boolean")
        return np.where(b.isna(), MISSING, b.fillna(False).astype(int)).astype(np.int8)
    if pd.api.types.is_integer_dtype(s.dtype):
        return encode(s, URBAN)
    txt = s.astype("string").str.strip().str.lower()
    words = {"urban": 1, "true": 1, "1": 1, "rural": 0, "false": 0, "0": 0}
    out = txt.map(words)
    blank = txt.isna() | txt.eq("")
    return np.where(out.notna(), out.fillna(0), np.where(blank, MISSING, INVALID)).astype(np.int8)


# --------------------------------------------------------------------------- classification


def classify_codes(
    toilet: np.ndarray,
    use: np.ndarray,
    disposal: np.ndarray,
    years: np.ndarray,
    urban: np.ndarray,
    rules: SurveyRules | None = None,
) -> np.ndarray:
    """Ladder code (index into :data:`LADDER`, ``int8``) of each household from codes.

    ``toilet``, ``use``, ``disposal``, ``urban``: ``int8`` codes (see module docstring);
    ``years``: float years since the last emptying (``inf`` never, NaN blank, ``-2``
    invalid). The rules, their order and their sources are in the module docstring.
    """
    rules = rules or SurveyRules()
    t, u, d, urb = (np.asarray(a) for a in (toilet, use, disposal, urban))
    y = np.asarray(years, dtype=float)
    invalid = (t == INVALID) | (u == INVALID) | (d == INVALID) | (urb == INVALID) | (y == INVALID)
    u_public = u == _U["public"]
    public = u_public | (t == _T["public"])
    terbuka = (u == _U["none"]) | ((t == _T["none"]) & ~u_public)
    known = public | ((u >= 0) & (t >= 0))  # a used toilet of known kind (or a public one)
    tertutup = known & (d == _D["open"])
    goose = (t == _T["gooseneck"]) & (u >= 0) & (u <= _U["communal"])
    pit = d == _D["pit"]
    belum = public | (known & (t == _T["non_gooseneck"])) | (goose & pit & (urb == 1))
    unknown_disposal = goose & (d == _D["unknown"])
    improved = (d == _D["septic"]) | (d == _D["sewer"]) | (pit & (urb == 0))
    bersama = goose & (u != _U["own"]) & improved
    own = goose & (u == _U["own"])
    within = y <= rules.window_years  # NaN and inf compare False: not emptied in the window
    aman = own & ((d == _D["sewer"]) | ((d == _D["septic"]) & within))
    sendiri = own & improved
    code = np.select(
        [invalid, terbuka, tertutup, belum, unknown_disposal, bersama, aman, sendiri],
        [
            UNKNOWN_CODE,
            RUNG_CODE["babs_terbuka"],
            RUNG_CODE["babs_tertutup"],
            RUNG_CODE["belum_layak"],
            RUNG_CODE[rules.unknown_disposal],
            RUNG_CODE["layak_bersama"],
            RUNG_CODE["aman"],
            RUNG_CODE["layak_sendiri"],
        ],
        UNKNOWN_CODE,
    )
    return code.astype(np.int8)


def ladder_categorical(codes: np.ndarray, index: Any = None) -> pd.Series:
    """Ladder codes as a categorical Series over :data:`LADDER`."""
    cat = pd.Categorical.from_codes(np.asarray(codes, dtype=np.int8), categories=pd.Index(LADDER))
    return pd.Series(cat, index=index, name="rung")


def classify(
    df: pd.DataFrame, params: ParameterSet | None = None, *, rules: SurveyRules | None = None
) -> pd.Series:
    """Rung of each household (categorical over :data:`LADDER`, same index as ``df``).

    ``df`` has the normalised answer columns ``toilet``, ``use``, ``disposal`` (labels of
    :data:`TOILET`, :data:`USE`, :data:`DISPOSAL`, or their ``int8`` codes), ``years``
    (float; ``inf`` never emptied, NaN blank; optional, default NaN) and ``urban`` (bool, 0/1
    or ``urban``/``rural``). Parameters: ``aman_desludging_window_years`` from ``params``,
    or explicit ``rules``. Rules in the module docstring.
    """
    rules = rules or SurveyRules.from_params(params)
    n = len(df)
    years = df["years"].to_numpy(dtype=float) if "years" in df else np.full(n, np.nan)
    urban = encode_urban(df["urban"]) if "urban" in df else np.full(n, MISSING, np.int8)
    codes = classify_codes(
        encode(df["toilet"], TOILET),
        encode(df["use"], USE),
        encode(df["disposal"], DISPOSAL),
        years,
        urban,
        rules,
    )
    return ladder_categorical(codes, df.index)


# --------------------------------------------------------------------------- shares


@dataclass(frozen=True)
class GroupSums:
    """Per-group, per-category sums: ``count`` (households), ``w`` (sum of weights) and
    ``w2`` (sum of squared weights), each ``(groups, categories)``, the last category being
    ``unknown`` (excluded from shares)."""

    count: np.ndarray
    w: np.ndarray
    w2: np.ndarray

    def __add__(self, other: GroupSums) -> GroupSums:
        return GroupSums(self.count + other.count, self.w + other.w, self.w2 + other.w2)


def group_sums(
    codes: np.ndarray, weight: np.ndarray, group: np.ndarray, n_groups: int, n_cat: int
) -> GroupSums:
    """:class:`GroupSums` by ``np.bincount`` over ``group * n_cat + code`` (vectorised).

    ``codes`` in ``[0, n_cat)``, ``group`` in ``[0, n_groups)`` (rows with a negative group
    are skipped), ``weight`` finite (use any value for ``unknown`` rows)."""
    g = np.asarray(group, dtype=np.int64)
    keep = g >= 0
    key = g[keep] * n_cat + np.asarray(codes, dtype=np.int64)[keep]
    w = np.asarray(weight, dtype=float)[keep]
    size = n_groups * n_cat
    shape = (n_groups, n_cat)
    return GroupSums(
        np.bincount(key, minlength=size).reshape(shape).astype(np.int64),
        np.bincount(key, weights=w, minlength=size).reshape(shape),
        np.bincount(key, weights=w * w, minlength=size).reshape(shape),
    )


def wilson_interval(
    p: np.ndarray, n_eff: np.ndarray, z: float = Z95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of proportions ``p`` (0-1) with effective sizes ``n_eff``.

    ``low, high`` in [0, 1]; NaN where ``n_eff`` is not positive. Formula in the module
    docstring."""
    p = np.asarray(p, dtype=float)
    n = np.asarray(n_eff, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z2n = z * z / n
        denom = 1.0 + z2n
        centre = (p + z2n / 2.0) / denom
        half = (z / denom) * np.sqrt(np.clip(p * (1.0 - p), 0.0, None) / n + z2n / (4.0 * n))
        low = np.clip(centre - half, 0.0, 1.0)
        high = np.clip(centre + half, 0.0, 1.0)
    bad = ~(n > 0)
    low = np.where(bad, np.nan, np.minimum(low, p))
    high = np.where(bad, np.nan, np.maximum(high, p))
    return low, high


def shares_from_sums(
    sums: GroupSums,
    index: Any,
    categories: Sequence[str] = RUNGS,
    *,
    rules: SurveyRules | None = None,
) -> pd.DataFrame:
    """Per-group table from :class:`GroupSums` (the last column of the sums is ``unknown``).

    Columns: ``n`` (classified households), ``n_unknown``, ``weight_sum``, ``n_eff`` (Kish),
    ``below_min`` (``n < min_households``), then for each category ``c``: ``n_<c>``,
    ``pct_<c>`` (weighted share 0-100), ``pct_<c>_low``, ``pct_<c>_high`` (95 % Wilson with
    ``n_eff``). A group without classified households has NaN shares.
    """
    rules = rules or SurveyRules()
    k = len(categories)
    cnt, w, w2 = sums.count[:, :k], sums.w[:, :k], sums.w2[:, :k]
    n = cnt.sum(axis=1)
    wsum = w.sum(axis=1)
    w2sum = w2.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = np.where(w2sum > 0, wsum * wsum / w2sum, 0.0)
        p = np.where(wsum[:, None] > 0, w / wsum[:, None], np.nan)
    low, high = wilson_interval(p, np.broadcast_to(n_eff[:, None], p.shape), rules.z)
    data: dict[str, Any] = {
        "n": n,
        "n_unknown": sums.count[:, k:].sum(axis=1),
        "weight_sum": wsum,
        "n_eff": n_eff,
        "below_min": n < rules.min_households,
    }
    for i, c in enumerate(categories):
        data[f"n_{c}"] = cnt[:, i]
    for i, c in enumerate(categories):
        data[f"pct_{c}"] = 100.0 * p[:, i]
        data[f"pct_{c}_low"] = 100.0 * low[:, i]
        data[f"pct_{c}_high"] = 100.0 * high[:, i]
    return pd.DataFrame(data, index=pd.Index(index))


def weighted_shares(
    classified: Any,
    weight: Any = None,
    group: Any = None,
    params: ParameterSet | None = None,
    *,
    rules: SurveyRules | None = None,
    categories: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Weighted share of each rung per group with 95 % intervals and sample sizes.

    ``classified``: rung per household (the categorical of :func:`classify`, labels, or
    codes into :data:`LADDER`); ``weight``: survey weight per household (None: all 1; must
    be finite and > 0 for classified households); ``group``: key per household (e.g.
    kelurahan ``kode``; None: one group ``"all"``). Households classified ``unknown`` are
    counted in ``n_unknown`` and excluded from the shares. ``min_households`` comes from
    ``params`` (``ehra_sample_households_per_kelurahan``) or ``rules``. Other categorical
    indicators (e.g. waste practice) work the same way with ``categories``. Output: see
    :func:`shares_from_sums`, indexed by group (sorted).
    """
    rules = rules or SurveyRules.from_params(params)
    cats = tuple(categories) if categories is not None else RUNGS
    full = (*cats, UNKNOWN)
    s = classified if isinstance(classified, pd.Series) else pd.Series(classified)
    if pd.api.types.is_integer_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.to_numpy(dtype=np.int64)
        codes = np.where((codes >= 0) & (codes < len(full)), codes, len(cats))
    else:
        c = pd.Index(list(full)).get_indexer(pd.Index(s.astype("string").fillna("")))
        codes = np.where(c >= 0, c, len(cats))
    n = len(codes)
    w = np.ones(n) if weight is None else np.asarray(weight, dtype=float)
    bad_w = ~np.isfinite(w) | (w <= 0)
    if (bad_w & (codes < len(cats))).any():
        raise ValueError("weights of classified households must be finite and > 0")
    w = np.where(bad_w, 0.0, w)
    if group is None:
        gcodes, uniques = np.zeros(n, dtype=np.int64), pd.Index(["all"])
    else:
        gcodes, uniques = pd.factorize(pd.Series(group), sort=True)
    sums = group_sums(codes, w, gcodes, len(uniques), len(full))
    out = shares_from_sums(sums, uniques, cats, rules=rules)
    out.index.name = "group"
    return out


__all__ = [
    "DISPOSAL",
    "EHRA_MIN_DEFAULT",
    "INVALID",
    "LADDER",
    "MISSING",
    "TOILET",
    "UNKNOWN",
    "UNKNOWN_CODE",
    "URBAN",
    "USE",
    "VOCABULARIES",
    "WASTE",
    "Z95",
    "GroupSums",
    "SurveyRules",
    "classify",
    "classify_codes",
    "encode",
    "encode_urban",
    "group_sums",
    "ladder_categorical",
    "shares_from_sums",
    "weighted_shares",
    "wilson_interval",
]
