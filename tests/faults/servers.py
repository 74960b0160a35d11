"""Private servers for fault tests: a Redis, a Celery worker and a PostgreSQL cluster that a
test may kill and restart. The shared Redis (6379) and PostgreSQL (5432) are never touched.

Without `redis-server` / PostgreSQL binaries (or, for worker tests, without PostgreSQL as the
test database) the tests are skipped, unless REQUIRE_CELERY_WORKER=1 (CI), where that fails.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import _test_database_url, wait_for

PYTHON = sys.executable
CELERY = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
PROJECT = Path(__file__).resolve().parents[2]


def require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("REQUIRE_CELERY_WORKER") == "1":
        pytest.fail(f"CI must run the fault tests: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """`redis-server` on its own port, no persistence: killing it loses what it held."""

    def __init__(self, port: int):
        self.port = port
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.is_up, 10, 0.1, "private redis-server start")

    def is_up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def reset_producer_pools(app) -> None:
    """Make `app` pick its connection pool again from its (changed) broker URL.

    Only forget the references: kombu keeps one global pool per URL, and closing the
    shared broker's pool here would break every later test that publishes to it.
    """
    app._pool = None
    app.amqp._producer_pool = None


class Worker:
    """A `celery worker` subprocess on the private Redis, with the fault-test settings."""

    def __init__(self, broker_url: str, queue: str, log_path: Path, extra_env: dict):
        self.log_path = log_path
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": broker_url,
            "REDIS_URL": broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            **extra_env,
        }
        self.log = open(log_path, "a")  # noqa: SIM115 - closed in stop()/kill()
        self.process = subprocess.Popen(
            [CELERY, "-A", "institute", "worker", "-Q", queue, "-c", "1", "-l", "info"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
            env=environment,
            cwd=PROJECT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(self._ready, 60, 0.1, "celery worker ready")

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"Celery worker exited early:\n{self.text()[-3000:]}")
        return self.text().count("ready.") > 0

    def text(self) -> str:
        return self.log_path.read_text()

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children): no goodbye, no ack."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def mail_messages(directory: Path) -> list[str]:
    """Messages written by the file email backend (one file per connection, `-` * 79 between)."""
    messages = []
    for path in sorted(directory.glob("*.log")):
        messages += [part for part in path.read_text().split("-" * 79) if part.strip()]
    return messages


def uses_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


LOCALE = ("-E", "UTF8", "--locale=C")


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL server binaries (Debian layout)."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts)
    return versions[-1].parent if versions else None


class PostgresCluster:
    """A throwaway PostgreSQL cluster on its own port, run as the `postgres` OS user."""

    def __init__(self, port: int):
        self.port = port
        self.bin = postgres_bin()
        self.root = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.root / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/institute"

    def _run(self, program: str, *arguments: str) -> None:
        command = [str(self.bin / program), *arguments]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        # UTF-8 with the C locale: Chinese text, and no dependence on the machine's locales.
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", *LOCALE)
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "institute")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        self._pg_ctl("-o", options, "start")

    def _pg_ctl(self, *arguments: str) -> None:
        # -l: the server must not inherit our captured stdout (we would wait for it forever).
        log = str(self.root / "log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-w", "-t", "30", *arguments)

    def restart(self) -> None:
        """A fast restart: clients are disconnected, committed work survives (WAL)."""
        self._pg_ctl("-m", "fast", "restart")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
