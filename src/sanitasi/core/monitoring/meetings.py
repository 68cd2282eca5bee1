"""Action items and meetings of the Pokja (``docs/METHOD.md`` §10)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sanitasi.core.programme import ProgrammeInputs

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
