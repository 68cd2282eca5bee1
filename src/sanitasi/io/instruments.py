"""Read and validate the SSK instrument files of a city folder: risk areas and the SFD.

* :func:`read_risk` / :func:`load_risk`: ``risk_indicators.csv``, ``risk_weights.csv`` and the
  optional ``risk_overrides.csv`` -> :class:`RiskInputs` for
  :func:`sanitasi.core.risk.score_risk`;
* :func:`read_sfd` / :func:`load_sfd`: ``sfd.csv`` (containment systems) plus the city's ladder
  from ``observations.csv`` -> :class:`SfdInputs` for :func:`sanitasi.core.sfd.compute_sfd`.

As for :mod:`sanitasi.io.city`, ``read_*`` never raises for bad input (it returns every problem
found, with file, line, column, value and rule), ``load_*`` raises one
:class:`~sanitasi.io.errors.InputErrors` carrying all of them and emits warnings as
:class:`~sanitasi.io.errors.InputWarning`. Region codes are checked against ``regions.csv`` of
the same folder (read with the city readers). The contract of the files is
``docs/city-data.md`` section 3.6-3.8.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable

import numpy as np
import pandas as pd

from sanitasi.core.model import LEAF_LEVELS, RUNGS, STATUSES
from sanitasi.core.risk import COMPONENTS, DIRECTIONS, IMPACT_SUBSECTOR, SUBSECTORS
from sanitasi.core.sfd import SHARE_TOLERANCE, SYSTEM_RUNGS
from sanitasi.io import city_tables as ct
from sanitasi.io.errors import InputErrors, InputWarning, Problem, errors_of, problem
from sanitasi.io.folders import CityDir, city_folder
from sanitasi.io.reference import wilayah_index
from sanitasi.io.tables import (
    LINE,
    Checker,
    duplicate_problems,
    is_absent,
    read_table,
    rows_problems,
)

RISK_INDICATORS = "risk_indicators.csv"
RISK_WEIGHTS = "risk_weights.csv"
RISK_OVERRIDES = "risk_overrides.csv"
SFD = "sfd.csv"

#: Required columns of each file.
RISK_INDICATOR_COLUMNS: tuple[str, ...] = ("kode", "subsector", "indicator", "value")
RISK_WEIGHT_COLUMNS: tuple[str, ...] = (
    "subsector",
    "component",
    "indicator",
    "weight",
    "direction",
)
RISK_OVERRIDE_COLUMNS: tuple[str, ...] = ("kode", "subsector", "class", "reason")
SFD_COLUMNS: tuple[str, ...] = (
    "year",
    "code",
    "name",
    "ladder_rung",
    "population_share_pct",
    "contained",
    "offsite",
    "emptied_pct",
    "delivered_pct",
    "treated_pct",
)

#: Tolerance of a component's weight sum (points of 100).
WEIGHT_TOLERANCE = 0.01
#: A rung's SFD share may differ from the ladder by this many points before ``SAN-W161``.
LADDER_TOLERANCE = 1.0
INDICATOR_SUBSECTORS: tuple[str, ...] = (IMPACT_SUBSECTOR, *SUBSECTORS)
_SHOWN = 8


@dataclass(frozen=True)
class RiskInputs:
    """Validated risk-area inputs of one city.

    ``indicators``: ``kode, subsector, indicator, value (float), unit, source, status, note``.
    ``weights``: ``subsector, component, indicator, weight (float, 0-100), direction, source,
    status``. ``overrides``: ``kode, subsector, class (int 1-4), reason, status`` or ``None``.
    ``names``: ``kode -> nama`` of the city's regions. ``sources``: table -> file.
    """

    city_kode: str
    indicators: pd.DataFrame
    weights: pd.DataFrame
    overrides: pd.DataFrame | None
    names: Mapping[str, str] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SfdInputs:
    """Validated SFD inputs of one city.

    ``systems``: ``year, code, name, ladder_rung, population_share_pct, contained, offsite,
    emptied_pct, delivered_pct, treated_pct, improved, shared, source, status, note`` (numbers
    float; F3 of offsite systems 0; booleans bool, ``improved``/``shared`` defaulted by rung).
    ``ladder``: the city's households per rung per year from ``observations.csv`` (``year,
    hh_<rung>..., households, status``): the city's own rows where it has any rung that year,
    else the sum of its kelurahan/desa. Pass it (or the plan's ladder) to
    :func:`sanitasi.core.sfd.compute_sfd`.
    """

    city_kode: str
    systems: pd.DataFrame
    ladder: pd.DataFrame
    sources: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Load:
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return errors_of(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


@dataclass(frozen=True)
class RiskLoad(_Load):
    """Result of :func:`read_risk`: inputs (``None`` when there are errors) and problems."""

    inputs: RiskInputs | None = None


@dataclass(frozen=True)
class SfdLoad(_Load):
    """Result of :func:`read_sfd`: inputs (``None`` when there are errors) and problems."""

    inputs: SfdInputs | None = None


# --------------------------------------------------------------------------- entry points


def read_risk(city_dir: CityDir = None) -> RiskLoad:
    """Read and check the risk files of a city folder (``None``: the Kota Solok demo; a path
    or any Traversable, e.g. :class:`~sanitasi.io.folders.MemoryFolder`).

    Never raises for bad input; see :func:`load_risk`.
    """
    folder = _folder(city_dir)
    problems: list[Problem] = []
    regions = _regions(folder, problems)
    leaves = _leaves(regions)
    ind_raw, found = read_table(
        folder / RISK_INDICATORS, RISK_INDICATORS, RISK_INDICATOR_COLUMNS, folder=str(folder)
    )
    problems += found
    w_raw, found = read_table(
        folder / RISK_WEIGHTS, RISK_WEIGHTS, RISK_WEIGHT_COLUMNS, folder=str(folder)
    )
    problems += found
    ov_raw: pd.DataFrame | None = None
    if not is_absent(folder / RISK_OVERRIDES):
        ov_raw, found = read_table(
            folder / RISK_OVERRIDES, RISK_OVERRIDES, RISK_OVERRIDE_COLUMNS, folder=str(folder)
        )
        problems += found

    ind = _parse_indicators(ind_raw, leaves, problems) if ind_raw is not None else None
    w = _parse_weights(w_raw, problems) if w_raw is not None else None
    scored = (
        tuple(sorted(set(w.loc[w["component"].eq("exposure"), "subsector"])))
        if w is not None
        else SUBSECTORS
    )
    ov = (
        _parse_overrides(ov_raw, leaves, scored or SUBSECTORS, problems)
        if ov_raw is not None
        else None
    )
    if ind is not None and w is not None:
        problems += _risk_cross_problems(ind, w, leaves)
    if errors_of(problems) or ind is None or w is None or regions is None or regions.city is None:
        return RiskLoad(tuple(problems))
    names = dict(zip(regions.df["kode"], regions.df["nama"], strict=True))
    sources = {
        "risk_indicators": str(folder / RISK_INDICATORS),
        "risk_weights": str(folder / RISK_WEIGHTS),
    }
    if ov is not None:
        sources["risk_overrides"] = str(folder / RISK_OVERRIDES)
    inputs = RiskInputs(
        city_kode=regions.city,
        indicators=ind.drop(columns=[LINE, "raw"]).reset_index(drop=True),
        weights=w.drop(columns=[LINE]).reset_index(drop=True),
        overrides=None if ov is None else ov.drop(columns=[LINE]).reset_index(drop=True),
        names=names,
        sources=sources,
    )
    return RiskLoad(tuple(problems), inputs)


def load_risk(city_dir: CityDir = None, *, strict: bool = False) -> RiskInputs:
    """Like :func:`read_risk` but raises :class:`InputErrors` with every problem when any is an
    error (with ``strict``, any warning too); warnings are emitted as :class:`InputWarning`."""
    result = read_risk(city_dir)
    return _finish(result, result.inputs, strict)  # type: ignore[return-value]


def read_sfd(city_dir: CityDir = None) -> SfdLoad:
    """Read and check ``sfd.csv`` and the city's ladder (``None``: the Kota Solok demo).

    Never raises for bad input; see :func:`load_sfd`.
    """
    folder = _folder(city_dir)
    problems: list[Problem] = []
    regions = _regions(folder, problems)
    raw, found = read_table(folder / SFD, SFD, SFD_COLUMNS, folder=str(folder))
    problems += found
    systems = _parse_sfd(raw, problems) if raw is not None else None
    ladder = _ladder(folder, regions, problems)
    if systems is not None and ladder is not None:
        problems += _ladder_problems(systems, ladder)
    if errors_of(problems) or systems is None or regions is None or regions.city is None:
        return SfdLoad(tuple(problems))
    sources = {"sfd": str(folder / SFD), "ladder": str(folder / ct.OBSERVATIONS)}
    inputs = SfdInputs(
        city_kode=regions.city,
        systems=systems.drop(columns=[LINE]).reset_index(drop=True),
        ladder=ladder if ladder is not None else _empty_ladder(),
        sources=sources,
    )
    return SfdLoad(tuple(problems), inputs)


def load_sfd(city_dir: CityDir = None, *, strict: bool = False) -> SfdInputs:
    """Like :func:`read_sfd` but raises :class:`InputErrors` (see :func:`load_risk`)."""
    result = read_sfd(city_dir)
    return _finish(result, result.inputs, strict)  # type: ignore[return-value]


def _finish(result: _Load, inputs: object, strict: bool) -> object:
    if result.errors or (strict and result.problems) or inputs is None:
        raise InputErrors(result.problems)
    for p in result.warnings:
        warnings.warn(InputWarning(p), stacklevel=3)
    return inputs


def _folder(city_dir: CityDir) -> Traversable:
    return city_folder(city_dir)


# --------------------------------------------------------------------------- regions


def _regions(folder: Traversable, problems: list[Problem]) -> ct.Regions | None:
    """``regions.csv`` parsed by the city reader (its problems are reported too)."""
    df, found = read_table(
        folder / ct.REGIONS, ct.REGIONS, ("kode", "nama", "tingkat"), folder=str(folder)
    )
    problems += found
    if df is None:
        return None
    parsed = ct.parse_regions(df, wilayah_index())
    problems += parsed.problems
    return parsed


def _leaves(regions: ct.Regions | None) -> frozenset[str] | None:
    """Kelurahan/desa listed in regions.csv (``None`` when regions.csv is unusable)."""
    if regions is None:
        return None
    df = regions.df
    return frozenset(df.loc[df["tingkat"].isin(LEAF_LEVELS), "kode"])


def _kode(chk: Checker, leaves: frozenset[str] | None, what: str, what_id: str) -> pd.Series:
    """``kode`` text: ``SAN-E004`` when not official, ``SAN-E080`` when not a listed leaf."""
    kode = chk.text("kode")
    found = wilayah_index().index.get_indexer(pd.Index(kode))
    official = pd.Series(found >= 0, index=kode.index, dtype=bool)
    chk.flag(kode.ne("") & ~official, "SAN-E004", "kode")
    if leaves is not None:
        chk.flag(
            official & ~kode.isin(leaves), "SAN-E080", "kode", what_rows=what, what_rows_id=what_id
        )
    return kode


# --------------------------------------------------------------------------- risk files


def _parse_indicators(
    df: pd.DataFrame, leaves: frozenset[str] | None, problems: list[Problem]
) -> pd.DataFrame:
    chk = Checker(df, RISK_INDICATORS)
    kode = _kode(chk, leaves, "risk indicators", "indikator risiko")
    subsector = chk.choice("subsector", INDICATOR_SUBSECTORS)
    indicator = chk.text("indicator")
    value = chk.number("value", nonneg=False)
    pct = indicator.str.endswith("_pct") | indicator.str.startswith("pct_")
    chk.flag(
        pct & ((value < 0) | (value > 100)),
        "SAN-E011",
        "value",
        name=indicator,
        kind="a percentage",
        kind_id="persentase",
        low=0,
        high=100,
    )
    typed = pd.DataFrame(
        {
            "kode": kode,
            "subsector": subsector,
            "indicator": indicator,
            "value": value,
            "unit": chk.text("unit", required=False),
            "source": chk.text("source", required=False),
            "status": chk.choice("status", STATUSES, default="unverified"),
            "note": chk.text("note", required=False),
            "raw": chk.raw("value"),
            LINE: df[LINE],
        }
    )
    key = ["kode", "subsector", "indicator"]
    keyed = typed[kode.ne("") & indicator.ne("")]
    chk.problems += duplicate_problems(keyed, key, "indicator", RISK_INDICATORS)
    chk.bad |= typed.index.isin(keyed.index[keyed.duplicated(key)])
    problems += chk.problems
    # rows with a usable key stay (for the cross-file checks); a bad value keeps NaN
    usable = kode.ne("") & indicator.ne("") & subsector.isin(INDICATOR_SUBSECTORS)
    return typed[usable & ~typed.index.isin(keyed.index[keyed.duplicated(key)])].copy()


def _parse_weights(df: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    chk = Checker(df, RISK_WEIGHTS)
    subsector = chk.choice("subsector", INDICATOR_SUBSECTORS)
    component = chk.choice("component", COMPONENTS)
    indicator = chk.text("indicator")
    weight = chk.number("weight")
    chk.flag(
        weight > 100,
        "SAN-E011",
        "weight",
        name="weight",
        kind="a weight in percent of its component",
        kind_id="bobot dalam persen komponennya",
        low=0,
        high=100,
    )
    direction = chk.choice("direction", DIRECTIONS)
    expected = component.map({"impact": IMPACT_SUBSECTOR, "exposure": " or ".join(SUBSECTORS)})
    expected_id = component.map({"impact": IMPACT_SUBSECTOR, "exposure": " atau ".join(SUBSECTORS)})
    ok_sub = subsector.isin(INDICATOR_SUBSECTORS) & component.isin(COMPONENTS)
    mismatch = ok_sub & (
        (component.eq("impact") & subsector.ne(IMPACT_SUBSECTOR))
        | (component.eq("exposure") & subsector.eq(IMPACT_SUBSECTOR))
    )
    chk.flag(
        mismatch,
        "SAN-E082",
        "subsector",
        component=component,
        expected=expected,
        expected_id=expected_id,
    )
    typed = pd.DataFrame(
        {
            "subsector": subsector,
            "component": component,
            "indicator": indicator,
            "weight": weight,
            "direction": direction,
            "source": chk.text("source", required=False),
            "status": chk.choice("status", STATUSES, default="unverified"),
            LINE: df[LINE],
        }
    )
    key = ["subsector", "indicator"]
    keyed = typed[indicator.ne("")]
    chk.problems += duplicate_problems(keyed, key, "indicator", RISK_WEIGHTS)
    chk.bad |= typed.index.isin(keyed.index[keyed.duplicated(key)])
    # sums per component and subsector, over the rows whose weight is a number
    summed = typed[ok_sub & ~mismatch & weight.notna()]
    grp = summed.groupby(["component", "subsector"], sort=False)
    sums = grp["weight"].sum().reset_index()
    for comp, sub, total in sums.itertuples(index=False):
        if abs(total - 100.0) <= WEIGHT_TOLERANCE:
            continue
        lines = grp.get_group((comp, sub))[LINE].astype(int).tolist()
        chk.problems.append(
            problem(
                "SAN-E083",
                RISK_WEIGHTS,
                lines[0],
                "weight",
                _fmt(total),
                component=comp,
                subsector=sub,
                total=_fmt(total),
                lines=", ".join(map(str, lines)),
            )
        )
    valid = typed[ok_sub & ~mismatch]
    if not valid["component"].eq("impact").any():
        chk.problems.append(
            problem(
                "SAN-E084",
                RISK_WEIGHTS,
                None,
                "component",
                "impact",
                what_missing="impact weights (component impact, subsector all)",
                what_missing_id="bobot impact (komponen impact, subsektor all)",
            )
        )
    if not valid["component"].eq("exposure").any():
        chk.problems.append(
            problem(
                "SAN-E084",
                RISK_WEIGHTS,
                None,
                "component",
                "exposure",
                what_missing=f"exposure weights (component exposure, subsector {' or '.join(SUBSECTORS)})",
                what_missing_id=f"bobot exposure (komponen exposure, subsektor {' atau '.join(SUBSECTORS)})",
            )
        )
    problems += chk.problems
    # rows with a usable key stay (for the cross-file checks); errors stop the load anyway
    dup = typed.index.isin(keyed.index[keyed.duplicated(key)])
    usable = ok_sub & ~mismatch & indicator.ne("") & direction.isin(DIRECTIONS)
    return typed[usable & ~dup].copy()


def _parse_overrides(
    df: pd.DataFrame,
    leaves: frozenset[str] | None,
    scored: tuple[str, ...],
    problems: list[Problem],
) -> pd.DataFrame:
    chk = Checker(df, RISK_OVERRIDES)
    kode = _kode(chk, leaves, "risk overrides", "perubahan kelas risiko")
    subsector = chk.choice("subsector", scored)
    cls = chk.number("class", nonneg=False)
    chk.flag(cls.notna() & ~cls.isin([1.0, 2.0, 3.0, 4.0]), "SAN-E086", "class")
    typed = pd.DataFrame(
        {
            "kode": kode,
            "subsector": subsector,
            "class": cls,
            "reason": chk.text("reason"),
            "status": chk.choice("status", STATUSES, default="unverified"),
            LINE: df[LINE],
        }
    )
    key = ["kode", "subsector"]
    keyed = typed[kode.ne("")]
    chk.problems += duplicate_problems(keyed, key, "subsector", RISK_OVERRIDES)
    chk.bad |= typed.index.isin(keyed.index[keyed.duplicated(key)])
    problems += chk.problems
    good = typed[~chk.bad].copy()
    good["class"] = good["class"].astype("int64")
    return good


def _risk_cross_problems(
    ind: pd.DataFrame, w: pd.DataFrame, leaves: frozenset[str] | None
) -> list[Problem]:
    """Missing values of weighted indicators (``SAN-E085``), scores outside 1-4
    (``SAN-E081``) and unweighted indicators (``SAN-W160``)."""
    out: list[Problem] = []
    weighted = w[w["indicator"].ne("")][["subsector", "indicator", "direction", LINE]]
    # SAN-E085: every listed kelurahan needs a value row for each weighted indicator
    if leaves is not None and len(leaves):
        have = ind[["kode", "subsector", "indicator"]].drop_duplicates()
        grid = weighted.merge(pd.DataFrame({"kode": sorted(leaves)}), how="cross")
        grid = grid.merge(
            have.assign(_have=True), on=["kode", "subsector", "indicator"], how="left"
        )
        miss = grid[grid["_have"].isna()]
        for (sub, name, line), g in miss.groupby(["subsector", "indicator", LINE], sort=False):
            codes = list(g["kode"])
            shown = ", ".join(codes[:_SHOWN]) + (" ..." if len(codes) > _SHOWN else "")
            out.append(
                problem(
                    "SAN-E085",
                    RISK_WEIGHTS,
                    int(str(line)),
                    "indicator",
                    name,
                    indicator=name,
                    subsector=sub,
                    n=len(codes),
                    codes=shown,
                )
            )
    # SAN-E081: values of score indicators within 1-4
    sc = (
        ind.reset_index()
        .merge(weighted.rename(columns={LINE: "_wline"}), on=["subsector", "indicator"])
        .set_index("index")
    )
    bad = sc["direction"].eq("score") & ((sc["value"] < 1) | (sc["value"] > 4))
    out += rows_problems(
        sc,
        bad,
        "SAN-E081",
        RISK_INDICATORS,
        "value",
        sc["raw"],
        indicator=sc["indicator"],
        weights_line="risk_weights.csv line " + sc["_wline"].astype(str),
    )
    # SAN-W160: indicators without a weight (one warning per subsector/indicator)
    key = pd.MultiIndex.from_frame(ind[["subsector", "indicator"]])
    known = pd.MultiIndex.from_frame(weighted[["subsector", "indicator"]])
    loose = ind[~key.isin(known)].drop_duplicates(["subsector", "indicator"])
    out += rows_problems(
        loose,
        pd.Series(True, index=loose.index),
        "SAN-W160",
        RISK_INDICATORS,
        "indicator",
        subsector=loose["subsector"],
    )
    return out


# --------------------------------------------------------------------------- sfd.csv


def _parse_sfd(df: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame | None:
    chk = Checker(df, SFD)
    if df.empty:
        problems.append(problem("SAN-E089", SFD, None))
        return None
    year = chk.year("year")
    code = chk.text("code")
    name = chk.text("name")
    rung = chk.choice("ladder_rung", SYSTEM_RUNGS)
    offsite = chk.boolean("offsite")
    off = offsite.fillna(False).astype(bool)
    contained = chk.boolean("contained")
    chk.flag(~off & contained.isna() & chk.raw("contained").eq(""), "SAN-E088", "contained")
    nums = {}
    for col in ("population_share_pct", "emptied_pct", "delivered_pct", "treated_pct"):
        raw_num = chk.number(col, required=False, nonneg=False)
        need = ~off if col == "emptied_pct" else pd.Series(True, index=df.index)
        blank = chk.raw(col).eq("") | chk.raw(col).str.lower().isin(
            ["nan", "na", "n/a", "null", "none"]
        )
        chk.flag(need & blank, "SAN-E010", col)
        out_of_range = need & ((raw_num < 0) | (raw_num > 100))
        chk.flag(
            out_of_range,
            "SAN-E011",
            col,
            name=col,
            kind="a percentage",
            kind_id="persentase",
            low=0,
            high=100,
        )
        nums[col] = raw_num
    improved = chk.boolean("improved")
    shared = chk.boolean("shared")
    typed = pd.DataFrame(
        {
            "year": year,
            "code": code,
            "name": name,
            "ladder_rung": rung,
            "population_share_pct": nums["population_share_pct"],
            "contained": contained.fillna(False).astype(bool) & ~off,
            "offsite": off,
            "emptied_pct": nums["emptied_pct"].mask(off, 0.0),
            "delivered_pct": nums["delivered_pct"],
            "treated_pct": nums["treated_pct"],
            "improved": improved.fillna(rung.ne("babs_tertutup")).astype(bool),
            "shared": shared.fillna(rung.eq("layak_bersama")).astype(bool),
            "source": chk.text("source", required=False),
            "status": chk.choice("status", STATUSES, default="unverified"),
            "note": chk.text("note", required=False),
            LINE: df[LINE],
        }
    )
    key = ["year", "code"]
    keyed = typed[year.notna() & code.ne("")]
    chk.problems += duplicate_problems(keyed, key, "code", SFD)
    chk.bad |= typed.index.isin(keyed.index[keyed.duplicated(key)])
    # shares per year (over rows whose year and share are usable)
    usable = typed[year.notna() & typed["population_share_pct"].notna()]
    grp = usable.groupby("year", sort=True)
    for y, total in grp["population_share_pct"].sum().items():
        if abs(total - 100.0) <= SHARE_TOLERANCE:
            continue
        lines = grp.get_group(y)[LINE].astype(int).tolist()
        chk.problems.append(
            problem(
                "SAN-E087",
                SFD,
                lines[0],
                "population_share_pct",
                _fmt(total),
                year=int(str(y)),
                total=_fmt(total),
                lines=", ".join(map(str, lines)),
            )
        )
    problems += chk.problems
    good = typed[~chk.bad].copy()
    good["year"] = good["year"].astype("int64")
    return good


def _empty_ladder() -> pd.DataFrame:
    cols: dict[str, pd.Series] = {"year": pd.Series(dtype="int64")}
    cols.update({f"hh_{r}": pd.Series(dtype=float) for r in RUNGS})
    cols["households"] = pd.Series(dtype=float)
    cols["status"] = pd.Series(dtype=str)
    return pd.DataFrame(cols)


def _ladder(
    folder: Traversable, regions: ct.Regions | None, problems: list[Problem]
) -> pd.DataFrame | None:
    """The city's households per rung per year from ``observations.csv`` (its problems are
    reported too): the city's own rows in a year where it has any rung, else the sum of its
    kelurahan/desa rows."""
    df, found = read_table(
        folder / ct.OBSERVATIONS,
        ct.OBSERVATIONS,
        ("kode", "year", "indicator", "value"),
        folder=str(folder),
    )
    problems += found
    if df is None or regions is None or regions.city is None:
        return None
    listed = pd.Series(sorted(regions.listed), dtype=str)
    known = regions.listed | frozenset(ct.ancestor_pairs(listed)["ancestor"])
    parsed = ct.parse_observations(df, wilayah_index(), known)
    problems += parsed.problems
    obs = parsed.df
    city = regions.city
    rungs = [f"hh_{r}" for r in RUNGS]
    obs = obs[obs["indicator"].isin(rungs) & obs["year"].notna()]
    kode = obs["kode"].astype(str)
    leaf = kode.str.count(r"\.").eq(3) & kode.str.startswith(city + ".")
    own = obs[kode.eq(city)]
    kids = obs[leaf]
    own_years = set(own["year"].astype(int))
    kids = kids[~kids["year"].astype(int).isin(own_years)]
    both = pd.concat([own, kids], ignore_index=True)
    if both.empty:
        return _empty_ladder()
    wide = both.pivot_table(index="year", columns="indicator", values="value", aggfunc="sum")
    wide = wide.reindex(columns=rungs, fill_value=0.0).fillna(0.0)
    status = both.groupby("year")["status"].agg(lambda s: _worst(list(s)))
    out = wide.reset_index()
    out["year"] = out["year"].astype("int64")
    out.columns.name = None
    out["households"] = out[rungs].sum(axis=1)
    out["status"] = out["year"].map(status).astype(str)
    return out


def _worst(statuses: list[str]) -> str:
    """The least trusted provenance status of a group."""
    order = {s: i for i, s in enumerate(STATUSES)}
    return max(statuses, key=lambda s: order.get(s, len(STATUSES)))


def _ladder_problems(systems: pd.DataFrame, ladder: pd.DataFrame) -> list[Problem]:
    """``SAN-W161``: a rung's SFD share in an assessed year differs from the ladder's share of
    the households using a toilet by more than :data:`LADDER_TOLERANCE` points."""
    if ladder.empty:
        return []
    lad = ladder.set_index("year")
    hh = lad[[f"hh_{r}" for r in SYSTEM_RUNGS]].to_numpy(dtype=float)
    users = hh.sum(axis=1)
    pct = np.full(hh.shape, np.nan)
    np.divide(hh * 100.0, users[:, None], out=pct, where=users[:, None] > 0)
    lad_pct = pd.DataFrame(pct, index=lad.index, columns=list(SYSTEM_RUNGS)).stack()
    sfd = systems.groupby(["year", "ladder_rung"])["population_share_pct"].sum()
    years = sorted(set(systems["year"].astype(int)) & set(lad.index.astype(int)))
    if not years:
        return []
    grid = pd.MultiIndex.from_product([years, list(SYSTEM_RUNGS)], names=["year", "ladder_rung"])
    cmp = pd.DataFrame(
        {
            "sfd": sfd.reindex(grid).fillna(0.0).to_numpy(dtype=float),
            "ladder": lad_pct.reindex(grid).to_numpy(dtype=float),
        },
        index=grid,
    ).reset_index()
    first = systems.groupby(["year", "ladder_rung"])[LINE].min()
    cmp[LINE] = (
        first.reindex(pd.MultiIndex.from_frame(cmp[["year", "ladder_rung"]]))
        .fillna(0)
        .astype(int)
        .to_numpy()
    )
    off = (cmp["sfd"] - cmp["ladder"]).abs() > LADDER_TOLERANCE
    return rows_problems(
        cmp,
        off,
        "SAN-W161",
        SFD,
        "ladder_rung",
        cmp["ladder_rung"],
        rung=cmp["ladder_rung"],
        year=cmp["year"],
        sfd=cmp["sfd"].map(_fmt),
        ladder=cmp["ladder"].map(_fmt),
    )


def _fmt(x: float) -> str:
    """A number for messages: up to 2 decimals, no trailing zeros."""
    return f"{float(x):.2f}".rstrip("0").rstrip(".")


__all__ = [
    "RISK_INDICATORS",
    "RISK_OVERRIDES",
    "RISK_WEIGHTS",
    "SFD",
    "RiskInputs",
    "RiskLoad",
    "SfdInputs",
    "SfdLoad",
    "load_risk",
    "load_sfd",
    "read_risk",
    "read_sfd",
]
