"""Caches of the public site: whole Wagtail pages for anonymous visitors, and locales per request.

Anonymous page cache: a Wagtail page rendered for a visitor with no session and no pending
message is the same for every such visitor, so the finished response is kept in the cache
(shared by every gunicorn worker when Redis is configured) under a key of host, path, query
string and a site-wide version. Publishing, unpublishing, moving or deleting a page, or saving
a site setting, bumps the version, so the next visitor sees the new content at once; entries
of old versions simply expire. Pages that show live figures (seats left in the catalogue) are
at most `CMS_PAGE_CACHE_SECONDS` old for anonymous visitors; every action re-checks them.
Signed-in people never read from or write to this cache: their requests carry a session.

Locale memo: Wagtail asks the database for the active `Locale` each time a page's `localized`
version or a locale filter is needed (about ten times on a course page). Within one request the
answer cannot change, so it is remembered for the duration of the request only.
"""

import contextvars

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

VERSION_KEY = "cms-page-cache-version"
CACHED_HEADER = "X-Page-Cache"
_request_locales: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "request_locales", default=None
)


def page_cache_seconds() -> int:
    return getattr(settings, "CMS_PAGE_CACHE_SECONDS", 60)


def page_cache_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def page_cache_invalidate(**kwargs) -> None:
    """Signal receiver: any change to the page tree or site settings starts a new version."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value differs from cached keys
        cache.set(VERSION_KEY, 2, timeout=None)


def _is_anonymous_visitor(request) -> bool:
    """No session and no pending message: nothing on the page can be personal."""
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and not getattr(request, "is_preview", False)
    )


def _key(request) -> str:
    return f"cms-page:{page_cache_version()}:{request.get_host()}:{request.get_full_path()}"


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_USED")  # a form token is personal
        and "private" not in response.get("Cache-Control", "")
    )


class AnonymousPageCacheMiddleware:
    """Serve Wagtail pages to anonymous visitors from the cache; keep what they were served."""

    def __init__(self, get_response):
        from wagtail.views import serve

        self.get_response = get_response
        self.wagtail_serve = serve

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_cms_page_cache_key", None)
        if key and _storable(request, response):
            cache.set(key, (response.content, response["Content-Type"]), page_cache_seconds())
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not self.wagtail_serve or not _is_anonymous_visitor(request):
            return None
        if page_cache_seconds() <= 0:  # switched off (the benchmark's uncached figures)
            return None
        key = _key(request)
        cached = cache.get(key)
        if cached is None:
            request._cms_page_cache_key = key
            return None
        content, content_type = cached
        response = HttpResponse(content, content_type=content_type)
        response[CACHED_HEADER] = "hit"
        return response


def _memoised_get_for_language(original):
    def get_for_language(self, language_code):
        memo = _request_locales.get()
        if memo is None:
            return original(self, language_code)
        if language_code not in memo:
            memo[language_code] = original(self, language_code)
        return memo[language_code]

    get_for_language.memoised = True
    return get_for_language


class RequestLocaleMemoMiddleware:
    """Remember `Locale` look-ups for the length of one request (see the module docstring)."""

    def __init__(self, get_response):
        from wagtail.models.i18n import LocaleManager

        if not getattr(LocaleManager.get_for_language, "memoised", False):
            LocaleManager.get_for_language = _memoised_get_for_language(
                LocaleManager.get_for_language
            )
        self.get_response = get_response

    def __call__(self, request):
        token = _request_locales.set({})
        try:
            return self.get_response(request)
        finally:
            _request_locales.reset(token)


def connect_invalidation() -> None:
    """Called from the app config: every process that can publish also invalidates."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(page_cache_invalidate, dispatch_uid=f"cms-page-cache-{signal!r}")

    def on_model_change(sender, **kwargs):
        from wagtail.models import Page

        if issubclass(sender, (Page, BaseSiteSetting)) or sender._meta.label in (
            "cms.NavigationLink",
            "wagtailcore.Site",
        ):
            page_cache_invalidate()

    post_save.connect(on_model_change, weak=False, dispatch_uid="cms-page-cache-save")
    post_delete.connect(on_model_change, weak=False, dispatch_uid="cms-page-cache-delete")
