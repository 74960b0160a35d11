"""Reads of the courses app. Permission questions that views and the API share live here too.

Domain records (enrolments, progress, sessions) always point at the course and lesson pages in
the default locale (Chinese); a translated page is mapped to it through its translation key.
"""

from dataclasses import dataclass, field
from functools import cache as memoise

from django.db import connections
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Length, Substr
from django.utils import timezone
from wagtail.models import Locale, Page

from cms.cache import FRAGMENT_FORM, page_cache_version, versioned_cached
from institute.sql_names import column_name, table_name
from trainees import roles

from .models import (
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    ModulePage,
    PracticalAssessment,
    PracticeSession,
    SessionBooking,
)


def default_locale() -> Locale:
    return Locale.get_default()


def canonical_page(page: Page) -> Page:
    """The default-locale version of a page (itself when it already is)."""
    locale = default_locale()
    if page.locale_id == locale.pk:
        return page
    return page.get_translation(locale).specific


def _courses_of_lesson(lesson: LessonPage) -> tuple[CoursePage | None, CoursePage | None]:
    """The course page above a lesson (in the lesson's locale) and its default-locale version.

    Kept under the site-wide version of `cms.cache` by tree path (saving, publishing, moving or
    deleting any page starts a new one), and on the lesson object for its current tree path (a
    lesson view asks three times). The course's instructors and enrolments are always read
    afresh, never from this copy."""
    if lesson.pk is None and not lesson.path:
        return None, None
    remembered = lesson.__dict__.get("_courses_of_lesson")
    if remembered is not None and remembered[0] == lesson.path:
        return remembered[1]
    key = f"lesson-courses:{FRAGMENT_FORM}:{page_cache_version()}:{lesson.path}"
    courses = versioned_cached(key, build=lambda: _courses_above(lesson)) or (None, None)
    lesson._courses_of_lesson = (lesson.path, courses)
    return courses


def _courses_above(lesson: LessonPage) -> tuple[CoursePage, CoursePage] | None:
    course_page = CoursePage.objects.ancestor_of(lesson).first()
    return (course_page, canonical_page(course_page)) if course_page else None


def course_page_of_lesson(lesson: LessonPage) -> CoursePage | None:
    """The course page above a lesson, in the lesson's own locale (for links and titles)."""
    return _courses_of_lesson(lesson)[0]


def course_of_lesson(lesson: LessonPage) -> CoursePage | None:
    """The (default-locale) course a lesson belongs to."""
    return _courses_of_lesson(lesson)[1]


def user_is_instructor_of(*, user, course: CoursePage) -> bool:
    if not getattr(user, "is_authenticated", False) or course is None:
        return False
    course = canonical_page(course)
    return course.instructors.filter(pk=user.pk).exists()


def instructor_user_ids_for(*, user) -> set[int]:
    """Everyone who instructed this trainee: course instructors, session instructors, assessors."""
    course_ids = Enrolment.objects.filter(user=user).values("course_id")
    ids = set(
        CoursePage.instructors.through.objects.filter(coursepage_id__in=course_ids).values_list(
            "user_id", flat=True
        )
    )
    ids |= set(
        SessionBooking.objects.filter(user=user, session__instructor__isnull=False).values_list(
            "session__instructor_id", flat=True
        )
    )
    ids |= set(
        PracticalAssessment.objects.filter(user=user).values_list("assessed_by_id", flat=True)
    )
    return ids


def completed_courses(*, user) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(user=user, status=Enrolment.Status.COMPLETED)
        .select_related("course")
        .order_by("-completed_at")
    )


def enrolment_for(*, user, course: CoursePage) -> Enrolment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Enrolment.objects.filter(user=user, course=canonical_page(course)).first()


def user_may_study(*, user, course: CoursePage) -> bool:
    enrolment = enrolment_for(user=user, course=course)
    return enrolment is not None and enrolment.status in Enrolment.STUDY_STATUSES


@dataclass
class LessonAccess:
    course: CoursePage | None  # default locale
    enrolment: Enrolment | None  # with `lesson_done`: this lesson is complete
    allowed: bool


