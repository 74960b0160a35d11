"""Every rule from the outside: anonymous, another trainee, another instructor, another
organisation's manager, on the HTML pages and the API."""

import pytest
from django.test import RequestFactory

from courses import services
from courses.models import Enrolment, SessionBooking

from .factories import make_course, make_criteria, make_session


@pytest.fixture
def lesson(course):
    return course[1][0]


def test_lesson_page_opens_for_the_enrolled_trainee(enrolled, lesson, client_for, trainee):
    response = client_for(trainee).get(lesson.url)
    assert response.status_code == 200
    assert "检查要点" in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "other_trainee", "other_instructor", "other_manager"])
def test_lesson_page_redirects_outsiders_to_the_course(request, who, enrolled, lesson, client_for):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    response = client_for(user).get(lesson.url)
    assert response.status_code == 302
    assert response["Location"] == lesson.get_parent().get_parent().url


@pytest.mark.parametrize("who", ["instructor", "officer"])
def test_lesson_page_opens_for_its_instructor_and_officers(request, who, lesson, client_for):
    assert client_for(request.getfixturevalue(who)).get(lesson.url).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "other_trainee", "other_instructor"])
def test_lesson_preview_is_404_for_people_who_may_not_read_it(request, who, lesson):
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    preview_request = RequestFactory().get(lesson.url)
    preview_request.user = user
    with pytest.raises(Http404):
        lesson.specific.serve_preview(preview_request, "")


def test_admin_preview_of_a_lesson_is_refused_to_another_courses_instructor(
    lesson, client_for, other_instructor, instructor
):
    url = f"/admin/pages/{lesson.pk}/edit/preview/"
    assert client_for(other_instructor).get(url).status_code in (302, 403, 404)
    assert client_for(instructor).get(url).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "other_trainee", "other_instructor", "other_manager"])
def test_api_lesson_complete_is_404_for_outsiders(request, who, enrolled, lesson, api_client_for):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    response = api_client_for(user).post(f"/api/v1/lessons/{lesson.pk}/complete/")
    assert response.status_code == (401 if user is None else 404)


def test_html_lesson_complete_is_404_for_another_trainee(
    enrolled, lesson, client_for, other_trainee
):
    response = client_for(other_trainee).post(f"/learning/lessons/{lesson.pk}/complete/")
    assert response.status_code == 404
    assert not enrolled.lesson_progress.exists()


@pytest.mark.parametrize("who", ["anonymous", "other_trainee", "other_instructor", "other_manager"])
def test_staff_course_page_is_hidden_from_outsiders(request, who, course, client_for):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    response = client_for(user).get(f"/staff/courses/{course[0].pk}/")
    assert response.status_code in ((302,) if user is None else (404,))


def test_staff_course_page_opens_for_its_instructor(course, client_for, instructor):
    assert client_for(instructor).get(f"/staff/courses/{course[0].pk}/").status_code == 200


def test_another_instructor_cannot_decide_an_enrolment_request(
    db, trainee, instructor, other_instructor, client_for
):
    page, _ = make_course(instructors=[instructor], enrolment_policy="approval")
    enrolment = services.enrolment_create(user=trainee, course=page, by=trainee)
    url = f"/staff/enrolments/{enrolment.pk}/decide/"
    assert client_for(other_instructor).post(url, {"decision": "approve"}).status_code == 404
    assert Enrolment.objects.get(pk=enrolment.pk).status == "requested"
    client_for(instructor).post(url, {"decision": "approve"})
    assert Enrolment.objects.get(pk=enrolment.pk).status == "active"


@pytest.fixture
def booking(enrolled, course, instructor, trainee):
    session = make_session(course[0], instructor=instructor)
    return services.session_book(session=session, user=trainee)


@pytest.mark.parametrize("who", ["other_trainee", "other_instructor", "other_manager", "trainee"])
def test_session_roster_attendance_and_assessment_are_hidden_from_outsiders(
    request, who, booking, client_for
):
    client = client_for(request.getfixturevalue(who))
    assert client.get(f"/staff/sessions/{booking.session_id}/").status_code == 404
    assert (
        client.post(f"/staff/bookings/{booking.pk}/attendance/", {"present": "1"}).status_code
        == 404
    )
    assert client.get(f"/staff/bookings/{booking.pk}/assess/").status_code == 404
    assert client.post(f"/staff/check-in/{booking.check_in_token}/").status_code == 404
    assert SessionBooking.objects.get(pk=booking.pk).attendance == ""


