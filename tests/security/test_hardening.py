"""Security headers and Content Security Policy, production cookies, API and login rate limits
(per account, never a whole classroom per IP), and deactivated accounts losing access at once."""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import PASSWORD, make_user
from trainees import roles

pytestmark = pytest.mark.django_db


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_common_headers(response) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("who", ["anonymous", "trainee"])
@pytest.mark.parametrize("url", ["/en/accounts/login/", "/en/register/", "/api/v1/me/"])
def test_site_pages_and_api_carry_a_strict_policy_and_security_headers(
    client_for, trainee, who, url
):
    client = client_for(trainee if who == "trainee" else None)
    response = client.get(url, follow=False)
    assert response.status_code in (200, 302, 401, 403)
    assert_common_headers(response)
    assert response["X-Frame-Options"] == "DENY"
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]


def test_logged_in_certification_page_has_no_inline_script(client_for, trainee):
    response = client_for(trainee).get("/en/certification/")
    assert response.status_code == 200
    assert csp_directives(response)["script-src"] == ["'self'"]
    for tag in re.findall(rb"<script\b[^>]*>", response.content):
        assert b"src=" in tag or b"application/json" in tag, tag


def test_wagtail_admin_gets_its_own_looser_policy_and_may_frame_its_previews(client_for, officer):
    response = client_for(officer).get("/admin/")
    assert response.status_code == 200
    directives = csp_directives(response)
    assert "'unsafe-inline'" in directives["script-src"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert_common_headers(response)


def test_api_docs_page_may_load_the_swagger_bundle(client_for, trainee):
    response = client_for(trainee).get("/api/v1/docs/")
    assert "https://cdn.jsdelivr.net" in csp_directives(response)["script-src"]


TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_site_templates_have_no_inline_script_or_event_handler():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


def test_production_settings_make_cookies_secure_httponly_and_samesite():
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_COOKIES": "true",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_SETTINGS_MODULE": "institute.settings",
    }
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE]))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(output.strip().splitlines()[-1]) == [True, True, True, "Lax", "Lax"]


# --- API rate limits -------------------------------------------------------------------------


@pytest.fixture
def low_api_rates(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "5/min", "user": "3/min"})


def test_api_limits_each_account_not_a_classroom_behind_one_ip(low_api_rates):
    people = [make_user(roles.TRAINEE) for _ in range(30)]
    for person in people:  # 30 accounts x 3 calls from one NAT address: all answered
        client = APIClient(REMOTE_ADDR="10.1.1.1")
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=person).key}")
        assert [client.get("/api/v1/me/").status_code for _ in range(3)] == [200] * 3
    # The fourth call of one account within the minute is throttled, and only that account.
    assert client.get("/api/v1/me/").status_code == 429
    other = APIClient(REMOTE_ADDR="10.1.1.1")
    other.force_authenticate(make_user(roles.TRAINEE))
    assert other.get("/api/v1/me/").status_code == 200


def test_anonymous_api_calls_are_limited_per_ip(low_api_rates):
    client = APIClient(REMOTE_ADDR="203.0.113.9")
    codes = [client.get("/api/v1/register/", {"q": "张"}).status_code for _ in range(6)]
    assert codes[:5] == [200] * 5 and codes[5] == 429
    assert APIClient(REMOTE_ADDR="203.0.113.10").get("/api/v1/register/").status_code == 200


def test_organisation_tokens_are_limited_per_token(low_api_rates, organisation, officer):
    from trainees.services.organisation_tokens import organisation_token_create

    _, first = organisation_token_create(organisation=organisation, name="HR one", by=officer)
    _, second = organisation_token_create(organisation=organisation, name="HR two", by=officer)
    url = "/api/v1/organisation/staff/"
    one = APIClient(HTTP_AUTHORIZATION=f"Bearer {first}")
    two = APIClient(HTTP_AUTHORIZATION=f"Bearer {second}")
    assert [one.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert two.get(url).status_code == 200


# --- Login rate limits (allauth: ACCOUNT_RATE_LIMITS) ------------------------------------------


def login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_two_hundred_accounts_from_one_ip_all_log_in_within_a_minute(client_for):
    people = [make_user(roles.TRAINEE) for _ in range(200)]
    with time_machine.travel("2026-09-01 08:59:30 +08:00", tick=False):
        for person in people:
            client = client_for()
            assert login(client, person.email).status_code == 302, person.email
            assert client.session["_auth_user_id"] == str(person.pk)


def test_six_wrong_passwords_lock_that_account_only(client_for):
    victim, neighbour = make_user(roles.TRAINEE), make_user(roles.TRAINEE)
    client = client_for()
    for _ in range(6):
        assert login(client, victim.email, "wrong-password").status_code == 200
    response = login(client, victim.email)  # the right password, too late
    assert "_auth_user_id" not in client.session
    text = response.content.decode()
    assert "Too many failed login attempts" in text or "登录失败次数过多" in text
    # Another account from the same address still logs in.
    assert login(client_for(), neighbour.email).status_code == 302
    # After the lock window the account may try again.
    with time_machine.travel(time.time() + 360, tick=False):
        assert login(client_for(), victim.email).status_code == 302


# --- Deactivated accounts --------------------------------------------------------------------


def test_deactivated_user_loses_pages_session_api_and_token_at_once(client_for, trainee):
    client = client_for()
    assert login(client, trainee.email).status_code == 302
    token = Token.objects.create(user=trainee)
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/en/certification/").status_code == 200
    assert api.get("/api/v1/me/").status_code == 200

    trainee.is_active = False
    trainee.save(update_fields=["is_active"])

    page = client.get("/en/certification/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert client.get("/api/v1/me/").status_code in (401, 403)
    assert api.get("/api/v1/me/").status_code == 401
