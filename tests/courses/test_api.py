"""The public API contract of courses (DESIGN.md)."""

import pytest

from courses import services

from .factories import english_translation, make_course


def test_course_list_is_public_and_shows_seats_left(api_client_for, trainee):
    page, _ = make_course(capacity=4, code="FI-101")
    english = english_translation(page)
    english.title = "Factory inspection basics"
    english.save_revision().publish()
    services.enrolment_create(user=trainee, course=page, by=trainee)
    response = api_client_for(None).get("/api/v1/courses/")
    assert response.status_code == 200
    [course] = response.json()["results"]
    assert course["code"] == "FI-101"
    assert course["seats_left"] == 3
    assert course["title_en"] == "Factory inspection basics"


def test_course_list_filters(api_client_for, db):
    make_course(delivery_mode="online", code="ON-1")
    make_course(delivery_mode="on_site", code="SITE-1")
    results = api_client_for(None).get("/api/v1/courses/", {"mode": "on_site"}).json()["results"]
    assert [course["code"] for course in results] == ["SITE-1"]


def test_course_detail_includes_my_enrolment(enrolled, course, api_client_for, trainee):
    data = api_client_for(trainee).get(f"/api/v1/courses/{course[0].pk}/").json()
    assert data["my_enrolment"]["status"] == "active"
    assert (
        api_client_for(None).get(f"/api/v1/courses/{course[0].pk}/").json()["my_enrolment"] is None
    )


def test_unpublished_course_is_404(api_client_for, db):
    page, _ = make_course()
    page.unpublish()
    assert api_client_for(None).get(f"/api/v1/courses/{page.pk}/").status_code == 404


def test_enrol_complete_and_withdraw_through_the_api(course, api_client_for, trainee):
    client = api_client_for(trainee)
    page, lessons = course
    response = client.post(f"/api/v1/courses/{page.pk}/enrol/")
    assert response.status_code == 201
    assert client.post(f"/api/v1/courses/{page.pk}/enrol/").status_code == 400
    done = client.post(f"/api/v1/lessons/{lessons[0].pk}/complete/").json()
    assert done["progress_percent"] == 25
    [mine] = client.get("/api/v1/me/enrolments/").json()["results"]
    assert mine["course"] == page.pk
    assert client.post(f"/api/v1/courses/{page.pk}/withdraw/").json()["status"] == "withdrawn"


def test_enrol_without_prerequisite_gives_a_clear_400(api_client_for, trainee):
    basics, _ = make_course(code="FI-101")
    advanced, _ = make_course()
    advanced.prerequisites.set([basics])
    advanced.save()
    response = api_client_for(trainee).post(f"/api/v1/courses/{advanced.pk}/enrol/")
    assert response.status_code == 400
    assert "FI-101" in response.json()["detail"]


def test_enrol_needs_authentication(course, api_client_for):
    assert api_client_for(None).post(f"/api/v1/courses/{course[0].pk}/enrol/").status_code == 401


def test_withdraw_without_enrolment_is_404(course, api_client_for, trainee):
    assert (
        api_client_for(trainee).post(f"/api/v1/courses/{course[0].pk}/withdraw/").status_code == 404
    )


def test_schema_lists_the_course_endpoints(api_client_for, db):
    schema = api_client_for(None).get("/api/v1/schema/").content.decode()
    for path in (
        "/api/v1/courses/{id}/enrol/",
        "/api/v1/me/enrolments/",
        "/api/v1/lessons/{id}/complete/",
    ):
        assert path in schema


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "①", "abc", "-1"])
def test_odd_level_filters_are_ignored_not_a_500(client, value):
    assert client.get("/api/v1/courses/", {"level": value}).status_code == 200
    assert client.get("/courses/", {"level": value}).status_code in (200, 404)
