"""Manager portal: staff certification status, filters, pagination, CSV/XLSX export."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import Enrolment
from exams.models import Attempt
from institute.models import AuditRecord
from tests.courses.factories import make_course
from tests.exams.factories import ExamFactory
from tests.factories import make_user
from tests.trainees.certification_factories import SchemeVersionFactory
from tests.trainees.test_organisation_api import make_credential
from trainees.models import Credential


def url(organisation, **query) -> str:
    base = reverse("organisation-staff-status", args=[organisation.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def make_attempt(user, exam, score, *, released=True):
    now = timezone.now()
    return Attempt.objects.create(
        exam=exam,
        user=user,
        number=Attempt.objects.filter(exam=exam, user=user).count() + 1,
        status=Attempt.Status.GRADED,
        started_at=now - timedelta(hours=1),
        deadline=now,
        submitted_at=now,
        graded_at=now,
        released_at=now if released else None,
        score_percent=Decimal(score),
        passed=Decimal(score) >= exam.pass_mark,
    )


@pytest.fixture
def staffed(organisation, trainee):
    """The trainee completed one course, studies another, sat an exam twice, holds credentials
    in several states."""
    trainee.profile.name_zh = "王检查"
    trainee.profile.save()
    done, _ = make_course()
    studying, _ = make_course()
    Enrolment.objects.create(user=trainee, course=done, status="completed",
                             completed_at=timezone.now(), progress_percent=100)  # fmt: skip
    Enrolment.objects.create(user=trainee, course=studying, status="active", progress_percent=40)
    exam = ExamFactory(title_zh="工厂检查员考试", title_en="Factory inspector exam")
    make_attempt(trainee, exam, "55.00")
    make_attempt(trainee, exam, "82.50")
    make_attempt(trainee, exam, "99.00", released=False)  # not released: never shown
    make_credential(trainee, days_left=400)
    make_credential(trainee, days_left=30)
    make_credential(trainee, status=Credential.Status.SUSPENDED)
    return {"done": done, "studying": studying, "exam": exam}


def test_manager_sees_courses_exam_results_and_credential_states(
    client_for, manager, organisation, staffed
):
    response = client_for(manager).get(url(organisation))
    assert response.status_code == 200
    page = response.content.decode()
    assert "王检查" in page
    assert staffed["done"].code in page and staffed["studying"].code in page
    assert "82.5%" in page and "99.0%" not in page
    for state in ("credential-status-active", "credential-status-expired",
                  "credential-status-suspended"):  # fmt: skip
        assert state in page


def test_officer_sees_any_organisation(client_for, officer, organisation, staffed):
    assert client_for(officer).get(url(organisation)).status_code == 200


@pytest.mark.parametrize("persona", ["other_manager", "trainee", "instructor", "other_trainee"])
def test_everyone_else_gets_404(request, client_for, organisation, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(url(organisation)).status_code == 404
    assert client_for(user).get(url(organisation, format="csv")).status_code == 404


def test_manager_of_another_organisation_is_a_manager_too_but_not_of_this_one(
    client_for, organisation, other_organisation, manager, other_manager
):
    assert client_for(manager).get(url(other_organisation)).status_code == 404
    assert client_for(other_manager).get(url(other_organisation)).status_code == 200


def test_anonymous_is_sent_to_log_in(client_for, organisation):
    response = client_for(None).get(url(organisation))
    assert response.status_code == 302 and "login" in response["Location"]


def test_filter_by_credential_status_and_name(client_for, manager, organisation, staffed):
    holder_of_expired = make_user(organisation=organisation)
    holder_of_expired.profile.name_zh = "李过期"
    holder_of_expired.profile.save()
    make_credential(holder_of_expired, status=Credential.Status.EXPIRED, days_left=-3)
    client = client_for(manager)
    page = client.get(url(organisation, status="expired")).content.decode()
    assert "李过期" in page and "王检查" not in page
    page = client.get(url(organisation, status="suspended")).content.decode()
    assert "王检查" in page and "李过期" not in page
    page = client.get(url(organisation, q="李")).content.decode()
    assert "李过期" in page and "王检查" not in page


def test_staff_list_is_paginated(client_for, manager, organisation):
    for _ in range(27):
        make_user(organisation=organisation)
    client = client_for(manager)
    first = client.get(url(organisation)).context
    assert len(first["rows"]) == 25
    assert first["page_obj"].paginator.count == 28  # 27 + the manager
    assert len(client.get(url(organisation, page=2)).context["rows"]) == 3


def test_csv_export_has_the_same_rows_and_is_audited(client_for, manager, organisation, staffed):
    response = client_for(manager).get(url(organisation, format="csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "王检查" in text and staffed["done"].code in text and "82.5%" in text
    assert len(text.strip().splitlines()) == 3  # header, trainee, manager
    assert AuditRecord.objects.filter(
        action="organisation.staff_export", object_id=str(organisation.pk), actor=manager
    ).exists()


def test_xlsx_export_respects_the_filter(client_for, manager, organisation, staffed):
    response = client_for(manager).get(url(organisation, format="xlsx", status="suspended"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "王检查"
    assert "Suspended" in rows[1][8] or "暂停" in rows[1][8]


def test_export_neutralises_spreadsheet_formulas(client_for, manager, organisation):
    person = make_user(organisation=organisation)
    person.profile.job_title = '=HYPERLINK("http://evil")'
    person.profile.save()
    text = client_for(manager).get(url(organisation, format="csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_unknown_export_format_is_404(client_for, manager, organisation):
    assert client_for(manager).get(url(organisation, format="pdf")).status_code == 404


def _add_staff(organisation, count, course, exam, version):
    for _ in range(count):
        person = make_user(organisation=organisation)
        Enrolment.objects.create(user=person, course=course, status="active")
        make_attempt(person, exam, "70.00")
        make_credential(person, version=version)


def _count_queries(client, address) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200
    return len(context)


def test_page_and_export_query_count_does_not_grow_with_staff(client_for, manager, organisation):
    course, _ = make_course()
    exam = ExamFactory()
    version = SchemeVersionFactory()
    client = client_for(manager)
    _add_staff(organisation, 2, course, exam, version)
    client.get(url(organisation))  # the first page view of a site creates its settings
    client.get(url(organisation, format="xlsx"))
    small = _count_queries(client, url(organisation))
    small_export = _count_queries(client, url(organisation, format="xlsx"))
    _add_staff(organisation, 20, course, exam, version)
    assert _count_queries(client, url(organisation)) == small
    assert _count_queries(client, url(organisation, format="xlsx")) == small_export
    # The page's own work (base template aside): organisation, manager check, count, people,
    # enrolments, exam results, credentials.
    assert small <= 22


def test_portal_entry_takes_a_manager_to_their_organisation(client_for, manager, organisation):
    response = client_for(manager).get(reverse("organisation-list"))
    assert response.status_code == 302
    assert response["Location"] == url(organisation)


def test_portal_entry_lists_and_searches_organisations_for_officers(
    client_for, officer, organisation, other_organisation
):
    client = client_for(officer)
    page = client.get(reverse("organisation-list")).content.decode()
    assert organisation.name_zh in page and other_organisation.name_zh in page
    page = client.get(reverse("organisation-list"), {"q": other_organisation.credit_code})
    assert organisation.name_zh not in page.content.decode()


@pytest.mark.parametrize("persona", ["trainee", "instructor"])
def test_portal_entry_is_404_for_people_without_an_organisation_to_manage(
    request, client_for, persona, db
):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("organisation-list")).status_code == 404
