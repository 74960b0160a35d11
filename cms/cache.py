"""Caches of the public site: whole Wagtail pages for anonymous visitors, and locales per request.

Anonymous page cache: a Wagtail page rendered for a visitor with no session and no pending
message is the same for every such visitor, so the finished response is kept in the cache
(shared by every gunicorn worker when Redis is configured) under a key of host, path, query
string and a site-wide version. Publishing, unpublishing, moving or deleting a page, or saving
a site setting, bumps the version, so the next visitor sees the new content at once; entries
of old versions simply expire. Pages that show live figures (seats left in the catalogue) are
at most `CMS_PAGE_CACHE_SECONDS` old for anonymous visitors; every action re-checks them.
Signed-in people never read from or write to this cache: their requests carry a session.

Fragment cache: the parts of a page that are the same for everyone - the navigation, the footer,
the links to a page's translations, a page's content blocks - are kept rendered (or as plain
data) under a key of the same site-wide version, the host and the language, so signed-in people
and uncached pages skip their queries too. Personal parts (the account links, a trainee's
progress, forms with a CSRF token) are never inside a fragment. Previews never read or write
fragments: a draft must not reach the cache.

Request memo: Wagtail asks the database for the active `Locale` each time a page's `localized`
version or a locale filter is needed (about ten times on a course page). Within one request the
answer cannot change, so it is remembered for the duration of the request, as is the cache
version; across requests each process keeps locales under the version (saving one changes it).
"""

import contextvars
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import get_language

VERSION_KEY = "cms-page-cache-version"
CACHED_HEADER = "X-Page-Cache"
_request_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "request_memo", default=None
)


def page_cache_seconds() -> int:
    return getattr(settings, "CMS_PAGE_CACHE_SECONDS", 60)


def fragment_cache_seconds() -> int:
    return getattr(settings, "CMS_FRAGMENT_CACHE_SECONDS", 600)


def _new_version() -> int:
    # Never a value used before (unlike restarting at 1 after Redis lost the key), so entries
    # a process still holds in its local copy can never match a later version.
    return time.time_ns()


def page_cache_version() -> int:
    """The site-wide version (asked of the cache once per request)."""
    memo = _request_memo.get()
    if memo is None:
        return cache.get_or_set(VERSION_KEY, _new_version, timeout=None)
    if VERSION_KEY not in memo:
        memo[VERSION_KEY] = cache.get_or_set(VERSION_KEY, _new_version, timeout=None)
    return memo[VERSION_KEY]


def _bump_version() -> None:
    memo = _request_memo.get()
    if memo is not None:
        memo.pop(VERSION_KEY, None)
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value differs from cached keys
        cache.set(VERSION_KEY, _new_version(), timeout=None)


def page_cache_invalidate(**kwargs) -> None:
    """Signal receiver: any change to the page tree or site settings starts a new version, now
    and again once the change is committed (a page rendered in between from the old rows must
    not be kept under the new version)."""
    _bump_version()
    transaction.on_commit(_bump_version)


# Part of every fragment key: change it when a fragment's form changes, so a deployment never
# reads what the previous code kept under the same version.
FRAGMENT_FORM = 1


def fragment_key(request, name: str, *parts) -> str:
    """Key of a shared fragment: version, host and language, then the fragment's own parts."""
    scope = f"{FRAGMENT_FORM}:{page_cache_version()}:{request.get_host()}:{get_language()}"
    return ":".join(["cms-fragment", scope, name, *(str(part) for part in parts)])


# Each process keeps the fragments it used last: with the version read once per request from
# the shared cache, a local copy under the same key is as fresh as the shared one.
_local_fragments = LocMemCache("cms-fragments", {"OPTIONS": {"MAX_ENTRIES": 2000}})


def fragment_cached(request, name: str, *parts, build):
    """`build()`'s value, kept as a shared fragment; built afresh (and not kept) in a preview."""
    if request is None or getattr(request, "is_preview", False):
        return build()
    return versioned_cached(fragment_key(request, name, *parts), build=build)


def versioned_cached(key: str, *, build):
    """`build()`'s value under `key` (which holds the version): this process's copy, else the
    shared cache's, else built and kept in both."""
    value = _local_fragments.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, fragment_cache_seconds())
        _local_fragments.set(key, value, fragment_cache_seconds())
    return value


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
        if view_func is not self.wagtail_serve:
            return None
        _remember_site(request)
        if not _is_anonymous_visitor(request):
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


def _remember_site(request) -> None:
    """Wagtail looks up the site of each page request in the database; sites change rarely and
    saving one starts a new version, so the answer is a shared fragment (Wagtail reads it from
    `request._wagtail_site`)."""
    site = fragment_cached(request, "site", build=lambda: _site_with_specific_root(request))
    if site is not None:
        request._wagtail_site = site


def _site_with_specific_root(request):
    """The site with its root page in specific form: routing starts there (a home page is served
    as it is; it was published under this version)."""
    from wagtail.models import Site

    site = Site._find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.specific
    return site


def _memoised_get_for_language(original):
    def get_for_language(self, language_code):
        memo = _request_memo.get()
        if memo is None:
            return original(self, language_code)
        if language_code not in memo:
            key = f"cms-locale:{page_cache_version()}:{language_code}"
            locale = _local_fragments.get(key)
            if locale is None:
                locale = original(self, language_code)
                _local_fragments.set(key, locale, fragment_cache_seconds())
            memo[language_code] = locale
        return memo[language_code]

    get_for_language.memoised = True
    return get_for_language


class RequestLocaleMemoMiddleware:
    """Remember `Locale` look-ups and the cache version for one request (see the module docstring)."""

    def __init__(self, get_response):
        from wagtail.models.i18n import LocaleManager

        if not getattr(LocaleManager.get_for_language, "memoised", False):
            LocaleManager.get_for_language = _memoised_get_for_language(
                LocaleManager.get_for_language
            )
        self.get_response = get_response

    def __call__(self, request):
        token = _request_memo.set({})
        try:
            return self.get_response(request)
        finally:
            _request_memo.reset(token)


# Models shown inside cached pages and fragments besides pages and site settings (images and
# documents by their renditions, titles and URLs; view restrictions decide who may see a page).
INVALIDATING_MODELS = (
    "cms.NavigationLink",
    "wagtailcore.Site",
    "wagtailcore.Locale",
    "wagtailcore.PageViewRestriction",
    "wagtailimages.Image",
    "wagtaildocs.Document",
)


def connect_invalidation() -> None:
    """Called from the app config: every process that can publish also invalidates."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(page_cache_invalidate, dispatch_uid=f"cms-page-cache-{signal!r}")

    def on_model_change(sender, **kwargs):
        from wagtail.models import Page

        if kwargs.get("created") and issubclass(sender, BaseSiteSetting):
            return  # made with its defaults at a first view: what pages show is unchanged
        if issubclass(sender, (Page, BaseSiteSetting)) or sender._meta.label in INVALIDATING_MODELS:
            page_cache_invalidate()

    post_save.connect(on_model_change, weak=False, dispatch_uid="cms-page-cache-save")
    post_delete.connect(on_model_change, weak=False, dispatch_uid="cms-page-cache-delete")
