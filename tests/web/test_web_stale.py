"""Reads under a run of saves (issue 12 item 4): :func:`sanitasi.web.shared.get_versioned`.

- whoever holds the build lock answers with the data version of that moment, so every
  reader that waited meanwhile is answered by one build (a version at least as new as the
  one it asked for);
- inside ``stale_reads`` (the dashboard page; the API only with ``Cache-Control: max-stale``)
  the latest version built answers at once while another worker builds the current one, and
  the page says so; a build never reads a stale value; downloads and the API's default
  answers are always current.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from webhelpers import local_activity, user

from sanitasi.web import shared
from sanitasi.web.api.models import ApiToken
from sanitasi.web.monitoring import workflow
from sanitasi.web.plans import results

pytestmark = pytest.mark.usefixtures("fresh_results")


@pytest.fixture(autouse=True)
def _stale_reads_on(settings: Any) -> None:
    settings.SANITASI_STALE_READS = True  # as under ``sanitasi serve``


def series() -> tuple[str, str]:
    return ("stale-test", uuid.uuid4().hex)


class Builds:
    """A build that counts its calls and returns the text of the data version it saw."""

    def __init__(self, now: tuple[Any, ...]) -> None:
        self.now = now
        self.calls = 0

    def current(self) -> tuple[Any, ...]:
        return self.now

    def build(self) -> str:
        self.calls += 1
        return f"built at {self.now}"


@contextlib.contextmanager
def lock_held_elsewhere(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As if another worker were building: the lock cannot be taken without waiting."""

    @contextlib.contextmanager
    def busy(name: str) -> Iterator[bool]:
        yield False

    with monkeypatch.context() as m:
        m.setattr(shared, "try_build_lock", busy)
        yield


@pytest.mark.django_db
def test_the_builder_builds_the_version_of_the_moment_and_it_answers_older_requests() -> None:
    s, b = series(), Builds((1, 7, "t7"))
    value, at = shared.get_versioned(s, (1, 5, "t5"), b.build, lock="t", current=b.current)
    assert (value, at, b.calls) == ("built at (1, 7, 't7')", (1, 7, "t7"), 1)
    # a reader of version 6 (read before the save of version 7 was seen) is answered by it
    shared.clear_local()
    value, at = shared.get_versioned(s, (1, 6, "t6"), b.build, lock="t", current=b.current)
    assert (value, at, b.calls) == ("built at (1, 7, 't7')", (1, 7, "t7"), 1)
    # a newer version, or another plan, is built
    b.now = (1, 8, "t8")
    value, at = shared.get_versioned(s, (1, 8, "t8"), b.build, lock="t", current=b.current)
    assert (at, b.calls) == ((1, 8, "t8"), 2)
    b.now = (2, 1, "u1")
    value, at = shared.get_versioned(s, (2, 1, "u1"), b.build, lock="t", current=b.current)
    assert (value, at, b.calls) == ("built at (2, 1, 'u1')", (2, 1, "u1"), 3)


@pytest.mark.django_db(transaction=True)
def test_readers_waiting_on_one_build_are_all_answered_by_it() -> None:
    """Eight readers, each at its own version 1..8, the data at version 9: one build."""
    s, b = series(), Builds((1, 9, "t9"))
    answers: list[tuple[Any, ...]] = []
    guard = threading.Lock()

    def read(n: int) -> None:
        try:
            _value, at = shared.get_versioned(
                s, (1, n, f"t{n}"), b.build, lock="t-many", current=b.current
            )
            with guard:
                answers.append(at)
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(n,)) for n in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [(1, 9, "t9")] * 8
    assert b.calls == 1


@pytest.mark.django_db
def test_a_reader_that_waited_is_answered_by_a_build_that_read_after_it_asked() -> None:
    """Rule 1 with the lock held (``_build_current``): a reader that asked before the latest
    build read the data is answered by that build, even though a save came meanwhile (under a
    run of saves, waiting readers must not each build again in turn); a reader that asked
    after it gets the version of the moment."""
    from django.core.cache import caches

    s, b = series(), Builds((1, 5, "t5"))
    shared.get_versioned(s, (1, 5, "t5"), b.build, lock="t", current=b.current)
    pointer = shared.cache_key("latest", *s)
    _version, _key, read_at = caches["results"].get(pointer)
    b.now = (1, 6, "t6")  # a save after that build read the data
    args = (b.build, caches["results"], pointer, b.current, True, None, None)
    value, at = shared._build_current(s, read_at - 1.0, *args)  # asked before it read
    assert (value, at, b.calls) == ("built at (1, 5, 't5')", (1, 5, "t5"), 1)
    value, at = shared._build_current(s, read_at + 1.0, *args)  # asked after it read
    assert (value, at, b.calls) == ("built at (1, 6, 't6')", (1, 6, "t6"), 2)


