"""Constants, quarters, plan profiles, bands and formatting of the monitoring (``docs/METHOD.md`` §10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from sanitasi.core.model import (
    FUNDING_SOURCES,
    ParameterSet,
)
from sanitasi.core.programme import PLAN_PROFILES, ProgrammeInputs

#: Funding sources whose money is reported as *absorption* (penyerapan) of a pagu: the money
#: the city budgets and spends through its own APBD -- its own funds (``APBD_KOTA``) and
#: ``DAK``, a transfer from the centre that is budgeted and spent inside the city's APBD.
ABSORPTION_SOURCES: tuple[str, ...] = ("APBD_KOTA", "DAK")
#: Funding sources whose money is spent in the city by others (the national and provincial
#: budgets, private and community money): reported as *investment*, by source.
INVESTMENT_SOURCES: tuple[str, ...] = tuple(
    s for s in FUNDING_SOURCES if s not in ABSORPTION_SOURCES
)


def investment_column(source: str) -> str:
    """Roll-up column of the investment of ``source``: ``investment_apbn_idr`` ..."""
    return f"investment_{source.lower()}_idr"


#: Roll-up columns of the investment per source, in :data:`INVESTMENT_SOURCES` order.
INVESTMENT_COLUMNS: tuple[str, ...] = tuple(investment_column(s) for s in INVESTMENT_SOURCES)

#: ``judged_from_quarter`` of an activity adopted after the monitored year (not judged).
NOT_ADOPTED_QUARTER = 5

#: Performance bands, best first, with their ``performance_band_<band>_min_pct`` parameter;
#: ``sangat_rendah`` is everything below ``rendah``.
BANDS: tuple[str, ...] = ("sangat_tinggi", "tinggi", "sedang", "rendah", "sangat_rendah")
BAND_NA = "n/a"

#: The band whose lower bound is the "behind" threshold (SAN-W301).
BEHIND_BAND = "sedang"

#: Physical % is capped at this value in roll-up indices (over-delivery does not hide others).
PHYSICAL_CAP_PCT = 100.0

#: The forecast pace (physical % / 100) is capped at this value; NaN pace counts as 1.0.
#: Default of the parameter ``monitoring_forecast_pace_cap`` (reference parameters.csv).
PACE_CAP = 1.5

#: Name of the kecamatan group of activities located at the city.
CITY_GROUP = "city"

# Stable warning codes (SAN-W3xx: monitoring).
W_BEHIND = "SAN-W301"
W_OVERSPEND = "SAN-W302"
W_NO_REPORT = "SAN-W303"
W_OVERDUE = "SAN-W304"
W_UNPLANNED_OUTPUT = "SAN-W305"
W_UNPLANNED_SPENDING = "SAN-W306"

WARNING_CODES: Mapping[str, str] = {
    W_BEHIND: "physical % below the sedang band threshold",
    W_OVERSPEND: "realised unit cost above plan by more than overspend_tolerance",
    W_NO_REPORT: "no realisation report for a quarter of a planned activity",
    W_OVERDUE: "open action item past its due date",
    W_UNPLANNED_OUTPUT: "output realised where nothing was planned to date",
    W_UNPLANNED_SPENDING: "money spent where no cost was planned to date",
}

ACTIVITY_KEYS = ["city_kode", "code"]


# ----------------------------------------------------------------------------- small helpers


def quarter_end(year: int, quarter: int) -> dt.date:
    """Last day of ``quarter`` (1-4) of ``year``."""
    _check_quarter(quarter)
    month = 3 * quarter
    last = 31 if month in (3, 12) else 30
    return dt.date(year, month, last)


def quarter_of(day: dt.date) -> int:
    """The quarter (1-4) containing ``day``."""
    return (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> dt.date:
    """First day of ``quarter`` (1-4) of ``year``."""
    _check_quarter(quarter)
    return dt.date(year, 3 * quarter - 2, 1)


def quarter_not_started(
    year: pd.Series | np.ndarray, quarter: pd.Series | np.ndarray, as_of: dt.date
) -> np.ndarray:
    """Whether each (year, quarter) starts after ``as_of`` (quarter start > as_of): such a
    quarter cannot have realisation yet. A quarter that has started but not ended may.
    Missing or out-of-range years/quarters give False (other checks report them)."""
    y = np.asarray(year, dtype=float)
    q = np.asarray(quarter, dtype=float)
    ok = np.isfinite(y) & np.isfinite(q) & np.isin(q, (1, 2, 3, 4))
    months = np.where(ok, (np.where(ok, y, 1970) - 1970) * 12 + (np.where(ok, q, 1) - 1) * 3, 0)
    starts = months.astype("int64").astype("datetime64[M]").astype("datetime64[D]")
    return ok & (starts > np.datetime64(as_of, "D"))


def reported_quarter(year: int, as_of: dt.date) -> int:
    """Quarters of ``year`` that can have been reported by ``as_of``: 0 before the year, 4
    after it, else the quarter containing ``as_of``."""
    if as_of.year < year:
        return 0
    if as_of.year > year:
        return 4
    return quarter_of(as_of)


def _check_quarter(quarter: int) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1-4, not {quarter!r}")


def counted_states(include_submitted: bool = False) -> tuple[str, ...]:
    """Realisation states whose figures count."""
    return ("verified", "submitted") if include_submitted else ("verified",)


def _states(realisation: pd.DataFrame) -> pd.Series:
    if "state" not in realisation.columns:
        return pd.Series("verified", index=realisation.index)
    s = realisation["state"].astype("string").fillna("").str.strip()
    return s.mask(s == "", "verified")


def _progress(realisation: pd.DataFrame) -> np.ndarray:
    """``progress_pct`` of each realisation row (NaN when not reported or no such column)."""
    if "progress_pct" not in realisation.columns:
        return np.full(len(realisation), np.nan)
    return pd.to_numeric(realisation["progress_pct"], errors="coerce").to_numpy(dtype=float)


def counted_realisation(prog: ProgrammeInputs, include_submitted: bool = False) -> pd.DataFrame:
    """Realisation rows whose figures count, keyed ``city_kode, code, year, quarter`` with
    ``output_achieved``, ``cost_spent_idr`` and ``progress_pct`` (missing state = verified;
    NaN progress = not reported)."""
    r = prog.realisation
    keep = _states(r).isin(counted_states(include_submitted)).to_numpy()
    out = pd.DataFrame(
        {
            "city_kode": r["city_kode"].astype(str).to_numpy()[keep],
            "code": r["activity_code"].astype(str).to_numpy()[keep],
            "year": r["year"].astype(int).to_numpy()[keep],
            "quarter": r["quarter"].astype(int).to_numpy()[keep],
            "output_achieved": r["output_achieved"].astype(float).to_numpy()[keep],
            "cost_spent_idr": r["cost_spent_idr"].astype(float).to_numpy()[keep],
            "progress_pct": _progress(r)[keep],
        }
    )
    return out


def profile_shares(params: ParameterSet) -> pd.DataFrame:
    """``plan_profile, quarter, share``: cumulative share of the annual plan due by the end of
    each quarter (quarter 0 = 0), from ``plan_profile_<profile>_q<n>``."""
    rows = [(p, 0, 0.0) for p in PLAN_PROFILES]
    rows += [
        (p, q, params.reader("monitoring.profiles").num(f"plan_profile_{p}_q{q}"))
        for p in PLAN_PROFILES
        for q in (1, 2, 3, 4)
    ]
    return pd.DataFrame(rows, columns=["plan_profile", "quarter", "share"])


def adoption_quarter(adopted_on: pd.Series, year: int | np.ndarray) -> np.ndarray:
    """The quarter ``Qa`` from which each activity is judged in ``year``: 1 when adopted
    before the year (or ``adopted_on`` is blank: before the plan period), the quarter of
    ``adopted_on`` when adopted in ``year``, :data:`NOT_ADOPTED_QUARTER` (5) when adopted
    after ``year``."""
    d = pd.to_datetime(adopted_on)
    y = d.dt.year.to_numpy(dtype=float)
    q = d.dt.quarter.to_numpy(dtype=float)
    return np.select(
        [np.isnan(y) | (y < year), y == year],
        [1, np.nan_to_num(q, nan=1.0)],
        default=NOT_ADOPTED_QUARTER,
    ).astype(int)


def _activity_frame(prog: ProgrammeInputs) -> pd.DataFrame:
    a = prog.activities
    return pd.DataFrame(
        {
            "city_kode": a["city_kode"].astype(str),
            "code": a["code"].astype(str),
            "sector": a["sector"].astype(str),
            "activity": a["activity"].astype(str),
            "output_unit": a["output_unit"].astype(str),
            "lead_agency": a["lead_agency"].astype(str),
            "location_kode": a["location_kode"].astype(str),
            "funding_source": a["funding_source"].astype(str),
            "plan_profile": a["plan_profile"].astype(str),
            "adopted_on": (
                pd.to_datetime(a["adopted_on"])
                if "adopted_on" in a.columns
                else pd.Series(pd.NaT, index=a.index, dtype="datetime64[ns]")
            ),
        }
    ).reset_index(drop=True)


def activity_shares(prog: ProgrammeInputs, params: ParameterSet, year: int) -> pd.DataFrame:
    """Per activity and quarter 0-4 of ``year`` the cumulative share of the annual plan due
    by the end of the quarter, rebased from the adoption quarter (module docstring):
    ``s'(Q) = 0`` for ``Q < Qa``, else ``(s(Q) - s(Qa-1)) / (1 - s(Qa-1))``.

    Columns: ``city_kode, code, plan_profile, judged_from_quarter`` (``Qa``), ``quarter``,
    ``profile_share`` (``s(Q)`` of the profile) and ``share`` (``s'(Q)``). Raises
    ``ValueError`` for an unknown plan profile.
    """
    a = _activity_frame(prog)[[*ACTIVITY_KEYS, "plan_profile", "adopted_on"]]
    unknown = sorted(set(a["plan_profile"]) - set(PLAN_PROFILES))
    if unknown:
        raise ValueError(f"unknown plan_profile {unknown}; expected one of {PLAN_PROFILES}")
    qa = adoption_quarter(a["adopted_on"], year)
    a = a.drop(columns="adopted_on").assign(judged_from_quarter=qa, _prev=np.minimum(qa, 5) - 1)
    shares = profile_shares(params)
    prev = shares.rename(columns={"quarter": "_prev", "share": "_s_prev"})
    a = a.merge(prev, on=["plan_profile", "_prev"], how="left")
    a["_s_prev"] = a["_s_prev"].fillna(1.0)  # Qa = 5: s(4) = 1
    grid = a.merge(shares, on="plan_profile", how="left").rename(columns={"share": "profile_share"})
    s, s_prev = grid["profile_share"].to_numpy(), grid["_s_prev"].to_numpy()
    rest = 1.0 - s_prev
    with np.errstate(divide="ignore", invalid="ignore"):
        rebased = np.where(rest > 0, (s - s_prev) / np.where(rest > 0, rest, 1.0), 1.0)
    grid["share"] = np.where(grid["quarter"] < grid["judged_from_quarter"], 0.0, rebased)
    cols = [*ACTIVITY_KEYS, "plan_profile", "judged_from_quarter", "quarter"]
    return (
        grid[[*cols, "profile_share", "share"]]
        .sort_values([*ACTIVITY_KEYS, "quarter"], kind="stable")
        .reset_index(drop=True)
    )


def planned_to_date(rows: pd.DataFrame, params: ParameterSet) -> pd.DataFrame:
    """Planned output and cost to date of single realisation rows (the web's verify queue,
    docs/METHOD.md §10.3): each row its own activity, year *Y* and quarter *Q*.

    ``rows``: ``plan_profile``, ``adopted_on`` (date or NaT), ``year``, ``quarter`` (1-4),
    ``planned_output`` (output units) and ``planned_cost_idr`` (rupiah) of *Y* (0 when the
    activity has no plan in *Y*). Adds ``share`` = *s'*(*Q*) (the profile rebased from the
    adoption quarter, §10.2), ``planned_output_to_date`` = ``planned_output`` x *s'*(*Q*)
    (output units) and ``planned_cost_to_date_idr`` = ``planned_cost_idr`` x *s'*(*Q*)
    (rupiah): the figures of :func:`activity_shares` without building a programme. Raises
    ``ValueError`` for an unknown plan profile.
    """
    out = rows.copy()
    unknown = sorted(set(out["plan_profile"].astype(str)) - set(PLAN_PROFILES))
    if unknown:
        raise ValueError(f"unknown plan_profile {unknown}; expected one of {PLAN_PROFILES}")
    year = out["year"].to_numpy(dtype=int)
    quarter = out["quarter"].to_numpy(dtype=int)
    qa = adoption_quarter(out["adopted_on"], year)
    s_of = profile_shares(params).set_index(["plan_profile", "quarter"])["share"]
    profile = out["plan_profile"].astype(str).to_numpy()

    def lookup(q: np.ndarray) -> np.ndarray:
        keys = pd.MultiIndex.from_arrays([profile, q])
        return s_of.reindex(keys).to_numpy(dtype=float)

    s = lookup(quarter)
    s_prev = np.nan_to_num(lookup(np.minimum(qa, NOT_ADOPTED_QUARTER) - 1), nan=1.0)
    rest = 1.0 - s_prev
    with np.errstate(divide="ignore", invalid="ignore"):
        rebased = np.where(rest > 0, (s - s_prev) / np.where(rest > 0, rest, 1.0), 1.0)
    share = np.where(quarter < qa, 0.0, rebased)
    out["share"] = share
    out["planned_output_to_date"] = out["planned_output"].to_numpy(dtype=float) * share
    out["planned_cost_to_date_idr"] = out["planned_cost_idr"].to_numpy(dtype=float) * share
    return out


def band_thresholds(params: ParameterSet) -> dict[str, float]:
    """Lower bound (%) of each band but the last, from ``performance_band_<band>_min_pct``."""
    P = params.reader("monitoring.bands")
    return {b: P.num(f"performance_band_{b}_min_pct") for b in BANDS[:-1]}


def band_of(pct: pd.Series | np.ndarray, thresholds: Mapping[str, float]) -> np.ndarray:
    """Band name of each physical % (``n/a`` for NaN)."""
    x = np.asarray(pct, dtype=float)
    conds = [np.isnan(x)] + [x >= thresholds[b] for b in BANDS[:-1]]
    choices = [BAND_NA, *BANDS[:-1]]
    return np.select(conds, choices, default=BANDS[-1]).astype(object)


def kecamatan_of(kode: pd.Series) -> pd.Series:
    """Kecamatan code of each location code (Kemendagri structure ``PP.KK.CC.DDDD``): the
    first three segments of a kelurahan/desa, the code itself for a kecamatan, and
    :data:`CITY_GROUP` for a city (or province) code."""
    s = kode.astype(str).str.strip()
    n = segments(s)
    kec = s.str.extract(r"^([^.]*\.[^.]*\.[^.]*)", expand=False)
    return pd.Series(np.where(n >= 3, kec, CITY_GROUP), index=kode.index, dtype=object)


def segments(kode: pd.Series) -> pd.Series:
    """Number of dot-separated segments of each region code (2 = city, 3 = kecamatan)."""
    return kode.astype(str).str.strip().str.count(r"\.") + 1


def location_level(kode: pd.Series) -> pd.Series:
    """``kelurahan`` (4+ segments), ``kecamatan`` (3) or ``city`` (2 or fewer)."""
    n = segments(kode)
    return pd.Series(
        np.select([n >= 4, n == 3], ["kelurahan", "kecamatan"], default="city"),
        index=kode.index,
        dtype=object,
    )


def _ratio_pct(num: pd.Series | np.ndarray, den: pd.Series | np.ndarray) -> np.ndarray:
    n = np.asarray(num, dtype=float)
    d = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d > 0, n / np.where(d > 0, d, 1.0) * 100.0, np.nan)


def format_idr(x: float, lang: str = "id") -> str:
    """``Rp 784.000.000`` (id) or ``Rp 784,000,000`` (en)."""
    s = f"{x:,.0f}"
    return "Rp " + (s.replace(",", ".") if lang == "id" else s)


def format_number(x: float, lang: str = "en", digits: int = 1) -> str:
    """A number for messages: integers without decimals, else ``digits`` decimals; thousands
    and decimal separators of ``lang`` (id: 1.234,5; en: 1,234.5)."""
    if float(x).is_integer():
        s = f"{x:,.0f}"
    else:
        s = f"{x:,.{digits}f}"
    if lang == "id":
        s = s.replace(",", "_").replace(".", ",").replace("_", ".")
    return s
