"""The activity form (programme matrix row + supporting agencies + planned years) and the
review forms (adopt, reject with a comment).

The web refuses what the CLI refuses, with the CLI's messages: after Django has parsed the
fields (numbers in the page's language, choices), :meth:`ActivityForm.clean` writes the row as
the one-row ``programme.csv`` it stands for and runs the CLI's own checks
(:func:`sanitasi.io.programme_tables.parse_programme`: required texts, sector, sasaran, lead
and supporting agencies known, location inside the city, funding source, plan profile, effect
grammar, planned numbers not negative). Each problem is shown at its field, with its code
(e.g. ``SAN-E041``); the CLI's warnings (lead also supporting, effect or sasaran of the other
sector) do not block the save and are shown after it.

Rules only the database knows are added here: the code is unique within the city (codes
repeat across cities), it is usable in a URL, and an extra planned year lies within the plan
(after the base year, up to the horizon).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
from django import forms
from django.utils.translation import gettext_lazy as _

from sanitasi.core.model import INDICATORS
from sanitasi.io import programme_tables as pt
from sanitasi.io.errors import Problem
from sanitasi.io.reference import wilayah_index
from sanitasi.io.tables import LINE
from sanitasi.reports.i18n import code_label
from sanitasi.web.basemodels import CODE_LENGTH
from sanitasi.web.monitoring.forms import ISO_DATE, IsoDateInput
from sanitasi.web.programme.effects import EffectBuilder
from sanitasi.web.programme.models import (
    ACTIVITY_TEXT_FIELDS,
    FUNDING_CHOICES,
    PROFILE_CHOICES,
    SECTOR_CHOICES,
    STATUS_CHOICES,
    Activity,
)

#: Activity codes: letters, digits, ``.``, ``_`` and ``-`` (they appear in URLs).
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
#: Codes that would clash with the screens' own URLs (``programme/new/``).
RESERVED_CODES = frozenset({"new", "effect-preview"})
#: CLI column -> form field, where they differ.
FIELD_OF_COLUMN = {"location_kode": "location"}
#: Form fields written as text columns of programme.csv.
TEXT_FIELDS = ("code", *ACTIVITY_TEXT_FIELDS)


def output_field(year: int) -> str:
    return f"planned_output_{year}"


def cost_field(year: int) -> str:
    return f"planned_cost_{year}"


class CodeChoiceField(forms.ChoiceField):
    """A select of codes whose value is checked by the CLI rules, not by the choices (so an
    unknown agency or a region outside the city gets the CLI's message)."""

    def valid_value(self, value: Any) -> bool:
        return True


class CodeMultipleChoiceField(forms.MultipleChoiceField):
    """Several codes (supporting agencies), checked by the CLI rules like
    :class:`CodeChoiceField`."""

    def valid_value(self, value: Any) -> bool:
        return True


def _textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _number_text(value: float | None) -> str:
    """A cleaned number as programme.csv writes it ('' for blank = 0, as the CLI reads it)."""
    return "" if value is None else repr(float(value))


class ActivityForm(forms.Form):
    """One activity of the matrix. ``years`` are the planned years shown (the SSK period and
    any year the activity already has); ``plan_years`` (first, last) bound the extra year.
    ``lead_code`` fixes the lead agency (an agency proposes for itself); ``editing`` fixes
    the code (it identifies the row: realisation and URLs refer to it)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_LENGTH,
        required=False,
        help_text=_("e.g. ALD-09; unique in the city"),
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=SECTOR_CHOICES)
    urgent_problem = forms.CharField(label=_("Urgent problem"), required=False, widget=_textarea())
    strategic_issue = forms.CharField(
        label=_("Strategic issue"), required=False, widget=_textarea()
    )
    objective = forms.CharField(label=_("Objective"), required=False, widget=_textarea())
    sasaran = forms.ChoiceField(label=_("Sasaran (indicator)"), required=False)
    strategy = forms.CharField(label=_("Strategy"), required=False, widget=_textarea())
    programme = forms.CharField(label=_("Programme"), required=False, widget=_textarea())
    activity = forms.CharField(label=_("Activity"), required=False, widget=_textarea())
    output_unit = forms.CharField(label=_("Output unit"), max_length=200, required=False)
    lead_agency = CodeChoiceField(label=_("Lead agency"), required=False)
    support_agencies = CodeMultipleChoiceField(
        label=_("Supporting agencies"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    location = CodeChoiceField(label=_("Location"), required=False)
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FUNDING_CHOICES)
    plan_profile = forms.ChoiceField(
        label=_("Quarterly plan profile"), choices=PROFILE_CHOICES, initial="linear"
    )
    effect = forms.CharField(
        label=_("Effect per unit of output"),
        required=False,
        initial="none",
        help_text=_("hh:FROM->TO:N, tpd:FROM->TO:X or cap:KIND:X, several joined by “;”, or none"),
    )
    status = forms.ChoiceField(label=_("Data status"), choices=STATUS_CHOICES, initial="unverified")
    adopted_on = forms.DateField(
        label=_("Adopted on"),
        required=False,
        input_formats=ISO_DATE,
        widget=IsoDateInput(),
        help_text=_(
            "When Bappeda adopted the activity: in that year it is judged from that quarter. "
            "Blank: in the plan from the start of the period."
        ),
    )
    extra_year = forms.IntegerField(label=_("Another year"), required=False)
    extra_output = forms.FloatField(label=_("Output"), required=False, localize=True)
    extra_cost = forms.FloatField(label=_("Cost (Rp)"), required=False, localize=True)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        city_kode: str,
        agencies: Sequence[tuple[str, str]],
        locations: Sequence[tuple[str, str]],
        years: Sequence[int],
        plan_years: tuple[int, int],
        lang: str = "id",
        editing: bool = False,
        lead_code: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.city_kode = city_kode
        self.years = tuple(sorted(set(years)))
        self.plan_years = plan_years
        self.lang = lang
        self.editing = editing
        self.lead_code = lead_code
        self.agency_codes = [c for c, _label in agencies]
        self.location_kodes = [k for k, _label in locations]
        self.warnings: list[str] = []
        self.parsed: pt.ProgrammeParsed | None = None
        # The effect comes from the builder's drop-downs (effects.py); a client posting only
        # the text field (the tests' and scripts' plain POST) keeps the text.
        posted = self.is_bound and EffectBuilder.posted(self.data)
        stored = str(self.initial.get("effect", "") or "none")
        self.effect_builder = EffectBuilder(self.data if posted else None, effect=stored, lang=lang)
        self.builds_effect = posted or not self.is_bound
        if self.builds_effect:
            self.fields["effect"].widget = forms.HiddenInput()
        self.fields["sasaran"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (k, str(v.get(f"name_{lang}", k))) for k, v in INDICATORS.items()
        ]
        # codes as values, labels as the visible text (no raw code on a screen)
        self.fields["funding_source"].choices = [  # type: ignore[attr-defined]
            (k, code_label("source", k, lang)) for k, _label in FUNDING_CHOICES
        ]
        self.fields["lead_agency"].choices = [("", "—"), *agencies]  # type: ignore[attr-defined]
        self.fields["support_agencies"].choices = list(agencies)  # type: ignore[attr-defined]
        self.fields["location"].choices = [("", "—"), *locations]  # type: ignore[attr-defined]
        for year in self.years:
            self.fields[output_field(year)] = forms.FloatField(
                label=_("Output %(year)s") % {"year": year}, required=False, localize=True
            )
            self.fields[cost_field(year)] = forms.FloatField(
                label=_("Cost %(year)s (Rp)") % {"year": year}, required=False, localize=True
            )
        if editing:
            self.fields["code"].disabled = True
        if lead_code is not None:
            self.fields["lead_agency"].disabled = True
            self.initial["lead_agency"] = lead_code
            # a proposal is adopted by Bappeda, who sets the date
            self.fields["adopted_on"].disabled = True

    # ------------------------------------------------------------------ layout helpers

    def year_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        """(year, output field, cost field) per planned year, for the template."""
        return [(y, self[output_field(y)], self[cost_field(y)]) for y in self.years]

    def main_fields(self) -> list[forms.BoundField]:
        skip = {"extra_year", "extra_output", "extra_cost", "version", "effect"}
        skip |= {output_field(y) for y in self.years} | {cost_field(y) for y in self.years}
        return [f for f in self.visible_fields() if f.name not in skip]

    # ------------------------------------------------------------------ checks

    def clean_code(self) -> str:
        code: str = (self.cleaned_data.get("code") or "").strip()
        if self.editing or not code:
            return code  # blank: the CLI rule (SAN-E027) reports it
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError(
                _("Use letters, digits, “.”, “_” and “-” only (no spaces), e.g. ALD-09.")
            )
        if code.lower() in RESERVED_CODES:
            raise forms.ValidationError(
                _("“%(code)s” is reserved; choose another code."), params={"code": code}
            )
        if Activity.objects.filter(city_kode=self.city_kode, code=code).exists():
            raise forms.ValidationError(
                _(
                    "This city already has an activity with code %(code)s (codes are unique in a city)."
                ),
                params={"code": code},
            )
        return code

    def clean_version(self) -> int | None:
        v: int | None = self.cleaned_data.get("version")
        if self.editing and v is None:
            raise forms.ValidationError(_("Missing version: reload the page."))
        return v

    def _clean_extra_year(self, data: dict[str, Any]) -> None:
        year = data.get("extra_year")
        given = data.get("extra_output") is not None or data.get("extra_cost") is not None
        if year is None:
            if given and "extra_year" not in self.errors:
                self.add_error("extra_year", _("Give the year of these figures."))
            return
        first, last = self.plan_years
        if not first <= year <= last:
            self.add_error(
                "extra_year",
                _("The year must be within the plan, %(first)s–%(last)s.")
                % {"first": first, "last": last},
            )
        elif year in self.years:
            self.add_error(
                "extra_year", _("%(year)s already has its own inputs above.") % {"year": year}
            )

    def planned(self) -> dict[int, tuple[float, float]]:
        """Year -> (output, cost) of the cleaned form (blank = 0, as the CLI reads it)."""
        d = self.cleaned_data
        out = {y: (d.get(output_field(y)) or 0.0, d.get(cost_field(y)) or 0.0) for y in self.years}
        if d.get("extra_year") is not None:
            out[int(d["extra_year"])] = (d.get("extra_output") or 0.0, d.get("extra_cost") or 0.0)
        return out

    def csv_row(self) -> dict[str, str]:
        """The cleaned form as the programme.csv row it stands for (all text)."""
        d = self.cleaned_data
        row = {f: str(d.get(f) or "") for f in TEXT_FIELDS}
        if self.editing:
            row["code"] = str(self.initial.get("code", ""))
        lead = self.lead_code if self.lead_code is not None else d.get("lead_agency")
        row["lead_agency"] = str(lead or "")
        row["support_agencies"] = ";".join(d.get("support_agencies") or [])
        row["location_kode"] = str(d.get("location") or "")
        adopted = d.get("adopted_on")
        row["adopted_on"] = adopted.isoformat() if adopted else ""
        for y in self.years:
            row[output_field(y)] = _number_text(d.get(output_field(y)))
            row[cost_field(y)] = _number_text(d.get(cost_field(y)))
        year = d.get("extra_year")
        if year is not None and year not in self.years:
            row[output_field(year)] = _number_text(d.get("extra_output"))
            row[cost_field(year)] = _number_text(d.get("extra_cost"))
        return row

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        self._clean_extra_year(data)
        if self.builds_effect and self.is_bound:
            if self.effect_builder.is_valid():
                data["effect"] = self.effect_builder.text()
            else:
                self.add_error("effect", _("Correct the effect at the marked fields."))
                # the other rules still run on the row; the save is refused by the error
                data["effect"] = "none"

        for p in self._cli_check(self.csv_row()):
            message = f"{p.message_id if self.lang == 'id' else p.rule} ({p.code})"
            if not p.is_error:
                self.warnings.append(message)
                continue
            field = self._field_of(p.column)
            if field is None or field not in self.errors:  # Django's message comes first
                self.add_error(field, message)
        return data

    def _field_of(self, column: str | None) -> str | None:
        if column is None:
            return None
        name = FIELD_OF_COLUMN.get(column, column)
        extra = self.cleaned_data.get("extra_year")
        if extra is not None and extra not in self.years:
            if name == output_field(extra):
                return "extra_output"
            if name == cost_field(extra):
                return "extra_cost"
        return name if name in self.fields else None

    def _cli_check(self, row: dict[str, str]) -> list[Problem]:
        """Problems of the one-row programme.csv, from the CLI's own checks."""
        from sanitasi.web.geography.models import Region
        from sanitasi.web.programme.models import Agency

        known = frozenset(
            Region.objects.filter(city_kode=self.city_kode).values_list("kode", flat=True)
        )
        places = pt.Places(self.city_kode, known, wilayah_index())
        agencies = pt.agency_lookup(
            Agency.objects.filter(city_kode=self.city_kode).values_list("code", flat=True)
        )
        df = pd.DataFrame([{**row, LINE: "2"}], dtype=str)
        parsed = pt.parse_programme(df, places, agencies)
        self.parsed = parsed
        return list(parsed.problems)


class ReviewForm(forms.Form):
    """Adopt a proposal: the version the reviewer saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class RejectForm(forms.Form):
    """Reject a proposal: the version the reviewer saw and why (required, shown to the
    agency)."""

    comment = forms.CharField(
        label=_("Why it is rejected"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_comment(self) -> str:
        comment = str(self.cleaned_data.get("comment") or "").strip()
        if not comment:
            raise forms.ValidationError(_("Say why: a rejection needs a comment."))
        return comment


class FilterForm(forms.Form):
    """The matrix filter (sector, state); an unknown value is refused at its field."""

    sector = forms.ChoiceField(label=_("Sector"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from sanitasi.web.programme.models import STATE_CHOICES

        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors")), *SECTOR_CHOICES]  # type: ignore[attr-defined]
        self.fields["state"].choices = [("", _("All states")), *STATE_CHOICES]  # type: ignore[attr-defined]
