"""The PostgreSQL pass's selection (tests/web/conftest.py): every web test module is either
run again on PostgreSQL or consciously SQLite-only, so a new module is never left out by
accident; the names are real modules."""

from __future__ import annotations

from pathlib import Path

from conftest import PG_MODULES, SQLITE_MODULES

HERE = Path(__file__).parent


def test_every_web_test_module_is_classified_once() -> None:
    modules = {p.stem for p in HERE.glob("test_web_*.py")}
    assert not PG_MODULES & SQLITE_MODULES
    assert PG_MODULES | SQLITE_MODULES == modules - {"test_web_pg_selection"}, sorted(
        modules ^ (PG_MODULES | SQLITE_MODULES | {"test_web_pg_selection"})
    )


def test_the_concurrency_and_type_strict_modules_run_on_postgresql() -> None:
    for name in (
        "test_web_edit_storm",
        "test_web_scale_out",
        "test_web_schemathesis",
        "test_web_api_paging",
        "test_web_backup",
        "test_web_kill",
        "test_web_models",
    ):
        assert name in PG_MODULES, name
