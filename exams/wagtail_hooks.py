"""Admin screens of the exams domain in Wagtail: question bank, exams, blueprints,
accommodations. Instructors see the categories they own and the exams they teach;
officers see everything. Editing an active question goes through `question_revise`
(a new version), never a plain save."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import CopyView, CreateView, EditView, IndexView, InspectView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from institute.admin_policies import RolePolicy
from institute.admin_views import ProtectedDeleteView
from trainees import roles

from .forms import ScopedAdminForm
from .models import Accommodation, BlueprintSection, Exam, Question, QuestionCategory
from .services.bank import question_revise
from .validators import clean_html

SCOPES = {
    QuestionCategory: lambda user: Q(owners=user),
    Question: lambda user: Q(category__owners=user),
    Exam: lambda user: Q(instructors=user),
    BlueprintSection: lambda user: Q(exam__instructors=user),
    Accommodation: lambda user: Q(exam__instructors=user),
}


def exams_staff_policy(model) -> RolePolicy:
    def allows(user, action):
        if roles.is_officer(user):
            return True
        if not roles.is_instructor(user):
            return False
        # Creating exams and categories is the officers' call; instructors work inside them.
        return not (action in ("add", "delete") and model in (Exam, QuestionCategory))

    def scope(user):
        # Instructors: only their own categories, questions and exams.
        return None if roles.is_officer(user) else SCOPES[model](user)

    return RolePolicy(model, allows=allows, scope=scope)


def scoped_panels(*names):
    """Panels on the scoped base form: choices limited to what the user manages."""
    return ObjectList([FieldPanel(name) for name in names], base_form_class=ScopedAdminForm)


class ScopedIndexView(IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "change")


class ScopedObjectMixin:
    """Another instructor's object answers like a missing one would (no peeking by id)."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        policy = self.permission_policy
        if not policy.user_has_permission_for_instance(self.request.user, "change", instance):
            raise PermissionDenied
        return instance


class ScopedEditView(ScopedObjectMixin, EditView):
    pass


class ScopedInspectView(ScopedObjectMixin, InspectView):
    pass


class ScopedDeleteView(ScopedObjectMixin, ProtectedDeleteView):
    pass


# History, usage and copy show the object too (an accommodation's history names the candidate).
class ScopedHistoryView(ScopedObjectMixin, HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, UsageView):
    pass


class ScopedCopyView(ScopedObjectMixin, CopyView):
    pass


class ScopedViewSet(ModelViewSet):
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    inspect_view_class = ScopedInspectView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_class = ScopedCopyView


class QuestionCreateView(CreateView):
    def save_instance(self):
        for name in ("stem_zh", "stem_en", "explanation"):
            setattr(self.form.instance, name, clean_html(getattr(self.form.instance, name)))
        return super().save_instance()


class QuestionEditView(ScopedEditView):
    def save_instance(self):
        fields = [name for name in self.form.changed_data if name != "competencies"]
        changes = {name: self.form.cleaned_data[name] for name in fields}
        current = Question.objects.get(pk=self.object.pk)
        instance = question_revise(question=current, changes=changes, by=self.request.user)
        if "competencies" in self.form.changed_data:
            instance.competencies.set(self.form.cleaned_data["competencies"])
        return instance


class CategoryViewSet(ScopedViewSet):
    name = "exams_categories"
    url_prefix = "exams/categories"
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Question categories")
    list_display = ["path", "description"]
    search_fields = ["name"]
    edit_handler = scoped_panels("parent", "name", "description", "owners")


class QuestionViewSet(ScopedViewSet):
    name = "exams_questions"
    url_prefix = "exams/questions"
    model = Question
    icon = "help"
    menu_label = _("Questions")
    edit_view_class = QuestionEditView
    add_view_class = QuestionCreateView
    list_display = ["name", "kind", "status", "version", "category", "difficulty"]
    list_filter = ["kind", "status", "is_current", "category"]
    search_fields = ["name", "stem_zh", "stem_en"]
    edit_handler = scoped_panels(
        "category",
        "name",
        "kind",
        "status",
        "stem_zh",
        "stem_en",
        "points",
        "difficulty",
        "competencies",
        "explanation",
        "data",
    )


class ExamViewSet(ScopedViewSet):
    name = "exams_exams"
    url_prefix = "exams/exams"
    model = Exam
    icon = "doc-full"
    menu_label = _("Exams")
    list_display = ["title_zh", "title_en", "kind", "is_published", "pass_mark"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title_zh", "title_en"]
    edit_handler = scoped_panels(
        "title_zh",
        "title_en",
        "description",
        "kind",
        "course",
        "is_published",
        "instructors",
        "time_limit_minutes",
        "opens_at",
        "closes_at",
        "pass_mark",
        "attempts_allowed",
        "wait_minutes",
        "shuffle_questions",
        "shuffle_options",
        "review_when",
        "review_show",
        "access_code",
    )


class SectionViewSet(ScopedViewSet):
    name = "exams_sections"
    url_prefix = "exams/sections"
    model = BlueprintSection
    icon = "list-ol"
    menu_label = _("Blueprint sections")
    list_display = ["exam", "position", "title", "category", "competency", "count"]
    list_filter = ["exam"]
    edit_handler = scoped_panels(
        "exam",
        "position",
        "title",
        "category",
        "include_subcategories",
        "competency",
        "count",
        "fixed_questions",
    )


class AccommodationViewSet(ScopedViewSet):
    name = "exams_accommodations"
    url_prefix = "exams/accommodations"
    model = Accommodation
    icon = "user"
    menu_label = _("Accommodations")
    list_display = ["exam", "user", "extra_minutes", "extra_attempts", "opens_at", "closes_at"]
    list_filter = ["exam"]
    edit_handler = scoped_panels(
        "exam", "user", "extra_minutes", "extra_attempts", "opens_at", "closes_at", "reason"
    )


class ExamsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Exams")
    menu_icon = "doc-full-inverse"
    menu_order = 320
    items = [CategoryViewSet, QuestionViewSet, ExamViewSet, SectionViewSet, AccommodationViewSet]


for _model in SCOPES:
    register_permission_policy(_model, exams_staff_policy(_model))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return ExamsViewSetGroup()


class StaffOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.is_instructor(request.user) or roles.is_officer(request.user)


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return StaffOnlyMenuItem(
        _("Import questions"), reverse("exams:import"), icon_name="upload", order=321
    )


@hooks.register("register_admin_menu_item")
def grading_menu_item():
    return StaffOnlyMenuItem(
        _("Grading queue"), reverse("exams:grading"), icon_name="tick", order=322
    )
