from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import get_language_from_path

from trainees.roles import has_mfa, is_staff_role


class StaffMFARequiredMiddleware:
    """Staff who have not enrolled in MFA can do nothing but enrol.

    allauth has no "MFA required" switch. Rather than list every staff page (and miss the next
    one), a staff account without TOTP is sent to enrolment from every path except the account
    pages it needs to get there (`MFA_ENROLMENT_ALLOWED_PREFIXES`, also language-prefixed) and
    gets a 403 JSON answer from the API through a browser session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_enrol(request):
            if request.path.startswith("/api/"):
                # Tokens are created by administrators for integrations and checked by DRF.
                return JsonResponse(
                    {"detail": "Two-factor authentication enrolment is required for staff."},
                    status=403,
                )
            target = reverse("mfa_activate_totp")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _is_allowed_path(path: str) -> bool:
        language = get_language_from_path(path)
        if language:
            path = path[len(language) + 1 :]
        return any(path.startswith(prefix) for prefix in settings.MFA_ENROLMENT_ALLOWED_PREFIXES)

    def _must_enrol(self, request) -> bool:
        if not settings.MFA_REQUIRED_FOR_STAFF:
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or self._is_allowed_path(request.path):
            return False
        return is_staff_role(user) and not has_mfa(user)


class DatabaseUnavailableMiddleware:
    """A lost database connection (a restart, a failover) answers 503 with Retry-After.

    The request did not happen; clients retry (the exam page's script does). The page needs
    no database, so it renders while the database is away, and nothing internal is shown.
    """

    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError
        from django.template.loader import render_to_string

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"detail": "The service is temporarily unavailable; try again."}, status=503
            )
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response


class ApiLanguageMiddleware:
    """The language of an API answer (messages, labels): what the client asks for.

    API paths carry no language prefix, so `LocaleMiddleware` (with the default language left
    unprefixed) answers them in the default language whatever the client says. An API client
    asks with `Accept-Language` (or the site's language cookie); without either it gets
    Simplified Chinese. Sits right after `LocaleMiddleware`, whose response then says the
    language in Content-Language and varies on Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            translation.activate(translation.get_language_from_request(request, check_path=False))
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
