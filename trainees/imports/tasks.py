"""Celery tasks of the trainee import: thin, ids in; the services are idempotent."""

from celery import shared_task


@shared_task(time_limit=600, soft_time_limit=580, acks_late=True)
def trainees_import_check_task(job_id: str) -> None:
    """Check an uploaded file (row by row, against the database) and store the report."""
    from .services import trainees_import_check

    trainees_import_check(job_id=job_id)


@shared_task(time_limit=900, soft_time_limit=880, acks_late=True)
def trainees_import_run_task(job_id: str) -> None:
    """Check the file again and write it in one transaction."""
    from .services import trainees_import_run

    trainees_import_run(job_id=job_id)


@shared_task(
    time_limit=300, soft_time_limit=280, autoretry_for=(OSError,), max_retries=3, retry_backoff=5
)
def trainee_invitations_send(user_ids: list[int]) -> int:
    from .invitations import invitations_send

    return invitations_send(user_ids=user_ids)
