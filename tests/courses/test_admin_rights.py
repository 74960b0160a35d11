"""Instructor rights in the Wagtail admin, tested through the admin's own URLs."""

import pytest

from courses.models import CoursePage

from .factories import catalogue


def _edit_form(course, **extra):
    data = {
        "title": course.title,
        "slug": course.slug,
        "code": course.code,
        "summary": course.summary,
        "hours": "8.0",
        "delivery_mode": "online",
        "level": "1",
        "language": "zh-hans",
        "enrolment_policy": "open",
        "capacity": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "action-publish": "action-publish",
    }
    data.update(extra)
    return data


def test_instructor_edits_own_course_but_not_another_or_the_catalogue(
    course, other_course, client_for, instructor
):
    client = client_for(instructor)
    assert client.get(f"/admin/pages/{course[0].pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{course[1][0].pk}/edit/").status_code == 200  # its lesson
    assert client.get(f"/admin/pages/{other_course[0].pk}/edit/").status_code != 200
    assert client.get(f"/admin/pages/{other_course[1][0].pk}/edit/").status_code != 200
    assert client.get(f"/admin/pages/{catalogue().pk}/edit/").status_code != 200
    assert (
        client.get(f"/admin/pages/add/courses/courseindexpage/{catalogue().pk}/").status_code != 200
    )


def test_instructor_cannot_publish_to_another_course(other_course, client_for, instructor):
    page = other_course[0]
    response = client_for(instructor).post(
        f"/admin/pages/{page.pk}/edit/", _edit_form(page, title="被篡改的课程")
    )
    assert response.status_code != 200
    page.refresh_from_db()
    assert page.title != "被篡改的课程"
    assert page.latest_revision is None or "被篡改" not in str(page.latest_revision.content)


def test_instructor_publishes_own_course(course, client_for, instructor):
    page = course[0]
    response = client_for(instructor).post(
        f"/admin/pages/{page.pk}/edit/", _edit_form(page, title="工厂检查（修订）")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.title == "工厂检查（修订）"


def test_explorer_lists_only_the_instructors_courses(course, other_course, client_for, instructor):
    response = client_for(instructor).get(f"/admin/pages/{catalogue().pk}/", follow=True)
    content = response.content.decode()
    assert response.status_code == 200
    assert course[0].title in content
    assert other_course[0].title not in content


def test_officer_assigns_an_instructor_who_then_gains_the_rights(
    other_course, client_for, officer, instructor
):
    page = other_course[0]
    client = client_for(instructor)
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code != 200
    form = _edit_form(
        page, instructors=[instructor.pk, *page.instructors.values_list("pk", flat=True)]
    )
    assert client_for(officer).post(f"/admin/pages/{page.pk}/edit/", form).status_code == 302
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


def test_instructor_cannot_add_a_colleague_to_their_course(
    course, client_for, instructor, other_instructor
):
    page = course[0]
    form = _edit_form(page, instructors=[instructor.pk, other_instructor.pk])
    assert client_for(instructor).post(f"/admin/pages/{page.pk}/edit/", form).status_code == 302
    assert list(CoursePage.objects.get(pk=page.pk).instructors.all()) == [instructor]
    response = client_for(other_instructor).get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code != 200


@pytest.mark.parametrize("who", ["trainee", "other_manager"])
def test_trainees_and_managers_have_no_admin(request, who, course, client_for):
    response = client_for(request.getfixturevalue(who)).get(f"/admin/pages/{course[0].pk}/edit/")
    assert response.status_code != 200


def test_practice_session_admin_is_scoped_to_the_instructors_courses(
    course, other_course, client_for, instructor
):
    from .factories import make_session

    own = make_session(course[0], instructor=instructor)
    foreign = make_session(other_course[0])
    foreign.title = "别人的实操课"
    foreign.save()
    client = client_for(instructor)
    listing = client.get("/admin/practice_sessions/")
    assert listing.status_code == 200
    assert own.title in listing.content.decode()
    assert "别人的实操课" not in listing.content.decode()
    assert client.get(f"/admin/practice_sessions/edit/{own.pk}/").status_code == 200
    assert client.get(f"/admin/practice_sessions/edit/{foreign.pk}/").status_code == 404
    form = client.get("/admin/practice_sessions/new/").content.decode()
    assert course[0].title in form and other_course[0].title not in form


def test_trainee_cannot_reach_the_practice_session_admin(client_for, trainee, db):
    response = client_for(trainee).get("/admin/practice_sessions/")
    assert response.status_code != 200
