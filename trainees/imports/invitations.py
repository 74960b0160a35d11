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
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

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


def _message(user: User) -> EmailMessage:
    context = {
        "recipient": user,
        "profile": user.profile,
        "invitation_url": invitation_url(user),
        "site_url": settings.SITE_URL,
    }
    with translation.override("zh-hans"):
        subject = render_to_string("emails/trainee_invitation_subject.txt", context).strip()
        body = render_to_string("emails/trainee_invitation_body.txt", context)
    return EmailMessage(subject, body, None, [user.email])


def invitations_send(*, user_ids: list[int]) -> int:
    """Only to people who have not chosen a password yet: a redelivered task, or a person
    who already accepted, gets no second invitation."""
    users = User.objects.filter(pk__in=user_ids, last_login__isnull=True).select_related("profile")
    messages = [_message(user) for user in users if not user.has_usable_password()]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
