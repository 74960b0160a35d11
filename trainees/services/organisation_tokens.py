"""Create and revoke organisation API tokens (officers), each with an audit record."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institute.audit import audit_record_create

from ..models import Organisation, OrganisationApiToken
from ..models.organisation_tokens import TOKEN_PREFIX, token_digest


@transaction.atomic
def organisation_token_create(
    *, organisation: Organisation, name: str, by
) -> tuple[OrganisationApiToken, str]:
    """A new token; returns it with the raw value, which is never stored and shown once."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = OrganisationApiToken(
        organisation=organisation,
        name=(name or "").strip(),
        token_hash=token_digest(raw),
        prefix=raw[:12],
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    token.full_clean()
    token.save()
    audit_record_create(
        actor=by,
        action="organisation_token.create",
        target=token,
        data={"organisation": organisation.pk, "name": token.name},
    )
    return token, raw


@transaction.atomic
def organisation_token_revoke(*, token: OrganisationApiToken, by, reason: str = "") -> None:
    token = OrganisationApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    token.full_clean()
    token.save(update_fields=["revoked_at"])
    audit_record_create(actor=by, action="organisation_token.revoke", target=token, reason=reason)
