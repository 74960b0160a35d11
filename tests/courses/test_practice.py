import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from courses import services
from courses.models import PracticalAssessment, SessionBooking
from tests.factories import make_user
from trainees import roles

from .factories import make_criteria, make_session


@pytest.fixture
def session(course, instructor):
    return make_session(course[0], instructor=instructor, capacity=1)


def test_enrolled_trainee_books_a_seat(enrolled, session, trainee):
    booking = services.session_book(session=session, user=trainee)
    assert booking.status == SessionBooking.Status.BOOKED


def test_booking_needs_an_active_enrolment(session, other_trainee):
    with pytest.raises(ValidationError, match="Enrol"):
        services.session_book(session=session, user=other_trainee)


def test_full_session_refuses_the_next_booking(enrolled, session, trainee, course):
    services.session_book(session=session, user=trainee)
    someone = make_user(roles.TRAINEE)
    services.enrolment_create(user=someone, course=course[0], by=someone)
    with pytest.raises(ValidationError, match="full"):
        services.session_book(session=session, user=someone)


def test_cancelled_booking_frees_the_seat(enrolled, session, trainee):
    booking = services.session_book(session=session, user=trainee)
    services.session_booking_cancel(booking=booking, by=trainee)
    assert services.session_book(session=session, user=trainee).pk == booking.pk


def test_room_qr_check_in_works_only_around_the_session(enrolled, session, trainee, client_for):
    services.session_book(session=session, user=trainee)
    url = f"/learning/check-in/{session.check_in_token}/"
    client = client_for(trainee)
    client.post(url)
    assert SessionBooking.objects.get(session=session).attendance == ""
    with time_machine.travel(session.starts_at - datetime.timedelta(minutes=30)):
        assert client.post(url).status_code == 302
    booking = SessionBooking.objects.get(session=session)
    assert booking.attendance == SessionBooking.Attendance.PRESENT


def test_room_qr_check_in_refuses_someone_without_a_booking(enrolled, session, other_trainee):
    with (
        time_machine.travel(session.starts_at + datetime.timedelta(minutes=5)),
        pytest.raises(ValidationError, match="no booking"),
    ):
        services.session_check_in(token=session.check_in_token, user=other_trainee)


def test_practical_assessment_passes_only_when_every_criterion_passes(
    enrolled, session, trainee, instructor, course
):
    services.session_book(session=session, user=trainee)
    plan, grading = make_criteria(course[0])
    failed = services.practical_assessment_record(
        session=session, user=trainee, scores={plan.pk: 9, grading.pk: 5}, comment="", by=instructor
    )
    assert failed.passed is False
    assert [score.passed for score in failed.scores.order_by("criterion__pk")] == [True, False]
    passed = services.practical_assessment_record(
        session=session,
        user=trainee,
        scores={plan.pk: 6, grading.pk: 7},
        comment="良好",
        by=instructor,
    )
    assert passed.passed is True and passed.assessed_by == instructor


def test_assessment_with_a_missing_or_out_of_range_score_changes_nothing(
    enrolled, session, trainee, instructor, course
):
    services.session_book(session=session, user=trainee)
    plan, grading = make_criteria(course[0])
    with pytest.raises(ValidationError) as error:
        services.practical_assessment_record(
            session=session, user=trainee, scores={plan.pk: 11}, comment="", by=instructor
        )
    assert len(error.value.messages) == 2
    assert not PracticalAssessment.objects.exists()


def test_another_instructor_cannot_assess(enrolled, session, trainee, other_instructor, course):
    from django.core.exceptions import PermissionDenied

    services.session_book(session=session, user=trainee)
    plan, grading = make_criteria(course[0])
    with pytest.raises(PermissionDenied):
        services.practical_assessment_record(
            session=session,
            user=trainee,
            scores={plan.pk: 9, grading.pk: 9},
            comment="",
            by=other_instructor,
        )


def test_reminders_go_once_per_booking_a_day_before(
    enrolled, session, trainee, django_capture_on_commit_callbacks
):
    services.session_book(session=session, user=trainee)
    with time_machine.travel(session.starts_at - datetime.timedelta(hours=30)):
        assert services.session_reminders_send() == 0
    with time_machine.travel(session.starts_at - datetime.timedelta(hours=20)):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.session_reminders_send() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert services.session_reminders_send() == 0
    assert len(mail.outbox) == 1
    assert session.place in mail.outbox[0].body
    assert "Practice session reminder" in mail.outbox[0].subject


def test_instructor_user_ids_include_course_session_and_assessor(
    enrolled, session, trainee, instructor, other_instructor, course
):
    from courses.selectors import instructor_user_ids_for

    session.instructor = other_instructor
    session.save()
    services.session_book(session=session, user=trainee)
    assert instructor_user_ids_for(user=trainee) == {instructor.pk, other_instructor.pk}
