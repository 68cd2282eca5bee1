"""Cross-file checks of a city: ladder sums, SPALD-T within aman, the base year, the
kelurahan coverage of the base year, sub-area sums, and the plan options.

All checks are vectorised over regions and years (pivot, merge, groupby); only the reporting
loops over the problems found.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import pandas as pd

from sanitasi.core.model import LEAF_LEVELS, RUNGS
from sanitasi.io.errors import Problem, problem
from sanitasi.io.refcache import reference_cached
from sanitasi.io.reference import wilayah_index
from sanitasi.io.tables import LINE, YEAR_MAX, YEAR_MIN, rows_problems

OBS = "observations.csv"
RUNG_INDICATORS: tuple[str, ...] = tuple(f"hh_{r}" for r in RUNGS)
LEAF_DATA: tuple[str, ...] = ("households", "population")
SUM_INDICATORS: tuple[str, ...] = ("population", "households", *RUNG_INDICATORS)
TOLERANCE = 0.5
#: Length of a Kemendagri code with 1, 2, 3 or 4 dotted parts (``PP.KK.CC.DDDD``).
_WIDTH = {1: 2, 2: 5, 3: 8, 4: 13}
DEFAULT_HORIZON = 2045
MIN_PROJECTION_YEARS = 5


def fmt(x: float) -> str:
    """A number for messages: no decimals when whole."""
    return f"{x:.0f}" if float(x).is_integer() else f"{x:g}"


def _wide(obs: pd.DataFrame, indicators: Sequence[str]) -> tuple[pd.DataFrame, ...]:
    """Values, lines and raw texts per ``(kode, year)`` with one column per indicator."""
    sub = obs[obs["indicator"].isin(list(indicators))]
    if sub.empty:
        return tuple(pd.DataFrame(columns=list(indicators)) for _ in range(3))
    piv = sub.set_index(["kode", "year", "indicator"])[["value", LINE, "raw"]].unstack("indicator")
    cols = list(indicators)
    return tuple(pd.DataFrame(piv[part]).reindex(columns=cols) for part in ("value", LINE, "raw"))


def ladder_problems(obs: pd.DataFrame) -> list[Problem]:
    """``SAN-E008`` rungs that do not sum to households; ``SAN-E021`` hh_spald_t > hh_aman.

    Rungs missing for a ``kode``/``year`` that has households and at least one rung count as
    0. The households row (or the hh_spald_t row) is reported.
    """
    indicators = ("households", *RUNG_INDICATORS, "hh_spald_t")
    values, lines, raws = _wide(obs, indicators)
    if values.empty:
        return []
    rungs = values[list(RUNG_INDICATORS)]
    total = rungs.sum(axis=1, min_count=1)
    hh = values["households"]
    off = hh.notna() & total.notna() & ((total - hh).abs() > TOLERANCE)
    frame = values.index.to_frame(index=False)
    frame.index = values.index
    frame[LINE] = lines["households"].fillna(0).astype(int)
    out = rows_problems(
        frame,
        off,
        "SAN-E008",
        OBS,
        "value",
        raws["households"],
        kode=frame["kode"],
        year=frame["year"],
        total=total.map(fmt),
        households=raws["households"],
    )
    spald = values["hh_spald_t"] > values["hh_aman"]
    frame_s = frame.assign(**{LINE: lines["hh_spald_t"].fillna(0).astype(int)})
    out += rows_problems(
        frame_s,
        spald,
        "SAN-E021",
        OBS,
        "value",
        raws["hh_spald_t"],
        kode=frame_s["kode"],
        year=frame_s["year"],
        spald_t=raws["hh_spald_t"],
        aman=raws["hh_aman"],
    )
    return out


def leaf_years(obs: pd.DataFrame, leaves: Sequence[str]) -> list[int]:
    """Years in which some leaf has ``households`` or ``population``, sorted."""
    sel = obs["kode"].isin(list(leaves)) & obs["indicator"].isin(list(LEAF_DATA))
    return sorted(int(y) for y in obs.loc[sel, "year"].dropna().unique())


def resolve_base_year(
    obs: pd.DataFrame, leaves: Sequence[str], requested: int | None
) -> tuple[int | None, list[Problem]]:
    """The base year: ``requested`` if it has leaf data, else the latest year with leaf data.

    ``SAN-E014`` for a requested year outside 1900-2100, ``SAN-E020`` when the year has no
    leaf households/population (file ``--base-year`` when requested, else observations.csv).
    """
    years = leaf_years(obs, leaves)
    listed = ", ".join(map(str, years)) or "none"
    if requested is None:
        if years:
            return years[-1], []
        return None, [problem("SAN-E020", OBS, None, "year", None, year="any year", years=listed)]
    if not YEAR_MIN <= requested <= YEAR_MAX:
        return None, [
            problem("SAN-E014", "--base-year", None, None, requested, what="the base year")
        ]
    if requested not in years:
        return None, [
            problem("SAN-E020", "--base-year", None, None, requested, year=requested, years=listed)
        ]
    return requested, []


def resolve_horizon(base_year: int, requested: int | None) -> tuple[int | None, list[Problem]]:
    """``requested`` or ``max(2045, base_year + 5)``; ``SAN-E014``/``SAN-E013`` when invalid."""
    if requested is None:
        return max(DEFAULT_HORIZON, base_year + MIN_PROJECTION_YEARS), []
    if not YEAR_MIN <= requested <= YEAR_MAX:
        return None, [problem("SAN-E014", "--horizon", None, None, requested, what="the horizon")]
    if requested <= base_year:
        return None, [
            problem(
                "SAN-E013",
                "--horizon",
                None,
                None,
                requested,
                horizon=requested,
                base_year=base_year,
            )
        ]
    return requested, []


def coverage_problems(regions: pd.DataFrame, obs: pd.DataFrame, base_year: int) -> list[Problem]:
    """``SAN-E023`` for each kelurahan/desa of regions.csv without any base-year observation."""
    have = set(obs.loc[obs["year"].eq(base_year), "kode"])
    listed = regions[regions[LINE] > 0]
    missing = listed["tingkat"].isin(LEAF_LEVELS) & ~listed["kode"].isin(have)
    return rows_problems(
        listed,
        missing,
        "SAN-E023",
        "regions.csv",
        "kode",
        tingkat=listed["tingkat"],
        kode=listed["kode"],
        nama=listed["nama"],
        year=base_year,
    )


_LEVEL_WORDS = {
    "kecamatan": ("kecamatan", "kecamatan"),
    "leaf": ("kelurahan/desa", "kelurahan/desa"),
}


def subarea_problems(regions: pd.DataFrame, obs: pd.DataFrame, base_year: int) -> list[Problem]:
    """``SAN-W101`` (warning): a kecamatan or the city whose base-year households, population
    or rungs differ from the sum of its sub-areas by more than 0.5.

    Compared only where every official sub-area (wilayah_2025.csv) is listed and has the
    value: kecamatan with their kelurahan/desa, the city with its kecamatan, and the city
    with its kelurahan/desa where the kecamatan values are incomplete.
    """
    b = obs[obs["year"].eq(base_year) & obs["indicator"].isin(list(SUM_INDICATORS))]
    leaf = regions["tingkat"].isin(LEAF_LEVELS)
    kec = regions["tingkat"].eq("kecamatan")
    city = regions["tingkat"].eq("kabkota")
    n_leaf_kec = official_children(LEAF_LEVELS, 3)
    n_leaf_city = official_children(LEAF_LEVELS, 2)
    n_kec_city = official_children(("kecamatan",), 2)
    out, _ = _compare(regions, b, kec, leaf, 3, n_leaf_kec, "leaf")
    city_kec, done = _compare(regions, b, city, kec, 2, n_kec_city, "kecamatan")
    city_leaf, _ = _compare(regions, b, city, leaf, 2, n_leaf_city, "leaf", done)
    return out + city_kec + city_leaf


@lru_cache(maxsize=16)
def official_children(levels: tuple[str, ...], depth: int) -> pd.Series:
    """Number of official regions of ``levels`` under each code of ``depth`` parts (cached;
    the counts every city load needs come from the reference cache)."""
    common = _common_official_children().get((tuple(levels), depth))
    return _official_children(levels, depth) if common is None else common


def _official_children(levels: tuple[str, ...], depth: int) -> pd.Series:
    wil = wilayah_index()
    codes = pd.Series(wil.index[wil["tingkat"].isin(list(levels))], dtype=str)
    return codes.str.slice(0, _WIDTH[depth]).value_counts()


#: The counts of :func:`official_children` that every city load computes (sub-area sums).
COMMON_CHILDREN: tuple[tuple[tuple[str, ...], int], ...] = (
    (tuple(LEAF_LEVELS), 3),
    (tuple(LEAF_LEVELS), 2),
    (("kecamatan",), 2),
)


@reference_cached("wilayah.official_children", dict)
def _common_official_children() -> dict[tuple[tuple[str, ...], int], pd.Series]:
    return {(levels, depth): _official_children(levels, depth) for levels, depth in COMMON_CHILDREN}


def completeness_problems(regions: pd.DataFrame, city: str | None) -> list[Problem]:
    """``SAN-W103`` (warning) when regions.csv lists only part of the city's kelurahan/desa."""
    if city is None:
        return []
    official = int(official_children(LEAF_LEVELS, 2).get(city, 0))
    listed = int((regions["tingkat"].isin(LEAF_LEVELS) & regions[LINE].gt(0)).sum())
    if listed >= official:
        return []
    return [
        problem(
            "SAN-W103",
            "regions.csv",
            None,
            "kode",
            city,
            city=city,
            listed=listed,
            official=official,
        )
    ]


