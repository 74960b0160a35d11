"""Admin views of the certification dashboard (`/admin/certification-dashboard/`), its
drill-down lists and their exports. Certification officers only: anyone else gets a 404.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from institute.audit import audit_record_create
from institute.jobs import job_create
from institute.permissions import can

from ..models import Organisation, Scheme
from ..reports import FORMATS, PERMISSION, REPORTS, report_bind
from ..selectors_dashboard import STATES
from ..tasks_reports import report_export
from .filters import FILTER_KEYS, DashboardFilterForm, clean_query, query_string
from .panels import dashboard_panels

ROWS_PER_PAGE = 50
# How long the dashboard's figures are reused (the page says as of when).
PANELS_CACHE_SECONDS = 60
# Lists whose hours the dashboard shows: their total is printed (and equals the number).
HOURS_FIELDS = {"training-hours": "hours_counted", "cpd-hours": "hours"}
QUERY_LABELS = {
    "organisation": _("Organisation"),
    "scheme": _("Scheme"),
    "period": _("Period"),
    "state": _("State"),
    "expires_within": _("Expiring within (days)"),
    "exam": _("Exam"),
    "month": _("Month"),
    "result": _("Result"),
    "measure": _("Measure"),
    "course": _("Course"),
}


def _described(bound) -> list[tuple[str, str]]:
    """The list's parameters in words (organisation by name, state by label)."""
    readable = dict(bound.query)
    if bound.filters and bound.filters.organisation:
        readable["organisation"] = bound.filters.organisation.name_zh
    if bound.filters and bound.filters.without_organisation:
        readable["organisation"] = _("No organisation")
    if readable.get("state") in STATES:
        readable["state"] = STATES[readable["state"]]
    return [(QUERY_LABELS.get(key, key), value) for key, value in readable.items()]


class ReportPaginator(Paginator):
    """Pages of a report's rows, counted by the report (without its columns' joins)."""

    def __init__(self, rows, per_page, *, counted: Callable[[], int]):
        super().__init__(rows, per_page)
        self.counted = counted

    @cached_property
    def count(self) -> int:
        return self.counted()


class OfficersOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, PERMISSION):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def _filter_choices() -> dict:
    """The filter form's options: two small queries."""
    return {
        "organisations": list(
            Organisation.objects.order_by("name_zh").values_list("pk", "name_zh")
        ),
        "schemes": list(Scheme.objects.order_by("code").values_list("code", "title_zh")),
    }


def panels_cache_key(query: dict) -> str:
    text = "|".join([urlencode(sorted(query.items())), get_language() or "", get_script_prefix()])
    return "certification-dashboard:" + hashlib.sha256(text.encode()).hexdigest()


def panels_html(filters, query: dict) -> tuple[str, datetime]:
    """The panels rendered, and when their figures were computed. Kept PANELS_CACHE_SECONDS
    per filter set and language: the whole-table aggregates and the 1,000-row tables cost
    about a second on 100,000 trainees, and officers reload the page. Anyone allowed here
    sees the same figures, so the user is not part of the key."""
    key = panels_cache_key(query)
    cached = cache.get(key)
    now = timezone.now()
    # The age is checked here too, not only by the cache's own expiry, so the rule is the
    # same on every cache backend and clock.
    if cached is None or (now - cached["as_of"]).total_seconds() >= PANELS_CACHE_SECONDS:
        panels = dashboard_panels(filters, query, now)
        html = render_to_string("trainees/dashboard/_panels.html", {"panels": panels})
        cached = {"html": html, "as_of": now}
        cache.set(key, cached, PANELS_CACHE_SECONDS)
    return mark_safe(cached["html"]), cached["as_of"]  # noqa: S308 - our own rendering


class DashboardView(OfficersOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "trainees/dashboard/dashboard.html"
    page_title = _("Certification dashboard")
    header_icon = "success"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = clean_query(self.request.GET, FILTER_KEYS)
        form = DashboardFilterForm(query)
        context.update(form=form, query=query, states=STATES, **_filter_choices())
        if form.is_valid():
            context["panels_html"], context["figures_as_of"] = panels_html(form.filters(), query)
        return context


class ReportListView(OfficersOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "trainees/dashboard/report.html"
    header_icon = "list-ul"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.report = REPORTS.get(kwargs["report"])

    def dispatch(self, request, *args, **kwargs):
        if self.report is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.report.title

    def get_breadcrumbs_items(self):
        dashboard = {"url": reverse("certification_dashboard"),
                     "label": _("Certification dashboard")}  # fmt: skip
        return [*self.breadcrumbs_items, dashboard, {"url": "", "label": self.report.title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bound = report_bind(self.report, self.request.GET)
        export_path = reverse("certification_dashboard_export", args=[self.report.name])
        context.update(report=self.report, bound=bound, formats=FORMATS, described=_described(bound),
                       export_url=export_path + query_string(bound.query),
                       page_query_string=urlencode(bound.query) + "&" if bound.query else "",
                       dashboard_url=reverse("certification_dashboard")
                       + query_string(clean_query(bound.query, FILTER_KEYS)))  # fmt: skip
        if not bound.errors:
            context.update(self._rows(bound))
        return context

    def _rows(self, bound) -> dict:
        """A page of rows (a count and a page query) and, for completions, their hours."""
        paginator = ReportPaginator(bound.rows(), ROWS_PER_PAGE, counted=bound.count)
        page = paginator.get_page(self.request.GET.get("p"))
        context = {"page": page, "headers": self.report.headers(),
                   "table": [self.report.cells(row) for row in page.object_list]}  # fmt: skip
        hours_field = HOURS_FIELDS.get(self.report.name)
        if bound.options.get("measure") == "completed":
            hours_field = "hours_counted"
        if hours_field:
            hours = bound.queryset().aggregate(total=Sum(hours_field))["total"]
            context["total_hours"] = hours or 0
        return context


class ReportExportView(OfficersOnlyMixin, View):
    """Start the export of a list as a background job, then follow it at /jobs/<id>/."""

    def post(self, request, report):
        definition = REPORTS.get(report)
        if definition is None:
            raise Http404
        bound = report_bind(definition, request.GET)
        file_format = request.POST.get("format", "")
        list_url = reverse("certification_dashboard_report", args=[report])
        if bound.errors or file_format not in FORMATS:
            messages.error(request, _("The export was not started: check the filters."))
            return redirect(list_url + query_string(bound.query))
        job = _export_job_create(request.user, definition.name, bound.query, file_format)
        return redirect("job-detail", pk=job.pk)


@transaction.atomic
def _export_job_create(user, report: str, query: dict, file_format: str):
    parameters = {"report": report, "query": query, "format": file_format,
                  "language": get_language()}  # fmt: skip
    job = job_create(kind=f"reports.{report}", owner=user, parameters=parameters)
    # Personal data leaves the platform in this file: who took which rows is on record.
    audit_record_create(actor=user, action="report.export", target=job, data=parameters)
    report_export.delay_on_commit(str(job.pk))
    return job
