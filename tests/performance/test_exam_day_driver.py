"""The exam-day benchmark end to end on a tiny scale: the separate driver process against a live
server, and the database check of every acknowledged answer."""

import pytest

from exams.benchmark import run_exam_day
from exams.models import Attempt, Response


@pytest.mark.django_db(transaction=True)
def test_exam_day_driver_saves_every_answer_through_a_separate_process(live_server):
    # One candidate on SQLite (its single writer answers concurrent starts with "locked");
    # the full-size runs use PostgreSQL.
    figures = run_exam_day(
        candidates=1, answers=3, base_url=live_server.url, think_ms=(0, 5), time_limit_s=60
    )

    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["timed_out"] is False
    assert figures["start"]["count"] == 1
    assert figures["save"]["count"] == 3
    assert figures["submit"]["count"] == 1
    assert figures["acknowledged_answers"] == 3
    assert figures["lost_answers"] == 0
    assert figures["attempts_graded"] == 1
    assert Response.objects.filter(attempt__in=Attempt.objects.all()).count() == 3


def test_exam_day_driver_refuses_a_server_off_this_machine():
    with pytest.raises(ValueError, match="on this machine"):
        run_exam_day(candidates=1, answers=1, base_url="http://example.com")
