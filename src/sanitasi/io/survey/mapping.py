"""Survey mappings: the TOML/JSON/YAML file naming each normalised field's column and
codebook, validated into :class:`SurveyMapping` (``sanitasi/data/survey/README.md``).
"""

from __future__ import annotations

import json
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sanitasi.core import survey as cs
from sanitasi.io.errors import InputErrors, Problem, errors_of, problem
from sanitasi.io.reference import data_root

SURVEY_DATA = "survey"


DEFAULT_MAPPING = "ehra"


#: Fields of a mapping: kind, whether the mapping must define it, whether the file may lack
#: its column (``optional`` in the mapping is allowed only for these).
FIELD_KINDS: dict[str, str] = {
    "kelurahan": "kode",
    "weight": "number",
    "toilet": "code",
    "use": "code",
    "disposal": "code",
    "desludging": "years",
    "urban": "code",
    "waste": "code",
}


REQUIRED_FIELDS: tuple[str, ...] = ("kelurahan", "toilet", "use", "disposal")


OPTIONAL_COLUMN_FIELDS: tuple[str, ...] = ("weight", "desludging", "urban", "waste")


LADDER_FIELDS: tuple[str, ...] = ("toilet", "use", "disposal", "desludging", "urban")


DESLUDGING_KINDS: tuple[str, ...] = ("coded", "years", "months")


MISSING_WORD = "missing"


NEVER_WORD = "never"


@dataclass(frozen=True)
class FieldSpec:
    """One normalised field of a mapping: its column, codebook and documentation.

    ``codes`` maps an answer (trimmed, lower-cased text) to a vocabulary word, ``missing``,
    a number of years (``desludging``) or ``never``; for ``kelurahan``, to a region code.
    """

    name: str
    column: str
    optional: bool = False
    kind: str = ""
    codes: Mapping[str, Any] = field(default_factory=dict)
    question: str = ""
    status: str = ""
    #: The codebook with the answers as written in the mapping (for an exact-match fast path).
    exact: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SurveyMapping:
    """A validated mapping (see ``sanitasi/data/survey/README.md``)."""

    name: str
    file: str
    fields: Mapping[str, FieldSpec]
    status: str = "unverified"
    source: str = ""
    note: str = ""

    def table(self) -> pd.DataFrame:
        """The codebook as a table: ``field, column, answer, normalised, question``."""
        rows = []
        for f in self.fields.values():
            if not f.codes:
                rows.append(dict(field=f.name, column=f.column, answer="", normalised=f.kind))
            for k, v in f.codes.items():
                rows.append(dict(field=f.name, column=f.column, answer=k, normalised=str(v)))
        out = pd.DataFrame(rows, columns=["field", "column", "answer", "normalised"])
        out["question"] = out["field"].map({f.name: f.question for f in self.fields.values()})
        return out


def mapping_path(name: str) -> Any:
    """The packaged mapping ``<name>_mapping.toml`` (``ehra`` or ``susenas``)."""
    return data_root() / SURVEY_DATA / f"{name}_mapping.toml"


def load_mapping(spec: str | os.PathLike[str] | None = None) -> SurveyMapping:
    """Read and validate a mapping: ``None``/``"ehra"``/``"susenas"`` (packaged) or a path to
    a ``.toml``, ``.json`` (or ``.yaml`` with PyYAML). Raises :class:`InputErrors` naming
    every problem (``SAN-E101`` unreadable, ``SAN-E102`` structure, ``SAN-E103`` vocabulary).
    """
    if spec is None or (isinstance(spec, str) and spec in ("ehra", "susenas")):
        name = DEFAULT_MAPPING if spec is None else str(spec)
        loc = mapping_path(name)
        return _mapping_from_text(loc.read_text(encoding="utf-8"), f"{name}_mapping.toml")
    path = Path(spec)
    label = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputErrors([problem("SAN-E101", label, reason=str(exc))]) from None
    return _mapping_from_text(text, label)


def _mapping_from_text(text: str, label: str) -> SurveyMapping:
    suffix = Path(label).suffix.lower()
    try:
        if suffix == ".json":
            raw = json.loads(text)
        elif suffix in (".yaml", ".yml"):
            try:
                import yaml
            except ImportError:
                raise InputErrors(
                    [
                        problem(
                            "SAN-E101",
                            label,
                            reason="YAML mappings need PyYAML (pip install pyyaml); "
                            "TOML and JSON need nothing",
                        )
                    ]
                ) from None
            raw = yaml.safe_load(text)
        else:
            raw = tomllib.loads(text)
    except InputErrors:
        raise
    except Exception as exc:  # tomllib/json/yaml syntax errors
        raise InputErrors([problem("SAN-E101", label, reason=str(exc))]) from None
    problems: list[Problem] = []
    mapping = _parse_mapping(raw, label, problems)
    if errors_of(problems) or mapping is None:
        raise InputErrors(problems)
    return mapping


def _bad(label: str, where: str, detail: str, detail_id: str | None = None) -> Problem:
    return problem(
        "SAN-E102", label, None, where, None, detail=detail, detail_id=detail_id or detail
    )


