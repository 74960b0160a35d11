"""DRF authentication with an organisation API token: the caller is an organisation, not a user.

Accepted headers: `Authorization: Bearer org_...` or `Authorization: Token org_...`.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from .models import OrganisationApiToken
from .models.organisation_tokens import TOKEN_PREFIX, token_digest

KEYWORDS = {b"bearer", b"token"}
# Writing last_used_at on every call would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class OrganisationClient:
    """`request.user` of a call made with an organisation token."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, token: OrganisationApiToken):
        self.token = token
        self.organisation = token.organisation

    def has_perm(self, permission, obj=None) -> bool:
        return False

    def __str__(self) -> str:
        return f"organisation:{self.organisation.credit_code}"


class OrganisationTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() not in KEYWORDS:
            return None
        try:
            raw = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not raw.startswith(TOKEN_PREFIX):
            return None  # a user token: not for this authentication
        token = (
            OrganisationApiToken.objects.select_related("organisation")
            .filter(token_hash=token_digest(raw), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        _touch(token)
        return OrganisationClient(token), token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


def _touch(token: OrganisationApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        OrganisationApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class IsOrganisationClient(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, OrganisationClient)


class OrganisationTokenScheme(OpenApiAuthenticationExtension):
    """Documents the organisation token in the OpenAPI document (a bearer token)."""

    target_class = "trainees.authentication_organisation.OrganisationTokenAuthentication"
    name = "organisationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Organisation API token (`org_...`), issued by a certification officer.",
        }
