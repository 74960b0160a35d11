"""Practice sessions at the base: booking, attendance (by hand or QR) and practical assessment."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institute import outbox
from institute.audit import audit_record_create
from institute.permissions import can

from ..models import (
    AssessmentCriterion,
    CriterionScore,
    Enrolment,
    PracticalAssessment,
    PracticeSession,
    SessionBooking,
)

Booked = SessionBooking.Status.BOOKED
# The room QR code works from an hour before the start until the end of the session.
CHECK_IN_OPENS_BEFORE = datetime.timedelta(hours=1)


def session_book(*, session: PracticeSession, user) -> SessionBooking:
    with transaction.atomic():
        session = PracticeSession.objects.select_for_update().get(pk=session.pk)
        if session.starts_at <= timezone.now():
            raise ValidationError(_("This session has already started."))
        enrolled = Enrolment.objects.filter(
            user=user, course_id=session.course_id, status=Enrolment.Status.ACTIVE
        ).exists()
        if not enrolled:
            raise ValidationError(_("Enrol on the course before booking a practice session."))
        booking = SessionBooking.objects.filter(session=session, user=user).first()
        if booking and booking.status == Booked:
            raise ValidationError(_("You have already booked this session."))
        if session.bookings.filter(status=Booked).count() >= session.capacity:
            raise ValidationError(_("This session is full."))
        booking = booking or SessionBooking(session=session, user=user)
        booking.status = Booked
        booking.full_clean()
        booking.save()
        audit_record_create(actor=user, action="session.booked", target=booking)
    return booking


def session_booking_cancel(*, booking: SessionBooking, by) -> SessionBooking:
    if booking.user_id != by.pk:
        raise PermissionDenied
    with transaction.atomic():
        booking = SessionBooking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != Booked or booking.session.starts_at <= timezone.now():
            raise ValidationError(_("This booking can no longer be cancelled."))
        booking.status = SessionBooking.Status.CANCELLED
        booking.save(update_fields=["status"])
        audit_record_create(actor=by, action="session.booking_cancelled", target=booking)
    return booking


def _mark(booking: SessionBooking, *, present: bool, by, how: str) -> SessionBooking:
    from .progress import enrolment_progress_refresh

    with transaction.atomic():
        booking.attendance = (
            SessionBooking.Attendance.PRESENT if present else SessionBooking.Attendance.ABSENT
        )
        booking.checked_in_at = timezone.now() if present else None
        booking.save(update_fields=["attendance", "checked_in_at"])
        audit_record_create(
            actor=by,
            action=f"session.attendance.{booking.attendance}",
            target=booking,
            data={"how": how},
        )
    enrolment = Enrolment.objects.filter(
        user_id=booking.user_id, course_id=booking.session.course_id
    ).first()
    if enrolment is not None:
        enrolment_progress_refresh(enrolment=enrolment)
    return booking


def attendance_record(*, booking: SessionBooking, present: bool, by) -> SessionBooking:
    """The instructor records one trainee present or absent."""
    if not can(by, "courses.run_session", booking.session):
        raise PermissionDenied
    if booking.status != Booked:
        raise ValidationError(_("This booking was cancelled."))
    return _mark(booking, present=present, by=by, how="roll")


def booking_check_in(*, token: str, by) -> SessionBooking:
    """The instructor scans the QR code the trainee shows (the booking's token)."""
    booking = SessionBooking.objects.select_related("session").filter(check_in_token=token).first()
    if booking is None or not can(by, "courses.run_session", booking.session):
        raise PermissionDenied
    if booking.status != Booked:
        raise ValidationError(_("This booking was cancelled."))
    return _mark(booking, present=True, by=by, how="trainee-qr")


def session_check_in(*, token: str, user) -> SessionBooking:
    """The trainee scans the QR code the room displays (the session's token)."""
    session = PracticeSession.objects.filter(check_in_token=token).first()
    if session is None:
        raise PermissionDenied
    now = timezone.now()
    if not (session.starts_at - CHECK_IN_OPENS_BEFORE <= now <= session.ends_at):
        raise ValidationError(_("Check-in is open from one hour before the session until its end."))
    booking = SessionBooking.objects.filter(session=session, user=user, status=Booked).first()
    if booking is None:
        raise ValidationError(_("You have no booking for this session."))
    return _mark(booking, present=True, by=user, how="room-qr")


def _validated_scores(course, scores: dict[int, int]) -> list[tuple[AssessmentCriterion, int]]:
    criteria = list(AssessmentCriterion.objects.filter(course=course))
    if not criteria:
        raise ValidationError(_("This course has no assessment criteria yet."))
    errors, rows = [], []
    for criterion in criteria:
        score = scores.get(criterion.pk)
        if score is None or not 0 <= score <= criterion.max_score:
            errors.append(
                _("%(criterion)s: give a score from 0 to %(max)s.")
                % {"criterion": criterion.title, "max": criterion.max_score}
            )
        rows.append((criterion, score))
    if errors:
        raise ValidationError(errors)
    return rows


def practical_assessment_record(
    *, session: PracticeSession, user, scores: dict[int, int], comment: str, by
) -> PracticalAssessment:
    """Score every criterion of the course rubric; pass when every criterion passes."""
    if not can(by, "courses.run_session", session):
        raise PermissionDenied
    if not session.bookings.filter(user=user, status=Booked).exists():
        raise ValidationError(_("This person has no booking for the session."))
    rows = _validated_scores(session.course_id, scores)
    with transaction.atomic():
        assessment = PracticalAssessment(
            user=user,
            course_id=session.course_id,
            session=session,
            passed=all(score >= criterion.pass_score for criterion, score in rows),
            comment=comment.strip(),
            assessed_by=by,
            assessed_at=timezone.now(),
        )
        assessment.full_clean()
        assessment.save()
        CriterionScore.objects.bulk_create(
            CriterionScore(
                assessment=assessment,
                criterion=criterion,
                score=score,
                passed=score >= criterion.pass_score,
            )
            for criterion, score in rows
        )
        audit_record_create(
            actor=by,
            action="practical_assessment.recorded",
            target=assessment,
            data={"passed": assessment.passed},
        )
    return assessment


def session_reminders_send(*, now=None, within=datetime.timedelta(hours=24)) -> int:
    """Queue one reminder email per booking for sessions starting soon (each session once)."""
    from ..tasks import send_session_reminder_email

    now = now or timezone.now()
    sent = 0
    due = PracticeSession.objects.filter(
        starts_at__gt=now, starts_at__lte=now + within, reminder_sent_at__isnull=True
    )
    for session in due:
        # Only one worker wins the conditional update, so a session is never reminded twice.
        with transaction.atomic():
            won = PracticeSession.objects.filter(
                pk=session.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if not won:
                continue
            for booking_id in session.bookings.filter(status=Booked).values_list("pk", flat=True):
                outbox.enqueue(send_session_reminder_email, booking_id)
                sent += 1
    return sent
