from decimal import Decimal

import pytest

from exams.models import Attempt, Question, Response
from exams.services.attempts import attempt_start, attempt_submit, response_save
from exams.services.bank import question_revise
from exams.services.grading import grade_answer
from exams.services.grading_flow import question_regrade, response_grade_manual
from institute.models import AuditRecord

from .factories import QUESTION_DATA, QuestionFactory, exam_with_questions


def q(kind, **data):
    return Question(kind=kind, points=1, data={**QUESTION_DATA[kind], **data})


@pytest.mark.parametrize(
    ("kind", "answer", "expected"),
    [
        ("single", "p2m7", "1"),
        ("single", "k3x9", "0"),
        ("multiple", ["a1b2", "c3d4"], "1"),
        ("multiple", ["a1b2"], "0.5"),
        ("multiple", ["a1b2", "e5f6"], "0"),  # a wrong option costs, never below zero
        ("multiple", ["a1b2", "c3d4", "e5f6"], "0"),
        ("truefalse", True, "1"),
        ("truefalse", "false", "0"),
        ("numeric", {"value": "233.5", "unit": "V"}, "1"),  # inside the 5 V tolerance
        ("numeric", {"value": "0.228", "unit": "kV"}, "1"),  # unit converted
        ("numeric", {"value": "236", "unit": "V"}, "0"),  # outside the tolerance
        ("numeric", {"value": "abc"}, "0"),
        ("shorttext", "  Calibration ", "1"),  # case and spaces ignored
        ("shorttext", "calibrate", "0.5"),  # wildcard partial credit
        ("shorttext", "verification", "0"),
        ("matching", {"m1": "household appliances", "m2": "medical electrical equipment"}, "1"),
        ("matching", {"m1": "household appliances", "m2": "toys"}, "0.5"),
        ("ordering", ["o7", "o2", "o9", "o4"], "1"),
        ("ordering", ["o2", "o7", "o9", "o4"], "0"),
        ("single", None, "0"),
    ],
)
def test_grading_per_type(kind, answer, expected):
    assert grade_answer(q(kind), answer) == Decimal(expected)


def test_all_or_nothing_multiple_and_partial_ordering():
    assert grade_answer(q("multiple", all_or_nothing=True), ["a1b2"]) == 0
    assert grade_answer(q("ordering", all_or_nothing=False), ["o7", "o2", "o4", "o9"]) == Decimal(
        "0.5"
    )
    assert grade_answer(q("shorttext", case_sensitive=True), "Calibration") == 0


def test_essay_needs_a_person():
    assert grade_answer(q("essay"), "The enclosure was live.") is None


@pytest.mark.django_db
def test_essay_goes_to_queue_and_result_is_released_when_graded(
    trainee, instructor, other_instructor, client_for
):
    essay = QuestionFactory(kind="essay", points=4)
    single = QuestionFactory(kind="single")
    exam = exam_with_questions([essay, single], pass_mark=50)
    exam.instructors.add(instructor)
    attempt = attempt_start(exam=exam, user=trainee)
    response_save(
        attempt=attempt,
        question_id=essay.pk,
        answer="Live enclosure",
        client_timestamp=1,
        by=trainee,
    )
    response_save(
        attempt=attempt, question_id=single.pk, answer="p2m7", client_timestamp=1, by=trainee
    )
    attempt = attempt_submit(attempt=attempt, by=trainee)
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.released_at is None
    assert (
        client_for(other_instructor).get("/en/exams/grading/").content.count(b"Live enclosure") == 0
    )
    page = client_for(instructor).get("/en/exams/grading/")
    assert b"Live enclosure" in page.content
    response = Response.objects.get(attempt=attempt, question=essay)
    response_grade_manual(
        response=response, points=3, comment="Good", rubric_scores={}, by=instructor
    )
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.released_at is not None
    assert attempt.score_percent == Decimal("80.00") and attempt.passed
    assert attempt.graded_by == instructor


@pytest.mark.django_db
def test_grading_queue_refuses_other_instructors(trainee, instructor, other_instructor, client_for):
    essay = QuestionFactory(kind="essay")
    exam = exam_with_questions([essay])
    exam.instructors.add(instructor)
    attempt = attempt_start(exam=exam, user=trainee)
    response_save(
        attempt=attempt, question_id=essay.pk, answer="text", client_timestamp=1, by=trainee
    )
    attempt_submit(attempt=attempt, by=trainee)
    response = Response.objects.get(attempt=attempt)
    url = f"/en/exams/grading/{response.pk}/"
    assert client_for(other_instructor).post(url, {"points": 1}).status_code == 404
    assert client_for(trainee).post(url, {"points": 1}).status_code == 404
    assert client_for(instructor).post(url, {"points": 1}).status_code == 302
    response.refresh_from_db()
    assert response.score == 1


@pytest.mark.django_db
def test_regrade_after_key_fix_recomputes_with_audit(trainee, officer):
    single = QuestionFactory(kind="single")
    exam = exam_with_questions([single])
    attempt = attempt_start(exam=exam, user=trainee)
    response_save(
        attempt=attempt, question_id=single.pk, answer="k3x9", client_timestamp=1, by=trainee
    )
    attempt = attempt_submit(attempt=attempt, by=trainee)
    assert attempt.score_percent == 0
    fixed = {
        "options": [
            {**o, "fraction": 1 if o["id"] == "k3x9" else 0} for o in single.data["options"]
        ]
    }
    assert question_regrade(question=single, data=fixed, reason="Key was wrong", by=officer) == 1
    attempt.refresh_from_db()
    assert attempt.score_percent == 100 and attempt.passed
    record = AuditRecord.objects.get(action="exams.attempt_regraded")
    assert record.reason == "Key was wrong" and record.data == {"before": "0.00", "after": "100.00"}


@pytest.mark.django_db
def test_editing_an_active_question_creates_a_version_attempts_keep_theirs(trainee, instructor):
    single = QuestionFactory(kind="single")
    exam = exam_with_questions([single])
    attempt = attempt_start(exam=exam, user=trainee)
    new = question_revise(question=single, changes={"stem_en": "<p>Changed</p>"}, by=instructor)
    assert (new.version, new.lineage, new.is_current) == (2, single.lineage, True)
    single.refresh_from_db()
    assert not single.is_current and single.stem_en != "<p>Changed</p>"
    assert attempt.slots.get().question_id == single.pk


@pytest.mark.django_db
def test_result_email_sent_once_in_both_languages(
    trainee, mailoutbox, django_capture_on_commit_callbacks
):
    single = QuestionFactory(kind="single")
    exam = exam_with_questions([single], title_zh="电气安全考试", title_en="Electrical safety exam")
    attempt = attempt_start(exam=exam, user=trainee)
    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(attempt=attempt, by=trainee)
        attempt_submit(attempt=attempt, by=trainee)
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "电气安全考试" in body and "Electrical safety exam" in body and "not passed" in body
    assert mailoutbox[0].to == [trainee.email]
