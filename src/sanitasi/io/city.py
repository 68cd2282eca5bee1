"""Load a city folder into validated :class:`~sanitasi.core.model.PlanInputs` and options.

The contract of the folder is ``docs/city-data.md``. :func:`load_city` reads every file,
collects every problem of every file (never only the first), and raises one
:class:`~sanitasi.io.errors.InputErrors` if any is an error: bad input is never half-read.
Warnings are returned by :func:`read_city` and emitted as :class:`InputWarning` by
:func:`load_city`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

import pandas as pd
import pandera.errors as pa_errors
import pandera.pandas as pa

from sanitasi.core.model import LEAF_LEVELS, ParameterSet, PlanInputs, PlanOptions
from sanitasi.io import city_checks as cc
from sanitasi.io import city_tables as ct
from sanitasi.io.errors import InputErrors, InputWarning, Problem, errors_of
from sanitasi.io.reference import (
    DATA_PACKAGE,
    TARGET_COLUMNS,
    Reference,
    demo_city_dir,
    load_reference,
    reference_sources,
    targets_with_lines,
    wilayah_index,
)
from sanitasi.io.schemas import FacilitiesModel, ObservationsModel, PlanTargetsModel, RegionsModel
from sanitasi.io.tables import FILE, is_absent, read_table, schema_problems

#: Files of a city folder and their required columns (``None``: the file is optional).
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    ct.REGIONS: ("kode", "nama", "tingkat"),
    ct.OBSERVATIONS: ("kode", "year", "indicator", "value"),
    ct.TARGETS: TARGET_COLUMNS,
    ct.FACILITIES: ("id", "type", "kode"),
    ct.PARAMETERS: ("name", "value"),
}
REQUIRED_FILES: tuple[str, ...] = (ct.REGIONS, ct.OBSERVATIONS)

REGION_COLUMNS = ["kode", "nama", "tingkat", "parent_kode", "urban", "spald_t_zone", "area_km2"]
OBSERVATION_COLUMNS = ["kode", "year", "indicator", "value", "status", "unit", "source"]
TARGET_OUT_COLUMNS = [
    "target_set",
    "indicator",
    "year",
    "kind",
    "value",
    "status",
    "scope_kode",
    "unit",
    "source",
    "note",
]


@dataclass(frozen=True)
class CityLoad:
    """Result of :func:`read_city`: inputs and options (``None`` when there are errors) and
    every problem found (errors and warnings)."""

    inputs: PlanInputs | None
    options: PlanOptions | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return errors_of(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def load_city(
    city_dir: Path | None = None,
    *,
    base_year: int | None = None,
    horizon: int | None = None,
    target_sets: Sequence[str] | None = None,
    param_overrides: Mapping[str, str] | None = None,
    strict: bool = False,
) -> tuple[PlanInputs, PlanOptions]:
    """Read and validate a city folder (``None``: the embedded Kota Solok demo).

    ``base_year`` defaults to the latest year with kelurahan/desa households or population;
    ``horizon`` to ``max(2045, base_year + 5)``; ``target_sets`` to ``None`` (the engine
    decides). ``param_overrides`` (``--param name=value``) apply after the city's own
    ``parameters.csv``. Raises :class:`InputErrors` with every problem when any is an error
    (or, with ``strict``, any warning); otherwise warnings are emitted as
    :class:`InputWarning`.
    """
    result = read_city(
        city_dir,
        base_year=base_year,
        horizon=horizon,
        target_sets=target_sets,
        param_overrides=param_overrides,
    )
    if result.errors or (strict and result.problems):
        raise InputErrors(result.problems)
    assert result.inputs is not None and result.options is not None
    for p in result.warnings:
        warnings.warn(InputWarning(p), stacklevel=2)
    return result.inputs, result.options


def read_city(
    city_dir: Path | str | None = None,
    *,
    base_year: int | None = None,
    horizon: int | None = None,
    target_sets: Sequence[str] | None = None,
    param_overrides: Mapping[str, str] | None = None,
) -> CityLoad:
    """Like :func:`load_city` but never raises for bad input: returns all problems."""
    folder: Traversable = demo_city_dir() if city_dir is None else Path(city_dir)
    ref = load_reference()
    wil = wilayah_index()
    raw, problems = _read_files(folder)

    regions = _regions(raw, wil, problems)
    known = _known_codes(regions)
    obs = _parse(raw, ct.OBSERVATIONS, problems, lambda df: ct.parse_observations(df, wil, known))
    facilities = _parse(
        raw, ct.FACILITIES, problems, lambda df: ct.parse_facilities(df, wil, known)
    )
    city = regions.city if regions is not None else None
    targets = _targets(raw, city, problems)
    params = _parameters(raw, ref.parameters, param_overrides or {}, problems)
    if obs is not None:
        problems += cc.ladder_problems(obs.df)
    years = _options(regions, obs, targets, base_year, horizon, target_sets, problems)

    if errors_of(problems) or regions is None or obs is None or years is None:
        return CityLoad(None, None, tuple(problems))
    inputs = _assemble(folder, regions.df, obs.df, targets, facilities, params, ref, wil)
    problems += _contract_problems(inputs)
    if errors_of(problems):
        return CityLoad(None, None, tuple(problems))
    tsets = tuple(target_sets) if target_sets else None
    options = PlanOptions(base_year=years[0], horizon=years[1], target_sets=tsets)
    return CityLoad(inputs, options, tuple(problems))


# --------------------------------------------------------------------------- reading


def _read_files(folder: Traversable) -> tuple[dict[str, pd.DataFrame | None], list[Problem]]:
    """Every known file of the folder as text; absent optional files are ``None``."""
    raw: dict[str, pd.DataFrame | None] = {}
    problems: list[Problem] = []
    for name, required in REQUIRED_COLUMNS.items():
        location = folder / name
        if name not in REQUIRED_FILES and is_absent(location):
            raw[name] = None
            continue
        raw[name], found = read_table(location, name, required, folder=str(folder))
        problems += found
    return raw, problems


def _parse(
    raw: Mapping[str, pd.DataFrame | None],
    name: str,
    problems: list[Problem],
    parse: Callable[[pd.DataFrame], ct.Parsed],
) -> ct.Parsed | None:
    df = raw.get(name)
    if df is None:
        return None
    parsed = parse(df)
    problems += parsed.problems
    return parsed


def _regions(
    raw: Mapping[str, pd.DataFrame | None], wil: pd.DataFrame, problems: list[Problem]
) -> ct.Regions | None:
    df = raw.get(ct.REGIONS)
    if df is None:
        return None
    parsed = ct.parse_regions(df, wil)
    problems += parsed.problems
    parsed.df = ct.complete_regions(parsed.df, wil)
    return parsed


def _known_codes(regions: ct.Regions | None) -> frozenset[str] | None:
    """Codes an observation or facility may use: those listed and their ancestors."""
    if regions is None:
        return None
    listed = pd.Series(sorted(regions.listed), dtype=str)
    return regions.listed | frozenset(ct.ancestor_pairs(listed)["ancestor"])


def _targets(
    raw: Mapping[str, pd.DataFrame | None], city: str | None, problems: list[Problem]
) -> pd.DataFrame:
    """Reference targets plus the city's, with ``FILE`` and ``LINE`` of every row."""
    reference = targets_with_lines().assign(**{FILE: "reference/targets.csv"})
    df = raw.get(ct.TARGETS)
    if df is None:
        return reference
    parsed = ct.parse_city_targets(df, city)
    problems += parsed.problems
    combined = pd.concat([reference, parsed.df], ignore_index=True)
    problems += ct.target_order_problems(combined)
    return combined


