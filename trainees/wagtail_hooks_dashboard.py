"""The certification dashboard in the Wagtail admin (officers only): its URLs, its entry in
the Reports menu and a summary panel on the admin home page.

Imported from `trainees/wagtail_hooks.py` (`register_dashboard_urls`).
"""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from institute.permissions import can

from .dashboard.filters import query_string
from .dashboard.panels import list_url
from .dashboard.views import DashboardView, ReportExportView, ReportListView
from .reports import PERMISSION
from .selectors_dashboard import STATES, certification_summary


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return [
        path("certification-dashboard/", DashboardView.as_view(),
             name="certification_dashboard"),
        path("certification-dashboard/<slug:report>/", ReportListView.as_view(),
             name="certification_dashboard_report"),
        path("certification-dashboard/<slug:report>/export/", ReportExportView.as_view(),
             name="certification_dashboard_export"),
    ]  # fmt: skip


class OfficersMenuItem(MenuItem):
    def is_shown(self, request):
        return can(request.user, PERMISSION)


@hooks.register("register_reports_menu_item")
def register_dashboard_menu_item():
    return OfficersMenuItem(
        _("Certification dashboard"),
        reverse("certification_dashboard"),
        name="certification-dashboard",
        icon_name="success",
        order=50,
    )


class CertificationSummaryPanel(Component):
    """Current credentials by state, each number a link to its list: one query."""

    name = "certification_summary"
    template_name = "trainees/dashboard/home_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        counts = certification_summary(timezone.now())
        states = [{"label": label, "count": counts[state],
                   "url": list_url("credentials", {}, state=state)}
                  for state, label in STATES.items()]  # fmt: skip
        return {"states": states,
                "dashboard_url": reverse("certification_dashboard") + query_string({})}  # fmt: skip


@hooks.register("construct_homepage_panels")
def add_certification_summary_panel(request, panels):
    if can(request.user, PERMISSION):
        panels.append(CertificationSummaryPanel())
