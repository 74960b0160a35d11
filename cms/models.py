from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .blocks import BaseStreamBlock
from .routing import CachedViewRestrictionsMixin, DirectRouteMixin


class HomePage(DirectRouteMixin, CachedViewRestrictionsMixin, Page):
    hero_title = models.CharField(_("hero title"), max_length=200, blank=True)
    hero_text = models.TextField(_("hero text"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hero image"),
    )
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("call-to-action page"),
    )
    hero_cta_text = models.CharField(_("call-to-action text"), max_length=60, blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                PageChooserPanel("hero_cta_page"),
                FieldPanel("hero_cta_text"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("hero_text"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.StandardPage", "cms.NewsIndexPage", "courses.CourseIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    @cached_property
    def latest_news(self) -> list:
        """Read by the template only when its content fragment is not cached."""
        news_index = NewsIndexPage.objects.child_of(self).live().first()
        if news_index is None:
            return []
        return list(NewsPage.objects.child_of(news_index).live().order_by("-date")[:3])


class StandardPage(CachedViewRestrictionsMixin, Page):
    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class NewsIndexPage(CachedViewRestrictionsMixin, Page):
    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index page")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.child_of(self).live().order_by("-date", "-pk")
        context["news_page"] = Paginator(news, 10).get_page(request.GET.get("page"))
        return context


class NewsPage(CachedViewRestrictionsMixin, Page):
    date = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news page")


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting, ClusterableModel):
    """Navigation, footer and institute contact, edited under Settings in the admin."""

    institute_name_zh = models.CharField(
        _("institute name (Chinese)"),
        max_length=200,
        default="中检集团培训学院 长三角研发与实践基地",
    )
    institute_name_en = models.CharField(
        _("institute name (English)"),
        max_length=200,
        default="CCIC Institute, Yangtze Delta R&D and Practice Base",
    )
    address_zh = models.CharField(_("address (Chinese)"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    footer_text_zh = RichTextField(
        _("footer text (Chinese)"), blank=True, features=["bold", "link"]
    )
    footer_text_en = RichTextField(
        _("footer text (English)"), blank=True, features=["bold", "link"]
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("institute_name_zh"), FieldPanel("institute_name_en")],
            heading=_("Identity"),
        ),
        InlinePanel("navigation_links", heading=_("Main navigation"), label=_("link")),
        MultiFieldPanel(
            [
                FieldPanel("address_zh"),
                FieldPanel("address_en"),
                FieldPanel("phone"),
                FieldPanel("email"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [FieldPanel("footer_text_zh"), FieldPanel("footer_text_en")], heading=_("Footer")
        ),
    ]

    class Meta:
        verbose_name = _("site identity")


class NavigationLink(Orderable):
    setting = ParentalKey(SiteIdentity, on_delete=models.CASCADE, related_name="navigation_links")
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )

    panels = [PageChooserPanel("page")]
