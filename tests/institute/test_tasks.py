import uuid

import pytest
from django.core.cache import cache
from django.db import transaction

from institute.tasks import record_marker
from tests.conftest import wait_for


class Rollback(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_task_enqueued_in_a_rolled_back_transaction_never_runs(settings):
    key = f"marker-{uuid.uuid4().hex}"
    with pytest.raises(Rollback), transaction.atomic():
        record_marker.delay_on_commit(key, "ran")
        raise Rollback
    assert cache.get(key) is None


@pytest.mark.django_db(transaction=True)
def test_task_enqueued_in_a_committed_transaction_runs_after_commit(settings):
    key = f"marker-{uuid.uuid4().hex}"
    with transaction.atomic():
        record_marker.delay_on_commit(key, "ran")
        assert cache.get(key) is None  # not before the commit
    assert cache.get(key) == "ran"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_committed_task_runs_on_a_real_worker(celery_worker_process):
    key = f"marker-{uuid.uuid4().hex}"
    rolled_back_key = f"marker-{uuid.uuid4().hex}"
    with pytest.raises(Rollback), transaction.atomic():
        record_marker.delay_on_commit(rolled_back_key, "ran")
        raise Rollback
    with transaction.atomic():
        record_marker.delay_on_commit(key, "ran-on-worker")
    assert wait_for(lambda: cache.get(key)) == "ran-on-worker"
    assert "record_marker" in celery_worker_process["log"].read_text()
    assert cache.get(rolled_back_key) is None
