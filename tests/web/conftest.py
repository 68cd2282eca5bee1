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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``pg`` every test that touches the database (``scripts/pg_test.sh`` runs those
    again on PostgreSQL)."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & {"db", "transactional_db", "django_db_blocker"} or item.get_closest_marker(
            "django_db"
        ):
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
