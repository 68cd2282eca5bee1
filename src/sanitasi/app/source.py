"""Where a city's data come from: the :class:`CitySource` protocol, the folder source and the
request that says how to plan.

A source hands the use cases (:mod:`sanitasi.app.plan`, :mod:`sanitasi.app.monitoring`,
:mod:`sanitasi.app.instruments`) validated inputs, never files: the plan inputs and options
(:meth:`CitySource.plan_inputs`), the programme matrix (:meth:`CitySource.programme`), the
SSK instrument inputs (:meth:`CitySource.instruments`) and the greenhouse-gas inputs
(:meth:`CitySource.ghg`: the GHG reference tables, the TPA rows of ``facilities.csv`` and
the optional ``waste_composition.csv``). Every method raises one
:class:`~sanitasi.io.errors.InputErrors` carrying every problem it found when the input is
bad. Two sources exist:

* :class:`FolderSource` -- a city folder in the layout of ``docs/city-data.md`` (``None``:
  the embedded Kota Solok demo), read by the io readers; the CLI uses it;
* ``sanitasi.web.plans.source.DatabaseSource`` -- the city as stored in the web database
  (the web imports the app layer, never the reverse).

:func:`read_instruments` is shared by both: it reads the instrument files of any folder the
io readers accept (a path, the demo, or an in-memory :class:`~sanitasi.io.folders.MemoryFolder`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Protocol, runtime_checkable

import pandas as pd

from sanitasi.core.model import PlanInputs, PlanOptions
from sanitasi.core.programme import ProgrammeInputs
from sanitasi.io.city import load_city
from sanitasi.io.errors import InputErrors, Problem, errors_of
from sanitasi.io.folders import city_folder
from sanitasi.io.ghg import COMPOSITION, GhgInputs, read_ghg_inputs
from sanitasi.io.instruments import (
    RISK_INDICATORS,
    RISK_WEIGHTS,
    SFD,
    RiskInputs,
    SfdInputs,
    read_risk,
    read_sfd,
)
from sanitasi.io.programme import load_programme
from sanitasi.io.survey_result import read_survey_result

#: The SSK instruments of Bab II a source may hold, in report order.
INSTRUMENTS: tuple[str, ...] = ("survey", "risk", "sfd")
#: Files of each instrument (``survey``: the per-kelurahan result of ``sanitasi survey
#: --apply``; ``risk``: indicators, weights and the optional Pokja overrides).
INSTRUMENT_FILES: dict[str, tuple[str, ...]] = {
    "survey": ("survey_result.csv",),
    "risk": (RISK_INDICATORS, RISK_WEIGHTS, "risk_overrides.csv"),
    "sfd": (SFD,),
}
#: City files of the GHG chapter that a source keeps as they are (the web stores them like
#: the instrument files); the TPA's class and opening year are columns of ``facilities.csv``.
GHG_FILES: tuple[str, ...] = (COMPOSITION,)
#: Default growth method and business as usual of ``sanitasi plan`` (a folder has neither).
DEFAULT_GROWTH_METHOD = "geometric"
DEFAULT_BAU_MODE = "constant"


@dataclass(frozen=True)
class PlanRequest:
    """How to plan: every field ``None`` (or empty) leaves the choice to the source.

    ``base_year`` (a year with kelurahan data), ``horizon`` (last projected year),
    ``target_sets`` (codes in order), ``param_overrides`` (name -> value text, applied after
    the city's own overrides, as ``--param``), ``growth_method`` (``geometric``,
    ``arithmetic``, ``exponential``), ``bau_mode`` (``constant``, ``trend``) and
    ``plan_period`` (first and last year of the SSK period) and ``gwp`` (the IPCC assessment
    report of the GHG chapter's CO2e: ``AR4``, ``AR5`` or ``AR6``; ``None``: the
    ``ghg_gwp_assessment`` parameter, AR5). A folder source defaults to ``sanitasi plan``'s
    choices; the database source to the city's stored plan.
    """

    base_year: int | None = None
    horizon: int | None = None
    target_sets: tuple[str, ...] | None = None
    param_overrides: Mapping[str, str] = field(default_factory=dict)
    growth_method: str | None = None
    bau_mode: str | None = None
    plan_period: tuple[int, int] | None = None
    gwp: str | None = None


@dataclass(frozen=True)
class InstrumentInputs:
    """Validated SSK instrument inputs of a city, each ``None`` when the city has none.

    ``survey_shares``: the typed rows of ``survey_result.csv``; ``risk``:
    :class:`~sanitasi.io.instruments.RiskInputs`; ``sfd``:
    :class:`~sanitasi.io.instruments.SfdInputs`. ``warnings``: instrument -> the
    warning-level problems found reading it (shown with the report's warnings)."""

    survey_shares: pd.DataFrame | None = None
    risk: RiskInputs | None = None
    sfd: SfdInputs | None = None
    warnings: Mapping[str, tuple[Problem, ...]] = field(default_factory=dict)

    def warnings_of(self, kind: str) -> tuple[Problem, ...]:
        return tuple(self.warnings.get(kind, ()))


@runtime_checkable
class CitySource(Protocol):
    """A city's data for the use cases; every method raises
    :class:`~sanitasi.io.errors.InputErrors` with every problem on bad input."""

    @property
    def label(self) -> str:
        """Names the source in messages and cache keys (a folder, ``database 13.72``)."""
        ...

    def plan_inputs(self, request: PlanRequest) -> tuple[PlanInputs, PlanOptions]:
        """The engine inputs and options for ``request``."""
        ...

    def programme(
        self,
        *,
        as_of: dt.date | None = None,
        through: tuple[int, int] | None = None,
        required: bool = False,
    ) -> ProgrammeInputs | None:
        """The programme matrix (``None``: the city has none, unless ``required``, when its
        absence is an error). ``as_of``/``through``: realisation of a quarter that starts
        after ``as_of`` is an error (``SAN-E049``; rows up to ``through`` = (year, quarter))."""
        ...

    def instruments(
        self, kinds: Collection[str] = INSTRUMENTS, *, required: bool = False
    ) -> InstrumentInputs:
        """The instrument inputs of ``kinds`` (``survey``, ``risk``, ``sfd``) the city has;
        with ``required`` a missing risk or SFD file is an error (``SAN-E001``)."""
        ...

    def ghg(self) -> GhgInputs:
        """The inputs of the GHG chapter (docs/METHOD.md §12.6): reference tables, the TPA
        rows (class, opening year) and the city's composition of landfilled waste, if any."""
        ...


def read_instruments(
    folder: Traversable, kinds: Collection[str] = INSTRUMENTS, *, required: bool = False
) -> InstrumentInputs:
    """The instrument inputs of ``folder`` (any folder the io readers accept).

    Each instrument is read only when asked for (``kinds``) and, unless ``required``, only
    when its files are there: ``survey_result.csv`` (always optional); ``risk_indicators.csv``
    or ``risk_weights.csv`` (then both are needed); ``sfd.csv`` (with the ladder of
    ``observations.csv``). Raises :class:`InputErrors` with every error of every instrument
    read."""
    unknown = set(kinds) - set(INSTRUMENTS)
    if unknown:
        raise ValueError(f"unknown instrument(s): {', '.join(sorted(unknown))}")
    errors: list[Problem] = []
    warns: dict[str, tuple[Problem, ...]] = {}
    shares = risk = sfd = None
    if "survey" in kinds:
        shares, problems = read_survey_result(folder)
        errors += errors_of(problems)
        warns["survey"] = tuple(p for p in problems if not p.is_error)
    if "risk" in kinds and (
        required or (folder / RISK_INDICATORS).is_file() or (folder / RISK_WEIGHTS).is_file()
    ):
        rload = read_risk(folder)
        errors += rload.errors
        warns["risk"] = tuple(rload.warnings)
        risk = rload.inputs
    if "sfd" in kinds and (required or (folder / SFD).is_file()):
        sload = read_sfd(folder)
        errors += sload.errors
        warns["sfd"] = tuple(sload.warnings)
        sfd = sload.inputs
    if errors:
        raise InputErrors(errors)
    return InstrumentInputs(shares, risk, sfd, warns)


class FolderSource:
    """A city folder (``docs/city-data.md``); ``None`` is the embedded Kota Solok demo."""

    def __init__(self, city_dir: Path | str | None = None) -> None:
        self.city_dir = None if city_dir is None else Path(city_dir)

    @property
    def label(self) -> str:
        return "demo:kota_solok" if self.city_dir is None else str(self.city_dir)

    @property
    def folder(self) -> Traversable:
        return city_folder(self.city_dir)

    def plan_inputs(self, request: PlanRequest) -> tuple[PlanInputs, PlanOptions]:
        """:func:`sanitasi.io.city.load_city` with the request; growth and business as usual
        default to ``sanitasi plan``'s (geometric, constant)."""
        inputs, options = load_city(
            self.city_dir,
            base_year=request.base_year,
            horizon=request.horizon,
            target_sets=list(request.target_sets) if request.target_sets else None,
            param_overrides=dict(request.param_overrides) or None,
        )
        options = replace(
            options,
            growth_method=request.growth_method or DEFAULT_GROWTH_METHOD,
            bau_mode=request.bau_mode or DEFAULT_BAU_MODE,
            plan_period=request.plan_period or options.plan_period,
        )
        return inputs, options

    def document_folder(self) -> Traversable:
        """The folder of the SSK document's files (``swot.csv``, ``pokja.csv``,
        ``need_agency.csv``; :mod:`sanitasi.io.document`)."""
        return self.folder

    def has_programme(self) -> bool:
        """The CLI's rule: the demo has one; a folder has one when it has ``programme.csv``."""
        return self.city_dir is None or (self.city_dir / "programme.csv").exists()

    def programme(
        self,
        *,
        as_of: dt.date | None = None,
        through: tuple[int, int] | None = None,
        required: bool = False,
    ) -> ProgrammeInputs | None:
        if not required and not self.has_programme():
            return None
        return load_programme(self.city_dir, as_of=as_of, through=through)

    def instruments(
        self, kinds: Collection[str] = INSTRUMENTS, *, required: bool = False
    ) -> InstrumentInputs:
        return read_instruments(self.folder, kinds, required=required)

    def ghg(self) -> GhgInputs:
        """:func:`sanitasi.io.ghg.read_ghg_inputs` of the folder."""
        return read_ghg_inputs(self.folder)

    def __repr__(self) -> str:
        return f"FolderSource({self.label!r})"


__all__ = [
    "DEFAULT_BAU_MODE",
    "DEFAULT_GROWTH_METHOD",
    "GHG_FILES",
    "INSTRUMENTS",
    "INSTRUMENT_FILES",
    "CitySource",
    "FolderSource",
    "InstrumentInputs",
    "PlanRequest",
    "read_instruments",
]
