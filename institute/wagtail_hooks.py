"""Admin screens of cross-cutting records: the read-only audit log viewer."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import AuditRecord


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only viewing is ever allowed, for superusers too: audit records are append-only."""

    READ_ACTIONS = {"view", "inspect", "export"}

    def user_has_permission(self, user, action):
        if action not in self.READ_ACTIONS:
            return False
        return super().user_has_permission(user, "view")

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)


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


register_permission_policy(AuditRecord, ReadOnlyPermissionPolicy(AuditRecord))


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditRecordViewSet("audit_log")
