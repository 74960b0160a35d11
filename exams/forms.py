from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from institute.uploads import check_import_size

from .selectors import (
    candidates_of,
    categories_for,
    category_path_parts,
    exams_taught_by,
    questions_managed_by,
)
from .services.importing import FORMATS


class StartForm(forms.Form):
    access_code = forms.CharField(label=_("Access code"), required=False, max_length=40)


class GradeForm(forms.Form):
    points = forms.DecimalField(label=_("Points"), min_value=0, decimal_places=2)
    comment = forms.CharField(
        label=_("Comment to the candidate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"), validators=[check_import_size])
    category = forms.CharField(
        label=_("Target category path"),
        max_length=500,
        help_text=_("For example: 电气安全/GB 4706"),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("From the file name"))] + [(f, f) for f in FORMATS],
        required=False,
    )
    dry_run = forms.BooleanField(
        label=_("Preview only (write nothing)"), required=False, initial=True
    )

    def clean_category(self):
        path = self.cleaned_data["category"]
        if not category_path_parts(path):
            raise forms.ValidationError(_("Name the category, for example: 电气安全/GB 4706"))
        return path


class ScopedAdminForm(WagtailAdminModelForm):
    """Base form of the exams admin screens. An instructor may only point a record at the
    exams they teach, the categories they own and those categories' questions (officers:
    anything); another value is a "Select a valid choice" error and nothing is written.
    A value the record already holds stays selectable (an officer may have set it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        scopes = {
            "exam": exams_taught_by(user=user),
            "category": categories_for(user=user),
            "parent": categories_for(user=user),
            "fixed_questions": questions_managed_by(user=user),
            "user": candidates_of(user=user),  # accommodations
        }
        for name, allowed in scopes.items():
            field = self.fields.get(name)
            if field is not None:
                keep = Q(pk__in=allowed.values("pk")) | Q(pk__in=self._current_pks(name))
                field.queryset = field.queryset.model._default_manager.filter(keep)

    def _current_pks(self, name: str) -> list:
        if self.instance.pk is None:
            return []
        value = getattr(self.instance, name)
        if hasattr(value, "values_list"):  # many-to-many manager
            return list(value.values_list("pk", flat=True))
        return [value.pk] if value is not None else []
