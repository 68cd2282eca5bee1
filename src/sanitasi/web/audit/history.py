"""Audit entries as the UI shows them: who, when, action, and field by field before → after.

The entries come from ``AuditEntry.objects.restrict(user)`` (the caller scopes them); this
module only turns them into rows with translated field and model labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

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


_WINDOWS_PATH = re.compile(r"^[A-Za-z]:[\\/]")


def _text(value: Any) -> str:
    """A stored value for reading: lists joined, mappings as ``key: value``, a server path
    reduced to its last part (the history never shows where files sit on the server)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "–"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items()) or "–"
    if isinstance(value, str) and (value.startswith("/") or _WINDOWS_PATH.match(value)):
        tail = re.split(r"[\\/]", value.rstrip("/\\"))[-1]
        return tail or "–"
    return str(value)


def _field(model: type[models.Model] | None, attname: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    for f in model._meta.concrete_fields:
        if attname in (f.attname, f.name):
            return f
    return None


def _effect_words(value: Any) -> str | None:
    """An activity's effect string in words (the form's preview), ``None`` if it does not
    parse."""
    from sanitasi.core.programme import EffectError, parse_effects
    from sanitasi.web.cities import page_lang
    from sanitasi.web.programme.effects import describe

    try:
        terms = parse_effects(str(value))
    except EffectError:
        return None
    if not terms:
        return _("no change to households, waste or capacity")
    lang = page_lang()
    return "; ".join(describe(t, lang) for t in terms)


def _indicator_words(value: Any) -> str | None:
    from sanitasi.reports.i18n import indicator_label
    from sanitasi.web.cities import page_lang

    return indicator_label(str(value), page_lang())


#: Coded text fields shown in words: (model label, field) -> reader (``None``: as stored).
WORDS: dict[tuple[str, str], Any] = {
    ("programme.activity", "effect"): _effect_words,
    ("programme.activity", "sasaran"): _indicator_words,
}


def _display(model: type[models.Model] | None, attname: str, value: Any) -> str:
    """A field's value as a label: a choice by its label, a foreign key by the related
    row's name (its ``str``: a code, a kode and name, a user name), a coded text (an
    activity's effect, its sasaran) in words, never a raw id."""
    if model is not None and value not in (None, ""):
        reader = WORDS.get((model._meta.label_lower, attname))
        words = reader(value) if reader is not None else None
        if words is not None:
            return str(words)
    f = _field(model, attname)
    if f is not None and value not in (None, ""):
        if f.is_relation and f.related_model is not None:
            related = f.related_model._default_manager.filter(pk=value).first()
            if related is None:
                return _("(deleted)")
            if hasattr(related, "get_username"):
                full = getattr(related, "get_full_name", lambda: "")()
                return str(full or related.get_username())
            return str(related)
        if f.choices:
            labels = {str(k): str(v) for k, v in f.flatchoices}
            if str(value) in labels:
                return labels[str(value)]
    return _text(value)


def model_label(label: str) -> str:
    model = _model(label)
    return capfirst(str(model._meta.verbose_name)) if model is not None else label


def describe(entries: Iterable[AuditEntry]) -> list[HistoryRow]:
    rows = []
    for e in entries:
        model = _model(e.model)
        changes = tuple(
            Change(k, _label(model, k), _display(model, k, b), _display(model, k, a))
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
