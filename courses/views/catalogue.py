"""The catalogue (CourseIndexPage): filters, free-text search, seats left, pagination."""

from django.core.paginator import Paginator

from trainees.models import Competency

from ..models import CoursePage
from ..selectors import CatalogueFilters, catalogue_courses

PAGE_SIZE = 12


def filters_from(request) -> CatalogueFilters:
    get = request.GET
    return CatalogueFilters(
        query=get.get("q", "")[:100],
        delivery_mode=get.get("mode", ""),
        level=get.get("level", ""),
        competency=get.get("competency", ""),
        language=get.get("language", ""),
    )


def catalogue_context(*, request, index) -> dict:
    filters = filters_from(request)
    courses = catalogue_courses(locale=index.locale, filters=filters)
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    for course in page:
        course.seats_left = (
            None if course.capacity is None else max(course.capacity - course.seats_taken, 0)
        )
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return {
        "courses": page,
        "filters": filters,
        "filter_query": query_string.urlencode(),
        "delivery_modes": CoursePage.DeliveryMode.choices,
        "levels": CoursePage.Level.choices,
        "languages": CoursePage.Language.choices,
        "competencies": Competency.objects.all(),
    }
