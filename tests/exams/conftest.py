import pytest

from .factories import every_type_questions, exam_with_questions


@pytest.fixture
def questions(db):
    return every_type_questions()


@pytest.fixture
def exam(questions, instructor):
    exam = exam_with_questions(questions)
    exam.instructors.add(instructor)
    return exam
