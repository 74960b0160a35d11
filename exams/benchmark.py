"""Exam-day load scenario: N candidates start, save M answers each and submit, over HTTP.

`run_exam_day(candidates=500, answers=50, base_url="http://127.0.0.1:8000")` prepares a
fresh exam and token-authenticated candidates in the database the server uses, drives the
public API with a bounded thread pool (loopback only), then checks in the database that
every answer the server acknowledged is stored and graded ("lost answers" must be 0).
"""

import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import requests
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from .models import Attempt, BlueprintSection, Exam, Question, QuestionCategory, Response

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CONCURRENCY = 32
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


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {"start": [], "save": [], "submit": []}
        self.errors: list[str] = []
        self.acknowledged: dict[int, dict[int, str]] = {}

    def call(self, kind, session, method, url, **kwargs):
        began = time.perf_counter()
        try:
            response = session.request(method, url, timeout=60, **kwargs)
        except requests.RequestException as error:
            with self.lock:
                self.errors.append(f"{kind}: {error.__class__.__name__}")
            return None
        elapsed = time.perf_counter() - began
        with self.lock:
            self.latency[kind].append(elapsed)
            if response.status_code >= 400:
                self.errors.append(f"{kind}: HTTP {response.status_code}")
                return None
        return response.json()


def _candidate(recorder: Recorder, base_url: str, exam_id: int, token: str) -> None:
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    paper = recorder.call(
        "start", session, "POST", f"{base_url}/api/v1/exams/{exam_id}/attempts/", json={}
    )
    if paper is None:
        return
    acknowledged = {}
    for index, question in enumerate(paper["questions"]):
        answer = question["options"][index % len(question["options"])]["id"]
        url = f"{base_url}/api/v1/attempts/{paper['id']}/responses/{question['id']}/"
        stored = recorder.call(
            "save",
            session,
            "PUT",
            url,
            json={"answer": answer, "client_timestamp": int(time.time() * 1000)},
        )
        if stored is not None and stored.get("accepted"):
            acknowledged[question["id"]] = answer
    recorder.call("submit", session, "POST", f"{base_url}/api/v1/attempts/{paper['id']}/submit/")
    with recorder.lock:
        recorder.acknowledged[paper["id"]] = acknowledged


def _percentiles(values: list[float]) -> dict:
    if not values:
        return {"count": 0}
    cuts = (
        statistics.quantiles(values, n=100, method="inclusive")
        if len(values) > 1
        else [values[0]] * 99
    )
    return {"count": len(values), "p50_ms": round(cuts[49] * 1000, 1), "p95_ms": round(cuts[94] * 1000, 1),
            "p99_ms": round(cuts[98] * 1000, 1), "max_ms": round(max(values) * 1000, 1)}  # fmt: skip


def _lost_answers(recorder: Recorder) -> int:
    stored = {
        (r.attempt_id, r.question_id): r.answer
        for r in Response.objects.filter(attempt_id__in=recorder.acknowledged)
    }
    return sum(
        1
        for attempt_id, answers in recorder.acknowledged.items()
        for question_id, answer in answers.items()
        if stored.get((attempt_id, question_id)) != answer
    )


def run_exam_day(*, candidates: int, answers: int, base_url: str) -> dict:
    if urlparse(base_url).hostname not in LOOPBACK:
        raise ValueError("The exam-day benchmark only runs against a server on this machine.")
    base_url = base_url.rstrip("/")
    exam, users = _prepare(candidates, answers)
    recorder = Recorder()
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=min(CONCURRENCY, candidates)) as pool:
        for _user_id, token in users:
            pool.submit(_candidate, recorder, base_url, exam.pk, token)
    duration = time.perf_counter() - began
    requests_done = sum(len(values) for values in recorder.latency.values())
    graded = Attempt.objects.filter(exam=exam, status=Attempt.Status.GRADED).count()
    return {
        "scenario": "exam-day",
        "candidates": candidates,
        "answers_per_candidate": answers,
        "concurrency": min(CONCURRENCY, candidates),
        "duration_s": round(duration, 2),
        "throughput_requests_per_s": round(requests_done / duration, 1) if duration else None,
        "saves_per_s": round(len(recorder.latency["save"]) / duration, 1) if duration else None,
        "start": _percentiles(recorder.latency["start"]),
        "save": _percentiles(recorder.latency["save"]),
        "submit": _percentiles(recorder.latency["submit"]),
        "errors": len(recorder.errors),
        "error_samples": sorted(set(recorder.errors))[:5],
        "attempts_graded": graded,
        "lost_answers": _lost_answers(recorder),
    }
