"""pytest-django set-up for the web tests only.

The root pytest configuration (pyproject.toml) knows nothing of Django: this conftest sets
``DJANGO_SETTINGS_MODULE`` (and a throwaway ``SANITASI_HOME`` and secret key) when pytest
collects ``tests/web``, so the other test folders run exactly as before. The database is
SQLite unless ``DATABASE_URL`` says otherwise (``scripts/pg_test.sh`` runs these tests on a
real PostgreSQL). Under pytest-xdist every worker has its own ``SANITASI_HOME`` and test
database (pytest-django adds the worker id to the database name). The Kota Solok demo is loaded once per session into the test database;
every test runs in a transaction rolled back at its end.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest


def worker_home(given: str) -> str:
    """The test session's ``SANITASI_HOME``: ``given`` or a new temporary folder, and under
    pytest-xdist a folder of this worker's own inside it (its caches, locks and files are
    never shared with another worker's different database)."""
    home = given or tempfile.mkdtemp(prefix="sanitasi-web-tests-")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker and os.path.basename(home.rstrip("/")) != worker:
        home = os.path.join(home, worker)
        os.makedirs(home, exist_ok=True)
    return home


def _xdist_controller(config: pytest.Config) -> bool:
    """The pytest-xdist controller of a ``-n N`` run (it runs no test; its workers do)."""
    return not hasattr(config, "workerinput") and bool(getattr(config.option, "numprocesses", None))


def pytest_configure(config: pytest.Config) -> None:
    if _xdist_controller(config):
        # Leave the environment alone: workers inherit it, and pytest-django would set up
        # Django in each worker from it before this hook runs there, so every worker would
        # share the controller's SANITASI_HOME (caches, locks: one worker's cache clear
        # emptied another's). Each worker sets its own below.
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanitasi.web.settings")
    os.environ.setdefault("SANITASI_SECRET_KEY", "tests-only-not-a-secret")
    os.environ["SANITASI_HOME"] = worker_home(os.environ.get("SANITASI_HOME", ""))
    import django
    from django.conf import settings

    django.setup()
    # Fast hashing in tests (set before anything is hashed).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


#: The web test modules whose database tests run again on PostgreSQL (``scripts/pg_test.sh``,
#: marker ``pg``): those whose outcome can depend on the database itself. Transactions,
#: locks and concurrent writers (edit storm, workflow versions, kill -9, the shared caches and
#: the build lock as tables, the task queue with ``SKIP LOCKED``, scale-out, healthz under
#: load with the worker processes); type and size strictness (integers past 2^63, NUL bytes
#: and lengths the API, forms and uploads write: schemathesis, the row editors, baseline,
#: boundaries, programme, meetings, evidence); JSON fields (scenarios, tasks); string
#: collation and ordering (province pages, exports, the city ZIP round trip); migrations and
#: constraints (models); ``pg_dump`` (backup); row scope as querysets (scope, API scope);
#: accounts (lockouts, tokens, sessions). The other modules test pages, wording, layout and
#: reports computed from the same rows; they run on SQLite only (their PostgreSQL run cost
#: minutes and never failed for the database). ``SANITASI_PG_ALL=1`` marks every database
#: test again; a test may also carry ``@pytest.mark.pg`` itself.
PG_MODULES = frozenset(
    {
        "test_web_account_security",
        "test_web_accounts",
        "test_web_api",
        "test_web_api_paging",
        "test_web_api_scope",
        "test_web_api_workflow",
        "test_web_audit_ui",
        "test_web_backup",
        "test_web_baseline",
        "test_web_boundaries",
        "test_web_budgets",
        "test_web_city_export",
        "test_web_download_cache",
        "test_web_edit_storm",
        "test_web_effect_builder",
        "test_web_evidence",
        "test_web_forms_small",
        "test_web_healthz_load",
        "test_web_jobs",
        "test_web_jobs_import",
        "test_web_kill",
        "test_web_loader",
        "test_web_meetings",
        "test_web_models",
        "test_web_plan_edit",
        "test_web_programme",
        "test_web_province",
        "test_web_reminders",
        "test_web_scale_out",
        "test_web_scenario_load",
        "test_web_schemathesis",
        "test_web_scope",
        "test_web_serve",
        "test_web_shared",
        "test_web_stale",
        "test_web_work",
        "test_web_workflow",
    }
)
#: The web test modules that run on SQLite only (every module is in one of the two sets:
#: ``test_web_pg_selection.py`` fails on a new module that is in neither).
SQLITE_MODULES = frozenset(
    {
        "test_web_app",
        "test_web_dashboard_answers",
        "test_web_deploy",
        "test_web_document",
        "test_web_download_scope",
        "test_web_e2e",
        "test_web_e2e_province",
        "test_web_e2e_screens",
        "test_web_every_view",
        "test_web_evidence_e2e",
        "test_web_figures",
        "test_web_forms_e2e",
        "test_web_ghg",
        "test_web_health_worker",
        "test_web_i18n",
        "test_web_i18n_pages",
        "test_web_no_raw_codes",
        "test_web_pdf_charts",
        "test_web_plan_unavailable",
        "test_web_public",
        "test_web_report_params",
        "test_web_scenarios",
        "test_web_screens",
        "test_web_vendor",
        "test_web_warnings_i18n",
        "test_web_work_e2e",
    }
)


