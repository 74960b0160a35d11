"""What one request may not do: answer 500, show the victim's secrets to someone not entitled,
or change the victim's data."""

import json

from allauth.account.models import EmailAddress
from django.db import connection, transaction
from rest_framework.authtoken.models import Token

from courses.models import (
    CoursePage,
    Enrolment,
    LessonProgress,
    PracticalAssessment,
    SessionBooking,
)
from exams.models import Accommodation, Attempt, Exam, Response
from institute.models import Job
from tests.security.conftest import FAMILY_NAME
from trainees.models import (
    Application,
    ApplicationEvidence,
    CpdActivity,
    Credential,
    OrganisationApiToken,
    TraineeProfile,
    User,
)

# Columns that legitimately move without anyone changing the victim's data.
VOLATILE = {"last_login", "updated_at", "last_used_at"}


def snapshot(world) -> dict:
    """The victim's rows, as plain values, to compare before and after a request."""
    victim, objects = world.victim, world.objects
    querysets = {
        "user": User.objects.filter(pk=victim.pk),
        "profile": TraineeProfile.objects.filter(user=victim),
        "email": EmailAddress.objects.filter(user=victim),
        "token": Token.objects.filter(user=victim),
        "enrolment": Enrolment.objects.filter(user=victim),
        "progress": LessonProgress.objects.filter(enrolment__user=victim),
        "booking": SessionBooking.objects.filter(user=victim),
        "assessment": PracticalAssessment.objects.filter(user=victim),
        "attempt": Attempt.objects.filter(user=victim),
        "response": Response.objects.filter(attempt__user=victim),
        "accommodation": Accommodation.objects.filter(user=victim),
        "application": Application.objects.filter(candidate=victim),
        "evidence": ApplicationEvidence.objects.filter(application__candidate=victim),
        "credential": Credential.objects.filter(holder=victim),
        "cpd": CpdActivity.objects.filter(user=victim),
        "job": Job.objects.filter(owner=victim),
        "org_token": OrganisationApiToken.objects.filter(organisation=objects["organisation"]),
        "course": CoursePage.objects.filter(pk=objects["course"].pk),
        "exam": Exam.objects.filter(pk=objects["exam"].pk),
    }
    return {
        name: [
            {key: value for key, value in row.items() if key not in VOLATILE}
            for row in queryset.order_by("pk").values()
        ]
        for name, queryset in querysets.items()
    }


def changed(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        # The test client closes the response once its content is read (closing it again
        # here would fire request_finished and close the test's database connection).
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    headers = "\n".join(f"{key}: {value}" for key, value in response.items())
    return headers.encode() + b"\n" + content + _json_unescaped(response, content)


def _json_unescaped(response, content: bytes) -> bytes:
    """JSON may escape non-ASCII text (\\u79d8): compare the decoded text too."""
    if "json" not in response.get("Content-Type", ""):
        return b""
    try:
        return json.dumps(json.loads(content), ensure_ascii=False).encode()
    except ValueError:
        return b""


def leaked(world, body: bytes) -> list[str]:
    found = []
    for marker in world.markers:
        if marker in body:
            found.append(marker[:40].decode(errors="replace"))
    return found


def is_refusal_redirect(response) -> bool:
    location = response.get("Location", "")
    return any(part in location for part in ("/accounts/login/", "/admin/login/", "/2fa/"))


class _WriteDetector:
    """Notes whether a request wrote anything at all: only then is the (costly) snapshot of
    the victim's rows taken and compared."""

    def __init__(self):
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.wrote = True
        return execute(sql, params, many, context)


def request(client, world, baseline: dict, method: str, path: str, *, is_api: bool):
    """One request inside a savepoint that is rolled back, so every request meets the same
    world; returns the response, its body and the names of the victim's rows it changed."""
    detector = _WriteDetector()
    with transaction.atomic(), connection.execute_wrapper(detector):
        if method == "GET":
            response = client.get(path, {"q": FAMILY_NAME, "person": world.victim.pk})
        elif is_api or method != "POST":
            response = client.generic(method, path, "{}", content_type="application/json")
        else:
            response = client.post(path, {})
        body = body_of(response)
        changes = changed(baseline, snapshot(world)) if detector.wrote else []
        transaction.set_rollback(True)
    return response, body, changes
