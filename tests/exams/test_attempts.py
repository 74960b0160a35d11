import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django.utils.translation import gettext, override

from exams.models import Attempt, Response
from exams.services.attempts import attempt_start, attempts_close_overdue, response_save
from institute.models import AuditRecord

from .factories import QUESTION_DATA

FORBIDDEN_KEYS = {
    "fraction",
    "correct",
    "key",
    "feedback",
    "explanation",
    "answers",
    "rubric",
    "tolerance",
}


def forbidden_keys_in(value) -> set:
    found = set()
    if isinstance(value, dict):
        found |= FORBIDDEN_KEYS & set(value)
        for item in value.values():
            found |= forbidden_keys_in(item)
    elif isinstance(value, list):
        for item in value:
            found |= forbidden_keys_in(item)
    return found


def message(msgid: str) -> str:
    """The API answers in the default language (Chinese) whatever the translation state."""
    with override("zh-hans"):
        return gettext(msgid)


def start(api, exam):
    response = api.post(f"/api/v1/exams/{exam.pk}/attempts/", {}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def save(api, attempt_id, question_id, answer, timestamp=1):
    return api.put(
        f"/api/v1/attempts/{attempt_id}/responses/{question_id}/",
        {"answer": answer, "client_timestamp": timestamp},
        format="json",
    )


def test_paper_payload_has_no_keys_for_any_type(api_client_for, trainee, exam, questions):
    api = api_client_for(trainee)
    payload = start(api, exam)
    kinds = {q["kind"] for q in payload["questions"]}
    assert kinds == set(QUESTION_DATA)
    for question in payload["questions"]:
        save(
            api,
            payload["id"],
            question["id"],
            {"value": "1"} if question["kind"] == "numeric" else "x",
        )
    detail = api.get(f"/api/v1/attempts/{payload['id']}/").json()
    for body in (payload, detail):
        text = json.dumps(body)
        assert "SECRET" not in text
        assert forbidden_keys_in(body) == set()
    ordering = next(q for q in detail["questions"] if q["kind"] == "ordering")
    assert [i["id"] for i in ordering["items"]] != [
        i["id"] for i in QUESTION_DATA["ordering"]["items"]
    ]
    matching = next(q for q in detail["questions"] if q["kind"] == "matching")
    assert all(set(prompt) == {"id", "text"} for prompt in matching["prompts"])


def test_exam_list_shows_attempts_left(api_client_for, trainee, exam):
    api = api_client_for(trainee)
    listed = api.get("/api/v1/exams/").json()["results"]
    assert [(e["id"], e["attempts_left"]) for e in listed] == [(exam.pk, 2)]
    start(api, exam)
    listed = api.get("/api/v1/exams/").json()["results"]
    assert listed[0]["attempts_left"] == 1


def test_start_twice_resumes_the_same_attempt(api_client_for, trainee, exam):
    api = api_client_for(trainee)
    assert start(api, exam)["id"] == start(api, exam)["id"]
    assert Attempt.objects.count() == 1


def test_save_is_an_upsert_and_latest_timestamp_wins(api_client_for, trainee, exam, questions):
    api = api_client_for(trainee)
    attempt = start(api, exam)
    question = questions[0]
    first = save(api, attempt["id"], question.pk, "k3x9", timestamp=100).json()
    again = save(api, attempt["id"], question.pk, "k3x9", timestamp=100).json()
    newer = save(api, attempt["id"], question.pk, "p2m7", timestamp=300).json()
    stale = save(api, attempt["id"], question.pk, "z8q1", timestamp=200).json()
    assert (first["revision"], again["revision"], newer["revision"]) == (1, 2, 3)
    assert stale == {**stale, "accepted": False, "answer": "p2m7", "revision": 3}
    assert Response.objects.filter(attempt_id=attempt["id"]).count() == 1


def test_save_one_second_before_deadline_accepted_after_refused(
    api_client_for, trainee, exam, questions
):
    api = api_client_for(trainee)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        attempt = start(api, exam)
        deadline = Attempt.objects.get(pk=attempt["id"]).deadline
        traveller.move_to(deadline - timedelta(seconds=1))
        assert save(api, attempt["id"], questions[0].pk, "p2m7").status_code == 200
        traveller.move_to(deadline + timedelta(seconds=1))
        refused = save(api, attempt["id"], questions[1].pk, ["a1b2"], timestamp=2)
    assert refused.status_code == 409
    assert refused.json()["detail"] == message(
        "Time is up: the answer arrived after the deadline and was not saved."
    )
    assert Response.objects.filter(attempt_id=attempt["id"]).count() == 1


def test_accommodation_extra_time_moves_the_deadline(trainee, exam):
    from exams.models import Accommodation

    Accommodation.objects.create(exam=exam, user=trainee, extra_minutes=15)
    attempt = attempt_start(exam=exam, user=trainee)
    assert attempt.deadline - attempt.started_at == timedelta(minutes=45)


def test_overdue_attempts_are_closed_and_saved_answers_graded(
    api_client_for, trainee, exam, questions
):
    api = api_client_for(trainee)
    attempt = start(api, exam)
    save(api, attempt["id"], questions[0].pk, "p2m7")
    save(api, attempt["id"], questions[2].pk, True)
    later = timezone.now() + timedelta(minutes=31)
    with time_machine.travel(later, tick=False):
        from exams.tasks import attempts_close_overdue_task

        assert attempts_close_overdue_task.delay().get() == 1
    closed = Attempt.objects.get(pk=attempt["id"])
    assert closed.status == Attempt.Status.GRADED  # an unanswered essay needs no grader
    assert closed.auto_submitted and closed.submitted_at == closed.deadline
    scores = dict(Response.objects.filter(attempt=closed).values_list("question_id", "score"))
    assert scores[questions[0].pk] == 1 and scores[questions[2].pk] == 1
    assert attempts_close_overdue(now=later) == 0


def test_submit_twice_gives_one_result(api_client_for, trainee, exam, questions):
    api = api_client_for(trainee)
    attempt = start(api, exam)
    save(api, attempt["id"], questions[0].pk, "p2m7")
    first = api.post(f"/api/v1/attempts/{attempt['id']}/submit/").json()
    second = api.post(f"/api/v1/attempts/{attempt['id']}/submit/").json()
    assert first == second
    assert AuditRecord.objects.filter(action="exams.attempt_submitted").count() == 1
    refused = save(api, attempt["id"], questions[1].pk, ["a1b2"])
    assert refused.status_code == 409


@pytest.mark.parametrize("persona", [None, "other_trainee", "other_instructor", "other_manager"])
def test_someone_elses_attempt_is_404(request, api_client_for, trainee, exam, questions, persona):
    attempt = attempt_start(exam=exam, user=trainee)
    user = request.getfixturevalue(persona) if persona else None
    api = api_client_for(user)
    expected = 401 if user is None else 404
    assert api.get(f"/api/v1/attempts/{attempt.pk}/").status_code == expected
    assert save(api, attempt.pk, questions[0].pk, "p2m7").status_code == expected
    assert api.post(f"/api/v1/attempts/{attempt.pk}/submit/").status_code == expected
    assert api.get(f"/api/v1/attempts/{attempt.pk}/result/").status_code == expected
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.STARTED


def test_exam_instructor_may_view_but_not_answer(
    api_client_for, trainee, instructor, exam, questions
):
    attempt = attempt_start(exam=exam, user=trainee)
    api = api_client_for(instructor)
    assert api.get(f"/api/v1/attempts/{attempt.pk}/").status_code == 200
    assert save(api, attempt.pk, questions[0].pk, "p2m7").status_code == 404


def test_question_not_on_paper_is_refused(api_client_for, trainee, exam):
    from .factories import QuestionFactory

    api = api_client_for(trainee)
    attempt = start(api, exam)
    response = save(api, attempt["id"], QuestionFactory().pk, "x")
    assert response.status_code == 400


def test_attempts_allowed_and_access_code(api_client_for, trainee, exam):
    exam.attempts_allowed = 1
    exam.access_code = "ROOM-3"
    exam.save()
    api = api_client_for(trainee)
    wrong = api.post(f"/api/v1/exams/{exam.pk}/attempts/", {"access_code": "x"}, format="json")
    assert wrong.status_code == 409
    assert wrong.json()["detail"] == message("The access code is not right. Ask the invigilator.")
    ok = api.post(f"/api/v1/exams/{exam.pk}/attempts/", {"access_code": "ROOM-3"}, format="json")
    assert ok.status_code == 201
    api.post(f"/api/v1/attempts/{ok.json()['id']}/submit/")
    again = api.post(f"/api/v1/exams/{exam.pk}/attempts/", {"access_code": "ROOM-3"}, format="json")
    assert again.status_code == 409


def test_window_and_wait_between_attempts(api_client_for, trainee, exam):
    exam.opens_at = timezone.now() + timedelta(hours=1)
    exam.save()
    api = api_client_for(trainee)
    early = api.post(f"/api/v1/exams/{exam.pk}/attempts/", {}, format="json")
    assert early.status_code == 409
    assert early.json()["detail"] == message("This exam is not open at this time.")
    exam.opens_at, exam.wait_minutes = None, 60
    exam.save()
    attempt = start(api, exam)
    api.post(f"/api/v1/attempts/{attempt['id']}/submit/")
    again = api.post(f"/api/v1/exams/{exam.pk}/attempts/", {}, format="json")
    assert again.status_code == 409 and again.json()["detail"]
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert api.post(f"/api/v1/exams/{exam.pk}/attempts/", {}, format="json").status_code == 201


def test_unpublished_exam_is_invisible(api_client_for, trainee, exam):
    exam.is_published = False
    exam.save()
    api = api_client_for(trainee)
    assert api.get("/api/v1/exams/").json()["count"] == 0
    assert api.post(f"/api/v1/exams/{exam.pk}/attempts/", {}, format="json").status_code == 404


def test_openapi_schema_lists_the_exam_contract(api_client_for, trainee):
    schema = api_client_for(trainee).get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"] if schema["Content-Type"].startswith("application/json") else {}
    text = schema.content.decode() if not paths else " ".join(paths)
    for path in (
        "/api/v1/exams/",
        "/api/v1/exams/{id}/attempts/",
        "/api/v1/attempts/{id}/",
        "/api/v1/attempts/{id}/responses/{question_id}/",
        "/api/v1/attempts/{id}/submit/",
        "/api/v1/attempts/{id}/result/",
    ):
        assert path in text


def test_late_manual_submit_counts_as_deadline_submit(trainee, exam):
    attempt = attempt_start(exam=exam, user=trainee)
    with time_machine.travel(attempt.deadline + timedelta(minutes=5)):
        from exams.services.attempts import attempt_submit

        attempt = attempt_submit(attempt=attempt, by=trainee)
    assert attempt.auto_submitted and attempt.submitted_at == attempt.deadline


@pytest.mark.parametrize("value", ["1e999999999", "-1e999999999", "NaN", "sNaN", "1e-999999999"])
def test_huge_numeric_answer_submits_and_scores_zero(
    api_client_for, trainee, exam, questions, value
):
    numeric = next(q for q in questions if q.kind == "numeric")
    api = api_client_for(trainee)
    attempt = start(api, exam)
    assert save(api, attempt["id"], numeric.pk, {"value": value, "unit": "kV"}).status_code == 200
    response = api.post(f"/api/v1/attempts/{attempt['id']}/submit/", {}, format="json")
    assert response.status_code == 200, response.content
    assert Response.objects.get(attempt_id=attempt["id"], question=numeric).score == 0


def test_overdue_closer_goes_on_past_a_failing_attempt(
    monkeypatch, trainee, other_trainee, exam, questions
):
    import exams.services.attempts as attempts_module

    first = attempt_start(exam=exam, user=trainee)
    second = attempt_start(exam=exam, user=other_trainee)
    Attempt.objects.filter(pk=second.pk).update(deadline=first.deadline + timedelta(seconds=1))
    real_grade = attempts_module.attempt_grade

    def grade(*, attempt):
        if attempt.pk == first.pk:
            raise RuntimeError("broken paper")
        return real_grade(attempt=attempt)

    monkeypatch.setattr(attempts_module, "attempt_grade", grade)
    later = timezone.now() + timedelta(minutes=45)
    assert attempts_close_overdue(now=later) == 1
    statuses = dict(Attempt.objects.values_list("pk", "status"))
    assert statuses[first.pk] == Attempt.Status.STARTED  # rolled back, retried next run
    assert statuses[second.pk] == Attempt.Status.GRADED
    monkeypatch.setattr(attempts_module, "attempt_grade", real_grade)
    assert attempts_close_overdue(now=later) == 1
    assert Attempt.objects.get(pk=first.pk).status == Attempt.Status.GRADED


def test_overdue_attempt_with_a_huge_numeric_answer_is_closed(trainee, exam, questions):
    numeric = next(q for q in questions if q.kind == "numeric")
    attempt = attempt_start(exam=exam, user=trainee)
    response_save(attempt=attempt, question_id=numeric.pk, answer={"value": "1e999999999"},
                  client_timestamp=1, by=trainee)  # fmt: skip
    with time_machine.travel(timezone.now() + timedelta(minutes=45), tick=False):
        assert attempts_close_overdue() == 1
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.GRADED
