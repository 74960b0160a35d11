"""Transactional outbox: a task that a committed decision needs is never lost to a broker outage.

`enqueue(task, *args, **kwargs)` writes an `OutboxMessage` row in the caller's transaction.
After commit it tries to publish at once (a down broker fails in milliseconds, see
`CELERY_BROKER_TRANSPORT_OPTIONS`) and marks the row dispatched; if publishing fails the
row waits for `outbox_relay`, which Celery beat runs every few seconds (and ops can run with
`manage.py outbox_relay [--loop]`). So a request never waits for Redis, and a task exists
if and only if the change that asked for it committed.

Delivery is at least once: a process may publish and die before marking the row, so the
task is published again. Every task enqueued here must therefore be idempotent (a guard or a
conditional UPDATE that only one run wins), as the services behind them are.

With no broker (eager tasks: the SQLite default and the tests) there is nothing to protect
against: `enqueue` runs the task in-process after commit, like `delay_on_commit`.
"""

import datetime
import logging

from celery import shared_task
from django.db import DatabaseError, transaction
from django.utils import timezone

from institute.celery import app
from institute.models import OutboxMessage

logger = logging.getLogger(__name__)

# One quick retry on a stale pooled connection (after a broker restart), then give up: the
# row stays for the relay, and the request that committed it is not kept waiting.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# Dispatched rows are kept a while for tracing ("was the credential task ever sent?").
RETENTION = datetime.timedelta(days=7)


def enqueue(task, *args, **kwargs) -> OutboxMessage | None:
    """Publish `task(*args, **kwargs)` once the current transaction commits, surviving outages.

    Arguments must be JSON values (ids and short strings, as our tasks take).
    """
    if app.conf.task_always_eager:
        # robust: a failing follow-up (say SMTP) is logged, never turned into an error page
        # for a decision that has already committed.
        transaction.on_commit(lambda: task.delay(*args, **kwargs), robust=True)
        return None
    message = OutboxMessage(task_name=task.name, args=list(args), kwargs=kwargs)
    message.full_clean()
    message.save()
    transaction.on_commit(lambda: outbox_dispatch(message_id=message.pk), robust=True)
    return message


def _publish(message: OutboxMessage) -> bool:
    """Send one message to the broker; record the outcome on the (locked) row."""
    message.attempts += 1
    try:
        app.send_task(
            message.task_name,
            args=message.args,
            kwargs=message.kwargs,
            retry=True,
            retry_policy=PUBLISH_RETRY_POLICY,
        )
    except Exception as error:  # any failure to publish leaves the row for the relay
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.save(update_fields=["attempts", "last_error"])
        logger.warning("outbox: %s #%s not published: %s", message.task_name, message.pk, error)
        return False
    message.dispatched_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["attempts", "last_error", "dispatched_at"])
    return True


def _waiting():
    # skip_locked: a row another process is publishing right now is theirs, not ours.
    return OutboxMessage.objects.select_for_update(skip_locked=True).filter(
        dispatched_at__isnull=True
    )


def outbox_dispatch(*, message_id: int) -> bool:
    """Publish one row right after its transaction committed (unless someone else has it)."""
    try:
        with transaction.atomic():
            message = _waiting().filter(pk=message_id).first()
            return message is not None and _publish(message)
    except DatabaseError:
        # Runs after the caller's commit: never turn a recorded decision into an error page.
        logger.exception("outbox: could not dispatch #%s now; the relay will", message_id)
        return False


def outbox_relay(*, batch_size: int = 100) -> int:
    """Publish waiting rows oldest first; stop at the first failure (the broker is still down).

    Returns how many were published.
    """
    published = 0
    while True:
        with transaction.atomic():
            batch = list(_waiting().order_by("id")[:batch_size])
            for message in batch:
                if not _publish(message):
                    return published
                published += 1
        if len(batch) < batch_size:
            return published


def outbox_prune(*, now=None) -> int:
    """Forget rows dispatched longer ago than `RETENTION`."""
    now = now or timezone.now()
    deleted, _ = OutboxMessage.objects.filter(dispatched_at__lt=now - RETENTION).delete()
    return deleted


@shared_task(name="institute.outbox_relay", time_limit=120, soft_time_limit=100)
def outbox_relay_task() -> int:
    """The periodic relay (beat). Overlapping runs are safe: rows are locked, skip_locked."""
    published = outbox_relay()
    outbox_prune()
    return published
