"""Forms of the manager portal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Scheme, User


class StaffApplicationForm(forms.Form):
    """Start certification applications for some of one organisation's staff.

    The people offered are the organisation's staff only, so an id from elsewhere is an
    invalid choice (nothing is written).
    """

    people = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Staff members"),
        error_messages={"required": _("Choose at least one staff member.")},
    )
    scheme = forms.ModelChoiceField(
        queryset=Scheme.objects.none(),
        label=_("Qualification scheme"),
        to_field_name="code",
        empty_label=_("Choose a scheme"),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = User.objects.filter(
            profile__organisation=organisation
        ).select_related("profile")
        self.fields["scheme"].queryset = schemes_open()


def schemes_open():
    """Schemes open for applications that have a published version."""
    return Scheme.objects.filter(is_active=True, versions__is_published=True).distinct()
