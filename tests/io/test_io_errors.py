"""Problem formatting, the code catalogue and InputErrors."""

from __future__ import annotations

import re

from sanitasi.io.errors import CATALOGUE, ERROR, WARNING, InputErrors, Problem, problem


def test_problem_str_names_file_line_column_value_and_rule() -> None:
    p = problem("SAN-E024", "regions.csv", 5, "tingkat", "kota", choices="provinsi, kabkota")
    assert str(p) == (
        "regions.csv line 5, column tingkat, value 'kota': tingkat must be one of provinsi, kabkota"
    )
    assert p.message_id == "tingkat harus salah satu dari provinsi, kabkota"
    assert p.message("id").startswith(
        "regions.csv line 5, column tingkat, value 'kota': tingkat harus"
    )
    assert p.severity == ERROR and p.is_error


def test_problem_without_line_or_column() -> None:
    p = problem("SAN-E017", "--target-set", None, None, "FOO", choices="LOCAL, SDG_2030")
    assert str(p) == "--target-set, value 'FOO': unknown target set; choose from LOCAL, SDG_2030"


def test_problem_is_frozen_and_has_the_fields() -> None:
    p = Problem("SAN-E009", "facilities.csv", 3, "capacity", "-5", "capacity must not be negative")
    assert (p.code, p.file, p.row, p.column, p.value) == (
        "SAN-E009",
        "facilities.csv",
        3,
        "capacity",
        "-5",
    )
    assert p.severity == "error"


def test_missing_template_fields_fall_back_to_the_title() -> None:
    p = problem("SAN-E008", "observations.csv", 4, "value", "10")
    assert p.rule == CATALOGUE["SAN-E008"].title_en


def test_catalogue_codes_are_stable_and_complete() -> None:
    for code, entry in CATALOGUE.items():
        assert re.fullmatch(r"SAN-(E[0-2]\d\d|W1\d\d)", code)  # io: E001-E299, W100-W199
        assert entry.severity == (WARNING if code.startswith("SAN-W") else ERROR)
        assert entry.title_en and entry.title_id and entry.rule_en and entry.rule_id
    # the codes other modules, tests and docs rely on
    assert {"SAN-E001", "SAN-E008", "SAN-E016", "SAN-E023", "SAN-W101"} <= set(CATALOGUE)


def test_input_errors_carries_every_problem() -> None:
    a = problem("SAN-E016", "observations.csv", 7, "value", "lima")
    b = problem("SAN-E009", "facilities.csv", 3, "capacity", "-5")
    w = Problem("SAN-W101", "observations.csv", 90, "value", "1", "rule", severity=WARNING)
    exc = InputErrors([a, b, w])
    assert exc.problems == [a, b, w]
    assert exc.errors == [a, b] and exc.warnings == [w]
    text = str(exc)
    assert text.startswith("2 error(s), 1 warning(s)")
    assert "SAN-E016 observations.csv line 7, column value, value 'lima'" in text
    assert "SAN-E009 facilities.csv line 3" in text
