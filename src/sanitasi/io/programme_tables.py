"""Per-file parsing and checks of the programme side of a city folder: agencies, programme
matrix, realisation, meetings and action items (``docs/city-data.md`` section 8).

Each ``parse_*`` function takes a text table as read by :func:`sanitasi.io.tables.read_table`
(all cells text, the line of each record in ``LINE``) and returns the typed rows that passed
every check of that file plus the problems found. A table may carry a ``FILE`` column (one
source name per row): rows merged from an uploaded workbook then report their workbook, sheet
and Excel row, rows kept from the CSV file their file and line. Checks are vectorised; only
the effect grammar is parsed row by row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sanitasi.core.model import FUNDING_SOURCES, INDICATORS, STATUSES
from sanitasi.core.monitoring import quarter_not_started, quarter_start
from sanitasi.core.programme import (
    ACTION_STATES,
    COMPLETION_PROFILE,
    MEETING_KINDS,
    MILESTONES,
    PLAN_PROFILES,
    REALISATION_STATES,
    SECTORS,
    EffectError,
    parse_effects,
)
from sanitasi.io.city_tables import Parsed, kabkota_of
from sanitasi.io.errors import Problem, problem
from sanitasi.io.tables import FILE, LINE, YEAR_MAX, YEAR_MIN, Checker, duplicate_problems

AGENCIES = "agencies.csv"
PROGRAMME = "programme.csv"
REALISATION = "realisation.csv"
MEETINGS = "meetings.csv"
ACTION_ITEMS = "action_items.csv"

AGENCY_KINDS: tuple[str, ...] = ("government", "partner", "private", "community")
QUARTERS: tuple[int, ...] = (1, 2, 3, 4)
#: ``planned_output_YYYY`` / ``planned_cost_YYYY`` columns of programme.csv.
PLANNED_COLUMN = re.compile(r"^planned_(output|cost)_(\d+)$")
ISO_DATE = r"\d{4}-\d{2}-\d{2}"
#: Capacity kinds of the wastewater sector; the other kinds are solid waste.
ALD_CAPACITY: tuple[str, ...] = ("iplt_m3_per_day", "truk_tinja")

ACTIVITY_COLUMNS: tuple[str, ...] = (
    "city_kode",
    "code",
    "sector",
    "urgent_problem",
    "strategic_issue",
    "objective",
    "sasaran",
    "strategy",
    "programme",
    "activity",
    "output_unit",
    "lead_agency",
    "support_agencies",
    "location_kode",
    "funding_source",
    "plan_profile",
    "effect",
    "status",
    "adopted_on",
)
#: Optional columns of programme.csv used by the SSK document (``sanitasi document``): the
#: regional planning nomenclature code (``sub_kegiatan``, a kegiatan or sub-kegiatan code of
#: ``reference/nomenclature.csv``, checked by :mod:`sanitasi.io.document`) and the readiness
#: of the activity (land, detailed design, environmental document, operator). Blank or
#: absent = not given (``""``).
DOCUMENT_COLUMNS: tuple[str, ...] = (
    "sub_kegiatan",
    "ready_land",
    "ready_ded",
    "ready_env_doc",
    "ready_operator",
    "readiness_note",
)
#: Readiness columns and their allowed values (blank = not given).
READINESS_COLUMNS: tuple[str, ...] = ("ready_land", "ready_ded", "ready_env_doc", "ready_operator")
READINESS_STATES: tuple[str, ...] = ("yes", "no", "in_progress")
PLANNED_COLUMNS: tuple[str, ...] = (
    "city_kode",
    "code",
    "year",
    "planned_output",
    "planned_cost_idr",
)
REALISATION_COLUMNS: tuple[str, ...] = (
    "city_kode",
    "activity_code",
    "year",
    "quarter",
    "output_achieved",
    "cost_spent_idr",
    "progress_pct",
    "state",
    "note",
    "status",
)
AGENCY_COLUMNS: tuple[str, ...] = (
    "city_kode",
    "code",
    "name_id",
    "name_en",
    "kind",
    "kode",
    "role_summary",
    "status",
)
MEETING_COLUMNS: tuple[str, ...] = (
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
)
ACTION_COLUMNS: tuple[str, ...] = (
    "city_kode",
    "meeting_id",
    "action",
    "owner_agency",
    "due_date",
    "state",
    "status",
)


@dataclass(frozen=True)
class Places:
    """Where programme rows may point: the city and the region codes known for it.

    ``known`` are the codes of regions.csv and their ancestors (``None`` when regions.csv could
    not be read: only the official-code check runs then).
    """

    city: str | None
    known: frozenset[str] | None
    wil: pd.DataFrame


@dataclass
class ProgrammeParsed(Parsed):
    """Good activity rows, their long planned table, the planned years and every code given
    with its plan profile (also those of bad rows, so that realisation rows are not reported
    twice)."""

    planned: pd.DataFrame = field(default_factory=pd.DataFrame)
    years: tuple[int, ...] = ()
    codes: frozenset[str] = frozenset()
    #: activity code -> plan profile, for every code given (the last row of a repeated code)
    profiles: dict[str, str] = field(default_factory=dict)


def file_of(df: pd.DataFrame, name: str) -> str | pd.Series:
    """The source of each row: the ``FILE`` column when present, else ``name``."""
    return df[FILE] if FILE in df.columns else name


def header_file(df: pd.DataFrame, name: str) -> str:
    """The source named by header (whole-column) problems."""
    if FILE in df.columns and len(df):
        return str(df[FILE].iloc[0])
    return name


# --------------------------------------------------------------------------- shared checks


def agency_lookup(codes: Iterable[str]) -> dict[str, str]:
    """Upper-cased agency code -> the code as written in agencies.csv."""
    return {str(c).upper(): str(c) for c in codes if str(c)}


def _choices(agencies: Mapping[str, str]) -> str:
    return ", ".join(agencies.values()) or "none"


def agency(chk: Checker, column: str, agencies: Mapping[str, str]) -> pd.Series:
    """One required agency code per row (case-insensitive), as written in agencies.csv."""
    raw = chk.text(column)
    known = raw.str.upper().isin(list(agencies))
    chk.flag(raw.ne("") & ~known, "SAN-E040", column, choices=_choices(agencies))
    return _canonical(raw, agencies)


def _canonical(codes: pd.Series, agencies: Mapping[str, str]) -> pd.Series:
    """Each code as written in agencies.csv (unknown codes unchanged)."""
    return pd.Series([agencies.get(c.upper(), c) for c in codes], index=codes.index, dtype=str)


def agency_list(chk: Checker, column: str, agencies: Mapping[str, str]) -> pd.Series:
    """A ``;``-separated list of agency codes per row, as tuples; ``SAN-E040`` per unknown code."""
    raw = chk.raw(column)
    parts = raw.str.split(";").explode().str.strip()
    parts = parts[parts.notna() & parts.ne("")]
    unknown = ~parts.str.upper().isin(list(agencies))
    if unknown.any():
        rows = chk.df.loc[parts.index[unknown.to_numpy()]]
        frame = pd.DataFrame(
            {LINE: rows[LINE].to_numpy(), "value": parts[unknown].to_numpy()},
        )
        files = chk.file
        if isinstance(files, pd.Series):
            files = pd.Series(files.loc[rows.index].to_numpy())
        sub = Checker(frame, files)
        sub.flag(
            pd.Series(True, index=frame.index),
            "SAN-E040",
            column,
            frame["value"],
            choices=_choices(agencies),
        )
        chk.problems += sub.problems
        chk.bad |= chk.df.index.isin(rows.index)
    named: dict[object, dict[str, None]] = {i: {} for i in chk.df.index}
    for i, v in zip(parts.index, _canonical(parts, agencies), strict=True):
        named[i][str(v)] = None
    return pd.Series([tuple(named[i]) for i in chk.df.index], index=chk.df.index, dtype=object)


def location(chk: Checker, column: str, codes: pd.Series, places: Places) -> None:
    """A region code that must be the city, one of its kecamatan or kelurahan/desa.

    ``SAN-E004`` not an official code, ``SAN-E006`` outside the city, ``SAN-E005`` inside the
    city but not in regions.csv (nor an ancestor of a listed region).
    """
    given = codes.ne("")
    found = places.wil.index.get_indexer(pd.Index(codes.astype(object))) >= 0
    official = pd.Series(found, index=codes.index)
    chk.flag(given & ~official, "SAN-E004", column)
    if places.city is None:
        return
    inside = codes.eq(places.city) | kabkota_of(codes).eq(places.city)
    chk.flag(given & official & ~inside, "SAN-E006", column, city=places.city)
    if places.known is not None:
        chk.flag(given & official & inside & ~codes.isin(places.known), "SAN-E005", column)


def iso_date(chk: Checker, column: str, *, required: bool = True) -> pd.Series:
    """Dates written ``YYYY-MM-DD`` as ``datetime64`` (``SAN-E043`` otherwise)."""
    raw = chk.text(column, required=required)
    iso = raw.str.fullmatch(ISO_DATE).fillna(False).astype(bool)
    parsed = pd.to_datetime(raw.where(iso), format="%Y-%m-%d", errors="coerce")
    chk.flag(raw.ne("") & parsed.isna(), "SAN-E043", column)
    return parsed


def upper_choice(chk: Checker, column: str, choices: Sequence[str]) -> pd.Series:
    """Upper-cased value of a required code column that must be one of ``choices``."""
    raw = chk.text(column)
    val = raw.str.upper()
    chk.flag(raw.ne("") & ~val.isin(list(choices)), "SAN-E024", column, choices=", ".join(choices))
    return val


# --------------------------------------------------------------------------- agencies


def parse_agencies(df: pd.DataFrame, places: Places) -> Parsed:
    """Check ``agencies.csv``: unique code, name, kind, and ``kode`` inside the city (or its
    province, for provincial agencies) when given."""
    file = file_of(df, AGENCIES)
    chk = Checker(df, file)
    code = chk.text("code")
    kode = chk.text("kode", required=False)
    province = places.city.split(".")[0] if places.city else ""
    location(chk, "kode", kode.mask(kode.eq(province), ""), places)
    kind = chk.raw("kind").str.lower()
    chk.flag(
        kind.ne("") & ~kind.isin(list(AGENCY_KINDS)),
        "SAN-E024",
        "kind",
        choices=", ".join(AGENCY_KINDS),
    )
    typed = pd.DataFrame(
        {
            "code": code,
            "name_id": chk.text("name_id"),
            "name_en": chk.text("name_en", required=False),
            "kind": kind,
            "kode": kode,
            "role_summary": chk.text("role_summary", required=False),
            "status": chk.choice("status", STATUSES, default="unverified"),
            LINE: df[LINE],
        }
    )
    if FILE in df.columns:
        typed[FILE] = df[FILE]
    keyed = typed[code.ne("")].assign(_key=code[code.ne("")].str.upper())
    chk.problems += duplicate_problems(keyed, ["_key"], "code", AGENCIES)
    chk.bad |= typed.index.isin(keyed.index[keyed.duplicated("_key")])
    return Parsed(typed[~chk.bad].drop(columns=[FILE], errors="ignore").copy(), chk.problems)


# --------------------------------------------------------------------------- programme


def planned_years(columns: Iterable[str], file: str) -> tuple[tuple[int, ...], list[Problem]]:
    """Years of the ``planned_output_YYYY`` / ``planned_cost_YYYY`` column pairs.

    ``SAN-E002`` for a year with only one of the two columns (or none at all), ``SAN-E014`` for
    a year outside 1900-2100.
    """
    found: dict[str, set[int]] = {"output": set(), "cost": set()}
    names: dict[int, str] = {}
    for col in columns:
        m = PLANNED_COLUMN.match(str(col))
        if m:
            found[m.group(1)].add(int(m.group(2)))
            names.setdefault(int(m.group(2)), str(col))
    listed = ", ".join(str(c) for c in columns if c not in (LINE, FILE))
    problems: list[Problem] = []
    if not found["output"] and not found["cost"]:
        return (), [problem("SAN-E002", file, 1, "planned_output_YYYY", None, found=listed)]
    for kind, other in (("output", "cost"), ("cost", "output")):
        for year in sorted(found[other] - found[kind]):
            problems.append(problem("SAN-E002", file, 1, f"planned_{kind}_{year}", found=listed))
    both = found["output"] & found["cost"]
    bad = {y for y in found["output"] | found["cost"] if not YEAR_MIN <= y <= YEAR_MAX}
    for year in sorted(bad):
        col = names[year]
        problems.append(problem("SAN-E014", file, 1, col, year, what=f"the year of column {col}"))
    return tuple(sorted(both - bad)), problems


def parse_programme(
    df: pd.DataFrame, places: Places, agencies: Mapping[str, str]
) -> ProgrammeParsed:
    """Check ``programme.csv`` (one row per activity, planned outputs and costs in wide
    ``planned_output_YYYY`` / ``planned_cost_YYYY`` columns; blank = 0)."""
    file = file_of(df, PROGRAMME)
    chk = Checker(df, file)
    years, problems = planned_years(df.columns, header_file(df, PROGRAMME))
    chk.problems += problems
    code = chk.text("code")
    sector = chk.choice("sector", SECTORS)
    kkl = chk.text("kkl_issue", required=False)
    lead = agency(chk, "lead_agency", agencies)
    support = agency_list(chk, "support_agencies", agencies)
    loc = chk.text("location_kode")
    location(chk, "location_kode", loc, places)
    sasaran = chk.text("sasaran").str.lower()
    chk.flag(
        sasaran.ne("") & ~sasaran.isin(list(INDICATORS)),
        "SAN-E024",
        "sasaran",
        choices=", ".join(INDICATORS),
    )
    effect = chk.text("effect")
    _check_effects(chk, effect, sector)
    typed = pd.DataFrame(
        {
            "city_kode": places.city or "",
            "code": code,
            "sector": sector,
            "urgent_problem": chk.raw("urgent_problem") if chk.has("urgent_problem") else kkl,
            "strategic_issue": chk.raw("strategic_issue") if chk.has("strategic_issue") else kkl,
            "objective": chk.text("objective", required=False),
            "sasaran": sasaran,
            "strategy": chk.text("strategy", required=False),
            "programme": chk.text("programme", required=False),
            "activity": chk.text("activity"),
            "output_unit": chk.text("output_unit"),
            "lead_agency": lead,
            "support_agencies": support,
            "location_kode": loc,
            "funding_source": upper_choice(chk, "funding_source", FUNDING_SOURCES),
            "plan_profile": chk.choice("plan_profile", PLAN_PROFILES, default="linear"),
            "effect": effect,
            "status": chk.choice("status", STATUSES, default="unverified"),
            "adopted_on": iso_date(chk, "adopted_on", required=False),
            **_document_columns(chk),
        },
        index=df.index,
    )
    _sasaran_sector(chk, typed)
    both = [lead_ in sup for lead_, sup in zip(lead, support, strict=True)]
    chk.flag(pd.Series(both, index=df.index), "SAN-W140", "support_agencies", lead, mark_bad=False)
    planned = _planned(chk, code, years)
    keyed = df.assign(code=code)[code.ne("")]
    chk.problems += duplicate_problems(keyed, ["code"], "code", PROGRAMME)
    chk.bad |= df.index.isin(keyed.index[keyed.duplicated("code")])
    good = typed[~chk.bad]
    planned = planned[planned["_row"].isin(good.index)].drop(columns="_row")
    given = code.ne("")
    return ProgrammeParsed(
        good.reset_index(drop=True),
        chk.problems,
        planned=planned.reset_index(drop=True),
        years=years,
        codes=frozenset(code[given]),
        profiles=dict(zip(code[given], typed.loc[given, "plan_profile"], strict=True)),
    )


def _document_columns(chk: Checker) -> dict[str, pd.Series]:
    """The optional document columns (:data:`DOCUMENT_COLUMNS`): the nomenclature code as
    written, each readiness column ``yes``/``no``/``in_progress`` or blank (``SAN-E024``)."""
    out: dict[str, pd.Series] = {"sub_kegiatan": chk.text("sub_kegiatan", required=False)}
    for col in READINESS_COLUMNS:
        raw = chk.raw(col).str.lower().str.replace(" ", "_").str.replace("-", "_")
        chk.flag(
            raw.ne("") & ~raw.isin(list(READINESS_STATES)),
            "SAN-E024",
            col,
            choices=", ".join(READINESS_STATES),
        )
        out[col] = raw.where(raw.isin(list(READINESS_STATES)), "")
    out["readiness_note"] = chk.text("readiness_note", required=False)
    return out


def _planned(chk: Checker, code: pd.Series, years: Sequence[int]) -> pd.DataFrame:
    """Long ``code, year, planned_output, planned_cost_idr`` (row order, then year)."""
    frames = []
    for year in years:
        frames.append(
            pd.DataFrame(
                {
                    "_row": chk.df.index,
                    "code": code,
                    "year": year,
                    "planned_output": chk.number(f"planned_output_{year}", required=False),
                    "planned_cost_idr": chk.number(f"planned_cost_{year}", required=False),
                }
            )
        )
    if not frames:
        return pd.DataFrame(
            {
                "_row": pd.Series(dtype="int64"),
                "code": pd.Series(dtype=str),
                "year": pd.Series(dtype="int64"),
                "planned_output": pd.Series(dtype=float),
                "planned_cost_idr": pd.Series(dtype=float),
            }
        )
    out = pd.concat(frames).sort_values(["_row", "year"], kind="stable")
    out["year"] = out["year"].astype("int64")
    for col in ("planned_output", "planned_cost_idr"):
        out[col] = out[col].fillna(0.0).astype(float)
    return out


def effect_sector(kind: str, target: str) -> str:
    """Sector of an effect term: households and septage capacity are ALD, the rest solid waste."""
    if kind == "hh" or (kind == "cap" and target in ALD_CAPACITY):
        return "ald"
    return "persampahan"


def _check_effects(chk: Checker, effect: pd.Series, sector: pd.Series) -> None:
    """``SAN-E041`` malformed effects; ``SAN-W141`` a term of the other sector."""
    reasons: list[str] = []
    other: list[tuple[str, str]] = []
    for text, sec in zip(effect, sector, strict=True):
        try:
            terms = parse_effects(text)
        except EffectError as exc:
            reasons.append(str(exc))
            other.append(("", ""))
            continue
        reasons.append("")
        wrong = [(str(t), effect_sector(t.kind, t.target)) for t in terms]
        wrong = [w for w in wrong if sec in SECTORS and w[1] != sec]
        other.append(wrong[0] if wrong else ("", ""))
    reason = pd.Series(reasons, index=effect.index)
    chk.flag(effect.ne("") & reason.ne(""), "SAN-E041", "effect", reason=reason)
    term = pd.Series([o[0] for o in other], index=effect.index)
    expected = pd.Series([o[1] for o in other], index=effect.index)
    chk.flag(
        term.ne(""),
        "SAN-W141",
        "effect",
        mark_bad=False,
        term=term,
        expected=expected,
        sector=sector,
    )


def _sasaran_sector(chk: Checker, typed: pd.DataFrame) -> None:
    known = typed["sasaran"].isin(list(INDICATORS)) & typed["sector"].isin(list(SECTORS))
    expected = typed["sasaran"].map(lambda s: INDICATORS.get(s, {}).get("sector", ""))
    chk.flag(
        known & expected.ne(typed["sector"]),
        "SAN-W142",
        "sasaran",
        typed["sasaran"],
        mark_bad=False,
        expected=expected,
        sector=typed["sector"],
    )


# --------------------------------------------------------------------------- realisation


def parse_realisation(
    df: pd.DataFrame,
    codes: frozenset[str] | None,
    years: Sequence[int],
    *,
    profiles: Mapping[str, str] | None = None,
    as_of: dt.date | None = None,
    through: tuple[int, int] | None = None,
) -> Parsed:
    """Check ``realisation.csv``: known activity, year, quarter 1-4, output and money >= 0
    (increments in the quarter), ``progress_pct`` blank or 0-100 (``SAN-E011``) and only for
    activities whose ``plan_profile`` is ``completion`` (``SAN-E050``), state (blank or absent
    = verified), one row per activity, year and quarter. ``codes`` are the activity codes of
    programme.csv (``None``: unknown) and ``profiles`` their plan profiles (``None``: not
    checked).

    With ``as_of``, a row of a quarter that starts after ``as_of`` is an error
    (``SAN-E049``): only the rows up to ``through`` = (year, quarter) when given (the rows a
    report of that quarter reads), else every row."""
    file = file_of(df, REALISATION)
    chk = Checker(df, file)
    code = chk.text("activity_code")
    if codes is not None:
        chk.flag(code.ne("") & ~code.isin(codes), "SAN-E042", "activity_code")
    year = chk.year("year")
    quarter = chk.number("quarter", nonneg=False)
    bad_q = quarter.notna() & ~quarter.isin(QUARTERS)
    chk.flag(bad_q, "SAN-E024", "quarter", choices=", ".join(map(str, QUARTERS)))
    quarter = quarter.mask(bad_q)
    if years:
        chk.flag(
            year.notna() & ~year.isin(list(years)),
            "SAN-W143",
            "year",
            mark_bad=False,
            years=", ".join(map(str, years)),
        )
    if as_of is not None:
        _future_quarters(chk, code, year, quarter, as_of, through)
    progress = _progress(chk, code, profiles)
    note_col = "note" if chk.has("note") else "status_note"
    typed = pd.DataFrame(
        {
            "activity_code": code,
            "year": year,
            "quarter": quarter.round().astype("Int64"),
            "output_achieved": chk.number("output_achieved"),
            "cost_spent_idr": chk.number("cost_spent_idr"),
            "progress_pct": progress,
            "state": chk.choice("state", REALISATION_STATES, default="verified"),
            "note": chk.text(note_col, required=False),
            "status": chk.choice("status", STATUSES, default="unverified"),
            LINE: df[LINE],
        }
    )
    if FILE in df.columns:
        typed[FILE] = df[FILE]
    key = ["activity_code", "year", "quarter"]
    keyed = typed[code.ne("") & typed["year"].notna() & typed["quarter"].notna()]
    chk.problems += duplicate_problems(keyed, key, "quarter", REALISATION)
    chk.bad |= typed.index.isin(keyed.index[keyed.duplicated(key)])
    return Parsed(typed[~chk.bad].drop(columns=[FILE], errors="ignore").copy(), chk.problems)


def _progress(chk: Checker, code: pd.Series, profiles: Mapping[str, str] | None) -> pd.Series:
    """``progress_pct`` (NaN = blank): 0-100 (``SAN-E011``), only for completion works
    (``SAN-E050``)."""
    progress = chk.number("progress_pct", required=False)
    chk.flag(
        progress > 100,
        "SAN-E011",
        "progress_pct",
        name="progress_pct",
        kind="a percentage of the year's planned works",
        kind_id="persentase pekerjaan yang direncanakan tahun itu",
        low=0,
        high=100,
    )
    if profiles is not None:
        profile = code.map(dict(profiles)).fillna("")
        chk.flag(
            progress.notna() & profile.ne("") & profile.ne(COMPLETION_PROFILE),
            "SAN-E050",
            "progress_pct",
            activity=code,
            profile=profile,
        )
    return progress.mask(progress > 100)


def _future_quarters(
    chk: Checker,
    code: pd.Series,
    year: pd.Series,
    quarter: pd.Series,
    as_of: dt.date,
    through: tuple[int, int] | None,
) -> None:
    """``SAN-E049`` for a row of a quarter that starts after ``as_of`` (rows up to
    ``through`` only, when given)."""
    y = year.astype(float).to_numpy()
    q = quarter.astype(float).to_numpy()
    late = quarter_not_started(y, q, as_of)
    if through is not None:
        ty, tq = through
        late &= (y < ty) | ((y == ty) & (q <= tq))
    if not late.any():
        return
    mask = pd.Series(late, index=code.index)
    starts = pd.Series(
        [
            quarter_start(int(a), int(b)).isoformat() if bad else ""
            for a, b, bad in zip(np.nan_to_num(y), np.nan_to_num(q), late, strict=True)
        ],
        index=code.index,
        dtype=object,
    )
    chk.flag(
        mask,
        "SAN-E049",
        "quarter",
        activity=code,
        year=year.astype("string").fillna(""),
        quarter=quarter.astype("Int64").astype("string").fillna(""),
        start=starts,
        as_of=as_of.isoformat(),
    )


# --------------------------------------------------------------------------- meetings


def parse_meetings(df: pd.DataFrame, agencies: Mapping[str, str]) -> Parsed:
    """Check ``meetings.csv``: unique id, ISO date, kind, milestone M1-M4 or blank,
    participants known agencies."""
    file = file_of(df, MEETINGS)
    chk = Checker(df, file)
    mid = chk.text("id")
    milestone = chk.raw("milestone").str.upper()
    chk.flag(
        milestone.ne("") & ~milestone.isin(list(MILESTONES)),
        "SAN-E024",
        "milestone",
        choices=", ".join(MILESTONES) + " or blank",
    )
    typed = pd.DataFrame(
        {
            "id": mid,
            "date": iso_date(chk, "date"),
            "kind": chk.choice("kind", MEETING_KINDS),
            "title": chk.text("title", required=False),
            "milestone": milestone,
            "participants": agency_list(chk, "participants", agencies),
            "summary": chk.text("summary", required=False),
            "decisions": chk.text("decisions", required=False),
            "status": chk.choice("status", STATUSES, default="unverified"),
            LINE: df[LINE],
        }
    )
    if FILE in df.columns:
        typed[FILE] = df[FILE]
    keyed = typed[mid.ne("")]
    chk.problems += duplicate_problems(keyed, ["id"], "id", MEETINGS)
    chk.bad |= typed.index.isin(keyed.index[keyed.duplicated("id")])
    return Parsed(typed[~chk.bad].drop(columns=[FILE], errors="ignore").copy(), chk.problems)


def parse_action_items(
    df: pd.DataFrame, meetings: Mapping[str, pd.Timestamp], agencies: Mapping[str, str]
) -> Parsed:
    """Check ``action_items.csv``: the meeting exists, owner agency known, ISO due date,
    state open|done.

    The file's ``status`` column is the state of the action and ``data_status`` the
    provenance (the demo layout); a file with a ``state`` column uses ``state`` for the action
    and ``status`` for the provenance. ``meetings`` maps every meeting id to its date (NaT when
    unknown).
    """
    file = file_of(df, ACTION_ITEMS)
    chk = Checker(df, file)
    if not chk.has("state") and not chk.has("status"):
        found = ", ".join(c for c in df.columns if c not in (LINE, FILE))
        chk.problems.append(
            problem("SAN-E002", header_file(df, ACTION_ITEMS), 1, "status", found=found)
        )
        return Parsed(df.iloc[0:0].copy(), chk.problems)
    state_col = "state" if chk.has("state") else "status"
    prov_col = "data_status" if chk.has("data_status") or state_col == "status" else "status"
    meeting = chk.text("meeting_id")
    chk.flag(meeting.ne("") & ~meeting.isin(list(meetings)), "SAN-E044", "meeting_id")
    state = chk.raw(state_col).str.lower()
    chk.flag(~state.isin(list(ACTION_STATES)), "SAN-E024", state_col, choices="open, done")
    given = iso_date(chk, "meeting_date", required=False)
    actual = pd.to_datetime(meeting.map(dict(meetings)))
    chk.flag(
        given.notna() & actual.notna() & given.ne(actual),
        "SAN-W144",
        "meeting_date",
        mark_bad=False,
        meeting=meeting,
        date=actual.dt.strftime("%Y-%m-%d"),
    )
    typed = pd.DataFrame(
        {
            "meeting_id": meeting,
            "action": chk.text("action"),
            "owner_agency": agency(chk, "owner_agency", agencies),
            "due_date": iso_date(chk, "due_date"),
            "state": state,
            "status": chk.choice(prov_col, STATUSES, default="unverified"),
            LINE: df[LINE],
        }
    )
    return Parsed(typed[~chk.bad].copy(), chk.problems)
