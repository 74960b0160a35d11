"""Emails of the exams app (sent from Celery tasks, Chinese with English below)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from exams.models import Attempt


def attempt_result_email_send(*, attempt_id: int) -> bool:
    """Tell the candidate a result is released. Idempotent enough: only released attempts."""
    attempt = Attempt.objects.select_related("exam", "user__profile").filter(pk=attempt_id).first()
    if attempt is None or attempt.released_at is None:
        return False
    context = {
        "attempt": attempt,
        "exam": attempt.exam,
        "site_url": getattr(settings, "SITE_URL", ""),
    }
    subject = render_to_string("emails/exams_result_released_subject.txt", context)
    body = render_to_string("emails/exams_result_released_body.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [attempt.user.email])
    return True
