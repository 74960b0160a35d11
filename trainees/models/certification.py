"""Certification applications, decisions, credentials, reminders and the CPD ledger."""

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EVIDENCE_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "webp", "docx"]


class Counter(models.Model):
    """Named gap-free sequences (credential numbers per year, status-list indices)."""

    name = models.CharField(max_length=40, unique=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Application(models.Model):
    """A request to be certified (or renewed) under one scheme version."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial certification")
        RENEWAL = "renewal", _("Renewal")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certification_applications",
        verbose_name=_("candidate"),
    )
    scheme_version = models.ForeignKey(
        "trainees.SchemeVersion",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("scheme version"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INITIAL)
    renews = models.ForeignKey(
        "trainees.Credential",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal_applications",
        verbose_name=_("credential renewed"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    experience_months = models.PositiveSmallIntegerField(
        _("relevant experience (months)"), default=0
    )
    statement = models.TextField(_("statement"), blank=True)
    eligibility = models.JSONField(_("eligibility at the last check"), default=dict, blank=True)
    is_eligible = models.BooleanField(_("eligible"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("certification application")
        verbose_name_plural = _("certification applications")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "scheme_version"],
                condition=models.Q(status="submitted"),
                name="one_open_application_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.candidate} – {self.scheme_version}"


class ApplicationEvidence(models.Model):
    """A document or image supporting an application, or a record of who trained/examined."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        IMAGE = "image", _("Image")
        TRAINING = "training", _("Training record")
        EXAMINATION = "examination", _("Examination record")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300)
    file = models.FileField(
        _("file"),
        upload_to="certification/evidence/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("trained or examined by"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.description


class Credential(models.Model):
    """A certificate held by a person, issued once per approved application."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Valid")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")
        SUPERSEDED = "superseded", _("Superseded")

    number = models.CharField(_("number"), max_length=40, unique=True)
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="credential"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="credentials",
        verbose_name=_("holder"),
    )
    scheme_version = models.ForeignKey(
        "trainees.SchemeVersion", on_delete=models.PROTECT, related_name="credentials"
    )
    scope_zh = models.TextField(_("scope (Chinese)"))
    scope_en = models.TextField(_("scope (English)"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    suspended_until = models.DateField(_("suspended until"), null=True, blank=True)
    status_index = models.PositiveIntegerField(_("status list index"), unique=True)
    superseded_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    ob3_json = models.JSONField(_("Open Badges 3.0 credential (Data Integrity)"), null=True)
    ob3_jwt = models.TextField(_("Open Badges 3.0 credential (VC-JWT)"), blank=True)
    pdf = models.FileField(
        _("PDF certificate"), upload_to="certification/certificates/", blank=True
    )
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("valid_from")),
                name="credential_valid_until_after_from",
            )
        ]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.ACTIVE and self.valid_until > timezone.now()


class RetiredStatusIndex(models.Model):
    """A status-list index a credential no longer uses (its scope was reduced and it was
    re-signed under a new index): kept set in the revocation list, so the documents signed
    with the old index (the wider scope) stop verifying."""

    index = models.PositiveIntegerField(_("status list index"), unique=True)
    credential = models.ForeignKey(
        Credential, on_delete=models.CASCADE, related_name="retired_status_indices"
    )
    reason = models.CharField(_("reason"), max_length=200)
    retired_at = models.DateTimeField(_("retired at"), default=timezone.now)

    class Meta:
        verbose_name = _("retired status index")
        verbose_name_plural = _("retired status indices")

    def __str__(self) -> str:
        return f"{self.credential} #{self.index}"


class CredentialReminder(models.Model):
    """One expiry reminder sent for one offset (unique: reminders go out once)."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="reminders")
    offset_days = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "offset_days"], name="one_reminder_per_offset"
            )
        ]

    def __str__(self) -> str:
        return f"{self.credential} -{self.offset_days}d"


class CpdActivity(models.Model):
    """Continuing professional development: hours that count towards renewal."""

    class Category(models.TextChoices):
        COURSE = "course", _("Course at the institute")
        TRAINING = "training", _("External training")
        CONFERENCE = "conference", _("Conference or seminar")
        WORK = "work", _("Supervised professional work")
        PUBLICATION = "publication", _("Publication or teaching")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cpd_activities"
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0.5)]
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    title = models.CharField(_("activity"), max_length=200)
    evidence = models.FileField(
        _("evidence"),
        upload_to="certification/cpd/%Y/",
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Set for automatic entries (e.g. "enrolment:42") so a course completion counts once.
    source_key = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("CPD activity")
        verbose_name_plural = _("CPD activities")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source_key"],
                condition=~models.Q(source_key=""),
                name="cpd_source_counted_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.hours} h)"
