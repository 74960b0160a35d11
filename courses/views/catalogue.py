"""The catalogue (CourseIndexPage): filters, free-text search, seats left, pagination."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from cms.cache import fragment_cached
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


class CountedPaginator(Paginator):
    """A paginator told its count (counting every live course is the dearest query of the
    catalogue: 10,000 courses, ~6 ms)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def catalogue_context(*, request, index) -> dict:
    filters = filters_from(request)
    courses = catalogue_courses(locale=index.locale, filters=filters)
    # Which courses are live only changes when a page is published, unpublished, moved or
    # deleted, and each of those starts a new site-wide version (cms/cache.py): the count of
    # the unfiltered catalogue (the one every visitor opens, and the dearest) is kept under
    # the version. Filtered counts are not kept: visitors' input would make one entry each.
    # Seats left are read live on every view.
    if filters == CatalogueFilters():
        count = fragment_cached(request, "catalogue-count", index.pk, build=courses.count)
    else:
        count = courses.count()
    page = CountedPaginator(courses, PAGE_SIZE, count=count).get_page(request.GET.get("page"))
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
