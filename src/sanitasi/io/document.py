"""Inputs of the SSK document (``sanitasi document``): the city's ``swot.csv``, ``pokja.csv``
and ``need_agency.csv`` (all optional) and the national reference tables of the document
(``legal_basis.csv``, ``nomenclature.csv``, ``need_agency.csv``, ``ssk_outline.csv``,
``swot_quadrants.csv``). Contract: ``docs/city-data.md`` §12.

:func:`read_document` never stops at the first problem: it returns the inputs, or ``None``
and every problem (file, line, column, value, rule). The nomenclature codes of
``programme.csv`` (column ``sub_kegiatan``) and the activity codes a SWOT factor names are
checked here too, against the reference and the programme matrix.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib.resources.abc import Traversable

import numpy as np
import pandas as pd

from sanitasi.core.memorandum import DocumentInputs
from sanitasi.core.model import STATUSES
from sanitasi.core.programme import SECTORS, ProgrammeInputs
from sanitasi.core.swot import EXTERNAL, INTERNAL, SWOT_KINDS, WEIGHT_TOLERANCE
from sanitasi.io.errors import InputErrors, Problem, errors_of, problem
from sanitasi.io.folders import city_folder
from sanitasi.io.reference import data_root
from sanitasi.io.tables import LINE, Checker, duplicate_problems, is_absent, read_table

SWOT = "swot.csv"
POKJA = "pokja.csv"
NEED_AGENCY = "need_agency.csv"
#: The city's document files, in the order the loader stores them.
DOCUMENT_FILES: tuple[str, ...] = (SWOT, POKJA, NEED_AGENCY)

SWOT_REQUIRED: tuple[str, ...] = ("sector", "kind", "factor", "weight", "rating")
POKJA_REQUIRED: tuple[str, ...] = ("position", "name")
NEED_AGENCY_REQUIRED: tuple[str, ...] = ("need", "sector", "agency")
RATING_MIN, RATING_MAX = 1.0, 4.0
NOMENCLATURE_LEVELS: tuple[str, ...] = ("bidang", "program", "kegiatan", "sub_kegiatan")


# --------------------------------------------------------------------------- reference


def _reference(name: str, required: tuple[str, ...]) -> pd.DataFrame:
    """A reference table of the document, as text (``status`` checked); raises
    :class:`InputErrors` on a broken package file."""
    file = f"reference/{name}"
    df, problems = read_table(data_root() / "reference" / name, file, required, folder="reference")
    if df is None:
        raise InputErrors(problems)
    chk = Checker(df, file)
    if chk.has("status"):
        chk.choice("status", STATUSES, default="unverified")
    if errors_of(chk.problems):
        raise InputErrors(chk.problems)
    return df.drop(columns=[LINE]).reset_index(drop=True)


@cache
def legal_basis() -> pd.DataFrame:
    """``reference/legal_basis.csv``: laws and regulations (kind, number, year, title)."""
    return _reference(
        "legal_basis.csv", ("id", "kind", "number", "year", "title", "source", "status")
    )


@cache
def nomenclature() -> pd.DataFrame:
    """``reference/nomenclature.csv``: regional planning codes (Kepmendagri 050-5889/2021)."""
    df = _reference("nomenclature.csv", ("code", "level", "name", "sector", "source", "status"))
    bad = ~df["level"].isin(NOMENCLATURE_LEVELS)
    if bad.any():
        raise ValueError(f"reference/nomenclature.csv: unknown level {df['level'][bad].iloc[0]}")
    return df


@cache
def outline() -> pd.DataFrame:
    """``reference/ssk_outline.csv``: the chapters of the SSK document."""
    return _reference("ssk_outline.csv", ("chapter", "key", "title_id", "title_en", "source"))


@cache
def quadrants() -> pd.DataFrame:
    """``reference/swot_quadrants.csv``: the strategy direction of each SWOT quadrant."""
    return _reference(
        "swot_quadrants.csv", ("quadrant", "direction_id", "direction_en", "source", "status")
    )


@cache
def need_agency_reference() -> pd.DataFrame:
    """``reference/need_agency.csv``: ``need, sector, agencies`` (tuple of agency codes in
    order of preference), ``nomenclature, source, status, note``."""
    df = _reference("need_agency.csv", ("need", "sector", "agencies", "source", "status"))
    df["agencies"] = [
        tuple(a.strip() for a in str(v).split(";") if a.strip()) for v in df["agencies"]
    ]
    codes = set(nomenclature()["code"])
    unknown = df["nomenclature"].ne("") & ~df["nomenclature"].isin(codes)
    if unknown.any():
        raise ValueError(f"reference/need_agency.csv: unknown code {df['nomenclature'][unknown]}")
    return df


def nomenclature_codes() -> frozenset[str]:
    """Codes an activity may carry in ``sub_kegiatan``: kegiatan and sub-kegiatan."""
    df = nomenclature()
    return frozenset(df.loc[df["level"].isin(("kegiatan", "sub_kegiatan")), "code"])


# --------------------------------------------------------------------------- city files


def _agency_map(prog: ProgrammeInputs | None) -> dict[str, str] | None:
    if prog is None:
        return None
    return {str(c).upper(): str(c) for c in prog.agencies["code"]}


def _codes_list(raw: pd.Series) -> pd.Series:
    return pd.Series(
        [tuple(c.strip() for c in str(v).split(";") if c.strip()) for v in raw], index=raw.index
    )


def parse_swot(
    df: pd.DataFrame,
    activity_codes: frozenset[str] | None,
    *,
    file: str | pd.Series = SWOT,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check ``swot.csv``: sector, kind S/W/O/T, weight 0-1, rating 1-4, the weights of each
    sector's internal (S+W) and external (O+T) factors summing to 1 (tolerance 0.001), both
    groups present for every sector, ``id`` unique, and each of ``activities`` an activity
    of programme.csv (when the programme is known). ``file`` names the rows' file (one per
    row for a workbook merged into the file)."""
    chk = Checker(df, file)
    sector = chk.choice("sector", SECTORS)
    kind = chk.raw("kind").str.upper()
    chk.flag(~kind.isin(list(SWOT_KINDS)), "SAN-E024", "kind", choices=", ".join(SWOT_KINDS))
    factor = chk.text("factor")
    weight = chk.number("weight")
    chk.flag(
        weight > 1,
        "SAN-E011",
        "weight",
        name="weight",
        kind="a fraction",
        kind_id="proporsi",
        low=0,
        high=1,
    )
    rating = chk.number("rating")
    chk.flag(rating.notna() & ((rating < RATING_MIN) | (rating > RATING_MAX)), "SAN-E191", "rating")
    ident = chk.text("id", required=False)
    if chk.has("id"):
        keyed = df.assign(id=ident)[ident.ne("")]
        chk.problems += duplicate_problems(
            keyed, ["id"], "id", file if isinstance(file, str) else SWOT
        )
    acts = _codes_list(chk.raw("activities"))
    if activity_codes is not None:
        for idx, codes in acts.items():
            for code in codes:
                if code not in activity_codes:
                    chk.flag(
                        pd.Series(df.index == idx, index=df.index),
                        "SAN-E194",
                        "activities",
                        pd.Series(code, index=df.index),
                    )
    status = chk.choice("status", STATUSES, default="unverified")
    typed = pd.DataFrame(
        {
            "sector": sector,
            "id": ident,
            "kind": kind,
            "factor": factor,
            "weight": weight,
            "rating": rating,
            "activities": acts,
            "status": status,
            LINE: df[LINE],
        }
    )
    problems = list(chk.problems)
    group_file = file if isinstance(file, str) else (str(file.iloc[0]) if len(file) else SWOT)
    ok = sector.isin(list(SECTORS)) & kind.isin(list(SWOT_KINDS)) & weight.notna()
    for sec in pd.unique(sector[sector.isin(list(SECTORS))]):
        for group, kinds, group_id in (
            ("internal", INTERNAL, "internal"),
            ("external", EXTERNAL, "eksternal"),
        ):
            rows = typed[ok & sector.eq(sec) & kind.isin(list(kinds))]
            if not len(typed[sector.eq(sec) & kind.isin(list(kinds))]):
                problems.append(
                    problem(
                        "SAN-E193",
                        group_file,
                        None,
                        "kind",
                        None,
                        sector=sec,
                        group=group,
                        group_id=group_id,
                    )
                )
                continue
            total = float(rows["weight"].sum())
            if len(rows) and abs(total - 1.0) > WEIGHT_TOLERANCE:
                lines = ", ".join(str(int(x)) for x in rows[LINE])
                problems.append(
                    problem(
                        "SAN-E192",
                        group_file,
                        int(rows[LINE].iloc[0]),
                        "weight",
                        f"{total:g}",
                        sector=sec,
                        group=group,
                        group_id=group_id,
                        total=f"{total:g}",
                        lines=lines,
                    )
                )
    return typed[~chk.bad].drop(columns=[LINE]).reset_index(drop=True), problems


