"""Fixtures of the fault tests; the servers and helpers are in `servers.py`."""

import shutil

import pytest

from tests.conftest import _test_database_url

from .servers import RedisServer, Worker, free_port, require, reset_producer_pools


@pytest.fixture
def private_redis():
    require(shutil.which("redis-server") is not None, "needs redis-server installed")
    server = RedisServer(free_port())
    server.start()
    yield server
    server.kill()


@pytest.fixture
def broker_at():
    """`broker_at(url)`: this process publishes to `url` (not eagerly) until the test ends."""
    from institute.celery import app

    saved = app.conf.get("broker_write_url")

    def _point(url: str) -> None:
        # The write URL: Celery prefers a CELERY_BROKER_URL variable over broker_url.
        app.conf.broker_write_url = url
        app.conf.task_always_eager = False
        reset_producer_pools(app)

    yield _point
    app.conf.broker_write_url = saved
    app.conf.task_always_eager = True
    reset_producer_pools(app)


@pytest.fixture
def start_worker(tmp_path):
    """`start_worker(broker_url, **env)` starts a worker on the test database (PostgreSQL)."""
    require(bool(_test_database_url()), "needs PostgreSQL as the test database")
    from institute.celery import app

    workers = []

    def _start(broker_url: str, **extra_env) -> Worker:
        # The queue this process routes to (the session worker fixture may have changed it).
        queue = app.conf.task_default_queue
        log_path = tmp_path / f"worker-{len(workers) + 1}.log"
        worker = Worker(broker_url, queue, log_path, {k: str(v) for k, v in extra_env.items()})
        workers.append(worker)
        return worker

    yield _start
    for worker in workers:
        worker.stop()
