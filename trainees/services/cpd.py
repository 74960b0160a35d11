"""The CPD ledger: activities recorded by trainees (or added by course completion)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institute.audit import audit_record_create

from .. import roles
from ..models import CpdActivity


@transaction.atomic
def cpd_activity_create(
    *, user, date, hours, category: str, title: str, evidence=None
) -> CpdActivity:
    if date > timezone.localdate():
        raise ValidationError({"date": _("CPD cannot be recorded in advance.")})
    activity = CpdActivity(user=user, date=date, hours=hours, category=category, title=title)
    if evidence is not None:
        activity.evidence = evidence
    activity.full_clean()
    activity.save()
    audit_record_create(
        actor=user,
        action="certification.cpd_recorded",
        target=activity,
        data={"hours": str(hours), "category": category},
    )
    return activity


@transaction.atomic
def cpd_activity_review(
    *, activity: CpdActivity, by, approve: bool, reason: str = ""
) -> CpdActivity:
    if not roles.is_officer(by):
        raise PermissionDenied(_("Only certification officers approve CPD."))
    activity = CpdActivity.objects.select_for_update().get(pk=activity.pk)
    if activity.status != CpdActivity.Status.PENDING:
        raise ValidationError(_("This activity has already been reviewed."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for rejecting.")})
    activity.status = CpdActivity.Status.APPROVED if approve else CpdActivity.Status.REJECTED
    activity.reviewed_by = by
    activity.reviewed_at = timezone.now()
    activity.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record_create(
        actor=by, action=f"certification.cpd_{activity.status}", target=activity, reason=reason
    )
    return activity


def cpd_course_completion_record(
    *, user, source_key: str, title: str, date, hours
) -> CpdActivity | None:
    """A completed institute course counts automatically (approved), once per source."""
    try:
        with transaction.atomic():
            activity = CpdActivity.objects.create(
                user=user,
                date=date,
                hours=hours,
                category=CpdActivity.Category.COURSE,
                title=title,
                status=CpdActivity.Status.APPROVED,
                source_key=source_key,
                reviewed_at=timezone.now(),
            )
            audit_record_create(
                actor=None,
                action="certification.cpd_course_counted",
                target=activity,
                data={"source": source_key},
            )
            return activity
    except IntegrityError:
        return None


def cpd_course_completions_sync(*, user=None) -> int:
    """Count completed institute courses as approved CPD (idempotent: once per enrolment)."""
    from courses.models import Enrolment

    enrolments = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).select_related(
        "course"
    )
    if user is not None:
        enrolments = enrolments.filter(user=user)
    counted = set(
        CpdActivity.objects.filter(source_key__startswith="enrolment:").values_list(
            "source_key", flat=True
        )
    )
    added = 0
    for enrolment in enrolments:
        key = f"enrolment:{enrolment.pk}"
        hours = enrolment.study_hours or enrolment.course.hours
        if key in counted or not hours:
            continue
        added += bool(
            cpd_course_completion_record(
                user=enrolment.user,
                source_key=key,
                title=enrolment.course.title,
                date=timezone.localdate(enrolment.completed_at),
                hours=hours,
            )
        )
    return added
