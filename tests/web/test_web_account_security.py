"""Issue 12 item 5: demo accounts off when a real city arrives, login throttling with lockout
and audit, API tokens with expiry / revocation / invalidation on password change, idle
session timeout, ``serve`` refusing debug on a real database, no password reset without
mail."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from webhelpers import DEMO, make_user

from sanitasi.io.reference import demo_city_dir
from sanitasi.web.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from sanitasi.web.accounts.models import LoginThrottle
from sanitasi.web.accounts.security import IdleTimeoutMiddleware
from sanitasi.web.api.models import ApiToken
from sanitasi.web.audit.models import AuditEntry
from sanitasi.web.loader import load_city_folder
from sanitasi.web.models import DEMO_DATABASE, is_demo_database, set_setting

PASSWORD = "a-long-test-pass-42"


def _login(username: str, password: str) -> bool:
    """A login through the login page; whether it opened a session."""
    c = Client()
    response = c.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in c.session


# --------------------------------------------------------------------------- demo accounts


def test_a_real_city_in_a_demo_database_disables_every_demo_account(
    demo: str, tmp_path: Path
) -> None:
    assert _login("koordinator", DEMO_PASSWORD)
    token = ApiToken.issue(get_user_model().objects.get(username="viewer"))
    city = tmp_path / "city"
    shutil.copytree(Path(str(demo_city_dir())), city)
    result = load_city_folder(city, on_exists="replace")
    names = sorted(d.username for d in DEMO_USERS)
    assert list(result.disabled_demo_users) == names
    users = get_user_model().objects.filter(username__in=names)
    assert users.count() == len(names)
    assert not any(u.is_active or u.has_usable_password() for u in users)
    assert not is_demo_database()
    assert not _login("koordinator", DEMO_PASSWORD)
    assert not _login("admin", DEMO_PASSWORD)
    assert ApiToken.user_for(token) is None
    entry = AuditEntry.objects.get(model="account", action="disable")
    assert entry.city_kode == DEMO and entry.after["disabled"] == names


def test_load_command_says_it_loudly(
    demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import call_command

    city = tmp_path / "city"
    shutil.copytree(Path(str(demo_city_dir())), city)
    call_command("load_city", "--city-dir", str(city), "--replace", "--no-migrate")
    err = capsys.readouterr().err
    assert "every demo account is now disabled" in err and "kecamatan-ls" in err


def test_loading_the_demo_again_keeps_the_accounts(demo: str) -> None:
    result = load_city_folder(None, demo=True, on_exists="skip")
    assert result.disabled_demo_users == ()
    assert is_demo_database() and _login("viewer", DEMO_PASSWORD)


# --------------------------------------------------------------------------- throttling


def test_five_wrong_passwords_lock_the_user_out_until_the_cool_off(
    demo: str, settings: object
) -> None:
    make_user("alice", "viewer", city_kode=DEMO)
    assert _login("alice", PASSWORD)  # works, and resets nothing
    for _ in range(4):
        assert not _login("alice", "wrong")
    assert not AuditEntry.objects.filter(model="account", action="lockout").exists()
    assert not _login("Alice", "wrong")  # the 5th (user names count case-insensitively)
    row = LoginThrottle.objects.get(username="alice")
    assert row.failures == 5 and row.locked_until is not None
    minutes = (row.locked_until - row.last_failure).total_seconds() / 60
    assert minutes == pytest.approx(15)
    entry = AuditEntry.objects.get(model="account", action="lockout", object_pk="alice")
    assert entry.after["failures"] == 5
    assert not _login("alice", PASSWORD)  # the right password is refused while locked
    assert not _login("alice", PASSWORD)
    # the cool-off ends: the right password works again and clears the count
    LoginThrottle.objects.filter(username="alice").update(
        locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert _login("alice", PASSWORD)
    assert not LoginThrottle.objects.filter(username="alice").exists()
    # one lockout, one audit entry
    assert AuditEntry.objects.filter(model="account", action="lockout").count() == 1


def test_a_success_resets_the_count(demo: str) -> None:
    make_user("bob", "viewer", city_kode=DEMO)
    for _ in range(4):
        assert not _login("bob", "wrong")
    assert _login("bob", PASSWORD)
    for _ in range(4):
        assert not _login("bob", "wrong")
    assert _login("bob", PASSWORD)  # 4 + 4 failures, never 5 in a row


# --------------------------------------------------------------------------- API tokens


def _api(token: str) -> int:
    return Client().get("/api/cities/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def test_api_token_expires(demo: str) -> None:
    u = make_user("carol", "viewer", city_kode=DEMO)
    raw = ApiToken.issue(u)
    row = ApiToken.objects.get(user=u)
    assert row.key_hash != raw and raw not in row.key_hash  # only the hash is stored
    assert (row.expires_at - row.created_at) == dt.timedelta(days=90)
    assert _api(raw) == 200
    ApiToken.objects.filter(user=u).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _api(raw) == 401


def test_api_token_dies_with_a_password_change_and_by_revocation(demo: str) -> None:
    from django.core.management import call_command

    u = make_user("dave", "viewer", city_kode=DEMO)
    raw = ApiToken.issue(u)
    u.last_login = timezone.now()
    u.save(update_fields=["last_login"])  # not a password change
    assert _api(raw) == 200
    u.set_password("another-long-pass-43")
    u.save()
    assert _api(raw) == 401 and not ApiToken.objects.filter(user=u).exists()
    assert AuditEntry.objects.filter(model="account", action="revoke", object_pk="dave").exists()
    raw = ApiToken.issue(u)
    assert _api(raw) == 200
    call_command("api_token", "dave", "--revoke")
    assert _api(raw) == 401


# --------------------------------------------------------------------------- sessions


def test_idle_session_ends(demo: str) -> None:
    c = Client()
    c.force_login(get_user_model().objects.get(username="viewer"))
    assert c.get(f"/cities/{DEMO}/programme/").status_code == 200
    session = c.session
    assert IdleTimeoutMiddleware.KEY in session
    session[IdleTimeoutMiddleware.KEY] = timezone.now().timestamp() - 29 * 60
    session.save()
    assert c.get(f"/cities/{DEMO}/programme/").status_code == 200  # 29 min: still signed in
    session = c.session
    session[IdleTimeoutMiddleware.KEY] = timezone.now().timestamp() - 31 * 60
    session.save()
    got = c.get(f"/cities/{DEMO}/programme/")
    assert got.status_code == 302 and "/accounts/login/" in got["Location"]


def test_password_reset_pages_need_mail(demo: str) -> None:
    with pytest.raises(NoReverseMatch):
        reverse("password_reset")
    assert Client().get("/accounts/password_reset/").status_code == 404
    assert reverse("login") and reverse("password_change")


def test_account_urls_with_mail(settings: object) -> None:
    from sanitasi.web import urls

    settings.SANITASI_PASSWORD_RESET = True  # type: ignore[attr-defined]
    names = {p.name for p in urls._account_urls()}
    assert {"password_reset", "password_reset_confirm", "login"} <= names


# --------------------------------------------------------------------------- serve + debug


def test_serve_refuses_debug_on_a_real_database(demo: str, settings: object) -> None:
    from click.testing import CliRunner

    from sanitasi.cli import main
    from sanitasi.web import serve

    settings.DEBUG = True  # type: ignore[attr-defined]
    serve.check_debug()  # the demo database: allowed
    set_setting(DEMO_DATABASE, False)
    with pytest.raises(serve.ServeRefused, match="SANITASI_DEBUG=1"):
        serve.check_debug()

    def refused(*args: object, **kwargs: object) -> None:
        serve.check_debug()

    original = serve.serve
    serve.serve = refused  # type: ignore[assignment]
    try:
        got = CliRunner().invoke(main, ["serve"])
    finally:
        serve.serve = original  # type: ignore[assignment]
    assert got.exit_code == 2
    assert "SANITASI_DEBUG=1" in got.output
    settings.DEBUG = False  # type: ignore[attr-defined]
    serve.check_debug()