def lesson_access(*, user, lesson: LessonPage) -> LessonAccess:
    """Who may read a lesson: officers, people enrolled on its course (active or completed) and
    the course's instructors. The enrolment comes back for the view, with whether this lesson
    is done, so a lesson view asks for it once."""
    course = course_of_lesson(lesson)
    enrolment = None
    if course is not None and getattr(user, "is_authenticated", False):
        enrolment = _enrolment_with_lesson_done(user=user, course=course, lesson=lesson)
    allowed = (
        roles.is_officer(user)
        or (enrolment is not None and enrolment.status in Enrolment.STUDY_STATUSES)
        or user_is_instructor_of(user=user, course=course)
    )
    return LessonAccess(course=course, enrolment=enrolment, allowed=allowed)


def _enrolment_with_lesson_done(*, user, course: CoursePage, lesson: LessonPage):
    """`Enrolment.objects.filter(user=user, course=course).annotate(lesson_done=Exists(progress
    on a lesson with this translation key)).first()`, from SQL written once per database from
    the models' metadata (as `institute.api_auth` does).

    Every trainee's lesson view runs it; building it through the ORM cost about 0.6 ms of CPU
    a view against 0.1 ms for the query itself."""
    connection = connections[Enrolment.objects.db]
    key_field = Page._meta.get_field("translation_key")
    params = [
        key_field.get_db_prep_value(lesson.translation_key, connection),
        user.pk,
        course.pk,
    ]
    found = list(Enrolment.objects.raw(_enrolment_with_lesson_done_sql(connection.alias), params))
    if not found:
        return None
    found[0].lesson_done = bool(found[0].lesson_done)  # SQLite answers 0 or 1
    return found[0]


@memoise
def _enrolment_with_lesson_done_sql(alias: str) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return column_name(connection, model, name)

    enrolment, progress, page = (
        table_name(connection, model) for model in (Enrolment, LessonProgress, Page)
    )
    selected = ", ".join(f"e.{quote(field.column)}" for field in Enrolment._meta.concrete_fields)
    # Names come from the models' metadata, quoted; the values are parameters.
    return " ".join(
        [
            f"SELECT {selected}, EXISTS (SELECT 1 FROM {progress} p",  # noqa: S608
            f"INNER JOIN {page} l ON l.{column(Page, 'id')} = p.{column(LessonProgress, 'lesson')}",
            f"WHERE p.{column(LessonProgress, 'enrolment')} = e.{column(Enrolment, 'id')}",
            f"AND l.{column(Page, 'translation_key')} = %s) AS lesson_done",
            f"FROM {enrolment} e WHERE e.{column(Enrolment, 'user')} = %s",
            f"AND e.{column(Enrolment, 'course')} = %s",  # unique together: one row at most
        ]
    )


def seats_taken(*, course: CoursePage) -> int:
    return Enrolment.objects.filter(
        course=canonical_page(course), status__in=Enrolment.SEAT_STATUSES
    ).count()


def required_lessons(*, course: CoursePage) -> QuerySet[LessonPage]:
    """Live required lessons in live modules: a lesson whose module is unpublished is not shown
    to trainees, so it cannot be required of them."""
    course = canonical_page(course)
    live_module_paths = ModulePage.objects.child_of(course).live().values("path")
    return (
        LessonPage.objects.live()
        .descendant_of(course)
        .filter(required=True)
        .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .filter(parent_path__in=live_module_paths)
    )


# --- Catalogue ------------------------------------------------------------------------------


@dataclass
class CatalogueFilters:
    query: str = ""
    delivery_mode: str = ""
    level: str = ""
    competency: str = ""
    language: str = ""


def catalogue_courses(*, locale: Locale, filters: CatalogueFilters) -> QuerySet[CoursePage]:
    """Live courses in one locale, filtered, each annotated with `seats_taken`."""
    taken = (
        Enrolment.objects.filter(
            course__translation_key=OuterRef("translation_key"),
            status__in=Enrolment.SEAT_STATUSES,
        )
        .values("course__translation_key")
        .annotate(total=Count("pk"))
        .values("total")
    )
    courses = (
        CoursePage.objects.live()
        .filter(locale=locale)
        .annotate(seats_taken=Coalesce(Subquery(taken, output_field=IntegerField()), Value(0)))
        .order_by("code", "pk")
    )
    if filters.delivery_mode:
        courses = courses.filter(delivery_mode=filters.delivery_mode)
    if filters.level.isdecimal():
        courses = courses.filter(level=int(filters.level))
    if filters.language:
        courses = courses.filter(language=filters.language)
    if filters.competency:
        # Competencies are kept on the default-locale course; match its translation key.
        keys = CoursePage.objects.filter(competencies__code=filters.competency).values(
            "translation_key"
        )
        courses = courses.filter(translation_key__in=keys)
    if filters.query:
        text = filters.query.strip()
        courses = courses.filter(
            Q(title__icontains=text) | Q(code__icontains=text) | Q(summary__icontains=text)
        )
    return courses


