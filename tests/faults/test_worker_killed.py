"""Fault: the Celery worker is SIGKILLed in the middle of issuing a credential.

Late acknowledgement keeps the message in Redis's unacked set; once the (short, test-set)
visibility timeout passes, a new worker gets it again. The issuing service is idempotent, so
the credential exists exactly once and its holder and manager are told once.
"""

import pytest

from institute.models import OutboxMessage
from tests.conftest import wait_for
from trainees.models import Application, Credential
from trainees.services import application_decide, application_submit

from .servers import mail_messages

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

VISIBILITY_TIMEOUT = 3


@pytest.mark.parametrize("point", ["claim", "pdf"])
def test_worker_killed_while_issuing_the_task_is_redelivered_and_issues_once(
    point, private_redis, broker_at, start_worker, trainee, manager, officer, tmp_path
):
    from tests.trainees.certification_factories import SchemeVersionFactory

    broker_at(private_redis.url)
    mail_directory, marker = tmp_path / "mail", tmp_path / "paused"
    environment = {
        "CELERY_VISIBILITY_TIMEOUT": VISIBILITY_TIMEOUT,
        "EMAIL_URL": f"filemail:///{mail_directory}",
        "MEDIA_ROOT": tmp_path / "media",
        "CREDENTIAL_KEY_DIR": tmp_path / "keys",
    }
    first = start_worker(
        private_redis.url, FAULTS_PAUSE_AT=point, FAULTS_PAUSE_MARKER=marker, **environment
    )
    scheme = SchemeVersionFactory().scheme
    application = application_submit(candidate=trainee, scheme=scheme, by=trainee)
    application_decide(application=application, by=officer, approve=True)  # commits

    wait_for(marker.exists, timeout=30)  # the worker is inside credential_issue, at `point`
    first.kill()
    if point == "claim":  # the uncommitted credential died with the worker's connection
        assert not Credential.objects.exists()
    else:
        credential = Credential.objects.get()
        assert not credential.pdf and credential.notified_at is None

    second = start_worker(private_redis.url, **environment)
    credential = wait_for(
        lambda: Credential.objects.filter(notified_at__isnull=False).exclude(pdf="").first(),
        timeout=40,
    )
    told = wait_for(
        lambda: (
            [m for m in mail_messages(mail_directory) if credential.number in m]
            if len(mail_messages(mail_directory)) >= 2
            else None
        ),
        timeout=30,
    )

    assert "trainees.tasks.credential_issue[" in second.text()  # redelivered to it
    assert Credential.objects.filter(application=application).count() == 1
    assert Application.objects.get(pk=application.pk).status == Application.Status.APPROVED
    assert OutboxMessage.objects.filter(task_name__endswith="credential_email_send").count() == 1
    recipients = sorted(line for m in told for line in m.splitlines() if line.startswith("To: "))
    assert recipients == sorted([f"To: {trainee.email}", f"To: {manager.email}"])
