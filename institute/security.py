"""Security plumbing the settings point at by dotted path: the Wagtail admin's upload forms
(kept out of institute/uploads.py, which must import without Wagtail's models) and the
security-header middleware (Content Security Policy per path, Permissions-Policy)."""

import functools

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import get_language_from_path
from PIL import UnidentifiedImageError
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from .uploads import validate_document_file


class DocumentForm(BaseDocumentForm):
    """Wagtail documents (WAGTAILDOCS_DOCUMENT_FORM_BASE): the content must agree with the
    extension (a renamed HTML page or executable is refused) and the size is limited."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        # Only a new upload is checked; editing the title keeps the stored file as it is.
        if file and file is not self.original_file and hasattr(file, "content_type"):
            validate_document_file(file)
        return file


class CheckedImageField(WagtailImageField):
    """Wagtail 8 lets a file with image magic bytes but no image behind them through to its
    pixel-size check, where Pillow raises and the user gets a server error; make it a form
    error like any other bad image."""

    def to_python(self, data):
        try:
            return super().to_python(data)
        except (UnidentifiedImageError, OSError, SyntaxError) as error:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error


class ImageForm(BaseImageForm):
    """Wagtail images (WAGTAILIMAGES_IMAGE_FORM_BASE) with the checked image field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        # Wagtail builds the field per form (limits read from settings then); only its
        # behaviour changes, so the instance is kept and given the checked subclass.
        if type(field) is WagtailImageField:
            field.__class__ = CheckedImageField


class PathPolicyCSPMiddleware(CSPMiddleware):
    """django-csp with a looser policy where a third-party UI needs it.

    The site's pages run no inline script, so their policy is strict. The Wagtail admin uses
    inline styles and scripts and frames its own previews; the API's Swagger page loads its
    bundle from a CDN and starts it inline. Those paths get their own policy from settings
    (CONTENT_SECURITY_POLICY_PATHS: prefix -> directives); a view's own csp decorator wins.

    Building the header text is most of this middleware's cost (a tenth of a small API
    call), and it only changes with the settings: each path policy's header is built once by
    django-csp's own `build_policy`. Whatever is per response (a view's decorator, a nonce, a
    report-only policy, DEBUG error pages) goes through django-csp unchanged.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        prefix = _policy_prefix(request.path_info)
        if prefix is not None:
            parts.config = settings.CONTENT_SECURITY_POLICY_PATHS[prefix]
        return parts

    def process_response(self, request, response):
        if _policy_is_per_response(request, response):
            return super().process_response(request, response)
        excluded = (settings.CONTENT_SECURITY_POLICY or {}).get("EXCLUDE_URL_PREFIXES") or ()
        if (
            HEADER not in response
            and getattr(response, "_csp_exempt", False) is False
            and not request.path_info.startswith(tuple(excluded))
        ):
            header = _policy_header(_policy_prefix(request.path_info))
            if header:
                response[HEADER] = header
        # As django-csp: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


_PER_RESPONSE_POLICY = [
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace") for suffix in ("", "_ro")
]


def _policy_is_per_response(request, response) -> bool:
    return bool(
        settings.DEBUG
        or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        or getattr(request, "_csp_nonce", None) is not None
        or any(hasattr(response, name) for name in _PER_RESPONSE_POLICY)
    )


def _policy_prefix(path: str) -> str | None:
    """The CONTENT_SECURITY_POLICY_PATHS prefix the path falls under, if any."""
    path = _without_language_prefix(path)
    for prefix in settings.CONTENT_SECURITY_POLICY_PATHS:
        if path.startswith(prefix):
            return prefix
    return None


@functools.cache
def _policy_header(prefix: str | None) -> str:
    if prefix is None:
        return build_policy()
    return build_policy(config=settings.CONTENT_SECURITY_POLICY_PATHS[prefix])


@receiver(setting_changed)
def _forget_policy_headers(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policy_header.cache_clear()


class SecurityHeadersMiddleware:
    """The header Django has no setting for: Permissions-Policy (PERMISSIONS_POLICY: no
    camera, microphone, geolocation or payment for any page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def _without_language_prefix(path: str) -> str:
    language = get_language_from_path(path)
    return path[len(language) + 1 :] if language else path


class CounterRateThrottle(SimpleRateThrottle):
    """A fixed-window counter: one atomic cache increment per call (one Redis round trip).

    DRF's throttles keep a list of every call's time in the window, read and written back
    whole on each call (two round trips, and at 1,200 calls a minute a list of up to 1,200
    times unpickled and pickled again). Here the first call of a window adds a counter that
    expires with the window; each call increments it and is refused once it passes the rate.
    The window starts at an account's first call, not on the clock, so a burst cannot be
    split across a minute boundary; at most twice the rate can pass across two windows.
    With the cache unavailable (Redis down) calls are let through, as before.
    """

    # Not DRF's keys, which hold lists of times (a deployment meets them for one window).
    cache_format = "throttle-count_%(scope)s_%(ident)s"

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        count = self._increment(self.key)
        return count is None or count <= self.num_requests

    def _increment(self, key: str) -> int | None:
        try:
            return self.cache.incr(key)
        except ValueError:  # no counter: this call opens the window
            pass
        if self.cache.add(key, 1, self.duration):
            return 1
        try:  # another worker opened it in between
            return self.cache.incr(key)
        except ValueError:
            return 1

    def wait(self):
        """Seconds until the window ends, where the cache can tell (Redis); else a whole one."""
        ttl = getattr(self.cache, "ttl", None)
        remaining = ttl(self.key) if ttl else None
        return remaining if remaining and remaining > 0 else self.duration


class AddressRateThrottle(CounterRateThrottle, AnonRateThrottle):
    """Anonymous API calls, per IP address."""


class AccountRateThrottle(CounterRateThrottle, UserRateThrottle):
    """API rate limit per account, never per address: a classroom of candidates behind one NAT
    address at exam start shares an IP but not an account. An organisation token (whose caller
    has no user id) is limited per token. Anonymous calls are left to the per-IP
    AddressRateThrottle."""

    scope = "user"

    def get_cache_key(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return None
        token = getattr(user, "token", None)
        ident = user.pk if user.pk is not None else f"organisation-token-{token.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
