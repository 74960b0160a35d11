"""Defects the authorisation sweep and the API fuzzing found, pinned by direct tests."""

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from courses.models import AssessmentCriterion, PracticalAssessment, PracticeSession
from courses.services import enrolment_create
from exams.models import Accommodation
from tests.courses.factories import make_course, make_criteria, make_session
from tests.exams.factories import ExamFactory


@pytest.mark.django_db
def test_officer_previews_a_course_draft(client_for, officer, trainee):
    course, _lessons = make_course()
    client = client_for(officer)
    response = client.get(f"/admin/pages/{course.pk}/view_draft/")
    assert response.status_code == 200
    assert course.title.encode() in response.content


@pytest.mark.django_db
def test_officer_previews_a_new_course_before_saving(client_for, officer):
    course, _lessons = make_course()
    catalogue = course.get_parent()
    url = f"/admin/pages/add/courses/coursepage/{catalogue.pk}/preview/"
    data = {"title": "Preview course", "slug": "preview-course", "code": "PV-1", "hours": "2"}
    client = client_for(officer)
    assert client.post(url, data).status_code == 200
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_deleting_a_record_still_in_use_is_refused_with_a_message(client_for, officer):
    course, _lessons = make_course()
    criterion = make_criteria(course)[0]
    assessment = PracticalAssessment.objects.create(
        user=officer,
        course=course,
        session=make_session(course),
        passed=True,
        assessed_by=officer,
        assessed_at=timezone.now(),
    )
    assessment.scores.create(criterion=criterion, score=5, passed=False)  # PROTECTs the criterion
    url = f"/admin/rubric/delete/{criterion.pk}/"
    response = client_for(officer).post(url, follow=True)
    assert response.status_code == 200
    with translation.override("zh-hans"):  # the admin speaks the institute's language
        message = gettext("This record is still in use, so it cannot be deleted.")
    assert message in response.content.decode()
    assert AssessmentCriterion.objects.filter(pk=criterion.pk).exists()


@pytest.mark.django_db
def test_another_instructors_accommodation_history_is_refused(
    client_for, instructor, other_instructor, trainee
):
    exam = ExamFactory()
    exam.instructors.add(instructor)
    accommodation = Accommodation.objects.create(exam=exam, user=trainee, reason="dyslexia")
    for view in ("history", "usage", "copy", "edit"):
        url = f"/admin/exams/accommodations/{view}/{accommodation.pk}/"
        refused = client_for(other_instructor).get(url)
        assert refused.status_code in (403, 404) or refused.status_code == 302, url
        assert (
            b"dyslexia" not in refused.content and trainee.last_name.encode() not in refused.content
        )
    assert (
        client_for(instructor)
        .get(f"/admin/exams/accommodations/history/{accommodation.pk}/")
        .status_code
        == 200
    )


@pytest.mark.django_db
def test_session_instructor_choices_are_staff_only(client_for, instructor, trainee):
    make_course(instructors=[instructor])
    trainee.last_name, instructor.last_name = "Candidateson", "Teacherly"
    trainee.save()
    instructor.save()
    page = client_for(instructor).get("/admin/practice_sessions/new/")
    assert page.status_code == 200
    assert trainee.last_name.encode() not in page.content
    assert instructor.last_name.encode() in page.content
    assert PracticeSession.objects.count() == 0


@pytest.mark.django_db
def test_accommodation_candidates_are_the_instructors_own(
    client_for, instructor, trainee, other_trainee
):
    course, _lessons = make_course(instructors=[instructor])
    exam = ExamFactory(course=course)
    exam.instructors.add(instructor)
    enrolment_create(user=trainee, course=course, by=trainee)
    trainee.last_name, other_trainee.last_name = "Candidateson", "Outsiderova"
    trainee.save()
    other_trainee.save()
    page = client_for(instructor).get("/admin/exams/accommodations/new/")
    assert page.status_code == 200
    assert trainee.last_name.encode() in page.content
    assert other_trainee.last_name.encode() not in page.content


@pytest.mark.django_db
def test_a_course_id_beyond_the_integer_range_is_not_found(api_client_for, client_for, trainee):
    huge = "781350799934899093504"
    api = api_client_for(trainee)
    assert api.get(f"/api/v1/courses/{huge}/").status_code == 404
    assert api.post(f"/api/v1/courses/{huge}/enrol/", {}, format="json").status_code == 404
    assert api.post(f"/api/v1/lessons/{huge}/complete/", {}, format="json").status_code == 404
    assert client_for(trainee).post(f"/learning/courses/{huge}/enrol/").status_code == 404