# --- Course home: outline and progress ------------------------------------------------------


@dataclass
class LessonRow:
    lesson: LessonPage
    completed: bool
    locked: bool


@dataclass
class ModuleRow:
    module: ModulePage
    lessons: list[LessonRow] = field(default_factory=list)


@dataclass
class Outline:
    modules: list[ModuleRow]
    percent: int
    next_lesson: LessonPage | None


def completed_lesson_keys(*, enrolment: Enrolment | None) -> set:
    if enrolment is None:
        return set()
    return set(
        LessonProgress.objects.filter(enrolment=enrolment).values_list(
            "lesson__translation_key", flat=True
        )
    )


def course_outline(*, course: CoursePage, enrolment: Enrolment | None) -> Outline:
    """Modules and lessons of the page being viewed (its locale), with the person's progress.

    Three queries whatever the size of the course: modules, lessons, completed lessons.
    """
    modules = list(ModulePage.objects.child_of(course).live().order_by("path"))
    lessons = LessonPage.objects.live().descendant_of(course).order_by("path")
    done = completed_lesson_keys(enrolment=enrolment)
    rows = {module.path: ModuleRow(module=module) for module in modules}
    sequence = course.requires_sequence
    blocked = False
    required_total = required_done = 0
    next_lesson = None
    for lesson in lessons:
        module_row = rows.get(lesson.path[: -Page.steplen])
        if module_row is None:  # its module is unpublished
            continue
        completed = lesson.translation_key in done
        module_row.lessons.append(
            LessonRow(lesson=lesson, completed=completed, locked=sequence and blocked)
        )
        if lesson.required:
            required_total += 1
            required_done += completed
            blocked = blocked or not completed
        if next_lesson is None and not completed:
            next_lesson = lesson
    percent = round(100 * required_done / required_total) if required_total else 0
    if enrolment is not None and enrolment.status == Enrolment.Status.COMPLETED:
        percent = 100
    return Outline(modules=list(rows.values()), percent=percent, next_lesson=next_lesson)


def lesson_is_locked(*, lesson: LessonPage, course: CoursePage, enrolment: Enrolment) -> bool:
    """In a sequenced course, a lesson opens once every earlier required lesson is done."""
    if not course.requires_sequence:
        return False
    done = completed_lesson_keys(enrolment=enrolment)
    earlier = (
        LessonPage.objects.live()
        .descendant_of(course)
        .filter(required=True, path__lt=lesson.path)
        .values_list("translation_key", flat=True)
    )
    return any(key not in done for key in earlier)


# --- Dashboard ------------------------------------------------------------------------------


def my_enrolments(*, user) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(user=user).select_related("course", "last_lesson")


def taught_courses(*, user) -> QuerySet[CoursePage]:
    """Courses the person instructs (default locale), for their staff links."""
    return CoursePage.objects.filter(instructors=user, locale=default_locale()).order_by("code")


def upcoming_bookings(*, user) -> QuerySet[SessionBooking]:
    return (
        SessionBooking.objects.filter(
            user=user, status=SessionBooking.Status.BOOKED, session__ends_at__gte=timezone.now()
        )
        .select_related("session", "session__course")
        .order_by("session__starts_at")
    )


def bookable_sessions(*, course: CoursePage) -> QuerySet[PracticeSession]:
    return (
        PracticeSession.objects.filter(course=canonical_page(course), starts_at__gte=timezone.now())
        .annotate(booked=Count("bookings", filter=Q(bookings__status=SessionBooking.Status.BOOKED)))
        .select_related("instructor")
        .order_by("starts_at")
    )


def localized(pages, locale_id: int) -> dict:
    """Map default-locale pages to their translation in `locale_id` (one query)."""
    keys = [page.translation_key for page in pages]
    translated = Page.objects.filter(translation_key__in=keys, locale_id=locale_id).live()
    by_key = {page.translation_key: page for page in translated}
    return {page.pk: by_key.get(page.translation_key, page) for page in pages}
