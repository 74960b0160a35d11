"""Lesson progress and course completion.

Completion: every live required lesson done and, when the course has required practice
sessions, attendance at one of them. A completed enrolment stays completed when a new required
lesson is published later (completion is a dated record others rely on); active enrolments
count the new lesson, so their progress goes down.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institute.audit import audit_record_create

from ..models import Enrolment, LessonPage, LessonProgress, PracticeSession, SessionBooking
from ..selectors import canonical_page, course_of_lesson, lesson_is_locked, required_lessons

Status = Enrolment.Status


def _attended_required_session(enrolment: Enrolment) -> bool:
    required = PracticeSession.objects.filter(course=enrolment.course, required=True)
    if not required.exists():
        return True
    return SessionBooking.objects.filter(
        session__in=required, user=enrolment.user, attendance=SessionBooking.Attendance.PRESENT
    ).exists()


def enrolment_progress_refresh(*, enrolment: Enrolment) -> Enrolment:
    """Recompute progress; mark the course completed when everything required is done."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update().select_related("course").get(pk=enrolment.pk)
        )
        if enrolment.status != Status.ACTIVE:
            return enrolment
        keys = set(
            required_lessons(course=enrolment.course).values_list("translation_key", flat=True)
        )
        done = set(
            enrolment.lesson_progress.filter(lesson__translation_key__in=keys).values_list(
                "lesson__translation_key", flat=True
            )
        )
        enrolment.progress_percent = round(100 * len(done) / len(keys)) if keys else 0
        finished = bool(keys) and done == keys and _attended_required_session(enrolment)
        if finished:
            enrolment.status, enrolment.completed_at = Status.COMPLETED, timezone.now()
            enrolment.study_hours, enrolment.progress_percent = enrolment.course.hours, 100
        enrolment.full_clean()
        enrolment.save()
        if finished:
            audit_record_create(
                actor=None,
                action="enrolment.completed",
                target=enrolment,
                data={"study_hours": str(enrolment.study_hours)},
            )
    return enrolment


def _studying_enrolment(*, user, lesson: LessonPage) -> tuple[Enrolment, LessonPage]:
    course = course_of_lesson(lesson)
    enrolment = Enrolment.objects.filter(
        user=user, course=course, status__in=Enrolment.STUDY_STATUSES
    ).first()
    if enrolment is None:
        raise ValidationError(_("You are not enrolled on this course."))
    return enrolment, canonical_page(lesson)


def lesson_complete(*, user, lesson: LessonPage, method: str = LessonProgress.Method.MARKED):
    """The trainee marks a lesson done (idempotent); returns the refreshed enrolment."""
    enrolment, lesson = _studying_enrolment(user=user, lesson=lesson)
    if lesson_is_locked(lesson=lesson, course=enrolment.course, enrolment=enrolment):
        raise ValidationError(_("Complete the earlier lessons first."))
    with transaction.atomic():
        LessonProgress.objects.get_or_create(
            enrolment=enrolment, lesson=lesson, defaults={"method": method}
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
    return enrolment_progress_refresh(enrolment=enrolment)


def lesson_opened(*, enrolment: Enrolment, lesson: LessonPage) -> None:
    """Remember where the trainee is, for "continue where you left off"."""
    Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=canonical_page(lesson))


def _grade_question(question, chosen: set[int]) -> dict:
    options = list(question["options"])
    correct = {index for index, option in enumerate(options) if option["correct"]}
    feedback = [options[index]["feedback"] for index in sorted(chosen) if index < len(options)]
    return {
        "question": question["question"],
        "correct": chosen == correct,
        "feedback": [text for text in feedback if text],
        "explanation": question["explanation"],
    }


def knowledge_check_questions(lesson: LessonPage) -> list[tuple[str, dict]]:
    """Every question of the lesson's knowledge checks, keyed "<block index>-<question index>"."""
    return [
        (f"{block_index}-{question_index}", question)
        for block_index, block in enumerate(lesson.body)
        if block.block_type == "knowledge_check"
        for question_index, question in enumerate(block.value["questions"])
    ]


def knowledge_check_submit(*, user, lesson: LessonPage, answers: dict[str, set[int]]) -> dict:
    """Grade the lesson's knowledge checks (not kept as a grade); a pass completes the lesson."""
    questions = knowledge_check_questions(lesson)
    if not questions:
        raise ValidationError(_("This lesson has no knowledge check."))
    results = {
        key: _grade_question(question, answers.get(key, set())) for key, question in questions
    }
    passed = all(result["correct"] for result in results.values())
    enrolment = None
    if passed:
        enrolment = lesson_complete(
            user=user, lesson=lesson, method=LessonProgress.Method.KNOWLEDGE_CHECK
        )
    return {"results": results, "passed": passed, "enrolment": enrolment}
