import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses import selectors, services
from courses.models import Enrolment, LessonProgress, SessionBooking

from .factories import add_lesson, knowledge_check_body, make_course, make_session


def test_progress_counts_required_lessons_only(db, trainee):
    page, lessons = make_course(lessons=2)
    optional = add_lesson(lessons[0].get_parent().specific, required=False)
    enrolment = services.enrolment_create(user=trainee, course=page, by=trainee)
    services.lesson_complete(user=trainee, lesson=optional)
    enrolment.refresh_from_db()
    assert enrolment.progress_percent == 0
    enrolment = services.lesson_complete(user=trainee, lesson=lessons[0])
    assert enrolment.progress_percent == 50
    assert enrolment.status == Enrolment.Status.ACTIVE


def test_completing_every_required_lesson_completes_the_course_with_date_and_hours(db, trainee):
    page, lessons = make_course(modules=2, lessons=1, hours="12.5")
    services.enrolment_create(user=trainee, course=page, by=trainee)
    for lesson in lessons:
        enrolment = services.lesson_complete(user=trainee, lesson=lesson)
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.completed_at is not None
    assert str(enrolment.study_hours) == "12.5"
    assert list(selectors.completed_courses(user=trainee)) == [enrolment]


def test_marking_a_lesson_twice_keeps_one_record(enrolled, trainee, course):
    _, lessons = course
    services.lesson_complete(user=trainee, lesson=lessons[0])
    services.lesson_complete(user=trainee, lesson=lessons[0])
    assert LessonProgress.objects.filter(enrolment=enrolled).count() == 1


def test_new_required_lesson_after_completion_keeps_completion_but_lowers_active_progress(
    db, trainee, other_trainee, django_capture_on_commit_callbacks
):
    """Chosen rule: a completion already recorded stays (dated record, hours awarded); people
    still studying must also do the new required lesson, so their progress goes down."""
    page, lessons = make_course(lessons=2)
    services.enrolment_create(user=trainee, course=page, by=trainee)
    services.enrolment_create(user=other_trainee, course=page, by=other_trainee)
    for lesson in lessons:
        finished = services.lesson_complete(user=trainee, lesson=lesson)
    halfway = services.lesson_complete(user=other_trainee, lesson=lessons[0])
    assert (finished.status, halfway.progress_percent) == ("completed", 50)

    new_lesson = add_lesson(lessons[0].get_parent().specific)
    with django_capture_on_commit_callbacks(execute=True):
        new_lesson.save_revision().publish()  # publishing recounts active enrolments

    finished.refresh_from_db()
    halfway.refresh_from_db()
    assert finished.status == Enrolment.Status.COMPLETED
    assert finished.progress_percent == 100
    assert halfway.progress_percent == 33
    services.lesson_complete(user=other_trainee, lesson=lessons[1])
    assert services.lesson_complete(user=other_trainee, lesson=new_lesson).status == "completed"


def test_sequenced_course_locks_later_lessons(db, trainee):
    page, lessons = make_course(lessons=2, requires_sequence=True)
    enrolment = services.enrolment_create(user=trainee, course=page, by=trainee)
    with pytest.raises(ValidationError, match="earlier"):
        services.lesson_complete(user=trainee, lesson=lessons[1])
    outline = selectors.course_outline(course=page, enrolment=enrolment)
    assert [row.locked for row in outline.modules[0].lessons] == [False, True]
    services.lesson_complete(user=trainee, lesson=lessons[0])
    outline = selectors.course_outline(course=page, enrolment=enrolment)
    assert [row.locked for row in outline.modules[0].lessons] == [False, False]


def test_passing_the_knowledge_check_completes_the_lesson_and_failing_does_not(db, trainee):
    page, lessons = make_course(lessons=1)
    check_lesson = add_lesson(lessons[0].get_parent().specific, body=knowledge_check_body())
    services.enrolment_create(user=trainee, course=page, by=trainee)
    wrong = services.knowledge_check_submit(user=trainee, lesson=check_lesson, answers={"1-0": {0}})
    assert wrong["passed"] is False
    assert wrong["results"]["1-0"]["feedback"] == ["影响安全。"]
    assert not LessonProgress.objects.filter(lesson=check_lesson).exists()
    right = services.knowledge_check_submit(user=trainee, lesson=check_lesson, answers={"1-0": {1}})
    assert right["passed"] is True
    progress = LessonProgress.objects.get(lesson=check_lesson)
    assert progress.method == LessonProgress.Method.KNOWLEDGE_CHECK


def test_required_practice_session_must_be_attended_to_complete(db, trainee, instructor):
    page, lessons = make_course(lessons=1, instructors=[instructor])
    session = make_session(page, instructor=instructor, required=True)
    services.enrolment_create(user=trainee, course=page, by=trainee)
    booking = services.session_book(session=session, user=trainee)
    enrolment = services.lesson_complete(user=trainee, lesson=lessons[0])
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.progress_percent == 100
    services.attendance_record(booking=booking, present=True, by=instructor)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert SessionBooking.objects.get(pk=booking.pk).checked_in_at is not None


def test_not_enrolled_person_cannot_complete_a_lesson(course, other_trainee):
    with pytest.raises(ValidationError):
        services.lesson_complete(user=other_trainee, lesson=course[1][0])


def test_translated_lesson_counts_for_the_default_locale_course(db, trainee):
    from .factories import english_translation

    page, lessons = make_course(lessons=2)
    english_course = english_translation(page)
    english_lesson = english_translation(lessons[0])
    english_translation(lessons[1])
    services.enrolment_create(user=trainee, course=english_course, by=trainee)
    enrolment = services.lesson_complete(user=trainee, lesson=english_lesson)
    assert enrolment.course_id == page.pk
    assert enrolment.progress_percent == 50
    outline = selectors.course_outline(course=english_course, enrolment=enrolment)
    assert [row.completed for row in outline.modules[0].lessons] == [True, False]
    assert timezone.now() - enrolment.requested_at < datetime.timedelta(minutes=1)


def test_lessons_of_an_unpublished_module_are_neither_shown_nor_required(db, trainee):
    from courses.models import ModulePage

    page, lessons = make_course(modules=2, lessons=1)
    hidden_module = ModulePage.objects.get(pk=lessons[1].get_parent().pk)
    hidden_module.unpublish()
    enrolment = services.enrolment_create(user=trainee, course=page, by=trainee)
    outline = selectors.course_outline(course=page, enrolment=enrolment)
    assert [row.module.pk for row in outline.modules] == [lessons[0].get_parent().pk]
    assert services.lesson_complete(user=trainee, lesson=lessons[0]).status == "completed"
