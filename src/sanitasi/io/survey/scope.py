"""The desa/kelurahan a survey may name (national or a city folder's ``regions.csv``) and
the lookup from raw kelurahan values (dotted/undotted codes, mapping aliases) to groups.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sanitasi.core.model import LEAF_LEVELS
from sanitasi.io.errors import InputErrors, errors_of
from sanitasi.io.reference import load_wilayah
from sanitasi.io.survey.mapping import SurveyMapping
from sanitasi.io.tables import read_table


@dataclass(frozen=True)
class SurveyScope:
    """The desa/kelurahan a survey may name: ``regions`` (``kode, nama, urban``; the row
    position is the group index) and a description used in messages."""

    regions: pd.DataFrame
    scope: str
    scope_id: str


@lru_cache(maxsize=1)
def _national_regions() -> pd.DataFrame:
    wil = load_wilayah()
    leaf = wil[wil["tingkat"].isin(LEAF_LEVELS)].sort_values("kode").reset_index(drop=True)
    return pd.DataFrame(
        {"kode": leaf["kode"], "nama": leaf["nama"], "urban": leaf["tingkat"].eq("kelurahan")}
    )


def survey_scope(city_dir: str | os.PathLike[str] | None = None) -> SurveyScope:
    """Every official desa/kelurahan (urban = kelurahan), or those of a city folder's
    ``regions.csv`` with its ``urban`` flags (raises :class:`InputErrors` if that file is
    bad)."""
    if city_dir is None:
        return SurveyScope(
            _national_regions(),
            "a Kemendagri 2025 desa/kelurahan code",
            "kode desa/kelurahan Kemendagri 2025",
        )
    from sanitasi.io import city_tables as ct
    from sanitasi.io.reference import wilayah_index

    folder = Path(city_dir)
    df, problems = read_table(
        folder / ct.REGIONS, ct.REGIONS, ("kode", "nama", "tingkat"), folder=str(folder)
    )
    if df is None:
        raise InputErrors(problems)
    wil = wilayah_index()
    parsed = ct.parse_regions(df, wil)
    if errors_of(parsed.problems):
        raise InputErrors(parsed.problems)
    full = ct.complete_regions(parsed.df, wil)
    leaf = full[full["tingkat"].isin(LEAF_LEVELS)].sort_values("kode").reset_index(drop=True)
    regions = pd.DataFrame(
        {"kode": leaf["kode"], "nama": leaf["nama"], "urban": leaf["urban"].astype(bool)}
    )
    city = parsed.city or "?"
    return SurveyScope(
        regions,
        f"a kelurahan/desa of {city} in regions.csv",
        f"kelurahan/desa {city} di regions.csv",
    )


#: Recent lookups: ``(id(regions), aliases) -> (regions, lookup, exact, norm)``. The entry
#: holds the regions frame itself, so its id cannot be reused while the entry lives.
_LOOKUPS: dict[tuple[int, tuple[tuple[str, str], ...]], tuple[Any, ...]] = {}
_LOOKUPS_MAX = 4


def _lookup_cached(scope: SurveyScope, mapping: SurveyMapping) -> tuple[Any, ...]:
    spec = mapping.fields.get("kelurahan")
    aliases = tuple((str(k), str(v)) for k, v in spec.exact.items()) if spec is not None else ()
    key = (id(scope.regions), aliases)
    hit = _LOOKUPS.get(key)
    if hit is not None and hit[0] is scope.regions:
        return hit
    table = _build_lookup(scope, mapping)
    ex = table["exact"].to_numpy(dtype=bool)
    keys, gidx = table["key"], table["gidx"].astype(int)
    exact = dict(zip(keys[ex].tolist(), gidx[ex].tolist(), strict=True))
    norm = dict(zip(keys[~ex].tolist(), gidx[~ex].tolist(), strict=True))
    entry = (scope.regions, table, exact, norm)
    while len(_LOOKUPS) >= _LOOKUPS_MAX:
        _LOOKUPS.pop(next(iter(_LOOKUPS)))
    _LOOKUPS[key] = entry
    return entry


def _lookup_table(scope: SurveyScope, mapping: SurveyMapping) -> pd.DataFrame:
    """``key`` -> ``gidx``, ``urban``, ``exact``: dotted and undotted codes and the
    kelurahan codebook of the mapping, as written (``exact``) and trimmed lower-case.
    Built once per scope and mapping aliases (a few recent ones are kept); do not modify."""
    return _lookup_cached(scope, mapping)[1]  # type: ignore[no-any-return]


def _lookup_dicts(
    scope: SurveyScope, mapping: SurveyMapping
) -> tuple[dict[str, int], dict[str, int]]:
    """The lookup as two dictionaries: value as written -> group, and trimmed lower-case
    value -> group (the rows of :func:`_lookup_table`)."""
    entry = _lookup_cached(scope, mapping)
    return entry[2], entry[3]


def _build_lookup(scope: SurveyScope, mapping: SurveyMapping) -> pd.DataFrame:
    reg = scope.regions
    gidx = np.arange(len(reg), dtype=np.int32)
    urban = reg["urban"].to_numpy(dtype=np.int8)
    kode = reg["kode"].astype(str)
    frames = [
        pd.DataFrame({"key": kode, "gidx": gidx, "urban": urban}),
        pd.DataFrame({"key": kode.str.replace(".", "", regex=False), "gidx": gidx, "urban": urban}),
    ]
    spec = mapping.fields.get("kelurahan")
    if spec is not None and spec.exact:
        pos = pd.Series(gidx, index=kode)
        alias = pd.Series(dict(spec.exact), dtype=str)
        target = alias.map(pos)
        ok = target.notna()
        frames.append(
            pd.DataFrame(
                {
                    "key": alias.index[ok.to_numpy()].astype(str),
                    "gidx": target[ok].astype(np.int32).to_numpy(),
                    "urban": urban[target[ok].astype(int).to_numpy()],
                }
            )
        )
    exact = pd.concat(frames, ignore_index=True).drop_duplicates("key", keep="last")
    norm = exact.assign(key=exact["key"].str.strip().str.lower()).drop_duplicates(
        "key", keep="last"
    )
    return pd.concat(
        [exact.assign(exact=True), norm.assign(exact=False)], ignore_index=True
    ).reset_index(drop=True)


def _gidx_of(keys: pd.Series, lookup: pd.DataFrame) -> pd.Series:
    """Group index of raw kelurahan values (exact first, then trimmed lower-case); NaN if
    unknown. The pandas twin of the SQL join in :func:`_joined_sql`."""
    exact = lookup[lookup["exact"]].set_index("key")["gidx"]
    norm = lookup[~lookup["exact"]].set_index("key")["gidx"]
    first = keys.map(exact)
    return first.fillna(keys.str.strip().str.lower().map(norm))


__all__ = ["SurveyScope", "survey_scope"]
