"""Managers (of their own staff) and officers start certification applications for people."""

import pytest
from django.urls import reverse
from django.utils import translation

from institute.models import AuditRecord
from tests.factories import make_user
from tests.trainees.test_organisation_api import make_credential
from trainees.models import Application


def apply_url(organisation) -> str:
    # The English pages, so the messages below read as written here (`/` is Chinese).
    with translation.override("en"):
        return reverse("organisation-staff-apply", args=[organisation.pk])


def staff_url(organisation) -> str:
    return reverse("organisation-staff-status", args=[organisation.pk])


@pytest.fixture
def colleague(organisation):
    return make_user(organisation=organisation)


def post(client, organisation, people, scheme):
    data = {"people": [person.pk for person in people], "scheme": scheme.code}
    return client.post(apply_url(organisation), data, follow=True)


def test_manager_applies_for_two_staff_members_audited(
    client_for, manager, organisation, trainee, colleague, scheme_version
):
    response = post(client_for(manager), organisation, [trainee, colleague], scheme_version.scheme)
    assert response.status_code == 200
    applications = Application.objects.filter(scheme_version=scheme_version)
    assert {a.candidate_id for a in applications} == {trainee.pk, colleague.pk}
    assert all(a.submitted_by_id == manager.pk for a in applications)
    assert all(a.status == Application.Status.SUBMITTED for a in applications)
    audited = AuditRecord.objects.filter(
        action="certification.application_submitted", actor=manager
    )
    assert sorted(audited.values_list("object_id", flat=True)) == sorted(
        str(a.pk) for a in applications
    )
    assert "2 certification application(s) submitted." in response.content.decode()


def test_one_open_application_blocks_the_whole_batch(
    client_for, manager, organisation, trainee, colleague, scheme_version
):
    Application.objects.create(
        candidate=colleague, scheme_version=scheme_version, submitted_by=colleague
    )
    colleague.profile.name_zh = "周已申请"
    colleague.profile.save()
    response = post(client_for(manager), organisation, [trainee, colleague], scheme_version.scheme)
    page = response.content.decode()
    assert "周已申请 already has an open application for this scheme." in page
    assert "No application was submitted." in page
    assert not Application.objects.filter(candidate=trainee).exists()
    assert not AuditRecord.objects.filter(action="certification.application_submitted").exists()


def test_a_valid_credential_blocks_the_batch(
    client_for, manager, organisation, trainee, colleague, scheme_version
):
    make_credential(trainee, version=scheme_version, days_left=200)
    trainee.profile.name_zh = "吴持证"
    trainee.profile.save()
    response = post(client_for(manager), organisation, [trainee, colleague], scheme_version.scheme)
    assert "吴持证 already holds a valid credential of this scheme." in response.content.decode()
    assert not Application.objects.filter(
        candidate=colleague, status=Application.Status.SUBMITTED
    ).exists()


def test_an_expired_credential_does_not_block(
    client_for, manager, organisation, trainee, scheme_version
):
    make_credential(trainee, version=scheme_version, days_left=-5)
    post(client_for(manager), organisation, [trainee], scheme_version.scheme)
    assert Application.objects.filter(
        candidate=trainee, status=Application.Status.SUBMITTED, submitted_by=manager
    ).exists()


def test_manager_cannot_apply_for_another_organisations_staff(
    client_for, manager, organisation, other_organisation, other_trainee, trainee, scheme_version
):
    client = client_for(manager)
    # Through the other organisation's page: it does not exist for this manager.
    response = client.post(
        apply_url(other_organisation),
        {"people": [other_trainee.pk], "scheme": scheme_version.scheme.code},
    )
    assert response.status_code == 404
    # Through their own page, slipping in someone from elsewhere: refused as a whole.
    response = post(client, organisation, [trainee, other_trainee], scheme_version.scheme)
    assert response.status_code == 200
    assert not Application.objects.exists()
    assert not AuditRecord.objects.filter(action="certification.application_submitted").exists()


@pytest.mark.parametrize("persona", ["trainee", "other_manager", "instructor"])
def test_others_get_404_and_nothing_is_written(
    request, client_for, organisation, trainee, scheme_version, persona
):
    user = request.getfixturevalue(persona)
    response = client_for(user).post(
        apply_url(organisation), {"people": [trainee.pk], "scheme": scheme_version.scheme.code}
    )
    assert response.status_code == 404
    assert not Application.objects.exists()


def test_anonymous_is_sent_to_log_in(client_for, organisation, trainee, scheme_version):
    response = client_for(None).post(
        apply_url(organisation), {"people": [trainee.pk], "scheme": scheme_version.scheme.code}
    )
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Application.objects.exists()


def test_officer_applies_for_staff_of_any_organisation(
    client_for, officer, other_organisation, other_trainee, scheme_version
):
    post(client_for(officer), other_organisation, [other_trainee], scheme_version.scheme)
    application = Application.objects.get(candidate=other_trainee)
    assert application.submitted_by == officer


def test_get_is_not_allowed(client_for, manager, organisation):
    assert client_for(manager).get(apply_url(organisation)).status_code == 405


def test_closed_scheme_and_empty_choice_are_refused(
    client_for, manager, organisation, trainee, scheme_version
):
    client = client_for(manager)
    page = client.post(
        apply_url(organisation), {"scheme": scheme_version.scheme.code}, follow=True
    ).content.decode()
    assert "Choose at least one staff member." in page
    scheme_version.scheme.is_active = False
    scheme_version.scheme.save()
    post(client, organisation, [trainee], scheme_version.scheme)
    assert not Application.objects.exists()


def test_staff_page_offers_checkboxes_schemes_and_the_course_enrolment_link(
    client_for, manager, organisation, trainee, scheme_version
):
    page = client_for(manager).get(staff_url(organisation)).content.decode()
    assert f'name="people" value="{trainee.pk}"' in page
    assert f'value="{scheme_version.scheme.code}"' in page
    assert reverse("courses:organisation") in page
    assert reverse("organisation-staff-apply", args=[organisation.pk]) in page


def test_staff_page_query_count_does_not_grow_with_staff(
    client_for, manager, organisation, scheme_version, django_assert_max_num_queries
):
    client = client_for(manager)
    for _ in range(3):
        make_user(organisation=organisation)
    with django_assert_max_num_queries(30) as few:
        client.get(staff_url(organisation))
    for _ in range(15):
        make_user(organisation=organisation)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(staff_url(organisation))


def test_each_person_is_emailed_when_the_kind_is_registered(
    client_for,
    manager,
    organisation,
    trainee,
    colleague,
    scheme_version,
    mailoutbox,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from institute import notifications

    kind = notifications.Kind(label="Enrolled by manager", description="", mandatory=True)
    monkeypatch.setitem(notifications.NOTIFICATION_KINDS, "certification_enrolled_by_manager", kind)
    scheme_version.scheme.title_en = "Factory inspector level I"
    scheme_version.scheme.save()
    with django_capture_on_commit_callbacks(execute=True):
        post(client_for(manager), organisation, [trainee, colleague], scheme_version.scheme)
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [trainee.email, colleague.email]
    )
    assert "Factory inspector level I" in mailoutbox[0].body
    assert "已为您提交认证申请" in mailoutbox[0].subject
