"""The dictionaries the API returns and the exam pages render (one place, no keys)."""

from django.utils import timezone

from .models import Attempt
from .selectors import attempt_paper, review_allowed
from .services.papers import question_key, question_public


def attempt_summary(attempt: Attempt) -> dict:
    released = attempt.released_at is not None
    return {
        "id": attempt.pk,
        "exam": attempt.exam_id,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "submitted_at": attempt.submitted_at,
        "auto_submitted": attempt.auto_submitted,
        "released": released,
        "score_percent": float(attempt.score_percent) if released else None,
        "passed": attempt.passed if released else None,
    }


def attempt_payload(attempt: Attempt) -> dict:
    """The paper with saved answers, the deadline and the server's clock (never keys)."""
    slots, responses = attempt_paper(attempt=attempt)
    questions = []
    for slot in slots:
        public = question_public(slot.question, slot.layout)
        response = responses.get(slot.question_id)
        public["position"] = slot.position
        public["saved"] = (
            {"answer": response.answer, "revision": response.revision}
            if response is not None
            else None
        )
        questions.append(public)
    return {
        **attempt_summary(attempt),
        "server_now": timezone.now(),
        "seconds_left": max(0, int((attempt.deadline - timezone.now()).total_seconds())),
        "questions": questions,
    }


def _readable(public: dict, value):
    """Show option/item texts instead of ids on the review page."""
    texts = {
        entry["id"]: entry["text"] for entry in public.get("options", []) + public.get("items", [])
    }
    if isinstance(value, list):
        return [texts.get(item, item) for item in value]
    if isinstance(value, str):
        return texts.get(value, value)
    if isinstance(value, dict) and "value" in value:
        return f"{value.get('value', '')} {value.get('unit', '')}".strip()
    if isinstance(value, dict):
        prompts = {entry["id"]: entry["text"] for entry in public.get("prompts", [])}
        return [f"{prompts.get(key, key)} → {answer}" for key, answer in value.items()]
    return value


def result_payload(attempt: Attempt) -> dict:
    """Score once released; correctness, keys and explanations only as the policy allows."""
    data = attempt_summary(attempt)
    show = attempt.exam.review_show
    if not review_allowed(attempt) or show == attempt.exam.ReviewShow.SCORE:
        data["questions"] = []
        return data
    slots, responses = attempt_paper(attempt=attempt)
    questions = []
    for slot in slots:
        response = responses.get(slot.question_id)
        item = question_public(slot.question, slot.layout)
        item["position"] = slot.position
        item["answer"] = response.answer if response else None
        item["answer_display"] = _readable(item, item["answer"])
        item["score"] = float(response.score) if response and response.score is not None else None
        item["correct"] = bool(response and response.fraction == 1)
        if show == attempt.exam.ReviewShow.FULL:
            item["key"] = question_key(slot.question)
            item["key_display"] = _readable(item, item["key"].get("answer", item["key"]))
            item["explanation"] = slot.question.explanation
        questions.append(item)
    data["questions"] = questions
    return data
