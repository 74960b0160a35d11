"""The progress page, status JSON and download of a background job (`institute.jobs`).

Only the person who started a job (or a superuser) sees it; for anyone else it does not
exist (404), in HTML and JSON alike.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .jobs import jobs_visible_to
from .models import Job
from .permissions import get_object_or_404_for


def job_for(user, pk) -> Job:
    return get_object_or_404_for(user, "institute.view_job", jobs_visible_to(user), pk=pk)


@login_required
def job_detail(request, pk):
    return render(request, "institute/job_detail.html", {"job": job_for(request.user, pk)})


@login_required
def job_download(request, pk):
    job = job_for(request.user, pk)
    if job.status != Job.Status.SUCCEEDED or not job.output_file:
        raise Http404
    try:
        handle = job.output_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = job.output_file.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    is_finished = serializers.BooleanField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress_done",
            "progress_total",
            "percent",
            "is_finished",
            "result",
            "error",
            "created_at",
            "finished_at",
            "download_url",
        ]

    def get_download_url(self, job) -> str | None:
        if job.status == Job.Status.SUCCEEDED and job.output_file:
            return reverse("job-download", args=[job.pk])
        return None


class JobView(APIView):
    """A background job you started: status, progress and, when ready, its download."""

    @extend_schema(responses=JobSerializer, operation_id="job_retrieve")
    def get(self, request, pk):
        return Response(JobSerializer(job_for(request.user, pk)).data)
