"""The converted senders (courses, exams, certification) still send, through notify(), and
honour each person's choices: optional kinds can be switched off, mandatory ones cannot."""

import datetime

import pytest
import time_machine
from django.core import mail

from courses import services as course_services
from exams.services.attempts import attempt_start, attempt_submit
from institute.models import NotificationPreference
from tests.courses.factories import make_course, make_session
from tests.exams.factories import QuestionFactory, exam_with_questions
from tests.trainees import certification_factories
from trainees.services import credential_issue, credential_reminders_send

# The certification fixtures, shared with tests/trainees.
scheme_version = certification_factories.scheme_version
approved_application = certification_factories.approved_application
issue_credential = certification_factories.issue_credential


@pytest.fixture(autouse=True)
def _credential_keys(settings, tmp_path):
    """Credentials sign with fresh keys in a temporary folder (never the developer's)."""
    settings.CREDENTIAL_KEY_DIR = tmp_path / "keys"


def _switch_off(user, kind):
    NotificationPreference.objects.create(user=user, kind=kind, email_enabled=False)


def _recipients() -> list[str]:
    return sorted(message.to[0] for message in mail.outbox)


@pytest.mark.parametrize("switched_off", [False, True])
def test_enrolment_decision_email_follows_the_choice(
    trainee, instructor, switched_off, django_capture_on_commit_callbacks
):
    page, _ = make_course(instructors=[instructor], enrolment_policy="approval")
    enrolment = course_services.enrolment_create(user=trainee, course=page, by=trainee)
    if switched_off:
        _switch_off(trainee, "courses_enrolment_decision")
    with django_capture_on_commit_callbacks(execute=True):
        course_services.enrolment_decide(enrolment=enrolment, approve=True, by=instructor)
    assert _recipients() == ([] if switched_off else [trainee.email])


@pytest.mark.parametrize("switched_off", [False, True])
def test_session_reminder_follows_the_choice(
    trainee, instructor, switched_off, django_capture_on_commit_callbacks
):
    page, _ = make_course(instructors=[instructor])
    course_services.enrolment_create(user=trainee, course=page, by=trainee)
    session = make_session(page, instructor=instructor)
    course_services.session_book(session=session, user=trainee)
    if switched_off:
        _switch_off(trainee, "courses_session_reminder")
    with (
        time_machine.travel(session.starts_at - datetime.timedelta(hours=20)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert course_services.session_reminders_send() == 1
    assert _recipients() == ([] if switched_off else [trainee.email])
    if not switched_off:
        assert session.place in mail.outbox[0].body


@pytest.mark.parametrize("switched_off", [False, True])
def test_exam_result_email_follows_the_choice(
    trainee, switched_off, django_capture_on_commit_callbacks
):
    exam = exam_with_questions([QuestionFactory(kind="single")], title_en="Electrical safety")
    attempt = attempt_start(exam=exam, user=trainee)
    if switched_off:
        _switch_off(trainee, "exams_result_released")
    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(attempt=attempt, by=trainee)
    assert _recipients() == ([] if switched_off else [trainee.email])
    if not switched_off:
        assert "Electrical safety" in mail.outbox[0].body and "您好" in mail.outbox[0].body


def test_credential_issued_reaches_the_holder_always_and_managers_by_choice(
    approved_application, trainee, manager, django_capture_on_commit_callbacks
):
    _switch_off(trainee, "credential_issued")  # mandatory: no effect
    _switch_off(manager, "staff_credential_changes")
    with django_capture_on_commit_callbacks(execute=True):
        credential = credential_issue(application_id=approved_application.pk)
    assert _recipients() == [trainee.email]
    assert credential.number in mail.outbox[0].subject
    assert credential.number in mail.outbox[0].body and "Dear" in mail.outbox[0].body


def test_manager_gets_staff_credential_emails_by_default(
    approved_application, trainee, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        credential_issue(application_id=approved_application.pk)
    assert _recipients() == sorted([trainee.email, manager.email])
    to_manager = next(m for m in mail.outbox if m.to == [manager.email])
    assert manager.profile.display_name in to_manager.body  # addressed to the manager


def test_expiry_reminder_holder_always_manager_by_choice(
    settings, trainee, manager, issue_credential, django_capture_on_commit_callbacks
):
    settings.CREDENTIAL_REMINDER_OFFSETS = [30]
    credential = issue_credential(trainee, pdf=False)
    mail.outbox.clear()
    _switch_off(trainee, "credential_expiry_reminder")  # mandatory for the holder
    _switch_off(manager, "staff_credential_changes")
    with (
        time_machine.travel(credential.valid_until - datetime.timedelta(days=29)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert credential_reminders_send() == 1
    assert _recipients() == [trainee.email]
    assert "expires" in mail.outbox[0].subject


def test_a_redelivered_credential_email_task_sends_nothing_twice(
    settings, approved_application, trainee, manager, django_capture_on_commit_callbacks
):
    from trainees.tasks import credential_email_send

    with django_capture_on_commit_callbacks(execute=True):
        credential = credential_issue(application_id=approved_application.pk)
    assert _recipients() == sorted([trainee.email, manager.email])
    # The outbox may publish the same task twice; a lost worker's task is delivered again.
    with django_capture_on_commit_callbacks(execute=True):
        credential_email_send(credential.pk, "credential_issued")
    assert _recipients() == sorted([trainee.email, manager.email])
    # A reminder is another occasion: it is sent, and a second 30-day run is not.
    settings.CREDENTIAL_REMINDER_OFFSETS = [30]
    with django_capture_on_commit_callbacks(execute=True):
        credential_email_send(credential.pk, "credential_expiry_reminder", "reminder-30")
        credential_email_send(credential.pk, "credential_expiry_reminder", "reminder-30")
    assert len(mail.outbox) == 4
