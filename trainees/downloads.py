"""Private certification files, each served only after a permission check on its object.

Evidence, CPD evidence and certificate PDFs are not reachable under MEDIA_URL; these views
are the only way to them, and answer 404 to whoever may not see the object.
"""

from pathlib import PurePosixPath

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from institute.permissions import get_object_or_404_for

from . import selectors, services
from .models import CpdActivity, Credential


def file_response(field_file, *, filename: str, inline: bool = False) -> FileResponse:
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=not inline, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


def certificate_response(credential: Credential) -> FileResponse:
    """The PDF of a credential the caller may view (rendered on first request if missing)."""
    if not credential.pdf:
        services.credential_pdf_render(credential=credential)
    return file_response(credential.pdf, filename=f"{credential.number}.pdf", inline=True)


def credential_for_file(user, number: str) -> Credential:
    """Holder, a manager of the holder's organisation, or an officer; 404 for anyone else."""
    return get_object_or_404_for(
        user, "trainees.view_credential", selectors.credentials_visible_to(user), number=number
    )


@require_GET
@login_required
def evidence_file(request, pk: int, evidence_pk: int):
    application = get_object_or_404_for(
        request.user,
        "trainees.view_application",
        selectors.applications_visible_to(request.user),
        pk=pk,
    )
    evidence = get_object_or_404(application.evidence.exclude(file=""), pk=evidence_pk)
    return file_response(evidence.file, filename=PurePosixPath(evidence.file.name).name)


@require_GET
@login_required
def cpd_evidence_file(request, pk: int):
    activity = get_object_or_404_for(
        request.user, "trainees.view_cpd_activity", CpdActivity.objects.exclude(evidence=""), pk=pk
    )
    return file_response(activity.evidence, filename=PurePosixPath(activity.evidence.name).name)


@require_GET
@login_required
def certificate_pdf(request, number: str):
    return certificate_response(credential_for_file(request.user, number))
