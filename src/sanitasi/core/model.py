"""Data contracts of the planning engine: inputs, options, parameters and result tables.

The core never reads files. The ``sanitasi.io`` layer builds a :class:`PlanInputs` from a city
folder (or a synthetic national baseline) and the reference tables; :func:`sanitasi.core.plan.run_plan`
turns it into a :class:`PlanResult`. Inputs are never mutated: every step returns new tables
(build -> compute -> report, as in PyPSA).

Conventions (docs/METHOD.md §1):

* indicators named ``pct_*`` are percentages 0-100; parameters named ``*_share``/``*_fraction``
  are fractions 0-1;
* money is nominal rupiah of the year it is spent (``*_idr``);
* households are *rumah tangga*; fractional households are kept and rounded only for display;
* facility counts are rounded up once, at city (kab/kota) level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from sanitasi.core.reads import REFERENCE_ONLY, computation, record

if TYPE_CHECKING:
    from sanitasi.core.plan import PlanArrays
    from sanitasi.core.programme import ProgrammeInputs

#: Provenance statuses, in order of trust.
STATUSES: tuple[str, ...] = ("sourced", "derived", "illustrative", "unverified")

#: Ladder rungs, best first (``rung_order`` 6 .. 1 in ``ladder.csv``).
RUNGS: tuple[str, ...] = (
    "aman",
    "layak_sendiri",
    "layak_bersama",
    "belum_layak",
    "babs_tertutup",
    "babs_terbuka",
)
LAYAK_RUNGS: tuple[str, ...] = ("aman", "layak_sendiri", "layak_bersama")

#: Leaf levels of the region tree (where baseline data live).
LEAF_LEVELS: tuple[str, ...] = ("kelurahan", "desa")
LEVELS: tuple[str, ...] = ("nasional", "provinsi", "kabkota", "kecamatan", "kelurahan", "desa")

#: Funding source codes (reference ``funding_shares.csv``); items without shares go to
#: ``UNASSIGNED``.
FUNDING_SOURCES: tuple[str, ...] = (
    "APBN",
    "DAK",
    "APBD_PROV",
    "APBD_KOTA",
    "SWASTA",
    "MASYARAKAT",
)
UNASSIGNED = "UNASSIGNED"

#: Indicator catalogue: code -> (sector, basis, aggregation, name_id, name_en, lower_is_better).
#: ``basis`` names the denominator so a gap is only ever computed between the same code.
INDICATORS: dict[str, dict[str, Any]] = {
    "pct_layak": dict(
        sector="ald",
        basis="households",
        name_id="Akses sanitasi layak",
        name_en="Basic (layak) sanitation access",
        lower_is_better=False,
    ),
    "pct_aman": dict(
        sector="ald",
        basis="households",
        name_id="Akses sanitasi aman",
        name_en="Safely managed (aman) sanitation",
        lower_is_better=False,
    ),
    "pct_babs_terbuka": dict(
        sector="ald",
        basis="households",
        name_id="BABS di tempat terbuka",
        name_en="Open defecation",
        lower_is_better=True,
    ),
    "pct_waste_pengurangan": dict(
        sector="persampahan",
        basis="tonnage",
        name_id="Pengurangan sampah",
        name_en="Waste reduction (pengurangan)",
        lower_is_better=False,
    ),
    "pct_waste_penanganan": dict(
        sector="persampahan",
        basis="tonnage",
        name_id="Penanganan sampah",
        name_en="Waste handling (penanganan)",
        lower_is_better=False,
    ),
    "pct_waste_managed": dict(
        sector="persampahan",
        basis="tonnage",
        name_id="Sampah terkelola",
        name_en="Waste managed (terkelola)",
        lower_is_better=False,
    ),
    "pct_waste_dikelola": dict(
        sector="persampahan",
        basis="rpjmn_2025_2029",
        name_id="Sampah yang dikelola (RPJMN 2025-2029)",
        name_en="Waste managed (RPJMN 2025-2029 basis)",
        lower_is_better=False,
    ),
    "pct_hh_waste_served": dict(
        sector="persampahan",
        basis="households",
        name_id="Rumah tangga terlayani sampah",
        name_en="Households with waste service",
        lower_is_better=False,
    ),
}


@dataclass(frozen=True)
class Parameter:
    """One dated parameter value with unit and provenance (OpenFisca-style).

    ``value`` is a float for numeric parameters, a string for choices (e.g.
    ``new_households_ladder``) and ``None`` when unset (e.g. ``population_growth_rate``).
    ``default`` keeps the reference value when a plan overrides it.
    """

    name: str
    value: float | str | None
    unit: str
    source: str
    status: str
    low: float | None = None
    high: float | None = None
    applies_to: str = ""
    note: str = ""
    overridden: bool = False
    default: float | str | None = None
    #: Computations that read it (``read_by`` of the reference file, docs/METHOD.md §16);
    #: ``("reference_only",)`` when none does. Empty when not declared (a test set).
    read_by: tuple[str, ...] = ()

    @property
    def reference_only(self) -> bool:
        """No computation reads it: kept for the record, not offered for override."""
        return REFERENCE_ONLY in self.read_by


@dataclass(frozen=True)
class ParameterSet:
    """An immutable set of parameters. ``with_overrides`` returns a new set and records them."""

    params: Mapping[str, Parameter]

    def __contains__(self, name: object) -> bool:
        return name in self.params

    def __getitem__(self, name: str) -> Parameter:
        p = self.params[name]
        record(name)
        return p

    def num(self, name: str) -> float:
        """Numeric value of ``name``; raises KeyError if unknown, ValueError if not numeric.

        Like every accessor of a value, it records the read (:mod:`sanitasi.core.reads`)."""
        v = self.params[name].value
        record(name)
        if v is None or isinstance(v, str):
            raise ValueError(f"parameter {name} has no numeric value ({v!r})")
        return float(v)

    def opt(self, name: str) -> float | None:
        """Numeric value, or ``None`` when unset."""
        if name not in self.params:
            return None
        record(name)
        v = self.params[name].value
        if v is None or (isinstance(v, float) and v != v):
            return None
        return float(v) if not isinstance(v, str) else None

    def choice(self, name: str) -> str:
        v = self.params[name].value
        record(name)
        return str(v)

    def reader(self, computation_name: str) -> ParameterReader:
        """A view that reads as the computation ``computation_name`` (docs/METHOD.md §16)."""
        return ParameterReader(self, computation_name)

    def with_overrides(
        self,
        overrides: Mapping[str, float | str],
        source: str = "plan override",
        status: str = "unverified",
    ) -> ParameterSet:
        """Return a new set where each name in ``overrides`` takes the given value.

        Unknown names raise ``KeyError`` (the caller reports it as bad input). The reference
        value is kept in ``default`` and ``overridden`` is set, so reports list every override
        with its source and status (``unverified`` unless the plan cites a source).
        """
        new = dict(self.params)
        for name, value in overrides.items():
            p = new[name]
            new[name] = replace(
                p, value=value, overridden=True, default=p.value, source=source, status=status
            )
        return ParameterSet(new)

    @property
    def overrides(self) -> list[Parameter]:
        return [p for p in self.params.values() if p.overridden]

    def table(self) -> pd.DataFrame:
        rows = [
            dict(
                name=p.name,
                value=p.value,
                unit=p.unit,
                default=p.default if p.overridden else p.value,
                overridden=p.overridden,
                source=p.source,
                status=p.status,
                note=p.note,
            )
            for p in self.params.values()
        ]
        return pd.DataFrame(rows)


@dataclass(frozen=True)
class ParameterReader:
    """A :class:`ParameterSet` read as one computation: every read is recorded under
    ``computation`` (:func:`sanitasi.core.reads.computation`)."""

    params: ParameterSet
    computation: str

    def __getitem__(self, name: str) -> Parameter:
        with computation(self.computation):
            return self.params[name]

    def num(self, name: str) -> float:
        with computation(self.computation):
            return self.params.num(name)

    def opt(self, name: str) -> float | None:
        with computation(self.computation):
            return self.params.opt(name)

    def choice(self, name: str) -> str:
        with computation(self.computation):
            return self.params.choice(name)


@dataclass(frozen=True)
class PlanInputs:
    """Validated inputs of one or many cities.

    Tables (pandas DataFrames, never mutated by the core):

    ``regions``
        ``kode`` (str, Kemendagri 2025, unique), ``nama``, ``tingkat`` (one of
        :data:`LEVELS` except ``nasional``), ``parent_kode`` (str, "" for provinces),
        ``urban`` (bool; rural desa use the rural pit rule), ``spald_t_zone`` (str, "" when
        none), ``area_km2`` (float, NaN when unknown). Must contain every ancestor of every
        leaf up to the province.
    ``observations``
        Long table ``kode, year, indicator, value, status``. Indicators: ``population``,
        ``households``, ``hh_<rung>`` for each rung, ``hh_spald_t``, ``hh_desludged_3y``,
        ``waste_generated_tpd``, ``waste_pengurangan_tpd``, ``waste_penanganan_tpd``,
        ``waste_landfilled_tpd``, ``waste_density_kg_per_m3``, ``tpa_remaining_life_years``,
        ``tpa_inflow_tpd``, ``waste_hauled_tpd``, ``tpa_distance_km``,
        ``desludgings_per_year`` and context rows (ignored by the engine).
    ``targets``
        ``target_set, indicator, year, kind (target|baseline), value (0-100), status,
        scope_kode`` (``""`` for national sets, the city kode for ``LOCAL`` rows).
    ``facilities``
        ``id, type, kode, capacity, capacity_unit, status, owner``. Types used: ``IPLT``
        (capacity in m3/day, summed per city), ``truk_tinja`` and ``truk_sampah`` (one row per
        truck; ``capacity`` is its tank or body volume in m3: the collection fleet's body
        volume calibrates the truck needs), ``TPA`` (``owner`` ``provinsi``, ``regional``,
        ``daerah_lain`` or ``swasta`` makes it a facility the city does not own).
    ``unit_costs``
        ``item, unit, cost_idr, price_year, status, source``.
    ``need_items``
        ``need, unit, item, cost_kind (capex|opex), sector (ald|persampahan), om_rule
        (desludging|om_share|none)``, optional ``om_item`` (who pays the O&M:
        ``om_general``, ``om_community``, ``om_regional``) and ``funding_item``.
    ``funding_shares``
        ``item, source, share (0-1), status``.
    ``parameters``
        :class:`ParameterSet`.
    ``sources``
        Free mapping table-name -> file path, used only in messages and reports.
    """

    regions: pd.DataFrame
    observations: pd.DataFrame
    targets: pd.DataFrame
    facilities: pd.DataFrame
    unit_costs: pd.DataFrame
    need_items: pd.DataFrame
    funding_shares: pd.DataFrame
    parameters: ParameterSet
    sources: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanOptions:
    """What to compute.

    ``base_year``: year of the kelurahan baseline (must have leaf data).
    ``horizon``: last projected year (inclusive).
    ``target_sets``: codes to report; ``None`` = every set with a point in (base, horizon]
    plus every set with a target point in or before the base year (retrospective).
    ``growth_method``: ``geometric`` (default), ``arithmetic`` or ``exponential``.
    ``bau_mode``: ``constant`` (base-year shares) or ``trend`` (extrapolate the observed
    city share trend, clipped to [0, 100]).
    ``plan_period``: first and last year of the SSK period (medium-term needs are summed
    over it); default ``(base_year + 1, base_year + 5)``.
    """

    base_year: int
    horizon: int
    target_sets: tuple[str, ...] | None = None
    growth_method: str = "geometric"
    bau_mode: str = "constant"
    plan_period: tuple[int, int] | None = None

    @property
    def years(self) -> list[int]:
        return list(range(self.base_year, self.horizon + 1))

    @property
    def period(self) -> tuple[int, int]:
        if self.plan_period is not None:
            return self.plan_period
        return (self.base_year + 1, min(self.base_year + 5, self.horizon))


@dataclass(frozen=True)
class Column:
    """Metadata of a result column: labels in Indonesian and English, unit, kind.

    ``kind`` is one of ``text``, ``int``, ``float``, ``pct`` (0-100), ``idr``, ``count``
    (households or facilities; kept fractional, shown rounded), ``year``.
    """

    label_id: str
    label_en: str
    unit: str = ""
    kind: str = "float"


@dataclass(frozen=True)
class Table:
    """A result table with labels, units and the provenance of its inputs.

    ``provenance`` counts the inputs behind the table by status (``sourced``, ``derived``,
    ``illustrative``, ``unverified``): every table says how many of its inputs are which.
    """

    name: str
    title_id: str
    title_en: str
    df: pd.DataFrame
    columns: Mapping[str, Column]
    provenance: Mapping[str, int]
    note_id: str = ""
    note_en: str = ""

    def title(self, lang: str = "id") -> str:
        return self.title_en if lang == "en" else self.title_id

    def label(self, col: str, lang: str = "id") -> str:
        c = self.columns.get(col)
        if c is None:
            return col
        return c.label_en if lang == "en" else c.label_id


#: The values of a physical-realisation warning (SAN-W301; with ``progress_pct`` when the
#: activity reports physical progress).
_W301_VALUES: tuple[str, ...] = (
    "activity",
    "agency",
    "area",
    "area_name",
    "physical_pct",
    "quarter",
    "year",
    "threshold_pct",
    "band",
    "done",
    "due",
    "unit",
)

#: The registry of the engine's warnings: message key -> names of the values the emitting
#: code gives (docs/METHOD.md Appendix B). The key is the warning code, or ``code.variant``
#: when one code has two wordings (``SAN-W001.shared``: the TPA is another owner's). The
#: sentences live outside the core, in the message catalogue :mod:`sanitasi.messages`
#: (English msgids translated through the web's gettext catalogue); the core gives values
#: only (numbers, years, codes of indicators, target sets, rungs, areas ...).
WARNINGS: Mapping[str, frozenset[str]] = {
    k: frozenset(v)
    for k, v in {
        "SAN-W001": ("year",),
        "SAN-W001.shared": ("year", "p0", "p1", "total_m3", "city_m3", "share_pct"),
        "SAN-W002": ("year",),
        "SAN-W003": (),
        "SAN-W004": ("n",),
        "SAN-W005": (),
        "SAN-W006": (),
        "SAN-W007": ("indicator",),
        "SAN-W008": ("indicator", "year", "increase_pts", "factor", "mean_pts", "binding"),
        "SAN-W009": ("indicator", "year", "local_pct", "target_set", "national_pct"),
        "SAN-W010": ("parameter", "default", "value", "source"),
        "SAN-W020": (),
        "SAN-W021": (),
        "SAN-W022": (),
        "SAN-W023": ("n",),
        "SAN-W024": ("year", "more_t"),
        "SAN-W025": ("shortfall_pts", "indicator", "year", "caps"),
        "SAN-W170": ("rung", "years"),
        "SAN-W171": ("area", "area_name", "subsector"),
        "SAN-W172": ("years",),
        "SAN-W201": (
            "activity",
            "area",
            "area_name",
            "year",
            "requested",
            "unit",
            "from_rung",
            "to_rung",
            "eligible",
            "excess",
        ),
        "SAN-W202": ("activity", "area", "area_name"),
        "SAN-W203": ("activity",),
        "SAN-W204": ("activity", "years", "first_year", "last_year"),
        "SAN-W301": (*_W301_VALUES, "progress_pct"),
        "SAN-W301.no_progress": _W301_VALUES,
        "SAN-W302": (
            "activity",
            "agency",
            "area",
            "area_name",
            "realised_idr",
            "unit",
            "planned_idr",
            "overrun_pct",
            "tolerance_pct",
        ),
        "SAN-W303": ("activity", "agency", "area", "area_name", "quarter", "year"),
        "SAN-W304": ("meeting", "agency", "area", "area_name", "action", "due_date", "days"),
        "SAN-W305": (
            "activity",
            "agency",
            "area",
            "area_name",
            "output",
            "unit",
            "quarter",
            "year",
        ),
        "SAN-W306": ("activity", "agency", "area", "area_name", "spent_idr", "quarter", "year"),
        "SAN-W310": ("indicator", "year", "pct", "trajectory_pct"),
        "SAN-W311": ("indicator", "year", "pct", "trajectory_pct"),
    }.items()
}
#: The values of an input problem (:class:`sanitasi.io.errors.Problem`, its own bilingual
#: catalogue) carried as a report warning under the problem's code: place and rule, in words.
INPUT_PROBLEM_VALUES = frozenset({"where", "rule_id", "rule_en"})


@dataclass(frozen=True, eq=True)
class Warning_:
    """An engine warning: a stable code (``SAN-Wnnn``), the values of its message, and its
    place (``kode``) and ``year``. The core builds no sentence: the message catalogue
    (:func:`sanitasi.messages.render`) words it in the page's language. ``values`` must name
    exactly the values :data:`WARNINGS` registers for :attr:`key` (a ``variant`` value picks
    the wording), else ``ValueError`` (an internal failure)."""

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)
    kode: str = ""
    year: int | None = None

    def __post_init__(self) -> None:
        names = set(self.values) - {"variant"}
        expected = WARNINGS.get(self.key)
        if expected is None:
            if names == INPUT_PROBLEM_VALUES:
                return
            raise ValueError(f"warning {self.key!r} is not in the registry (core.model.WARNINGS)")
        if names != expected:
            raise ValueError(
                f"warning {self.key}: values {sorted(names)} differ from the registry's "
                f"{sorted(expected)}"
            )

    @property
    def key(self) -> str:
        """The message key: the code, or ``code.variant``."""
        v = self.values.get("variant")
        return f"{self.code}.{v}" if v else self.code

    def __hash__(self) -> int:
        return hash((self.code, self.kode, self.year, repr(sorted(self.values.items()))))


@dataclass(frozen=True)
class PlanResult:
    """Everything a plan run produces. ``tables`` keeps insertion order (report order).

    Besides the labelled tables, a result carries (all optional, typed):

    * ``arrays`` -- the engine's arrays over areas x years (:class:`sanitasi.core.plan.PlanArrays`)
      the tables were built from; the programme chapters and the monitoring run reuse them;
    * ``inputs`` -- the :class:`PlanInputs` of the run;
    * ``programme`` -- the city's programme matrix when the programme chapters were added
      (``sanitasi.app.plan_report``); the risk chapter's priority share reads it;
    * ``instruments`` -- names of the Bab II instrument tables added (survey, risk, SFD);
    * ``input_files`` -- input name -> file it was read from (listed in the report's sources);
    * ``parameters_read`` -- computation -> names of the parameters it read in this run
      (:mod:`sanitasi.core.reads`); the provenance counts come from it.
    """

    options: PlanOptions
    tables: Mapping[str, Table]
    warnings: tuple[Warning_, ...]
    parameters: ParameterSet
    city_kodes: tuple[str, ...]
    target_sets: tuple[str, ...]
    arrays: PlanArrays | None = None
    inputs: PlanInputs | None = None
    programme: ProgrammeInputs | None = None
    instruments: tuple[str, ...] = ()
    input_files: Mapping[str, str] = field(default_factory=dict)
    parameters_read: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name].df


def count_status(statuses: Iterable[str]) -> dict[str, int]:
    """Count provenance statuses (unknown ones are reported as ``unverified``)."""
    out = dict.fromkeys(STATUSES, 0)
    for s in statuses:
        key = s if s in out else "unverified"
        out[key] += 1
    return out
