"""Pokja roles: who does what in the SSK programme (issue 3, "Roles").

Pure pandas over :class:`~sanitasi.core.programme.ProgrammeInputs` (inputs never mutated).

**RACI** per activity (one cell per agency x activity, letters joined by ``/`` in the order
R, A, C, I):

* **R** (responsible): the activity's lead agency;
* **A** (accountable): the Pokja coordinator, who verifies the realisation: the agency coded
  ``BAPPEDA`` (or, failing that, the first agency whose code starts with ``BAPP`` or whose
  Indonesian name contains "Perencanaan" - Bappeda, Bappelitbangda, Bapperida); where a city
  has no coordinator agency, the lead agency is also A;
* **C** (consulted): the supporting agencies (dropped for the lead itself);
* **I** (informed): the kecamatan agencies (``kode`` at kecamatan level) whose kecamatan
  contains the activity's location - the kecamatan of a kelurahan, the kecamatan itself -
  or every kecamatan agency of the city for city-level activities; only given to agencies
  that hold no other letter on the activity.

Agencies without a ``city_kode`` column are taken to belong to every city of the activities.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sanitasi.core.model import ParameterSet
from sanitasi.core.monitoring import (
    ACTIVITY_KEYS,
    INVESTMENT_COLUMNS,
    Monitoring,
    action_items_status,
    activity_shares,
    counted_realisation,
    format_idr,
    format_number,
    kecamatan_of,
    latest_progress,
    meeting_table,
    physical_realised,
    reported_quarter,
    segments,
)
from sanitasi.core.programme import COMPLETION_PROFILE, ProgrammeInputs
from sanitasi.core.reads import computation
from sanitasi.core.reporting import next_report, quarter_status, row_states

ROLE_ORDER: tuple[str, ...] = ("R", "A", "C", "I")
COORDINATOR_CODE = "BAPPEDA"


def city_agencies(prog: ProgrammeInputs) -> pd.DataFrame:
    """Agencies keyed by city: ``city_kode, code, name_id, name_en, kind, kode`` (str,
    ``""`` when unknown), in the input order."""
    ag = prog.agencies
    base = pd.DataFrame(
        {
            "code": ag["code"].astype(str),
            "name_id": ag["name_id"].astype(str) if "name_id" in ag else ag["code"].astype(str),
            "name_en": ag["name_en"].astype(str) if "name_en" in ag else ag["code"].astype(str),
            "kind": ag["kind"].astype(str) if "kind" in ag else "",
            "kode": ag["kode"].fillna("").astype(str) if "kode" in ag else "",
        }
    )
    base["_order"] = np.arange(len(base))
    if "city_kode" in ag.columns:
        base.insert(0, "city_kode", ag["city_kode"].astype(str).to_numpy())
    else:
        cities = pd.DataFrame({"city_kode": pd.unique(prog.activities["city_kode"].astype(str))})
        base = cities.merge(base, how="cross")
    return (
        base.sort_values(["city_kode", "_order"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def coordinators(prog: ProgrammeInputs) -> pd.DataFrame:
    """``city_kode, coordinator`` (the Bappeda of each city that has one)."""
    ag = city_agencies(prog)
    code = ag["code"].str.upper()
    rank = np.select(
        [
            code == COORDINATOR_CODE,
            code.str.startswith("BAPP"),
            ag["name_id"].str.contains("Perencanaan", case=False),
        ],
        [0, 1, 2],
        default=9,
    )
    c = ag.assign(_rank=rank)
    c = c[c["_rank"] < 9].sort_values(["city_kode", "_rank"], kind="stable")
    return c.drop_duplicates("city_kode")[["city_kode", "code"]].rename(
        columns={"code": "coordinator"}
    )


def raci_long(prog: ProgrammeInputs) -> pd.DataFrame:
    """One row per (city, agency, activity, role letter): ``city_kode, agency, code, role``."""
    a = prog.activities
    acts = pd.DataFrame(
        {
            "city_kode": a["city_kode"].astype(str),
            "code": a["code"].astype(str),
            "lead_agency": a["lead_agency"].astype(str),
            "support": a["support_agencies"].map(
                lambda s: (
                    tuple(s)
                    if isinstance(s, list | tuple)
                    else tuple(str(s).split(";"))
                    if s
                    else ()
                )
            ),
            "location_kode": a["location_kode"].astype(str).str.strip(),
        }
    )
    r = acts[["city_kode", "code"]].assign(agency=acts["lead_agency"], role="R")
    coord = acts.merge(coordinators(prog), on="city_kode", how="left")
    a_role = coord[["city_kode", "code"]].assign(
        agency=coord["coordinator"].fillna(coord["lead_agency"]).to_numpy(), role="A"
    )
    ex = acts[["city_kode", "code", "lead_agency", "support"]].explode("support")
    ex = ex[ex["support"].notna() & (ex["support"].astype(str).str.strip() != "")]
    ex = ex[ex["support"].astype(str) != ex["lead_agency"]]
    c = ex[["city_kode", "code"]].assign(
        agency=ex["support"].astype(str).str.strip().to_numpy(), role="C"
    )
    ag = city_agencies(prog)
    kec = ag[(segments(ag["kode"]) == 3) & (ag["kode"] != "")][["city_kode", "code", "kode"]]
    kec = kec.rename(columns={"code": "agency", "kode": "kec_kode"})
    pairs = acts[["city_kode", "code", "location_kode"]].merge(kec, on="city_kode", how="inner")
    loc = pairs["location_kode"]
    inside = kecamatan_of(loc) == pairs["kec_kode"]
    city_level = segments(loc) <= 2
    in_city = pairs["kec_kode"].str.extract(r"^([^.]*\.[^.]*)", expand=False) == loc
    i = pairs[(inside | (city_level & in_city)).to_numpy()][["city_kode", "code", "agency"]].assign(
        role="I"
    )
    out = pd.concat([r, a_role, c, i], ignore_index=True).drop_duplicates()
    other = out[out["role"] != "I"][["city_kode", "code", "agency"]].drop_duplicates()
    m = out.merge(other.assign(_other=True), on=["city_kode", "code", "agency"], how="left")
    out = m[~((m["role"] == "I") & (m["_other"].eq(True)))].drop(columns="_other")
    out["_r"] = out["role"].map({k: n for n, k in enumerate(ROLE_ORDER)})
    return (
        out.sort_values(["city_kode", "code", "agency", "_r"], kind="stable")
        .drop(columns="_r")
        .reset_index(drop=True)
    )


def _agency_rows(prog: ProgrammeInputs, long: pd.DataFrame) -> pd.DataFrame:
    """The agencies table (``city_kode, agency, name_id, name_en, kind, kode``) in input
    order, plus agencies named in the programme but missing from it (appended, named by
    their code)."""
    ag = city_agencies(prog).rename(columns={"code": "agency"})
    extra = (
        long[["city_kode", "agency"]]
        .drop_duplicates()
        .merge(ag[["city_kode", "agency"]], on=["city_kode", "agency"], how="left", indicator=True)
    )
    extra = extra[extra["_merge"] == "left_only"][["city_kode", "agency"]]
    extra = extra.assign(name_id=extra["agency"], name_en=extra["agency"], kind="", kode="")
    return pd.concat([ag, extra], ignore_index=True)


def raci(prog: ProgrammeInputs, long: pd.DataFrame | None = None) -> pd.DataFrame:
    """RACI matrix: one row per agency of each city (input order; agencies named in the
    programme but missing from the agencies table are appended), columns ``city_kode,
    agency, name_id, name_en`` then one column per activity code (in code order) holding
    the letters (e.g. ``R``, ``A/C``, ``I``; ``""`` for no role). ``long``: the
    :func:`raci_long` of ``prog`` when the caller has it (not recomputed)."""
    long = raci_long(prog) if long is None else long
    cell = (
        long.groupby(["city_kode", "agency", "code"], sort=False)["role"]
        .agg("/".join)
        .reset_index()
    )
    wide = cell.pivot(index=["city_kode", "agency"], columns="code", values="role")
    codes = sorted(prog.activities["code"].astype(str).unique())
    wide = wide.reindex(columns=codes).fillna("")
    rows = _agency_rows(prog, long)[["city_kode", "agency", "name_id", "name_en"]]
    out = rows.merge(wide.reset_index(), on=["city_kode", "agency"], how="left")
    out[codes] = out[codes].fillna("")
    out.columns.name = None
    return out.reset_index(drop=True)


# ----------------------------------------------------------------------------- agency plan


def agency_plan(prog: ProgrammeInputs, long: pd.DataFrame | None = None) -> pd.DataFrame:
    """What each agency leads (``R``) and supports (``C``) per year: ``city_kode, agency,
    role, code, activity, sector, output_unit, funding_source, year, planned_output,
    planned_cost_idr``. ``long``: the :func:`raci_long` of ``prog`` when the caller has it."""
    long = raci_long(prog) if long is None else long
    long = long[long["role"].isin(("R", "C"))]
    a = prog.activities
    meta = pd.DataFrame(
        {
            "city_kode": a["city_kode"].astype(str),
            "code": a["code"].astype(str),
            "activity": a["activity"].astype(str),
            "sector": a["sector"].astype(str),
            "output_unit": a["output_unit"].astype(str),
            "funding_source": a["funding_source"].astype(str),
        }
    )
    p = prog.planned
    plan = pd.DataFrame(
        {
            "city_kode": p["city_kode"].astype(str),
            "code": p["code"].astype(str),
            "year": p["year"].astype(int),
            "planned_output": p["planned_output"].astype(float),
            "planned_cost_idr": p["planned_cost_idr"].astype(float),
        }
    )
    out = long.merge(meta, on=ACTIVITY_KEYS, how="left").merge(plan, on=ACTIVITY_KEYS, how="inner")
    cols = [
        "city_kode",
        "agency",
        "role",
        "code",
        "activity",
        "sector",
        "output_unit",
        "funding_source",
        "year",
        "planned_output",
        "planned_cost_idr",
    ]
    return (
        out[cols]
        .sort_values(["city_kode", "agency", "role", "code", "year"], kind="stable")
        .reset_index(drop=True)
    )


AGENCY_SUMMARY_COLUMNS: list[str] = [
    "city_kode",
    "agency",
    "name_id",
    "name_en",
    "kind",
    "year",
    "n_led",
    "n_supported",
    "n_informed",
    "led",
    "supported",
    "planned_outputs",
    "planned_cost_led_idr",
    "planned_cost_supported_idr",
    "period_cost_led_idr",
    "planned_cost_to_date_idr",
    "spent_to_date_idr",
    "financial_pct",
    "absorption_pct",
    "investment_idr",
    *INVESTMENT_COLUMNS,
    "physical_index_pct",
    "band",
    "n_behind",
    "n_overspend",
    "n_open_actions",
]


def _fmt_out(x: float) -> str:
    return f"{x:g}"


def agency_summary(
    prog: ProgrammeInputs,
    year: int,
    monitoring: Monitoring | None = None,
    long: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per agency of each city: activities led (R) and supported (C), the kecamatan roles
    (I), planned outputs (text ``CODE output unit``, led activities with output in ``year``)
    and budget of ``year`` (led and supported), the led budget over all planned years, and
    realisation to date.

    Realisation to date: with ``monitoring`` (of the same ``year``), the lead-agency roll-up
    of it (plan and spent to date, financial %, absorption of APBD Kab/Kota and DAK money,
    investment in total and per source, physical index, band, behind/overspend counts);
    without it, ``spent_to_date_idr`` is the verified
    spending of the year's reported quarters and the percentages are NaN. ``n_open_actions``
    counts the agency's open action items (all dates). Columns:
    :data:`AGENCY_SUMMARY_COLUMNS`. ``long``: the :func:`raci_long` of ``prog`` when the
    caller has it (computed once, not per table).
    """
    if monitoring is not None and monitoring.year != year:
        raise ValueError(f"monitoring is of {monitoring.year}, not {year}")
    long = raci_long(prog) if long is None else long
    ag = _agency_rows(prog, long)
    counts = (
        long.assign(one=1)
        .pivot_table(
            index=["city_kode", "agency"], columns="role", values="one", aggfunc="sum", fill_value=0
        )
        .reindex(columns=list(ROLE_ORDER), fill_value=0)
        .reset_index()
    )
    lists = (
        long[long["role"].isin(("R", "C"))]
        .groupby(["city_kode", "agency", "role"])["code"]
        .agg(lambda s: tuple(sorted(s)))  # type: ignore[type-var]
        .unstack("role")
        .reindex(columns=["R", "C"])
        .reset_index()
    )
    plan = agency_plan(prog, long)
    py = plan[plan["year"] == year]
    money = py.pivot_table(
        index=["city_kode", "agency"],
        columns="role",
        values="planned_cost_idr",
        aggfunc="sum",
        fill_value=0.0,
    ).reindex(columns=["R", "C"], fill_value=0.0)
    money.columns = pd.Index(["planned_cost_led_idr", "planned_cost_supported_idr"])
    led_y = py[(py["role"] == "R") & (py["planned_output"] > 0)]
    text = (
        led_y.assign(
            t=led_y["code"]
            + " "
            + led_y["planned_output"].map(_fmt_out).astype(str)
            + " "
            + led_y["output_unit"]
        )
        .groupby(["city_kode", "agency"])["t"]
        .agg("; ".join)
        .rename("planned_outputs")
    )
    period = plan[plan["role"] == "R"].groupby(["city_kode", "agency"])["planned_cost_idr"].sum()
    ai = prog.action_items
    open_ = ai[ai["state"].astype(str).str.lower() == "open"]
    n_open = (
        open_.assign(
            city_kode=open_["city_kode"].astype(str), agency=open_["owner_agency"].astype(str)
        )
        .groupby(["city_kode", "agency"])
        .size()
        .rename("n_open_actions")
    )
    out = ag.merge(counts, on=["city_kode", "agency"], how="left")
    out = out.merge(lists, on=["city_kode", "agency"], how="left", suffixes=("", "_list"))
    for k in ("name_id", "name_en"):
        out[k] = out[k].fillna(out["agency"])
    out["kind"] = out["kind"].fillna("")
    out["year"] = year
    out["n_led"] = out["R"].fillna(0).astype(int)
    out["n_supported"] = out["C"].fillna(0).astype(int)
    out["n_informed"] = out["I"].fillna(0).astype(int)
    out["led"] = out["R_list"].map(lambda t: t if isinstance(t, tuple) else ())
    out["supported"] = out["C_list"].map(lambda t: t if isinstance(t, tuple) else ())
    keys = ["city_kode", "agency"]
    out = out.merge(money.reset_index(), on=keys, how="left")
    out = out.merge(text.reset_index(), on=keys, how="left")
    out = out.merge(period.rename("period_cost_led_idr").reset_index(), on=keys, how="left")
    out = out.merge(n_open.reset_index(), on=keys, how="left")
    for c in ("planned_cost_led_idr", "planned_cost_supported_idr", "period_cost_led_idr"):
        out[c] = out[c].fillna(0.0)
    out["planned_outputs"] = out["planned_outputs"].fillna("")
    out["n_open_actions"] = out["n_open_actions"].fillna(0).astype(int)
    if monitoring is not None:
        ba = monitoring.by_agency.rename(columns={"lead_agency": "agency"})
        cols = [
            "planned_cost_to_date_idr",
            "spent_to_date_idr",
            "financial_pct",
            "absorption_pct",
            "investment_idr",
            *INVESTMENT_COLUMNS,
            "physical_index_pct",
            "band",
            "n_behind",
            "n_overspend",
        ]
        out = out.merge(ba[keys + cols], on=keys, how="left")
        for c in ("planned_cost_to_date_idr", "spent_to_date_idr", "investment_idr"):
            out[c] = out[c].fillna(0.0)
        for c in INVESTMENT_COLUMNS:
            out[c] = out[c].fillna(0.0)
        for c in ("n_behind", "n_overspend"):
            out[c] = out[c].fillna(0).astype(int)
        out["band"] = out["band"].fillna("")
    else:
        r = counted_realisation(prog)
        r = r[r["year"] == year].merge(
            prog.activities[["city_kode", "code", "lead_agency"]].astype(str),
            on=ACTIVITY_KEYS,
            how="inner",
        )
        spent = r.groupby(["city_kode", "lead_agency"])["cost_spent_idr"].sum()
        spent.index = spent.index.set_names(keys)
        out = out.merge(spent.rename("spent_to_date_idr").reset_index(), on=keys, how="left")
        out["spent_to_date_idr"] = out["spent_to_date_idr"].fillna(0.0)
        for c in (
            "planned_cost_to_date_idr",
            "financial_pct",
            "absorption_pct",
            "investment_idr",
            *INVESTMENT_COLUMNS,
            "physical_index_pct",
        ):
            out[c] = np.nan
        out["band"] = ""
        out["n_behind"] = 0
        out["n_overspend"] = 0
    return out[AGENCY_SUMMARY_COLUMNS].reset_index(drop=True)