def parse_pokja(
    df: pd.DataFrame, agencies: Mapping[str, str] | None
) -> tuple[pd.DataFrame, str, str, list[Problem]]:
    """Check ``pokja.csv``: position and name required, ``agency`` (optional) a code of
    agencies.csv, ``decree_number`` and ``decree_date`` (``YYYY-MM-DD``) given on one or
    more rows but one value only (``SAN-E190``)."""
    chk = Checker(df, POKJA)
    position = chk.text("position")
    name = chk.text("name")
    agency = chk.text("agency", required=False)
    if agencies is not None:
        unknown = agency.ne("") & ~agency.str.upper().isin(list(agencies))
        chk.flag(unknown, "SAN-E040", "agency", choices=", ".join(sorted(agencies.values())))
        agency = agency.map(lambda a: agencies.get(a.upper(), a) if a else a)
    date = chk.text("decree_date", required=False)
    bad_date = date.ne("") & pd.to_datetime(date, format="%Y-%m-%d", errors="coerce").isna()
    chk.flag(bad_date, "SAN-E043", "decree_date")
    found: dict[str, str] = {}
    for col in ("decree_number", "decree_date"):
        vals = chk.text(col, required=False)
        given = vals[vals.ne("")]
        if len(given):
            first = given.iloc[0]
            first_line = int(df.loc[given.index[0], LINE])
            chk.flag(
                vals.ne("") & vals.ne(first),
                "SAN-E190",
                col,
                other=first,
                line=first_line,
            )
            found[col] = str(first)
    typed = pd.DataFrame(
        {
            "position": position.str.lower(),
            "name": name,
            "agency": agency,
            "role": chk.text("role", required=False),
            "status": chk.choice("status", STATUSES, default="unverified"),
        }
    )
    return (
        typed[~chk.bad].reset_index(drop=True),
        found.get("decree_number", ""),
        found.get("decree_date", ""),
        chk.problems,
    )


