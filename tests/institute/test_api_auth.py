"""Token authentication in one query (institute/api_auth.py): the same caller as DRF's, with
profile, organisation, roles and MFA enrolment read with the token, never kept between calls."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from institute.api_auth import TokenAuthentication
from tests.conftest import enrol_totp
from tests.factories import make_user
from trainees import roles
from trainees.models import TraineeProfile, User

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")


def test_me_by_token_is_one_query_with_organisation_roles_and_mfa(
    instructor, organisation, django_assert_num_queries
):
    instructor.groups.add(Group.objects.get_or_create(name=roles.MANAGER)[0])
    instructor.profile.organisation = organisation
    instructor.profile.id_number = "11010519491231002X"
    instructor.profile.save()
    client = token_client(instructor)
    with django_assert_num_queries(1):
        body = client.get("/api/v1/me/").json()
    assert body["roles"] == sorted([roles.INSTRUCTOR, roles.MANAGER])
    assert body["organisation"] == organisation.name_zh
    assert body["mfa_enrolled"] is True
    assert body["id_number_masked"] == "110***********002X"


def test_caller_without_role_organisation_or_mfa(django_assert_num_queries):
    user = make_user(roles.TRAINEE)
    user.groups.clear()
    client = token_client(user)
    with django_assert_num_queries(1):
        body = client.get("/api/v1/me/").json()
    assert (body["roles"], body["organisation"], body["mfa_enrolled"]) == ([], None, False)


def test_objects_are_those_the_orm_reads(instructor, organisation):
    """Every field converted as the ORM converts it (dates, booleans), relations in place."""
    instructor.profile.organisation = organisation
    instructor.profile.save()
    token = Token.objects.create(user=instructor)
    user, authenticated_token = TokenAuthentication().authenticate_credentials(token.key)
    expected = User.objects.get(pk=instructor.pk)
    profile = TraineeProfile.objects.get(user=instructor)
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(expected, field.attname), field.name
    for field in TraineeProfile._meta.concrete_fields:
        assert getattr(user.profile, field.attname) == getattr(profile, field.attname), field.name
    assert user.profile.organisation == organisation
    assert user.profile.organisation.name_zh == organisation.name_zh
    assert authenticated_token.created == Token.objects.get(pk=token.pk).created
    assert authenticated_token.user is user and user.profile.user is user


def test_changes_to_the_account_count_at_the_next_call(instructor):
    client = token_client(instructor)
    assert client.get("/api/v1/me/").json()["mfa_enrolled"] is True
    instructor.groups.clear()
    Authenticator.objects.filter(user=instructor).delete()
    body = client.get("/api/v1/me/").json()
    assert (body["roles"], body["mfa_enrolled"]) == ([], False)
    enrol_totp(instructor)
    assert client.get("/api/v1/me/").json()["mfa_enrolled"] is True
    # Deactivated without any signal (a bulk update): refused all the same.
    User.objects.filter(pk=instructor.pk).update(is_active=False)
    assert client.get("/api/v1/me/").status_code == 401


def test_unknown_or_deleted_token_is_refused():
    user = make_user(roles.TRAINEE)
    client = token_client(user)
    assert client.get("/api/v1/me/").status_code == 200
    Token.objects.filter(user=user).delete()
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    wrong = APIClient(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert wrong.get("/api/v1/me/").status_code == 401


def test_unenrolled_staff_session_cannot_pass_the_mfa_rule_with_a_token_header(client):
    """The MFA rule is checked on the session before DRF reads any token."""
    staff = make_user(roles.INSTRUCTOR)
    client.force_login(staff)
    trainee_token = Token.objects.create(user=make_user(roles.TRAINEE))
    for header in (f"Token {trainee_token.key}", "Token not-a-token"):
        response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=header)
        assert response.status_code == 403
        assert "Two-factor" in response.json()["detail"]


def test_me_answer_is_what_its_serializer_documents(trainee):
    from trainees.api import MeSerializer

    body = token_client(trainee).get("/api/v1/me/").json()
    assert set(body) == set(MeSerializer().fields)
    assert MeSerializer(body).data == body
