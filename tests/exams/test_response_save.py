"""The answer save is one statement that checks the attempt itself: a caller holding a stale
attempt (read before a submit or before the deadline passed) cannot write into a closed one."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from exams.errors import AttemptClosedError
from exams.models import Attempt, Response
from exams.services.attempts import attempt_start, attempt_submit, response_save
from tests.factories import make_user

from .factories import QuestionFactory, exam_with_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def started():
    question = QuestionFactory(kind="single")
    trainee = make_user()
    attempt = attempt_start(exam=exam_with_questions([question]), user=trainee)
    return attempt, question, trainee


def _save(attempt, question, trainee, answer="p2m7", client_timestamp=1):
    return response_save(
        attempt=attempt,
        question_id=question.pk,
        answer=answer,
        client_timestamp=client_timestamp,
        by=trainee,
    )


def test_save_with_an_attempt_read_before_the_submit_is_refused_and_writes_nothing(started):
    attempt, question, trainee = started
    stale = Attempt.objects.get(pk=attempt.pk)
    attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk), by=trainee)

    with pytest.raises(AttemptClosedError):
        _save(stale, question, trainee)

    assert Response.objects.get(attempt=attempt, question=question).answer is None


def test_save_with_an_attempt_read_before_the_deadline_passed_is_refused(started):
    attempt, question, trainee = started
    stale = Attempt.objects.get(pk=attempt.pk)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))

    with pytest.raises(AttemptClosedError):
        _save(stale, question, trainee)

    assert not Response.objects.filter(attempt=attempt).exists()


def test_older_save_is_not_written_and_the_stored_answer_is_returned(started):
    attempt, question, trainee = started
    _save(attempt, question, trainee, answer="new", client_timestamp=5)

    older = _save(attempt, question, trainee, answer="old", client_timestamp=4)

    assert older["accepted"] is False
    assert (older["answer"], older["revision"]) == ("new", 1)
    assert Response.objects.get(attempt=attempt, question=question).answer == "new"


def test_question_of_another_paper_is_refused(started):
    attempt, _question, trainee = started
    elsewhere = QuestionFactory(kind="single")

    with pytest.raises(ValidationError):
        _save(attempt, elsewhere, trainee)

    assert not Response.objects.filter(attempt=attempt).exists()
