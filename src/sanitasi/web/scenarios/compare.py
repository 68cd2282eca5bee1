"""Validation of a stored scenario and the comparison of a city's scenarios.

:func:`validate` hands the scenario's mapping to :func:`sanitasi.io.scenarios.parse_scenario`
(one rule set with the CLI's scenario files) against the city's plan inputs (target sets,
parameters, unit-cost items) and its stored files (the budget). :func:`comparison_of` runs
:func:`sanitasi.app.scenarios.compare_scenarios` on :class:`DatabaseSource` with every stored
scenario, once per data version (``sanitasi.web.shared``): saving a scenario writes an audit
entry, which changes the key. A stored scenario the current data make invalid keeps its
column, without figures, and the tables' notes give the reason (:func:`not_computed`)."""

from __future__ import annotations

import dataclasses

from django.utils import translation
from django.utils.translation import gettext

from sanitasi.app.scenarios import (
    SCENARIO_PREFIX,
    Alternative,
    ScenarioComparison,
    compare_scenarios,
)
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


def not_computed(row: Scenario, problems: list[Problem]) -> Alternative:
    """The comparison's column of a stored scenario the current data make invalid (e.g. a
    target set or a budget file gone since it was saved): no figures, and why in both
    languages (each problem's code and message), so the tables' notes say it is not
    computed (docs/METHOD.md §14.1)."""
    texts = []
    for lang in ("id", "en"):
        with translation.override(lang):
            reasons = "; ".join(f"{p.code}: {p.message(lang)}" for p in problems)
            texts.append(
                gettext("not computed: the current data make this scenario invalid (%(reasons)s)")
                % {"reasons": reasons}
            )
    title = row.title or row.name
    return Alternative(
        SCENARIO_PREFIX + row.name,
        title,
        row.title_en or title,
        absent_id=texts[0],
        absent_en=texts[1],
    )


def _build(kode: str) -> ScenarioComparison:
    inputs = base_inputs(kode)
    specs = []
    invalid: list[Alternative] = []
    for row in Scenario.objects.filter(city_kode=kode).order_by("name"):
        spec, problems = validate(row, inputs)
        if spec is not None:
            specs.append(spec)
        else:  # saved before the data changed and now invalid: a column without figures
            invalid.append(not_computed(row, problems))
    cmp = compare_scenarios(
        DatabaseSource(kode),
        active_request(kode),
        scenarios=specs,
        base=plan_result(kode),
        optimise=True,
    )
    return dataclasses.replace(cmp, alternatives=(*cmp.alternatives, *invalid))


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


__all__ = ["base_inputs", "comparison_of", "not_computed", "validate"]
