"""The transactional outbox on its own: rows written with the transaction, published after
commit when the broker answers, kept for the relay when it does not, in order, once."""

import datetime
import json
import threading
import time
from io import StringIO

import pytest
import redis
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from institute import outbox
from institute.celery import app
from institute.models import OutboxMessage
from institute.tasks import record_marker

from .servers import free_port, require, uses_postgres

pytestmark = [pytest.mark.faults, pytest.mark.django_db]


def queued_args(redis_url: str) -> list[str]:
    """The `argsrepr` of the messages waiting in our queue, oldest first (kombu LPUSHes)."""
    raw = redis.Redis.from_url(redis_url).lrange(app.conf.task_default_queue, 0, -1)
    return [json.loads(item)["headers"]["argsrepr"] for item in reversed(raw)]


def test_eager_mode_runs_the_task_after_commit_and_keeps_no_row(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.enqueue(record_marker, "outbox-eager", "ran")
        assert cache.get("outbox-eager") is None  # not before commit

    assert cache.get("outbox-eager") == "ran"
    assert not OutboxMessage.objects.exists()


def test_broker_down_the_commit_returns_at_once_and_the_row_waits(
    broker_at, django_capture_on_commit_callbacks
):
    broker_at(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.enqueue(record_marker, "outbox-down", "never")
    elapsed = time.monotonic() - started

    message = OutboxMessage.objects.get()
    assert elapsed < 1.0, elapsed
    assert message.task_name == "institute.tasks.record_marker"
    assert message.args == ["outbox-down", "never"]
    assert message.dispatched_at is None and message.attempts == 1
    assert "Connection refused" in message.last_error


def test_a_rolled_back_change_leaves_nothing_to_publish(
    broker_at, django_capture_on_commit_callbacks
):
    broker_at(f"redis://127.0.0.1:{free_port()}/0")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue(record_marker, "outbox-rolled-back", "never")
        raise RuntimeError("the business change failed")

    assert callbacks == []
    assert not OutboxMessage.objects.exists()


def test_relay_publishes_what_waited_in_order_once_the_broker_is_back(
    private_redis, broker_at, django_capture_on_commit_callbacks
):
    broker_at(private_redis.url)
    private_redis.kill()
    for number in (1, 2, 3):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            outbox.enqueue(record_marker, "outbox-order", str(number))
    assert outbox.outbox_relay() == 0  # still down: stops at the oldest row
    assert list(OutboxMessage.objects.values_list("attempts", flat=True)) == [2, 1, 1]

    private_redis.start()
    assert outbox.outbox_relay() == 3
    assert outbox.outbox_relay() == 0

    assert queued_args(private_redis.url) == [f"['outbox-order', '{n}']" for n in (1, 2, 3)]
    assert not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()
    assert set(OutboxMessage.objects.values_list("last_error", flat=True)) == {""}


def test_broker_up_the_row_is_published_right_after_commit(
    private_redis, broker_at, django_capture_on_commit_callbacks
):
    broker_at(private_redis.url)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.enqueue(record_marker, "outbox-now", "1")

    assert OutboxMessage.objects.get().dispatched_at is not None
    assert queued_args(private_redis.url) == ["['outbox-now', '1']"]


def test_relay_command_reports_and_prunes_old_dispatched_rows(private_redis, broker_at):
    broker_at(private_redis.url)
    old = OutboxMessage.objects.create(
        task_name="institute.tasks.heartbeat",
        dispatched_at=timezone.now() - outbox.RETENTION - datetime.timedelta(hours=1),
    )
    waiting = OutboxMessage.objects.create(task_name="institute.tasks.heartbeat")
    output = StringIO()

    call_command("outbox_relay", stdout=output)

    assert output.getvalue().strip() == "outbox: 1 published, 0 waiting"
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
    assert OutboxMessage.objects.get(pk=waiting.pk).dispatched_at is not None


@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_publish_each_row_exactly_once(private_redis, broker_at):
    require(uses_postgres(), "row locks with SKIP LOCKED need PostgreSQL")
    broker_at(private_redis.url)
    OutboxMessage.objects.bulk_create(
        OutboxMessage(task_name="institute.tasks.record_marker", args=["outbox-race", str(n)])
        for n in range(40)
    )
    published = []

    def relay():
        try:
            published.append(outbox.outbox_relay(batch_size=5))
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(published) == 40
    assert sorted(queued_args(private_redis.url)) == sorted(
        f"['outbox-race', '{n}']" for n in range(40)
    )
