"""pandera schemas of the city tables of :class:`sanitasi.core.model.PlanInputs` and of
:class:`sanitasi.core.programme.ProgrammeInputs`.

They state the contract the engine relies on (column, dtype, allowed values, ranges) and are
checked on every table :func:`sanitasi.io.city.load_city` returns. The loaders' own checks
come first and report each problem with its line; these schemas are the safety net.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from sanitasi.core.model import FUNDING_SOURCES, INDICATORS, STATUSES
from sanitasi.core.programme import (
    ACTION_STATES,
    MEETING_KINDS,
    MILESTONES,
    PLAN_PROFILES,
    REALISATION_STATES,
    SECTORS,
)
from sanitasi.io.reference import TARGET_KINDS, TINGKAT, TargetsModel


class RegionsModel(pa.DataFrameModel):
    """``regions``: every ancestor of every leaf up to the province."""

    kode: Series[str] = pa.Field(unique=True, str_matches=r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
    nama: Series[str]
    tingkat: Series[str] = pa.Field(isin=TINGKAT)
    parent_kode: Series[str]
    urban: Series[bool]
    spald_t_zone: Series[str]
    area_km2: Series[float] = pa.Field(ge=0, nullable=True)

    class Config:
        strict = True

    @pa.dataframe_check(name="SAN-E005")
    def parents_present(cls, df: pd.DataFrame) -> pd.Series:
        return df["parent_kode"].eq("") | df["parent_kode"].isin(df["kode"])


class ObservationsModel(pa.DataFrameModel):
    """``observations``: long table, one value per ``kode, year, indicator``."""

    kode: Series[str]
    year: Series[int] = pa.Field(in_range={"min_value": 1900, "max_value": 2100})
    indicator: Series[str] = pa.Field(str_length={"min_value": 1})
    value: Series[float] = pa.Field(ge=0)
    status: Series[str] = pa.Field(isin=STATUSES)
    unit: Series[str]
    source: Series[str]

    class Config:
        strict = True
        unique = ["kode", "year", "indicator"]


class PlanTargetsModel(TargetsModel):
    """``targets``: reference sets plus the city's rows (``scope_kode`` set for LOCAL)."""

    year: Series[int] = pa.Field(in_range={"min_value": 1900, "max_value": 2100})
    kind: Series[str] = pa.Field(isin=TARGET_KINDS)

    class Config:
        unique = ["target_set", "indicator", "year"]


class FacilitiesModel(pa.DataFrameModel):
    """``facilities``: ``capacity`` NaN when unknown."""

    id: Series[str] = pa.Field(unique=True)
    type: Series[str]
    kode: Series[str]
    capacity: Series[float] = pa.Field(ge=0, nullable=True)
    capacity_unit: Series[str]
    status: Series[str] = pa.Field(isin=STATUSES)

    class Config:
        strict = False


# --------------------------------------------------------------------------- programme side


class ActivitiesModel(pa.DataFrameModel):
    """``activities`` of :class:`~sanitasi.core.programme.ProgrammeInputs`."""

    city_kode: Series[str]
    code: Series[str] = pa.Field(str_length={"min_value": 1})
    sector: Series[str] = pa.Field(isin=SECTORS)
    sasaran: Series[str] = pa.Field(isin=list(INDICATORS))
    lead_agency: Series[str] = pa.Field(str_length={"min_value": 1})
    location_kode: Series[str] = pa.Field(str_length={"min_value": 1})
    funding_source: Series[str] = pa.Field(isin=FUNDING_SOURCES)
    plan_profile: Series[str] = pa.Field(isin=PLAN_PROFILES)
    status: Series[str] = pa.Field(isin=STATUSES)
    adopted_on: Series[pd.Timestamp] = pa.Field(nullable=True)

    class Config:
        strict = False
        unique = ["city_kode", "code"]


class PlannedModel(pa.DataFrameModel):
    """``planned``: long, one row per activity and year."""

    city_kode: Series[str]
    code: Series[str]
    year: Series[int] = pa.Field(in_range={"min_value": 1900, "max_value": 2100})
    planned_output: Series[float] = pa.Field(ge=0)
    planned_cost_idr: Series[float] = pa.Field(ge=0)

    class Config:
        strict = True
        unique = ["city_kode", "code", "year"]


class RealisationModel(pa.DataFrameModel):
    """``realisation``: increments per activity, year and quarter."""

    city_kode: Series[str]
    activity_code: Series[str]
    year: Series[int] = pa.Field(in_range={"min_value": 1900, "max_value": 2100})
    quarter: Series[int] = pa.Field(isin=[1, 2, 3, 4])
    output_achieved: Series[float] = pa.Field(ge=0)
    cost_spent_idr: Series[float] = pa.Field(ge=0)
    progress_pct: Series[float] = pa.Field(ge=0, le=100, nullable=True)
    state: Series[str] = pa.Field(isin=REALISATION_STATES)
    note: Series[str]
    status: Series[str] = pa.Field(isin=STATUSES)

    class Config:
        strict = True
        unique = ["city_kode", "activity_code", "year", "quarter"]


class MeetingsModel(pa.DataFrameModel):
    """``meetings``: ``date`` is a datetime."""

    city_kode: Series[str]
    id: Series[str] = pa.Field(str_length={"min_value": 1})
    date: Series[pd.Timestamp]
    kind: Series[str] = pa.Field(isin=MEETING_KINDS)
    milestone: Series[str] = pa.Field(isin=["", *MILESTONES])

    class Config:
        strict = False
        unique = ["city_kode", "id"]


class ActionItemsModel(pa.DataFrameModel):
    """``action_items``: ``state`` is the action's, ``status`` the provenance."""

    city_kode: Series[str]
    meeting_id: Series[str]
    action: Series[str]
    owner_agency: Series[str]
    due_date: Series[pd.Timestamp]
    state: Series[str] = pa.Field(isin=ACTION_STATES)
    status: Series[str] = pa.Field(isin=STATUSES)

    class Config:
        strict = True
