"""Named scenarios of a city: ``scenarios/*.toml`` in the city folder (docs/city-data.md §13).

A scenario is a set of choices the needs-based plan is run with: the target sets it plans
for, parameter overrides (as ``--param``), unit-cost factors, and optionally the name of a
budget file kept for the optimiser (only its existence is checked here). Files are read with
:mod:`tomllib`; every problem of every file is collected and raised in one
:class:`~sanitasi.io.errors.InputErrors` (file, key, value and rule), nothing is half-read.

Codes: ``SAN-E197`` (not TOML), ``SAN-E198`` (unknown key), ``SAN-E199`` (a value of the
wrong kind), and the existing ``SAN-E017`` (unknown target set), ``SAN-E018`` (unknown
parameter), ``SAN-E019``/``SAN-E011`` (bad parameter value), ``SAN-E029`` (unknown unit-cost
item), ``SAN-E001`` (the budget file named is missing).
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from typing import Any

from sanitasi.core.model import ParameterSet
from sanitasi.io.errors import InputErrors, Problem, problem
from sanitasi.io.reference import choices_of, is_fraction_unit

#: Sub-folder of the city folder holding the scenario files.
SCENARIO_DIR = "scenarios"
#: Keys of a scenario file (tables: ``parameters``, ``unit_cost_factors``).
TOP_KEYS: tuple[str, ...] = (
    "title",
    "title_en",
    "description",
    "target_sets",
    "budget",
    "parameters",
    "unit_cost_factors",
)


@dataclass(frozen=True)
class Scenario:
    """One validated scenario file.

    ``name``: the file stem (``scenarios/<name>.toml``); ``title``/``title_en``: its labels
    (the name when absent); ``target_sets``: codes in order (``None``: the city's default
    sets); ``parameters``: name -> value text (applied as ``--param`` after the city's own
    overrides); ``unit_cost_factors``: unit-cost item -> factor (> 0) applied to its cost
    (``cost_idr``, ``low_idr``, ``high_idr``); ``budget``: budget file name in the city
    folder, kept for the optimiser (``None``: none)."""

    name: str
    title: str
    title_en: str
    file: str
    description: str = ""
    target_sets: tuple[str, ...] | None = None
    parameters: Mapping[str, str] = field(default_factory=dict)
    unit_cost_factors: Mapping[str, float] = field(default_factory=dict)
    budget: str | None = None

    def label(self, lang: str = "id") -> str:
        return self.title_en if lang == "en" else self.title


def _bad(file: str, key: str, value: Any, expected: str, expected_id: str) -> Problem:
    return problem(
        "SAN-E199", file, None, key, _show(value), expected=expected, expected_id=expected_id
    )


def _show(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def _text(data: Mapping[str, Any], key: str, file: str, problems: list[Problem]) -> str | None:
    if key not in data:
        return None
    v = data[key]
    if not isinstance(v, str) or not v.strip():
        problems.append(_bad(file, key, v, "a non-empty text", "teks yang tidak kosong"))
        return None
    return v.strip()


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def _parameters(
    table: Any, file: str, params: ParameterSet, problems: list[Problem]
) -> dict[str, str]:
    if not isinstance(table, dict):
        problems.append(_bad(file, "parameters", table, "a table", "tabel"))
        return {}
    out: dict[str, str] = {}
    for name, value in table.items():
        key = f"parameters.{name}"
        if name not in params:
            problems.append(problem("SAN-E018", file, None, key, name))
            continue
        unit = params[name].unit
        choices = choices_of(unit)
        if choices is not None:
            if not isinstance(value, str) or value not in choices:
                problems.append(
                    problem(
                        "SAN-E019",
                        file,
                        None,
                        key,
                        _show(value),
                        name=name,
                        unit=unit,
                        expected="one of " + ", ".join(choices),
                        expected_id="salah satu dari " + ", ".join(choices),
                    )
                )
                continue
            out[name] = value
            continue
        num = _number(value)
        if num is None:
            problems.append(
                problem(
                    "SAN-E019",
                    file,
                    None,
                    key,
                    _show(value),
                    name=name,
                    unit=unit,
                    expected="a number",
                    expected_id="angka",
                )
            )
            continue
        if is_fraction_unit(unit) and not 0.0 <= num <= 1.0:
            problems.append(
                problem(
                    "SAN-E011",
                    file,
                    None,
                    key,
                    _show(value),
                    name=name,
                    kind="a fraction",
                    kind_id="proporsi",
                    low=0,
                    high=1,
                )
            )
            continue
        out[name] = repr(num)
    return out


def _factors(
    table: Any, file: str, items: Collection[str], problems: list[Problem]
) -> dict[str, float]:
    if not isinstance(table, dict):
        problems.append(_bad(file, "unit_cost_factors", table, "a table", "tabel"))
        return {}
    out: dict[str, float] = {}
    for item, value in table.items():
        key = f"unit_cost_factors.{item}"
        if item not in items:
            problems.append(
                problem("SAN-E029", file, None, key, item, table="reference/unit_costs.csv")
            )
            continue
        num = _number(value)
        if num is None or num <= 0:
            problems.append(_bad(file, key, value, "a number above 0", "angka di atas 0"))
            continue
        out[item] = num
    return out


def parse_scenario(
    name: str,
    file: str,
    data: Mapping[str, Any],
    *,
    target_sets: Collection[str],
    parameters: ParameterSet,
    unit_cost_items: Collection[str],
    folder: Traversable,
    problems: list[Problem],
) -> Scenario | None:
    """One scenario from its parsed TOML ``data``; appends every problem to ``problems``
    and returns ``None`` when there is one."""
    before = len(problems)
    for key in data:
        if key not in TOP_KEYS:
            problems.append(problem("SAN-E198", file, None, None, key, choices=", ".join(TOP_KEYS)))
    title = _text(data, "title", file, problems) or name
    title_en = _text(data, "title_en", file, problems) or title
    description = _text(data, "description", file, problems) or ""
    sets: tuple[str, ...] | None = None
    if "target_sets" in data:
        raw = data["target_sets"]
        if (
            not isinstance(raw, list)
            or not raw
            or not all(isinstance(s, str) and s.strip() for s in raw)
        ):
            problems.append(
                _bad(
                    file,
                    "target_sets",
                    raw,
                    "a non-empty list of target-set codes",
                    "daftar kode set target yang tidak kosong",
                )
            )
        else:
            sets = tuple(s.strip() for s in raw)
            known = sorted(set(target_sets))
            problems += [
                problem("SAN-E017", file, None, "target_sets", s, choices=", ".join(known))
                for s in sets
                if s not in known
            ]
    params = _parameters(data.get("parameters", {}), file, parameters, problems)
    factors = _factors(data.get("unit_cost_factors", {}), file, unit_cost_items, problems)
    budget = _text(data, "budget", file, problems)
    if budget is not None and not (folder / budget).is_file():
        problems.append(
            problem("SAN-E001", file, None, "budget", budget, name=budget, folder=str(folder))
        )
    if len(problems) > before:
        return None
    return Scenario(
        name=name,
        title=title,
        title_en=title_en,
        file=file,
        description=description,
        target_sets=sets,
        parameters=params,
        unit_cost_factors=factors,
        budget=budget,
    )


def scenario_files(folder: Traversable) -> list[Traversable]:
    """The ``scenarios/*.toml`` files of ``folder``, sorted by name (none: empty)."""
    sub = folder / SCENARIO_DIR
    if not sub.is_dir():
        return []
    return sorted((f for f in sub.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)


def read_scenarios(
    folder: Traversable,
    *,
    target_sets: Collection[str],
    parameters: ParameterSet,
    unit_cost_items: Collection[str],
) -> list[Scenario]:
    """Every scenario of ``folder`` (``scenarios/*.toml``), validated against the city's
    target sets, the parameter set and the unit-cost items; raises :class:`InputErrors`
    with every problem of every file."""
    problems: list[Problem] = []
    out: list[Scenario] = []
    for f in scenario_files(folder):
        file = f"{SCENARIO_DIR}/{f.name}"
        try:
            data = tomllib.loads(f.read_bytes().decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            problems.append(problem("SAN-E197", file, None, None, None, reason=str(e)))
            continue
        sc = parse_scenario(
            f.name.removesuffix(".toml"),
            file,
            data,
            target_sets=target_sets,
            parameters=parameters,
            unit_cost_items=unit_cost_items,
            folder=folder,
            problems=problems,
        )
        if sc is not None:
            out.append(sc)
    if problems:
        raise InputErrors(problems)
    return out


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _toml_value(key)


def _toml_value(value: Any) -> str:
    """A TOML value: a basic string (JSON escapes are TOML's; DEL escaped too), a float
    written so it reads back to the same value, or an array of those."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        f = float(value)
        if not math.isfinite(f):
            raise ValueError(f"a scenario value must be finite, got {value!r}")
        return repr(f)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


def scenario_toml(data: Mapping[str, Any], comment: str = "") -> str:
    """The text of a scenario file holding ``data`` (the keys of :data:`TOP_KEYS`, as
    :func:`parse_scenario` reads them): ``tomllib`` reads it back to ``data`` (numbers as
    floats). The keys of a table are written sorted by name: the same text whatever order a
    database kept them in (PostgreSQL's JSON reorders them). ``comment``: lines written first
    as ``#`` comments."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    for key in TOP_KEYS:
        if key in data and not isinstance(data[key], Mapping):
            lines.append(f"{key} = {_toml_value(data[key])}")
    for key in TOP_KEYS:
        if isinstance(data.get(key), Mapping):
            lines += ["", f"[{key}]"]
            table = sorted(data[key].items(), key=lambda kv: str(kv[0]))
            lines += [f"{_toml_key(str(k))} = {_toml_value(v)}" for k, v in table]
    return "\n".join(lines) + "\n"


__all__ = [
    "SCENARIO_DIR",
    "TOP_KEYS",
    "Scenario",
    "parse_scenario",
    "read_scenarios",
    "scenario_files",
    "scenario_toml",
]
