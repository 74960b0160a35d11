"""Fault: Redis is down while a trainee submits the last exam and an officer approves.

Both requests answer quickly (the outbox rows commit with the change; the publish fails in
milliseconds). When Redis is back the relay publishes them, the worker (running throughout)
issues the credential once and each email goes out once, even if a row is published twice.
"""

import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from exams.models import Attempt
from exams.services.attempts import attempt_start, response_save
from institute.models import OutboxMessage
from tests.conftest import wait_for
from tests.exams.factories import QuestionFactory, exam_with_questions
from tests.trainees.certification_factories import SchemeVersionFactory
from trainees.models import Application, Credential, RequiredExam
from trainees.services import application_submit

from .servers import mail_messages, require

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

QUICK = 3.0  # seconds a request may take with Redis down


def exam_in_progress(trainee):
    """An application waiting for its last exam, and that exam answered but not submitted."""
    single, truefalse = QuestionFactory(kind="single"), QuestionFactory(kind="truefalse")
    exam = exam_with_questions([single, truefalse])
    version = SchemeVersionFactory()
    RequiredExam.objects.create(version=version, exam=exam, min_score=50)
    application = application_submit(candidate=trainee, scheme=version.scheme, by=trainee)
    attempt = attempt_start(exam=exam, user=trainee)
    for question, answer in ((single, "p2m7"), (truefalse, True)):
        response_save(
            attempt=attempt, question_id=question.pk, answer=answer, client_timestamp=1, by=trainee
        )
    return application, attempt


def timed(request):
    started = time.monotonic()
    response = request()
    return response, time.monotonic() - started


def relay_until_empty() -> bool:
    call_command("outbox_relay", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()


def test_redis_down_exam_and_approval_answer_quickly_and_the_credential_follows_once(
    private_redis, broker_at, start_worker, settings, trainee, manager, officer, tmp_path
):
    require(bool(settings.REDIS_URL), "needs REDIS_URL: the production cache configuration")
    broker_at(private_redis.url)
    # "Redis down" takes the cache (throttles, rate limits) with it, as in production.
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": private_redis.url}}
    mail_directory = tmp_path / "mail"
    worker = start_worker(
        private_redis.url,
        EMAIL_URL=f"filemail:///{mail_directory}",
        MEDIA_ROOT=tmp_path / "media",
        CREDENTIAL_KEY_DIR=tmp_path / "keys",
    )
    application, attempt = exam_in_progress(trainee)
    assert not application.is_eligible

    private_redis.kill()
    submitted, submit_seconds = timed(
        lambda: _api(trainee).post(f"/api/v1/attempts/{attempt.pk}/submit/")
    )
    decided, decide_seconds = timed(
        lambda: _browser(officer).post(
            reverse("application-decide", args=[application.pk]), {"decision": "approve"}
        )
    )

    assert submitted.status_code == 200 and submit_seconds < QUICK, submit_seconds
    assert decided.status_code == 302 and decide_seconds < QUICK, decide_seconds
    assert Attempt.objects.get(pk=attempt.pk).passed
    assert Application.objects.get(pk=application.pk).status == Application.Status.APPROVED
    waiting = OutboxMessage.objects.filter(dispatched_at__isnull=True)
    assert sorted(waiting.values_list("task_name", flat=True)) == [
        "exams.attempt_result_email_send",
        "trainees.tasks.credential_issue",
    ]
    assert not Credential.objects.exists()

    private_redis.start()
    wait_for(relay_until_empty, timeout=20, interval=1)  # what beat does every 10 s
    credential = wait_for(_credential_complete, timeout=60)
    messages = wait_for(lambda: _at_least(mail_messages(mail_directory), 3), timeout=30)
    _assert_told_once(messages, credential, trainee, manager, attempt)

    # A row published twice (a relay that died before marking it) changes nothing.
    OutboxMessage.objects.filter(task_name="trainees.tasks.credential_issue").update(
        dispatched_at=None
    )
    wait_for(relay_until_empty, timeout=20, interval=1)
    wait_for(lambda: worker.text().count("credential_issue[") >= 4, timeout=30)
    assert Credential.objects.count() == 1
    assert OutboxMessage.objects.filter(task_name__endswith="credential_email_send").count() == 1
    _assert_told_once(mail_messages(mail_directory), credential, trainee, manager, attempt)


def _api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def _browser(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _credential_complete():
    return Credential.objects.filter(notified_at__isnull=False).exclude(pdf="").first()


def _at_least(messages: list, count: int):
    return messages if len(messages) >= count else None


def _recipients(messages) -> list[str]:
    return sorted(line for m in messages for line in m.splitlines() if line.startswith("To: "))


def _assert_told_once(messages, credential, trainee, manager, attempt):
    about_credential = [m for m in messages if credential.number in m]
    about_result = [m for m in messages if f"/exams/attempts/{attempt.pk}/result/" in m]
    assert len(messages) == 3
    assert _recipients(about_credential) == sorted([f"To: {trainee.email}", f"To: {manager.email}"])
    assert _recipients(about_result) == [f"To: {trainee.email}"]
