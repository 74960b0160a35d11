import math

import pytest

from exams.models import ItemAnalysis
from exams.services.analysis import item_statistics, reliability
from exams.services.attempts import attempt_start, attempt_submit, response_save
from tests.factories import make_user

from .factories import QuestionFactory, exam_with_questions

# Four candidates, three right/wrong items (worked by hand in the docstring below).
MATRIX = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]


def test_kr20_and_alpha_hand_computed():
    """p = .75/.5/.25, sum pq = .625; totals 3,2,1,0: variance 1.25; KR-20 = 3/2 (1 - .5) = .75."""
    result = reliability(MATRIX)
    assert result["kr20"] == pytest.approx(0.75)
    assert result["alpha"] == pytest.approx(0.75)  # alpha equals KR-20 on 0/1 items


def test_corrected_point_biserial_hand_computed():
    """Item 1 vs rest (2,1,0,0): cov .1875, var .1875 and .6875: r = sqrt(.1875/.6875) = .5222."""
    scores = {index: dict(enumerate(row)) for index, row in enumerate(MATRIX)}
    stats = item_statistics(scores)
    assert stats[0]["facility"] == 0.75 and stats[2]["facility"] == 0.25
    assert stats[0]["discrimination"] == pytest.approx(math.sqrt(0.1875 / 0.6875))


def test_item_1_rest_correlation_for_middle_item():
    """Item 2 (1,1,0,0) vs rest (2,1,1,0): cov .25, var .25 and .5: r = .25/sqrt(.125) = .7071."""
    scores = {index: dict(enumerate(row)) for index, row in enumerate(MATRIX)}
    assert item_statistics(scores)[1]["discrimination"] == pytest.approx(0.25 / math.sqrt(0.125))


@pytest.mark.django_db
def test_item_analysis_task_on_real_attempts(officer, client_for, instructor, other_instructor):
    questions = [QuestionFactory(kind="truefalse") for _ in range(3)]
    exam = exam_with_questions(questions)
    exam.instructors.add(instructor)
    for row in MATRIX:
        user = make_user()
        attempt = attempt_start(exam=exam, user=user)
        for question, right in zip(questions, row, strict=True):
            response_save(
                attempt=attempt,
                question_id=question.pk,
                answer=bool(right),
                client_timestamp=1,
                by=user,
            )
        attempt_submit(attempt=attempt, by=user)
    from exams.tasks import item_analysis_compute_task

    item_analysis_compute_task.delay(exam.pk)
    data = ItemAnalysis.objects.get(exam=exam).data
    assert data["candidates"] == 4 and data["kr20"] == pytest.approx(0.75)
    assert data["mean"] == 1.5 and data["sd"] == pytest.approx(math.sqrt(1.25))
    assert [round(q["facility"], 2) for q in data["questions"]] == [0.75, 0.5, 0.25]
    assert data["questions"][0]["options"] == {"True": 3, "False": 1}
    page = client_for(instructor).get(f"/en/exams/{exam.pk}/analysis/")
    assert page.status_code == 200 and b"0.75" in page.content
    assert client_for(other_instructor).get(f"/en/exams/{exam.pk}/analysis/").status_code == 404
    assert client_for(officer).get(f"/en/exams/{exam.pk}/analysis/").status_code == 200
