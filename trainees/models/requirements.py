"""Requirement rows of a scheme version that point into the courses and exams apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey


class RequiredCourse(models.Model):
    """The candidate must have completed this course."""

    version = ParentalKey(
        "trainees.SchemeVersion", on_delete=models.CASCADE, related_name="required_courses"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="+", verbose_name=_("course")
    )

    class Meta:
        verbose_name = _("required course")
        constraints = [
            models.UniqueConstraint(fields=["version", "course"], name="unique_required_course")
        ]

    def __str__(self) -> str:
        return str(self.course)


class RequiredExam(models.Model):
    """The candidate's best released result in this exam must reach the minimum score."""

    version = ParentalKey(
        "trainees.SchemeVersion", on_delete=models.CASCADE, related_name="required_exams"
    )
    exam = models.ForeignKey(
        "exams.Exam", on_delete=models.PROTECT, related_name="+", verbose_name=_("exam")
    )
    min_score = models.DecimalField(
        _("minimum score (%)"), max_digits=5, decimal_places=2, default=60
    )

    class Meta:
        verbose_name = _("required exam")
        constraints = [
            models.UniqueConstraint(fields=["version", "exam"], name="unique_required_exam")
        ]

    def __str__(self) -> str:
        return f"{self.exam} ≥ {self.min_score}%"


class RequiredPractical(models.Model):
    """The candidate must have passed the practical assessment of this course."""

    version = ParentalKey(
        "trainees.SchemeVersion", on_delete=models.CASCADE, related_name="required_practicals"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="+", verbose_name=_("course")
    )

    class Meta:
        verbose_name = _("required practical assessment")
        constraints = [
            models.UniqueConstraint(fields=["version", "course"], name="unique_required_practical")
        ]

    def __str__(self) -> str:
        return str(self.course)
