"""Personas and fixtures shared by every test.

Staff personas are enrolled in TOTP (as they must be) so their clients reach staff pages.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings

from tests.factories import OrganisationFactory, make_user
from trainees import roles


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    """Uploaded files go to a temporary folder; each test starts with an empty local cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # Password hashing is deliberately slow; tests need it correct, not slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    # A request to an /en/ page leaves English active in the thread (LocaleMiddleware does
    # not undo it); every test starts in the default language, as a new request would.
    translation.deactivate()


def enrol_totp(user) -> str:
    """Enrol the user in TOTP as allauth would; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory()


@pytest.fixture
def trainee(db, organisation):
    return make_user(roles.TRAINEE, organisation=organisation)


@pytest.fixture
def other_trainee(db, other_organisation):
    return make_user(roles.TRAINEE, organisation=other_organisation)


@pytest.fixture
def instructor(db):
    user = make_user(roles.INSTRUCTOR)
    enrol_totp(user)
    return user


@pytest.fixture
def other_instructor(db):
    user = make_user(roles.INSTRUCTOR)
    enrol_totp(user)
    return user


@pytest.fixture
def officer(db):
    user = make_user(roles.OFFICER, is_staff=True)
    enrol_totp(user)
    return user


@pytest.fixture
def manager(db, organisation):
    user = make_user(roles.MANAGER, organisation=organisation)
    organisation.managers.add(user)
    return user


@pytest.fixture
def other_manager(db, other_organisation):
    user = make_user(roles.MANAGER, organisation=other_organisation)
    other_organisation.managers.add(user)
    return user


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns a client logged in as that user (None: anonymous)."""
    from django.test import Client

    def _client(user=None):
        new_client = Client()
        if user is not None:
            new_client.force_login(user)
        return new_client

    return _client


@pytest.fixture
def api_client_for():
    from rest_framework.test import APIClient

    def _client(user=None):
        new_client = APIClient()
        if user is not None:
            new_client.force_authenticate(user)
        return new_client

    return _client


# --- A real Celery worker, for tests marked `worker` ------------------------------------------


def _test_database_url() -> str:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"


@pytest.fixture(autouse=True)
def _eager_tasks_by_default():
    """Tasks run in-process unless a test asks for the real worker (`celery_worker_process`).

    With a broker configured (CI) nothing would consume tasks outside worker tests.
    """
    from institute.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def celery_worker_process(_celery_worker_session):
    """A real Celery worker consuming this test's tasks (tasks are not eager during the test)."""
    from institute.celery import app

    app.conf.task_always_eager = False
    yield _celery_worker_session
    app.conf.task_always_eager = True


@pytest.fixture(scope="session")
def _celery_worker_session(django_db_setup, django_db_blocker, tmp_path_factory):
    """Start `celery worker` against the test database and the configured broker.

    Without a broker (the SQLite default) the tests that need it are skipped, unless
    REQUIRE_CELERY_WORKER=1 (set by CI), where a missing broker is a failure.
    """
    if not settings.CELERY_BROKER_URL or not _test_database_url():
        if os.environ.get("REQUIRE_CELERY_WORKER") == "1":
            pytest.fail("CI must run worker tests: set DATABASE_URL (PostgreSQL) and a broker.")
        pytest.skip("needs PostgreSQL and a Celery broker (CI provides both)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    from institute.celery import app

    app.conf.task_default_queue = queue
    environment = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("worker-media")),
    }
    log_path = Path(tmp_path_factory.mktemp("worker")) / "worker.log"
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    log = open(log_path, "w")  # noqa: SIM115 - closed in teardown
    process = subprocess.Popen(
        [
            celery,
            "-A",
            "institute",
            "worker",
            "-Q",
            queue,
            "-c",
            "2",
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while "ready." not in log_path.read_text() and time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"Celery worker exited early:\n{log_path.read_text()}")
        time.sleep(0.2)
    yield {"process": process, "queue": queue, "log": log_path, "media": environment["MEDIA_ROOT"]}
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    log.close()


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.2, what: str = "condition"):
    """Poll until `predicate()` is truthy; return its value or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"{what} not met within {timeout}s")


def pytest_collection_modifyitems(items):
    """Transactional tests flush every table afterwards, including the rows migrations create
    (role groups and their permissions, Wagtail's root page, collection and locales). Restore
    that baseline before each such test (serialized rollback) so test order never matters."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        uses_transactional_fixture = bool(
            {"transactional_db", "live_server"} & set(item.fixturenames)
        )
        kwargs = dict(marker.kwargs) if marker else {}
        if not (kwargs.get("transaction") or uses_transactional_fixture):
            continue
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)
