"""The trainee import as background jobs (`institute.jobs`, kind "trainees.import").

1. `trainees_import_upload`: a job of stage "check" stores the file; its task reads and
   checks every row and stores the report (counts and row errors) as the job's result.
2. `trainees_import_confirm`: the person chooses "import all" (only when no row is bad) or
   "import the valid rows only"; a job of stage "import" checks the same file again against
   the database as it is now and writes it in one transaction.
"""

import csv
import io

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from institute import jobs
from institute.models import Job
from trainees import roles
from trainees.models import Organisation

from .parsing import ImportFileError, read_rows
from .validation import ImportCheck, rows_check
from .writing import ImportRowsError, trainees_import_write

KIND = "trainees.import"
REPORTED_ERRORS = 1000


def import_organisation_ids(user) -> set[int] | None:
    """None: any organisation (officers); else the organisations the user manages."""
    if roles.is_officer(user):
        return None
    return set(Organisation.objects.filter(managers=user).values_list("pk", flat=True))


def may_import(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return roles.is_officer(user) or bool(roles.is_manager(user) and import_organisation_ids(user))


@transaction.atomic
def trainees_import_upload(*, by, upload) -> Job:
    job = jobs.job_create(
        kind=KIND,
        owner=by,
        parameters={
            "stage": "check",
            "filename": upload.name,
            "language": translation.get_language(),
        },
        input_file=upload,
    )
    from .tasks import trainees_import_check_task

    trainees_import_check_task.delay_on_commit(str(job.pk))
    return job


def import_job_for_check(check_job: Job) -> Job | None:
    return Job.objects.filter(kind=KIND, parameters__check_job=str(check_job.pk)).first()


@transaction.atomic
def trainees_import_confirm(*, check_job: Job, by, valid_only: bool, send_invitations: bool) -> Job:
    """Start the import of a checked file once; a second confirmation returns the same job."""
    Job.objects.select_for_update().filter(pk=check_job.pk).first()
    existing = import_job_for_check(check_job)
    if existing is not None:
        return existing
    with check_job.input_file.open("rb") as handle:
        content = ContentFile(handle.read(), name=check_job.parameters.get("filename", "trainees"))
    parameters = {
        "stage": "import",
        "check_job": str(check_job.pk),
        "filename": check_job.parameters.get("filename", ""),
        "valid_only": valid_only,
        "send_invitations": send_invitations,
        "language": translation.get_language(),
    }
    job = jobs.job_create(kind=KIND, owner=by, parameters=parameters, input_file=content)
    from .tasks import trainees_import_run_task

    trainees_import_run_task.delay_on_commit(str(job.pk))
    return job


def _read_and_check(job: Job) -> ImportCheck:
    with job.input_file.open("rb") as handle:
        content = handle.read()
    rows = read_rows(content=content, filename=job.parameters.get("filename", ""))
    jobs.job_progress(job_id=job.pk, done=0, total=len(rows))
    return rows_check(
        rows,
        allowed_organisation_ids=import_organisation_ids(job.owner),
        progress=lambda done: jobs.job_progress(job_id=job.pk, done=done),
    )


def _report(check: ImportCheck) -> dict:
    errors = check.errors
    return {
        "rows": len(check.rows),
        "counts": check.counts(),
        "error_count": len(errors),
        "errors": [error.as_dict() for error in errors[:REPORTED_ERRORS]],
    }


def _errors_csv(check: ImportCheck) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["row", "column", "message"])
    writer.writerows([error.row, error.column, error.message] for error in check.errors)
    return buffer.getvalue().encode("utf-8-sig")


def _in_language(work):
    """Run the work of a job (once) in the language of the person who started it."""

    def run(*, job_id) -> None:
        job = jobs.job_start(job_id=job_id)
        if job is None:  # already done, or being done by another worker
            return
        with translation.override(job.parameters.get("language") or None):
            work(job)

    run.__doc__ = work.__doc__
    return run


@_in_language
def trainees_import_check(job: Job) -> None:
    """Read and check every row; the report (and a CSV of the errors) is the job's result."""
    job_id = job.pk
    try:
        check = _read_and_check(job)
    except ImportFileError as error:
        jobs.job_fail(job_id=job_id, error=str(error))
        return
    except Exception:
        jobs.job_fail(job_id=job_id, error=_("The file could not be checked; please try again."))
        raise
    if check.errors:
        jobs.job_succeed(
            job_id=job_id,
            result=_report(check),
            output_name="import-errors.csv",
            output_content=_errors_csv(check),
        )
    else:
        jobs.job_succeed(job_id=job_id, result=_report(check))


def _write(job: Job, check: ImportCheck) -> dict:
    return trainees_import_write(
        check=check,
        by=job.owner,
        job=job,
        valid_only=bool(job.parameters.get("valid_only")),
        send_invitations=bool(job.parameters.get("send_invitations")),
    )


@_in_language
def trainees_import_run(job: Job) -> None:
    """Check the file again against the database as it is now, then write it."""
    job_id = job.pk
    try:
        check = _read_and_check(job)
        report = _report(check)
        report.update(_write(job, check))
    except ImportFileError as error:
        jobs.job_fail(job_id=job_id, error=str(error))
    except ImportRowsError:
        message = _("Some rows have errors, so nothing was written. Fix them and upload again.")
        jobs.job_fail(job_id=job_id, error=message, result=_report(check))
    except IntegrityError:
        message = _(
            "Someone registered one of these people meanwhile, so nothing was written. "
            "Upload the file again to see who."
        )
        jobs.job_fail(job_id=job_id, error=message, result=_report(check))
    except Exception:
        jobs.job_fail(job_id=job_id, error=_("The import failed; nothing was written."))
        raise
    else:
        jobs.job_succeed(job_id=job_id, result=report)