def parse_need_agency(
    df: pd.DataFrame, reference: pd.DataFrame, agencies: Mapping[str, str] | None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check the city's ``need_agency.csv``: each (need, sector) one of the reference
    mapping (``SAN-E195``), given once (``SAN-E012``), ``agency`` a code of agencies.csv."""
    chk = Checker(df, NEED_AGENCY)
    need = chk.text("need")
    sector = chk.choice("sector", SECTORS)
    agency = chk.text("agency")
    keys = set(zip(reference["need"], reference["sector"], strict=True))
    known = pd.Series([(n, s) in keys for n, s in zip(need, sector, strict=True)], index=df.index)
    chk.flag(
        need.ne("") & sector.isin(list(SECTORS)) & ~known,
        "SAN-E195",
        "need",
        choices=", ".join(sorted(set(reference["need"]))),
    )
    if agencies is not None:
        chk.flag(
            agency.ne("") & ~agency.str.upper().isin(list(agencies)),
            "SAN-E040",
            "agency",
            choices=", ".join(sorted(agencies.values())),
        )
    keyed = df.assign(need=need, sector=sector)
    chk.problems += duplicate_problems(keyed, ["need", "sector"], "need", NEED_AGENCY)
    typed = pd.DataFrame(
        {
            "need": need,
            "sector": sector,
            "agency": agency,
            "source": chk.text("source", required=False),
            "status": chk.choice("status", STATUSES, default="unverified"),
        }
    )
    return typed[~chk.bad].reset_index(drop=True), chk.problems


def nomenclature_problems(prog: ProgrammeInputs | None, programme_file: str) -> list[Problem]:
    """``SAN-E196`` for each activity whose ``sub_kegiatan`` is not a kegiatan or
    sub-kegiatan code of the reference (named by activity code: the matrix rows)."""
    if prog is None or "sub_kegiatan" not in prog.activities.columns:
        return []
    codes = nomenclature_codes()
    acts = prog.activities
    bad = acts["sub_kegiatan"].astype(str).ne("") & ~acts["sub_kegiatan"].astype(str).isin(codes)
    return [
        problem("SAN-E196", f"{programme_file} (activity {code})", None, "sub_kegiatan", value)
        for code, value in zip(acts.loc[bad, "code"], acts.loc[bad, "sub_kegiatan"], strict=True)
    ]


def _empty_need_agency() -> pd.DataFrame:
    return pd.DataFrame(columns=["need", "sector", "agency", "source", "status"])


def read_document(
    folder: Traversable | None, prog: ProgrammeInputs | None
) -> tuple[DocumentInputs | None, list[Problem]]:
    """The document inputs of ``folder`` (``None``: the Kota Solok demo): returns the inputs
    and the problems (``None`` when any is an error). ``prog`` is the city's programme
    (agency and activity codes are checked against it when given)."""
    folder = city_folder(None) if folder is None else folder
    problems: list[Problem] = []
    agencies = _agency_map(prog)
    activity_codes = None if prog is None else frozenset(prog.activities["code"].astype(str))
    ref_need = need_agency_reference()

    def table(name: str, required: tuple[str, ...]) -> pd.DataFrame | None:
        if is_absent(folder / name):
            return None
        df, found = read_table(folder / name, name, required, folder=str(folder))
        problems.extend(found)
        return df

    swot = pokja = None
    decree_number = decree_date = ""
    if (raw := table(SWOT, SWOT_REQUIRED)) is not None:
        swot, found = parse_swot(raw, activity_codes)
        problems += found
    if (raw := table(POKJA, POKJA_REQUIRED)) is not None:
        pokja, decree_number, decree_date, found = parse_pokja(raw, agencies)
        problems += found
    city_map = _empty_need_agency()
    if (raw := table(NEED_AGENCY, NEED_AGENCY_REQUIRED)) is not None:
        city_map, found = parse_need_agency(raw, ref_need, agencies)
        problems += found
    programme_file = (
        prog.sources.get("activities") if prog is not None else None
    ) or "programme.csv"
    problems += nomenclature_problems(prog, str(programme_file).rsplit("/", 1)[-1])
    if errors_of(problems):
        return None, problems
    sources = {n: str(folder / n) for n in DOCUMENT_FILES if (folder / n).is_file()}
    inputs = DocumentInputs(
        legal_basis=legal_basis(),
        nomenclature=nomenclature(),
        outline=outline(),
        quadrants=quadrants(),
        need_agency=ref_need,
        need_agency_city=city_map,
        swot=swot,
        pokja=pokja,
        decree_number=decree_number,
        decree_date=decree_date,
        sources=sources,
    )
    return inputs, problems


def load_document(folder: Traversable | None, prog: ProgrammeInputs | None) -> DocumentInputs:
    """:func:`read_document`, raising :class:`InputErrors` with every problem on an error."""
    inputs, problems = read_document(folder, prog)
    if inputs is None:
        raise InputErrors(problems)
    return inputs


def swot_weight_sums(swot: pd.DataFrame) -> pd.DataFrame:
    """Sum of the weights per sector and group (internal/external): a check for tests and
    the template instructions."""
    group = np.where(swot["kind"].isin(list(INTERNAL)), "internal", "external")
    out: pd.DataFrame = (
        swot.assign(group=group).groupby(["sector", "group"], as_index=False)[["weight"]].sum()
    )
    return out


__all__ = [
    "DOCUMENT_FILES",
    "NEED_AGENCY",
    "POKJA",
    "SWOT",
    "legal_basis",
    "load_document",
    "need_agency_reference",
    "nomenclature",
    "nomenclature_codes",
    "outline",
    "parse_need_agency",
    "parse_pokja",
    "parse_swot",
    "quadrants",
    "read_document",
    "swot_weight_sums",
]
