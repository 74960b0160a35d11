"""Emails of the exams app, sent through `institute.notifications` (preferences, retries)."""

from exams.models import Attempt
from institute.notifications import notify


def attempt_result_email_send(*, attempt_id: int) -> bool:
    """Tell the candidate a result is released. Idempotent enough: only released attempts."""
    attempt = Attempt.objects.select_related("exam", "user").filter(pk=attempt_id).first()
    if attempt is None or attempt.released_at is None:
        return False
    notify(
        recipients=[attempt.user],
        kind="exams_result_released",
        context={"attempt": attempt, "exam": attempt.exam},
    )
    return True
