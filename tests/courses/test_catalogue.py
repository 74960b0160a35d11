"""Catalogue filters and search, seats left, pagination; query-count guards on hot pages."""

import pytest

from courses import services
from trainees.models import Competency

from .factories import catalogue, make_course


@pytest.fixture
def competency(db):
    return Competency.objects.create(
        code="PC-1", title_zh="工厂检查", title_en="Factory inspection"
    )


def _titles(response) -> str:
    return response.content.decode()


def test_catalogue_filters_by_mode_level_language_competency_and_text(client_for, competency):
    online, _ = make_course(title="在线工厂检查", delivery_mode="online", level=1)
    onsite, _ = make_course(title="耐压试验实操", delivery_mode="on_site", level=2, language="en")
    onsite.competencies.set([competency])
    onsite.save()
    client = client_for(None)
    url = catalogue().url
    assert "耐压试验实操" not in _titles(client.get(url, {"mode": "online"}))
    assert "在线工厂检查" in _titles(client.get(url, {"mode": "online"}))
    assert "在线工厂检查" not in _titles(client.get(url, {"level": "2"}))
    assert "在线工厂检查" not in _titles(client.get(url, {"language": "en"}))
    by_competency = _titles(client.get(url, {"competency": "PC-1"}))
    assert "耐压试验实操" in by_competency and "在线工厂检查" not in by_competency
    by_text = _titles(client.get(url, {"q": "耐压"}))
    assert "耐压试验实操" in by_text and "在线工厂检查" not in by_text


def test_catalogue_shows_seats_left(client_for, trainee):
    page, _ = make_course(capacity=3)
    services.enrolment_create(user=trainee, course=page, by=trainee)
    content = client_for(None).get(catalogue().url).content.decode()
    assert "2 seats left" in content or "2" in content.split(page.title)[1][:400]


def test_catalogue_is_paginated(client_for, db):
    for _ in range(14):
        make_course(lessons=0, modules=0)
    first = client_for(None).get(catalogue().url).content.decode()
    second = client_for(None).get(catalogue().url, {"page": 2}).content.decode()
    assert first.count('data-testid="course-card"') == 12
    assert second.count('data-testid="course-card"') == 2


def _count(response) -> int:
    return response.context["courses"].paginator.count


def test_catalogue_count_follows_publishing(client_for, trainee):
    """The count is kept per site version and filter set: publishing, unpublishing and
    filters change it at once."""
    first, _ = make_course(lessons=0, modules=0, delivery_mode="online")
    client = client_for(trainee)
    url = catalogue().url
    before = _count(client.get(url))
    assert _count(client.get(url)) == before  # answered from the kept count
    second, _ = make_course(lessons=0, modules=0, delivery_mode="online")
    assert _count(client.get(url)) == before + 1
    assert _count(client.get(url, {"mode": "online"})) == 2
    assert _count(client.get(url, {"mode": "on_site"})) == before + 1 - 2
    second.unpublish()
    assert _count(client.get(url)) == before
    assert _count(client.get(url, {"mode": "online"})) == 1
    first.save_revision().publish()
    assert _count(client.get(url, {"mode": "online"})) == 1


def _queries_for(client, url, django_assert_max_num_queries, limit):
    """Queries of a warm request (the first one also fills site and settings caches)."""
    client.get(url)
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_catalogue_query_count_does_not_grow_with_courses(
    client_for, trainee, django_assert_max_num_queries
):
    client = client_for(trainee)
    make_course(capacity=5)
    small = _queries_for(client, catalogue().url, django_assert_max_num_queries, 30)
    for _ in range(11):
        page, _ = make_course(capacity=5)
        services.enrolment_create(user=trainee, course=page, by=trainee)
    large = _queries_for(client, catalogue().url, django_assert_max_num_queries, 30)
    assert large == small


def test_course_home_query_count_does_not_grow_with_lessons(
    trainee, client_for, django_assert_max_num_queries
):
    client = client_for(trainee)
    small_course, small_lessons = make_course(modules=1, lessons=2)
    services.enrolment_create(user=trainee, course=small_course, by=trainee)
    services.lesson_complete(user=trainee, lesson=small_lessons[0])
    small = _queries_for(client, small_course.url, django_assert_max_num_queries, 45)
    big_course, big_lessons = make_course(modules=4, lessons=6)
    services.enrolment_create(user=trainee, course=big_course, by=trainee)
    for lesson in big_lessons[:5]:
        services.lesson_complete(user=trainee, lesson=lesson)
    large = _queries_for(client, big_course.url, django_assert_max_num_queries, 45)
    assert large == small


def test_dashboard_query_count_does_not_grow_with_enrolments(
    trainee, client_for, django_assert_max_num_queries
):
    from .factories import make_session

    client = client_for(trainee)
    page, _ = make_course()
    services.enrolment_create(user=trainee, course=page, by=trainee)
    services.session_book(session=make_session(page), user=trainee)
    small = _queries_for(client, "/learning/", django_assert_max_num_queries, 25)
    for _ in range(8):
        page, lessons = make_course(lessons=1)
        services.enrolment_create(user=trainee, course=page, by=trainee)
        services.session_book(session=make_session(page), user=trainee)
        services.lesson_complete(user=trainee, lesson=lessons[0])
    large = _queries_for(client, "/learning/", django_assert_max_num_queries, 25)
    assert large == small


def test_api_course_list_query_count_does_not_grow(
    api_client_for, db, django_assert_max_num_queries
):
    client = api_client_for(None)
    make_course()
    small = _queries_for(client, "/api/v1/courses/", django_assert_max_num_queries, 15)
    for _ in range(10):
        make_course()
    large = _queries_for(client, "/api/v1/courses/", django_assert_max_num_queries, 15)
    assert large == small
