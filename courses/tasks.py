"""Thin Celery tasks of the courses app: ids in, call the service or `notify()` the person.

The email tasks decide whether there is still something to tell (the enrolment is decided,
the booking stands) and hand the email to `institute.notifications.notify`, which honours
the person's preferences and sends with retries."""

from celery import shared_task

from institute.notifications import notify

from .models import Enrolment, SessionBooking
from .selectors import localized

ENGLISH_LOCALE = "en"


def _english_title(page) -> str:
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code=ENGLISH_LOCALE).first()
    if locale is None:
        return page.title
    return localized([page], locale.pk)[page.pk].title


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
    }
    notify(recipients=[enrolment.user], kind="courses_enrolment_decision", context=context)


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
    }
    notify(recipients=[booking.user], kind="courses_session_reminder", context=context)


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
