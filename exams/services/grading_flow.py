"""Grading an attempt: automatic scores, the manual queue for essays, release and regrade."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exams.models import Attempt, AttemptQuestion, Question, Response
from institute import outbox
from institute.audit import audit_record_create

from .grading import grade_answer


def _score_responses(attempt: Attempt) -> list[Response]:
    """Give every slot a response row and grade the objective ones (three queries for the
    paper, whatever its length: read, insert the unanswered, update the scores)."""
    slots = AttemptQuestion.objects.filter(attempt=attempt).select_related("question")
    responses = {r.question_id: r for r in Response.objects.filter(attempt=attempt)}
    now = timezone.now()
    unanswered, scored = [], []
    for slot in slots:
        response = responses.get(slot.question_id)
        if response is None:
            response = Response(attempt=attempt, question=slot.question, answer=None, saved_at=now)
            unanswered.append(response)
        fraction = grade_answer(slot.question, response.answer)
        if fraction is None and response.answer in (None, ""):
            fraction = Decimal(0)  # an empty essay needs no grader
        if fraction is not None:
            response.fraction = fraction
            response.score = (fraction * slot.question.points).quantize(Decimal("0.01"))
            if response.pk is not None:
                scored.append(response)
    Response.objects.bulk_create(unanswered)
    # Only the scores: the answers were read under the submit (no save writes after it).
    Response.objects.bulk_update(scored, ["fraction", "score"])
    return list(responses.values()) + unanswered


def attempt_finalize(*, attempt: Attempt, by=None, responses: list | None = None) -> Attempt:
    """Total the scores and release the result once nothing waits for a grader.

    `responses`: the attempt's responses when the caller has just read them."""
    if responses is None:
        responses = list(Response.objects.filter(attempt=attempt))
    if any(r.score is None for r in responses):
        return attempt
    total = sum((r.score for r in responses), Decimal(0))
    percent = (total / attempt.max_points * 100) if attempt.max_points else Decimal(0)
    now = timezone.now()
    attempt.score_points = total
    attempt.score_percent = percent.quantize(Decimal("0.01"))
    attempt.passed = attempt.score_percent >= attempt.exam.pass_mark
    attempt.status = Attempt.Status.GRADED
    attempt.graded_at = now
    attempt.graded_by = by if by is not None and by.is_authenticated else attempt.graded_by
    first_release = attempt.released_at is None
    attempt.released_at = attempt.released_at or now
    # Exam, person and number do not change when grading: not checked again (three queries).
    attempt.full_clean(exclude=["exam", "user", "number"])
    attempt.save()
    audit_record_create(
        actor=by,
        action="exams.attempt_graded",
        target=attempt,
        data={"score_percent": str(attempt.score_percent), "passed": attempt.passed},
    )
    if first_release:
        from exams.tasks import attempt_result_email_send_task

        outbox.enqueue(attempt_result_email_send_task, attempt.pk)
    return attempt


def attempt_grade(*, attempt: Attempt) -> Attempt:
    return attempt_finalize(attempt=attempt, responses=_score_responses(attempt))


@transaction.atomic
def response_grade_manual(
    *, response: Response, points, comment: str, rubric_scores: dict, by
) -> Response:
    """An instructor grades an essay; the attempt is released when it was the last one."""
    response = (
        Response.objects.select_for_update()
        .select_related("question", "attempt")
        .get(pk=response.pk)
    )
    maximum = response.question.points
    try:
        points = Decimal(str(points))
    except ArithmeticError as error:
        raise ValidationError(_("Enter the points as a number.")) from error
    if not Decimal(0) <= points <= maximum:
        raise ValidationError(_("Points must be between 0 and %(max)s.") % {"max": maximum})
    if response.attempt.status == Attempt.Status.STARTED:
        raise ValidationError(_("This attempt is still in progress."))
    response.score = points
    response.fraction = (points / maximum).quantize(Decimal("0.00001"))
    response.grader_comment = comment
    response.rubric_scores = rubric_scores or {}
    response.graded_by = by
    response.save()
    audit_record_create(
        actor=by,
        action="exams.response_graded",
        target=response.attempt,
        data={"question": response.question_id, "points": str(points)},
    )
    attempt_finalize(attempt=Attempt.objects.select_for_update().get(pk=response.attempt_id), by=by)
    return response


@transaction.atomic
def question_regrade(*, question: Question, data: dict, reason: str, by) -> int:
    """Fix the key of a question version and recompute every attempt that showed it."""
    question.data = data
    question.full_clean()
    question.save(update_fields=["data"])
    audit_record_create(actor=by, action="exams.question_fixed", target=question, reason=reason)
    changed = 0
    attempts = Attempt.objects.filter(slots__question=question).exclude(
        status=Attempt.Status.STARTED
    )
    for attempt in attempts.select_for_update():
        before = attempt.score_percent
        for response in Response.objects.filter(attempt=attempt, question=question):
            fraction = grade_answer(question, response.answer)
            if fraction is not None:
                response.fraction = fraction
                response.score = (fraction * question.points).quantize(Decimal("0.01"))
                response.save(update_fields=["fraction", "score"])
        attempt_finalize(attempt=attempt, by=by)
        if attempt.score_percent != before:
            changed += 1
            audit_record_create(
                actor=by,
                action="exams.attempt_regraded",
                target=attempt,
                reason=reason,
                data={"before": str(before), "after": str(attempt.score_percent)},
            )
    return changed