def _parameters(
    raw: Mapping[str, pd.DataFrame | None],
    params: ParameterSet,
    cli: Mapping[str, str],
    problems: list[Problem],
) -> ParameterSet:
    overrides: list[ct.Override] = []
    df = raw.get(ct.PARAMETERS)
    if df is not None:
        found, found_problems = ct.parse_city_parameters(df, params)
        overrides += found
        problems += found_problems
    found, found_problems = ct.parse_cli_parameters(cli, params)
    problems += found_problems
    return ct.apply_overrides(params, overrides + found)


def _options(
    regions: ct.Regions | None,
    obs: ct.Parsed | None,
    targets: pd.DataFrame,
    base_year: int | None,
    horizon: int | None,
    target_sets: Sequence[str] | None,
    problems: list[Problem],
) -> tuple[int, int] | None:
    """Base year and horizon (with their checks), coverage and sub-area checks."""
    problems += cc.target_set_problems(target_sets, list(targets["target_set"].unique()))
    if regions is None or obs is None:
        return None
    leaves = regions.df.loc[regions.df["tingkat"].isin(LEAF_LEVELS), "kode"]
    base, found = cc.resolve_base_year(obs.df, list(leaves), base_year)
    problems += found
    if base is None:
        return None
    problems += cc.coverage_problems(regions.df, obs.df, base)
    problems += cc.subarea_problems(regions.df, obs.df, base)
    problems += cc.completeness_problems(regions.df, regions.city)
    end, found = cc.resolve_horizon(base, horizon)
    problems += found
    return None if end is None else (base, end)


