"""Applying, deciding and issuing: exactly once, and only after the decision commits."""

import re
import subprocess

import pytest
from django.core import mail
from django.db import transaction

from institute.models import AuditRecord
from tests.conftest import wait_for
from tests.trainees.certification_factories import make_approved_application
from trainees.models import Application, Credential
from trainees.services import application_decide, application_submit, credential_issue
from trainees.tasks import credential_issue as credential_issue_task


def test_apply_then_approve_issues_one_credential_and_emails_holder_and_manager(
    trainee, manager, officer, scheme_version, django_capture_on_commit_callbacks
):
    application = application_submit(candidate=trainee, scheme=scheme_version.scheme, by=trainee)
    assert application.is_eligible

    with django_capture_on_commit_callbacks(execute=True):
        application_decide(application=application, by=officer, approve=True, reason="")

    credential = Credential.objects.get(application=application)
    assert re.fullmatch(r"CCICI-\d{4}-000001", credential.number)
    assert credential.pdf and credential.ob3_jwt and credential.ob3_json["proof"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([trainee.email, manager.email])
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {
        "certification.application_submitted",
        "certification.application_approved",
        "certification.credential_issued",
    } <= actions


def test_duplicate_task_issues_exactly_once(
    approved_application, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = credential_issue_task.delay(approved_application.pk).get()
        second = credential_issue_task.delay(approved_application.pk).get()
        third = credential_issue(application_id=approved_application.pk).number

    assert first == second == third
    assert Credential.objects.filter(application=approved_application).count() == 1
    assert len(mail.outbox) == 2  # holder and manager, once


def test_nothing_is_issued_when_the_decision_transaction_rolls_back(
    trainee, officer, scheme_version, django_capture_on_commit_callbacks
):
    application = application_submit(candidate=trainee, scheme=scheme_version.scheme, by=trainee)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        application_decide(application=application, by=officer, approve=True)
        raise RuntimeError("something later in the same request failed")

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not Credential.objects.exists()
    assert callbacks == []


def test_rejection_needs_a_reason_and_issues_nothing(trainee, officer, scheme_version):
    application = application_submit(candidate=trainee, scheme=scheme_version.scheme, by=trainee)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        application_decide(application=application, by=officer, approve=False, reason=" ")
    application_decide(
        application=application, by=officer, approve=False, reason="Audit log missing"
    )

    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert not Credential.objects.exists()


def test_pdf_has_number_chinese_name_and_a_qr_code_to_the_verify_page(
    trainee, issue_credential, tmp_path
):
    trainee.profile.name_zh, trainee.profile.name_latin = "张伟", "ZHANG Wei"
    trainee.profile.save()
    credential = issue_credential(trainee)
    pdf_path = tmp_path / "certificate.pdf"
    pdf_path.write_bytes(credential.pdf.read())

    text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf_path), str(tmp_path / "page")],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    assert credential.number in text
    assert "张伟" in text
    assert decoded == f"https://testserver/verify/{credential.number}/"
    info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True).stdout
    assert "(A4)" in info
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_two_workers_and_a_duplicate_task_issue_exactly_once(
    celery_worker_process, trainee, officer, scheme_version
):
    application = make_approved_application(trainee, scheme_version, officer)
    for _ in range(4):
        credential_issue_task.delay(application.pk)

    log = celery_worker_process["log"]
    wait_for(
        lambda: log.read_text().count("trainees.tasks.credential_issue[") >= 8, timeout=90
    )  # 4 received + 4 succeeded lines
    assert log.read_text().count("succeeded") >= 4, log.read_text()[-3000:]
    assert Credential.objects.filter(application=application).count() == 1
    credential = Credential.objects.get(application=application)
    assert credential.notified_at is not None


def test_a_holder_cannot_apply_again_except_for_renewal(trainee, issue_credential, scheme_version):
    from django.core.exceptions import ValidationError

    credential = issue_credential(trainee, pdf=False)
    with pytest.raises(ValidationError):
        application_submit(candidate=trainee, scheme=scheme_version.scheme, by=trainee)
    renewal = application_submit(
        candidate=trainee, scheme=scheme_version.scheme, by=trainee, renews=credential
    )
    assert renewal.kind == Application.Kind.RENEWAL
