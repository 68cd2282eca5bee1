"""No lost work, proven (issue 12 item 7): many clients editing the same realisation rows at
once, through the API and through the HTMX forms, against a real server.

Outside the layers (like :mod:`sanitasi.bench` and :mod:`sanitasi.fuzz`): used by
``tests/web/test_web_edit_storm.py`` (small counts) and ``benchmarks/edits.py`` (50 clients x
200 edits). Everything runs as the deployment does:

1. :func:`database` makes a throwaway database: an SQLite file (WAL) under the run's folder,
   or, when ``DATABASE_URL`` names a PostgreSQL server, a new database on that server
   (``CREATE DATABASE``; dropped at the end).
2. ``python -m sanitasi.stress setup`` (a child process on that database) migrates, loads the
   Kota Solok demo, makes one user per client (role ``opd`` of the agency DLH, a password and
   an API token each) and ``rows`` draft realisation rows of DLH activities (output 0).
3. :class:`Server` runs ``sanitasi serve`` (gunicorn, gthread workers) on loopback in a child
   process; plans are not precomputed after saves (``SANITASI_PRECOMPUTE=0``: the storm
   measures saving, not the plan engine).
4. ``clients`` threads, each its own user on its own keep-alive connection, make ``edits``
   edits each on a row picked in turn (``(client + edit) % rows``): read the row, add 1 to its
   output, write the client's token into its note, send it with the version read.
   ``api`` clients use ``GET``/``PATCH /api/cities/13.72/realisations/{id}`` (Bearer token),
   ``htmx`` clients sign in and use the realisation screen as the browser does (``GET`` the
   edit fragment with ``HX-Request: true``, ``POST`` the form with its CSRF token and hidden
   ``version``); ``mixed`` makes every other client an HTMX one.
5. ``python -m sanitasi.stress check`` reads the rows and their audit entries from the
   database.

An edit is **accepted** (200), a **conflict** (409: the row was saved since it was read;
nothing is changed) or an **error** (anything else, 5xx included). **Lost** updates are counted
per row from the database: each accepted edit adds 1 to the output and 1 to the version and
writes one audit entry carrying its note, so ``final output - accepted``, ``final version - 1
- accepted`` and the accepted notes missing from the audit entries must all be 0; a
conflict that wrote anything would show up the same way. Before the storm a
:func:`conflict_probe` checks, one request at a time, that a second save based on an old
version is answered 409 (API) or 409 with the conflict notice (form) and changes nothing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
CITY = "13.72"
AGENCY = "DLH"
MODES = ("api", "htmx", "mixed")
#: Setting of the child processes: no plan precomputation after every save.
SERVER_ENV = {"SANITASI_PRECOMPUTE": "0", "SANITASI_SUMMARIES_AFTER_SAVE": "0"}


# --------------------------------------------------------------------------- databases


def is_postgres(url: str | None) -> bool:
    return bool(url) and str(url).split(":", 1)[0] in ("postgres", "postgresql", "pgsql")


@contextmanager
def database(home: Path, server_url: str | None = None) -> Iterator[dict[str, str]]:
    """The environment of child processes on a new, empty database: an SQLite file under
    ``home``, or a new database on the PostgreSQL server of ``server_url`` (dropped when the
    block ends)."""
    home.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        **SERVER_ENV,
        "SANITASI_HOME": str(home),
        "SANITASI_SECRET_KEY": "stress-only-not-a-secret",
        "DJANGO_SETTINGS_MODULE": "sanitasi.web.settings",
        "SANITASI_ALLOWED_HOSTS": f"{HOST},localhost,testserver",
    }
    env.pop("SANITASI_QUARTER_LOCK_DAYS", None)
    env.pop("SANITASI_DEBUG", None)
    if not is_postgres(server_url):
        env["DATABASE_URL"] = f"sqlite:///{home / 'sanitasi.sqlite3'}"
        yield env
        return
    import psycopg

    assert server_url is not None
    name = f"sanitasi_stress_{os.getpid()}_{secrets.token_hex(3)}"
    parts = urllib.parse.urlsplit(server_url)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield env
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def child(env: dict[str, str], *args: str) -> Any:
    """``python -m sanitasi.stress ARGS`` on the database of ``env``; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "sanitasi.stress", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"stress {args[0]} failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanitasi.web.settings")
    import django

    django.setup()


