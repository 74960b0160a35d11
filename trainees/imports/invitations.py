"""Invitation emails for imported trainees: a link to set their own password.

The link is allauth's password-reset-from-key link (`/accounts/password/reset/key/...`): the
person chooses a password on allauth's own page, and the link stops working once the
password is set (the token covers the password hash) or after PASSWORD_RESET_TIMEOUT.
Later they can always ask for a new link with "Forgot password?", since the address is
already verified.
"""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from institute.notifications import notify
from trainees.models import User


def invitation_url(user: User) -> str:
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


def invitations_send(*, user_ids: list[int]) -> int:
    """One `trainee_invitation` notification per person who has not chosen a password yet:
    a person who already accepted gets no second invitation from a redelivered batch."""
    users = User.objects.filter(pk__in=user_ids, last_login__isnull=True)
    invited = [user for user in users if not user.has_usable_password()]
    with transaction.atomic():
        for user in invited:
            notify(
                recipients=[user],
                kind="trainee_invitation",
                context={"invitation_url": invitation_url(user)},
                # The unusable password stays the same until the person sets one.
                key=f"invitation:{user.pk}:{user.password}",
            )
    return len(invited)
