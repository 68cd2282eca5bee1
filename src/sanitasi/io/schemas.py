"""pandera schemas of the city tables of :class:`sanitasi.core.model.PlanInputs`.

They state the contract the engine relies on (column, dtype, allowed values, ranges) and are
checked on every table :func:`sanitasi.io.city.load_city` returns. The loaders' own checks
come first and report each problem with its line; these schemas are the safety net.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from sanitasi.core.model import STATUSES
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
