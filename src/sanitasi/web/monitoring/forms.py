"""The realisation form: a quarter's output, money spent and note (year and quarter only when
the row is created; ``version`` is the optimistic-locking token of the row being edited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sanitasi.web.monitoring.period import MAX_YEAR, MIN_YEAR


class RealisationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    quarter = forms.IntegerField(label=_("Quarter"), min_value=1, max_value=4)
    output_achieved = forms.FloatField(label=_("Output achieved"), min_value=0, localize=True)
    cost_spent_idr = forms.FloatField(label=_("Money spent (Rp)"), min_value=0, localize=True)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:  # year and quarter identify the row: fixed once created
            for name in ("year", "quarter"):
                self.fields[name].disabled = True
                self.fields[name].required = False

    def clean_version(self) -> int | None:
        v: int | None = self.cleaned_data.get("version")
        if self.editing and v is None:
            raise forms.ValidationError(_("Missing version: reload the page."))
        return v


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What to fix"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