# ----------------------------------------------------------------------------- one-pager


@dataclass(frozen=True)
class AgencyBrief:
    """What one agency owes in one year, as of a date (the one-page brief).

    ``led``: the activities it leads with this year's plan (``code, activity, sector,
    location_kode, funding_source, plan_profile, output_unit, planned_output,
    planned_cost_idr``, cumulative quarterly targets ``target_q1..target_q4`` (output) and
    ``cost_target_q1..cost_target_q4``, rebased from the adoption quarter for an activity
    adopted in ``year``, ``judged_from_quarter``, then ``reported_quarter``,
    ``output_to_date``, ``progress_pct`` (latest reported progres fisik of a completion
    activity, NaN otherwise), ``physical_to_date``, ``spent_to_date_idr`` and
    ``physical_pct`` = physical realised / the target of the reported quarter, as in
    :mod:`sanitasi.core.monitoring`).
    ``supported``: the activities it supports (``code, activity, lead_agency, output_unit,
    planned_output, planned_cost_idr``). ``action_items``: its open action items raised by
    ``as_of`` (due date, overdue flag, days overdue). ``meetings``: the meetings of the year
    it takes part in, with ``held`` (on or before ``as_of``). ``totals``: headline numbers.
    ``quarters``: the reporting state of each led activity × quarter of the year
    (:func:`sanitasi.core.reporting.quarter_status`: missing/returned/draft/submitted/verified,
    due, overdue, locked); ``next_reports``: per led activity the first started quarter with
    no report yet (``code, quarter``).
    """

    city_kode: str
    agency: str
    name_id: str
    name_en: str
    year: int
    as_of: dt.date
    include_submitted: bool
    led: pd.DataFrame
    supported: pd.DataFrame
    action_items: pd.DataFrame
    meetings: pd.DataFrame
    totals: dict[str, float] = field(default_factory=dict)
    quarters: pd.DataFrame = field(default_factory=pd.DataFrame)
    next_reports: pd.DataFrame = field(default_factory=pd.DataFrame)

    def lines(self, lang: str = "id") -> list[str]:
        """A plain-text one-pager: headline lines, then one line per led activity and per
        open action item (numbers formatted for ``lang``)."""
        t = self.totals
        en = lang == "en"
        name = self.name_en if en else self.name_id

        def rp(x: float) -> str:
            return format_idr(x, lang)

        def n(x: float) -> str:
            return format_number(x, lang)

        if en:
            out = [
                f"{name} ({self.agency}), {self.year}, as of {self.as_of.isoformat()}",
                f"Leads {n(t['n_led'])} activities, budget {rp(t['planned_cost_idr'])}; "
                f"spent to date {rp(t['spent_to_date_idr'])}.",
                f"Supports {n(t['n_supported'])} activities.",
                f"Open action items: {n(t['n_open_actions'])} ({n(t['n_overdue'])} overdue); "
                f"meetings this year: {n(t['n_meetings'])} ({n(t['n_upcoming'])} upcoming).",
            ]
        else:
            out = [
                f"{name} ({self.agency}), {self.year}, per {self.as_of.isoformat()}",
                f"Memimpin {n(t['n_led'])} kegiatan, anggaran {rp(t['planned_cost_idr'])}; "
                f"realisasi belanja {rp(t['spent_to_date_idr'])}.",
                f"Mendukung {n(t['n_supported'])} kegiatan.",
                f"Tindak lanjut terbuka: {n(t['n_open_actions'])} ({n(t['n_overdue'])} lewat "
                f"tenggat); rapat tahun ini: {n(t['n_meetings'])} ({n(t['n_upcoming'])} akan datang).",
            ]
        done = "done" if en else "capaian"
        led = self.led
        for code, po, unit, pc, od in zip(
            led["code"],
            led["planned_output"].astype(float),
            led["output_unit"],
            led["planned_cost_idr"].astype(float),
            led["output_to_date"].astype(float),
            strict=True,
        ):
            out.append(f"  {code}: {n(po)} {unit}, {rp(pc)}; {done} {n(od)}")
        ai = self.action_items
        for mid, action, due, late in zip(
            ai["meeting_id"],
            ai["action"],
            pd.to_datetime(ai["due_date"]).dt.strftime("%Y-%m-%d"),
            ai["overdue"],
            strict=True,
        ):
            flag = (" (overdue)" if en else " (lewat tenggat)") if late else ""
            out.append(f"  [{mid}] {action}: {due}{flag}")
        return out


