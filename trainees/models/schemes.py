"""Certification schemes (qualification pathways), versioned, with requirements as rows."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


def _bilingual(zh: str, en: str) -> str:
    return en if get_language() == "en" and en else zh


class Scheme(models.Model):
    """A qualification pathway leading to one credential, e.g. "factory inspector level I"."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    competencies = models.ManyToManyField(
        "trainees.Competency", blank=True, related_name="schemes", verbose_name=_("competencies")
    )
    is_active = models.BooleanField(_("open for applications"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("certification scheme")
        verbose_name_plural = _("certification schemes")

    def __str__(self) -> str:
        return f"{self.title_zh} / {self.title_en}"

    @property
    def title(self) -> str:
        return _bilingual(self.title_zh, self.title_en)


class SchemeVersion(ClusterableModel):
    """The rules of a scheme at one point in time.

    New applications use the scheme's newest published version; a credential keeps the
    version it was certified under. A version that has applications is frozen: change
    the rules by creating the next version.
    """

    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="versions", verbose_name=_("scheme")
    )
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    scope_zh = models.TextField(_("scope (Chinese)"))
    scope_en = models.TextField(_("scope (English)"))
    validity_months = models.PositiveSmallIntegerField(_("validity (months)"), default=36)
    cpd_hours_per_cycle = models.DecimalField(
        _("CPD hours per cycle"), max_digits=6, decimal_places=1, default=0
    )
    min_experience_months = models.PositiveSmallIntegerField(
        _("minimum relevant experience (months)"), default=0
    )
    renewal_window_days = models.PositiveSmallIntegerField(
        _("renewal window before expiry (days)"), default=180
    )
    grace_days = models.PositiveSmallIntegerField(_("grace period after expiry (days)"), default=0)
    renewal_cpd_hours = models.DecimalField(
        _("CPD hours required for renewal"), max_digits=6, decimal_places=1, default=0
    )
    renewal_requires_refresher = models.BooleanField(
        _("renewal requires a refresher exam"), default=False
    )
    refresher_exam = models.ForeignKey(
        "exams.Exam",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("refresher exam"),
    )
    refresher_min_score = models.DecimalField(
        _("refresher minimum score (%)"), max_digits=5, decimal_places=2, default=60
    )

    class Meta:
        ordering = ["scheme__code", "-number"]
        verbose_name = _("scheme version")
        verbose_name_plural = _("scheme versions")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="unique_scheme_version")
        ]

    def __str__(self) -> str:
        return f"{self.scheme.code} v{self.number}"

    @property
    def scope(self) -> str:
        return _bilingual(self.scope_zh, self.scope_en)

    def clean(self) -> None:
        if self.pk and self.applications.exists():
            original = SchemeVersion.objects.get(pk=self.pk)
            frozen = ["validity_months", "min_experience_months", "scope_zh", "scope_en"]
            if any(getattr(original, name) != getattr(self, name) for name in frozen):
                raise ValidationError(
                    _("This version already has applications; create a new version instead.")
                )


class RequiredCredential(models.Model):
    """A prerequisite: the candidate must hold a valid credential of another scheme."""

    version = ParentalKey(
        SchemeVersion, on_delete=models.CASCADE, related_name="required_credentials"
    )
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="+", verbose_name=_("prerequisite scheme")
    )

    class Meta:
        verbose_name = _("prerequisite credential")
        constraints = [
            models.UniqueConstraint(fields=["version", "scheme"], name="unique_required_credential")
        ]

    def __str__(self) -> str:
        return str(self.scheme)
