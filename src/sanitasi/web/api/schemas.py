"""Request and response schemas of the API. Percentages are 0–100; numbers are JSON numbers;
missing figures are ``null``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, field_validator, model_validator


def _integral(value: Any) -> Any:
    """A JSON number without a fraction (``3.0``) is an integer in JSON Schema, and so in the
    OpenAPI description: take it as ``3``. Strings, booleans and ``3.5`` stay refused (strict)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: ``integer`` of the OpenAPI description: 3 and 3.0, never "3", true or 3.5.
JsonInt = Annotated[int, BeforeValidator(_integral)]

#: Realisation states (``sanitasi.web.monitoring.models``), for the list filter.
State = Literal["draft", "submitted", "verified"]
#: The default of a field that may be left out but not sent as ``null`` (typed ``Any`` so
#: that ``output: float = Field(LEFT_OUT)`` type-checks; the default is never validated).
LEFT_OUT: Any = None


def _no_default(schema: dict[str, Any]) -> None:
    """OpenAPI: an optional, non-nullable field (no ``default: null``)."""
    schema.pop("default", None)


class Message(Schema):
    detail: str


class FieldErrors(Schema):
    """422: ``errors`` maps each bad field to its messages; ``detail`` says what happened."""

    detail: str
    errors: dict[str, list[str]]


class Conflict(Schema):
    """409: the row already exists, was changed by someone else (stale ``version``) or is not
    in a state that allows the step (``current``: the row as stored now; ``null`` if it was
    deleted or never existed)."""

    detail: str
    current: RealisationOut | None = None


class CityOut(Schema):
    kode: str
    nama: str
    province_kode: str
    base_year: int | None
    horizon: int | None
    period_start: int | None
    period_end: int | None


class IndicatorYear(Schema):
    year: int
    baseline_pct: float | None = Field(description="baseline (base year), 0–100")
    trajectory_pct: float | None = Field(description="target trajectory, 0–100")
    binding_set: str | None = Field(description="target set binding the trajectory that year")
    projection_pct: float | None = Field(description="projection, business as usual, 0–100")
    gap_pts: float | None = Field(
        description="trajectory minus projection, percentage points (never negative)"
    )
    achieved_pts: float | None = Field(
        description="points by which the projection already exceeds the trajectory (a met "
        "target shows as achieved, +x, never as a negative gap)"
    )
    gap_units: float | None = Field(description="the gap in the indicator's unit")


class IndicatorOut(Schema):
    indicator: str
    label: str
    unit: str
    years: list[IndicatorYear]


class IndicatorsOut(Schema):
    city_kode: str
    base_year: int
    horizon: int
    period_start: int
    period_end: int
    target_sets: list[str]
    indicators: list[IndicatorOut]


class PlannedOut(Schema):
    year: int
    output: float
    cost: float


class ActivityOut(Schema):
    code: str
    sector: str
    activity: str
    output_unit: str
    lead_agency: str
    support_agencies: list[str]
    location_kode: str
    location_nama: str
    funding_source: str
    plan_profile: str = Field(
        description="linear, apbd (back-loaded) or completion (works counted at completion: "
        "may report physical progress)"
    )
    adopted_on: date | None = Field(
        description="when Bappeda adopted it (judged from that quarter in that year); null = "
        "in the plan from the start of the period"
    )
    state: str
    status: str
    version: int
    can_report: bool = Field(description="whether the caller may report realisation on it")
    planned: list[PlannedOut]


class RealisationOut(Schema):
    id: int
    activity: str
    year: int
    quarter: int
    output: float
    cost: float
    progress: float | None = Field(
        description="physical progress (progres fisik), cumulative % 0–100 of the year's "
        "planned works at the end of the quarter; completion works only; null = not reported"
    )
    note: str
    evidence: str
    state: str
    status: str
    return_comment: str
    version: int
    submitted_by: str | None
    submitted_at: datetime | None
    verified_by: str | None
    verified_at: datetime | None
    updated_at: datetime


class RealisationIn(Schema):
    """A new draft realisation: the output achieved and money spent (Rp) in one quarter (a
    quarter that has started: a later one is a 422), and for works counted at completion
    the physical progress."""

    model_config = ConfigDict(extra="forbid")

    year: JsonInt = Field(strict=True, ge=2000, le=2100)
    quarter: JsonInt = Field(strict=True, ge=1, le=4)
    output: float = Field(strict=True, ge=0, allow_inf_nan=False)
    cost: float = Field(strict=True, ge=0, allow_inf_nan=False)
    progress: float | None = Field(
        None,
        strict=True,
        ge=0,
        le=100,
        allow_inf_nan=False,
        description="physical progress %, 0–100 (activities with plan profile completion only)",
    )
    note: str = Field("", strict=True, max_length=4000)
    evidence: str = Field("", strict=True, max_length=4000)


class RealisationPatch(Schema):
    """Changes to a draft (or returned) realisation: only the fields sent change. ``version``
    is the version the change is based on (from the last read); a stale one is a 409."""

    # at least one change besides ``version`` (a body with only the version is a 422): said
    # in the OpenAPI description too, so a client generating bodies from it knows
    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 2})

    version: JsonInt = Field(
        strict=True, ge=1, description="version of the row the change is based on"
    )
    # left out: unchanged; ``null`` is refused (a number or a string is expected)
    output: float = Field(
        LEFT_OUT, strict=True, ge=0, allow_inf_nan=False, json_schema_extra=_no_default
    )
    cost: float = Field(
        LEFT_OUT, strict=True, ge=0, allow_inf_nan=False, json_schema_extra=_no_default
    )
    note: str = Field(LEFT_OUT, strict=True, max_length=4000, json_schema_extra=_no_default)
    evidence: str = Field(LEFT_OUT, strict=True, max_length=4000, json_schema_extra=_no_default)
    # ``null`` clears the physical progress
    progress: float | None = Field(
        LEFT_OUT,
        strict=True,
        ge=0,
        le=100,
        allow_inf_nan=False,
        description="physical progress %, 0–100 (completion works only); null clears it",
        json_schema_extra=_no_default,
    )

    @model_validator(mode="after")
    def _changes_something(self) -> RealisationPatch:
        if not self.model_fields_set - {"version"}:
            raise ValueError("Nothing to change: send output, cost, progress, note or evidence.")
        return self


class VersionIn(Schema):
    """A workflow step on the row as read at ``version`` (a stale one is a 409)."""

    model_config = ConfigDict(extra="forbid")

    version: JsonInt = Field(
        strict=True, ge=1, description="version of the row the step is based on"
    )


class ReturnIn(VersionIn):
    """Return a submitted realisation to the agency, saying what to fix."""

    comment: str = Field(strict=True, min_length=1, max_length=4000, description="what to fix")

    @field_validator("comment")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("Say what to fix: a returned realisation needs a comment.")
        return v


class RealisationFilter(Schema):
    """Filters of the city's realisation list (all optional; combined with AND)."""

    state: State | None = Field(None, description="e.g. submitted: the verify queue")
    year: int | None = Field(None, ge=2000, le=2100)
    quarter: int | None = Field(None, ge=1, le=4)
    activity: str | None = Field(None, max_length=64, description="activity code")


Conflict.model_rebuild()
