"""Per-file parsing and checks of a city folder (regions, observations, targets, facilities,
parameters). Cross-file checks live in :mod:`sanitasi.io.city_checks`.

Each ``parse_*`` function takes the text table read by :func:`sanitasi.io.tables.read_table`
and returns a :class:`Parsed`: the typed rows that passed every check of that file (with their
line in ``LINE``) and the problems found. Nothing here loops over regions: checks are
vectorised, only the reporting loops over problems.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from sanitasi.core.model import INDICATORS, LEAF_LEVELS, STATUSES, ParameterSet
from sanitasi.io.errors import Problem, problem
from sanitasi.io.reference import TINGKAT, convert_targets, parameter_value_problems
from sanitasi.io.tables import (
    FILE,
    LINE,
    Checker,
    duplicate_problems,
    member_of,
    rows_problems,
)

REGIONS = "regions.csv"
OBSERVATIONS = "observations.csv"
TARGETS = "targets.csv"
FACILITIES = "facilities.csv"
PARAMETERS = "parameters.csv"
LOCAL = "LOCAL"


@dataclass
class Parsed:
    """Typed good rows of one file (``LINE`` kept) and the problems of that file."""

    df: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


def parent_of(kode: pd.Series) -> pd.Series:
    """Parent code: the code without its last dotted part ("" for a province)."""
    return kode.str.rpartition(".")[0]


def ancestor_pairs(kode: pd.Series) -> pd.DataFrame:
    """Long table ``kode, ancestor`` of every proper ancestor of every code (vectorised)."""
    depth = kode.str.count(r"\.") + 1
    frames = [
        pd.DataFrame(
            {
                "kode": kode[depth > k],
                "ancestor": kode[depth > k].str.split(".").str[:k].str.join("."),
            }
        )
        for k in (1, 2, 3)
    ]
    return pd.concat(frames, ignore_index=True)


def kabkota_of(kode: pd.Series) -> pd.Series:
    """Kab/kota code of each code ("" for a province)."""
    return kode.str.split(".").str[:2].str.join(".").where(kode.str.contains(".", regex=False), "")


# --------------------------------------------------------------------------- regions


@dataclass
class Regions(Parsed):
    """Regions listed in the file (good rows) plus the city code, if identified."""

    city: str | None = None
    listed: frozenset[str] = frozenset()


def parse_regions(df: pd.DataFrame, wil: pd.DataFrame) -> Regions:
    """Check ``regions.csv`` against the official list and identify the city."""
    chk = Checker(df, REGIONS)
    kode = chk.text("kode")
    tingkat = chk.choice("tingkat", TINGKAT)
    official = kode.map(wil["tingkat"])
    chk.flag(kode.ne("") & official.isna(), "SAN-E004", "kode")
    chk.flag(
        official.notna() & tingkat.isin(TINGKAT) & tingkat.ne(official),
        "SAN-E025",
        "tingkat",
        kode=kode,
        official=official,
    )
    parent = parent_of(kode)
    given = chk.raw("parent_kode")
    chk.flag(given.ne("") & given.ne(parent), "SAN-E007", "parent_kode", kode=kode, expected=parent)
    nama = chk.raw("nama")
    typed = pd.DataFrame(
        {
            "kode": kode,
            "nama": nama.mask(nama.eq(""), kode.map(wil["nama"])).fillna(""),
            "tingkat": tingkat,
            "parent_kode": parent,
            "urban": chk.boolean("urban"),
            "spald_t_zone": chk.text("spald_t_zone", required=False),
            "area_km2": chk.number("area_km2", required=False),
            LINE: df[LINE],
        }
    )
    dup = typed.duplicated("kode") & kode.ne("")
    chk.problems += duplicate_problems(typed[kode.ne("")], ["kode"], "kode", REGIONS)
    chk.bad |= dup
    listed = frozenset(kode[kode.ne("") & official.notna()])
    city, city_problems = _identify_city(typed[~chk.bad])
    chk.problems += city_problems
    if city is not None:
        chk.flag(_outside(typed, city) & ~chk.bad, "SAN-E006", "kode", city=city)
    return Regions(typed[~chk.bad].copy(), chk.problems, city=city, listed=listed)


def _identify_city(good: pd.DataFrame) -> tuple[str | None, list[Problem]]:
    kab = good.loc[good["tingkat"].eq("kabkota"), "kode"]
    if len(kab) == 1:
        return str(kab.iloc[0]), []
    if len(kab) > 1:
        detail = f"it lists {len(kab)} kab/kota rows ({', '.join(kab)})"
        detail_id = f"berkas memuat {len(kab)} baris kab/kota ({', '.join(kab)})"
        mask = good["tingkat"].eq("kabkota")
        return None, rows_problems(
            good, mask, "SAN-E026", REGIONS, "tingkat", detail=detail, detail_id=detail_id
        )
    cities = sorted(set(kabkota_of(good["kode"])) - {""})
    if len(cities) == 1:
        return cities[0], []
    detail = (
        "no kab/kota row and no region below the province"
        if not cities
        else f"no kab/kota row and the regions belong to {len(cities)} kab/kota ({', '.join(cities)})"
    )
    detail_id = (
        "tidak ada baris kab/kota dan tidak ada wilayah di bawah provinsi"
        if not cities
        else f"tidak ada baris kab/kota dan wilayahnya milik {len(cities)} kab/kota ({', '.join(cities)})"
    )
    return None, [
        problem("SAN-E026", REGIONS, 1, "tingkat", None, detail=detail, detail_id=detail_id)
    ]


def _outside(typed: pd.DataFrame, city: str) -> pd.Series:
    kode, tingkat = typed["kode"], typed["tingkat"]
    below = tingkat.isin(("kecamatan", *LEAF_LEVELS)) & ~kode.str.startswith(city + ".")
    wrong_province = tingkat.eq("provinsi") & kode.ne(city.split(".")[0])
    wrong_city = tingkat.eq("kabkota") & kode.ne(city)
    return (below | wrong_province | wrong_city) & kode.ne("")


def complete_regions(good: pd.DataFrame, wil: pd.DataFrame) -> pd.DataFrame:
    """Regions with every missing ancestor added from the official list, ``urban`` filled.

    ``urban`` defaults to True for a kelurahan, False for a desa; an ancestor is urban when
    any of its leaves is. Added rows get line 0.
    """
    anc = ancestor_pairs(good["kode"])
    missing = sorted(set(anc["ancestor"]) - set(good["kode"]))
    added = pd.DataFrame(
        {
            "kode": missing,
            "nama": [str(wil.at[k, "nama"]) for k in missing],
            "tingkat": [str(wil.at[k, "tingkat"]) for k in missing],
        }
    )
    added = added.assign(
        parent_kode=parent_of(added["kode"].astype(str)),
        urban=pd.Series(pd.NA, index=added.index, dtype="boolean"),
        spald_t_zone="",
        area_km2=float("nan"),
        **{LINE: 0},
    )
    table = pd.concat([good, added], ignore_index=True) if len(added) else good.copy()
    table["urban"] = _urban(table)
    return table.sort_values("kode", kind="stable").reset_index(drop=True)


def _urban(table: pd.DataFrame) -> pd.Series:
    urban = table["urban"].astype("boolean")
    leaf = table["tingkat"].isin(LEAF_LEVELS)
    urban = urban.mask(leaf & urban.isna(), table["tingkat"].eq("kelurahan"))
    leaves = pd.DataFrame({"kode": table.loc[leaf, "kode"], "u": urban[leaf].fillna(False)})
    pairs = ancestor_pairs(leaves["kode"]).merge(leaves, on="kode")
    any_urban = pairs.groupby("ancestor")["u"].any()
    return urban.fillna(table["kode"].map(any_urban)).fillna(False).astype(bool)


# --------------------------------------------------------------------------- observations


def parse_observations(df: pd.DataFrame, wil: pd.DataFrame, known: frozenset[str] | None) -> Parsed:
    """Check ``observations.csv``; ``known`` are the region codes of the city (None: unknown)."""
    chk = Checker(df, OBSERVATIONS)
    kode = chk.text("kode")
    official = member_of(kode, wil.index)
    chk.flag(kode.ne("") & ~official, "SAN-E004", "kode")
    if known is not None:
        chk.flag(official & ~kode.isin(known), "SAN-E005", "kode")
    indicator = chk.text("indicator")
    value = chk.number("value", nonneg=False)
    _check_shares(chk, indicator, value)
    typed = pd.DataFrame(
        {
            "kode": kode,
            "year": chk.year("year"),
            "indicator": indicator,
            "value": value,
            "status": chk.choice("status", STATUSES, default="unverified"),
            "unit": chk.text("unit", required=False),
            "source": chk.text("source", required=False),
            "raw": chk.raw("value"),
            LINE: df[LINE],
        }
    )
    key = ["kode", "year", "indicator"]
    keyed = typed[kode.ne("") & typed["year"].notna() & indicator.ne("")]
    chk.problems += duplicate_problems(keyed, key, "indicator", OBSERVATIONS)
    chk.bad |= typed.index.isin(keyed.index[keyed.duplicated(key)])
    return Parsed(typed[~chk.bad].copy(), chk.problems)


def _check_shares(chk: Checker, indicator: pd.Series, value: pd.Series) -> None:
    is_pct = indicator.str.startswith("pct_")
    chk.flag(
        is_pct & ((value < 0) | (value > 100)),
        "SAN-E011",
        "value",
        name=indicator,
        kind="a percentage",
        kind_id="persentase",
        low=0,
        high=100,
    )
    chk.flag(~is_pct & (value < 0), "SAN-E009", "value")


# --------------------------------------------------------------------------- targets


def parse_city_targets(df: pd.DataFrame, city: str | None) -> Parsed:
    """Check a city's ``targets.csv``; ``LOCAL`` rows get ``scope_kode`` = the city code."""
    chk = Checker(df, TARGETS)
    typed = convert_targets(chk)
    typed["scope_kode"] = typed["scope_kode"].mask(typed["target_set"].eq(LOCAL), city or "")
    typed[LINE] = df[LINE]
    typed[FILE] = TARGETS
    unknown = typed["indicator"].ne("") & ~typed["indicator"].isin(list(INDICATORS))
    chk.flag(unknown, "SAN-W102", "indicator", mark_bad=False, choices=", ".join(INDICATORS))
    return Parsed(typed[~chk.bad].copy(), chk.problems)


