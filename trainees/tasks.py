"""Celery tasks of the certification domain: thin (ids in), idempotent services behind."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import OperationalError
from django.template.loader import render_to_string
from django.utils import translation

from .models import Credential


@shared_task(
    bind=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=5,
    time_limit=120,
    soft_time_limit=100,
)
def credential_issue(self, application_id: int) -> str:
    """Issue the credential of an approved application (exactly once, see the service)."""
    from .services import credential_issue as issue

    return issue(application_id=application_id).number


@shared_task(time_limit=120, soft_time_limit=100)
def credential_pdf_render(credential_id: int) -> None:
    from .services import credential_pdf_render as render

    render(credential=Credential.objects.get(pk=credential_id))


@shared_task(time_limit=600, soft_time_limit=580)
def credentials_expire() -> int:
    from .services import credentials_expire as expire

    return expire()


@shared_task(time_limit=600, soft_time_limit=580)
def credential_reminders_send() -> int:
    from .services import credential_reminders_send as remind

    return remind()


@shared_task(time_limit=600, soft_time_limit=580)
def cpd_course_completions_sync() -> int:
    from .services import cpd_course_completions_sync as sync

    return sync()


def _recipients(credential: Credential) -> list:
    """The holder, and the managers of the holder's organisation."""
    people = [credential.holder]
    organisation = credential.holder.profile.organisation
    if organisation is not None:
        people += [m for m in organisation.managers.all() if m.pk != credential.holder_id]
    return people


@shared_task(
    time_limit=60, soft_time_limit=50, autoretry_for=(OSError,), max_retries=3, retry_backoff=5
)
def credential_email_send(credential_id: int, template: str) -> int:
    """Bilingual email (Chinese first, English below) to the holder and their manager."""
    from .credentials.ob3 import verify_url

    credential = Credential.objects.select_related(
        "holder__profile__organisation", "scheme_version__scheme"
    ).get(pk=credential_id)
    context = {
        "credential": credential,
        "scheme": credential.scheme_version.scheme,
        "verify_url": verify_url(credential.number),
        "site_url": settings.SITE_URL,
    }
    sent = 0
    for person in _recipients(credential):
        with translation.override("zh-hans"):
            context["recipient"] = person
            subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
            body = render_to_string(f"emails/{template}_body.txt", context)
        sent += send_mail(subject, body, None, [person.email])
    return sent
