"""Applying a survey result to a city folder: ``hh_<rung>`` rows of ``observations.csv``
rewritten atomically (:func:`apply_survey`).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sanitasi.core.model import RUNGS
from sanitasi.io.errors import InputErrors, Problem, problem
from sanitasi.io.survey.results import SurveyResult
from sanitasi.io.tables import LINE, not_a_file, parse_csv, read_bytes, read_table


@dataclass(frozen=True)
class ApplyReport:
    """What :func:`apply_survey` wrote: the file, the year, the kelurahan, how many
    ``hh_<rung>`` rows were written and replaced, and the warnings (kelurahan skipped)."""

    path: str
    year: int
    kelurahan: tuple[str, ...]
    rows_written: int
    rows_replaced: int
    problems: tuple[Problem, ...] = ()


_OBS_NAME = "observations.csv"


_RUNG_INDICATORS = tuple(f"hh_{r}" for r in RUNGS)


def _fmt(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("", "-0") else s


def _fmt_id(v: float) -> str:
    """:func:`_fmt` with Indonesian separators (``1.234,5``) for Indonesian messages."""
    whole, _, decimals = _fmt(v).partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-') or 0):,}".replace(",", ".")
    return sign + grouped + ("," + decimals if decimals else "")


def apply_survey(
    result: SurveyResult,
    city_dir: str | os.PathLike[str],
    *,
    year: int | None = None,
    source: str | None = None,
) -> ApplyReport:
    """Write the survey as the city's baseline ladder observations, atomically.

    For every surveyed kelurahan of the city with classified households: ``hh_<rung> =
    pct_<rung> / 100 x households`` of that kelurahan in ``year`` (default: the result's
    year, else the latest year in which every such kelurahan has ``households``), with
    ``unit = households``, ``source`` = the survey file name, ``status = derived`` and a
    note with n and the 95 % interval. Earlier ``hh_<rung>`` rows of those kelurahan and
    that year are replaced in place; every other row is kept byte for byte. Kelurahan
    outside ``regions.csv`` or without classified households are skipped with
    ``SAN-W187``. Errors (nothing written): no year (``SAN-E105``), a kelurahan without
    households (``SAN-E106``), ``hh_spald_t`` above the new ``hh_aman`` (``SAN-E107``), an
    unreadable observations file.
    """
    folder = Path(city_dir)
    obs_path = folder / _OBS_NAME
    if not obs_path.is_file():
        raise InputErrors(
            not_a_file(obs_path, _OBS_NAME)
            or [problem("SAN-E001", _OBS_NAME, name=_OBS_NAME, folder=str(folder))]
        )
    data, problems = read_bytes(obs_path, _OBS_NAME)
    if data is None:
        raise InputErrors(problems)
    df, problems = parse_csv(data, _OBS_NAME)
    if df is None:
        raise InputErrors(problems)
    missing = [c for c in ("kode", "year", "indicator", "value") if c not in df.columns]
    if missing:
        raise InputErrors(
            [problem("SAN-E002", _OBS_NAME, 1, c, found=", ".join(df.columns)) for c in missing]
        )
    regions, rproblems = read_table(
        folder / "regions.csv", "regions.csv", ("kode",), folder=str(folder)
    )
    if regions is None:
        raise InputErrors(rproblems)
    listed = set(regions["kode"])

    recs: dict[str, dict[str, Any]] = {
        str(r["kode"]): {str(c): v for c, v in r.items()} for r in result.shares.to_dict("records")
    }
    warnings: list[Problem] = []
    for k, rec in recs.items():
        reason = None
        if k not in listed:
            reason = ("not in regions.csv", "tidak ada di regions.csv")
        elif int(rec["n"]) == 0:
            reason = ("no classified household", "tidak ada rumah tangga yang tergolong")
        if reason is not None:
            warnings.append(
                problem(
                    "SAN-W187",
                    result.file,
                    None,
                    "kelurahan",
                    k,
                    reason=reason[0],
                    reason_id=reason[1],
                )
            )
    kodes = [k for k, rec in recs.items() if k in listed and int(rec["n"]) > 0]

    ind = df["indicator"]
    year_num = pd.to_numeric(df["year"], errors="coerce")
    value_num = pd.to_numeric(df["value"], errors="coerce")
    sel = ind.eq("households") & df["kode"].isin(kodes) & value_num.notna() & year_num.notna()
    households: dict[tuple[str, int], float] = {
        (str(k), int(y)): float(v)
        for k, y, v in zip(df.loc[sel, "kode"], year_num[sel], value_num[sel], strict=True)
    }
    chosen = year if year is not None else result.year
    if chosen is None and kodes:
        per_year: dict[int, int] = {}
        for _, y in households:
            per_year[y] = per_year.get(y, 0) + 1
        full = [y for y, n in per_year.items() if n >= len(kodes)]
        if not full:
            years = ", ".join(str(y) for y in sorted(per_year)) or "none"
            raise InputErrors(
                [
                    problem(
                        "SAN-E105",
                        result.file,
                        detail=f"years with households for some of them: {years}",
                    )
                ]
            )
        chosen = max(full)
    chosen = int(chosen) if chosen is not None else 0
    errors = [
        problem("SAN-E106", _OBS_NAME, None, "kode", k, year=chosen)
        for k in kodes
        if (k, chosen) not in households
    ]
    if errors:
        raise InputErrors(errors)

    new_values = {
        k: {r: float(recs[k][f"pct_{r}"]) / 100.0 * households[(k, chosen)] for r in RUNGS}
        for k in kodes
    }
    spald = ind.eq("hh_spald_t") & df["kode"].isin(kodes) & year_num.eq(chosen)
    for k, raw, v, line in zip(
        df.loc[spald, "kode"],
        df.loc[spald, "value"],
        value_num[spald],
        df.loc[spald, LINE],
        strict=True,
    ):
        aman = new_values[str(k)]["aman"]
        if pd.notna(v) and float(v) > aman + 0.5:
            errors.append(
                problem(
                    "SAN-E107",
                    _OBS_NAME,
                    int(line),
                    "value",
                    k,
                    year=chosen,
                    spald_t=raw,
                    aman=_fmt(aman),
                    aman_id=_fmt_id(aman),
                )
            )
    if errors:
        raise InputErrors(errors)

    src = source or result.file
    rows_new: dict[str, list[dict[str, str]]] = {}
    for k in kodes:
        rec = recs[k]
        n = int(rec["n"])
        small = (
            f", below the EHRA minimum of {result.rules.min_households}"
            if n < result.rules.min_households
            else ""
        )
        rows_new[k] = [
            {
                "kode": k,
                "year": str(chosen),
                "indicator": f"hh_{r}",
                "value": _fmt(new_values[k][r]),
                "unit": "households",
                "source": src,
                "status": "derived",
                "note": (
                    f"Survey {result.file} ({result.mapping.name}): weighted share "
                    f"{rec[f'pct_{r}']:.1f}% (95% CI {rec[f'pct_{r}_low']:.1f}-"
                    f"{rec[f'pct_{r}_high']:.1f}%, Wilson with Kish n_eff) x households "
                    f"{chosen}; n = {n} households{small}."
                ),
            }
            for r in RUNGS
        ]
    rows_new.update(
        _parent_rows(df, ind, year_num, value_num, new_values, chosen, src, result.file)
    )
    written, replaced = _rewrite_observations(obs_path, data, rows_new, chosen)
    return ApplyReport(str(obs_path), chosen, tuple(kodes), written, replaced, tuple(warnings))


def _parent_rows(
    df: pd.DataFrame,
    ind: pd.Series,
    year_num: pd.Series,
    value_num: pd.Series,
    new_values: Mapping[str, Mapping[str, float]],
    year: int,
    source: str,
    file: str,
) -> dict[str, list[dict[str, str]]]:
    """Kecamatan and city ``hh_<rung>`` rows of ``year`` that the file already has, recomputed
    as the sums of their kelurahan/desa rows after the survey (so sub-area sums stay equal,
    SAN-W101). A parent is left as it is when one of its kelurahan has no value for a rung."""
    rung_ind = [f"hh_{r}" for r in RUNGS]
    sel = ind.isin(rung_ind) & year_num.eq(year) & value_num.notna()
    cur = pd.DataFrame(
        {"kode": df.loc[sel, "kode"].astype(str), "indicator": ind[sel], "value": value_num[sel]}
    )
    leaf = cur[cur["kode"].str.len() > 8].pivot_table(
        index="kode", columns="indicator", values="value", aggfunc="first"
    )
    for k, vals in new_values.items():
        for r in RUNGS:
            leaf.loc[k, f"hh_{r}"] = vals[r]
    parents = cur[cur["kode"].str.len() <= 8]
    out: dict[str, list[dict[str, str]]] = {}
    surveyed = set(new_values)
    for parent in sorted(set(parents["kode"])):
        kids = leaf[leaf.index.str.startswith(parent + ".")]
        if kids.empty or not (set(kids.index) & surveyed):
            continue
        if any(c not in kids.columns for c in rung_ind) or kids[rung_ind].isna().any().any():
            continue
        have = set(parents.loc[parents["kode"] == parent, "indicator"])
        out[parent] = [
            {
                "kode": parent,
                "year": str(year),
                "indicator": c,
                "value": _fmt(float(kids[c].sum())),
                "unit": "households",
                "source": source,
                "status": "derived",
                "note": f"Sum of its kelurahan/desa after applying the survey {file}.",
            }
            for c in rung_ind
            if c in have
        ]
    return out


def _rewrite_observations(
    path: Path, data: bytes, rows_new: Mapping[str, list[dict[str, str]]], year: int
) -> tuple[int, int]:
    """Replace the ``hh_<rung>`` records of the given kelurahan and year, keep every other
    record's text as it was, and write atomically (temp file in the folder + os.replace)."""
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[list[str], str]] = []
    prev = 0
    for rec in reader:
        records.append((rec, "".join(lines[prev : reader.line_num])))
        prev = reader.line_num
    tail = "".join(lines[prev:])
    header = [c.strip().lower() for c in records[0][0]]
    eol = "\r\n" if records[0][1].endswith("\r\n") else "\n"
    add = [c for c in ("unit", "source", "status", "note") if c not in header]
    out_header = header + add
    pos = {c: i for i, c in enumerate(header)}

    def pad(chunk: str) -> str:
        if not add:
            return chunk
        body = chunk.rstrip("\r\n")
        return body + "," * len(add) + chunk[len(body) :]

    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator=eol)

    def render(rows: list[dict[str, str]]) -> str:
        buf.seek(0)
        buf.truncate()
        for row in rows:
            writer.writerow([row.get(c, "") for c in out_header])
        return buf.getvalue()

    targets = set(_RUNG_INDICATORS)
    parts: list[str] = []
    if add:
        first = records[0][1]
        body = first.rstrip("\r\n")
        parts.append(body + "," + ",".join(add) + (first[len(body) :] or eol))
    else:
        parts.append(records[0][1])
    placed: set[str] = set()
    replaced = 0
    for rec, chunk in records[1:]:
        kode = rec[pos["kode"]].strip() if len(rec) > pos["kode"] else ""
        is_target = (
            len(rec) > max(pos["year"], pos["indicator"])
            and kode in rows_new
            and rec[pos["indicator"]].strip() in targets
            and _same_year(rec[pos["year"]], year)
        )
        if not is_target:
            parts.append(pad(chunk) if rec else chunk)
            continue
        replaced += 1
        if kode not in placed:
            placed.add(kode)
            parts.append(render(rows_new[kode]))
    rest = [k for k in rows_new if k not in placed]
    if rest:
        if parts and not parts[-1].endswith(("\n", "\r")):
            parts[-1] += eol
        parts.append(render([row for k in rest for row in rows_new[k]]))
    parts.append(tail)
    content = "".join(parts)
    fd, tmp = tempfile.mkstemp(prefix=".observations.", suffix=".csv.tmp", dir=str(path.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return sum(len(v) for v in rows_new.values()), replaced


def _same_year(raw: str, year: int) -> bool:
    try:
        return float(raw.strip()) == year
    except ValueError:
        return False


__all__ = ["ApplyReport", "apply_survey"]
