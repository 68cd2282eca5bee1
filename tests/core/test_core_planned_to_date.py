"""Planned to date of single realisation rows (the web's verify queue; docs/METHOD.md §10.2
and §10.3): ``planned_to_date`` gives the same shares as ``activity_shares`` without
building a programme."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from programme_helpers import activity_row, monitoring_params, programme

from hypothesis_profiles import examples
from sanitasi.core.model import ParameterSet
from sanitasi.core.monitoring import activity_shares, planned_to_date


@pytest.fixture(scope="module")
def params() -> ParameterSet:
    return monitoring_params()


def _rows(*rows: tuple[str, str | None, int, int, float, float]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=[
            "plan_profile",
            "adopted_on",
            "year",
            "quarter",
            "planned_output",
            "planned_cost_idr",
        ],
    ).assign(adopted_on=lambda d: pd.to_datetime(d["adopted_on"]))


def test_hand_computed(params: ParameterSet) -> None:
    out = planned_to_date(
        _rows(
            ("linear", None, 2026, 2, 8.0, 400e6),  # s(2) = 0.5: 4 units, Rp 200 m
            ("apbd", None, 2026, 3, 100.0, 600e6),  # s(3) = 0.7: 70, Rp 420 m
            # METHOD §10.2: linear adopted 10 August (Q3), 100 planned: s'(3) = 0.5 -> 50
            ("linear", "2026-08-10", 2026, 3, 100.0, 0.0),
            ("linear", "2026-08-10", 2026, 2, 100.0, 0.0),  # before adoption: 0
            # completion adopted in Q3: s'(4) = (1 - 0.35) / (1 - 0.35) = 1
            ("completion", "2026-07-01", 2026, 4, 1.0, 550e6),
            ("completion", "2027-01-05", 2026, 4, 1.0, 550e6),  # adopted after the year: 0
            ("completion", "2025-03-01", 2026, 1, 2.0, 0.0),  # adopted before: s(1) = 0.1
        ),
        params,
    )
    assert out["share"].tolist() == pytest.approx([0.5, 0.7, 0.5, 0.0, 1.0, 0.0, 0.1])
    assert out["planned_output_to_date"].tolist() == pytest.approx(
        [4.0, 70.0, 50.0, 0.0, 1.0, 0.0, 0.2]
    )
    assert out["planned_cost_to_date_idr"].tolist() == pytest.approx(
        [200e6, 420e6, 0.0, 0.0, 550e6, 0.0, 0.0]
    )


def test_unknown_profile(params: ParameterSet) -> None:
    with pytest.raises(ValueError, match="unknown plan_profile"):
        planned_to_date(_rows(("weekly", None, 2026, 1, 1.0, 1.0)), params)


PROFILES = st.sampled_from(["linear", "apbd", "completion"])
ADOPTED = st.one_of(
    st.none(),
    st.dates(
        min_value=pd.Timestamp("2024-01-01").date(), max_value=pd.Timestamp("2028-12-31").date()
    ),
)


@settings(max_examples=examples(40), deadline=None)
@given(profile=PROFILES, adopted=ADOPTED, year=st.integers(2025, 2027), quarter=st.integers(1, 4))
def test_same_shares_as_activity_shares(
    profile: str, adopted: object, year: int, quarter: int
) -> None:
    params = monitoring_params()
    day = adopted.isoformat() if adopted else None  # type: ignore[attr-defined]
    act = {**activity_row("A1", lead="PERKIM", profile=profile), "adopted_on": day}
    prog = programme([act], [("A1", year, 10.0, 100.0)])
    shares = activity_shares(prog, params, year)
    expected = shares.loc[shares["quarter"] == quarter, "share"].iloc[0]
    out = planned_to_date(
        _rows((profile, day, year, quarter, 10.0, 100.0)),
        params,
    )
    assert out["share"].iloc[0] == pytest.approx(expected)
    assert out["planned_output_to_date"].iloc[0] == pytest.approx(10.0 * expected)
