"""On-site practice sessions at the base: bookings, attendance and practical assessments."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(16)


class PracticeSession(models.Model):
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="practice_sessions",
        verbose_name=_("course"),
    )
    title = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place (Chinese)"), max_length=200)
    place_en = models.CharField(_("place (English)"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_sessions",
        verbose_name=_("instructor"),
    )
    required = models.BooleanField(
        _("required for completion"),
        default=False,
        help_text=_("Trainees must attend a required session to complete the course."),
    )
    check_in_token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("practice session")
        verbose_name_plural = _("practice sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M})"

    @property
    def display_title(self) -> str:
        return self.title_en if get_language() == "en" and self.title_en else self.title

    @property
    def display_place(self) -> str:
        return self.place_en if get_language() == "en" and self.place_en else self.place

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})


class SessionBooking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey(PracticeSession, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_bookings"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, blank=True, default=""
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    check_in_token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    booked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session__starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_booking_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.session}"


class AssessmentCriterion(models.Model):
    """One line of a course's practical-assessment checklist/rubric."""

    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="assessment_criteria"
    )
    sort_order = models.PositiveIntegerField(default=0)
    title_zh = models.CharField(_("criterion (Chinese)"), max_length=200)
    title_en = models.CharField(_("criterion (English)"), max_length=200, blank=True)
    max_score = models.PositiveSmallIntegerField(
        _("maximum score"), default=10, validators=[MinValueValidator(1)]
    )
    pass_score = models.PositiveSmallIntegerField(_("pass score"), default=6)

    class Meta:
        ordering = ["course", "sort_order", "pk"]
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" and self.title_en else self.title_zh

    def clean(self) -> None:
        if self.pass_score > self.max_score:
            raise ValidationError({"pass_score": _("The pass score cannot exceed the maximum.")})


class PracticalAssessment(models.Model):
    """The result of a trainee's practical assessment on a course; kept on their record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practical_assessments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="practical_assessments"
    )
    session = models.ForeignKey(
        PracticeSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    passed = models.BooleanField(_("passed"))
    comment = models.TextField(_("assessor's comment"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"))

    class Meta:
        ordering = ["-assessed_at"]
        verbose_name = _("practical assessment")
        verbose_name_plural = _("practical assessments")

    def __str__(self) -> str:
        return f"{self.user} · {self.course} · {'pass' if self.passed else 'fail'}"


class CriterionScore(models.Model):
    assessment = models.ForeignKey(
        PracticalAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(AssessmentCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])
    passed = models.BooleanField(_("passed"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"
