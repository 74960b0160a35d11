"""Admin screens of the certification domain (officers): competencies, schemes and their
versions with requirement rows; read-only views of applications, credentials and CPD.

Credential status changes and decisions go through the site's pages and API (services with
audit records), never through a generic edit form.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from institute.admin_policies import READ_ACTIONS, RolePolicy
from institute.admin_views import ProtectedDeleteView

from .models import Application, Competency, CpdActivity, Credential, Scheme, SchemeVersion


class CompetencyViewSet(ModelViewSet):
    model = Competency
    delete_view_class = ProtectedDeleteView
    icon = "list-ul"
    menu_label = _("Competencies")
    list_display = ["code", "title_zh", "title_en", "level", "parent"]
    search_fields = ["code", "title_zh", "title_en"]
    panels = [FieldPanel(name) for name in
              ["parent", "code", "title_zh", "title_en", "description", "level"]]  # fmt: skip


class SchemeViewSet(ModelViewSet):
    model = Scheme
    delete_view_class = ProtectedDeleteView
    icon = "tag"
    menu_label = _("Schemes")
    list_display = ["code", "title_zh", "title_en", "is_active"]
    search_fields = ["code", "title_zh", "title_en"]
    panels = [FieldPanel(name) for name in
              ["code", "title_zh", "title_en", "description_zh", "description_en",
               "competencies", "is_active"]]  # fmt: skip


class SchemeVersionViewSet(ModelViewSet):
    model = SchemeVersion
    delete_view_class = ProtectedDeleteView
    icon = "form"
    menu_label = _("Scheme versions")
    list_display = ["scheme", "number", "is_published", "validity_months", "cpd_hours_per_cycle"]
    list_filter = ["scheme", "is_published"]
    panels = [
        MultiFieldPanel(
            [FieldPanel(n) for n in ["scheme", "number", "is_published", "published_at"]],
            heading=_("Version"),
        ),
        FieldPanel("scope_zh"),
        FieldPanel("scope_en"),
        MultiFieldPanel(
            [FieldPanel(n) for n in ["validity_months", "min_experience_months",
                                     "cpd_hours_per_cycle"]],
            heading=_("Credential"),
        ),
        MultiFieldPanel(
            [FieldPanel(n) for n in ["renewal_window_days", "grace_days", "renewal_cpd_hours",
                                     "renewal_requires_refresher", "refresher_exam",
                                     "refresher_min_score"]],
            heading=_("Recertification"),
        ),
        InlinePanel("required_courses", heading=_("Required courses"), label=_("Course")),
        InlinePanel("required_exams", heading=_("Required exams"), label=_("Exam")),
        InlinePanel("required_practicals", heading=_("Required practical assessments"),
                    label=_("Practical assessment")),
        InlinePanel("required_credentials", heading=_("Prerequisite credentials"),
                    label=_("Credential")),
    ]  # fmt: skip


class ApplicationViewSet(ModelViewSet):
    model = Application
    icon = "doc-full"
    menu_label = _("Applications")
    list_display = ["candidate", "scheme_version", "kind", "status", "is_eligible", "created_at"]
    list_filter = ["status", "kind", "scheme_version__scheme"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["status"]


class CredentialViewSet(ModelViewSet):
    model = Credential
    icon = "success"
    menu_label = _("Credentials")
    list_display = ["number", "holder", "scheme_version", "status", "valid_until"]
    list_filter = ["status", "scheme_version__scheme"]
    search_fields = ["number"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["status"]


class CpdActivityViewSet(ModelViewSet):
    model = CpdActivity
    icon = "time"
    menu_label = _("CPD activities")
    list_display = ["user", "date", "title", "hours", "category", "status"]
    list_filter = ["status", "category"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["status"]


class CertificationViewSetGroup(ModelViewSetGroup):
    menu_label = _("Certification")
    menu_icon = "success"
    menu_order = 260
    items = (
        CompetencyViewSet("competencies"),
        SchemeViewSet("schemes"),
        SchemeVersionViewSet("scheme_versions"),
        ApplicationViewSet("certification_applications"),
        CredentialViewSet("credentials"),
        CpdActivityViewSet("cpd_activities"),
    )


# Certification officers (and superusers) manage these; nobody else sees them. Applications,
# credentials and CPD are read-only here: their changes go through services with audit records.
for _model in (Competency, Scheme, SchemeVersion):
    register_permission_policy(_model, RolePolicy(_model))
for _model in (Application, Credential, CpdActivity):
    register_permission_policy(_model, RolePolicy(_model, allowed_actions=READ_ACTIONS))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return CertificationViewSetGroup()


from .imports.wagtail_hooks import import_trainees_menu_item  # noqa: E402, F401
from .wagtail_hooks_dashboard import register_dashboard_urls  # noqa: E402, F401
from .wagtail_hooks_organisations import register_organisation_viewsets  # noqa: E402, F401
