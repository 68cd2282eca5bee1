"""The effect builder of the activity form: an activity's effect from drop-downs, never typed.

The stored value stays the effect string of ``programme.csv`` (the grammar of
:mod:`sanitasi.core.programme`: ``hh:FROM->TO:N``, ``tpd:FROM->TO:X``, ``cap:KIND:X``,
``;``-joined, or ``none``), so a city folder and the CLI are unchanged. On screen each term is
one row of four fields:

* **kind**: households between ladder rungs (``hh``), waste between streams (``tpd``), or
  added capacity (``cap``);
* **from**: a ladder rung or a waste stream (not asked for capacity);
* **to**: a rung, ``aman`` split by its service (*aman* with scheduled desludging, L2T2, or
  with a SPALD-T connection: the ``@l2t2`` / ``@spald_t`` of the grammar), a waste stream, or
  a capacity kind;
* **amount per unit of output** (a number in the page's language: ``0,2``).

Valid values come from the reference ladder and streams (:data:`sanitasi.core.model.RUNGS`,
:data:`sanitasi.core.programme.WASTE_TERMS`, ``SERVICES``, ``CAP_KINDS``) and are shown by
their labels, never as codes. Every rule of :func:`sanitasi.core.programme.parse_effects` is
checked here at its field, in the page's language; the string built from valid rows always
parses back to the same rows (:func:`terms_of`), which the tests check for every
combination. A blank row is ignored; no filled row means ``none`` (the preview says so).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanitasi.core.model import RUNGS
from sanitasi.core.programme import (
    CAP_KINDS,
    SERVICES,
    WASTE_TERMS,
    Effect,
    EffectError,
    parse_effects,
)
from sanitasi.reports.fmt import fmt_number
from sanitasi.reports.i18n import code_label, rung_label, t, unit_label

#: Effect kinds of the grammar.
KINDS = ("hh", "tpd", "cap")
#: Unit of each capacity kind (a key of reports.i18n.UNIT_LABELS).
CAP_UNITS: Mapping[str, str] = {
    "iplt_m3_per_day": "m3/day",
    "truk_tinja": "trucks",
    "truk_sampah": "trucks",
    "tpa_m3": "m3",
}
#: Prefix of the builder's fields in a form's data: ``effect-0-kind`` ...
PREFIX = "effect"
#: Blank rows shown after the filled ones.
BLANK_ROWS = 1


def kind_label(kind: str) -> str:
    labels = {
        "hh": _("Households between ladder rungs"),
        "tpd": _("Waste between streams (t/day)"),
        "cap": _("Added capacity"),
    }
    return labels[kind]


def service_label(service: str) -> str:
    labels = {
        "l2t2": _("with scheduled desludging (L2T2)"),
        "spald_t": _("with a sewer connection (SPALD-T)"),
    }
    return labels[service]


def _target_code(target: str, service: str) -> str:
    return f"{target}@{service}" if service else target


def term_choices(kind: str, lang: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(from choices, to choices) of ``kind``, as (code, label); codes of the grammar."""
    if kind == "hh":
        sources = [(r, rung_label(r, lang)) for r in RUNGS]
        targets: list[tuple[str, str]] = []
        for r in RUNGS:
            if r == "aman":
                targets += [
                    (_target_code(r, s), f"{rung_label(r, lang)} {service_label(s)}")
                    for s in SERVICES
                ]
            else:
                targets.append((r, rung_label(r, lang)))
        return sources, targets
    if kind == "tpd":
        streams = [(w, t(f"waste_{w}", lang)) for w in WASTE_TERMS]
        return streams, list(streams)
    if kind == "cap":
        return [], [(c, code_label("kind", c, lang)) for c in CAP_KINDS]
    return [], []


def _grouped(which: int, lang: str) -> list[tuple[str, Any]]:
    """Every kind's choices in one select, grouped by kind (a row whose kind is not chosen)."""
    groups: list[tuple[str, Any]] = [("", "—")]
    for kind in KINDS:
        options = term_choices(kind, lang)[which]
        if options:
            groups.append((kind_label(kind), options))
    return groups


