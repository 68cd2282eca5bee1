"""Forms of the plan-editing screens: plan settings, target-set selection, the city's LOCAL
sasaran table, a parameter override and the published indicators.

Validation reuses the checks of the command line so that the web refuses exactly what
``sanitasi plan`` refuses, with the same rule text (the ``SAN-E0nn`` catalogue of
:mod:`sanitasi.io.errors`, Indonesian or English by the page language):

* settings: ``resolve_base_year`` (``SAN-E014``/``SAN-E020``: the base year must have
  kelurahan data) and ``resolve_horizon`` (``SAN-E013``/``SAN-E014``) of
  :mod:`sanitasi.io.city_checks`; the SSK period is checked here (both years or none,
  base year <= start <= end <= horizon: the CLI takes the period only from code);
* LOCAL sasaran: the table goes through ``parse_city_targets`` and ``target_order_problems``
  (:mod:`sanitasi.io.city_tables`) exactly as a city's ``targets.csv`` (% in 0-100, no
  negative value, whole years 1900-2100, kind target/baseline, status, duplicated
  indicator + year, a baseline dated after a target);
* parameter override: one row of a ``parameters.csv`` through ``parse_city_parameters``
  (unknown name ``SAN-E018``, a number or one of the choices ``SAN-E019``, fractions in
  [0, 1] ``SAN-E011``, status). A blank value keeps the reference value, as in
  ``parameters.csv``: saving a blank value clears the override.

Source of an override (our choice, the CLI fills a blank source with the file name): a
``sourced`` or ``derived`` override must cite its source; an ``unverified`` or
``illustrative`` one may leave it blank and is then recorded as ``plan override`` (the
source the engine gives overrides without one).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import pandas as pd
from django import forms
from django.utils.formats import sanitize_separators
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sanitasi.core.model import INDICATORS, STATUSES, ParameterSet
from sanitasi.io import city_checks as cc
from sanitasi.io import city_tables as ct
from sanitasi.io.errors import Problem
from sanitasi.io.reference import TARGET_KINDS, targets_with_lines
from sanitasi.io.tables import FILE, LINE
from sanitasi.reports.i18n import indicator_label
from sanitasi.web.cities import page_lang
from sanitasi.web.plans.models import BAU_CHOICES, GROWTH_CHOICES, LOCAL, STAGE_CHOICES

STATUS_CHOICES = [(s, s) for s in STATUSES]
KIND_CHOICES = [(k, k) for k in TARGET_KINDS]
#: Statuses whose override may leave its source blank.
SOURCE_OPTIONAL = frozenset({"unverified", "illustrative"})
#: Source recorded for an override given without one.
DEFAULT_SOURCE = "plan override"


def rule_text(p: Problem) -> str:
    """The rule of a CLI problem in the page language, with its code."""
    rule = p.message_id if page_lang() == "id" and p.message_id else p.rule
    return f"{rule} ({p.code})"


def _year_input() -> forms.NumberInput:
    return forms.NumberInput(attrs={"min": 1900, "max": 2100, "step": 1})


# --------------------------------------------------------------------------- settings


class PlanSettingsForm(forms.Form):
    """Base year, horizon, SSK period, growth method, BAU mode and stage of the plan.

    ``leaf_obs`` and ``leaves``: the city's observations and leaf region codes, to check
    that the base year has kelurahan data (as the CLI does).
    """

    base_year = forms.IntegerField(label=_("Base year"), widget=_year_input())
    horizon = forms.IntegerField(label=_("Horizon"), widget=_year_input())
    period_start = forms.IntegerField(
        label=_("SSK period: first year"), required=False, widget=_year_input()
    )
    period_end = forms.IntegerField(
        label=_("SSK period: last year"), required=False, widget=_year_input()
    )
    growth_method = forms.ChoiceField(label=_("Growth method"), choices=GROWTH_CHOICES)
    bau_mode = forms.ChoiceField(label=_("Business as usual"), choices=BAU_CHOICES)
    stage = forms.ChoiceField(label=_("Stage"), choices=STAGE_CHOICES, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, leaf_obs: pd.DataFrame, leaves: Sequence[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.leaf_obs = leaf_obs
        self.leaves = leaves

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        base, horizon = data.get("base_year"), data.get("horizon")
        if base is not None:
            _ok, problems = cc.resolve_base_year(self.leaf_obs, self.leaves, int(base))
            for p in problems:
                self.add_error("base_year", rule_text(p))
        if horizon is not None and "base_year" not in self.errors and base is not None:
            _ok, problems = cc.resolve_horizon(int(base), int(horizon))
            for p in problems:
                self.add_error("horizon", rule_text(p))
        start, end = data.get("period_start"), data.get("period_end")
        if (start is None) != (end is None):
            missing = "period_end" if end is None else "period_start"
            self.add_error(
                missing,
                gettext("Give both years of the SSK period, or neither (the engine default)."),
            )
        elif start is not None and end is not None:
            if start > end:
                self.add_error(
                    "period_end",
                    gettext("The SSK period must end (%(end)s) on or after its start (%(start)s).")
                    % {"start": start, "end": end},
                )
            if base is not None and start < base:
                self.add_error(
                    "period_start",
                    gettext(
                        "The SSK period must start (%(start)s) in or after the base year "
                        "(%(base)s)."
                    )
                    % {"start": start, "base": base},
                )
            if horizon is not None and end > horizon:
                self.add_error(
                    "period_end",
                    gettext(
                        "The SSK period must end (%(end)s) in or before the horizon (%(horizon)s)."
                    )
                    % {"end": end, "horizon": horizon},
                )
        return data


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


# --------------------------------------------------------------------------- target sets


def selected_codes(post: Any, available: Sequence[str]) -> tuple[list[str], list[str]]:
    """The target sets ticked in ``post`` (``use`` values) ordered by their ``pos-<code>``
    number (then by the order of ``available``), and the unknown codes.

    A blank or invalid position sorts the set after the numbered ones."""
    ticked = [str(c) for c in post.getlist("use")]
    unknown = [c for c in ticked if c not in available]
    rank = {c: i for i, c in enumerate(available)}

    def key(code: str) -> tuple[float, int]:
        raw = str(post.get(f"pos-{code}", "")).strip()
        try:
            pos = float(raw)
        except ValueError:
            pos = float("inf")
        return pos, rank[code]

    chosen = sorted(dict.fromkeys(c for c in ticked if c in rank), key=key)
    return chosen, unknown


# --------------------------------------------------------------------------- LOCAL sasaran

SASARAN_FIELDS: tuple[str, ...] = (
    "indicator",
    "year",
    "kind",
    "value",
    "unit",
    "source",
    "status",
    "note",
)


def _page_lang() -> str:
    """The language of the page being rendered (``en`` or ``id``)."""
    from django.utils.translation import get_language

    return "en" if (get_language() or "id").startswith("en") else "id"


class SasaranRowForm(forms.Form):
    """One point of the LOCAL set. Every field is text: the table is checked as a whole by
    the CLI rules in :func:`check_sasaran` (so the messages are the CLI's)."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    indicator = forms.CharField(label=_("Indicator"), required=False, max_length=64)
    year = forms.CharField(label=_("Year"), required=False, max_length=16)
    kind = forms.CharField(label=_("Kind"), required=False, max_length=16)
    value = forms.CharField(label=_("Value"), required=False, max_length=32)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=64)
    source = forms.CharField(label=_("Source"), required=False)
    status = forms.CharField(label=_("Status"), required=False, max_length=16)
    note = forms.CharField(label=_("Note"), required=False)
    delete = forms.BooleanField(label=_("Delete"), required=False)

    def __init__(self, *args: Any, indicators: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].widget = forms.Select(
            choices=[("", "–")] + [(c, indicator_label(c, _page_lang())) for c in indicators]
        )
        self.fields["kind"].widget = forms.Select(choices=KIND_CHOICES)
        self.fields["status"].widget = forms.Select(choices=[("", "–"), *STATUS_CHOICES])
        self.fields["year"].widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 5})
        self.fields["value"].widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 6})
        self.fields["unit"].widget = forms.TextInput(attrs={"size": 4})

    def clean_value(self) -> str:
        """The value as ``targets.csv`` writes it: a decimal comma (``88,5``, Indonesian) or
        point (``88.5``) both read as 88.5, by Django's separator rules for the language."""
        return str(sanitize_separators(str(self.cleaned_data.get("value") or "").strip()))

    def is_blank_new(self) -> bool:
        """A new row left empty (ignored, like a blank line of a CSV)."""
        d = self.cleaned_data
        return not d.get("id") and not any(
            str(d.get(f) or "").strip() for f in ("indicator", "year", "value", "source", "note")
        )


class BaseSasaranFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def __init__(self, *args: Any, indicators: Sequence[str] = (), **kwargs: Any) -> None:
        self.indicators = list(indicators)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs(index)
        kwargs["indicators"] = self.indicators
        return kwargs


SasaranFormSet = cast(
    type[BaseSasaranFormSet],
    forms.formset_factory(
        SasaranRowForm, formset=BaseSasaranFormSet, extra=3, max_num=500, validate_max=True
    ),
)


def indicator_choices(existing: Sequence[str]) -> list[str]:
    """Indicators a sasaran may use: the engine's catalogue plus any indicator the city's
    LOCAL set already has (a ``targets.csv`` may carry others, with warning ``SAN-W102``)."""
    out = list(INDICATORS)
    out += [c for c in dict.fromkeys(existing) if c and c not in out]
    return out


def check_sasaran(
    rows: Sequence[tuple[int, dict[str, Any]]], city_kode: str, allowed: Sequence[str]
) -> tuple[pd.DataFrame, dict[int, dict[str | None, list[str]]]]:
    """Check the whole LOCAL table with the CLI's ``targets.csv`` rules.

    ``rows``: (row number shown in the table, text of the row by :data:`SASARAN_FIELDS`) of
    every kept row. Returns the typed rows (``parse_city_targets`` output with ``scope_kode``
    = the city and the row number in ``LINE``) and the errors by row number and field
    (``None``: the whole row). An indicator outside ``allowed`` is refused here (the CLI only
    warns, ``SAN-W102``; the web offers the list).
    """
    df = pd.DataFrame(
        [
            {"target_set": LOCAL, **{f: str(r.get(f) or "").strip() for f in SASARAN_FIELDS}}
            for _n, r in rows
        ],
        columns=["target_set", *SASARAN_FIELDS],
    )
    df[LINE] = [n for n, _r in rows]
    parsed = ct.parse_city_targets(df, city_kode)
    errors: dict[int, dict[str | None, list[str]]] = {}

    def add(line: int | None, column: str | None, msg: str) -> None:
        if line is None:
            return
        field = column if column in SASARAN_FIELDS else None
        errors.setdefault(line, {}).setdefault(field, []).append(msg)

    for p in parsed.problems:
        if p.is_error:
            add(p.row, p.column, rule_text(p))
    for line, ind in zip(df[LINE], df["indicator"], strict=True):
        if ind and ind not in allowed:
            add(
                int(line),
                "indicator",
                gettext("Indicator %(code)s is not in the indicator catalogue.") % {"code": ind},
            )
    reference = targets_with_lines().assign(**{FILE: "reference/targets.csv"})
    local = parsed.df.copy()
    local[FILE] = gettext("sasaran table")
    combined = pd.concat([reference, local], ignore_index=True)
    for p in ct.target_order_problems(combined):
        if p.file != "reference/targets.csv" and p.is_error:
            add(p.row, p.column, rule_text(p))
    return parsed.df, errors


