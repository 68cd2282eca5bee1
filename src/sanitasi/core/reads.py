"""Parameters as declared inputs: which computation read which parameter (docs/METHOD.md §16).

Every row of ``reference/parameters.csv`` and ``reference/ghg_parameters.csv`` names, in
its ``read_by`` column, the computations that read it (semicolon-separated names of
:data:`COMPUTATIONS`), or ``reference_only`` when no computation reads it (the value is kept
for the record: a literature figure, a worked example). A reference-only parameter is not
offered for override.

The declaration is checked against what a run actually reads. A computation runs inside
:func:`computation` (a context manager, also usable as a decorator); every read of a
:class:`~sanitasi.core.model.ParameterSet` value (``num``, ``opt``, ``choice``,
``__getitem__``) made while a :func:`tracking` block is open is recorded in its
:class:`ReadLog` under the computation that is running (``""`` when none is). Nested
``tracking`` blocks all receive the read. The plan result carries the log
(``PlanResult.parameters_read``) and the provenance counts of its tables come from it.

The log lives in :mod:`contextvars`: one per thread (a web request) and nothing when no
block is open, so reading a parameter outside a run (a form, a report) records nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

#: Marker of ``read_by`` for a parameter no computation reads.
REFERENCE_ONLY = "reference_only"

#: Computations that read parameters: name -> what it computes (docs/METHOD.md section).
COMPUTATIONS: Mapping[str, str] = {
    "population": "Population and household projection (§2)",
    "trajectories.cliff": "Warning on a trajectory with a cliff (SAN-W008, §4)",
    "wastewater.ladder": "BAU ladder and the stock-flow needs of the sanitation ladder (§5, §6)",
    "wastewater.spald_t": "SPALD-T treatment plants: zone or modular sizing (§6)",
    "wastewater.desludging": "L2T2 desludging service, IPLT capacity and vacuum trucks (§6)",
    "waste.generation": "Waste generation rate by city class and its growth (§7)",
    "waste.pengurangan": "Reduction routes: TPS3R, bank sampah and others (§7)",
    "waste.collection": "Collection trucks and trips (§7)",
    "waste.landfill": "Landfilled share and landfill volume, TPA-full year (§7)",
    "costs": "Escalated capex, opex and O&M of the needs (§8)",
    "programme.coverage": "Outputs of the programme applied to BAU (landfill volume, §9)",
    "monitoring.profiles": "Quarterly plan profiles of the activities (§10)",
    "monitoring.bands": "Performance bands (§10)",
    "monitoring.absorption": "Budget absorption and overspend (§10)",
    "monitoring.forecast": "Forecast pace cap and off-trajectory tolerance (§10)",
    "monitoring.reporting": "Deadline of the quarterly reports: due, overdue (§10.11)",
    "survey.rules": "Survey rules: aman window and EHRA sample size (§11.2)",
    "document.land": "Land needs of the facilities (SSK document, §8)",
    "document.cost_recovery": "Cost recovery of the operation (SSK document, §8)",
    "ghg.landfill": "Landfill CH4, IPCC first-order decay (§12)",
    "ghg.wastewater": "Wastewater CH4 and N2O by pathway (§12)",
    "ghg.gwp": "CO2e: the GWP assessment report (§12)",
    "ghg.factors": "The factors table of the GHG chapter (§12)",
    "ghg.fod": "The sanitasi ghg fod command: first-order decay of given deposits (§12)",
    "budget.default": "The default budget projected from fiscal_history.csv (§18.1)",
    "priority": "Priority score of kelurahan x sector and of the activities (§18.2)",
    "optimise": "The funding-constrained plan: carry-over and the engine rates it reuses (§18.3)",
}

#: Name under which a read outside any :func:`computation` is recorded.
UNDECLARED = ""


class ReadLog:
    """Parameters read, by computation (``computation -> set of names``)."""

    def __init__(self) -> None:
        self.by_computation: dict[str, set[str]] = {}

    def add(self, computation: str, name: str) -> None:
        self.by_computation.setdefault(computation, set()).add(name)

    def names(self, prefixes: Iterable[str] | None = None) -> set[str]:
        """Names read by every computation, or by those named ``p`` or ``p.*`` for a
        prefix ``p`` of ``prefixes``."""
        if prefixes is None:
            groups = list(self.by_computation.values())
        else:
            pre = tuple(prefixes)
            groups = [
                names
                for comp, names in self.by_computation.items()
                if any(comp == p or comp.startswith(p + ".") for p in pre)
            ]
        return set().union(*groups) if groups else set()

    def frozen(self) -> dict[str, frozenset[str]]:
        return {c: frozenset(n) for c, n in sorted(self.by_computation.items())}


_current: ContextVar[str] = ContextVar("sanitasi_computation", default=UNDECLARED)
_logs: ContextVar[tuple[ReadLog, ...]] = ContextVar("sanitasi_read_logs", default=())


def record(name: str) -> None:
    """Record a read of ``name`` in every open :func:`tracking` block (no-op when none)."""
    logs = _logs.get()
    if logs:
        comp = _current.get()
        for log in logs:
            log.add(comp, name)


@contextmanager
def tracking() -> Iterator[ReadLog]:
    """Record the parameter reads made inside the block into the yielded :class:`ReadLog`."""
    log = ReadLog()
    token = _logs.set((*_logs.get(), log))
    try:
        yield log
    finally:
        _logs.reset(token)


@contextmanager
def computation(name: str) -> Iterator[None]:
    """Run the block (or the decorated function) as the computation ``name`` (a key of
    :data:`COMPUTATIONS`); reads inside it are recorded under that name."""
    if name not in COMPUTATIONS:
        raise KeyError(f"unknown computation {name!r}: add it to sanitasi.core.reads")
    token = _current.set(name)
    try:
        yield
    finally:
        _current.reset(token)


def merge(*maps: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    """Union of several ``computation -> names`` maps."""
    out: dict[str, set[str]] = {}
    for m in maps:
        for comp, names in m.items():
            out.setdefault(comp, set()).update(names)
    return {c: frozenset(n) for c, n in sorted(out.items())}


def names_of(reads: Mapping[str, Iterable[str]], prefixes: Iterable[str] | None = None) -> set[str]:
    """Names in a ``computation -> names`` map (all, or of the computations ``p``/``p.*``)."""
    log = ReadLog()
    for comp, names in reads.items():
        for n in names:
            log.add(comp, n)
    return log.names(prefixes)


def parse_read_by(text: str) -> tuple[str, ...]:
    """The computations of a ``read_by`` cell (semicolon-separated, blanks dropped)."""
    return tuple(w.strip() for w in str(text).split(";") if w.strip())


__all__ = [
    "COMPUTATIONS",
    "REFERENCE_ONLY",
    "UNDECLARED",
    "ReadLog",
    "computation",
    "merge",
    "names_of",
    "parse_read_by",
    "record",
    "tracking",
]
