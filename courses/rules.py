"""Object permissions of the courses app (django-rules). Ask them via `institute.permissions.can`."""

import rules

from trainees import roles

from . import selectors


@rules.predicate
def is_officer(user):
    return roles.is_officer(user)


@rules.predicate
def instructs_course(user, course):
    return selectors.user_is_instructor_of(user=user, course=course)


@rules.predicate
def may_read_lesson(user, lesson):
    return selectors.lesson_access(user=user, lesson=lesson).allowed


@rules.predicate
def manages_person(user, person):
    profile = getattr(person, "profile", None)
    return (
        profile is not None
        and profile.organisation_id is not None
        and profile.organisation.managers.filter(pk=user.pk).exists()
    )


@rules.predicate
def is_own_enrolment(user, enrolment):
    return enrolment.user_id == user.pk


@rules.predicate
def instructs_enrolment_course(user, enrolment):
    return selectors.user_is_instructor_of(user=user, course=enrolment.course)


@rules.predicate
def manages_enrolled_person(user, enrolment):
    return manages_person(user, enrolment.user)


@rules.predicate
def runs_session(user, session):
    return session.instructor_id == user.pk or selectors.user_is_instructor_of(
        user=user, course=session.course
    )


# Lessons: only people enrolled (active or completed), the course's instructors and officers.
rules.add_perm("courses.view_lesson", may_read_lesson)  # selectors.lesson_access
# Course management (approve enrolments, sessions, attendance, assessments): its instructors.
rules.add_perm("courses.manage_course", is_officer | instructs_course)
rules.add_perm("courses.assign_instructors", is_officer)
# Enrol someone else: officers anyone, organisation managers only their own staff.
rules.add_perm("courses.enrol_person", is_officer | manages_person)
rules.add_perm(
    "courses.view_enrolment",
    is_own_enrolment | is_officer | instructs_enrolment_course | manages_enrolled_person,
)
rules.add_perm("courses.decide_enrolment", is_officer | instructs_enrolment_course)
rules.add_perm(
    "courses.withdraw_enrolment", is_own_enrolment | is_officer | manages_enrolled_person
)
rules.add_perm("courses.run_session", is_officer | runs_session)
