"""Request and response schemas of the API. Percentages are 0–100; numbers are JSON numbers;
missing figures are ``null``."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, Field


class Message(Schema):
    detail: str


class FieldErrors(Schema):
    """422: ``errors`` maps each bad field to its messages; ``detail`` says what happened."""

    detail: str
    errors: dict[str, list[str]]


class Conflict(Schema):
    """409: the row already exists or was changed by someone else (``current``: as stored)."""

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
    gap_pts: float | None = Field(description="trajectory minus projection, percentage points")
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
    plan_profile: str
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
    """A new draft realisation: the output achieved and money spent (Rp) in one quarter."""

    model_config = ConfigDict(extra="forbid")

    year: int = Field(strict=True, ge=2000, le=2100)
    quarter: int = Field(strict=True, ge=1, le=4)
    output: float = Field(strict=True, ge=0, allow_inf_nan=False)
    cost: float = Field(strict=True, ge=0, allow_inf_nan=False)
    note: str = Field("", strict=True, max_length=4000)
    evidence: str = Field("", strict=True, max_length=4000)


Conflict.model_rebuild()
