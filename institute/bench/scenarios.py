"""Benchmark scenarios. Apps contribute their own in `<app>/benchmark.py` (see SCENARIOS)."""

import json
import os

from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from .runner import Row, gunicorn, load
from .scenarios_pages import catalogue, cms_pages


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


def _raw_upsert_latencies(count: int) -> list[float]:
    """Limit reference for an answer save: one durable upsert of one row, committed alone."""
    import time

    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_answer_upsert")
        cursor.execute("CREATE TABLE bench_answer_upsert (k integer PRIMARY KEY, v text)")
    latencies = []
    for index in range(count):
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_answer_upsert (k, v) VALUES (%s, %s) "
                "ON CONFLICT (k) DO UPDATE SET v = excluded.v",
                [index % 50, f"answer-{index}"],
            )
        latencies.append(time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_answer_upsert")
    return latencies


def _think_ms() -> tuple[int, int] | None:
    """Think time before each save, ms: BENCH_THINK_MS="low-high" (default: exams.benchmark)."""
    low, _dash, high = os.environ.get("BENCH_THINK_MS", "").partition("-")
    return (int(low), int(high)) if high else None


def _gunicorn_settings() -> dict:
    """workers, threads and keepalive of the deployed server (gunicorn.conf.py)."""
    import runpy

    from django.conf import settings

    return runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))


def _server_log_counts(log) -> dict[str, int]:
    """Lines of the server's log worth reporting (worker timeouts, errors)."""
    text = log.read_text(errors="replace") if log.exists() else ""
    marks = ("WORKER TIMEOUT", "Traceback", "ERROR", "Booting worker")
    return {mark: text.count(mark) for mark in marks if mark in text}


def exam_day(*, quick: bool) -> list[Row]:
    """Synchronised exam start, then answers at a compressed human pace, then submit."""
    from django.conf import settings

    from exams.benchmark import THINK_MS, run_exam_day

    from .loadgen import percentile

    candidates = int(os.environ.get("BENCH_CANDIDATES", 50 if quick else 1000))
    answers = 5 if quick else 50
    server = _gunicorn_settings()
    # --quick is a smoke run: 1-2 s between answers keeps it to seconds, not minutes.
    think = _think_ms() or ((1000, 2000) if quick else THINK_MS)
    log = settings.BASE_DIR / "bench" / "exam-day-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    with gunicorn(
        "institute.wsgi:application",
        workers=server["workers"],
        threads=server["threads"],
        log=log,
    ) as base_url:
        figures = run_exam_day(
            candidates=candidates,
            answers=answers,
            base_url=base_url,
            think_ms=think,
            # The client gives up an idle connection before the server does (see bench_driver);
            # BENCH_CLIENT_KEEPALIVE_S overrides it to try the race (httpx's default is 5 s).
            keepalive_expiry_s=float(
                os.environ.get("BENCH_CLIENT_KEEPALIVE_S", server["keepalive"] / 2)
            ),
        )
    figures["server"] = {key: server[key] for key in ("workers", "threads", "keepalive")}
    figures["server_log"] = _server_log_counts(log)
    (log.parent / "exam-day-figures.json").write_text(json.dumps(figures, indent=1, default=str))
    reference = _raw_upsert_latencies(200 if quick else 2000)
    raw_p50, raw_p95 = percentile(reference, 0.5) * 1000, percentile(reference, 0.95) * 1000
    return _exam_day_rows(figures, raw_p50, raw_p95)


def _exam_day_rows(figures: dict, raw_p50: float, raw_p95: float) -> list[Row]:
    first = "-".join(f"{ms / 1000:g}" for ms in figures["first_think_ms"])
    then = "-".join(f"{ms / 1000:g}" for ms in figures["think_ms"])
    label = (
        f"{figures['candidates']} candidates x {figures['answers_per_candidate']} answers, "
        f"think {first} s then {then} s"
    )
    raw = "raw durable upsert of one row"
    server = figures["server"]
    rows = [
        Row("exam-day", f"answer save p50 ({label})", figures["save"].get("p50_ms", 0), "ms",
            round(raw_p50, 2), raw),
        Row("exam-day", "answer save p95", figures["save"].get("p95_ms", 0), "ms",
            round(raw_p95, 2), raw),
        Row("exam-day", "answer save p99", figures["save"].get("p99_ms", 0), "ms"),
    ]  # fmt: skip
    for step in ("start", "submit"):
        for cut in ("p50", "p95", "p99"):
            rows.append(Row("exam-day", f"{step} {cut}", figures[step].get(f"{cut}_ms", 0), "ms"))
    rows += [
        Row("exam-day", "saves per second served (offered once candidates drift apart)",
            figures["saves_per_s"] or 0, "req/s", notes=f"offered {figures['offered_saves_per_s']}/s"),
        Row("exam-day", "errors", figures["errors"], "count", notes=str(figures["error_samples"])),
        Row("exam-day", "saves retried once (network error or 5xx, as exam.js does)",
            figures["retries"], "count", notes=str(figures["retry_samples"])),
        Row("exam-day", "lost answers (must be 0)", figures["lost_answers"], "count",
            notes=f"{figures['acknowledged_answers']} acknowledged answers checked in the "
            f"database; {figures['attempts_graded']} attempts graded; "
            f"timed out: {figures['timed_out']}; {figures['duration_s']} s; gunicorn "
            f"{server['workers']}x{server['threads']} gthread, keep-alive {server['keepalive']} s; "
            f"server log {figures['server_log']}"),
    ]  # fmt: skip
    return rows


def issuance(*, quick: bool) -> list[Row]:
    """Credential issuance: Data Integrity and VC-JWT signing, PDF rendering."""
    from trainees.benchmark import issuance_rows

    return issuance_rows(quick=quick)


def issuance_through_worker(*, quick: bool) -> list[Row]:
    """Approve applications and let real Celery workers issue them (signing + PDF + emails).

    Needs CELERY_BROKER_URL and running workers (`celery -A institute worker`) on the same
    database; writes throwaway people and credentials, so use a benchmark database.
    """
    from django.conf import settings

    from trainees.benchmark import run_issuance_through_worker

    if not settings.CELERY_BROKER_URL:
        raise RuntimeError("issuance-worker needs CELERY_BROKER_URL and running workers")
    count = int(os.environ.get("BENCH_ISSUANCE_COUNT", 20 if quick else 10000))
    figures = run_issuance_through_worker(count=count)
    return [
        Row(
            "issuance-worker",
            f"credentials/s through the worker ({figures['credentials']} issued)",
            figures["credentials_per_second"],
            "/s",
            figures["raw_ed25519_signs_per_second"],
            "raw Ed25519 signs/s",
            notes=f"{figures['seconds']} s in all",
        ),
    ]


def officer_reports(*, quick: bool) -> list[Row]:
    """Officer dashboard, expiring report, manager page, register search at 100,000 trainees
    (2,000 with --quick) on PostgreSQL, each beside its raw SQL."""
    from trainees.benchmark_reports import run_officer_reports

    return run_officer_reports(quick=quick)


SCENARIOS = {
    "framework-floor": framework_floor,
    "cms-pages": cms_pages,
    "catalogue": catalogue,
    "exam-day": exam_day,
    "issuance": issuance,
    "issuance-worker": issuance_through_worker,
    "officer-reports": officer_reports,
}
