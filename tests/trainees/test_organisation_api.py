"""HR API with organisation-scoped tokens: scope, revocation, no user access, query count."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from institute.models import AuditRecord
from tests.factories import make_user
from tests.trainees.certification_factories import SchemeVersionFactory, make_approved_application
from trainees import roles
from trainees.models import Credential, OrganisationApiToken
from trainees.services.organisation_tokens import (
    organisation_token_create,
    organisation_token_revoke,
)

LIST = "/api/v1/organisation/staff/"


def detail(person) -> str:
    return f"/api/v1/organisation/staff/{person.pk}/"


_index = iter(range(10_000, 1_000_000))


def make_credential(holder, *, status=Credential.Status.ACTIVE, days_left=400, version=None):
    version = version or SchemeVersionFactory()
    decider = make_user(roles.OFFICER)
    application = make_approved_application(holder, version, decider)
    now = timezone.now()
    index = next(_index)
    return Credential.objects.create(
        number=f"CCIC-T-{index}",
        application=application,
        holder=holder,
        scheme_version=version,
        scope_zh="CCC 工厂检查",
        scope_en="CCC factory inspection",
        valid_from=now - timedelta(days=700),
        valid_until=now + timedelta(days=days_left),
        status=status,
        status_index=index,
    )


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def org_token(organisation, officer):
    token, raw = organisation_token_create(organisation=organisation, name="HR system", by=officer)
    return token, raw


def test_token_is_stored_only_as_a_hash_and_creation_is_audited(org_token):
    token, raw = org_token
    assert raw.startswith("org_") and len(raw) > 40
    stored = OrganisationApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.token_hash, stored.prefix)
    assert AuditRecord.objects.filter(
        action="organisation_token.create", object_id=str(token.pk)
    ).exists()


def test_token_lists_own_staff_with_credentials_and_masked_ids(org_token, trainee, other_trainee):
    trainee.profile.id_number = "11010519491231002X"
    trainee.profile.save()
    credential = make_credential(trainee, days_left=30)
    make_credential(other_trainee)
    response = bearer(org_token[1]).get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [trainee.pk]
    row = body["results"][0]
    assert row["id_number_masked"] == "110***********002X"
    assert "11010519491231002X" not in response.content.decode()
    assert "email" not in row
    assert row["credentials"][0]["number"] == credential.number
    assert row["credentials"][0]["status"] == "expiring"


def test_token_also_accepted_with_the_token_keyword(org_token, trainee):
    client = Client(HTTP_AUTHORIZATION=f"Token {org_token[1]}")
    assert client.get(detail(trainee)).status_code == 200


def test_token_of_one_organisation_never_sees_another_organisations_staff(
    org_token, trainee, other_trainee
):
    client = bearer(org_token[1])
    assert client.get(detail(trainee)).status_code == 200
    assert client.get(detail(other_trainee)).status_code == 404
    assert other_trainee.email not in client.get(LIST).content.decode()


def test_revoked_token_gets_401(org_token, officer, trainee):
    token, raw = org_token
    organisation_token_revoke(token=token, by=officer)
    assert bearer(raw).get(LIST).status_code == 401
    assert bearer(raw).get(detail(trainee)).status_code == 401


def test_unknown_token_gets_401(db):
    assert bearer("org_not-a-real-token").get(LIST).status_code == 401


@pytest.mark.parametrize("persona", ["trainee", "manager", "officer"])
def test_user_sessions_and_user_tokens_cannot_use_the_hr_api(request, client_for, persona, db):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(LIST).status_code == 401
    assert client_for(user).get(detail(user)).status_code == 401
    key = Token.objects.create(user=user).key
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(LIST).status_code == 401
    assert client_for(None).get(LIST).status_code == 401


def test_status_filter_and_search(org_token, organisation):
    valid = make_user(organisation=organisation)
    make_credential(valid)
    suspended = make_user(organisation=organisation)
    make_credential(suspended, status=Credential.Status.SUSPENDED)
    client = bearer(org_token[1])
    ids = [row["id"] for row in client.get(LIST, {"status": "suspended"}).json()["results"]]
    assert ids == [suspended.pk]
    ids = [row["id"] for row in client.get(LIST, {"q": valid.email}).json()["results"]]
    assert ids == [valid.pk]


def _add_staff(organisation, count):
    version = SchemeVersionFactory()
    for _ in range(count):
        person = make_user(organisation=organisation)
        make_credential(person, version=version)
        make_credential(person, version=version, status=Credential.Status.EXPIRED, days_left=-5)


def test_list_query_count_does_not_grow_with_staff(
    org_token, organisation, django_assert_max_num_queries
):
    client = bearer(org_token[1])
    _add_staff(organisation, 2)
    with django_assert_max_num_queries(5):
        assert len(client.get(LIST).json()["results"]) == 2
    _add_staff(organisation, 12)
    with django_assert_max_num_queries(5):
        assert len(client.get(LIST).json()["results"]) == 14


def test_last_used_at_is_recorded(org_token, trainee):
    token, raw = org_token
    bearer(raw).get(LIST)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_command_creates_a_working_token_and_revokes_it(organisation, trainee):
    out = StringIO()
    call_command("organisation_token", organisation.credit_code, "--name", "SAP HR", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    assert bearer(raw).get(detail(trainee)).status_code == 200
    call_command("organisation_token", organisation.credit_code, "--revoke", raw[:12], stdout=out)
    assert bearer(raw).get(LIST).status_code == 401


def test_api_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert "/api/v1/organisation/staff/" in paths
    assert "/api/v1/organisation/staff/{id}/" in paths
