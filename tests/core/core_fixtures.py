"""Fixtures of the core engine tests: the Kota Solok demo and a two-city variant of it."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from sanitasi.core.model import PlanInputs, PlanOptions, PlanResult
from sanitasi.core.results import run_plan
from sanitasi.io.city import load_city

#: Kota Solok (the demo) and the made-up second city re-keyed from it (13.71 is Kota Padang's
#: real code; the data are a scaled copy of Kota Solok's, not Padang's).
SOLOK = "13.72"
OTHER = "13.71"

#: Count indicators halved in the second city (shares, rates and TPA life are kept).
_SCALED = (
    "population",
    "households",
    "waste_generated_tpd",
    "waste_pengurangan_tpd",
    "waste_penanganan_tpd",
    "waste_landfilled_tpd",
    "tpa_inflow_tpd",
)


@pytest.fixture(scope="session")
def demo() -> tuple[PlanInputs, PlanOptions]:
    return load_city(None)


@pytest.fixture(scope="session")
def demo_result(demo: tuple[PlanInputs, PlanOptions]) -> PlanResult:
    inputs, options = demo
    return run_plan(inputs, options)


def _rekey(s: pd.Series) -> pd.Series:
    return s.astype(str).str.replace(r"^13\.72", OTHER, regex=True)


def two_city_inputs(inputs: PlanInputs, scale: float = 0.5) -> PlanInputs:
    """The demo plus a second, smaller city: every 13.72* region, observation and facility is
    copied with its code re-keyed to 13.71* (parents too), counts multiplied by ``scale``.
    Targets are untouched, so ``LOCAL`` rows exist only for 13.72."""
    reg = inputs.regions
    r2 = reg[reg["kode"].astype(str).str.startswith(SOLOK)].copy()
    r2["kode"] = _rekey(r2["kode"])
    r2["parent_kode"] = _rekey(r2["parent_kode"])
    r2["nama"] = r2["nama"].astype(str) + " (B)"
    obs = inputs.observations
    o2 = obs[obs["kode"].astype(str).str.startswith(SOLOK)].copy()
    o2["kode"] = _rekey(o2["kode"])
    counts = o2["indicator"].isin(_SCALED) | o2["indicator"].astype(str).str.startswith("hh_")
    o2.loc[counts, "value"] = o2.loc[counts, "value"] * scale
    fac = inputs.facilities
    f2 = fac[fac["kode"].astype(str).str.startswith(SOLOK)].copy()
    f2["kode"] = _rekey(f2["kode"])
    f2["id"] = f2["id"].astype(str) + "-B"
    return replace(
        inputs,
        regions=pd.concat([reg, r2], ignore_index=True),
        observations=pd.concat([obs, o2], ignore_index=True),
        facilities=pd.concat([fac, f2], ignore_index=True),
    )


@pytest.fixture(scope="session")
def two_city_result(demo: tuple[PlanInputs, PlanOptions]) -> PlanResult:
    inputs, options = demo
    return run_plan(two_city_inputs(inputs), options)
