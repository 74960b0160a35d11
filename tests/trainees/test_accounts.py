import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, make_user
from trainees import roles
from trainees.models import TraineeProfile, User

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD, next_url=None):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": email, "password": password})


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_signup_sends_verification_and_only_verified_users_log_in(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.trainee@example.com",
            "password1": "Qc-safe-2026!x",
            "password2": "Qc-safe-2026!x",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.trainee@example.com")
    assert TraineeProfile.objects.filter(user=user).exists()
    assert len(mail.outbox) == 1
    client.logout()

    # Not verified yet: a login is turned away to the verification notice.
    response = login(client, "new.trainee@example.com", "Qc-safe-2026!x")
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", mail.outbox[-1].body).group(1)
    response = client.post(reverse("account_confirm_email", args=[key]))
    assert response.status_code == 302
    client.logout()

    response = login(client, "new.trainee@example.com", "Qc-safe-2026!x")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_repeated_wrong_passwords_are_rate_limited_per_account(client):
    user = make_user(roles.TRAINEE)
    for _ in range(5):
        response = login(client, user.email, "wrong-password")
        assert response.status_code == 200
    # The sixth attempt is refused even with the right password.
    response = login(client, user.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode() or "登录失败次数过多" in (
        response.content.decode()
    )


@pytest.mark.parametrize("role", [roles.OFFICER, roles.INSTRUCTOR])
def test_staff_without_mfa_must_enrol_before_the_admin(client, role):
    user = make_user(role)
    assert login(client, user.email).status_code == 302

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))
    # Every staff page, not only the dashboard, and also under a language prefix; in fact
    # every page but the account pages needed to enrol.
    for path in ["/admin/pages/", "/en/admin/", "/", "/en/", "/certification/", "/exams/"]:
        assert client.get(path).url.startswith(reverse("mfa_activate_totp")), path

    # Enrolment asks for the password again, so a stolen session cannot enrol its own device.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert client.post(response.url, {"password": PASSWORD}).status_code == 302
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    assert client.get("/admin/").status_code == 200


def test_wrong_totp_code_does_not_enrol(client):
    user = make_user(roles.OFFICER)
    login(client, user.email)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()
    assert client.get("/admin/").status_code == 302


def test_enrolled_staff_login_asks_for_the_totp_code(client):
    from tests.conftest import enrol_totp

    user = make_user(roles.OFFICER)
    secret = enrol_totp(user)
    response = login(client, user.email, next_url="/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_authenticate"))
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_trainee_is_not_forced_into_mfa_and_cannot_open_admin(client):
    user = make_user(roles.TRAINEE)
    login(client, user.email)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert not response.url.startswith(reverse("mfa_activate_totp"))


def test_mfa_requirement_can_be_turned_off_for_local_exploration(client, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    user = make_user(roles.OFFICER)
    login(client, user.email)
    assert client.get("/admin/").status_code == 200


def test_wagtail_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=%2Fadmin%2Fpages%2F" in response.url
    # The old form does not accept a password either.
    user = make_user(roles.OFFICER)
    response = client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 405
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link(client):
    user = make_user(roles.TRAINEE)
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_every_new_user_gets_a_trainee_profile():
    user = User.objects.create_user("someone@example.com", "x")
    assert user.profile.user_id == user.pk
    superuser = User.objects.create_superuser("root@example.com", "x")
    assert TraineeProfile.objects.filter(user=superuser).exists()


def test_unenrolled_staff_session_gets_no_api(client):
    user = make_user(roles.INSTRUCTOR)
    login(client, user.email)
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert "Two-factor" in response.json()["detail"]
    trainee = make_user(roles.TRAINEE)
    client.logout()
    login(client, trainee.email)
    assert client.get("/api/v1/me/").status_code == 200


def test_a_classroom_behind_one_ip_can_all_log_in_at_once(client_for):
    people = [make_user(roles.TRAINEE) for _ in range(40)]
    for person in people:
        client = client_for()
        response = login(client, person.email)
        assert response.status_code == 302, person.email
        assert client.session["_auth_user_id"] == str(person.pk)


def test_deactivated_user_session_ends_at_once(client):
    user = make_user(roles.TRAINEE)
    login(client, user.email)
    assert client.get("/api/v1/me/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me/").status_code in (401, 403)
