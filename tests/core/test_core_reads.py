"""Parameter reads are recorded by computation (sanitasi.core.reads, docs/METHOD.md §16)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanitasi.core.model import Parameter, ParameterSet
from sanitasi.core.reads import (
    COMPUTATIONS,
    REFERENCE_ONLY,
    UNDECLARED,
    computation,
    merge,
    names_of,
    parse_read_by,
    tracking,
)


def _set() -> ParameterSet:
    return ParameterSet(
        {
            "a": Parameter("a", 2.0, "m", "src", "sourced", read_by=("costs",)),
            "b": Parameter("b", None, "fraction/year", "src", "illustrative"),
            "c": Parameter("c", "modular", "choice: zone|modular", "src", "derived"),
            "r": Parameter("r", 5.0, "m3", "src", "sourced", read_by=(REFERENCE_ONLY,)),
        }
    )


def test_reads_outside_tracking_record_nothing() -> None:
    P = _set()
    assert P.num("a") == 2.0  # no block open: nothing to record, nothing raised
    with tracking() as log:
        pass
    assert log.by_computation == {}


def test_every_accessor_records_under_the_running_computation() -> None:
    P = _set()
    with tracking() as log:
        assert P.reader("costs").num("a") == 2.0
        assert P.reader("population").opt("b") is None
        assert P.reader("wastewater.spald_t").choice("c") == "modular"
        assert P.reader("survey.rules")["a"].source == "src"
        P.num("a")  # outside any computation
        assert "r" in P  # membership is not a read
    assert log.frozen() == {
        UNDECLARED: frozenset({"a"}),
        "costs": frozenset({"a"}),
        "population": frozenset({"b"}),
        "survey.rules": frozenset({"a"}),
        "wastewater.spald_t": frozenset({"c"}),
    }


def test_nested_blocks_both_receive_the_read_and_the_computation_is_restored() -> None:
    P = _set()
    with tracking() as outer:

        @computation("waste.landfill")
        def landfill() -> float:
            return P.num("a")

        with tracking() as inner:
            landfill()
        P.reader("costs").num("a")
        with computation("costs"):
            P.opt("b")
    assert inner.frozen() == {"waste.landfill": frozenset({"a"})}
    assert outer.frozen() == {"costs": frozenset({"a", "b"}), "waste.landfill": frozenset({"a"})}
    assert outer.names(["waste"]) == {"a"}  # a prefix covers its sub-computations
    assert outer.names(["wast"]) == set()  # ... but only at a dot


def test_an_unknown_computation_is_refused() -> None:
    with pytest.raises(KeyError, match="no_such"), computation("no_such"):
        pass


def test_reference_only_and_parse() -> None:
    P = _set()
    assert P["r"].reference_only and not P["a"].reference_only
    assert parse_read_by(" costs ; waste.landfill;; ") == ("costs", "waste.landfill")
    assert parse_read_by("") == ()


@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(sorted(COMPUTATIONS)),
            st.sets(st.sampled_from(["a", "b", "c", "d"]), max_size=3),
            max_size=4,
        ),
        max_size=4,
    )
)
def test_merge_is_the_union_of_the_maps(maps: list[dict[str, set[str]]]) -> None:
    merged = merge(*maps)
    for comp in {c for m in maps for c in m}:
        assert merged[comp] == frozenset().union(*(m.get(comp, set()) for m in maps))
    assert names_of(merged) == set().union(*(set().union(*m.values()) for m in maps if m))
