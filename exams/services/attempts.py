"""Starting, saving, submitting and closing attempts. The server's clock rules."""

import logging
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exams.errors import AttemptClosedError
from exams.models import Accommodation, Attempt, AttemptQuestion, Exam, Response
from institute.audit import audit_record_create

from .drawing import paper_draw
from .grading_flow import attempt_grade
from .papers import layout_freeze
from .response_upsert import response_upsert

logger = logging.getLogger(__name__)


def _window(exam: Exam, accommodation: Accommodation | None):
    opens, closes = exam.opens_at, exam.closes_at
    if accommodation is not None:
        opens = accommodation.opens_at or opens
        closes = accommodation.closes_at or closes
    return opens, closes


def _check_may_start(*, exam, previous, access_code, accommodation, now) -> None:
    """`previous`: this person's attempts at this exam so far."""
    opens, closes = _window(exam, accommodation)
    if not exam.is_published:
        raise ValidationError(_("This exam is not open."))
    if (opens and now < opens) or (closes and now >= closes):
        raise ValidationError(_("This exam is not open at this time."))
    if exam.access_code and access_code.strip() != exam.access_code:
        raise ValidationError(_("The access code is not right. Ask the invigilator."))
    allowed = exam.attempts_allowed + (accommodation.extra_attempts if accommodation else 0)
    if len(previous) >= allowed:
        raise ValidationError(_("You have used all attempts at this exam."))
    last = max(previous, key=lambda attempt: attempt.started_at, default=None)
    if last and exam.wait_minutes:
        ready_at = (last.submitted_at or last.deadline) + timedelta(minutes=exam.wait_minutes)
        if now < ready_at:
            raise ValidationError(
                _("You may try again from %(time)s.")
                % {"time": timezone.localtime(ready_at).strftime("%Y-%m-%d %H:%M")}
            )


def attempt_deadline(*, exam, accommodation, started_at):
    minutes = exam.time_limit_minutes + (accommodation.extra_minutes if accommodation else 0)
    deadline = started_at + timedelta(minutes=minutes)
    _opens, closes = _window(exam, accommodation)
    return min(deadline, closes) if closes else deadline


@transaction.atomic
def attempt_start(*, exam: Exam, user, access_code: str = "") -> Attempt:
    """Start (or resume) an attempt: freeze the paper and set the server-side deadline.

    A new attempt carries its paper in `new_slots` (the payload needs no second read)."""
    # One start at a time per person: a double click cannot create two attempts.
    get_user_model().objects.select_for_update().only("pk").get(pk=user.pk)
    now = timezone.now()
    previous = list(Attempt.objects.filter(exam=exam, user=user))
    current = next((a for a in previous if a.status == Attempt.Status.STARTED), None)
    if current is not None and current.deadline >= now:
        return current
    if current is not None:
        attempt_submit(attempt=current, by=None, auto=True)  # overdue: close it before counting
    accommodation = Accommodation.objects.filter(exam=exam, user=user).first()
    _check_may_start(
        exam=exam, previous=previous, access_code=access_code, accommodation=accommodation, now=now
    )
    rng = random.SystemRandom()
    questions = paper_draw(exam=exam, rng=rng)
    attempt = Attempt(
        exam=exam,
        user=user,
        number=len(previous) + 1,
        started_at=now,
        deadline=attempt_deadline(exam=exam, accommodation=accommodation, started_at=now),
        max_points=sum(q.points for q in questions),
    )
    # Exam and user are the rows just read and locked, and the number is counted under the
    # person's lock (the database's unique constraint stays the backstop): checking them again
    # would cost three queries at the moment every candidate starts at once.
    attempt.full_clean(exclude=["exam", "user"])
    attempt.save()
    attempt.new_slots = AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt,
            question=question,
            position=index,
            layout=layout_freeze(question, shuffle=exam.shuffle_options, rng=rng),
        )
        for index, question in enumerate(questions, start=1)
    )
    audit_record_create(actor=user, action="exams.attempt_started", target=attempt)
    return attempt


def _refuse_if_closed(attempt: Attempt, now) -> None:
    if attempt.status != Attempt.Status.STARTED:
        raise AttemptClosedError(
            _("This attempt has been submitted; answers can no longer change."), code="closed"
        )
    if now > attempt.deadline:
        raise AttemptClosedError(
            _("Time is up: the answer arrived after the deadline and was not saved."), code="closed"
        )


def response_save(*, attempt: Attempt, question_id: int, answer, client_timestamp: int, by) -> dict:
    """Upsert the one response row; the save with the latest client timestamp wins.

    Returns the stored state (answer and revision) so a tab that lost the race is told.
    One statement, its own transaction: it writes only while the attempt is open, ordered
    against a submit by a row lock (see response_upsert), so no transaction is opened here.
    """
    now = timezone.now()
    _refuse_if_closed(attempt, now)  # as the caller read it; the statement checks it again
    revision = response_upsert(
        attempt_id=attempt.pk,
        question_id=question_id,
        answer=answer,
        client_timestamp=client_timestamp,
        now=now,
    )
    if revision is not None:
        return {
            "question": question_id,
            "answer": answer,
            "revision": revision,
            "saved_at": now,
            "accepted": True,
        }
    # Nothing written: the attempt closed meanwhile, a later save is kept (tell this tab), or
    # the question is not on the paper.
    _refuse_if_closed(Attempt.objects.only("status", "deadline").get(pk=attempt.pk), now)
    response = Response.objects.filter(attempt=attempt, question_id=question_id).first()
    if response is None:
        raise ValidationError(_("This question is not on your paper."))
    return {
        "question": question_id,
        "answer": response.answer,
        "revision": response.revision,
        "saved_at": response.saved_at,
        "accepted": False,
    }


@transaction.atomic
def attempt_submit(*, attempt: Attempt, by, auto: bool = False) -> Attempt:
    """Submit once: a conditional UPDATE that only one caller wins; others get the same result."""
    now = timezone.now()
    # Past the deadline, the paper is what was saved by the deadline, whoever submits it.
    auto = auto or now > attempt.deadline
    won = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.STARTED).update(
        status=Attempt.Status.SUBMITTED,
        submitted_at=min(now, attempt.deadline) if auto else now,
        auto_submitted=auto,
    )
    attempt.refresh_from_db()
    if won:
        audit_record_create(
            actor=by,
            action="exams.attempt_submitted",
            target=attempt,
            reason=_("deadline reached") if auto else "",
        )
        attempt_grade(attempt=attempt)
    return attempt


def attempts_close_overdue(*, now=None) -> int:
    """Submit every attempt past its deadline with what was saved (the periodic task)."""
    now = now or timezone.now()
    overdue = Attempt.objects.filter(status=Attempt.Status.STARTED, deadline__lt=now)
    closed = 0
    for attempt in list(overdue.order_by("deadline", "pk").only("pk", "deadline")):
        try:
            result = attempt_submit(attempt=attempt, by=None, auto=True)
        except Exception:
            # One broken attempt (rolled back, retried next run) must not hold up the others.
            logger.exception("Could not close overdue attempt %s", attempt.pk)
            continue
        closed += int(result.auto_submitted)
    return closed
