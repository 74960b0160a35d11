"""The officer dashboard (`/admin/certification-dashboard/`) in the catalogue scenario.

The dashboard keeps its rendered figures for 60 s (trainees/dashboard/views.py), so two things
are measured: the request that computes them (in-process, each request given a fresh cache key,
so every one computes) and the requests that reuse them (through gunicorn, after one warm-up
request). Both with their query counts.
"""

import time
import uuid
from unittest import mock

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from .loadgen import percentile
from .runner import load

DASHBOARD = "/admin/certification-dashboard/"


def bench_officer():
    """A certification officer with TOTP enrolled (staff must have it), as an admin would be."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from trainees import roles

    officer, _created = get_user_model().objects.get_or_create(
        email="bench-catalogue-officer@bench.local",
        defaults={"is_staff": True, "is_superuser": True},
    )
    officer.groups.add(Group.objects.get(name=roles.OFFICER))
    if not Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(officer, generate_totp_secret())
    return officer


def _in_process():
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    return override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": plain_static},
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
    )


def _fresh_figures():
    """Every request computes the figures: a cache key nobody has used."""
    from trainees.dashboard import views

    return mock.patch.object(views, "panels_cache_key", lambda query: f"bench-{uuid.uuid4()}")


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(DASHBOARD)
    if response.status_code != 200:
        raise RuntimeError(f"{DASHBOARD} answered {response.status_code}")
    return len(captured)


def computing_figures(client: Client, repeat: int) -> dict:
    """p50/p95 (ms) and queries of the request that computes the figures, in this process."""
    latencies = []
    with _in_process(), _fresh_figures():
        queries = _queries(client)
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(DASHBOARD)
            latencies.append(time.perf_counter() - started)
    return {"p50_ms": round(percentile(latencies, 0.5) * 1000, 2),
            "p95_ms": round(percentile(latencies, 0.95) * 1000, 2), "queries": queries,
            "requests": repeat}  # fmt: skip


def cached_figures(client: Client, base_url: str, requests: int, concurrency: int) -> dict:
    """p50/p95 through gunicorn of requests reusing the figures, and their query count."""
    with _in_process():
        client.get(DASHBOARD)  # computes and stores the figures for the next 60 s
        queries = _queries(client)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
    load(f"{base_url}{DASHBOARD}", requests=2, concurrency=1, headers=headers)  # warm-up
    figures = load(f"{base_url}{DASHBOARD}", requests=requests, concurrency=concurrency,
                   headers=headers, time_limit=50)  # fmt: skip
    return {**figures, "queries": queries}


def dashboard_figures(base_url: str, requests: int, concurrency: int, repeat: int) -> dict:
    client = Client()
    client.force_login(bench_officer())
    return {
        "dashboard, figures computed (in-process)": {
            **computing_figures(client, repeat),
            "path": DASHBOARD,
        },
        "dashboard, figures reused": {
            **cached_figures(client, base_url, requests, concurrency),
            "path": DASHBOARD,
        },
    }