def target_order_problems(targets: pd.DataFrame) -> list[Problem]:
    """``SAN-E012`` duplicates and ``SAN-E015`` baselines dated after a target of the same
    set and indicator, over reference + city targets (``FILE`` and ``LINE`` columns)."""
    key = ["target_set", "indicator", "year"]
    problems = duplicate_problems(targets, key, "year")
    points = targets[targets["kind"].eq("target")]
    first = points.sort_values("year", kind="stable").drop_duplicates(["target_set", "indicator"])
    first = first[["target_set", "indicator", "year", LINE, FILE]]
    base = (
        targets[targets["kind"].eq("baseline")]
        .reset_index()
        .merge(first, on=["target_set", "indicator"], suffixes=("", "_t"))
    )
    base = base.set_index("index")
    late = base["year"] > base["year_t"]
    other = base[FILE + "_t"] + " line " + base[LINE + "_t"].astype(str)
    problems += rows_problems(
        base,
        late,
        "SAN-E015",
        base[FILE],
        "year",
        target_set=base["target_set"],
        indicator=base["indicator"],
        year=base["year"],
        target_year=base["year_t"],
        other=other,
    )
    return problems


# --------------------------------------------------------------------------- facilities


FACILITY_COLUMNS = (
    "id",
    "type",
    "kode",
    "capacity",
    "capacity_unit",
    "status",
    "name",
    "source",
    "owner",
)
#: Owners of a facility (``owner`` column, blank = ``sendiri``, the kab/kota itself); a TPA of
#: another owner is a shared facility: its cells are funded by the owner and the city pays a
#: tipping fee (docs/METHOD.md §7.5).
FACILITY_OWNERS = ("sendiri", "provinsi", "regional", "daerah_lain", "swasta")


