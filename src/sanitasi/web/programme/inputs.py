"""ProgrammeInputs of a city, rebuilt from the database.

:func:`programme_inputs_for` returns the same :class:`~sanitasi.core.programme.ProgrammeInputs`
that ``sanitasi.io.programme.load_programme`` reads from the city folder the database was
loaded from (realisation as stored now: every state; the core counts verified, or submitted
too when asked). ``None`` when the city has no programme matrix.

Only **adopted** activities are in the plan: a proposal of an agency (``proposed``) or a
rejected one is left out with its supporting agencies, planned years and realisation until
Bappeda adopts it.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from sanitasi.core.programme import ProgrammeInputs
from sanitasi.io import programme_tables as pt
from sanitasi.web.frames import DATE, FLOAT, INT, OBJECT, TEXT, frame
from sanitasi.web.monitoring.models import ActionItem, Meeting, MeetingParticipant, Realisation
from sanitasi.web.plans.inputs import active_plan
from sanitasi.web.programme.models import (
    ADOPTED,
    Activity,
    ActivitySupport,
    Agency,
    PlannedYear,
)

AGENCIES = dict.fromkeys(pt.AGENCY_COLUMNS, TEXT)
ACTIVITIES = {
    **dict.fromkeys(pt.ACTIVITY_COLUMNS, TEXT),
    "support_agencies": OBJECT,
    "adopted_on": DATE,
    **dict.fromkeys(pt.DOCUMENT_COLUMNS, TEXT),
}
PLANNED = {
    "city_kode": TEXT,
    "code": TEXT,
    "year": INT,
    "planned_output": FLOAT,
    "planned_cost_idr": FLOAT,
}
REALISATION = {
    "city_kode": TEXT,
    "activity_code": TEXT,
    "year": INT,
    "quarter": INT,
    "output_achieved": FLOAT,
    "cost_spent_idr": FLOAT,
    "progress_pct": FLOAT,
    "state": TEXT,
    "note": TEXT,
    "status": TEXT,
}
MEETINGS = {
    **dict.fromkeys(pt.MEETING_COLUMNS, TEXT),
    "date": DATE,
    "participants": OBJECT,
}
ACTIONS = {**dict.fromkeys(pt.ACTION_COLUMNS, TEXT), "due_date": DATE}


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    """An empty table as the readers give it when the optional file is absent."""
    cols = {c: pd.Series(dtype=str) for c in columns}
    for c in ("date", "due_date"):
        if c in cols:
            cols[c] = pd.Series(dtype="datetime64[ns]")
    if "participants" in cols:
        cols["participants"] = pd.Series(dtype=object)
    return pd.DataFrame(cols)


def _empty_realisation() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=str) for c in pt.REALISATION_COLUMNS})
    for col in ("year", "quarter"):
        df[col] = df[col].astype("int64")
    for col in ("output_achieved", "cost_spent_idr", "progress_pct"):
        df[col] = df[col].astype(float)
    return df


def _ordered(rows: list[tuple[int, str]]) -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = defaultdict(list)
    for owner, code in rows:
        out[owner].append(code)
    return {k: tuple(v) for k, v in out.items()}


def programme_inputs_for(city_kode: str) -> ProgrammeInputs | None:
    """The programme side of the city from the database, or ``None`` without a matrix."""
    plan = active_plan(city_kode)
    sources = plan.sources.get("programme") if isinstance(plan.sources, dict) else None
    if sources is None:
        return None
    agencies = frame(
        Agency.objects.filter(city_kode=city_kode).order_by("id").values_list(*pt.AGENCY_COLUMNS),
        AGENCIES,
    )
    support = _ordered(
        list(
            ActivitySupport.objects.filter(city_kode=city_kode, activity__state=ADOPTED)
            .order_by("activity_id", "position", "id")
            .values_list("activity_id", "agency__code")
        )
    )
    fields = [
        "location__kode"
        if c == "location_kode"
        else "lead_agency__code"
        if c == "lead_agency"
        else c
        for c in (*pt.ACTIVITY_COLUMNS, *pt.DOCUMENT_COLUMNS)
        if c != "support_agencies"
    ]
    activity_rows = []
    for pk, *values in (
        Activity.objects.filter(city_kode=city_kode, state=ADOPTED)
        .order_by("id")
        .values_list("id", *fields)
    ):
        row = dict(
            zip(
                [
                    c
                    for c in (*pt.ACTIVITY_COLUMNS, *pt.DOCUMENT_COLUMNS)
                    if c != "support_agencies"
                ],
                values,
                strict=True,
            )
        )
        row["support_agencies"] = support.get(pk, ())
        activity_rows.append(tuple(row[c] for c in (*pt.ACTIVITY_COLUMNS, *pt.DOCUMENT_COLUMNS)))
    activities = frame(activity_rows, ACTIVITIES)
    planned = frame(
        PlannedYear.objects.filter(city_kode=city_kode, activity__state=ADOPTED)
        .order_by("id")
        .values_list("city_kode", "activity__code", "year", "planned_output", "planned_cost_idr"),
        PLANNED,
    )
    real_rows = list(
        Realisation.objects.filter(city_kode=city_kode, activity__state=ADOPTED)
        .order_by("id")
        .values_list(
            "city_kode",
            "activity__code",
            "year",
            "quarter",
            "output_achieved",
            "cost_spent_idr",
            "progress_pct",
            "state",
            "note",
            "status",
        )
    )
    realisation = frame(real_rows, REALISATION) if real_rows else _empty_realisation()
    return ProgrammeInputs(
        agencies=agencies,
        activities=activities,
        planned=planned,
        realisation=realisation,
        meetings=_meetings(city_kode),
        action_items=_actions(city_kode),
        sources={str(k): str(v) for k, v in sources.items()},
    )


def _meetings(city_kode: str) -> pd.DataFrame:
    rows = list(
        Meeting.objects.filter(city_kode=city_kode)
        .order_by("id")
        .values_list(
            "id",
            "city_kode",
            "code",
            "date",
            "kind",
            "title",
            "milestone",
            "summary",
            "decisions",
            "status",
        )
    )
    if not rows:
        return _empty(pt.MEETING_COLUMNS)
    people = _ordered(
        list(
            MeetingParticipant.objects.filter(city_kode=city_kode)
            .order_by("meeting_id", "position", "id")
            .values_list("meeting_id", "agency__code")
        )
    )
    out = []
    for pk, city, code, date, kind, title, milestone, summary, decisions, status in rows:
        row = {
            "city_kode": city,
            "id": code,
            "date": date,
            "kind": kind,
            "title": title,
            "milestone": milestone,
            "participants": people.get(pk, ()),
            "summary": summary,
            "decisions": decisions,
            "status": status,
        }
        out.append(tuple(row[c] for c in pt.MEETING_COLUMNS))
    return frame(out, {c: MEETINGS[c] for c in pt.MEETING_COLUMNS})


def _actions(city_kode: str) -> pd.DataFrame:
    rows = list(
        ActionItem.objects.filter(city_kode=city_kode)
        .order_by("id")
        .values_list(
            "city_kode",
            "meeting__code",
            "action",
            "owner_agency__code",
            "due_date",
            "state",
            "status",
        )
    )
    if not rows:
        return _empty(pt.ACTION_COLUMNS)
    return frame(rows, {c: ACTIONS[c] for c in pt.ACTION_COLUMNS})


__all__ = ["programme_inputs_for"]
