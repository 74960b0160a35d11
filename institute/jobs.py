"""Background jobs a person waits for: services that move a `Job` through its states.

A feature (trainee import, a large report) creates the job in its view with `job_create`,
enqueues its own Celery task with the job id after commit, and in the task calls
`job_start` (only one worker wins), `job_progress` as it goes, then `job_succeed` or
`job_fail`. The progress page, its JSON and the download are generic (`institute.views_jobs`).
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Job


@transaction.atomic
def job_create(*, kind: str, owner, parameters: dict | None = None, input_file=None) -> Job:
    job = Job(kind=kind, owner=owner, parameters=parameters or {})
    job.full_clean(exclude=["input_file", "output_file"])
    job.save()
    if input_file is not None:
        job.input_file.save(input_file.name.rsplit("/", 1)[-1], input_file, save=True)
    return job


# Longer than any job task's hard time limit: a job "running" for longer lost its worker
# (killed, out of memory) and its redelivered task may take it over.
JOB_STALE_AFTER = timedelta(minutes=20)


def job_start(*, job_id, total: int = 0) -> Job | None:
    """Mark the job running. None when it is finished or another worker runs it now (a
    redelivered task must not run the work twice); a job whose worker died is taken over."""
    now = timezone.now()
    stale = Q(status=Job.Status.RUNNING, started_at__lt=now - JOB_STALE_AFTER)
    won = Job.objects.filter(Q(status=Job.Status.PENDING) | stale, pk=job_id).update(
        status=Job.Status.RUNNING, started_at=now, progress_total=total, progress_done=0
    )
    return Job.objects.get(pk=job_id) if won else None


def job_progress(*, job_id, done: int, total: int | None = None) -> None:
    """Outside any transaction of the work itself, so the progress bar sees it at once."""
    fields = {"progress_done": done}
    if total is not None:
        fields["progress_total"] = total
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(**fields)


def job_succeed(
    *, job_id, result: dict | None = None, output_name: str = "", output_content: bytes = b""
) -> Job:
    job = Job.objects.get(pk=job_id)
    if output_name:
        job.output_file.save(output_name, ContentFile(output_content), save=False)
    job.status = Job.Status.SUCCEEDED
    job.result = result or {}
    job.progress_done = F("progress_total")
    job.finished_at = timezone.now()
    job.save()
    job.refresh_from_db()
    return job


def job_fail(*, job_id, error: str, result: dict | None = None) -> None:
    fields = {"status": Job.Status.FAILED, "error": error[:2000], "finished_at": timezone.now()}
    if result is not None:
        fields["result"] = result
    Job.objects.filter(pk=job_id).update(**fields)


def jobs_visible_to(user, *, kind: str | None = None):
    """A person sees the jobs they started; officers (superusers) see all."""
    jobs = Job.objects.select_related("owner")
    if not user.is_superuser:
        jobs = jobs.filter(owner=user)
    if kind:
        jobs = jobs.filter(kind=kind)
    return jobs
