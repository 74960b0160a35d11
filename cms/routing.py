"""Cheaper serving of Wagtail pages, with Wagtail's rules unchanged.

Routing: Wagtail walks a URL one segment at a time, two queries per segment (the child by slug,
then its specific form), so a lesson four levels down costs nine queries before it renders.
Every page keeps its full `url_path` (Wagtail maintains it on moves and slug changes), so a site
root finds the page for the rest of the URL in one query by that path, then its specific form.
The page found is kept under the site-wide version of `cms.cache` (any page saved, published,
unpublished, moved or deleted changes it), so a later view of the same address routes with no
query; each request unpickles its own copy.
Wagtail lets a page type take over routing below it (`route()`, as `RoutablePageMixin` does):
while any page type does, the walk is Wagtail's own.

View restrictions: Wagtail looks for restrictions on the page and all its ancestors on every
view (two queries). Whether a page has any is remembered under the site-wide version of
`cms.cache`, which saving or deleting a restriction, or moving a page, changes; a page with one
is checked by Wagtail as before.
"""

import hashlib
from functools import cache as memoise

from django.http import Http404
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.url_routing import RouteResult

from .cache import FRAGMENT_FORM, page_cache_version, versioned_cached


@memoise
def _every_page_type_routes_by_slug() -> bool:
    own_routes = (Page.route, DirectRouteMixin.route)
    return all(model.route in own_routes for model in get_page_models())


class DirectRouteMixin:
    """For site roots: resolve the rest of the URL in one query (see the module docstring)."""

    def route(self, request, path_components):
        if not path_components or not _every_page_type_routes_by_slug():
            return super().route(request, path_components)
        rest = "/".join(path_components)
        digest = hashlib.sha256(rest.encode()).hexdigest()  # any characters, bounded length
        key = f"cms-route:{FRAGMENT_FORM}:{page_cache_version()}:{self.pk}:{digest}"
        page = versioned_cached(key, build=lambda: self._live_page_below(rest, path_components))
        if page is None:  # not found (never kept: unknown addresses do not fill the cache)
            raise Http404
        return RouteResult(page)

    def _live_page_below(self, rest: str, path_components) -> Page | None:
        page = (
            Page.objects.filter(
                path__startswith=self.path,
                depth=self.depth + len(path_components),
                slug=path_components[-1],
                url_path=self.url_path + rest + "/",
            )
            .only("pk", "content_type")
            .first()
        )
        if page is None:
            return None
        page = page.specific
        return page if page.live else None


class CachedViewRestrictionsMixin:
    """Skip the restriction queries for pages known to have none (see the module docstring)."""

    def get_view_restrictions(self):
        key = f"cms-restricted:{FRAGMENT_FORM}:{page_cache_version()}:{self.pk}"
        wagtails = super().get_view_restrictions  # its ancestor query runs only when called
        restricted = versioned_cached(key, build=lambda: wagtails().exists())
        if restricted:
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()
