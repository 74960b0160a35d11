from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import (
    validate_mobile,
    validate_passport_number,
    validate_resident_id,
    validate_uscc,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account; people log in with their email address."""

    username = None
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Organisation(models.Model):
    """An enterprise or body that employs trainees."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_organisations",
        verbose_name=_("managers"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name_zh

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_zh


class TraineeProfile(models.Model):
    """Personal record of a person who trains or is certified; one per user account."""

    class IdType(models.TextChoices):
        RESIDENT = "resident", _("Chinese resident ID card")
        PASSPORT = "passport", _("Passport")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    name_zh = models.CharField(_("name (Chinese characters)"), max_length=100, blank=True)
    name_latin = models.CharField(_("name (Latin script)"), max_length=150, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
        verbose_name=_("organisation"),
    )
    id_type = models.CharField(
        _("identity document"), max_length=10, choices=IdType.choices, default=IdType.RESIDENT
    )
    id_number = models.CharField(_("identity document number"), max_length=20, blank=True)
    mobile = models.CharField(
        _("mobile number"), max_length=20, blank=True, validators=[validate_mobile]
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("trainee profile")
        verbose_name_plural = _("trainee profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["id_type", "id_number"],
                condition=~models.Q(id_number=""),
                name="unique_identity_document",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.id_number:
            self.id_number = self.id_number.strip().upper()
            validator = (
                validate_resident_id
                if self.id_type == self.IdType.RESIDENT
                else validate_passport_number
            )
            try:
                validator(self.id_number)
            except ValidationError as error:
                raise ValidationError({"id_number": error.messages}) from None

    @property
    def display_name(self) -> str:
        return self.name_zh or self.name_latin or self.user.get_full_name() or self.user.email

    @property
    def masked_id_number(self) -> str:
        """Shown everywhere except where the full number is needed: first 3 and last 4 only."""
        number = self.id_number
        if len(number) <= 7:
            return "*" * len(number)
        return number[:3] + "*" * (len(number) - 7) + number[-4:]
