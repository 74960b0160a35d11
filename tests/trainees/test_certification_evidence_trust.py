"""Evidence that changes a decision (refresher passed, who trained or examined the candidate)
counts only when institute staff recorded it: a candidate cannot tick a requirement or pick
their decider by adding evidence."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.conftest import enrol_totp
from tests.factories import make_user
from tests.trainees.certification_factories import SchemeVersionFactory
from trainees import roles
from trainees.models import Application, ApplicationEvidence
from trainees.services import application_submit, evidence_add


def _second_officer():
    user = make_user(roles.OFFICER, is_staff=True)
    enrol_totp(user)
    return user


def _refresher(application) -> dict:
    application.refresh_from_db()
    rows = [r for r in application.eligibility["requirements"] if r["code"] == "refresher"]
    assert len(rows) == 1
    return rows[0]


def test_examination_evidence_counts_for_the_refresher_only_when_staff_record_it(
    client_for, trainee, officer, issue_credential
):
    version = SchemeVersionFactory(renewal_requires_refresher=True, renewal_cpd_hours=0)
    credential = issue_credential(trainee, version=version, pdf=False)
    with time_machine.travel(credential.valid_until - datetime.timedelta(days=30)):
        application = application_submit(
            candidate=trainee, scheme=version.scheme, by=trainee, renews=credential
        )
        evidence_url = f"/certification/applications/{application.pk}/evidence/"
        decide_url = f"/certification/applications/{application.pk}/decide/"
        body = {"kind": "examination", "description": "再认证复审考试 92 分 / Refresher exam 92%"}

        client_for(trainee).post(evidence_url, body)
        # Even a row the candidate stored before this rule existed does not count.
        ApplicationEvidence.objects.create(
            application=application, added_by=trainee, **body, staff=None
        )
        client_for(officer).post(decide_url, {"decision": "approve"})
        assert _refresher(application)["met"] is False
        assert application.status == Application.Status.SUBMITTED

        client_for(_second_officer()).post(evidence_url, body)
        client_for(officer).post(decide_url, {"decision": "approve"})
        assert _refresher(application)["met"] is True
        assert application.status == Application.Status.APPROVED


@pytest.fixture
def application(trainee, scheme_version):
    return application_submit(candidate=trainee, scheme=scheme_version.scheme, by=trainee)


def test_a_candidate_or_manager_cannot_name_staff_to_exclude_them_from_deciding(
    client_for, application, trainee, manager, officer
):
    url = f"/certification/applications/{application.pk}/evidence/"
    body = {"kind": "training", "description": "CCC 工厂检查实操培训", "staff_email": officer.email}
    for user in (trainee, manager):
        assert client_for(user).post(url, body).status_code == 302
        body["kind"] = "document"  # a plain document is kept, but it names nobody
    assert list(ApplicationEvidence.objects.values_list("kind", "staff")) == [("document", None)]
    with pytest.raises(ValidationError):
        evidence_add(
            application=application, by=trainee, kind="document", description="x", staff=officer
        )
    # A row a candidate stored before this rule existed does not exclude the officer either.
    ApplicationEvidence.objects.create(
        application=application, kind="training", description="x", staff=officer, added_by=trainee
    )

    client_for(officer).post(
        f"/certification/applications/{application.pk}/decide/", {"decision": "approve"}
    )
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.decided_by == officer


def test_staff_record_who_trained_the_candidate_and_bad_names_change_nothing(
    client_for, application, trainee, officer, other_trainee
):
    recorder = _second_officer()
    url = f"/certification/applications/{application.pk}/evidence/"
    body = {"kind": "training", "description": "CCC 工厂检查实操培训（2026 年 9 月）"}
    for unknown in ("nobody@example.com", other_trainee.email):  # no such person / not staff
        client_for(recorder).post(url, {**body, "staff_email": unknown})
    assert not ApplicationEvidence.objects.exists()

    client_for(recorder).post(url, {**body, "staff_email": officer.email})

    assert ApplicationEvidence.objects.get().staff == officer
    page = client_for(officer).get(f"/certification/applications/{application.pk}/")
    assert page.status_code == 200 and b"decision-form" not in page.content
    response = client_for(officer).post(
        f"/certification/applications/{application.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
