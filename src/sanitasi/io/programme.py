"""Load the programme side of a city folder into validated
:class:`~sanitasi.core.programme.ProgrammeInputs`.

The files are ``agencies.csv`` and ``programme.csv`` (required), ``realisation.csv``,
``meetings.csv`` and ``action_items.csv`` (optional); ``regions.csv`` says where activities
may be located. The contract is ``docs/city-data.md`` section 8. Like
:func:`sanitasi.io.city.load_city`, :func:`load_programme` checks every file, collects every
problem (file, line, column, value, rule) and raises one
:class:`~sanitasi.io.errors.InputErrors` if any is an error; :func:`read_programme` returns
the same result without raising.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.errors as pa_errors
import pandera.pandas as pa

from sanitasi.core.programme import ProgrammeInputs
from sanitasi.io import city_tables as ct
from sanitasi.io import programme_tables as pt
from sanitasi.io.errors import InputErrors, InputWarning, Problem, errors_of, problem
from sanitasi.io.reference import demo_city_dir, wilayah_index
from sanitasi.io.schemas import (
    ActionItemsModel,
    ActivitiesModel,
    MeetingsModel,
    PlannedModel,
    RealisationModel,
)
from sanitasi.io.tables import LINE, is_absent, read_table, schema_problems

#: Files of the programme side and their required columns.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    pt.AGENCIES: ("code", "name_id"),
    pt.PROGRAMME: (
        "code",
        "sector",
        "activity",
        "output_unit",
        "lead_agency",
        "location_kode",
        "funding_source",
        "sasaran",
        "effect",
    ),
    pt.REALISATION: ("activity_code", "year", "quarter", "output_achieved", "cost_spent_idr"),
    pt.MEETINGS: ("id", "date", "kind"),
    pt.ACTION_ITEMS: ("meeting_id", "action", "owner_agency", "due_date"),
}
REQUIRED_FILES: tuple[str, ...] = (pt.AGENCIES, pt.PROGRAMME)
REGION_COLUMNS: tuple[str, ...] = ("kode", "nama", "tingkat")
SOURCE_KEYS: dict[str, str] = {
    "agencies": pt.AGENCIES,
    "activities": pt.PROGRAMME,
    "planned": pt.PROGRAMME,
    "realisation": pt.REALISATION,
    "meetings": pt.MEETINGS,
    "action_items": pt.ACTION_ITEMS,
}


@dataclass(frozen=True)
class ProgrammeLoad:
    """Result of :func:`read_programme`: the inputs (``None`` when there are errors) and every
    problem found (errors and warnings)."""

    inputs: ProgrammeInputs | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return errors_of(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def load_programme(
    city_dir: Path | str | None = None,
    *,
    city_kode: str | None = None,
    strict: bool = False,
    as_of: dt.date | None = None,
    through: tuple[int, int] | None = None,
) -> ProgrammeInputs:
    """Read and validate the programme files of a city folder (``None``: the Kota Solok demo).

    Raises :class:`InputErrors` with every problem when any is an error (or, with ``strict``,
    any warning); otherwise warnings are emitted as :class:`InputWarning`. With ``as_of``,
    realisation of a quarter that starts after ``as_of`` is an error (``SAN-E049``; only the
    rows up to ``through`` = (year, quarter) when given: the rows a report of that quarter
    reads).
    """
    result = read_programme(city_dir, city_kode=city_kode, as_of=as_of, through=through)
    if result.errors or (strict and result.problems):
        raise InputErrors(result.problems)
    assert result.inputs is not None
    for p in result.warnings:
        warnings.warn(InputWarning(p), stacklevel=2)
    return result.inputs


def read_programme(
    city_dir: Path | str | None = None,
    *,
    city_kode: str | None = None,
    as_of: dt.date | None = None,
    through: tuple[int, int] | None = None,
) -> ProgrammeLoad:
    """Like :func:`load_programme` but never raises for bad input: returns all problems.

    ``city_kode`` names the city when the folder has no ``regions.csv`` (locations are then
    checked against the official region list); when both are given they must agree.
    """
    folder: Traversable = demo_city_dir() if city_dir is None else Path(city_dir)
    return read_folder(folder, city_kode=city_kode, as_of=as_of, through=through)


def read_folder(
    folder: Traversable,
    *,
    city_kode: str | None = None,
    overlay: Mapping[str, pd.DataFrame] | None = None,
    as_of: dt.date | None = None,
    through: tuple[int, int] | None = None,
) -> ProgrammeLoad:
    """Read the programme files of ``folder``; ``overlay`` replaces some of them by text tables
    (as :func:`~sanitasi.io.tables.parse_csv` returns, with an optional ``FILE`` column), e.g.
    the merge of an uploaded workbook, so they are checked exactly like the files. ``as_of``
    and ``through``: the future-quarter check of realisation
    (:func:`~sanitasi.io.programme_tables.parse_realisation`)."""
    problems: list[Problem] = []
    places = read_places(folder, city_kode, problems)
    raw = _read_files(folder, overlay or {}, problems)

    agencies = _parse(raw, pt.AGENCIES, problems, lambda df: pt.parse_agencies(df, places))
    codes = _agency_codes(raw)
    programme: pt.ProgrammeParsed | None = None
    programme_raw = raw[pt.PROGRAMME]
    if programme_raw is not None:
        programme = pt.parse_programme(programme_raw, places, codes)
        problems += programme.problems
    activity_codes = None if programme is None else programme.codes
    profiles = None if programme is None else programme.profiles
    years = () if programme is None else programme.years
    realisation = _parse(
        raw,
        pt.REALISATION,
        problems,
        lambda df: pt.parse_realisation(
            df, activity_codes, years, profiles=profiles, as_of=as_of, through=through
        ),
    )
    meetings = _parse(raw, pt.MEETINGS, problems, lambda df: pt.parse_meetings(df, codes))
    dates = _meeting_dates(raw, meetings)
    actions = _parse(
        raw, pt.ACTION_ITEMS, problems, lambda df: pt.parse_action_items(df, dates, codes)
    )
    if errors_of(problems) or agencies is None or programme is None:
        return ProgrammeLoad(None, tuple(problems))
    city = places.city or ""
    inputs = ProgrammeInputs(
        agencies=_table(agencies, pt.AGENCY_COLUMNS, city),
        activities=programme.df[[*pt.ACTIVITY_COLUMNS, *pt.DOCUMENT_COLUMNS]].assign(
            city_kode=city
        ),
        planned=programme.planned.assign(city_kode=city)[list(pt.PLANNED_COLUMNS)],
        realisation=_realisation(realisation, city),
        meetings=_table(meetings, pt.MEETING_COLUMNS, city),
        action_items=_table(actions, pt.ACTION_COLUMNS, city),
        sources=_sources(folder, raw),
    )
    problems += _contract_problems(inputs)
    if errors_of(problems):
        return ProgrammeLoad(None, tuple(problems))
    return ProgrammeLoad(inputs, tuple(problems))


# --------------------------------------------------------------------------- reading


def read_places(folder: Traversable, city_kode: str | None, problems: list[Problem]) -> pt.Places:
    """The city and its region codes, from regions.csv (problems appended to ``problems``).

    Without regions.csv, ``city_kode`` must be given: the city's official kecamatan and
    kelurahan/desa (``wilayah_2025.csv``) are the allowed locations.
    """
    wil = wilayah_index()
    location = folder / ct.REGIONS
    if is_absent(location) and city_kode is not None:
        if city_kode not in wil.index or wil.at[city_kode, "tingkat"] != "kabkota":
            problems.append(problem("SAN-E004", "city_kode", None, "city_kode", city_kode))
            return pt.Places(None, None, wil)
        codes = pd.Series(wil.index, dtype=str)
        inside = codes[codes.eq(city_kode) | ct.kabkota_of(codes).eq(city_kode)]
        known = frozenset(inside) | frozenset(ct.ancestor_pairs(inside)["ancestor"])
        return pt.Places(city_kode, known, wil)
    df, found = read_table(location, ct.REGIONS, REGION_COLUMNS, folder=str(folder))
    problems += found
    if df is None:
        return pt.Places(city_kode, None, wil)
    parsed = ct.parse_regions(df, wil)
    problems += parsed.problems
    completed = ct.complete_regions(parsed.df, wil)
    city = parsed.city
    if city_kode is not None and city is not None and city_kode != city:
        problems.append(problem("SAN-E045", ct.REGIONS, None, None, city_kode, city=city))
    return pt.Places(city or city_kode, frozenset(completed["kode"]), wil)


def _read_files(
    folder: Traversable, overlay: Mapping[str, pd.DataFrame], problems: list[Problem]
) -> dict[str, pd.DataFrame | None]:
    """Every programme file of the folder as text (overlay first); absent optional files are
    ``None``."""
    raw: dict[str, pd.DataFrame | None] = {}
    for name, required in REQUIRED_COLUMNS.items():
        if name in overlay:
            raw[name] = overlay[name]
            continue
        location = folder / name
        if name not in REQUIRED_FILES and is_absent(location):
            raw[name] = None
            continue
        raw[name], found = read_table(location, name, required, folder=str(folder))
        problems += found
    return raw


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


def _agency_codes(raw: Mapping[str, pd.DataFrame | None]) -> dict[str, str]:
    """Every agency code given (also on bad rows, so that one bad row does not cascade)."""
    df = raw.get(pt.AGENCIES)
    if df is None:
        return {}
    return pt.agency_lookup(c for c in df["code"] if c != "")


def _meeting_dates(
    raw: Mapping[str, pd.DataFrame | None], meetings: ct.Parsed | None
) -> dict[str, Any]:
    """Meeting id -> date, for every id given (NaT for a bad row)."""
    df = raw.get(pt.MEETINGS)
    if df is None:
        return {}
    dates: dict[str, Any] = dict.fromkeys((i for i in df["id"] if i != ""), pd.NaT)
    if meetings is not None:
        dates.update(zip(meetings.df["id"], meetings.df["date"], strict=True))
    return dates


# --------------------------------------------------------------------------- assembling


def _table(parsed: ct.Parsed | None, columns: tuple[str, ...], city: str) -> pd.DataFrame:
    """The public table: ``city_kode`` first, the line column dropped; empty when absent."""
    if parsed is None:
        empty = {c: pd.Series(dtype=str) for c in columns}
        for c in ("date", "due_date"):
            if c in empty:
                empty[c] = pd.Series(dtype="datetime64[ns]")
        if "participants" in empty:
            empty["participants"] = pd.Series(dtype=object)
        return pd.DataFrame(empty)
    df = parsed.df.drop(columns=[LINE], errors="ignore").assign(city_kode=city)
    return df[list(columns)].reset_index(drop=True)


def _realisation(parsed: ct.Parsed | None, city: str) -> pd.DataFrame:
    if parsed is None:
        df = pd.DataFrame({c: pd.Series(dtype=str) for c in pt.REALISATION_COLUMNS})
    else:
        df = parsed.df.drop(columns=[LINE]).assign(city_kode=city)
    df = df[list(pt.REALISATION_COLUMNS)].reset_index(drop=True)
    for col in ("year", "quarter"):
        df[col] = df[col].astype("int64")
    for col in ("output_achieved", "cost_spent_idr", "progress_pct"):
        df[col] = df[col].astype(float)
    return df


def _sources(folder: Traversable, raw: Mapping[str, pd.DataFrame | None]) -> dict[str, str]:
    out = {
        key: str(folder / name) for key, name in SOURCE_KEYS.items() if raw.get(name) is not None
    }
    out["city_dir"] = str(folder)
    return out


def _contract_problems(inputs: ProgrammeInputs) -> list[Problem]:
    """Validate the assembled tables against the pandera contract (safety net)."""
    checks: list[tuple[type[pa.DataFrameModel], pd.DataFrame, str]] = [
        (ActivitiesModel, inputs.activities, "activities"),
        (PlannedModel, inputs.planned, "planned"),
        (RealisationModel, inputs.realisation, "realisation"),
        (MeetingsModel, inputs.meetings, "meetings"),
        (ActionItemsModel, inputs.action_items, "action_items"),
    ]
    out: list[Problem] = []
    for model, df, name in checks:
        try:
            model.validate(df, lazy=True)
        except pa_errors.SchemaErrors as exc:
            out += schema_problems(exc, df, f"ProgrammeInputs.{name}", with_rows=False)
    return out


__all__ = ["ProgrammeLoad", "load_programme", "read_folder", "read_programme"]
