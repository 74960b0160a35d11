"""Wagtail admin integration: instructor page rights follow course assignment; admin screens
for practice sessions and rubric criteria, scoped to the courses a person instructs."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import history, usage
from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from institute.admin_policies import RolePolicy
from institute.admin_views import ProtectedDeleteMixin
from trainees import roles

from . import selectors
from .models import AssessmentCriterion, CoursePage, PracticeSession
from .services import course_instructor_permissions_sync


def _sync_course_rights(request, page):
    if isinstance(page.specific, CoursePage):
        course_instructor_permissions_sync(course=page.specific)


hooks.register("after_create_page", _sync_course_rights)
hooks.register("after_edit_page", _sync_course_rights)


def managed_courses(user):
    courses = CoursePage.objects.filter(locale=selectors.default_locale())
    return courses if roles.is_officer(user) else courses.filter(instructors=user)


def _course_staff(user, action) -> bool:
    return roles.is_officer(user) or roles.is_instructor(user)


def _managed_course_rows(user):
    # Officers manage every course's sessions and rubric; instructors only their courses'.
    return Q(course__in=managed_courses(user))


class CourseScopedForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "course" in self.fields:
            # A plain select of the person's own courses instead of the free page chooser.
            field = self.fields["course"]
            field.widget = forms.Select()
            field.queryset = managed_courses(self.for_user)
        if "instructor" in self.fields:
            # Staff only: a list of every account would show trainees' names to any instructor.
            field = self.fields["instructor"]
            staff = Q(groups__name__in=[roles.INSTRUCTOR, roles.OFFICER])
            current = Q(pk=self.instance.instructor_id) if self.instance.instructor_id else Q()
            field.queryset = field.queryset.filter(staff | current).distinct()


class ScopedQuerysetMixin:
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "change")

    def get_queryset(self):
        return self.get_base_queryset()


class ScopedObjectQuerysetMixin:
    """History and usage list log entries and references; only the object is looked up in
    the person's own rows."""

    def get_base_object_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "change")


class ScopedIndexView(ScopedQuerysetMixin, generic.IndexView):
    pass


class ScopedEditView(ScopedQuerysetMixin, generic.EditView):
    pass


class ScopedDeleteView(ScopedQuerysetMixin, ProtectedDeleteMixin, generic.DeleteView):
    pass


class ScopedHistoryView(ScopedObjectQuerysetMixin, history.HistoryView):
    pass


class ScopedUsageView(ScopedObjectQuerysetMixin, usage.UsageView):
    pass


class CourseScopedViewSet(ModelViewSet):
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False


class PracticeSessionViewSet(CourseScopedViewSet):
    model = PracticeSession
    icon = "date"
    menu_label = _("Practice sessions")
    list_display = ["title", "course", "starts_at", "place", "capacity", "instructor"]
    list_filter = ["required"]
    form_fields = [
        "course", "title", "title_en", "starts_at", "ends_at", "place", "place_en", "capacity",
        "instructor", "required",
    ]  # fmt: skip
    edit_handler = ObjectList(
        [FieldPanel(name) for name in form_fields], base_form_class=CourseScopedForm
    )


class AssessmentCriterionViewSet(CourseScopedViewSet):
    model = AssessmentCriterion
    icon = "list-ul"
    menu_label = _("Assessment rubric")
    list_display = ["title_zh", "title_en", "course", "max_score", "pass_score"]
    form_fields = ["course", "sort_order", "title_zh", "title_en", "max_score", "pass_score"]
    edit_handler = ObjectList(
        [FieldPanel(name) for name in form_fields], base_form_class=CourseScopedForm
    )


class CoursesViewSetGroup(ModelViewSetGroup):
    menu_label = _("Course delivery")
    menu_icon = "group"
    menu_order = 250
    items = (PracticeSessionViewSet("practice_sessions"), AssessmentCriterionViewSet("rubric"))


for _model in (PracticeSession, AssessmentCriterion):
    register_permission_policy(
        _model, RolePolicy(_model, allows=_course_staff, scope=_managed_course_rows)
    )


@hooks.register("register_admin_viewset")
def register_viewsets():
    return CoursesViewSetGroup()
