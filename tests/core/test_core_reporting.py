"""Reporting state of quarterly realisation (core/reporting.py, METHOD.md §10.11)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from sanitasi.core.reporting import (
    STATES,
    completeness,
    latest_closed_quarter,
    next_report,
    quarter_status,
    report_deadline,
)

EXPECTED = pd.DataFrame({"code": ["A-1", "A-2", "B-1"], "agency": ["DLH", "DLH", "PUPR"]})
ROWS = pd.DataFrame(
    {
        "code": ["A-1", "A-1", "A-1", "A-2", "B-1"],
        "quarter": [1, 2, 3, 1, 1],
        "state": ["verified", "submitted", "draft", "draft", "verified"],
        "returned": [False, False, False, True, False],
    }
)


def test_latest_closed_quarter() -> None:
    assert latest_closed_quarter(dt.date(2027, 3, 31)) == (2026, 4)
    assert latest_closed_quarter(dt.date(2027, 4, 1)) == (2027, 1)
    assert latest_closed_quarter(dt.date(2026, 12, 31)) == (2026, 3)


def test_report_deadline() -> None:
    assert report_deadline(2026, 3, 14) == dt.date(2026, 10, 14)
    assert report_deadline(2026, 4, 0) == dt.date(2026, 12, 31)


def test_quarter_status_by_hand() -> None:
    # as of 2026-10-20: Q1-Q3 closed; Q3's deadline (30 Sep + 14 = 14 Oct) has passed
    s = quarter_status(EXPECTED, ROWS, 2026, dt.date(2026, 10, 20), 14, lock_days=100)
    a1 = s[s["code"] == "A-1"].set_index("quarter")
    assert list(a1["state"]) == ["verified", "submitted", "draft", "missing"]
    assert list(a1["closed"]) == [True, True, True, False]
    assert list(a1["started"]) == [True, True, True, True]
    assert list(a1["due"]) == [False, False, True, False]  # the Q3 draft is owed
    assert list(a1["overdue"]) == [False, False, True, False]
    # locked: last day + 100 days < 20 Oct 2026 for Q1 (31 Mar + 100 = 9 Jul) and Q2
    # (30 Jun + 100 = 8 Oct), not Q3 (30 Sep + 100 = 8 Jan 2027)
    assert list(a1["locked"]) == [True, True, False, False]
    a2 = s[s["code"] == "A-2"].set_index("quarter")
    assert list(a2["state"]) == ["returned", "missing", "missing", "missing"]
    assert list(a2["overdue"]) == [True, True, True, False]
    assert a1.loc[3, "deadline"] == dt.date(2026, 10, 14)


def test_quarter_status_due_but_not_yet_overdue_and_no_lock() -> None:
    s = quarter_status(EXPECTED, ROWS, 2026, dt.date(2026, 10, 10), 14)
    a1 = s[s["code"] == "A-1"].set_index("quarter")
    assert bool(a1.loc[3, "due"]) and not bool(a1.loc[3, "overdue"])
    assert not s["locked"].any()


def test_next_report_skips_locked_and_unstarted() -> None:
    s = quarter_status(EXPECTED, ROWS, 2026, dt.date(2026, 10, 20), 14, lock_days=100)
    nxt = dict(zip(next_report(s)["code"], next_report(s)["quarter"], strict=True))
    assert nxt == {"A-1": 4, "A-2": 3, "B-1": 3}  # Q2 is locked
    early = quarter_status(EXPECTED, ROWS, 2026, dt.date(2026, 2, 1), 14)
    assert set(next_report(early)["code"]) == set()  # every Q1 has a row, Q2 not started


def test_completeness_grid() -> None:
    s = quarter_status(EXPECTED, ROWS, 2026, dt.date(2026, 10, 20), 14)
    g = completeness(s).set_index(["agency", "quarter"])
    assert g.loc[("DLH", 1), "state"] == "returned"  # A-1 verified, A-2 returned
    assert g.loc[("DLH", 1), "verified"] == 1 and g.loc[("DLH", 1), "returned"] == 1
    assert g.loc[("DLH", 2), "state"] == "missing" and g.loc[("DLH", 2), "overdue"] == 1
    assert g.loc[("PUPR", 1), "state"] == "verified" and g.loc[("PUPR", 1), "n"] == 1
    assert len(g) == 8


@given(
    states=st.lists(st.sampled_from(["draft", "submitted", "verified"]), min_size=4, max_size=4),
    day=st.dates(min_value=dt.date(2025, 6, 1), max_value=dt.date(2027, 6, 1)),
    due=st.integers(0, 60),
)
def test_sent_is_never_due_and_overdue_implies_due(
    states: list[str], day: dt.date, due: int
) -> None:
    rows = pd.DataFrame(
        {"code": "A-1", "quarter": [1, 2, 3, 4], "state": states, "returned": False}
    )
    s = quarter_status(EXPECTED.iloc[:1], rows, 2026, day, due)
    sent = s["state"].isin(["submitted", "verified"])
    assert not (s["due"] & sent).any()
    assert not (s["overdue"] & ~s["due"]).any()
    assert (s["due"] <= s["closed"]).all()
    g = completeness(s)
    assert set(g["state"]) <= set(STATES)
    assert (g[list(STATES)].sum(axis=1) == g["n"]).all()
