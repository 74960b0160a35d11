from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Attempt(models.Model):
    class Status(models.TextChoices):
        STARTED = "started", _("In progress")
        SUBMITTED = "submitted", _("Submitted, awaiting grading")
        GRADED = "graded", _("Graded")

    exam = models.ForeignKey("exams.Exam", on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.STARTED)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    auto_submitted = models.BooleanField(default=False)
    graded_at = models.DateTimeField(null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    score_points = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    score_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        constraints = [
            models.UniqueConstraint(fields=["exam", "user", "number"], name="exams_attempt_number")
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="exams_attempt_due")]

    def __str__(self) -> str:
        return f"{self.exam} / {self.user} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.STARTED


class AttemptQuestion(models.Model):
    """A slot of the frozen paper: the question version shown and its option order."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="slots")
    question = models.ForeignKey("exams.Question", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    layout = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["attempt_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="exams_slot_question"),
            models.UniqueConstraint(fields=["attempt", "position"], name="exams_slot_position"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} #{self.position}"


class Response(models.Model):
    """The one stored answer of a candidate to a question of an attempt (upserted on save)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey("exams.Question", on_delete=models.PROTECT, related_name="+")
    answer = models.JSONField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    client_timestamp = models.BigIntegerField(default=0)
    saved_at = models.DateTimeField()
    fraction = models.DecimalField(max_digits=6, decimal_places=5, null=True, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    grader_comment = models.TextField(blank=True)
    rubric_scores = models.JSONField(default=dict, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="exams_response_unique")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id} r{self.revision}"


class ItemAnalysis(models.Model):
    """The latest item analysis of an exam (computed by a Celery task)."""

    exam = models.OneToOneField("exams.Exam", on_delete=models.CASCADE, related_name="analysis")
    computed_at = models.DateTimeField()
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("item analysis")

    def __str__(self) -> str:
        return f"{self.exam} ({self.computed_at:%Y-%m-%d %H:%M})"