def setup_database(clients: int, rows: int) -> dict[str, Any]:
    """(Child process) migrate, load the demo, one DLH user per client with a password and
    an API token, ``rows`` draft realisation rows of DLH activities (output 0, cost 0)."""
    _django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from sanitasi.core.programme import COMPLETION_PROFILE
    from sanitasi.web.accounts.models import UserProfile
    from sanitasi.web.api.models import ApiToken
    from sanitasi.web.loader import load_city_folder
    from sanitasi.web.monitoring.models import Realisation
    from sanitasi.web.programme.models import Activity

    call_command("migrate", interactive=False, verbosity=0)
    load_city_folder(None, demo=True, on_exists="skip")
    users = []
    model = get_user_model()
    for i in range(clients):
        name, password = f"stress-{i:03d}", "stress-" + secrets.token_urlsafe(12)
        u = model.objects.create_user(name, password=password)
        UserProfile.objects.create(user=u, role="opd", city_kode=CITY, agency_code=AGENCY)
        users.append({"username": name, "password": password, "token": ApiToken.issue(u)})
    acts = list(
        Activity.objects.filter(city_kode=CITY, lead_agency__code=AGENCY)
        .exclude(plan_profile=COMPLETION_PROFILE)
        .order_by("code")
    )
    made: list[int] = []
    for year in (2026, 2025, 2024):
        for quarter in (4, 3, 2, 1):
            for act in acts:
                if len(made) == rows:
                    break
                if Realisation.objects.filter(
                    city_kode=CITY, activity=act, year=year, quarter=quarter
                ).exists():
                    continue
                r = Realisation.objects.create(
                    city_kode=CITY,
                    activity=act,
                    year=year,
                    quarter=quarter,
                    output_achieved=0,
                    cost_spent_idr=0,
                    note="",
                )
                made.append(r.pk)
    if len(made) < rows:
        raise SystemExit(f"only {len(made)} free DLH quarters for {rows} rows")
    return {"users": users, "rows": made}


def read_rows(pks: list[int]) -> dict[str, Any]:
    """(Child process) each row's output, version and note, and the notes of its audit
    entries of action ``update`` (oldest first)."""
    _django()
    from sanitasi.web.audit.models import AuditEntry
    from sanitasi.web.monitoring.models import Realisation

    out: dict[str, Any] = {}
    for r in Realisation.objects.filter(pk__in=pks):
        notes = [
            (e.after or {}).get("note")
            for e in AuditEntry.objects.filter(
                model="monitoring.realisation", object_pk=str(r.pk), action="update"
            ).order_by("when", "id")
        ]
        out[str(r.pk)] = {
            "output": r.output_achieved,
            "version": r.version,
            "note": r.note,
            "audit_notes": notes,
        }
    return out


def state(kode: str = CITY) -> dict[str, Any]:
    """(Child process) what the database holds of city ``kode``: the rows of every
    city-owned model (count and a digest of their ids), the baseline observations and the
    realisation rows (digests of their values), and the number of users. Two states are equal
    when the city's data are the same rows with the same values."""
    _django()
    import hashlib

    from django.apps import apps
    from django.contrib.auth import get_user_model

    from sanitasi.web.monitoring.models import Realisation
    from sanitasi.web.plans.models import Observation

    def digest(rows: Any) -> str:
        return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:16]

    tables: dict[str, list[Any]] = {}
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if "city_kode" in names and model._meta.label_lower != "audit.auditentry":
            pks = model._default_manager.filter(city_kode=kode).order_by("pk")
            ids = list(pks.values_list("pk", flat=True))
            tables[model._meta.label_lower] = [len(ids), digest(ids)]
    obs = Observation.objects.filter(city_kode=kode).order_by("region__kode", "year", "indicator")
    real = Realisation.objects.filter(city_kode=kode).order_by("activity__code", "year", "quarter")
    from django.db import connection

    integrity = "ok"
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA integrity_check")
            integrity = str(cur.fetchone()[0])
    return {
        "integrity": integrity,
        "tables": tables,
        "observations": digest(obs.values_list("region__kode", "year", "indicator", "value")),
        "realisation": digest(
            real.values_list("activity__code", "year", "quarter", "output_achieved", "note")
        ),
        "users": get_user_model().objects.count(),
    }


