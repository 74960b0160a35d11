"""Upload forms for the Wagtail admin (kept out of institute/uploads.py, which must import
without Wagtail's models: the settings point at these classes by dotted path)."""

from django.core.exceptions import ValidationError
from PIL import UnidentifiedImageError
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from .uploads import validate_document_file


class DocumentForm(BaseDocumentForm):
    """Wagtail documents (WAGTAILDOCS_DOCUMENT_FORM_BASE): the content must agree with the
    extension (a renamed HTML page or executable is refused) and the size is limited."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        # Only a new upload is checked; editing the title keeps the stored file as it is.
        if file and file is not self.original_file and hasattr(file, "content_type"):
            validate_document_file(file)
        return file


class CheckedImageField(WagtailImageField):
    """Wagtail 8 lets a file with image magic bytes but no image behind them through to its
    pixel-size check, where Pillow raises and the user gets a server error; make it a form
    error like any other bad image."""

    def to_python(self, data):
        try:
            return super().to_python(data)
        except (UnidentifiedImageError, OSError, SyntaxError) as error:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error


class ImageForm(BaseImageForm):
    """Wagtail images (WAGTAILIMAGES_IMAGE_FORM_BASE) with the checked image field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        # Wagtail builds the field per form (limits read from settings then); only its
        # behaviour changes, so the instance is kept and given the checked subclass.
        if type(field) is WagtailImageField:
            field.__class__ = CheckedImageField
