"""Load a city folder into the database: validated exactly as the CLI, all-or-nothing.

:func:`load_city_folder` reads the folder with the CLI's readers, through the use-case
layer's folder source (:func:`sanitasi.app.plan.read_all` on a
:class:`~sanitasi.app.source.FolderSource`: the plan files, the programme matrix when the
folder has a ``programme.csv``, the SSK instrument files ``risk_*.csv``, ``sfd.csv``,
``survey_result.csv`` when it has them, and the GHG inputs: the TPA's ``year_built`` and
``tpa_site_class`` and ``waste_composition.csv``, as ``sanitasi plan`` reads them), collects every
problem of all of them and raises one :class:`~sanitasi.io.errors.InputErrors` before
touching the database. The rows are then written inside one ``transaction.atomic()``: a
failure at any point leaves the database as it was. The instrument files are stored as they
are (:class:`~sanitasi.web.plans.models.CityFile`, with ``waste_composition.csv``) and read
again by the same readers for the plan's Bab II and GHG chapter. The folder's scenario files
(``scenarios/*.toml``) are validated by the rules of ``sanitasi scenarios``
(:func:`sanitasi.io.scenarios.read_scenarios`) and stored as
:class:`~sanitasi.web.scenarios.models.Scenario` rows, one per file, named by the file stem
(the scenario's identity: a reload with ``replace`` rewrites the rows of the same names, never
adds a second). With ``demo=True`` it loads the embedded Kota Solok demo, creates the demo
accounts (password ``demo``) and marks the database as a demo database.
"""

from __future__ import annotations

import hashlib
import math
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from django.db import models, transaction

from sanitasi.app.plan import read_all
from sanitasi.app.source import GHG_FILES, INSTRUMENT_FILES, FolderSource, PlanRequest
from sanitasi.checkpoints import checkpoint
from sanitasi.core.model import PlanInputs, PlanOptions
from sanitasi.core.programme import ProgrammeInputs
from sanitasi.io.budget import BUDGET, BUDGET_FILES, read_budget, read_fiscal_history
from sanitasi.io.document import DOCUMENT_FILES, read_document
from sanitasi.io.errors import InputErrors, InputWarning, Problem, errors_of, problem
from sanitasi.io.folders import city_folder
from sanitasi.io.ghg import GhgInputs
from sanitasi.io.reference import demo_city_dir, load_reference_targets
from sanitasi.io.scenarios import Scenario as ScenarioSpec
from sanitasi.io.scenarios import read_scenarios
from sanitasi.web.accounts.demo import ensure_demo_users
from sanitasi.web.audit.log import current_user, suspended
from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.basemodels import CODE_LENGTH
from sanitasi.web.geography.models import Region
from sanitasi.web.models import DEMO_DATABASE, is_demo_database, set_setting
from sanitasi.web.monitoring.models import ActionItem, Meeting, MeetingParticipant, Realisation
from sanitasi.web.plans.models import (
    CityFile,
    Facility,
    Observation,
    ParameterOverride,
    Plan,
    PlanTargetSet,
    TargetPoint,
    TargetSet,
)
from sanitasi.web.programme.models import (
    ACTIVITY_DOCUMENT_FIELDS,
    ACTIVITY_TEXT_FIELDS,
    Activity,
    ActivitySupport,
    Agency,
    PlannedYear,
)
from sanitasi.web.scenarios.models import Scenario

OnExists = Literal["error", "replace", "skip"]
BATCH = 500


class LoadError(Exception):
    """The load cannot go ahead (e.g. the city is already loaded); nothing was written."""


@dataclass(frozen=True)
class LoadResult:
    city_kode: str
    city_name: str
    counts: dict[str, int]
    warnings: tuple[Problem, ...] = ()
    demo_users: tuple[str, ...] = ()
    skipped: bool = False
    source: str = ""
    #: Demo accounts switched off because a real city came into a demo database.
    disabled_demo_users: tuple[str, ...] = ()


def has_programme(city_dir: Path | None) -> bool:
    """Whether the folder has a programme matrix (the CLI's rule: ``programme.csv``)."""
    return FolderSource(city_dir).has_programme()


