from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Competency(models.Model):
    """A node of the competency framework tree (e.g. "EL-2.3 Dielectric strength testing")."""

    class Level(models.IntegerChoices):
        FOUNDATION = 1, _("Foundation")
        PRACTITIONER = 2, _("Practitioner")
        EXPERT = 3, _("Expert")

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    code = models.CharField(_("code"), max_length=30, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, default=Level.FOUNDATION
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        if get_language() == "en" and self.title_en:
            return self.title_en
        return self.title_zh
