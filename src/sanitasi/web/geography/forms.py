"""The boundary upload form: a GeoJSON file, the property holding the kode, and the source
and status given to features that carry none of their own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sanitasi.web.geography.geojson import DEFAULT_STATUS, KODE_PROPERTIES, size_problem
from sanitasi.web.geography.models import BOUNDARY_STATUS_CHOICES, SOURCE_LENGTH


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_(
            "A FeatureCollection of Polygon/MultiPolygon features in longitude/latitude "
            "(WGS 84), one per kelurahan/desa."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/json"}),
    )
    kode_property = forms.CharField(
        label=_("Property with the kode"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"list": "kode-properties"}),
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=SOURCE_LENGTH,
        help_text=_("For features without their own “source” property."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=BOUNDARY_STATUS_CHOICES,
        initial=DEFAULT_STATUS,
        help_text=_("For features without their own “status” property."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kode_property"].help_text = gettext(
            "Leave empty to use the first of: %(names)s."
        ) % {"names": ", ".join(KODE_PROPERTIES)}

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            problem = size_problem(int(upload.size or 0))
            if problem is not None:
                raise forms.ValidationError(problem.message)
        return upload

    def clean_kode_property(self) -> str:
        return str(self.cleaned_data.get("kode_property") or "").strip()
