"""Greenhouse gases of solid waste disposal: the IPCC first-order-decay (FOD) model, landfill
methane of a city's TPA (BAU vs plan, avoided emissions) and CO2-equivalents (docs/METHOD.md
§12).

**First-order decay** (IPCC 2006 Guidelines Vol. 5 Ch. 3, Eq. 3.2-3.6, as implemented in the
IPCC Waste Model spreadsheet), vectorised over any leading axes (streams, cities, ...) with
years on the last axis. For each stream with degradable organic carbon ``DOC`` (fraction of
wet waste), decomposable fraction ``DOCf``, decay rate ``k`` (1/year) and a site methane
correction factor ``MCF`` (fraction, per row so that a weighted mix of sites is possible):

====================================  ===========================================  ======
quantity                              formula                                      unit
====================================  ===========================================  ======
DDOCm deposited ``D(T)``              ``W(T) x DOC x DOCf x MCF(T)``               t C
not reacted in the deposition year    ``B(T) = D(T) x exp2``                       t C
decomposed in the deposition year     ``C(T) = D(T) x (1 - exp2)``                 t C
accumulated at the end of year T      ``H(T) = B(T) + H(T-1) x exp1``              t C
decomposed in year T                  ``E(T) = C(T) + H(T-1) x (1 - exp1)``        t C
CH4 generated                         ``Q(T) = E(T) x F x 16/12``                  t CH4
CH4 emitted (site total)              ``(sum Q(T) - R(T)) x (1 - OX)``             t CH4
====================================  ===========================================  ======

with ``exp1 = exp(-k)`` and ``exp2 = exp(-k (13 - M) / 12)``, ``M = delay_months + 7`` (the
Waste Model's "month the reaction starts": waste arrives on average in the middle of the
year, so the default delay of 6 months gives ``M = 13``, ``exp2 = 1`` and decay starting on
1 January of the year after deposition). ``W`` is wet tonnes deposited, ``F`` the CH4
fraction of landfill gas (0.5), ``R`` CH4 recovered and ``OX`` the oxidation factor. The
delay is limited to 0-6 months, the range in which the spreadsheet's formula holds
(``M <= 13``). The recursion runs over years only; every other axis is one numpy operation.

**Landfill methane of a TPA** (§12, Vol. 5 Ch. 2-3): deposits by year from the opening year
(:func:`backcast_deposits`, :func:`splice_projection`), the composition mapped to streams
(:func:`stream_shares`), the MCF of the site class (:func:`site_mcf`) and BAU vs plan
emissions with the avoided difference (:func:`landfill_scenarios`).

**CO2-equivalents** (:func:`co2e`): mass x GWP100 of the chosen IPCC assessment report.
Everything is pure: inputs are never mutated; bad arguments raise ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Mass of CH4 per mass of carbon (16/12) and of N2O per mass of nitrogen (44/28).
CH4_PER_C = 16.0 / 12.0
N2O_PER_N = 44.0 / 28.0
#: Largest delay (months) the Waste Model's deposition-year formula supports (M = 13).
MAX_DELAY_MONTHS = 6.0
#: Name of the all-streams row of :func:`fod_table`.
TOTAL = "total"
#: Columns of :func:`fod_table` (the ``sanitasi ghg fod`` output).
FOD_COLUMNS: tuple[str, ...] = (
    "year",
    "stream",
    "ddocm_decomposed_t",
    "ch4_generated_t",
    "ch4_recovered_t",
    "ch4_emitted_t",
)


# --------------------------------------------------------------------------- FOD


@dataclass(frozen=True)
class FodResult:
    """FOD quantities, each shaped like the deposits (leading axes x years), in tonnes:
    DDOCm deposited ``D``, accumulated at the end of the year ``H``, decomposed in the year
    ``E`` (t C) and CH4 generated ``Q`` (t CH4)."""

    ddocm_deposited: np.ndarray
    ddocm_accumulated: np.ndarray
    ddocm_decomposed: np.ndarray
    ch4_generated: np.ndarray


def _array(name: str, value: object, low: float = 0.0, high: float | None = None) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite numbers")
    if np.any(arr < low) or (high is not None and np.any(arr > high)):
        bound = f"between {low} and {high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be {bound}")
    return arr


def decay_factors(k: object, delay_months: float = 6.0) -> tuple[np.ndarray, np.ndarray]:
    """``(exp1, exp2)`` of the Waste Model: ``exp1 = exp(-k)`` (share of the DDOCm accumulated
    at the start of a year still there at its end) and ``exp2 = exp(-k (6 - delay)/12)``
    (= ``exp(-k (13 - M)/12)``, ``M = delay + 7``: share of a year's deposit not yet reacted at
    the end of the deposition year). ``k`` in 1/year, ``delay_months`` in 0-6."""
    k_arr = _array("k", k)
    if not 0.0 <= float(delay_months) <= MAX_DELAY_MONTHS:
        raise ValueError(f"delay_months must be between 0 and {MAX_DELAY_MONTHS:g}")
    exp1 = np.exp(-k_arr)
    exp2 = np.exp(-k_arr * (MAX_DELAY_MONTHS - float(delay_months)) / 12.0)
    return exp1, exp2


def fod(
    tonnes: object,
    doc: object,
    docf: object,
    mcf: object,
    k: object,
    *,
    f: float = 0.5,
    delay_months: float = 6.0,
) -> FodResult:
    """First-order decay of waste deposited on consecutive years (IPCC 2006 Vol. 5 Ch. 3
    Eq. 3.2-3.6; the IPCC Waste Model; docs/METHOD.md §12.1).

    ``tonnes``: wet tonnes deposited, shape ``(..., Y)`` (last axis = consecutive years, the
    first year has nothing deposited before it). ``doc``, ``docf`` (fractions) and ``k``
    (1/year): one value per series, broadcastable to ``tonnes.shape[:-1]``. ``mcf``
    (fraction): broadcastable to ``tonnes.shape`` (a value per series and year allows a
    weighted mix of sites). ``f``: CH4 fraction of landfill gas (0-1). Formulas in the module
    docstring; outputs in t C (DDOCm) and t CH4.
    """
    w = _array("tonnes", tonnes)
    if w.ndim == 0:
        raise ValueError("tonnes must have a year axis")
    lead = w.shape[:-1]
    doc_a = np.broadcast_to(_array("doc", doc, 0.0, 1.0), lead)
    docf_a = np.broadcast_to(_array("docf", docf, 0.0, 1.0), lead)
    mcf_a = np.broadcast_to(_array("mcf", mcf, 0.0, 1.0), w.shape)
    k_a = np.broadcast_to(_array("k", k), lead)
    f_v = float(_array("f", f, 0.0, 1.0))
    exp1, exp2 = decay_factors(k_a, delay_months)
    deposited = w * (doc_a * docf_a)[..., None] * mcf_a
    not_reacted = deposited * exp2[..., None]
    first_year = deposited - not_reacted
    accumulated = np.empty_like(deposited)
    decomposed = np.empty_like(deposited)
    previous = np.zeros(lead)
    keep, lose = exp1, 1.0 - exp1
    for t in range(w.shape[-1]):  # the recursion over years; all other axes vectorised
        decomposed[..., t] = first_year[..., t] + previous * lose
        previous = not_reacted[..., t] + previous * keep
        accumulated[..., t] = previous
    return FodResult(
        ddocm_deposited=deposited,
        ddocm_accumulated=accumulated,
        ddocm_decomposed=decomposed,
        ch4_generated=decomposed * f_v * CH4_PER_C,
    )


def ch4_emitted(generated: object, recovered: object = 0.0, ox: object = 0.0) -> np.ndarray:
    """CH4 emitted ``(generated - recovered) x (1 - OX)`` (IPCC 2006 Vol. 5 Ch. 3 Eq. 3.1), in
    t CH4; recovery is taken out before oxidation. ``recovered`` may not exceed
    ``generated`` (``ValueError``; the io layer reports it as SAN-E144)."""
    gen = _array("generated", generated)
    rec = _array("recovered", recovered)
    ox_a = _array("ox", ox, 0.0, 1.0)
    if np.any(rec > gen + 1e-9):
        raise ValueError("recovered CH4 exceeds the CH4 generated")
    return np.maximum(gen - rec, 0.0) * (1.0 - ox_a)


def fod_table(
    years: Sequence[int],
    streams: Sequence[str],
    result: FodResult,
    recovered: object = 0.0,
    ox: float = 0.0,
) -> pd.DataFrame:
    """The ``sanitasi ghg fod`` output: one row per year and stream (streams in the given
    order) and one ``total`` row per year, columns :data:`FOD_COLUMNS` (tonnes).

    ``result`` arrays are ``(len(streams), len(years))``. Recovery is a site quantity: it is
    given on the total rows only (stream rows leave ``ch4_recovered_t`` empty) and the stream
    rows' ``ch4_emitted_t`` is ``generated x (1 - OX)`` before recovery; the total row's
    ``ch4_emitted_t`` is ``(sum generated - recovered) x (1 - OX)``.
    """
    yrs = np.asarray(list(years), dtype=int)
    names = list(streams)
    gen = np.asarray(result.ch4_generated, dtype=float)
    dec = np.asarray(result.ddocm_decomposed, dtype=float)
    if gen.shape != (len(names), len(yrs)):
        raise ValueError("result must be shaped (streams, years)")
    rec = np.broadcast_to(_array("recovered", recovered), yrs.shape)
    total_gen = gen.sum(axis=0)
    per_stream = pd.DataFrame(
        {
            "year": np.tile(yrs, len(names)),
            "stream": np.repeat(names, len(yrs)),
            "ddocm_decomposed_t": dec.ravel(),
            "ch4_generated_t": gen.ravel(),
            "ch4_recovered_t": np.nan,
            "ch4_emitted_t": ch4_emitted(gen, 0.0, ox).ravel(),
        }
    )
    total = pd.DataFrame(
        {
            "year": yrs,
            "stream": TOTAL,
            "ddocm_decomposed_t": dec.sum(axis=0),
            "ch4_generated_t": total_gen,
            "ch4_recovered_t": rec,
            "ch4_emitted_t": ch4_emitted(total_gen, rec, ox),
        }
    )
    order = {name: i for i, name in enumerate([*names, TOTAL])}
    out = pd.concat([per_stream, total], ignore_index=True)
    out = out.assign(_o=out["stream"].map(order)).sort_values(["year", "_o"], kind="stable")
    return out.drop(columns="_o").reset_index(drop=True)[list(FOD_COLUMNS)]


# --------------------------------------------------------------------------- landfill (TPA)


def backcast_deposits(
    years: Sequence[int],
    opening_year: object,
    base_year: int,
    population: object,
    base_tonnes: object,
    observed: object | None = None,
) -> np.ndarray:
    """Wet tonnes landfilled per year up to the base year, for each city (docs/METHOD.md
    §12.2):

    * before the TPA's ``opening_year``: 0;
    * a year with an ``observed`` tonnage (not NaN): that tonnage;
    * any other year from the opening year to the base year: the base-year tonnage scaled by
      population, ``W(y) = W(base) x P(y) / P(base)`` (constant landfilled tonnes per person,
      the population-driven back-cast of IPCC 2006 Vol. 5 Ch. 3 §3.2.2 for years without
      disposal data);
    * after the base year: 0 (:func:`splice_projection` adds the plan's years).

    ``years`` (Y,) consecutive; ``opening_year`` and ``base_tonnes`` (t/year in the base year,
    used when the base year itself is not observed) per city ``(C,)``; ``population`` and
    ``observed`` ``(C, Y)``. Returns ``(C, Y)`` tonnes.
    """
    yrs = np.asarray(list(years), dtype=int)
    if yrs.size == 0 or np.any(np.diff(yrs) != 1):
        raise ValueError("years must be consecutive")
    if base_year not in set(yrs.tolist()):
        raise ValueError("base_year must be one of years")
    pop = _array("population", population)
    if pop.ndim != 2 or pop.shape[1] != yrs.size:
        raise ValueError("population must be shaped (cities, years)")
    n = pop.shape[0]
    opening = np.broadcast_to(np.asarray(opening_year, dtype=float), (n,))
    base_w = np.broadcast_to(_array("base_tonnes", base_tonnes), (n,))
    obs = np.full(pop.shape, np.nan) if observed is None else np.asarray(observed, dtype=float)
    if obs.shape != pop.shape:
        raise ValueError("observed must be shaped like population")
    if np.any(obs[np.isfinite(obs)] < 0):
        raise ValueError("observed tonnes must be >= 0")
    b = int(np.flatnonzero(yrs == base_year)[0])
    w_base = np.where(np.isfinite(obs[:, b]), obs[:, b], base_w)
    p_base = pop[:, b]
    if np.any(p_base <= 0):
        raise ValueError("base-year population must be > 0")
    scaled = w_base[:, None] * pop / p_base[:, None]
    out = np.where(np.isfinite(obs), obs, scaled)
    out = np.where(yrs[None, :] < opening[:, None], 0.0, out)
    return np.where(yrs[None, :] > base_year, 0.0, out)


def splice_projection(
    history: object,
    years: Sequence[int],
    base_year: int,
    projected_tpd: object,
    days_per_year: float = 365.0,
) -> np.ndarray:
    """Deposits of a scenario: the history up to the base year, then the projected landfilled
    tonnes per day x ``days_per_year`` (the plan's ``landfilled_tpd`` of BAU or plan).
    ``history`` and ``projected_tpd`` ``(C, Y)`` on the same ``years``; returns ``(C, Y)``
    wet tonnes per year."""
    yrs = np.asarray(list(years), dtype=int)
    hist = _array("history", history)
    tpd = _array("projected_tpd", projected_tpd)
    if hist.shape != tpd.shape or hist.shape[-1] != yrs.size:
        raise ValueError("history and projected_tpd must be shaped (cities, years)")
    return np.where(yrs > base_year, tpd * float(days_per_year), hist)


def stream_shares(
    composition_pct: object, category_stream: Sequence[str], streams: Sequence[str]
) -> np.ndarray:
    """Wet-weight fraction of the landfilled waste in each stream: the composition
    categories (percent of wet waste, e.g. IPCC 2006 Vol. 5 Ch. 2 Table 2.3) summed into
    their streams and divided by 100 (used as printed: a row of Table 2.3 need not add to
    100). ``composition_pct`` ``(..., K)``; ``category_stream`` the stream of each category
    (K); returns ``(..., S)`` in the order of ``streams``."""
    comp = _array("composition_pct", composition_pct, 0.0, 100.0)
    cats = list(category_stream)
    names = list(streams)
    if comp.shape[-1] != len(cats):
        raise ValueError("composition_pct needs one value per category")
    unknown = sorted(set(cats) - set(names))
    if unknown:
        raise ValueError(f"categories mapped to unknown streams: {', '.join(unknown)}")
    matrix = np.zeros((len(cats), len(names)))
    matrix[np.arange(len(cats)), [names.index(c) for c in cats]] = 1.0
    return comp @ matrix / 100.0


def site_mcf(site_classes: Sequence[str], table: Mapping[str, float]) -> np.ndarray:
    """MCF of each TPA from its site class (``ghg_swds.csv``, IPCC 2006 Vol. 5 Ch. 3
    Table 3.1); an unknown class raises ``ValueError``."""
    unknown = sorted({str(c) for c in site_classes} - set(table))
    if unknown:
        raise ValueError(f"unknown TPA site class: {', '.join(unknown)}")
    return np.array([float(table[str(c)]) for c in site_classes])


@dataclass(frozen=True)
class LandfillResult:
    """Landfill CH4 of each city and year (t CH4): ``generated`` by stream ``(C, S, Y)``,
    ``generated_total`` and ``emitted`` ``(C, Y)``."""

    generated: np.ndarray
    generated_total: np.ndarray
    emitted: np.ndarray


def landfill_methane(
    deposits: object,
    shares: object,
    doc: object,
    docf: object,
    k: object,
    mcf: object,
    *,
    ox: object = 0.0,
    recovered: object = 0.0,
    f: float = 0.5,
    delay_months: float = 6.0,
) -> LandfillResult:
    """CH4 of a city's TPA: FOD of ``deposits x shares`` per stream (docs/METHOD.md §12.2).

    ``deposits`` wet t/year ``(C, Y)``; ``shares`` ``(C, S)`` or ``(S,)`` (see
    :func:`stream_shares`); ``doc``, ``docf``, ``k`` per stream ``(S,)``; ``mcf`` per city
    ``(C,)`` or city and year ``(C, Y)``; ``ox`` per city; ``recovered`` t CH4 ``(C, Y)``.
    """
    dep = _array("deposits", deposits)
    if dep.ndim != 2:
        raise ValueError("deposits must be shaped (cities, years)")
    sh = _array("shares", shares)
    sh = np.broadcast_to(sh, (dep.shape[0], sh.shape[-1]))
    mcf_a = np.asarray(mcf, dtype=float)
    mcf_a = mcf_a[:, None, None] if mcf_a.ndim == 1 else mcf_a[:, None, :]
    res = fod(
        dep[:, None, :] * sh[:, :, None],
        doc,
        docf,
        mcf_a,
        k,
        f=f,
        delay_months=delay_months,
    )
    total = res.ch4_generated.sum(axis=1)
    ox_a = np.asarray(ox, dtype=float)
    ox_a = ox_a[:, None] if ox_a.ndim == 1 else ox_a
    return LandfillResult(
        generated=res.ch4_generated,
        generated_total=total,
        emitted=ch4_emitted(total, recovered, ox_a),
    )


@dataclass(frozen=True)
class LandfillScenarios:
    """Landfill CH4 emitted under BAU and the plan and the avoided difference ``bau - plan``,
    each ``(C, Y)`` t CH4."""

    bau: LandfillResult
    plan: LandfillResult

    @property
    def avoided(self) -> np.ndarray:
        return self.bau.emitted - self.plan.emitted


def landfill_scenarios(
    deposits_bau: object,
    deposits_plan: object,
    shares: object,
    doc: object,
    docf: object,
    k: object,
    mcf: object,
    *,
    ox: object = 0.0,
    recovered: object = 0.0,
    f: float = 0.5,
    delay_months: float = 6.0,
) -> LandfillScenarios:
    """:func:`landfill_methane` for BAU and plan deposits (same history up to the base year,
    :func:`splice_projection`); ``avoided = bau - plan`` emitted CH4 per city and year. The
    same ``recovered`` CH4 applies to both scenarios."""
    runs = [
        landfill_methane(
            dep,
            shares,
            doc,
            docf,
            k,
            mcf,
            ox=ox,
            recovered=recovered,
            f=f,
            delay_months=delay_months,
        )  # fmt: skip
        for dep in (deposits_bau, deposits_plan)  # the two scenarios
    ]
    return LandfillScenarios(bau=runs[0], plan=runs[1])


def tpa_scenarios(
    years: Sequence[int],
    base_year: int,
    opening_year: object,
    population: object,
    landfilled_tpd_bau: object,
    landfilled_tpd_plan: object,
    shares: object,
    doc: object,
    docf: object,
    k: object,
    mcf: object,
    *,
    observed: object | None = None,
    ox: object = 0.0,
    f: float = 0.5,
    delay_months: float = 6.0,
    days_per_year: float = 365.0,
) -> LandfillScenarios:
    """The whole TPA chain of docs/METHOD.md §12.2 in one call, for the plan integration:
    history (:func:`backcast_deposits` from the opening year, the base-year tonnage being the
    base-year ``landfilled_tpd_bau x days_per_year`` unless ``observed``), then BAU and plan
    deposits (:func:`splice_projection`) and :func:`landfill_scenarios`.

    ``years`` consecutive, ending at the plan horizon; ``population``, ``landfilled_tpd_*``
    and ``observed`` ``(C, Y)`` (t/day; observed t/year, NaN where not observed)."""
    yrs = list(years)
    if base_year not in yrs:
        raise ValueError("base_year must be one of years")
    tpd_bau = _array("landfilled_tpd_bau", landfilled_tpd_bau)
    base_t = tpd_bau[:, yrs.index(base_year)] * float(days_per_year)
    hist = backcast_deposits(yrs, opening_year, base_year, population, base_t, observed)
    bau = splice_projection(hist, yrs, base_year, tpd_bau, days_per_year)
    plan = splice_projection(hist, yrs, base_year, landfilled_tpd_plan, days_per_year)
    return landfill_scenarios(
        bau, plan, shares, doc, docf, k, mcf, ox=ox, f=f, delay_months=delay_months
    )


# --------------------------------------------------------------------------- CO2-equivalents


def gwp_of(table: pd.DataFrame, assessment: str) -> dict[str, float]:
    """GWP100 by gas (``ch4``, ``ch4_fossil`` where given, ``n2o``) of one assessment report
    (``AR4``, ``AR5``, ``AR6``) from the ``ghg_gwp.csv`` table (columns ``assessment, gas,
    gwp100``)."""
    rows = table[table["assessment"] == assessment]
    if rows.empty:
        choices = ", ".join(sorted(table["assessment"].unique()))
        raise ValueError(f"unknown GWP assessment {assessment!r}; choose {choices}")
    return {str(g): float(v) for g, v in zip(rows["gas"], rows["gwp100"], strict=True)}


def co2e(ch4_t: object = 0.0, n2o_t: object = 0.0, *, gwp: Mapping[str, float]) -> np.ndarray:
    """t CO2e = t CH4 x GWP(CH4) + t N2O x GWP(N2O). The CH4 of landfills and wastewater is
    biogenic, so ``gwp['ch4']`` is the non-fossil value (AR6: 27.0, docs/METHOD.md §12.4)."""
    return _array("ch4", ch4_t) * float(gwp["ch4"]) + _array("n2o", n2o_t) * float(gwp["n2o"])


__all__ = [
    "CH4_PER_C",
    "FOD_COLUMNS",
    "MAX_DELAY_MONTHS",
    "N2O_PER_N",
    "TOTAL",
    "FodResult",
    "LandfillResult",
    "LandfillScenarios",
    "backcast_deposits",
    "ch4_emitted",
    "co2e",
    "decay_factors",
    "fod",
    "fod_table",
    "gwp_of",
    "landfill_methane",
    "landfill_scenarios",
    "site_mcf",
    "splice_projection",
    "stream_shares",
    "tpa_scenarios",
]
