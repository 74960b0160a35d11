"""Rows for the certification dashboard tests: credentials in every state, graded attempts
over two months, enrolments and completions in two organisations."""

from datetime import datetime, timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone

from courses.models import Enrolment
from exams.models import Attempt
from tests.courses.factories import make_course
from tests.exams.factories import ExamFactory
from tests.factories import make_user
from tests.trainees.certification_factories import SchemeVersionFactory, make_approved_application
from trainees import roles
from trainees.models import CpdActivity, Credential, RequiredCourse, RequiredExam

_serial = count(2_000_000)
DASHBOARD = "/admin/certification-dashboard/"


def make_credential(holder, version, decider, *, status="active", days_left=400, issued=None):
    now = timezone.now()
    index = next(_serial)
    issued = issued or now - timedelta(days=500)
    return Credential.objects.create(
        number=f"CCIC-D-{index}", application=make_approved_application(holder, version, decider),
        holder=holder, scheme_version=version, scope_zh="工厂检查", scope_en="Factory inspection",
        issued_at=issued, valid_from=issued, valid_until=now + timedelta(days=days_left),
        status=status, status_index=index,
    )  # fmt: skip


def make_attempt(user, exam, *, passed: bool, submitted: datetime):
    return Attempt.objects.create(
        exam=exam, user=user, number=Attempt.objects.filter(exam=exam, user=user).count() + 1,
        status=Attempt.Status.GRADED, started_at=submitted - timedelta(hours=1),
        deadline=submitted, submitted_at=submitted, graded_at=submitted, released_at=submitted,
        score_percent=Decimal("80" if passed else "40"), passed=passed,
    )  # fmt: skip


def add_cpd(person) -> None:
    """One approved outside activity (5 h) that counts; a pending one and a course completion
    mirrored into the ledger that do not."""
    today = timezone.localdate()
    CpdActivity.objects.create(
        user=person,
        date=today - timedelta(days=10),
        hours=Decimal("5.0"),
        category="training",
        title="外部培训",
        status="approved",
    )
    CpdActivity.objects.create(
        user=person,
        date=today,
        hours=Decimal("3.0"),
        category="other",
        title="待审",
        status="pending",
    )
    CpdActivity.objects.create(
        user=person,
        date=today,
        hours=Decimal("8.0"),
        category="course",
        title="课程",
        status="approved",
        source_key=f"enrolment:{person.pk}",
    )


class World:
    """Two schemes (each with its course and exam), set up once per test."""

    def __init__(self, decider):
        self.decider = decider
        self.versions = [SchemeVersionFactory(), SchemeVersionFactory()]
        self.courses = [make_course(lessons=1, hours=Decimal("8.0"))[0],
                        make_course(lessons=1, hours=Decimal("12.5"))[0]]  # fmt: skip
        self.exams = [ExamFactory(), ExamFactory()]
        for version, course, exam in zip(self.versions, self.courses, self.exams, strict=True):
            RequiredCourse.objects.create(version=version, course=course)
            RequiredExam.objects.create(version=version, exam=exam)

    def add_people(self, organisation, size: int, *, first_month: datetime) -> None:
        """`size` people per scheme; each holds a credential in one state (cycling through
        them), sat the scheme's exam in two months, enrolled on (some completed) its course, and
        (every third) has outside CPD."""
        states = [("active", 400), ("active", 20), ("active", 50), ("active", -3),
                  ("suspended", 400), ("withdrawn", 400), ("expired", -40), ("superseded", 100)]  # fmt: skip
        second_month = first_month + timedelta(days=32)
        for position, (version, course, exam) in enumerate(
            zip(self.versions, self.courses, self.exams, strict=True)
        ):
            for number in range(size):
                person = make_user(roles.TRAINEE, organisation=organisation)
                status, days_left = states[(number + position) % len(states)]
                make_credential(person, version, self.decider, status=status, days_left=days_left)
                make_attempt(person, exam, passed=number % 2 == 0, submitted=first_month)
                make_attempt(person, exam, passed=number % 3 == 0, submitted=second_month)
                if number % 3 == 0:
                    add_cpd(person)
                completed = number % 2 == 0
                Enrolment.objects.create(
                    user=person, course=course, status="completed" if completed else "active",
                    completed_at=timezone.now() if completed else None,
                    study_hours=course.hours if completed else 0,
                )  # fmt: skip
