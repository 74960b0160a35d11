"""Models of the courses app, split by sub-domain; import them from here."""

from .learning import Enrolment, LessonProgress
from .pages import CourseIndexPage, CoursePage, LessonPage, ModulePage
from .practice import (
    AssessmentCriterion,
    CriterionScore,
    PracticalAssessment,
    PracticeSession,
    SessionBooking,
)

__all__ = [
    "AssessmentCriterion",
    "CourseIndexPage",
    "CoursePage",
    "CriterionScore",
    "Enrolment",
    "LessonPage",
    "LessonProgress",
    "ModulePage",
    "PracticalAssessment",
    "PracticeSession",
    "SessionBooking",
]
