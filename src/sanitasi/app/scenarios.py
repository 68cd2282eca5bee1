"""Scenarios side by side (``sanitasi scenarios``; docs/METHOD.md §14).

:func:`compare_scenarios` runs the city's plan once (:func:`sanitasi.app.plan.plan_report`)
and the needs-based plan of each named scenario (``scenarios/*.toml``,
:mod:`sanitasi.io.scenarios`: target sets, ``--param`` overrides, unit-cost factors) and
compares, at city level:

* the headline indicators per year of business as usual (``headline.bau_pct``), the
  needs-based plan (``headline.trajectory_pct``: the plan reaches its trajectory by
  construction), the programme (``coverage.plan_pct``, when the city has one), each
  scenario's needs-based plan and, when given, the optimised plan (the hook
  ``optimised_headline``/``optimised_costs``: the optimiser's frames join the comparison as
  one more alternative, ``optimised``);
* the cost over the SSK period by sector (the ``costs`` table summed over the period), the
  programme cost (``funding_short.programme_cost_idr``) and the funding gap (cost -
  programme cost);
* the shortfall at the end of the SSK period: points below the base plan's trajectory
  (above it for an indicator where lower is better), never negative.

With ``optimise=True`` (``sanitasi scenarios``) the optimised plan is computed here
(:func:`optimised_frames`, the optimiser of :mod:`sanitasi.app.optimise`, objective
``progress``) under the city's budget (``budget.csv``, else the default from
``fiscal_history.csv``), and each scenario that names a ``budget`` file gets its own
optimised plan (``optimised:<name>``) under that budget. When the city has no budget (or the
solver fails) the ``optimised`` column stays in the comparison, empty, and its
:attr:`Alternative.absent_en`/``absent_id`` says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from importlib.resources.abc import Traversable
from typing import Any

import numpy as np
import pandas as pd

from sanitasi.app.errors import AppError
from sanitasi.app.optimise import optimise_report
from sanitasi.app.plan import plan_report
from sanitasi.app.source import CitySource, FolderSource, InstrumentInputs, PlanRequest
from sanitasi.core.model import INDICATORS, PlanInputs, PlanOptions, PlanResult
from sanitasi.core.optimise import SECTORS, OptimiseFailed, needs_based_cost_by_sector
from sanitasi.core.programme import ProgrammeInputs
from sanitasi.io.ghg import GhgInputs
from sanitasi.io.scenarios import Scenario, read_scenarios
from sanitasi.reports.i18n import t

#: Alternatives that are not named scenarios, in report order.
BAU, NEEDS, PROGRAMME, OPTIMISED = "bau", "needs", "programme", "optimised"
#: Prefix of a named scenario's alternative key (``scenario:<file stem>``).
SCENARIO_PREFIX = "scenario:"
#: Prefix of a scenario's optimised plan (``optimised:<file stem>``; a scenario with a budget).
OPTIMISED_PREFIX = "optimised:"
#: Objective of the optimised alternatives (``sanitasi optimise``'s default, METHOD.md §14.2).
OBJECTIVE = "progress"
#: The optimiser's indicators (METHOD.md §18.3) and, derived from them, the waste managed
#: (= pengurangan + penanganan, so its shortfall is the sum of theirs).
OPTIMISED_INDICATORS: dict[str, tuple[str, ...]] = {
    "pct_layak": ("pct_layak",),
    "pct_aman": ("pct_aman",),
    "pct_waste_pengurangan": ("pct_waste_pengurangan",),
    "pct_waste_penanganan": ("pct_waste_penanganan",),
    "pct_waste_managed": ("pct_waste_pengurangan", "pct_waste_penanganan"),
}


@dataclass(frozen=True)
class Alternative:
    """One column of the comparison: ``key`` (``bau``, ``needs``, ``programme``,
    ``optimised`` or ``scenario:<name>``), its labels and, for a scenario, the scenario."""

    key: str
    label_id: str
    label_en: str
    scenario: Scenario | None = None
    #: Why the alternative has no figures (an optimised plan without a budget, a solver
    #: failure); empty when it has them.
    absent_id: str = ""
    absent_en: str = ""
    #: Where an optimised plan's budget comes from (``budget.csv``, a scenario's file,
    #: ``fiscal_history.csv``); empty otherwise.
    budget_from: str = ""

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id

    def absent(self, lang: str = "id") -> str:
        return self.absent_en if lang == "en" else self.absent_id


@dataclass(frozen=True)
class ScenarioComparison:
    """The comparison of :func:`compare_scenarios`.

    ``indicators``: ``kode, indicator, year, alternative, value_pct`` (city level, every
    year of the plan); ``trajectory``: ``kode, indicator, year, trajectory_pct`` of the base
    plan; ``costs``: ``kode, alternative, sector, cost_idr, programme_cost_idr,
    funding_gap_idr`` over the SSK period (no BAU row: BAU spends nothing beyond today; the
    programme's own gap is NaN);
    ``shortfall``: ``kode, alternative, indicator, year, trajectory_pct, value_pct,
    shortfall_pts`` at the end of the SSK period; ``base``: the base plan; ``results``:
    scenario name -> its plan; ``optimised``: alternative key (``optimised``,
    ``optimised:<name>``) -> the optimiser's report, for those computed here.

    Every frame is long (one row per alternative), keyed by the alternative's ``key``; an
    alternative without figures (see :attr:`Alternative.absent_en`) has no rows. A page
    renders ``alternatives`` in order as columns."""

    city_kodes: tuple[str, ...]
    period: tuple[int, int]
    alternatives: tuple[Alternative, ...]
    scenarios: tuple[Scenario, ...]
    indicators: pd.DataFrame
    trajectory: pd.DataFrame
    costs: pd.DataFrame
    shortfall: pd.DataFrame
    base: PlanResult
    results: dict[str, PlanResult]
    optimised: dict[str, Any] = field(default_factory=dict)


class ScenarioSource:
    """A :class:`CitySource` whose plan inputs carry a scenario's unit-cost factors
    (``cost_idr``, ``low_idr`` and ``high_idr`` of each item x its factor); everything else
    is the wrapped source's."""

    def __init__(self, base: CitySource, factors: dict[str, float] | None = None) -> None:
        self.base = base
        self.factors = dict(factors or {})

    @property
    def label(self) -> str:
        return self.base.label

    def plan_inputs(self, request: PlanRequest) -> tuple[PlanInputs, PlanOptions]:
        inputs, options = self.base.plan_inputs(request)
        return scale_unit_costs(inputs, self.factors), options

    def programme(self, **kw: object) -> ProgrammeInputs | None:
        return self.base.programme(**kw)  # type: ignore[arg-type]

    def instruments(self, *args: object, **kw: object) -> InstrumentInputs:
        return self.base.instruments(*args, **kw)  # type: ignore[arg-type]

    def ghg(self) -> GhgInputs:
        return self.base.ghg()

    def document_folder(self) -> Traversable | None:
        """The wrapped source's folder (its ``fiscal_history.csv`` for a default budget)."""
        folder = getattr(self.base, "document_folder", None)
        return folder() if callable(folder) else None


def scale_unit_costs(inputs: PlanInputs, factors: dict[str, float]) -> PlanInputs:
    """``inputs`` with each unit cost of ``factors`` multiplied by its factor (a new table;
    ``inputs`` is not mutated)."""
    if not factors:
        return inputs
    uc = inputs.unit_costs.copy()
    f = uc["item"].map(factors).astype(float).fillna(1.0).to_numpy()
    for col in ("cost_idr", "low_idr", "high_idr"):
        if col in uc.columns:
            uc[col] = uc[col].astype(float) * f
    return replace(inputs, unit_costs=uc)


def folder_scenarios(source: FolderSource, base: PlanResult) -> list[Scenario]:
    """The scenarios of the source's folder, checked against the base plan's target sets,
    parameters and unit-cost items (raises :class:`~sanitasi.io.errors.InputErrors`)."""
    inputs = base.inputs
    if inputs is None:
        raise ValueError("the base plan must be a result of run_plan (inputs kept)")
    return read_scenarios(
        source.folder,
        target_sets=[str(s) for s in inputs.targets["target_set"].unique()],
        parameters=inputs.parameters,
        unit_cost_items=[str(i) for i in inputs.unit_costs["item"]],
    )


def scenario_request(base: PlanRequest, scenario: Scenario) -> PlanRequest:
    """The plan request of ``scenario``: its target sets (else the base's) and the base's
    overrides then the scenario's."""
    return replace(
        base,
        target_sets=scenario.target_sets or base.target_sets,
        param_overrides={**base.param_overrides, **scenario.parameters},
    )


def _city_headline(result: PlanResult, column: str) -> pd.DataFrame:
    h = result["headline"]
    return h.loc[h["kode"].isin(result.city_kodes), ["kode", "indicator", "year", column]].rename(
        columns={column: "value_pct"}
    )


def _period_costs(result: PlanResult, period: tuple[int, int]) -> pd.DataFrame:
    c = result["costs"]
    c = c[(c["year"] >= period[0]) & (c["year"] <= period[1])]
    return c.groupby(["kode", "sector"], sort=True)["cost_idr"].sum().reset_index()


def _programme_costs(result: PlanResult, period: tuple[int, int]) -> pd.DataFrame | None:
    if "funding_short" not in result.tables:
        return None
    f = result["funding_short"]
    f = f[(f["year"] >= period[0]) & (f["year"] <= period[1])]
    return (
        f.groupby(["kode", "sector"], sort=True)["programme_cost_idr"]
        .sum()
        .rename("cost_idr")
        .reset_index()
    )


def shortfall_pts(
    trajectory: np.ndarray, value: np.ndarray, lower_is_better: np.ndarray
) -> np.ndarray:
    """Points short of the trajectory (METHOD.md §14.3): ``max(0, trajectory - value)``,
    or ``max(0, value - trajectory)`` for an indicator where lower is better (open
    defecation); percentage points (differences below 1e-9 points count as 0)."""
    diff = np.where(lower_is_better, value - trajectory, trajectory - value)
    # below 1e-9 points is floating-point noise of ratios of sums, not a shortfall
    return np.where(diff > 1e-9, diff, 0.0)


def optimised_frames(report: Any, plan: PlanResult) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The optimised alternative of an :class:`~sanitasi.app.optimise.OptimiseReport` on
    ``plan`` (the needs-based plan it was built from), METHOD.md §14.2:

    * ``kode, indicator, year, value_pct``: the plan's city trajectory (``headline
      .trajectory_pct``) minus the optimiser's shortfall (``optimise_shortfall``, points)
      for the indicators of :data:`OPTIMISED_INDICATORS`, each year of the SSK period;
    * ``kode, sector, cost_idr`` over the SSK period: the needs-based plan's cost of the
      sector with the modelled interventions' part replaced by the optimised plan's, i.e.
      ``costs - needs-based cost in the model + optimised cost in the model`` (the rest --
      O&M of the stock, TPA, the capacity business as usual needs -- is not optimised,
      §18.3, and stays as in the needs-based plan)."""
    period = plan.options.period
    kode = str(plan.city_kodes[0])
    short = report.result.tables["optimise_shortfall"].df
    pts = short.set_index(["indicator", "year"])["shortfall_pts"]
    head = _city_headline(plan, "trajectory_pct")
    traj: dict[tuple[str, int], float] = {
        (str(i), int(y)): float(v)
        for i, y, v in zip(
            head.loc[head["kode"] == kode, "indicator"],
            head.loc[head["kode"] == kode, "year"],
            head.loc[head["kode"] == kode, "value_pct"],
            strict=True,
        )
    }
    rows = []
    for ind, parts in OPTIMISED_INDICATORS.items():
        for year in range(period[0], period[1] + 1):
            if (ind, year) not in traj:
                continue
            gap = sum(float(pts.get((p, year), 0.0)) for p in parts)
            rows.append((kode, ind, year, traj[(ind, year)] - gap))
    headline = pd.DataFrame(rows, columns=["kode", "indicator", "year", "value_pct"])
    needs_model = needs_based_cost_by_sector(report.problem)
    opt = report.result.tables["optimise_plan"].df.groupby("sector")["cost_idr"].sum()
    table = _period_costs(plan, period).set_index("sector")["cost_idr"]
    costs = pd.DataFrame(
        {
            "kode": kode,
            "sector": list(SECTORS),
            "cost_idr": [
                float(table.get(sec, 0.0))
                - float(needs_model[sec].sum())
                + float(opt.get(sec, 0.0))
                for sec in SECTORS
            ],
        }
    )
    return headline, costs


def _optimise(
    source: CitySource, request: PlanRequest, plan: PlanResult, budget: Traversable | None
) -> tuple[Any | None, str, str]:
    """The optimiser on ``plan`` or, when it cannot run, why (id, en). Bad budget files
    raise :class:`~sanitasi.io.errors.InputErrors` (the command exits 2)."""
    try:
        report = optimise_report(source, request, budget=budget, objective=OBJECTIVE, result=plan)
    except AppError as e:
        return None, e.message("id"), e.message("en")
    except OptimiseFailed as e:
        return (
            None,
            t("optimise_failed", "id", reason=str(e)),
            t("optimise_failed", "en", reason=str(e)),
        )
    return report, "", ""


def compare_scenarios(
    source: CitySource,
    request: PlanRequest | None = None,
    *,
    scenarios: Sequence[Scenario] | None = None,
    optimised_headline: pd.DataFrame | None = None,
    optimised_costs: pd.DataFrame | None = None,
    base: PlanResult | None = None,
    optimise: bool = False,
) -> ScenarioComparison:
    """Compare BAU, the needs-based plan, the programme, each scenario (``None``: those of
    the folder of a :class:`FolderSource`, none for another source) and, when the optimiser
    gives them, the optimised plan: ``optimised_headline`` (``kode, indicator, year,
    value_pct``) and ``optimised_costs`` (``kode, sector, cost_idr`` over the SSK period).
    ``base``: the base plan when already computed. ``optimise``: compute the optimised plan
    here (module docstring) unless ``optimised_headline`` is given. Raises
    :class:`~sanitasi.io.errors.InputErrors` with every problem of the inputs, the scenario
    files and the budget files."""
    request = request or PlanRequest()
    base = base or plan_report(source, request)
    if scenarios is None:
        scenarios = folder_scenarios(source, base) if isinstance(source, FolderSource) else []
    period = base.options.period
    results = {
        sc.name: plan_report(
            ScenarioSource(source, dict(sc.unit_cost_factors)), scenario_request(request, sc)
        )
        for sc in scenarios
    }
    alts = [
        Alternative(BAU, "Tanpa intervensi (BAU)", "Business as usual (BAU)"),
        Alternative(NEEDS, "Rencana berbasis kebutuhan", "Needs-based plan"),
    ]
    ind = [
        _city_headline(base, "bau_pct").assign(alternative=BAU),
        _city_headline(base, "trajectory_pct").assign(alternative=NEEDS),
    ]
    costs = [_period_costs(base, period).assign(alternative=NEEDS)]
    prog = _programme_costs(base, period)
    if "coverage" in base.tables:
        cov = base["coverage"]
        cov = cov.loc[cov["kode"].isin(base.city_kodes), ["kode", "indicator", "year", "plan_pct"]]
        alts.append(Alternative(PROGRAMME, "Program (KKL)", "Programme (KKL)"))
        ind.append(cov.rename(columns={"plan_pct": "value_pct"}).assign(alternative=PROGRAMME))
        if prog is not None:
            costs.append(prog.assign(alternative=PROGRAMME))
    reports: dict[str, Any] = {}

    def add_optimised(
        key: str,
        labels: tuple[str, str],
        src: CitySource,
        req: PlanRequest,
        plan: PlanResult,
        budget: Traversable | None,
        sc: Scenario | None = None,
    ) -> None:
        report, why_id, why_en = _optimise(src, req, plan, budget)
        if report is None:
            alts.append(Alternative(key, *labels, sc, why_id, why_en))
            return
        reports[key] = report
        alts.append(Alternative(key, *labels, sc, budget_from=report.budget_from))
        head, cost_ = optimised_frames(report, plan)
        ind.append(head.assign(alternative=key))
        costs.append(cost_.assign(alternative=key))

    optimised_labels = ("Rencana teroptimasi", "Optimised plan")
    if optimised_headline is not None:
        alts.append(Alternative(OPTIMISED, *optimised_labels))
        ind.append(
            optimised_headline[["kode", "indicator", "year", "value_pct"]].assign(
                alternative=OPTIMISED
            )
        )
        if optimised_costs is not None:
            costs.append(
                optimised_costs[["kode", "sector", "cost_idr"]].assign(alternative=OPTIMISED)
            )
    elif optimise:
        add_optimised(OPTIMISED, optimised_labels, source, request, base, None)
    for sc in scenarios:
        key = SCENARIO_PREFIX + sc.name
        alts.append(Alternative(key, sc.title, sc.title_en, sc))
        ind.append(_city_headline(results[sc.name], "trajectory_pct").assign(alternative=key))
        costs.append(_period_costs(results[sc.name], period).assign(alternative=key))
        if optimise and sc.budget:
            folder = _folder_of(source)
            add_optimised(
                OPTIMISED_PREFIX + sc.name,
                (f"{sc.title} \u2014 teroptimasi", f"{sc.title_en} \u2014 optimised"),
                ScenarioSource(source, dict(sc.unit_cost_factors)),
                scenario_request(request, sc),
                results[sc.name],
                folder / sc.budget if folder is not None else None,
                sc,
            )
    order = {a.key: i for i, a in enumerate(alts)}
    indicators = pd.concat(ind, ignore_index=True)
    indicators = indicators[indicators["indicator"].isin(list(INDICATORS))]
    ind_rank = {k: i for i, k in enumerate(INDICATORS)}
    indicators = (
        indicators.assign(
            _a=indicators["alternative"].map(order), _i=indicators["indicator"].map(ind_rank)
        )
        .sort_values(["kode", "_i", "year", "_a"], kind="stable")
        .drop(columns=["_a", "_i"])
        .reset_index(drop=True)[["kode", "indicator", "year", "alternative", "value_pct"]]
    )
    trajectory = _city_headline(base, "trajectory_pct").rename(
        columns={"value_pct": "trajectory_pct"}
    )
    # costs and the funding gap (cost - programme cost) by sector over the SSK period
    cost = pd.concat(costs, ignore_index=True)
    if prog is not None:
        cost = cost.merge(
            prog.rename(columns={"cost_idr": "programme_cost_idr"}),
            on=["kode", "sector"],
            how="left",
        )
        cost["programme_cost_idr"] = cost["programme_cost_idr"].fillna(0.0)
        cost["funding_gap_idr"] = cost["cost_idr"] - cost["programme_cost_idr"]
        cost.loc[cost["alternative"] == PROGRAMME, "funding_gap_idr"] = np.nan
    else:
        cost["programme_cost_idr"] = np.nan
        cost["funding_gap_idr"] = np.nan
    cost = (
        cost.assign(_a=cost["alternative"].map(order))
        .sort_values(["kode", "_a", "sector"], kind="stable")
        .drop(columns="_a")
        .reset_index(drop=True)[
            ["kode", "alternative", "sector", "cost_idr", "programme_cost_idr", "funding_gap_idr"]
        ]
    )
    # shortfall at the end of the SSK period against the base trajectory
    end = indicators[indicators["year"] == period[1]].merge(
        trajectory, on=["kode", "indicator", "year"], how="left"
    )
    lower = end["indicator"].map(lambda c: bool(INDICATORS[c]["lower_is_better"])).to_numpy(bool)
    end["shortfall_pts"] = shortfall_pts(
        end["trajectory_pct"].to_numpy(float), end["value_pct"].to_numpy(float), lower
    )
    shortfall = end[
        ["kode", "alternative", "indicator", "year", "trajectory_pct", "value_pct", "shortfall_pts"]
    ].reset_index(drop=True)
    return ScenarioComparison(
        city_kodes=tuple(base.city_kodes),
        period=period,
        alternatives=tuple(alts),
        scenarios=tuple(scenarios),
        indicators=indicators,
        trajectory=trajectory.reset_index(drop=True),
        costs=cost,
        shortfall=shortfall,
        base=base,
        results=results,
        optimised=reports,
    )


def _folder_of(source: CitySource) -> Traversable | None:
    folder = getattr(source, "folder", None)
    if folder is not None and not callable(folder):
        return folder  # type: ignore[no-any-return]
    doc = getattr(source, "document_folder", None)
    return doc() if callable(doc) else None


__all__ = [
    "BAU",
    "NEEDS",
    "OBJECTIVE",
    "OPTIMISED",
    "OPTIMISED_INDICATORS",
    "OPTIMISED_PREFIX",
    "PROGRAMME",
    "SCENARIO_PREFIX",
    "Alternative",
    "ScenarioComparison",
    "ScenarioSource",
    "compare_scenarios",
    "folder_scenarios",
    "optimised_frames",
    "scale_unit_costs",
    "scenario_request",
    "shortfall_pts",
]