def _uses_db(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & {"db", "transactional_db", "django_db_blocker"}) or bool(
        item.get_closest_marker("django_db")
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``pg`` the database tests of :data:`PG_MODULES` (every database test with
    ``SANITASI_PG_ALL=1``), which ``scripts/pg_test.sh`` runs again on PostgreSQL."""
    every = os.environ.get("SANITASI_PG_ALL", "").strip() not in ("", "0")
    for item in items:
        module = getattr(getattr(item, "module", None), "__name__", "").rpartition(".")[2]
        if _uses_db(item) and (every or module in PG_MODULES):
            item.add_marker(pytest.mark.pg)


#: The day the web tests report on (``sanitasi.web.monitoring.period.reporting_date``): the
#: demo's quarters and the 2026 Q4 / 2027 Q1 rows the tests add have started by then.
REPORTING_DATE = "2027-03-31"


@pytest.fixture(autouse=True)
def _reporting_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin the web's "today" for realisation rules, so no test depends on the clock."""
    import datetime as dt

    from sanitasi.web.monitoring import period

    day = dt.date.fromisoformat(REPORTING_DATE)
    monkeypatch.setattr(period, "reporting_date", lambda: day)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The test database with the Kota Solok demo (and its accounts) loaded once."""
    from sanitasi.web.loader import load_city_folder

    with django_db_blocker.unblock():
        load_city_folder(None, demo=True)
    yield


@pytest.fixture(autouse=True)
def _demo_after_a_flush(request: pytest.FixtureRequest, django_db_blocker: Any) -> None:
    """A transactional test (the live-server browser tests) empties the database when it
    ends; the tests after it on the same worker expect the demo loaded by
    :func:`django_db_setup`: load it again, committed, before the test's own transaction
    starts (autouse fixtures run before ``db``)."""
    names = set(getattr(request, "fixturenames", ()))
    if not names & {"db", "transactional_db", "demo", "empty_db"}:
        return
    from sanitasi.web.geography.models import Region
    from sanitasi.web.loader import load_city_folder

    with django_db_blocker.unblock():
        if not Region.objects.filter(city_kode="13.72").exists():
            load_city_folder(None, demo=True)


@pytest.fixture
def demo(db: None) -> str:
    """The demo city kode (the demo is in the database for every test using ``db``)."""
    return "13.72"


@pytest.fixture
def empty_db(db: None) -> None:
    """An empty, non-demo database (inside the test's transaction, rolled back after)."""
    from django.contrib.auth import get_user_model

    from sanitasi.web.audit.models import AuditEntry
    from sanitasi.web.geography.models import Region
    from sanitasi.web.loader import delete_city
    from sanitasi.web.models import SiteSetting
    from sanitasi.web.plans.models import TargetPoint, TargetSet

    for kode in set(Region.objects.values_list("city_kode", flat=True)):
        delete_city(kode)
    TargetPoint.objects.all().delete()
    TargetSet.objects.all().delete()
    AuditEntry.objects.all().delete()
    SiteSetting.objects.all().delete()
    get_user_model().objects.all().delete()


@pytest.fixture(autouse=True)
def _no_cached_downloads(django_db_blocker: Any) -> Iterator[None]:
    """Report downloads are cached per data version; a test may stub the PDF renderer, and
    the rolled-back data of the next test has the same version: start and end clean. (On
    PostgreSQL the cache is a table: cleared with database access, whatever the test.)"""
    from sanitasi.web.plans import results

    with django_db_blocker.unblock():
        results.clear_downloads()
    yield
    with django_db_blocker.unblock():
        results.clear_downloads()


@pytest.fixture
def fresh_results(django_db_blocker: Any) -> Iterator[None]:
    """Start and end with no plan run in this process or in the shared caches (a module
    that counts builds uses it: ``pytestmark = pytest.mark.usefixtures("fresh_results")``).
    On PostgreSQL the caches are tables: cleared with database access."""
    from sanitasi.web.plans import results

    with django_db_blocker.unblock():
        results.clear()
    yield
    with django_db_blocker.unblock():
        results.clear()
