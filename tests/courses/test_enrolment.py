import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from courses import services
from courses.models import CoursePage, Enrolment
from institute.models import AuditRecord
from tests.factories import make_user
from trainees import roles

from .factories import make_course


def test_self_enrolment_on_open_course_is_active_and_audited(course, trainee):
    page, _ = course
    enrolment = services.enrolment_create(user=trainee, course=page, by=trainee)
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert AuditRecord.objects.filter(
        action="enrolment.active", object_id=str(enrolment.pk)
    ).exists()


def test_approval_course_makes_a_request_that_an_instructor_approves_with_email(
    db, trainee, instructor, django_capture_on_commit_callbacks
):
    page, _ = make_course(instructors=[instructor], enrolment_policy="approval")
    enrolment = services.enrolment_create(user=trainee, course=page, by=trainee)
    assert enrolment.status == Enrolment.Status.REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_decide(enrolment=enrolment, approve=True, by=instructor)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert len(mail.outbox) == 1
    assert "Enrolment approved" in mail.outbox[0].subject
    assert "报名" in mail.outbox[0].subject
    assert page.code in mail.outbox[0].body


def test_rejection_needs_a_reason_and_changes_nothing_without_one(
    db, trainee, instructor, django_capture_on_commit_callbacks
):
    page, _ = make_course(instructors=[instructor], enrolment_policy="approval")
    enrolment = services.enrolment_create(user=trainee, course=page, by=trainee)
    with pytest.raises(ValidationError):
        services.enrolment_decide(enrolment=enrolment, approve=False, by=instructor)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_decide(
            enrolment=enrolment, approve=False, by=instructor, reason="名额已满"
        )
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.REJECTED
    assert "名额已满" in mail.outbox[0].body


def test_organisation_course_refuses_self_enrolment_but_manager_enrols_own_staff(
    db, trainee, manager
):
    page, _ = make_course(enrolment_policy="organisation")
    with pytest.raises(ValidationError, match="manager"):
        services.enrolment_create(user=trainee, course=page, by=trainee)
    enrolment = services.enrolment_create(user=trainee, course=page, by=manager)
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.enrolled_by == manager


def test_manager_cannot_enrol_another_organisations_staff(db, other_trainee, manager):
    from django.core.exceptions import PermissionDenied

    page, _ = make_course()
    with pytest.raises(PermissionDenied):
        services.enrolment_create(user=other_trainee, course=page, by=manager)
    assert not Enrolment.objects.exists()


def test_prerequisites_are_enforced_with_a_clear_message(db, trainee):
    basics, lessons = make_course(code="FI-101", lessons=1)
    advanced, _ = make_course()
    advanced.prerequisites.set([basics])
    advanced.save()
    with pytest.raises(ValidationError) as error:
        services.enrolment_create(user=trainee, course=advanced, by=trainee)
    assert "FI-101" in error.value.messages[0]
    services.enrolment_create(user=trainee, course=basics, by=trainee)
    services.lesson_complete(user=trainee, lesson=lessons[0])
    assert services.enrolment_create(user=trainee, course=advanced, by=trainee).status == "active"


def test_full_course_refuses_with_a_message(db, trainee, other_trainee):
    page, _ = make_course(capacity=1)
    services.enrolment_create(user=other_trainee, course=page, by=other_trainee)
    with pytest.raises(ValidationError, match="full"):
        services.enrolment_create(user=trainee, course=page, by=trainee)


def test_withdraw_frees_the_seat_and_allows_enrolling_again(db, trainee, other_trainee):
    page, _ = make_course(capacity=1)
    enrolment = services.enrolment_create(user=trainee, course=page, by=trainee)
    services.enrolment_withdraw(enrolment=enrolment, by=trainee)
    services.enrolment_create(user=other_trainee, course=page, by=other_trainee)
    with pytest.raises(ValidationError):
        services.enrolment_create(user=trainee, course=page, by=trainee)
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.WITHDRAWN


def test_enrolling_twice_is_refused(enrolled, trainee, course):
    with pytest.raises(ValidationError, match="already"):
        services.enrolment_create(user=trainee, course=course[0], by=trainee)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL row locks (select_for_update); CI runs it on PostgreSQL",
)
# serialized_rollback: the flush after a transactional test must not drop the role groups
# that a data migration created (later tests need them).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_requests_for_the_last_seat_exactly_one_wins():
    page, _ = make_course(capacity=1)
    people = [make_user(roles.TRAINEE), make_user(roles.TRAINEE)]
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(person):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.enrolment_create(
                user=person, course=CoursePage.objects.get(pk=page.pk), by=person
            )
            outcomes.append("enrolled")
        except ValidationError:
            outcomes.append("full")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["enrolled", "full"]
    assert Enrolment.objects.filter(course=page, status="active").count() == 1
