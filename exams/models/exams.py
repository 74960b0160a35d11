from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Exam(models.Model):
    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Practice")
        CERTIFICATION = "certification", _("Certification")

    class ReviewWhen(models.TextChoices):
        AFTER_SUBMIT = "after_submit", _("Immediately after submitting")
        AFTER_CLOSE = "after_close", _("After the exam closes")
        NEVER = "never", _("Never")

    class ReviewShow(models.TextChoices):
        SCORE = "score", _("Score only")
        CORRECTNESS = "correctness", _("Score and which answers were right")
        FULL = "full", _("Score, right answers and explanations")

    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PRACTICE)
    course = models.ForeignKey(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exams",
        verbose_name=_("course"),
    )
    is_published = models.BooleanField(_("published"), default=False)
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="exams_taught"
    )
    time_limit_minutes = models.PositiveIntegerField(_("time limit (minutes)"), default=60)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    pass_mark = models.DecimalField(_("pass mark (%)"), max_digits=5, decimal_places=2, default=60)
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), default=1)
    wait_minutes = models.PositiveIntegerField(
        _("minimum wait between attempts (minutes)"), default=0
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    review_when = models.CharField(
        _("review available"),
        max_length=20,
        choices=ReviewWhen.choices,
        default=ReviewWhen.AFTER_SUBMIT,
    )
    review_show = models.CharField(
        _("review shows"), max_length=20, choices=ReviewShow.choices, default=ReviewShow.SCORE
    )
    access_code = models.CharField(
        _("access code (exams held in a room)"), max_length=40, blank=True
    )

    class Meta:
        ordering = ["title_zh"]
        verbose_name = _("exam")
        verbose_name_plural = _("exams")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=0, pass_mark__lte=100),
                name="exams_exam_pass_mark",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__isnull=True)
                | models.Q(opens_at__isnull=True)
                | models.Q(closes_at__gt=models.F("opens_at")),
                name="exams_exam_window",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if get_language() == "en" and self.title_en:
            return self.title_en
        return self.title_zh


class BlueprintSection(models.Model):
    """A part of the paper: N random questions from a category and/or competency, or fixed ones."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200, blank=True)
    category = models.ForeignKey(
        "exams.QuestionCategory", null=True, blank=True, on_delete=models.PROTECT
    )
    include_subcategories = models.BooleanField(default=True)
    competency = models.ForeignKey(
        "trainees.Competency", null=True, blank=True, on_delete=models.PROTECT
    )
    count = models.PositiveSmallIntegerField(_("questions to draw"), default=0)
    fixed_questions = models.ManyToManyField("exams.Question", blank=True, related_name="+")

    class Meta:
        ordering = ["exam_id", "position", "id"]
        verbose_name = _("blueprint section")

    def __str__(self) -> str:
        return self.title or f"{self.exam} #{self.position}"


class Accommodation(models.Model):
    """Per-candidate arrangements: extra time, extra attempts, a different window."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="accommodations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    extra_minutes = models.PositiveIntegerField(_("extra minutes"), default=0)
    extra_attempts = models.PositiveSmallIntegerField(_("extra attempts"), default=0)
    opens_at = models.DateTimeField(_("own window opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("own window closes"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("accommodation")
        constraints = [
            models.UniqueConstraint(fields=["exam", "user"], name="exams_accommodation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.exam} / {self.user}"
