"""A 10,000-row trainee file checked and imported by a real Celery worker (CI: PostgreSQL +
Redis). The worker reads the uploaded file from its own media folder."""

import time

import pytest
from django.core.files.base import ContentFile

from institute.models import Job
from tests.conftest import wait_for
from trainees.imports.services import trainees_import_confirm, trainees_import_upload
from trainees.models import TraineeProfile, User

from .test_imports import csv_bytes, person_row

ROWS = 10_000


def _finished(job: Job, timeout: float) -> Job:
    return wait_for(
        lambda: Job.objects.filter(pk=job.pk, finished_at__isnull=False).first(), timeout=timeout
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_10000_row_file_imports_through_the_worker(
    celery_worker_process, settings, officer, organisation
):
    settings.MEDIA_ROOT = celery_worker_process["media"]
    content = csv_bytes([person_row(serial, organisation) for serial in range(ROWS)])
    people_before = User.objects.count()
    started = time.monotonic()
    check = trainees_import_upload(by=officer, upload=ContentFile(content, name="big.csv"))
    check = _finished(check, timeout=60)
    assert check.status == Job.Status.SUCCEEDED, check.error
    assert check.result["counts"]["create"] == ROWS and check.progress_total == ROWS
    assert User.objects.count() == people_before  # checking writes nothing

    imported = trainees_import_confirm(
        check_job=check, by=officer, valid_only=False, send_invitations=False
    )
    imported = _finished(imported, timeout=60)
    assert imported.status == Job.Status.SUCCEEDED, imported.error
    assert TraineeProfile.objects.filter(organisation=organisation).count() == ROWS
    assert User.objects.count() == people_before + ROWS
    print(f"10,000 rows checked and imported in {time.monotonic() - started:.1f} s")
    assert "trainees_import_run_task" in celery_worker_process["log"].read_text()