def parse_facilities(df: pd.DataFrame, wil: pd.DataFrame, known: frozenset[str] | None) -> Parsed:
    """Check ``facilities.csv``: official kode inside the city, capacity a number >= 0 or blank."""
    chk = Checker(df, FACILITIES)
    kode = chk.text("kode")
    official = member_of(kode, wil.index)
    chk.flag(kode.ne("") & ~official, "SAN-E004", "kode")
    if known is not None:
        chk.flag(official & ~kode.isin(known), "SAN-E005", "kode")
    typed = pd.DataFrame(
        {
            "id": chk.text("id"),
            "type": chk.text("type"),
            "kode": kode,
            "capacity": chk.number("capacity", required=False),
            "capacity_unit": chk.text("capacity_unit", required=False),
            "status": chk.choice("status", STATUSES, default="unverified"),
            "name": chk.text("name", required=False),
            "source": chk.text("source", required=False),
            "owner": chk.choice("owner", FACILITY_OWNERS, default="sendiri"),
            LINE: df[LINE],
        }
    )
    keyed = typed[typed["id"].ne("")]
    chk.problems += duplicate_problems(keyed, ["id"], "id", FACILITIES)
    chk.bad |= typed.index.isin(keyed.index[keyed.duplicated("id")])
    return Parsed(typed[~chk.bad].copy(), chk.problems)


