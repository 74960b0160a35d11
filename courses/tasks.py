"""Thin Celery tasks of the courses app: ids in, call the service or send one email."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from .models import Enrolment, SessionBooking
from .selectors import localized

ENGLISH_LOCALE = "en"


def _english_title(page) -> str:
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code=ENGLISH_LOCALE).first()
    if locale is None:
        return page.title
    return localized([page], locale.pk)[page.pk].title


def _send(template: str, context: dict, recipient: str) -> None:
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"emails/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [recipient])


@shared_task(
    time_limit=60,
    soft_time_limit=50,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
)
def send_enrolment_decision_email(enrolment_id: int, reason: str = "") -> None:
    enrolment = Enrolment.objects.select_related("user", "course").filter(pk=enrolment_id).first()
    if enrolment is None or enrolment.status not in (
        Enrolment.Status.ACTIVE,
        Enrolment.Status.REJECTED,
    ):
        return
    context = {
        "enrolment": enrolment,
        "approved": enrolment.status == Enrolment.Status.ACTIVE,
        "course_title_en": _english_title(enrolment.course),
        "reason": reason,
        "site_url": settings.SITE_URL,
    }
    _send("courses_enrolment_decision", context, enrolment.user.email)


@shared_task(
    time_limit=60,
    soft_time_limit=50,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
)
def send_session_reminder_email(booking_id: int) -> None:
    booking = (
        SessionBooking.objects.select_related("user", "session", "session__course")
        .filter(pk=booking_id, status=SessionBooking.Status.BOOKED)
        .first()
    )
    if booking is None:
        return
    context = {
        "booking": booking,
        "session": booking.session,
        "course_title_en": _english_title(booking.session.course),
        "site_url": settings.SITE_URL,
    }
    _send("courses_session_reminder", context, booking.user.email)


@shared_task(time_limit=120, soft_time_limit=100)
def send_session_reminders() -> int:
    from .services import session_reminders_send

    return session_reminders_send()


@shared_task(time_limit=300)
def course_progress_refresh(course_id: int) -> None:
    """After a lesson is published: recount progress of the course's active enrolments."""
    from .services import enrolment_progress_refresh

    for enrolment in Enrolment.objects.filter(course_id=course_id, status=Enrolment.Status.ACTIVE):
        enrolment_progress_refresh(enrolment=enrolment)