def _parse_mapping(raw: Any, label: str, problems: list[Problem]) -> SurveyMapping | None:
    if not isinstance(raw, dict):
        problems.append(_bad(label, "", "the mapping must be a table with [survey] and [fields.*]"))
        return None
    meta = raw.get("survey", {})
    fields_raw = raw.get("fields")
    if not isinstance(meta, dict):
        problems.append(_bad(label, "survey", "[survey] must be a table"))
        meta = {}
    if not isinstance(fields_raw, dict):
        problems.append(_bad(label, "fields", "[fields.<name>] tables are required"))
        return None
    for key in fields_raw:
        if key not in FIELD_KINDS:
            problems.append(
                _bad(
                    label,
                    f"fields.{key}",
                    f"unknown field {key}; fields are {', '.join(FIELD_KINDS)}",
                    f"isian {key} tidak dikenal; isian yang ada: {', '.join(FIELD_KINDS)}",
                )
            )
    for key in REQUIRED_FIELDS:
        if key not in fields_raw:
            problems.append(
                _bad(
                    label,
                    f"fields.{key}",
                    f"field {key} is required (with its column)",
                    f"isian {key} wajib ada (dengan kolomnya)",
                )
            )
    specs: dict[str, FieldSpec] = {}
    for name, spec in fields_raw.items():
        if name not in FIELD_KINDS:
            continue
        parsed = _parse_field(name, spec, label, problems)
        if parsed is not None:
            specs[name] = parsed
    return SurveyMapping(
        name=str(meta.get("name", label)),
        file=label,
        fields=specs,
        status=str(meta.get("status", "unverified")),
        source=str(meta.get("source", "")),
        note=str(meta.get("note", "")),
    )


def _parse_field(name: str, spec: Any, label: str, problems: list[Problem]) -> FieldSpec | None:
    where = f"fields.{name}"
    if (
        not isinstance(spec, dict)
        or not isinstance(spec.get("column"), str)
        or not spec["column"].strip()
    ):
        problems.append(_bad(label, where, f'{where} needs a column name (column = "...")'))
        return None
    optional = bool(spec.get("optional", False))
    if optional and name not in OPTIONAL_COLUMN_FIELDS:
        problems.append(
            _bad(
                label,
                f"{where}.optional",
                f"{name} cannot be optional; only {', '.join(OPTIONAL_COLUMN_FIELDS)}",
            )
        )
    kind = str(spec.get("kind", "coded" if name == "desludging" else FIELD_KINDS[name]))
    if name == "desludging" and kind not in DESLUDGING_KINDS:
        problems.append(
            _bad(label, f"{where}.kind", f"kind must be one of {', '.join(DESLUDGING_KINDS)}")
        )
    codes_raw = spec.get("codes", {})
    if not isinstance(codes_raw, dict):
        problems.append(_bad(label, f"{where}.codes", "codes must be a table answer = value"))
        codes_raw = {}
    if FIELD_KINDS[name] == "code" and not codes_raw:
        problems.append(_bad(label, f"{where}.codes", f"{name} needs a codebook [{where}.codes]"))
    codes: dict[str, Any] = {}
    exact: dict[str, Any] = {}
    for key, value in codes_raw.items():
        answer = str(key).strip().lower()
        if not answer:
            problems.append(
                _bad(
                    label,
                    f"{where}.codes",
                    "an empty answer cannot be mapped: a blank answer is always missing",
                    "jawaban kosong tidak dapat dipetakan: jawaban kosong selalu dianggap hilang",
                )
            )
            continue
        target = _code_target(name, value)
        if target is None:
            problems.append(
                problem(
                    "SAN-E103",
                    label,
                    None,
                    f"{where}.codes.{key}",
                    value,
                    choices=_choices(name),
                )
            )
            continue
        if answer in codes and codes[answer] != target:
            problems.append(
                _bad(
                    label,
                    f"{where}.codes.{key}",
                    f"answer {key!r} is mapped twice (answers compare trimmed and lower-cased)",
                    f"jawaban {key!r} dipetakan dua kali (dibandingkan tanpa spasi dan huruf kecil)",
                )
            )
        codes[answer] = target
        exact[str(key).strip()] = target
    return FieldSpec(
        name=name,
        column=spec["column"].strip(),
        optional=optional,
        kind=kind,
        codes=codes,
        question=str(spec.get("question", "")),
        status=str(spec.get("status", "")),
        exact=exact,
    )


def _choices(name: str) -> str:
    if name == "desludging":
        return f"a number of years >= 0 (inf allowed), {NEVER_WORD}, {MISSING_WORD}"
    if name == "kelurahan":
        return "a Kemendagri desa/kelurahan code"
    return ", ".join([*cs.VOCABULARIES[name], MISSING_WORD])


def _code_target(name: str, value: Any) -> Any:
    """Validated target of a codebook entry, or None when it is not allowed."""
    if name == "desludging":
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            return float(value) if value >= 0 and not math.isnan(value) else None
        word = str(value).strip().lower()
        return word if word in (NEVER_WORD, MISSING_WORD) else None
    if name == "kelurahan":
        return str(value).strip() if isinstance(value, str | int) and str(value).strip() else None
    if name == "weight":
        return None
    word = str(value).strip().lower()
    return word if word in (*cs.VOCABULARIES[name], MISSING_WORD) else None


__all__ = [
    "DEFAULT_MAPPING",
    "DESLUDGING_KINDS",
    "FIELD_KINDS",
    "FieldSpec",
    "LADDER_FIELDS",
    "MISSING_WORD",
    "NEVER_WORD",
    "OPTIONAL_COLUMN_FIELDS",
    "REQUIRED_FIELDS",
    "SURVEY_DATA",
    "SurveyMapping",
    "load_mapping",
    "mapping_path",
]
