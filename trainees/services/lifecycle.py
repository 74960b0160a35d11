"""Credential lifecycle: suspend, reinstate, withdraw, reduce scope, expire, remind.

Status lists are built from `Credential.status` when requested, so each change here is
visible to verifiers at once; every change writes an audit record in its transaction.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institute import outbox
from institute.audit import audit_record_create

from .. import roles
from ..models import Credential, CredentialReminder, RetiredStatusIndex
from .issuance import counter_next, credential_documents_sign

Status = Credential.Status


def _require_officer(by) -> None:
    if not roles.is_officer(by):
        raise PermissionDenied(_("Only certification officers change credentials."))


def _locked(credential: Credential) -> Credential:
    return Credential.objects.select_for_update().get(pk=credential.pk)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("A reason is required.")})
    return reason


def _change_status(credential, *, by, status, reason, action, suspended_until=None):
    previous = credential.status
    credential.status = status
    credential.status_reason = reason
    credential.suspended_until = suspended_until
    credential.full_clean(exclude=["pdf"])
    credential.save(update_fields=["status", "status_reason", "suspended_until"])
    audit_record_create(
        actor=by,
        action=action,
        target=credential,
        reason=reason,
        data={
            "from": previous,
            "to": status,
            "until": suspended_until.isoformat() if suspended_until else None,
        },
    )
    return credential


@transaction.atomic
def credential_suspend(*, credential, by, reason: str, until: datetime.date | None) -> Credential:
    _require_officer(by)
    reason = _require_reason(reason)
    credential = _locked(credential)
    if credential.status != Status.ACTIVE:
        raise ValidationError(_("Only a valid credential can be suspended."))
    if until is not None and until <= timezone.localdate():
        raise ValidationError({"until": _("The end of the suspension must be in the future.")})
    return _change_status(
        credential,
        by=by,
        status=Status.SUSPENDED,
        reason=reason,
        action="certification.credential_suspended",
        suspended_until=until,
    )


@transaction.atomic
def credential_reinstate(*, credential, by, reason: str = "") -> Credential:
    if by is not None:
        _require_officer(by)
    credential = _locked(credential)
    if credential.status != Status.SUSPENDED:
        raise ValidationError(_("Only a suspended credential can be reinstated."))
    status = Status.ACTIVE if credential.valid_until > timezone.now() else Status.EXPIRED
    return _change_status(
        credential,
        by=by,
        status=status,
        reason=(reason or "").strip() or _("Suspension ended"),
        action="certification.credential_reinstated",
    )


@transaction.atomic
def credential_withdraw(*, credential, by, reason: str) -> Credential:
    _require_officer(by)
    reason = _require_reason(reason)
    credential = _locked(credential)
    if credential.status in (Status.WITHDRAWN, Status.SUPERSEDED):
        raise ValidationError(_("This credential can no longer be withdrawn."))
    return _change_status(
        credential,
        by=by,
        status=Status.WITHDRAWN,
        reason=reason,
        action="certification.credential_withdrawn",
    )


def _status_index_renew(credential: Credential, *, reason: str) -> int:
    """Move the credential to a fresh status-list index; revoke the old one for good."""
    old_index = credential.status_index
    RetiredStatusIndex.objects.create(index=old_index, credential=credential, reason=reason[:200])
    credential.status_index = counter_next("status-list-index") - 1
    return old_index


@transaction.atomic
def credential_scope_reduce(
    *, credential, by, scope_zh: str, scope_en: str, reason: str
) -> Credential:
    """Narrow the scope: the signed documents are re-issued under the same number.

    The re-signed documents get a new status-list index; the old one is retired and set in
    the revocation list, so the wider-scope documents already handed out stop verifying.
    """
    _require_officer(by)
    reason = _require_reason(reason)
    credential = _locked(credential)
    if credential.status not in (Status.ACTIVE, Status.SUSPENDED):
        raise ValidationError(_("Only a current credential can have its scope reduced."))
    if not scope_zh.strip() or not scope_en.strip():
        raise ValidationError(_("Give the reduced scope in Chinese and English."))
    before = {"zh": credential.scope_zh, "en": credential.scope_en}
    old_index = _status_index_renew(credential, reason=reason)
    credential.scope_zh, credential.scope_en = scope_zh.strip(), scope_en.strip()
    credential_documents_sign(credential)
    credential.pdf = ""
    credential.save(
        update_fields=["scope_zh", "scope_en", "status_index", "ob3_json", "ob3_jwt", "pdf"]
    )
    audit_record_create(
        actor=by,
        action="certification.credential_scope_reduced",
        target=credential,
        reason=reason,
        data={
            "before": before,
            "after": {"zh": scope_zh, "en": scope_en},
            "status_index": {"retired": old_index, "new": credential.status_index},
        },
    )
    from ..tasks import credential_pdf_render

    outbox.enqueue(credential_pdf_render, credential.pk)
    return credential


def credentials_expire(*, now=None) -> int:
    """Daily: mark lapsed credentials expired; end suspensions whose end date passed."""
    now = now or timezone.now()
    count = 0
    for credential_id in Credential.objects.filter(
        status__in=[Status.ACTIVE, Status.SUSPENDED], valid_until__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            credential = _locked(Credential(pk=credential_id))
            if (
                credential.status in (Status.ACTIVE, Status.SUSPENDED)
                and credential.valid_until <= now
            ):
                _change_status(
                    credential,
                    by=None,
                    status=Status.EXPIRED,
                    reason=_("Validity period ended"),
                    action="certification.credential_expired",
                )
                count += 1
    for credential in Credential.objects.filter(
        status=Status.SUSPENDED, suspended_until__lt=timezone.localdate(now)
    ):
        credential_reinstate(credential=credential, by=None)
    return count


def _due_offset(credential: Credential, now, offsets: list[int]) -> int | None:
    days_left = (credential.valid_until - now).days
    due = [offset for offset in offsets if days_left < offset]
    return min(due) if due else None


def credential_reminders_send(*, now=None) -> int:
    """Daily: one reminder per configured offset (e.g. 90/30/7 days) to holder and manager.

    A credential first seen inside several offsets gets one reminder (the nearest); the
    unique (credential, offset) row is the claim, so a second run sends nothing again.
    """
    from ..tasks import credential_email_send

    now = now or timezone.now()
    offsets = sorted(settings.CREDENTIAL_REMINDER_OFFSETS)
    horizon = now + datetime.timedelta(days=max(offsets))
    sent = 0
    for credential in Credential.objects.filter(
        status=Status.ACTIVE, valid_until__gt=now, valid_until__lte=horizon
    ).prefetch_related("reminders"):
        offset = _due_offset(credential, now, offsets)
        if offset is None or any(r.offset_days <= offset for r in credential.reminders.all()):
            continue
        try:
            with transaction.atomic():
                CredentialReminder.objects.create(credential=credential, offset_days=offset)
                outbox.enqueue(
                    credential_email_send,
                    credential.pk,
                    "credential_expiry_reminder",
                    f"reminder-{offset}",
                )
        except IntegrityError:
            continue
        sent += 1
    return sent
