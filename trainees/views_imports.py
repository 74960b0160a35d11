"""Pages of the trainee import: upload, template files, the check report and confirmation.

Officers import into any organisation, managers only into their own. The report page is a
background job's page (`institute.views_jobs`), so only the person who started it sees it.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from institute.jobs import jobs_visible_to
from institute.models import Job
from institute.permissions import can
from institute.views_jobs import job_for

from .imports.columns import template_csv, template_xlsx
from .imports.forms import TraineeImportConfirmForm, TraineeImportUploadForm
from .imports.services import (
    KIND,
    import_job_for_check,
    trainees_import_confirm,
    trainees_import_upload,
)

PERMISSION = "trainees.import_trainees"
TEMPLATES = {
    "csv": (template_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        template_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def _require_importer(user) -> None:
    if not can(user, PERMISSION):
        raise Http404


@login_required
def trainee_import(request):
    _require_importer(request.user)
    form = TraineeImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = trainees_import_upload(by=request.user, upload=form.cleaned_data["file"])
        return redirect("trainee-import-job", pk=job.pk)
    recent = jobs_visible_to(request.user, kind=KIND).filter(owner=request.user)[:10]
    return render(request, "trainees/import_upload.html", {"form": form, "recent": recent})


@login_required
def trainee_import_template(request, extension: str):
    _require_importer(request.user)
    if extension not in TEMPLATES:
        raise Http404
    build, content_type = TEMPLATES[extension]
    response = HttpResponse(build(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="trainee-import-template.{extension}"'
    return response


def _import_job(request, pk) -> Job:
    _require_importer(request.user)
    job = job_for(request.user, pk)
    if job.kind != KIND:
        raise Http404
    return job


def _bad_rows(job: Job) -> int:
    return (job.result.get("counts") or {}).get("invalid", 0)


@login_required
def trainee_import_job(request, pk, form=None):
    job = _import_job(request, pk)
    stage = job.parameters.get("stage")
    context = {"job": job, "stage": stage, "report": job.result}
    if stage == "check" and job.status == Job.Status.SUCCEEDED:
        context["import_job"] = import_job_for_check(job)
        context["form"] = form or TraineeImportConfirmForm(bad_rows=_bad_rows(job))
    elif stage == "import":
        context["check_job_id"] = job.parameters.get("check_job")
    return render(request, "trainees/import_job.html", context, status=400 if form else 200)


@login_required
@require_POST
def trainee_import_confirm(request, pk):
    job = _import_job(request, pk)
    if job.parameters.get("stage") != "check" or job.status != Job.Status.SUCCEEDED:
        raise Http404
    form = TraineeImportConfirmForm(request.POST, bad_rows=_bad_rows(job))
    if not form.is_valid():
        return trainee_import_job(request, pk, form=form)
    import_job = trainees_import_confirm(
        check_job=job,
        by=request.user,
        valid_only=form.cleaned_data["valid_only"],
        send_invitations=form.cleaned_data["send_invitations"],
    )
    return redirect("trainee-import-job", pk=import_job.pk)
