"""A "world" for the security sweep: a victim trainee with data everywhere, and personas who
must not see it (or, for the officer, who may see it but must never cause a 500)."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from courses import services as course_services
from courses.services.practice import attendance_record, practical_assessment_record, session_book
from exams.models import Response
from exams.services.attempts import attempt_start, attempt_submit, response_save
from exams.services.grading_flow import response_grade_manual
from institute import jobs
from tests.conftest import enrol_totp
from tests.courses.factories import make_course, make_criteria, make_session
from tests.exams.factories import QuestionFactory, exam_with_questions
from tests.factories import OrganisationFactory, make_user
from tests.trainees.certification_factories import SchemeVersionFactory, make_approved_application
from trainees import roles
from trainees.services import application_submit, cpd_activity_create, evidence_add
from trainees.services.issuance import credential_issue
from trainees.services.organisation_tokens import organisation_token_create
from trainees.validators import _ID_CHECK_CHARACTERS, _ID_WEIGHTS

# Secret markers: things only the victim and those entitled may ever see. The masked forms
# shown on public pages ("QUIXBY Z.", "欧***月", "320***********1234") contain none of them.
GIVEN_NAME = "Zephyrine"
FAMILY_NAME = "Quixby"
CHINESE_GIVEN_NAME = "秘密"
EMAIL = "zephyrine.quixby.sweep@victim.example"
MOBILE = "13988776655"
ESSAY_ANSWER = "ESSAY-ANSWER-MARKER-4Q7"
STATEMENT = "APPLICATION-STATEMENT-MARKER-8K2"
ASSESSMENT_COMMENT = "ASSESSMENT-COMMENT-MARKER-3J9"
GRADING_COMMENT = "GRADING-COMMENT-MARKER-5T1"
CPD_TITLE = "CPD-TITLE-MARKER-6W4"
JOB_RESULT = "JOB-RESULT-MARKER-2H8"
EVIDENCE_BYTES = b"%PDF-1.4 EVIDENCE-FILE-MARKER-9D3 work record"
CPD_EVIDENCE_BYTES = b"%PDF-1.4 CPD-EVIDENCE-MARKER-1P5 attendance"
JOB_OUTPUT_BYTES = b"name,mobile\nJOB-OUTPUT-MARKER-7M6,13988776655\n"


def resident_id(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return first17 + _ID_CHECK_CHARACTERS[total % 11]


ID_NUMBER = resident_id("32050519870214731")


@dataclass
class World:
    victim: object
    personas: dict  # name -> user (None for anonymous)
    entitled: set  # persona names allowed to see the victim's data
    objects: dict  # filler key -> object
    markers: list[bytes] = field(default_factory=list)


def _victim(organisation):
    victim = make_user(
        roles.TRAINEE,
        email=EMAIL,
        first_name=GIVEN_NAME,
        last_name=FAMILY_NAME,
        organisation=organisation,
    )
    profile = victim.profile
    profile.name_zh, profile.name_latin = (
        f"欧阳{CHINESE_GIVEN_NAME}月",
        f"{FAMILY_NAME.upper()} {GIVEN_NAME}",
    )
    profile.id_number, profile.mobile, profile.job_title = ID_NUMBER, MOBILE, "Inspector"
    profile.full_clean()
    profile.save()
    return victim


def _staff(role, **kwargs):
    user = make_user(role, **kwargs)
    enrol_totp(user)
    return user


def _learning(victim, instructor):
    course, lessons = make_course(instructors=[instructor], capacity=20)
    enrolment = course_services.enrolment_create(user=victim, course=course, by=victim)
    course_services.lesson_complete(user=victim, lesson=lessons[0])
    session = make_session(course, instructor=instructor)
    booking = session_book(session=session, user=victim)
    attendance_record(booking=booking, present=True, by=instructor)
    criteria = make_criteria(course)
    assessment = practical_assessment_record(
        session=session,
        user=victim,
        scores={criterion.pk: 8 for criterion in criteria},
        comment=ASSESSMENT_COMMENT,
        by=instructor,
    )
    return {
        "course": course,
        "lesson": lessons[1],
        "completed_lesson": lessons[0],
        "enrolment": enrolment,
        "session": session,
        "booking": booking,
        "criterion": criteria[0],
        "assessment": assessment,
    }


def _exams(victim, instructor, course):
    essay = QuestionFactory(kind="essay", points=4)
    single = QuestionFactory(kind="single", category=essay.category)
    exam = exam_with_questions([essay, single], pass_mark=50, course=course, attempts_allowed=3)
    exam.instructors.add(instructor)
    graded = attempt_start(exam=exam, user=victim)
    response_save(
        attempt=graded, question_id=essay.pk, answer=ESSAY_ANSWER, client_timestamp=1, by=victim
    )
    response_save(
        attempt=graded, question_id=single.pk, answer="p2m7", client_timestamp=1, by=victim
    )
    attempt_submit(attempt=graded, by=victim)
    response_grade_manual(
        response=Response.objects.get(attempt=graded, question=essay),
        points=3,
        comment=GRADING_COMMENT,
        rubric_scores={},
        by=instructor,
    )
    pending_exam = exam_with_questions([essay], pass_mark=50)
    pending_exam.instructors.add(instructor)
    pending = attempt_start(exam=pending_exam, user=victim)
    response_save(
        attempt=pending, question_id=essay.pk, answer=ESSAY_ANSWER, client_timestamp=1, by=victim
    )
    attempt_submit(attempt=pending, by=victim)
    in_progress = attempt_start(exam=exam, user=victim)
    response_save(
        attempt=in_progress,
        question_id=essay.pk,
        answer=ESSAY_ANSWER,
        client_timestamp=1,
        by=victim,
    )
    return {
        "exam": exam,
        "question": essay,
        "category": essay.category,
        "section": exam.sections.first(),
        "attempt": in_progress,
        "graded_attempt": graded,
        "pending_response": Response.objects.get(attempt=pending),
    }


def _certification(victim, officer):
    held = SchemeVersionFactory()
    application = make_approved_application(victim, held, officer)
    credential = credential_issue(application_id=application.pk)
    open_version = SchemeVersionFactory()
    open_application = application_submit(
        candidate=victim, scheme=open_version.scheme, by=victim, statement=STATEMENT
    )
    evidence = evidence_add(
        application=open_application,
        by=victim,
        kind="document",
        description="Work record",
        file=SimpleUploadedFile("record.pdf", EVIDENCE_BYTES, content_type="application/pdf"),
    )
    cpd = cpd_activity_create(
        user=victim,
        date=datetime.date.today() - datetime.timedelta(days=10),
        hours=6,
        category="training",
        title=CPD_TITLE,
        evidence=SimpleUploadedFile("cpd.pdf", CPD_EVIDENCE_BYTES, content_type="application/pdf"),
    )
    return {
        "credential": credential,
        "scheme": open_version.scheme,
        "scheme_version": open_version,
        "application": open_application,
        "evidence": evidence,
        "cpd": cpd,
    }


def _job(victim):
    job = jobs.job_create(kind="sweep.report", owner=victim, parameters={"note": JOB_RESULT})
    return jobs.job_succeed(
        job_id=job.pk,
        result={"note": JOB_RESULT},
        output_name="staff.csv",
        output_content=JOB_OUTPUT_BYTES,
    )


def _accommodation(exam, victim):
    from exams.models import Accommodation

    return Accommodation.objects.create(
        exam=exam, user=victim, extra_minutes=15, reason="ACCOMMODATION-REASON-MARKER-0L3"
    )


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.CREDENTIAL_KEY_DIR = tmp_path / "keys"
    settings.SITE_URL = "https://testserver"
    organisation, other_organisation = OrganisationFactory(), OrganisationFactory()
    victim = _victim(organisation)
    instructor = _staff(roles.INSTRUCTOR)
    officer = _staff(roles.OFFICER, is_staff=True)
    manager = make_user(roles.MANAGER, organisation=organisation)
    organisation.managers.add(manager)
    other_manager = make_user(roles.MANAGER, organisation=other_organisation)
    other_organisation.managers.add(other_manager)
    other_instructor = _staff(roles.INSTRUCTOR)
    make_course(instructors=[other_instructor])  # "an instructor of another course"
    objects = {"victim": victim, "organisation": organisation, "profile": victim.profile}
    objects |= _learning(victim, instructor)
    objects |= _exams(victim, instructor, objects["course"])
    objects |= _certification(victim, officer)
    objects["accommodation"] = _accommodation(objects["exam"], victim)
    objects["job"] = _job(victim)
    objects["org_token"], raw_org_token = organisation_token_create(
        organisation=organisation, name="HR system", by=officer
    )
    objects["api_token"] = Token.objects.create(user=victim)
    objects["audit"] = _latest_audit(victim)
    objects |= _site_objects(objects["course"])
    objects["session_token"] = objects["session"].check_in_token
    objects["booking_token"] = objects["booking"].check_in_token
    personas = {
        "anonymous": None,
        "other_trainee": make_user(roles.TRAINEE, organisation=other_organisation),
        "other_instructor": other_instructor,
        "other_manager": other_manager,
        "officer": officer,
    }
    credential = objects["credential"]
    credential.pdf.open("rb")
    markers = [
        value.encode()
        for value in (
            GIVEN_NAME,
            CHINESE_GIVEN_NAME,
            EMAIL,
            MOBILE,
            ID_NUMBER,
            ESSAY_ANSWER,
            STATEMENT,
            ASSESSMENT_COMMENT,
            GRADING_COMMENT,
            CPD_TITLE,
            JOB_RESULT,
            "ACCOMMODATION-REASON-MARKER-0L3",
            raw_org_token,
            objects["api_token"].key,
        )
    ]
    markers += [EVIDENCE_BYTES, CPD_EVIDENCE_BYTES, JOB_OUTPUT_BYTES, credential.pdf.read()]
    credential.pdf.close()
    return World(
        victim=victim,
        personas=personas,
        entitled={"officer", "victim"},
        objects=objects,
        markers=markers,
    )


def _latest_audit(victim):
    from institute.models import AuditRecord

    return AuditRecord.objects.filter(actor=victim).order_by("-pk").first()


def _site_objects(course) -> dict:
    """Objects the Wagtail admin routes point at (not the victim's, but needed to fill them)."""
    from types import SimpleNamespace

    from django.contrib.auth.models import Group
    from wagtail.models import Collection, Locale, Site, Task, Workflow

    from cms.models import SiteIdentity
    from trainees.models import Competency

    site = Site.objects.get(is_default_site=True)
    return {
        "trainee_group": Group.objects.get(name=roles.TRAINEE),
        "site": site,
        "site_identity": SiteIdentity.for_site(site),
        "locale": Locale.get_default(),
        "competency": Competency.objects.create(code="SWEEP-1", title_zh="工厂检查"),
        "collection": Collection.get_first_root_node(),
        "workflow": Workflow.objects.first() or SimpleNamespace(pk=999999),
        "workflow_task": Task.objects.first() or SimpleNamespace(pk=999999),
        "catalogue": course.get_parent(),
        "revision": course.save_revision(),
        "status_list": SimpleNamespace(pk=0),
    }