@pytest.mark.django_db
def test_stale_reads_answer_from_the_latest_version_while_another_builds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s, b = series(), Builds((1, 5, "t5"))
    shared.get_versioned(s, (1, 5, "t5"), b.build, lock="t", current=b.current)
    b.now = (1, 6, "t6")  # a save: version 6, someone else is building it
    with lock_held_elsewhere(monkeypatch):
        with shared.stale_reads() as served:
            value, at = shared.get_versioned(s, (1, 6, "t6"), b.build, lock="t", current=b.current)
        assert (value, at, b.calls, served) == ("built at (1, 5, 't5')", (1, 5, "t5"), 1, [at])
        # outside stale_reads (downloads, the API by default) the reader has the current one
        value, at = shared.get_versioned(s, (1, 6, "t6"), b.build, lock="t", current=b.current)
        assert (value, at, b.calls) == ("built at (1, 6, 't6')", (1, 6, "t6"), 2)


@pytest.mark.django_db
def test_a_build_never_reads_a_stale_value(monkeypatch: pytest.MonkeyPatch) -> None:
    inner, b = series(), Builds((1, 5, "t5"))
    shared.get_versioned(inner, (1, 5, "t5"), b.build, lock="t-in", current=b.current)
    b.now = (1, 6, "t6")

    def outer_build() -> str:  # e.g. the dashboard's parts reading the plan
        value, _at = shared.get_versioned(
            inner, (1, 6, "t6"), b.build, lock="t-in", current=b.current
        )
        return f"outer of {value}"

    with lock_held_elsewhere(monkeypatch), shared.stale_reads() as served:
        value, at = shared.get_versioned(
            series(), (1, 6, "t6"), outer_build, lock="t-out", current=b.current
        )
    assert value == "outer of built at (1, 6, 't6')"
    assert served == []


@pytest.mark.django_db(transaction=True)
def test_try_build_lock_is_taken_only_when_free() -> None:
    name = f"try-{uuid.uuid4().hex}"
    with shared.try_build_lock(name) as first:
        assert first

        def other() -> None:  # another thread (with its own database session)
            try:
                with shared.try_build_lock(name) as second:
                    seen.append(second)
            finally:
                connection.close()

        seen: list[bool] = []
        t = threading.Thread(target=other)
        t.start()
        t.join()
        assert seen == [False]
    with shared.try_build_lock(name) as again:
        assert again


def new_version(demo: str) -> None:
    act = local_activity("LS-01", "13.72.01.1001", "DLH", ("KEC_LS",))  # audited: new version
    workflow.create(user("opd-dlh"), act, 2026, 4, output_achieved=3)


def test_dashboard_while_the_new_version_is_built_shows_the_previous_one(
    demo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = Client()
    c.force_login(user("koordinator"))
    first = c.get(f"/cities/{demo}/")
    assert first.status_code == 200 and "Sanitasi-Stale" not in first
    assert b'id="stale-notice"' not in first.content
    runs = dict(results.runs)
    new_version(demo)
    shared.clear_local()
    with lock_held_elsewhere(monkeypatch):
        page = c.get(f"/cities/{demo}/")
    assert page.status_code == 200
    assert page["Sanitasi-Stale"] == "1"
    assert b'id="stale-notice"' in page.content
    assert "sedang diperbarui" in page.content.decode()
    assert results.runs == runs  # nothing computed: the previous version answered
    # once built, the page is current again
    page = c.get(f"/cities/{demo}/")
    assert page.status_code == 200 and "Sanitasi-Stale" not in page
    assert b'id="stale-notice"' not in page.content
    assert results.runs["plan"] == runs["plan"] + 1


def test_api_is_current_unless_the_client_accepts_stale(
    demo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = ApiToken.issue(user("viewer"))
    c = Client(headers={"Authorization": f"Bearer {token}"})
    url = f"/api/cities/{demo}/indicators"
    before = c.get(url)
    assert before.status_code == 200 and "Sanitasi-Stale" not in before
    new_version(demo)
    shared.clear_local()
    runs = results.runs["plan"]
    with lock_held_elsewhere(monkeypatch):
        stale = c.get(url, headers={"Cache-Control": "max-stale"})
        assert stale.status_code == 200 and stale["Sanitasi-Stale"] == "1"
        assert stale.json() == before.json()
        assert results.runs["plan"] == runs
        current = c.get(url)  # no max-stale: the current version, computed
    assert current.status_code == 200 and "Sanitasi-Stale" not in current
    assert results.runs["plan"] == runs + 1


def test_stale_reads_are_off_unless_enabled(
    demo: str, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """Without ``SANITASI_STALE_READS`` (runserver, tests: nothing precomputes a save) the
    dashboard is always current."""
    settings.SANITASI_STALE_READS = False
    c = Client()
    c.force_login(user("koordinator"))
    assert c.get(f"/cities/{demo}/").status_code == 200
    new_version(demo)
    shared.clear_local()
    runs = results.runs["plan"]
    with lock_held_elsewhere(monkeypatch):
        page = c.get(f"/cities/{demo}/")
    assert page.status_code == 200 and "Sanitasi-Stale" not in page
    assert results.runs["plan"] == runs + 1
