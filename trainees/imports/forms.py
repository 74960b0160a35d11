"""Forms of the trainee import: the upload (file-level checks at once) and the confirmation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .parsing import ImportFileError, check_size, csv_text, file_kind


class TraineeImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("The template as .xlsx, or as .csv in UTF-8; at most 5 MB and 20,000 rows."),
    )

    def clean_file(self):
        """What can be refused at once; the rows are checked by the background job."""
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
            if file_kind(upload.name) == "csv":
                upload.seek(0)
                csv_text(upload.read())
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        finally:
            upload.seek(0)
        return upload


class TraineeImportConfirmForm(forms.Form):
    valid_only = forms.BooleanField(
        label=_("Import the valid rows only and skip the rows with errors"), required=False
    )
    send_invitations = forms.BooleanField(
        label=_("Email each new trainee an invitation to set their password"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, bad_rows: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.bad_rows = bad_rows

    def clean(self):
        cleaned = super().clean()
        if self.bad_rows and not cleaned.get("valid_only"):
            raise forms.ValidationError(
                _(
                    "%(count)s rows have errors. Fix them and upload the file again, or tick "
                    "“Import the valid rows only”."
                )
                % {"count": self.bad_rows}
            )
        return cleaned
