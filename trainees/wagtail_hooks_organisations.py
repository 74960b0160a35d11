"""Admin screens for organisations and their HR API tokens (certification officers only).

Registered by `register_organisation_viewsets`, imported from `trainees/wagtail_hooks.py`.
A token is shown once, on the page that creates it; tokens are revoked, never deleted.
"""

from django import forms
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from institute.admin_policies import RolePolicy
from institute.audit import audit_record_create

from . import roles
from .models import Organisation, OrganisationApiToken, User
from .services.organisation_tokens import organisation_token_create, organisation_token_revoke

# --- Organisations ---------------------------------------------------------------------------


class OrganisationForm(WagtailAdminModelForm):
    """Managers are chosen among people with the organisation manager role (and current ones),
    not among every account."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "managers" in self.fields:
            eligible = Q(groups__name=roles.MANAGER)
            if self.instance.pk:
                eligible |= Q(managed_organisations=self.instance.pk)
            self.fields["managers"].queryset = User.objects.filter(eligible).distinct()

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper()


class OrganisationIndexView(generic.IndexView):
    def get_base_queryset(self):
        # Counted in the listing query itself: no query per row.
        return (
            super()
            .get_base_queryset()
            .annotate(
                staff_count=Count("staff", distinct=True),
                manager_count=Count("managers", distinct=True),
            )
        )


class AuditedSaveMixin:
    audit_action = ""

    def save_instance(self):
        instance = super().save_instance()
        audit_record_create(
            actor=self.request.user,
            action=self.audit_action,
            target=instance,
            data={"managers": sorted(instance.managers.values_list("pk", flat=True))},
        )
        return instance


class OrganisationCreateView(AuditedSaveMixin, generic.CreateView):
    audit_action = "organisation.create"


class OrganisationEditView(AuditedSaveMixin, generic.EditView):
    audit_action = "organisation.change"


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    index_view_class = OrganisationIndexView
    add_view_class = OrganisationCreateView
    edit_view_class = OrganisationEditView
    copy_view_enabled = False
    inspect_view_enabled = True
    search_fields = ["name_zh", "name_en", "credit_code", "contact_name", "contact_email"]
    list_display = [
        "name_zh",
        "name_en",
        "credit_code",
        Column("staff_count", label=_("Staff"), sort_key="staff_count"),
        Column("manager_count", label=_("Managers"), sort_key="manager_count"),
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("name_zh"), FieldPanel("name_en"), FieldPanel("credit_code")],
                heading=_("Organisation"),
            ),
            MultiFieldPanel(
                [FieldPanel(name) for name in
                 ["contact_name", "contact_email", "contact_phone", "address"]],
                heading=_("Contact"),
            ),
            FieldPanel("managers"),
        ],
        base_form_class=OrganisationForm,
    )  # fmt: skip


# --- HR API tokens ---------------------------------------------------------------------------


class TokenCreateForm(WagtailAdminModelForm):
    class Meta:
        model = OrganisationApiToken
        fields = ["organisation", "name"]


class TokenEditForm(WagtailAdminModelForm):
    revoke = forms.BooleanField(
        label=_("Revoke this token"),
        required=False,
        help_text=_("Calls with a revoked token are refused at once. This cannot be undone."),
    )

    class Meta:
        model = OrganisationApiToken
        fields = ["name"]


class TokenIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("organisation", "created_by")


class TokenCreateView(generic.CreateView):
    def save_instance(self):
        token, self.raw_token = organisation_token_create(
            organisation=self.form.cleaned_data["organisation"],
            name=self.form.cleaned_data["name"],
            by=self.request.user,
        )
        return token

    def save_action(self):
        # Shown on this response only: the token is never stored, in the database or a message.
        context = {"token": self.object, "raw_token": self.raw_token, "header_title": _("Token")}
        return TemplateResponse(self.request, "trainees/organisation_token_created.html", context)


class TokenEditView(generic.EditView):
    def save_instance(self):
        instance = super().save_instance()
        if self.form.cleaned_data.get("revoke") and instance.revoked_at is None:
            organisation_token_revoke(token=instance, by=self.request.user, reason="admin")
            instance.refresh_from_db()
        return instance


class OrganisationApiTokenViewSet(ModelViewSet):
    model = OrganisationApiToken
    icon = "key"
    menu_label = _("HR API tokens")
    index_view_class = TokenIndexView
    add_view_class = TokenCreateView
    edit_view_class = TokenEditView
    copy_view_enabled = False
    list_display = ["name", "organisation", "prefix", "created_by", "created_at",
                    "last_used_at", "revoked_at"]  # fmt: skip
    list_filter = ["organisation"]
    search_fields = ["name", "prefix"]

    def get_form_class(self, for_update=False):
        return TokenEditForm if for_update else TokenCreateForm


class OrganisationViewSetGroup(ModelViewSetGroup):
    menu_label = _("Organisations")
    menu_icon = "group"
    menu_order = 250
    items = (
        OrganisationViewSet("organisations"),
        OrganisationApiTokenViewSet("organisation_api_tokens"),
    )


# Officers only. Organisations are referenced by people, audit records and tokens, and tokens
# are revoked, never deleted: no delete for anyone.
for _model in (Organisation, OrganisationApiToken):
    register_permission_policy(_model, RolePolicy(_model, denied_actions={"delete"}))


@hooks.register("register_admin_viewset")
def register_organisation_viewsets():
    return OrganisationViewSetGroup()
