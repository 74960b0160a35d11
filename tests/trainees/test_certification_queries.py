"""Certification pages and API lists cost the same number of queries whatever the data size:
each page is measured at a small size, the data grows, and the count must not move."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from institute.audit import audit_record_create
from tests.courses.factories import make_course
from tests.exams.factories import ExamFactory
from tests.factories import make_user
from tests.trainees.certification_factories import SchemeVersionFactory
from trainees import roles
from trainees.models import (
    ApplicationEvidence,
    Credential,
    RequiredCourse,
    RequiredCredential,
    RequiredExam,
    RequiredPractical,
)
from trainees.services import application_submit, credential_reinstate, credential_suspend


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200, url
    return len(context.captured_queries)


def _same_cost(client, urls, grow) -> None:
    urls = [urls] if isinstance(urls, str) else urls
    for url in urls:
        client.get(url)  # warm per-process caches (site root paths, content types)
    before = [_queries(client, url) for url in urls]
    grow()
    after = [_queries(client, url) for url in urls]
    assert after == before, (urls, before, after)


def test_application_page_does_not_grow_with_evidence_and_history(
    client_for, trainee, officer, instructor, scheme_version
):
    application = application_submit(candidate=trainee, scheme=scheme_version.scheme, by=trainee)

    def grow(count):
        for index in range(count):
            staff = make_user(roles.INSTRUCTOR)
            ApplicationEvidence.objects.create(
                application=application,
                kind="training",
                description=f"实操培训记录 {index}",
                staff=staff,
                added_by=officer,
            )
            audit_record_create(
                actor=make_user(roles.OFFICER), action="certification.note", target=application
            )

    grow(1)
    _same_cost(
        client_for(trainee), f"/certification/applications/{application.pk}/", lambda: grow(4)
    )


def test_credential_page_does_not_grow_with_history(client_for, trainee, officer, issue_credential):
    credential = issue_credential(trainee, pdf=False)

    def grow():
        for _ in range(3):
            by = make_user(roles.OFFICER)
            until = datetime.date.today() + datetime.timedelta(days=30)
            credential_suspend(credential=credential, by=by, reason="Complaint", until=until)
            credential_reinstate(credential=credential, by=by, reason="Cleared")

    _same_cost(client_for(trainee), f"/certification/credentials/{credential.number}/", grow)


def _renewed(issue_credential, user):
    """A credential and the renewal that superseded it (each row names its successor)."""
    old = issue_credential(user, pdf=False)
    return issue_credential(user, pdf=False, renews=old, kind="renewal")


def test_register_and_my_credentials_do_not_grow_with_superseded_rows(
    client_for, trainee, issue_credential
):
    trainee.profile.name_latin = "WANG Ming"
    trainee.profile.save()
    _renewed(issue_credential, trainee)
    assert Credential.objects.filter(status="superseded").count() == 1

    def grow():
        for _ in range(3):
            _renewed(issue_credential, trainee)

    urls = ["/api/v1/me/credentials/", "/api/v1/register/?q=WANG%20Ming"]
    _same_cost(client_for(trainee), urls, grow)


def _pathway(prerequisite, course, exam):
    version = SchemeVersionFactory(renewal_requires_refresher=True, refresher_exam=exam)
    RequiredCredential.objects.create(version=version, scheme=prerequisite.scheme)
    RequiredCourse.objects.create(version=version, course=course)
    RequiredExam.objects.create(version=version, exam=exam, min_score=70)
    RequiredPractical.objects.create(version=version, course=course)
    return version


def test_pathway_progress_does_not_grow_with_schemes(
    client_for, trainee, scheme_version, issue_credential
):
    course, _lessons = make_course()
    exam = ExamFactory()
    issue_credential(trainee, pdf=False)  # a held credential: its renewal requirements show
    versions = [_pathway(scheme_version, course, exam)]
    issue_credential(trainee, version=versions[0], pdf=False)
    _pathway(scheme_version, course, exam)  # and one not held yet (eligibility, not renewal)

    def grow():
        for _ in range(3):
            version = _pathway(scheme_version, course, exam)
            issue_credential(trainee, version=version, pdf=False)
            versions.append(version)
        for _ in range(2):
            _pathway(scheme_version, course, exam)

    _same_cost(client_for(trainee), ["/certification/", "/certification/cpd/"], grow)