#: Django's own message names the posted value (a code): say it without the code.
_CHOICE = {"invalid_choice": gettext_lazy("Choose one of the values listed for this kind.")}


class EffectTermForm(forms.Form):
    """One term of the effect. The choices of ``source``/``target`` follow the chosen kind."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Effect kind"), required=False, error_messages=_CHOICE
    )
    source = forms.ChoiceField(label=gettext_lazy("From"), required=False, error_messages=_CHOICE)
    target = forms.ChoiceField(label=gettext_lazy("To"), required=False, error_messages=_CHOICE)
    amount = forms.FloatField(
        label=gettext_lazy("Amount per unit of output"), required=False, localize=True
    )

    def __init__(self, *args: Any, lang: str = "id", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang = lang
        kind = self._raw("kind")
        self.fields["kind"].choices = [("", "—"), *((k, kind_label(k)) for k in KINDS)]  # type: ignore[attr-defined]
        for name, which in (("source", 0), ("target", 1)):
            field = self.fields[name]
            if kind in KINDS:
                options = term_choices(kind, lang)[which]
                field.choices = [("", "—"), *options]  # type: ignore[attr-defined]
            else:
                field.choices = _grouped(which, lang)  # type: ignore[attr-defined]
        for name in ("kind", "source", "target", "amount"):
            self.fields[name].widget.attrs["data-effect"] = name

    def _raw(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name), "") or "")
        return str(self.initial.get(name, "") or "")

    @property
    def asks_source(self) -> bool:
        return self._raw("kind") != "cap"

    def is_blank(self) -> bool:
        return not any(self._raw(n).strip() for n in ("kind", "source", "target", "amount"))

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.is_blank():
            return data
        kind = data.get("kind") or ""
        if not kind:
            self.add_error("kind", _("Choose the kind of effect."))
            return data
        source = data.get("source") or ""
        target = data.get("target") or ""
        amount = data.get("amount")
        if kind != "cap" and not source and "source" not in self.errors:
            self.add_error("source", _("Choose where the households or waste come from."))
        if not target and "target" not in self.errors:
            self.add_error("target", _("Choose where they go."))
        if kind != "cap" and source and target and source == target.split("@")[0]:
            self.add_error("target", _("“To” must differ from “From”."))
        if amount is None:
            if "amount" not in self.errors:
                self.add_error("amount", _("Give the amount per unit of output."))
        elif not amount > 0 or amount != amount or amount == float("inf"):
            self.add_error("amount", _("The amount per unit of output must be above 0."))
        return data

    def effect(self) -> Effect | None:
        """The valid row as an :class:`Effect` (``None`` for a blank row)."""
        if self.is_blank():
            return None
        d = self.cleaned_data
        kind = str(d["kind"])
        amount = float(d["amount"])
        if kind == "cap":
            return Effect("cap", "", str(d["target"]), amount)
        target, _sep, service = str(d["target"]).partition("@")
        return Effect(kind, str(d["source"]), target, amount, service)


def initial_of(term: Effect) -> dict[str, Any]:
    """The form row of one parsed term."""
    return {
        "kind": term.kind,
        "source": term.source,
        "target": _target_code(term.target, term.service),
        "amount": term.per_unit,
    }


def terms_of(effect: str) -> list[dict[str, Any]]:
    """The rows of a stored effect string (``none``/blank: no row); ``[]`` if it does not
    parse (the builder then starts empty and the stored text is shown next to it)."""
    try:
        return [initial_of(e) for e in parse_effects(effect)]
    except EffectError:
        return []


def effect_text(effects: Sequence[Effect]) -> str:
    """The stored string of the terms (``none`` for no term), as the CLI writes it."""
    return ";".join(str(e) for e in effects) or "none"


def describe(effect: Effect, lang: str) -> str:
    """One term in words: ``1 rumah tangga dari BABS tertutup ke Layak sendiri``."""
    amount = fmt_number(effect.per_unit, 6, lang, strip_zeros=True)
    if effect.kind == "hh":
        target = rung_label(effect.target, lang)
        if effect.service:
            target = f"{target} {service_label(effect.service)}"
        return _("%(amount)s %(unit)s from %(source)s to %(target)s") % {
            "amount": amount,
            "unit": unit_label("households", lang),
            "source": rung_label(effect.source, lang),
            "target": target,
        }
    if effect.kind == "tpd":
        return _("%(amount)s %(unit)s of waste from %(source)s to %(target)s") % {
            "amount": amount,
            "unit": unit_label("t/day", lang),
            "source": t(f"waste_{effect.source}", lang),
            "target": t(f"waste_{effect.target}", lang),
        }
    return _("%(kind)s +%(amount)s %(unit)s") % {
        "kind": code_label("kind", effect.target, lang),
        "amount": amount,
        "unit": unit_label(CAP_UNITS[effect.target], lang),
    }


@dataclass
class Preview:
    """What one unit of output does, in words (``lines``), or why it cannot be said yet."""

    lines: list[str]
    none: bool
    complete: bool


class EffectBuilder:
    """The rows of the effect of one activity form, bound to the posted data or to the stored
    effect string. ``rows`` = the filled rows + :data:`BLANK_ROWS` blank ones."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        effect: str = "none",
        lang: str = "id",
    ) -> None:
        self.lang = lang
        self.data = data
        if data is not None:
            count = self.posted_rows(data)
            filled = [
                i for i in range(count) if not _blank_in(data, f"{PREFIX}-{i}")
            ]  # keep every posted row, add blanks after the last filled one
            n = max(count, (filled[-1] + 1 if filled else 0) + BLANK_ROWS)
            self.rows = [EffectTermForm(data, prefix=f"{PREFIX}-{i}", lang=lang) for i in range(n)]
        else:
            initial = terms_of(effect)
            self.rows = [
                EffectTermForm(initial=row, prefix=f"{PREFIX}-{i}", lang=lang)
                for i, row in enumerate([*initial, *([{}] * BLANK_ROWS)])
            ]
        #: a stored effect the builder cannot show (only from an older database)
        self.stored_unparsed = (
            data is None and effect.strip().lower() not in ("", "none") and not terms_of(effect)
        )
        self.stored = effect

    @staticmethod
    def posted(data: Mapping[str, Any]) -> bool:
        """Whether ``data`` carries the builder's rows (else a client posted the text)."""
        return f"{PREFIX}-0-kind" in data

    @staticmethod
    def posted_rows(data: Mapping[str, Any]) -> int:
        i = 0
        while any(f"{PREFIX}-{i}-{n}" in data for n in ("kind", "source", "target", "amount")):
            i += 1
        return i

    def is_valid(self) -> bool:
        return all(row.is_valid() for row in self.rows)

    def effects(self) -> list[Effect]:
        """The valid rows' terms (call after :meth:`is_valid`)."""
        return [e for row in self.rows if row.is_valid() and (e := row.effect()) is not None]

    def text(self) -> str:
        return effect_text(self.effects())

    def preview(self) -> Preview:
        if self.data is None:  # the stored effect, as it is
            try:
                stored = parse_effects(self.stored)
            except EffectError:
                return Preview([], none=False, complete=False)
            return Preview([describe(e, self.lang) for e in stored], none=not stored, complete=True)
        if not self.is_valid():
            return Preview([], none=False, complete=False)
        effects = self.effects()
        return Preview([describe(e, self.lang) for e in effects], none=not effects, complete=True)


def _blank_in(data: Mapping[str, Any], prefix: str) -> bool:
    return not any(
        str(data.get(f"{prefix}-{n}", "") or "").strip()
        for n in ("kind", "source", "target", "amount")
    )
