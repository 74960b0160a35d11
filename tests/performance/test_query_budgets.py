"""Query budgets of the hot pages: the exact count, the same at a small and a larger data size.

Each page is asked for twice: the first request fills the per-process caches (Wagtail site
root paths, site settings), the second is measured, as a warm server would answer it. A change
that adds a query per row (an N+1) fails at the larger size; a change that adds a fixed query
fails both and the budget is then raised on purpose, in review.
"""

import pytest
from django.utils import timezone
from wagtail.models import Page, Site

from cms.models import HomePage, NewsIndexPage, NewsPage
from courses import services as course_services
from exams.services.attempts import attempt_start, response_save
from tests.courses.factories import catalogue, make_course, make_session
from tests.exams.factories import QuestionFactory, exam_with_questions
from tests.factories import make_user
from trainees import roles
from trainees.models import TraineeProfile

SIZES = [2, 20]


def _measured(client, url, django_assert_num_queries, budget, method="get", **kwargs):
    """Warm request, then the measured one under the exact budget; returns its response."""
    send = getattr(client, method)
    send(url, **kwargs)
    with django_assert_num_queries(budget):
        response = send(url, **kwargs)
    assert response.status_code == 200, response.content[:500]
    return response


# --- CMS pages ---------------------------------------------------------------------------------


def _home_with_news(count: int) -> HomePage:
    root = Page.get_first_root_node()
    home = HomePage(title="首页", slug="home-bench", hero_title="培养检验检测认证人才")
    root.add_child(instance=home)
    Site.objects.filter(is_default_site=True).update(root_page=home)
    news = NewsIndexPage(title="新闻", slug="news")
    home.add_child(instance=news)
    for number in range(count):
        news.add_child(
            instance=NewsPage(title=f"新闻{number}", slug=f"news-{number}", date=timezone.now())
        )
    return home


@pytest.mark.parametrize("size", SIZES)
def test_home_page_budget(client_for, trainee, size, django_assert_num_queries):
    """Uncached: a signed-in person (anonymous visitors are served from the page cache)."""
    _home_with_news(size)
    _measured(client_for(trainee), "/", django_assert_num_queries, 4)


