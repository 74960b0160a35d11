from celery import shared_task
from django.core.cache import cache
from django.utils import timezone


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
