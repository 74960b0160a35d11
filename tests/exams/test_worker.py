from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from exams.models import Attempt, Response
from exams.services.attempts import attempt_start, response_save
from exams.tasks import attempts_close_overdue_task
from tests.conftest import wait_for
from tests.factories import make_user
from trainees import roles

from .factories import QuestionFactory, exam_with_questions


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_closes_overdue_attempt_and_grades_saved_answers(celery_worker_process):
    Group.objects.get_or_create(name=roles.TRAINEE)
    trainee = make_user()
    single, truefalse = QuestionFactory(kind="single"), QuestionFactory(kind="truefalse")
    exam = exam_with_questions([single, truefalse])
    attempt = attempt_start(exam=exam, user=trainee)
    response_save(
        attempt=attempt, question_id=single.pk, answer="p2m7", client_timestamp=1, by=trainee
    )
    # The candidate's browser is gone; the deadline passes with one answer saved.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    attempts_close_overdue_task.delay()
    closed = wait_for(
        lambda: Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.GRADED).first()
    )
    assert closed.auto_submitted and closed.score_percent == 50
    assert Response.objects.get(attempt=attempt, question=single).score == 1
    assert "exams.attempts_close_overdue" in celery_worker_process["log"].read_text()