@pytest.mark.parametrize("size", SIZES)
def test_lesson_page_budget(client_for, trainee, size, django_assert_num_queries):
    _home_with_news(0)  # the site's root is a home page, as deployed
    course, lessons = make_course(modules=2, lessons=size // 2)
    course_services.enrolment_create(user=trainee, course=course, by=trainee)
    for lesson in lessons[: size // 2]:
        course_services.lesson_complete(user=trainee, lesson=lesson)
    _measured(client_for(trainee), lessons[-1].url, django_assert_num_queries, 5)


# --- Courses -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_catalogue_budget(client_for, trainee, size, django_assert_num_queries):
    for _ in range(size):
        course, _ = make_course(modules=1, lessons=1, capacity=30)
        course_services.enrolment_create(user=trainee, course=course, by=trainee)
    _measured(client_for(trainee), catalogue().url, django_assert_num_queries, 9)


@pytest.mark.parametrize("size", SIZES)
def test_course_home_budget(client_for, trainee, size, django_assert_num_queries):
    course, lessons = make_course(modules=2, lessons=size // 2)
    course_services.enrolment_create(user=trainee, course=course, by=trainee)
    for lesson in lessons[: size // 2]:
        course_services.lesson_complete(user=trainee, lesson=lesson)
    _measured(client_for(trainee), course.url, django_assert_num_queries, 20)


@pytest.mark.parametrize("size", SIZES)
def test_my_learning_budget(client_for, trainee, size, django_assert_num_queries):
    for _ in range(size):
        course, lessons = make_course(modules=1, lessons=1)
        course_services.enrolment_create(user=trainee, course=course, by=trainee)
        course_services.session_book(session=make_session(course), user=trainee)
        course_services.lesson_complete(user=trainee, lesson=lessons[0])
    _measured(client_for(trainee), "/learning/", django_assert_num_queries, 9)


@pytest.mark.parametrize("size", SIZES)
def test_course_list_api_budget(api_client_for, trainee, size, django_assert_num_queries):
    for _ in range(size):
        make_course(modules=1, lessons=1)
    _measured(api_client_for(trainee), "/api/v1/courses/", django_assert_num_queries, 5)


@pytest.mark.parametrize("size", SIZES)
def test_my_enrolments_api_budget(api_client_for, trainee, size, django_assert_num_queries):
    for _ in range(size):
        course, lessons = make_course(modules=1, lessons=1)
        course_services.enrolment_create(user=trainee, course=course, by=trainee)
        course_services.lesson_complete(user=trainee, lesson=lessons[0])
    _measured(api_client_for(trainee), "/api/v1/me/enrolments/", django_assert_num_queries, 2)


# --- Exams -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_exam_list_budget(client_for, trainee, size, django_assert_num_queries):
    for _ in range(size):
        exam = exam_with_questions([QuestionFactory()])
        attempt_start(exam=exam, user=trainee)
    _measured(client_for(trainee), "/en/exams/", django_assert_num_queries, 7)


def _attempt_with(trainee, size: int):
    exam = exam_with_questions([QuestionFactory() for _ in range(size)])
    attempt = attempt_start(exam=exam, user=trainee)
    for question in attempt.slots.all()[: size // 2]:
        response_save(
            attempt=attempt,
            question_id=question.question_id,
            answer="x",
            client_timestamp=1,
            by=trainee,
        )
    return attempt


@pytest.mark.parametrize("size", SIZES)
def test_attempt_page_budget(client_for, trainee, size, django_assert_num_queries):
    attempt = _attempt_with(trainee, size)
    _measured(
        client_for(trainee), f"/en/exams/attempts/{attempt.pk}/", django_assert_num_queries, 7
    )


@pytest.mark.parametrize("size", SIZES)
def test_answer_save_api_budget(api_client_for, trainee, size, django_assert_num_queries):
    attempt = _attempt_with(trainee, size)
    question = attempt.slots.order_by("-position").first().question_id
    url = f"/api/v1/attempts/{attempt.pk}/responses/{question}/"
    client = api_client_for(trainee)
    # The attempt (permission check), then one conditional upsert; no transaction of its own.
    with django_assert_num_queries(2):  # the first save of an answer inserts the row
        assert client.put(url, {"answer": "a", "client_timestamp": 1}, format="json").json()[
            "accepted"
        ]
    with django_assert_num_queries(2):  # a later save updates it
        body = client.put(url, {"answer": "b", "client_timestamp": 2}, format="json").json()
    assert body["accepted"] and body["revision"] == 2


# --- Certification and credentials -------------------------------------------------------------


def _credentials_for_people(issue_credential, count: int, **profile):
    people = []
    for number in range(count):
        person = make_user(roles.TRAINEE, **profile)
        TraineeProfile.objects.filter(user=person).update(name_latin=f"WANG Ming{number}")
        people.append(person)
        issue_credential(person, pdf=False)
    return people


@pytest.mark.parametrize("size", SIZES)
def test_certification_home_budget(
    client_for, trainee, issue_credential, size, django_assert_num_queries
):
    from tests.trainees.certification_factories import SchemeVersionFactory

    for _ in range(size):
        issue_credential(trainee, version=SchemeVersionFactory(), pdf=False)
    _measured(client_for(trainee), "/en/certification/", django_assert_num_queries, 14)


@pytest.mark.parametrize("size", SIZES)
def test_my_credentials_api_budget(
    api_client_for, trainee, issue_credential, size, django_assert_num_queries
):
    from tests.trainees.certification_factories import SchemeVersionFactory

    for _ in range(size):
        issue_credential(trainee, version=SchemeVersionFactory(), pdf=False)
    _measured(api_client_for(trainee), "/api/v1/me/credentials/", django_assert_num_queries, 2)


@pytest.mark.parametrize("size", SIZES)
def test_verify_page_budget(client_for, issue_credential, size, django_assert_num_queries):
    people = _credentials_for_people(issue_credential, size)
    credential = people[-1].credentials.first()
    url = f"/en/verify/{credential.number}/"
    _measured(client_for(None), url, django_assert_num_queries, 1)


@pytest.mark.parametrize("size", SIZES)
def test_register_search_budget(
    client_for, organisation, issue_credential, size, django_assert_num_queries
):
    _credentials_for_people(issue_credential, size, organisation=organisation)
    response = _measured(
        client_for(None),
        "/en/register/",
        django_assert_num_queries,
        1,
        data={"q": organisation.name_en},
    )
    assert response.content.count(b"/verify/") == size  # every holder found


@pytest.mark.parametrize("size", SIZES)
def test_organisation_staff_page_budget(
    client_for, manager, organisation, issue_credential, size, django_assert_num_queries
):
    _credentials_for_people(issue_credential, size, organisation=organisation)
    url = f"/en/organisation/{organisation.pk}/staff/"
    _measured(client_for(manager), url, django_assert_num_queries, 12)
