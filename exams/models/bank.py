import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class QuestionCategory(models.Model):
    """A folder of the question bank tree, owned by the instructors who manage it."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="question_categories"
    )

    class Meta:
        ordering = ["parent_id", "name"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="exams_category_unique_name"),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(parent__isnull=True),
                name="exams_category_unique_root",
            ),
        ]

    def __str__(self) -> str:
        return self.path

    @property
    def path(self) -> str:
        names, node, seen = [], self, 0
        while node is not None and seen < 50:
            names.append(node.name)
            node, seen = node.parent, seen + 1
        return "/".join(reversed(names))


class Question(models.Model):
    """One version of a question. Editing an active question creates a new version.

    `data` holds the type-specific content *including the answer key*; it is never
    serialized as is: `exams.services.papers.question_public` builds what candidates see.
    """

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "truefalse", _("True / false")
        NUMERIC = "numeric", _("Numeric")
        SHORT_TEXT = "shorttext", _("Short text")
        MATCHING = "matching", _("Matching")
        ORDERING = "ordering", _("Ordering")
        ESSAY = "essay", _("Essay")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    category = models.ForeignKey(
        QuestionCategory, on_delete=models.PROTECT, related_name="questions"
    )
    lineage = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    is_current = models.BooleanField(default=True, editable=False)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    stem_zh = models.TextField(_("stem (Chinese, HTML)"), blank=True)
    stem_en = models.TextField(_("stem (English, HTML)"), blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=1)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty (1 easy - 5 hard)"), default=3, choices=[(n, str(n)) for n in range(1, 6)]
    )
    competencies = models.ManyToManyField(
        "trainees.Competency", blank=True, related_name="questions"
    )
    explanation = models.TextField(_("explanation (shown per review policy)"), blank=True)
    data = models.JSONField(_("type-specific content and key"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category_id", "name", "-version"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="exams_question_version"),
            models.CheckConstraint(condition=models.Q(points__gt=0), name="exams_question_points"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def clean(self):
        from exams.validators import validate_question_data

        validate_question_data(self.kind, self.data)

    @property
    def stem(self) -> str:
        if get_language() == "en" and self.stem_en:
            return self.stem_en
        return self.stem_zh or self.stem_en


def question_file_path(instance, filename):
    return f"exams/questions/{instance.question.lineage}/{filename}"


class QuestionFile(models.Model):
    """An image or file embedded in a question (imported `@@PLUGINFILE@@` references)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to=question_file_path)

    class Meta:
        verbose_name = _("question file")

    def __str__(self) -> str:
        return self.name
