"""Exams domain: question bank, exams with blueprints, attempts and responses."""

from .attempts import Attempt, AttemptQuestion, ItemAnalysis, Response
from .bank import Question, QuestionCategory, QuestionFile
from .exams import Accommodation, BlueprintSection, Exam

__all__ = [
    "Accommodation",
    "Attempt",
    "AttemptQuestion",
    "BlueprintSection",
    "Exam",
    "ItemAnalysis",
    "Question",
    "QuestionCategory",
    "QuestionFile",
    "Response",
]
