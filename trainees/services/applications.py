"""Applying for certification and deciding on an application."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institute import outbox
from institute.audit import audit_record_create

from .. import roles, selectors
from ..models import Application, ApplicationEvidence, Credential
from .eligibility import application_results, conflicted_staff_ids


def _eligibility_refresh(application: Application) -> None:
    results = application_results(application)
    application.eligibility = {
        "checked_at": timezone.now().isoformat(),
        "requirements": [result.as_dict() for result in results],
    }
    application.is_eligible = all(result.met for result in results)


@transaction.atomic
def application_submit(
    *, candidate, scheme, by, experience_months: int = 0, statement: str = "", renews=None
) -> Application:
    """Apply for the scheme's current version (or renew `renews` under its own scheme)."""
    version = selectors.current_version(scheme=scheme)
    if version is None:
        raise ValidationError(_("This scheme has no published version."))
    if renews is not None and (
        renews.holder_id != candidate.pk or renews.scheme_version.scheme_id != scheme.pk
    ):
        raise ValidationError(_("Only the holder's own credential of this scheme can be renewed."))
    if renews is None and any(
        c.scheme_version.scheme_id == scheme.pk for c in selectors.valid_credentials(user=candidate)
    ):
        raise ValidationError(_("A valid credential of this scheme is held: apply for renewal."))
    application = Application(
        candidate=candidate,
        scheme_version=version,
        submitted_by=by,
        experience_months=experience_months,
        statement=statement,
        kind=Application.Kind.RENEWAL if renews else Application.Kind.INITIAL,
        renews=renews,
    )
    if Application.objects.filter(
        candidate=candidate, scheme_version=version, status=Application.Status.SUBMITTED
    ).exists():
        raise ValidationError(_("An application for this scheme is already open."))
    application.full_clean()
    application.save()
    _eligibility_refresh(application)
    application.save(update_fields=["eligibility", "is_eligible"])
    audit_record_create(
        actor=by,
        action="certification.application_submitted",
        target=application,
        data={
            "scheme_version": str(version),
            "kind": application.kind,
            "eligible": application.is_eligible,
        },
    )
    return application


STAFF_RECORD_KINDS = (ApplicationEvidence.Kind.TRAINING, ApplicationEvidence.Kind.EXAMINATION)


def _check_evidence_recorder(*, by, kind: str, staff) -> None:
    """Training/examination records and the staff named on them come from institute staff.

    They tick the refresher requirement and exclude the named staff from deciding, so a
    candidate (or their manager) may not make them; they upload documents and images.
    """
    recorder_is_staff = roles.is_officer(by) or roles.is_instructor(by)
    if kind in STAFF_RECORD_KINDS and not recorder_is_staff:
        raise ValidationError(
            {"kind": _("Training and examination records are made by institute staff.")}
        )
    if staff is not None and not recorder_is_staff:
        raise ValidationError(
            {"staff": _("Only institute staff record who trained or examined a candidate.")}
        )
    if staff is not None and not (roles.is_officer(staff) or roles.is_instructor(staff)):
        raise ValidationError(
            {"staff": _("The person named must be an instructor or a certification officer.")}
        )


@transaction.atomic
def evidence_add(
    *, application: Application, by, kind: str, description: str, file=None, staff=None
) -> ApplicationEvidence:
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("Evidence can only be added to an open application."))
    _check_evidence_recorder(by=by, kind=kind, staff=staff)
    evidence = ApplicationEvidence(
        application=application, kind=kind, description=description, staff=staff, added_by=by
    )
    if file is not None:
        evidence.file = file
    evidence.full_clean()
    evidence.save()
    audit_record_create(
        actor=by,
        action="certification.evidence_added",
        target=application,
        data={
            "evidence_id": evidence.pk,
            "kind": kind,
            "description": description,
            "file": evidence.file.name if evidence.file else "",
            "staff_id": staff and staff.pk,
        },
    )
    return evidence


def _check_decider(application: Application, by) -> None:
    if not roles.is_officer(by):
        raise PermissionDenied(_("Only certification officers decide on applications."))
    if by.pk == application.candidate_id:
        raise PermissionDenied(_("You cannot decide on your own application."))
    if by.pk in conflicted_staff_ids(application):
        raise PermissionDenied(
            _("You trained or examined this candidate; another officer must decide.")
        )


@transaction.atomic
def application_decide(
    *, application: Application, by, approve: bool, reason: str = ""
) -> Application:
    """Approve (issuance follows after commit, in a Celery task) or reject with a reason."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _check_decider(application, by)
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("This application has already been decided."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for rejecting.")})
    _eligibility_refresh(application)
    if approve and not application.is_eligible:
        raise ValidationError(_("The candidate does not meet every requirement yet."))
    application.status = Application.Status.APPROVED if approve else Application.Status.REJECTED
    application.decided_by = by
    application.decided_at = timezone.now()
    application.decision_reason = reason.strip()
    application.full_clean()
    application.save()
    audit_record_create(
        actor=by,
        action="certification.application_approved"
        if approve
        else "certification.application_rejected",
        target=application,
        reason=application.decision_reason,
        data={
            "requirements": application.eligibility.get("requirements", []),
            "evidence": list(application.evidence.values_list("pk", flat=True)),
        },
    )
    if approve:
        from ..tasks import credential_issue as credential_issue_task

        outbox.enqueue(credential_issue_task, application.pk)
    return application


def renewable_credential(*, user, scheme) -> Credential | None:
    return (
        Credential.objects.filter(
            holder=user,
            scheme_version__scheme=scheme,
            status__in=[Credential.Status.ACTIVE, Credential.Status.EXPIRED],
        )
        .order_by("-valid_until")
        .first()
    )
