import posixpath

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from django.views.static import serve


@require_GET
def admin_login_redirect(request):
    """Wagtail's own login form is replaced by allauth's, so its rate limits and MFA apply."""
    target = reverse("account_login")
    next_url = request.GET.get("next") or "/admin/"
    return redirect(f"{target}?{urlencode({'next': next_url})}")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


@require_GET
def public_media(request, path: str):
    """Serve only the public image folders of MEDIA_ROOT; everything else there is private."""
    normalised = posixpath.normpath(path).lstrip("/")
    if normalised.startswith("..") or normalised.split("/")[0] not in settings.PUBLIC_MEDIA_FOLDERS:
        raise Http404
    return serve(request, normalised, document_root=settings.MEDIA_ROOT)
