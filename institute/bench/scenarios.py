"""Benchmark scenarios. Apps contribute their own in `<app>/benchmark.py` (see SCENARIOS)."""

from importlib import import_module

from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from .runner import Row, gunicorn, load


def framework_floor(*, quick: bool) -> list[Row]:
    """Authenticated JSON view vs a bare WSGI hello-world under the same gunicorn."""
    requests, concurrency = (300, 4) if quick else (5000, 8)
    user, _ = get_user_model().objects.get_or_create(email="bench-floor@bench.local")
    token, _ = Token.objects.get_or_create(user=user)
    with gunicorn("institute.bench.hello_wsgi:application") as base_url:
        bare = load(f"{base_url}/", requests=requests, concurrency=concurrency)
    with gunicorn("institute.wsgi:application") as base_url:
        api = load(
            f"{base_url}/api/v1/me/",
            requests=requests,
            concurrency=concurrency,
            headers={"Authorization": f"Token {token.key}"},
        )
    return [
        Row(
            "framework-floor",
            "req/s, authenticated JSON /api/v1/me/",
            api["rps"],
            "req/s",
            bare["rps"],
            "bare WSGI hello-world",
            notes=f"errors={api['errors']}",
        ),
        Row("framework-floor", "p50 latency", api["p50_ms"], "ms", bare["p50_ms"], "bare WSGI"),
        Row("framework-floor", "p95 latency", api["p95_ms"], "ms", bare["p95_ms"], "bare WSGI"),
    ]


def _from_app(module: str, function: str):
    def scenario(*, quick: bool) -> list[Row]:
        rows = getattr(import_module(module), function)(quick=quick)
        return [row if isinstance(row, Row) else Row(**row) for row in rows]

    scenario.__doc__ = f"{module}.{function}"
    return scenario


SCENARIOS = {
    "framework-floor": framework_floor,
    "exam-day": _from_app("exams.benchmark", "scenario"),
    "issuance": _from_app("trainees.benchmark", "scenario"),
}
