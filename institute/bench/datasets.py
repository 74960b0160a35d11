"""Benchmark data sets, built once in the benchmark database and reused by later runs.

Courses are live Wagtail pages with the rows `add_child` would write, inserted in bulk (see
`ensure_bench_courses`); the large set is built once and kept, and the small set is the same
database with all but a few benchmark courses taken offline for the length of one measurement
(`live_courses_limited_to`).
"""

import contextlib
import io
import time
from decimal import Decimal

from django.core.management import call_command
from django.db import transaction

BENCH_SLUG_PREFIX = "bench-course-"


def ensure_demo_site() -> None:
    """The demo site (home, lessons, accounts): `seed_demo` is idempotent."""
    from cms.models import HomePage

    if not HomePage.objects.exists():
        call_command("seed_demo", stdout=io.StringIO())


def _catalogue_index():
    from wagtail.models import Locale

    from courses.models import CourseIndexPage

    return CourseIndexPage.objects.filter(locale=Locale.get_default()).first()


def bench_courses():
    from courses.models import CoursePage

    return CoursePage.objects.filter(slug__startswith=BENCH_SLUG_PREFIX)


def _bench_course(number: int):
    from courses.models import CoursePage

    title = f"基准课程 {number:05d}"
    return CoursePage(
        title=title,
        draft_title=title,
        slug=f"{BENCH_SLUG_PREFIX}{number:05d}",
        code=f"BENCH-{number:05d}",
        summary="产品认证工厂检查（基准数据）。",
        hours=Decimal("8.0"),
        capacity=30,
    )


def _bulk_insert_courses(index, numbers: range) -> None:
    """Insert live course pages as `add_child` would leave them, many rows per statement."""
    import uuid

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.models import Page

    from courses.models import CoursePage

    last = index.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(CoursePage)
    courses = [_bench_course(number) for number in numbers]
    for offset, course in enumerate(courses, start=1):
        course.path = Page._get_path(index.path, index.depth + 1, step + offset)
        course.depth, course.numchild, course.live = index.depth + 1, 0, True
        course.content_type, course.locale_id = content_type, index.locale_id
        course.translation_key = uuid.uuid4()
        course.url_path = f"{index.url_path}{course.slug}/"
        course.first_published_at = course.last_published_at = now
    pages = Page.objects.bulk_create([Page(**_page_fields(course)) for course in courses])
    for course, page in zip(courses, pages, strict=True):
        course.page_ptr_id = course.pk = page.pk
    fields = CoursePage._meta.local_concrete_fields
    CoursePage._base_manager._insert(courses, fields=fields, using="default")
    Page.objects.filter(pk=index.pk).update(numchild=index.get_children().count())
    index.refresh_from_db()


def _page_fields(course) -> dict:
    from wagtail.models import Page

    return {
        field.attname: getattr(course, field.attname)
        for field in Page._meta.concrete_fields
        if not field.primary_key
    }


def ensure_bench_courses(count: int, *, log=print) -> dict:
    """At least `count` benchmark courses; returns how many were made and how long it took.

    Made through the page tree API (`add_child`) a page cost about 29 queries and 0.34 s on
    the shared, loaded machine (10,000: about an hour); the same rows are inserted in bulk
    instead, in batches, without search-index entries (the catalogue filters need none).
    """
    ensure_demo_site()
    index = _catalogue_index()
    existing = bench_courses().count()
    started = time.perf_counter()
    for first in range(existing, count, BATCH):
        with transaction.atomic():
            _bulk_insert_courses(index, range(first, min(first + BATCH, count)))
        log(
            f"  {min(first + BATCH, count)}/{count} courses ({time.perf_counter() - started:.0f} s)"
        )
    made = max(count - existing, 0)
    return {"made": made, "seconds": round(time.perf_counter() - started, 1)}


BATCH = 1000


@contextlib.contextmanager
def live_courses_limited_to(count: int):
    """Only the first `count` benchmark courses live while inside; all live again after."""
    from wagtail.models import Page

    keep = list(bench_courses().order_by("slug").values_list("pk", flat=True)[:count])
    hidden = Page.objects.filter(slug__startswith=BENCH_SLUG_PREFIX, live=True).exclude(pk__in=keep)
    hidden_ids = list(hidden.values_list("pk", flat=True))
    from cms.cache import page_cache_invalidate

    # A bulk update sends no page signal: start a new site version as publishing would, so
    # no cached count or fragment of the other data set is served.
    Page.objects.filter(pk__in=hidden_ids).update(live=False)
    page_cache_invalidate()
    _analyse()
    try:
        yield
    finally:
        Page.objects.filter(pk__in=hidden_ids).update(live=True)
        page_cache_invalidate()
        _analyse()


def _analyse() -> None:
    """Fresh planner statistics after thousands of pages changed state at once, as autovacuum
    would give a real site of that size (else each data set runs with the other's plan)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE wagtailcore_page, courses_coursepage")
