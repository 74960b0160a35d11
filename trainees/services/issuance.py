"""Issuing a credential exactly once per approved application.

`credential_issue` may run twice (a retried task, a second worker): the application row
is locked and the one-to-one `Credential.application` is the guard, so the second run
finds the credential and only completes what is missing (PDF, notification).
"""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from institute import outbox
from institute.audit import audit_record_create

from ..credentials import ob3, pdf
from ..models import Application, Counter, Credential


def counter_next(name: str) -> int:
    """Next value of a named sequence; call inside a transaction (the row stays locked)."""
    Counter.objects.get_or_create(name=name)
    counter = Counter.objects.select_for_update().get(name=name)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


def credential_number_allocate(*, year: int) -> str:
    serial = counter_next(f"credential-number-{year}")
    return f"{settings.CREDENTIAL_NUMBER_PREFIX}-{year}-{serial:06d}"


def credential_documents_sign(credential: Credential) -> None:
    """(Re)build and sign the OB 3.0 documents from the credential's current data."""
    badge = ob3.open_badge(credential)
    credential.ob3_json = ob3.sign_data_integrity(badge)
    credential.ob3_jwt = ob3.sign_jwt(badge)


def _validity(application: Application, now):
    months = application.scheme_version.validity_months
    renews = application.renews
    if application.kind == Application.Kind.RENEWAL and renews is not None:
        # Renewal continues the cycle: the new validity runs on from the old expiry.
        return now, max(renews.valid_until, now) + relativedelta(months=months)
    return now, now + relativedelta(months=months)


def _supersede(old: Credential, new: Credential, application: Application) -> None:
    old.status = Credential.Status.SUPERSEDED
    old.superseded_by = new
    old.status_reason = f"Renewed as {new.number}"
    old.save(update_fields=["status", "superseded_by", "status_reason"])
    audit_record_create(
        actor=application.decided_by,
        action="certification.credential_superseded",
        target=old,
        reason=old.status_reason,
        data={"superseded_by": new.number},
    )


@transaction.atomic
def credential_claim(application_id: int, *, now=None) -> Credential:
    """Create the credential of an approved application once (or return the existing one)."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("scheme_version__scheme", "candidate__profile", "renews")
        .get(pk=application_id)
    )
    existing = Credential.objects.filter(application=application).first()
    if existing is not None:
        return existing
    if application.status != Application.Status.APPROVED:
        raise ValidationError("Only an approved application leads to a credential.")
    now = now or timezone.now()
    valid_from, valid_until = _validity(application, now)
    version = application.scheme_version
    credential = Credential(
        number=credential_number_allocate(year=timezone.localdate(now).year),
        application=application,
        holder=application.candidate,
        scheme_version=version,
        scope_zh=version.scope_zh,
        scope_en=version.scope_en,
        issued_at=now,
        valid_from=valid_from,
        valid_until=valid_until,
        status_index=counter_next("status-list-index") - 1,
    )
    credential_documents_sign(credential)
    credential.full_clean(exclude=["pdf"])
    credential.save()
    if application.renews is not None:
        _supersede(application.renews, credential, application)
    audit_record_create(
        actor=application.decided_by,
        action="certification.credential_issued",
        target=credential,
        data={
            "application": application.pk,
            "scheme_version": str(version),
            "valid_until": valid_until.isoformat(),
            "status_index": credential.status_index,
        },
    )
    return credential


def credential_pdf_render(*, credential: Credential) -> None:
    """Render the PDF if it is missing; a concurrent render that loses simply discards."""
    if credential.pdf:
        return
    content = ContentFile(pdf.certificate_pdf(credential))
    name = credential.pdf.storage.save(
        f"certification/certificates/{credential.number}.pdf", content
    )
    if Credential.objects.filter(pk=credential.pk, pdf="").update(pdf=name):
        credential.pdf.name = name
    else:
        credential.pdf.storage.delete(name)
        credential.refresh_from_db(fields=["pdf"])


def credential_issue(*, application_id: int) -> Credential:
    """Idempotent: claim (once), render the PDF (if missing), notify (once)."""
    credential = credential_claim(application_id)
    credential_pdf_render(credential=credential)
    with transaction.atomic():
        claimed = Credential.objects.filter(pk=credential.pk, notified_at=None).update(
            notified_at=timezone.now()
        )
        if claimed:
            from ..tasks import credential_email_send

            outbox.enqueue(credential_email_send, credential.pk, "credential_issued")
    return credential
