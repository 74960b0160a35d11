from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET


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
