"""`selectors.lesson_access`: the one lesson check (the `courses.view_lesson` rule and the lesson
view), which also hands the view the enrolment and whether this lesson is done."""

import pytest

from courses import selectors, services
from courses.models import CoursePage, Enrolment, LessonPage
from institute.permissions import can


@pytest.mark.parametrize("status", [Enrolment.Status.REQUESTED, Enrolment.Status.WITHDRAWN])
def test_an_enrolment_that_is_not_studying_opens_no_lesson(
    status, enrolled, course, trainee, client_for
):
    Enrolment.objects.filter(pk=enrolled.pk).update(status=status)
    lesson = course[1][0]
    assert not selectors.lesson_access(user=trainee, lesson=lesson).allowed
    assert not can(trainee, "courses.view_lesson", lesson)
    assert client_for(trainee).get(lesson.url).status_code == 302


def test_the_rule_and_the_view_agree_for_each_person(
    request, enrolled, course, trainee, other_trainee, instructor, other_instructor, officer
):
    lesson = course[1][0]
    for user, allowed in [
        (trainee, True),
        (instructor, True),
        (officer, True),
        (other_trainee, False),
        (other_instructor, False),
    ]:
        assert selectors.lesson_access(user=user, lesson=lesson).allowed is allowed
        assert can(user, "courses.view_lesson", lesson) is allowed


def test_only_the_completed_lesson_shows_as_done(enrolled, course, trainee, client_for):
    first, second = course[1][0], course[1][1]
    services.lesson_complete(user=trainee, lesson=first)
    assert selectors.lesson_access(user=trainee, lesson=first).enrolment.lesson_done
    assert not selectors.lesson_access(user=trainee, lesson=second).enrolment.lesson_done
    client = client_for(trainee)
    assert 'data-testid="lesson-complete"' in client.get(first.url).content.decode()
    page = client.get(second.url).content.decode()
    assert 'data-testid="lesson-complete"' not in page
    assert 'data-testid="mark-complete"' in page


def test_an_instructor_is_not_handed_an_enrolment(course, instructor):
    access = selectors.lesson_access(user=instructor, lesson=course[1][0])
    assert access.allowed and access.enrolment is None


def test_the_english_lesson_shows_the_chinese_lessons_completion(enrolled, course, trainee):
    from .factories import english_translation

    first, second = course[1][0], course[1][1]
    english_first, english_second = english_translation(first), english_translation(second)
    services.lesson_complete(user=trainee, lesson=first)
    access = selectors.lesson_access(user=trainee, lesson=english_first)
    assert access.allowed and access.enrolment.lesson_done is True
    assert (
        selectors.lesson_access(user=trainee, lesson=english_second).enrolment.lesson_done is False
    )


def test_a_renamed_course_shows_on_its_lessons_at_once(
    enrolled, course, trainee, client_for, django_assert_num_queries
):
    page, lessons = course
    client = client_for(trainee)
    client.get(lessons[0].url)
    lesson = LessonPage.objects.get(pk=lessons[0].pk)
    with django_assert_num_queries(0):  # kept under the site-wide version
        assert selectors.course_of_lesson(lesson).pk == page.pk
    page = CoursePage.objects.get(pk=page.pk)
    page.title = "改名后的课程"
    page.save_revision().publish()
    html = client.get(lessons[0].url).content.decode()
    assert "改名后的课程" in html  # the breadcrumb
    fresh = LessonPage.objects.get(pk=lessons[0].pk)
    assert selectors.course_page_of_lesson(fresh).title == "改名后的课程"
