"""Demo accounts, the demo-password rule, the DEMO banner, login/logout, languages."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from webhelpers import make_user

from sanitasi.web import roles
from sanitasi.web.accounts.models import UserProfile
from sanitasi.web.models import DEMO_DATABASE, set_setting

BANNER = 'id="demo-banner"'


@pytest.mark.parametrize(
    "username",
    ["admin", "koordinator", "opd-dlh", "opd-perkim", "kecamatan-ls", "fasilitator", "viewer"],
)
def test_demo_password_opens_a_demo_database(demo: str, username: str) -> None:
    assert authenticate(username=username, password="demo") is not None


def test_non_demo_database_refuses_the_demo_password(demo: str) -> None:
    set_setting(DEMO_DATABASE, False)
    assert authenticate(username="koordinator", password="demo") is None
    response = Client().post("/accounts/login/", {"username": "koordinator", "password": "demo"})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    with pytest.raises(ValidationError):
        validate_password("demo")
    # other passwords still work
    make_user("real", roles.VIEWER, city_kode=demo)
    assert authenticate(username="real", password="a-long-test-pass-42") is not None


def test_demo_password_rule_on_an_empty_database(empty_db: None) -> None:
    from django.contrib.auth import get_user_model

    u = get_user_model().objects.create_user("someone", password="demo")
    assert authenticate(username=u.username, password="demo") is None


def test_demo_banner_on_every_page_of_a_demo_database(demo: str) -> None:
    client = Client()
    assert BANNER in client.get("/accounts/login/").content.decode()
    client.login(username="viewer", password="demo")
    for url in ("/", f"/cities/{demo}/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200 and BANNER in response.content.decode(), url


def test_no_banner_on_a_real_database(demo: str) -> None:
    set_setting(DEMO_DATABASE, False)
    client = Client()
    assert BANNER not in client.get("/accounts/login/").content.decode()
    client.force_login(make_user("real", roles.VIEWER, city_kode=demo))
    assert BANNER not in client.get(f"/cities/{demo}/").content.decode()


def test_login_flow(demo: str) -> None:
    client = Client()
    response = client.get(f"/cities/{demo}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and 'name="username"' in page.content.decode()
    bad = client.post("/accounts/login/", {"username": "opd-dlh", "password": "wrong"})
    assert bad.status_code == 200 and 'role="alert"' in bad.content.decode()
    response = client.post(
        "/accounts/login/", {"username": "opd-dlh", "password": "demo", "next": f"/cities/{demo}/"}
    )
    assert response.status_code == 302 and response["Location"] == f"/cities/{demo}/"
    home = client.get("/", follow=True)
    # an opd user lands on its agency's "Tugas saya" (issue 11)
    assert home.redirect_chain[-1][0] == f"/cities/{demo}/agency/DLH/"
    assert "opd-dlh" in home.content.decode()
    out = client.post("/accounts/logout/")
    assert out.status_code == 302
    assert client.get(f"/cities/{demo}/").status_code == 302


def test_out_of_scope_city_is_404_and_fasilitator_sees_the_list(demo: str) -> None:
    client = Client()
    client.login(username="viewer", password="demo")
    assert client.get("/cities/13.71/").status_code == 404
    client.login(username="fasilitator", password="demo")
    assert client.get(f"/cities/{demo}/").status_code == 200
    stranger = make_user("medan", roles.VIEWER, city_kode="12.71")
    client.force_login(stranger)
    assert client.get(f"/cities/{demo}/").status_code == 404
    home = client.get("/")
    assert home.status_code == 200 and not home.context["cities"]


def test_indonesian_by_default_english_on_request(demo: str) -> None:
    client = Client()
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = page.content.decode()
    assert '<html lang="id">' in html and "Masuk" in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html and "Log in" in html
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert '<html lang="id">' in client.get("/accounts/login/").content.decode()


def test_profile_validation() -> None:
    with pytest.raises(ValidationError) as info:
        UserProfile(role=roles.KECAMATAN, city_kode="13.72", kecamatan_kode="13.71.01").clean()
    assert {"agency_code", "kecamatan_kode"} <= set(info.value.message_dict)
    with pytest.raises(ValidationError):
        UserProfile(role=roles.FASILITATOR, province_kode="13.72").clean()
    UserProfile(role=roles.FASILITATOR, province_kode="13").clean()


def test_banner_on_admin_and_error_pages(demo: str) -> None:
    client = Client()
    client.login(username="admin", password="demo")
    admin_page = client.get("/admin/")
    assert admin_page.status_code == 200 and BANNER in admin_page.content.decode()
    missing = client.get("/cities/99.99/")
    assert missing.status_code == 404 and BANNER in missing.content.decode()
