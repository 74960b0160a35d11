"""Email notifications: one registry of kinds, one way to send, one place to opt out.

Call `notify(recipients=..., kind=..., context=...)` inside the business transaction. For each
recipient who has not switched the kind off (mandatory kinds cannot be switched off) one
Celery task `institute.tasks.notification_send` is enqueued after commit; it renders
`emails/<template>_subject.txt`, `_body.txt` (and `_body.html` if present) and sends.

The Celery message holds only JSON: model instances in `context` travel as references
(`{"__model__": "app_label.model", "pk": ...}`) and are loaded again by the task, so templates
still see objects and a message never carries a stale copy of a row.

Bodies are bilingual by content: each template holds the Chinese text first and the English
below (see `templates/emails/credential_issued_body.txt`); it is rendered with the
institute's default language (zh-hans) active so dates and numbers format the same for all.
"""

import hashlib
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MODEL_REFERENCE = "__model__"


class Audience:
    """Who a kind is addressed to; decides which kinds the preferences page lists."""

    EVERYONE = "everyone"
    MANAGERS = "managers"


@dataclass(frozen=True)
class Kind:
    label: str
    description: str
    mandatory: bool = False
    audience: str = Audience.EVERYONE


NOTIFICATION_KINDS: dict[str, Kind] = {
    "trainee_invitation": Kind(
        label=_("Invitation to the platform"),
        description=_("The link to set your password when the institute creates your account."),
        mandatory=True,
    ),
    "courses_enrolment_decision": Kind(
        label=_("Enrolment decisions"),
        description=_("When your enrolment on a course is approved or declined."),
    ),
    "courses_session_reminder": Kind(
        label=_("Practice session reminders"),
        description=_("A reminder about a day before a practice session you booked."),
    ),
    "exams_result_released": Kind(
        label=_("Exam results"),
        description=_("When the result of one of your exam attempts is released."),
    ),
    # Mandatory: the email is the holder's notice of their certificate and how to verify it.
    "credential_issued": Kind(
        label=_("Credential issued"),
        description=_("When a credential is issued to you."),
        mandatory=True,
    ),
    # Mandatory for the holder: a lapsed credential means they may no longer do the work it
    # qualifies, and renewal needs CPD hours collected in time; it is sent 3 times at most.
    "credential_expiry_reminder": Kind(
        label=_("Credential expiry reminders"),
        description=_("90, 30 and 7 days before one of your credentials expires."),
        mandatory=True,
    ),
    # Mandatory: someone else acted in the person's name with their personal data; they must
    # always learn of it (and can object) rather than find it on the platform by chance.
    "certification_enrolled_by_manager": Kind(
        label=_("Applications started for you"),
        description=_(
            "When your manager or a certification officer starts a certification application "
            "in your name."
        ),
        mandatory=True,
    ),
    # Managers follow their staff's certification on the portal; the emails are a convenience.
    "staff_credential_changes": Kind(
        label=_("Staff credentials"),
        description=_(
            "When a credential is issued to someone in your organisation, or is about to expire."
        ),
        audience=Audience.MANAGERS,
    ),
}


def kinds_for(user) -> dict[str, Kind]:
    """The kinds that can be addressed to this user (all of them for managers)."""
    from trainees import roles

    is_manager = roles.is_manager(user)
    return {
        name: kind
        for name, kind in NOTIFICATION_KINDS.items()
        if kind.audience == Audience.EVERYONE or is_manager
    }


def disabled_kinds(user_ids: Iterable[int]) -> set[tuple[int, str]]:
    """(user id, kind) pairs switched off; absent rows mean on."""
    from institute.models import NotificationPreference

    rows = NotificationPreference.objects.filter(user_id__in=user_ids, email_enabled=False)
    return set(rows.values_list("user_id", "kind"))


def notification_wanted(*, user_id: int, kind: str) -> bool:
    """Checked again when sending: a choice made while a send waited (retries) still counts."""
    definition = NOTIFICATION_KINDS.get(kind)
    if definition is None or definition.mandatory:
        return definition is not None
    return (user_id, kind) not in disabled_kinds([user_id])