# --------------------------------------------------------------------------- parameters


class OverrideForm(forms.Form):
    """A plan's value for one reference parameter (value as in ``parameters.csv``: a number
    with '.' as decimal separator, or one word of a ``choice:`` unit)."""

    value = forms.CharField(label=_("Value"), required=False, max_length=200)
    source = forms.CharField(
        label=_("Source"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    status = forms.CharField(
        label=_("Status"),
        required=False,
        initial="unverified",
        widget=forms.Select(choices=STATUS_CHOICES),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    current = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, name: str, params: ParameterSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = name
        self.params = params
        self.override: ct.Override | None = None

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        value = str(data.get("value") or "").strip()
        source = str(data.get("source") or "").strip()
        status = str(data.get("status") or "").strip().lower() or "unverified"
        row = {"name": self.name, "value": value, "source": source, "status": status}
        df = pd.DataFrame([row])
        df[LINE] = 2
        found, problems = ct.parse_city_parameters(df, self.params)
        for p in problems:
            field = p.column if p.column in ("value", "status", "source") else None
            self.add_error(field, rule_text(p))
        if value and status not in SOURCE_OPTIONAL and not source and "status" not in self.errors:
            self.add_error(
                "source",
                gettext(
                    "An override with status %(status)s must cite its source "
                    "(only unverified or illustrative values may leave it blank)."
                )
                % {"status": status},
            )
        if not self.errors and found:
            o = found[0]
            self.override = ct.Override(o.name, o.value, source or DEFAULT_SOURCE, o.status)
        data["value"] = value
        data["source"] = source
        return data


# --------------------------------------------------------------------------- publishing


def published_codes(post: Any, available: Sequence[str]) -> tuple[list[str], list[str]]:
    """Ticked ``publish`` codes in the order of ``available``, and the unknown ones."""
    ticked = [str(c) for c in post.getlist("publish")]
    return [c for c in available if c in ticked], [c for c in ticked if c not in available]


__all__ = [
    "DEFAULT_SOURCE",
    "SOURCE_OPTIONAL",
    "OverrideForm",
    "PlanSettingsForm",
    "SasaranFormSet",
    "VersionForm",
    "check_sasaran",
    "indicator_choices",
    "published_codes",
    "rule_text",
    "selected_codes",
]
