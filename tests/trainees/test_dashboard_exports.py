"""Exports of the dashboard's lists: a background job whose file holds exactly the list's rows
(eager here, and on a real Celery worker), audited, for officers only."""

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from institute.models import AuditRecord, Job
from tests.conftest import wait_for
from tests.trainees.dashboard_data import DASHBOARD, World

JOB_URL = re.compile(r"^/jobs/([0-9a-f-]{36})/$")


@pytest.fixture
def world(officer, organisation):
    world = World(officer)
    world.add_people(organisation, 6, first_month=timezone.now() - timedelta(days=70))
    return world


def list_column(client, url: str, index: int = 0) -> list[str]:
    page = client.get(url).content.decode()
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    return [re.findall(r"<td>([^<]*)</td>", row)[index] for row in rows]


def start_export(client, url: str, file_format: str) -> Job:
    path, _, query = url.partition("?")
    response = client.post(f"{path}export/?{query}", {"format": file_format})
    assert response.status_code == 302
    found = JOB_URL.match(response["Location"])
    assert found, response["Location"]
    return Job.objects.get(pk=found.group(1))


def csv_rows(job: Job) -> list[list[str]]:
    with job.output_file.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    "url",
    [f"{DASHBOARD}credentials/?state=expiring", f"{DASHBOARD}training-hours/",
     f"{DASHBOARD}enrolments/?measure=enrolled&period=365d"],
)  # fmt: skip
def test_csv_export_holds_the_rows_of_the_list(
    client_for, officer, world, url, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    expected = list_column(client, url)
    assert expected  # the list is not empty, so the comparison means something
    with django_capture_on_commit_callbacks(execute=True):
        job = start_export(client, url, "csv")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    header, *rows = csv_rows(job)
    assert [row[0] for row in rows] == expected
    assert job.result == {"rows": len(expected)} and job.kind.startswith("reports.")
    assert AuditRecord.objects.filter(action="report.export", actor=officer).count() == 1


def test_xlsx_export_of_exam_attempts(
    client_for, officer, world, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    url = f"{DASHBOARD}attempts/?exam={world.exams[1].pk}&result=passed"
    with django_capture_on_commit_callbacks(execute=True):
        job = start_export(client, url, "xlsx")
    job.refresh_from_db()
    with job.output_file.open("rb") as handle:
        sheet = load_workbook(handle).active
    rows = list(sheet.iter_rows(values_only=True))[1:]
    emails = list_column(client, url, index=2)
    assert len(emails) == 5  # people 0, 2, 4 passed in the first month, 0 and 3 in the second
    assert [row[2] for row in rows] == emails
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 200


def test_export_with_bad_filters_starts_nothing(client_for, officer, world):
    response = client_for(officer).post(f"{DASHBOARD}credentials/export/?period=soon",
                                        {"format": "csv"})  # fmt: skip
    assert response.status_code == 302 and "/jobs/" not in response["Location"]
    assert not Job.objects.exists()
    response = client_for(officer).post(f"{DASHBOARD}credentials/export/", {"format": "pdf"})
    assert not Job.objects.exists()


def test_a_job_whose_owner_lost_the_officer_role_writes_nothing(
    client_for, officer, world, django_capture_on_commit_callbacks
):
    from trainees.reports import report_export_run

    job = start_export(client_for(officer), f"{DASHBOARD}credentials/", "csv")  # not run yet
    officer.groups.clear()
    officer.is_superuser = False
    officer.save()
    report_export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not job.output_file
    report_export_run(job_id=job.pk)  # a redelivered task leaves a finished job alone
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_writes_the_rows_of_the_list(
    celery_worker_process, settings, officer, client_for, organisation
):
    World(officer).add_people(organisation, 4, first_month=timezone.now() - timedelta(days=70))
    client = client_for(officer)
    url = f"{DASHBOARD}credentials/?expires_within=90"
    expected = list_column(client, url)
    assert expected
    job = start_export(client, url, "csv")
    wait_for(lambda: Job.objects.get(pk=job.pk).is_finished, timeout=60)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    # The worker writes into its own media folder (see the celery_worker_process fixture).
    settings.MEDIA_ROOT = next(
        Path(celery_worker_process["log"]).parent.parent.glob("worker-media*")
    )
    assert [row[0] for row in csv_rows(job)[1:]] == expected
    assert "trainees.report_export" in celery_worker_process["log"].read_text()
