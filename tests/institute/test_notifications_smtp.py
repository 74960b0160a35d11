"""The email server refusing mail: retried with backoff, the business action unaffected.

A real SMTP server (aiosmtpd) on 127.0.0.1 answers `451 4.3.0 try again later` to the first
deliveries and accepts afterwards; Django's SMTP backend talks to it as to any mail server.
"""

import os
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from celery.signals import task_retry
from django.conf import settings as django_settings

from courses import services as course_services
from courses.models import Enrolment
from institute.models import AuditRecord
from institute.notifications import context_serialize
from institute.tasks import notification_send
from tests.conftest import _test_database_url, wait_for
from tests.courses.factories import make_course


class RefusingHandler:
    """Refuses the first `refuse` deliveries with a temporary error, then accepts."""

    def __init__(self, refuse: int):
        self.refuse = refuse
        self.refused = 0
        self.accepted: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.refuse:
            self.refused += 1
            return "451 4.3.0 try again later"
        self.accepted.append(envelope.content.decode("utf-8", errors="replace"))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """Start a refusing SMTP server; `smtp_server(refuse=n)` returns its handler."""
    controllers = []

    def _start(refuse: int) -> RefusingHandler:
        handler = RefusingHandler(refuse)
        controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
        controller.start()
        controllers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        return handler

    yield _start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def retries():
    """The countdowns of the retries Celery schedules while the test runs.

    Eager tasks normally raise at the first retry; here each retry runs in turn, in-process
    and without waiting, so a test sees the whole schedule.
    """
    from institute.celery import app

    app.conf.task_eager_propagates = False
    seen = []

    def _record(sender=None, request=None, reason=None, **extra):
        seen.append(reason.when)

    task_retry.connect(_record, sender=notification_send, weak=False)
    yield seen
    task_retry.disconnect(_record, sender=notification_send)
    app.conf.task_eager_propagates = True


@pytest.fixture
def requested_enrolment(db, trainee, instructor):
    page, _ = make_course(instructors=[instructor], enrolment_policy="approval")
    return course_services.enrolment_create(user=trainee, course=page, by=trainee)


def _send_kwargs(enrolment) -> dict:
    return {
        "recipient_id": enrolment.user_id,
        "kind": "courses_enrolment_decision",
        "template": "courses_enrolment_decision",
        "context": context_serialize({"enrolment": enrolment, "approved": True}),
        "message_id": uuid.uuid4().hex,
    }


def test_refused_send_retries_with_doubling_backoff_then_arrives_once(
    smtp_server, retries, requested_enrolment, settings
):
    handler = smtp_server(refuse=3)
    result = notification_send.apply(kwargs=_send_kwargs(requested_enrolment))
    assert result.successful() and result.get() is True
    backoff = settings.NOTIFICATION_RETRY_BACKOFF
    assert retries == [backoff, backoff * 2, backoff * 4]
    assert handler.refused == 3 and len(handler.accepted) == 1
    assert requested_enrolment.user.email in handler.accepted[0]


def test_retries_are_bounded(smtp_server, retries, requested_enrolment, settings):
    handler = smtp_server(refuse=1000)
    result = notification_send.apply(kwargs=_send_kwargs(requested_enrolment))
    assert result.failed()
    assert isinstance(result.result, smtplib.SMTPDataError) and result.result.smtp_code == 451
    assert len(retries) == settings.NOTIFICATION_MAX_RETRIES
    assert max(retries) <= settings.NOTIFICATION_RETRY_BACKOFF_MAX
    assert handler.refused == settings.NOTIFICATION_MAX_RETRIES + 1 and handler.accepted == []


def test_an_unreachable_server_is_retried_too(settings, retries, requested_enrolment):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()  # nobody listens
    result = notification_send.apply(kwargs=_send_kwargs(requested_enrolment))
    assert isinstance(result.result, OSError)
    assert len(retries) == settings.NOTIFICATION_MAX_RETRIES


def test_decision_commits_while_the_mail_server_refuses(
    smtp_server, requested_enrolment, instructor, django_capture_on_commit_callbacks
):
    handler = smtp_server(refuse=1000)
    with django_capture_on_commit_callbacks(execute=True):
        course_services.enrolment_decide(enrolment=requested_enrolment, approve=True, by=instructor)
    requested_enrolment.refresh_from_db()
    assert requested_enrolment.status == Enrolment.Status.ACTIVE
    assert AuditRecord.objects.filter(action="enrolment.approved").exists()
    assert handler.refused > 0 and handler.accepted == []


# --- With a real worker: the retries wait their backoff on the broker -----------------------


def _start_worker(queue: str, email_port: int, log_path: Path) -> subprocess.Popen:
    """A worker of our own, so the SMTP settings reach it (the session worker has none)."""
    environment = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL,
        "REDIS_URL": django_settings.REDIS_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_URL": f"smtp://127.0.0.1:{email_port}",
        "NOTIFICATION_RETRY_BACKOFF": "1",
        "NOTIFICATION_RETRY_BACKOFF_MAX": "4",
    }
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    command = [celery, "-A", "institute", "worker", "-Q", queue, "-c", "1", "-l", "info"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    wait_for(lambda: "ready." in log_path.read_text() or process.poll() is not None, 60)
    assert process.poll() is None, log_path.read_text()
    return process


@pytest.fixture
def smtp_worker(celery_worker_process, smtp_server, settings, tmp_path):
    """A real worker sending to a refusing SMTP server with a 1-2-4 s backoff."""
    from institute.celery import app

    handler = smtp_server(refuse=3)
    queue = f"test-smtp-{uuid.uuid4().hex[:8]}"
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE = queue
    log_path = tmp_path / "smtp-worker.log"
    process = _start_worker(queue, settings.EMAIL_PORT, log_path)
    yield handler, log_path
    app.conf.task_default_queue = previous_queue
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_retries_a_refused_decision_email_until_it_arrives_once(
    smtp_worker, trainee, instructor
):
    handler, log_path = smtp_worker
    page, _ = make_course(instructors=[instructor], enrolment_policy="approval")
    enrolment = course_services.enrolment_create(user=trainee, course=page, by=trainee)

    started = time.monotonic()
    course_services.enrolment_decide(enrolment=enrolment, approve=True, by=instructor)
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.ACTIVE
    assert time.monotonic() - started < 5  # the request did not wait for the mail server

    wait_for(lambda: handler.accepted, timeout=60)
    time.sleep(3)  # a duplicate would arrive within the next backoff
    assert handler.refused == 3 and len(handler.accepted) == 1
    assert trainee.email in handler.accepted[0]
    log = log_path.read_text()
    assert log.count("Retry in") == 3 and "451" in log
