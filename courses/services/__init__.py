"""Writes of the courses app, split by sub-domain; import them from here."""

from .authoring import course_instructor_permissions_sync
from .enrolment import enrolment_create, enrolment_decide, enrolment_withdraw
from .practice import (
    attendance_record,
    booking_check_in,
    practical_assessment_record,
    session_book,
    session_booking_cancel,
    session_check_in,
    session_reminders_send,
)
from .progress import (
    enrolment_progress_refresh,
    knowledge_check_questions,
    knowledge_check_submit,
    lesson_complete,
    lesson_opened,
)

__all__ = [
    "attendance_record",
    "booking_check_in",
    "course_instructor_permissions_sync",
    "enrolment_create",
    "enrolment_decide",
    "enrolment_progress_refresh",
    "enrolment_withdraw",
    "knowledge_check_questions",
    "knowledge_check_submit",
    "lesson_complete",
    "lesson_opened",
    "practical_assessment_record",
    "session_book",
    "session_booking_cancel",
    "session_check_in",
    "session_reminders_send",
]
