"""Query budgets of the three exam-day calls, the same for a short and a long paper: at exam
start 1,000 candidates call `start` in the same second, so each query there counts."""

import pytest

from exams.models import Attempt

from .factories import QuestionFactory, exam_with_questions

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [2, 20])
def test_start_budget(api_client_for, trainee, size, django_assert_num_queries):
    exam = exam_with_questions([QuestionFactory(kind="single") for _ in range(size)])
    client = api_client_for(trainee)

    with django_assert_num_queries(12):
        response = client.post(f"/api/v1/exams/{exam.pk}/attempts/", {}, format="json")

    assert response.status_code == 201
    assert len(response.json()["questions"]) == size


@pytest.mark.parametrize("size", [2, 20])
def test_submit_budget(api_client_for, trainee, size, django_assert_num_queries):
    exam = exam_with_questions([QuestionFactory(kind="single") for _ in range(size)])
    client = api_client_for(trainee)
    paper = client.post(f"/api/v1/exams/{exam.pk}/attempts/", {}, format="json").json()
    first = paper["questions"][0]
    saved = {"answer": first["options"][0]["id"], "client_timestamp": 1}
    client.put(f"/api/v1/attempts/{paper['id']}/responses/{first['id']}/", saved, format="json")

    with django_assert_num_queries(15):
        response = client.post(f"/api/v1/attempts/{paper['id']}/submit/")

    assert response.status_code == 200
    attempt = Attempt.objects.get(pk=paper["id"])
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.responses.count() == size  # every slot has its graded row
