"""Test helpers of the programme/monitoring core: ProgrammeInputs from the demo CSV files and
from small hand-written tables.

``sanitasi.io.programme.load_programme`` is the real loader; until every test can rely on it,
:func:`demo_programme` reads the embedded Kota Solok files directly (no validation) into the
``ProgrammeInputs`` contract of ``sanitasi.core.programme``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

import pandas as pd

from sanitasi.core.model import ParameterSet
from sanitasi.core.programme import ProgrammeInputs

SOLOK = "13.72"
M = 1_000_000.0  # Rp 1 million


def _csv(name: str) -> pd.DataFrame:
    path = resources.files("sanitasi") / "data" / "kota_solok" / f"{name}.csv"
    with path.open("r", encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in str(text).split(";") if t.strip())


def demo_programme(city_kode: str = SOLOK) -> ProgrammeInputs:
    """The demo programme, realisation, meetings and action items as ProgrammeInputs."""
    ag = _csv("agencies")
    agencies = pd.DataFrame(
        {
            "city_kode": city_kode,
            "code": ag["code"],
            "name_id": ag["name_id"],
            "name_en": ag["name_en"],
            "kind": ag["kind"],
            "kode": ag["kode"],
            "status": ag["status"],
        }
    )
    pr = _csv("programme")
    activities = pd.DataFrame(
        {
            "city_kode": city_kode,
            "code": pr["code"],
            "sector": pr["sector"],
            "urgent_problem": pr["kkl_issue"],
            "strategic_issue": pr["kkl_issue"],
            "objective": pr["objective"],
            "sasaran": pr["sasaran"],
            "strategy": pr["strategy"],
            "programme": pr["programme"],
            "activity": pr["activity"],
            "output_unit": pr["output_unit"],
            "lead_agency": pr["lead_agency"],
            "support_agencies": pr["support_agencies"].map(_codes),
            "location_kode": pr["location_kode"],
            "funding_source": pr["funding_source"],
            "plan_profile": pr["plan_profile"],
            "effect": pr["effect"],
            "status": pr["status"],
            "adopted_on": pd.to_datetime(
                pr["adopted_on"] if "adopted_on" in pr else pd.Series("", index=pr.index),
                format="%Y-%m-%d",
                errors="coerce",
            ),
        }
    )
    rows = []
    for _, r in pr.iterrows():
        for y in range(2025, 2030):
            rows.append(
                (
                    city_kode,
                    r["code"],
                    y,
                    float(r[f"planned_output_{y}"]),
                    float(r[f"planned_cost_{y}"]),
                )
            )
    planned = pd.DataFrame(
        rows, columns=["city_kode", "code", "year", "planned_output", "planned_cost_idr"]
    )
    re_ = _csv("realisation")
    realisation = pd.DataFrame(
        {
            "city_kode": city_kode,
            "activity_code": re_["activity_code"],
            "year": re_["year"].astype(int),
            "quarter": re_["quarter"].astype(int),
            "output_achieved": re_["output_achieved"].astype(float),
            "cost_spent_idr": re_["cost_spent_idr"].astype(float),
            "state": re_["state"],
            "note": re_["status_note"],
            "status": re_["status"],
            "progress_pct": pd.to_numeric(re_["progress_pct"], errors="coerce").astype(float),
        }
    )
    mt = _csv("meetings")
    meetings = pd.DataFrame(
        {
            "city_kode": city_kode,
            "id": mt["id"],
            "date": pd.to_datetime(mt["date"]),
            "kind": mt["kind"],
            "title": mt["title"],
            "milestone": mt["milestone"],
            "participants": mt["participants"].map(_codes),
            "summary": mt["summary"],
            "decisions": mt["decisions"],
            "status": mt["status"],
        }
    )
    ai = _csv("action_items")
    action_items = pd.DataFrame(
        {
            "city_kode": city_kode,
            "meeting_id": ai["meeting_id"],
            "action": ai["action"],
            "owner_agency": ai["owner_agency"],
            "due_date": pd.to_datetime(ai["due_date"]),
            "state": ai["status"],
            "status": ai["data_status"],
        }
    )
    return ProgrammeInputs(agencies, activities, planned, realisation, meetings, action_items)


# --------------------------------------------------------------------------- small programmes

AGENCY_COLUMNS = ["city_kode", "code", "name_id", "name_en", "kind", "kode", "status"]


def agencies_frame(rows: Iterable[tuple[str, str, str]], city_kode: str = SOLOK) -> pd.DataFrame:
    """(code, kind, kode) rows -> agencies table (names = code)."""
    return pd.DataFrame(
        [(city_kode, c, c, c, k, kd, "illustrative") for c, k, kd in rows],
        columns=AGENCY_COLUMNS,
    )


def activity_row(
    code: str,
    *,
    lead: str,
    support: Sequence[str] = (),
    location: str = SOLOK,
    source: str = "APBD_KOTA",
    profile: str = "linear",
    sector: str = "ald",
    unit: str = "septic tank",
    effect: str = "none",
    city_kode: str = SOLOK,
) -> dict[str, Any]:
    return {
        "city_kode": city_kode,
        "code": code,
        "sector": sector,
        "urgent_problem": "p",
        "strategic_issue": "p",
        "objective": "o",
        "sasaran": "pct_aman",
        "strategy": "s",
        "programme": "pg",
        "activity": f"activity {code}",
        "output_unit": unit,
        "lead_agency": lead,
        "support_agencies": tuple(support),
        "location_kode": location,
        "funding_source": source,
        "plan_profile": profile,
        "effect": effect,
        "status": "illustrative",
    }


def programme(
    activities: Sequence[dict[str, Any]],
    planned: Sequence[tuple[str, int, float, float]],
    realisation: Sequence[tuple[str, int, int, float, float, str]] = (),
    agencies: pd.DataFrame | None = None,
    meetings: Sequence[tuple[str, str, str, Sequence[str]]] = (),
    action_items: Sequence[tuple[str, str, str, str, str]] = (),
    city_kode: str = SOLOK,
) -> ProgrammeInputs:
    """A ProgrammeInputs from compact rows.

    planned: (code, year, output, cost); realisation: (code, year, quarter, output, cost,
    state); meetings: (id, date, kind, participants); action_items: (meeting_id, action,
    owner, due_date, state).
    """
    if agencies is None:
        agencies = agencies_frame(
            [
                ("BAPPEDA", "government", city_kode),
                ("PERKIM", "government", city_kode),
                ("DLH", "government", city_kode),
                ("KEC_A", "government", f"{city_kode}.01"),
                ("KEC_B", "government", f"{city_kode}.02"),
                ("KSM", "community", ""),
            ],
            city_kode,
        )
    acts = pd.DataFrame(list(activities))
    pl = pd.DataFrame(
        [(city_kode, c, y, float(o), float(k)) for c, y, o, k in planned],
        columns=["city_kode", "code", "year", "planned_output", "planned_cost_idr"],
    )
    re_ = pd.DataFrame(
        [
            (city_kode, c, y, q, float(o), float(k), s, "", "illustrative")
            for c, y, q, o, k, s in realisation
        ],
        columns=[
            "city_kode",
            "activity_code",
            "year",
            "quarter",
            "output_achieved",
            "cost_spent_idr",
            "state",
            "note",
            "status",
        ],
    )
    re_ = re_.astype({"year": int, "quarter": int})
    mt = pd.DataFrame(
        [
            (city_kode, i, pd.Timestamp(d), k, f"meeting {i}", "", tuple(p), "", "", "illustrative")
            for i, d, k, p in meetings
        ],
        columns=[
            "city_kode",
            "id",
            "date",
            "kind",
            "title",
            "milestone",
            "participants",
            "summary",
            "decisions",
            "status",
        ],
    )
    mt["date"] = pd.to_datetime(mt["date"])
    ai = pd.DataFrame(
        [
            (city_kode, m, a, o, pd.Timestamp(d), s, "illustrative")
            for m, a, o, d, s in action_items
        ],
        columns=[
            "city_kode",
            "meeting_id",
            "action",
            "owner_agency",
            "due_date",
            "state",
            "status",
        ],
    )
    ai["due_date"] = pd.to_datetime(ai["due_date"])
    return ProgrammeInputs(agencies, acts, pl, re_, mt, ai)


def small() -> ProgrammeInputs:
    """The small hand-computed programme of the monitoring and roles tests (city 13.72, 2026):

    * A1: APBD_KOTA, ``apbd`` profile, PERKIM (support DLH, KEC_A), kelurahan 13.72.01.1001,
      100 septic tanks for Rp 600 m a year 2025-2027. Realisation: 2025 Q4 90 / 540 m
      verified (+ 5 / 30 m submitted); 2026 Q1 10 / 60 m, Q2 20 / 130 m verified, Q3 12 / 90 m
      submitted.
    * A2: DAK, ``linear``, DLH (support KSM), city-level, persampahan, 40 households enrolled
      for Rp 40 m in 2026 and 2027. 2026 Q1 10 / 10 m verified; no Q2 row; a Q3 draft 5 / 5 m.
    * A3: APBD_PROV, ``linear``, DLH (support BAPPEDA), kecamatan 13.72.02, nothing planned
      in 2026 (10 for Rp 60 m in 2027). 2026 Q1 2 / 12 m verified (carry-over), Q2 0 / 0.

    Meetings MTG-1 (2026-01-20: BAPPEDA, PERKIM, DLH) and MTG-2 (2026-07-10: BAPPEDA, DLH,
    KEC_A); actions: PERKIM due 06-15 open, DLH due 06-30 open, BAPPEDA due 01-31 done, DLH
    (MTG-2) due 08-01 open.
    """
    return programme(
        activities=[
            activity_row(
                "A1",
                lead="PERKIM",
                support=("DLH", "KEC_A"),
                location="13.72.01.1001",
                source="APBD_KOTA",
                profile="apbd",
                unit="septic tank",
            ),
            activity_row(
                "A2",
                lead="DLH",
                support=("KSM",),
                location="13.72",
                source="DAK",
                profile="linear",
                sector="persampahan",
                unit="household enrolled",
            ),
            activity_row(
                "A3",
                lead="DLH",
                support=("BAPPEDA",),
                location="13.72.02",
                source="APBD_PROV",
                profile="linear",
                unit="septic tank",
            ),
        ],
        planned=[
            ("A1", 2025, 100, 600 * M),
            ("A1", 2026, 100, 600 * M),
            ("A1", 2027, 100, 600 * M),
            ("A2", 2026, 40, 40 * M),
            ("A2", 2027, 40, 40 * M),
            ("A3", 2026, 0, 0),
            ("A3", 2027, 10, 60 * M),
        ],
        realisation=[
            ("A1", 2025, 4, 90, 540 * M, "verified"),
            ("A1", 2025, 4, 5, 30 * M, "submitted"),
            ("A1", 2026, 1, 10, 60 * M, "verified"),
            ("A1", 2026, 2, 20, 130 * M, "verified"),
            ("A1", 2026, 3, 12, 90 * M, "submitted"),
            ("A2", 2026, 1, 10, 10 * M, "verified"),
            ("A2", 2026, 3, 5, 5 * M, "draft"),
            ("A3", 2026, 1, 2, 12 * M, "verified"),
            ("A3", 2026, 2, 0, 0, "verified"),
        ],
        meetings=[
            ("MTG-1", "2026-01-20", "pokja_meeting", ("BAPPEDA", "PERKIM", "DLH")),
            ("MTG-2", "2026-07-10", "coaching_clinic", ("BAPPEDA", "DLH", "KEC_A")),
        ],
        action_items=[
            ("MTG-1", "Survey the kelurahan", "PERKIM", "2026-06-15", "open"),
            ("MTG-1", "Sign the DAK contract", "DLH", "2026-06-30", "open"),
            ("MTG-1", "Draft the SK", "BAPPEDA", "2026-01-31", "done"),
            ("MTG-2", "Report the land", "DLH", "2026-08-01", "open"),
        ],
    )


def monitoring_params() -> ParameterSet:
    """The reference parameters (the monitoring ones: profiles, bands, tolerance)."""
    from sanitasi.io.reference import load_parameters

    return load_parameters()
