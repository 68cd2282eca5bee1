"""Performance-based monitoring of the SSK programme (``docs/METHOD.md`` §10 Monitoring).

Everything here is pure: it takes a :class:`~sanitasi.core.programme.ProgrammeInputs`, a
:class:`~sanitasi.core.model.ParameterSet` and dates, and returns new tables (inputs are never
mutated). All computations are vectorised pandas group-bys over activities x quarters.

Definitions, per activity of the reported ``year`` up to the reported ``quarter`` ``Q``:

* **Plan profile.** ``s(Q)`` = the cumulative share of the annual plan due by the end of
  quarter Q (``s(0) = 0``), parameter ``plan_profile_<profile>_q<Q>`` where ``<profile>`` is
  the activity's ``plan_profile``: ``linear`` 0.25/0.50/0.75/1, back-loaded ``apbd``
  0.15/0.40/0.70/1, or ``completion`` 0.10/0.35/0.70/1 (an S-curve of the planned physical
  progress of works whose output counts only when complete; illustrative defaults).
* **Adoption quarter.** An activity adopted during the year (``adopted_on`` in ``year``, in
  quarter ``Qa``) is judged from that quarter: ``s'(Q) = 0`` for ``Q < Qa``, else
  ``s'(Q) = (s(Q) - s(Qa-1)) / (1 - s(Qa-1))`` (``s' = 1`` from ``Qa`` on if ``s(Qa-1) = 1``).
  ``adopted_on`` blank (adopted before the plan period) or in an earlier year: ``Qa = 1``,
  ``s' = s``. Adopted in a later year: not in the plan of ``year`` (``Qa = 5``, ``s' = 0``
  every quarter). ``judged_from_quarter`` = ``Qa``.
* **Planned to date** = annual planned output x s'(Q); planned cost to date = annual
  planned cost x s'(Q).
* **Realised to date** = sum of the quarterly increments ``output_achieved`` and
  ``cost_spent_idr`` of quarters 1..Q of the year whose ``state`` counts: ``verified`` only,
  or ``verified`` + ``submitted`` with ``include_submitted``; ``draft`` never counts.
* **Physical realised to date** (output units): the realised output to date, except for a
  ``completion`` activity with a reported *progres fisik*: max(realised output to date,
  p / 100 x annual planned output), where ``p`` is the ``progress_pct`` (cumulative % of the
  year's planned works physically done) of the latest counted quarter 1..Q of the year that
  reports one. ``progress_pct`` of other activities is ignored. Output of completion works
  counts (coverage, unit cost, forecast of past years) only when reported as output.
* **Physical %** = physical realised to date / planned output to date x 100; NaN ("n/a")
  where nothing is planned to date; any output there is *unplanned* (warning SAN-W305).
  E.g. one IPAL planned, progress 40 % at Q2 with ``s(2) = 0.35``: 0.40 / 0.35 = 114.3 %.
* **Financial %** = spent to date / planned cost to date x 100 (NaN where no cost planned to
  date; spending there is SAN-W306).
* **Absorption %** (*penyerapan*) = spent to date / annual planned cost (the pagu) x 100,
  only for money executed through the city's APBD (:data:`ABSORPTION_SOURCES`: ``APBD_KOTA``
  own funds and ``DAK``, a transfer budgeted and spent inside the APBD). APBN, APBD_PROV,
  SWASTA and MASYARAKAT money is *investment* in the city (:data:`INVESTMENT_SOURCES`):
  ``absorption_pct`` is NaN and ``investment_idr`` = spent to date, reported by source.
* **Unit-cost efficiency %** = planned unit cost / realised unit cost x 100, where planned
  unit cost = annual planned cost / annual planned output and realised unit cost = spent to
  date / realised output to date; only when realised output > 0 (and spending > 0), else
  NaN. 100 = on plan, below 100 = dearer than planned. Works that spend before their output
  counts (IPAL komunal, IPLT) therefore show no efficiency until they deliver.
* **Overspend** (SAN-W302): realised unit cost > planned unit cost x (1 +
  ``overspend_tolerance``), strictly.
* **Band** (Permendagri 86/2017) on physical %: ``sangat_tinggi`` >= ``performance_band_
  sangat_tinggi_min_pct`` (91), ``tinggi`` >= 76, ``sedang`` >= 66, ``rendah`` >= 51, else
  ``sangat_rendah``; ``n/a`` where physical % is NaN.
* **Behind** (SAN-W301): physical % below the lower bound of the ``sedang`` band
  (``performance_band_sedang_min_pct``, 66), i.e. banded ``rendah`` or ``sangat_rendah``.
* **No report** (SAN-W303): an activity with a plan (output or cost > 0) in the year that has
  no ``submitted`` or ``verified`` realisation row for one of the quarters ``Qa``..Q (a
  submitted row is a report even when its figures are not counted yet; drafts are not
  reports; quarters before the adoption quarter are not asked for). One warning per missing
  quarter.
* **Overdue action item** (SAN-W304): ``state == open`` and ``due_date < as_of``; days
  overdue = as_of - due date. ``done`` items are never overdue (the data do not say when
  they were done). Items of meetings held after ``as_of`` are not judged.
* ``as_of`` defaults to the last day of the reported quarter. No realisation may be given
  for a quarter that has not started as of the date it is judged on
  (:func:`quarter_not_started`; the io layer and the web refuse such rows, SAN-E049).

Roll-ups (by lead agency, sector, kecamatan of the location, funding source, city) sum money
(annual plan, plan to date, spent, investment, investment per source) and sum outputs only
where every activity in the group has the same ``output_unit`` (else NaN). Their percentages
are ratios of sums over the same activities as the activity-level figure, so a group of one
activity shows that activity's %: financial % = sum spent / sum planned cost to date over
activities with a cost planned to date (spending without one is ``unplanned_spent_idr``);
absorption % = sum spent / sum pagu over absorption activities with a pagu in the year
(``apbd_pagu_idr``, ``apbd_spent_idr``: APBD including DAK). The **physical index** of a
group is the mean of the activities' physical % *capped at 100*, weighted by their annual
planned cost, over the activities with a physical % (something planned to date); activities
without a physical % or without planned cost weigh nothing, and the index is NaN when nothing
weighs. Percentages are never averaged without weights.

Kecamatan of a location: from the Kemendagri code (``13.72.02.1006`` -> ``13.72.02``; a
kecamatan code is its own kecamatan); activities located at the city fall in the group
``city``.

Forecast (:func:`forecast_outputs`): realised outputs for past years, and from the reported
quarter on the remaining planned outputs x *pace* added to the physical realised to date,
where pace = physical % to date / 100, capped at :data:`PACE_CAP` (1.5, so one early
delivery does not multiply the rest of the plan) and 1.0 where physical % is n/a (nothing
planned to date: assume the plan holds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from sanitasi.core.model import (
    FUNDING_SOURCES,
    STATUSES,
    Column,
    ParameterSet,
    Table,
    Warning_,
    count_status,
)
from sanitasi.core.programme import COMPLETION_PROFILE, PLAN_PROFILES, ProgrammeInputs
from sanitasi.core.reads import tracking

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


def adoption_quarter(adopted_on: pd.Series, year: int) -> np.ndarray:
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


# ----------------------------------------------------------------------------- meetings


def action_items_status(prog: ProgrammeInputs, as_of: dt.date) -> pd.DataFrame:
    """Every action item with its meeting date and status as of ``as_of``.

    Columns: ``city_kode, meeting_id, meeting_date, action, owner_agency, due_date, state,
    raised`` (the meeting was held on or before ``as_of``; True when the meeting is unknown),
    ``overdue`` (raised, ``state == open`` and ``due_date < as_of``), ``days_overdue`` (int,
    0 unless overdue), ``days_to_due`` (int; negative once past due), ``status``.
    Sorted by city, due date, meeting and action.
    """
    ai = prog.action_items
    ts = pd.Timestamp(as_of)
    mt = prog.meetings[["city_kode", "id", "date"]].rename(
        columns={"id": "meeting_id", "date": "meeting_date"}
    )
    mt = mt.drop_duplicates(["city_kode", "meeting_id"])
    out = ai.merge(mt, on=["city_kode", "meeting_id"], how="left")
    due = pd.to_datetime(out["due_date"])
    mdate = pd.to_datetime(out["meeting_date"])
    raised = (mdate.isna() | (mdate <= ts)).to_numpy()
    state = out["state"].astype(str).str.strip().str.lower()
    overdue = raised & (state == "open").to_numpy() & (due < ts).to_numpy()
    days = (ts - due).dt.days.to_numpy()
    res = pd.DataFrame(
        {
            "city_kode": out["city_kode"].astype(str).to_numpy(),
            "meeting_id": out["meeting_id"].astype(str).to_numpy(),
            "meeting_date": mdate.to_numpy(),
            "action": out["action"].astype(str).to_numpy(),
            "owner_agency": out["owner_agency"].astype(str).to_numpy(),
            "due_date": due.to_numpy(),
            "state": state.to_numpy(),
            "raised": raised,
            "overdue": overdue,
            "days_overdue": np.where(overdue, days, 0).astype(int),
            "days_to_due": (-days).astype(int),
            "status": out["status"].astype(str).to_numpy() if "status" in out else "",
        }
    )
    return res.sort_values(
        ["city_kode", "due_date", "meeting_id", "action"], kind="stable"
    ).reset_index(drop=True)


def meeting_table(prog: ProgrammeInputs, as_of: dt.date) -> pd.DataFrame:
    """Meetings (Coaching Clinics, Pokja meetings, milestone reviews M1-M4) with their action
    items as of ``as_of``.

    Columns: ``city_kode, id, date, kind, title, milestone, participants`` (tuple),
    ``n_participants, summary, decisions, held`` (date <= as_of), ``n_actions, n_open,
    n_overdue, status``. Sorted by city and date.
    """
    m = prog.meetings
    ai = action_items_status(prog, as_of)
    g = ai.assign(open_=ai["state"] == "open").groupby(["city_kode", "meeting_id"], sort=False)
    counts = pd.DataFrame(
        {
            "n_actions": g.size(),
            "n_open": g["open_"].sum(),
            "n_overdue": g["overdue"].sum(),
        }
    ).reset_index()
    counts = counts.rename(columns={"meeting_id": "id"})
    out = m.merge(counts, on=["city_kode", "id"], how="left")
    for c in ("n_actions", "n_open", "n_overdue"):
        out[c] = out[c].fillna(0).astype(int)
    date = pd.to_datetime(out["date"])
    parts = out["participants"].map(lambda p: tuple(p) if isinstance(p, list | tuple) else ())
    res = pd.DataFrame(
        {
            "city_kode": out["city_kode"].astype(str),
            "id": out["id"].astype(str),
            "date": date,
            "kind": out["kind"].astype(str),
            "title": out["title"].astype(str),
            "milestone": out["milestone"].fillna("").astype(str),
            "participants": parts,
            "n_participants": parts.map(len).astype(int),
            "summary": out["summary"].fillna("").astype(str),
            "decisions": out["decisions"].fillna("").astype(str),
            "held": (date <= pd.Timestamp(as_of)).to_numpy(),
            "n_actions": out["n_actions"],
            "n_open": out["n_open"],
            "n_overdue": out["n_overdue"],
            "status": out["status"].astype(str) if "status" in out else "",
        }
    )
    return res.sort_values(["city_kode", "date", "id"], kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------------------- monitoring


@dataclass(frozen=True)
class Monitoring:
    """The monitoring of one reported quarter (all cities of the inputs).

    ``activities``: one row per activity (see :data:`ACTIVITY_COLUMNS`); ``by_agency``,
    ``by_sector``, ``by_kecamatan``, ``by_city``: roll-ups (:data:`ROLLUP_COLUMNS` after the
    group keys); ``by_source``: the roll-up by city and funding source with its
    ``money_kind`` (absorption of APBD Kab/Kota and DAK, investment of the other sources);
    ``series``: per activity and quarter 1-4 of the year, planned vs realised
    cumulative output and money; ``action_items``: :func:`action_items_status` as of
    ``as_of``; ``warnings`` and ``warnings_table`` (same content, the table with the
    activity, agency and quarter as columns); ``thresholds``: the band lower bounds and the
    overspend tolerance used; ``provenance``: counts of the input rows by status.
    """

    year: int
    quarter: int
    as_of: dt.date
    include_submitted: bool
    activities: pd.DataFrame
    by_agency: pd.DataFrame
    by_sector: pd.DataFrame
    by_kecamatan: pd.DataFrame
    by_city: pd.DataFrame
    by_source: pd.DataFrame
    series: pd.DataFrame
    action_items: pd.DataFrame
    warnings: tuple[Warning_, ...]
    warnings_table: pd.DataFrame
    thresholds: Mapping[str, float] = field(default_factory=dict)
    provenance: Mapping[str, int] = field(default_factory=dict)

    def tables(self) -> dict[str, Table]:
        """The monitoring tables with Indonesian/English labels (report order)."""
        return monitoring_tables(self)


def _plan_of_year(prog: ProgrammeInputs, year: int) -> pd.DataFrame:
    p = prog.planned
    p = p[p["year"].astype(int) == year]
    g = (
        p.assign(city_kode=p["city_kode"].astype(str), code=p["code"].astype(str))
        .groupby(ACTIVITY_KEYS, sort=False)[["planned_output", "planned_cost_idr"]]
        .sum()
        .reset_index()
    )
    return g


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


def _missing_reports(
    prog: ProgrammeInputs, df: pd.DataFrame, year: int, quarter: int
) -> pd.DataFrame:
    """(city_kode, code, quarter) of planned activities with no submitted/verified row, for
    the quarters from the activity's adoption quarter (``judged_from_quarter``) to
    ``quarter``."""
    has_plan = (df["planned_output"] > 0) | (df["planned_cost_idr"] > 0)
    planned = df.loc[has_plan, [*ACTIVITY_KEYS, "judged_from_quarter"]]
    grid = planned.merge(pd.DataFrame({"quarter": range(1, quarter + 1)}), how="cross")
    grid = grid.loc[grid["quarter"] >= grid["judged_from_quarter"], [*ACTIVITY_KEYS, "quarter"]]
    r = prog.realisation
    is_report = _states(r).isin(("submitted", "verified")).to_numpy()
    rep = pd.DataFrame(
        {
            "city_kode": r["city_kode"].astype(str).to_numpy(),
            "code": r["activity_code"].astype(str).to_numpy(),
            "year": r["year"].astype(int).to_numpy(),
            "quarter": r["quarter"].astype(int).to_numpy(),
        }
    )[is_report]
    rep = rep.loc[rep["year"] == year, ["city_kode", "code", "quarter"]].drop_duplicates()
    m = grid.merge(rep, on=["city_kode", "code", "quarter"], how="left", indicator=True)
    return m.loc[m["_merge"] == "left_only", ["city_kode", "code", "quarter"]].reset_index(
        drop=True
    )


def latest_progress(counted: pd.DataFrame) -> pd.DataFrame:
    """``city_kode, code, progress_pct``: the progress of the latest quarter of ``counted``
    (rows of :func:`counted_realisation`, already limited to the year and quarters wanted)
    that reports one; activities without any are left out."""
    r = counted.loc[counted["progress_pct"].notna(), [*ACTIVITY_KEYS, "quarter", "progress_pct"]]
    r = r.sort_values([*ACTIVITY_KEYS, "quarter"], kind="stable")
    return r.drop_duplicates(ACTIVITY_KEYS, keep="last")[[*ACTIVITY_KEYS, "progress_pct"]]


def physical_realised(
    output: pd.Series | np.ndarray,
    progress_pct: pd.Series | np.ndarray,
    planned_output: pd.Series | np.ndarray,
) -> np.ndarray:
    """Physical realised to date in output units (``docs/METHOD.md`` §10):
    ``max(output, progress_pct / 100 x planned_output)`` where a progress is given (NaN =
    not reported: the output alone). ``output`` = realised output to date, ``progress_pct``
    = latest reported *progres fisik* (0-100 %, completion works only), ``planned_output`` =
    annual planned output."""
    o = np.asarray(output, dtype=float)
    p = np.asarray(progress_pct, dtype=float)
    by_progress = p / 100.0 * np.asarray(planned_output, dtype=float)
    return np.where(np.isnan(p), o, np.fmax(o, by_progress))


def activity_performance(
    prog: ProgrammeInputs,
    params: ParameterSet,
    year: int,
    quarter: int,
    include_submitted: bool = False,
) -> pd.DataFrame:
    """Per-activity monitoring table of ``year`` up to ``quarter`` (see module docstring).

    Columns: :data:`ACTIVITY_COLUMNS`.
    """
    _check_quarter(quarter)
    df = _activity_frame(prog).drop(columns="adopted_on")
    df = df.merge(_plan_of_year(prog, year), on=ACTIVITY_KEYS, how="left")
    df[["planned_output", "planned_cost_idr"]] = df[["planned_output", "planned_cost_idr"]].fillna(
        0.0
    )
    shares = activity_shares(prog, params, year)
    sq = shares.loc[shares["quarter"] == quarter, [*ACTIVITY_KEYS, "judged_from_quarter", "share"]]
    df = df.merge(sq.rename(columns={"share": "profile_share"}), on=ACTIVITY_KEYS, how="left")
    df["planned_output_to_date"] = df["planned_output"] * df["profile_share"]
    df["planned_cost_to_date_idr"] = df["planned_cost_idr"] * df["profile_share"]

    r = counted_realisation(prog, include_submitted)
    r = r[(r["year"] == year) & (r["quarter"] <= quarter)]
    cum = r.groupby(ACTIVITY_KEYS, sort=False)[["output_achieved", "cost_spent_idr"]].sum()
    cum.columns = pd.Index(["output_to_date", "spent_to_date_idr"])
    inq = (
        r[r["quarter"] == quarter]
        .groupby(ACTIVITY_KEYS, sort=False)[["output_achieved", "cost_spent_idr"]]
        .sum()
    )
    inq.columns = pd.Index(["output_quarter", "spent_quarter_idr"])
    df = df.merge(cum.reset_index(), on=ACTIVITY_KEYS, how="left")
    df = df.merge(inq.reset_index(), on=ACTIVITY_KEYS, how="left")
    for c in ("output_to_date", "spent_to_date_idr", "output_quarter", "spent_quarter_idr"):
        df[c] = df[c].fillna(0.0)
    df = df.merge(latest_progress(r), on=ACTIVITY_KEYS, how="left")

    po, pc = df["planned_output"].to_numpy(), df["planned_cost_idr"].to_numpy()
    pot, pct = df["planned_output_to_date"].to_numpy(), df["planned_cost_to_date_idr"].to_numpy()
    out, spent = df["output_to_date"].to_numpy(), df["spent_to_date_idr"].to_numpy()
    completion = (df["plan_profile"] == COMPLETION_PROFILE).to_numpy()
    progress = np.where(completion, df["progress_pct"].to_numpy(dtype=float), np.nan)
    df["progress_pct"] = progress
    df["physical_to_date"] = physical_realised(out, progress, po)
    df["physical_pct"] = _ratio_pct(df["physical_to_date"], pot)
    df["financial_pct"] = _ratio_pct(spent, pct)
    apbd = df["funding_source"].isin(ABSORPTION_SOURCES).to_numpy()
    df["money_kind"] = np.where(apbd, "absorption", "investment")
    df["absorption_pct"] = np.where(apbd, _ratio_pct(spent, pc), np.nan)
    df["investment_idr"] = np.where(apbd, 0.0, spent)
    with np.errstate(divide="ignore", invalid="ignore"):
        puc = np.where(po > 0, pc / np.where(po > 0, po, 1.0), np.nan)
        ruc = np.where(out > 0, spent / np.where(out > 0, out, 1.0), np.nan)
        ok = (ruc > 0) & (puc > 0)
        eff = np.where(ok, puc / np.where(ok, ruc, 1.0) * 100.0, np.nan)
        overrun = np.where(ok, (ruc / np.where(ok, puc, 1.0) - 1.0) * 100.0, np.nan)
    df["planned_unit_cost_idr"] = puc
    df["realised_unit_cost_idr"] = ruc
    df["efficiency_pct"] = eff
    df["unit_cost_overrun_pct"] = overrun
    thr = band_thresholds(params)
    tol = params.reader("monitoring.absorption").num("overspend_tolerance")
    df["band"] = band_of(df["physical_pct"], thr)
    df["behind"] = (df["physical_pct"] < thr[BEHIND_BAND]).to_numpy()
    # strictly above the tolerance; 1e-9 points absorbs float noise at exactly the tolerance
    df["overspend"] = np.nan_to_num(overrun, nan=-np.inf) > tol * 100.0 + 1e-9
    df["unplanned_output"] = (pot <= 0) & (out > 0)
    df["unplanned_spending"] = (pct <= 0) & (spent > 0)
    miss = _missing_reports(prog, df, year, quarter)
    mq = (
        miss.groupby(ACTIVITY_KEYS, sort=False)["quarter"]
        .agg(lambda s: tuple(int(q) for q in s))  # type: ignore[type-var]
        .rename("missing_quarters")
        .reset_index()
    )
    df = df.merge(mq, on=ACTIVITY_KEYS, how="left")
    df["missing_quarters"] = df["missing_quarters"].map(lambda t: t if isinstance(t, tuple) else ())
    df["kecamatan_kode"] = kecamatan_of(df["location_kode"])
    df["location_level"] = location_level(df["location_kode"])
    df.insert(2, "year", year)
    df.insert(3, "quarter", quarter)
    return df[ACTIVITY_COLUMNS].sort_values(ACTIVITY_KEYS, kind="stable").reset_index(drop=True)


#: Columns of :attr:`Monitoring.activities`, in order.
ACTIVITY_COLUMNS: list[str] = [
    "city_kode",
    "code",
    "year",
    "quarter",
    "sector",
    "activity",
    "lead_agency",
    "location_kode",
    "location_level",
    "kecamatan_kode",
    "funding_source",
    "money_kind",
    "plan_profile",
    "output_unit",
    "planned_output",
    "planned_cost_idr",
    "profile_share",
    "judged_from_quarter",
    "planned_output_to_date",
    "planned_cost_to_date_idr",
    "output_quarter",
    "spent_quarter_idr",
    "output_to_date",
    "progress_pct",
    "physical_to_date",
    "spent_to_date_idr",
    "physical_pct",
    "financial_pct",
    "absorption_pct",
    "investment_idr",
    "planned_unit_cost_idr",
    "realised_unit_cost_idr",
    "efficiency_pct",
    "unit_cost_overrun_pct",
    "band",
    "behind",
    "overspend",
    "unplanned_output",
    "unplanned_spending",
    "missing_quarters",
]

#: Columns of the roll-ups after their group keys.
ROLLUP_COLUMNS: list[str] = [
    "n_activities",
    "output_unit",
    "planned_output",
    "planned_output_to_date",
    "output_to_date",
    "planned_cost_idr",
    "planned_cost_to_date_idr",
    "spent_to_date_idr",
    "unplanned_spent_idr",
    "financial_pct",
    "apbd_pagu_idr",
    "apbd_spent_idr",
    "absorption_pct",
    "investment_idr",
    *INVESTMENT_COLUMNS,
    "physical_index_pct",
    "band",
    "n_with_plan_to_date",
    "n_behind",
    "n_overspend",
    "n_unplanned",
    "n_missing_reports",
]


def rollup(
    acts: pd.DataFrame, keys: Sequence[str], thresholds: Mapping[str, float]
) -> pd.DataFrame:
    """Roll the per-activity table up to ``keys`` (money summed, outputs summed only where the
    group has one output unit, ratio-of-sums percentages and the cost-weighted capped
    physical index; see the module docstring). Columns: ``keys`` + :data:`ROLLUP_COLUMNS`."""
    keys = list(keys)
    d = acts.copy()
    apbd = d["money_kind"] == "absorption"
    has_phys = d["physical_pct"].notna()
    w = d["planned_cost_idr"].where(has_phys, 0.0)
    d["_w"] = w
    d["_wx"] = d["physical_pct"].clip(upper=PHYSICAL_CAP_PCT).fillna(0.0) * w
    has_pagu = apbd & (d["planned_cost_idr"] > 0)
    d["apbd_pagu_idr"] = d["planned_cost_idr"].where(apbd, 0.0)
    d["apbd_spent_idr"] = d["spent_to_date_idr"].where(has_pagu, 0.0)
    planned_cost = d["planned_cost_to_date_idr"] > 0
    d["_spent_on_plan"] = d["spent_to_date_idr"].where(planned_cost, 0.0)
    d["unplanned_spent_idr"] = d["spent_to_date_idr"].where(~planned_cost, 0.0)
    d["_has"] = has_phys
    d["_unplanned"] = d["unplanned_output"] | d["unplanned_spending"]
    d["_missing"] = d["missing_quarters"].map(len)
    for src, col in zip(INVESTMENT_SOURCES, INVESTMENT_COLUMNS, strict=True):
        d[col] = d["investment_idr"].where(d["funding_source"] == src, 0.0)
    g = d.groupby(keys, sort=True, dropna=False)
    sums = g[
        [
            "planned_output",
            "planned_output_to_date",
            "output_to_date",
            "planned_cost_idr",
            "planned_cost_to_date_idr",
            "spent_to_date_idr",
            "_spent_on_plan",
            "unplanned_spent_idr",
            "apbd_pagu_idr",
            "apbd_spent_idr",
            "investment_idr",
            *INVESTMENT_COLUMNS,
            "_w",
            "_wx",
            "_has",
            "behind",
            "overspend",
            "_unplanned",
            "_missing",
        ]
    ].sum()
    units = g["output_unit"].agg(["nunique", "first"])
    one_unit = (units["nunique"] == 1).to_numpy()
    out = pd.DataFrame(index=sums.index)
    out["n_activities"] = g.size().astype(int)
    out["output_unit"] = np.where(one_unit, units["first"].astype(str), "")
    for c in ("planned_output", "planned_output_to_date", "output_to_date"):
        out[c] = np.where(one_unit, sums[c], np.nan)
    for c in ("planned_cost_idr", "planned_cost_to_date_idr", "spent_to_date_idr"):
        out[c] = sums[c]
    out["unplanned_spent_idr"] = sums["unplanned_spent_idr"]
    out["financial_pct"] = _ratio_pct(sums["_spent_on_plan"], sums["planned_cost_to_date_idr"])
    out["apbd_pagu_idr"] = sums["apbd_pagu_idr"]
    out["apbd_spent_idr"] = sums["apbd_spent_idr"]
    out["absorption_pct"] = _ratio_pct(sums["apbd_spent_idr"], sums["apbd_pagu_idr"])
    out["investment_idr"] = sums["investment_idr"]
    for col in INVESTMENT_COLUMNS:
        out[col] = sums[col]
    with np.errstate(divide="ignore", invalid="ignore"):
        wsum = sums["_w"].to_numpy(dtype=float)
        out["physical_index_pct"] = np.where(
            wsum > 0, sums["_wx"].to_numpy(dtype=float) / np.where(wsum > 0, wsum, 1.0), np.nan
        )
    out["band"] = band_of(out["physical_index_pct"], thresholds)
    out["n_with_plan_to_date"] = sums["_has"].astype(int)
    out["n_behind"] = sums["behind"].astype(int)
    out["n_overspend"] = sums["overspend"].astype(int)
    out["n_unplanned"] = sums["_unplanned"].astype(int)
    out["n_missing_reports"] = sums["_missing"].astype(int)
    return out.reset_index()[keys + ROLLUP_COLUMNS]


def money_by_source(acts: pd.DataFrame, thresholds: Mapping[str, float]) -> pd.DataFrame:
    """The roll-up by ``city_kode, funding_source`` (:func:`rollup`) with the ``money_kind``
    of the source (``absorption`` for :data:`ABSORPTION_SOURCES`, else ``investment``),
    sources in :data:`~sanitasi.core.model.FUNDING_SOURCES` order. Columns: ``city_kode,
    funding_source, money_kind`` + :data:`ROLLUP_COLUMNS`."""
    out = rollup(acts, ["city_kode", "funding_source"], thresholds)
    kind = np.where(out["funding_source"].isin(ABSORPTION_SOURCES), "absorption", "investment")
    out.insert(2, "money_kind", kind)
    order = {s: i for i, s in enumerate(FUNDING_SOURCES)}
    rank = out["funding_source"].map(order).fillna(len(order))
    return (
        out.assign(_rank=rank)
        .sort_values(["city_kode", "_rank", "funding_source"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def quarterly_series(
    prog: ProgrammeInputs,
    params: ParameterSet,
    year: int,
    quarter: int,
    include_submitted: bool = False,
) -> pd.DataFrame:
    """Per activity and quarter 1-4 of ``year``: cumulative plan (annual x rebased profile
    share ``s'(Q)``) and cumulative counted realisation (NaN after the reported ``quarter``).

    Columns: ``city_kode, code, year, quarter, output_unit, planned_output_cum,
    realised_output_cum, physical_output_cum`` (the physical realised to date of
    :func:`physical_realised`, = realised output except for completion works with a reported
    progress), ``planned_cost_cum_idr, spent_cum_idr``.
    """
    _check_quarter(quarter)
    a = _activity_frame(prog)[["city_kode", "code", "output_unit"]]
    a = a.merge(_plan_of_year(prog, year), on=ACTIVITY_KEYS, how="left")
    a[["planned_output", "planned_cost_idr"]] = a[["planned_output", "planned_cost_idr"]].fillna(
        0.0
    )
    shares = activity_shares(prog, params, year)
    grid = a.merge(shares[shares["quarter"] > 0], on=ACTIVITY_KEYS, how="left")
    r = counted_realisation(prog, include_submitted)
    r = r[r["year"] == year]
    per_q = r.groupby([*ACTIVITY_KEYS, "quarter"], sort=False)[
        ["output_achieved", "cost_spent_idr"]
    ].sum()
    prog_q = r[[*ACTIVITY_KEYS, "quarter", "progress_pct"]].drop_duplicates(
        [*ACTIVITY_KEYS, "quarter"]
    )
    grid = grid.merge(per_q.reset_index(), on=[*ACTIVITY_KEYS, "quarter"], how="left")
    grid = grid.merge(prog_q, on=[*ACTIVITY_KEYS, "quarter"], how="left")
    grid[["output_achieved", "cost_spent_idr"]] = grid[
        ["output_achieved", "cost_spent_idr"]
    ].fillna(0.0)
    grid = grid.sort_values([*ACTIVITY_KEYS, "quarter"], kind="stable").reset_index(drop=True)
    gg = grid.groupby(ACTIVITY_KEYS, sort=False)
    cum_out = gg["output_achieved"].cumsum()
    cum_cost = gg["cost_spent_idr"].cumsum()
    completion = grid["plan_profile"] == COMPLETION_PROFILE
    progress = grid["progress_pct"].astype(float).where(completion)
    latest = progress.groupby([grid[k] for k in ACTIVITY_KEYS], sort=False).ffill()
    physical = physical_realised(cum_out, latest, grid["planned_output"])
    later = grid["quarter"] > quarter
    return pd.DataFrame(
        {
            "city_kode": grid["city_kode"],
            "code": grid["code"],
            "year": year,
            "quarter": grid["quarter"].astype(int),
            "output_unit": grid["output_unit"],
            "planned_output_cum": grid["planned_output"] * grid["share"],
            "realised_output_cum": cum_out.mask(later),
            "physical_output_cum": pd.Series(physical, index=grid.index).mask(later),
            "planned_cost_cum_idr": grid["planned_cost_idr"] * grid["share"],
            "spent_cum_idr": cum_cost.mask(later),
        }
    )


def _activity_warnings(
    acts: pd.DataFrame,
    miss: pd.DataFrame,
    thr: Mapping[str, float],
    tol: float,
    names: Mapping[str, str],
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []

    def who(r: pd.Series) -> tuple[str, str]:
        kode = str(r["location_kode"])
        place = f"{names[kode]} ({kode})" if kode in names else kode
        return (
            f"{r['code']} ({r['lead_agency']}, lokasi {place})",
            f"{r['code']} ({r['lead_agency']}, location {place})",
        )

    def add(
        code: str, r: pd.Series, value: float, mid: str, men: str, q: int | None = None
    ) -> None:
        rows.append(
            dict(
                code=code,
                city_kode=r["city_kode"],
                activity_code=r["code"],
                agency=r["lead_agency"],
                kode=r["location_kode"],
                year=int(r["year"]),
                quarter=int(r["quarter"]) if q is None else q,
                value=float(value),
                message_id=mid,
                message_en=men,
            )
        )

    sedang = thr[BEHIND_BAND]
    for _, r in acts[acts["behind"]].iterrows():
        wid, wen = who(r)
        y, q, p = int(r["year"]), int(r["quarter"]), float(r["physical_pct"])
        done, due = float(r["physical_to_date"]), float(r["planned_output_to_date"])
        prog = float(r["progress_pct"])
        pid = "" if np.isnan(prog) else f"; progres fisik {format_number(prog, 'id')}%"
        pen = "" if np.isnan(prog) else f"; physical progress {format_number(prog)}%"
        add(
            W_BEHIND,
            r,
            p,
            f"{wid}: realisasi fisik {format_number(p, 'id')}% s.d. T{q} {y} di bawah ambang 'sedang' "
            f"{format_number(sedang, 'id')}% (kategori {r['band']}; {format_number(done, 'id')} dari "
            f"{format_number(due, 'id')} {r['output_unit']}{pid}).",
            f"{wen}: physical realisation {format_number(p)}% to {y} Q{q} is below the 'sedang' threshold "
            f"of {format_number(sedang)}% (band {r['band']}; {format_number(done)} of "
            f"{format_number(due)} {r['output_unit']}{pen}).",
        )
    for _, r in acts[acts["overspend"]].iterrows():
        wid, wen = who(r)
        o = float(r["unit_cost_overrun_pct"])
        ruc, puc = float(r["realised_unit_cost_idr"]), float(r["planned_unit_cost_idr"])
        add(
            W_OVERSPEND,
            r,
            o,
            f"{wid}: biaya satuan realisasi {format_idr(ruc, 'id')} per {r['output_unit']} melebihi "
            f"rencana {format_idr(puc, 'id')} sebesar {format_number(o, 'id')}% (toleransi {format_number(tol * 100, 'id')}%).",
            f"{wen}: realised unit cost {format_idr(ruc, 'en')} per {r['output_unit']} exceeds the "
            f"planned {format_idr(puc, 'en')} by {format_number(o)}% (tolerance {format_number(tol * 100)}%).",
        )
    if len(miss):
        m = miss.merge(acts, on=ACTIVITY_KEYS, how="left", suffixes=("", "_reported"))
        for _, r in m.iterrows():
            wid, wen = who(r)
            q, y = int(r["quarter"]), int(r["year"])
            add(
                W_NO_REPORT,
                r,
                float(q),
                f"{wid}: tidak ada laporan realisasi T{q} {y}.",
                f"{wen}: no realisation report for {y} Q{q}.",
                q=q,
            )
    for _, r in acts[acts["unplanned_output"]].iterrows():
        wid, wen = who(r)
        y, q, o = int(r["year"]), int(r["quarter"]), float(r["output_to_date"])
        add(
            W_UNPLANNED_OUTPUT,
            r,
            o,
            f"{wid}: keluaran {format_number(o, 'id')} {r['output_unit']} s.d. T{q} {y} padahal tidak ada "
            f"rencana s.d. triwulan ini (luncuran/di luar rencana).",
            f"{wen}: output of {format_number(o)} {r['output_unit']} to {y} Q{q} with nothing planned to "
            f"date (carry-over or unplanned).",
        )
    for _, r in acts[acts["unplanned_spending"]].iterrows():
        wid, wen = who(r)
        y, q, s = int(r["year"]), int(r["quarter"]), float(r["spent_to_date_idr"])
        add(
            W_UNPLANNED_SPENDING,
            r,
            s,
            f"{wid}: belanja {format_idr(s, 'id')} s.d. T{q} {y} tanpa rencana biaya s.d. triwulan ini.",
            f"{wen}: {format_idr(s, 'en')} spent to {y} Q{q} with no cost planned to date.",
        )
    return rows


def _overdue_warnings(
    ai: pd.DataFrame, year: int, quarter: int, names: Mapping[str, str]
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []

    def place(kode: object) -> str:
        k = str(kode)
        return f"{names[k]} ({k})" if k in names else k

    for _, r in ai[ai["overdue"]].iterrows():
        due = pd.Timestamp(r["due_date"]).date().isoformat()
        d = int(r["days_overdue"])
        rows.append(
            dict(
                code=W_OVERDUE,
                city_kode=r["city_kode"],
                activity_code="",
                agency=r["owner_agency"],
                kode=r["city_kode"],
                year=year,
                quarter=quarter,
                value=float(d),
                message_id=(
                    f"Tindak lanjut {r['meeting_id']} ({r['owner_agency']}, {place(r['city_kode'])}) "
                    f"\u201c{r['action']}\u201d lewat tenggat {due}: terlambat {d} hari."
                ),
                message_en=(
                    f"Action item of {r['meeting_id']} ({r['owner_agency']}, {place(r['city_kode'])}) "
                    f"\u201c{r['action']}\u201d is {d} days past its due date {due}."
                ),
            )
        )
    return rows


WARNING_TABLE_COLUMNS = [
    "code",
    "city_kode",
    "activity_code",
    "agency",
    "kode",
    "year",
    "quarter",
    "value",
    "message_id",
    "message_en",
]


def monitor(
    prog: ProgrammeInputs,
    params: ParameterSet,
    year: int,
    quarter: int,
    as_of: dt.date | None = None,
    include_submitted: bool = False,
    names: Mapping[str, str] | None = None,
) -> Monitoring:
    """Monitor the programme in ``year`` up to ``quarter`` as of ``as_of`` (default: the last
    day of the quarter). Only ``verified`` realisation counts unless ``include_submitted``.
    ``names`` (region code -> name): the warnings name an activity's location by its name
    (``lokasi Kota Solok (13.72)``), never by its bare code.

    Returns a :class:`Monitoring`: per-activity performance, roll-ups by lead agency, sector,
    kecamatan and city, quarterly series, action items and SAN-W3xx warnings. Its
    ``provenance`` counts the activities, the realisation of the year and the parameters the
    monitoring read (plan profiles, bands, overspend tolerance; docs/METHOD.md §16).
    """
    with tracking() as read:
        m = _monitor(prog, params, year, quarter, as_of, include_submitted, names or {})
    p = params.params
    used = count_status(p[n].status for n in sorted(read.names()) if n in p)
    return replace(m, provenance={s: int(m.provenance.get(s, 0)) + used[s] for s in STATUSES})


def _monitor(
    prog: ProgrammeInputs,
    params: ParameterSet,
    year: int,
    quarter: int,
    as_of: dt.date | None,
    include_submitted: bool,
    names: Mapping[str, str],
) -> Monitoring:
    _check_quarter(quarter)
    as_of = as_of or quarter_end(year, quarter)
    acts = activity_performance(prog, params, year, quarter, include_submitted)
    thr = band_thresholds(params)
    tol = params.reader("monitoring.absorption").num("overspend_tolerance")
    by_agency = rollup(acts, ["city_kode", "lead_agency"], thr)
    by_sector = rollup(acts, ["city_kode", "sector"], thr)
    by_kecamatan = rollup(acts, ["city_kode", "kecamatan_kode"], thr)
    by_city = rollup(acts, ["city_kode"], thr)
    by_source = money_by_source(acts, thr)
    series = quarterly_series(prog, params, year, quarter, include_submitted)
    ai = action_items_status(prog, as_of)
    ex = acts.explode("missing_quarters")
    miss = (
        ex.loc[ex["missing_quarters"].notna(), [*ACTIVITY_KEYS, "missing_quarters"]]
        .rename(columns={"missing_quarters": "quarter"})
        .astype({"quarter": int})
        .reset_index(drop=True)
    )
    rows = _activity_warnings(acts, miss, thr, tol, names)
    rows += _overdue_warnings(ai, year, quarter, names)
    wt = pd.DataFrame(rows, columns=WARNING_TABLE_COLUMNS)
    wt = wt.sort_values(["code", "city_kode", "activity_code", "quarter", "agency"], kind="stable")
    wt = wt.reset_index(drop=True)
    warns = tuple(
        Warning_(str(c), str(mi), str(me), str(k), int(y))
        for c, mi, me, k, y in zip(
            wt["code"], wt["message_id"], wt["message_en"], wt["kode"], wt["year"], strict=True
        )
    )
    r = prog.realisation
    in_year = (r["year"].astype(int) == year) & (r["quarter"].astype(int) <= quarter)
    statuses = list(prog.activities["status"].astype(str)) + list(
        r.loc[in_year, "status"].astype(str)
    )
    return Monitoring(
        year=year,
        quarter=quarter,
        as_of=as_of,
        include_submitted=include_submitted,
        activities=acts,
        by_agency=by_agency,
        by_sector=by_sector,
        by_kecamatan=by_kecamatan,
        by_city=by_city,
        by_source=by_source,
        series=series,
        action_items=ai,
        warnings=warns,
        warnings_table=wt,
        thresholds={**{f"{b}_min_pct": v for b, v in thr.items()}, "overspend_tolerance": tol},
        provenance=count_status(statuses),
    )


# ----------------------------------------------------------------------------- forecast


def forecast_outputs(
    prog: ProgrammeInputs,
    monitoring: Monitoring,
    period_end_year: int,
    pace_cap: float = PACE_CAP,
) -> pd.DataFrame:
    """Outputs per activity and year if the current pace persists to ``period_end_year``.

    * years before the monitored year (from the first planned year): the counted realised
      output of the whole year (0 where nothing was reported);
    * the monitored year: physical realised to date (:func:`physical_realised`; the
      realised output except for completion works with a reported progress) + (annual plan
      - planned to date) x pace;
    * later years up to ``period_end_year``: planned output x pace;

    with pace = min(physical % to date / 100, ``pace_cap``), 1.0 where physical % is
    n/a. Columns: ``city_kode, code, year, output, basis`` (``realised``, ``realised+pace``,
    ``pace``), ``pace``. Feeds the coverage engine to forecast the indicators.
    """
    Y = monitoring.year
    acts = monitoring.activities
    pace = (acts["physical_pct"] / 100.0).clip(upper=pace_cap).fillna(1.0)
    base = pd.DataFrame(
        {
            "city_kode": acts["city_kode"],
            "code": acts["code"],
            "pace": pace.to_numpy(),
            "current": (
                acts["physical_to_date"]
                + (acts["planned_output"] - acts["planned_output_to_date"]).clip(lower=0.0) * pace
            ).to_numpy(),
        }
    )
    p = prog.planned.assign(
        city_kode=prog.planned["city_kode"].astype(str),
        code=prog.planned["code"].astype(str),
        year=prog.planned["year"].astype(int),
    )
    first = int(p["year"].min()) if len(p) else Y
    years = pd.DataFrame({"year": range(min(first, Y), period_end_year + 1)})
    grid = base.merge(years, how="cross")
    plan = p.groupby([*ACTIVITY_KEYS, "year"], sort=False)["planned_output"].sum().reset_index()
    grid = grid.merge(plan, on=[*ACTIVITY_KEYS, "year"], how="left")
    r = counted_realisation(prog, monitoring.include_submitted)
    real = r[r["year"] < Y].groupby([*ACTIVITY_KEYS, "year"], sort=False)["output_achieved"].sum()
    grid = grid.merge(real.reset_index(), on=[*ACTIVITY_KEYS, "year"], how="left")
    y = grid["year"].to_numpy()
    out = np.select(
        [y < Y, y == Y],
        [grid["output_achieved"].fillna(0.0).to_numpy(), grid["current"].to_numpy()],
        default=(grid["planned_output"].fillna(0.0) * grid["pace"]).to_numpy(),
    )
    basis = np.select([y < Y, y == Y], ["realised", "realised+pace"], default="pace")
    res = pd.DataFrame(
        {
            "city_kode": grid["city_kode"],
            "code": grid["code"],
            "year": grid["year"].astype(int),
            "output": out.astype(float),
            "basis": basis,
            "pace": grid["pace"],
        }
    )
    return res.sort_values([*ACTIVITY_KEYS, "year"], kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------------------- labelled tables

_PCT = "pct"
COLUMNS: dict[str, Column] = {
    "city_kode": Column("Kode kota", "City code", kind="text"),
    "code": Column("Kode kegiatan", "Activity code", kind="text"),
    "year": Column("Tahun", "Year", kind="year"),
    "quarter": Column("Triwulan", "Quarter", kind="int"),
    "sector": Column("Sektor", "Sector", kind="text"),
    "activity": Column("Kegiatan", "Activity", kind="text"),
    "lead_agency": Column("OPD pelaksana", "Lead agency", kind="text"),
    "location_kode": Column("Lokasi", "Location", kind="text"),
    "location_level": Column("Tingkat lokasi", "Location level", kind="text"),
    "kecamatan_kode": Column("Kecamatan", "Kecamatan", kind="text"),
    "funding_source": Column("Sumber dana", "Funding source", kind="text"),
    "money_kind": Column("Jenis dana", "Money reported as", kind="text"),
    "plan_profile": Column("Profil rencana", "Plan profile", kind="text"),
    "output_unit": Column("Satuan keluaran", "Output unit", kind="text"),
    "planned_output": Column("Target keluaran tahunan", "Annual planned output", kind="float"),
    "planned_cost_idr": Column("Pagu/anggaran tahunan", "Annual planned cost", "Rp", "idr"),
    "profile_share": Column("Porsi rencana s.d. triwulan", "Plan share to date", "0-1", "float"),
    "judged_from_quarter": Column(
        "Dinilai sejak triwulan (tahun adopsi)", "Judged from quarter (adoption)", kind="int"
    ),
    "planned_output_to_date": Column("Target keluaran s.d. triwulan", "Planned output to date"),
    "planned_cost_to_date_idr": Column(
        "Rencana biaya s.d. triwulan", "Planned cost to date", "Rp", "idr"
    ),
    "output_quarter": Column("Keluaran triwulan ini", "Output this quarter"),
    "spent_quarter_idr": Column("Belanja triwulan ini", "Spent this quarter", "Rp", "idr"),
    "output_to_date": Column("Realisasi keluaran s.d. triwulan", "Output to date"),
    "progress_pct": Column("Progres fisik pekerjaan", "Physical progress of works", "%", _PCT),
    "physical_to_date": Column("Realisasi fisik s.d. triwulan", "Physical realised to date"),
    "spent_to_date_idr": Column("Realisasi belanja s.d. triwulan", "Spent to date", "Rp", "idr"),
    "physical_pct": Column("Capaian fisik", "Physical progress", "%", _PCT),
    "financial_pct": Column("Capaian keuangan", "Financial progress", "%", _PCT),
    "absorption_pct": Column(
        "Penyerapan anggaran (APBD Kab/Kota + DAK)",
        "Budget absorption (APBD Kab/Kota + DAK)",
        "%",
        _PCT,
    ),
    "investment_idr": Column(
        "Investasi (APBN, APBD Prov., swasta, masyarakat)",
        "Investment (APBN, provincial, private, community)",
        "Rp",
        "idr",
    ),
    "investment_apbn_idr": Column("Investasi APBN", "Investment: APBN", "Rp", "idr"),
    "investment_apbd_prov_idr": Column(
        "Investasi APBD Provinsi", "Investment: provincial budget", "Rp", "idr"
    ),
    "investment_swasta_idr": Column("Investasi swasta/CSR", "Investment: private/CSR", "Rp", "idr"),
    "investment_masyarakat_idr": Column(
        "Investasi masyarakat", "Investment: community", "Rp", "idr"
    ),
    "planned_unit_cost_idr": Column("Biaya satuan rencana", "Planned unit cost", "Rp", "idr"),
    "realised_unit_cost_idr": Column("Biaya satuan realisasi", "Realised unit cost", "Rp", "idr"),
    "efficiency_pct": Column("Efisiensi biaya satuan", "Unit-cost efficiency", "%", _PCT),
    "unit_cost_overrun_pct": Column("Kelebihan biaya satuan", "Unit-cost overrun", "%", _PCT),
    "band": Column("Kategori kinerja", "Performance band", kind="text"),
    "behind": Column("Terlambat", "Behind", kind="text"),
    "overspend": Column("Biaya melebihi toleransi", "Overspend", kind="text"),
    "unplanned_output": Column("Keluaran di luar rencana", "Unplanned output", kind="text"),
    "unplanned_spending": Column("Belanja di luar rencana", "Unplanned spending", kind="text"),
    "missing_quarters": Column("Triwulan tanpa laporan", "Quarters without report", kind="text"),
    "n_activities": Column("Jumlah kegiatan", "Activities", kind="int"),
    "unplanned_spent_idr": Column("Belanja di luar rencana", "Spent without plan", "Rp", "idr"),
    "apbd_pagu_idr": Column(
        "Pagu APBD (termasuk DAK)", "APBD budget (pagu, incl. DAK)", "Rp", "idr"
    ),
    "apbd_spent_idr": Column("Belanja APBD (termasuk DAK)", "APBD spent (incl. DAK)", "Rp", "idr"),
    "physical_index_pct": Column(
        "Indeks capaian fisik (tertimbang pagu)", "Physical index (cost-weighted)", "%", _PCT
    ),
    "n_with_plan_to_date": Column(
        "Kegiatan bertarget s.d. triwulan", "Activities planned to date", kind="int"
    ),
    "n_behind": Column("Kegiatan terlambat", "Activities behind", kind="int"),
    "n_overspend": Column("Kegiatan melebihi biaya", "Activities overspent", kind="int"),
    "n_unplanned": Column(
        "Kegiatan di luar rencana", "Activities with unplanned output/spending", kind="int"
    ),
    "n_missing_reports": Column("Laporan triwulan hilang", "Missing quarterly reports", kind="int"),
    "planned_output_cum": Column("Target kumulatif", "Planned cumulative output"),
    "realised_output_cum": Column("Realisasi kumulatif", "Realised cumulative output"),
    "physical_output_cum": Column(
        "Realisasi fisik kumulatif", "Physical realised cumulative output"
    ),
    "planned_cost_cum_idr": Column(
        "Rencana biaya kumulatif", "Planned cumulative cost", "Rp", "idr"
    ),
    "spent_cum_idr": Column("Belanja kumulatif", "Spent cumulative", "Rp", "idr"),
    "meeting_id": Column("Rapat", "Meeting", kind="text"),
    "meeting_date": Column("Tanggal rapat", "Meeting date", kind="text"),
    "action": Column("Tindak lanjut", "Action", kind="text"),
    "owner_agency": Column("Penanggung jawab", "Owner", kind="text"),
    "due_date": Column("Tenggat", "Due date", kind="text"),
    "state": Column("Status tindak lanjut", "Action state", kind="text"),
    "raised": Column("Sudah diputuskan", "Raised by the report date", kind="text"),
    "overdue": Column("Lewat tenggat", "Overdue", kind="text"),
    "days_overdue": Column("Hari terlambat", "Days overdue", "days", "int"),
    "days_to_due": Column("Hari menuju tenggat", "Days to due date", "days", "int"),
    "status": Column("Status data", "Data status", kind="text"),
    "agency": Column("OPD", "Agency", kind="text"),
    "activity_code": Column("Kegiatan", "Activity", kind="text"),
    "kode": Column("Wilayah", "Place", kind="text"),
    "value": Column("Nilai", "Value"),
    "message_id": Column("Pesan", "Message (id)", kind="text"),
    "message_en": Column("Pesan (en)", "Message", kind="text"),
}


def monitoring_tables(m: Monitoring) -> dict[str, Table]:
    """Labelled tables of a :class:`Monitoring` (report order)."""
    q = f"T{m.quarter} {m.year}"
    qe = f"{m.year} Q{m.quarter}"
    spec = [
        ("by_city", "Kinerja kota", "City performance", m.by_city),
        ("by_agency", "Kinerja per OPD pelaksana", "Performance by lead agency", m.by_agency),
        ("by_sector", "Kinerja per sektor", "Performance by sector", m.by_sector),
        ("by_kecamatan", "Kinerja per kecamatan", "Performance by kecamatan", m.by_kecamatan),
        (
            "by_source",
            "Penyerapan dan investasi per sumber dana",
            "Absorption and investment by funding source",
            m.by_source,
        ),
        ("activities", "Kinerja per kegiatan", "Performance by activity", m.activities),
        ("series", "Rencana vs realisasi per triwulan", "Plan vs realisation by quarter", m.series),
        ("action_items", "Tindak lanjut rapat", "Action items", m.action_items),
        ("warnings", "Peringatan", "Warnings", m.warnings_table),
    ]
    note_id = (
        "Indeks capaian fisik = rata-rata capaian fisik (maks. 100%) tertimbang pagu tahunan; "
        "persentase agregat = rasio jumlah."
    )
    note_en = (
        "Physical index = mean of physical progress (capped at 100%) weighted by annual "
        "planned cost; aggregate percentages are ratios of sums."
    )
    out: dict[str, Table] = {}
    for name, tid, ten, df in spec:
        cols = {c: COLUMNS.get(c, Column(c, c)) for c in df.columns}
        out[name] = Table(
            name=name,
            title_id=f"{tid} ({q})",
            title_en=f"{ten} ({qe})",
            df=df,
            columns=cols,
            provenance=dict(m.provenance),
            note_id=note_id if name.startswith("by_") else "",
            note_en=note_en if name.startswith("by_") else "",
        )
    return out
