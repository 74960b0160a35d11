"""Races on PostgreSQL (row locks). SQLite serialises writers, so these run in CI on PostgreSQL."""

import threading

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connections

from exams.errors import AttemptClosedError
from exams.models import Attempt, Response
from exams.services.attempts import attempt_start, attempt_submit, response_save
from institute.models import AuditRecord
from tests.factories import make_user
from trainees import roles

from .factories import QuestionFactory, exam_with_questions

# Decided at collection, so on SQLite no transactional database is set up (and flushed) at all.
pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="row-lock races need PostgreSQL (CI runs them there)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _role_groups():
    # transactional tests flush the tables, including the role groups a migration created
    Group.objects.get_or_create(name=roles.TRAINEE)


def run_together(*functions):
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def runner(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # noqa: BLE001 - the test inspects what each side got
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_two_simultaneous_submits_give_one_result():
    trainee = make_user()
    question = QuestionFactory(kind="single")
    exam = exam_with_questions([question])
    for _ in range(5):
        attempt = attempt_start(exam=exam, user=trainee)
        response_save(
            attempt=attempt, question_id=question.pk, answer="p2m7", client_timestamp=1, by=trainee
        )
        first, second = run_together(
            lambda a=attempt: attempt_submit(attempt=Attempt.objects.get(pk=a.pk), by=trainee),
            lambda a=attempt: attempt_submit(attempt=Attempt.objects.get(pk=a.pk), by=trainee),
        )
        assert isinstance(first, Attempt) and isinstance(second, Attempt)
        assert (
            first.submitted_at == second.submitted_at
            and first.score_percent == second.score_percent == 100
        )
        submitted = AuditRecord.objects.filter(
            action="exams.attempt_submitted", object_id=str(attempt.pk)
        )
        assert submitted.count() == 1
        exam.attempts_allowed += 1
        exam.save()


def test_save_racing_submit_never_loses_an_accepted_answer():
    question = QuestionFactory(kind="single")
    exam = exam_with_questions([question], attempts_allowed=20)
    trainee = make_user()
    outcomes = set()
    for _ in range(10):
        attempt = attempt_start(exam=exam, user=trainee)
        saved, submitted = run_together(
            lambda a=attempt: response_save(
                attempt=a, question_id=question.pk, answer="p2m7", client_timestamp=1, by=trainee
            ),
            lambda a=attempt: attempt_submit(attempt=Attempt.objects.get(pk=a.pk), by=trainee),
        )
        assert isinstance(submitted, Attempt), submitted
        final = Attempt.objects.get(pk=attempt.pk)
        if isinstance(saved, AttemptClosedError):
            outcomes.add("refused")
            assert final.score_percent == 0
        else:
            assert saved["accepted"], saved
            outcomes.add("accepted")
            assert Response.objects.get(attempt=attempt, question=question).score == 1
            assert final.score_percent == 100
    assert outcomes  # each round ends in exactly one of the two consistent states