def agency_owes(
    prog: ProgrammeInputs,
    agency: str,
    year: int,
    as_of: dt.date,
    params: ParameterSet,
    *,
    city_kode: str | None = None,
    include_submitted: bool = False,
    returned: frozenset[tuple[str, int, int]] = frozenset(),
    lock_days: float | None = None,
) -> AgencyBrief:
    """The one-page "what my agency owes this year" (see :class:`AgencyBrief`).

    ``params`` gives the quarterly plan profiles. Realisation counts the quarters of
    ``year`` reported by ``as_of`` (:func:`~sanitasi.core.monitoring.reported_quarter`),
    ``verified`` only unless ``include_submitted``. ``city_kode`` is needed only when the
    inputs hold several cities. Raises ``ValueError`` for an unknown agency or city.
    Reporting state of the quarters (``quarters``, METHOD.md §10.11): every stored row of the
    year counts whatever its state; ``returned`` names the draft rows ``(code, year,
    quarter)`` Bappeda sent back (the web's; a city folder has none); a report is overdue
    ``report_due_days`` (parameter) after its quarter ends; ``lock_days`` (the web's
    ``SANITASI_QUARTER_LOCK_DAYS``; ``None`` = never) locks a quarter that many days after it
    ends.
    """
    cities = sorted(set(prog.activities["city_kode"].astype(str)))
    if city_kode is None:
        if len(cities) != 1:
            raise ValueError(f"several cities {cities}: name the city_kode")
        city_kode = cities[0]
    ag = city_agencies(prog)
    ag = ag[(ag["city_kode"] == city_kode) & (ag["code"] == agency)]
    long = raci_long(prog)
    long = long[(long["city_kode"] == city_kode) & (long["agency"] == agency)]
    if ag.empty and long.empty:
        raise ValueError(f"unknown agency {agency!r} in city {city_kode}")
    name_id = str(ag["name_id"].iloc[0]) if len(ag) else agency
    name_en = str(ag["name_en"].iloc[0]) if len(ag) else agency
    rq = reported_quarter(year, as_of)

    a = prog.activities.assign(
        city_kode=prog.activities["city_kode"].astype(str), code=prog.activities["code"].astype(str)
    )
    a = a[a["city_kode"] == city_kode]
    p = prog.planned
    p = p[(p["city_kode"].astype(str) == city_kode) & (p["year"].astype(int) == year)]
    p = (
        p.assign(code=p["code"].astype(str))
        .groupby("code")[["planned_output", "planned_cost_idr"]]
        .sum()
    )

    led = a[a["lead_agency"].astype(str) == agency][
        [
            "code",
            "activity",
            "sector",
            "location_kode",
            "funding_source",
            "plan_profile",
            "output_unit",
        ]
    ].merge(p.reset_index(), on="code", how="left")
    led[["planned_output", "planned_cost_idr"]] = led[
        ["planned_output", "planned_cost_idr"]
    ].fillna(0.0)
    shares = activity_shares(prog, params, year)
    shares = shares[shares["city_kode"] == city_kode]
    wide = shares.pivot(index="code", columns="quarter", values="share")
    led["judged_from_quarter"] = (
        led["code"].map(shares.drop_duplicates("code").set_index("code")["judged_from_quarter"])
    ).astype(int)
    for q in (1, 2, 3, 4):
        s = led["code"].map(wide[q]).astype(float)
        led[f"target_q{q}"] = led["planned_output"] * s
        led[f"cost_target_q{q}"] = led["planned_cost_idr"] * s
    s_now = led["code"].map(wide[rq]).astype(float)
    r = counted_realisation(prog, include_submitted)
    r = r[(r["city_kode"] == city_kode) & (r["year"] == year) & (r["quarter"] <= rq)]
    done = r.groupby("code")[["output_achieved", "cost_spent_idr"]].sum()
    led = led.merge(done.reset_index(), on="code", how="left")
    led = led.merge(latest_progress(r).drop(columns="city_kode"), on="code", how="left")
    led["reported_quarter"] = rq
    led["output_to_date"] = led.pop("output_achieved").fillna(0.0)
    led["spent_to_date_idr"] = led.pop("cost_spent_idr").fillna(0.0)
    completion = (led["plan_profile"] == COMPLETION_PROFILE).to_numpy()
    led["progress_pct"] = np.where(completion, led["progress_pct"].to_numpy(dtype=float), np.nan)
    led["physical_to_date"] = physical_realised(
        led["output_to_date"], led["progress_pct"], led["planned_output"]
    )
    target_now = (led["planned_output"] * s_now).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        led["physical_pct"] = np.where(
            target_now > 0,
            led["physical_to_date"].to_numpy() / np.where(target_now > 0, target_now, 1) * 100,
            np.nan,
        )
    led = led[
        (led["planned_output"] > 0) | (led["planned_cost_idr"] > 0) | (led["output_to_date"] > 0)
    ]
    led = led.sort_values("code").reset_index(drop=True)

    sup_codes = set(long.loc[long["role"] == "C", "code"])
    sup = a[a["code"].isin(sup_codes)][["code", "activity", "lead_agency", "output_unit"]].merge(
        p.reset_index(), on="code", how="left"
    )
    sup[["planned_output", "planned_cost_idr"]] = sup[
        ["planned_output", "planned_cost_idr"]
    ].fillna(0.0)
    sup = (
        sup[(sup["planned_output"] > 0) | (sup["planned_cost_idr"] > 0)]
        .sort_values("code")
        .reset_index(drop=True)
    )

    ai = action_items_status(prog, as_of)
    ai = ai[
        (ai["city_kode"] == city_kode)
        & (ai["owner_agency"] == agency)
        & (ai["state"] == "open")
        & ai["raised"]
    ].reset_index(drop=True)

    mt = meeting_table(prog, as_of)
    mine = mt["participants"].map(lambda t: agency in t)
    mt = mt[(mt["city_kode"] == city_kode) & mine & (mt["date"].dt.year == year)]
    mt = mt[["id", "date", "kind", "title", "milestone", "held", "n_actions"]].reset_index(
        drop=True
    )

    allrows = prog.realisation
    allrows = allrows[
        (allrows["city_kode"].astype(str) == city_kode) & (allrows["year"].astype(int) == year)
    ]
    codes = allrows["activity_code"].astype(str).to_numpy()
    quarters = allrows["quarter"].astype(int).to_numpy()
    keys = zip(codes, [year] * len(codes), quarters.tolist(), strict=True)
    with computation("monitoring.reporting"):
        due_days = params.num("report_due_days")
    status = quarter_status(
        pd.DataFrame({"code": led["code"], "agency": agency}),
        pd.DataFrame(
            {
                "code": codes,
                "quarter": quarters,
                "state": row_states(allrows).to_numpy(),
                "returned": np.array([k in returned for k in keys], dtype=bool),
            }
        ),
        year,
        as_of,
        due_days,
        lock_days,
    )
    totals = {
        "n_led": float(len(led)),
        "n_supported": float(len(sup)),
        "planned_cost_idr": float(led["planned_cost_idr"].sum()),
        "spent_to_date_idr": float(led["spent_to_date_idr"].sum()),
        "n_open_actions": float(len(ai)),
        "n_overdue": float(ai["overdue"].sum()),
        "n_meetings": float(len(mt)),
        "n_upcoming": float((~mt["held"]).sum()),
        "n_reports_due": float(status["due"].sum()),
        "n_reports_overdue": float(status["overdue"].sum()),
        "n_reports_returned": float((status["state"] == "returned").sum()),
    }
    return AgencyBrief(
        city_kode=city_kode,
        agency=agency,
        name_id=name_id,
        name_en=name_en,
        year=year,
        as_of=as_of,
        include_submitted=include_submitted,
        led=led,
        supported=sup,
        action_items=ai,
        meetings=mt,
        totals=totals,
        quarters=status,
        next_reports=next_report(status),
    )