def notify(
    *, recipients: Iterable, kind: str, context: dict, template: str = "", key: str = ""
) -> None:
    """Email `recipients` about `kind` after the current transaction commits.

    `template` defaults to the kind's name; pass it when one kind covers several emails
    (managers get `credential_issued` and `credential_expiry_reminder` as staff changes).
    `key` names the occasion (e.g. "credential:42:credential_issued"): a task that calls
    `notify()` again for the same occasion (redelivered, or published twice by the outbox)
    produces the same message ids, and each message is sent once.
    """
    definition = NOTIFICATION_KINDS[kind]
    people = [person for person in recipients if person is not None and person.email]
    switched_off = set() if definition.mandatory else disabled_kinds([p.pk for p in people])
    payload = context_serialize(context)
    for person in people:
        if (person.pk, kind) in switched_off:
            continue
        _enqueue(
            recipient_id=person.pk,
            kind=kind,
            template=template or kind,
            context=payload,
            message_id=_message_id(key, kind, template or kind, person.pk),
        )


def _message_id(key: str, kind: str, template: str, person_id: int) -> str:
    if not key:
        return uuid.uuid4().hex
    return hashlib.sha256(f"{key}|{kind}|{template}|{person_id}".encode()).hexdigest()[:32]


def _enqueue(**message) -> None:
    """Publish one send after commit, through the transactional outbox (survives a broker
    outage; see `institute.outbox`). In eager mode a failure is logged, never raised into
    the request whose business action has already committed.
    """
    from institute.outbox import enqueue
    from institute.tasks import notification_send

    enqueue(notification_send, **message)


def context_serialize(context: dict) -> dict:
    return {key: _reference(value) for key, value in context.items()}


def _reference(value):
    if isinstance(value, models.Model):
        return {MODEL_REFERENCE: value._meta.label_lower, "pk": value.pk}
    return value


def context_load(payload: dict) -> dict | None:
    """Objects back from references; None when one is gone (nothing left to tell about)."""
    context = {}
    for key, value in payload.items():
        if isinstance(value, dict) and MODEL_REFERENCE in value:
            model = apps.get_model(value[MODEL_REFERENCE])
            value = model._default_manager.filter(pk=value["pk"]).first()
            if value is None:
                return None
        context[key] = value
    return context


def notification_message(*, recipient, template: str, context: dict) -> EmailMultiAlternatives:
    """The rendered email (bilingual templates, rendered with the default language active)."""
    context = {"site_url": settings.SITE_URL, **context, "recipient": recipient}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        body = render_to_string(f"emails/{template}_body.txt", context)
        html = _render_optional(f"emails/{template}_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def _render_optional(name: str, context: dict) -> str:
    try:
        return render_to_string(name, context)
    except TemplateDoesNotExist:
        return ""


# --- Preferences: what each person chose -------------------------------------------------------


def notification_preferences_for(user) -> list[dict]:
    """Every kind that applies to `user`, with their choice (one query)."""
    from institute.models import NotificationPreference

    chosen = dict(
        NotificationPreference.objects.filter(user=user).values_list("kind", "email_enabled")
    )
    return [
        {
            "kind": name,
            "label": kind.label,
            "description": kind.description,
            "mandatory": kind.mandatory,
            "email_enabled": kind.mandatory or chosen.get(name, True),
        }
        for name, kind in kinds_for(user).items()
    ]


def notification_preferences_validate(*, user, choices: dict[str, bool]) -> None:
    """Refuse kinds that do not apply to `user` and switching a mandatory kind off."""
    applicable = kinds_for(user)
    errors = []
    for name, enabled in choices.items():
        if name not in applicable:
            errors.append(_("“%(kind)s” is not a notification you receive.") % {"kind": name})
        elif applicable[name].mandatory and not enabled:
            label = applicable[name].label
            errors.append(
                _("“%(label)s” is mandatory and cannot be switched off.") % {"label": label}
            )
    if errors:
        raise ValidationError(errors)


def notification_preferences_update(*, user, choices: dict[str, bool], by) -> None:
    """Save `choices` (kind -> email on/off) in one transaction; kinds not given keep theirs."""
    from institute.audit import audit_record_create
    from institute.models import NotificationPreference

    notification_preferences_validate(user=user, choices=choices)
    with transaction.atomic():
        for name, enabled in choices.items():
            preference, _created = NotificationPreference.objects.get_or_create(
                user=user, kind=name
            )
            preference.email_enabled = enabled
            preference.full_clean()
            preference.save()
        audit_record_create(
            actor=by, action="notification_preferences_change", target=user, data=choices
        )
