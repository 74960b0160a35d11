"""The course tree in Wagtail: catalogue > course > module > lesson."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.routing import CachedViewRestrictionsMixin

from ..blocks import LessonStreamBlock


class CourseIndexPage(CachedViewRestrictionsMixin, Page):
    """The catalogue: lists, filters and searches the live courses below it."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from ..views.catalogue import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request=request, index=self))
        return context


class CoursePage(CachedViewRestrictionsMixin, Page):
    class DeliveryMode(models.TextChoices):
        ONLINE = "online", _("Online")
        BLENDED = "blended", _("Blended")
        ON_SITE = "on_site", _("On-site practice")

    class Level(models.IntegerChoices):
        FOUNDATION = 1, _("Foundation")
        PRACTITIONER = 2, _("Practitioner")
        EXPERT = 3, _("Expert")

    class EnrolmentPolicy(models.TextChoices):
        OPEN = "open", _("Open: self-enrolment")
        APPROVAL = "approval", _("Needs approval")
        ORGANISATION = "organisation", _("Organisation staff only (enrolled by their manager)")

    class Language(models.TextChoices):
        CHINESE = "zh-hans", _("Chinese")
        ENGLISH = "en", _("English")
        BILINGUAL = "bilingual", _("Chinese and English")

    code = models.CharField(_("course code"), max_length=30)
    summary = models.TextField(_("summary"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    hours = models.DecimalField(
        _("study hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )
    delivery_mode = models.CharField(
        _("delivery mode"), max_length=10, choices=DeliveryMode.choices, default="online"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=1)
    competencies = ParentalManyToManyField(
        "trainees.Competency", blank=True, related_name="courses", verbose_name=_("competencies")
    )
    instructors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="instructed_courses",
        verbose_name=_("instructors"),
        limit_choices_to={"groups__name": "Instructor"},
    )
    prerequisites = ParentalManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="required_by",
        verbose_name=_("prerequisite courses"),
    )
    enrolment_policy = models.CharField(
        _("enrolment policy"), max_length=12, choices=EnrolmentPolicy.choices, default="open"
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    language = models.CharField(
        _("teaching language"), max_length=10, choices=Language.choices, default="zh-hans"
    )
    requires_sequence = models.BooleanField(
        _("lessons in sequence"),
        default=False,
        help_text=_("Each required lesson unlocks when the one before it is complete."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("code"),
                FieldPanel("summary"),
                FieldPanel("cover_image"),
                FieldPanel("hours"),
                FieldPanel("delivery_mode"),
                FieldPanel("level"),
                FieldPanel("language"),
            ],
            heading=_("Course"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("enrolment_policy"),
                FieldPanel("capacity"),
                FieldPanel("requires_sequence"),
                FieldPanel("prerequisites"),
                FieldPanel("competencies"),
                # Only officers assign instructors (instructors may not add themselves).
                FieldPanel("instructors", permission="courses.assign_instructors"),
            ],
            heading=_("Enrolment and staff"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("code"),
        index.SearchField("summary"),
        index.FilterField("delivery_mode"),
        index.FilterField("level"),
        index.FilterField("language"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")
        # The catalogue lists live courses by code: walking this index in order finds a page
        # of them without sorting every course (10,000 courses: 17 -> 1 ms).
        indexes = [models.Index(fields=["code", "page_ptr"], name="courses_catalogue_order")]

    def serve(self, request, *args, **kwargs):
        from ..views.learning import course_serve

        return course_serve(request, self)

    def serve_preview(self, request, mode_name):
        # A draft previews as the live page does (its context: course, enrolment, outline); the
        # generic preview lacked them and the enrol form's URL failed (500 in the admin).
        if self.pk is None:
            return super().serve_preview(request, mode_name)
        return self.serve(request)


class ModulePage(Page):
    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course module")

    def serve(self, request, *args, **kwargs):
        # A module has no page of its own: its outline is on the course home.
        from django.shortcuts import redirect

        return redirect(self.get_parent().url)


class LessonPage(CachedViewRestrictionsMixin, Page):
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=15)
    required = models.BooleanField(
        _("required"), default=True, help_text=_("Required lessons count towards completion.")
    )
    body = StreamField(LessonStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("estimated_minutes"),
        FieldPanel("required"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    def serve(self, request, *args, **kwargs):
        from ..views.learning import lesson_serve

        return lesson_serve(request, self)

    def serve_preview(self, request, mode_name):
        # Preview URLs reach content too: only people who may read the lesson get it.
        from django.http import Http404

        from institute.permissions import can

        if not can(request.user, "courses.view_lesson", self):
            raise Http404
        return super().serve_preview(request, mode_name)

    @property
    def knowledge_checks(self):
        return [block.value for block in self.body if block.block_type == "knowledge_check"]
