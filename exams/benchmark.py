"""Exam-day load scenario: N candidates start, save M answers each and submit, over HTTP.

`run_exam_day(candidates=500, answers=50, base_url="http://127.0.0.1:8000")` prepares a
fresh exam and token-authenticated candidates in the database the server uses, drives the
public API from a separate process (exams/bench_driver.py: asyncio + httpx, one connection per
candidate, synchronized start, think time between saves; bounded in count and time, loopback
only), then checks in the database that
every answer the server acknowledged is stored and graded ("lost answers" must be 0).

Pacing: a real 50-question exam takes 60-90 minutes, 60-120 s per answer. Candidates log in
over a few minutes, then the exam opens for all of them at the same second: every `start`
call arrives at once (the burst). After that they read and answer at a compressed human pace:
the first answer 5-30 s after the paper arrives, every next one 10-20 s later (uniform), so
they drift apart as real candidates do. At 1,000 candidates that offers about 67 saves/s and a
full run takes about 13 minutes. `think_ms` (BENCH_THINK_MS=low-high) sets both windows.
"""

import json
import statistics
import subprocess
import sys
import uuid
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from .models import Attempt, BlueprintSection, Exam, Question, QuestionCategory, Response

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Think time before each answer save (uniform, ms): the first answer, then every next one.
FIRST_THINK_MS = (5_000, 30_000)
THINK_MS = (10_000, 20_000)
OPTIONS = [
    {"id": f"o{n}", "text": f"Option {n}", "fraction": 1 if n == 1 else 0, "feedback": ""}
    for n in range(4)
]


def _prepare(candidates: int, answers: int) -> tuple[Exam, list[tuple[int, str]]]:
    category, _ = QuestionCategory.objects.get_or_create(parent=None, name="Benchmark")
    run = uuid.uuid4().hex[:6]
    questions = Question.objects.bulk_create(
        Question(
            category=category,
            name=f"bench-{run}-{n}",
            kind="single",
            status="active",
            stem_en=f"<p>Q{n}</p>",
            data={"options": OPTIONS},
        )
        for n in range(answers)
    )
    exam = Exam.objects.create(title_zh=f"压测考试 {run}", title_en=f"Benchmark exam {run}", is_published=True,
                               time_limit_minutes=120, attempts_allowed=1, shuffle_questions=True)  # fmt: skip
    BlueprintSection.objects.create(
        exam=exam, category=category, include_subcategories=False
    ).fixed_questions.set(questions)
    users = []
    User = get_user_model()
    for n in range(candidates):
        user = User.objects.filter(email=f"bench-{n}@bench.local").first()
        if user is None:
            user = User(email=f"bench-{n}@bench.local")
            user.set_unusable_password()
            user.save()
        token, _ = Token.objects.get_or_create(user=user)
        users.append((user.pk, token.key))
    return exam, users


def drive_in_separate_process(spec: dict) -> dict:
    """Run exams/bench_driver.py in its own Python process (so the driver's CPU is not the
    server's, nor the command's) and return its JSON figures."""
    output = subprocess.run(
        [sys.executable, "-m", "exams.bench_driver"],
        input=json.dumps(spec),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=spec["time_limit_s"] + 120,
        check=False,
    )
    if output.returncode != 0:
        raise RuntimeError(f"exam-day driver failed: {output.stderr[-2000:]}")
    return json.loads(output.stdout)


def _percentiles(values: list[float]) -> dict:
    if not values:
        return {"count": 0}
    cuts = (
        statistics.quantiles(values, n=100, method="inclusive")
        if len(values) > 1
        else [values[0]] * 99
    )
    return {"count": len(values), "p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1),
            "p99_ms": round(cuts[98], 1), "max_ms": round(max(values), 1)}  # fmt: skip


def _offered_saves_per_s(candidates: int, think_ms: tuple[int, int]) -> float:
    """Saves per second the candidates ask for once they have drifted apart."""
    return round(candidates / (sum(think_ms) / 2 / 1000), 1)


def _error_summary(failures: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for failure in failures:
        key = f"{failure['step']}: {failure['error']}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def _lost_answers(acknowledged: dict[str, dict[str, str]]) -> int:
    """Answers the server acknowledged that the database does not hold (must be 0)."""
    stored = {
        (str(r.attempt_id), str(r.question_id)): r.answer
        for r in Response.objects.filter(attempt_id__in=[int(pk) for pk in acknowledged])
    }
    return sum(
        1
        for attempt_id, answers in acknowledged.items()
        for question_id, answer in answers.items()
        if stored.get((attempt_id, question_id)) != answer
    )


def run_exam_day(
    *,
    candidates: int,
    answers: int,
    base_url: str,
    think_ms: tuple[int, int] = THINK_MS,
    first_think_ms: tuple[int, int] | None = None,
    keepalive_expiry_s: float = 5.0,
    time_limit_s: float = 1800,
) -> dict:
    """`first_think_ms` defaults to FIRST_THINK_MS with the default pacing, else to `think_ms`;
    `keepalive_expiry_s` must be shorter than the server's keep-alive (see bench_driver)."""
    if urlparse(base_url).hostname not in LOOPBACK:
        raise ValueError("The exam-day benchmark only runs against a server on this machine.")
    if first_think_ms is None:
        first_think_ms = FIRST_THINK_MS if tuple(think_ms) == THINK_MS else think_ms
    exam, users = _prepare(candidates, answers)
    spec = {"base_url": base_url.rstrip("/"), "exam_id": exam.pk, "answers": answers,
            "tokens": [token for _user_id, token in users], "think_ms": list(think_ms),
            "first_think_ms": list(first_think_ms), "keepalive_expiry_s": keepalive_expiry_s,
            "time_limit_s": time_limit_s}  # fmt: skip
    driven = drive_in_separate_process(spec)
    latency, duration, errors = driven["latency_ms"], driven["duration_s"], driven["errors"]
    graded = Attempt.objects.filter(exam=exam, status=Attempt.Status.GRADED).count()
    return {
        "scenario": "exam-day",
        "candidates": candidates,
        "answers_per_candidate": answers,
        "think_ms": list(think_ms),
        "first_think_ms": list(first_think_ms),
        "offered_saves_per_s": _offered_saves_per_s(candidates, think_ms),
        "duration_s": duration,
        "timed_out": driven["timed_out"],
        "throughput_requests_per_s": round(sum(map(len, latency.values())) / duration, 1)
        if duration
        else None,
        "saves_per_s": round(len(latency["save"]) / duration, 1) if duration else None,
        **{step: _percentiles(latency[step]) for step in ("start", "save", "submit")},
        "errors": len(errors),
        "error_samples": _error_summary(errors),
        "error_details": errors[:20],
        "retries": len(driven["retries"]),
        "retry_samples": _error_summary(driven["retries"]),
        "retry_details": driven["retries"][:20],
        "attempts_graded": graded,
        "acknowledged_answers": sum(map(len, driven["acknowledged"].values())),
        "lost_answers": _lost_answers(driven["acknowledged"]),
    }