# --------------------------------------------------------------------------- assembling


def _assemble(
    folder: Traversable,
    regions: pd.DataFrame,
    obs: pd.DataFrame,
    targets: pd.DataFrame,
    facilities: ct.Parsed | None,
    params: ParameterSet,
    ref: Reference,
    wil: pd.DataFrame,
) -> PlanInputs:
    fac = ct.empty_facilities() if facilities is None else facilities.df
    observations = obs[OBSERVATION_COLUMNS].reset_index(drop=True)
    observations["year"] = observations["year"].astype("int64")
    tgt = targets[TARGET_OUT_COLUMNS].reset_index(drop=True)
    tgt["year"] = tgt["year"].astype("int64")
    return PlanInputs(
        regions=regions[REGION_COLUMNS].reset_index(drop=True),
        observations=observations,
        targets=tgt,
        facilities=fac[list(ct.FACILITY_COLUMNS)].reset_index(drop=True),
        unit_costs=ref.unit_costs,
        need_items=ref.need_items,
        funding_shares=ref.funding_shares,
        parameters=params,
        sources=_sources(folder),
    )


def _sources(folder: Traversable) -> dict[str, str]:
    ref = reference_sources()
    city = {
        "regions": ct.REGIONS,
        "observations": ct.OBSERVATIONS,
        "facilities": ct.FACILITIES,
    }
    out = {key: str(folder / name) for key, name in city.items() if (folder / name).is_file()}
    out["targets"] = ref["targets"]
    if (folder / ct.TARGETS).is_file():
        out["targets"] += f"; {folder / ct.TARGETS}"
    out["parameters"] = ref["parameters"]
    if (folder / ct.PARAMETERS).is_file():
        out["parameters"] += f"; {folder / ct.PARAMETERS}"
    for key in ("unit_costs", "need_items", "funding_shares"):
        out[key] = ref[key]
    out["wilayah"] = f"{DATA_PACKAGE}/wilayah/wilayah_2025.csv"
    out["city_dir"] = str(folder)
    return out


def _contract_problems(inputs: PlanInputs) -> list[Problem]:
    """Validate the assembled tables against the pandera contract (safety net)."""
    checks: list[tuple[type[pa.DataFrameModel], pd.DataFrame, str]] = [
        (RegionsModel, inputs.regions, "regions"),
        (ObservationsModel, inputs.observations, "observations"),
        (PlanTargetsModel, inputs.targets, "targets"),
        (FacilitiesModel, inputs.facilities, "facilities"),
    ]
    out: list[Problem] = []
    for model, df, name in checks:
        try:
            model.validate(df, lazy=True)
        except pa_errors.SchemaErrors as exc:
            out += schema_problems(exc, df, f"PlanInputs.{name}", with_rows=False)
    return out


__all__ = ["CityLoad", "load_city", "read_city"]
