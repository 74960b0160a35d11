"""Forms of the certification pages (validation only; services do the writing)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from institute.uploads import validate_evidence_file

from .models import ApplicationEvidence, CpdActivity


class ApplicationForm(forms.Form):
    experience_months = forms.IntegerField(
        label=_("Relevant experience (months)"), min_value=0, max_value=600, initial=0
    )
    statement = forms.CharField(
        label=_("Statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )


class EvidenceForm(forms.Form):
    """Candidates and managers upload documents and images; staff also record who trained or
    examined the candidate (training/examination records, which count in the decision)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ApplicationEvidence.Kind.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    file = forms.FileField(
        label=_("File"),
        required=False,
        validators=[validate_evidence_file],
        help_text=_("PDF, JPEG or PNG."),
    )
    staff_email = forms.EmailField(
        label=_("Trained or examined by (staff email, for training/examination records)"),
        required=False,
    )

    def __init__(self, *args, staff_recorder: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff_recorder:
            del self.fields["staff_email"]
            self.fields["kind"].choices = [
                (ApplicationEvidence.Kind.DOCUMENT, ApplicationEvidence.Kind.DOCUMENT.label),
                (ApplicationEvidence.Kind.IMAGE, ApplicationEvidence.Kind.IMAGE.label),
            ]

    def clean_staff_email(self):
        from .models import User

        email = self.cleaned_data.get("staff_email")
        if not email:
            return None
        staff = User.objects.filter(email__iexact=email, is_active=True).first()
        if staff is None:
            raise forms.ValidationError(_("No account has this email address."))
        return staff


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )


class CredentialActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("suspend", _("Suspend")),
            ("reinstate", _("Reinstate")),
            ("withdraw", _("Withdraw")),
        ]
    )
    reason = forms.CharField(label=_("Reason"), max_length=4000, required=False)
    until = forms.DateField(
        label=_("Suspended until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CpdForm(forms.ModelForm):
    class Meta:
        model = CpdActivity
        fields = ["date", "hours", "category", "title", "evidence"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def clean_evidence(self):
        # Checked here rather than on the model field: PDF, JPEG and PNG by content.
        evidence = self.cleaned_data.get("evidence")
        if evidence and hasattr(evidence, "content_type"):  # a new upload, not the stored file
            validate_evidence_file(evidence)
        return evidence


class CpdReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(max_length=1000, required=False)
