"""Lifecycle: status lists, suspension, withdrawal, expiry, renewal, reminders, CPD."""

import datetime
from decimal import Decimal

import jwt
import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from openbadgeslib.ob3 import decode_encoded_list
from openbadgeslib.ob3.did import pem_for_kid

from institute.models import AuditRecord
from trainees.credentials.did import issuer_did
from trainees.credentials.status_lists import list_position
from trainees.models import CpdActivity, Credential, CredentialReminder
from trainees.services import (
    application_decide,
    application_submit,
    cpd_activity_create,
    cpd_activity_review,
    credential_reinstate,
    credential_reminders_send,
    credential_scope_reduce,
    credential_suspend,
    credential_withdraw,
    credentials_expire,
)


def served_bit(client, purpose: str, credential) -> bool:
    """Fetch the served status list, check its signature against our DID key, read the bit."""
    list_number, bit = list_position(credential.status_index)
    response = client.get(f"/credentials/status/{purpose}/{list_number}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()
    did_doc = client.get("/.well-known/did.json").json()
    public_pem = pem_for_kid(did_doc, issuer_did(), jwt.get_unverified_header(token)["kid"])
    claims = jwt.decode(token, public_pem, algorithms=["EdDSA"])  # raises if not signed by us
    assert claims["issuer"] == issuer_did()
    assert claims["credentialSubject"]["statusPurpose"] == purpose
    bitstring = decode_encoded_list(claims["credentialSubject"]["encodedList"])
    return bool(bitstring[bit // 8] & (0x80 >> (bit % 8)))


@pytest.fixture
def credential(trainee, issue_credential):
    return issue_credential(trainee, pdf=False)


def test_withdraw_sets_the_revocation_bit_in_the_served_list(client, credential, officer):
    assert not served_bit(client, "revocation", credential)

    credential_withdraw(credential=credential, by=officer, reason="Falsified inspection record")

    assert served_bit(client, "revocation", credential)
    assert not served_bit(client, "suspension", credential)
    assert client.get(f"/api/v1/credentials/{credential.number}/").json()["status"] == "withdrawn"


def test_suspend_sets_and_reinstate_clears_the_suspension_bit(client, credential, officer):
    until = timezone.localdate() + datetime.timedelta(days=30)
    credential_suspend(credential=credential, by=officer, reason="Complaint", until=until)
    assert served_bit(client, "suspension", credential)
    page = client.get(f"/en/verify/{credential.number}/").content.decode()
    assert 'data-status="suspended"' in page

    credential_reinstate(credential=credential, by=officer, reason="Complaint resolved")

    assert not served_bit(client, "suspension", credential)
    assert [r.action for r in AuditRecord.objects.filter(object_id=str(credential.pk))][:2] == [
        "certification.credential_reinstated",
        "certification.credential_suspended",
    ]


def test_bad_lifecycle_input_changes_nothing(credential, officer):
    with pytest.raises(ValidationError):
        credential_suspend(credential=credential, by=officer, reason="", until=None)
    with pytest.raises(ValidationError):
        credential_suspend(
            credential=credential,
            by=officer,
            reason="x",
            until=timezone.localdate() - datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        credential_reinstate(credential=credential, by=officer)
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ACTIVE


def test_scope_reduction_resigns_the_documents(client, credential, officer):
    old_proof = credential.ob3_json["proof"]["proofValue"]
    wider = Credential(status_index=credential.status_index)
    credential_scope_reduce(
        credential=credential,
        by=officer,
        scope_zh="仅限低压开关设备",
        scope_en="Low-voltage switchgear only",
        reason="Audit finding",
    )
    credential.refresh_from_db()
    assert credential.scope_en == "Low-voltage switchgear only"
    assert (
        "Low-voltage switchgear only"
        in credential.ob3_json["credentialSubject"]["achievement"]["description"]
    )
    assert credential.ob3_json["proof"]["proofValue"] != old_proof
    # The wider-scope documents carry the old status index: it is retired and revoked.
    assert credential.status_index != wider.status_index
    assert served_bit(client, "revocation", wider)
    assert not served_bit(client, "revocation", credential)
    assert credential.ob3_json["credentialStatus"][0]["statusListIndex"] == str(
        list_position(credential.status_index)[1]
    )


def test_expiry_task_marks_lapsed_credentials_expired(client, credential):
    with time_machine.travel(credential.valid_until - datetime.timedelta(days=1)):
        assert credentials_expire() == 0
    with time_machine.travel(credential.valid_until + datetime.timedelta(hours=1)):
        assert credentials_expire() == 1
        assert credentials_expire() == 0
        page = client.get(f"/verify/{credential.number}/").content.decode()
    credential.refresh_from_db()
    assert credential.status == Credential.Status.EXPIRED
    assert 'data-status="expired"' in page
    assert AuditRecord.objects.filter(action="certification.credential_expired").count() == 1


def test_suspension_ends_on_its_end_date(credential, officer):
    until = timezone.localdate() + datetime.timedelta(days=10)
    credential_suspend(credential=credential, by=officer, reason="Pending review", until=until)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=12)):
        credentials_expire()
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ACTIVE


def _record_cpd(user, officer, hours):
    activity = cpd_activity_create(
        user=user,
        date=timezone.localdate(),
        hours=Decimal(hours),
        category="training",
        title="GB/T 27065 内审员培训",
    )
    return cpd_activity_review(activity=activity, by=officer, approve=True)


def test_renewal_in_the_window_supersedes_the_old_credential(
    trainee, officer, credential, django_capture_on_commit_callbacks
):
    scheme = credential.scheme_version.scheme
    with time_machine.travel(credential.valid_until - datetime.timedelta(days=60)):
        _record_cpd(trainee, officer, "12")
        too_early = application_submit(
            candidate=trainee, scheme=scheme, by=trainee, renews=credential
        )
        assert not too_early.is_eligible  # 12 of 30 CPD hours
        with pytest.raises(ValidationError):
            application_decide(application=too_early, by=officer, approve=True)
        _record_cpd(trainee, officer, "20")
        with django_capture_on_commit_callbacks(execute=True):
            application_decide(application=too_early, by=officer, approve=True)

    credential.refresh_from_db()
    renewed = credential.superseded_by
    assert credential.status == Credential.Status.SUPERSEDED
    assert renewed.status == Credential.Status.ACTIVE
    # The new cycle runs on from the old expiry (no lost months for renewing early).
    assert renewed.valid_until == credential.valid_until + relativedelta(months=36)


def test_renewal_outside_the_window_is_not_eligible(trainee, officer, credential):
    _record_cpd(trainee, officer, "40")
    application = application_submit(
        candidate=trainee, scheme=credential.scheme_version.scheme, by=trainee, renews=credential
    )
    window = next(
        r for r in application.eligibility["requirements"] if r["code"] == "renewal-window"
    )
    assert not window["met"]
    assert not application.is_eligible


def test_reminders_are_sent_once_per_offset(
    settings, trainee, manager, issue_credential, django_capture_on_commit_callbacks
):
    settings.CREDENTIAL_REMINDER_OFFSETS = [90, 30, 7]
    credential = issue_credential(trainee, pdf=False)
    expiry = credential.valid_until
    mail.outbox.clear()
    sent = []
    for days_left in (120, 89, 88, 45, 29, 29, 6, 5, 1):
        with (
            time_machine.travel(expiry - datetime.timedelta(days=days_left, hours=1)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            sent.append(credential_reminders_send())

    assert sent == [0, 1, 0, 0, 1, 0, 1, 0, 0]
    assert sorted(CredentialReminder.objects.values_list("offset_days", flat=True)) == [7, 30, 90]
    assert len(mail.outbox) == 6  # three reminders, each to holder and manager
    assert {m.to[0] for m in mail.outbox} == {trainee.email, manager.email}
    assert "到期" in mail.outbox[0].subject and "expires" in mail.outbox[0].subject


def test_cpd_needs_officer_approval_and_counts_towards_the_cycle(trainee, officer, other_trainee):
    from django.core.exceptions import PermissionDenied

    from trainees import selectors

    activity = cpd_activity_create(
        user=trainee,
        date=timezone.localdate(),
        hours=Decimal("8"),
        category="conference",
        title="CNAS 年度技术交流会",
    )
    today = timezone.localdate()
    assert selectors.cpd_hours(user=trainee, start=today, end=today) == 0
    with pytest.raises(PermissionDenied):
        cpd_activity_review(activity=activity, by=other_trainee, approve=True)
    cpd_activity_review(activity=activity, by=officer, approve=True)
    assert selectors.cpd_hours(user=trainee, start=today, end=today) == Decimal("8")
    assert CpdActivity.objects.get().status == "approved"
