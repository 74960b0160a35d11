"""Background jobs: only the person who started one sees its page, status and download."""

from django.core.files.base import ContentFile

from institute import jobs
from institute.models import Job


def _finished_job(owner) -> Job:
    job = jobs.job_create(kind="test.report", owner=owner, parameters={"a": 1})
    assert jobs.job_start(job_id=job.pk, total=4) is not None
    jobs.job_progress(job_id=job.pk, done=2)
    return jobs.job_succeed(
        job_id=job.pk, result={"rows": 4}, output_name="report.csv", output_content=b"a,b\n"
    )


def test_job_moves_through_its_states_once(officer):
    job = jobs.job_create(kind="test.report", owner=officer)
    assert job.status == Job.Status.PENDING and job.percent == 0
    assert jobs.job_start(job_id=job.pk, total=10) is not None
    # A redelivered task finds the job running and does not start the work again.
    assert jobs.job_start(job_id=job.pk, total=10) is None
    jobs.job_progress(job_id=job.pk, done=5)
    job.refresh_from_db()
    assert (job.status, job.percent) == (Job.Status.RUNNING, 50)
    jobs.job_fail(job_id=job.pk, error="boom")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.is_finished and job.error == "boom"


def test_owner_follows_progress_and_downloads(client_for, officer):
    job = _finished_job(officer)
    client = client_for(officer)
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and f"/jobs/{job.pk}/download/" in page.content.decode()
    status = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert status["status"] == "succeeded" and status["result"] == {"rows": 4}
    assert status["progress_done"] == 4 and status["percent"] == 100
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"a,b\n"


def test_nobody_else_sees_a_job(client, client_for, api_client_for, trainee, manager, officer):
    job = _finished_job(manager)
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/download/"):
        assert client_for(trainee).get(url).status_code == 404
        assert client.get(url).status_code == 302  # anonymous: to the login page
    assert api_client_for(trainee).get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert client_for(officer).get(f"/jobs/{job.pk}/").status_code == 404
    # The superuser (the demo officer is one) may look at any job.
    officer.is_superuser = True
    officer.save()
    assert client_for(officer).get(f"/jobs/{job.pk}/").status_code == 200


def test_unfinished_job_has_nothing_to_download(client_for, officer):
    job = jobs.job_create(kind="test.report", owner=officer, input_file=ContentFile(b"x", "in.csv"))
    assert job.input_file.name.startswith(f"jobs/{job.pk}/")
    assert client_for(officer).get(f"/jobs/{job.pk}/download/").status_code == 404


def test_a_job_whose_worker_died_is_taken_over_by_the_redelivered_task(officer):
    import time_machine
    from django.utils import timezone

    job = jobs.job_create(kind="test.report", owner=officer)
    assert jobs.job_start(job_id=job.pk, total=10) is not None
    jobs.job_progress(job_id=job.pk, done=7)
    later = timezone.now() + jobs.JOB_STALE_AFTER
    with time_machine.travel(later - timezone.timedelta(minutes=1)):
        assert jobs.job_start(job_id=job.pk, total=10) is None  # still its worker's
    with time_machine.travel(later + timezone.timedelta(minutes=1)):
        taken = jobs.job_start(job_id=job.pk, total=10)
    assert taken is not None and taken.progress_done == 0
    jobs.job_succeed(job_id=job.pk)
    assert jobs.job_start(job_id=job.pk, total=10) is None  # finished stays finished
