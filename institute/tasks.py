import smtplib

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

# Long enough to cover every redelivery of a message (broker visibility timeout, outbox relay).
SENT_MARK_SECONDS = 7 * 24 * 3600


@shared_task(time_limit=10, soft_time_limit=8)
def heartbeat() -> str:
    """Record when a worker last ran a scheduled task (read by operators via the cache)."""
    stamp = timezone.now().isoformat()
    cache.set("institute:heartbeat", stamp, timeout=None)
    return stamp


@shared_task(time_limit=10, soft_time_limit=8)
def record_marker(key: str, value: str) -> None:
    """Write a marker to the cache; used by tests to prove a real worker ran a task."""
    cache.set(key, value, timeout=600)


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=settings.NOTIFICATION_RETRY_BACKOFF,
    retry_backoff_max=settings.NOTIFICATION_RETRY_BACKOFF_MAX,
    # Plain doubling (30 s, 1 min, 2 min...): predictable for operators; volumes are small.
    retry_jitter=False,
    max_retries=settings.NOTIFICATION_MAX_RETRIES,
    acks_late=True,
    time_limit=60,
    soft_time_limit=50,
)
def notification_send(
    self, *, recipient_id: int, kind: str, template: str, context: dict, message_id: str
) -> bool:
    """Send one notification email; SMTP refusals and network errors retry with backoff.

    Idempotent per message: a redelivered message (worker lost after sending, an outbox
    publishing twice) finds its id in the cache and is not sent again.
    """
    from django.contrib.auth import get_user_model

    from .notifications import context_load, notification_message, notification_wanted

    sent_key = f"notification-sent:{message_id}"
    recipient = get_user_model().objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None or cache.get(sent_key):
        return False
    loaded = context_load(context)
    if loaded is None or not notification_wanted(user_id=recipient.pk, kind=kind):
        return False
    notification_message(recipient=recipient, template=template, context=loaded).send()
    cache.set(sent_key, kind, timeout=SENT_MARK_SECONDS)
    return True
