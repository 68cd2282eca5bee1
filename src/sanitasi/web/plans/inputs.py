"""PlanInputs and PlanOptions of a city, rebuilt from the database.

:func:`plan_inputs_for` returns the same :class:`~sanitasi.core.model.PlanInputs` that
``sanitasi.io.city.load_city`` reads from the city folder the database was loaded from (same
columns, dtypes, row order, parameters and sources), so the web and the CLI give the same
figures (``tests/web/test_web_figures.py``). City data come from the database; reference
tables (unit costs, need items, funding shares, reference parameters) from the package, as in
the CLI; national target sets from their shared rows (synced from the package at each load).
"""

from __future__ import annotations

import pandas as pd

from sanitasi.core.model import ParameterSet, PlanInputs, PlanOptions
from sanitasi.io import city_tables as ct
from sanitasi.io.reference import load_reference
from sanitasi.web.frames import BOOL, FLOAT, INT, TEXT, frame
from sanitasi.web.geography.models import Region
from sanitasi.web.plans.models import Facility, Observation, Plan, TargetPoint

REGIONS = {
    "kode": TEXT,
    "nama": TEXT,
    "tingkat": TEXT,
    "parent_kode": TEXT,
    "urban": BOOL,
    "spald_t_zone": TEXT,
    "area_km2": FLOAT,
}
OBSERVATIONS = {
    "kode": TEXT,
    "year": INT,
    "indicator": TEXT,
    "value": FLOAT,
    "status": TEXT,
    "unit": TEXT,
    "source": TEXT,
}
TARGETS = {
    "target_set": TEXT,
    "indicator": TEXT,
    "year": INT,
    "kind": TEXT,
    "value": FLOAT,
    "status": TEXT,
    "scope_kode": TEXT,
    "unit": TEXT,
    "source": TEXT,
    "note": TEXT,
}
FACILITIES = {
    "id": TEXT,
    "type": TEXT,
    "kode": TEXT,
    "capacity": FLOAT,
    "capacity_unit": TEXT,
    "status": TEXT,
    "name": TEXT,
    "source": TEXT,
    "owner": TEXT,
}


def active_plan(city_kode: str) -> Plan:
    """The city's active plan (raises ``Plan.DoesNotExist`` when the city is not loaded)."""
    return Plan.objects.get(city_kode=city_kode, is_active=True)


def regions_frame(city_kode: str) -> pd.DataFrame:
    rows = (
        Region.objects.filter(city_kode=city_kode)
        .order_by("id")
        .values_list("kode", "nama", "tingkat", "parent__kode", "urban", "spald_t_zone", "area_km2")
    )
    return frame(rows, REGIONS)


def observations_frame(city_kode: str) -> pd.DataFrame:
    rows = (
        Observation.objects.filter(city_kode=city_kode)
        .order_by("id")
        .values_list("region__kode", "year", "indicator", "value", "status", "unit", "source")
    )
    return frame(rows, OBSERVATIONS)


def targets_frame(city_kode: str) -> pd.DataFrame:
    """National points (shared rows) first, then the city's, each in load order."""
    fields = (
        "target_set__code",
        "indicator",
        "year",
        "kind",
        "value",
        "status",
        "scope_kode",
        "unit",
        "source",
        "note",
    )
    national = TargetPoint.objects.filter(city_kode="").order_by("id").values_list(*fields)
    city = TargetPoint.objects.filter(city_kode=city_kode).order_by("id").values_list(*fields)
    return frame([*national, *city], TARGETS)


def facilities_frame(city_kode: str) -> pd.DataFrame:
    rows = list(
        Facility.objects.filter(city_kode=city_kode)
        .order_by("id")
        .values_list(
            "code",
            "type",
            "region__kode",
            "capacity",
            "capacity_unit",
            "status",
            "name",
            "source",
            "owner",
        )
    )
    if not rows:
        return ct.empty_facilities()[list(ct.FACILITY_COLUMNS)]
    return frame(rows, FACILITIES)


def parameters_for(plan: Plan) -> ParameterSet:
    """Reference parameters with the plan's overrides applied (as the readers do). An
    override stored before its parameter became ``reference_only`` (no computation reads
    it, docs/METHOD.md §16) would change nothing and is not applied."""
    params = load_reference().parameters
    ref_only = set(ct.reference_only_names(params))
    overrides = [
        ct.Override(o.name, o.value, o.source, o.status)
        for o in plan.overrides.order_by("id")
        if o.name not in ref_only
    ]
    return ct.apply_overrides(params, overrides)


def plan_inputs_for(city_kode: str) -> PlanInputs:
    """The engine inputs of the city's active plan, from the database."""
    plan = active_plan(city_kode)
    ref = load_reference()
    sources = plan.sources.get("plan", {}) if isinstance(plan.sources, dict) else {}
    return PlanInputs(
        regions=regions_frame(city_kode),
        observations=observations_frame(city_kode),
        targets=targets_frame(city_kode),
        facilities=facilities_frame(city_kode),
        unit_costs=ref.unit_costs,
        need_items=ref.need_items,
        funding_shares=ref.funding_shares,
        parameters=parameters_for(plan),
        sources={str(k): str(v) for k, v in sources.items()},
    )


def plan_options_for(city_kode: str) -> PlanOptions:
    """The options of the city's active plan (target sets: ``None`` = the engine decides)."""
    plan = active_plan(city_kode)
    codes = list(
        plan.selected_sets.order_by("position", "id").values_list("target_set__code", flat=True)
    )
    sets = tuple(dict.fromkeys(codes)) or None
    period = None
    if plan.period_start is not None and plan.period_end is not None:
        period = (int(plan.period_start), int(plan.period_end))
    return PlanOptions(
        base_year=int(plan.base_year),
        horizon=int(plan.horizon),
        target_sets=sets,
        growth_method=plan.growth_method,
        bau_mode=plan.bau_mode,
        plan_period=period,
    )


__all__ = ["active_plan", "plan_inputs_for", "plan_options_for"]