def test_session_instructor_takes_attendance_and_scans_the_trainee_code(
    booking, client_for, instructor
):
    client = client_for(instructor)
    assert client.get(f"/staff/sessions/{booking.session_id}/").status_code == 200
    assert client.post(f"/staff/check-in/{booking.check_in_token}/").status_code == 302
    assert SessionBooking.objects.get(pk=booking.pk).attendance == "present"


def test_assessment_form_records_a_result(booking, client_for, instructor, course):
    criteria = make_criteria(course[0])
    data = {f"score-{criteria[0].pk}": "8", f"score-{criteria[1].pk}": "9", "comment": "操作规范"}
    response = client_for(instructor).post(f"/staff/bookings/{booking.pk}/assess/", data)
    assert response.status_code == 302
    assessment = booking.user.practical_assessments.get()
    assert assessment.passed and assessment.assessed_by == instructor


def test_trainee_check_in_qr_image_is_only_for_its_owner(
    booking, client_for, trainee, other_trainee
):
    url = f"/learning/bookings/{booking.check_in_token}/qr.svg"
    assert client_for(other_trainee).get(url).status_code == 404
    response = client_for(trainee).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"


def test_api_manager_enrols_own_staff_but_not_another_organisations(
    course, api_client_for, manager, trainee, other_trainee
):
    client = api_client_for(manager)
    url = f"/api/v1/courses/{course[0].pk}/enrol/"
    assert client.post(url, {"user": other_trainee.pk}, format="json").status_code == 404
    response = client.post(url, {"user": trainee.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "active"
    assert not Enrolment.objects.filter(user=other_trainee).exists()


def test_api_withdraw_for_someone_else_is_404_unless_their_manager(
    enrolled, course, api_client_for, other_trainee, other_manager, manager
):
    url = f"/api/v1/courses/{course[0].pk}/withdraw/"
    for outsider in (other_trainee, other_manager):
        response = api_client_for(outsider).post(url, {"user": enrolled.user_id}, format="json")
        assert response.status_code == 404
    assert Enrolment.objects.get(pk=enrolled.pk).status == "active"
    response = api_client_for(manager).post(url, {"user": enrolled.user_id}, format="json")
    assert response.status_code == 200
    assert Enrolment.objects.get(pk=enrolled.pk).status == "withdrawn"


def test_html_manager_page_enrols_own_staff_only(
    course, client_for, manager, other_manager, trainee, other_trainee
):
    client = client_for(manager)
    response = client.post(
        "/learning/organisation/", {"person": other_trainee.pk, "course": course[0].pk}
    )
    assert response.status_code == 200  # form error: not one of their staff
    assert not Enrolment.objects.exists()
    client.post("/learning/organisation/", {"person": trainee.pk, "course": course[0].pk})
    assert Enrolment.objects.filter(user=trainee).exists()
    assert (
        trainee.email
        not in client_for(other_manager).get("/learning/organisation/").content.decode()
    )


@pytest.mark.parametrize("who", ["other_trainee", "instructor"])
def test_organisation_page_is_404_for_non_managers(request, who, client_for, db):
    assert (
        client_for(request.getfixturevalue(who)).get("/learning/organisation/").status_code == 404
    )


def test_my_enrolments_api_lists_only_my_own(enrolled, api_client_for, other_trainee, trainee):
    assert api_client_for(other_trainee).get("/api/v1/me/enrolments/").json()["count"] == 0
    assert api_client_for(trainee).get("/api/v1/me/enrolments/").json()["count"] == 1
    assert api_client_for(None).get("/api/v1/me/enrolments/").status_code == 401


def test_dashboard_and_transcript_need_login(client_for, db):
    for url in ("/learning/", "/learning/transcript/", "/learning/transcript.pdf"):
        assert client_for(None).get(url).status_code == 302
