"""The column registry (reference/columns.csv, sanitasi.vocabulary): parsing, lookups and
coverage of every column of the demo's reports."""

from __future__ import annotations

import pytest

from sanitasi import vocabulary as v
from sanitasi.core.model import Column, Table

HEADER = ",".join(v.FIELDS)


def _reg(*rows: str) -> v.Registry:
    return v.parse("\n".join([HEADER, *rows]))


def test_lookup_order_table_then_any_then_year_pattern() -> None:
    reg = _reg(
        "*,kode,,text,Kode wilayah,Area code,,1",
        "warnings,kode,,text,Tempat,Place,,1",
        "kkl,output_{year},unit,float,Keluaran {year},Output {year},,0",
    )
    own = reg.entry("warnings", "kode")
    assert own is not None and own[0].label_id == "Tempat" and own[1] is None
    anyt = reg.entry("population", "kode")
    assert anyt is not None and anyt[0].label_en == "Area code"
    found = reg.entry("kkl", "output_2027")
    assert found is not None
    entry, year = found
    assert year == "2027"
    assert entry.meta(year) == Column("Keluaran 2027", "Output 2027", "unit", "float")
    assert entry.show_html is False
    assert reg.entry("kkl", "output_total") is None  # no year, no pattern match
    assert reg.entry("population", "output_2027") is None  # the pattern is kkl's own


@pytest.mark.parametrize(
    ("row", "says"),
    [
        ("*,kode,,text,,Area code,,1", "column label_id: empty"),
        ("*,kode,,money,Kode,Code,,1", "column kind: 'money'"),
        ("*,kode,,text,Kode,Code,,yes", "column show_html: 'yes'"),
        ("*,kode,,text,Kode,Code,1", "7 cells, expected 8"),
    ],
)
def test_a_bad_row_is_named(row: str, says: str) -> None:
    with pytest.raises(ValueError, match="columns.csv line 2") as e:
        _reg(row)
    assert says in str(e.value)


def test_a_repeated_key_and_a_wrong_header_are_refused() -> None:
    with pytest.raises(ValueError, match=r"line 3: \*\.kode is given twice"):
        _reg("*,kode,,text,Kode,Code,,1", "*,kode,,text,Kode,Code,,1")
    with pytest.raises(ValueError, match="header"):
        v.parse("table,column\n*,kode")


def test_the_package_registry_and_its_api() -> None:
    assert v.label("headline", "baseline_pct", "id") == "Kondisi dasar"
    assert v.label("headline", "baseline_pct", "en") == "Baseline"
    assert v.unit("ladder", "hh_belum_layak") == "households"
    assert v.label("ladder", "hh_belum_layak", "id") == "RT belum layak"
    assert v.label("kkl", "cost_2031_idr", "en") == "Cost 2031"
    assert v.label("nowhere", "no_such_column", "id") == "no_such_column"
    assert v.unit("nowhere", "no_such_column") == ""
    assert v.shown_in_html("costs", "item") is False
    assert v.shown_in_html("costs", "need") is True
    assert v.measure_words("hh_aman") == ("Rumah tangga aman", "Households, safely managed (aman)")
    assert "% of households" in v.description("ladder", "pct_aman")
    reg = v.registry()
    assert reg is v.registry()  # read once
    for entry in reg.entries.values():  # no label of the registry is itself a raw code
        for label in (entry.label_id, entry.label_en):
            assert "_" not in label, (entry.table, entry.column, label)


@pytest.mark.slow
def test_every_column_of_the_demo_reports_is_registered() -> None:
    """Every column of every table of the demo's plan (with programme, instruments, GHG and
    document tables) and monitoring report has a row (its table's or ``*``), except the
    roles table's one column per activity (named by the city's activity codes)."""
    from sanitasi.app.document import document_report
    from sanitasi.app.monitoring import monitoring_report
    from sanitasi.app.source import FolderSource, PlanRequest

    source = FolderSource(None)
    result = document_report(source, PlanRequest()).result
    mon = monitoring_report(source, 2025, 3, plan=result)
    assert mon is not None
    tables: dict[str, Table] = {**dict(mon.tables), **dict(result.tables)}
    activities = set(result.programme.activities["code"]) if result.programme else set()
    missing = [
        (name, str(c))
        for name, tb in tables.items()
        for c in tb.df.columns
        if v.column(name, str(c)) is None and not (name == "roles" and c in activities)
    ]
    assert len(tables) > 50
    assert missing == []