def upload_baseline(kode: str = CITY) -> dict[str, Any]:
    """(Child process) the web's baseline workbook upload as the koordinator, through Django's
    test client (the whole view, middleware and transaction): the city's template with one
    kelurahan's 2024 *belum layak* households (Tanah Garam, 350) moved to *aman*."""
    _django()
    import io

    import openpyxl
    from django.contrib.auth import get_user_model
    from django.test import Client as DjangoClient

    c = DjangoClient()
    c.force_login(get_user_model().objects.get(username="koordinator"))
    got = c.get(f"/cities/{kode}/baseline/template.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(got.content))
    ws = wb["baseline"]
    header = [str(x.value) for x in ws[1]]
    col = {name: header.index(name) + 1 for name in ("year", "hh_aman", "hh_belum_layak")}
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == "13.72.01.1001" and ws.cell(r, col["year"]).value == 2024:
            if ws.cell(r, col["hh_aman"]).value is not None:
                ws.cell(r, col["hh_aman"]).value = 560
                ws.cell(r, col["hh_belum_layak"]).value = 0
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "baseline.xlsx"
    answer = c.post(f"/cities/{kode}/baseline/upload/", {"workbook": buf})
    return {"status": answer.status_code}


def figures(kode: str = CITY) -> dict[str, Any]:
    """(Child process) the plan computed from the database as the web does (no cache):
    baseline, trajectory and gap of the headline indicators in every year, and the total
    cost of the needs."""
    _django()
    import math

    from sanitasi.reports.common import city_rows, frame
    from sanitasi.web.plans.results import _build_plan

    result = _build_plan(kode)
    table = frame(result, "headline")
    if table is None:
        raise RuntimeError("the plan has no headline table")
    headline = city_rows(table, kode)
    out: dict[str, Any] = {}
    for rec in headline.to_dict("records"):
        for col in ("baseline_pct", "trajectory_pct", "gap_pts"):
            v = rec.get(col)
            if isinstance(v, int | float) and math.isfinite(v):
                out[f"{rec['indicator']} {rec['year']} {col}"] = round(float(v), 9)
    return out


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class Server:
    """``sanitasi serve`` (gunicorn, gthread) in a child process on the database of ``env``;
    ready when its port answers (no time limit: a loaded machine may take long)."""

    def __init__(self, env: dict[str, str], home: Path, workers: int = 2, threads: int = 4):
        self.port = free_port()
        code = (
            "from sanitasi.web.serve import serve; "
            f"serve({HOST!r}, {self.port}, workers={workers}, threads={threads}, "
            "migrate=False, options={'accesslog': None})"
        )
        self.log_path = home / f"server-{self.port}.log"
        self.log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        while True:
            try:
                with socket.create_connection((HOST, self.port), timeout=5):
                    break
            except OSError:
                if self.proc.poll() is not None:
                    self.log.close()
                    raise RuntimeError(self.log_path.read_text(errors="replace")) from None
                time.sleep(0.2)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()
        self.log.close()


# --------------------------------------------------------------------------- clients


@dataclass
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Connection:
    """One keep-alive HTTP connection with its cookies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=3600)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        head = {"Host": f"{HOST}:{self.port}", **(headers or {})}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=head)
                r = self.conn.getresponse()
                data = r.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # the server closed an idle keep-alive connection before this request
                # reached it: reconnect and send it once more (it was never processed)
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=3600)
                if attempt == 2:
                    raise
        for value in r.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(value)
            for k, morsel in jar.items():
                self.cookies[k] = morsel.value
        return Answer(r.status, data)


INPUT = re.compile(r"<input\b[^>]*>", re.S)


def form_values(html: str) -> dict[str, str]:
    """``name -> value`` of the ``<input>`` and ``<textarea>`` fields of the realisation
    form in ``html`` (the editor section only)."""
    start = html.find('class="realisation-form"')
    end = html.find("</form>", start)
    part = html[start:end] if start >= 0 else ""
    out: dict[str, str] = {}
    for tag in INPUT.findall(part):
        name = re.search(r'\bname="([^"]*)"', tag)
        value = re.search(r'\bvalue="([^"]*)"', tag)
        if name:
            out[name[1]] = _unescape(value[1]) if value else ""
    for m in re.finditer(r'<textarea\b[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', part, re.S):
        out[m[1]] = _unescape(m[2].strip("\n"))
    return out


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def local_number(text: str) -> float:
    """A number as the Indonesian form shows it (``1.234,5``)."""
    return float(text.replace(".", "").replace(",", ".")) if text.strip() else 0.0


@dataclass
class Tally:
    accepted: int = 0
    conflicts: int = 0
    errors: int = 0
    accepted_notes: dict[int, list[str]] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.accepted += other.accepted
        self.conflicts += other.conflicts
        self.errors += other.errors
        for pk, notes in other.accepted_notes.items():
            self.accepted_notes.setdefault(pk, []).extend(notes)
        self.error_samples.extend(other.error_samples[: 5 - len(self.error_samples)])


class Client:
    """One user editing rows through the API (``kind`` ``api``) or the screens (``htmx``)."""

    def __init__(self, port: int, user: dict[str, str], kind: str) -> None:
        self.kind = kind
        self.user = user
        self.http = Connection(port)
        if kind == "htmx":
            self.login()

    def login(self) -> None:
        page = self.http.request("GET", "/accounts/login/").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise RuntimeError("no login form")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token[1],
                "username": self.user["username"],
                "password": self.user["password"],
            }
        )
        r = self.http.request(
            "POST",
            "/accounts/login/",
            form.encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if r.status != 302 or "sessionid" not in self.http.cookies:
            raise RuntimeError(f"login of {self.user['username']} failed: {r.status}")

    # -- one edit: read the row, add 1 to its output, write ``note``, send the version read
    def read(self, pk: int) -> tuple[Answer, dict[str, Any]]:
        if self.kind == "api":
            r = self.http.request(
                "GET",
                f"/api/cities/{CITY}/realisations/{pk}",
                headers={"Authorization": f"Bearer {self.user['token']}"},
            )
            return r, (r.json() if r.status == 200 else {})
        r = self.http.request(
            "GET", f"/cities/{CITY}/realisation/{pk}/edit/", headers={"HX-Request": "true"}
        )
        return r, (form_values(r.text) if r.status == 200 else {})

    def write(self, pk: int, seen: dict[str, Any], note: str) -> Answer:
        if self.kind == "api":
            body = {"version": seen["version"], "output": seen["output"] + 1, "note": note}
            return self.http.request(
                "PATCH",
                f"/api/cities/{CITY}/realisations/{pk}",
                json.dumps(body).encode(),
                {
                    "Authorization": f"Bearer {self.user['token']}",
                    "Content-Type": "application/json",
                },
            )
        form = {
            "csrfmiddlewaretoken": seen["csrfmiddlewaretoken"],
            "output_achieved": str(int(local_number(seen["output_achieved"])) + 1),
            "cost_spent_idr": str(local_number(seen["cost_spent_idr"])),
            "note": note,
            "version": seen["version"],
        }
        return self.http.request(
            "POST",
            f"/cities/{CITY}/realisation/{pk}/edit/",
            urllib.parse.urlencode(form).encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
                "X-CSRFToken": self.http.cookies.get("csrftoken", ""),
            },
        )

    def edit(self, pk: int, note: str, tally: Tally) -> None:
        got, seen = self.read(pk)
        if got.status != 200 or not seen.get("version"):
            tally.errors += 1
            tally.error_samples.append(f"{self.kind} read {pk}: {got.status} {got.text[:200]}")
            return
        r = self.write(pk, seen, note)
        if r.status == 200:
            tally.accepted += 1
            tally.accepted_notes.setdefault(pk, []).append(note)
        elif r.status == 409:
            tally.conflicts += 1
        else:
            tally.errors += 1
            tally.error_samples.append(f"{self.kind} write {pk}: {r.status} {r.text[:300]}")


def conflict_probe(port: int, users: list[dict[str, str]], pk: int) -> list[str]:
    """Two clients of each kind read the same version of row ``pk``; the first saves, the
    second must be refused (409) and change nothing. Returns the failures (empty: passed).
    Each accepted probe edit is one more accepted edit on the row: the notes are returned by
    :func:`run` with the storm's."""
    failures: list[str] = []
    for kind in ("api", "htmx"):
        a, b = Client(port, users[0], kind), Client(port, users[1], kind)
        ra, seen_a = a.read(pk)
        rb, seen_b = b.read(pk)
        first = a.write(pk, seen_a, f"probe-{kind}-first")
        second = b.write(pk, seen_b, f"probe-{kind}-second")
        if first.status != 200:
            failures.append(f"{kind}: first save answered {first.status}")
        if second.status != 409:
            failures.append(f"{kind}: the stale save answered {second.status}, not 409")
        if kind == "htmx" and 'id="conflict"' not in second.text:
            failures.append("htmx: the stale save shows no conflict notice")
        _, after = a.read(pk)
        note = after.get("note")
        if note != f"probe-{kind}-first":
            failures.append(f"{kind}: the row's note is {note!r} after the refused save")
    return failures


@dataclass
class Result:
    mode: str
    clients: int
    edits: int
    rows: int
    accepted: int
    conflicts: int
    errors: int
    lost: int
    seconds: float
    probe_failures: list[str]
    error_samples: list[str]
    database: str

    @property
    def throughput(self) -> float:
        """Edits answered per second (accepted + conflicts + errors)."""
        n = self.accepted + self.conflicts + self.errors
        return n / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        return (
            f"edits ({self.database}, {self.mode}): {self.clients} clients x {self.edits} edits "
            f"on {self.rows} rows: accepted {self.accepted}, conflicts {self.conflicts}, "
            f"lost {self.lost}, errors {self.errors}; {self.seconds:.1f} s, "
            f"{self.throughput:.1f} edits/s"
        )


def lost_updates(final: dict[str, Any], accepted: dict[int, list[str]]) -> int:
    """Accepted edits not in the database: per row, accepted minus the output's and the
    version's increments, plus accepted notes missing from its audit entries (and audit
    entries no accepted edit made)."""
    lost = 0
    for key, row in final.items():
        notes = accepted.get(int(key), [])
        n = len(notes)
        lost += abs(n - round(row["output"]))
        lost += abs(n - (row["version"] - 1))
        audit = list(row["audit_notes"])
        for note in notes:
            if note in audit:
                audit.remove(note)
            else:
                lost += 1
        lost += len(audit)
        if notes and row["note"] != notes[-1] and row["note"] not in notes:
            lost += 1
    return lost


def run(
    home: Path,
    *,
    clients: int,
    edits: int,
    rows: int,
    mode: str = "mixed",
    server_url: str | None = None,
    workers: int = 2,
    threads: int = 4,
    progress: Callable[[str], None] | None = None,
) -> Result:
    """The whole storm on a new database (see the module docstring)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    say = progress or (lambda _msg: None)
    with database(home, server_url) as env:
        kind_db = "PostgreSQL" if is_postgres(env["DATABASE_URL"]) else "SQLite"
        say(f"set-up on {kind_db}: migrate, demo, {clients} users, {rows} rows")
        made = child(env, "setup", "--clients", str(max(clients, 2)), "--rows", str(rows))
        users, pks = made["users"], made["rows"]
        server = Server(env, home, workers=workers, threads=threads)
        try:
            total = Tally()
            probe = conflict_probe(server.port, users, pks[0])
            for kind in ("api", "htmx"):
                total.accepted_notes.setdefault(pks[0], []).append(f"probe-{kind}-first")
            say(f"server on port {server.port}; {clients} clients start")
            kinds = [
                ("htmx" if mode == "htmx" or (mode == "mixed" and i % 2) else "api")
                for i in range(clients)
            ]
            tallies = [Tally() for _ in range(clients)]
            ready = threading.Barrier(clients + 1)

            def work(i: int) -> None:
                tally = tallies[i]
                try:
                    client = Client(server.port, users[i], kinds[i])
                except Exception as e:  # a failed sign-in: every edit of this client fails
                    tally.errors += edits
                    tally.error_samples.append(f"client {i}: {e}")
                    ready.wait()
                    return
                ready.wait()
                for j in range(edits):
                    try:
                        client.edit(pks[(i + j) % len(pks)], f"c{i:03d}e{j:04d}", tally)
                    except Exception as e:  # a broken connection is an error, not a crash
                        tally.errors += 1
                        tally.error_samples.append(f"client {i} edit {j}: {e!r}")

            threads_ = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
            for t in threads_:
                t.start()
            ready.wait()
            t0 = time.perf_counter()
            for t in threads_:
                t.join()
            seconds = time.perf_counter() - t0
            for tally in tallies:
                total.add(tally)
        finally:
            server.stop()
        final = child(env, "check", *[str(pk) for pk in pks])
        return Result(
            mode=mode,
            clients=clients,
            edits=edits,
            rows=rows,
            accepted=total.accepted,
            conflicts=total.conflicts,
            errors=total.errors,
            lost=lost_updates(final, total.accepted_notes),
            seconds=seconds,
            probe_failures=probe,
            error_samples=total.error_samples,
            database=kind_db,
        )


def main(argv: list[str] | None = None) -> None:
    """The child-process commands: ``setup --clients N --rows R``, ``check PK...``,
    ``state``, ``figures`` and ``upload`` (:func:`state`, :func:`figures`,
    :func:`upload_baseline`); each prints one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m sanitasi.stress")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--clients", type=int, required=True)
    s.add_argument("--rows", type=int, required=True)
    c = sub.add_parser("check")
    c.add_argument("pks", nargs="+", type=int)
    sub.add_parser("state")
    sub.add_parser("figures")
    sub.add_parser("upload")
    args = parser.parse_args(argv)
    if args.command == "setup":
        out = setup_database(args.clients, args.rows)
    elif args.command == "check":
        out = read_rows(args.pks)
    elif args.command == "state":
        out = state()
    elif args.command == "upload":
        out = upload_baseline()
    else:
        out = figures()
    print(json.dumps(out))


if __name__ == "__main__":  # pragma: no cover
    main()
