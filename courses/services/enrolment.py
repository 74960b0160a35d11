"""Enrolment lifecycle: requested -> active -> completed (or withdrawn / rejected)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institute import outbox
from institute.audit import audit_record_create
from institute.permissions import can

from ..models import CoursePage, Enrolment, SessionBooking
from ..selectors import canonical_page

Policy = CoursePage.EnrolmentPolicy
Status = Enrolment.Status


def _initial_status(*, user, course: CoursePage, by) -> str:
    """Self-enrolment follows the policy; enrolment by a manager or officer is a decision."""
    if by.pk == user.pk:
        if course.enrolment_policy == Policy.ORGANISATION:
            raise ValidationError(
                _("This course is for organisation staff: your manager enrols you.")
            )
        return Status.ACTIVE if course.enrolment_policy == Policy.OPEN else Status.REQUESTED
    if not can(by, "courses.enrol_person", user):
        raise PermissionDenied
    if course.enrolment_policy == Policy.ORGANISATION and not user.profile.organisation_id:
        raise ValidationError(_("Only staff of an organisation can join this course."))
    return Status.ACTIVE


def _check_prerequisites(*, user, course: CoursePage) -> None:
    required = list(course.prerequisites.all())
    done = set(
        Enrolment.objects.filter(
            user=user, status=Status.COMPLETED, course__in=required
        ).values_list("course_id", flat=True)
    )
    missing = [prerequisite for prerequisite in required if prerequisite.pk not in done]
    if missing:
        names = "、".join(f"{page.code} {page.title}" for page in missing)
        raise ValidationError(_("Complete these courses first: %(names)s.") % {"names": names})


def _check_capacity(*, course: CoursePage) -> None:
    if course.capacity is None:
        return
    taken = Enrolment.objects.filter(course=course, status__in=Enrolment.SEAT_STATUSES).count()
    if taken >= course.capacity:
        raise ValidationError(_("This course is full."))


def enrolment_create(*, user, course: CoursePage, by) -> Enrolment:
    """Enrol `user` (by themself, their manager or an officer). Enforces policy, prerequisites
    and capacity; the course row is locked so two requests for the last seat cannot both win."""
    course = canonical_page(course)
    with transaction.atomic():
        course = CoursePage.objects.select_for_update().get(pk=course.pk)
        if not course.live:
            raise ValidationError(_("This course is not open for enrolment."))
        existing = Enrolment.objects.filter(user=user, course=course).first()
        if existing and existing.status not in (Status.WITHDRAWN, Status.REJECTED):
            raise ValidationError(_("You are already enrolled on this course."))
        status = _initial_status(user=user, course=course, by=by)
        _check_prerequisites(user=user, course=course)
        _check_capacity(course=course)
        enrolment = existing or Enrolment(user=user, course=course)
        enrolment.status, enrolment.enrolled_by = status, by
        enrolment.decided_at = timezone.now() if status == Status.ACTIVE else None
        enrolment.full_clean()
        enrolment.save()
        audit_record_create(
            actor=by, action=f"enrolment.{status}", target=enrolment, data={"course": course.code}
        )
    return enrolment


def enrolment_decide(*, enrolment: Enrolment, approve: bool, by, reason: str = "") -> Enrolment:
    """An instructor or officer approves or rejects a request; the trainee gets an email."""
    from ..tasks import send_enrolment_decision_email

    if not can(by, "courses.decide_enrolment", enrolment):
        raise PermissionDenied
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status != Status.REQUESTED:
            raise ValidationError(_("This request has already been decided."))
        if not approve and not reason.strip():
            raise ValidationError(_("Give a reason for the rejection."))
        enrolment.status = Status.ACTIVE if approve else Status.REJECTED
        enrolment.decided_at = timezone.now()
        enrolment.full_clean()
        enrolment.save()
        audit_record_create(
            actor=by,
            action="enrolment.approved" if approve else "enrolment.rejected",
            target=enrolment,
            reason=reason,
        )
        outbox.enqueue(send_enrolment_decision_email, enrolment.pk, reason)
    return enrolment


def enrolment_withdraw(*, enrolment: Enrolment, by, reason: str = "") -> Enrolment:
    if not can(by, "courses.withdraw_enrolment", enrolment):
        raise PermissionDenied
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status not in Enrolment.SEAT_STATUSES:
            raise ValidationError(_("Only a current enrolment can be withdrawn."))
        enrolment.status = Status.WITHDRAWN
        enrolment.full_clean()
        enrolment.save()
        SessionBooking.objects.filter(
            user=enrolment.user,
            session__course=enrolment.course,
            session__starts_at__gt=timezone.now(),
            status=SessionBooking.Status.BOOKED,
        ).update(status=SessionBooking.Status.CANCELLED)
        audit_record_create(actor=by, action="enrolment.withdrawn", target=enrolment, reason=reason)
    return enrolment