def empty_facilities() -> pd.DataFrame:
    cols = {c: pd.Series(dtype=str) for c in FACILITY_COLUMNS}
    cols["capacity"] = pd.Series(dtype=float)
    return pd.DataFrame(cols)


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Override:
    name: str
    value: float | str
    source: str
    status: str


def parse_city_parameters(
    df: pd.DataFrame, params: ParameterSet
) -> tuple[list[Override], list[Problem]]:
    """Overrides from a city ``parameters.csv`` (``name, value[, source, status]``).

    A blank value keeps the reference value. Unknown names are ``SAN-E018``, a
    ``reference_only`` parameter (no computation reads it, docs/METHOD.md §16) ``SAN-E201``,
    invalid values ``SAN-E019``/``SAN-E011``, a name given twice ``SAN-E012``.
    """
    chk = Checker(df, PARAMETERS)
    name = chk.text("name")
    chk.flag(name.ne("") & ~name.isin(list(params.params)), "SAN-E018", "name")
    chk.flag(name.isin(reference_only_names(params)), "SAN-E201", "name")
    status = chk.choice("status", STATUSES, default="unverified")
    source = chk.text("source", required=False, default=PARAMETERS)
    named = df.assign(name=name)[name.ne("")]
    chk.problems += duplicate_problems(named, ["name"], "name", PARAMETERS)
    chk.bad |= df.index.isin(named.index[named.duplicated("name")])
    ok = df.assign(name=name)[~chk.bad]
    units = ok["name"].map(lambda n: params.params[n].unit)
    values, bad_value, value_problems = parameter_value_problems(ok, units, PARAMETERS)
    keep = ok.index[~bad_value & ok["value"].ne("")]
    overrides = [
        Override(str(ok.at[i, "name"]), _pvalue(values.at[i]), str(source.at[i]), str(status.at[i]))
        for i in keep
    ]
    return overrides, chk.problems + value_problems


def parse_cli_parameters(
    overrides: Mapping[str, str], params: ParameterSet
) -> tuple[list[Override], list[Problem]]:
    """Overrides given on the command line (``--param name=value``); file ``--param``."""
    if not overrides:
        return [], []
    names = [str(k).strip() for k in overrides]
    df = pd.DataFrame({"name": names, "value": [str(v).strip() for v in overrides.values()]})
    df[LINE] = 0
    unknown = ~df["name"].isin(list(params.params))
    problems = rows_problems(df, unknown, "SAN-E018", "--param", "name")
    ref_only = df["name"].isin(reference_only_names(params))
    problems += rows_problems(df, ref_only, "SAN-E201", "--param", "name")
    ok = df[~unknown & ~ref_only]
    units = ok["name"].map(lambda n: params.params[n].unit)
    values, bad, value_problems = parameter_value_problems(ok, units, "--param", column=None)
    keep = ok.index[~bad & ok["value"].ne("")]
    out = [
        Override(str(ok.at[i, "name"]), _pvalue(values.at[i]), "--param", "unverified")
        for i in keep
    ]
    return out, problems + value_problems


def reference_only_names(params: ParameterSet) -> list[str]:
    """Parameters no computation reads (``read_by`` = ``reference_only``): not overridable."""
    return [n for n, p in params.params.items() if p.reference_only]


def _pvalue(v: object) -> float | str:
    return v if isinstance(v, str) else float(str(v))


def apply_overrides(params: ParameterSet, overrides: list[Override]) -> ParameterSet:
    """Apply overrides once per name (the last one wins; ``default`` keeps the reference)."""
    final = {o.name: o for o in overrides}
    for o in final.values():
        params = params.with_overrides({o.name: o.value}, source=o.source, status=o.status)
    return params
