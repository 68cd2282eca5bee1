"""Audit entries as the UI shows them: who, when, action, and field by field before → after.

The entries come from ``AuditEntry.objects.restrict(user)`` (the caller scopes them); this
module only turns them into rows with translated field and model labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst

from sanitasi.web.audit.models import AuditEntry

#: Bookkeeping fields left out of the "what changed" list.
HIDDEN = frozenset({"id", "version", "updated_at", "city_kode"})


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryRow:
    entry: AuditEntry
    model_label: str
    action_label: str
    changes: tuple[Change, ...]


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _label(model: type[models.Model] | None, attname: str) -> str:
    if model is not None:
        for f in model._meta.concrete_fields:
            if attname in (f.attname, f.name):
                return str(f.verbose_name)
        try:
            return str(getattr(model._meta.get_field(attname), "verbose_name", attname))
        except (FieldDoesNotExist, AttributeError):
            pass
    return attname.replace("_", " ")


def _text(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "–"
    return str(value)


def model_label(label: str) -> str:
    model = _model(label)
    return capfirst(str(model._meta.verbose_name)) if model is not None else label


def describe(entries: Iterable[AuditEntry]) -> list[HistoryRow]:
    rows = []
    for e in entries:
        model = _model(e.model)
        changes = tuple(
            Change(k, _label(model, k), _text(b), _text(a))
            for k, (b, a) in e.changed_fields().items()
            if k not in HIDDEN
        )
        rows.append(
            HistoryRow(
                entry=e,
                model_label=model_label(e.model),
                action_label=str(e.get_action_display()) or e.action,
                changes=changes,
            )
        )
    return rows


def object_history(user: Any, obj: models.Model) -> list[HistoryRow]:
    """The entries of ``obj`` that ``user`` may see, newest first."""
    qs = AuditEntry.objects.restrict(user).filter(
        city_kode=str(getattr(obj, "city_kode", "") or ""),
        model=obj._meta.label_lower,
        object_pk=str(obj.pk),
    )
    return describe(qs.select_related("user")[:100])
