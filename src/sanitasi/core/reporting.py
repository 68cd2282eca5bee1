"""Reporting status of quarterly realisation (docs/METHOD.md §10.11): which quarter is the
latest closed one, which reports are due, overdue, returned or locked, and the
completeness grid agency × quarter.

Pure: tables in, tables out, vectorised with pandas merges and group-bys (no loop over
activities). The CLI's ``agency-brief`` and the web's "Tugas saya" and completeness grid call
these functions.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sanitasi.core.monitoring import quarter_end, quarter_of, quarter_start

QUARTERS: tuple[int, ...] = (1, 2, 3, 4)

#: Reporting states of one activity × quarter, from the least to the most advanced. A
#: ``returned`` row is a draft Bappeda sent back with a comment.
MISSING = "missing"
RETURNED = "returned"
DRAFT = "draft"
SUBMITTED = "submitted"
VERIFIED = "verified"
STATES: tuple[str, ...] = (MISSING, RETURNED, DRAFT, SUBMITTED, VERIFIED)
#: States that count as reported to Bappeda (not overdue).
SENT: frozenset[str] = frozenset({SUBMITTED, VERIFIED})

#: Columns of :func:`quarter_status`.
STATUS_COLUMNS: tuple[str, ...] = (
    "code",
    "agency",
    "quarter",
    "state",
    "started",
    "closed",
    "deadline",
    "due",
    "overdue",
    "locked",
)


def row_states(realisation: pd.DataFrame) -> pd.Series:
    """The workflow state of each realisation row (a missing column or blank cell =
    ``verified``, as in :func:`sanitasi.core.monitoring.counted_realisation`)."""
    if "state" not in realisation.columns:
        return pd.Series(VERIFIED, index=realisation.index)
    s = realisation["state"].astype("string").fillna("").str.strip()
    return s.mask(s == "", VERIFIED).astype(str)


def latest_closed_quarter(day: dt.date) -> tuple[int, int]:
    """The latest quarter that has ended before ``day`` (the quarter before the one that
    contains ``day``): 2027-03-31 -> (2026, 4); 2027-04-01 -> (2027, 1)."""
    q = quarter_of(day)
    return (day.year - 1, 4) if q == 1 else (day.year, q - 1)


def report_deadline(year: int, quarter: int, due_days: float) -> dt.date:
    """The last day to send the report of ``year`` Q``quarter``: its last day + ``due_days``
    days (parameter ``report_due_days``)."""
    return quarter_end(year, quarter) + dt.timedelta(days=int(due_days))


def quarter_status(
    expected: pd.DataFrame,
    rows: pd.DataFrame,
    year: int,
    as_of: dt.date,
    due_days: float,
    lock_days: float | None = None,
) -> pd.DataFrame:
    """The reporting state of every expected activity × quarter of ``year`` as of ``as_of``.

    ``expected``: ``code, agency`` (the activities that report in ``year`` and the agency
    that reports them). ``rows``: the stored realisation ``code, quarter, state, returned``
    (``state`` draft/submitted/verified; ``returned``: a draft with Bappeda's comment) of
    ``year``. Per activity × quarter (1–4): ``state`` (one of :data:`STATES`), ``started``
    (first day <= ``as_of``), ``closed`` (last day < ``as_of``), ``deadline`` (last day +
    ``due_days``), ``due`` (closed and not yet sent: the agency owes the report), ``overdue``
    (due and ``as_of`` > deadline), ``locked`` (``lock_days`` set and ``as_of`` > last day +
    ``lock_days``: no new row nor change for that quarter).
    """
    quarters = pd.DataFrame({"quarter": QUARTERS})
    starts = np.array([np.datetime64(quarter_start(year, q), "D") for q in QUARTERS])
    ends = np.array([np.datetime64(quarter_end(year, q), "D") for q in QUARTERS])
    today = np.datetime64(as_of, "D")
    quarters["started"] = starts <= today
    quarters["closed"] = ends < today
    deadlines = ends + np.timedelta64(int(due_days), "D")
    quarters["deadline"] = [pd.Timestamp(d).date() for d in deadlines]  # four dates
    if lock_days is None:
        quarters["locked"] = np.zeros(len(QUARTERS), dtype=bool)
    else:
        quarters["locked"] = np.asarray(
            (ends + np.timedelta64(int(lock_days), "D")) < today, dtype=bool
        )
    overdue_q = np.asarray(deadlines < today, dtype=bool)

    exp = expected[["code", "agency"]].astype(str).drop_duplicates("code")
    grid = exp.merge(quarters, how="cross")
    r = rows[["code", "quarter", "state", "returned"]].copy()
    r["code"] = r["code"].astype(str)
    r["quarter"] = r["quarter"].astype(int)
    r["state"] = np.where(
        (r["state"].astype(str) == DRAFT) & r["returned"].astype(bool), RETURNED, r["state"]
    )
    grid = grid.merge(r[["code", "quarter", "state"]], on=["code", "quarter"], how="left")
    grid["state"] = grid["state"].fillna(MISSING).astype(str)
    sent = grid["state"].isin(SENT).to_numpy()
    grid["due"] = grid["closed"].to_numpy() & ~sent
    grid["overdue"] = grid["due"].to_numpy() & overdue_q[grid["quarter"].to_numpy() - 1]
    return grid[list(STATUS_COLUMNS)].sort_values(["code", "quarter"]).reset_index(drop=True)


def next_report(status: pd.DataFrame) -> pd.DataFrame:
    """Per activity, the first quarter that has started and has no row yet (``code,
    quarter``): what the "report" button opens pre-filled. Locked quarters are skipped."""
    s = status[status["started"] & (status["state"] == MISSING) & ~status["locked"]]
    return pd.DataFrame(s.groupby("code", as_index=False)["quarter"].min())


def completeness(status: pd.DataFrame) -> pd.DataFrame:
    """The completeness grid: per agency × quarter the number of activities in each state
    (columns of :data:`STATES`), ``n`` activities, ``overdue`` count, and ``state`` = the
    least advanced state among them (missing < returned < draft < submitted < verified)."""
    counts = (
        pd.crosstab([status["agency"], status["quarter"]], status["state"])
        .reindex(columns=list(STATES), fill_value=0)
        .reset_index()
    )
    counts.columns.name = None
    agg = status.groupby(["agency", "quarter"], as_index=False).agg(
        n=("code", "size"), overdue=("overdue", "sum"), locked=("locked", "first")
    )
    out = agg.merge(counts, on=["agency", "quarter"], how="left")
    rank = np.array([out[s].to_numpy() > 0 for s in STATES])  # states × rows
    out["state"] = np.array(STATES)[rank.argmax(axis=0)]
    return out.sort_values(["agency", "quarter"]).reset_index(drop=True)


__all__ = [
    "MISSING",
    "RETURNED",
    "SENT",
    "STATES",
    "completeness",
    "latest_closed_quarter",
    "next_report",
    "quarter_status",
    "report_deadline",
    "row_states",
]
