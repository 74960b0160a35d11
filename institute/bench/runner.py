"""Shared machinery for `manage.py benchmark`: a gunicorn server on loopback and a load driver
in a separate process. Each scenario returns rows measured in the same run as its limit
reference."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings

PYTHON_BIN = Path(sys.executable).parent


@dataclass
class Row:
    scenario: str
    measure: str
    value: float
    unit: str
    reference: float | None = None
    reference_name: str = ""
    queries: int | None = None
    notes: str = ""

    @property
    def ratio(self) -> float | None:
        if not self.reference:
            return None
        return round(self.value / self.reference, 3)

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment() -> dict:
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "institute.settings",
    }
    # Serve without a collectstatic run: plain static storage.
    environment["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    environment.setdefault("LOG_LEVEL", "WARNING")
    # Persistent database connections, as deployed: a new PostgreSQL connection per request
    # (the default CONN_MAX_AGE=0) costs more than the whole authenticated JSON view.
    environment.setdefault("DATABASE_CONN_MAX_AGE", "60")
    # One benchmark account drives hundreds of calls a second: far above the per-account API
    # limit, which still runs (and costs what it costs) but must not answer 429.
    environment.setdefault("API_THROTTLE_USER_RATE", "1000000/min")
    # Likewise the anonymous limit per address: every load client is 127.0.0.1.
    environment.setdefault("API_THROTTLE_ANON_RATE", "1000000/min")
    return environment


def apply_server_limits_in_process() -> None:
    """The per-account API limit of `server_environment()` in this process too: in-process
    renders (query counts, CPU per render) use the same benchmark account, and its rate
    counter in the shared cache already holds the calls the server just answered."""
    from rest_framework.throttling import SimpleRateThrottle

    environment = server_environment()
    SimpleRateThrottle.THROTTLE_RATES = {
        **SimpleRateThrottle.THROTTLE_RATES,
        "user": environment["API_THROTTLE_USER_RATE"],
        "anon": environment["API_THROTTLE_ANON_RATE"],
    }


@contextlib.contextmanager
def gunicorn(
    app: str,
    *,
    workers: int = 2,
    threads: int = 1,
    environment: dict | None = None,
    log: Path | None = None,
):
    """Run `app` under gunicorn on a free loopback port; yields the base URL.

    `environment` adds variables for the server (e.g. CMS_PAGE_CACHE_SECONDS=0: uncached).
    The server's log goes to `log` (a temporary file by default): a pipe nobody reads would
    block the server once its buffer is full."""
    port = free_port()
    log_file = open(log, "w+b") if log else tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            str(PYTHON_BIN / "gunicorn"),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=settings.BASE_DIR,
        env={**server_environment(), **(environment or {})},
        stdout=subprocess.DEVNULL,
        stderr=log_file,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, process, log_file)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log_file.close()


def wait_until_up(base_url: str, process, log_file, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log_file.seek(0)
            raise RuntimeError(f"gunicorn exited: {log_file.read().decode()[-2000:]}")
        try:
            urllib.request.urlopen(f"{base_url}/healthz", timeout=2)  # noqa: S310 - loopback
            return
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP answer (even 404/503) means it is up
                return
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start in time")


def load(
    url: str,
    *,
    requests: int,
    concurrency: int,
    headers: dict | None = None,
    time_limit: float = 120.0,
) -> dict:
    """Drive `url` from a separate process; returns rps and latency percentiles."""
    command = [
        sys.executable,
        "-m",
        "institute.bench.loadgen",
        url,
        "--requests",
        str(requests),
        "--concurrency",
        str(concurrency),
        "--time-limit",
        str(time_limit),
    ]
    for key, value in (headers or {}).items():
        command += ["--header", f"{key}: {value}"]
    output = subprocess.run(
        command,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=time_limit + 30,
        check=True,
    )
    return json.loads(output.stdout)
