"""Organisations and HR API tokens in the Wagtail admin: officers only, checksum errors,
staff counts without N+1, tokens shown once and revoked (never deleted)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from institute.models import AuditRecord
from tests.factories import OrganisationFactory, credit_code, make_user
from trainees import roles
from trainees.models import Organisation, OrganisationApiToken
from trainees.services.organisation_tokens import organisation_token_create

INDEX = "/admin/organisations/"
TOKENS = "/admin/organisation_api_tokens/"


def organisation_form(**overrides) -> dict:
    data = {
        "name_zh": "江苏质检技术服务有限公司",
        "name_en": "Jiangsu Quality Inspection Services Co., Ltd.",
        "credit_code": credit_code(4242),
        "contact_name": "张敏",
        "contact_email": "hr@jsqi.example.cn",
        "contact_phone": "+86 512 6666 8888",
        "address": "苏州市工业园区星湖街 218 号",
    }
    return {**data, **overrides}


def test_officer_creates_an_organisation_and_it_is_audited(client_for, officer, manager):
    response = client_for(officer).post(INDEX + "new/", organisation_form(managers=[manager.pk]))
    assert response.status_code == 302
    organisation = Organisation.objects.get(credit_code=credit_code(4242))
    assert list(organisation.managers.all()) == [manager]
    assert AuditRecord.objects.filter(
        action="organisation.create", object_id=str(organisation.pk), actor=officer
    ).exists()


def test_wrong_credit_code_checksum_gives_a_clear_error_and_saves_nothing(client_for, officer):
    good = credit_code(4242)
    wrong_check = good[:17] + ("1" if good[17] != "1" else "2")
    response = client_for(officer).post(INDEX + "new/", organisation_form(credit_code=wrong_check))
    assert response.status_code == 200
    assert "check character" in response.content.decode() or "校验" in response.content.decode()
    assert not Organisation.objects.filter(credit_code=wrong_check).exists()


@pytest.mark.parametrize("persona", ["manager", "instructor", "trainee"])
def test_only_officers_reach_the_organisation_admin(request, client_for, persona, organisation):
    client = client_for(request.getfixturevalue(persona))
    for address in (INDEX, f"{INDEX}edit/{organisation.pk}/", TOKENS, TOKENS + "new/"):
        assert client.get(address).status_code in (302, 403)


def test_listing_shows_staff_counts_with_a_constant_query_count(client_for, officer):
    client = client_for(officer)
    first = OrganisationFactory()
    for _ in range(3):
        make_user(organisation=first)
    client.get(INDEX)
    with CaptureQueriesContext(connection) as small:
        response = client.get(INDEX)
    assert re.search(r">\s*3\s*<", response.content.decode())
    for _ in range(6):
        organisation = OrganisationFactory()
        make_user(organisation=organisation)
    with CaptureQueriesContext(connection) as large:
        client.get(INDEX)
    assert len(large) == len(small)


def test_search_by_credit_code(client_for, officer, organisation, other_organisation):
    page = client_for(officer).get(INDEX, {"q": organisation.credit_code}).content.decode()
    assert organisation.name_zh in page and other_organisation.name_zh not in page


def test_token_created_in_the_admin_is_shown_once_and_works(client_for, officer, organisation):
    response = client_for(officer).post(
        TOKENS + "new/", {"organisation": organisation.pk, "name": "用友 HR"}
    )
    assert response.status_code == 200
    raw = re.search(r"org_[A-Za-z0-9_-]{20,}", response.content.decode()).group(0)
    token = OrganisationApiToken.objects.get(organisation=organisation)
    assert token.created_by == officer and raw not in token.token_hash
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/organisation/staff/").status_code == 200
    listing = client_for(officer).get(TOKENS).content.decode()
    assert "用友 HR" in listing and raw not in listing


def test_officer_revokes_a_token_in_the_admin(client_for, officer, organisation):
    token, raw = organisation_token_create(organisation=organisation, name="HR", by=officer)
    response = client_for(officer).post(f"{TOKENS}edit/{token.pk}/", {"name": "HR", "revoke": "on"})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditRecord.objects.filter(action="organisation_token.revoke").exists()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/organisation/staff/").status_code == 401


def test_tokens_and_organisations_cannot_be_deleted(client_for, officer, organisation):
    token, _ = organisation_token_create(organisation=organisation, name="HR", by=officer)
    client = client_for(officer)
    assert client.post(f"{TOKENS}delete/{token.pk}/").status_code in (302, 403)
    assert client.post(f"{INDEX}delete/{organisation.pk}/").status_code in (302, 403)
    assert OrganisationApiToken.objects.filter(pk=token.pk).exists()
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_manager_role_is_needed_to_be_offered_as_manager(client_for, officer, organisation):
    plain = make_user(roles.TRAINEE)
    page = client_for(officer).get(f"{INDEX}edit/{organisation.pk}/").content.decode()
    assert plain.email not in page
