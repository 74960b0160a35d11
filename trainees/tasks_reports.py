"""Celery task of the dashboard's report exports (imported from `trainees/tasks.py`)."""

from celery import shared_task
from django.db import OperationalError


@shared_task(
    name="trainees.report_export",
    autoretry_for=(OperationalError,),  # the database unreachable before the job started
    retry_backoff=2,
    retry_backoff_max=30,
    max_retries=3,
    time_limit=900,
    soft_time_limit=870,
)
def report_export(job_id: str) -> None:
    """Thin: the job id in, `reports.report_export_run` does the work. Idempotent: a job that
    already started is left alone; a failure while writing marks the job failed."""
    from .reports import report_export_run

    report_export_run(job_id=job_id)
