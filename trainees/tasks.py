"""Celery tasks of the certification domain: thin (ids in), idempotent services behind."""

from celery import shared_task
from django.db import OperationalError

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


@shared_task(time_limit=60, soft_time_limit=50)
def credential_email_send(credential_id: int, template: str, occasion: str = "") -> int:
    """Tell the holder (a mandatory kind) and their managers (optional) through `notify()`.
    A redelivered task sends nothing twice: the occasion keys the messages."""
    from institute.notifications import notify

    from .credentials.ob3 import verify_url

    credential = Credential.objects.select_related(
        "holder__profile__organisation", "scheme_version__scheme"
    ).get(pk=credential_id)
    context = {
        "credential": credential,
        "scheme": credential.scheme_version.scheme,
        "verify_url": verify_url(credential.number),
    }
    holder, *managers = _recipients(credential)
    key = f"credential:{credential_id}:{template}:{occasion}"
    notify(recipients=[holder], kind=template, context=context, key=key)
    notify(
        recipients=managers,
        kind="staff_credential_changes",
        context=context,
        template=template,
        key=key,
    )
    return 1 + len(managers)


# The trainee import's tasks live with the import; importing them here lets Celery find them.
from .imports import tasks as import_tasks  # noqa: E402, F401
from .tasks_reports import report_export  # noqa: E402, F401 - the dashboard export job
