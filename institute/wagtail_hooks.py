"""Admin screens of cross-cutting records: the read-only audit log viewer."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from .admin_policies import READ_ACTIONS, RolePolicy
from .models import AuditRecord


class AuditRecordFilterSet(WagtailFilterSet):
    person = django_filters.CharFilter(
        field_name="actor__email", lookup_expr="icontains", label=_("Person (email)")
    )
    object = django_filters.CharFilter(
        field_name="object_repr", lookup_expr="icontains", label=_("Object")
    )
    action = django_filters.CharFilter(lookup_expr="icontains", label=_("Action"))
    object_type = django_filters.CharFilter(lookup_expr="icontains", label=_("Object type"))
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Period"), widget=DateRangePickerWidget
    )

    class Meta:
        model = AuditRecord
        fields: list[str] = []


class AuditRecordViewSet(ModelViewSet):
    model = AuditRecord
    icon = "history"
    menu_label = _("Audit log")
    add_to_admin_menu = True
    menu_order = 9000
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = AuditRecordFilterSet
    list_display = ["created_at", "actor", "action", "object_type", "object_repr", "reason"]
    list_export = [
        "created_at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "reason",
        "data",
    ]
    export_filename = "audit-log"
    search_fields = ["object_repr", "reason", "action"]
    ordering = ["-created_at", "-id"]
    list_per_page = 50
    form_fields: list[str] = []

    def get_queryset(self, request):
        return AuditRecord.objects.select_related("actor")


# Only viewing is ever allowed, for superusers too: audit records are append-only.
register_permission_policy(AuditRecord, RolePolicy(AuditRecord, allowed_actions=READ_ACTIONS))


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditRecordViewSet("audit_log")
