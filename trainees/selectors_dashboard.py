"""Numbers of the certification officers' dashboard, and the lists of rows behind them.

Every number is an aggregate over one of four row sets (credentials, graded attempts,
enrolments, completed enrolments); the drill-down list of a number is the same row set
narrowed by the keys of that number. Aggregates are one GROUP BY query each, whatever the
amount of data, and credential states are the organisation pages' (`selectors_organisation`).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.utils import timezone

from courses.models import CoursePage, Enrolment
from exams.models import Attempt, Exam

from .models import (
    CpdActivity,
    Credential,
    Organisation,
    RequiredCourse,
    RequiredExam,
    Scheme,
    SchemeVersion,
    TraineeProfile,
)
from .selectors_organisation import STATES
from .selectors_organisation import _state_condition as state_condition

EXPIRY_HORIZONS = (30, 60, 90)

# Hours a completion counts for: what was awarded, or the course's hours for rows written
# without the award (bulk-loaded history), as the CPD ledger does.
COMPLETION_HOURS = Coalesce(
    NullIf("study_hours", Value(Decimal("0"))),
    "course__hours",
    output_field=DecimalField(max_digits=9, decimal_places=1),
)


@dataclass(frozen=True)
class DashboardFilters:
    """What the officer narrowed the dashboard to. `without_organisation` selects people who
    belong to no organisation; `end` is exclusive."""

    organisation: Organisation | None = None
    without_organisation: bool = False
    scheme: Scheme | None = None
    start: datetime | None = None
    end: datetime | None = None

    def in_period(self, field: str) -> Q:
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{field}__gte": self.start})
        if self.end is not None:
            condition &= Q(**{f"{field}__lt": self.end})
        return condition

    def of_people(self, person_path: str) -> Q:
        if self.without_organisation:
            return Q(**{f"{person_path}__profile__organisation__isnull": True})
        if self.organisation is not None:
            return Q(**{f"{person_path}__profile__organisation": self.organisation})
        return Q()


def _any(*conditions: Q) -> Q:
    """OR of conditions where an empty condition means "every row" (Q() | X would be X)."""
    if any(not condition for condition in conditions):
        return Q()
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


# --- Credentials -------------------------------------------------------------------------------


def credentials_base(filters: DashboardFilters) -> QuerySet[Credential]:
    """Current credentials (not superseded by a renewal), issued within the period."""
    rows = Credential.objects.exclude(status=Credential.Status.SUPERSEDED).filter(
        filters.of_people("holder"), filters.in_period("issued_at")
    )
    if filters.scheme is not None:
        rows = rows.filter(scheme_version__scheme=filters.scheme)
    return rows


def expiring_condition(days: int, now: datetime) -> Q:
    return Q(status=Credential.Status.ACTIVE, valid_until__gt=now,
             valid_until__lte=now + timedelta(days=days))  # fmt: skip


def credentials_by_scheme(filters: DashboardFilters, now: datetime) -> list[dict]:
    """One row per scheme: credentials in each state, the total, and the valid ones that
    expire within 30, 60 and 90 days (each horizon includes the shorter ones). One query."""
    counts = {f"state_{state}": Count("pk", filter=state_condition(state, now)) for state in STATES}
    counts |= {f"within_{days}": Count("pk", filter=expiring_condition(days, now))
               for days in EXPIRY_HORIZONS}  # fmt: skip
    rows = (
        credentials_base(filters)
        .values("scheme_version__scheme_id")
        .annotate(total=Count("pk"), **counts)
        .order_by()
    )
    schemes = Scheme.objects.filter(pk__in={row["scheme_version__scheme_id"] for row in rows})
    by_id = {scheme.pk: scheme for scheme in schemes}
    return sorted(
        (
            {
                "scheme": by_id[row["scheme_version__scheme_id"]],
                "code": by_id[row["scheme_version__scheme_id"]].code,
                "total": row["total"],
                "states": {state: row[f"state_{state}"] for state in STATES},
                "expiring": {days: row[f"within_{days}"] for days in EXPIRY_HORIZONS},
            }
            for row in rows
        ),
        key=lambda row: row["code"],
    )


def credential_rows(
    filters: DashboardFilters, *, state: str = "", expires_within: int | None = None
) -> QuerySet[Credential]:
    now = timezone.now()
    rows = credentials_base(filters)
    if state:
        rows = rows.filter(state_condition(state, now))
    if expires_within:
        rows = rows.filter(expiring_condition(expires_within, now))
    return rows.select_related("holder__profile__organisation", "scheme_version__scheme").order_by(
        "valid_until", "pk"
    )


# --- Exam results ------------------------------------------------------------------------------


def _scheme_exams(scheme: Scheme) -> Q:
    """Exams a scheme asks for: required by one of its versions, or its refresher exam."""
    required = RequiredExam.objects.filter(version__scheme=scheme).values("exam_id")
    refresher = SchemeVersion.objects.filter(scheme=scheme, refresher_exam__isnull=False)
    return Q(exam_id__in=required) | Q(exam_id__in=refresher.values("refresher_exam_id"))


def attempts_base(filters: DashboardFilters) -> QuerySet[Attempt]:
    """Graded attempts with a verdict, submitted within the period."""
    rows = Attempt.objects.filter(
        status=Attempt.Status.GRADED, passed__isnull=False, submitted_at__isnull=False
    ).filter(filters.of_people("user"), filters.in_period("submitted_at"))
    if filters.scheme is not None:
        rows = rows.filter(_scheme_exams(filters.scheme))
    return rows


def pass_rates_by_month(filters: DashboardFilters) -> list[dict]:
    """Attempts and passes per exam and month (of submission, in the site's time zone).

    Grouped by ids only (a hash aggregate on PostgreSQL), the titles read in a second query.
    """
    rows = list(
        attempts_base(filters)
        .annotate(month=TruncMonth("submitted_at"))
        .values("exam_id", "month")
        .annotate(attempts=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
        .order_by()
    )
    titles = Exam.objects.filter(pk__in={row["exam_id"] for row in rows}).in_bulk()
    for row in rows:
        exam = titles[row["exam_id"]]
        row["exam__title_zh"], row["exam__title_en"] = exam.title_zh, exam.title_en
    return sorted(rows, key=lambda row: (row["exam__title_zh"], row["exam_id"], row["month"]))


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month as TruncMonth sees it: from its first midnight in the current time zone."""
    start = timezone.make_aware(datetime(year, month, 1))
    following = datetime(year + month // 12, month % 12 + 1, 1)
    return start, timezone.make_aware(following)


def attempt_rows(
    filters: DashboardFilters, *, exam_id: int, month: tuple[int, int] | None = None,
    result: str = "",
) -> QuerySet[Attempt]:  # fmt: skip
    rows = attempts_base(filters).filter(exam_id=exam_id)
    if month is not None:
        start, end = month_bounds(*month)
        rows = rows.filter(submitted_at__gte=start, submitted_at__lt=end)
    if result:
        rows = rows.filter(passed=(result == "passed"))
    return rows.select_related("exam", "user__profile__organisation").order_by(
        "-submitted_at", "-pk"
    )


# --- Enrolments and training hours -------------------------------------------------------------


def enrolments_base(filters: DashboardFilters) -> QuerySet[Enrolment]:
    rows = Enrolment.objects.filter(filters.of_people("user"))
    if filters.scheme is not None:
        courses = RequiredCourse.objects.filter(version__scheme=filters.scheme)
        rows = rows.filter(course_id__in=courses.values("course_id"))
    return rows


def enrolled_condition(filters: DashboardFilters) -> Q:
    """Enrolments requested within the period (whatever happened to them since)."""
    return filters.in_period("requested_at")


def completed_condition(filters: DashboardFilters) -> Q:
    return Q(status=Enrolment.Status.COMPLETED) & filters.in_period("completed_at")


def enrolments_per_course(filters: DashboardFilters) -> list[dict]:
    enrolled, completed = enrolled_condition(filters), completed_condition(filters)
    rows = list(
        enrolments_base(filters)
        .filter(_any(enrolled, completed))
        .values("course_id")
        .annotate(enrolled=Count("pk", filter=enrolled), completed=Count("pk", filter=completed))
        .order_by()
    )
    courses = CoursePage.objects.filter(pk__in={row["course_id"] for row in rows}).only(
        "code", "title"
    )
    by_id = {course.pk: course for course in courses}
    for row in rows:
        course = by_id[row["course_id"]]
        row["course__code"], row["course__title"] = course.code, course.title
    return sorted(rows, key=lambda row: (row["course__code"], row["course_id"]))


def enrolment_rows(
    filters: DashboardFilters, *, measure: str, course_id: int | None = None
) -> QuerySet[Enrolment]:
    condition = completed_condition if measure == "completed" else enrolled_condition
    rows = enrolments_base(filters).filter(condition(filters))
    if course_id is not None:
        rows = rows.filter(course_id=course_id)
    return (
        rows.select_related("course", "user__profile__organisation")
        .annotate(hours_counted=COMPLETION_HOURS)
        .order_by("-completed_at" if measure == "completed" else "-requested_at", "-pk")
    )


def training_hours_per_organisation(filters: DashboardFilters) -> list[dict]:
    """Per organisation of the trainee (None: people without one): hours of the courses
    completed within the period, and approved outside CPD hours. Grouped by id only (three
    queries: courses, CPD, names)."""
    courses = completion_hours_per_organisation(filters)
    cpd = cpd_hours_per_organisation(filters)
    names = Organisation.objects.filter(pk__in=set(courses) | set(cpd)).in_bulk()
    rows = []
    for key in set(courses) | set(cpd):
        found, course_row, cpd_row = names.get(key), courses.get(key, {}), cpd.get(key, {})
        rows.append({
            "organisation_id": key,
            "name_zh": found.name_zh if found else "",
            "name_en": found.name_en if found else "",
            "hours": course_row.get("hours", Decimal(0)),
            "completions": course_row.get("completions", 0),
            "cpd_hours": cpd_row.get("hours", Decimal(0)),
            "cpd_activities": cpd_row.get("activities", 0),
        })  # fmt: skip
    return sorted(rows, key=lambda row: (-row["hours"], -row["cpd_hours"], row["name_zh"]))


def completion_hours_per_organisation(filters: DashboardFilters) -> dict[int | None, dict]:
    """{organisation id: {"hours", "completions"}} of the completions within the period.

    The rows are exactly the list's (`enrolments_base` + `completed_condition`); only the
    grouping is written by hand: the ORM would reach the profile through the user table, an
    extra join of every person that costs a third of the query on 100,000 trainees.
    """
    rows = (
        enrolments_base(filters)
        .filter(completed_condition(filters))
        .values("user_id", "course_id", "study_hours")
        .order_by()
    )
    inner_sql, parameters = rows.query.sql_with_params()
    profiles, courses = TraineeProfile._meta.db_table, CoursePage._meta.db_table
    course_key = CoursePage._meta.pk.column
    # Table names and the ORM's own SQL only; every value is a parameter.
    sql = (
        f"SELECT profile.organisation_id, SUM(COALESCE(NULLIF(completion.study_hours, 0), "  # noqa: S608
        f"course.hours)), COUNT(*) FROM ({inner_sql}) completion "
        f"LEFT JOIN {profiles} profile ON profile.user_id = completion.user_id "
        f"INNER JOIN {courses} course ON course.{course_key} = completion.course_id "
        f"GROUP BY profile.organisation_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        found = cursor.fetchall()
    return {organisation: {"hours": _tenths(hours), "completions": completions}
            for organisation, hours, completions in found}  # fmt: skip


def _tenths(value) -> Decimal:
    """A sum of hours as the ORM gives it (SQLite answers a float): one decimal place."""
    return Decimal(str(value or 0)).quantize(Decimal("0.1"))


def training_hour_rows(filters: DashboardFilters) -> QuerySet[Enrolment]:
    """The completions an organisation's training hours add up (narrow by organisation)."""
    return enrolment_rows(filters, measure="completed")


def cpd_base(filters: DashboardFilters) -> QuerySet[CpdActivity]:
    """Approved CPD outside the institute's courses (course completions are already training
    hours), dated within the period; with a scheme, of the people holding one of its
    credentials (CPD counts towards their renewal)."""
    rows = (
        CpdActivity.objects.filter(status=CpdActivity.Status.APPROVED)
        .exclude(source_key__startswith="enrolment:")
        .filter(filters.of_people("user"))
    )
    if filters.start is not None:
        rows = rows.filter(date__gte=timezone.localdate(filters.start))
    if filters.end is not None:
        rows = rows.filter(date__lt=timezone.localdate(filters.end))
    if filters.scheme is not None:
        holders = Credential.objects.filter(scheme_version__scheme=filters.scheme).exclude(
            status=Credential.Status.SUPERSEDED
        )
        rows = rows.filter(user_id__in=holders.values("holder_id"))
    return rows


def cpd_hours_per_organisation(filters: DashboardFilters) -> dict[int | None, dict]:
    """{organisation id (None: no organisation): {"hours", "activities"}}, one query."""
    rows = (
        cpd_base(filters)
        .values("user__profile__organisation_id")
        .annotate(hours=Sum("hours"), activities=Count("pk"))
        .order_by()
    )
    return {row["user__profile__organisation_id"]: row for row in rows}


def cpd_rows(filters: DashboardFilters) -> QuerySet[CpdActivity]:
    return cpd_base(filters).select_related("user__profile__organisation").order_by("-date", "-pk")


# --- Summary for the admin home page -----------------------------------------------------------


def certification_summary(now: datetime | None = None) -> dict[str, int]:
    """Counts of current credentials per state, over everything: one query."""
    now = now or timezone.now()
    counts = {state: Count("pk", filter=state_condition(state, now)) for state in STATES}
    return credentials_base(DashboardFilters()).aggregate(**counts)
