from django import forms
from django.utils.translation import gettext_lazy as _

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
    file = forms.FileField(label=_("File"))
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
