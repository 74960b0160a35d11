import pytest

from exams.models import Exam
from exams.services.attempts import attempt_start, attempt_submit, response_save

from .factories import QuestionFactory, exam_with_questions


def test_exam_page_html_has_no_keys_for_any_type(client_for, trainee, exam):
    attempt = attempt_start(exam=exam, user=trainee)
    page = client_for(trainee).get(f"/en/exams/attempts/{attempt.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="exam-question"') == 8
    for secret in ("SECRET", "fraction", "explanation", '"correct"', "tolerance", "rubric"):
        assert secret not in html
    # the matching key (prompt -> answer) is not in the markup: choices are one shared list
    assert html.count("household appliances") == 3  # each prompt's <select> and the JSON list


def test_result_page_follows_review_policy(client_for, trainee, exam, questions):
    attempt = attempt_start(exam=exam, user=trainee)
    response_save(
        attempt=attempt, question_id=questions[0].pk, answer="p2m7", client_timestamp=1, by=trainee
    )
    attempt_submit(attempt=attempt, by=trainee)
    client = client_for(trainee)
    for show in Exam.ReviewShow.values:
        exam.review_show = show
        exam.save()
        html = client.get(f"/en/exams/attempts/{attempt.pk}/result/").content.decode()
        assert "Score:" in html
        assert ("SECRET-EXPLANATION" in html) == (show == "full")
    exam.review_when = Exam.ReviewWhen.NEVER
    exam.review_show = Exam.ReviewShow.FULL
    exam.save()
    html = client.get(f"/en/exams/attempts/{attempt.pk}/result/").content.decode()
    assert "SECRET-EXPLANATION" not in html and "Score:" in html


def test_result_api_has_no_keys_before_release(api_client_for, trainee, instructor):
    essay, single = QuestionFactory(kind="essay"), QuestionFactory(kind="single")
    exam = exam_with_questions([essay, single], review_show="full")
    attempt = attempt_start(exam=exam, user=trainee)
    response_save(
        attempt=attempt, question_id=essay.pk, answer="text", client_timestamp=1, by=trainee
    )
    attempt_submit(attempt=attempt, by=trainee)
    body = api_client_for(trainee).get(f"/api/v1/attempts/{attempt.pk}/result/").json()
    assert body["released"] is False and body["score_percent"] is None and body["questions"] == []


def test_exam_list_page(client_for, trainee, exam, django_assert_max_num_queries):
    client = client_for(trainee)
    with django_assert_max_num_queries(24):
        page = client.get("/en/exams/")
    assert exam.title_en.encode() in page.content
    for _ in range(5):
        exam_with_questions([QuestionFactory()])
    with django_assert_max_num_queries(24):
        client.get("/en/exams/")


def test_exam_page_queries_do_not_grow_with_questions(
    client_for, trainee, django_assert_max_num_queries
):
    small = exam_with_questions([QuestionFactory() for _ in range(3)])
    large = exam_with_questions([QuestionFactory() for _ in range(30)])
    client = client_for(trainee)
    for exam in (small, large):
        attempt = attempt_start(exam=exam, user=trainee)
        with django_assert_max_num_queries(24):
            assert client.get(f"/en/exams/attempts/{attempt.pk}/").status_code == 200


@pytest.mark.parametrize("persona", ["other_trainee", "other_instructor", "other_manager"])
def test_other_people_get_404_on_pages(request, client_for, trainee, exam, persona):
    attempt = attempt_start(exam=exam, user=trainee)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/en/exams/attempts/{attempt.pk}/").status_code == 404
    assert client.get(f"/en/exams/attempts/{attempt.pk}/result/").status_code == 404
    assert client.get(f"/en/exams/{exam.pk}/analysis/").status_code == 404


def test_anonymous_is_sent_to_login(client_for, trainee, exam):
    attempt = attempt_start(exam=exam, user=trainee)
    response = client_for(None).get(f"/en/exams/attempts/{attempt.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_start_from_page_redirects_to_attempt(client_for, trainee, exam):
    response = client_for(trainee).post(f"/en/exams/{exam.pk}/start/")
    assert response.status_code == 302 and "/exams/attempts/" in response["Location"]


def test_import_page_for_instructor_only(client_for, instructor, trainee):
    from django.core.files.uploadedfile import SimpleUploadedFile

    gift = SimpleUploadedFile("q.gift", "::Q::电压 230 V 是交流电吗?{T}".encode())
    assert client_for(trainee).get("/en/exams/import/").status_code == 404
    page = client_for(instructor).post(
        "/en/exams/import/", {"file": gift, "category": "电气", "format": "gift"}
    )
    assert "Created 1 question(s)." in page.content.decode()


def test_full_review_shows_option_texts(client_for, trainee, exam, questions):
    attempt = attempt_start(exam=exam, user=trainee)
    response_save(
        attempt=attempt, question_id=questions[0].pk, answer="k3x9", client_timestamp=1, by=trainee
    )
    attempt_submit(attempt=attempt, by=trainee)
    exam.review_show = Exam.ReviewShow.FULL
    exam.save()
    html = client_for(trainee).get(f"/en/exams/attempts/{attempt.pk}/result/").content.decode()
    assert f'data-testid="answer-{questions[0].pk}">1 000 V<' in html
    assert "1 500 V" in html  # the right answer, shown once the policy allows


def test_review_after_close_waits_for_the_last_accommodation_window(
    client_for, api_client_for, trainee, other_trainee
):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from exams.models import Accommodation

    now = timezone.now()
    question = QuestionFactory(kind="single")
    exam = exam_with_questions(
        [question], review_when="after_close", review_show="full",
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=1),
    )  # fmt: skip
    # A make-up candidate sits until three hours from now.
    Accommodation.objects.create(exam=exam, user=other_trainee, closes_at=now + timedelta(hours=3))
    attempt = attempt_start(exam=exam, user=trainee)
    response_save(
        attempt=attempt, question_id=question.pk, answer="p2m7", client_timestamp=1, by=trainee
    )
    attempt_submit(attempt=attempt, by=trainee)
    page_url, api_url = (
        f"/en/exams/attempts/{attempt.pk}/result/",
        f"/api/v1/attempts/{attempt.pk}/result/",
    )
    for hours, shown in ((2, False), (3.5, True)):
        with time_machine.travel(now + timedelta(hours=hours), tick=False):
            html = client_for(trainee).get(page_url).content.decode()
            body = api_client_for(trainee).get(api_url).json()
        assert ("SECRET-EXPLANATION" in html) == shown
        assert ("1 500 V" in html) == shown
        assert bool(body["questions"]) == shown and body["released"] is True
