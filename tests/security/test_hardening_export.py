"""A trainee downloads their own records (page and API), never anyone else's; exam results
appear only once released."""

import datetime
import json

import pytest
from django.utils import timezone

from exams.models import Attempt
from tests.courses.factories import make_course
from tests.exams.factories import ExamFactory
from tests.trainees.certification_factories import scheme_version  # noqa: F401 - fixture
from trainees.services import application_submit, cpd_activity_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(trainee, other_trainee, scheme_version):  # noqa: F811
    from courses.services.enrolment import enrolment_create

    trainee.profile.id_type = "resident"
    course, _ = make_course()
    enrolment_create(user=trainee, course=course, by=trainee)
    application_submit(candidate=trainee, scheme=scheme_version.scheme, by=trainee)
    cpd_activity_create(
        user=trainee, date=datetime.date(2026, 3, 1), hours=6, category="training", title="内审员"
    )
    cpd_activity_create(
        user=other_trainee, date=datetime.date(2026, 3, 1), hours=2, category="training",
        title="别人的记录",
    )  # fmt: skip
    now = timezone.now()
    exam = ExamFactory()
    for number, released in ((1, now), (2, None)):
        Attempt.objects.create(
            exam=exam, user=trainee, number=number, status="graded", started_at=now,
            deadline=now, released_at=released, score_percent=81, passed=True,
        )  # fmt: skip
    return course


def test_page_download_holds_my_records_only(client_for, trainee, records):
    client = client_for(trainee)
    assert client.get("/en/certification/my-data/").status_code == 200
    response = client.get("/en/certification/my-data/", {"download": "json"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    document = json.loads(response.content)
    assert document["profile"]["email"] == trainee.email
    assert [row["course__title"] for row in document["enrolments"]] == [records.title]
    assert [row["title"] for row in document["cpd"]] == ["内审员"]
    assert len(document["applications"]) == 1
    released, hidden = sorted(document["attempts"], key=lambda row: row["number"])
    assert released["score_percent"] == "81.00" and released["passed"] is True
    assert hidden["score_percent"] is None and hidden["passed"] is None
    actions = {row["action"] for row in document["audit_records"]}
    assert "certification.cpd_recorded" in actions
    assert all(
        row["by_you"]
        for row in document["audit_records"]
        if row["action"].startswith("certification.cpd")
    )
    assert "别人的记录" not in response.content.decode()


def test_api_export_is_the_same_and_only_for_the_caller(
    api_client_for, trainee, other_trainee, records
):
    mine = api_client_for(trainee).get("/api/v1/me/export/")
    assert mine.status_code == 200
    assert [row["title"] for row in mine.json()["cpd"]] == ["内审员"]
    theirs = api_client_for(other_trainee).get("/api/v1/me/export/").json()
    assert [row["title"] for row in theirs["cpd"]] == ["别人的记录"]
    assert theirs["attempts"] == [] and theirs["enrolments"] == []
    assert api_client_for(None).get("/api/v1/me/export/").status_code == 401


def test_anonymous_is_sent_to_login(client_for):
    response = client_for(None).get("/en/certification/my-data/", {"download": "json"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_export_cost_does_not_grow_with_records(client_for, trainee, records):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(trainee)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/certification/my-data/", {"download": "json"}).status_code == 200
        return len(captured)

    before = queries()
    for day in range(2, 12):
        cpd_activity_create(
            user=trainee, date=datetime.date(2026, 3, day), hours=1, category="training",
            title=f"课程 {day}",
        )  # fmt: skip
    assert queries() == before
