from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Locale, Page

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
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation
    links = []
    path = request.get_full_path() if request else "/"
    for code, name in settings.LANGUAGES:
        if code in translations:
            url = translations[code].get_url(request=request)
        else:
            url = translate_url(path, code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.simple_tag(takes_context=True)
def navigation_pages(context):
    """Main navigation pages from site settings, each shown in the visitor's language."""
    from cms.models import SiteIdentity

    request = context.get("request")
    if request is None:
        return []
    identity = SiteIdentity.for_request(request)
    locale = Locale.get_active()
    pages = [link.page for link in identity.navigation_links.select_related("page").all()]
    keys = [page.translation_key for page in pages]
    localized = {
        page.translation_key: page
        for page in Page.objects.filter(translation_key__in=keys, locale=locale).live()
    }
    return [localized.get(page.translation_key, page) for page in pages if page.live]


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
    locale = Locale.get_active()
    from cms.models import HomePage

    home = HomePage.objects.filter(locale=locale).live().first() or HomePage.objects.live().first()
    return home.url if home else "/"