@dataclass(frozen=True)
class FolderData:
    """A validated city folder: plan inputs and options, the programme (``None`` without a
    matrix), the instrument and GHG files (name -> bytes), the GHG inputs (the TPA's class
    and opening year) and the warnings found."""

    inputs: PlanInputs
    options: PlanOptions
    programme: ProgrammeInputs | None
    files: dict[str, bytes]
    warnings: tuple[Problem, ...]
    ghg: GhgInputs | None = None
    scenarios: tuple[ScenarioSpec, ...] = ()


def instrument_files(city_dir: Path | None) -> dict[str, bytes]:
    """The SSK instrument, GHG (``waste_composition.csv``), document and budget files the
    folder has (name -> bytes), in a fixed order."""
    folder = city_folder(city_dir)
    names = [
        *(n for kind in INSTRUMENT_FILES.values() for n in kind),
        *GHG_FILES,
        *DOCUMENT_FILES,
        *BUDGET_FILES,
    ]
    return {n: (folder / n).read_bytes() for n in names if (folder / n).is_file()}


def read_folder(city_dir: Path | None) -> FolderData:
    """Read and validate a folder as ``sanitasi plan`` does; raise one InputErrors with every
    error of the plan, programme and instrument files. Returns the inputs, the instrument
    files to store and the warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        inputs, options, prog, ins, ghg = read_all(FolderSource(city_dir), PlanRequest())
    found: list[Problem] = []
    for w in caught:
        if isinstance(w.message, InputWarning):
            found.append(w.message.problem)
    for kind in INSTRUMENT_FILES:
        found += ins.warnings_of(kind)
    _doc, doc_problems = read_document(city_folder(city_dir), prog)
    if errors_of(doc_problems):  # the SSK document's files, checked as `sanitasi document`
        raise InputErrors(errors_of(doc_problems))
    found += doc_problems
    folder = city_folder(city_dir)  # budget.csv and fiscal_history.csv, as `sanitasi optimise`
    budget_problems = read_budget(folder)[1] + read_fiscal_history(folder)[1]
    if errors_of(budget_problems):
        raise InputErrors(errors_of(budget_problems))
    found += budget_problems
    files = instrument_files(city_dir)
    scenarios, budgets = folder_scenarios(folder, inputs)
    files.update({n: b for n, b in budgets.items() if n not in files})
    return FolderData(inputs, options, prog, files, tuple(found), ghg, tuple(scenarios))


#: A scenario's name as the web stores it (``Scenario.name``, a slug): the file stem.
SCENARIO_NAME = re.compile(r"[-a-zA-Z0-9_]+")


def folder_scenarios(
    folder: Traversable, inputs: PlanInputs
) -> tuple[list[ScenarioSpec], dict[str, bytes]]:
    """The folder's scenario files (``scenarios/*.toml``) validated as ``sanitasi scenarios``
    reads them (against the folder's target sets, parameters and unit-cost items), and the
    budget files they name other than ``budget.csv`` (name -> bytes, checked by the rules of
    ``budget.csv``: ``sanitasi scenarios`` reads them so for the scenario's optimised plan).
    Also refused: a file stem that cannot be a stored scenario's name (``SAN-E206``: letters,
    digits, ``-`` and ``_``, at most :data:`CODE_LENGTH` characters). Raises one
    :class:`InputErrors` with every problem."""
    specs = read_scenarios(
        folder,
        target_sets=[str(s) for s in inputs.targets["target_set"].unique()],
        parameters=inputs.parameters,
        unit_cost_items=[str(i) for i in inputs.unit_costs["item"]],
    )
    problems: list[Problem] = [
        problem("SAN-E206", sc.file, None, None, sc.name, limit=CODE_LENGTH)
        for sc in specs
        if not SCENARIO_NAME.fullmatch(sc.name) or len(sc.name) > CODE_LENGTH
    ]
    budgets: dict[str, bytes] = {}
    for name in sorted({sc.budget for sc in specs if sc.budget} - {BUDGET}):
        problems += errors_of(read_budget(None, folder / name)[1])
        budgets[name] = (folder / name).read_bytes()
    if problems:
        raise InputErrors(problems)
    return specs, budgets


#: Models whose rows are entered on the web (not only loaded from the folder): a
#: ``--replace`` that would delete such rows entered since the last load is refused unless
#: forced (audit ``model`` label -> what the message calls them).
WEB_ENTERED: dict[str, str] = {
    "monitoring.realisation": "realisation",
    "monitoring.meeting": "meetings",
    "monitoring.actionitem": "action items",
    "scenarios.scenario": "scenarios",
}


def web_entries_since_load(kode: str) -> dict[str, int]:
    """Rows of :data:`WEB_ENTERED` of city ``kode`` created or changed on the web since its
    last load and still there (what a ``--replace`` would delete): what -> count."""
    last = (
        AuditEntry.objects.filter(city_kode=kode, action="load", model="city")
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    since = AuditEntry.objects.filter(city_kode=kode, model__in=list(WEB_ENTERED))
    if last is not None:
        since = since.filter(id__gt=last)
    touched: dict[str, set[str]] = {}
    for model, pk in since.exclude(action="delete").values_list("model", "object_pk"):
        touched.setdefault(model, set()).add(pk)
    models_by_label = {
        "monitoring.realisation": Realisation,
        "monitoring.meeting": Meeting,
        "monitoring.actionitem": ActionItem,
        "scenarios.scenario": Scenario,
    }
    out: dict[str, int] = {}
    for label in WEB_ENTERED:  # a fixed order for the message
        ids = sorted(int(p) for p in touched.get(label, ()) if p.isdigit())
        rows = models_by_label[label]._base_manager.filter(city_kode=kode)
        n = sum(  # in chunks: SQLite bounds the parameters of one query
            rows.filter(pk__in=ids[i : i + BATCH * 10]).count()
            for i in range(0, len(ids), BATCH * 10)
        )
        if n:
            out[WEB_ENTERED[label]] = n
    return out


#: Headline indicators the demo publishes on its public page (issue 11 item 8).
DEMO_PUBLISHED: tuple[str, ...] = (
    "pct_layak",
    "pct_aman",
    "pct_waste_pengurangan",
    "pct_waste_penanganan",
)


def load_city_folder(
    city_dir: Path | str | None,
    *,
    demo: bool = False,
    on_exists: OnExists = "error",
    force: bool = False,
) -> LoadResult:
    """Validate ``city_dir`` (``None`` with ``demo=True``: the Kota Solok demo) and load it.

    ``on_exists``: what to do when the city is already in the database: ``error`` (raise
    :class:`LoadError`), ``replace`` (delete the city's rows first, in the same transaction)
    or ``skip`` (write no city rows; the demo accounts are still ensured).

    A real (non-demo) city loaded into a demo database switches every demo account off
    (:func:`~sanitasi.web.accounts.security.disable_demo_accounts`, audited; listed in
    ``disabled_demo_users``): the password ``demo`` must never open real data.

    ``replace`` refuses (:class:`LoadError`, nothing written) when the web holds realisation,
    meetings or action items entered since the city's last load
    (:func:`web_entries_since_load`): they would be deleted. ``force=True`` replaces anyway.
    """
    if demo and city_dir is not None:
        raise ValueError("demo=True loads the embedded demo: give no city_dir")
    if not demo and city_dir is None:
        raise ValueError("give a city folder, or demo=True for the embedded demo")
    folder = None if city_dir is None else Path(city_dir)
    data = read_folder(folder)
    inputs, options, prog, found = data.inputs, data.options, data.programme, data.warnings
    city = _city_row(inputs)
    kode, nama = str(city["kode"]), str(city["nama"])
    source = str(demo_city_dir()) if folder is None else str(folder)
    with transaction.atomic():
        if demo and not is_demo_database() and _has_city_data():
            raise LoadError(
                "this database holds real data: the demo (and its password) only goes into an "
                "empty or demo database"
            )
        exists = Plan.objects.filter(city_kode=kode).exists()
        if exists and on_exists == "error":
            raise LoadError(f"city {kode} ({nama}) is already loaded; replace or skip it")
        if exists and on_exists == "replace" and not force:
            entered = web_entries_since_load(kode)
            if entered:
                what = ", ".join(f"{n} {name}" for name, n in entered.items())
                raise LoadError(
                    f"city {kode} ({nama}): replacing it would delete {what} entered on the "
                    "web since its last load; export them first (or load with --force to "
                    "delete them)"
                )
        counts: dict[str, int] = {}
        skipped = exists and on_exists == "skip"
        with suspended():
            if not skipped:
                kept: dict[str, tuple[Any, str, str]] = {}
                if exists:
                    kept = _boundaries(kode)
                    delete_city(kode)
                counts = _write(kode, inputs, options, prog, data.ghg)
                if demo:  # the demo's public page shows its headline indicators
                    Plan.objects.filter(city_kode=kode, is_active=True).update(
                        published_indicators=list(DEMO_PUBLISHED)
                    )
                counts.update(_write_files(kode, data.files))
                counts["scenarios"] = _write_scenarios(kode, data.scenarios)
                if kept:
                    counts["boundaries_kept"] = _restore_boundaries(kode, kept)
        users: tuple[str, ...] = ()
        disabled: tuple[str, ...] = ()
        if demo:
            users = tuple(ensure_demo_users())
            set_setting(DEMO_DATABASE, True)
        elif not skipped and is_demo_database():
            from sanitasi.web.accounts.security import disable_demo_accounts

            disabled = disable_demo_accounts(kode)
        if not skipped:
            _load_entry(kode, nama, source, counts, demo, replaced=exists)
            checkpoint("load:written")  # kill tests only (sanitasi.checkpoints)
    if not skipped:
        checkpoint("load:committed")
    return LoadResult(kode, nama, counts, found, users, skipped, source, disabled)


def _city_row(inputs: PlanInputs) -> pd.Series:
    cities = inputs.regions[inputs.regions["tingkat"] == "kabkota"]
    if len(cities) != 1:  # the readers allow one city per folder
        raise LoadError(f"a city folder holds one kabupaten/kota, found {len(cities)}")
    return cities.iloc[0]


def _boundaries(kode: str) -> dict[str, tuple[Any, str, str]]:
    """The uploaded boundaries of a city (kode -> geometry, source, status): a city folder
    has no boundaries, so a reload (``--replace``) keeps them for the regions it still has."""
    rows = Region._base_manager.filter(city_kode=kode, boundary__isnull=False).values_list(
        "kode", "boundary", "boundary_source", "boundary_status"
    )
    return {k: (b, src, st) for k, b, src, st in rows}


def _restore_boundaries(kode: str, kept: dict[str, tuple[Any, str, str]]) -> int:
    regions = list(Region._base_manager.filter(city_kode=kode, kode__in=list(kept)))
    for r in regions:
        r.boundary, r.boundary_source, r.boundary_status = kept[r.kode]
    fields = ["boundary", "boundary_source", "boundary_status"]
    Region._base_manager.bulk_update(regions, fields, batch_size=BATCH)
    return len(regions)


def _has_city_data() -> bool:
    return Plan.objects.exists() or Region.objects.exists()


def delete_city(kode: str) -> None:
    """Delete every row of city ``kode`` (children first; audit entries are kept)."""
    for model in (
        Scenario,
        CityFile,
        ActionItem,
        MeetingParticipant,
        Meeting,
        Realisation,
        PlannedYear,
        ActivitySupport,
        Activity,
        Agency,
        ParameterOverride,
        PlanTargetSet,
        Plan,
        TargetPoint,
        TargetSet,
        Facility,
        Observation,
    ):
        model._base_manager.filter(city_kode=kode).delete()
    Region._base_manager.filter(city_kode=kode).update(parent=None)
    Region._base_manager.filter(city_kode=kode).delete()


def _load_entry(
    kode: str, nama: str, source: str, counts: dict[str, int], demo: bool, replaced: bool
) -> None:
    user = current_user()
    who = user if getattr(user, "is_authenticated", False) else None
    AuditEntry.objects.create(
        city_kode=kode,
        user=who,
        username=who.get_username() if who is not None else "",
        model="city",
        object_pk=kode,
        object_repr=nama,
        action="load",
        after={"source": source, "counts": counts, "demo": demo, "replaced": replaced},
    )


# --------------------------------------------------------------------------- writing


def _num(v: Any) -> float | None:
    if v is None:
        return None
    f = float(v)
    return None if math.isnan(f) else f


def _s(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v)


def _records(df: pd.DataFrame) -> Iterable[dict[str, Any]]:
    for rec in df.to_dict("records"):
        yield {str(k): v for k, v in rec.items()}


def _bulk(model: type[models.Model], objs: Sequence[models.Model]) -> list[Any]:
    return list(model._base_manager.bulk_create(objs, batch_size=BATCH))


def _tpa_fields(ghg: GhgInputs | None) -> dict[str, tuple[int | None, str]]:
    """Facility id -> (opening year, site class as written; blank = not given) of each TPA."""
    if ghg is None or ghg.tpa.empty:
        return {}
    tpa = ghg.tpa
    opening = pd.to_numeric(tpa["opening_year"], errors="coerce").astype(float)
    return {
        str(fid): (None if math.isnan(year) else int(year), str(cls) if bool(given) else "")
        for fid, year, cls, given in zip(
            tpa["id"], opening, tpa["site_class"], tpa["class_given"], strict=True
        )
    }


def _write(
    kode: str,
    inputs: PlanInputs,
    options: PlanOptions,
    prog: ProgrammeInputs | None,
    ghg: GhgInputs | None = None,
) -> dict[str, int]:
    regions = _write_regions(kode, inputs.regions)
    counts = {"regions": len(regions)}
    obs = [
        Observation(
            city_kode=kode,
            region=regions[_s(r["kode"])],
            year=int(r["year"]),
            indicator=_s(r["indicator"]),
            value=float(r["value"]),
            unit=_s(r["unit"]),
            status=_s(r["status"]),
            source=_s(r["source"]),
        )
        for r in _records(inputs.observations)
    ]
    counts["observations"] = len(_bulk(Observation, obs))
    counts["target_points"] = _write_targets(kode, inputs.targets)
    tpa = _tpa_fields(ghg)
    fac = [
        Facility(
            city_kode=kode,
            code=_s(r["id"]),
            type=_s(r["type"]),
            name=_s(r["name"]),
            region=regions[_s(r["kode"])],
            capacity=_num(r["capacity"]),
            capacity_unit=_s(r["capacity_unit"]),
            status=_s(r["status"]),
            source=_s(r["source"]),
            owner=_s(r["owner"]) or "sendiri",
            year_built=tpa.get(_s(r["id"]), (None, ""))[0],
            tpa_site_class=tpa.get(_s(r["id"]), (None, ""))[1],
        )
        for r in _records(inputs.facilities)
    ]
    counts["facilities"] = len(_bulk(Facility, fac))
    plan = Plan(
        city_kode=kode,
        code="SSK",
        name="",
        is_active=True,
        base_year=options.base_year,
        horizon=options.horizon,
        growth_method=options.growth_method,
        bau_mode=options.bau_mode,
        sources={
            "plan": dict(inputs.sources),
            **({} if prog is None else {"programme": dict(prog.sources)}),
        },
    )
    if options.plan_period is not None:
        plan.period_start, plan.period_end = options.plan_period
    plan.save()
    if options.target_sets:
        sets = {s.code: s for s in TargetSet.objects.filter(city_kode__in=["", kode])}
        _bulk(
            PlanTargetSet,
            [
                PlanTargetSet(city_kode=kode, plan=plan, target_set=sets[c], position=i)
                for i, c in enumerate(options.target_sets)
            ],
        )
    overrides = []
    for p in inputs.parameters.overrides:
        o = ParameterOverride(
            city_kode=kode, plan=plan, name=p.name, source=p.source, status=p.status, note=""
        )
        o.value = p.value if isinstance(p.value, str) else float(p.value or 0.0)
        overrides.append(o)
    counts["parameter_overrides"] = len(_bulk(ParameterOverride, overrides))
    if prog is not None:
        counts.update(_write_programme(kode, prog, regions))
    return counts


def _write_files(kode: str, files: dict[str, bytes]) -> dict[str, int]:
    """The instrument files as loaded (validated UTF-8: stored as text, BOM kept)."""
    rows = [
        CityFile(
            city_kode=kode,
            name=name,
            content=data.decode("utf-8"),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        for name, data in files.items()
    ]
    return {"files": len(_bulk(CityFile, rows))} if rows else {}


def _write_scenarios(kode: str, scenarios: Sequence[ScenarioSpec]) -> int:
    """One :class:`Scenario` row per validated file, keyed by its name (the file stem). A
    title left to its default (the name; the Indonesian title for ``title_en``) is stored
    blank, as the web form leaves it, so the row gives the file's own keys back."""
    rows = [
        Scenario(
            city_kode=kode,
            name=sc.name,
            title="" if sc.title == sc.name else sc.title,
            title_en="" if sc.title_en == sc.title else sc.title_en,
            description=sc.description,
            target_sets=list(sc.target_sets or ()),
            parameters=dict(sc.parameters),
            unit_cost_factors=dict(sc.unit_cost_factors),
            budget=sc.budget or "",
        )
        for sc in scenarios
    ]
    return len(_bulk(Scenario, rows))


def _write_regions(kode: str, df: pd.DataFrame) -> dict[str, Region]:
    rows = [
        Region(
            city_kode=kode,
            kode=_s(r["kode"]),
            nama=_s(r["nama"]),
            tingkat=_s(r["tingkat"]),
            urban=bool(r["urban"]),
            spald_t_zone=_s(r["spald_t_zone"]),
            area_km2=_num(r["area_km2"]),
        )
        for r in _records(df)
    ]
    _bulk(Region, rows)
    by_kode = {r.kode: r for r in Region._base_manager.filter(city_kode=kode)}
    parents = dict(zip(df["kode"].astype(str), df["parent_kode"].astype(str), strict=True))
    changed = []
    for k, region in by_kode.items():
        parent = by_kode.get(parents.get(k, ""))
        if parent is not None:
            region.parent = parent
            changed.append(region)
    Region._base_manager.bulk_update(changed, ["parent"], batch_size=BATCH)
    return by_kode


def _write_targets(kode: str, targets: pd.DataFrame) -> int:
    """Sync the national sets (shared rows) from the package, then write the city's rows.

    ``inputs.targets`` is the reference table followed by the city's own rows (the readers
    concatenate them in that order), so the city's rows are those after the reference ones.
    """
    reference = load_reference_targets()
    n_ref = len(reference)
    national = targets.iloc[:n_ref]
    city = targets.iloc[n_ref:]
    TargetPoint._base_manager.filter(city_kode="").delete()
    _points("", national)
    return _points(kode, city)


def _points(kode: str, df: pd.DataFrame) -> int:
    codes = list(dict.fromkeys(df["target_set"].astype(str)))
    existing = {s.code: s for s in TargetSet._base_manager.filter(city_kode=kode, code__in=codes)}
    new = [TargetSet(city_kode=kode, code=c) for c in codes if c not in existing]
    _bulk(TargetSet, new)
    sets = {s.code: s for s in TargetSet._base_manager.filter(city_kode=kode, code__in=codes)}
    points = [
        TargetPoint(
            city_kode=kode,
            target_set=sets[_s(r["target_set"])],
            indicator=_s(r["indicator"]),
            year=int(r["year"]),
            kind=_s(r["kind"]),
            value=float(r["value"]),
            status=_s(r["status"]),
            scope_kode=_s(r["scope_kode"]),
            unit=_s(r["unit"]),
            source=_s(r["source"]),
            note=_s(r["note"]),
        )
        for r in _records(df)
    ]
    return len(_bulk(TargetPoint, points))


def _date(v: Any) -> Any:
    return None if v is None or pd.isna(v) else pd.Timestamp(v).date()


def _write_programme(
    kode: str, prog: ProgrammeInputs, regions: dict[str, Region]
) -> dict[str, int]:
    agencies = [
        Agency(
            city_kode=kode,
            **{
                c: _s(r[c])
                for c in ("code", "name_id", "name_en", "kind", "kode", "role_summary", "status")
            },
        )
        for r in _records(prog.agencies)
    ]
    _bulk(Agency, agencies)
    agency = {a.code: a for a in Agency._base_manager.filter(city_kode=kode)}
    text = ACTIVITY_TEXT_FIELDS
    acts = [
        Activity(
            city_kode=kode,
            code=_s(r["code"]),
            lead_agency=agency[_s(r["lead_agency"])],
            location=regions[_s(r["location_kode"])],
            adopted_on=_date(r.get("adopted_on")),
            **{c: _s(r[c]) for c in text},
            **{c: _s(r.get(c, "")) for c in ACTIVITY_DOCUMENT_FIELDS},
        )
        for r in _records(prog.activities)
    ]
    _bulk(Activity, acts)
    activity = {a.code: a for a in Activity._base_manager.filter(city_kode=kode)}
    support = [
        ActivitySupport(
            city_kode=kode, activity=activity[_s(r["code"])], agency=agency[a], position=i
        )
        for r in _records(prog.activities)
        for i, a in enumerate(r["support_agencies"])
    ]
    _bulk(ActivitySupport, support)
    planned = [
        PlannedYear(
            city_kode=kode,
            activity=activity[_s(r["code"])],
            year=int(r["year"]),
            planned_output=float(r["planned_output"]),
            planned_cost_idr=float(r["planned_cost_idr"]),
        )
        for r in _records(prog.planned)
    ]
    _bulk(PlannedYear, planned)
    real = [
        Realisation(
            city_kode=kode,
            activity=activity[_s(r["activity_code"])],
            year=int(r["year"]),
            quarter=int(r["quarter"]),
            output_achieved=float(r["output_achieved"]),
            cost_spent_idr=float(r["cost_spent_idr"]),
            progress_pct=_num(r.get("progress_pct")),
            state=_s(r["state"]),
            note=_s(r["note"]),
            status=_s(r["status"]),
        )
        for r in _records(prog.realisation)
    ]
    _bulk(Realisation, real)
    meetings = [
        Meeting(
            city_kode=kode,
            code=_s(r["id"]),
            date=_date(r["date"]),
            kind=_s(r["kind"]),
            title=_s(r["title"]),
            milestone=_s(r["milestone"]),
            summary=_s(r["summary"]),
            decisions=_s(r["decisions"]),
            status=_s(r["status"]),
        )
        for r in _records(prog.meetings)
    ]
    _bulk(Meeting, meetings)
    meeting = {m.code: m for m in Meeting._base_manager.filter(city_kode=kode)}
    people = [
        MeetingParticipant(
            city_kode=kode, meeting=meeting[_s(r["id"])], agency=agency[a], position=i
        )
        for r in _records(prog.meetings)
        for i, a in enumerate(r["participants"])
    ]
    _bulk(MeetingParticipant, people)
    numbers: dict[str, int] = {}
    actions = []
    for r in _records(prog.action_items):
        mid = _s(r["meeting_id"])
        numbers[mid] = numbers.get(mid, 0) + 1
        actions.append(
            ActionItem(
                city_kode=kode,
                meeting=meeting[mid],
                number=numbers[mid],
                action=_s(r["action"]),
                owner_agency=agency[_s(r["owner_agency"])],
                due_date=_date(r["due_date"]),
                state=_s(r["state"]),
                status=_s(r["status"]),
            )
        )
    _bulk(ActionItem, actions)
    return {
        "agencies": len(agencies),
        "activities": len(acts),
        "planned_years": len(planned),
        "realisations": len(real),
        "meetings": len(meetings),
        "action_items": len(actions),
    }


__all__ = [
    "FolderData",
    "LoadError",
    "LoadResult",
    "delete_city",
    "folder_scenarios",
    "has_programme",
    "instrument_files",
    "load_city_folder",
    "read_folder",
]
