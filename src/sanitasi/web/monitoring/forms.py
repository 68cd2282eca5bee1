"""The realisation form: a quarter's output, money spent and note (year and quarter only when
the row is created; ``version`` is the optimistic-locking token of the row being edited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sanitasi.io.evidence import ACCEPT
from sanitasi.io.limits import limits
from sanitasi.web.monitoring.period import MAX_YEAR, MIN_YEAR
from sanitasi.web.programme.models import Agency


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that takes several files (``multiple``)."""

    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several uploaded files (possibly none): a list of ``UploadedFile``. Only presence is
    checked here; type, size and count are checked by
    :func:`sanitasi.web.evidence.service.check` (the content, not the name)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(EvidenceFilesField, self).clean(f, initial) for f in files if f]


class RealisationForm(forms.Form):
    """``completion``: the activity is counted at completion and may report its physical
    progress (``progress_pct``, 0-100); for other activities the field is left out."""

    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    quarter = forms.IntegerField(label=_("Quarter"), min_value=1, max_value=4)
    output_achieved = forms.FloatField(label=_("Output achieved"), min_value=0, localize=True)
    cost_spent_idr = forms.FloatField(label=_("Money spent (Rp)"), min_value=0, localize=True)
    progress_pct = forms.FloatField(
        label=_("Physical progress (%)"),
        min_value=0,
        max_value=100,
        required=False,
        localize=True,
        help_text=_(
            "Cumulative % of this year's planned works physically done at the end of the "
            "quarter (progres fisik); the output counts when the works are complete."
        ),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_files = EvidenceFilesField(
        label=_("Evidence files"),
        help_text=_(
            "Photos (JPEG, PNG, WebP), PDF or XLSX; at most %(files)s files per quarter of "
            "%(mb)s MB each."
        ),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, editing: bool = False, completion: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.completion = completion
        bounds = limits()
        field = self.fields["evidence_files"]
        field.help_text = field.help_text % {
            "files": bounds.evidence_max_files,
            "mb": f"{bounds.evidence_max_bytes / 2**20:g}",
        }
        if not completion:
            del self.fields["progress_pct"]
        if editing:  # year and quarter identify the row: fixed once created
            for name in ("year", "quarter"):
                self.fields[name].disabled = True
                self.fields[name].required = False

    def progress(self) -> float | None:
        """The cleaned physical progress (``None``: blank, or not a completion activity)."""
        value: float | None = self.cleaned_data.get("progress_pct")
        return value

    def clean_version(self) -> int | None:
        v: int | None = self.cleaned_data.get("version")
        if self.editing and v is None:
            raise forms.ValidationError(_("Missing version: reload the page."))
        return v


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What to fix"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


ISO_DATE = ["%Y-%m-%d"]


class IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class MeetingForm(forms.Form):
    """A meeting of a city: participants are agencies of that city (``agencies``)."""

    code = forms.SlugField(label=_("Meeting id"), max_length=64, help_text=_("e.g. MTG-09"))
    date = forms.DateField(label=_("Date"), input_formats=ISO_DATE, widget=IsoDateInput())
    kind = forms.ChoiceField(label=_("Kind"))
    milestone = forms.ChoiceField(label=_("Milestone"), required=False)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"), queryset=Agency.objects.none(), required=False
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decisions = forms.CharField(
        label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, agencies: Any, taken: set[str], **kwargs: Any) -> None:
        from sanitasi.web.monitoring.models import KIND_CHOICES, MILESTONE_CHOICES

        super().__init__(*args, **kwargs)
        self.taken = taken
        self.fields["kind"].choices = KIND_CHOICES  # type: ignore[attr-defined]
        self.fields["milestone"].choices = MILESTONE_CHOICES  # type: ignore[attr-defined]
        self.fields["participants"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["participants"].label_from_instance = (  # type: ignore[attr-defined]
            lambda a: f"{a.code} · {a.name_id}"
        )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if code in self.taken:
            raise forms.ValidationError(_("This city already has a meeting with this id."))
        return code

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("kind") == "milestone_review" and not data.get("milestone"):
            self.add_error("milestone", _("A milestone review needs its milestone (M1–M4)."))
        return data


class ActionItemForm(forms.Form):
    action = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner_agency = forms.ModelChoiceField(label=_("Owner"), queryset=Agency.objects.none())
    due_date = forms.DateField(label=_("Due date"), input_formats=ISO_DATE, widget=IsoDateInput())

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["owner_agency"].label_from_instance = (  # type: ignore[attr-defined]
            lambda a: f"{a.code} · {a.name_id}"
        )
