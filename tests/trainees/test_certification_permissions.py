"""Who may do what, asked from the outside (HTML and API)."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import make_user
from tests.trainees.certification_factories import SchemeVersionFactory
from trainees import roles
from trainees.models import Application, Credential
from trainees.services import application_decide, application_submit, evidence_add


@pytest.fixture
def credential(trainee, issue_credential):
    return issue_credential(trainee, pdf=False)


@pytest.fixture
def application(trainee):
    """An open application (for another scheme than `credential`'s)."""
    version = SchemeVersionFactory(scheme__title_en="Laboratory tester - electrical safety")
    return application_submit(candidate=trainee, scheme=version.scheme, by=trainee)


ACTIONS = ["suspend", "withdraw"]


@pytest.mark.parametrize("action", ACTIONS)
def test_only_officers_suspend_or_withdraw_through_the_api(
    api_client_for,
    credential,
    trainee,
    other_trainee,
    instructor,
    manager,
    other_manager,
    officer,
    action,
):
    url = f"/api/v1/credentials/{credential.number}/{action}/"
    body = {"reason": "Misconduct during a factory inspection", "until": "2099-01-01"}
    assert api_client_for(None).post(url, body, format="json").status_code == 401
    for user in (trainee, other_trainee, instructor, manager, other_manager):
        assert api_client_for(user).post(url, body, format="json").status_code == 403
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ACTIVE

    response = api_client_for(officer).post(url, body, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == {"suspend": "suspended", "withdraw": "withdrawn"}[action]


def test_officer_reinstates_through_the_api_with_token_auth(client, credential, officer):
    from rest_framework.authtoken.models import Token

    headers = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=officer).key}"}
    url = f"/api/v1/credentials/{credential.number}/"
    assert (
        client.post(
            url + "suspend/", {"reason": "Complaint"}, content_type="application/json", **headers
        ).status_code
        == 200
    )
    response = client.post(
        url + "reinstate/", {"reason": "Cleared"}, content_type="application/json", **headers
    )
    assert response.status_code == 200
    assert response.json()["status"] == "active"


def test_api_rejects_bad_input_and_changes_nothing(api_client_for, credential, officer):
    url = f"/api/v1/credentials/{credential.number}/suspend/"
    client = api_client_for(officer)
    assert client.post(url, {"reason": ""}, format="json").status_code == 400
    assert (
        client.post(url, {"reason": "x", "until": "not-a-date"}, format="json").status_code == 400
    )
    assert (
        client.post(url, {"reason": "x", "until": "2000-01-01"}, format="json").status_code == 400
    )
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ACTIVE


def test_only_officers_decide(
    client_for, application, trainee, other_trainee, instructor, manager, other_manager, officer
):
    url = f"/certification/applications/{application.pk}/decide/"
    body = {"decision": "approve", "reason": ""}
    assert client_for(None).post(url, body).status_code == 302  # to the login page
    assert client_for(trainee).post(url, body).status_code == 403
    assert client_for(manager).post(url, body).status_code == 403
    for outsider in (other_trainee, instructor, other_manager):
        assert client_for(outsider).post(url, body).status_code == 404
    for user in (trainee, manager, instructor):
        with pytest.raises(PermissionDenied):
            application_decide(application=application, by=user, approve=True)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED

    assert client_for(officer).post(url, body).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED


def test_an_officer_who_trained_or_examined_the_candidate_cannot_decide(
    client_for, application, officer, trainee
):
    recorder = make_user(roles.OFFICER)  # staff record who trained the candidate
    evidence_add(
        application=application,
        by=recorder,
        kind="training",
        description="CCC 工厂检查实操培训（2026 年 9 月）",
        staff=officer,
    )
    other_officer = make_user(roles.OFFICER)

    with pytest.raises(PermissionDenied):
        application_decide(application=application, by=officer, approve=True)
    page = client_for(officer).get(f"/certification/applications/{application.pk}/")
    assert page.status_code == 200 and b"decision-form" not in page.content
    response = client_for(officer).post(
        f"/certification/applications/{application.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 403

    application_decide(application=application, by=other_officer, approve=True)
    application.refresh_from_db()
    assert application.decided_by == other_officer


def test_an_officer_who_examined_the_candidate_in_the_exams_app_cannot_decide(
    application, officer, trainee
):
    from exams.models import Exam

    exam = Exam.objects.create(title_zh="工厂检查员 I 级理论考试", title_en="Inspector I theory")
    exam.instructors.add(officer)
    from exams.models import Attempt

    Attempt.objects.create(user=trainee, exam=exam, **_attempt_fields(Attempt))

    with pytest.raises(PermissionDenied):
        application_decide(application=application, by=officer, approve=True)


def _attempt_fields(Attempt) -> dict:
    """Minimal required fields of an attempt, whatever the exams app requires today."""
    from django.utils import timezone

    fields = {}
    names = {f.name for f in Attempt._meta.get_fields()}
    if "deadline" in names:
        fields["deadline"] = timezone.now()
    if "started_at" in names:
        fields["started_at"] = timezone.now()
    return fields


def test_managers_see_only_their_organisation(
    client_for,
    api_client_for,
    credential,
    application,
    trainee,
    manager,
    other_manager,
    other_trainee,
    instructor,
):
    credential_page = f"/certification/credentials/{credential.number}/"
    application_page = f"/certification/applications/{application.pk}/"
    progress_page = f"/certification/?person={trainee.pk}"
    for page in (credential_page, application_page, progress_page):
        assert client_for(manager).get(page).status_code == 200
        for outsider in (other_manager, other_trainee, instructor):
            assert client_for(outsider).get(page).status_code == 404
    mine = api_client_for(other_trainee).get("/api/v1/me/credentials/").json()["results"]
    assert mine == []
    mine = api_client_for(trainee).get("/api/v1/me/credentials/").json()["results"]
    assert [row["number"] for row in mine] == [credential.number]
    assert api_client_for(None).get("/api/v1/me/credentials/").status_code == 401


def test_manager_may_apply_for_their_staff_but_not_for_others(
    client_for, trainee, other_trainee, manager, scheme_version
):
    url = f"/certification/schemes/{scheme_version.scheme.code}/apply/"
    body = {"experience_months": 24, "statement": "", "person": trainee.pk}
    assert client_for(manager).post(url, body).status_code == 302
    assert Application.objects.get().candidate == trainee
    body["person"] = other_trainee.pk
    assert client_for(manager).post(url, body).status_code == 404
    assert Application.objects.count() == 1


def test_public_pages_and_endpoints_allow_anonymous_access(client, credential):
    number = credential.number
    for url in (
        f"/verify/{number}/",
        f"/en/verify/{number}/",
        "/register/?q=" + number,
        f"/api/v1/credentials/{number}/",
        f"/api/v1/credentials/{number}/ob3.json",
        f"/api/v1/credentials/{number}/ob3.jwt",
        f"/api/v1/register/?q={number}",
        "/.well-known/did.json",
        "/credentials/status/revocation/0",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/verify/CCICI-2026-999999/").status_code == 404
    assert client.get("/api/v1/credentials/CCICI-2026-999999/").status_code == 404
