from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Locale, Page

from cms.cache import fragment_cached

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """A link per language that keeps the visitor on the same page.

    A Wagtail page links to its translation when one exists; any other view links to the same
    URL under the other language prefix.
    """
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    translations = {}
    if isinstance(page, Page) and page.pk:
        translations = fragment_cached(
            request, "translations", page.pk, build=lambda: _translation_urls(page, request)
        )
    links = []
    path = request.get_full_path() if request else "/"
    for code, name in settings.LANGUAGES:
        url = translations[code] if code in translations else translate_url(path, code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


def _translation_urls(page, request) -> dict:
    translations = page.get_translations(inclusive=True).live().select_related("locale")
    return {
        translation.locale.language_code: translation.get_url(request=request)
        for translation in translations
    }


@register.simple_tag(takes_context=True)
def navigation_pages(context):
    """Main navigation from site settings, each page in the visitor's language: `pk`, `url` and
    `title` of each (kept as a shared fragment; the current page is marked by the template)."""
    request = context.get("request")
    if request is None:
        return []
    return fragment_cached(request, "navigation", build=lambda: _navigation(request))


def _navigation(request) -> list[dict]:
    from cms.models import SiteIdentity

    identity = SiteIdentity.for_request(request)
    pages = [link.page for link in identity.navigation_links.select_related("page").all()]
    keys = [page.translation_key for page in pages]
    localized = {
        page.translation_key: page
        for page in Page.objects.filter(translation_key__in=keys, locale=Locale.get_active()).live()
    }
    shown = [localized.get(page.translation_key, page) for page in pages if page.live]
    return [{"pk": page.pk, "url": page.get_url(request), "title": page.title} for page in shown]


@register.simple_tag
def localized_field(obj, field_base):
    """Pick `<field>_en` in English (when filled), else `<field>_zh`."""
    if get_language() == "en":
        value = getattr(obj, f"{field_base}_en", "")
        if value:
            return value
    return getattr(obj, f"{field_base}_zh", "")


@register.simple_tag(takes_context=True)
def home_url(context):
    return fragment_cached(context.get("request"), "home-url", build=_home_url)


def _home_url() -> str:
    from cms.models import HomePage

    locale = Locale.get_active()
    home = HomePage.objects.filter(locale=locale).live().first() or HomePage.objects.live().first()
    return home.url if home else "/"


@register.simple_tag(takes_context=True)
def site_userbar(context):
    """Wagtail's editing bar, for the staff roles given the admin (instructors, officers,
    superusers): asking anyone else costs two permission queries on every page to show nothing."""
    from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

    from trainees.roles import is_staff_role

    if not is_staff_role(context.get("user")):
        return ""
    return wagtailuserbar(context)


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context):
        parts = [part.resolve(context) for part in self.parts]
        html = fragment_cached(
            context.get("request"), "html", *parts, build=lambda: self.nodelist.render(context)
        )
        return mark_safe(html)  # noqa: S308 - the template's own output, escaped when rendered


@register.tag
def shared_fragment(parser, token):
    """`{% shared_fragment "name" part ... %}...{% endshared_fragment %}`: output that is the
    same for every visitor of this host and language, kept until the site's next change (see
    `cms.cache`). Never put anything personal inside: a user's name, progress, a CSRF token."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("shared_fragment needs a name")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits])
