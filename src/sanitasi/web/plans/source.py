"""The city as stored in the database, as a :class:`sanitasi.app.source.CitySource`.

The web builds every report through the use-case layer (:func:`sanitasi.app.plan_report`,
:func:`sanitasi.app.monitoring_report`) on a :class:`DatabaseSource`, exactly as the CLI does
on a :class:`~sanitasi.app.source.FolderSource`, so the web and the CLI give the same tables
for the same data:

* :meth:`DatabaseSource.plan_inputs` -- the active plan's inputs
  (:func:`~sanitasi.web.plans.inputs.plan_inputs_for`) after the whole-city checks of
  ``sanitasi plan`` on the stored baseline (a city without a baseline, or one edited into an
  inconsistent state, is refused with the rules it breaks); the request's fields left
  ``None`` take the stored plan's settings (:func:`request_from_plan`);
* :meth:`DatabaseSource.programme` -- the adopted programme
  (:func:`~sanitasi.web.programme.inputs.programme_inputs_for`);
* :meth:`DatabaseSource.instruments` -- the instrument files stored at load
  (:class:`~sanitasi.web.plans.models.CityFile`) read by the CLI's readers through an
  in-memory folder (:class:`~sanitasi.io.folders.MemoryFolder`) that also holds
  ``regions.csv`` and ``observations.csv`` written from the stored regions and baseline
  (the risk files are checked against the regions, the SFD against the ladder);
* :meth:`DatabaseSource.ghg` -- the GHG inputs read by the CLI's reader
  (:func:`sanitasi.io.ghg.read_ghg_inputs`) from an in-memory folder with the stored
  ``waste_composition.csv`` and a ``facilities.csv`` written from the stored facilities
  (the TPA's ``year_built`` and ``tpa_site_class``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import replace

import pandas as pd

from sanitasi.app.source import INSTRUMENTS, InstrumentInputs, PlanRequest, read_instruments
from sanitasi.core.model import PlanInputs, PlanOptions
from sanitasi.core.monitoring import quarter_not_started, quarter_start
from sanitasi.core.programme import ProgrammeInputs
from sanitasi.io import city_checks as cc
from sanitasi.io import city_tables as ct
from sanitasi.io.baseline_xlsx import baseline_problems
from sanitasi.io.errors import InputErrors, Problem, errors_of, problem
from sanitasi.io.folders import MemoryFolder
from sanitasi.io.ghg import COMPOSITION, GhgInputs, read_ghg_inputs
from sanitasi.io.programme_tables import PROGRAMME, REALISATION
from sanitasi.web.plans.inputs import active_plan, plan_inputs_for, plan_options_for
from sanitasi.web.plans.models import CityFile, Facility, Plan
from sanitasi.web.programme.inputs import programme_inputs_for


def request_from_plan(plan: Plan) -> PlanRequest:
    """The plan request of a stored plan: its base year, horizon, target sets (in order;
    ``None`` when none is selected: the engine decides), growth method, business as usual
    and SSK period."""
    codes = list(
        plan.selected_sets.order_by("position", "id").values_list("target_set__code", flat=True)
    )
    period = None
    if plan.period_start is not None and plan.period_end is not None:
        period = (int(plan.period_start), int(plan.period_end))
    return PlanRequest(
        base_year=int(plan.base_year),
        horizon=int(plan.horizon),
        target_sets=tuple(dict.fromkeys(codes)) or None,
        growth_method=plan.growth_method,
        bau_mode=plan.bau_mode,
        plan_period=period,
    )


def _csv(df: pd.DataFrame) -> bytes:
    """A frame as the readers read a city file (floats written to round-trip exactly)."""
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


class DatabaseSource:
    """City ``city_kode`` as stored in the database (its active plan)."""

    def __init__(self, city_kode: str) -> None:
        self.city_kode = city_kode
        self._inputs: PlanInputs | None = None

    def _stored_inputs(self) -> PlanInputs:
        """The stored plan inputs, read once per source object (a source lives for one
        report build; a later build makes a new one and reads the data as they are then)."""
        if self._inputs is None:
            self._inputs = plan_inputs_for(self.city_kode)
        return self._inputs

    @property
    def label(self) -> str:
        return f"database:{self.city_kode}"

    # ------------------------------------------------------------------ plan

    def plan_inputs(self, request: PlanRequest) -> tuple[PlanInputs, PlanOptions]:
        """The stored plan's inputs and options with the request's fields applied; raises
        :class:`InputErrors` with the whole-city rules the stored baseline breaks (as
        ``sanitasi plan`` names them), unknown target sets and bad parameter overrides."""
        inputs = self._stored_inputs()
        options = plan_options_for(self.city_kode)
        base = request.base_year or options.base_year
        problems: list[Problem] = list(
            errors_of(baseline_problems(inputs.regions, inputs.observations, base))
        )
        sets = request.target_sets or options.target_sets
        known = list(inputs.targets["target_set"].astype(str).unique())
        problems += cc.target_set_problems(list(request.target_sets or ()), known)
        horizon = options.horizon
        if request.horizon is not None:
            end, found = cc.resolve_horizon(base, request.horizon)
            problems += found
            horizon = end if end is not None else horizon
        params = inputs.parameters
        if request.param_overrides:
            overrides, found = ct.parse_cli_parameters(request.param_overrides, params)
            problems += errors_of(found)
            params = ct.apply_overrides(params, overrides)
        if problems:
            raise InputErrors(problems)
        options = replace(
            options,
            base_year=int(base),
            horizon=int(horizon),
            target_sets=sets,
            growth_method=request.growth_method or options.growth_method,
            bau_mode=request.bau_mode or options.bau_mode,
            plan_period=request.plan_period or options.plan_period,
        )
        return replace(inputs, parameters=params), options

    # ------------------------------------------------------------------ programme

    def has_programme(self) -> bool:
        """Whether the city was loaded with a programme matrix (as ``programme_inputs_for``
        decides)."""
        plan = active_plan(self.city_kode)
        return isinstance(plan.sources, dict) and plan.sources.get("programme") is not None

    def programme(
        self,
        *,
        as_of: dt.date | None = None,
        through: tuple[int, int] | None = None,
        required: bool = False,
    ) -> ProgrammeInputs | None:
        """The adopted programme (``None`` without a matrix, unless ``required``: then
        ``SAN-E001``). With ``as_of``, stored realisation of a quarter that starts after it
        (up to ``through``) is ``SAN-E049``, as the CLI's reader says of a file."""
        prog = programme_inputs_for(self.city_kode)
        if prog is None:
            if required:
                raise InputErrors(
                    [problem("SAN-E001", PROGRAMME, name=PROGRAMME, folder=self.label)]
                )
            return None
        if as_of is not None:
            problems = self._future_quarters(prog.realisation, as_of, through)
            if problems:
                raise InputErrors(problems)
        return prog

    def _future_quarters(
        self, real: pd.DataFrame, as_of: dt.date, through: tuple[int, int] | None
    ) -> list[Problem]:
        y = real["year"].to_numpy(dtype=float)
        q = real["quarter"].to_numpy(dtype=float)
        late = quarter_not_started(y, q, as_of)
        if through is not None:
            ty, tq = through
            late &= (y < ty) | ((y == ty) & (q <= tq))
        rows = real[late]
        return [
            problem(
                "SAN-E049",
                f"{self.label}/{REALISATION}",
                None,
                "quarter",
                quarter,
                activity=code,
                year=year,
                quarter=quarter,
                start=quarter_start(year, quarter).isoformat(),
                as_of=as_of.isoformat(),
            )
            for code, year, quarter in zip(
                rows["activity_code"].astype(str),
                rows["year"].astype(int),
                rows["quarter"].astype(int),
                strict=True,
            )
        ]

    # ------------------------------------------------------------------ instruments

    def stored_files(self) -> dict[str, bytes]:
        """The instrument files stored at load (name -> bytes)."""
        rows = (
            CityFile.objects.filter(city_kode=self.city_kode)
            .order_by("name")
            .values_list("name", "content")
        )
        return {str(name): str(content).encode("utf-8") for name, content in rows}

    def folder(self, *, with_baseline: bool = False) -> MemoryFolder:
        """The stored instrument files with ``regions.csv`` and ``observations.csv`` written
        from the stored regions and baseline (when there is a stored file, or
        ``with_baseline``), as a folder the io readers read."""
        files = self.stored_files()
        if files or with_baseline:
            inputs = self._stored_inputs()
            # the city and its areas (the province the loader completed is not the folder's)
            kode = inputs.regions["kode"].astype(str)
            own = kode.eq(self.city_kode) | kode.str.startswith(self.city_kode + ".")
            files[ct.REGIONS] = _csv(inputs.regions[own])
            files[ct.OBSERVATIONS] = _csv(inputs.observations)
        return MemoryFolder(self.label, files)

    def instruments(
        self, kinds: Collection[str] = INSTRUMENTS, *, required: bool = False
    ) -> InstrumentInputs:
        return read_instruments(self.folder(with_baseline=required), kinds, required=required)

    def ghg(self) -> GhgInputs:
        """The GHG inputs: the stored ``waste_composition.csv`` (if any) and the stored
        facilities as ``facilities.csv`` (``id, type, kode, year_built, tpa_site_class,
        status``), read by :func:`sanitasi.io.ghg.read_ghg_inputs`."""
        rows = list(
            Facility.objects.filter(city_kode=self.city_kode)
            .order_by("id")
            .values_list("code", "type", "region__kode", "year_built", "tpa_site_class", "status")
        )
        fac = pd.DataFrame(
            rows, columns=["id", "type", "kode", "year_built", "tpa_site_class", "status"]
        )
        fac["year_built"] = fac["year_built"].astype("Int64")
        files = {"facilities.csv": _csv(fac)}
        stored = self.stored_files()
        if COMPOSITION in stored:
            files[COMPOSITION] = stored[COMPOSITION]
        return read_ghg_inputs(MemoryFolder(self.label, files))

    def document_folder(self) -> MemoryFolder:
        """The SSK document's files stored at load (``swot.csv``, ``pokja.csv``,
        ``need_agency.csv``) as a folder :mod:`sanitasi.io.document` reads."""
        return MemoryFolder(self.label, self.stored_files())

    def __repr__(self) -> str:
        return f"DatabaseSource({self.city_kode!r})"


def active_request(city_kode: str) -> PlanRequest:
    """The request of the city's active plan."""
    return request_from_plan(active_plan(city_kode))


__all__ = ["DatabaseSource", "active_request", "request_from_plan"]