def _compare(
    regions: pd.DataFrame,
    b: pd.DataFrame,
    parents: pd.Series,
    children: pd.Series,
    depth: int,
    expected: pd.Series,
    level: str,
    skip: pd.MultiIndex | None = None,
) -> tuple[list[Problem], pd.MultiIndex]:
    """Compare parent values with the sums of their children; ``expected`` is the official
    number of children of each parent (all must have data)."""
    kids = regions.loc[children, ["kode"]]
    kids["anc"] = kids["kode"].str.split(".").str[:depth].str.join(".")
    vals = b.merge(kids, on="kode")
    agg = vals.groupby(["anc", "indicator"])["value"].agg(total="sum", n="count").reset_index()
    agg = agg[agg["n"].eq(agg["anc"].map(expected))]
    par = b[b["kode"].isin(regions.loc[parents, "kode"])]
    cmp = par.reset_index().merge(agg, left_on=["kode", "indicator"], right_on=["anc", "indicator"])
    cmp = cmp.set_index("index")
    compared = pd.MultiIndex.from_frame(cmp[["kode", "indicator"]])
    if skip is not None:
        cmp = cmp[~compared.isin(skip)]
    off = (cmp["value"] - cmp["total"]).abs() > TOLERANCE
    words = _LEVEL_WORDS[level]
    problems = rows_problems(
        cmp,
        off,
        "SAN-W101",
        OBS,
        "value",
        cmp["raw"],
        indicator=cmp["indicator"],
        kode=cmp["kode"],
        year=cmp["year"],
        level=words[0],
        level_id=words[1],
        total=cmp["total"].map(fmt),
    )
    return problems, compared


def target_set_problems(requested: Sequence[str] | None, available: Sequence[str]) -> list[Problem]:
    """``SAN-E017`` for each requested set that is neither a reference set nor in the city's
    targets (``LOCAL`` exists only when the city has LOCAL rows)."""
    if not requested:
        return []
    known = sorted(set(available))
    return [
        problem("SAN-E017", "--target-set", None, None, s, choices=", ".join(known))
        for s in requested
        if s not in known
    ]
