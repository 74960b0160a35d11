"""URLs of the plain-view limit reference (`reference_wsgi`): saved HTML served by a plain
Django view, through the same settings, middleware and gunicorn as the real pages."""

import os
from pathlib import Path

from django.http import Http404, HttpResponse
from django.urls import path

SAVED_PAGES_DIR = Path(os.environ.get("BENCH_SAVED_PAGES_DIR", "bench/saved-pages"))
# Read once at start: the reference measures the framework, not the disk.
SAVED_PAGES = {saved.stem: saved.read_bytes() for saved in sorted(SAVED_PAGES_DIR.glob("*.html"))}


def plain_page(request, name: str):
    try:
        return HttpResponse(SAVED_PAGES[name], content_type="text/html; charset=utf-8")
    except KeyError:
        raise Http404 from None


urlpatterns = [path("plain/<slug:name>/", plain_page)]
