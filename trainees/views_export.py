"""A trainee's own data, as one JSON document (issue 8): profile, enrolments and lesson
progress, exam attempts (results only once released), applications with their evidence list,
credentials, CPD and the audit records about them. Only ever the signed-in person's own data:
there is no parameter naming whose data, so nobody can ask for another person's.

The full ID number is included: this is the holder's own copy of what the institute keeps.
"""

import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import Enrolment, LessonProgress
from exams.models import Attempt
from institute.models import AuditRecord

from .models import Application, ApplicationEvidence, CpdActivity, Credential, TraineeProfile

# Result fields of an attempt are the trainee's only once the result is released.
ATTEMPT_RESULT_FIELDS = ("score_points", "score_percent", "passed", "graded_at")


def _rows(queryset, *fields) -> list[dict]:
    return list(queryset.values(*fields))


def _profile(user) -> dict:
    profile = TraineeProfile.objects.filter(user=user).values(
        "name_zh", "name_latin", "id_type", "id_number", "mobile", "job_title",
        "organisation__name_zh", "organisation__credit_code",
    ).first()  # fmt: skip
    return {"email": user.email, "date_joined": user.date_joined, **(profile or {})}


def _attempts(user) -> list[dict]:
    rows = _rows(
        Attempt.objects.filter(user=user),
        "id", "exam__title_zh", "exam__title_en", "number", "status", "started_at", "submitted_at", "released_at",
        *ATTEMPT_RESULT_FIELDS,
    )  # fmt: skip
    for row in rows:
        if row["released_at"] is None:
            for field in ATTEMPT_RESULT_FIELDS:
                row[field] = None
    return rows


def _audit(user, sections: dict) -> list[dict]:
    targets = Q(actor=user) | Q(object_type=user._meta.label_lower, object_id=str(user.pk))
    for model, key in OWN_OBJECTS:
        ids = [str(row["id"]) for row in sections[key]]
        targets |= Q(object_type=model._meta.label_lower, object_id__in=ids)
    rows = _rows(
        AuditRecord.objects.filter(targets).order_by("created_at"),
        "created_at", "action", "object_type", "object_id", "object_repr", "reason", "data",
        "actor_id",
    )  # fmt: skip
    for row in rows:
        row["by_you"] = row.pop("actor_id") == user.pk
    return rows


OWN_OBJECTS = [
    (Enrolment, "enrolments"),
    (Attempt, "attempts"),
    (Application, "applications"),
    (Credential, "credentials"),
    (CpdActivity, "cpd"),
]


def personal_data_export(*, user) -> dict:
    """Everything the platform keeps about `user`, in a fixed number of queries."""
    sections = {
        "enrolments": _rows(
            Enrolment.objects.filter(user=user), "id", "course__title", "status",
            "requested_at", "decided_at", "completed_at",
        ),
        "lesson_progress": _rows(
            LessonProgress.objects.filter(enrolment__user=user), "lesson__title",
            "enrolment__course__title", "method", "completed_at",
        ),
        "attempts": _attempts(user),
        "applications": _rows(
            Application.objects.filter(candidate=user), "id", "scheme_version__scheme__code",
            "status", "experience_months", "statement", "created_at", "decided_at",
            "decision_reason",
        ),
        "evidence": _rows(
            ApplicationEvidence.objects.filter(application__candidate=user),
            "application_id", "kind", "description", "file", "added_at",
        ),
        "credentials": _rows(
            Credential.objects.filter(holder=user), "id", "number", "scope_zh", "scope_en",
            "issued_at", "valid_from", "valid_until", "status",
        ),
        "cpd": _rows(
            CpdActivity.objects.filter(user=user), "id", "date", "hours", "category", "title",
            "status", "evidence",
        ),
    }  # fmt: skip
    return {
        "exported_at": timezone.now(),
        "profile": _profile(user),
        **sections,
        "audit_records": _audit(user, sections),
    }


@login_required
def my_data(request):
    if request.GET.get("download") != "json":
        return render(request, "trainees/my_data.html")
    document = json.dumps(
        personal_data_export(user=request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


class MyDataExportView(APIView):
    """GET /api/v1/me/export/: the signed-in person's own data (as on /certification/my-data/)."""

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        operation_id="me_export_retrieve",
        description="Profile, enrolments, lesson progress, attempts (results once released), "
        "applications, evidence, credentials, CPD and audit records of the caller.",
    )
    def get(self, request):
        data = json.loads(
            json.dumps(personal_data_export(user=request.user), cls=DjangoJSONEncoder)
        )
        return Response(data, headers={"Cache-Control": "private, no-store"})
