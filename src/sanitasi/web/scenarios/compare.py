"""Validation of a stored scenario and the comparison of a city's scenarios.

:func:`validate` hands the scenario's mapping to :func:`sanitasi.io.scenarios.parse_scenario`
(one rule set with the CLI's scenario files) against the city's plan inputs (target sets,
parameters, unit-cost items) and its stored files (the budget). :func:`comparison_of` runs
:func:`sanitasi.app.scenarios.compare_scenarios` on :class:`DatabaseSource` with every stored
scenario, once per data version (``sanitasi.web.shared``): saving a scenario writes an audit
entry, which changes the key."""

from __future__ import annotations

import dataclasses

from sanitasi.app.scenarios import ScenarioComparison, compare_scenarios
from sanitasi.core.model import PlanInputs
from sanitasi.io.errors import Problem
from sanitasi.io.scenarios import Scenario as ScenarioSpec
from sanitasi.io.scenarios import parse_scenario
from sanitasi.web import shared
from sanitasi.web.plans.results import plan_result, shareable, version_key
from sanitasi.web.plans.source import DatabaseSource, active_request
from sanitasi.web.scenarios.models import Scenario


def base_inputs(kode: str) -> PlanInputs:
    """The inputs of the city's plan (its target sets, parameters, unit costs)."""
    inputs = plan_result(kode).inputs
    if inputs is None:  # pragma: no cover - plan_report keeps them
        raise ValueError("plan without inputs")
    return inputs


def validate(
    row: Scenario, inputs: PlanInputs | None = None
) -> tuple[ScenarioSpec | None, list[Problem]]:
    """The validated scenario of ``row`` or every problem (column = the key: ``title``,
    ``target_sets``, ``parameters.<name>``, ``unit_cost_factors.<item>``, ``budget``)."""
    inputs = inputs or base_inputs(row.city_kode)
    problems: list[Problem] = []
    spec = parse_scenario(
        row.name,
        row.file(),
        row.data(),
        target_sets=[str(s) for s in inputs.targets["target_set"].unique()],
        parameters=inputs.parameters,
        unit_cost_items=[str(i) for i in inputs.unit_costs["item"]],
        folder=DatabaseSource(row.city_kode).document_folder(),
        problems=problems,
    )
    return spec, problems


def _build(kode: str) -> ScenarioComparison:
    inputs = base_inputs(kode)
    specs = []
    for row in Scenario.objects.filter(city_kode=kode).order_by("name"):
        spec, _problems = validate(row, inputs)
        if spec is not None:  # a row saved before the data changed and now invalid is left out
            specs.append(spec)
    return compare_scenarios(
        DatabaseSource(kode),
        active_request(kode),
        scenarios=specs,
        base=plan_result(kode),
        optimise=True,
    )


def _shareable(cmp: ScenarioComparison) -> ScenarioComparison:
    """The comparison as stored for the other workers: its plans without the engine memos,
    without the optimiser's reports (the page reads the frames only)."""
    return dataclasses.replace(
        cmp,
        base=shareable(cmp.base),
        results={k: shareable(v) for k, v in cmp.results.items()},
        optimised={},
    )


def comparison_of(kode: str) -> ScenarioComparison:
    """The comparison of the city's stored scenarios (BAU, needs-based, programme, optimised,
    each scenario), computed once per data version for every worker."""
    return shared.get_or_build(
        version_key("scenarios", kode),
        lambda: _build(kode),
        lock=f"scenarios-{kode}",
        share=_shareable,
    )


__all__ = ["base_inputs", "comparison_of", "validate"]
