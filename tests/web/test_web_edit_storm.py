"""No lost work (issue 12 item 7): 8 clients x 12 edits of the same 3 realisation rows, half
through the API and half through the HTMX forms, against ``sanitasi serve`` (gunicorn, two
gthread workers) in a child process, on a throwaway SQLite file -- or, under
``scripts/pg_test.sh``, a new database on its PostgreSQL server. ``benchmarks/edits.py`` runs
the full 50 x 200. Every edit adds 1 to a row's output from the value it read, so a lost
update shows in the final figures (:func:`sanitasi.stress.lost_updates`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sanitasi import stress

pytestmark = [pytest.mark.slow, pytest.mark.pg]


def test_lost_updates_counted() -> None:
    """The counter itself: a row whose output missed one accepted edit, a version bumped
    without an edit, an accepted note without its audit entry -- each is counted."""
    accepted = {1: ["a", "b"], 2: ["c"]}
    good = {
        "1": {"output": 2.0, "version": 3, "note": "b", "audit_notes": ["a", "b"]},
        "2": {"output": 1.0, "version": 2, "note": "c", "audit_notes": ["c"]},
    }
    assert stress.lost_updates(good, accepted) == 0
    overwritten = {**good, "1": {**good["1"], "output": 1.0, "audit_notes": ["b"]}}
    assert stress.lost_updates(overwritten, accepted) == 2  # output short by 1, note "a" gone
    silent = {**good, "2": {**good["2"], "version": 3, "audit_notes": ["c", "x"]}}
    assert stress.lost_updates(silent, accepted) == 2  # a write no accepted edit made


def test_form_values_parse_the_editor() -> None:
    html = (
        '<p>other <input name="version" value="9"></p><form class="realisation-form">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="tok">'
        '<input type="text" name="output_achieved" value="1.234,5" id="id_output_achieved">'
        '<textarea name="note" id="id_note">\na &amp; b</textarea>'
        '<input type="hidden" name="version" value="4" id="id_version"></form>'
    )
    values = stress.form_values(html)
    assert values == {
        "csrfmiddlewaretoken": "tok",
        "output_achieved": "1.234,5",
        "note": "a & b",
        "version": "4",
    }
    assert stress.local_number(values["output_achieved"]) == 1234.5


def test_concurrent_edits_lose_nothing(tmp_path: Path) -> None:
    """What collides is the 8 clients on 3 rows (two to three writers on a row at any
    moment), not the number of edits: 12 each (96 edits) still end about half in conflicts
    (25 each: 104 accepted, 96 conflicts), so lost updates would have every chance to show.
    The run's cost is mostly its set-up and server start, not the edits."""
    clients, edits = 8, 12
    result = stress.run(
        tmp_path,
        clients=clients,
        edits=edits,
        rows=3,
        mode="mixed",
        server_url=os.environ.get("DATABASE_URL"),
    )
    assert result.probe_failures == []
    assert result.errors == 0, result.error_samples
    assert result.lost == 0
    assert result.accepted + result.conflicts == clients * edits
    # each row is edited by every client in turn: at least one edit per row goes through
    assert result.accepted >= 3
